"""The HTML reading edition: one self-contained page per document, to read in any browser or send as one file.

The body is the document's own, from samizdat's Markdown parser (samizdat.body)
with three render rules changed for a page that stands alone: the notes are
endnotes (each call a link to its note, each note's number a link back:
samizdat.notes), each heading has a link to itself, and each picture is set
into the page as a data: URI (read through samizdat.fetch, inside the project
and within samizdat.resource_limits) or, when it cannot be, left out with its
description said instead (a missing file is the document's error, as in the
PDF). The template (layouts/reading/reading.html) gets its stylesheet
inlined: the page loads nothing, runs nothing, and works from file:// or any
static host. Content stays data: the body is escaped by the parser and the
page by Jinja2's autoescaping.
"""

from __future__ import annotations

import base64
import posixpath
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, unquote, urljoin

from markdown_it.token import Token
from markupsafe import Markup, escape

from samizdat.body import DOCUMENT_LINK, body_tokens, markdown_for, render_body
from samizdat.content import Document, slug_of
from samizdat.editions import Edition
from samizdat.epub import what_loads
from samizdat.errors import LayoutError
from samizdat.fetch import ProjectFetcher, RefusedURL
from samizdat.html import render_template
from samizdat.layers import layout_layers
from samizdat.project import Project

TEMPLATE, STYLESHEET = "reading/reading.html", "reading/reading.css"

#: The pictures a page may carry as data: URIs (an SVG in an <img> runs no script).
PICTURE_TYPES = ("image/png", "image/jpeg", "image/gif", "image/webp", "image/svg+xml")


@dataclass(frozen=True)
class OtherEdition:
    """Another language's edition of the text, and where its reading edition is from this one's."""

    edition: Edition
    href: str


def reading_page(project: Project, document: Document, folder: str, url: str | None, date: str | None
                 ) -> tuple[bytes, list[str]]:  # fmt: skip
    """The page's bytes (UTF-8) and what the build should say about it (pictures left out); `folder` is where
    it goes, under output/ (links to other documents are relative to it); `url`, the online copy's address."""
    left_out: list[str] = []
    body = reading_body(project, document, folder, left_out)
    editions = [OtherEdition(edition, f"../{edition.lang}/{document.slug}.html") for edition in document.editions]
    page = render_template(TEMPLATE, project.layouts_dir, document=document, body=body, css=stylesheet(project),
                           url=document.url or url, date=document.date or date, editions=editions)  # fmt: skip
    return page.encode("utf-8"), [f"{document.source.name}: {text}" for text in left_out]


def stylesheet(project: Project) -> str:
    """layouts/reading/reading.css, from the first layer holding it: it is set into the page."""
    layers = layout_layers(project.layouts_dir)
    found = layers.find(STYLESHEET, LayoutError)
    if found is None:
        raise LayoutError(f"the reading edition's stylesheet is missing (looked for {layers.searched(STYLESHEET)}); "
                          "restore it", project.layouts_dir / STYLESHEET)  # fmt: skip
    try:
        css = found.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise LayoutError(f"not UTF-8 text (byte {error.start}); save the file as UTF-8", found) from None
    if loads := what_loads(css):  # a relative url() too: the page would ask its server (or disk) for it
        raise LayoutError(f"the reading page's stylesheet names something to load ({loads[0]}): the page carries "
                          "all it shows, so it may not use url(), @import, image() or CSS escapes (\\)",
                          found, loads[1])  # fmt: skip
    return css


def reading_body(project: Project, document: Document, folder: str, left_out: list[str]) -> Markup:
    """The document's body as the page sets it: endnotes, headings with their links, pictures inlined."""
    markdown = markdown_for(document.lang, "end", None)
    fetcher = ProjectFetcher(project.readable_dirs)
    base = document.source.resolve().as_uri()
    published = dict(document.links_to)
    default_image, default_link = markdown.renderer.rules["image"], markdown.renderer.renderToken

    def image(self: object, tokens: list[Token], index: int, options: object, env: object) -> str:
        token = tokens[index]
        source = str(token.attrGet("src") or "")
        inlined, kind = _data_uri(fetcher, urljoin(base, source))  # a missing one: check_pictures raised already
        if inlined is None:
            if kind:  # else refused (outside, on the web, too costly, unreadable): the PDF's build says why
                left_out.append(f"the picture {source[:200]} is left out of the reading edition: it is {kind}, "
                                "and a web page shows PNG, JPEG, GIF, WebP and SVG pictures")  # fmt: skip
            return f'<span class="picture-left-out">[{escape(token.content)}]</span>'
        token.attrSet("src", inlined)
        return default_image(tokens, index, options, env)

    def link(self: object, tokens: list[Token], index: int, options: object, env: object) -> str:
        href = str(tokens[index].attrGet("href") or "")
        if href.startswith(DOCUMENT_LINK):  # another document of content/: its reading edition, relatively
            tokens[index].attrSet("href", _edition_link(unquote(href.removeprefix(DOCUMENT_LINK)), published, folder))
        return default_link(tokens, index, options, env)

    markdown.add_render_rule("image", image)
    markdown.add_render_rule("link_open", link)
    markdown.add_render_rule("heading_close", _heading_close)
    return render_body(markdown, document.body, document.body_line, document.source)


def check_pictures(project: Project, document: Document) -> None:
    """Raise the document's error for a picture it names that is not there, as its PDF fails on it: no edition of
    it is made then (the plain text, which shows a picture's description, too), and the last good ones stay."""
    fetcher, base = ProjectFetcher(project.readable_dirs), document.source.resolve().as_uri()
    tokens = body_tokens(markdown_for(document.lang, "end", None), document.body, document.body_line, document.source)
    for token in (child for block in tokens for child in block.children or [] if child.type == "image"):
        _data_uri(fetcher, urljoin(base, str(token.attrGet("src") or "")))
        if fetcher.missing:
            from samizdat.jobs import missing_file_error  # here: samizdat.jobs imports this module

            raise missing_file_error(document, fetcher.missing[0])


def _heading_close(self: object, tokens: list[Token], index: int, options: object, env: object) -> str:
    """After a heading's words, a link to the heading itself (its id: samizdat.contents), to copy and send."""
    opening = tokens[index - 2]
    anchor = escape(str(opening.attrGet("id") or ""))
    link = f' <a class="anchor" href="#{anchor}" lang="en" aria-label="Link to this section">#</a>' if anchor else ""
    return f"{link}</{tokens[index].tag}>\n"


def _data_uri(fetcher: ProjectFetcher, url: str) -> tuple[str | None, str]:
    """The picture at `url` as a data: URI and its type; None and its type when a page cannot show it, None and
    "" when the fetcher refuses it (outside the project, on the web, missing, too costly) or cannot read it."""
    try:
        response = fetcher.fetch(url)
    except (RefusedURL, OSError, ValueError):  # a foreign path: too long, unreadable, a NUL in it
        return None, ""
    data, kind = response.read(), response.content_type
    if kind not in PICTURE_TYPES:
        return None, kind
    return f"data:{kind};base64,{base64.b64encode(data).decode('ascii')}", kind


def _edition_link(name: str, published: dict[str, str], folder: str) -> str:
    """Where another document's reading edition is, from `folder`: `appeal.md` → ../appeal/appeal.html."""
    slug = slug_of(Path(name))
    where, _, pdf = published.get(name, f"{slug}/{slug}-a5.pdf").rpartition("/")  # its language's folder, if any
    return quote(posixpath.relpath(f"{where}/{pdf.removesuffix('-a5.pdf')}.html", folder or "."))

