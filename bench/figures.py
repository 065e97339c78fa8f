"""How evenly a PDF's body text is set, measured from its glyph positions: word spaces, hyphens, runts.

A body line is a line of the body font at the body size (the commonest pair in
the PDF: headings, running heads, folios, covers are other fonts or sizes) that
starts at the text block's left edge or one paragraph indent in (the demands
panel starts further in). A body line that reaches the text block's right edge
(within EDGE) is justified; one that stops short is the last of its paragraph.
The edges are the commonest start and end of body-font lines, per page parity
(left and right pages have different margins), so a hanging comma or hyphen
(Typst's overhang, samizdat's hanging punctuation) does not move them, and a
line whose last glyph hangs past the edge is justified like any other.

A justified line's word space is the mean gap between its words, from the end
of one word's last glyph to the start of the next word's first glyph, as a
multiple of the body font's own space (its hmtx advance × the body size): 1.0
is the space as the type designer drew it. A glyph's end is its advance, so
on a letter-spaced line (samizdat's loose lines) the gap holds the spacing
after the word's last letter and after the space: it counts as word space.
"""

from __future__ import annotations

import math
import string
from collections import Counter
from dataclasses import dataclass
from itertools import groupby
from pathlib import Path

import pdfplumber
from fontTools.ttLib import TTFont

REPO = Path(__file__).resolve().parents[1]
BODY_FONT = REPO / "fonts" / "charis-sil" / "CharisSIL-Regular.ttf"

#: How close to the text block's right edge a justified line ends, in points.
EDGE = 0.5
#: The deepest first-line indent a body line may start at, in ems of the body size (samizdat's is 1.2em).
MAX_INDENT = 1.5
#: A gap wider than this, in ems, between two glyphs with no space glyph between them is a word space (Typst
#: writes no space glyphs); kerning is far smaller, the tightest justified space far larger.
WORD_GAP = 0.12
#: What a line ends with when a word is broken at its end.
HYPHENS = ("-", "\u2010", "\u00ad")
#: Stripped from a line's last word before asking whether it is a single letter.
PUNCTUATION = string.punctuation + "«»„“”‘’‚‹›—–…\u00a0"
LOOSE, VERY_LOOSE, TIGHT = 1.5, 2.0, 0.8
#: A paragraph's last line with fewer characters than this is a runt.
RUNT = 6


@dataclass(frozen=True)
class Line:
    """One body line: where it is, its text, whether it is justified, and its mean word space (× the font's space)."""

    page: int
    text: str
    justified: bool
    space: float | None  # None: no word space (one word on the line), or not justified


@dataclass(frozen=True)
class Figures:
    """The figures of one PDF's body text; shares are fractions of the justified lines."""

    lines: int  # justified body lines (not the last of their paragraph)
    loose: float  # share with a mean word space over 1.5 × the font's space
    very_loose: float  # over 2 ×
    tight: float  # under 0.8 ×
    p95: float  # the 95th percentile of the mean word space
    largest: float
    hyphenated: float  # share ending in a hyphen
    ladders: int  # runs of 3 or more consecutive lines ending in a hyphen
    page_final_hyphens: int  # pages whose last body line ends in a hyphen
    runts: int  # paragraph last lines of under 6 characters
    one_letter_ends: int  # justified lines (the paragraph goes on) ending in a one-letter word


def space_width(font: Path = BODY_FONT) -> float:
    """The font's space advance in ems, from its hmtx table."""
    with TTFont(font, lazy=True) as face:
        return face["hmtx"][face.getBestCmap()[0x20]][0] / face["head"].unitsPerEm


def family(fontname: str) -> str:
    """The font's PostScript name without the subset tag (ABCDEF+)."""
    return fontname.split("+", 1)[-1]


def page_lines(page: pdfplumber.page.Page) -> list[list[dict]]:
    """The page's glyphs grouped by baseline (within 0.5 pt), top to bottom, each line trimmed (`trimmed`)."""
    chars = sorted(page.chars, key=lambda c: -c["matrix"][5])
    lines: list[list[dict]] = []
    for char in chars:
        if lines and abs(lines[-1][0]["matrix"][5] - char["matrix"][5]) <= 0.5:
            lines[-1].append(char)
        else:
            lines.append([char])
    return [line for line in map(trimmed, lines) if line]


def trimmed(line: list[dict]) -> list[dict]:
    """The line left to right without the space glyphs at its ends (Typst writes one after a line's last word)."""
    line = sorted(line, key=lambda c: c["x0"])
    visible = [index for index, char in enumerate(line) if not char["text"].isspace()]
    return line[visible[0] : visible[-1] + 1] if visible else []


def line_text(line: list[dict]) -> str:
    """The line's text, a space wherever a space glyph or a word gap is."""
    words = split_words(line)
    return " ".join("".join(c["text"] for c in word) for word in words)


