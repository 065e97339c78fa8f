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
    booklet:             # the booklet for printers that print one side only, and the printer test sheet
      manual: yes        # no: no manual-duplex booklet
      feed: turn-over    # or as-it-lies: what is done with the printed stack (the test sheet tells which)
      flip: short        # or long: how the backs land behind the fronts (the test sheet tells which)
      files: two         # SLUG-booklet-a4-fronts.pdf and -backs.pdf; one: SLUG-booklet-a4-manual.pdf
      test_sheet: yes    # no: no SLUG-printer-test-a4.pdf
"""

from __future__ import annotations

import stat
from dataclasses import dataclass, field
from pathlib import Path

from samizdat.config_schema import CONFIG_HINTS, CONFIG_SCHEMA, EPUB_FONTS
from samizdat.contents import CONTENTS_SECTIONS, contents_choice
from samizdat.covers import DESIGNS
from samizdat.errors import SamizdatError
from samizdat.impose import ImposeOptions, imposition_suffix
from samizdat.limits import MAX_CONFIG_BYTES, check_controls, check_file_size, qr_problem
from samizdat.paper import poster_size
from samizdat.paths import is_inside, refuse_outside
from samizdat.riso_inks import RisoConfig, riso_config
from samizdat.yamlcheck import Located, Schema, load_checked

CONFIG_FILE = "samizdat.yaml"


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
class ManualBooklet:
    """The booklet for printers that print one side only (samizdat.impose.manual), and the printer test sheet."""

    made: bool = True
    feed: str = "turn-over"
    flip: str = "short"
    files: str = "two"
    test_sheet: bool = True


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
    manual: ManualBooklet = field(default_factory=ManualBooklet)

    @property
    def booklet(self) -> ImposeOptions:
        """The saddle-stitched booklet every document gets."""
        duplex = self.duplex if self.duplex != "none" else "short"
        return ImposeOptions(layout="saddle", sheet=self.sheet, duplex=duplex)

    @property
    def manual_booklet(self) -> tuple[ImposeOptions, ...]:
        """The files of the manual-duplex booklet every document gets (none when `booklet: manual: no`)."""
        if not self.manual.made:
            return ()
        parts = ("fronts", "backs") if self.manual.files == "two" else ("one",)
        return tuple(ImposeOptions(layout="saddle", sheet=self.sheet, duplex="manual", feed=self.manual.feed,
                                   flip=self.manual.flip, part=part) for part in parts)  # fmt: skip


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
    notes, links, booklet = data.get("notes", "foot"), data.get("links", "footnote"), data.get("booklet", {})
    manual = ManualBooklet(booklet.get("manual", True), booklet.get("feed", "turn-over"), booklet.get("flip", "short"),
                           booklet.get("files", "two"), booklet.get("test_sheet", True))  # fmt: skip
    return Config(
        sheet, duplex, tuple(impositions), _poster_config(located), colour, notes, links,
        contents=contents_choice(data.get("contents", "auto")),
        contents_sections=data.get("contents_sections", CONTENTS_SECTIONS),
        cover=data.get("cover", DESIGNS[0]), url=data.get("url"),  # posters: their own url comes first
        riso=riso_config(located, root),
        signing_key=_signing_key(located, root),
        editions=tuple(editions), copier_max_solid=data.get("copier", {}).get("max_solid", 0.25),
        epub_fonts=data.get("epub", {}).get("fonts", EPUB_FONTS[0]),
        manual=manual,
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
