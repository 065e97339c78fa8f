"""Tables measured in WeasyPrint's layout: one wider than the text is set smaller, with a warning naming its line,
and refused with its line when even the smallest size does not fit. Never clipped.

WeasyPrint gives a table too wide for its column the width of its widest
words and lets it run past the margin, where the page's edge cuts it off; its
box tree is the only place that says so (it has no public one).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path

from weasyprint.formatting_structure import boxes

from samizdat.errors import ContentError
from samizdat.pdf import Layout
from samizdat.pdfio.weasy import page_box

#: The sizes a table too wide is set at, in turn (layouts/pamphlet/blocks.css: `table[data-smaller]`), as a share
#: of the text's size; a table is 0.9 of it to begin with.
SMALLER = {"1": "80 %", "2": "70 %"}
LAST = "2"

#: How far past its column a table may reach before it counts as too wide (rounding), in CSS px.
TOLERANCE = 0.5

TABLE = re.compile(r'<table data-line="(\d+)"')


def fitted(html: str, lay_out_html: Callable[[str], Layout], source: Path) -> Layout:
    """`html` laid out by `lay_out_html` with every table within its column: each one too wide is set a size
    smaller and the whole laid out again, up to the smallest size; one wider still is an error naming its line."""
    layout, smaller = lay_out_html(html), {}
    while wide := too_wide(layout.document):
        stuck = [line for line in wide if smaller.get(line) == LAST]
        if stuck:
            raise ContentError(
                f"this table is too wide for the page even set at {SMALLER[LAST]} of the text's size (it needs "
                f"{wide[stuck[0]]:.0%} of the text's width): give it fewer columns or shorter headings, or break "
                "its longest words (an address, a long number)",
                source,
                min(stuck),
            )
        for line in wide:
            smaller[line] = str(int(smaller.get(line, "0")) + 1)
        layout = lay_out_html(_set_smaller(html, smaller))
    layout.notices.extend(
        f"line {line}: the table is too wide for the page at the text's size; it is set at {SMALLER[step]} of it "
        "(fewer or narrower columns would keep it at the text's size)"
        for line, step in sorted(smaller.items())
    )
    return layout


def _set_smaller(html: str, smaller: dict[int, str]) -> str:
    """The tables of `html` named by their line marked to be set smaller (`data-smaller`)."""

    def mark(match: re.Match) -> str:
        step = smaller.get(int(match.group(1)))
        return match.group() + (f' data-smaller="{step}"' if step else "")

    return TABLE.sub(mark, html)


def too_wide(document: object) -> dict[int, float]:
    """The tables (by their line in the file, `data-line`: samizdat.blocks) wider than the column they stand in:
    their width as a share of the column's."""
    found: dict[int, float] = {}
    for page in document.pages:
        for table, column in _tables(page_box(page), page_box(page).width):
            width = table.border_width()
            if width > column + TOLERANCE:
                line = int(table.element.get("data-line"))
                found[line] = max(found.get(line, 0.0), width / column)
    return found


def _tables(box: boxes.Box, column: float) -> Iterator[tuple[boxes.Box, float]]:
    """Each table box with a `data-line`, and the content width of the block its wrapper stands in."""
    if isinstance(box, boxes.BlockBox) and box.is_table_wrapper:
        table = box.get_wrapped_table()
        if table is not None and table.element is not None and table.element.get("data-line"):
            yield table, column
        return
    if isinstance(box, boxes.BlockContainerBox):
        column = box.width
    for child in getattr(box, "children", ()):
        yield from _tables(child, column)
