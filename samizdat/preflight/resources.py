"""Fonts and colour spaces, read with pypdf from each page's resources and content streams, forms included.

Imposed and tiled PDFs place whole pages as Form XObjects, so every walk here
goes down into forms (and tiling patterns), each visited once.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from pypdf import PdfReader
from pypdf.generic import (
    ArrayObject,
    ContentStream,
    DecodedStreamObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
    StreamObject,
)

from samizdat.preflight.model import ERROR, INFO, Expectations, Finding, page_list

FONT_FILES = ("/FontFile", "/FontFile2", "/FontFile3")
#: Operators that set a colour in a device space directly.
DEVICE_OPERATORS = {
    b"rg": "DeviceRGB",
    b"RG": "DeviceRGB",
    b"k": "DeviceCMYK",
    b"K": "DeviceCMYK",
    b"g": "DeviceGray",
    b"G": "DeviceGray",
}
#: Inline images may abbreviate their colour space.
INLINE_SPACES = {"/RGB": "/DeviceRGB", "/CMYK": "/DeviceCMYK", "/G": "/DeviceGray", "/I": "/Indexed"}
ICC_CHANNELS = {1: "ICCBased Gray", 3: "ICCBased RGB", 4: "ICCBased CMYK"}
RGB_SPACES = ("DeviceRGB", "CalRGB", "ICCBased RGB")


def resolved(value: object) -> object:
    return value.get_object() if isinstance(value, IndirectObject) else value


def dictionary(value: object) -> DictionaryObject:
    """The dictionary `value` points to, or an empty one: a damaged entry reads as a missing one."""
    value = resolved(value)
    return value if isinstance(value, DictionaryObject) else DictionaryObject()


def _key(value: object) -> object:
    """What identifies a PDF object, so shared fonts and forms are looked at once."""
    return (value.idnum, value.generation) if isinstance(value, IndirectObject) else id(value)


def _entry(resources: DictionaryObject, group: str, name: object) -> object:
    """The (unresolved) entry `name` of a resource group such as /XObject, or None."""
    entries = dictionary(resources.get(group))
    return entries.raw_get(name) if isinstance(name, NameObject) and name in entries else None  # an operand: any


def _resource_tree(resources: DictionaryObject, seen: set[object]) -> Iterator[DictionaryObject]:
    """These resources, then those of every Form XObject and tiling pattern they name, each once."""
    yield resources
    for group in ("/XObject", "/Pattern"):
        for reference in dictionary(resources.get(group)).values():
            thing = resolved(reference)
            nested = isinstance(thing, StreamObject) and (
                thing.get("/Subtype") == "/Form" or thing.get("/PatternType") == 1
            )
            if nested and _key(reference) not in seen:
                seen.add(_key(reference))
                yield from _resource_tree(dictionary(thing.get("/Resources")), seen)


def check_fonts(reader: PdfReader) -> list[Finding]:
    """Every font embedded: a printer lacking it would substitute another and reflow the lines."""
    fonts: dict[object, tuple[str, bool, int]] = {}  # key → (name, embedded, first page)
    tofu: dict[str, tuple[str, int]] = {}  # font name → (characters drawn as .notdef, first page)
    for number, page in enumerate(reader.pages, 1):
        for resources in _resource_tree(dictionary(page.get("/Resources")), set()):
            for reference in dictionary(resources.get("/Font")).values():
                if _key(reference) not in fonts:
                    font = dictionary(reference)
                    fonts[_key(reference)] = (_font_name(font), _embedded(font), number)
                    if missing := notdef_characters(font):
                        tofu[_font_name(font)] = (missing, number)
    findings = [
        Finding(
            "fonts",
            ERROR,
            f"the font {name} draws {len(chars)} character{'s' * (len(chars) != 1)} as empty boxes (.notdef), "
            f"first on page {number}: {' '.join(chars[:20])}; use a font that has them",
            number,
        )
        for name, (chars, number) in tofu.items()
    ]
    findings += [
        Finding(
            "fonts",
            ERROR,
            f"the font {name} is not embedded (first used on page {number}): a printer would "
            "substitute another; embed it (WeasyPrint always does — was the PDF made or edited elsewhere?)",
            number,
        )
        for name, embedded, number in fonts.values()
        if not embedded
    ]
    names = sorted({name for name, _, _ in fonts.values()})
    return [*findings, Finding("fonts", INFO, "fonts: " + (", ".join(names) or "none"))]


def notdef_characters(font: DictionaryObject) -> str:
    """The characters a font shows as its .notdef glyph (the empty box called tofu), from its encoding CMap.

    WeasyPrint gives each character its fonts lack a code that its encoding
    CMap maps to CID 0, while ToUnicode still names the real character, so
    the text extracts fine and only the encoding tells. /Identity-H maps no
    code but 0 to CID 0, so a font with that encoding has no tofu.
    """
    encoding = resolved(font.get("/Encoding"))
    to_unicode = resolved(font.get("/ToUnicode"))
    if not isinstance(encoding, StreamObject) or not isinstance(to_unicode, StreamObject):
        return ""
    codes = [int(code, 16) for code, cid in re.findall(rb"<([0-9a-fA-F]+)>\s+(\d+)", encoding.get_data())
             if cid == b"0" and int(code, 16) != 0]  # fmt: skip
    names = {}
    for code, text in re.findall(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>", to_unicode.get_data()):
        try:
            names[int(code, 16)] = bytes.fromhex(text.decode()).decode("utf-16-be")
        except (ValueError, UnicodeDecodeError):
            continue
    return "".join(dict.fromkeys(names.get(code, "?") for code in codes))


def _font_name(font: DictionaryObject) -> str:
    """The font's BaseFont without the subset tag ("ABCDEF+Charis-SIL" → "Charis-SIL")."""
    return re.sub(r"^[A-Z]{6}\+", "", str(font.get("/BaseFont", "(unnamed)")).lstrip("/"))


