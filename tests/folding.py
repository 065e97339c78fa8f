"""Folding printed sheets as paper is, to read a booklet back page by page: the physical check of imposition.

Sides are dicts (column, row from the top) → (what is printed, rotation), read
back from the imposed PDF; a booklet has two columns, its left and right
halves. Nothing here knows how samizdat imposes: it nests, folds and reads.
"""

from __future__ import annotations

Side = dict[tuple[int, int], tuple]  # (column, row from the top) → (page number or text, rotation)


def as_turned_like_a_book(back: Side, duplex: str) -> Side:
    """The back as a reader sees it after turning the sheet over around its fold: on the long edge a
    landscape sheet's back comes out upside down, so its halves swap and its pages must have been turned."""
    if duplex == "short":
        return back
    return {(1 - column, row): (number, (rotation + 180) % 360) for (column, row), (number, rotation) in back.items()}


def folded_faces(sheets: list[tuple[Side, Side]]) -> list[int | None]:
    """Nest the sheets (the first outside), fold them in half, and list every face from one outside to the other.

    The outer sheet's front is outside. Each sheet makes two leaves: the front's right half backed by the
    back's left half, and the front's left half backed by the back's right half. Seen from the side where
    the fronts' right halves are outside, the leaves come one inside the other, then back out.
    """
    face = lambda side, column: side.get((column, 0), (None,))[0]  # noqa: E731 - a one-line reader
    near = [page for front, back in sheets for page in (face(front, 1), face(back, 0))]
    far = [page for front, back in reversed(sheets) for page in (face(back, 1), face(front, 0))]
    return near + far


def read_folded_booklet(
    sides: list[Side], duplex: str, sheets_per_signature: int | None = None, bind: str = "left"
) -> list:
    """What a reader meets, page by page, in the folded booklet: signatures stacked in order, each folded.

    Held with the fold on the left of the cover (bound left), the faces come as `folded_faces` lists them;
    turned over, with the fold on the right of the cover (bound right), in the reverse order.
    """
    sheets = [(sides[i], as_turned_like_a_book(sides[i + 1], duplex)) for i in range(0, len(sides), 2)]
    for front, back in sheets:
        assert all(rotation == 0 for _, rotation in [*front.values(), *back.values()]), (front, back)
    group = sheets_per_signature or len(sheets)
    order: list = []
    for start in range(0, len(sheets), group):
        faces = folded_faces(sheets[start : start + group])
        order += faces if bind == "left" else faces[::-1]
    return order


def booklet_reading_order(count: int) -> list[int | None]:
    """Pages 1..n-1, the blanks that fill the last sheet, then the back cover n."""
    if count == 1:
        return [1, None, None, None]
    return [*range(1, count), *[None] * (-count % 4), count]


def printed_by_hand(fronts: list[Side], backs: list[Side], feed: str) -> list[Side]:
    """The sheets as a printer that prints one side only and a person make them: front, back, front, back...

    The first pass prints the fronts, one per sheet; each sheet lands on the last in the output tray, so the
    first is at the bottom. The person lifts the whole stack and puts it in the paper tray: turned over
    ("turn-over"), the bottom sheet is now on top; as it lies ("as-it-lies"), the top one stays there. The tray
    feeds its top sheet first: the second pass prints the k-th back onto the k-th sheet fed. How each back then
    lies behind its front is the flip, as with a duplex printer (read_folded_booklet's `duplex`).
    """
    bottom_to_top = list(range(len(fronts)))
    fed = bottom_to_top if feed == "turn-over" else bottom_to_top[::-1]  # top to bottom, as the tray feeds them
    back_of = {sheet: backs[order] for order, sheet in enumerate(fed)}
    return [side for sheet, front in enumerate(fronts) for side in (front, back_of[sheet])]
