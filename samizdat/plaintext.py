"""The plain-text edition: the document as UTF-8 text wrapped at 72 columns, for e-mail and messaging.

Made by walking the tokens of samizdat's own Markdown parser (samizdat.body,
with the language's quotes, dashes and no-break spaces), not by turning the
HTML back into text: no HTML-to-text library is installed, html2text is
GPL-licensed and writes Markdown escapes (`\\*`) into the text, inscriptis
neither wraps nor marks headings, and the tokens already say what each piece
is. Notes are at the end as [1] …, each call as [1]; a link's address follows
its words in angle brackets (<https://…>), as on paper (samizdat.links, `inline`). Lines break
between words only: a word is never split, and an address longer than a line
stands on a line of its own. Columns are counted as a terminal shows them (a
wide CJK character is two, a combining mark or an invisible control none).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from markdown_it.token import Token

from samizdat.body import body_tokens, markdown_for
from samizdat.content import Document
from samizdat.contents import plain_text
from samizdat.notes import NOTES_HEADING

#: The width of a line, in columns.
WIDTH = 72

#: Where a line may break: ordinary spaces only (a no-break space binds its words, as the typography meant).
SPACES = re.compile(r"[ \t\n]+")

#: What a section heading (##) and a part of one (###) are underlined with; the title has a line above too.
UNDERLINES = {"h2": "=", "h3": "-"}


def columns(text: str) -> int:
    """How many columns `text` takes on a terminal.

    >>> columns("abc"), columns("日本"), columns("e\u0301"), columns("a\u2068b\u2069")
    (3, 4, 1, 2)
    """
    width = 0
    for char in text:
        if unicodedata.category(char) in ("Mn", "Me", "Cf"):
            continue
        width += 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1
    return width


def wrap(text: str, first: str, rest: str, width: int = WIDTH) -> list[str]:
    """`text` broken into lines of at most `width` columns between words, the first after `first`, the others
    after `rest`; a word longer than a line gets a line of its own.

    >>> wrap("one two three", "- ", "  ", 9)
    ['- one two', '  three']
    >>> wrap("see https://example.org/a/very/long/address ok", "", "", 12)
    ['see', 'https://example.org/a/very/long/address', 'ok']
    """
    lines, line, empty = [], first, True
    for word in SPACES.split(text.strip()):
        if not word:
            continue
        if not empty and columns(line) + 1 + columns(word) > width:
            lines.append(line)
            line, empty = rest, True
        line, empty = (line + word, False) if empty else (f"{line} {word}", False)
    return [*lines, line.rstrip()] if not empty or not lines else lines


@dataclass
class _Writer:
    """The lines written so far, and the prefixes of the blocks we are in (a list item's marker, a quote's >)."""

    lines: list[str] = field(default_factory=list)
    prefixes: list[list[str]] = field(default_factory=list)  # [first line's prefix (until used), the others']

    def prefix(self) -> tuple[str, str]:
        first = "".join(entry[0] for entry in self.prefixes)
        rest = "".join(entry[1] for entry in self.prefixes)
        for entry in self.prefixes:
            entry[0] = entry[1]
        return first, rest

    def blank(self) -> None:
        if self.lines and self.lines[-1].strip(" >"):
            self.lines.append("".join(entry[1] for entry in self.prefixes).rstrip())

    def paragraph(self, text: str, tight: bool = False) -> None:
        if not tight:
            self.blank()
        first, rest = self.prefix()
        for piece in text.split("\n"):  # a hard line break of the source stays one
            self.lines += wrap(piece, first, rest)
            first = rest

    def heading(self, text: str, underline: str, above: bool = False) -> None:
        self.blank()
        lines = wrap(text, "", "")
        rule = underline * min(max(map(columns, lines)), WIDTH)
        self.lines += [*([rule] if above else []), *lines, rule]


def plain_text_edition(document: Document, url: str | None, date: str | None) -> bytes:
    """The plain-text edition's bytes: the title, subtitle, author and date, the body, the notes, the slogans,
    the blurb, the online copy and the imprint."""
    writer = _Writer()
    writer.heading(document.title, "=", above=True)
    for line, tight in ((document.subtitle, False), (document.author, False), (document.date or date, True)):
        if line:
            writer.paragraph(line, tight=tight)
    markdown = markdown_for(document.lang, "end", "inline")  # addresses in brackets after their links' words
    _write_tokens(writer, body_tokens(markdown, document.body, document.body_line, document.source), document.lang)
    writer.blank()
    for slogan in document.slogans:
        writer.paragraph(slogan, tight=True)
    for line in (document.blurb, document.url or url, document.imprint):
        if line:
            writer.paragraph(line)
    return ("\n".join(writer.lines).strip("\n") + "\n").encode("utf-8")


def _write_tokens(writer: _Writer, tokens: list[Token], lang: str) -> None:
    """The body's blocks, in order."""
    lists: list[list[int | None]] = []  # the open lists: the next item's number, None for bullets
    index = 0
    while index < len(tokens):
        token = tokens[index]
        kind = token.type
        if kind == "heading_open":
            writer.heading(inline_text(tokens[index + 1]), UNDERLINES.get(token.tag, "-"))
        elif kind == "paragraph_open":
            writer.paragraph(inline_text(tokens[index + 1]), tight=token.hidden)
        elif kind in ("figure_open", "table_open"):
            end = next(i for i in range(index, len(tokens)) if tokens[i].type == kind.replace("_open", "_close"))
            if kind == "figure_open":  # the picture's description, then its caption
                writer.paragraph(" ".join(inline_text(t) for t in tokens[index:end] if t.type == "inline"))
            else:
                _write_table(writer, tokens[index:end])
            index = end
        elif kind == "hr":
            writer.paragraph("* * *")  # a section break
        elif kind in ("fence", "code_block"):
            _write_code(writer, token.content)
        elif kind == "endnotes":
            _write_notes(writer, token.meta["notes"], lang)
        else:
            _nest(writer, lists, token)
        index += 1


