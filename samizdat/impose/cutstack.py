"""Cut and stack: n pages per sheet side; cut the stack of sheets, put the piles on top of each other, done.

Cell k of sheet s holds page k × S + s, where S is the number of sheets, so the
pile under cell 1 holds the first S pages, the pile under cell 2 the next S...
For 8 single-sided pages two-up (1-based, left|right):

>>> [pages(side) for side in cutstack_plan(8, (420, 595), SHEETS["A4"], 2, "none")]
[[1, 5], [2, 6], [3, 7], [4, 8]]

Double-sided, each leaf carries two pages back to back (page 2 behind page 1):

>>> [pages(side) for side in cutstack_plan(8, (420, 595), SHEETS["A4"], 2, "short")]
[[1, 5], [6, 2], [3, 7], [8, 4]]

Bound on the right (a right-to-left text), the sheets are mirrored and the
piles read right to left: the right-hand pile holds pages 1 to 4:

>>> from samizdat.impose.plan import mirrored
>>> [pages(mirrored(side)) for side in cutstack_plan(8, (420, 595), SHEETS["A4"], 2, "short")]
[[5, 1], [2, 6], [7, 3], [4, 8]]
"""

from __future__ import annotations

from math import ceil

from samizdat.impose.plan import SHEETS, Paper, Side, back_of, best_grid
from samizdat.impose.saddle import pages

__all__ = ["SHEETS", "cutstack_plan", "pages"]


def cutstack_plan(count: int, page_size: tuple[float, float], paper: Paper, nup: int, duplex: str) -> list[Side]:
    grid = best_grid(paper, nup, page_size)
    per_leaf = 1 if duplex == "none" else 2
    leaves = ceil(count / per_leaf)
    sheets = ceil(leaves / nup)
    cells = [(column, row) for row in range(grid.rows) for column in range(grid.columns)]

    def page(leaf: int, face: int) -> int | None:
        number = leaf * per_leaf + face
        return number if leaf < leaves and number < count else None

    sides = []
    for sheet in range(sheets):
        leaf_of = [cell * sheets + sheet for cell in range(nup)]
        front = Side(
            grid.width, grid.height, tuple(grid.slot(c, r, page(leaf_of[i], 0)) for i, (c, r) in enumerate(cells)),
            cuts=grid.cuts(),
        )  # fmt: skip
        sides.append(front)
        if per_leaf == 2:
            behind = [grid.slot(c, r, page(leaf_of[i], 1)) for i, (c, r) in enumerate(cells)]
            sides.append(back_of(front, behind, duplex))
    return sides
