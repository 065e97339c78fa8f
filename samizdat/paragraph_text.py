"""A paragraph's text as the line breaker sees it, and its line breaks put back into its tokens.

samizdat.body numbers the printed paragraphs (`data-p`); samizdat.paragraphs
reads their text here (runs of text and the inline elements each is in),
chooses the lines, and render_body sets them with set_breaks.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from markdown_it.token import Token

from samizdat.hanging import hang_tag, spans, track_tag


@dataclass(frozen=True)
class Breaks:
    """Where a paragraph's lines end, as offsets into its text (paragraph_text): the ordinary spaces that stay
    (every other one becomes U+00A0), and the places that get a soft hyphen U+00AD; how many lines that makes,
    which of them (0-based) end in a hyphen, and how the paragraph is set (set_breaks, samizdat.body)."""

    spaces: frozenset[int]
    soft_hyphens: frozenset[int]
    lines: int = 0
    hyphenated: frozenset[int] = frozenset()
    shrink: float = 0.0  # px every space is set narrower than natural (justifying stretches them back)
    last_line: int = 0  # where the last line starts: its spaces become `last_space`, which word-spacing leaves alone
    last_space: str = "\u00a0"
    held: frozenset[int] = frozenset()  # spaces of the last line that stay no-break spaces (linebreaks._held)
    letters: tuple[int, ...] = ()  # how many characters each line has, spaces and hyphens aside (LETTERLESS)
    full: bool = False  # the last line fits only with its spaces shrunk: it is justified like the others
    hyphens: str = "manual"  # the paragraph's CSS `hyphens`: no hyphen but the chosen ones (`none` stays)
    widows: int = 0  # the paragraph's CSS `widows` when raised, to carry a page-final hyphenated line over
    hangs: tuple[tuple[int, float], ...] = ()  # (offset, px) of each glyph that hangs at a line's end (hanging)
    tracks: tuple[tuple[int, int, float], ...] = ()  # (start, end, px) of each line's letter-spaced part (hanging)


#: What a line broken after a hyphen of the text ends in, as a hyphenated line does (U+2010: WeasyPrint's own).
HYPHENS = "-\u2010\u00ad"

#: What is not counted in Breaks.letters: spaces, soft hyphens and the hyphen WeasyPrint adds at a break.
LETTERLESS = " \u00a0\u2004\u2005\u2008\u2060\u00ad\u2010"


def letters(text: str) -> int:
    return sum(char not in LETTERLESS for char in text)


#: Inline tokens whose text paragraph_text follows, and the element each opens (its style is looked up by them).
_OPENS = {"em_open": "em", "strong_open": "strong", "link_open": "a", "s_open": "s"}
_CLOSES = {"em_close", "strong_close", "link_close", "s_close"}
_TEXTS = {"text", "code_inline", "softbreak"}


def numbered(tokens: list[Token]) -> Iterator[tuple[Token, Token]]:
    """(the opening token of its element, inline token) of every paragraph: a <p>, or the <li> of a tight list,
    whose paragraph markdown-it prints without a <p>."""
    for index, token in enumerate(tokens):
        opening = tokens[index - 1] if index else None
        if token.type != "inline" or opening is None or opening.type != "paragraph_open":
            continue
        if not opening.hidden:
            yield opening, token
        elif index > 1 and tokens[index - 2].type == "list_item_open":
            yield tokens[index - 2], token


def _paragraphs(tokens: list[Token]) -> Iterator[Token]:
    return (inline for _, inline in numbered(tokens))


def paragraph_text(inline: Token) -> list[tuple[str, tuple[str, ...]]] | None:
    """A paragraph's text as runs of (text, the inline elements it is in: ("em",), ("a", "code")…), or None when
    it holds something else (a picture, a line break) that the line breaker leaves to WeasyPrint."""
    runs, open_tags = [], []
    for token in inline.children or []:
        if token.type in _OPENS:
            open_tags.append(_OPENS[token.type])
        elif token.type in _CLOSES:
            open_tags.pop()
        elif token.type in _TEXTS:
            code = ("code",) if token.type == "code_inline" else ()
            runs.append((_text(token), (*open_tags, *code)))
        else:
            return None
    return runs


def _text(token: Token) -> str:
    """A text token's text; a line break of the source is a space (or the no-break space the language's rules
    put there: samizdat.punctuation)."""
    return (token.content or " ") if token.type == "softbreak" else token.content


def paragraph_texts(tokens: list[Token]) -> dict[int, list[tuple[str, tuple[str, ...]]]]:
    """Every numbered paragraph the line breaker may break, by number."""
    texts = {number: paragraph_text(inline) for number, inline in enumerate(_paragraphs(tokens))}
    return {number: runs for number, runs in texts.items() if runs}


def set_breaks(inline: Token, breaks: Breaks) -> None:
    """Make the paragraph's text break only where `breaks` says: the other spaces become no-break spaces;
    a run of spaces (or tabs) is one space, as HTML sets it; on a ragged last line the spaces are
    `last_space`, and those that must not break are held to the next word by a word joiner U+2060 (which
    samizdat.pdf leaves out of the copied text); a glyph that hangs at a line's end, and a loose line's
    letter-spaced part, go into their spans (samizdat.hanging)."""
    offset, previous, children, tags = 0, "", [], _tags(breaks)
    for token in _joined(inline.children or []):
        if token.type not in _TEXTS:
            children.append(token)
            continue
        chars, marks = [], []
        for char in _text(token).translate(_WHITE_SPACE):
            if offset in breaks.soft_hyphens:
                chars.append("\u00ad")
                marks.append(None)
            marks.append(tags.get(offset) if token.type != "code_inline" else None)
            if char == " " == previous:
                pass  # collapsed, as HTML would
            elif char in " \u00a0" and offset >= breaks.last_line and not breaks.full:
                chars.append(breaks.last_space + ("\u2060" if offset in breaks.held else ""))
            else:
                chars.append("\u00a0" if char == " " and offset not in breaks.spaces else char)
            previous, offset = char, offset + 1
            del marks[len(chars) :]  # a collapsed space
        if token.type == "softbreak":
            token = Token("text", "", 0)
        children += spans(token, chars, marks)
    inline.children = children



def _joined(tokens: list[Token]) -> list[Token]:
    """The inline tokens with each line break of the source joined to the text before it, inside the emphasis
    or strong that ends there (`*plans,*`): a glyph hung at a line's end and the break space after it are then
    one span (_tags), not a span of a lone space. At the line's end the space is not drawn."""
    joined: list[Token] = []
    for token in tokens:
        before = len(joined)
        while token.type == "softbreak" and before and joined[before - 1].type in CLOSING:
            before -= 1
        if token.type == "softbreak" and before and joined[before - 1].type == "text":
            merged = Token("text", "", 0)
            merged.content = joined[before - 1].content + _text(token)
            joined[before - 1] = merged
        else:
            joined.append(token)
    return joined


#: The elements a line break of the source may be joined inside of (not a link's: its text is its own).
CLOSING = ("em_close", "strong_close", "s_close")


def _tags(breaks: Breaks) -> dict[int, str]:
    """The span each offset of the text goes into, if any: a hung glyph's holds the space after it too, where
    the line ends (a text box of that space alone would be set as a space and a zero-width space U+200B by
    WeasyPrint, which gives a lone space its word-spacing so)."""
    tags = {offset: track_tag(amount) for start, end, amount in breaks.tracks for offset in range(start, end)}
    return tags | {at: hang_tag(amount) for offset, amount in breaks.hangs for at in (offset, offset + 1)}


_WHITE_SPACE = str.maketrans("\t\n\r", "   ")
