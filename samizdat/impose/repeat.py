"""Step and repeat: the same page n times on a sheet side (four A6 flyers on A4, eight A7 cards).

Double-sided, the back of every copy carries the next page, so that each cut
piece has page 1 on its front and page 2 on its back:

>>> [pages(side) for side in repeat_plan(2, (420, 595), SHEETS["A4"], 4, "long")]
[[1, 1, 1, 1], [2, 2, 2, 2]]
"""

from __future__ import annotations

from samizdat.impose.plan import SHEETS, Paper, Side, back_of, best_grid
from samizdat.impose.saddle import pages

__all__ = ["SHEETS", "pages", "repeat_plan"]


def repeat_plan(count: int, page_size: tuple[float, float], paper: Paper, nup: int, duplex: str) -> list[Side]:
    grid = best_grid(paper, nup, page_size)
    cells = [(column, row) for row in range(grid.rows) for column in range(grid.columns)]
    per_sheet = 1 if duplex == "none" else 2
    sides = []
    for first in range(0, count, per_sheet):
        front = Side(grid.width, grid.height, tuple(grid.slot(c, r, first) for c, r in cells), cuts=grid.cuts())
        sides.append(front)
        if per_sheet == 2:
            back_page = first + 1 if first + 1 < count else None
            sides.append(back_of(front, [grid.slot(c, r, back_page) for c, r in cells], duplex))
    return sides
