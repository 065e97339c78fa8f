"""Notes (samizdat/notes.py): footnotes at the foot of the page where they are called, endnotes before the back
cover, calls and notes linked both ways in the screen PDF and tagged /Note, every mistake a located error."""

from __future__ import annotations

import shutil
from pathlib import Path

import pdfplumber
import pytest
from conftest import DATA, REPO, VALID_FRONT_MATTER, make_project
from pdfs import structure_elements
from pdfua import validate
from pypdf import PdfReader

from samizdat.cli import main

LOREM = (
    "The war has changed everything for those who live under the regime, and the people who organise "
    "against it have to speak clearly about what they want and why they want it. "
)

#: A note called twice (one number), a note of two paragraphs, a note called at the foot of the text.
FOOTNOTES = f"""{VALID_FRONT_MATTER}
{LOREM * 3}The first claim needs a source.[^census] {LOREM * 2}

{LOREM * 2}Called again here.[^census] And a second claim.[^report]

{LOREM * 2}The last claim.[^last] {LOREM}

[^census]: Censusnote: the census of 2021, table 4.
[^report]: Reportnote: the report of the commission.

    Reportsecond: its second paragraph.
[^last]: Lastnote: at the end of the text.
"""

ENDNOTES = FOOTNOTES.replace("lang: en\n", "lang: en\nnotes: end\n")

