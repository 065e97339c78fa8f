"""The catalogue of outputs: one row per kind of file samizdat makes, with everything that defines it.

In the manner of WeasyPrint's table of PDF variants: a kind is data, not code
spread over modules. Its row says how its file is named, which job (the shared
render) makes it, how that render is written (bleed, crop marks, tags, PDF/X
when the project prints in CMYK), what preflight expects of it, what it is for
and how to print it, whether local editions can have it, and where it stands on
the download page. The jobs, the cache keys, `--help`, local editions, the
download page and preflight read it. Adding a kind is adding a row (and its
template); the row's name is written into every file of that kind (XMP
`samizdat:kind`, samizdat.mark), so `check` knows a file by what it is, not by
its name. This module imports nothing heavy: the command line reads it for help.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

#: The 3 mm of bleed of every print file (layouts/base/bleed.css).
PRINT_BLEED_MM = 3.0
SHEET = r"(?P<paper>a[0-6]|letter|tabloid)"
POSTER = r"(?P<paper>a[0-4]|letter|tabloid)(?:-landscape)?"  # no A5 posters: "-a5" is the pamphlet


@dataclass(frozen=True)
class Write:
    """How a job's render is written for a kind (samizdat.pdf.write_pdf's options); `pdfx` only when the
    project prints in CMYK."""

    crop_marks: bool = False
    without_bleed: bool = False
    tagged: bool = False
    booklet: bool = False  # the blank pages a bound booklet needs, before the back cover
    pdfx: bool = False


@dataclass(frozen=True)
class Kind:
    """One kind of output. `pattern` names its file ({slug}, {sheet}, {nup}, {sig}; for posters {slogan},
    {size}); `stem` is the pattern preflight falls back on for a file that carries no kind (made before
    files were marked); `expect`, preflight's Expectations for it (the paper is the file's own)."""

    name: str
    pattern: str
    job: str  # "pamphlet", "posters", "reader", "printer-test", "variants" or "riso" (samizdat.targets.GROUPS)
    purpose: str  # what it is for, a template filled with the pattern's fields and the printing instructions
    stem: str
    expect: dict = field(default_factory=dict, compare=False)
    write: Write | None = None  # None: not written from the render but made from another output (imposed, tiled)
    colour: bool = False  # printed in CMYK when the project says `print: colour: cmyk`
    local: str | None = None  # its name in a document's `local: outputs:`; None: no local edition has it
    layout: str | None = None  # the imposition layout that makes it (samizdat.impose; its first row is the layout's)
    listed: int = 0  # its place among a document's files on the download page and in the summary
    printed: bool = False  # set from the paper edition (links' addresses printed: samizdat.links)
    paper: str = ""  # its paper when the kind fixes it ("A5"); else the sheet or size it is made on

    def file_name(self, **fields: object) -> str:
        """The file's name: `KINDS["a5"].file_name(slug="x")` → 'x-a5.pdf'."""
        return self.pattern.format(**fields)

    @property
    def suffix(self) -> str:
        """The file's type: ".pdf", or ".html", ".epub", ".txt" for the reader editions."""
        return "." + self.pattern.rsplit(".", 1)[-1]

    def describe(self, **fields: object) -> str:
        """What the file is for and how to print it, for the summary, the download page and `--help`."""
        return self.purpose.format(**fields)


