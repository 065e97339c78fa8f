"""WeasyPrint's laid-out pages as samizdat measures them: the one place that reaches past its public API.

WeasyPrint's public `Page` gives sizes, bleed and anchors but not the box tree
that samizdat measures (paragraph lines, running heads, tables, poster slogans)
nor the name of each page's @page rule (covers); both are private there.
"""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # WeasyPrint loads only when pages are measured: the config (covers, notes) imports this module
    from weasyprint.formatting_structure.boxes import PageBox


def page_box(page: object) -> PageBox:
    """The root of a laid-out page's box tree (its margin boxes, then the flow)."""
    # Private: weasyprint.document.Page keeps its box tree as _page_box; there is no public accessor.
    return page._page_box  # noqa: SLF001


def page_type_name(page: object) -> str:
    """The name of the @page rule a laid-out page was set with ("back-cover"), empty for an unnamed page."""
    return page_box(page).page_type.name


def font_style_key(style: object) -> str:
    """What identifies a text style's font and its features, size included, as WeasyPrint caches fonts by it."""
    # Private: WeasyPrint's own cache key (text.line_break); public API gives no identity of a resolved font.
    from weasyprint.text.line_break import _font_style_cache_key

    return _font_style_cache_key(style, include_size=True)


#: The names this module gave: a warm worker's cached picture is named once.
_NAMED: set[str] = set()


def name_pictures_by_content(cache: dict) -> None:
    """Name each raster picture of a render after its bytes, not after its URL as WeasyPrint does (the md5 of the
    absolute file: URL, which names the PDF's /i… image XObject): the same project built in another folder then
    gives the same bytes, as `verify --rebuild`, which builds in a temporary folder, needs."""
    # Private: the render's `cache` maps each picture's URL to its Image; RasterImage.id and image_data (its bytes,
    # read lazily) are attributes without an accessor; `id` is read only when the pages are drawn (write_pdf).
    from weasyprint.images import RasterImage

    for image in list(cache.values()):
        if isinstance(image, RasterImage) and image.id not in _NAMED:
            image.id = hashlib.sha256(image.image_data.data).hexdigest()[:32]
            _NAMED.add(image.id)
