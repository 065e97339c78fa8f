"""The EPUB's pages: the cover, the text (title page, body, colophon), the navigation and the NCX.

Each is an lxml tree, written out as XML: well-formed by construction, and the same bytes for the same input.
The navigation lists the title and every heading in order, a heading nested under the one above it (`###`
under `##`); the NCX says the same for EPUB 2 readers (older e-ink devices read only it).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lxml import etree
from lxml.etree import _Element as Element  # lxml's element type (documented as etree._Element)

from samizdat.content import Document
from samizdat.epub_xhtml import EPUB_TYPE, OPS, XHTML, Body, Heading, x

NCX = "http://www.daisy.org/z3986/2005/ncx/"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
TEXT, COVER, NAV = "text.xhtml", "cover.xhtml", "nav.xhtml"
TITLE_ID = "title_page"  # no heading's id has an underscore (samizdat.names): never taken

#: The navigation's heading, by language (as the pamphlet's contents, layouts/pamphlet/pamphlet.html).
CONTENTS = {"ru": "Содержание", "uk": "Зміст", "be": "Змест", "de": "Inhalt", "fr": "Sommaire", "pl": "Spis treści",
            "es": "Índice", "it": "Indice", "ar": "المحتويات", "fa": "فهرست", "he": "תוכן העניינים"}  # fmt: skip
#: The cover's text alternative, by language.
COVER_ALT = {"ru": "Обложка", "uk": "Обкладинка", "de": "Umschlag", "fr": "Couverture", "ar": "الغلاف",
             "fa": "جلد", "he": "כריכה"}  # fmt: skip


@dataclass
class Entry:
    """One line of the navigation: a heading, and those under it."""

    heading: Heading
    children: list[Entry] = field(default_factory=list)


def entries(title: str, headings: list[Heading]) -> list[Entry]:
    """The navigation's tree: the title first, then each heading under the nearest one above it of a higher rank.

    >>> [(e.heading.id, [c.heading.id for c in e.children]) for e in entries("T", [Heading(2, "a", "A"),
    ...  Heading(3, "b", "B"), Heading(2, "c", "C")])]
    [('title_page', []), ('a', ['b']), ('c', [])]
    """
    top: list[Entry] = [Entry(Heading(2, TITLE_ID, title))]
    open_: list[Entry] = []
    for heading in headings:
        while open_ and open_[-1].heading.level >= heading.level:
            open_.pop()
        entry = Entry(heading)
        (open_[-1].children if open_ else top).append(entry)
        open_.append(entry)
    return top


def page(document: Document, title: str, stylesheets: list[str]) -> tuple[Element, Element]:
    """An empty XHTML page in the document's language and direction: its root and its body."""
    lang = document.lang
    root = etree.Element(x("html"), {XML_LANG: lang, "lang": lang, "dir": document.direction},
                         nsmap={None: XHTML, "epub": OPS})  # fmt: skip
    head = etree.SubElement(root, x("head"))
    etree.SubElement(head, x("meta"), charset="utf-8")
    etree.SubElement(head, x("title")).text = title
    for href in stylesheets:
        etree.SubElement(head, x("link"), rel="stylesheet", type="text/css", href=href)
    return root, etree.SubElement(root, x("body"))


def cover_page(document: Document, stylesheets: list[str], image: str) -> Element:
    root, body = page(document, document.title, stylesheets)
    body.set(EPUB_TYPE, "cover")
    section = etree.SubElement(body, x("section"), {"class": "cover", EPUB_TYPE: "cover"})
    alt = f"{COVER_ALT.get(document.lang.split('-')[0], 'Cover')}: {document.title}"
    etree.SubElement(section, x("img"), src=image, alt=alt)
    return root


