"""Reading a PDF that came from outside: every page's boxes, turn and contents checked once, up front.

A file given to `impose`, `tile` or `check` may be damaged or made to hurt: a
MediaBox of names or NaN, a /Rotate of 45, /Contents that is a number or
points nowhere, a stream that inflates to gigabytes, a page tree that loops.
pypdf reads such values lazily and raises whatever it meets (TypeError,
ZeroDivisionError...) deep inside the code that uses them. So each page is
read here, where the foreign file is read, into a small validated value
(`SourcePage`), and everything the imposer will later copy (the page tree
above it, its resources, fonts and images, its content streams, the catalog's
press profile) is resolved now, inside the net: after
`read_source`, pypdf only hands back what it has already read, and no net is
needed (or allowed) around the code that places pages.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

from pypdf import PageObject, PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, EncodedStreamObject, IndirectObject, StreamObject

from samizdat.pdfio.damage import READ_ERRORS, DamagedPDF, Repairs, damaged, reading
from samizdat.pdfio.pages import (
    Box,
    check_resources,
    content_parts,
    content_size,
    inherited,
    page_box,
    page_rotation,
)

#: A BCP 47 language tag as PDFs write it: "ar", "fa-IR", "zh-Hant-TW".
LANGUAGE_TAG = re.compile(r"[A-Za-z]{2,8}(?:-[A-Za-z0-9]{1,8}){0,4}")
#: More pages than any pamphlet, booklet or poster set; reading and placing stays within seconds.
MAX_PAGES = 2000


@dataclass(frozen=True)
class SourcePage:
    """One page of a foreign PDF as samizdat uses it: finite boxes of positive size, a quarter turn."""

    media: Box
    trim: Box
    bleed: Box
    rotate: int  # the page's /Rotate, clockwise: 0, 90, 180 or 270
    annotations: int = 0  # notes, form fields and web links, which imposing does not carry over
    where: str = "the PDF"  # "poster.pdf, page 3": for messages about what is read later (its resources)

    @property
    def size(self) -> tuple[float, float]:
        """The trim's width and height as the page is shown (turned by its /Rotate)."""
        width, height = self.trim[2] - self.trim[0], self.trim[3] - self.trim[1]
        return (height, width) if self.rotate % 180 else (width, height)


@dataclass(frozen=True)
class Source:
    reader: PdfReader
    pages: tuple[SourcePage, ...]
    repairs: tuple[str, ...] = ()  # what pypdf had to work around to read the file
    lang: str | None = None  # the language the catalog says the text is in (/Lang), if it says one


def read_source(data: bytes, name: str) -> Source:
    """The PDF bytes `data` read and checked page by page; DamagedPDF (naming `name`) for what cannot be used."""
    if b"%PDF-" not in data[:1024]:
        raise DamagedPDF(f"{name} is not a PDF (it does not start with %PDF-)")
    with Repairs() as repairs:
        with reading(name):
            reader = PdfReader(io.BytesIO(data))
            if reader.is_encrypted and not reader.decrypt(""):  # an owner password alone does not stop reading
                raise DamagedPDF(f"{name} is encrypted: remove its password first, e.g. qpdf --decrypt IN.pdf OUT.pdf")
            count = len(reader.pages)
        if count == 0:
            raise DamagedPDF(f"{name} has no pages")
        if count > MAX_PAGES:
            raise DamagedPDF(f"{name} has {count} pages; samizdat reads at most {MAX_PAGES}: split it first")
        seen: set[tuple[int, int]] = set()
        pages = tuple(_read_page(reader, index, name, seen) for index in range(count))
        intents = catalog_of(reader).get("/OutputIntents")  # as written: forms.carry_over copies a direct array
        if isinstance(intents, ArrayObject):
            read_ahead([intents], seen, name)
    return Source(reader, pages, tuple(repairs.texts), language_of(reader))


