"""The blank pages a saddle-stitched booklet needs to fill its sheets (a multiple of four pages), put just
before the back cover so that it stays outside.

The screen PDF has none: it is read page by page, and a blank page there is
only a page to scroll past. The imposed booklet gets them from its plan
(samizdat.impose.saddle.booklet_order); the print shop's A5, which the shop
imposes and binds itself, gets them in its own pages here, as WeasyPrint
writes it (a pydyf finisher step, samizdat.pdf), before its crop marks are drawn.

>>> blanks_needed(7), blanks_needed(8), blanks_needed(1)
(1, 0, 0)
"""

from __future__ import annotations

import pydyf

#: Pages on one folded sheet of a saddle-stitched booklet.
PAGES_PER_SHEET = 4


def blanks_needed(count: int) -> int:
    """How many blank pages make `count` pages fill whole sheets; none for a single page."""
    return -count % PAGES_PER_SHEET if count > 1 else 0


def pad_before_back_cover(pdf: pydyf.PDF, back_cover_pages: int = 1) -> None:
    """Insert the blank pages the booklet needs before the back cover (its last `back_cover_pages` pages), each
    the size of its neighbours (MediaBox, BleedBox, TrimBox) and without any content."""
    kids = pdf.pages["Kids"]  # pydyf keeps each page as three items: its number, 0, "R"
    count = len(kids) // 3
    at = -3 * max(1, min(back_cover_pages, count))
    back_cover = pdf.objects[kids[at]]
    for _ in range(blanks_needed(count)):
        contents = pydyf.Stream()
        pdf.add_object(contents)
        blank = pydyf.Dictionary({
            "Type": "/Page", "Parent": pdf.pages.reference, "Resources": pydyf.Dictionary(),
            "Contents": contents.reference,
            **{box: pydyf.Array(back_cover[box]) for box in ("MediaBox", "BleedBox", "TrimBox") if box in back_cover},
        })  # fmt: skip
        pdf.add_object(blank)
        kids[at:at] = [blank.number, 0, "R"]
        pdf.pages["Count"] += 1
