"""The body's blocks beyond paragraphs and lists: GFM tables, figures, section breaks, and the headings refused.

markdown-it parses them (its `table` rule, CommonMark's `hr` and images);
the core rules here give them the markup a book's setting needs (a header
with a scope, numeric columns marked, a picture alone in its paragraph made a
figure with its caption); layouts/pamphlet/blocks.css sets them.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

from samizdat.errors import ContentError

#: The heading levels the pamphlet sets in the body (## a section, ### a part of one); the title is the only `#`.
HEADING_LEVELS = ("h2", "h3")

#: A cell that holds a number: digits with group and decimal marks, a sign, a percent or a currency sign.
NUMBER = re.compile(r"^[(+\-\u2212\u2013]?[$€£₽¥]?\s?\d[\d\s\u00a0\u202f\u2009.,']*(%|‰|[$€£₽¥])?\)?$")

#: A number's sign or currency, its figures and marks, and what follows them (a percent sign, a bracket).
DECIMALS = re.compile(r"^(\D*)(\d[\d\s\u00a0\u202f\u2009.,']*\d|\d)(\D*)$")

#: Languages that write decimals with a point (1,075.5); the others with a comma (1 075,5).
DECIMAL_POINT = ("en", "zh", "ja", "ko", "he", "th", "ga", "mt")

#: Cells that mean "nothing here" in a column of numbers.
BLANKS = ("", "-", "\u2013", "\u2014", "\u2212")


def use_blocks(markdown: MarkdownIt, lang: str) -> None:
    """Tables, figures and section breaks in `markdown` (samizdat.body.markdown_for): run before the language's
    typographic rule, so that a figure's caption gets its quotes and dashes too."""
    markdown.enable("table")
    markdown.core.ruler.after("inline", "figures", _figures)
    markdown.core.ruler.push("tables", _tables("." if lang.split("-")[0] in DECIMAL_POINT else ","))
    markdown.add_render_rule("hr", _section_break)
    markdown.add_render_rule("fence", _code_block)
    markdown.add_render_rule("code_block", _code_block)


def check_blocks(tokens: list[Token], env: dict, first_line: int, path: Path) -> None:
    """Refuse headings the layout does not set (a second title `#`, a level under `###`) and link definitions no
    link uses (markdown-it would drop them unprinted); give each table its line in the file, by which a table
    too wide for the page is named (samizdat.tables)."""
    _check_definitions(tokens, env, first_line, path)
    for token in tokens:
        line = first_line + (token.map[0] if token.map else 0)
        _check_descriptions(token, line, path)
        if token.type == "table_open":
            token.attrSet("data-line", str(line))
        if token.type != "heading_open" or token.tag in HEADING_LEVELS:
            continue
        if token.tag == "h1":
            raise ContentError(
                "a first-level heading ('#', or a line underlined with '===') in the text: the title is the "
                "document's only one; write '## ' for a section, '### ' for a part of one",
                path,
                line,
            )
        raise ContentError(
            f"a heading of level {token.tag[1]} ('{'#' * int(token.tag[1])} '): the pamphlet sets two levels in "
            "the text, '## ' for a section and '### ' for a part of one; use one of them",
            path,
            line,
        )


def _check_descriptions(block: Token, line: int, path: Path) -> None:
    """A picture needs its description (`![A crowd at the rally](photo.jpg)`): it is what a screen reader says
    (the figure's /Alt in the tagged PDF), and WeasyPrint would only log its absence."""
    for token in block.children or []:
        if token.type == "image" and not token.content.strip():
            raise ContentError(
                f"the picture '{token.attrGet('src')}' has no description: write what it shows between the "
                "brackets, e.g. ![A crowd at the rally](photo.jpg); screen readers read it out",
                path,
                line,
            )


def _check_definitions(tokens: list[Token], env: dict, first_line: int, path: Path) -> None:
    """A `[label]: address` line that no `[text][label]` uses would vanish from the page: refuse it."""
    used = {str(token.attrGet("href") or token.attrGet("src")) for block in tokens for child in block.children or []
            for token in (child, *(child.children or [])) if token.type in ("link_open", "image")}  # fmt: skip
    for label, definition in env.get("references", {}).items():
        if definition["href"] not in used:
            raise ContentError(
                f"the line '[{label.lower()}]: {definition['href']}' defines a link that no text uses, so it would "
                f"not be printed: write the link where it belongs ([the words][{label.lower()}]), or delete the line",
                path,
                first_line + definition["map"][0],
            )


