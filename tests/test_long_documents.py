"""Long documents and long titles, in real PDFs: running heads on one line (short_title, or shortened with a
warning), a table of contents whose numbers are the pages the headings are on, the outline, no blank page in
the screen A5 (the booklets get theirs), blocks set apart kept on one page when they fit."""

from __future__ import annotations

import contextlib
import io
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pdfplumber
import pytest
from conftest import REPO, make_project
from pdfs import HEAD_ZONE, trim_edges
from pypdf import PdfReader
from test_impose import booklet_reading_order, read_folded_booklet

from samizdat.cli import main

#: 40 words: the title of issue 13, which made the running head wrap into the margin and failed preflight.
FORTY_WORDS = (
    "Against the war and against the dictatorship that wages it: why the movement for peace in Ukraine must "
    "become a movement for democracy, for equality, for the rights of workers and for freedom in Russia and in "
    "every country"
)
LONG_HEADING = "A section whose heading is far too long to be printed whole in the running head at the top of a page"


def paragraphs(count: int, word: str) -> str:
    """`count` paragraphs of ordinary text, each naming `word` once, so that a section runs over pages."""
    sentence = "The movement grows where people meet, talk and act together against the war. "
    return "\n\n".join(f"{word} {index}. " + sentence * 6 for index in range(count))


def document(front: str, body: str) -> str:
    return f"---\n{textwrap.dedent(front).strip()}\nauthor: The Test Collective\nlang: en\n---\n\n{body}\n"


def head_lines(path: Path) -> list[tuple[int, list[dict]]]:
    """For each text page (not the covers) with a running head: its page index and the head's words."""
    found = []
    with pdfplumber.open(path) as pdf:
        for index, page in enumerate(pdf.pages[1:-1], start=1):
            top, _ = trim_edges(page)
            words = [word for word in page.extract_words() if word["bottom"] <= top + HEAD_ZONE]
            if words:
                found.append((index, words))
    return found


# Running heads ----------------------------------------------------------------------------------------------------

RUNNING_HEADS = {
    # case: (front matter, the head on left pages (None: shortened with …), warning fragment or None)
    "40-word title": (f"title: '{FORTY_WORDS}'", None, "line 2: the title is too long for the running head"),
    "short_title given": (f"title: '{FORTY_WORDS}'\nshort_title: Against the war", "Against the war", None),
    "short_title too long": (
        f"title: Peace\nshort_title: '{FORTY_WORDS}'",
        None,
        "line 3: the short_title is too long for the running head",
    ),
    "a short title": ("title: Peace now", "Peace now", None),
}


@pytest.mark.parametrize(("front", "head", "warning"), RUNNING_HEADS.values(), ids=RUNNING_HEADS)
def test_running_heads_are_one_line_inside_the_page(workspace, front: str, head: str | None, warning: str | None):
    workspace.write("long.md", document(front, f"{paragraphs(6, 'Opening')}\n\n## {LONG_HEADING}\n\n"
                                               f"{paragraphs(8, 'Later')}"))  # fmt: skip
    run = workspace.build()
    assert run.code == 0, run.out + run.err
    assert "FAIL" not in run.out, "preflight passes: no running head wraps into the margin"
    said = run.out + run.err
    if warning is None:
        assert "title is too long" not in said, "a head that fits is left alone"
    else:
        assert f"long.md: {warning}" in said and ("e.g. short_title: 'Against the war" in said or "shorten it" in said)
    heads = head_lines(workspace.pdf("long"))
    assert len(heads) >= 3, "left and right pages have heads"
    with pdfplumber.open(workspace.pdf("long")) as pdf:
        width = float(pdf.pages[0].width)
    for index, words in heads:
        assert len({round(word["bottom"]) for word in words}) == 1, f"page {index + 1}: the head is one line"
        assert min(word["x0"] for word in words) >= 10 and max(word["x1"] for word in words) <= width - 10
        text = " ".join(word["text"] for word in words)
        if index % 2 == 1:  # a left page: the title's head
            assert text == head if head else text.endswith("…")
    left = [" ".join(word["text"] for word in words) for index, words in heads if index % 2 == 1]
    assert head is None or all(text == head for text in left)


