"""The EPUB's text: a document's HTML body (samizdat.body) made well-formed XHTML, its notes EPUB 3 footnotes.

The body is parsed as HTML by lxml (as a browser would read it), written out as XML and read back in the XHTML
namespace; then what belongs to the print layouts is taken off (the `data-` hints of the line breaker and the
running heads, the code blocks' line boxes) and what an e-reader needs is put on: each note an
`<aside epub:type="footnote">` after the block that calls it (or, with `notes: end`, an endnote of the notes at the
end), linked both ways; each picture a file of the book; each heading an id the navigation links to.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import lxml.html
from lxml import etree
from lxml.etree import _Element as Element  # lxml's element type (documented as etree._Element)

from samizdat.body import DOCUMENT_LINK
from samizdat.epub_pictures import pictures_of
from samizdat.errors import ContentError

if TYPE_CHECKING:
    from samizdat.content import Document

XHTML = "http://www.w3.org/1999/xhtml"
OPS = "http://www.idpf.org/2007/ops"
EPUB_TYPE = f"{{{OPS}}}type"

HEADINGS = ("h2", "h3", "h4", "h5", "h6")

#: What XML 1.0 cannot carry that a UTF-8 text can (the control characters are refused earlier: samizdat.limits).
NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def x(tag: str) -> str:
    """`tag` in the XHTML namespace, as lxml names it."""
    return f"{{{XHTML}}}{tag}"


@dataclass(frozen=True)
class Heading:
    """One heading of the text, for the navigation: its level (2 for `##`), its id and its words."""

    level: int
    id: str
    text: str


@dataclass
class Body:
    """The text as XHTML elements under one <div>, with what the package must list beside it."""

    root: Element
    headings: list[Heading] = field(default_factory=list)
    pictures: dict[str, bytes] = field(default_factory=dict)  # the name in the book (images/1.png) → its bytes
    described: bool = True  # every picture has a text alternative (alt)


def xhtml_body(document: Document, readable: list[Path]) -> Body:
    """The document's body as XHTML; `readable` are the folders a picture may come from (the project's:
    samizdat.project.Project.readable_dirs)."""
    refuse_unwritable(document)
    fragment = lxml.html.fragment_fromstring(str(document.body_html), create_parent="div")
    written = etree.tostring(fragment, encoding="unicode", method="xml")  # "<div>…</div>", or "<div/>": no text
    inner = written.removeprefix("<div>").removesuffix("</div>") if written != "<div/>" else ""
    root = etree.fromstring(f'<div xmlns="{XHTML}" xmlns:epub="{OPS}">{inner}</div>')
    body = Body(root)
    for element in root.iter():
        for name in [name for name in element.attrib if name.startswith("data-")]:
            del element.attrib[name]
    _code_lines(root)
    _unlink_documents(root)
    _footnotes(root)
    _endnotes(root)
    body.pictures, body.described = pictures_of(root, document, [folder.resolve() for folder in readable])
    _headings(body)
    _unlink_missing_anchors(root)
    return body


def refuse_unwritable(document: Document) -> None:
    """A character XML cannot hold (U+FFFE, U+FFFF: not characters at all) is an error naming its line."""
    texts = [document.title, document.subtitle, document.author, document.blurb, document.imprint, document.body_html]
    found = next((match.group() for text in texts if text and (match := NOT_XML.search(str(text)))), None)
    if found is None:
        return
    lines = document.source.read_text(encoding="utf-8-sig").splitlines()
    line = next((number for number, text in enumerate(lines, start=1) if found in text), None)
    raise ContentError(
        f"the text holds U+{ord(found):04X}, which is no character (an EPUB cannot carry it): delete it",
        document.source,
        line,
    )


def _code_lines(root: Element) -> None:
    """A code block's lines are boxes of the print layouts (blocks.css); in the book they are lines of text."""
    for code in root.iter(x("code")):
        lines = [line for line in code if line.tag == x("span") and line.get("class") == "line"]
        if not lines or code.getparent().tag != x("pre"):
            continue
        code.text = (code.text or "") + "\n".join("".join(line.itertext()) for line in lines)
        for line in lines:
            code.remove(line)


