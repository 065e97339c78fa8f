"""One justified paragraph as the line breaker's items (samizdat.linebreaks), measured in WeasyPrint's layout.

The words and their hyphenation points are measured by the very Pango layouts
WeasyPrint sets them with, in the style each run of text has in the first
layout (samizdat.paragraph_shapes); WeasyPrint's own break opportunities (after
a hyphen, a dash, a slash, before a space that follows a dash) are found by
Pango on the text as it will be set, so that the breaker knows where
WeasyPrint could end a line by itself. The chosen lines become Breaks, which
samizdat.paragraph_text puts back into the paragraph.
"""

from __future__ import annotations

import math

import pyphen
from weasyprint.text.line_break import get_log_attrs, split_first_line

from samizdat.hanging import may_hang
from samizdat.linebreaks import HYPHEN_PENALTY, NATURAL_PENALTY, Box, Glue, Item, Line, Penalty, break_paragraph
from samizdat.paragraph_shapes import SPACES, Shape
from samizdat.paragraph_text import HYPHENS, Breaks, letters
from samizdat.pdfio.weasy import font_style_key
from samizdat.typography import may_hyphenate

#: How much narrower than natural a space may be set, as a share of it (TeX's is a third; a little more here
#: buys fewer loose and hyphenated lines, measured on bench/typography.py).
SHRINK = 0.42
#: The longest paragraph broken, in items (about 1,500 words): WeasyPrint takes time in proportion to the square
#: of a line's rest when no space in it breaks (its first guess at a line is then the rest of the paragraph).
LONGEST = 3_000
#: (shrink, loosest stretch ratio) tried in turn: see Paragraph.break_lines.
TRIES = ((SHRINK, 2.0), (1 / 2, 2.0), (SHRINK, 8.0))
#: How far apart a loose line's letters may be set, as a share of the space (linebreaks.TRACK_FROM): about 1 %
#: of the em. InDesign sets letter spacing as a share of the word space too; designers commonly allow up to 5 %.
TRACKING = 0.04
#: Then, for a language without hyphenation patterns (kk, ka, hy...), whose long words leave some lines loose
#: whatever the breaks: as loose as it takes, which WeasyPrint's own lines would be too, on every such line.
UNHYPHENATED_TRY = (SHRINK, math.inf)

#: Widths measured for this layout's paragraphs, by text and face: most words come back often.
MEASURED: dict[tuple[str, str], float] = {}


def _face(style: object) -> str:
    """What shapes a text's width in a style: the font and its features (kerning too: WeasyPrint's font key
    leaves it out), the size, the spacing."""
    return font_style_key(style) + str((style["letter_spacing"], style["word_spacing"], style["font_kerning"]))


#: Dashes WeasyPrint may break before; samizdat does not (the dash would open a line).
DASHES = "\u2012\u2013\u2014\u2015"
#: Around a word, not part of it, for may_hyphenate.
PUNCTUATION = ".,:;!?…)]}»“”’\"'([{«„‘"
WHITE_SPACE = str.maketrans("\t\n\r", "   ")
#: Space characters that word-spacing and justification leave alone, for a ragged last line, which would
#: otherwise keep the paragraph's shrunk spaces: the one nearest the font's own space is used.
LAST_SPACES = ("\u2008", "\u2004", "\u2005")

Runs = list[tuple[str, tuple[str, ...]]]


