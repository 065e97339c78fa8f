"""Tile stage: a large page split onto the fewest small sheets, with overlap, alignment marks and labels.

Like pdfposter: each sheet shows one rectangle of the poster at full size,
inside the margin a home printer cannot print; neighbouring rectangles overlap
so that the sheets can be trimmed along the marks and glued. Each sheet says
where it goes ("row 2 / column 3").
"""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

from pypdf import PageObject, PdfReader, PdfWriter
from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

from samizdat.catalogue import KINDS
from samizdat.errors import LayoutError, SamizdatError
from samizdat.html import render_template
from samizdat.impose.plan import TILE_INSTRUCTIONS, TILE_SHEETS, TileGrid, TileOptions, tile_grid
from samizdat.layers import layout_layers
from samizdat.mark import mark
from samizdat.paper import MM, PAPERS
from samizdat.pdf import lay_out, write_pdf
from samizdat.pdfio.forms import add_object, carry_over, make_form
from samizdat.pdfio.pack import compact_writer
from samizdat.pdfio.read import Source, SourcePage, read_source

MARK = 5 * MM
#: The template of the tiles' labels, one page per label (samizdat.contexts declares what it is given).
LABELS = "poster/labels.html"
#: A poster of 20 × 25 A4 sheets is a wall (5 × 7 m); more is a mistake in the file, and would take minutes and GBs.
MAX_SHEETS = 500


def tile(source: bytes, options: TileOptions, labels: Callable[[list[str]], bytes], name: str = "the PDF") -> bytes:
    """Every page of `source` tiled onto sheets; `labels` renders the label texts as one PDF page each."""
    if options.sheet not in TILE_SHEETS:
        raise SamizdatError(f"unknown sheet '{options.sheet}': choose one of {', '.join(TILE_SHEETS)}")
    pdf = read_source(source, name)
    reader = pdf.reader
    plans = tile_plans(pdf, options, name)
    many = len(reader.pages) > 1
    texts = [f"row {r + 1} / column {c + 1}" + (f" of page {i + 1}" if many else "") for i, _, r, c in plans]
    label_pages = PdfReader(io.BytesIO(labels(texts))).pages
    writer = PdfWriter()
    carry_over(reader, writer, {"/Subject": f"To print: {TILE_INSTRUCTIONS}"}, mark(KINDS["tiled"].name, options.sheet))
    forms = {}
    for (index, grid, row, column), label_page in zip(plans, label_pages, strict=True):
        page = reader.pages[index]
        if index not in forms:
            forms[index] = make_form(writer, page, pdf.pages[index], keep_bleed=False)
        label = make_form(writer, label_page, label_spec(label_page), keep_bleed=False)
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
        sheet[NameObject("/Contents")] = add_object(writer, content.flate_encode())
        xobjects = {NameObject("/Poster"): forms[index].reference, NameObject("/Label"): label.reference}
        sheet[NameObject("/Resources")] = DictionaryObject({NameObject("/XObject"): DictionaryObject(xobjects)})
    return compact_writer(writer)


def tile_plans(pdf: Source, options: TileOptions, name: str) -> list[tuple[int, TileGrid, int, int]]:
    """(page index, grid, row, column) of every sheet, in order; refused past MAX_SHEETS, before any work."""
    grids = [tile_grid(page.trim[2] - page.trim[0], page.trim[3] - page.trim[1], options) for page in pdf.pages]
    sheets = sum(grid.columns * grid.rows for grid in grids)
    if sheets > MAX_SHEETS:
        raise SamizdatError(
            f"{name} would take {sheets} {options.sheet} sheets to tile (at most {MAX_SHEETS}): its pages are "
            f"{_size(pdf.pages[0].trim)}; check the PDF's page size, or tile onto a larger --sheet"
        )
    return [
        (index, grid, row, column)
        for index, grid in enumerate(grids)
        for row in range(grid.rows)
        for column in range(grid.columns)
    ]


def label_spec(page: PageObject) -> SourcePage:
    """The boxes of a label page, which samizdat made itself."""
    box = tuple(float(v) for v in page.mediabox)
    return SourcePage(box, box, box, 0)


def _size(box: tuple[float, ...]) -> str:
    return f"{(box[2] - box[0]) / MM:.0f} × {(box[3] - box[1]) / MM:.0f} mm"


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


def label_maker(layouts_dir: Path, readable_dirs: list[Path], fonts_dir: Path) -> Callable[[list[str]], bytes]:
    """Labels for tiles, set by WeasyPrint with the project's fonts (one small page per label).

    Posters of one size get the same labels: each list of texts is set once.
    """
    made: dict[tuple[str, ...], bytes] = {}

    def labels(texts: list[str]) -> bytes:
        if tuple(texts) not in made:
            html = render_template(LABELS, layouts_dir, labels=texts)
            base_url = layouts_dir.resolve().as_uri() + "/"
            layout = lay_out(html, base_url=base_url, allowed_dirs=readable_dirs, fonts_dir=fonts_dir)
            if len(layout.document.pages) != len(texts):  # a layout is someone's code: it may set them otherwise
                template = layout_layers(layouts_dir).find(LABELS) or layouts_dir / LABELS
                raise LayoutError(
                    f"the tiles' labels template sets {len(texts)} labels on {len(layout.document.pages)} pages: "
                    "each label must be a page of its own (break-after: page), as in the built-in one",
                    template,
                )
            made[tuple(texts)] = write_pdf(layout)
        return made[tuple(texts)]

    return labels
