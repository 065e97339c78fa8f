"""What a first layout shows must change: running heads that would wrap into the margin, shortened at a word
boundary with an ellipsis; blocks set apart that are taller than a page, let to break between their items; a
cover title of many lines, set smaller.

Both are measured in WeasyPrint's own layout, not guessed from the number of
characters: a running head is too long when its margin box holds more than one
line, and the shorter text is measured by the Pango layout WeasyPrint sets it
with, in the margin box's style, against its width. A `::: demands` block is
kept on one page (`break-inside: avoid` in the layout's CSS); one that still
runs over two pages is taller than a page, so WeasyPrint first pushed it to a
new page, leaving a gap: it gets `data-split`, and breaks between its items.
A cover title (`data-fit="title"`) set on more than TITLE_LINES lines gets
`data-fit="title long"`, which the layout sets smaller. The HTML is then laid
out once more. The only module besides
samizdat.paragraph_shapes that reads WeasyPrint's box tree.
"""

from __future__ import annotations

import gc
import html
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from markupsafe import escape
from weasyprint.formatting_structure import boxes
from weasyprint.text.line_break import split_first_line

from samizdat.content import Document
from samizdat.pdf import Layout
from samizdat.pdfio.weasy import page_box

ELLIPSIS = "…"
#: Where a running head's text is, in the HTML: `data-running-head="…"` (samizdat.contents, pamphlet.html).
HEAD_ATTRIBUTE = re.compile(r'data-running-head="([^"]*)"')
BLOCK_ATTRIBUTE = re.compile(r'data-block="(\d+)"')
TITLE_ATTRIBUTE = 'data-fit="title"'
#: A cover title on more lines than this is set smaller (pamphlet.css: [data-fit~=long]).
TITLE_LINES = 6
#: What may not end a shortened head before its ellipsis: a space, a dash, an opening quote, a colon...
LOOSE_END = " \u00a0:;,–—-‐/(«„“‘\"'"


@dataclass
class Fitting:
    """What earlier layouts of one document showed: the running heads to shorten, the blocks to let break."""

    document: Document
    short: dict[str, str] = field(default_factory=dict)  # a head as written → as it fits on one line
    split: set[int] = field(default_factory=set)  # `data-block` numbers
    long_title: bool = False

    def apply(self, page_html: str) -> str:
        """The HTML with the heads shortened and the blocks let break."""

        def head(match: re.Match) -> str:
            written = html.unescape(match.group(1))
            return f'data-running-head="{escape(self.short.get(written, written))}"'

        def block(match: re.Match) -> str:
            return f"{match.group()} data-split" if int(match.group(1)) in self.split else match.group()

        fitted = BLOCK_ATTRIBUTE.sub(block, HEAD_ATTRIBUTE.sub(head, page_html))
        return fitted.replace(TITLE_ATTRIBUTE, 'data-fit="title long"') if self.long_title else fitted

    def learn(self, pages: object, page_html: str) -> bool:
        """Take in what a layout of `page_html` (its WeasyPrint document, `pages`) shows; whether the HTML must
        be laid out again."""
        written = {_key(text): text for text in map(html.unescape, HEAD_ATTRIBUTE.findall(page_html))}
        new = False
        for key, (style, width) in overlong_heads(pages).items():
            if key in written and written[key] not in self.short:
                self.short[written[key]] = shortened(written[key], style, width)
                new = True
        taller = taller_blocks(pages) - self.split
        self.split |= taller
        if not self.long_title and title_lines(pages) > TITLE_LINES:
            self.long_title = new = True
        return new or bool(taller)

    @property
    def warnings(self) -> list[str]:
        return [_warning(self.document, written, short) for written, short in self.short.items()]