def _read_page(reader: PdfReader, index: int, name: str, seen: set[tuple[int, int]]) -> SourcePage:
    where = f"{name}, page {index + 1}"
    with reading(where):
        page = reader.pages[index]
    media = page_box(page, "/MediaBox", where)
    if media is None:
        raise DamagedPDF(f"{where} has no MediaBox, so its size is unknown; make the PDF again")
    crop = page_box(page, "/CropBox", where) or media
    bleed = page_box(page, "/BleedBox", where) or crop
    trim = page_box(page, "/TrimBox", where) or crop
    rotate = page_rotation(page, where)
    parts = content_parts(page, where)
    content_size(page, where, parts)
    check_resources(page, where)
    annotations = _annotations(page, where)
    with reading(where):
        resources = inherited(page, "/Resources")
    read_ahead([resources], seen, f"{where}: its fonts, images or drawings")
    _read_contents_ahead(page, parts, where, seen)
    return SourcePage(media, trim, bleed, rotate, sum(not _internal_link(*item) for item in annotations), where)


def _annotations(page: PageObject, where: str) -> list[tuple[object, object]]:
    """The page's annotations and their actions, resolved."""
    with reading(where):
        annotations = page.get("/Annots")
        annotations = annotations.get_object() if annotations is not None else None
        found = []
        for item in annotations if isinstance(annotations, ArrayObject) else ():
            annotation = item.get_object()
            action = annotation.get("/A") if isinstance(annotation, DictionaryObject) else None
            found.append((annotation, action.get_object() if action is not None else None))
    return found


def _internal_link(annotation: object, action: object) -> bool:
    """A link to a place in the same PDF (a table of contents' entry): on paper the page number says as much."""
    if not isinstance(annotation, DictionaryObject) or annotation.get("/Subtype") != "/Link":
        return False
    return "/Dest" in annotation or (isinstance(action, DictionaryObject) and action.get("/S") == "/GoTo")


def _read_contents_ahead(page: PageObject, parts: list[tuple[object, object]], where: str, seen: set[tuple]) -> None:
    """What samizdat.pdfio.forms copies of the page's drawing, read now: its content streams' filters, and the
    drawing itself where forms decodes it (several streams, or unfiltered ones)."""
    for _, stream in parts:
        if isinstance(stream, StreamObject):
            read_ahead([stream.raw_get(key) for key in ("/Filter", "/DecodeParms") if key in stream], seen, where)
    single = parts[0][1] if len(parts) == 1 else None
    if parts and not (isinstance(single, EncodedStreamObject) and "/Filter" in single):
        with reading(where):
            page.get_contents()  # what forms.make_form decodes, decoded once here (pypdf keeps each stream's)


def read_ahead(values: list[object], seen: set[tuple[int, int]], where: str) -> None:
    """Every object reachable from `values` resolved (pypdf keeps what it has read), each once.

    This is what pypdf's clone() will walk; walked here, its damage is found where the file is read.
    """
    stack = list(values)
    while stack:
        value = stack.pop()
        if isinstance(value, IndirectObject):
            key = (value.idnum, value.generation)
            if key in seen:
                continue
            seen.add(key)
            try:
                value = value.get_object()
            except READ_ERRORS as error:
                raise damaged(where, error) from None
        if isinstance(value, DictionaryObject):  # streams too: their dictionary
            stack.extend(value.raw_get(key) for key in value)
        elif isinstance(value, ArrayObject):
            stack.extend(value)  # a list's own iteration: the items as written, references unresolved


def info_of(reader: PdfReader) -> dict[str, str]:
    """The document's Info entries as short texts; empty when it has none or they cannot be read."""
    try:
        info = reader.metadata or {}
        entries = list(info.items())
    except READ_ERRORS:
        return {}
    return {str(key): str(value)[:1000] for key, value in entries if not isinstance(value, StreamObject)}


def language_of(reader: PdfReader) -> str | None:
    """The catalog's /Lang ("ar", "en-GB"), which says which way the text runs; None without a sensible one."""
    try:
        value = catalog_of(reader).get("/Lang")
    except READ_ERRORS:  # a /Lang pointing nowhere: the language is not known
        return None
    tag = str(value) if isinstance(value, str) else ""
    return tag if LANGUAGE_TAG.fullmatch(tag) else None  # a tag, never control characters for a message


def catalog_of(reader: PdfReader) -> DictionaryObject:
    """The document's catalog, resolved; an empty one when the trailer points nowhere sensible."""
    try:
        root = reader.trailer.get("/Root")
        root = root.get_object() if root is not None else None
    except READ_ERRORS:
        return DictionaryObject()
    return root if isinstance(root, DictionaryObject) else DictionaryObject()
