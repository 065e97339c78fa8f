"""Manual duplex: a booklet for a printer that prints one side only, as fronts, an instruction page, then backs.

The person prints the sheets' fronts, turns the whole printed stack as the
instruction page says and puts it back in the paper tray, then prints the
backs. What the printer does with the stack is a fact of that printer, which
the printer test sheet (samizdat.printer_sheets) finds out; two settings say it:

- `feed`: what the person does with the printed stack. "turn-over": the whole
  stack turned over (the printed sides then face the way blank paper did);
  the first sheet printed, at the bottom of the output tray, is then on top and
  is fed first again, so the backs come in the fronts' order. "as-it-lies":
  put back as it came out, not turned over (a printer that prints the other side
  of the paper in the tray); the last sheet printed is fed first, so the backs
  come in reverse order.
- `flip`: how each back lands behind its front, as with a duplex printer: on the
  long or the short edge (the test sheet's side 2 tells which).

For the 8-page booklet (sheets 8|1 2|7 and 6|3 4|5), turned over, the backs
follow in the fronts' order; put back as it lies, the last sheet's back first:

>>> from samizdat.impose.plan import SHEETS
>>> from samizdat.impose.saddle import pages, saddle_plan
>>> sides = saddle_plan(8, (420, 595), SHEETS["A4"])
>>> [[pages(side) for side in part] for part in print_order(sides, "turn-over")]
[[[8, 1], [6, 3]], [[2, 7], [4, 5]]]
>>> [[pages(side) for side in part] for part in print_order(sides, "as-it-lies")]
[[[8, 1], [6, 3]], [[4, 5], [2, 7]]]
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import dataclass

from samizdat.impose.plan import Side

FEEDS = ("turn-over", "as-it-lies")
FLIPS = ("short", "long")
#: The files a manual-duplex booklet is written as: "two" (fronts, then backs) or "one" (with the separator).
FILES = ("two", "one")
#: What one written file holds: everything ("one"), or the fronts with the instruction page, or the backs.
PARTS = ("one", "fronts", "backs")


@dataclass(frozen=True)
class Separator:
    """What the instruction page between the fronts and the backs says, and its size (the sheets')."""

    sheets: int  # how many sheets were printed: the stack to turn
    feed: str  # one of FEEDS
    then: str  # what to print next: "pages 5 to 8 of this file", or the backs' file name
    width: float  # points, the sheet side's
    height: float


#: Renders the instruction page as a one-page PDF (samizdat.printer_sheets.separator_maker).
SeparatorMaker = Callable[[Separator], bytes]


def print_order(sides: list[Side], feed: str) -> tuple[list[Side], list[Side]]:
    """The sheets' fronts, and their backs in the order the second pass feeds the sheets."""
    fronts, backs = sides[0::2], sides[1::2]
    return fronts, backs if feed == "turn-over" else backs[::-1]


def next_step(part: str, sheets: int, backs_name: str) -> str:
    """What the instruction page tells to print next: the backs' file, or this file's last pages.

    >>> next_step("one", 3, ""), next_step("fronts", 3, "x-booklet-a4-backs.pdf")
    ('pages 5 to 7 of this file', 'x-booklet-a4-backs.pdf')
    """
    if part == "one":
        first = sheets + 2
        return f"page {first} of this file" if sheets == 1 else f"pages {first} to {first + sheets - 1} of this file"
    return backs_name


def add_manual_arguments(parser: argparse.ArgumentParser) -> None:
    """`impose`'s options for manual duplex (with `--duplex manual`)."""
    parser.add_argument("--feed", choices=FEEDS, default="turn-over", help="manual: what is done with the printed "
                        "stack before the backs: turned over (default) or put back as it lies")  # fmt: skip
    parser.add_argument("--flip", choices=FLIPS, default="short", help="manual: how the backs land behind the fronts, "
                        "as the printer test sheet says (default: short)")  # fmt: skip
    parser.add_argument("--files", choices=FILES, default="two", help="manual: OUT-fronts.pdf and OUT-backs.pdf "
                        "(default), or one OUT.pdf with the instruction page between them")  # fmt: skip
