"""A light check of the reader editions, which are no PDFs: what each must be to be sent and read as it is.

The riso proof: a PNG that can be read. The plain text: UTF-8, no line over 72 columns but one that holds a single
word (a long address). The reading page: UTF-8, its language said, no script,
no stylesheet or picture fetched from elsewhere (only links lead out). The
EPUB: a ZIP whose first entry is its mimetype, stored, and whose container
names a package document it holds; epubcheck is the full check (the tests run
it), too slow and too heavy (Java) for every build.
"""

from __future__ import annotations

import io
import re
import zipfile
from html.parser import HTMLParser
from xml.etree import ElementTree

from samizdat.preflight.model import ERROR, INFO, WARNING, Finding

#: The kinds of samizdat.catalogue checked here, and what the check says it is.
READING_KINDS = {"html": "a self-contained web page", "text": "plain text", "epub": "an EPUB",
                 "riso-proof": "a PNG picture"}  # fmt: skip

#: An address that leaves the file: a scheme (https:, file:…) or a network path (//host/…); data: URIs stay.
OUTSIDE = re.compile(r"^\s*(//|(?!data:)[a-z][a-z0-9+.-]*:)", re.IGNORECASE)


def check_reading_file(data: bytes, kind: str, name: str) -> list[Finding]:
    """The findings about a reader edition of `kind` ("html", "text", "epub"), errors first."""
    said = Finding("kind", INFO, f"not a PDF: checked only as {READING_KINDS[kind]}")
    if kind in ("epub", "riso-proof"):
        return [*(_epub(data, name) if kind == "epub" else _png(data, name)), said]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        return [Finding("read", ERROR, f"{name} is not UTF-8 text (byte {error.start}): make it again"), said]
    return [*(_html(text) if kind == "html" else _text(text)), said]


def _text(text: str) -> list[Finding]:
    from samizdat.plaintext import WIDTH, columns  # here: it loads the Markdown parser, which a PDF check never needs

    long = [number for number, line in enumerate(text.splitlines(), start=1)
            if columns(line) > WIDTH and len(line.strip(" >-").split(" ")) > 1]  # fmt: skip
    if not long:
        return []
    where = ", ".join(map(str, long[:5])) + (" …" if len(long) > 5 else "")
    return [Finding("width", WARNING, f"{len(long)} line(s) over {WIDTH} columns (line {where}): e-mail would "
                    "break them again; make the file again")]  # fmt: skip


class _Page(HTMLParser):
    """What a page would run or fetch: its scripts, and every address it loads (links may lead out)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lang, self.scripts, self.fetched = None, 0, []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "html":
            self.lang = values.get("lang")
        self.scripts += tag == "script" or any(name.startswith("on") for name in values)
        for name, value in attrs:
            loads = name in ("src", "srcset", "poster", "data") or (name == "href" and tag not in ("a", "area"))
            if loads and value and OUTSIDE.match(value):
                self.fetched.append(f"<{tag} {name}={value[:80]}>")

    def handle_data(self, data: str) -> None:
        if self.lasttag == "style" and re.search(r"@import|url\(\s*['\"]?\s*(//|[a-z]+:(?!data))", data, re.I):
            self.fetched.append("a stylesheet's url() or @import")


def _html(text: str) -> list[Finding]:
    page = _Page()
    page.feed(text)
    findings = []
    if page.scripts:
        findings.append(Finding("script", ERROR, "the page runs scripts: a reading edition must not"))
    if page.fetched:
        findings.append(Finding("outside", ERROR, f"the page fetches from elsewhere: {'; '.join(page.fetched[:3])}"))
    if not page.lang:
        findings.append(Finding("language", WARNING, "the page does not say its language (<html lang>)"))
    return findings


def _epub(data: bytes, name: str) -> list[Finding]:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            first = archive.infolist()[0] if archive.infolist() else None
            if first is None or first.filename != "mimetype" or first.compress_type != zipfile.ZIP_STORED \
                    or archive.read(first) != b"application/epub+zip":  # fmt: skip
                return [Finding("container", ERROR, "its first entry is not the mimetype, stored uncompressed, "
                                "saying application/epub+zip: e-readers will refuse it")]  # fmt: skip
            container = ElementTree.fromstring(archive.read("META-INF/container.xml"))
            rootfiles = [element.get("full-path") for element in container.iter() if element.tag.endswith("rootfile")]
            if not rootfiles or rootfiles[0] not in archive.namelist():
                return [Finding("container", ERROR, "META-INF/container.xml names no package document it holds")]
    except (zipfile.BadZipFile, KeyError, ElementTree.ParseError, EOFError, ValueError) as error:
        return [Finding("read", ERROR, f"cannot read {name} as an EPUB ({error}): make it again")]
    return []


def _png(data: bytes, name: str) -> list[Finding]:
    """The riso proof: a PNG whose every chunk is whole (a cut or damaged file is found before it is looked at).
    verify(), not load(): WeasyPrint makes Pillow load cut pictures without a word (LOAD_TRUNCATED_IMAGES)."""
    from PIL import Image  # here: a PDF check never needs Pillow's loading

    try:
        with Image.open(io.BytesIO(data), formats=["PNG"]) as picture:
            picture.verify()
    except (OSError, SyntaxError, ValueError, EOFError, Image.DecompressionBombError) as error:
        return [Finding("read", ERROR, f"cannot read {name} as a PNG picture ({error}): make it again")]
    return []