def split_words(line: list[dict]) -> list[list[dict]]:
    """The line's words: runs of glyphs split at space glyphs and at gaps wider than WORD_GAP."""
    words: list[list[dict]] = []
    previous = None
    for char in line:
        if char["text"].isspace():
            previous = None
            continue
        gap = previous is not None and char["x0"] - previous["x1"] > WORD_GAP * char["size"]
        if previous is None or gap:
            words.append([])
        words[-1].append(char)
        previous = char
    return [word for word in words if word]


def mean_space(line: list[dict], space: float) -> float | None:
    """The mean gap between the line's words, in multiples of `space` (points); None for a one-word line."""
    words = split_words(line)
    gaps = [after[0]["x0"] - before[-1]["x1"] for before, after in zip(words, words[1:], strict=False)]
    return sum(gaps) / len(gaps) / space if gaps else None


def body_style(pdf: pdfplumber.PDF) -> tuple[str, float]:
    """The commonest font (without subset tag) and size among the PDF's glyphs."""
    counts = Counter((family(c["fontname"]), round(c["size"], 2)) for p in pdf.pages for c in p.chars)
    return counts.most_common(1)[0][0]


def is_body_font(line: list[dict], font: str, size: float) -> bool:
    """Most of the line's glyphs are of the body family (regular, italic, bold) at the body size."""
    ours = [c for c in line if family(c["fontname"]).startswith(font) and abs(c["size"] - size) < 0.05]
    return len(ours) * 2 > len(line)


def edges(pages: list[list[list[dict]]], font: str, size: float) -> dict[int, tuple[float, float]]:
    """Page parity → (left, right) edge of the text block: the commonest start and end of body-font lines."""
    found = {}
    for parity in (0, 1):
        lines = [line for number, page in enumerate(pages) if number % 2 == parity for line in page]
        lines = [line for line in lines if is_body_font(line, font, size)]
        if lines:
            starts = Counter(round(line[0]["x0"], 1) for line in lines).most_common(1)[0][0]
            ends = Counter(round(line[-1]["x1"], 1) for line in lines).most_common(1)[0][0]
            found[parity] = (starts, ends)
    return found


def body_lines(path: Path, font: Path = BODY_FONT) -> list[Line]:
    """Every body line of the PDF in reading order, justified or not, with its mean word space."""
    with pdfplumber.open(path) as pdf:
        name, size = body_style(pdf)
        pages = [page_lines(page) for page in pdf.pages]
    space = space_width(font) * size
    block = edges(pages, name, size)
    result = []
    for number, page in enumerate(pages):
        left, right = block.get(number % 2, (0.0, 0.0))
        for line in page:
            starts = left - EDGE <= line[0]["x0"] <= left + MAX_INDENT * size
            if not (starts and is_body_font(line, name, size)):
                continue
            justified = line[-1]["x1"] >= right - EDGE
            result.append(Line(number + 1, line_text(line), justified, mean_space(line, space) if justified else None))
    return result


def ends_in_hyphen(line: Line) -> bool:
    return line.text.endswith(HYPHENS)


def one_letter_end(line: Line) -> bool:
    """The line's last word, without its punctuation, is one letter ('и', 'a', 'I')."""
    last = line.text.split()[-1].strip(PUNCTUATION) if line.text.split() else ""
    return len(last) == 1 and last.isalpha()


def share(values: list[float], test) -> float:
    """The fraction of `values` that pass `test` (0 of none)."""
    return sum(map(test, values)) / max(len(values), 1)


def figures(lines: list[Line]) -> Figures:
    """The figures of a PDF's body lines (`body_lines`)."""
    justified = [line for line in lines if line.justified]
    spaces = sorted(line.space for line in justified if line.space is not None)
    count = max(len(justified), 1)
    runs = [len(list(run)) for hyphen, run in groupby(lines, ends_in_hyphen) if hyphen]
    last_of_page = [list(page)[-1] for _, page in groupby(lines, lambda line: line.page)]
    return Figures(
        lines=len(justified),
        loose=share(spaces, lambda s: s > LOOSE),
        very_loose=share(spaces, lambda s: s > VERY_LOOSE),
        tight=share(spaces, lambda s: s < TIGHT),
        p95=spaces[math.ceil(0.95 * len(spaces)) - 1] if spaces else 0.0,
        largest=spaces[-1] if spaces else 0.0,
        hyphenated=sum(map(ends_in_hyphen, justified)) / count,
        ladders=sum(run >= 3 for run in runs),
        page_final_hyphens=sum(map(ends_in_hyphen, last_of_page)),
        runts=sum(len(line.text.strip()) < RUNT for line in lines if not line.justified),
        one_letter_ends=sum(map(one_letter_end, justified)),
    )


def measure(path: Path, font: Path = BODY_FONT) -> Figures:
    """The figures of the PDF at `path`."""
    return figures(body_lines(path, font))
