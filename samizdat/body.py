"""A document's body: Markdown → safe HTML, its `:::` blocks, its nesting and its links checked on the way.

CommonMark (markdown-it-py) with the language's typographic rules; raw
HTML is printed as text, never passed on; every link and picture address is
looked at here, where its line is known, before WeasyPrint would resolve it
against the builder's folder.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote

from markdown_it import MarkdownIt
from markdown_it.common.utils import isValidEntityCode
from markdown_it.token import Token
from markupsafe import Markup
from mdit_py_plugins.container import container_plugin

from samizdat.bidi import use_isolation
from samizdat.blocks import check_blocks, use_blocks
from samizdat.contents import sections_plugin
from samizdat.errors import ContentError
from samizdat.limits import CONTROL, MAX_BLOCKS, control_name
from samizdat.links import mark_links, use_links
from samizdat.messages import line_of_text
from samizdat.notes import prepare_notes, use_notes
from samizdat.paragraph_text import Breaks, numbered, set_breaks
from samizdat.punctuation import typeset_rule
from samizdat.typography import rules_for

if TYPE_CHECKING:
    from samizdat.content import Document

#: The deepest markdown-it token level a body may reach; markdown-it drops what is nested past 20 levels.
MAX_NESTING = 16

#: Block containers a document may use, e.g. `::: demands` ... `:::` around a list of demands.
CONTAINERS = ("demands", "aside", "epigraph")

#: How the body's links to other documents reach the PDF stage, which makes them relative to where the PDF lands:
#: `samizdat-document:other.md`.
DOCUMENT_LINK = "samizdat-document:"

#: Link targets a PDF can carry as they are.
WEB_LINK = re.compile(r"^(https?:|mailto:|tel:|#)", re.IGNORECASE)

#: A numeric character reference, `&#27;` or `&#x1B;`: markdown-it turns one naming a control character into U+FFFD.
REFERENCE = re.compile(r"&#([xX][0-9a-fA-F]{1,8}|[0-9]{1,8});")

#: A picture address with a scheme other than these is refused by samizdat.fetch; `file:` ones are refused here.
FILE_URL = re.compile(r"^file:", re.IGNORECASE)


def check_containers(body: str, first_line: int, path: Path) -> None:
    """`::: demands` blocks must be known and closed: a typo would otherwise print ':::' or swallow the text."""
    opened: int | None = None
    blocks = 0
    for number, line in enumerate(body.splitlines(), start=first_line):
        match = re.match(r"^:::\s*(\S*)", line)
        if not match:
            continue
        name = match.group(1)
        blocks += bool(name)
        if blocks > MAX_BLOCKS:
            raise ContentError(f"more than {MAX_BLOCKS} '::: ' blocks, samizdat's limit: merge some", path, number)
        if not name:
            if opened is None:
                raise ContentError("this ':::' closes no block; remove it or open one with '::: demands'", path, number)
            opened = None
        elif opened is not None:
            raise ContentError(f"a '::: {name}' block opens inside the block opened on line {opened}", path, number)
        elif name not in CONTAINERS:
            close = difflib.get_close_matches(name, CONTAINERS, n=1)
            hint = f"did you mean '::: {close[0]}'?" if close else f"the blocks are: {', '.join(CONTAINERS)}"
            raise ContentError(f"unknown block '::: {name}': {hint}", path, number)
        else:
            opened = number
    if opened is not None:
        raise ContentError("this block is never closed: add a line ':::' after its last line", path, opened)


def markdown_for(lang: str, notes: str = "foot", links: str | None = None) -> MarkdownIt:
    """CommonMark with the language's typographic rules (samizdat.punctuation, which also makes `--` –, `---` —
    and `...` … as markdown-it's replacements did, but never inside an address); raw HTML is printed as text.
    Notes go to the foot of the page or the end (samizdat.notes); `links` is how a paper edition prints
    addresses (samizdat.links; None on screen)."""
    markdown = MarkdownIt("commonmark", {"html": False})
    markdown.core.ruler.after("inline", "typography", typeset_rule(rules_for(lang)))
    if isolation := use_isolation(lang):  # right to left: left-to-right runs isolated (samizdat.bidi)
        markdown.core.ruler.after("typography", "isolation", isolation)
    markdown.add_render_rule("softbreak", _softbreak)  # a line break the rules bound is a no-break space
    markdown.validateLink = lambda url: True  # every address becomes a link or a picture, which _check_links judges
    for name in CONTAINERS:
        markdown.use(container_plugin, name=name)
    use_blocks(markdown, lang)  # tables, figures, section breaks (samizdat.blocks)
    use_notes(markdown, notes, lang)
    use_links(markdown, links)
    markdown.use(sections_plugin)  # heading ids, running heads, kept blocks (samizdat.contents)
    return markdown


def markdown_of(document: Document) -> MarkdownIt:
    """The Markdown parser this edition of the document is set with (its notes, and addresses printed or not)."""
    return markdown_for(document.lang, document.notes, document.printed_links)


def paper_edition(document: Document) -> Document:
    """The document as printed on paper: each link's address printed as `links` says (samizdat.links)."""
    paper = replace(document, printed_links=document.links)
    return replace(paper, body_html=render_body(markdown_of(paper), document.body, document.body_line, document.source))


def _softbreak(self: object, tokens: list, index: int, options: object, env: object) -> str:
    return tokens[index].content or "\n"


