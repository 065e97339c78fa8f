"""Total-fit line breaking (Knuth & Plass, "Breaking paragraphs into lines", 1981): all the breaks of a
paragraph chosen together, so that its word spaces stay even.

WeasyPrint breaks lines one at a time, each as full as it will go; a loose line
is then the price of the line before it. Here a paragraph is a list of boxes
(pieces of words), glue (spaces: WeasyPrint justifies by adding the same
amount to every space of a line and never shrinks one, so spaces shrink only
as far as the paragraph's negative word-spacing lets them) and
penalties (places a word may break: a hyphenation point, or after a hyphen or a
dash), and the breaks minimise the sum of the lines' demerits, TeX's way.

Two rules TeX does not need come from how the breaks reach WeasyPrint
(samizdat.paragraphs): it sets each line up to the last break opportunity that
fits. So a chosen line must leave too little room for the next opportunity,
be it a hyphen or dash early in the next line or, for a short next line, its
whole end; lines that would let WeasyPrint run on are not candidates.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

#: Rounding between this measure and WeasyPrint's (Pango units are 1/1024 px): a line may be this much too wide.
FIT_MARGIN = 0.05
#: How much more than the room left WeasyPrint's next opportunity must need, so that it is never taken.
RUN_ON_MARGIN = 0.3

LINE_PENALTY = 10  # every line costs something: fewer lines are better, other things equal
HYPHEN_PENALTY = 550  # a word broken with a hyphen (TeX: 50; tuned with LOOSE_DEMERITS on bench/typography.py)
NATURAL_PENALTY = 100  # a break after a hyphen or dash already in the text ("anti-|war", "1914–|1918")
DOUBLE_HYPHEN_DEMERITS = 10_000  # two hyphenated lines in a row
LADDER_DEMERITS = 5_000_000  # three in a row: avoided at almost any cost
FINAL_HYPHEN_DEMERITS = 5_000  # the line before a paragraph's last ends in a hyphen
ADJACENT_DEMERITS = 3_000  # a tight line beside a very loose one
RUNT_DEMERITS = 2_000_000  # a last line of fewer than RUNT_CHARS characters
RUNT_CHARS = 6
LOOSE_DEMERITS = 200_000  # a line whose spaces are over 1.5 × wide

MOST_COUNTED = 3_000  # the longest paragraph (in items) broken into a given number of lines: a node per line
#: The stretch of a space as a share of its width: a line whose spaces are 1.5 × wide has ratio 1.
STRETCH = 0.5
#: The space ratio past which a line's letters take the rest of its slack, up to `track` px each (tracking):
#: the spaces of a loose line stay nearer 1.5 × (break_paragraph).
TRACK_FROM = 0.8
#: The loosest ratio tried first (spaces 2 × wide), then the emergency one.
TOLERANCES = (2.0, 8.0)


@dataclass(frozen=True)
class Box:
    """A word, or a piece of one between places where it may break."""

    width: float
    chars: int


@dataclass(frozen=True)
class Glue:
    """A space: `breakable` is False for a no-break space (which WeasyPrint stretches all the same)."""

    width: float
    breakable: bool = True
    hang: float = 0.0  # what a line ending here may be wider by: its last glyph protrudes (samizdat.hanging)


@dataclass(frozen=True)
class Penalty:
    """A place inside a word where the line may end: a hyphenation point (`width` is the hyphen's), or after a
    hyphen or dash of the text (`natural`: WeasyPrint may break there by itself, width 0)."""

    width: float
    cost: float
    natural: bool = False
    hang: float = 0.0  # as Glue.hang


Item = Box | Glue | Penalty


@dataclass(frozen=True)
class Line:
    """A chosen line: it ends at item `end` (a breakable Glue, a Penalty, or the paragraph's end) with its spaces
    `ratio` × their stretch wider than natural, or × their shrink narrower when negative (0: natural; a last
    line is never stretched)."""

    end: int
    ratio: float
    hyphenated: bool
    full: bool = False  # a last line that fits only with its spaces shrunk: justified like the others
    held: tuple[int, ...] = ()  # a last line's first spaces, which must not break (_Breaker._held)
    track: float = 0.0  # px added after each character up to the line's last space (letter-spacing)


@dataclass
class _Node:
    position: int  # the item the line ends at (-1: the paragraph's start)
    line: int  # lines before this break
    fitness: int
    run: int  # hyphenated lines in a row ending here
    demerits: float
    start: int  # the first item of the line that ends here
    previous: _Node | None
    ratio: float
    track: float = 0.0


def break_paragraph(
    items: list[Item], width_of_line: Callable[[int], float], space: float, *, shrink: float = 0.0,
    last_space: float | None = None, lines: int | None = None, no_hyphen_after: frozenset[int] = frozenset(),
    tolerances: tuple[float, ...] = TOLERANCES, track: float = 0.0,
) -> list[Line] | None:  # fmt: skip
    """The best breaks of `items` (a paragraph), or None when no set of lines fits (a word wider than the measure).

    `width_of_line(n)` is the room of line n (the first is shorter by the indent);
    `space` the paragraph's own space width; `shrink` how much narrower than
    natural every space may be (the negative word-spacing the paragraph is set
    with: WeasyPrint itself never shrinks a space); `last_space` the width of
    a space on the last line, which is set with another space character, one
    that word-spacing leaves alone and that may break (samizdat.paragraphs).
    `lines` asks for exactly that many
    lines and `no_hyphen_after` for no hyphen at the end of those lines (0-based):
    how a hyphen on a page's last line is taken back without moving the page.
    `track`: how far apart a loose line's letters may be set (_Breaker._tracked).
    """
    if not any(isinstance(item, Box) for item in items):
        return None
    if (lines is not None or no_hyphen_after) and len(items) > MOST_COUNTED:
        return None  # counting lines costs time in proportion to their number: leave such a paragraph be
    for tolerance in tolerances:
        last = space - shrink if last_space is None else last_space
        found = _Breaker(items, width_of_line, space, shrink, last, tolerance, lines, no_hyphen_after, track).run()
        if found is not None:
            return found
    return None


class _Breaker:
    """One pass of the algorithm at one tolerance; prefix sums make every line's width a subtraction."""

    def __init__(self, items, width_of_line, space, shrink, last_space, tolerance, lines, no_hyphen_after, track) -> None:  # noqa: ANN001, E501
        self.items, self.width_of_line, self.tolerance = items, width_of_line, tolerance
        self.stretch, self.shrink = STRETCH * space, shrink
        self.lines, self.no_hyphen_after = lines, no_hyphen_after
        # Lines after the first all have the same room: which line a break ends matters only when lines are
        # counted, and keeping one node per line number would make a long paragraph quadratic.
        self.counted = lines is not None or bool(no_hyphen_after)
        self.widths, self.spaces, self.chars, self.track, self.last_glue = [0.0], [0], [0], track, [-1]
        for index, item in enumerate(items):
            self.last_glue.append(index if isinstance(item, Glue) else self.last_glue[-1])  # before item index + 1
            self.widths.append(self.widths[-1] + (0.0 if isinstance(item, Penalty) else item.width))
            self.spaces.append(self.spaces[-1] + isinstance(item, Glue))
            self.chars.append(self.chars[-1] + (item.chars if isinstance(item, Box) else isinstance(item, Glue)))
        self.reach = self._reach()
        self.space, self.last_space = space, last_space
        self.most_hang = max((getattr(item, "hang", 0.0) for item in items), default=0.0)

    def room(self, line: int, index: int) -> float:
        """The room of line `line` when it ends at item `index`: wider by what that break's glyph may hang."""
        return self.width_of_line(line) + (getattr(self.items[index], "hang", 0.0) if index < len(self.items) else 0.0)

    def _reach(self) -> list[float]:
        """For a break at each item: the width WeasyPrint would add to the line to reach its next opportunity
        (the space itself, then the next line up to its first hyphen, dash or end)."""
        reach = [0.0] * len(self.items)
        ahead = 0.0  # from after the item at hand to the next opportunity: a hyphen or dash of the text, or the end
        for index in range(len(self.items) - 1, -1, -1):
            item = self.items[index]
            reach[index] = ahead + (item.width - self.shrink if isinstance(item, Glue) else 0.0)
            if isinstance(item, Penalty) and item.natural:
                ahead = 0.0
            elif not isinstance(item, Penalty):  # a hyphenation point not chosen is no opportunity
                ahead += item.width - (self.shrink if isinstance(item, Glue) else 0.0)
        return reach

    def breakable(self, index: int) -> bool:
        item = self.items[index]
        if isinstance(item, Glue):
            return item.breakable and index > 0 and isinstance(self.items[index - 1], Box | Penalty)
        return isinstance(item, Penalty) and item.cost < math.inf  # an opportunity of WeasyPrint's, not ours

    def run(self) -> list[Line] | None:
        end = len(self.items)
        active = [_Node(-1, 0, 1, 0, 0.0, 0, None, 0.0)]
        for index in [*(i for i in range(end) if self.breakable(i)), end]:
            found: dict[tuple, _Node] = {}
            keep = []
            for node in active:
                natural = self.widths[index] - self.widths[node.start]
                room = self.width_of_line(node.line)
                if self._tightest(node.start, index) > room + self.most_hang + FIT_MARGIN and index < end:
                    continue  # only ever wider from here, even with a glyph hung: this node is done
                keep.append(node)
                candidate = self._line(node, index, natural, self.room(node.line, index))
                if candidate is None:
                    continue
                key = (candidate.line if self.counted else min(candidate.line, 1), candidate.fitness, candidate.run)
                if key not in found or candidate.demerits < found[key].demerits:
                    found[key] = candidate
            active = keep + list(found.values())
            if not active:
                return None
        finals = [node for node in active if node.position == end and self.lines in (None, node.line)]
        if not finals:
            return None
        best = min(finals, key=lambda node: node.demerits)
        chosen: list[Line] = []
        held = self._held(best)
        while best.previous is not None:
            hyphenated = best.position < end and isinstance(self.items[best.position], Penalty)
            full = best.position == end and best.ratio < 0
            chosen.append(Line(best.position, best.ratio, hyphenated, full, held, best.track))
            best, held = best.previous, ()
        return chosen[::-1]

    def _held(self, last: _Node) -> tuple[int, ...]:
        """The spaces at the start of the last line that must not break: its spaces are set with a character that
        may (samizdat.paragraphs), and WeasyPrint would take its first words up to a line before with room."""
        before = last.previous
        if before is None or before.previous is None:
            return ()
        # a node's `start` is the first item after its break; a line from node N is line number N.line
        base = self._tightest(before.previous.start, before.start)
        room = self.room(before.previous.line, before.position)  # its hung glyph's span stays in it
        held = []
        for index in range(before.start, len(self.items)):
            item = self.items[index]
            if isinstance(item, Glue):  # the no-break spaces of the language's rules too: they are set alike
                if base + self._tightest(before.start, index) > room + RUN_ON_MARGIN:
                    break
                held.append(index)
        return tuple(held)

    def _tightest(self, start: int, end: int) -> float:
        """The width of items[start:end] as WeasyPrint lays it out: every space shrunk."""
        return self.widths[end] - self.widths[start] - self.shrink * (self.spaces[end] - self.spaces[start])

    def _line(self, node: _Node, index: int, natural: float, room: float) -> _Node | None:
        """The node of a line from `node` to `index`, or None when WeasyPrint would not set it so."""
        end = len(self.items)
        item = self.items[index] if index < end else None
        penalty = item if isinstance(item, Penalty) else None
        extra = penalty.width if penalty else 0.0
        last = index == end
        spaces = self.spaces[index] - self.spaces[node.start]
        width, tightest, track = natural + extra, self._tightest(node.start, index) + extra, 0.0  # no tracking yet
        ragged = natural - spaces * (self.space - self.last_space)  # a last line, with its spaces as set
        if tightest > room + FIT_MARGIN:
            return None
        if last and ragged <= room + FIT_MARGIN:
            ratio = 0.0
        elif spaces:
            give = room - width  # per space: + stretches, - shrinks
            ratio = give / (spaces * (self.stretch if give >= 0 else max(self.shrink, 1e-9)))
            track, ratio = self._tracked(node.start, index, spaces, ratio)
        else:
            ratio = 0.0 if room - width < 1 else math.inf
        if ratio > self.tolerance or ratio < -1 or (penalty and node.line in self.no_hyphen_after):
            return None
        if not last and tightest - extra + self.reach[index] <= room + RUN_ON_MARGIN:
            return None  # WeasyPrint would set the next opportunity on this line too
        if node.previous is not None:
            before = self._tightest(node.previous.start, index) + extra
            if before <= self.room(node.previous.line, index) + RUN_ON_MARGIN:  # hung at this line's end
                return None  # this whole line would fit at the end of the one before
        demerits = node.demerits + self._demerits(node, penalty, ratio, last, index)
        fitness = 0 if ratio < -0.5 else 1 if ratio < 0.5 else 2 if ratio < 1 else 3
        if abs(fitness - node.fitness) > 1 and not last:
            demerits += ADJACENT_DEMERITS
        run = node.run + 1 if penalty else 0
        start = index + 1
        return _Node(index, node.line + 1, fitness, run, demerits, start, node, ratio, track if not last else 0.0)

    def _tracked(self, start: int, index: int, spaces: int, ratio: float) -> tuple[float, float]:
        """(px after each character, the spaces' ratio) of a line whose spaces past TRACK_FROM give their slack
        to its letters up to its last space: each character but the spaces' two neighbours narrows the spaces."""
        if ratio <= TRACK_FROM or not self.track:
            return 0.0, ratio
        inner = self.chars[self.last_glue[index] + 1] - self.chars[start] - 2 * spaces
        if inner <= 0:
            return 0.0, ratio
        track = min(self.track, (ratio - TRACK_FROM) * spaces * self.stretch / inner)
        return track, ratio - track * inner / (spaces * self.stretch)

    def _demerits(self, node: _Node, penalty: Penalty | None, ratio: float, last: bool, index: int) -> float:
        badness = 100 * abs(ratio) ** 3
        demerits = (LINE_PENALTY + badness) ** 2 + (LOOSE_DEMERITS if ratio > 1 else 0.0)
        if penalty is not None:
            demerits += penalty.cost**2
            if node.run:
                demerits += DOUBLE_HYPHEN_DEMERITS
            if node.run >= 2:
                demerits += LADDER_DEMERITS
        if last:
            if node.run:
                demerits += FINAL_HYPHEN_DEMERITS
            if self.chars[index] - self.chars[node.start] < RUNT_CHARS and node.previous is not None:
                demerits += RUNT_DEMERITS
        return demerits