#: A call after a colon where the line is full, and a note written on two source lines.
WRAPPED = f"""{VALID_FRONT_MATTER}
The count was made like this, as the organisers' [counting guide](https://example.org/guides/counting-a-march-2026)
explains:[^count]

[^count]: Two volunteers at each square counted the marchers as they passed; the larger of their two counts is the
    one given here.
"""


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One build of the notes' documents: footnotes, endnotes, and the test page of the README's picture."""
    root = tmp_path_factory.mktemp("notes")
    content = root / "content"
    content.mkdir()
    (content / "footnotes.md").write_text(FOOTNOTES)
    (content / "endnotes.md").write_text(ENDNOTES)
    (content / "wrapped.md").write_text(WRAPPED)
    shutil.copy(DATA / "notes-and-links.md", content)
    assert main(["--project", str(REPO), "--content", str(content), "--output", str(root / "output")]) == 0
    return root / "output"


def pdf_of(output: Path, slug: str, suffix: str = "a5") -> Path:
    return output / slug / f"{slug}-{suffix}.pdf"


def where(path: Path, word: str) -> list[tuple[int, float, float]]:
    """(page index, top, size) of each occurrence of a word starting with `word`."""
    found = []
    with pdfplumber.open(path) as pdf:
        for index, page in enumerate(pdf.pages):
            for item in page.extract_words(extra_attrs=["size"]):
                if item["text"].startswith(word):
                    found.append((index, item["top"], item["size"]))
    return found


def body_bottom(path: Path, page_index: int) -> float:
    """The lowest body-size (10 pt) glyph of a page: the foot of its text."""
    with pdfplumber.open(path) as pdf:
        return max(char["bottom"] for char in pdf.pages[page_index].chars if round(char["size"]) == 10)


@pytest.mark.parametrize("suffix", ["a5", "a5-print"])
@pytest.mark.parametrize(("call", "note"), [("source.", "Censusnote"), ("claim.", "Reportnote"),
                                            ("claim.", "Lastnote")])  # fmt: skip
def test_a_footnote_is_below_the_text_of_the_page_that_calls_it(built: Path, suffix: str, call: str, note: str):
    path = pdf_of(built, "footnotes", suffix)
    [(page, top, size)] = where(path, note)
    assert size < 9  # set smaller than the text
    calls = [found for found in where(path, call) if found[0] == page]
    assert calls, f"{note} is not on the page of its call"
    assert top > body_bottom(path, page)


def test_notes_are_numbered_in_the_order_of_their_first_call(built: Path):
    with pdfplumber.open(pdf_of(built, "footnotes")) as pdf:
        text = "\n".join(page.extract_text() for page in pdf.pages)
    assert "\n1 Censusnote" in text and "\n2 Reportnote" in text and "\n3 Lastnote" in text
    assert "source.1" in text and "again here.1" in text  # called twice: one number, one note
    assert text.count("Censusnote") == 1
    assert "Reportsecond" in text


def test_calls_and_notes_link_both_ways_in_the_screen_pdf(built: Path):
    for slug, note in (("footnotes", "note-1"), ("endnotes", "endnote-1")):
        reader = PdfReader(pdf_of(built, slug))
        assert {note, "note-call-1"} <= set(reader.named_destinations)
        targets = {str(annotation.get_object().get("/Dest")) for page in reader.pages
                   for annotation in page.get("/Annots") or []}  # fmt: skip
        assert {note, "note-call-1"} <= targets


def test_endnotes_come_after_the_text_before_the_back_cover(built: Path):
    path = pdf_of(built, "endnotes")
    with pdfplumber.open(path) as pdf:
        pages = len(pdf.pages)
        text = "\n".join(page.extract_text() for page in pdf.pages)
    [(heading, top, _)] = [found for found in where(path, "Notes") if found[2] > 11]  # not the running head
    assert text.rindex("claim.3") < text.index("Notes\n1 Censusnote")
    notes = [where(path, note) for note in ("Censusnote", "Reportnote", "Lastnote")]
    assert all(len(found) == 1 for found in notes)  # each once, and not at the foot of a page
    assert [page for [(page, _, _)] in notes] == sorted(page for [(page, _, _)] in notes)
    assert all(page >= heading for [(page, _, _)] in notes)
    assert max(page for [(page, _, _)] in notes) < pages - 1  # the back cover follows


@pytest.mark.parametrize("slug", ["footnotes", "endnotes"])
def test_notes_are_tagged_as_notes(built: Path, slug: str):
    path = pdf_of(built, slug)
    notes = structure_elements(path, "/Note")
    ids = [str(note["/ID"]) for note in notes]
    assert len(ids) >= 3 and len(set(ids)) == len(ids)  # a note split over two pages is two elements
    assert validate(str(path)).exit_code == 0  # the pdfua triage


@pytest.mark.parametrize("suffix", ["a5-print", "booklet-a4"])
def test_paper_editions_carry_the_notes(built: Path, suffix: str):
    with pdfplumber.open(pdf_of(built, "footnotes", suffix)) as pdf:
        text = "".join(page.extract_text() for page in pdf.pages)
    assert all(note in text for note in ("Censusnote", "Reportnote", "Lastnote"))


def test_a_note_too_long_for_its_page_is_a_warning_naming_it(workspace):
    long_note = "This is a very long note that goes on and on. " * 60
    workspace.write("long.md", f"{VALID_FRONT_MATTER}{LOREM * 6}\n\n{LOREM * 4}The call.[^n] {LOREM * 16}\n\n"
                               f"[^n]: {long_note}\n")  # fmt: skip
    run = workspace.build()
    assert run.code == 0
    assert "note 1 is called on page 2 but set on page 3" in run.out + run.err
    assert "cannot split a note over two pages" in run.out + run.err


def test_the_project_sets_endnotes_and_a_document_may_differ(tmp_path: Path):
    footnoted = FOOTNOTES.replace("lang: en\n", "lang: en\nnotes: foot\n")
    project = make_project(tmp_path, {"plain": FOOTNOTES, "footed": footnoted})
    (project / "samizdat.yaml").write_text("notes: end\n")
    assert main(["--project", str(project)]) == 0
    headings = {slug: [size for _, _, size in where(pdf_of(project / "output", slug), "Notes") if size > 11]
                for slug in ("plain", "footed")}  # fmt: skip
    assert headings == {"plain": [pytest.approx(12, 0.1)], "footed": []}


#: A document whose notes are wrong → the line and what the message says.
BAD_NOTES = {
    "called, never written": ("A claim.[^missing]\n", 7, "the note [^missing] is called here but never written"),
    "written, never called": ("A claim.\n\n[^lost]: A note.\n", 9, "the note [^lost] is written but never called"),
    "written twice": ("A claim.[^a]\n\n[^a]: One.\n[^a]: Two.\n", 10, "the note [^a] is written a second time"),
    "a list in a note": ("A claim.[^a]\n\n[^a]: One.\n\n    - a list\n", 11, "the note [^a] holds more than"),
    "a wrong place": ("A claim.\n", 5, "the field 'notes' is wrong ('side')"),
}


@pytest.mark.parametrize("case", BAD_NOTES)
def test_a_wrong_note_is_a_located_error_and_the_last_good_pdf_stays(tmp_path, capsys, built_workspaces, case: str):
    body, line, message = BAD_NOTES[case]
    front = VALID_FRONT_MATTER.replace("lang: en\n", "lang: en\nnotes: side\n") if case == "a wrong place" else None
    files = {"leaflet.md": VALID_FRONT_MATTER + "\nA claim.[^a]\n\n[^a]: A note.\n",
             "other.md": VALID_FRONT_MATTER + "Another text.\n"}  # fmt: skip
    workspace = built_workspaces.workspace(tmp_path, capsys, files)  # their good build, made once and copied
    good = workspace.content / "leaflet.md"
    before = workspace.pdf("leaflet").read_bytes()
    good.write_text((front or VALID_FRONT_MATTER) + "\n" + body)
    run = workspace.build()
    assert run.code == 1
    assert f"{good}:{line}: {message}" in run.err.replace("\n          ", " ")
    assert workspace.pdf("leaflet").read_bytes() == before
    assert workspace.pdf("other").is_file()


def test_a_call_in_a_code_span_is_code_not_a_note(workspace):
    workspace.write("leaflet.md", VALID_FRONT_MATTER + "Write `[^1]` to call a note.\n")
    assert workspace.build().code == 0
    with pdfplumber.open(workspace.pdf("leaflet")) as pdf:
        assert "Write [^1] to call a note." in pdf.pages[1].extract_text()


def test_notes_and_links_build_in_cmyk(tmp_path: Path):
    """The CMYK print file (device-cmyk colours, which WeasyPrint 70 cannot draw in a gradient) sets the notes,
    their rule and the printed addresses, and passes preflight."""
    project = make_project(tmp_path, {"notes-and-links": (DATA / "notes-and-links.md").read_text()})
    (project / "samizdat.yaml").write_text("print:\n  colour: cmyk\n")
    assert main(["--project", str(project)]) == 0
    with pdfplumber.open(pdf_of(project / "output", "notes-and-links", "a5-print")) as pdf:
        text = pdf.pages[1].extract_text()
    assert "1 Federal budget laws" in text and "a https://example.org/reports/" in text


def test_a_gradient_in_a_cmyk_layout_is_the_jobs_error_not_a_traceback(tmp_path: Path, capsys):
    project = make_project(tmp_path, {"notes-and-links": (DATA / "notes-and-links.md").read_text()})
    (project / "samizdat.yaml").write_text("print:\n  colour: cmyk\n")
    with (project / "layouts" / "pamphlet" / "notes.css").open("a") as css:
        css.write(".footnote { background: linear-gradient(var(--colour-muted), var(--colour-ink)); }\n")
    assert main(["--project", str(project)]) == 1
    assert "WeasyPrint could not write this (NotImplementedError" in capsys.readouterr().err
    assert pdf_of(project / "output", "notes-and-links", "a5").is_file()  # the screen PDF, in RGB, is made


@pytest.mark.parametrize("suffix", ["a5", "a5-print"])
def test_a_call_stays_with_its_word_and_a_notes_source_lines_flow_as_one(built: Path, suffix: str):
    """WeasyPrint would break before a call after a colon, and keep a newline of the note's source as a line break."""
    with pdfplumber.open(pdf_of(built, "wrapped", suffix)) as pdf:
        lines = [line for page in pdf.pages for line in (page.extract_text() or "").splitlines()]
    assert not any(line.strip() == "1" for line in lines), lines
    assert any("counts is the one given here." in line for line in lines), lines
