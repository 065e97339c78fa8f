"""A document's sections: ids and running heads on its `##` headings, its set-apart blocks numbered, and the
table of contents a pamphlet gets when it has many sections.

The ids make `[see below](#the-causes)` links and the contents' page numbers
(`target-counter(attr(href), page)`) work; `data-running-head` is what the
running head shows (samizdat.running_head shortens it when it would not fit on
one line); `data-block` lets samizdat.running_head find a `::: demands` block in
the layout and let it break when it is taller than a page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

from samizdat.names import hyphenated

if TYPE_CHECKING:  # both import this module
    from samizdat.config import Config
    from samizdat.content import Document

#: The headings that open a section: in the contents, the outline and the right-hand running head.
SECTION = "h2"
#: Headings that get an id, so that a link can point at them.
ANCHORED = ("h2", "h3", "h4")
#: The blocks set apart that are kept on one page when they fit on one.
KEPT_BLOCKS = ("container_demands_open", "container_aside_open")
#: `contents:` in the front matter or samizdat.yaml (YAML reads a bare yes or no as true or false).
CONTENTS_CHOICES = ("auto", "yes", "no", True, False)
#: `auto` sets a table of contents for a document with more sections than this (samizdat.yaml: contents_sections).
CONTENTS_SECTIONS = 5


@dataclass(frozen=True)
class Section:
    """One `##` heading: its id (for links), its text as printed, and its line in the document."""

    id: str
    text: str
    line: int


def sections_plugin(markdown: MarkdownIt) -> None:
    """markdown-it plugin: ids and outline entries (`data-bookmark`) on headings, `data-running-head` on section
    headings, numbers on kept blocks."""
    markdown.core.ruler.push("sections", _mark_sections)


def _mark_sections(state: StateCore) -> None:
    used: set[str] = set()
    blocks = 0
    for index, token in enumerate(state.tokens):
        if token.type == "heading_open" and token.tag in ANCHORED:
            text = plain_text(state.tokens[index + 1])
            token.attrSet("id", _unique(slug(text), used))
            token.attrSet("data-bookmark", text.replace("\u00a0", " "))  # the outline's entry: its words, with
            # ordinary spaces (the outline is not typeset) and without a note's call
            if token.tag == SECTION:
                token.attrSet("data-running-head", text)
        elif token.type in KEPT_BLOCKS:
            token.attrSet("data-block", str(blocks))
            blocks += 1


def plain_text(inline: Token) -> str:
    """An inline token's text as printed, without its markup: `*Our* demands` → Our demands."""
    pieces = []
    for token in inline.children or []:
        if token.type in ("text", "code_inline"):
            pieces.append(token.content)
        elif token.type in ("softbreak", "hardbreak"):
            pieces.append(token.content or " ")
        elif token.type == "image":
            pieces.append(plain_text(token))
    return "".join(pieces).strip()


def slug(text: str) -> str:
    """An id for a heading, in any script, as GitHub makes them: `The Causes` → the-causes.

    >>> slug("The Causes and Nature of the War"), slug("Что делать?"), slug("2024: 10 %")
    ('the-causes-and-nature-of-the-war', 'что-делать', 'section-2024-10')
    """
    made = hyphenated(text) or "section"
    return made if not (made[0].isdigit() or NOTE_ANCHOR.match(made)) else f"section-{made}"


#: The anchors samizdat.notes and samizdat.links give notes, calls and printed addresses: no heading takes one.
NOTE_ANCHOR = re.compile(r"^(note|endnote|link-note|note-call|link-call)-\w+$")


def _unique(name: str, used: set[str]) -> str:
    found, number = name, 1
    while found in used:
        number += 1
        found = f"{name}-{number}"
    used.add(found)
    return found


def sections_of(markdown: MarkdownIt, body: str, first_line: int, path: Path) -> tuple[Section, ...]:
    """The sections of a document's body (starting on `first_line` of `path`), in order."""
    from samizdat.body import body_tokens  # here: samizdat.body imports this module for its plugin

    tokens = body_tokens(markdown, body, first_line, path)
    return tuple(
        Section(str(token.attrGet("id")), plain_text(tokens[index + 1]), first_line + (token.map or [0])[0])
        for index, token in enumerate(tokens)
        if token.type == "heading_open" and token.tag == SECTION
    )


def contents_choice(value: str | bool | None) -> str | None:
    """`contents:` as written, with YAML's true and false (a bare yes or no) read back as yes and no."""
    return {True: "yes", False: "no"}.get(value, value) if isinstance(value, bool) else value


def contents_wanted(choice: str, sections: int, threshold: int) -> bool:
    """Whether a pamphlet gets a table of contents: `yes` (if it has a section), `no`, or `auto` (more
    sections than `threshold`).

    >>> contents_wanted("auto", 3, 5), contents_wanted("auto", 6, 5), contents_wanted("yes", 1, 5)
    (False, True, True)
    """
    return sections > 0 and (choice == "yes" or (choice == "auto" and sections > threshold))


def table_of_contents(document: Document, config: Config) -> tuple[Section, ...]:
    """The entries of the pamphlet's table of contents: none, or every section. The front matter's `contents:`
    wins over samizdat.yaml's."""
    choice = document.contents or config.contents
    wanted = contents_wanted(choice, len(document.sections), config.contents_sections)
    return document.sections if wanted else ()
