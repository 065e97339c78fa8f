"""Tables, quotes, code, figures, epigraphs and section breaks, read back from real PDFs; what is not supported is
printed as written or refused with its line."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pdfplumber
import pytest
from conftest import DATA, REPO, make_project
from pdfs import trim_edges
from pypdf import PdfReader
from test_pamphlet import needs

from samizdat.build import read_document
from samizdat.cli import main
from samizdat.jobs import lay_out_pamphlet
from samizdat.paragraphs import texts_of
from samizdat.project import Project
from samizdat.targets import Job

FRONT = "---\ntitle: Blocks\nauthor: The Test Collective\nlang: en\n---\n\n"
#: The body's first line in a document that starts with FRONT.
FIRST = FRONT.count("\n") + 1
MONO = "Noto-Sans-Mono"


@pytest.fixture(scope="module")
def constructs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """tests/data/constructs.md built once: its screen A5."""
    root = tmp_path_factory.mktemp("constructs")
    (root / "content").mkdir()
    for name in ("constructs.md", "constructs-picture.png"):
        shutil.copy(DATA / name, root / "content" / name)
    assert main(["--project", str(REPO), "--content", str(root / "content"), "--output", str(root / "out")]) == 0
    return root / "out" / "constructs" / "constructs-a5.pdf"


def build(tmp_path: Path, body: str, capsys: pytest.CaptureFixture) -> tuple[int, str, Path]:
    """A document of `body` built on its own: exit status, what was printed, its screen A5."""
    content = tmp_path / "content"
    content.mkdir(exist_ok=True)
    (content / "blocks.md").write_text(FRONT + body, encoding="utf-8")
    capsys.readouterr()
    code = main(["--project", str(REPO), "--content", str(content), "--output", str(tmp_path / "out")])
    captured = capsys.readouterr()
    return code, captured.out + captured.err, tmp_path / "out" / "blocks" / "blocks-a5.pdf"


def words_of(path: Path) -> list[list[dict]]:
    """Each page's words with their positions and fonts."""
    with pdfplumber.open(path) as pdf:
        return [page.extract_words(extra_attrs=["fontname", "size"]) for page in pdf.pages]


def page_chars(path: Path, word: str) -> list[dict]:
    """The characters of the first page that has `word`."""
    with pdfplumber.open(path) as pdf:
        return next(page.chars for page in pdf.pages if word in (page.extract_text() or ""))


def row_of(words: list[dict], text: str) -> list[dict]:
    """The words on the line of the first word `text`."""
    first = next(word for word in words if word["text"] == text)
    return sorted((word for word in words if abs(word["top"] - first["top"]) < 1), key=lambda word: word["x0"])


# Tables ---------------------------------------------------------------------------------------------------------


def test_a_tables_cells_stand_in_a_grid_with_numbers_right_aligned(constructs: Path):
    page = next(words for words in words_of(constructs) if any(word["text"] == "Marchers" for word in words))
    header = row_of(page, "City")
    assert [word["text"] for word in header] == ["City", "Marchers", "Change"]
    rows = [row_of(page, first) for first in ("Example", "Sampleton", "Testville")]
    tops = [header[0]["top"]] + [row[0]["top"] for row in rows]
    assert tops == sorted(tops) and len(set(round(top) for top in tops)) == 4, "one row under the other"
    assert len({round(row[0]["x0"], 1) for row in rows}) == 1, "the text column is aligned on the left"
    marchers = [row[-2] for row in rows] + [header[1]]
    change = [row[-1] for row in rows] + [header[2]]
    assert [word["text"] for word in marchers[:3]] == ["12,400", "860", "1,075"]
    cells = marchers[:3]  # the header is in another face, whose last letter's side bearing differs a little
    assert max(word["x1"] for word in cells) - min(word["x1"] for word in cells) < 0.3, "right-aligned"
    assert abs(marchers[3]["x1"] - cells[0]["x1"]) < 1.5, "the header over its numbers"
    for column in (marchers, change):
        assert max(word["x0"] for word in column) - min(word["x0"] for word in column) > 3, "not left-aligned"
    points = [char["x0"] for char in page_chars(constructs, "Change")
              if char["text"] == "." and tops[0] < char["top"] < tops[-1] + 5]  # fmt: skip
    assert [word["text"] for word in change[:3]] == ["+3.5", "\u221212.25", "0.5"]
    assert len(points) == 3 and max(points) - min(points) < 0.1, "+3.5, −12.25 and 0.5 aligned on the point"
    assert change[3]["x1"] > max(points), "the header over the column"
    assert max(word["x1"] for word in row_of(page, "Example")[:2]) < min(word["x0"] for word in marchers) - 3