def test_a_heading_too_long_for_the_running_head_is_shortened_with_a_warning_naming_its_line(workspace):
    source = document("title: Peace", f"{paragraphs(5, 'Opening')}\n\n## {LONG_HEADING}\n\n{paragraphs(10, 'On')}")
    workspace.write("long.md", source)
    run = workspace.build()
    line = source.splitlines().index(f"## {LONG_HEADING}") + 1
    assert f"long.md: line {line}: the heading “{LONG_HEADING}” is too long for the running head" in run.out + run.err
    right = [" ".join(w["text"] for w in words) for index, words in head_lines(workspace.pdf("long")) if index % 2 == 0]
    shortened = [text for text in right if text.startswith("A section whose")]
    assert shortened and all(text.endswith("…") and len(text) < len(LONG_HEADING) for text in shortened)
    assert all(not text.rstrip("…").endswith((" ", ",", ":")) for text in shortened), "cut at a word"


def test_a_forty_word_title_is_set_smaller_on_the_cover_and_stays_on_it(workspace):
    workspace.write("long.md", document(f"title: '{FORTY_WORDS}'\nsubtitle: The standfirst", "Text."))
    workspace.write("short.md", document("title: Peace now", "Text."))
    assert workspace.build().code == 0
    sizes = {}
    for slug in ("long", "short"):
        with pdfplumber.open(workspace.pdf(slug)) as pdf:
            cover = pdf.pages[0]
            title = [char for char in cover.chars if char["size"] > 15]
            sizes[slug] = max(char["size"] for char in title)
            assert max(char["bottom"] for char in cover.chars) < cover.height - 5 * 72 / 25.4, "inside the safe margin"
            assert slug == "short" or "The standfirst" in cover.extract_text()
    assert sizes["long"] < 0.8 * sizes["short"]


# The table of contents and the outline ----------------------------------------------------------------------------

SECTIONS = ["The war", "The regime", "The economy", "The opposition", "The unions", "The students", "What we want"]


def many_sections(front: str = "title: A report") -> str:
    body = "\n\n".join(f"## {name}\n\n{paragraphs(3, name.split()[-1].title())}" for name in SECTIONS)
    return document(front, f"An opening.\n\n{body}")


def heading_pages(path: Path, names: list[str]) -> dict[str, int]:
    """The page (1-based) each heading is really on: its text in the heading's colour and font, after page 2."""
    found: dict[str, int] = {}
    with pdfplumber.open(path) as pdf:
        for number, page in enumerate(pdf.pages, start=1):
            lines = [line["text"] for line in page.extract_text_lines() if line["chars"][0]["size"] >= 11]
            for name in names:
                if name in lines and name not in found and number > 1:
                    found[name] = number
    return found


def contents_entries(path: Path) -> dict[str, int]:
    """The contents page's entries: heading text → the page number printed after its leader."""
    with pdfplumber.open(path) as pdf:
        text = pdf.pages[1].extract_text()
    entries = {}
    for line in text.splitlines():
        match = re.fullmatch(r"(.+?)[ .]*\s(\d+)", line.strip())
        if match:
            entries[match.group(1).rstrip(". ")] = int(match.group(2))
    return entries


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> tuple[int, str, Path]:
    """many_sections() built once for the tests that read its A5: (exit status, what the build said, the A5)."""
    root = tmp_path_factory.mktemp("report")
    (root / "content").mkdir()
    (root / "content" / "report.md").write_text(many_sections(), encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["--project", str(REPO), "--content", str(root / "content"), "--output", str(root / "output")])
    return code, out.getvalue() + err.getvalue(), root / "output" / "report" / "report-a5.pdf"


def test_a_document_of_many_sections_gets_contents_with_the_right_page_numbers(report):
    code, said, path = report
    assert code == 0 and "  warning" not in said, said
    with pdfplumber.open(path) as pdf:
        assert pdf.pages[1].extract_text().startswith("Contents")
    entries = contents_entries(path)
    assert list(entries) == SECTIONS
    assert entries == heading_pages(path, SECTIONS)
    assert len(set(entries.values())) > 2, "the sections are on several pages"


