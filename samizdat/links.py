"""Links on paper: the screen PDF's links are clicked, a printed page's cannot be, so the paper editions (the
`-print` A5, the booklet and the other impositions) print each web address, by default as a footnote.

`links: footnote | inline | none` (front matter, or samizdat.yaml for every document): footnote puts the
address at the foot of the page, called by a letter (a, b, c…: the author's notes keep their numbers in every
edition); inline prints it after the link's text, in brackets; none prints nothing. A link whose text is its
address, a link to a section (#name) or to another document of content/ gets no printed address. Inside a
note an address is always printed inline (a footnote cannot have a footnote). Long addresses may break after
`/`, `.` or `-` (a zero-width space there, copied as nothing: samizdat.pdf), never with an added hyphen.
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.token import Token
from markupsafe import escape

#: How the paper editions print a link's address.
LINKS = ("footnote", "inline", "none")

#: Addresses printed on paper: the web, e-mail and telephone (without `mailto:` and `tel:`).
PRINTED = re.compile(r"^(https?:|mailto:|tel:)", re.IGNORECASE)

#: Where a long address may break: after these, by a zero-width space (not inside `//`, nor at its end).
BREAK_AFTER = re.compile(r"(?<=[/.\-])(?=[^/])")


def use_links(markdown: MarkdownIt, links: str | None) -> None:
    """`links`: how this edition prints addresses (None: the screen edition, whose links are clicked)."""
    markdown.options["links"] = links
    markdown.add_render_rule("link_note", _render_note)


def mark_links(tokens: list[Token], links: str | None) -> None:
    """After each link whose address a reader of paper needs, a `link_note` carrying the address and its
    letter; the line breaker leaves such paragraphs to WeasyPrint (samizdat.paragraph_text). Paper has
    nothing to click: the links lose their addresses (a booklet could not carry them onto its sheets)."""
    if links is None:
        return
    count, in_note = 0, False
    for block in tokens:
        in_note = {"footnote_reference_open": True, "footnote_reference_close": False}.get(block.type, in_note)
        children, opened, text = block.children or [], None, []
        for index in range(len(children) - 1, -1, -1):  # backwards, so that insertions keep indexes
            token = children[index]
            if token.type == "link_close":
                opened, text = index, []
            elif token.type == "link_open" and opened is not None:
                address = printed_address(str(token.attrs.pop("href", "")), "".join(reversed(text)))
                if address and links != "none":
                    note = Token("link_note", "", 0, meta={"address": address, "inline": in_note or links == "inline"})
                    children.insert(opened + 1, note)
                opened = None
            elif opened is not None and token.type in ("text", "code_inline"):
                text.append(token.content)
    for block in tokens:  # the letters in reading order, once all are inserted
        for token in block.children or []:
            if token.type == "link_note" and not token.meta["inline"]:
                token.meta["letter"] = letter(count)
                count += 1


def printed_address(href: str, text: str) -> str | None:
    """The address to print after a link, or None: not one for paper, or its text says it already.

    >>> printed_address("https://example.org/a", "our site"), printed_address("mailto:me@example.org", "me@example.org")
    ('https://example.org/a', None)
    """
    if not PRINTED.match(href):
        return None
    address = re.sub(r"^(mailto:|tel:)", "", href, flags=re.IGNORECASE)
    bare = re.sub(r"^https?://", "", address, flags=re.IGNORECASE).rstrip("/")
    said = re.sub(r"^(https?://|mailto:|tel:)", "", text.strip(), flags=re.IGNORECASE).rstrip("/")
    return None if said.casefold() in (bare.casefold(), address.casefold()) else address


def letter(index: int) -> str:
    """a, b, … z, aa, ab…: the calls of printed addresses.

    >>> [letter(i) for i in (0, 25, 26, 27)]
    ['a', 'z', 'aa', 'ab']
    """
    name = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(ord("a") + rest) + name
    return name


def breakable(address: str) -> str:
    """The address with a zero-width space after each `/`, `.` and `-` past its `https://`, where a line may break.

    >>> breakable("https://ex.org/a-b/").replace("\u200b", "|")
    'https://ex.|org/|a-|b/'
    """
    scheme = re.match(r"^[a-z]+://", address, re.IGNORECASE)
    start = scheme.end() if scheme else 0
    return address[:start] + BREAK_AFTER.sub("\u200b", address[start:])


def _render_note(self: object, tokens: list[Token], index: int, options: object, env: object) -> str:
    meta = tokens[index].meta
    address = f'<span class="link-address">{escape(breakable(meta["address"]))}</span>'
    if meta["inline"]:
        return f'<span class="link-inline"> ({address})</span>'
    call = meta["letter"]
    return f'<span class="link-call" id="link-call-{call}">{call}</span>' \
        f'<span class="footnote link-note" id="link-note-{call}"><span class="note-number">{call}</span>' \
        f'{address}</span>'  # fmt: skip
