"""The EPUB's fonts: the shipped faces the text uses, each subset (HarfBuzz-Subset) to the characters it sets.

Which face sets a character is decided as CSS would: each part of the text (the text face, the headings' face,
code's) has its families in order of fallback, as layouts/base/tokens.css and rtl.css give them, and a
character goes to the first family that has it, in the weight and style it is set in (the nearest face the
family has). Each face is then cut to its characters alone, so a font holds no letter another draws, and the
book carries a few kilobytes of type instead of megabytes. `epub: {fonts: reader}` embeds none: the reader's
own fonts set the text.
"""

from __future__ import annotations

import io
import struct
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import uharfbuzz
from fontTools.ttLib import TTFont, TTLibError
from lxml.etree import _Element as Element  # lxml's element type (documented as etree._Element)

from samizdat.direction import direction
from samizdat.epub_xhtml import x
from samizdat.errors import RenderError
from samizdat.layers import Layers

REGULAR, ITALIC, BOLD, BOLD_ITALIC = ("400", "normal"), ("400", "italic"), ("700", "normal"), ("700", "italic")


@dataclass(frozen=True)
class Family:
    """A family of shipped fonts: its CSS name and the file of each (weight, style) it has, under fonts/."""

    name: str
    faces: tuple[tuple[tuple[str, str], str], ...]

    def face(self, weight: str, style: str) -> tuple[tuple[str, str], str]:
        """The face CSS would use for (weight, style): the same, else the same weight upright, else the regular."""
        faces = dict(self.faces)
        for wanted in ((weight, style), (weight, "normal"), REGULAR):
            if wanted in faces:
                return wanted, faces[wanted]
        return next(iter(self.faces))


def _family(name: str, folder: str, stem: str, *faces: tuple[str, str]) -> Family:
    suffix = {REGULAR: "Regular", ITALIC: "Italic", BOLD: "Bold", BOLD_ITALIC: "BoldItalic"}
    return Family(name, tuple((face, f"{folder}/{stem}-{suffix[face]}.ttf") for face in faces))


CHARIS = _family("Charis SIL", "charis-sil", "CharisSIL", REGULAR, ITALIC, BOLD, BOLD_ITALIC)
SANS = _family("Noto Sans", "noto-sans", "NotoSans", REGULAR, ITALIC, BOLD)
MONO = _family("Noto Sans Mono", "noto-sans-mono", "NotoSansMono", REGULAR, BOLD)
SERIF_ARMENIAN = _family("Noto Serif Armenian", "noto-serif-armenian", "NotoSerifArmenian", REGULAR, BOLD)
SERIF_GEORGIAN = _family("Noto Serif Georgian", "noto-serif-georgian", "NotoSerifGeorgian", REGULAR, BOLD)
SANS_ARMENIAN = _family("Noto Sans Armenian", "noto-sans-armenian", "NotoSansArmenian", REGULAR, BOLD)
SANS_GEORGIAN = _family("Noto Sans Georgian", "noto-sans-georgian", "NotoSansGeorgian", REGULAR, BOLD)
NASKH = _family("Noto Naskh Arabic", "noto-naskh-arabic", "NotoNaskhArabic", REGULAR, BOLD)
SANS_ARABIC = _family("Noto Sans Arabic", "noto-sans-arabic", "NotoSansArabic", REGULAR, BOLD)
SERIF_HEBREW = _family("Noto Serif Hebrew", "noto-serif-hebrew", "NotoSerifHebrew", REGULAR, BOLD)
SANS_HEBREW = _family("Noto Sans Hebrew", "noto-sans-hebrew", "NotoSansHebrew", REGULAR, BOLD)

