"""Impose stage: any PDF onto printer's sheets as a booklet, cut-and-stack, step-and-repeat or one-page zine.

This package's top holds what the organiser chooses and how to print it, in
words; it imports no PDF library, so the command line starts fast.
`imposer.impose()` reads the source, asks the layout's module for a plan (pure
data), mirrors it for a right-bound booklet (`plan.mirrored`), and lets
`place.apply_plan` write it with pypdf.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from samizdat.catalogue import KINDS, Kind, imposed
from samizdat.errors import UsageError
from samizdat.impose.manual import FEEDS, FLIPS, PARTS
from samizdat.impose.plan import BINDINGS, DUPLEX, SHEETS
from samizdat.messages import plural

LAYOUTS = ("saddle", "cutstack", "repeat", "zine")
NUPS = (2, 4, 8)
#: How the sheets get their backs: a duplex printer's flip (DUPLEX), or by hand ("manual": samizdat.impose.manual).
DUPLEX_CHOICES = (*DUPLEX, "manual")
#: The catalogue's kind of each part of a manual-duplex booklet.
MANUAL_KINDS = {"one": "booklet-manual", "fronts": "booklet-fronts", "backs": "booklet-backs"}


@dataclass(frozen=True)
class ImposeOptions:
    """What the organiser asks for; the defaults make an A4 booklet for a short-edge duplex printer."""

    layout: str = "saddle"
    sheet: str = "A4"
    duplex: str = "short"
    nup: int = 4
    creep_mm: float = 0.0
    signature: int | None = None
    marks: bool | None = None  # None: cut marks for cutstack and repeat, none for booklets and zines
    keep_bleed: bool = False
    bind: str = "left"  # "right" for a right-to-left text: the cover's fold on its right, piles and panels mirrored
    feed: str = "turn-over"  # manual duplex: what is done with the printed stack (samizdat.impose.manual.FEEDS)
    flip: str = "short"  # manual duplex: how each back lands behind its front, as a duplex printer's flip
    part: str = "one"  # manual duplex: the whole booklet in one file, or its "fronts" or "backs" file

    @property
    def manual(self) -> bool:
        return self.duplex == "manual"

    @property
    def draws_marks(self) -> bool:
        return self.marks if self.marks is not None else self.layout in ("cutstack", "repeat")


def check_options(options: ImposeOptions) -> None:
    def one_of(what: str, value: object, choices: tuple) -> None:
        if value not in choices:
            raise UsageError(f"unknown {what} '{value}': choose one of {', '.join(map(str, choices))}")

    one_of("layout", options.layout, LAYOUTS)
    one_of("sheet", options.sheet, tuple(SHEETS))
    one_of("duplex setting", options.duplex, DUPLEX_CHOICES)
    one_of("binding", options.bind, BINDINGS)
    if options.manual:
        one_of("feed", options.feed, FEEDS)
        one_of("flip", options.flip, FLIPS)
        one_of("part", options.part, PARTS)
        if options.layout != "saddle":
            raise UsageError(
                "--duplex manual makes a booklet (--layout saddle); cut-and-stack and repeat print on one side "
                "with --duplex none"
            )
    if options.layout in ("cutstack", "repeat"):
        one_of("nup (pages per sheet side)", options.nup, NUPS)
    if options.layout == "saddle" and options.duplex == "none":
        raise UsageError("a saddle-stitched booklet is printed on both sides: use --duplex short or long")
    if not math.isfinite(options.creep_mm) or options.creep_mm < 0 or options.creep_mm > 5:
        raise UsageError(f"creep of {options.creep_mm} mm per sheet is out of range: give 0 to 5 mm (paper is ~0.1 mm)")
    if options.signature is not None and options.signature < 1:
        raise UsageError("a signature holds at least 1 sheet: give --signature 1 or more")


def imposition_suffix(options: ImposeOptions) -> str:
    """The file name part of an imposed output, from its kind's pattern (samizdat.catalogue): booklet-a4,
    repeat-4up-letter, zine-a4...

    >>> imposition_suffix(ImposeOptions(signature=3)), imposition_suffix(ImposeOptions("repeat", "Letter"))
    ('booklet-sig3-a4', 'repeat-4up-letter')
    """
    sig = f"-sig{options.signature}" if options.signature else ""
    name = kind_of(options).file_name(slug="", sig=sig, nup=options.nup, sheet=options.sheet.lower())
    return name.removeprefix("-").removesuffix(".pdf")


def kind_of(options: ImposeOptions) -> Kind:
    """The catalogue's kind of the file an imposition writes: its layout's, or a part of a manual-duplex booklet."""
    return KINDS[MANUAL_KINDS[options.part]] if options.manual else imposed(options.layout)


def imposition_purpose(options: ImposeOptions) -> str:
    """What the imposed file is, and how to print it (its kind's purpose), for the summary and the download page."""
    return kind_of(options).describe(sheet=options.sheet, nup=options.nup, instructions=instructions(options))


def manual_steps(options: ImposeOptions) -> str:
    """How to print a manual-duplex booklet's two passes, in plain words (the instruction page says it at length).

    >>> manual_steps(ImposeOptions(duplex="manual", feed="as-it-lies"))
    'print the fronts on one side, take off the instruction page printed last, put the whole printed stack back in \
the paper tray as it lies, not turned over, and print the backs'
    """
    stack = {
        "turn-over": "turn the whole printed stack over and put it back in the paper tray",
        "as-it-lies": "put the whole printed stack back in the paper tray as it lies, not turned over",
    }[options.feed]
    return f"print the fronts on one side, take off the instruction page printed last, {stack}, and print the backs"


def instructions(options: ImposeOptions) -> str:
    """How to print, cut and fold, in plain words; a right-bound one says so, and where its cover is."""
    sides = manual_steps(options) if options.manual else {
        "short": "print double-sided, flip on the short edge",
        "long": "print double-sided, flip on the long edge",
        "none": "print on one side",
    }[options.duplex]  # fmt: skip
    right = options.bind == "right"
    bound = "; it binds on the right, for right-to-left text: the cover is the left half of the first sheet's front"
    if options.layout == "saddle" and options.signature:
        return (
            f"{sides}; fold each group of {plural(options.signature, 'sheet')} in half as it comes out, "
            f"stack the folded groups in order, sew or glue them along the fold{bound if right else ''}"
        )
    if options.layout == "saddle":
        return f"{sides}; fold the stack of sheets in half, staple twice at the fold{bound if right else ''}"
    if options.layout == "cutstack":
        corner, way = ("top-right", "right to left") if right else ("top-left", "left to right")
        return (
            f"{sides}; keep the sheets in order, cut the stack along the cut marks, then put the piles "
            f"on top of each other: the {corner} pile on top, then {way}, row by row"
            + ("; bind the stack on the right, for right-to-left text" if right else "")
        )
    if options.layout == "repeat":  # every piece is a whole copy: nothing is bound, left or right
        return f"{sides}; cut along the cut marks: each piece is one copy"
    return (
        "print on one side; fold in half the long way, printed side out; unfold, cut along the middle "
        "between the outer panels; fold the long way again, push the ends together and flatten into a booklet"
        + (" that opens on the right, for right-to-left text" if right else "")
    )


#: The end of `build.py impose --help`: the layouts, and how to print each.
IMPOSE_EPILOG = """\
Layouts:
  saddle    a booklet: pages two-up, sheets nested and folded (--signature N for thick ones)
  cutstack  --nup pages per side; cut the stack once or twice, stack the piles: pages in order
  repeat    --nup copies of each page per side: flyers (4 A6 on A4), cards (8 A7 on A4)
  zine      8 pages on one side of one sheet, one cut and a few folds

The source's TrimBox is what is placed (scaled to fit, centred); --keep-bleed
keeps the bleed around it. Any PDF works, ours or not.

--bind right makes a booklet for a right-to-left text (Arabic, Persian,
Hebrew): the sheets as in a mirror, so that the cover has the fold on its
right and the pages read right to left; cut-and-stack piles and zine panels
run right to left too. The build binds right by itself for a document whose
lang is written right to left.

--duplex manual makes a booklet for a printer that prints one side only:
OUT-fronts.pdf (the sheets' fronts, then a page that says what to do with
the printed stack) and OUT-backs.pdf; --files one puts both in OUT.pdf, the
page between them. --feed (turn-over, as-it-lies) and --flip (short, long)
say how your printer takes the stack back: the printer test sheet that the
build makes (SLUG-printer-test-a4.pdf) tells which.

How to print what it makes:
""" + "\n".join(
    f"  {layout:<9} {instructions(ImposeOptions(layout=layout, duplex='none' if layout == 'zine' else 'short'))}"
    for layout in LAYOUTS
)
