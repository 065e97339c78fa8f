"""What a build's worker keeps warm between its renders (samizdat.pdf): WeasyPrint's fonts and pictures.

A worker lives for one build (samizdat.workers), so what it shares can never
outlive the inputs it was made from; samizdat.fonts.warm() says whether this
process is such a worker. Any other process makes each render afresh.
"""

from __future__ import annotations

import os
import re

from weasyprint.text.fonts import FontConfiguration

from samizdat.fonts import fonts_stamp, warm
from samizdat.layers import Layers


def font_configuration(html: str, fonts: Layers) -> FontConfiguration:
    """A new FontConfiguration; in a warm worker (samizdat.fonts.warm), the one its earlier renders with the same
    stylesheets and fonts made, with their @font-face faces loaded and Pango's fonts and shapes cached.

    WeasyPrint skips a face whose descriptors (family, style, URL...) it has
    stored already, so a shared configuration must never see a face another
    render's stylesheets declare (the pamphlet's and a poster's may differ),
    nor a font file changed since: it is keyed by the stylesheets the HTML
    links, the faces it declares itself, the Fontconfig file, and the size and
    time of every font file. A worker lives for one build.
    """
    if not warm():
        return FontConfiguration()
    key = (os.environ.get("FONTCONFIG_FILE", ""), fonts_stamp(fonts), tuple(STYLESHEET.findall(html)),
           tuple(FONT_FACE.findall(html)))  # fmt: skip
    if key not in _FONT_CONFIGURATIONS:
        if len(_FONT_CONFIGURATIONS) >= 4:  # a worker makes a pamphlet's and posters' at most: old keys go
            _FONT_CONFIGURATIONS.pop(next(iter(_FONT_CONFIGURATIONS)))
        _FONT_CONFIGURATIONS[key] = FontConfiguration()
    return _FONT_CONFIGURATIONS[key]


#: The stylesheets an HTML page links, and the @font-face rules it holds itself: what its fonts are drawn from.
STYLESHEET = re.compile(r"<link\b[^>]*\bhref=\"([^\"]*)\"", re.IGNORECASE)
FONT_FACE = re.compile(r"@font-face\s*\{[^}]*\}", re.IGNORECASE)
_FONT_CONFIGURATIONS: dict[tuple, FontConfiguration] = {}


class _FoundImages(dict):
    """WeasyPrint's image cache (its `cache` option), holding only the images it loaded: a picture that failed
    is fetched again by the next render, so that its fetcher reports it (samizdat.fetch) for that layout too."""

    def __setitem__(self, url: str, image: object) -> None:
        if image is not None:
            super().__setitem__(url, image)


#: The pictures a warm worker has loaded, by URL (each checked by samizdat.resource_limits when it was fetched).
_IMAGES = _FoundImages()


def image_cache() -> dict:
    """WeasyPrint's `cache` option: the worker's pictures when it is warm, else a cache of the render's own."""
    return _IMAGES if warm() else {}
