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
import math
from collections.abc import Callable
from dataclasses import replace

import pyphen
from markupsafe import Markup
from weasyprint.text.line_break import _font_style_cache_key, get_log_attrs, split_first_line

from samizdat.body import body_tokens, markdown_for, render_body
from samizdat.content import Document
from samizdat.linebreaks import HYPHEN_PENALTY, NATURAL_PENALTY, Box, Glue, Item, Line, Penalty, break_paragraph
from samizdat.paragraph_shapes import SPACES, Shape, line_letters, page_final_hyphens, shapes, unmatched
from samizdat.paragraph_text import Breaks, letters, paragraph_texts
from samizdat.pdf import Layout
from samizdat.typography import may_hyphenate

#: How much narrower than natural a space may be set, as a share of it (TeX's is a third; a little more here
#: buys fewer loose and hyphenated lines, measured on bench/typography.py).
SHRINK = 0.42
#: (shrink, loosest stretch ratio) tried in turn: see _Paragraph.break_lines.
TRIES = ((SHRINK, 2.0), (1 / 2, 2.0), (SHRINK, 8.0))

#: Space characters that word-spacing and justification leave alone, for the last line (not justified), which
#: would otherwise keep the paragraph's shrunk spaces: the one nearest the font's own space is used.
#: Widths measured for this layout's paragraphs, by text and face: most words come back often.
MEASURED: dict[tuple[str, str], float] = {}


def _face(style: object) -> str:
    """What shapes a text's width in a style: the font and its features, the size, the spacing."""
    return _font_style_cache_key(style, include_size=True) + str((style["letter_spacing"], style["word_spacing"]))


#: What a line broken after a hyphen of the text ends in, as a hyphenated line does.
HYPHENS = "-\u2010"
DASHES = "\u2012\u2013\u2014\u2015"

LAST_SPACES = ("\u2008", "\u2004", "\u2005")

Runs = list[tuple[str, tuple[str, ...]]]


def texts_of(document: Document) -> dict[int, Runs]:
    """The text of each paragraph of the document's body, by number."""
    markdown = markdown_for(document.lang)
    return paragraph_texts(body_tokens(markdown, document.body, document.body_line, document.source))


def with_breaks(document: Document, breaks: dict[int, Breaks] | None) -> Document:
    """The document with its body set again so that its paragraphs break where `breaks` says."""
    if not breaks:
        return document
    markdown = markdown_for(document.lang)
    body = render_body(markdown, document.body, document.body_line, document.source, breaks)
    return replace(document, body_html=Markup(body))


def set_paragraphs(lay_out: Callable[[dict[int, Breaks] | None], Layout], texts: dict[int, Runs]) -> Layout:
    """The layout `lay_out` makes with its justified paragraphs broken as a whole.

    The first layout measures; the second sets the chosen lines. Where a page
    then ends in a hyphen, that paragraph is broken again without a hyphen
    there, into as many lines if it can be (so no page moves), else one fewer
    or one more, and laid out again (twice at most). A paragraph WeasyPrint did
    not set as chosen is left to WeasyPrint from then on.
    """
    layout = lay_out(None)
    MEASURED.clear()
    paragraphs = {number: _Paragraph(texts[number], shape) for number, shape in shapes(layout.document).items()
                  if number in texts}  # fmt: skip
    breaks = {number: lines for number, paragraph in paragraphs.items() if (lines := paragraph.break_lines())}
    if not breaks:
        return layout
    MEASURED.clear()
    for paragraph in paragraphs.values():
        paragraph.shape.styles.clear()  # all measured: the first layout can go before the next is made
    if any(breaks[number].letters != found for number, found in line_letters(layout.document, breaks).items()):
        del layout  # one layout at a time keeps a worker within its memory budget; WeasyPrint's boxes and
        gc.collect()  # styles refer to each other, so only the collector frees them
        layout = lay_out(breaks)
    else:
        breaks = {}  # WeasyPrint's own lines were the best: the first layout is the one (a short text, often)
    forbidden: dict[int, set[int]] = {}
    for _ in range(PAGE_ROUNDS):
        wrong = unmatched(layout.document, breaks)
        for number in wrong:
            del breaks[number]
        moved = False
        for number, ends in page_final_hyphens(layout.document, breaks).items():
            forbidden.setdefault(number, set()).update(ends)
            lines = _without_hyphens(paragraphs[number], breaks[number].lines, frozenset(forbidden[number]))
            if lines is not None:
                breaks[number], moved = lines, True
        if not (wrong or moved):
            break
        del layout
        gc.collect()
        layout = lay_out(breaks)
    return layout



