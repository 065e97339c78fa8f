"""Justified paragraphs broken as a whole, in WeasyPrint's own layout: measured in a first layout, broken by
samizdat.linebreaks, then set by WeasyPrint exactly as chosen.

How the chosen lines reach WeasyPrint (read in WeasyPrint 70's layout/inline.py
and checked by tests/test_linebreaks.py): it ends a line at the last break
opportunity that fits, and justifies a line by adding the same width to each
U+0020 and U+00A0 in it (justify_line). So every space inside a chosen line
becomes U+00A0 (no opportunity, yet stretched like any space), the space where
a line ends stays, a soft hyphen U+00AD goes where a line ends in a hyphen, and
the paragraph gets `hyphens: manual` so that WeasyPrint hyphenates nothing else.
Each chosen line fits at its natural width and leaves too little room for the
next opportunity (samizdat.linebreaks), so WeasyPrint ends it there. The words
are measured by the very Pango layouts WeasyPrint sets them with, in the style
each run of text has in the first layout. The PDF maps the no-break space's
glyph back to U+0020 (samizdat.pdf), so copied text has ordinary spaces.
"""

from __future__ import annotations

import gc
import json
import math
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from markupsafe import Markup

from samizdat.body import body_tokens, markdown_of, render_body
from samizdat.cache import digest
from samizdat.content import Document
from samizdat.layers import font_layers, layout_layers
from samizdat.output import write_atomically
from samizdat.paragraph_items import MEASURED, TRIES, Paragraph, Runs
from samizdat.paragraph_memo import Memo, frozen, paragraph_key, thawed
from samizdat.paragraph_shapes import line_letters, page_final_hyphens, shapes, unmatched
from samizdat.paragraph_text import Breaks, paragraph_texts
from samizdat.pdf import Layout
from samizdat.records import used_now


def texts_of(document: Document) -> dict[int, Runs]:
    """The text of each paragraph of the document's body, by number."""
    markdown = markdown_of(document)
    return paragraph_texts(body_tokens(markdown, document.body, document.body_line, document.source))


def with_breaks(document: Document, breaks: dict[int, Breaks] | None) -> Document:
    """The document with its body set again so that its paragraphs break where `breaks` says."""
    if not breaks:
        return document
    markdown = markdown_of(document)
    body = render_body(markdown, document.body, document.body_line, document.source, breaks)
    return replace(document, body_html=Markup(body))


def set_paragraphs(
    lay_out: Callable[[dict[int, Breaks] | None], Layout], texts: dict[int, Runs], memo: Memo | None = None
) -> Layout:
    """The layout `lay_out` makes with its justified paragraphs broken as a whole.

    The first layout measures; the second sets the chosen lines (unless the
    first has them already: a short text, often). Then _settle checks them.
    A paragraph `memo` remembers (samizdat.paragraph_memo) is measured only if
    _settle needs to break it again; the memo is saved with what was used.
    """
    layout = lay_out(None)
    MEASURED.clear()
    paragraphs, breaks = Measured(texts), {}
    for number, shape in shapes(layout.document).items():
        if number not in texts:
            continue
        paragraphs.shapes[number], key = shape, paragraph_key(texts[number], shape)
        found, lines = memo.get(key) if memo is not None else (False, None)
        if not found:
            lines = paragraphs.measure(number, texts[number])
        if memo is not None:
            memo.put(key, lines)
        if lines:
            breaks[number] = lines
    MEASURED.clear()
    paragraphs.forget_styles(breaks)  # all measured: the first layout can go before the next is made
    if any(breaks[number].letters != found for number, found in line_letters(layout.document, breaks).items()):
        del layout  # one layout at a time keeps a worker within its memory budget; WeasyPrint's boxes and
        gc.collect()  # styles refer to each other, so only the collector frees them
        layout = lay_out(breaks)
    layout = _settle(lay_out, layout, paragraphs, breaks)
    paragraphs.forget_styles()
    if memo is not None:
        memo.save()
    return layout


class Measured(dict):
    """The measured paragraphs (samizdat.paragraph_items), by number; one the memo gave is measured when first
    asked for, from the styles of the first layout, which are kept for it until the paragraphs are set."""

    def __init__(self, texts: dict[int, Runs]) -> None:
        super().__init__()
        self.shapes: dict[int, object] = {}
        self.texts = texts

    def measure(self, number: int, runs: Runs) -> Breaks | None:
        self[number] = Paragraph(runs, self.shapes[number])
        return self[number].break_lines()

    def __contains__(self, number: object) -> bool:
        return number in self.shapes

    def __missing__(self, number: int) -> Paragraph:
        self[number] = Paragraph(self.texts[number], self.shapes[number])
        return self[number]

    def forget_styles(self, breaks: dict[int, Breaks] | None = None) -> None:
        """Let the first layout's styles go: every paragraph's, or (given the chosen `breaks`) those of the
        measured ones and of those that no page can end in a hyphen of (none of their lines ends in one)."""
        for number, shape in self.shapes.items():
            if breaks is None or number in self.keys() or not getattr(breaks.get(number), "hyphenated", None):
                shape.styles.clear()


