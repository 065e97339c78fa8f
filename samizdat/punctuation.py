"""A language's typographic rules (samizdat.typography) applied to the text of a Markdown block, across emphasis.

One markdown-it core rule (`typeset_rule`) serves the body and the front matter
(body.smarten parses each field inline with the same MarkdownIt). It replaces
markdown-it's smartquotes, which cannot nest quotes («…«…»…»): the text tokens
of a block are joined into one string, with one private-use marker where any
other token stands, so that a quote, a dash or a one-letter word can be seen
across `*emphasis*` and links; code spans, autolinks, pictures and addresses
or file names written in the text are opaque; then the string is cut back at
the markers into the same tokens. Code blocks have no inline tokens and are
never reached.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from markdown_it.rules_core import StateCore
from markdown_it.token import Token

from samizdat.typography import NBSP, LanguageRules

SEP = "\ue000"  # where emphasis or a link opens or closes: transparent to the rules
OPAQUE = "\ue001"  # a code span, an autolink's address, a picture: a word the rules never enter
HIDDEN = "\ue002"  # an address or file name in the text, hidden from the rules and put back
MARKERS = SEP + OPAQUE + HIDDEN
MARKUP = ("em_open", "em_close", "strong_open", "strong_close", "link_open", "link_close")

LETTER = r"[^\W\d_]"
S = f"{SEP}*"  # markup boundaries that may stand between a word and its space
NOT_WORD_BEFORE = rf"(?<![\w'’ʼ\-‐.@{OPAQUE}{HIDDEN}])"  # a word starts here (not inside don’t, из-за, e.g.)
TEXT_QUOTES = '"«»“”„‟‹›'

#: A run of characters that may be an address or a file name; `_is_address` decides (one regex over the whole
#: text would backtrack over every long word).
WORD = re.compile(rf"[^\s{TEXT_QUOTES}(){{}}<>{MARKERS}]+")
SCHEME = re.compile(r"(?:https?://|ftp://|mailto:|www\.)", re.IGNORECASE)
E_MAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
PATH = re.compile(r"\w[/\\]")
EXTENSIONS = frozenset(
    ("md", "pdf", "txt", "csv", "yaml", "yml", "html", "htm", "png", "jpg", "jpeg", "svg", "css", "js", "py", "zip"),
)
BREAKABLE = re.compile(r"[^\S\u00a0\u202f]+")  # white space but the no-break spaces
SIGNS = {"c": "©", "tm": "™", "r": "®"}
TRAILING = re.compile(r"[.,;:!?)\]'’]+\Z")


def typeset(text: str, rules: LanguageRules) -> str:
    """`text` (which may hold the markers) with the language's dashes, quotes and no-break spaces."""
    hidden: list[str] = []

    def hide(match: re.Match) -> str:
        address = TRAILING.sub("", match.group())
        if not _is_address(address):
            return match.group()
        hidden.append(address)
        return HIDDEN + match.group()[len(address) :]

    text = WORD.sub(hide, text)
    for step in (_replacements, _year_ranges, _quotes, _dashes, _french_spaces, _no_break_spaces):
        text = step(text, rules)
    pieces = text.split(HIDDEN)
    return pieces[0] + "".join(address + piece for address, piece in zip(hidden, pieces[1:], strict=True))


def _is_address(word: str) -> bool:
    """A web or e-mail address, a path or a file name: no rule may touch it."""
    name, dot, extension = word.rpartition(".")
    return bool(
        SCHEME.match(word)
        or ("@" in word and E_MAIL.fullmatch(word))
        or PATH.search(word)
        or (name and dot and extension.lower() in EXTENSIONS)
    )


def breakable_words(text: str) -> list[str]:
    """The pieces a line may break between: `text` cut at its spaces, never at the no-break ones the rules put.

    >>> breakable_words("Свободу и\u00a0мир!")
    ['Свободу', 'и\xa0мир!']
    """
    return [word for word in BREAKABLE.split(text) if word]


def typeset_rule(rules: LanguageRules) -> Callable[[StateCore], None]:
    """The markdown-it core rule applying `rules` to every inline block (paragraph, heading, list item…)."""

    def rule(state: StateCore) -> None:
        for token in state.tokens:
            if token.type == "inline" and token.children:
                typeset_tokens(token.children, rules)

    return rule