def test_contents_entries_are_links_to_their_headings_and_the_outline_holds_them(report):
    code, said, path = report
    assert code == 0, said
    reader = PdfReader(path)
    named = reader.named_destinations
    links = [annotation.get_object() for annotation in reader.pages[1].get("/Annots", [])]
    targets = {str(link["/Dest"]): reader.get_destination_page_number(named[str(link["/Dest"])]) + 1 for link in links}
    pages = heading_pages(path, SECTIONS)
    assert list(targets.values()) == [pages[name] for name in SECTIONS], "each entry leads to its heading's page"
    outline = reader.outline
    assert outline[0].title == "A\u00a0report"  # the language's no-break space after a one-letter word
    titles = [item.title for item in outline[1]]
    assert titles == ["Contents", *SECTIONS]
    assert [reader.get_destination_page_number(item) + 1 for item in outline[1]][1:] == [pages[s] for s in SECTIONS]


CONTENTS_CHOICES = {
    # case: (front matter, samizdat.yaml, sections, whether page 2 is the contents)
    "auto, many sections": ("", "", SECTIONS, True),
    "auto, three sections (as the statement)": ("", "", SECTIONS[:3], False),
    "no in the front matter": ("contents: no", "", SECTIONS, False),
    "yes in the front matter, two sections": ("contents: yes", "", SECTIONS[:2], True),
    "a higher threshold in samizdat.yaml": ("", "contents_sections: 10\n", SECTIONS, False),
    "yes in samizdat.yaml": ("", "contents: yes\n", SECTIONS[:2], True),
    "the front matter wins over samizdat.yaml": ("contents: auto", "contents: no\n", SECTIONS, True),
}


@pytest.mark.parametrize(("front", "config", "sections", "contents"), CONTENTS_CHOICES.values(), ids=CONTENTS_CHOICES)
def test_when_a_document_gets_contents(tmp_path: Path, front: str, config: str, sections: list[str], contents: bool):
    body = "\n\n".join(f"## {name}\n\n{paragraphs(1, 'Text')}" for name in sections)
    root = make_project(tmp_path, {"report": document(f"title: A report\n{front}", body)})
    (root / "samizdat.yaml").write_text(config)
    assert main(["--project", str(root)]) == 0
    with pdfplumber.open(root / "output" / "report" / "report-a5.pdf") as pdf:
        assert pdf.pages[1].extract_text().startswith("Contents") == contents


def test_the_statement_gets_no_contents_but_its_outline(statement_output: Path):
    reader = PdfReader(statement_output / "stop-the-war-a5.pdf")
    assert "Contents" not in reader.pages[1].extract_text()
    assert [item.title for item in reader.outline[1]][0] == "The Causes and Nature of the War"


WRONG_SETTINGS = {
    "front matter": ("report.md", "contents: maybe", "", "content/report.md:3", "the field 'contents' is wrong"),
    "samizdat.yaml": ("samizdat.yaml", "", "contents_sections: -1\n", "samizdat.yaml:1", "'contents_sections'"),
    "blank short_title": ("report.md", "short_title: '\u00a0'", "", "content/report.md:3", "short_title is blank"),
    "samizdat.yaml choice": ("samizdat.yaml", "", "contents: sometimes\n", "samizdat.yaml:1", "yes or no"),
}


@pytest.mark.parametrize(("where", "front", "config", "place", "message"), WRONG_SETTINGS.values(), ids=WRONG_SETTINGS)
def test_a_wrong_contents_setting_names_its_file_and_line(
    tmp_path: Path, capsys, where: str, front: str, config: str, place: str, message: str
):
    root = make_project(tmp_path, {"report": document(f"title: A report\n{front}", "Text.")})
    (root / "samizdat.yaml").write_text(config)
    code = main(["--project", str(root)])
    err = capsys.readouterr().err
    assert code == 1, err
    assert place in err and message in err, err


# No blank pages on screen; the booklets get theirs ----------------------------------------------------------------