def _figures(state: StateCore) -> None:
    """A picture alone in its paragraph is a figure, its title (`![alt](photo.jpg "caption")`) the caption.

    The paragraph is no longer one (samizdat.paragraph_text numbers only
    `paragraph_open`), so the line breaker leaves it alone.
    """
    tokens, found = state.tokens, []
    for index, token in enumerate(tokens):
        if token.type == "paragraph_open" and not token.hidden and _lone_picture(tokens[index + 1]):
            found.append(index)
    for index in reversed(found):
        opening, inline, closing = tokens[index : index + 3]
        opening.type, opening.tag, closing.type, closing.tag = "figure_open", "figure", "figure_close", "figure"
        picture = next(child for child in inline.children or [] if child.type == "image")
        caption = str(picture.attrGet("title") or "").strip()
        if not caption:
            continue
        picture.attrs.pop("title", None)
        text = Token("inline", "", 0, content=caption, map=inline.map, children=[Token("text", "", 0, content=caption)])
        tokens[index + 2 : index + 2] = [
            Token("figcaption_open", "figcaption", 1, map=inline.map),
            text,
            Token("figcaption_close", "figcaption", -1),
        ]


def _lone_picture(inline: Token) -> bool:
    children = [child for child in inline.children or [] if child.type != "softbreak" and child.content.strip()
                or child.type == "image"]  # fmt: skip
    return len(children) == 1 and children[0].type == "image"


def _tables(mark: str) -> Callable[[StateCore], None]:
    """The rule for every table: a scope for each header cell (PDF/UA), and the columns that hold only numbers
    marked `num` (blocks.css right-aligns them) and aligned on the decimal `mark` too (_decimal_aligned)."""

    def rule(state: StateCore) -> None:
        tokens = state.tokens
        for index, token in enumerate(tokens):
            if token.type != "table_open":
                continue
            end = next(i for i in range(index, len(tokens)) if tokens[i].type == "table_close")
            cells = [(column, index + offset, header) for column, offset, header in _offsets(tokens[index:end])]
            for column in {column for column, _, _ in cells}:
                body = [tokens[at + 1] for c, at, header in cells if c == column and not header]
                numeric = _numeric([inline.content.strip() for inline in body])
                for _, at, header in (cell for cell in cells if cell[0] == column):
                    if header:
                        tokens[at].attrSet("scope", "col")
                    if numeric:
                        tokens[at].attrSet("class", "num")
                if numeric:
                    _decimal_aligned(body, mark)

    return rule


def _decimal_aligned(cells: list[Token], mark: str) -> None:
    """Right-aligned numbers with as many decimals as the longest: the shorter ones get figure spaces (a digit's
    width: the text face's figures are tabular) and, for a missing mark, a punctuation space (the mark's width)."""
    split = [DECIMALS.match(cell.content.strip()) if len(cell.children or []) == 1 else None for cell in cells]
    places = [len(found.group(2).partition(mark)[2]) if found and mark in found.group(2) else 0 for found in split]
    most = max(places, default=0)
    for cell, found, count in zip(cells, split, places, strict=True):
        if found and count < most:
            padding = ("" if count else "\u2008") + "\u2007" * (most - count)
            cell.children[0].content = found.group(1) + found.group(2) + padding + found.group(3)


def _offsets(tokens: list[Token]) -> list[tuple[int, int, bool]]:
    """(column, offset of the cell's opening token, whether it is a header cell) of every cell."""
    found, column = [], 0
    for offset, token in enumerate(tokens):
        if token.type == "tr_open":
            column = 0
        elif token.type in ("th_open", "td_open"):
            found.append((column, offset, token.type == "th_open"))
            column += 1
    return found


def _numeric(texts: list[str]) -> bool:
    """A column of numbers: at least one, and nothing else but blanks and dashes."""
    filled = [text for text in texts if text not in BLANKS]
    return bool(filled) and all(NUMBER.match(text) for text in filled)


def _code_block(self: object, tokens: list, index: int, options: object, env: object) -> str:
    """A code block line by line, so that a line too long for the page wraps with a hanging indent (blocks.css)
    and the continuation cannot be taken for a line of its own."""
    lines = tokens[index].content.removesuffix("\n").expandtabs(4).split("\n")
    spans = "".join(f'<span class="line" data-indent="{_indent(line)}">{escapeHtml(line) or "&#160;"}</span>'
                    for line in lines)  # fmt: skip
    return f"<pre><code>{spans}</code></pre>\n"


def _indent(line: str) -> int:
    """How far a line of code is indented, in even steps up to 16 spaces: its continuation goes further in."""
    return min(len(line) - len(line.lstrip(" ")), 16) // 2 * 2


def _section_break(self: object, tokens: list, index: int, options: object, env: object) -> str:
    """`***` (or `---`, `___`) between paragraphs: a centred ornament (blocks.css) between blank lines."""
    return '<p class="section-break" role="separator">\u2042</p>\n'
