"""The EPUB 3 edition (a placeholder: the whole EPUB, with navigation, notes, cover and fonts, is the epub part's).

A minimal valid EPUB 3: the mimetype first and stored, the container, the
package document, the navigation and one XHTML page holding the plain-text
edition's paragraphs. Reproducible: fixed times, sorted entries, no random
identifier.
"""

from __future__ import annotations

import hashlib
import io
import zipfile

from markupsafe import escape

from samizdat.config import Config
from samizdat.content import Document
from samizdat.plaintext import plain_text_edition
from samizdat.project import Project

CONTAINER = """<?xml version="1.0" encoding="UTF-8"?>
<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
  <rootfiles><rootfile full-path="EPUB/package.opf" media-type="application/oebps-package+xml"/></rootfiles>
</container>
"""


def epub_bytes(document: Document, project: Project, config: Config, date: str | None) -> bytes:
    """The whole EPUB of `document`, as bytes."""
    lang, title = escape(document.lang), escape(document.title)
    text = plain_text_edition(document, config.url, document.date or date).decode("utf-8")
    paragraphs = "".join(f"<p>{escape(' '.join(block.split()))}</p>\n" for block in text.split("\n\n") if block.strip())
    identifier = "urn:sha256:" + hashlib.sha256(f"{document.slug}\0{document.lang}".encode()).hexdigest()
    modified = f"{(document.date or date or '2000-01-01')[:10]}T00:00:00Z"
    package = f"""<?xml version="1.0" encoding="UTF-8"?>
<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="id" xml:lang="{lang}">
  <metadata xmlns:dc="http://purl.org/dc/elements/1.1/">
    <dc:identifier id="id">{identifier}</dc:identifier>
    <dc:title>{title}</dc:title>
    <dc:creator>{escape(document.author)}</dc:creator>
    <dc:language>{lang}</dc:language>
    <meta property="dcterms:modified">{modified}</meta>
  </metadata>
  <manifest>
    <item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>
    <item id="text" href="text.xhtml" media-type="application/xhtml+xml"/>
  </manifest>
  <spine page-progression-direction="{document.direction}"><itemref idref="text"/></spine>
</package>
"""
    nav = _page(lang, title, f'<nav epub:type="toc" id="toc"><ol><li><a href="text.xhtml">{title}</a></li></ol></nav>')
    files = {"META-INF/container.xml": CONTAINER, "EPUB/package.opf": package, "EPUB/nav.xhtml": nav,
             "EPUB/text.xhtml": _page(lang, title, f"<h1>{title}</h1>\n{paragraphs}")}  # fmt: skip
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype", (1980, 1, 1, 0, 0, 0)), "application/epub+zip")
        for name, content in files.items():
            entry = zipfile.ZipInfo(name, (1980, 1, 1, 0, 0, 0))
            archive.writestr(entry, content.encode("utf-8"), compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def _page(lang: str, title: str, body: str) -> str:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE html>
<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops" lang="{lang}" xml:lang="{lang}">
<head><title>{title}</title></head>
<body>
{body}
</body>
</html>
"""