def test_a_long_tables_header_is_repeated_on_the_next_page(tmp_path, capsys):
    rows = "".join(f"| Place{n} | {n * 37} |\n" for n in range(1, 61))
    code, out, pdf = build(tmp_path, f"A long table.\n\n| Town | Votes |\n|---|---|\n{rows}", capsys)
    assert code == 0, out
    pages = [words for words in words_of(pdf) if any(word["text"] == "Town" for word in words)]
    assert len(pages) >= 2, "the table runs over a page"
    for words in pages:
        header = row_of(words, "Town")
        assert [word["text"] for word in header] == ["Town", "Votes"]
        assert header[0]["fontname"].endswith("Noto-Sans-Bold"), "the header row, not a body row"
    towns = [word["text"] for words in pages for word in words if word["text"].startswith("Place")]
    assert towns == [f"Place{n}" for n in range(1, 61)], "every row once, in order"


def test_table_headers_have_a_scope_in_the_tagged_pdf(constructs: Path):
    reader = PdfReader(constructs)
    headers = [obj for obj in objects(reader) if obj.get("/S") == "/TH"]
    assert len(headers) == 3
    assert {str(header["/A"]["/Scope"]) for header in headers} == {"/Column"}


WIDE = "| " + " | ".join(["Region", "Population", "Demonstrators", "Arrested", "Released", "Injured", "Observers",
                         "Journalists"]) + " |\n" + "|---" * 8 + "|\n| Example Region | 1,234,567 | 12,345 | 1,234 |"
WIDE += " 1,200 | 34 | 56 | 78 |\n"  # fmt: skip
TOO_WIDE = "| Word | Other |\n|---|---|\n| " + "Donaudampfschifffahrtsgesellschaftskapitän" * 4 + " | x |\n"


@pytest.mark.parametrize(
    ("table", "code", "message"),
    [
        (WIDE, 0, f"blocks.md: line {FIRST + 2}: the table is too wide for the page at the text's size; it is set at"),
        (TOO_WIDE, 1, f"blocks.md:{FIRST + 2}: this table is too wide for the page even set at 70 %"),
    ],
    ids=["set-smaller", "refused"],
)
def test_a_table_too_wide_is_set_smaller_with_a_warning_or_refused_never_clipped(tmp_path, capsys, table, code,
                                                                                  message):
    built, out, pdf = build(tmp_path, f"Text.\n\n{table}", capsys)
    assert built == code and message in out
    if code:
        assert not pdf.exists()
        return
    with pdfplumber.open(pdf) as document:
        page = document.pages[1]
        right = max(char["x1"] for char in page.chars if char["top"] < page.height - 50)
        assert right <= page.width - 14 * 72 / 25.4 + 0.5, "within the outer margin"
        assert {round(char["size"], 1) for char in page.chars if char["text"] == "J"} == {7.0}


# Quotes, code, figures, epigraph --------------------------------------------------------------------------------


def test_code_is_set_in_the_mono_face_and_long_lines_wrap_inside_the_text(constructs: Path):
    pages = words_of(constructs)
    words = [word for page in pages for word in page]
    assert next(word for word in words if word["text"].startswith("print()"))["fontname"].endswith(MONO)
    code = [word for word in words if word["fontname"].endswith(MONO)]
    assert {"def", "count(marchers:", "squares"} <= {word["text"] for word in code}
    with pdfplumber.open(constructs) as pdf:
        width = pdf.pages[1].width
    assert max(word["x1"] for word in code) <= width - 14 * 72 / 25.4 + 0.5, "wrapped, not running off the page"
    body = [word for word in words if word["text"] == "stays"]
    assert body and "Charis" in body[0]["fontname"], "the paragraph around the code stays in the text face"


def test_pdffonts_lists_the_mono_face_embedded(constructs: Path):
    needs("pdffonts")
    listing = subprocess.run(["pdffonts", str(constructs)], capture_output=True, text=True, check=True).stdout
    rows = [row.split() for row in listing.splitlines()[2:] if MONO in row]
    assert rows and all(row[-5] == "yes" for row in rows), listing


def test_a_paragraph_with_inline_code_is_still_broken_as_a_whole(tmp_path):
    root = make_project(tmp_path, {"constructs": (DATA / "constructs.md").read_text(encoding="utf-8")})
    shutil.copy(DATA / "constructs-picture.png", root / "content")
    project = Project(root, root / "content", root / "output")
    document = read_document(project, root / "content" / "constructs.md")
    texts = texts_of(document)
    with_code = next(number for number, runs in texts.items() if any("code" in tags for _, tags in runs))
    layout = lay_out_pamphlet(project, Job(document, "pamphlet"), None)
    assert with_code in layout.breaks, "the line breaker set it"


def test_a_block_quote_is_indented_without_added_quotation_marks(constructs: Path):
    words = next(words for words in words_of(constructs) if any(word["text"] == "charity." for word in words))
    quote = row_of(words, "charity.")
    body = row_of(words, "The")
    assert quote[0]["text"] == "We", "no opening quotation mark added"
    assert quote[0]["x0"] > body[0]["x0"] + 10 and quote[-1]["x1"] < body[-1]["x1"] - 10, "indented both sides"


