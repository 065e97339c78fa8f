"""The one-page zine: eight pages on one side of one sheet, one cut, a few folds.

The sheet is landscape, in four columns and two rows. The bottom row reads
6 7 8 1 (8 is the back cover, 1 the front cover); the top row, turned upside
down, reads 5 4 3 2:

>>> plan = zine_plan(8, SHEETS["A4"])
>>> pages(plan[0]), [slot.rotation for slot in plan[0].slots]
([5, 4, 3, 2, 6, 7, 8, 1], [180, 180, 180, 180, 0, 0, 0, 0])

Bound on the right (a right-to-left text), the sheet is mirrored: the bottom
row reads 1 8 7 6, the top row 2 3 4 5, still upside down; the cover has its
fold on its right:

>>> from samizdat.impose.plan import mirrored
>>> pages(mirrored(plan[0]))
[2, 3, 4, 5, 1, 8, 7, 6]

Fold it in half along the long middle, printed side out; unfold, cut the middle
fold between the first and last columns; fold in half the long way again, push
the ends together so that the cut opens, and flatten into a booklet.
"""

from __future__ import annotations

from dataclasses import replace

from samizdat.errors import SamizdatError
from samizdat.impose.plan import SHEETS, Grid, Paper, Side
from samizdat.impose.saddle import booklet_order, pages

__all__ = ["SHEETS", "pages", "zine_plan"]

TOP_ROW = (4, 3, 2, 1)  # 0-based pages 5 4 3 2, upside down
BOTTOM_ROW = (5, 6, 7, 0)  # pages 6 7 8 1
SPINE_SIDE = ("right", "left", "right", "left")  # where each column's page meets its spread's other page


def zine_plan(count: int, paper: Paper) -> list[Side]:
    if count > 8:
        raise SamizdatError(f"a one-page zine holds 8 pages and this PDF has {count}; use --layout saddle instead")
    order = booklet_order(count, multiple=8)
    width, height = paper.oriented(landscape=True)
    grid = Grid(4, 2, True, width, height)
    slots = [grid.slot(column, 0, order[index], rotation=180) for column, index in enumerate(TOP_ROW)]
    slots += [grid.slot(column, 1, order[index]) for column, index in enumerate(BOTTOM_ROW)]
    # Columns 1|2 and 3|4 are spreads (4|5 and 2|3 on top, 6|7 and the covers 8|1 below): they meet at their fold.
    slots = [replace(slot, align=SPINE_SIDE[column % 4]) for column, slot in enumerate(slots)]
    return [
        Side(width, height, tuple(slots), folds=(width / 4, width / 2, 3 * width / 4), cuts=(("zine", height / 2),))
    ]
