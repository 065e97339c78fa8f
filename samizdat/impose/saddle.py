"""Saddle-stitched booklet: sheets printed on both sides, nested, folded once and stapled at the fold.

Two pages sit side by side on each sheet side. For 8 pages on two sheets, the
sides read (left|right, 1-based) 8|1, 2|7 for the outer sheet and 6|3, 4|5 for
the inner one:

>>> [pages(side) for side in saddle_plan(8, (420, 595), SHEETS["A4"])]
[[8, 1], [2, 7], [6, 3], [4, 5]]

Pages are padded to a multiple of four with blanks placed before the back
cover, so that cover and back cover stay outside:

>>> [pages(side) for side in saddle_plan(6, (420, 595), SHEETS["A4"])]
[[6, 1], [2, None], [None, 3], [4, 5]]

Bound on the right, for a right-to-left text, the same sheets are seen in a
mirror (samizdat.impose.plan.mirrored): the cover, page 1, is the left half of
the outer sheet's front, so that the fold is on its right, and each opened
spread reads right to left (the middle one 5|4):

>>> from samizdat.impose.plan import mirrored
>>> [pages(mirrored(side)) for side in saddle_plan(8, (420, 595), SHEETS["A4"])]
[[1, 8], [7, 2], [3, 6], [5, 4]]

With signatures of N sheets, the booklet is split into folded groups of 4N
pages, each imposed like a small booklet, to be stacked in order and sewn or
glued along the spine.
"""

from __future__ import annotations

from dataclasses import replace

from samizdat.impose.plan import MM, SHEETS, Paper, Side, Slot, back_of

__all__ = ["SHEETS", "booklet_order", "pages", "saddle_plan"]


def booklet_order(count: int, multiple: int = 4) -> list[int | None]:
    """Source pages padded to a multiple of `multiple`, the blanks just before the back cover."""
    blanks = [None] * (-count % multiple)
    if count < 2:
        return [*range(count), *blanks]
    return [*range(count - 1), *blanks, count - 1]


def saddle_plan(
    count: int,
    page_size: tuple[float, float],
    paper: Paper,
    duplex: str = "short",
    creep_mm: float = 0.0,
    signature: int | None = None,
) -> list[Side]:
    """Sheet sides, front then back, for a booklet of `count` pages folded along the middle of `paper`."""
    order = booklet_order(count)
    size = 4 * signature if signature else len(order)
    sides = []
    for start in range(0, len(order), size):
        sides += _signature(order[start : start + size], paper, duplex, creep_mm * MM)
    return sides


def _signature(order: list[int | None], paper: Paper, duplex: str, creep: float) -> list[Side]:
    width, height = paper.oriented(landscape=True)
    half = width / 2
    last = len(order) - 1
    sides = []
    for sheet in range(len(order) // 4):
        shift = creep * sheet  # inner sheets stick out more once folded: move them toward the spine
        # The pages meet at the fold; what the sheet has to spare goes to the outer edges, which are trimmed.
        left = Slot(order[last - 2 * sheet], 0, 0, half, height, shift=shift, align="right")
        right = Slot(order[2 * sheet], half, 0, half, height, shift=-shift, align="left")
        front = Side(width, height, (left, right), folds=(half,))
        behind = [replace(left, page=order[last - 2 * sheet - 1]), replace(right, page=order[2 * sheet + 1])]
        sides += [front, back_of(front, behind, duplex)]
    return sides


def pages(side: Side) -> list[int | None]:
    """1-based page numbers of a side, left to right: for doctests and messages."""
    return [None if slot.page is None else slot.page + 1 for slot in sorted(side.slots, key=lambda s: (-s.y, s.x))]
