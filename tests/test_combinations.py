"""Issue 13's parts together: notes with a table of contents, a back cover of several pages, remembered lines
and the notes' place, headings named like notes. Each case was a bug found when the parts first met."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pdfplumber
import pytest
from conftest import VALID_FRONT_MATTER
from pdfs import structure_elements
from pypdf import PdfReader

from samizdat.content import load_document
from samizdat.contents import slug
from samizdat.paragraphs import breaks_path

SECTIONS = "\n\n".join(f"## Part {name}\n\nThe text of part {name}, with a claim.[^{name}]" for name in "abcdef")
NOTES = "\n".join(f"[^{name}]: The source of part {name}." for name in "abcdef")
#: Six sections (a table of contents with `contents: yes`), six notes set as endnotes.
WITH_CONTENTS = VALID_FRONT_MATTER.replace("lang: en\n", "lang: en\ncontents: yes\nnotes: end\n") + (
    f"\n{SECTIONS}\n\n{NOTES}\n"
)


@pytest.fixture(scope="module")
def contents_and_notes(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from samizdat.cli import main
    from tests.conftest import REPO

    root = tmp_path_factory.mktemp("combinations")
    (root / "content").mkdir()
    (root / "content" / "report.md").write_text(WITH_CONTENTS, encoding="utf-8")
    assert main(["--project", str(REPO), "--content", str(root / "content"), "--output", str(root / "out")]) == 0
    return root / "out" / "report"


def test_only_the_notes_are_tagged_as_notes_when_there_are_contents(contents_and_notes: Path):
    notes = structure_elements(contents_and_notes / "report-a5.pdf", "/Note")
    assert sorted(str(note["/ID"]) for note in notes) == [f"note-{n}" for n in range(1, 7)]
    texts = {element["/S"] for element in structure_elements(contents_and_notes / "report-a5.pdf")}
    assert "/Div" in texts  # the table of contents


def test_the_print_file_has_nothing_to_click(contents_and_notes: Path):
    screen = PdfReader(contents_and_notes / "report-a5.pdf")
    assert any(page.get("/Annots") for page in screen.pages)  # the contents' entries are links on screen
    printed = PdfReader(contents_and_notes / "report-a5-print.pdf")
    assert not any(page.get("/Annots") for page in printed.pages)


def test_the_endnotes_heading_sets_the_running_head():
    from samizdat.body import markdown_for, render_body

    html = render_body(markdown_for("ru", "end"), "Текст.[^1]\n\n[^1]: Источник.\n", 1, Path("x.md"))
    assert '<h2 data-running-head="Примечания">Примечания</h2>' in html


def test_the_remembered_lines_depend_on_where_the_notes_go(tmp_path: Path):
    source = tmp_path / "report.md"
    source.write_text(WITH_CONTENTS, encoding="utf-8")
    document = load_document(source)
    paths = {breaks_path(tmp_path, replace(document, notes=notes), tmp_path, tmp_path) for notes in ("foot", "end")}
    assert len(paths) == 2


def test_a_note_that_calls_a_note_is_refused_with_its_line(workspace):
    workspace.write("nested.md", VALID_FRONT_MATTER + "\nA claim.[^1]\n\n[^1]: A note that calls another.[^2]\n"
                    "[^2]: The other.\n")  # fmt: skip
    run = workspace.build()
    assert run.code == 1
    assert "nested.md:9:" in run.err and "[^1] calls another note" in run.err, run.err


@pytest.mark.parametrize("heading", ["Note 1", "Endnote 2", "Note-call 1", "Link-note a"])
def test_no_heading_takes_a_notes_anchor(heading: str):
    assert slug(heading).startswith("section-")


def test_a_back_cover_of_several_pages_warns_and_the_blanks_come_before_it(workspace):
    slogans = "".join(f"  - This is the slogan number {n} and it is long enough to take two lines at least\n"
                      for n in range(1, 10))  # fmt: skip
    front = VALID_FRONT_MATTER.replace("lang: en\n", f"lang: en\nslogans:\n{slogans}")
    workspace.write("many.md", front + "\nA short text.\n")
    run = workspace.build()
    assert run.code == 0 and "the back cover runs over" in run.out + run.err
    with pdfplumber.open(workspace.pdf("many", "a5-print")) as pdf:
        texts = [page.extract_text() or "" for page in pdf.pages]
    assert len(texts) % 4 == 0
    first_back = next(number for number, text in enumerate(texts) if "slogan number 1\n" in text)
    assert all(text.strip() for text in texts[first_back:]), "a blank page inside the back cover"


def test_the_outline_gives_a_headings_words_without_its_notes_call(workspace):
    workspace.write("h.md", VALID_FRONT_MATTER + "\n## A heading with a note[^1]\n\nText.\n\n[^1]: The note.\n")
    assert workspace.build().code == 0
    outline = PdfReader(workspace.pdf("h")).outline
    assert [entry.title for entry in outline[1]] == ["A heading with a note"]