def _nest(writer: _Writer, lists: list[list[int | None]], token: Token) -> None:
    """Lists, their items and block quotes: the markers and indents of the lines inside them."""
    kind = token.type
    if kind in ("bullet_list_open", "ordered_list_open"):
        if not lists:
            writer.blank()
        lists.append([int(token.attrGet("start") or 1) if kind == "ordered_list_open" else None])
    elif kind in ("bullet_list_close", "ordered_list_close"):
        lists.pop()
    elif kind == "list_item_open":
        number = lists[-1][0]
        marker = "- " if number is None else f"{number}. "
        lists[-1][0] = None if number is None else number + 1
        writer.prefixes.append([marker, " " * len(marker)])
    elif kind in ("list_item_close", "blockquote_close"):
        writer.prefixes.pop()
    elif kind == "blockquote_open":
        writer.blank()
        writer.prefixes.append(["> ", "> "])


def _write_code(writer: _Writer, code: str) -> None:
    """A code block, indented by four spaces, its lines as they are (wrapped between words if too long)."""
    writer.blank()
    first, rest = writer.prefix()
    for line in code.removesuffix("\n").expandtabs(4).split("\n"):
        indent = "    " + line[: len(line) - len(line.lstrip(" "))]  # the code's own indent is kept
        writer.lines += wrap(line, first + indent, rest + indent) if line.strip() else [rest.rstrip()]
        first = rest


def _write_table(writer: _Writer, tokens: list[Token]) -> None:
    """A table in aligned columns when it fits the line, else each row as `heading: value` lines."""
    rows: list[list[str]] = []
    for token in tokens:
        if token.type == "tr_open":
            rows.append([])
        elif token.type == "inline":
            rows[-1].append(inline_text(token))
    widths = [max(columns(row[column]) if column < len(row) else 0 for row in rows) for column in range(len(rows[0]))]
    writer.blank()
    first, rest = writer.prefix()
    if sum(widths) + 3 * (len(widths) - 1) + columns(rest) <= WIDTH:
        lines = [" | ".join(cell + " " * (width - columns(cell)) for cell, width in zip(row, widths, strict=False))
                 for row in rows]  # fmt: skip
        lines.insert(1, "-+-".join("-" * width for width in widths))
        writer.lines += [(rest + line).rstrip() for line in lines]
        return
    header, *body = rows
    for number, row in enumerate(body):
        if number:
            writer.lines.append(rest.rstrip())
        for name, cell in zip(header, row, strict=False):
            writer.lines += wrap(f"{name}: {cell}" if name else cell, rest, rest + "    ")


def _write_notes(writer: _Writer, notes: list[tuple[int, list[Token]]], lang: str) -> None:
    """The notes after the text: a heading, then [1] and the note's words, its lines under its first word."""
    writer.heading(NOTES_HEADING.get(lang.split("-")[0], NOTES_HEADING["en"]), "-")
    for number, paragraphs in notes:
        call = f"[{number}] "
        writer.blank()
        for count, inline in enumerate(paragraphs):
            writer.lines += [""] if count else []
            writer.lines += wrap(inline_text(inline), " " * len(call) if count else call, " " * len(call))


def inline_text(inline: Token) -> str:
    """An inline token's words as plain text: a note's call as [1], a link's address after it in angle brackets, a
    picture as its description in brackets, emphasis between asterisks, a hard line break as a newline."""
    pieces = []
    for token in inline.children or []:
        if token.type in ("text", "code_inline"):
            pieces.append(token.content)
        elif token.type == "softbreak":
            pieces.append(token.content or " ")
        elif token.type == "hardbreak":
            pieces.append("\n")
        elif token.type in ("em_open", "em_close", "strong_open", "strong_close"):
            pieces.append("*")
        elif token.type == "note_call":
            pieces.append(f"[{token.meta['number']}]")
        elif token.type == "link_note":
            pieces.append(f" <{token.meta['address']}>")
        elif token.type == "image":
            pieces.append(f"[{plain_text(token)}]")
    return "".join(pieces)