def test_the_statement_screen_a5_has_no_blank_page(statement_output: Path):
    with pdfplumber.open(statement_output / "stop-the-war-a5.pdf") as pdf:
        for number, page in enumerate(pdf.pages, start=1):
            assert page.chars or page.rects or page.images, f"page {number} is blank"
        assert len(pdf.pages) % 4, "the statement's A5 is not padded to whole sheets (it has 7 pages)"


def half_texts(path: Path) -> list[dict[tuple[int, int], tuple[str | None, int]]]:
    """Each booklet side's halves as (column, 0) → (the text on it, rotation 0): for read_folded_booklet."""
    sides = []
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            halves = {}
            for column in (0, 1):
                crop = page.crop((column * page.width / 2, 0, (column + 1) * page.width / 2, page.height))
                text = " ".join((crop.extract_text() or "").split())
                halves[(column, 0)] = (text or None, 0)
            sides.append(halves)
    return sides


def test_the_booklet_and_the_print_file_have_the_blanks_before_the_back_cover(statement_output: Path):
    with pdfplumber.open(statement_output / "stop-the-war-a5.pdf") as pdf:
        screen = [" ".join((page.extract_text() or "").split()) for page in pdf.pages]
    folded = read_folded_booklet(half_texts(statement_output / "stop-the-war-booklet-a4.pdf"), "short")
    number_of = {text: number for number, text in enumerate(screen, start=1)}
    assert [number_of.get(text) for text in folded] == booklet_reading_order(len(screen))
    assert folded[-1].startswith("Stop the war!"), "the back cover is the booklet's last page"
    with pdfplumber.open(statement_output / "stop-the-war-a5-print.pdf") as pdf:
        printed = [" ".join((page.extract_text() or "").split()) for page in pdf.pages]
    assert len(printed) == 8 and printed[:6] == screen[:6] and printed[6] == "" and printed[7] == screen[-1]


# Blocks set apart -------------------------------------------------------------------------------------------------


def demands(count: int) -> str:
    items = "\n".join(f"- Demand{n} first, then more words, and Last{n}" for n in range(count))
    return f"::: demands\n{items}\n:::"


def item_pages(path: Path, count: int) -> list[tuple[int, int]]:
    """For each demand: the pages its first and its last word are on."""
    with pdfplumber.open(path) as pdf:
        words = [(number, word["text"]) for number, page in enumerate(pdf.pages) for word in page.extract_words()]
    first = {text: number for number, text in words}
    return [(first[f"Demand{n}"], first[f"Last{n}"]) for n in range(count)]


@pytest.mark.parametrize("before", [14, 16, 18])
def test_a_short_demands_list_is_kept_on_one_page(workspace, before: int):
    workspace.write("leaflet.md", document("title: Peace", f"{paragraphs(before // 3, 'Opening')}\n\n{demands(8)}\n\n"
                                                           "The end."))  # fmt: skip
    assert workspace.build().code == 0
    pages = item_pages(workspace.pdf("leaflet"), 8)
    assert len({page for pair in pages for page in pair}) == 1, pages


def test_a_demands_list_taller_than_a_page_breaks_between_items_where_it_starts(workspace):
    workspace.write("leaflet.md", document("title: Peace", f"{paragraphs(2, 'Opening')}\n\n{demands(60)}\n\nThe end."))
    assert workspace.build().code == 0
    pages = item_pages(workspace.pdf("leaflet"), 60)
    assert all(first == last for first, last in pages), "no demand is split between pages"
    assert len({first for first, _ in pages}) >= 3
    with pdfplumber.open(workspace.pdf("leaflet")) as pdf:
        opening = next(n for n, page in enumerate(pdf.pages) if "Opening 1." in (page.extract_text() or ""))
    assert pages[0][0] == opening, "the list starts right after the text before it, leaving no gap"


def test_the_tagged_pdf_with_contents_passes_the_pdfua_triage(report):
    pdfua = Path(sys.executable).with_name("pdfua")
    if not pdfua.exists():
        pytest.skip("the pdfua package is not installed")
    code, said, path = report
    assert code == 0, said
    checked = subprocess.run([str(pdfua), "check", str(path)], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stdout
