"""A separation's sheet: the drum's name written in its slug, and the check that nothing in it is transparent.

The name is drawn as the outlines of Noto Sans Bold's letters (fontTools), not
as text: the slug carries no font, so nothing in it can be missing or need
embedding, and the same name gives the same bytes. It stands 7 mm below the
trim, left of the bottom registration cross, on every page.
"""

from __future__ import annotations

import io
from functools import lru_cache

from fontTools.pens.basePen import BasePen
from fontTools.ttLib import TTFont
from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, ContentStream, DecodedStreamObject, DictionaryObject, NameObject

from samizdat.layers import BUILTIN_FONTS
from samizdat.paper import MM
from samizdat.pdfio.forms import add_object
from samizdat.pdfio.pack import compact_writer

LABEL_FONT = BUILTIN_FONTS / "noto-sans" / "NotoSans-Bold.ttf"
LABEL_PT = 7.0
LABEL_DROP = 7 * MM  # the baseline's distance below the trim
LABEL_INDENT = 12 * MM  # from the trim's left edge: clear of the crop marks
MAX_DEPTH = 8  # forms inside forms, as deep as a transparency is looked for


class _PathPen(BasePen):
    """A glyph's outline as PDF path operators, scaled and moved to where the glyph stands."""

    def __init__(self, glyphs: object, scale: float, x: float, y: float) -> None:
        super().__init__(glyphs)
        self.scale, self.x, self.y, self.ops = scale, x, y, []

    def _point(self, point: tuple[float, float]) -> str:
        return f"{self.x + point[0] * self.scale:.2f} {self.y + point[1] * self.scale:.2f}"

    def _moveTo(self, point: tuple[float, float]) -> None:  # noqa: N802 (fontTools' names)
        self.ops.append(f"{self._point(point)} m")

    def _lineTo(self, point: tuple[float, float]) -> None:  # noqa: N802
        self.ops.append(f"{self._point(point)} l")

    def _curveToOne(self, one: tuple, two: tuple, three: tuple) -> None:  # noqa: N802
        self.ops.append(f"{self._point(one)} {self._point(two)} {self._point(three)} c")

    def _closePath(self) -> None:  # noqa: N802
        self.ops.append("h")


@lru_cache(maxsize=1)
def _font() -> TTFont:
    return TTFont(LABEL_FONT)


def outlined(text: str, x: float, y: float, size: float = LABEL_PT) -> bytes:
    """`text` as filled black outlines with its baseline starting at (x, y), in points; letters the face lacks
    are left out."""
    font = _font()
    glyphs, cmap, metrics = font.getGlyphSet(), font.getBestCmap(), font["hmtx"].metrics
    scale, ops = size / font["head"].unitsPerEm, ["q", "0 g"]
    for character in text:
        name = cmap.get(ord(character))
        if name is None:
            continue
        pen = _PathPen(glyphs, scale, x, y)
        glyphs[name].draw(pen)
        ops += [*pen.ops, "f"] if pen.ops else []
        x += metrics[name][0] * scale
    return "\n".join([*ops, "Q"]).encode()


def labelled(data: bytes, label: str) -> bytes:
    """The separation with `label` (its drum, its document) and the page number in the slug of every page."""
    reader = PdfReader(io.BytesIO(data))
    writer = PdfWriter(clone_from=reader)
    for number, page in enumerate(writer.pages, start=1):
        trim = page.trimbox
        parts = [_stream(writer, b"q"), *_contents(page), _stream(writer, b"Q")]
        text = f"{label} — page {number} of {len(writer.pages)}"
        parts.append(_stream(writer, outlined(text, float(trim.left) + LABEL_INDENT, float(trim.bottom) - LABEL_DROP)))
        page[NameObject("/Contents")] = ArrayObject(parts)
    return compact_writer(writer)


def _contents(page: DictionaryObject) -> list:
    """The page's content streams, as references (one, or an array of them)."""
    contents = page.get("/Contents")
    if contents is None:
        return []
    resolved = contents.get_object()
    return list(resolved) if isinstance(resolved, ArrayObject) else [contents]


def _stream(writer: PdfWriter, data: bytes) -> object:
    stream = DecodedStreamObject()
    stream.set_data(data)
    return add_object(writer, stream.flate_encode())


def transparency(data: bytes) -> list[int]:
    """The pages (1-based) that paint anything transparent: a graphics state with a soft mask, an alpha
    between 0 and 1 or a blend mode, an image with a soft mask; only what the page's content uses (WeasyPrint
    shares one set of resources between pages). A riso's master is ink or paper: it cannot print "half there"."""
    reader = PdfReader(io.BytesIO(data))
    return [number for number, page in enumerate(reader.pages, start=1)
            if _transparent(page.get_contents(), page.get("/Resources"), reader, 0)]  # fmt: skip


def _transparent(contents: object, resources: object, reader: PdfReader, depth: int) -> bool:
    resources = resources.get_object() if resources is not None else None
    if contents is None or not isinstance(resources, DictionaryObject) or depth > MAX_DEPTH:
        return False
    states = (resources.get("/ExtGState") or DictionaryObject()).get_object()
    xobjects = (resources.get("/XObject") or DictionaryObject()).get_object()
    for operands, operator in ContentStream(contents, reader).operations:
        if operator == b"gs" and operands and operands[0] in states and _see_through(states[operands[0]].get_object()):
            return True
        if operator == b"Do" and operands and operands[0] in xobjects:
            xobject = xobjects[operands[0]].get_object()
            if "/SMask" in xobject or (xobject.get("/Subtype") == "/Form" and _transparent(
                    xobject, xobject.get("/Resources"), reader, depth + 1)):  # fmt: skip
                return True
    return False


def _see_through(state: DictionaryObject) -> bool:
    """A graphics state that makes what follows partly transparent (an alpha of 0 paints nothing: not that)."""
    if state.get("/SMask", "/None") != "/None" or state.get("/BM", "/Normal") not in ("/Normal", "/Compatible"):
        return True
    return any(0 < float(state.get(alpha, 1)) < 1 for alpha in ("/ca", "/CA"))