def _settle(
    lay_out: Callable[[dict[int, Breaks] | None], Layout], layout: Layout, paragraphs: dict, breaks: dict[int, Breaks]
) -> Layout:
    """The layout again until its lines are the chosen ones and no page ends in a hyphen, a few times at most.

    A paragraph WeasyPrint did not set as chosen is left to WeasyPrint from then
    on. Where a page ends in a hyphen, that paragraph is broken again without a
    hyphen there, into as many lines if it can be (so no page moves), else one
    fewer or one more.
    """
    forbidden: dict[int, set[int]] = {}
    for round_ in range(PAGE_ROUNDS + 1):
        wrong = unmatched(layout.document, breaks)
        for number in wrong:
            del breaks[number]
        moved = False
        for number, ends in page_final_hyphens(layout.document, breaks).items() if round_ < PAGE_ROUNDS else ():
            if number not in paragraphs:
                continue  # remembered lines (set_remembered): not measured, so not broken again
            forbidden.setdefault(number, set()).update(ends)
            breaks[number], moved = _page_end_moved(paragraphs[number], breaks[number], forbidden[number]), True
        if not (wrong or moved):
            return layout
        del layout
        gc.collect()
        layout = lay_out(breaks)
    return layout


def _page_end_moved(paragraph: Paragraph, chosen: Breaks, ends: set[int]) -> Breaks:
    """The paragraph without a hyphen on the lines `ends` that ended a page: broken again with spaces no wider
    than a first choice allows; else its page break one line earlier (a raised `widows`), as a compositor
    would make that page one line short rather than set a gappy line; else broken again however loose."""
    lines = _without_hyphens(paragraph, chosen.lines, frozenset(ends), TRIES[0][1])
    if lines is not None:
        return lines
    if chosen.widows == 0:
        return replace(chosen, widows=chosen.lines - max(ends))
    return _without_hyphens(paragraph, chosen.lines, frozenset(ends), math.inf) or chosen


#: How many times a layout is made again to take a hyphen off the end of a page.
PAGE_ROUNDS = 2


def _without_hyphens(paragraph: Paragraph, count: int, ends: frozenset[int], loosest: float) -> Breaks | None:
    """The paragraph's lines with none of `ends` (line numbers) hyphenated: `count` lines, else one fewer or more
    (so few pages move), with spaces no wider than `loosest` allows."""
    for lines in (count, count - 1, count + 1):
        found = paragraph.break_lines(lines, ends, loosest) if lines > 0 else None
        if found is not None:
            return found
    return None


#: What the chosen lines depend on besides the text, layouts and fonts: samizdat's own code, all of it, since
#: the breaker's costs and also how the body becomes HTML (notes, links, blocks, the language's rules) decide
#: which paragraphs are numbered and what they hold; a change to any of it makes remembered lines stale.
BREAKER = sorted(Path(__file__).parent.rglob("*.py"))


def breaks_path(cache_dir: Path, document: Document, layouts_dir: Path, fonts_dir: Path, *shaping: str) -> Path:
    """Where the lines chosen for a document's paragraphs are remembered: its local editions, the CMYK file and
    the next build with the same text, layouts and fonts set them again without measuring.

    `shaping` is what else moves the text's page breaks, on which the lines
    depend (a hyphen is taken off the end of a page): where the notes go, the
    table of contents, the cover's design. The front matter and the document's
    own settings are in its digest; the paper edition's addresses in the name (its lines are not the screen's).
    """
    layouts, fonts = layout_layers(layouts_dir), font_layers(fonts_dir)  # every layer: samizdat.layers
    key = digest(document.digest or document.source, *layouts.effective("base"), *layouts.effective("pamphlet"),
                 *fonts.effective(), document.notes, *shaping, *BREAKER)  # fmt: skip
    paper = "" if document.printed_links is None else f"-{document.printed_links}"
    return cache_dir / "breaks" / f"{key}{paper}.json"


def remembered(path: Path) -> dict[int, Breaks] | None:
    """The lines remembered at `path`, or None (none yet, or a file this version cannot read: chosen again)."""
    try:
        if not path.is_file() or path.is_symlink():  # a FIFO would hang the worker; a link may lead anywhere
            return None
        data = json.loads(path.read_text(encoding="utf-8"))
        found = {int(number): thawed(entry) for number, entry in data.items()}
        used_now(path)  # kept by prune_remembered
        return found
    except (OSError, ValueError, TypeError, KeyError, AttributeError, RecursionError):
        return None


def remember(path: Path, breaks: dict[int, Breaks]) -> None:
    """Keep the lines chosen for a document, atomically (workers of one build may write the same file)."""
    entries = {str(number): frozen(chosen) for number, chosen in breaks.items()}
    write_atomically(path, json.dumps(entries, sort_keys=True).encode())


def set_remembered(lay_out: Callable[[dict[int, Breaks] | None], Layout], breaks: dict[int, Breaks]) -> Layout:
    """A layout with remembered lines, checked as when they were chosen (paragraphs not set so: WeasyPrint's)."""
    return _settle(lay_out, lay_out(breaks), {}, dict(breaks))
