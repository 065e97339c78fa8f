"""Tiling: the fewest sheets, labelled; laid out by their labels and overlaps, they rebuild the poster."""

from __future__ import annotations

import io
import re

import pdfplumber
import pydyf
import pytest
from conftest import REPO
from pdfs import MM
from pypdf import PdfReader

from samizdat.impose.plan import TileOptions
from samizdat.paper import PAPERS
from samizdat.tile import label_maker, tile

LABELS = label_maker(REPO / "layouts", [REPO / "layouts", REPO / "fonts"], REPO / "fonts")
GRID = 40 * MM  # a word every 40 mm on the test poster


def grid_poster(width: float, height: float) -> bytes:
    """A poster whose words name their own place: 'x3y5' sits at (3, 5) × 40 mm."""
    pdf = pydyf.PDF()
    font = pydyf.Dictionary({"Type": "/Font", "Subtype": "/Type1", "BaseFont": "/Helvetica"})
    pdf.add_object(font)
    stream = pydyf.Stream()
    stream.begin_text()
    stream.set_font_size("F1", 9)
    for i in range(int(width // GRID) + 1):
        for j in range(int(height // GRID) + 1):
            stream.set_text_matrix(1, 0, 0, 1, i * GRID + 2, j * GRID + 2)
            stream.show_text_string(f"x{i}y{j}")
    stream.end_text()
    pdf.add_object(stream)
    resources = pydyf.Dictionary({"Font": pydyf.Dictionary({"F1": font.reference})})
    box = pydyf.Array([0, 0, width, height])
    page = {"Type": "/Page", "Parent": pdf.pages.reference, "Resources": resources, "MediaBox": box}
    pdf.add_page(pydyf.Dictionary({**page, "Contents": stream.reference}))
    output = io.BytesIO()
    pdf.write(output)
    return output.getvalue()


def read_tiles(data: bytes, options: TileOptions) -> list[tuple[int, int, list[tuple[str, float, float]]]]:
    """For each sheet: its row and column (from its label) and the poster's words printed on it, with their
    position on the sheet (only what falls inside the printable area counts)."""
    margin = options.margin_mm * MM
    sheets = []
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            label_text = page.filter(lambda obj: obj["object_type"] == "char" and "Helvetica" not in obj["fontname"])
            label = re.search(r"row (\d+) / column (\d+)", label_text.extract_text())
            words = []
            poster = page.filter(lambda obj: obj["object_type"] != "char" or obj["fontname"].endswith("Helvetica"))
            chars = poster.chars
            for word in poster.extract_words():
                first = next(
                    c for c in chars if abs(c["x0"] - word["x0"]) < 0.01 and abs(c["top"] - word["top"]) < 0.01
                )
                x, y = first["matrix"][4], first["matrix"][5]  # where the text starts: its baseline
                inside = margin <= x and word["x1"] <= page.width - margin and margin <= y <= page.height - margin
                if inside and re.fullmatch(r"x\d+y\d+", word["text"]):
                    words.append((word["text"], x, y))
            sheets.append((int(label.group(1)), int(label.group(2)), words, page.width, page.height))
    return sheets


@pytest.mark.parametrize(
    ("poster", "sheets", "landscape"),
    [("A3", 4, False), ("A2", 8, True), ("A1", 12, False), ("A4", 2, True)],
)
def test_fewest_sheets_in_the_better_orientation(poster, sheets, landscape):
    """Worked by hand for A4 sheets, 5 mm unprintable edge, 10 mm overlap: printable 200 × 287 mm, step 190 × 277
    (portrait) or 287 × 200, step 277 × 190 (landscape). A2 (420 × 594): portrait 3 × 3 = 9, landscape 2 × 4 = 8.
    A1 (594 × 841): portrait 4 × 3 = 12, landscape 3 × 5 = 15. A4 does not fit in 200 × 287 mm: portrait 2 × 2,
    landscape 1 × 2."""
    paper = PAPERS[poster]
    data = tile(grid_poster(paper.width, paper.height), TileOptions(), LABELS)
    pages = PdfReader(io.BytesIO(data)).pages
    assert len(pages) == sheets
    for page in pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert (width > height) == landscape
        assert (
            abs(min(width, height) - PAPERS["A4"].width) < 0.01 and abs(max(width, height) - PAPERS["A4"].height) < 0.01
        )


@pytest.mark.parametrize("overlap", [10.0, 25.0])  # wider than a word, so each word is whole on a sheet
def test_tiles_laid_out_by_their_labels_rebuild_the_poster(overlap):
    width, height = PAPERS["A2"].width, PAPERS["A2"].height
    options = TileOptions(overlap_mm=overlap)
    sheets = read_tiles(tile(grid_poster(width, height), options, LABELS), options)
    margin, step_overlap = options.margin_mm * MM, overlap * MM
    labels = [(row, column) for row, column, *_ in sheets]
    assert labels == sorted(labels) and len(set(labels)) == len(labels)
    found: dict[str, tuple[float, float]] = {}
    for row, column, words, sheet_width, sheet_height in sheets:
        step_x = sheet_width - 2 * margin - step_overlap
        step_y = sheet_height - 2 * margin - step_overlap
        for text, x, y in words:
            poster_x = x - margin + (column - 1) * step_x
            poster_y = height - ((sheet_height - margin) - y + (row - 1) * step_y)
            if text in found:
                assert abs(found[text][0] - poster_x) < 0.5 and abs(found[text][1] - poster_y) < 0.5, text
            found[text] = (poster_x, poster_y)
    expected = {
        f"x{i}y{j}": (i * GRID + 2, j * GRID + 2)
        for i in range(int(width // GRID) + 1)
        for j in range(int(height // GRID) + 1)
        if i * GRID + 30 < width and j * GRID + 12 < height
    }
    for text, (x, y) in expected.items():
        assert text in found, f"{text} is on no sheet"
        assert abs(found[text][0] - x) < 0.5 and abs(found[text][1] - y) < 0.5, text


def test_the_unprintable_edge_stays_blank():
    options = TileOptions(margin_mm=8)
    data = tile(grid_poster(PAPERS["A3"].width, PAPERS["A3"].height), options, LABELS)
    for page in PdfReader(io.BytesIO(data)).pages:
        content = page.get_contents().get_data()
        assert re.search(rb"^q 22\.677 22\.677 [\d.]+ [\d.]+ re W n$", content, re.M), "the poster is not clipped"


def test_tile_command(tmp_path, cli):
    poster = tmp_path / "poster.pdf"
    poster.write_bytes(grid_poster(PAPERS["A2"].width, PAPERS["A2"].height))
    out = tmp_path / "tiles.pdf"
    run = cli("tile", str(poster), "--sheet", "A4", "--overlap", "1cm", "--project", str(REPO), "-o", str(out))
    assert run.code == 0 and "8 sheets" in run.out and "To print:" in run.out
    assert len(PdfReader(out).pages) == 8
    assert cli("tile", str(poster), "--overlap", "lots", "-o", str(out)).code == 2
    assert cli("tile", str(poster), "--sheet", "A5", "-o", str(out)).code == 2
    text = tmp_path / "letter.pdf"
    text.write_text("not a pdf")
    run = cli("tile", str(text), "--project", str(REPO), "-o", str(tmp_path / "never.pdf"))
    assert run.code == 1 and "is not a PDF" in run.err and not (tmp_path / "never.pdf").exists()
    run = cli("tile", str(poster), "--overlap", "250mm", "--project", str(REPO), "-o", str(tmp_path / "never.pdf"))
    assert run.code == 1 and "leaves nothing to print" in run.err
