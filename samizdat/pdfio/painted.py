"""The colours a PDF paints, page by page, read from its content streams: what a copier (or a riso drum) gets.

Every operation that leaves a mark is followed with the colour it paints in: text (in its render mode's fill
or stroke colour), filled and stroked paths, images (their pixels, decoded), stencil masks (the fill colour),
shadings, and opacity below 1 (black at half opacity prints as a grey). Forms are followed into, each
time they are placed. Colours are named as people read them: "RGB 0 0 0", "CMYK 0 0 0 1", "Gray 0.5".
Only pypdf's public API is used.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from PIL import Image
from pypdf import PageObject, PdfReader
from pypdf.generic import ArrayObject, ContentStream, DecodedStreamObject, DictionaryObject, NameObject, StreamObject

from samizdat.pdfio.damage import READ_ERRORS

#: How many components each family of colour space has, and its name for people.
FAMILIES = {"/DeviceGray": ("Gray", 1), "/DeviceRGB": ("RGB", 3), "/DeviceCMYK": ("CMYK", 4)}
ICC = {1: ("Gray", 1), 3: ("RGB", 3), 4: ("CMYK", 4)}
#: Pure black and pure white in each family: K = 100 % alone in CMYK.
PURE = {"Gray": ((0.0,), (1.0,)), "RGB": ((0.0,) * 3, (1.0,) * 3), "CMYK": ((0, 0, 0, 1.0), (0.0,) * 4)}
#: Operators that paint the current path: with the fill colour, the stroke colour, or both.
FILLS, STROKES = {b"f", b"F", b"f*", b"B", b"B*", b"b", b"b*"}, {b"S", b"s", b"B", b"B*", b"b", b"b*"}
TEXT_SHOWING = {b"Tj", b"TJ", b"'", b'"'}
#: The strings a page shows: no colour there, and most of pypdf's parsing time; emptied before parsing.
STRINGS = re.compile(rb"<[0-9A-Fa-f\s]+>|\((?:[^()\\]|\\.)*\)", re.DOTALL)
#: The largest picture decoded to see its colours (a 600 ppi A4 page is 35 million pixels).
MAX_PIXELS = 40_000_000
#: Forms inside forms deeper than this are not followed (a form that places itself would never end).
MAX_DEPTH = 12


@dataclass
class PagePaint:
    """What one page paints: each colour with the uses it was painted for, and what is not a plain colour."""

    colours: dict[str, set[str]] = field(default_factory=dict)  # "RGB 0 0 0" → {"text", "fill"}
    others: list[str] = field(default_factory=list)  # "a shading", "an image in colour (/Im3)", "black at 50 %"

    def add(self, colour: str, use: str) -> None:
        self.colours.setdefault(colour, set()).add(use)


@dataclass
class _State:
    """The graphics state the walk follows: the colours (family name and components), opacity, text mode."""

    fill: tuple[str, tuple[float, ...]] = ("Gray", (0.0,))
    stroke: tuple[str, tuple[float, ...]] = ("Gray", (0.0,))
    fill_alpha: float = 1.0
    stroke_alpha: float = 1.0
    text_mode: int = 0

    def copy(self) -> _State:
        return _State(self.fill, self.stroke, self.fill_alpha, self.stroke_alpha, self.text_mode)


def painted(reader: PdfReader) -> list[PagePaint]:
    """What each page of `reader` paints, in page order."""
    return [page_paint(page, reader) for page in reader.pages]


def page_paint(page: PageObject, reader: PdfReader) -> PagePaint:
    """What one page paints."""
    found = PagePaint()
    content = page.get_contents()
    if content is not None:
        _walk(content, _resources(page.get("/Resources")), reader, _State(), found, 0)
    return found


def is_pure(colour: str) -> bool:
    """Whether a colour as painted() names it is pure black or pure white.

    >>> is_pure("RGB 0 0 0"), is_pure("CMYK 0 0 0 1"), is_pure("Gray 0.5"), is_pure("CMYK 0.5 0.4 0.4 1")
    (True, True, False, False)
    """
    family, *values = colour.split()
    try:
        return family in PURE and tuple(float(value) for value in values) in PURE[family]
    except ValueError:  # a colour space's own name with a space in it (written /RGB#20x)
        return False


def colour_name(family: str, components: tuple[float, ...]) -> str:
    """ "RGB 0.702 0.082 0.114": three decimals, no trailing zeros."""
    return " ".join([family, *(f"{value:.3f}".rstrip("0").rstrip(".") or "0" for value in components)])


def _walk(
    content: ContentStream, resources: DictionaryObject, reader: PdfReader, state: _State, found: PagePaint,
    depth: int,
) -> None:  # fmt: skip
    """Follow one content stream's operations, recording every mark made and the colour it is made in."""
    stack: list[_State] = []
    for operands, operator in _parsed(content, reader).operations:
        if operator == b"q":
            stack.append(state.copy())
        elif operator == b"Q" and stack:
            state = stack.pop()
        elif operator in SETTERS:
            SETTERS[operator](state, operands, resources)
        elif operator == b"gs" and operands and isinstance(operands[0], NameObject):
            _graphics_state(state, _resources(_resources(resources.get("/ExtGState")).get(operands[0])), found)
        elif operator == b"Tr" and operands:
            state.text_mode = int(operands[0]) if isinstance(operands[0], int) else state.text_mode
        else:
            _mark(operator, operands, resources, reader, state, found, depth)


