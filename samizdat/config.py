"""The project config, samizdat.yaml: the home printer's sheet and the extra impositions every document gets.

Every key has a default, so a project needs no config file at all:

    sheet: A4            # or Letter or A3: the paper of the printers the organisers have
    notes: foot          # or end: every document's notes as endnotes (a document's front matter may differ)
    links: footnote      # or inline or none: how paper prints the links' addresses
    duplex: short        # how their printers flip sheets: short, long (or none: one-sided only)
    contents: auto       # a table of contents: yes, no, or auto: for documents of more than contents_sections
    contents_sections: 5
    editions: [large-print, pocket, copier]   # the pamphlet's other editions (none by default)
    copier: {max_solid: 0.25}                 # the share of a copier page that solid black may cover
    epub:
      fonts: embedded    # or reader: the EPUB carries no fonts, the e-reader's own set the text
    impositions:         # beside the booklet, which is always made
      - layout: repeat   # four A6 flyers per sheet
        nup: 4
      - layout: zine
"""

from __future__ import annotations

import stat
from dataclasses import dataclass, field
from pathlib import Path

from samizdat.catalogue import VARIANT_FILES
from samizdat.contents import CONTENTS_CHOICES, CONTENTS_SECTIONS, contents_choice
from samizdat.covers import DESIGNS
from samizdat.errors import SamizdatError
from samizdat.fitting import SCALES
from samizdat.impose import LAYOUTS, NUPS, ImposeOptions, imposition_suffix
from samizdat.impose.plan import DUPLEX, SHEETS
from samizdat.limits import MAX_CONFIG_BYTES, check_controls, check_file_size, qr_problem
from samizdat.links import LINKS
from samizdat.notes import NOTES
from samizdat.paper import poster_size
from samizdat.paths import is_inside, refuse_outside
from samizdat.riso_inks import RisoConfig, riso_config
from samizdat.yamlcheck import Located, Schema, load_checked

CONFIG_FILE = "samizdat.yaml"
VARIANTS = tuple(kind.name for kind in VARIANT_FILES)  # the editions `editions:` may name

#: The EPUB's fonts: the shipped ones embedded (subset), or none (the reader's own).
EPUB_FONTS = ("embedded", "reader")

CONFIG_SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "sheet": {"enum": list(SHEETS)},
        "duplex": {"enum": list(DUPLEX)},
        "notes": {"enum": list(NOTES)},
        "links": {"enum": list(LINKS)},
        "contents": {"enum": list(CONTENTS_CHOICES)},
        "contents_sections": {"type": "integer", "minimum": 0},
        "cover": {"enum": list(DESIGNS)},
        "url": {"type": "string", "pattern": r"^https?://\S+\Z"},
        "posters": {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "sizes": {"type": "array", "items": {"type": "string"}, "minItems": 1},
                "url": {"type": "string", "pattern": r"^https?://\S+\Z"},
                "minimum": {"type": "number", "minimum": 6},
                "tile_sheet": {"enum": list(SHEETS)},
                "unprintable": {"type": "number", "minimum": 0, "maximum": 20},
                "overlap": {"type": "number", "minimum": 0, "maximum": 50},
                "scale": {"enum": list(SCALES)},
            },
        },
        "riso": {"type": "object"},  # checked by samizdat.riso_inks, which knows the tokens
        "editions": {"type": "array", "items": {"enum": list(VARIANTS)}},
        "copier": {
            "type": "object",
            "additionalProperties": False,
            "properties": {"max_solid": {"type": "number", "exclusiveMinimum": 0, "maximum": 1}},
        },
        "epub": {
            "type": "object",
            "additionalProperties": False,
            "properties": {"fonts": {"enum": list(EPUB_FONTS)}},
        },
        "print": {
            "type": "object",
            "additionalProperties": False,
            "properties": {"colour": {"enum": ["rgb", "cmyk"]}},
        },
        "signing": {"type": "object", "additionalProperties": False,
                    "properties": {"key": {"type": "string", "minLength": 1}}},
        "impositions": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["layout"],
                "additionalProperties": False,
                "properties": {
                    "layout": {"enum": list(LAYOUTS)},
                    "nup": {"enum": list(NUPS)},
                    "duplex": {"enum": list(DUPLEX)},
                    "creep": {"type": "number", "minimum": 0, "maximum": 5},
                    "signature": {"type": "integer", "minimum": 1},
                    "marks": {"type": "boolean"},
                },
            },
        },
    },
}

