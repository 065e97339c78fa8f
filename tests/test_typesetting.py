"""Rules that hold for any document: language, hyphenation, widows and orphans, kept headings, fonts."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pdfplumber
import pytest
from conftest import DATA, REPO
from pdfs import HEAD_ZONE, fonts, trim_edges
from pypdf import PdfReader
from test_pamphlet import bundled_font_names

BREAK = "\u2010"  # the hyphen WeasyPrint draws where it breaks a word


@pytest.mark.parametrize(("name", "lang", "quote"), [("uk-hyphenation", "uk", "«"), ("ru-hyphenation", "ru", "«")])
def test_cyrillic_documents_carry_their_language_quotes_and_hyphenation(workspace, name, lang, quote):
    shutil.copy(DATA / f"{name}.md", workspace.content)
    assert workspace.build().code == 0
    pdf = workspace.pdf(name)
    reader = PdfReader(pdf)
    assert reader.trailer["/Root"]["/Lang"] == lang
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert quote in text and '"' not in text
    assert re.search(rf"[а-яіїєґ]{BREAK}\n[а-яіїєґ]", text), "no Cyrillic word was hyphenated at a line end"
    source = (DATA / f"{name}.md").read_text().split("---", 2)[2]
    source_words = re.sub(r"[\"—]", " ", source).replace("'", "’").split()
    extracted = re.sub(rf"{BREAK}\n", "", text)
    for word in source_words:
        assert word.strip(".,!") in extracted


def paragraphs_document(lengths: list[int], heading_every: int = 0) -> str:
    """Paragraph k is the word pKK repeated; with `heading_every`, a heading hKK before every so many paragraphs."""
    body = []
    for number, length in enumerate(lengths):
        if heading_every and number % heading_every == 0:
            body.append(f"## h{number:02d} heading")
        body.append(" ".join([f"p{number:02d}"] * length))
    return "---\ntitle: Paragraphs\nauthor: Test\nlang: en\n---\n\n" + "\n\n".join(body) + "\n"


def body_lines(pdf_path: Path) -> list[list[str]]:
    """The body text lines of each text page (not the covers, running heads or folios)."""
    pages = []
    with pdfplumber.open(pdf_path) as pdf:
        for page in pdf.pages[1:-1]:
            top, bottom = trim_edges(page)
            lines = page.extract_text_lines(strip=True)
            pages.append([line["text"] for line in lines if top + HEAD_ZONE < line["top"] < bottom - HEAD_ZONE])
    return [lines for lines in pages if lines]


LENGTHS = [
    3 * n
    for n in (23, 41, 9, 57, 14, 33, 71, 12, 27, 49, 18, 64, 8, 37, 22, 53, 16, 45, 29, 11, 60, 19, 35, 26, 47, 13)
]


def test_no_widows_or_orphans(workspace):
    workspace.write("paragraphs.md", paragraphs_document(LENGTHS * 2))
    assert workspace.build().code == 0
    pages = body_lines(workspace.pdf("paragraphs"))
    split = 0
    for before, after in zip(pages, pages[1:], strict=False):
        last, first = before[-1].split()[0], after[0].split()[0]
        if last == first:  # a paragraph runs over the page break
            split += 1
            assert sum(line.startswith(last) for line in before) >= 2, f"orphan: one line of {last} at a page foot"
            assert sum(line.startswith(first) for line in after) >= 2, f"widow: one line of {first} at a page top"
    assert split >= 3, "the test document no longer splits paragraphs across pages"


def test_headings_never_end_a_page(workspace):
    workspace.write("headed.md", paragraphs_document(LENGTHS * 2, heading_every=2))
    assert workspace.build().code == 0
    for lines in body_lines(workspace.pdf("headed")):
        for index, line in enumerate(lines):
            if line.endswith("heading"):
                following = lines[index + 1 : index + 3]
                assert len(following) == 2, f"{line!r} is not followed by two lines of its text on its page"


def test_a_glyph_the_bundled_fonts_lack_is_refused_never_drawn_as_a_box_nor_taken_from_the_machine(workspace):
    source = workspace.write(
        "symbols.md", "---\ntitle: Symbols\nauthor: Test\nlang: en\n---\n\nHammer and sickle: ☭ ✊\n"
    )
    run = workspace.build()
    assert run.code == 1
    assert f"{source}:7: the fonts in fonts/ have no glyphs for ☭ (U+262D), ✊ (U+270A)" in run.err
    assert not workspace.pdf("symbols").exists() and not workspace.pdf("symbols", "a5-print").exists()
    workspace.write("symbols.md", "---\ntitle: Symbols\nauthor: Test\nlang: en\n---\n\nSigns: № → ✓ ½\n")
    assert workspace.build().code == 0, "a glyph one of the bundled fonts has is fine"
    found = fonts(workspace.pdf("symbols"))
    assert {re.sub(r"[^a-z]", "", name.lower()) for name in found} <= bundled_font_names()


def test_repository_fonts_folder_holds_a_licence_beside_each_font():
    for folder in {path.parent for path in (REPO / "fonts").glob("*/*.ttf")}:
        assert (folder / "OFL.txt").read_text().count("SIL OPEN FONT LICENSE") >= 1