def _mark(
    operator: bytes, operands: list, resources: DictionaryObject, reader: PdfReader, state: _State,
    found: PagePaint, depth: int,
) -> None:  # fmt: skip
    """Record what one painting operation paints."""
    if operator in FILLS:
        _paint(found, state.fill, state.fill_alpha, "fill")
    if operator in STROKES:
        _paint(found, state.stroke, state.stroke_alpha, "stroke")
    if operator in TEXT_SHOWING and state.text_mode in (0, 2, 4, 6):
        _paint(found, state.fill, state.fill_alpha, "text")
    if operator in TEXT_SHOWING and state.text_mode in (1, 2, 5, 6):
        _paint(found, state.stroke, state.stroke_alpha, "text")
    if operator == b"sh":
        found.others.append("a shading (a gradient)")
    elif operator == b"INLINE IMAGE":
        found.others.append("an inline image")
    elif operator == b"Do" and operands and isinstance(operands[0], NameObject):
        thing = _resources(resources.get("/XObject")).get(operands[0])
        thing = thing.get_object() if thing is not None else None
        if isinstance(thing, StreamObject) and thing.get("/Subtype") == "/Image":
            _image(thing, state, found)
        elif isinstance(thing, StreamObject) and thing.get("/Subtype") == "/Form" and depth < MAX_DEPTH:
            own = _resources(thing.get("/Resources")) or resources
            _walk(ContentStream(thing, reader), own, reader, state.copy(), found, depth + 1)


def _paint(found: PagePaint, colour: tuple[str, tuple[float, ...]], alpha: float, use: str) -> None:
    family, components = colour
    if family == "Pattern":
        found.others.append(f"a pattern or gradient ({use})")
        return
    name = colour_name(family, components)
    found.add(name, use)
    if alpha < 1 and family in PURE and name != colour_name(family, PURE[family][1]):
        found.others.append(f"{name} at {alpha:.0%} opacity ({use}), which prints as a grey")


def _image(image: StreamObject, state: _State, found: PagePaint) -> None:
    """An image: a stencil mask paints the fill colour; other images, their pixels (decoded with Pillow). An
    image is named by its size in pixels, which its author knows it by."""
    if image.get("/ImageMask"):
        _paint(found, state.fill, state.fill_alpha, "image mask")
        return
    name = f"{image.get('/Width', '?')} × {image.get('/Height', '?')} px"
    if "/SMask" in image:
        found.others.append(f"a picture with transparency ({name})")
    width, height = (image.get(key) for key in ("/Width", "/Height"))
    if not (isinstance(width, int) and isinstance(height, int) and 0 < width * height <= MAX_PIXELS):
        found.others.append(f"a picture too large to check ({name})")
        return
    try:
        pixels = image.decode_as_image().convert("RGB")
    except (*READ_ERRORS, OSError, Image.DecompressionBombError) as error:  # what pypdf or Pillow cannot decode
        found.others.append(f"a picture that cannot be decoded ({name}: {str(error)[:80]})")
        return
    colours = pixels.getcolors(maxcolors=2)
    if colours is None or any(colour not in ((0, 0, 0), (255, 255, 255)) for _, colour in colours):
        found.others.append(f"a picture in grey or colour ({name})")
        return
    for _, colour in colours:
        found.add(colour_name("RGB", tuple(value / 255 for value in colour)), "image")