CONFIG_HINTS = {
    "sheet": f"one of {', '.join(SHEETS)}",
    "duplex": f"one of {', '.join(DUPLEX)}",
    "notes": "where every document's notes go: foot (of the page, the default) or end (endnotes)",
    "links": "how paper prints links' addresses: footnote (the default), inline (in brackets) or none",
    "contents": "auto (a table of contents for documents of many sections, the default), yes or no",
    "contents_sections": "how many sections a document may have without a table of contents (auto), e.g. 5",
    "posters": (
        "sizes (e.g. [A3, A2 landscape]), url (for the QR code), minimum (pt), tile_sheet, unprintable and overlap (mm)"
    ),
    "cover": f"the covers' design: one of {', '.join(DESIGNS)}",
    "url": "the address of the online copy, e.g. https://example.org/statement: on the back cover, with a QR code",
    "posters.scale": "each (every slogan as large as it fits, the default) or common (one size for the whole set)",
    "posters.url": "a web address, e.g. https://example.org/join, without spaces",
    "riso": "the risograph's inks and the colour tokens each prints, e.g. {inks: {black: [ink, muted], red: [accent]}}",
    "editions": f"the pamphlet's other editions to make, a list of {', '.join(VARIANTS)} (none by default)",
    "copier": "max_solid: the share of a copier file's page that solid black may cover (0.25 by default)",
    "copier.max_solid": "a share of the page between 0 and 1, e.g. 0.25 for a quarter (the default)",
    "epub": "the EPUB: fonts: embedded (the shipped fonts, cut to the text's letters, the default) or reader",
    "epub.fonts": "embedded (the shipped fonts, cut to the text's letters, the default) or reader (the reader's own)",
    "print": "the print shop's files: colour: rgb (default) or cmyk (PDF/X-3 with the ISO Coated v2 profile)",
    "signing": "key: the path of the secret key that signs the checksums (samizdat keygen), outside the project",
    "impositions": (
        f"a list of impositions, each with a layout ({', '.join(LAYOUTS)}) and, for cutstack and repeat, "
        f"nup ({', '.join(map(str, NUPS))})"
    ),
}


@dataclass(frozen=True)
class PosterConfig:
    """Which posters every slogan gets, and how they are tiled for home printers."""

    sizes: tuple[str, ...] = ("A3",)
    url: str | None = None
    minimum: float = 24.0  # pt: a slogan that only fits smaller is an error
    tile_sheet: str = "A4"
    unprintable: float = 5.0  # mm a home printer cannot print at each edge
    overlap: float = 10.0  # mm the tiles overlap, to glue
    scale: str = "each"  # "common": every slogan of a document at one size, the largest at which all fit


@dataclass(frozen=True)
class Config:
    sheet: str = "A4"
    duplex: str = "short"
    impositions: tuple[ImposeOptions, ...] = field(default=())
    posters: PosterConfig = field(default_factory=PosterConfig)
    print_colour: str = "rgb"  # "cmyk": the -print files in CMYK, as PDF/X-3 with an output intent
    notes: str = "foot"  # every document's, unless its front matter says otherwise (samizdat.notes)
    links: str = "footnote"  # how paper prints addresses (samizdat.links)
    contents: str = "auto"  # a table of contents: yes, no, or auto (more than contents_sections sections)
    contents_sections: int = CONTENTS_SECTIONS
    cover: str = DESIGNS[0]  # the covers' design (samizdat.covers, layouts/pamphlet/cover.css)
    url: str | None = None  # the online copy, on every back cover (a document's own `url` comes first)
    riso: RisoConfig | None = None  # the risograph's inks (samizdat.riso_inks); None: no separations
    signing_key: Path | None = None  # the secret key that signs SHA256SUMS and manifest.json (samizdat.signing)
    editions: tuple[str, ...] = ()  # the pamphlet's other editions (samizdat.variants): large-print, pocket, copier
    copier_max_solid: float = 0.25  # the share of a copier file's page that solid black may cover
    epub_fonts: str = EPUB_FONTS[0]  # "reader": the EPUB embeds no fonts (samizdat.epub_fonts)

    @property
    def booklet(self) -> ImposeOptions:
        """The saddle-stitched booklet every document gets."""
        duplex = self.duplex if self.duplex != "none" else "short"
        return ImposeOptions(layout="saddle", sheet=self.sheet, duplex=duplex)