def _unlink_documents(root: Element) -> None:
    """A link to another document of content/ leads to its PDF beside the book, which an EPUB cannot reach from
    inside: its words stay, as text."""
    for link in list(root.iter(x("a"))):
        if link.get("href", "").startswith(DOCUMENT_LINK):
            link.tag = x("span")
            del link.attrib["href"]


def _unlink_missing_anchors(root: Element) -> None:
    """A link to a place the text does not have (`[there](#nowhere)`) would be a dead link, which epubcheck
    rejects: its words stay, as text."""
    ids = {element.get("id") for element in root.iter() if element.get("id")}
    for link in list(root.iter(x("a"))):
        href = link.get("href", "")
        if href.startswith("#") and href[1:] not in ids:
            link.tag = x("span")
            del link.attrib["href"]


def _footnotes(root: Element) -> None:
    """Each footnote (a span inside its paragraph, for WeasyPrint's float: footnote) becomes an aside after the
    block of the text that calls it; its call a noteref, its number a link back."""
    for call in root.iter(x("a")):
        if call.get("class") == "note-call":
            call.set(EPUB_TYPE, "noteref")
            call.set("role", "doc-noteref")
    after: dict[Element, Element] = {}
    for note in [span for span in root.iter(x("span")) if span.get("class") == "footnote"]:
        block = note
        while block.getparent() is not root:
            block = block.getparent()
        aside = _aside(note, "footnote")
        after.get(block, block).addnext(aside)  # the notes of one block in the order of their calls
        after[block] = aside


def _endnotes(root: Element) -> None:
    """With `notes: end` the notes are at the end already: the section and each note get their EPUB types."""
    for section in root.iter(x("section")):
        if section.get("class") != "endnotes":
            continue
        section.set(EPUB_TYPE, "endnotes")
        section.set("role", "doc-endnotes")
        for article in [child for child in section if child.get("class") == "endnote"]:
            index = section.index(article)
            section.insert(index, _aside(article, "endnote"))


def _aside(note: Element, kind: str) -> Element:
    """The note `note` (its number a link back, then its paragraphs, as spans) as an EPUB aside of `kind`,
    taken out of where it was (the text after it stays where it was)."""
    aside = etree.Element(x("aside"), {"id": note.get("id", ""), "class": kind, EPUB_TYPE: kind})
    if kind == "footnote":  # DPUB-ARIA has no role for an aside that is an endnote (doc-endnote is a list item's)
        aside.set("role", "doc-footnote")
    paragraph = etree.SubElement(aside, x("p"))
    paragraph.text = note.text
    for child in list(note):
        if child.get("class") == "note-paragraph":  # a note's next paragraph
            paragraph = etree.SubElement(aside, x("p"))
            paragraph.text = child.text
            paragraph.extend(list(child))
            _append_text(paragraph, child.tail or "")
            note.remove(child)
            continue
        if child.get("class") == "note-number":  # a space after it, read as "1 The census" (the PDF's is CSS)
            child.set("role", "doc-backlink")
            child.tail = " " + (child.tail or "")
        paragraph.append(child)  # moved, with the text after it
    parent = note.getparent()
    if parent is not None:  # the text after the note stays in its place
        previous = note.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + (note.tail or "")
        else:
            parent.text = (parent.text or "") + (note.tail or "")
        parent.remove(note)
    return aside


def _append_text(element: Element, text: str) -> None:
    if len(element):
        element[-1].tail = (element[-1].tail or "") + text
    else:
        element.text = (element.text or "") + text


def _headings(body: Body) -> None:
    """The headings in order, each with an id (the endnotes' heading gets one): the navigation's entries."""
    taken = {element.get("id") for element in body.root.iter() if element.get("id")}
    for element in body.root.iter(*map(x, HEADINGS)):
        if not element.get("id"):  # the endnotes' heading is "notes", unless the text has a section so named
            names = itertools.chain(["notes"], (f"heading-{n}" for n in itertools.count(1)))
            free = (name for name in names if name not in taken)
            if element.getparent().get("class") != "endnotes":
                next(free)
            element.set("id", next(free))
            taken.add(element.get("id"))
        text = " ".join("".join(element.itertext()).split())
        body.headings.append(Heading(int(element.tag[-1]), element.get("id"), text))
