"""The EPUB 3 of a document: reflowable, in its language and direction, checked clean by epubcheck.

One book is: the mimetype (first, stored), META-INF/container.xml, the package document (content.opf), the
cover image and its page (samizdat.epub_cover), the text in one XHTML page (samizdat.epub_xhtml,
samizdat.epub_pages), the navigation and an NCX, the stylesheet (layouts/epub/epub.css, in layers like every
layout) and the fonts (samizdat.epub_fonts). Its identifier is made from the document (its slug and
language), not drawn at random, and the archive's dates and order are fixed: the same inputs give the same
bytes. The accessibility metadata says what samizdat guarantees of every book (schema.org's accessMode,
accessibilityFeature, accessibilityHazard, accessibilitySummary); it claims no WCAG conformance
(dcterms:conformsTo), which needs a person to judge the author's own text alternatives and links.
"""

from __future__ import annotations

import io
import re
import uuid
import zipfile

from lxml import etree

from samizdat.config import Config
from samizdat.content import Document
from samizdat.epub_cover import cover_png
from samizdat.epub_fonts import embedded_fonts, font_css
from samizdat.epub_pages import COVER, NAV, TEXT, cover_page, entries, nav_page, ncx, text_page, xml_bytes
from samizdat.epub_xhtml import Body, xhtml_body
from samizdat.errors import LayoutError
from samizdat.project import Project
from samizdat.resource_limits import MAX_BYTES

OPF = "http://www.idpf.org/2007/opf"
DC = "http://purl.org/dc/elements/1.1/"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
STYLESHEET = "epub/epub.css"  # in the layouts' layers
UNDATED = "1970-01-01T00:00:00Z"  # dcterms:modified of a book built without a date (samizdat.pdf's too)
#: What in a stylesheet would make an e-reader fetch something, or hide it: refused (see _stylesheet).
LOADS = re.compile(r"\\|@import|url\s*\(|image(-set)?\s*\(|src\s*:", re.IGNORECASE)
ZIP_DATE = (1980, 1, 1, 0, 0, 0)  # the earliest a zip can say: the archive carries no time of building

CONTAINER = b"""<?xml version="1.0" encoding="UTF-8"?>
<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
  <rootfiles>
    <rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/>
  </rootfiles>
</container>
"""

MEDIA = {".xhtml": "application/xhtml+xml", ".css": "text/css", ".ttf": "font/ttf", ".png": "image/png",
         ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".gif": "image/gif",
         ".ncx": "application/x-dtbncx+xml"}  # fmt: skip


def epub_bytes(document: Document, project: Project, config: Config, date: str | None) -> bytes:
    """The whole EPUB of `document`; `date` is the build's (SOURCE_DATE_EPOCH), or None: dcterms:modified is
    then the document's own date, else 1970-01-01 (never the time of the build)."""
    stylesheet, text = _stylesheet(project), xhtml_body(document, project.readable_dirs)
    styles = ["css/epub.css", *(["css/fonts.css"] if config.epub_fonts == "embedded" else [])]
    hrefs = [f"../{style}" for style in styles]  # the pages are in OEBPS/pages/, beside css/ and fonts/
    tree = entries(document.title, text.headings)
    pages = {
        f"pages/{COVER}": cover_page(document, hrefs, "../images/cover.png"),
        f"pages/{TEXT}": text_page(document, hrefs, _relocated(text)),
        f"pages/{NAV}": nav_page(document, hrefs, tree),
    }
    fonts = embedded_fonts(list(pages.values()), document.lang, project.fonts) if "css/fonts.css" in styles else []
    files = {name: xml_bytes(root) for name, root in pages.items()}
    files["toc.ncx"] = xml_bytes(ncx(document, identifier(document), tree, "pages/"), doctype=None)
    files["css/epub.css"] = stylesheet
    if "css/fonts.css" in styles:
        files["css/fonts.css"] = font_css(fonts, document.lang).encode()
        files.update({font.name: font.data for font in fonts})
    files["images/cover.png"] = cover_png(document, project, config, date)
    files.update(text.pictures)
    files["content.opf"] = package(document, date, files, text)
    return archive({f"OEBPS/{name}": data for name, data in files.items()})


def identifier(document: Document) -> str:
    """The book's identifier: a UUID made from the document's slug and language (the same at every build and
    after every correction, so that a reader keeps its place and notes; another for each language), never
    drawn at random."""
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, f'samizdat:{document.slug}/{document.lang}')}"


def modified(document: Document, date: str | None) -> str:
    """dcterms:modified, as EPUB wants it (CCYY-MM-DDThh:mm:ssZ): the build's date, else the document's."""
    if date and re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", date):
        return date
    if document.date and re.fullmatch(r"\d{4}-\d\d-\d\d", document.date):
        return f"{document.date}T00:00:00Z"
    return UNDATED