class Paragraph:
    """One paragraph as linebreaks items, each remembering where in the text it is."""

    def __init__(self, runs: Runs, shape: Shape) -> None:
        self.shape = shape
        self.text = "".join(text for text, _ in runs).translate(WHITE_SPACE)  # tabs are spaces in HTML
        self.chains = [chain for text, chain in runs for _ in text]
        self.items: list[Item] = []
        self.offsets: list[int] = []  # where each item starts in the text
        self.measured: dict[tuple[str, tuple[str, ...]], float] = {}
        self.hung: dict[int, float] = {}  # offset of a glyph before a space → px it hangs if a line ends there
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
        inside, before_space = self._opportunities()
        while index < len(text):
            if text[index] in SPACES:
                end = index + 1
                while end < len(text) and text[end] == " " == text[index]:
                    end += 1  # spaces in a row collapse into one, as in HTML (samizdat.paragraph_text too)
                if index in before_space:  # WeasyPrint's, never ours: the space would open the next line
                    self._add(Penalty(0.0, math.inf, natural=True), index)
                hang = self._hang(index) if text[index] == " " else 0.0
                self._add(Glue(self.width(text[index], self.chains[index]), text[index] == " ", hang), index)
                index = end
                continue
            end = next((i for i in range(index, len(text)) if text[i] in SPACES), len(text))
            self._word(index, end, inside)
            index = end

    def _hang(self, space: int) -> float:
        """How much wider a line ending at this space may be: what its last glyph hangs (samizdat.hanging), less
        the kerning its span takes from it (the glyph is then shaped apart from its word)."""
        at = space - 1
        share = may_hang(self.text[at], self.chains[at]) if at >= 0 else 0.0
        if not share:
            return 0.0
        chain, start = self.chains[at], at
        while start > 0 and self.text[start - 1] not in SPACES and self.chains[start - 1] == chain:
            start -= 1
        glyph = self.width(self.text[at], chain)
        self.hung[at] = round(share * glyph, 3)
        kerned = self.width(self.text[start:at], chain) + glyph - self.width(self.text[start:space], chain)
        return self.hung[at] - kerned

    def _opportunities(self) -> tuple[set[int], set[int]]:
        """Where WeasyPrint (Pango) may break by itself in the text as it will be set, every space a no-break
        one: inside a word (after a hyphen, a dash, a slash…), and before a space (after a dash or a hyphen
        that a space follows: "Haupt- und", "der – das")."""
        text = self.text
        attrs = get_log_attrs(text.replace(" ", "\u00a0"), self.shape.lang or None)
        breaks = [i for i in range(1, len(text)) if attrs[i].is_line_break and text[i - 1] not in SPACES]
        inside = {i for i in breaks if text[i] not in SPACES}
        if self.shape.hyphens_mode == "none":
            inside = {i for i in inside if text[i - 1] != "\u00ad"}  # `hyphens: none`: no break at a soft hyphen
        return inside, {i for i in breaks if text[i] in SPACES}

    def _word(self, start: int, end: int, opportunities: set[int]) -> None:
        natural = sorted(i for i in opportunities if start < i < end)
        pieces = zip([start, *natural], [*natural, end], strict=True)
        whole = may_hyphenate(self.text[start:end].strip(PUNCTUATION))  # no address, number, word in capitals
        hyphens = [point for a, b in pieces for point in self._points(a, b)] if whole else []
        splits = sorted({*natural, *hyphens})
        for a, b in zip([start, *splits], [*splits, end], strict=True):
            self._add(Box(self._span(start, a, b), b - a), a)
            if b == end:
                break
            if b in natural and self.text[b - 1] == "\u00ad":  # the author's soft hyphen: a hyphen if broken
                self._add(Penalty(self._hyphen_width(start, b), HYPHEN_PENALTY, natural=True), b)
            elif b in natural:  # before a dash WeasyPrint may break, samizdat not: the dash would open a line
                cost = math.inf if self.text[b] in DASHES else NATURAL_PENALTY
                self._add(Penalty(0.0, cost, natural=True), b)
            else:
                self._add(Penalty(self._hyphen_width(start, b), HYPHEN_PENALTY), b)

    def _hyphen_width(self, start: int, at: int) -> float:
        """What the hyphen WeasyPrint adds at a break adds to the line, in the style of the text before it."""
        chain, before = self.chains[at - 1], self.text[self._run_start(start, at) : at].replace("\u00ad", "")
        return self.width(before + self.shape.hyphen, chain) - self.width(before, chain)

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

    def break_lines(
        self, lines: int | None = None, no_hyphen_after: frozenset[int] = frozenset(), loosest: float = math.inf
    ) -> Breaks | None:
        """The paragraph's best lines: spaces within [1 - SHRINK, 2] × natural; failing that, shrinking to half (a
        tight line is better than a gappy one); failing that, up to 8 × (up to `loosest`), and in a language
        without hyphenation patterns as loose as it takes (UNHYPHENATED_TRY)."""
        if len(self.items) > LONGEST:
            return None
        shape = self.shape
        space = self.width(" ", ())
        last_space = min(LAST_SPACES, key=lambda char: abs(self.width(char, ()) - space))
        if abs(self.width(last_space, ()) - space) > 0.1 * space:
            last_space = "\u00a0"  # no space character near the font's own: the last line's spaces shrink too
        tries = (*TRIES, UNHYPHENATED_TRY) if shape.hyphens and self.hyphenator is None else TRIES
        for share, tolerance in (attempt for attempt in tries if attempt[1] <= loosest):
            shrink = round(share * space, 3)
            chosen = break_paragraph(
                self.items, lambda n: shape.width - (shape.indent if n == 0 else 0.0), space, shrink=shrink,
                last_space=self.width(last_space, ()), lines=lines, no_hyphen_after=no_hyphen_after,
                tolerances=(tolerance,), track=round(TRACKING * space, 3),
            )  # fmt: skip
            if chosen is not None:
                return self._breaks(chosen, shrink, last_space)
        return None

    def _hyphen(self, line: Line) -> bool:
        """Whether a line ends in a hyphen: one added at a break, or one of the text's ("Haupt- und")."""
        if line.end >= len(self.items):
            return False
        item = self.items[line.end]
        return (isinstance(item, Penalty) and not item.natural) or self.text[self.offsets[line.end] - 1] in HYPHENS

    def _breaks(self, lines: list[Line], shrink: float, last_space: str) -> Breaks:
        ends = [line.end for line in lines if line.end < len(self.items)]
        spaces = frozenset(self.offsets[end] for end in ends if isinstance(self.items[end], Glue))
        hyphens = frozenset(self.offsets[end] for end in ends if isinstance(self.items[end], Penalty)
                            and not self.items[end].natural)  # fmt: skip
        hyphenated = frozenset(number for number, line in enumerate(lines) if self._hyphen(line))
        last_line = 0
        if ends:
            item = self.items[ends[-1]]
            last_line = self.offsets[ends[-1]] + (1 if isinstance(item, Glue) else 0)
        held = frozenset(self.offsets[index] for index in lines[-1].held)
        cuts = [self.offsets[end] for end in ends]
        counts = tuple(letters(self.text[a:b]) for a, b in zip([0, *cuts], [*cuts, len(self.text)], strict=True))
        tracks = tuple((start, end, line.track) for number, line in enumerate(lines) if line.track
                       for start, end in [self._tracked(lines[number - 1].end if number else -1, line.end)]
                       if start < end)  # fmt: skip
        hangs = tuple((offset - 1, self.hung[offset - 1]) for offset in sorted(spaces) if offset - 1 in self.hung)
        return Breaks(spaces, hyphens, len(lines), hyphenated, shrink, last_line, last_space, held, counts,
                      lines[-1].full, "none" if self.shape.hyphens_mode == "none" else "manual", hangs=hangs,
                      tracks=tracks)  # fmt: skip

    def _tracked(self, after: int, end: int) -> tuple[int, int]:
        """The offsets a letter-spaced line's span runs between: from its start to its last word's first letter.
        No span starts or ends at a space: WeasyPrint gives a space at either end of a run of text the
        justification twice. After a word broken at a hyphen it starts a letter in, as the hyphen is added only
        where WeasyPrint breaks inside a run of text, not between a run and a span."""
        start = 0 if after < 0 else self.offsets[after] + 1
        last_word = self.offsets[self._space_before(end)] + 1
        return start, last_word + 1 if self.offsets[end] - last_word > 1 else start

    def _space_before(self, end: int) -> int:
        """The item of the last space before item `end` (a tracked line has one)."""
        return next(index for index in range(end - 1, -1, -1) if isinstance(self.items[index], Glue))


def _hyphenator(shape: Shape) -> pyphen.Pyphen | None:
    language = pyphen.language_fallback(shape.lang.replace("-", "_")) if shape.lang else None
    if not shape.hyphens or language is None:
        return None
    _, left, right = shape.limits
    return pyphen.Pyphen(lang=language, left=left, right=right)