#: The families of each part of the text, in order of fallback (layouts/base/tokens.css), then by language.
CHAINS = {
    "text": (CHARIS, SERIF_ARMENIAN, SERIF_GEORGIAN, SANS),
    "display": (SANS, SANS_ARMENIAN, SANS_GEORGIAN),
    "mono": (MONO, SANS_ARMENIAN, SANS_GEORGIAN),
}
ARABIC_SCRIPT = ("ar", "fa", "ur", "ps", "sd", "ckb", "ug")  # layouts/base/rtl.css
HEBREW_SCRIPT = ("he", "iw", "yi")
BY_LANGUAGE = {
    **{lang: {"text": (NASKH, CHARIS, SANS), "display": (SANS_ARABIC, SANS)} for lang in ARABIC_SCRIPT},
    **{lang: {"text": (SERIF_HEBREW, CHARIS, SANS), "display": (SANS_HEBREW, SANS)} for lang in HEBREW_SCRIPT},
    "el": {"text": (SANS,)},
}

#: Generic families after the shipped ones, for a character none has.
GENERIC = {"text": "serif", "display": "sans-serif", "mono": "monospace"}

#: What sets an element's text in another part or face (the elements of samizdat.body's HTML).
PARTS = {**{x(f"h{level}"): "display" for level in range(1, 7)}, x("code"): "mono", x("pre"): "mono",
         x("kbd"): "mono", x("samp"): "mono"}  # fmt: skip
BOLDER = {x("strong"), x("b"), x("th"), *(x(f"h{level}") for level in range(1, 7))}
SLANTED = {x("em"), x("i"), x("cite")}


@dataclass(frozen=True)
class Font:
    """A subset font of the book: its name in it (fonts/…), its family and face, its bytes."""

    name: str
    family: str
    weight: str
    style: str
    data: bytes


def chains(lang: str) -> dict[str, tuple[Family, ...]]:
    """The families of each part of the text for a document in `lang`."""
    return {**CHAINS, **BY_LANGUAGE.get(lang.split("-")[0].lower(), {})}


def embedded_fonts(trees: list[Element], lang: str, fonts: Layers) -> list[Font]:
    """The subset fonts that set `trees` (the book's XHTML pages), in a stable order."""
    setting: dict[tuple[str, str, str], set[str]] = {}  # the characters each part sets in each weight and style
    for part, weight, style, text in _runs(trees, lang):
        setting.setdefault((part, weight, style), set()).update(text)
    located = {file: _located(fonts, file) for chain in chains(lang).values() for family in chain
               for _, file in family.faces}  # fmt: skip
    wanted: dict[tuple[str, str, str], set[str]] = {}
    for (part, weight, style), characters in setting.items():
        for character in characters - {" ", "\n", "\t"}:
            for family in chains(lang)[part]:
                (face_weight, face_style), file = family.face(weight, style)
                if ord(character) in _coverage(located[file]):
                    wanted.setdefault((family.name, face_weight, face_style), set()).add(character)
                    break
    files = {(family.name, *face): file for chain in chains(lang).values() for family in chain
             for face, file in family.faces}  # fmt: skip
    return [
        Font(f"fonts/{Path(files[key]).stem}.ttf", *key, _subset(located[files[key]], characters))
        for key, characters in sorted(wanted.items())
    ]


def font_css(fonts: list[Font], lang: str) -> str:
    """The @font-face rules of the embedded fonts, and which families each part of the text is set in."""
    faces = "".join(
        f'@font-face {{ font-family: "{font.family}"; font-weight: {font.weight}; font-style: {font.style}; '
        f'src: url(../{font.name}); }}\n'
        for font in fonts
    )
    used = {font.family for font in fonts}
    rules = []
    for part, selector in (("text", "body"), ("display", "h1, h2, h3, h4, h5, h6"), ("mono", "code, pre, kbd, samp")):
        names = [f'"{family.name}"' for family in chains(lang)[part] if family.name in used]
        rules.append(f"{selector} {{ font-family: {', '.join([*names, GENERIC[part]])}; }}\n")
    return faces + "".join(rules)


def _runs(trees: list[Element], lang: str) -> Iterator[tuple[str, str, str, str]]:
    """(part, weight, style, text) of every piece of text in the pages, as the stylesheet sets it; in a
    right-to-left language emphasis is bold, never slanted (layouts/base/rtl.css)."""
    upright = direction(lang) == "rtl"

    def walk(element: Element, part: str, weight: str, style: str) -> Iterator[tuple[str, str, str, str]]:
        if not isinstance(element.tag, str):
            return
        part = PARTS.get(element.tag, part)
        weight = "700" if element.tag in BOLDER or (upright and element.tag in SLANTED) else weight
        style = "italic" if element.tag in SLANTED and not upright else style
        yield part, weight, style, element.text or ""
        for child in element:
            yield from walk(child, part, weight, style)
            yield part, weight, style, child.tail or ""

    for tree in trees:
        body = tree.find(x("body"))
        yield from walk(body if body is not None else tree, "text", "400", "normal")