def typeset_tokens(children: list[Token], rules: LanguageRules) -> None:
    """Apply the rules to a block's inline tokens in place, as one string (see the module docstring)."""
    parts: list[tuple[Token | None, str]] = []
    autolink = False
    for token in children:
        if token.type == "link_open" and token.info == "auto":
            autolink = True
            token.attrSet("class", "address")  # base.css: WeasyPrint never hyphenates it
        if token.type == "text" and not token.content:
            continue  # left by a delimiter markdown-it made into emphasis: nothing to typeset
        if token.type in ("text", "softbreak", "hardbreak") and not autolink:
            text = token.content if token.type == "text" else "\n"
            parts.append((token, text))
        else:  # markup is transparent, anything else opaque; a run of them is one marker, so runs stay short
            marker = SEP if token.type in MARKUP else OPAQUE
            if parts and parts[-1][0] is None:
                marker = max(parts.pop()[1], marker)  # OPAQUE sorts after SEP
            parts.append((None, marker))
        autolink = autolink and token.type != "link_close"
    joined, previous_text = "", False
    for token, text in parts:
        joined += (SEP if previous_text and token is not None else "") + text
        previous_text = token is not None
    if any(marker in text for token, text in parts if token is not None for marker in MARKERS):
        return  # the author's text holds our private-use markers: leave it as written
    _write_back(parts, re.split(f"[{SEP}{OPAQUE}]", typeset(joined, rules)))


def _write_back(parts: list[tuple[Token | None, str]], pieces: list[str]) -> None:
    """Give each text token its piece of the typeset string; a line break only if it became a no-break space."""
    index, previous_text = 0, False
    for token, _ in parts:
        if token is None or previous_text:
            index += 1
        previous_text = token is not None
        if token is None:
            continue
        if token.type == "text":
            token.content = pieces[index]
        elif token.type == "softbreak" and pieces[index] != "\n":
            token.content = pieces[index]  # rendered by body.markdown_for's softbreak rule


def _replacements(text: str, rules: LanguageRules) -> str:
    """markdown-it's replacements, outside addresses: --- → —, -- → –, ... → …, (c) → ©, (tm) → ™, (r) → ®."""
    text = re.sub(r"(^|[^-])---(?=[^-]|$)", "\\1—", text)
    text = re.sub(rf"(^|[\s{SEP}])--(?=[\s{SEP}]|$)", "\\1–", text)
    text = re.sub(r"(^|[^-\s])--(?=[^-\s]|$)", "\\1–", text)
    text = text.replace("...", "…").replace("+-", "±")
    return re.sub(r"\((c|tm|r)\)", lambda match: SIGNS[match.group(1).lower()], text, flags=re.IGNORECASE)


def _year_ranges(text: str, rules: LanguageRules) -> str:
    """1914-1918 гг. → 1914–1918 гг. (typograf's ru/dash/years: four digits each, the first the smaller)."""
    if not rules.year_ranges:
        return text

    def dash(match: re.Match) -> str:
        first, second = match.group(1), match.group(2)
        return f"{first}–{second}" if int(first) < int(second) else match.group()

    return re.sub(r"(?<!\d)(\d{4})[ \u00a0]?[-‒–—][ \u00a0]?(\d{4})(?=[ \u00a0]?г)", dash, text)


def _dashes(text: str, rules: LanguageRules) -> str:
    """A dash between spaces: U+00A0 before it, the space after kept; in dialogue it binds to the next word."""
    any_dash = "-‒–—"
    if rules.speech_dash:  # typograf's ru/dash/directSpeech: a block's first dash, a dash after a sentence's end
        text = re.sub(rf"^({S})[{any_dash}][ \u00a0]", rf"\1{rules.dash}{NBSP}", text)
        text = re.sub(rf"([.…?!])({S})[ \u00a0]+[{any_dash}]({S})[ \u00a0]", rf"\1\2 {rules.dash}\3{NBSP}", text)

    def spaced(match: re.Match) -> str:
        if not re.search(r"\s", match.group(2)):
            return match.group()
        dash = rules.dash if match.group(3) in rules.replaced_dashes else match.group(3)
        return match.group(1) + _held(match.group(2)) + dash + match.group(4)

    return re.sub(rf"([^\s{SEP}])((?:[ \u00a0\n]|{SEP})+)([{any_dash}])({S}[ \n])", spaced, text)


def _held(gap: str) -> str:
    """The white space between two words (and markup boundaries) as one no-break space: where the line break
    was, if the source broke the line there (that token is then rendered as the no-break space)."""
    if "\n" in gap:
        return re.sub("[ \u00a0]", "", gap).replace("\n", NBSP)
    first, *rest = re.split("[ \u00a0]+", gap)
    return first + NBSP + "".join(rest)


