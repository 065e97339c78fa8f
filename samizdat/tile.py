"""Tile stage: a large page split onto the fewest small sheets, with overlap, alignment marks and labels.

Like pdfposter: each sheet shows one rectangle of the poster at full size,
inside the margin a home printer cannot print; neighbouring rectangles overlap
so that the sheets can be trimmed along the marks and glued. Each sheet says
where it goes ("row 2 / column 3").
"""

from __future__ import annotations

import io
import math
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from pypdf import PdfReader, PdfWriter
from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

from samizdat.errors import SamizdatError
from samizdat.html import render_template
from samizdat.impose import read_pdf
from samizdat.impose.compact import compact_writer
from samizdat.impose.place import make_form
from samizdat.paper import MM, PAPERS
from samizdat.pdf import lay_out, write_pdf

TILE_SHEETS = ("A4", "A3", "Letter")
MARK = 5 * MM


@dataclass(frozen=True)
class TileOptions:
    sheet: str = "A4"
    overlap_mm: float = 10.0
    margin_mm: float = 5.0  # what the printer cannot print, at each edge
    marks: bool = True


@dataclass(frozen=True)
class TileGrid:
    """How one page is cut: sheet orientation, columns × rows, and the step between tiles (points)."""

    landscape: bool
    columns: int
    rows: int
    printable: tuple[float, float]
    step: tuple[float, float]


def tile_grid(width: float, height: float, options: TileOptions) -> TileGrid:
    """The fewest sheets, trying both orientations (portrait wins a tie).

    >>> grid = tile_grid(841.89, 1190.55, TileOptions())  # A3 onto A4
    >>> grid.columns, grid.rows, grid.landscape
    (2, 2, False)
    """
    overlap, margin = options.overlap_mm * MM, options.margin_mm * MM
    best = None
    for landscape in (False, True):
        sheet_width, sheet_height = PAPERS[options.sheet].oriented(landscape)
        printable = (sheet_width - 2 * margin, sheet_height - 2 * margin)
        if min(printable) <= overlap:
            raise SamizdatError(f"an overlap of {options.overlap_mm} mm leaves nothing to print on {options.sheet}")
        step = (printable[0] - overlap, printable[1] - overlap)
        columns = 1 if width <= printable[0] + 0.01 else math.ceil((width - overlap - 0.01) / step[0])
        rows = 1 if height <= printable[1] + 0.01 else math.ceil((height - overlap - 0.01) / step[1])
        grid = TileGrid(landscape, columns, rows, printable, step)
        if best is None or columns * rows < best.columns * best.rows:
            best = grid
    return best


def tile(source: bytes, options: TileOptions, labels: Callable[[list[str]], bytes], name: str = "the PDF") -> bytes:
    """Every page of `source` tiled onto sheets; `labels` renders the label texts as one PDF page each."""
    if options.sheet not in TILE_SHEETS:
        raise SamizdatError(f"unknown sheet '{options.sheet}': choose one of {', '.join(TILE_SHEETS)}")
    reader = read_pdf(source, name)
    plans = []
    for index, page in enumerate(reader.pages):
        x0, y0, x1, y1 = (float(v) for v in page.trimbox)
        grid = tile_grid(x1 - x0, y1 - y0, options)
        plans += [(index, grid, row, column) for row in range(grid.rows) for column in range(grid.columns)]
    many = len(reader.pages) > 1
    texts = [f"row {r + 1} / column {c + 1}" + (f" of page {i + 1}" if many else "") for i, _, r, c in plans]
    label_pages = PdfReader(io.BytesIO(labels(texts))).pages
    writer = PdfWriter()
    forms = {}
    for (index, grid, row, column), label_page in zip(plans, label_pages, strict=True):
        page = reader.pages[index]
        if index not in forms:
            forms[index] = make_form(writer, page, keep_bleed=False)
        label = make_form(writer, label_page, keep_bleed=False)
        sheet_width, sheet_height = PAPERS[options.sheet].oriented(grid.landscape)
        sheet = writer.add_blank_page(sheet_width, sheet_height)
        margin = options.margin_mm * MM
        x0, _, _, y1 = forms[index].box
        left = x0 + column * grid.step[0]
        bottom = y1 - row * grid.step[1] - grid.printable[1]
        operators = [
            f"q {margin:.3f} {margin:.3f} {grid.printable[0]:.3f} {grid.printable[1]:.3f} re W n",
            f"1 0 0 1 {margin - left:.3f} {margin - bottom:.3f} cm /Poster Do Q",
            f"q 1 0 0 1 {margin + 1 * MM:.3f} {margin + MARK + 1 * MM:.3f} cm /Label Do Q",  # above the marks
        ]
        if options.marks:
            operators += _alignment_marks(grid, row, column, margin, options.overlap_mm * MM)
        content = DecodedStreamObject()
        content.set_data("\n".join(operators).encode("ascii"))
        sheet[NameObject("/Contents")] = writer._add_object(content.flate_encode())
        xobjects = {NameObject("/Poster"): forms[index].reference, NameObject("/Label"): label.reference}
        sheet[NameObject("/Resources")] = DictionaryObject({NameObject("/XObject"): DictionaryObject(xobjects)})
    return compact_writer(writer)


def _alignment_marks(grid: TileGrid, row: int, column: int, margin: float, overlap: float) -> list[str]:
    """Short lines where the neighbouring sheets' edges land: trim one sheet there and glue it on the other."""
    width, height = grid.printable
    xs = ([margin + overlap] if column > 0 else []) + ([margin + width - overlap] if column < grid.columns - 1 else [])
    ys = ([margin + height - overlap] if row > 0 else []) + ([margin + overlap] if row < grid.rows - 1 else [])
    lines = []
    for x in xs:
        lines += [(x, margin, x, margin + MARK), (x, margin + height, x, margin + height - MARK)]
    for y in ys:
        lines += [(margin, y, margin + MARK, y), (margin + width, y, margin + width - MARK, y)]
    return ["q 0.5 w 0 0 0 1 K"] + [f"{a:.3f} {b:.3f} m {c:.3f} {d:.3f} l S" for a, b, c, d in lines] + ["Q"]


TILE_INSTRUCTIONS = "print at 100 % (actual size), trim along the marks, glue the sheets in the order of their labels"


def label_maker(layouts_dir: Path, readable_dirs: list[Path], fonts_dir: Path) -> Callable[[list[str]], bytes]:
    """Labels for tiles, set by WeasyPrint with the project's fonts (one small page per label)."""

    def labels(texts: list[str]) -> bytes:
        html = render_template("poster/labels.html", layouts_dir, labels=texts)
        layout = lay_out(
            html, base_url=layouts_dir.resolve().as_uri() + "/", allowed_dirs=readable_dirs, fonts_dir=fonts_dir
        )
        return write_pdf(layout)

    return labels