def test_the_epigraph_stands_to_the_right_in_italics(constructs: Path):
    words = words_of(constructs)[1]
    line, body = row_of(words, "Those"), row_of(words, "below")
    width = body[-1]["x1"] - body[0]["x0"]
    assert line[0]["x0"] - body[0]["x0"] > 0.35 * width, "in the right part of the text block"
    assert all("Italic" in word["fontname"] for word in line)
    source = row_of(words, "Kennedy")
    assert "Italic" not in source[-1]["fontname"] and source[-1]["x1"] > line[-1]["x1"] - 1, "its source, ranged right"


def test_a_pictures_alt_text_and_caption_reach_the_structure_tree(constructs: Path):
    reader = PdfReader(constructs)
    figures = [obj for obj in objects(reader) if obj.get("/S") == "/Figure"]
    assert [str(figure["/Alt"]) for figure in figures] == ["Red banner on a grey wall"]
    assert any(obj.get("/S") == "/Caption" for obj in objects(reader))
    assert "The banner at the start of the march" in "".join(page.extract_text() for page in reader.pages)


def test_a_picture_alone_in_its_paragraph_is_left_to_weasyprints_line_breaking():
    from samizdat.body import markdown_for, render_body

    html = render_body(markdown_for("en"), '![A crowd](photo.png "The rally")\n\nText.\n', 1, Path("x.md"))
    assert '<figure><img src="photo.png" alt="A crowd" /><figcaption>The rally</figcaption></figure>' in html
    assert html.count("data-p") == 1, "only the paragraph of text is numbered for the line breaker"


# Section breaks -------------------------------------------------------------------------------------------------

ORNAMENT = "\u2042"
FILLER = ("The assembly met again in the square and decided, after a long debate, to march once more. ")


def test_a_section_break_is_never_first_or_last_on_a_page(tmp_path, capsys):
    paragraphs = [FILLER * (1 + (n * 7) % 9) for n in range(40)]
    body = "\n\n".join(f"{text}\n\n***" for text in paragraphs) + "\n\nThe end.\n"
    code, out, pdf = build(tmp_path, body, capsys)
    assert code == 0, out
    ornaments = 0
    with pdfplumber.open(pdf) as document:
        for page in document.pages[1:-1]:
            top, bottom = trim_edges(page)
            lines = [line["text"] for line in page.extract_text_lines()
                     if top + 15 * 72 / 25.4 < line["top"] and line["bottom"] < bottom - 15 * 72 / 25.4]  # fmt: skip
            ornaments += lines.count(ORNAMENT)
            where = f"page {page.page_number}: {lines[:2]}…{lines[-2:]}"
            assert not lines or ORNAMENT not in (lines[0], lines[-1]), where
    assert ornaments == 40


# What is not supported: printed as written, or refused with its line --------------------------------------------

UNSUPPORTED = {
    "first-level heading": ("# Again a title\n", f"blocks.md:{FIRST}: a first-level heading"),
    "underlined heading": ("Again a title\n===\n", f"blocks.md:{FIRST}: a first-level heading"),
    "fourth-level heading": ("#### Deep\n", f"blocks.md:{FIRST}: a heading of level 4"),
    "unused link definition": ("Text.\n\n[site]: https://example.org\n", f"blocks.md:{FIRST + 2}: the line '[site]"),
    "picture without a description": ("![](photo.png)\n", f"blocks.md:{FIRST}: the picture 'photo.png' has no"),
    "html block": ("<div class=x>Raw block</div>\n", "<div class=x>Raw block</div>"),
    "inline html": ("A <span>raw</span> tag.\n", "<span>raw</span>"),
    "html comment": ("<!-- a comment -->\n", "<!-- a comment -->"),
    "definition list": ("Term\n: its definition\n", ": its definition"),
    "strikethrough": ("Not ~~struck~~ here.\n", "~~struck~~"),
    "task list": ("- [ ] a task\n- [x] done\n", "[ ] a task"),
    "maths": ("Then $x^2$ follows.\n", "$x^2$"),
    "cyrillic code": ("Код: `печать(«Нет войне»)`.\n", "печать(«Нет войне»)"),
}


@pytest.mark.parametrize(("body", "expected"), UNSUPPORTED.values(), ids=UNSUPPORTED.keys())
def test_an_unsupported_construct_is_printed_as_written_or_refused_with_its_line(tmp_path, capsys, body, expected):
    code, out, pdf = build(tmp_path, body, capsys)
    if "blocks.md:" in expected:
        assert code == 1 and expected in out
        return
    assert code == 0, out
    text = "".join(page.extract_text() for page in PdfReader(pdf).pages)
    assert expected in text


def objects(reader: PdfReader) -> list:
    """Every dictionary object of the PDF."""
    found = []
    for number in range(1, int(reader.trailer["/Size"])):
        obj = reader.get_object(number)
        if isinstance(obj, dict):
            found.append(obj)
    return found
