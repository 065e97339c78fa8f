"""Fitting words to an area: the largest font size, and lines balanced so no short word hangs alone.

Pure arithmetic on widths measured by WeasyPrint (see `samizdat.posters.measure`).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

#: How a document's posters are sized (`posters: scale:`): each slogan as large as it fits, or all at one size.
SCALES = ("each", "common")

FIT_MARGIN = 0.999  # set a hair below the computed maximum, so rounding never overflows


@dataclass(frozen=True)
class Measures:
    """What the probe render measured: safe areas per size, word widths and line heights at 100 pt."""

    areas: dict[str, tuple[float, float]]  # size name → (width, height) in points
    words: dict[str, float]
    space: float
    first_line: float
    line_pitch: float


def fit(words: list[str], area: tuple[float, float], measures: Measures) -> tuple[float, tuple[str, ...]]:
    """The largest font size (pt) and balanced lines that set `words` inside `area`.

    The size is found by bisection: at a given size, packing words greedily gives
    the fewest lines, so the size fits if and only if those lines are short
    enough and few enough. The lines are then balanced at that line count.
    """
    width, height = area
    widths = [measures.words[word] / 100 for word in words]
    space = measures.space / 100

    def lines_needed(size: float) -> int | None:
        limit, count, line = width / size, 1, -space
        for word_width in widths:
            if word_width > limit:
                return None
            if line + space + word_width > limit:
                count, line = count + 1, word_width
            else:
                line += space + word_width
        return count

    def fits(size: float) -> bool:
        count = lines_needed(size)
        return count is not None and lines_height(count, measures) * size <= height

    low, high = 0.01, min(width / max(widths), height / lines_height(1, measures))
    while high - low > high * 1e-4:
        middle = (low + high) / 2
        low, high = (middle, high) if fits(middle) else (low, middle)
    count = lines_needed(low) or 1
    longest, lines = (
        balanced_lines(words, widths, space, count) if len(words) <= 40 else greedy(words, widths, space, width / low)
    )
    size = min(width / longest, height / (lines_height(len(lines), measures))) * FIT_MARGIN
    return size, lines


def lines_height(count: int, measures: Measures) -> float:
    """The height of `count` lines set at 1 pt."""
    return (measures.first_line + (count - 1) * measures.line_pitch) / 100


def greedy(words: list[str], widths: list[float], space: float, limit: float) -> tuple[float, tuple[str, ...]]:
    """Words packed line by line (for slogans too long to balance): the longest line and the lines."""
    lines: list[list[int]] = [[]]
    for index, word_width in enumerate(widths):
        current = sum(widths[i] for i in lines[-1]) + space * len(lines[-1])
        if lines[-1] and current + word_width > limit:
            lines.append([])
        lines[-1].append(index)
    longest = max(sum(widths[i] for i in line) + space * (len(line) - 1) for line in lines)
    return longest, tuple(" ".join(words[i] for i in line) for line in lines)


def balanced_lines(words: list[str], widths: list[float], space: float, count: int) -> tuple[float, tuple[str, ...]]:
    """Split words into `count` lines whose longest is as short as possible (widths at 1 pt).

    >>> balanced_lines(["Free", "the", "oppressed"], [1.8, 1.4, 4.4], 0.3, 2)
    (4.4, ('Free the', 'oppressed'))
    """
    n = len(words)

    def span(i: int, j: int) -> float:
        return sum(widths[i:j]) + space * (j - i - 1)

    @cache
    def best(start: int, lines: int) -> tuple[float, tuple[int, ...]]:
        if lines == 1:
            return span(start, n), (n,)
        options = []
        for end in range(start + 1, n - lines + 2):
            rest, breaks = best(end, lines - 1)
            options.append((max(span(start, end), rest), (end, *breaks)))
        return min(options)

    longest, breaks = best(0, count)
    starts = (0, *breaks[:-1])
    return longest, tuple(" ".join(words[a:b]) for a, b in zip(starts, breaks, strict=True))
