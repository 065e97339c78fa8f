"""Plans are data: which source page goes in which cell of which sheet side, turned how.

A plan is computed by arithmetic alone, from page counts and sheet sizes;
`samizdat.impose.place` then applies it to a PDF, through `samizdat.pdfio`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

from samizdat.errors import SamizdatError
from samizdat.paper import MM, PAPERS, Paper

__all__ = [
    "BINDINGS",
    "DUPLEX",
    "MM",
    "SHEETS",
    "Grid",
    "Paper",
    "Side",
    "Slot",
    "back_of",
    "best_grid",
    "mirrored",
    "turned_half",
]

#: The sheets home and office printers take.
SHEETS = {name: PAPERS[name] for name in ("A4", "A3", "Letter")}

DUPLEX = ("short", "long", "none")
#: The edge a booklet is bound on, seen from its cover: left for left-to-right text, right for right-to-left.
BINDINGS = ("left", "right")
MIRRORED = {"left": "right", "centre": "centre", "right": "left"}


@dataclass(frozen=True)
class Slot:
    """One cell of a sheet side: the rectangle (points) and what fills it.

    `page` is a 0-based source page index, or None for a blank. `rotation` is
    0, 90, 180 or 270 degrees counter-clockwise. `shift` moves the page inside
    its cell along x (creep compensation), in points. `align` puts the page
    against the "left" or "right" edge of its cell instead of in its centre:
    where two cells meet at a fold, the pages must meet there too, or a
    full-bleed cover shows a white strip down the fold.
    """

    page: int | None
    x: float
    y: float
    width: float
    height: float
    rotation: int = 0
    shift: float = 0.0
    align: str = "centre"  # "left", "centre" or "right", along x in the sheet's space


@dataclass(frozen=True)
class Side:
    """One side of a sheet: one page of the imposed PDF."""

    width: float
    height: float
    slots: tuple[Slot, ...]
    folds: tuple[float, ...] = ()  # x positions of fold lines (the spine of a booklet)
    cuts: tuple[tuple[str, float], ...] = ()  # ("x", 297.6) for a vertical cut line


@dataclass(frozen=True)
class Grid:
    """A sheet divided into equal cells: columns × rows on a portrait or landscape sheet."""

    columns: int
    rows: int
    landscape: bool
    width: float
    height: float

    @property
    def cell(self) -> tuple[float, float]:
        return self.width / self.columns, self.height / self.rows

    def slot(self, column: int, row: int, page: int | None, rotation: int = 0) -> Slot:
        """The cell at `column` from the left and `row` from the top."""
        cell_width, cell_height = self.cell
        return Slot(page, column * cell_width, self.height - (row + 1) * cell_height, cell_width, cell_height, rotation)

    def cuts(self) -> tuple[tuple[str, float], ...]:
        cell_width, cell_height = self.cell
        return tuple(("x", column * cell_width) for column in range(1, self.columns)) + tuple(
            ("y", row * cell_height) for row in range(1, self.rows)
        )


def best_grid(paper: Paper, count: int, page_size: tuple[float, float]) -> Grid:
    """The columns × rows and sheet orientation that show `count` pages of `page_size` biggest."""
    candidates = []
    for columns in range(1, count + 1):
        if count % columns:
            continue
        rows = count // columns
        for landscape in (False, True):
            width, height = paper.oriented(landscape)
            scale = min(width / columns / page_size[0], height / rows / page_size[1])
            candidates.append((round(scale, 6), landscape == (page_size[0] > page_size[1]), columns, rows, landscape))
    _, _, columns, rows, landscape = max(candidates)
    width, height = paper.oriented(landscape)
    return Grid(columns, rows, landscape, width, height)


def back_of(front: Side, back_slots: list[Slot], duplex: str) -> Side:
    """The back side whose cells sit behind `back_slots`' positions as given for the front.

    `back_slots` are placed where they must be read: behind a front cell, when the
    sheet is turned over like a book page (around its vertical axis). A printer
    flips landscape sheets that way on the short edge and portrait sheets on the
    long edge; for the other flip the back is turned by 180° to match.
    """
    mirrored = [
        replace(slot, x=front.width - slot.x - slot.width, shift=-slot.shift, align=MIRRORED[slot.align])
        for slot in back_slots
    ]
    landscape = front.width > front.height
    turns_like_a_book = (duplex == "short") == landscape
    if not turns_like_a_book:
        mirrored = [turned_half(slot, front.width, front.height) for slot in mirrored]
    # Folds and cuts of equal cells are symmetric: the back has the same lines.
    return Side(front.width, front.height, tuple(mirrored), front.folds, front.cuts)


def turned_half(slot: Slot, width: float, height: float) -> Slot:
    """The slot as it lands when the whole side is turned by 180°."""
    return replace(
        slot,
        x=width - slot.x - slot.width,
        y=height - slot.y - slot.height,
        rotation=(slot.rotation + 180) % 360,
        shift=-slot.shift,
        align=MIRRORED[slot.align],
    )


def mirrored(side: Side) -> Side:
    """The side seen in a mirror held along its vertical middle: every cell moved across, each page upright as
    before (a mirror image of the sheet, not of the pages on it).

    Folding and cutting paper are the same in the mirror, so a right-bound imposition is the left-bound one
    mirrored, front and back alike: the back of a cell is the back of its mirrored cell too (turned like a
    book page or by 180°, x goes to width - x on both sides). The booklet's cover lands on the left of its
    fold, so the fold is on its right; cut-and-stack piles and zine panels run right to left.
    """
    slots = tuple(
        replace(slot, x=side.width - slot.x - slot.width, shift=-slot.shift, align=MIRRORED[slot.align])
        for slot in side.slots
    )
    cuts = tuple((axis, side.width - at if axis == "x" else at) for axis, at in side.cuts)
    return Side(side.width, side.height, slots, tuple(sorted(side.width - x for x in side.folds)), cuts)


# Tiling: a large page split onto small sheets (see samizdat.tile, which writes them).

TILE_SHEETS = ("A4", "A3", "Letter")


@dataclass(frozen=True)
class TileOptions:
    sheet: str = "A4"
    overlap_mm: float = 10.0
    margin_mm: float = 5.0  # what the printer cannot print, at each edge
    marks: bool = True


@dataclass(frozen=True)
class TileGrid:
    """How one page is cut: sheet orientation, columns × rows, and the step between tiles (points)."""

    landscape: bool
    columns: int
    rows: int
    printable: tuple[float, float]
    step: tuple[float, float]


def tile_grid(width: float, height: float, options: TileOptions) -> TileGrid:
    """The fewest sheets, trying both orientations (portrait wins a tie).

    >>> grid = tile_grid(841.89, 1190.55, TileOptions())  # A3 onto A4
    >>> grid.columns, grid.rows, grid.landscape
    (2, 2, False)
    """
    overlap, margin = options.overlap_mm * MM, options.margin_mm * MM
    best = None
    for landscape in (False, True):
        sheet_width, sheet_height = PAPERS[options.sheet].oriented(landscape)
        printable = (sheet_width - 2 * margin, sheet_height - 2 * margin)
        if min(printable) <= overlap:
            raise SamizdatError(f"an overlap of {options.overlap_mm} mm leaves nothing to print on {options.sheet}")
        step = (printable[0] - overlap, printable[1] - overlap)
        columns = 1 if width <= printable[0] + 0.01 else math.ceil((width - overlap - 0.01) / step[0])
        rows = 1 if height <= printable[1] + 0.01 else math.ceil((height - overlap - 0.01) / step[1])
        grid = TileGrid(landscape, columns, rows, printable, step)
        if best is None or columns * rows < best.columns * best.rows:
            best = grid
    return best


TILE_INSTRUCTIONS = "print at 100 % (actual size), trim along the marks, glue the sheets in the order of their labels"