def render_body(
    markdown: MarkdownIt, body: str, first_line: int, path: Path, breaks: dict[int, Breaks] | None = None
) -> Markup:
    """The body as HTML, refused when nested so deep that markdown-it would silently drop the rest of it, and
    with every link checked (_check_links).

    Each paragraph carries its number (`data-p`), by which samizdat.paragraphs
    finds it in WeasyPrint's layout; `breaks` are the lines it chose for some.
    """
    tokens = body_tokens(markdown, body, first_line, path)
    for number, (element, inline) in enumerate(numbered(tokens)):
        if breaks and number in breaks:
            chosen = breaks[number]  # no hyphen but the chosen ones; spaces that may shrink
            last = "; text-align-last: justify" if chosen.full else ""
            last += f"; widows: {chosen.widows}" if chosen.widows else ""
            spacing = f"hyphens: {chosen.hyphens}; word-spacing: {-chosen.shrink:.3f}px{last}"
            element.attrSet("style", spacing)
            set_breaks(inline, breaks[number])
    return Markup(markdown.renderer.render(tokens, markdown.options, {}))


def body_tokens(markdown: MarkdownIt, body: str, first_line: int, path: Path) -> list[Token]:
    """The body parsed and checked, its paragraphs numbered."""
    env: dict = {}
    tokens = markdown.parse(body, env)
    deep = next((token for token in tokens if token.level > MAX_NESTING), None)
    if deep is not None:
        line = next((token.map[0] for token in tokens[tokens.index(deep) :: -1] if token.map), 0) + first_line
        raise ContentError(
            f"lists or block quotes are nested too deeply here: samizdat's limit is {MAX_NESTING // 2} lists in "
            f"lists or {MAX_NESTING} block quotes in block quotes (deeper ones would be left out of the PDF); "
            "flatten them",
            path,
            line,
        )
    _check_references(tokens, first_line, path)
    check_blocks(tokens, env, first_line, path)
    _check_links(tokens, body, first_line, path)
    mark_links(tokens, markdown.options["links"])
    tokens = prepare_notes(tokens, body, first_line, path, markdown.options["notes"])
    for number, (element, _) in enumerate(numbered(tokens)):
        element.attrSet("data-p", str(number))
    return tokens


def _check_references(tokens: list, first_line: int, path: Path) -> None:
    """Refuse control characters written as references (`&#x1B;`, `&#0;`), which the raw-text check cannot see:
    markdown-it prints them as boxes (U+FFFD), or passes U+2028 on. Code spans show references as written."""
    for block in tokens:
        offset, raw = 0, block.content.split("\n")
        for token in [leaf for child in block.children or [] for leaf in (child, *(child.children or []))]:
            offset += token.type in ("softbreak", "hardbreak")
            values = [token.content] if token.type == "text" else []
            values += [str(value) for value in token.attrs.values()]
            if not any("\ufffd" in value or CONTROL.search(value) or bad_reference(value) for value in values):
                continue
            written = [raw[offset] if offset < len(raw) else "", *values]
            reference = next(filter(None, map(bad_reference, written)), None)
            if reference is None:  # a U+FFFD typed as it is
                continue
            raise ContentError(
                reference_message(reference), path, first_line + (block.map[0] if block.map else 0) + offset
            )


def reference_message(reference: str) -> str:
    """Why `&#x1B;` is refused, body or front matter."""
    return (
        f"this line writes the character {control_name(_code(reference))} as '{reference}', which cannot be printed "
        "(it would come out as a box): delete it"
    )


def _code(reference: str) -> int:
    digits = reference[2:-1]
    return int(digits[1:], 16) if digits[:1] in "xX" else int(digits)


def bad_reference(text: str) -> str | None:
    """The first numeric reference in `text` to a code point that cannot be printed, as written."""
    for match in REFERENCE.finditer(text):
        code = _code(match.group())
        if not isValidEntityCode(code) or CONTROL.match(chr(code)):
            return match.group()
    return None


def _check_links(tokens: list, body: str, first_line: int, path: Path) -> None:
    """Web addresses and anchors stay; links to other documents of content/ (`[the appeal](appeal.md)`) become
    links to their published A5 PDFs (samizdat.pdf makes them relative); anything else is refused.

    A relative link would otherwise be resolved against the builder's folder and
    written into the PDF as file:///home/…/content/other.md.
    """
    for block in tokens:
        for token in block.children or []:
            if token.type == "image" and FILE_URL.match(src := str(token.attrGet("src") or "")):
                raise ContentError(
                    f"the picture '{src}' is given as a file: address, which names a place on one machine; write "
                    "its path relative to the document instead (photo.jpg, ../assets/photo.jpg)",
                    path,
                    line_of_text(body, src, first_line) or first_line + (block.map[0] if block.map else 0),
                )
            if token.type != "link_open":
                continue
            href = str(token.attrGet("href") or "")
            if WEB_LINK.match(href):
                continue
            target = (path.parent / unquote(href.split("#")[0].split("?")[0])).resolve() if href else path
            if target.suffix == ".md" and target.parent == path.parent.resolve() and target.is_file():
                token.attrSet("href", DOCUMENT_LINK + target.name)
                continue
            line = first_line + (block.map[0] if block.map else 0)
            raise ContentError(
                f"the link to '{href}' points to a file or a script, which a PDF cannot carry; link to a web address "
                "(https://…), to a section (#name) or to another document of content/ (other.md)",
                path,
                line_of_text(body, href, first_line) or line,
            )


def smarten(markdown: MarkdownIt, text: str | None) -> str | None:
    """Front matter lines get the same quotes and dashes as the body, as plain text."""
    if text is None:
        return None
    pieces = []
    for token in markdown.parseInline(text)[0].children or []:
        if token.type in ("text", "code_inline"):
            pieces.append(token.content)
        elif token.type in ("softbreak", "hardbreak"):
            pieces.append(token.content or " ")
    return "".join(pieces)
