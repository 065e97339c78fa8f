"""The printer test sheet and the manual-duplex instruction page, set by WeasyPrint from layouts/printer-test/.

Both are the project's layouts (a designer may restyle or translate them) and
black on white only. The test sheet is two pages, the two sides of one sheet:
printed double-sided, or by hand as a manual-duplex booklet is, its side 2
says in words how the printer turned the paper, and so which setting booklets
need (`duplex` for a duplex printer, `booklet: feed, flip` by hand). Its PDF asks
the print dialog for the long-edge flip most dialogs offer first, so that what
it reports is the printer's usual setting.
"""

from __future__ import annotations

import io
from pathlib import Path

from pypdf import PdfReader, PdfWriter

from samizdat.errors import LayoutError
from samizdat.html import render_template
from samizdat.impose.manual import Separator, SeparatorMaker
from samizdat.layers import layout_layers
from samizdat.mark import mark
from samizdat.pdf import lay_out, write_pdf
from samizdat.pdfio.forms import set_viewer_preferences
from samizdat.pdfio.pack import compact_writer

TEST_SHEET = "printer-test/printer-test.html"
SEPARATOR = "printer-test/separator.html"


def test_sheet_pdf(layouts_dir: Path, readable_dirs: list[Path], fonts_dir: Path, sheet: str) -> bytes:
    """The printer test sheet on `sheet` (A4, Letter, A3): two pages, asking for the long-edge flip."""
    html = render_template(TEST_SHEET, layouts_dir, sheet=sheet)
    layout = lay_out(html, base_url=layouts_dir.resolve().as_uri() + "/", allowed_dirs=readable_dirs,
                     fonts_dir=fonts_dir)  # fmt: skip
    _refuse_pages(layouts_dir, TEST_SHEET, len(layout.document.pages), 2, "its two sides, one page each")
    data = write_pdf(layout, mark=mark("printer-test", sheet))
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    set_viewer_preferences(writer, {"/PrintScaling": "/None", "/Duplex": "/DuplexFlipLongEdge"})
    return compact_writer(writer)


def separator_maker(layouts_dir: Path, readable_dirs: list[Path], fonts_dir: Path) -> SeparatorMaker:
    """What sets a manual-duplex booklet's instruction page with the project's layouts and fonts (a one-page
    PDF the size of its sheets); each distinct page is set once."""
    made: dict[Separator, bytes] = {}

    def separator(page: Separator) -> bytes:
        if page not in made:
            html = render_template(SEPARATOR, layouts_dir, separator=page)
            layout = lay_out(html, base_url=layouts_dir.resolve().as_uri() + "/", allowed_dirs=readable_dirs,
                             fonts_dir=fonts_dir)  # fmt: skip
            _refuse_pages(layouts_dir, SEPARATOR, len(layout.document.pages), 1, "one page")
            made[page] = write_pdf(layout)
        return made[page]

    return separator


def _refuse_pages(layouts_dir: Path, template: str, pages: int, wanted: int, what: str) -> None:
    """A layout is someone's code: it may set more pages than the printer's sheets can take."""
    if pages != wanted:
        raise LayoutError(
            f"{template} sets {pages} page{'s' * (pages != 1)}; it must set {what}: shorten its words or set them "
            "smaller",
            layout_layers(layouts_dir).find(template) or layouts_dir / template,
        )