#: How many times a layout is made again to take a hyphen off the end of a page.
PAGE_ROUNDS = 2


def _without_hyphens(paragraph: _Paragraph, count: int, ends: frozenset[int]) -> Breaks | None:
    """The paragraph's lines with none of `ends` (line numbers) hyphenated: `count` lines, else one fewer or more."""
    for lines in (count, count - 1, count + 1):
        found = paragraph.break_lines(lines, ends) if lines > 0 else None
        if found is not None:
            return found
    return None


class _Paragraph:
    """One paragraph as linebreaks items, each remembering where in the text it is."""

    def __init__(self, runs: Runs, shape: Shape, limits: object = None) -> None:
        self.shape = shape
        self.text = "".join(text for text, _ in runs)
        self.chains = [chain for text, chain in runs for _ in text]
        self.items: list[Item] = []
        self.offsets: list[int] = []  # where each item starts in the text
        self.measured: dict[tuple[str, tuple[str, ...]], float] = {}
        self.hyphenator = _hyphenator(shape)
        self._build()

    def width(self, text: str, chain: tuple[str, ...]) -> float:
        """The width of `text` in the style of the run of text it is in, from WeasyPrint's own Pango layout."""
        key = (text, chain)
        if key not in self.measured:
            style = self._style(chain)
            face = (text, _face(style))
            if face not in MEASURED:
                MEASURED[face] = split_first_line(text, style, None, None, 0)[3] if text else 0.0
            self.measured[key] = MEASURED[face]
        return self.measured[key]

    def _style(self, chain: tuple[str, ...]) -> object:
        """The style of a run in these elements, or of the nearest element around them that has text."""
        while chain not in self.shape.styles:
            chain = chain[:-1]
        return self.shape.styles[chain]

    def _add(self, item: Item, offset: int) -> None:
        self.items.append(item)
        self.offsets.append(offset)

    def _build(self) -> None:
        text, index = self.text, 0
        opportunities = self._opportunities()
        while index < len(text):
            if text[index] in SPACES:
                end = index + 1
                while end < len(text) and text[end] == " " == text[index]:
                    end += 1  # spaces in a row collapse into one, as in HTML
                self._add(Glue(self.width(text[index], self.chains[index]), text[index] == " "), index)
                index = end
                continue
            end = next((i for i in range(index, len(text)) if text[i] in SPACES), len(text))
            self._word(index, end, opportunities)
            index = end

    def _opportunities(self) -> set[int]:
        """Where WeasyPrint (Pango) may break inside a word by itself: after a hyphen, a dash, a slash…"""
        attrs = get_log_attrs(self.text, self.shape.lang or None)
        text = self.text
        return {i for i in range(1, len(text)) if attrs[i].is_line_break and text[i - 1] not in SPACES}

    def _word(self, start: int, end: int, opportunities: set[int]) -> None:
        natural = sorted(i for i in opportunities if start < i < end)
        pieces = zip([start, *natural], [*natural, end], strict=True)
        whole = may_hyphenate(self.text[start:end])  # no address, number or word in capitals
        hyphens = [point for a, b in pieces for point in self._points(a, b)] if whole else []
        splits = sorted({*natural, *hyphens})
        for a, b in zip([start, *splits], [*splits, end], strict=True):
            self._add(Box(self._span(start, a, b), b - a), a)
            if b == end:
                break
            if b in natural:  # before a dash WeasyPrint may break, samizdat does not: the dash would open a line
                cost = math.inf if self.text[b] in DASHES else NATURAL_PENALTY
                self._add(Penalty(0.0, cost, natural=True), b)
            else:
                chain, before = self.chains[b - 1], self.text[self._run_start(start, b) : b]
                hyphen = self.width(before + self.shape.hyphen, chain) - self.width(before, chain)
                self._add(Penalty(hyphen, HYPHEN_PENALTY), b)

    def _run_start(self, start: int, at: int) -> int:
        """The first character, from `start`, of the run of one style that the character before `at` is in."""
        index = at - 1
        while index > start and self.chains[index - 1] == self.chains[at - 1]:
            index -= 1
        return index

    def _span(self, word: int, a: int, b: int) -> float:
        """The width of text[a:b] as part of the word starting at `word`: prefix widths differ, so kerning and
        ligatures inside a run count once."""
        total, index = 0.0, a
        while index < b:
            run = self._run_start(word, index + 1)
            stop = index
            while stop < b and self.chains[stop] == self.chains[index]:
                stop += 1
            chain = self.chains[index]
            total += self.width(self.text[run:stop], chain) - self.width(self.text[run:index], chain)
            index = stop
        return total

    def _points(self, a: int, b: int) -> list[int]:
        """Hyphenation points of the word text[a:b]: only in its letters, one style, within the limits."""
        if self.hyphenator is None:
            return []
        start, end = a, b
        while start < end and not self.text[start].isalpha():
            start += 1
        while end > start and not self.text[end - 1].isalpha():
            end -= 1
        core = self.text[start:end]
        total = self.shape.limits[0]
        if len(core) < total or not core.isalpha() or core.isupper() or len(set(self.chains[start:end])) > 1:
            return []
        return [start + position for position in self.hyphenator.positions(core)]

    def break_lines(self, lines: int | None = None, no_hyphen_after: frozenset[int] = frozenset()) -> Breaks | None:
        """The paragraph's best lines: spaces within [2/3, 2] × natural; failing that, shrinking to half (a
        tight line is better than a gappy one); failing that, as loose as it takes."""
        shape = self.shape
        space = self.width(" ", ())
        last_space = min(LAST_SPACES, key=lambda char: abs(self.width(char, ()) - space))
        if abs(self.width(last_space, ()) - space) > 0.1 * space:
            last_space = "\u00a0"  # no space character near the font's own: the last line's spaces shrink too
        for share, tolerance in TRIES:
            shrink = round(share * space, 3)
            chosen = break_paragraph(
                self.items, lambda n: shape.width - (shape.indent if n == 0 else 0.0), space, shrink=shrink,
                last_space=self.width(last_space, ()), lines=lines, no_hyphen_after=no_hyphen_after,
                tolerances=(tolerance,),
            )  # fmt: skip
            if chosen is not None:
                if chosen[-1].full:
                    last_space = "\u00a0"  # a full last line: justified, its spaces shrunk as the others
                return self._breaks(chosen, shrink, last_space)
        return None

    def _hyphen(self, line: Line) -> bool:
        """Whether a line ending at a break inside a word ends in a hyphen (not after a dash or a slash)."""
        return not self.items[line.end].natural or self.text[self.offsets[line.end] - 1] in HYPHENS

    def _breaks(self, lines: list[Line], shrink: float, last_space: str) -> Breaks:
        ends = [line.end for line in lines if line.end < len(self.items)]
        spaces = frozenset(self.offsets[end] for end in ends if isinstance(self.items[end], Glue))
        hyphens = frozenset(self.offsets[end] for end in ends if isinstance(self.items[end], Penalty)
                            and not self.items[end].natural)  # fmt: skip
        hyphenated = frozenset(number for number, line in enumerate(lines) if line.hyphenated and self._hyphen(line))
        last_line = 0
        if ends:
            item = self.items[ends[-1]]
            last_line = self.offsets[ends[-1]] + (1 if isinstance(item, Glue) else 0)
        held = frozenset(self.offsets[index] for index in lines[-1].held)
        cuts = [self.offsets[end] for end in ends]
        counts = tuple(letters(self.text[a:b]) for a, b in zip([0, *cuts], [*cuts, len(self.text)], strict=True))
        return Breaks(spaces, hyphens, len(lines), hyphenated, shrink, last_line, last_space, held, counts)


def _hyphenator(shape: Shape) -> pyphen.Pyphen | None:
    language = pyphen.language_fallback(shape.lang.replace("-", "_")) if shape.lang else None
    if not shape.hyphens or language is None:
        return None
    _, left, right = shape.limits
    return pyphen.Pyphen(lang=language, left=left, right=right)