def lay_out_fitted(page_html: str, lay_out: Callable[[str], Layout], fitting: Fitting) -> Layout:
    """The layout of `page_html` with what `fitting` knows applied; laid out again if it shows more."""
    layout = lay_out(fitting.apply(page_html))
    if fitting.learn(layout.document, page_html):
        del layout  # one layout at a time (samizdat.paragraphs)
        gc.collect()
        layout = lay_out(fitting.apply(page_html))
    layout.advice = fitting.warnings
    return layout


def overlong_heads(document: object) -> dict[str, tuple[object, float]]:
    """The running heads (by their text without spaces) set on more than one line: their style and width."""
    found = {}
    for page in document.pages:
        for box in page_box(page).children:
            if not isinstance(box, boxes.MarginBox):
                continue
            lines = [child for child in box.descendants() if isinstance(child, boxes.LineBox)]
            texts = [child for child in box.descendants() if isinstance(child, boxes.TextBox)]
            if len(lines) > 1 and texts:
                found[_key("".join(text.text for text in texts))] = (texts[0].style, box.width)
    return found


def title_lines(document: object) -> int:
    """How many lines the cover title (`data-fit="title"`) is set on."""
    for box in page_box(document.pages[0]).descendants() if document.pages else ():
        if box.element is not None and box.element.get("data-fit", "").startswith("title"):
            return sum(isinstance(child, boxes.LineBox) for child in box.children)
    return 0


def taller_blocks(document: object) -> set[int]:
    """The numbered blocks (`data-block`) that run over more than one page."""
    pages: dict[int, set[int]] = {}
    for number, page in enumerate(document.pages):
        for box in page_box(page).descendants():
            if isinstance(box, boxes.BlockBox) and box.element is not None and box.element.get("data-block"):
                pages.setdefault(int(box.element.get("data-block")), set()).add(number)
    return {block for block, found in pages.items() if len(found) > 1}


def shortened(text: str, style: object, width: float) -> str:
    """`text` cut at the last word boundary (a space, never a no-break space) after which it fits in `width`
    with an ellipsis; a first word too long by itself is cut between letters."""
    words = text.split(" ")
    for count in range(len(words) - 1, 0, -1):
        candidate = " ".join(words[:count]).rstrip(LOOSE_END) + ELLIPSIS
        if candidate != ELLIPSIS and _width(candidate, style) <= width:
            return candidate
    for end in range(len(text) - 1, 0, -1):
        if _width(text[:end] + ELLIPSIS, style) <= width:
            return text[:end] + ELLIPSIS
    return ELLIPSIS


def _width(text: str, style: object) -> float:
    return split_first_line(text, style, None, None, 0)[3]


def _key(text: str) -> str:
    """A head's text as compared: without spaces, which a wrapped margin box loses at its line ends."""
    return re.sub(r"\s", "", text)


def _warning(document: Document, written: str, short: str) -> str:
    """What to do about a shortened head: set short_title, shorten it, or shorten the heading."""
    shown = f"it is shortened to “{_plain(short)}”"
    if written == document.short_title:
        return (f"line {_field_line(document, 'short_title')}: the short_title is too long for the running head "
                f"(one line at the top of each page): {shown}; shorten it")  # fmt: skip
    if written == document.title:
        return (f"line {_field_line(document, 'title')}: the title is too long for the running head (one line at "
                f"the top of each page): {shown}; give a shorter one in the front matter, e.g. short_title: "
                f"'{_plain(short.removesuffix(ELLIPSIS))}'")  # fmt: skip
    line = next((f"line {section.line}: " for section in document.sections if section.text == written), "")
    return f"{line}the heading “{_plain(written)}” is too long for the running head: {shown}; shorten the heading"


def _plain(text: str) -> str:
    """Text for a message: the no-break spaces the language's rules put in (samizdat.typography) as spaces."""
    return text.replace("\u00a0", " ").replace("\u202f", " ")


def _field_line(document: Document, name: str) -> int:
    """The line of a front matter field (the front matter starts on line 2)."""
    try:
        lines = document.source.read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError):
        return 1
    return next((number for number, line in enumerate(lines, 1) if line.startswith(f"{name}:")), 1)