def _graphics_state(state: _State, settings: DictionaryObject, found: PagePaint) -> None:
    """An ExtGState's opacity (ca, CA) and soft mask."""
    state.fill_alpha = next(iter(_numbers([settings.get("/ca")])), state.fill_alpha)
    state.stroke_alpha = next(iter(_numbers([settings.get("/CA")])), state.stroke_alpha)
    if settings.get("/SMask", "/None") != "/None":
        found.others.append("a soft mask (transparency)")


def _space(value: object, resources: DictionaryObject) -> tuple[str, int]:
    """A colour space operand as (family for people, number of components); ("Pattern", 0) for patterns."""
    value = value.get_object() if hasattr(value, "get_object") else value
    if isinstance(value, NameObject):
        if value in FAMILIES:
            return FAMILIES[value]
        named = _resources(resources.get("/ColorSpace")).get(value)
        if named is None:
            return ("Pattern", 0) if value == "/Pattern" else (str(value).lstrip("/"), 0)
        return _space(named, DictionaryObject())  # a name for a space: once, never a name for a name
    if isinstance(value, ArrayObject) and value:
        family = value[0]
        if family == "/ICCBased" and len(value) > 1:
            channels = _resources(value[1]).get("/N", 0)
            return ICC.get(channels if isinstance(channels, int) else 0, ("ICCBased", 0))
        return ("Pattern", 0) if family == "/Pattern" else (str(family).lstrip("/"), 0)
    return ("unknown", 0)


def _set_space(which: str) -> object:
    def set_space(state: _State, operands: list, resources: DictionaryObject) -> None:
        family, count = _space(operands[0], resources) if operands else ("unknown", 0)
        initial = PURE[family][0] if family in PURE else ()
        setattr(state, which, (family, initial if count else ()))  # a device space starts black

    return set_space


def _set_components(which: str) -> object:
    def set_components(state: _State, operands: list, resources: DictionaryObject) -> None:
        family = getattr(state, which)[0]
        numbers = _numbers(operands)
        setattr(state, which, (family, numbers) if not operands or not isinstance(operands[-1], NameObject)
                else ("Pattern", ()))  # fmt: skip

    return set_components


def _set_device(which: str, family: str) -> object:
    def set_device(state: _State, operands: list, resources: DictionaryObject) -> None:
        setattr(state, which, (family, _numbers(operands)))

    return set_device


SETTERS = {
    b"cs": _set_space("fill"), b"CS": _set_space("stroke"),
    b"sc": _set_components("fill"), b"scn": _set_components("fill"),
    b"SC": _set_components("stroke"), b"SCN": _set_components("stroke"),
    b"g": _set_device("fill", "Gray"), b"G": _set_device("stroke", "Gray"),
    b"rg": _set_device("fill", "RGB"), b"RG": _set_device("stroke", "RGB"),
    b"k": _set_device("fill", "CMYK"), b"K": _set_device("stroke", "CMYK"),
}  # fmt: skip


def _parsed(content: ContentStream, reader: PdfReader) -> ContentStream:
    """The stream with the strings it shows emptied (their bytes paint no colour), unless it holds an inline
    image, whose bytes could look like a string."""
    data = content.get_data()
    if re.search(rb"\bBI\b", data):
        return content
    stripped = DecodedStreamObject()
    stripped.set_data(STRINGS.sub(b"()", data))
    return ContentStream(stripped, reader)


def _numbers(operands: list) -> tuple[float, ...]:
    """The operands that are numbers (a hostile file may give a name or a string where one belongs)."""
    values = (value.get_object() if hasattr(value, "get_object") else value for value in operands)
    return tuple(float(value) for value in values if isinstance(value, (int, float)) and not isinstance(value, bool))


def _resources(value: object) -> DictionaryObject:
    value = value.get_object() if hasattr(value, "get_object") else value
    return value if isinstance(value, DictionaryObject) else DictionaryObject()