#: Every kind, in the order preflight tries their `stem` on a file name it cannot read a kind from.
CATALOGUE: tuple[Kind, ...] = (
    Kind(
        "tiled", "{slogan}-{size}-tiled-{sheet}.pdf", "posters",
        "Poster “{slogan}”, {size}, on {sheet} sheets — {instructions}", rf"-tiled-{SHEET}$",
        {"kind": "tiled", "check_margin": False}, local="posters", listed=7,
    ),
    Kind(
        "booklet", "{slug}-booklet{sig}-{sheet}.pdf", "pamphlet", "Booklet on {sheet} — {instructions}",
        rf"-booklet(?:-sig\d+)?-{SHEET}$", {"kind": "booklet", "booklet": True, "check_margin": False},
        local="booklet", layout="saddle", listed=2, printed=True,
    ),
    Kind(
        "cutstack", "{slug}-cutstack-{nup}up-{sheet}.pdf", "pamphlet",
        "{nup} pages per {sheet} side, cut and stack — {instructions}", rf"-cutstack-\d+up-{SHEET}$",
        {"kind": "imposed", "check_margin": False}, local="impositions", layout="cutstack", listed=3, printed=True,
    ),
    Kind(
        "repeat", "{slug}-repeat-{nup}up-{sheet}.pdf", "pamphlet",
        "{nup} copies per {sheet} side, to cut — {instructions}", rf"-repeat-\d+up-{SHEET}$",
        {"kind": "imposed", "check_margin": False}, local="impositions", layout="repeat", listed=3, printed=True,
    ),
    Kind(
        "zine", "{slug}-zine-{sheet}.pdf", "pamphlet", "One-page zine on {sheet} — {instructions}", rf"-zine-{SHEET}$",
        {"kind": "imposed", "check_margin": False}, local="impositions", layout="zine", listed=3, printed=True,
    ),
    Kind(  # one per ink drum (samizdat.riso): the pamphlet's pages in greys, marks outside the trim
        "riso", "{slug}-riso-{ink}-a5.pdf", "riso", "Risograph separation, {ink} drum — {instructions}",
        r"-riso-[a-z0-9-]+-(?P<paper>a5)$", {"kind": "riso", "safe_margin_mm": 5.0}, Write(), listed=8, printed=True,
        paper="A5",
    ),
    Kind(  # not a PDF: the separations multiplied in their inks' colours, to look at before printing
        "riso-proof", "{slug}-riso-proof-a5.png", "riso", "Risograph proof — {instructions}",
        r"-riso-proof-(?P<paper>a5)\.png$", {"kind": "riso-proof"}, listed=9, printed=True, paper="A5",
    ),
    Kind(  # the pamphlet on A4 at 16 pt (samizdat.variants): tagged, for screen readers and magnifiers too
        "large-print", "{slug}-large-print-a4.pdf", "variants",
        "A4 in large print (16 pt text) — to read on screen, or to print on A4 at 100 %, both sides or one",
        r"-large-print-(?P<paper>a4)$", {"kind": "screen", "tagged": True}, Write(without_bleed=True, tagged=True),
        local="large-print", listed=4, printed=True, paper="A4",
    ),
    Kind(  # a print shop's file: bleed, crop marks and the blank pages of a saddle-stitched booklet
        "pocket", "{slug}-pocket-a6.pdf", "variants",
        "A6 pocket edition with 3 mm bleed and crop marks — for a print shop, saddle-stitched",
        r"-pocket-(?P<paper>a6)$", {"kind": "print", "bleed_mm": PRINT_BLEED_MM, "booklet": True},
        Write(crop_marks=True, booklet=True, pdfx=True), colour=True, local="pocket", listed=4, printed=True,
        paper="A6",
    ),
    Kind(  # black and white only (preflight reads every colour painted); its booklet's blanks in it. Before the a5
        # row, whose stem "-a5" its name ends with too
        "copier", "{slug}-copier-a5.pdf", "variants",
        "A5 in pure black and white — for an office copier: print or copy it with the copier's booklet setting "
        "on A4, both sides", r"-copier-(?P<paper>a5)$",
        {"kind": "copier", "booklet": True, "black_and_white": True, "max_solid": 0.25},
        Write(without_bleed=True, booklet=True), local="copier", listed=4, printed=True, paper="A5",
    ),
    Kind(  # manual duplex (samizdat.impose.manual): the fronts and the instruction page, then the backs
        "booklet-fronts", "{slug}-booklet{sig}-{sheet}-fronts.pdf", "pamphlet",
        "Booklet on {sheet} for a printer that prints one side only, file 1 of 2, the fronts — {instructions}",
        rf"-booklet(?:-sig\d+)?-{SHEET}-fronts$", {"kind": "imposed", "check_margin": False},
        local="manual-booklet", layout="saddle", listed=2, printed=True,
    ),
    Kind(
        "booklet-backs", "{slug}-booklet{sig}-{sheet}-backs.pdf", "pamphlet",
        "Booklet on {sheet} for a printer that prints one side only, file 2 of 2, the backs, printed onto the "
        "fronts — {instructions}", rf"-booklet(?:-sig\d+)?-{SHEET}-backs$", {"kind": "imposed", "check_margin": False},
        local="manual-booklet", layout="saddle", listed=2, printed=True,
    ),
    Kind(
        "booklet-manual", "{slug}-booklet{sig}-{sheet}-manual.pdf", "pamphlet",
        "Booklet on {sheet} for a printer that prints one side only, in one file (the fronts, an instruction page, "
        "the backs) — {instructions}", rf"-booklet(?:-sig\d+)?-{SHEET}-manual$",
        {"kind": "imposed", "check_margin": False}, local="manual-booklet", layout="saddle", listed=2, printed=True,
    ),
    Kind(  # before the posters' rows: "-printer-test-a4" would pass for a poster's name
        "printer-test", "{slug}-printer-test-{sheet}.pdf", "printer-test",
        "Printer test sheet on {sheet} — print it double-sided (or by hand: page 1, the sheet turned over, page 2); "
        "its side 2 says how your printer turns the paper and which setting booklets need",
        rf"-printer-test-{SHEET}$", {"kind": "printer-test"}, local="printer-test", listed=4,
    ),
    Kind(  # the print shop binds it as a booklet: its blanks are in it (samizdat.impose.blanks)
        "a5-print", "{slug}-a5-print.pdf", "pamphlet", "A5 with 3 mm bleed and crop marks — for a print shop",
        r"-(?P<paper>a5)-print$", {"kind": "print", "bleed_mm": PRINT_BLEED_MM, "booklet": True},
        Write(crop_marks=True, booklet=True, pdfx=True), colour=True, local="a5-print", listed=1, printed=True,
        paper="A5",
    ),
    Kind(  # tagged (PDF/UA-1) for screen readers; the files made from it (impositions) are not
        "a5", "{slug}-a5.pdf", "pamphlet", "A5 — to read on screen", r"-(?P<paper>a5)$",
        {"kind": "screen", "tagged": True}, Write(without_bleed=True, tagged=True), local="a5", listed=0, paper="A5",
    ),
    Kind(
        "poster-print", "{slogan}-{size}-print.pdf", "posters",
        "Poster “{slogan}”, {size} — with 3 mm bleed and crop marks, for a print shop", rf"-{POSTER}-print$",
        {"kind": "poster-print", "bleed_mm": PRINT_BLEED_MM}, Write(crop_marks=True, pdfx=True), colour=True,
        local="posters", listed=6,
    ),
    Kind(
        "poster", "{slogan}-{size}.pdf", "posters", "Poster “{slogan}”, {size} — to print on a large printer",
        rf"-{POSTER}$", {"kind": "poster"}, Write(without_bleed=True), local="posters", listed=5,
    ),
    # the reader editions: no layout of the pages (samizdat.reader_job); preflight checks each lightly, as what it
    # is (samizdat.preflight.reading); no local edition has them: the back cover's "Near you" box is for paper
    Kind("html", "{slug}.html", "reader", "Web page — to read in a browser or send as one file", r"\.html$",
         {"kind": "html"}, listed=8),
    Kind("epub", "{slug}.epub", "reader", "EPUB — for e-readers and phones", r"\.epub$", {"kind": "epub"}, listed=9),
    Kind("text", "{slug}.txt", "reader", "Plain text — for e-mail and messaging", r"\.txt$", {"kind": "text"},
         listed=10),
)  # fmt: skip

