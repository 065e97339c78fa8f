"""Hanging punctuation and letter-spaced loose lines, two compositor's means of giving the breaker more good
lines, set by spans around the chosen lines' text (paragraph_text.set_breaks; never with `linebreaks: greedy`).

Hanging punctuation (optical margin alignment): a justified line that ends in
a comma, a full stop, a dash or a closing quote sets part of that glyph past
the measure, so that the right edge looks straight to the eye, and the line
may hold that much more. How it reaches WeasyPrint 70 (read in
layout/inline.py, checked by tests/test_typography_figures.py): the glyph,
with the space after it where the line ends, goes into a <span> whose right
margin is minus the amount. split_inline_box counts an inline box's margins in
its width (margin_width) when it asks whether the line overflows, so the line
fits that much more; text_align then justifies by the room minus line.width,
which the negative margin has made smaller, so justify_line spreads that much
more over the line's spaces and the glyph ends that far past the measure. The
breaker counts the same room (linebreaks.Glue.hang).

A loose line's letters: WeasyPrint sets `letter-spacing` as a Pango attribute
on a run of text, after every character of it, spaces too, and justifies by
widening the spaces alone, so a line whose letters are spaced leaves its
spaces that much less to widen (linebreaks._Breaker._tracked counts it).

The spans add no character (copied text is the same) and WeasyPrint tags a
span /Span, the element with no meaning of its own that each run of text
already is.
"""
from __future__ import annotations

from markdown_it.token import Token

#: How much of a glyph's advance hangs past the measure when a line ends in it: the small, light marks most
#: (they leave a hole in the edge), a dash or a quote less, a question mark hardly (it is dark at its top).
HANG = {
    ",": 0.7, ".": 0.7, "\u2026": 0.3,
    ":": 0.4, ";": 0.4, "!": 0.2, "?": 0.15,
    "\u00bb": 0.4, "\u201c": 0.5, "\u201d": 0.5, "\u2019": 0.5, '"': 0.5, "'": 0.5,
    ")": 0.2, "\u2013": 0.3, "\u2014": 0.2,
}  # fmt: skip
#: Inline elements whose glyphs do not hang: a link (WeasyPrint tags its text straight into its /Link element)
#: and code (a typewriter face, set as written).
STILL = ("a", "code")


def may_hang(char: str, chain: tuple[str, ...]) -> float:
    """The share of `char`'s advance that hangs at a line's end, in a run of text inside the elements `chain`."""
    return 0.0 if any(tag in STILL for tag in chain) else HANG.get(char, 0.0)


def hang_tag(amount: float) -> str:
    """The span that hangs a glyph `amount` px past the measure."""
    return f'<span class="hang" style="margin-right: -{amount:.3f}px">'


def track_tag(amount: float) -> str:
    """The span that sets a loose line's letters `amount` px apart (linebreaks.TRACK_FROM)."""
    return f'<span class="track" style="letter-spacing: {amount:.3f}px">'


def spans(token: Token, chars: list[str], tags: list[str | None]) -> list[Token]:
    """The text token `token` with the text `chars`, each run of characters with the same tag (None: no span)
    in that span."""
    pieces: list[Token] = []
    start = 0
    for end in range(1, len(chars) + 1):
        if end < len(chars) and tags[end] == tags[start]:
            continue
        if tags[start] is not None:
            pieces += [_html(tags[start]), _text(chars[start:end]), _html("</span>")]
        else:
            pieces.append(_text(chars[start:end]))
        start = end
    if not pieces or tags[-1] is not None:
        pieces.append(_text([]))  # the token itself stays last, its type kept (a code span is set as code)
    token.content = pieces[-1].content
    return [*pieces[:-1], token]


def _text(chars: list[str]) -> Token:
    token = Token("text", "", 0)
    token.content = "".join(chars)
    return token


def _html(markup: str) -> Token:
    token = Token("html_inline", "", 0)
    token.content = markup
    return token