def _embedded(font: DictionaryObject) -> bool:
    """Whether the font program is in the file; a Type 3 font's glyphs are drawn by the PDF itself."""
    if font.get("/Subtype") == "/Type3":
        return True
    descendants = resolved(font.get("/DescendantFonts"))
    described = [dictionary(descendant) for descendant in descendants] if isinstance(descendants, ArrayObject) else []
    descriptors = [dictionary(each.get("/FontDescriptor")) for each in [font, *described]]
    return any(name in descriptor for descriptor in descriptors for name in FONT_FILES)


def check_colour(reader: PdfReader, expect: Expectations) -> list[Finding]:
    """The colour spaces the pages paint with (an info); RGB is an error when the print profile asks for CMYK."""
    walker = _ColourWalk(reader)
    used: dict[str, list[int]] = {}
    for number, page in enumerate(reader.pages, 1):
        content = page.get_contents()
        spaces = walker.stream(content, dictionary(page.get("/Resources"))) if content is not None else set()
        for space in spaces | walker.group(page):
            used.setdefault(space, []).append(number)
    findings = [
        Finding(
            "colour",
            ERROR,
            f"{space} colour on {page_list(pages)}: the print profile asks for CMYK. samizdat makes CMYK files "
            "with `print: colour: cmyk` in samizdat.yaml, from the colour tokens; write any other colour in the "
            "layouts as a token (or device-cmyk()), and convert pictures to CMYK",
            pages[0],
        )
        for space, pages in sorted(used.items())
        if expect.cmyk and space.removeprefix("Indexed ") in RGB_SPACES
    ]
    listed = "; ".join(f"{space} ({page_list(pages)})" for space, pages in sorted(used.items()))
    return [*findings, Finding("colour", INFO, "colour spaces: " + (listed or "none"))]