def text_page(document: Document, stylesheets: list[str], text: Body) -> Element:
    """The title page, the body and the colophon (the blurb, the imprint, the online copy) in one page."""
    root, body = page(document, document.title, stylesheets)
    body.set(EPUB_TYPE, "bodymatter")
    header = etree.SubElement(body, x("header"), {"class": "title-page", EPUB_TYPE: "titlepage"})
    etree.SubElement(header, x("h1"), id=TITLE_ID).text = document.title
    for text_of, name in ((document.subtitle, "subtitle"), (document.author, "author")):
        if text_of:
            etree.SubElement(header, x("p"), {"class": name}).text = text_of
    body.text, body[-1].tail = "\n", "\n"
    for element in list(text.root):
        body.append(element)
    colophon = [words for words in (document.blurb, document.imprint) if words]
    if colophon or document.url:
        footer = etree.SubElement(body, x("footer"), {"class": "colophon"})
        for words in colophon:
            etree.SubElement(footer, x("p")).text = words
        if document.url:
            link = etree.SubElement(etree.SubElement(footer, x("p")), x("a"), href=document.url)
            link.text = document.url
    return root


def nav_page(document: Document, stylesheets: list[str], tree: list[Entry]) -> Element:
    """The EPUB 3 navigation: the contents (toc) and the landmarks (cover, start of the text)."""
    heading = CONTENTS.get(document.lang.split("-")[0], "Contents")
    root, body = page(document, heading, stylesheets)
    toc = etree.SubElement(body, x("nav"), {EPUB_TYPE: "toc", "id": "toc", "role": "doc-toc"})
    etree.SubElement(toc, x("h2")).text = heading
    _nav_list(toc, tree)
    landmarks = etree.SubElement(body, x("nav"), {EPUB_TYPE: "landmarks", "hidden": "hidden"})
    items = etree.SubElement(landmarks, x("ol"))
    for href, kind, words in ((COVER, "cover", "Cover"), (f"{TEXT}#{TITLE_ID}", "bodymatter", document.title)):
        link = etree.SubElement(etree.SubElement(items, x("li")), x("a"), {EPUB_TYPE: kind, "href": href})
        link.text = words
    return root


def _nav_list(parent: Element, tree: list[Entry]) -> None:
    items = etree.SubElement(parent, x("ol"))
    for entry in tree:
        item = etree.SubElement(items, x("li"))
        etree.SubElement(item, x("a"), href=f"{TEXT}#{entry.heading.id}").text = entry.heading.text
        if entry.children:
            _nav_list(item, entry.children)


def ncx(document: Document, identifier: str, tree: list[Entry], folder: str) -> Element:
    """The NCX of EPUB 2 (`toc="ncx"` in the spine), with the navigation's entries; the pages are in `folder`."""
    root = etree.Element(f"{{{NCX}}}ncx", {"version": "2005-1", XML_LANG: document.lang}, nsmap={None: NCX})
    head = etree.SubElement(root, f"{{{NCX}}}head")
    depth = _depth(tree)
    for name, content in (("dtb:uid", identifier), ("dtb:depth", str(depth)), ("dtb:totalPageCount", "0"),
                          ("dtb:maxPageNumber", "0")):  # fmt: skip
        etree.SubElement(head, f"{{{NCX}}}meta", name=name, content=content)
    title = etree.SubElement(root, f"{{{NCX}}}docTitle")
    etree.SubElement(title, f"{{{NCX}}}text").text = document.title
    order = iter(range(1, 10_000))

    def points(parent: Element, branch: list[Entry]) -> None:
        for entry in branch:
            number = next(order)
            point = etree.SubElement(parent, f"{{{NCX}}}navPoint", id=f"nav-{number}", playOrder=str(number))
            label = etree.SubElement(point, f"{{{NCX}}}navLabel")
            etree.SubElement(label, f"{{{NCX}}}text").text = entry.heading.text
            etree.SubElement(point, f"{{{NCX}}}content", src=f"{folder}{TEXT}#{entry.heading.id}")
            points(point, entry.children)

    points(etree.SubElement(root, f"{{{NCX}}}navMap"), tree)
    return root


def _depth(tree: list[Entry]) -> int:
    return 1 + max((_depth(entry.children) for entry in tree if entry.children), default=0)


def xml_bytes(root: Element, doctype: str | None = "<!DOCTYPE html>") -> bytes:
    """A page as the bytes of its file: UTF-8, with the XML declaration (and the HTML doctype for XHTML)."""
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", doctype=doctype) + b"\n"