def load_config(root: Path) -> Config:
    """samizdat.yaml of the project at `root`, validated; the defaults when there is none."""
    path = root / CONFIG_FILE
    if not path.exists() and not path.is_symlink():
        return Config()
    refuse_outside(path, [root.resolve()])
    located = load_checked(_read_config(path), path, 1, Schema("project config", CONFIG_SCHEMA, CONFIG_HINTS))
    data = located.data
    sheet, duplex = data.get("sheet", "A4"), data.get("duplex", "short")
    impositions = []
    for index, item in enumerate(data.get("impositions", [])):
        item_duplex = item.get("duplex", duplex if item["layout"] != "zine" else "none")
        if item["layout"] == "saddle" and item_duplex == "none":
            raise SamizdatError(
                "a booklet is printed on both sides: give it duplex short or long",
                path,
                located.line_of(["impositions", index]),
            )
        impositions.append(
            ImposeOptions(
                layout=item["layout"],
                sheet=sheet,
                duplex=item_duplex,
                nup=item.get("nup", 4),
                creep_mm=item.get("creep", 0.0),
                signature=item.get("signature"),
                marks=item.get("marks"),
            )
        )
    seen = {imposition_suffix(Config(sheet=sheet).booklet): None}
    for index, options in enumerate(impositions):
        suffix = imposition_suffix(options)
        if suffix in seen:
            line = located.line_of(["impositions", index])
            raise SamizdatError(f"this imposition would write SLUG-{suffix}.pdf a second time; remove one", path, line)
        seen[suffix] = None
    editions = data.get("editions", [])
    for index, name in enumerate(editions):
        if name in editions[:index]:
            raise SamizdatError(f"{name} is named twice in editions; name each edition once", path,
                                located.line_of(["editions", index]))  # fmt: skip
    colour = data.get("print", {}).get("colour", "rgb")
    if "url" in data and (problem := qr_problem(data["url"])):
        raise SamizdatError(problem, path, located.line_of(["url"]))
    notes, links = data.get("notes", "foot"), data.get("links", "footnote")
    return Config(
        sheet, duplex, tuple(impositions), _poster_config(located), colour, notes, links,
        contents=contents_choice(data.get("contents", "auto")),
        contents_sections=data.get("contents_sections", CONTENTS_SECTIONS),
        cover=data.get("cover", DESIGNS[0]), url=data.get("url"),  # posters: their own url comes first
        riso=riso_config(located, root),
        signing_key=_signing_key(located, root),
        editions=tuple(editions), copier_max_solid=data.get("copier", {}).get("max_solid", 0.25),
        epub_fonts=data.get("epub", {}).get("fonts", EPUB_FONTS[0]),
    )  # fmt: skip


def _signing_key(located: Located, root: Path) -> Path | None:
    """`signing: key:`, relative to the project; refused inside it, where it would be committed."""
    if "signing" not in located.data:
        return None
    if "key" not in located.data["signing"]:
        raise SamizdatError("signing: needs the key's path, e.g. key: ~/.config/samizdat/minisign.key "
                            "(samizdat keygen makes one)", located.path, located.line_of(["signing"]))  # fmt: skip
    key = root.absolute() / Path(located.data["signing"]["key"]).expanduser()
    if is_inside(key, [root.absolute()]) or is_inside(key.resolve(), [root.resolve()]):
        raise SamizdatError(f"the signing key {key} lies inside the project, where it would be committed; keep it "
                            "outside (samizdat keygen puts it in ~/.config/samizdat/)", located.path,
                            located.line_of(["signing", "key"]))  # fmt: skip
    return key


def _read_config(path: Path) -> str:
    """samizdat.yaml as text: a file, not too large, UTF-8, without control characters (empty: all defaults)."""
    if path.is_dir():
        raise SamizdatError(f"this is a folder; the project config {CONFIG_FILE} must be a YAML file", path)
    try:
        if not stat.S_ISREG(path.stat().st_mode):  # a pipe would wait for ever, /dev/zero never end: never opened
            raise SamizdatError(
                f"this is a device or a pipe, not a file; the project config {CONFIG_FILE} must be a YAML file", path
            )
        check_file_size(path, MAX_CONFIG_BYTES, f"the project config {CONFIG_FILE}")
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise SamizdatError(f"not UTF-8 text (byte {error.start}); save the file as UTF-8", path) from None
    except OSError as error:
        raise SamizdatError(f"cannot read the project config: {error.strerror}", path) from None
    check_controls(text, path)
    return text


def _poster_config(located: Located) -> PosterConfig:
    """The posters: part, with each size a known paper and the URL one a QR code can hold."""
    path, posters = located.path, located.data.get("posters", {})
    for index, name in enumerate(posters.get("sizes", [])):
        try:
            poster_size(name)
        except SamizdatError as error:
            raise SamizdatError(error.message, path, located.line_of(["posters", "sizes", index])) from None
    if "url" in posters and (problem := qr_problem(posters["url"])):
        raise SamizdatError(problem, path, located.line_of(["posters", "url"]))
    return PosterConfig(
        sizes=tuple(posters.get("sizes", ["A3"])),
        url=posters.get("url", located.data.get("url")),
        minimum=posters.get("minimum", 24.0),
        tile_sheet=posters.get("tile_sheet", "A4"),
        unprintable=posters.get("unprintable", 5.0),
        overlap=posters.get("overlap", 10.0),
        scale=posters.get("scale", "each"),
    )
