"""The EPUB's cover image: the pamphlet's own front cover, laid out by WeasyPrint and drawn by pdfium as a PNG.

Why not a picture drawn apart from the title and slogan: the book's cover is then the cover people know from
the paper, in its design (samizdat.yaml's `cover:`), its type and its language, with nothing to keep in step.
Only the cover page is wanted, so the pamphlet is laid out with an empty text (a fraction of a second).
"""

from __future__ import annotations

import io
from dataclasses import replace

import pypdfium2
from markupsafe import Markup

from samizdat.config import Config
from samizdat.content import Document
from samizdat.covers import cover_for
from samizdat.errors import RenderError
from samizdat.fonts import font_timestamps_pinned
from samizdat.html import render_html
from samizdat.project import Project

#: The cover's height in pixels: what e-reader shops ask for (1,600 px or more), sharp on a tablet.
COVER_HEIGHT = 1600


def cover_png(document: Document, project: Project, config: Config, date: str | None) -> bytes:
    """The front cover of the A5 pamphlet as a PNG, COVER_HEIGHT pixels high (the same bytes every time)."""
    from samizdat.pdf import lay_out  # not at the top: WeasyPrint is loaded only by a build that renders

    empty = replace(document, body_html=Markup(""), links_to=())
    html = render_html(
        empty, "pamphlet/pamphlet.html", project.layouts_dir, variant="screen", date=document.date or date,
        cover=cover_for(document, config.cover, config.url),
    )  # fmt: skip
    layout = lay_out(html, base_url=document.source.resolve().as_uri(), allowed_dirs=project.readable_dirs,
                     fonts_dir=project.fonts_dir)  # fmt: skip
    if layout.missing:
        raise RenderError(f"the cover needs {layout.missing[0]}, which is missing", document.source)
    with font_timestamps_pinned():  # without HarfBuzz-Subset, fontTools reads SOURCE_DATE_EPOCH (an empty one too)
        pdf = layout.document.copy(layout.document.pages[:1]).write_pdf()
    try:
        page = pypdfium2.PdfDocument(pdf)[0]
        image = page.render(scale=COVER_HEIGHT / page.get_height()).to_pil()
    except pypdfium2.PdfiumError as error:
        raise RenderError(f"the cover could not be drawn ({error})", document.source) from None
    output = io.BytesIO()
    image.convert("RGB").save(output, format="PNG", optimize=True)
    return output.getvalue()