def _quotes(text: str, rules: LanguageRules) -> str:
    """Straight quotes become the language's, nested by depth («…„…“…»); typographic quotes already there count
    for the depth and stay as they are; ' between letters is an apostrophe (don’t, п’ять)."""
    chars = list(text)
    first_open, first_close, second_open, second_close = rules.quotes
    closers = {first_close: first_open, second_close: second_open}
    opening = set("([{ \u00a0\n-‒–—/" + first_open + second_open)
    stack: list[tuple[int, str]] = []  # where each open quote is, and what it is
    for index, char in enumerate(chars):
        before, after = _neighbour(chars, index, -1), _neighbour(chars, index, 1)
        if char in (first_open, second_open):
            stack.append((index, char))
        elif char in closers and not (char == "’" and before.isalpha() and after.isalpha()):
            _close(stack, closers[char])
        elif char == "'" and (before.isalnum() and after.isalpha() or before in opening and after.isdigit()):
            chars[index] = "’"  # an apostrophe: don’t, п’ять, ’90s
        elif char in "\"'":
            closed = _close(stack, char) if before not in opening else None
            if closed is not None:
                start, depth = closed
                marks = rules.quotes[2:] if char == "'" or depth % 2 else rules.quotes[:2]
                chars[start], chars[index] = marks[0], marks[1]
            elif before in opening and after not in opening:
                stack.append((index, char))
            elif char == "'":
                chars[index] = "’"
    for index, char in stack:
        if char == "'":
            chars[index] = "’"  # never closed: an elision, ’90s
    return "".join(chars)


def _close(stack: list[tuple[int, str]], kind: str) -> tuple[int, int] | None:
    """Close the innermost open quote of `kind` (and any left open inside it): where it opened, and its depth."""
    for depth in range(len(stack) - 1, -1, -1):
        if stack[depth][1] == kind:
            start = stack[depth][0]
            del stack[depth:]
            return start, depth
    return None


def _neighbour(chars: list[str], index: int, step: int) -> str:
    """The character before or after `index`, past markup boundaries; a space at either end of the block."""
    index += step
    while 0 <= index < len(chars) and chars[index] == SEP:
        index += step
    return chars[index] if 0 <= index < len(chars) else " "


def _french_spaces(text: str, rules: LanguageRules) -> str:
    """French: a no-break space inside guillemets, a narrow one before ; ! ?, a no-break one before : (not in
    10:30); the spaces already there, on either side of a markup boundary, give way to them."""
    if not rules.quote_space:
        return text
    gap = f"((?:[ \u00a0\u202f]|{SEP})*)"

    def spaced(space: str) -> Callable[[re.Match], str]:
        return lambda match: _markers(match.group(1)) + space + match.group(2)

    text = re.sub(rf"(«){gap}", lambda match: "«" + rules.quote_space + _markers(match.group(2)), text)
    text = re.sub(rf"{gap}(»)", spaced(rules.quote_space), text)
    text = re.sub(rf"(?<=[^\s;:!?{SEP}]){gap}([;!?])", spaced(rules.before_high_punctuation), text)

    def colon(match: re.Match) -> str:
        if match.group(1).isdigit() and not re.search(r"\s", match.group(2)):
            return match.group()  # 10:30
        return match.group(1) + _markers(match.group(2)) + rules.before_colon + ":"

    return re.sub(rf"([^\s;:!?{SEP}]){gap}:", colon, text)


def _markers(gap: str) -> str:
    """The markup boundaries of a gap, without its spaces."""
    return re.sub("[ \u00a0\u202f]", "", gap)


def _no_break_spaces(text: str, rules: LanguageRules) -> str:
    """Bind one-letter words and the language's short words to the next word, particles to the word before,
    initials to the name, numbers to their units and digit groups, № and § to their number."""
    glue = rf"({S})[ \n](?={S}[^\s])"
    text = re.sub(rf"{NOT_WORD_BEFORE}({LETTER}){glue}", rf"\1\2{NBSP}", text)
    if rules.short_words:
        words = "|".join(sorted(rules.short_words, key=len, reverse=True))
        text = re.sub(rf"{NOT_WORD_BEFORE}({words}){glue}", rf"\1\2{NBSP}", text, flags=re.IGNORECASE)
    if rules.particles:
        words = "|".join(sorted(rules.particles, key=len, reverse=True))
        text = re.sub(rf"(?<={LETTER})({S})[ \n](?={S}(?:{words})(?![\w'’ʼ\-]))", rf"\1{NBSP}", text)
    text = re.sub(rf"{NOT_WORD_BEFORE}({LETTER})\.({S})[ \n](?={S}{LETTER})", _initial, text)
    units = "|".join(re.escape(unit) for unit in sorted(rules.units, key=len, reverse=True))
    text = re.sub(rf"(\d)({S})[ \n](?={S}(?:{units})(?![^\W_]))", rf"\1\2{NBSP}", text)
    text = re.sub(r"(?<![\d.,])\d{1,3}(?: \d{3})+(?![\d]|[.,]\d)", lambda m: m.group().replace(" ", NBSP), text)
    return re.sub(r"([№§])[ \u00a0\u202f]?(?=\d|[IVXLC]\b)", rf"\1{rules.sign_space}", text)


def _initial(match: re.Match) -> str:
    """A capital and a full stop before a capital (А. С. Пушкин, J. R. Smith) holds on to what follows."""
    following = match.string[match.end() :].lstrip(SEP)[:1]
    if match.group(1).isupper() and following.isupper():
        return match.group(1) + "." + match.group(2) + NBSP
    return match.group()