def package(document: Document, date: str | None, files: dict[str, bytes], text: Body) -> bytes:
    """The package document: metadata, the manifest of every file, the spine (cover, text)."""
    root = etree.Element(f"{{{OPF}}}package", {"version": "3.0", "unique-identifier": "book-id",
                         XML_LANG: document.lang, "dir": document.direction}, nsmap={None: OPF})  # fmt: skip
    metadata = etree.SubElement(root, f"{{{OPF}}}metadata", nsmap={"dc": DC})
    for name, value in (("identifier", identifier(document)), ("title", document.title), ("language", document.lang),
                        ("creator", document.author), ("description", document.subtitle), ("date", document.date)):
        if value:
            element = etree.SubElement(metadata, f"{{{DC}}}{name}")
            element.text = value
    metadata.find(f"{{{DC}}}identifier").set("id", "book-id")
    for prop, value in [("dcterms:modified", modified(document, date)), *accessibility(text)]:
        etree.SubElement(metadata, f"{{{OPF}}}meta", property=prop).text = value
    etree.SubElement(metadata, f"{{{OPF}}}meta", name="cover", content="cover-image")  # for EPUB 2 readers
    manifest = etree.SubElement(root, f"{{{OPF}}}manifest")
    ids = {}
    for number, name in enumerate(sorted(files), start=1):  # every file but the package document itself
        ids[name] = {"images/cover.png": "cover-image", "toc.ncx": "ncx"}.get(name, f"item-{number}")
        item = etree.SubElement(manifest, f"{{{OPF}}}item", id=ids[name], href=name, attrib={
            "media-type": MEDIA[name[name.rindex("."):].lower()]})  # fmt: skip
        properties = {"images/cover.png": "cover-image", f"pages/{NAV}": "nav"}.get(name)
        if properties:
            item.set("properties", properties)
    spine = etree.SubElement(root, f"{{{OPF}}}spine", toc="ncx")
    if document.direction == "rtl":
        spine.set("page-progression-direction", "rtl")
    for name in (f"pages/{COVER}", f"pages/{TEXT}"):
        etree.SubElement(spine, f"{{{OPF}}}itemref", idref=ids[name])
    return xml_bytes(root, doctype=None)


def accessibility(text: Body) -> list[tuple[str, str]]:
    """The schema.org accessibility metadata of the book: what samizdat guarantees of every one, and what
    depends on the author (a text alternative for each picture)."""
    features = ["structuralNavigation", "tableOfContents", "readingOrder", "displayTransformability"]
    if text.described:
        features.append("alternativeText")
    summary = (
        "A reflowable text in its language and reading order, with the headings as navigation, the notes linked "
        "both ways and the type left free to change. "
        + ("The cover and every picture have a text alternative." if text.described else
           "Some pictures have no text alternative.")  # fmt: skip
    )
    return [
        ("schema:accessMode", "textual"),
        ("schema:accessMode", "visual"),
        ("schema:accessModeSufficient", "textual" if text.described else "textual,visual"),
        *(("schema:accessibilityFeature", feature) for feature in features),
        ("schema:accessibilityHazard", "none"),
        ("schema:accessibilitySummary", summary),
    ]


def archive(files: dict[str, bytes]) -> bytes:
    """The EPUB's zip: the mimetype first and stored, the rest compressed, in a fixed order with fixed dates."""
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as book:
        entries = [("mimetype", b"application/epub+zip"), ("META-INF/container.xml", CONTAINER),
                   *sorted(files.items())]  # fmt: skip
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED
            info.create_system, info.external_attr = 3, 0o100644 << 16  # a Unix file, rw-r--r--, everywhere
            book.writestr(info, data, compresslevel=9)
    return output.getvalue()


def _relocated(text: Body) -> Body:
    """The body with its pictures' addresses as seen from OEBPS/pages/."""
    for image in text.root.iter("{http://www.w3.org/1999/xhtml}img"):
        if image.get("src", "").startswith("images/"):
            image.set("src", f"../{image.get('src')}")
    return text


def _stylesheet(project: Project) -> bytes:
    """layouts/epub/epub.css from the first layer that has it (a project's own copy first). A layout is someone
    else's code: one that would make the e-reader load anything (a web font, a picture from the network, a
    file the book does not hold) is refused, and so are CSS escapes, which could spell those in disguise."""
    path = project.layouts.find(STYLESHEET, LayoutError)
    if path is None:
        raise LayoutError(
            f"the layout file '{STYLESHEET}' is missing: looked for {project.layouts.searched(STYLESHEET)}; restore it",
            project.layouts_dir / STYLESHEET,
        )
    data = path.read_bytes()[: MAX_BYTES + 1]
    try:
        css = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise LayoutError(f"not UTF-8 text (byte {error.start}); save the file as UTF-8", path) from None
    if len(data) > MAX_BYTES or (found := what_loads(css)):
        what = "is too large" if len(data) > MAX_BYTES else f"names something to load ({found[0]})"
        line = found[1] if len(data) <= MAX_BYTES else None
        raise LayoutError(
            f"the EPUB's stylesheet {what}: a book carries all it shows, so its stylesheet may not use url(), "
            "@import, image() or CSS escapes (\\); the fonts are samizdat's to embed",
            path,
            line,
        )
    return data


def what_loads(css: str) -> tuple[str, int] | None:
    """The first thing a stylesheet would load (url(), @import, image(), src:, or an escape that could spell one),
    outside its comments, and its line; None when it loads nothing (the EPUB's, the reading page's)."""
    uncommented = re.sub(r"/\*.*?(\*/|\Z)", lambda comment: "\n" * comment.group().count("\n"), css, flags=re.S)
    found = LOADS.search(uncommented)
    return (found.group().strip(), uncommented.count("\n", 0, found.start()) + 1) if found else None