KINDS = {kind.name: kind for kind in CATALOGUE}
#: Every type of file the catalogue's kinds are: ".pdf", and the reader editions'.
SUFFIXES = tuple(dict.fromkeys(kind.suffix for kind in CATALOGUE))
#: The reader editions (one job of their own, samizdat.reader_job), in the order it makes them.
READER_FILES = tuple(sorted((k for k in CATALOGUE if k.job == "reader"), key=lambda k: k.listed))

#: The pamphlet's own files (written from its render, not imposed), in the order its job writes them.
PAMPHLET_FILES = tuple(sorted((k for k in CATALOGUE if k.job == "pamphlet" and k.write), key=lambda k: k.listed))
#: The pamphlet's other editions (samizdat.variants), each a layout of its own, in the order their job makes them.
VARIANT_FILES = tuple(kind for kind in CATALOGUE if kind.job == "variants")
#: The poster files written from the posters' render: the screen one, then the print one.
POSTER_FILES = tuple(sorted((k for k in CATALOGUE if k.job == "posters" and k.write), key=lambda k: k.listed))
#: What a local edition can be made of (a document's `local: outputs:`), in the catalogue's order of listing.
LOCAL_OUTPUTS = tuple(dict.fromkeys(k.local for k in sorted(CATALOGUE, key=lambda k: k.listed) if k.local))


def imposed(layout: str) -> Kind:
    """The kind an imposition layout makes: saddle → booklet, zine → zine."""
    return next(kind for kind in CATALOGUE if kind.layout == layout)


def by_file_name(name: str) -> tuple[Kind, str] | None:
    """The kind and paper ("A5", "a4") a file name says, for a file that carries no kind of its own.

    >>> [(kind.name, paper) for kind, paper in [by_file_name("x-booklet-a4.pdf"), by_file_name("s-a2-landscape.pdf")]]
    [('booklet', 'a4'), ('poster', 'a2')]
    >>> by_file_name("scan.pdf") is None, by_file_name("x.epub")[0].name, by_file_name("x.txt.pdf") is None
    (True, 'epub', True)
    """
    stem = name.lower().removesuffix(".pdf").rsplit("/", 1)[-1]
    for kind in CATALOGUE:
        if kind.suffix != ".pdf" and not name.lower().endswith(kind.suffix):
            continue  # x.txt.pdf is a PDF
        if match := re.search(kind.stem, stem):
            return kind, match.groupdict().get("paper") or ""
    return None
