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
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING

from markdown_it.rules_core import StateCore

from samizdat.direction import is_right_to_left

if TYPE_CHECKING:
    from samizdat.local import LocalGroup

LRI = "\u2066"  # LEFT-TO-RIGHT ISOLATE
PDI = "\u2069"  # POP DIRECTIONAL ISOLATE
#: Every character that steers the UBA: an author's own are left alone (they know what they meant).
CONTROLS = "\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"

#: Hebrew, Arabic, Syriac, Thaana, NKo and their presentation forms: letters, punctuation, the Arabic-Indic
#: digits; not the Persian digits (U+06F0–U+06F9), which the UBA treats as European numbers, as it does 0–9.
RTL_CHARS = "\u0590-\u06ef\u06fa-\u08ff\ufb1d-\ufdff\ufe70-\ufeff"
#: What starts and ends a left-to-right run: a letter of a left-to-right script or a digit (Western, or the
#: Persian ones, which the UBA treats as European numbers), and what may close one (%, a closing bracket…).
LTR_EDGE = rf"[^\W_{RTL_CHARS}]"
LTR_HEAD = r"(?:[+\-−±$€£¥₴₽#№]|(?<!\w)[(\[])?"  # a sign or an opening bracket right before it: +3.5, (50%)
LTR_TAIL = r"[%‰°)\]]"
#: A run: from an edge to an edge (or a closing sign), through anything that is neither right to left nor a
#: line's end; the private-use markers of samizdat.punctuation never occur here (the rule runs after it).
LTR_RUN = re.compile(rf"{LTR_HEAD}{LTR_EDGE}(?:[^{RTL_CHARS}\n{CONTROLS}]*(?:{LTR_EDGE}|{LTR_TAIL}))?")


def direction(lang: str) -> str:
    """The direction of a language code (`ar`, `he-IL`, `fa`): "rtl" or "ltr", the value of HTML's `dir`; the
    languages are samizdat.direction's one table (which also binds their booklets on the right): those samizdat has
    fonts for and those it has not yet (Urdu, Yiddish, Pashto…), which get the direction and the mirrored layouts.

    >>> direction("ar-EG"), direction("fa"), direction("en"), direction("ru")
    ('rtl', 'rtl', 'ltr', 'ltr')
    """
    return "rtl" if is_right_to_left(lang) else "ltr"


def isolate(text: str) -> str:
    """`text` with each left-to-right run wrapped in LRI … PDI, so that it reads in its order inside
    right-to-left text; text that holds the author's own controls is left as written.

    >>> isolate("من 18:00–20:00 في Central Park.") == "من \u206618:00–20:00\u2069 في \u2066Central Park\u2069."
    True
    >>> isolate("۱۴۰۵/۰۲/۱۱ تا ۱۸:۰۰") == "\u2066۱۴۰۵/۰۲/۱۱\u2069 تا \u2066۱۸:۰۰\u2069"
    True
    """
    if any(char in CONTROLS for char in text):
        return text
    return LTR_RUN.sub(lambda match: LRI + match.group() + PDI, text)


def isolate_rule(state: StateCore) -> None:
    """The markdown-it core rule (after samizdat.punctuation's) isolating the runs in each text token of a
    right-to-left document: its body and, through body.smarten, its front matter. Code is left as written:
    base/rtl.css sets it left to right."""
    for token in state.tokens:
        for child in token.children or ():
            if child.type == "text" and child.content:
                child.content = isolate(child.content)


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
