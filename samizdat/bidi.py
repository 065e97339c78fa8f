"""Right-to-left languages: which they are, and the isolation of the left-to-right runs inside their text.

WeasyPrint 70 sets a paragraph's text through Pango, which runs the Unicode
bidirectional algorithm (UBA) over it, but it ignores `unicode-bidi` (so `<bdi>`
and `unicode-bidi: isolate` do nothing). Left alone, the UBA reverses a time
range inside Arabic text: in `18:00–20:00` the dash between two numbers takes
the paragraph's direction, so the line reads `20:00–18:00` from left to right.
Each left-to-right run (Latin words, numbers, dates, times, ranges, addresses)
is therefore wrapped in the characters LEFT-TO-RIGHT ISOLATE (U+2066) and POP
DIRECTIONAL ISOLATE (U+2069), which Pango obeys inside one text box. They are
characters, not tags: the structure tree is unchanged, no font needs a glyph for
them (HarfBuzz draws default-ignorable characters as nothing), and WeasyPrint
writes no glyph for them, so they do not show in copied text.

LRI rather than FSI (U+2068, "first strong"): a run chosen here is left to right
by construction, and a run of digits alone has no strong character for FSI to
find. A run is cut at any right-to-left letter or punctuation, so an Arabic
comma or a Hebrew word never lands inside one.

Pango sees one box at a time, and WeasyPrint orders the boxes of a right-to-left
line from the right: a run across emphasis or a link (`Central *Park*`) is
wrapped in `<span dir="ltr">` instead, one box whose own boxes run left to right.
Such a paragraph is left to WeasyPrint's own line breaks (samizdat.paragraph_text
breaks only paragraphs of text, emphasis and links).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING

from markdown_it.rules_core import StateCore
from markdown_it.token import Token

from samizdat.direction import direction

if TYPE_CHECKING:
    from samizdat.local import LocalGroup

LRI = "\u2066"  # LEFT-TO-RIGHT ISOLATE
PDI = "\u2069"  # POP DIRECTIONAL ISOLATE
#: Every character that steers the UBA: an author's own are left alone (they know what they meant).
CONTROLS = "\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
#: Markup a run may cross, and anything else it may not (code, a picture, a line break), in a block's text joined
#: (isolated_children); private-use characters, as samizdat.punctuation's markers: typed in a text, it is left alone.
SEP, OPAQUE = "\ue000", "\ue001"

#: Hebrew, Arabic, Syriac, Thaana, NKo and their presentation forms: letters, punctuation, the Arabic-Indic
#: digits; not the Persian digits (U+06F0–U+06F9), which the UBA treats as European numbers, as it does 0–9.
RTL_CHARS = "\u0590-\u06ef\u06fa-\u08ff\ufb1d-\ufdff\ufe70-\ufeff"
#: What starts and ends a left-to-right run: a letter of a left-to-right script or a digit (Western, or the
#: Persian ones, which the UBA treats as European numbers), and what may close one (%, a closing bracket…).
LTR_EDGE = rf"[^\W_{RTL_CHARS}]"
LTR_HEAD = r"(?:[+\-−±$€£¥₴₽#№]|(?<!\w)[(\[])?"  # a sign or an opening bracket right before it: +3.5, (50%)
LTR_TAIL = r"[%‰°)\]/]"  # and an address's final slash
#: A run: from an edge to an edge (or a closing sign), through anything that is neither right to left nor a
#: line's end; the private-use markers of samizdat.punctuation never occur here (the rule runs after it).
LTR_RUN = re.compile(rf"{LTR_HEAD}{LTR_EDGE}(?:[^{RTL_CHARS}\n{CONTROLS}]*(?:{LTR_EDGE}|{LTR_TAIL}))?")


def isolate(text: str) -> str:
    """`text` with each left-to-right run wrapped in LRI … PDI, so that it reads in its order inside
    right-to-left text; text that holds the author's own controls is left as written.

    >>> isolate("من 18:00–20:00 في Central Park.") == "من \u206618:00–20:00\u2069 في \u2066Central Park\u2069."
    True
    >>> isolate("۱۴۰۵/۰۲/۱۱ تا ۱۸:۰۰") == "\u2066۱۴۰۵/۰۲/۱۱\u2069 تا \u2066۱۸:۰۰\u2069"
    True
    """
    if any(char in CONTROLS + SEP + OPAQUE for char in text):
        return text
    return LTR_RUN.sub(lambda match: LRI + match.group() + PDI, text)


def isolate_rule(state: StateCore) -> None:
    """The markdown-it core rule (after samizdat.punctuation's) isolating the runs of each block of a
    right-to-left document: its body and, through body.smarten, its front matter (parsed inline)."""
    for token in state.tokens:
        if token.type == "inline" and token.children:
            token.children = isolated_children(token.children, across_markup=state.inlineMode)


#: Markup a run may cross: WeasyPrint makes a box of each element, and orders the boxes of a right-to-left line
#: from the right, so a run across boxes (`Central *Park*`) is wrapped in a left-to-right element instead.
OPENS, CLOSES = ("em_open", "strong_open", "link_open", "s_open"), ("em_close", "strong_close", "link_close", "s_close")
LTR_OPEN, LTR_CLOSE = '<span dir="ltr">', "</span>"


def isolated_children(children: list[Token], across_markup: bool = False) -> list[Token]:
    """A block's inline tokens with its left-to-right runs isolated: LRI … PDI around a run within one box
    (a line break of the source, a softbreak, is in the same box), `<span dir="ltr">` around one that crosses
    emphasis or a link and closes where it opens (else each box's piece is isolated by itself). In the front
    matter (`across_markup`), which is printed as plain text, LRI … PDI around every run. Code, whose text a
    run never enters, is left as written: base/rtl.css sets it left to right."""
    pieces = [(child.content if child.type == "text" else " " if child.type == "softbreak" else
               SEP if child.type in OPENS + CLOSES else OPAQUE) for child in children]  # fmt: skip
    joined = "".join(pieces)
    texts = "".join(child.content for child in children if child.type == "text")
    if any(char in CONTROLS + SEP + OPAQUE for char in texts):
        return children  # the author's own controls (or our markers, typed in): left as written
    inserts: list[tuple[int, str]] = []  # (position in `joined`, what goes there), in order
    for match in LTR_RUN.finditer(joined.replace(OPAQUE, "\n")):
        start, end = match.span()
        if SEP not in match.group() or across_markup:
            inserts += [(start, LRI), (end, PDI)]
        elif widened := _balanced(children, pieces, start, end):
            inserts += [(widened[0], LTR_OPEN), (widened[1], LTR_CLOSE)]
        else:  # the run's piece in each box, isolated by itself
            inserts += [(start + at + offset, mark) for at, piece in _segments(match.group())
                        for found in LTR_RUN.finditer(piece)
                        for offset, mark in zip(found.span(), (LRI, PDI), strict=True)]  # fmt: skip
    return _inserted(children, pieces, inserts)


def _segments(run: str) -> list[tuple[int, str]]:
    """The pieces of a run between its markup, each with where it starts in the run."""
    found, at = [], 0
    for piece in run.split(SEP):
        found.append((at, piece))
        at += len(piece) + 1
    return found


def _balanced(children: list[Token], pieces: list[str], start: int, end: int) -> tuple[int, int] | None:
    """The run [start, end) of the joined text widened over the markup right next to it so that it closes all it
    opens, and only that (`Central *Park*` takes the closing `*`), or None when it cannot."""
    kinds, at = {}, 0  # position of each piece of markup → +1 opens, -1 closes
    for child, piece in zip(children, pieces, strict=True):
        if piece == SEP:
            kinds[at] = 1 if child.type in OPENS else -1
        at += len(piece)
    depth = lowest = 0
    for position in range(start, end):
        depth += kinds.get(position, 0)
        lowest = min(lowest, depth)
    for _ in range(-lowest):  # closes of what opened before the run: take the opens right before it
        if kinds.get(start - 1) != 1:
            return None
        start -= 1
    for _ in range(depth - lowest):  # what it opened and left open: take the closes right after it
        if kinds.get(end) != -1:
            return None
        end += 1
    return start, end


def _inserted(children: list[Token], pieces: list[str], inserts: list[tuple[int, str]]) -> list[Token]:
    """The tokens with each insert made: a control character into its text, an element as a token of its own.
    What opens a run goes before the run's first character, what closes it after its last (both in text)."""
    by_child: dict[int, list[tuple[int, str]]] = {}
    starts = [sum(len(piece) for piece in pieces[:index]) for index in range(len(pieces))]
    for position, mark in inserts:
        at = position if mark in (LRI, LTR_OPEN) else position - 1
        index = max(i for i, begin in enumerate(starts) if begin <= at)
        by_child.setdefault(index, []).append((position - starts[index], mark))
    result: list[Token] = []
    for index, child in enumerate(children):
        if index not in by_child:
            result.append(child)
            continue
        if child.type != "text":  # markup the run was widened over: the element opens before it, closes after
            marks = [mark for _, mark in by_child[index]]
            result += [_element(child, m) for m in marks if m == LTR_OPEN] + [child]
            result += [_element(child, m) for m in marks if m == LTR_CLOSE]
            continue
        text, last = "", 0
        for offset, mark in by_child[index]:
            text += child.content[last:offset]
            last = offset
            if mark in (LRI, PDI):
                text += mark
                continue
            result += [child.copy(content=text)] if text else []
            result.append(_element(child, mark))
            text = ""
        text += child.content[last:]
        result += [child.copy(content=text)] if text else []
    return result


def _element(beside: Token, tag: str) -> Token:
    """`<span dir="ltr">` or `</span>` as a token at the level of the token beside it (our markup, not the
    author's: raw HTML in a document is still printed as text)."""
    return Token("html_inline", "", 0, content=tag, level=beside.level)


def use_isolation(lang: str) -> Callable[[StateCore], None] | None:
    """The isolating rule for a right-to-left `lang`, None for any other."""
    return isolate_rule if direction(lang) == "rtl" else None


def isolated_group(group: LocalGroup, lang: str) -> LocalGroup:
    """A local group of a right-to-left document with the runs of its printed fields isolated, as the body's
    (its meeting's times, a Latin town name, an e-mail address or a phone number); its url stays as written:
    it is the QR code's, and rtl.css sets its printed copy left to right."""
    if direction(lang) != "rtl":
        return group
    contact = isolate(group.contact) if group.contact else group.contact
    return replace(group, town=isolate(group.town), meeting=isolate(group.meeting), contact=contact)