def _located(fonts: Layers, file: str) -> Path:
    """A shipped font file in the fonts' layers (a project's own fonts/ first)."""
    path = fonts.find(file, RenderError)
    if path is None:
        raise RenderError(f"the font {file} is missing: looked for {fonts.searched(file)}; restore it")
    return path


def _coverage(path: Path) -> frozenset[int]:
    """The code points a font has a glyph for (read again when the file changes)."""
    try:
        status = path.stat()
    except OSError as error:
        raise RenderError(f"this font cannot be read ({error.strerror}): restore it", path) from None
    return _cmap(path, status.st_size, status.st_mtime_ns)


@lru_cache(maxsize=64)
def _cmap(path: Path, size: int, modified: int) -> frozenset[int]:
    try:
        with TTFont(path, lazy=True) as font:
            return frozenset(font.getBestCmap() or {})
    except (TTLibError, OSError, AssertionError, KeyError, ValueError, struct.error) as error:
        raise RenderError(f"this font cannot be read ({error}): replace it with a good copy", path) from None


def _subset(path: Path, characters: set[str]) -> bytes:
    """The font cut to `characters`, with its shaping rules, names and licence kept, and its dates the shipped
    font's own, so the bytes are the same at every build (for one uharfbuzz version: samizdat.toolchain).

    HarfBuzz-Subset (through uharfbuzz, which carries its own HarfBuzz) and not fontTools: the same cut in a
    millisecond instead of a third of a second per face, on every build that makes an EPUB. HarfBuzz drops
    the tables it cannot cut (a legacy `kern`, AAT's, SVG glyphs): the shipped fonts have none. A project's
    own font is foreign input: what HarfBuzz raises on a damaged one, and a cut fontTools cannot read back,
    is the font's error.
    """
    wanted = uharfbuzz.SubsetInput()
    wanted.sets(uharfbuzz.SubsetInputSets.UNICODE).update(sorted(map(ord, characters | {" "})))
    for kept in ("LAYOUT_FEATURE_TAG", "NAME_ID", "NAME_LANG_ID"):  # every feature, name and language: each set
        every = wanted.sets(getattr(uharfbuzz.SubsetInputSets, kept))  # holds HarfBuzz's defaults, so emptied
        every.clear()  # first; an inverted empty set is HarfBuzz's "all"
        every.invert()
    dropped = wanted.sets(uharfbuzz.SubsetInputSets.DROP_TABLE_TAG)
    dropped.update(int.from_bytes(tag.encode(), "big") for tag in GRAPHITE)
    wanted.flags = uharfbuzz.SubsetFlags.NOTDEF_OUTLINE
    try:
        face = uharfbuzz.Face(uharfbuzz.Blob.from_file_path(str(path)))
        cut = uharfbuzz.subset(face, wanted) if face.glyph_count else None  # a damaged file: a face of no glyphs
        data = cut.blob.data if cut is not None else b""
        if data:
            with TTFont(io.BytesIO(data)) as font:  # read back whole: HarfBuzz copies a damaged glyf as it is
                font.ensureDecompiled()
    except (OSError, ValueError, RuntimeError, uharfbuzz.HarfBuzzError, TTLibError, AssertionError, KeyError,
            IndexError, TypeError, struct.error) as error:  # fmt: skip
        raise RenderError(f"this font cannot be subset ({error}): replace it with a good copy", path) from None
    if not data:
        raise RenderError("this font cannot be subset (HarfBuzz could not read it): replace it with a good copy", path)
    return data


#: Graphite's tables: dropped, as readers shape with OpenType.
GRAPHITE = ("Silf", "Silt", "Sill", "Glat", "Gloc", "Feat")
