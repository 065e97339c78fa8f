"""How much one fetched file may cost WeasyPrint: its size, a picture's pixels, an SVG's drawing once expanded.

Pictures come from content and layouts, which are untrusted. A 300-byte SVG
of nested `<use>` elements asks for billions of shapes (WeasyPrint then runs
for ever), a 1 KB PNG can claim 50,000 × 50,000 pixels (gigabytes once
decoded), and `height="nan"` gives a PDF that readers reject. Each is
measured here before WeasyPrint sees it, and refused with the limit it hit.
"""

from __future__ import annotations

import io
import re
import warnings
from xml.etree import ElementTree
from xml.parsers import expat

from PIL import Image

#: The largest file WeasyPrint may read: far above any picture, stylesheet or font a leaflet needs.
MAX_BYTES = 20 * 1024 * 1024
#: The most pixels a raster picture may have: an A2 poster at 300 ppi is 35 million.
MAX_PIXELS = 50_000_000
#: The most shapes an SVG may draw once every `<use>` is expanded (samizdat's QR codes draw a few).
MAX_SVG_SHAPES = 20_000
#: The deepest an SVG's elements may nest.
MAX_SVG_DEPTH = 64
#: The largest coordinate or size an SVG may write (in its own units).
MAX_SVG_NUMBER = 1e7

XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
NUMERIC = {
    "width", "height", "x", "y", "x1", "y1", "x2", "y2", "cx", "cy", "r", "rx", "ry", "dx", "dy",
    "viewBox", "transform", "points", "d", "stroke-width", "font-size", "offset", "opacity", "style",
}  # fmt: skip
NOT_FINITE = re.compile(r"(?<![a-z])[-+]?(nan|inf(inity)?)(?![a-z])", re.IGNORECASE)
NUMBER = re.compile(r"[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?", re.IGNORECASE)


class TooCostly(ValueError):
    """A fetched file over one of the limits; its message names the limit."""


def check_resource(data: bytes) -> None:
    """Raise TooCostly if `data`, used as a picture, would cost WeasyPrint more than the limits allow."""
    if len(data) > MAX_BYTES:
        raise TooCostly(f"{len(data) / 2**20:.0f} MB, over the limit of {MAX_BYTES // 2**20} MB for one file")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        try:
            width, height = Image.open(io.BytesIO(data)).size
        except Image.DecompressionBombError as error:  # Pillow's own limit, at twice its warning
            claimed = re.search(r"\((\d+) pixels\)", str(error))
            raise TooCostly(
                f"a picture of {int(claimed.group(1)) if claimed else 0:,} pixels, over the limit of {MAX_PIXELS:,}"
            ) from None
        except (OSError, ValueError, SyntaxError):  # not a raster picture: perhaps an SVG, in any encoding XML has
            return check_svg(data)
    if width * height > MAX_PIXELS:
        raise TooCostly(f"a picture of {width:,} × {height:,} pixels, over the limit of {MAX_PIXELS:,} pixels")
    return None


def check_svg(data: bytes) -> None:
    """Refuse entity declarations, deep nesting, non-finite or huge numbers, and too many shapes once expanded.

    The XML is read by expat, as WeasyPrint's ElementTree reads it (UTF-8,
    UTF-16 and the rest), so a declaration cannot hide behind an encoding.
    """
    declarations = expat.ParserCreate()

    def refuse(*_: object) -> None:
        raise TooCostly("an SVG with a DOCTYPE or entity declarations, which samizdat does not expand")

    declarations.StartDoctypeDeclHandler = declarations.EntityDeclHandler = refuse
    try:
        declarations.Parse(data, True)
        root = ElementTree.fromstring(data)
    except TooCostly:
        raise
    except (expat.ExpatError, ElementTree.ParseError, ValueError):
        return  # not XML: WeasyPrint cannot draw it either, and says so
    ids = {element.get("id"): element for element in root.iter() if element.get("id")}
    for element in root.iter():
        _check_numbers(element)
    _Expansion(ids).cost(root, 0)


def _check_numbers(element: ElementTree.Element) -> None:
    for name, value in element.attrib.items():
        if name not in NUMERIC:
            continue
        if NOT_FINITE.search(value):
            raise TooCostly(f'an SVG whose {name} is not a number ({name}="{value[:40]}")')
        if name != "style" and any(abs(float(match.group())) > MAX_SVG_NUMBER for match in NUMBER.finditer(value)):
            raise TooCostly(f'an SVG whose {name} is beyond ±{MAX_SVG_NUMBER:,.0f} ({name}="{value[:40]}")')


class _Expansion:
    """The number of shapes an SVG draws with every `<use>` replaced by what it refers to."""

    def __init__(self, ids: dict[str, ElementTree.Element]) -> None:
        self.ids, self.costs, self.open = ids, {}, set()

    def cost(self, element: ElementTree.Element, depth: int) -> int:
        if depth > MAX_SVG_DEPTH:
            raise TooCostly(f"an SVG nested more than {MAX_SVG_DEPTH} levels deep (elements and <use> together)")
        if id(element) in self.costs:
            return self.costs[id(element)]
        if id(element) in self.open:
            raise TooCostly("an SVG whose <use> refers to itself")
        self.open.add(id(element))
        total = 1 + sum(self.cost(child, depth + 1) for child in element)
        if element.tag.rsplit("}", 1)[-1] == "use":
            href = element.get("href") or element.get(XLINK_HREF) or ""
            if href and not href.startswith("#"):
                raise TooCostly("an SVG whose <use> draws from another file")
            if href[1:] in self.ids:
                total += self.cost(self.ids[href[1:]], depth + 1)
        self.open.discard(id(element))
        if total > MAX_SVG_SHAPES:
            raise TooCostly(f"an SVG of more than {MAX_SVG_SHAPES:,} shapes once its <use> elements are expanded")
        self.costs[id(element)] = total
        return total