class _ColourWalk:
    """Reads which colour spaces content streams use, remembering each form and pattern it has read."""

    def __init__(self, reader: PdfReader) -> None:
        self.reader = reader
        self.known: dict[object, set[str]] = {}

    def stream(self, content: ContentStream, resources: DictionaryObject) -> set[str]:
        spaces: set[str] = set()
        for operands, operator in _without_text(content, self.reader).operations:
            if operator in DEVICE_OPERATORS:
                spaces.add(DEVICE_OPERATORS[operator])
            elif operator in (b"cs", b"CS") and operands:
                spaces |= space_names(operands[0], resources)
            elif operator in (b"scn", b"SCN") and operands and isinstance(operands[-1], NameObject):
                spaces |= self.pattern(operands[-1], resources)
            elif operator == b"sh" and operands and isinstance(operands[0], NameObject):
                shading = dictionary(dictionary(resources.get("/Shading")).get(operands[0]))
                spaces |= space_names(shading.get("/ColorSpace"), resources)
            elif operator == b"Do" and operands:
                spaces |= self.xobject(_entry(resources, "/XObject", operands[0]), resources)
            elif operator == b"INLINE IMAGE":
                settings = operands["settings"]
                space = resolved(settings.get("/CS", settings.get("/ColorSpace")))
                if isinstance(space, NameObject):
                    space = NameObject(INLINE_SPACES.get(space, space))
                spaces |= space_names(space, resources)
        return spaces

    def xobject(self, reference: object, resources: DictionaryObject) -> set[str]:
        """An image's colour space, or what a form paints with (its blending space included)."""
        thing = resolved(reference)
        if not isinstance(thing, StreamObject):
            return set()
        if thing.get("/Subtype") == "/Image":
            return set() if thing.get("/ImageMask") else space_names(thing.get("/ColorSpace"), resources)
        return self.nested(reference, thing, resources) | self.group(thing)

    def pattern(self, name: NameObject, resources: DictionaryObject) -> set[str]:
        """A shading pattern's colour space, or what a tiling pattern's cell paints with."""
        reference = _entry(resources, "/Pattern", name)
        thing = resolved(reference)
        if isinstance(thing, StreamObject):
            return self.nested(reference, thing, resources)
        shading = dictionary(dictionary(thing).get("/Shading"))
        return space_names(shading.get("/ColorSpace"), resources)

    def nested(self, reference: object, thing: StreamObject, resources: DictionaryObject) -> set[str]:
        """A form's or tiling pattern's own content, read once however many pages place it."""
        key = _key(reference)
        if key not in self.known:
            self.known[key] = set()  # a form that draws itself stops here
            own = dictionary(thing.get("/Resources")) or resources
            self.known[key] = self.stream(ContentStream(thing, self.reader), own)
        return self.known[key]

    def group(self, thing: DictionaryObject) -> set[str]:
        """The blending space of a transparency group: transparent art is flattened in it."""
        group = dictionary(thing.get("/Group"))
        return space_names(group.get("/CS"), DictionaryObject()) if group.get("/S") == "/Transparency" else set()


#: The text a page shows (hex and literal strings): no colour there, and most of pypdf's parsing time.
TEXT_STRINGS = re.compile(rb"<[0-9A-Fa-f\s]+>|\((?:[^()\\]|\\.)*\)", re.DOTALL)
#: Text-showing operations once their strings are empty (they set no colour).
TEXT_SHOWING = re.compile(rb"\[[^\[\]]*\]\s*TJ|\(\)\s*Tj")


def _without_text(content: ContentStream, reader: PdfReader) -> ContentStream:
    """The content stream with its strings emptied, unless it holds inline images (whose bytes could look alike)."""
    data = content.get_data()
    if re.search(rb"\bBI\b", data):
        return content
    stripped = DecodedStreamObject()
    stripped.set_data(TEXT_SHOWING.sub(b"", TEXT_STRINGS.sub(b"()", data)))
    return ContentStream(stripped, reader)


def space_names(value: object, resources: DictionaryObject) -> set[str]:
    """The colour space a name or array stands for, as people name it ("ICCBased CMYK", "Separation Gold")."""
    value = resolved(value)
    if isinstance(value, NameObject):
        if value in ("/DeviceRGB", "/DeviceCMYK", "/DeviceGray"):
            return {value[1:]}
        named = dictionary(resources.get("/ColorSpace")).get(value)
        return space_names(named, DictionaryObject()) if named is not None else set()
    if not isinstance(value, ArrayObject) or not value:
        return set()
    family = str(resolved(value[0]))
    if family == "/ICCBased" and len(value) > 1:
        channels = resolved(dictionary(value[1]).get("/N", 0))
        return {ICC_CHANNELS.get(channels if isinstance(channels, int) else 0, "ICCBased")}
    if family == "/Indexed" and len(value) > 1:
        return {f"Indexed {base}" for base in space_names(value[1], resources)} or {"Indexed"}
    if family == "/Separation" and len(value) > 1:
        return {f"Separation {str(resolved(value[1])).lstrip('/')}"}
    if family == "/Pattern":
        return space_names(value[1], resources) if len(value) > 1 else set()
    return {family.lstrip("/")}
