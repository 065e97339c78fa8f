"""Reading a PDF that came from outside: every page's boxes, turn and contents checked once, up front.

A file given to `impose`, `tile` or `check` may be damaged or made to hurt: a
MediaBox of names or NaN, a /Rotate of 45, /Contents that is a number or
points nowhere, a stream that inflates to gigabytes, a page tree that loops.
pypdf reads such values lazily and raises whatever it meets (TypeError,
ZeroDivisionError...) deep inside the code that uses them. So each page is
read here, where the foreign file is read, into a small validated value
(`SourcePage`); the plan and placement code only ever sees those.
"""

from __future__ import annotations

import io
import logging
import math
import zlib
from dataclasses import dataclass

from pypdf import PageObject, PdfReader
from pypdf.errors import LimitReachedError, PdfReadError, PyPdfError
from pypdf.generic import ArrayObject, DictionaryObject, FloatObject, NullObject, NumberObject, StreamObject

from samizdat.errors import SamizdatError

Box = tuple[float, float, float, float]  # left, bottom, right, top in points, normalised

#: More pages than any pamphlet, booklet or poster set; reading and placing stays within seconds.
MAX_PAGES = 2000
#: pypdf stops inflating a stream past this many bytes (its default), and so do we: a flate bomb stops here.
MAX_INFLATED = 75_000_000
INHERITABLE_DEPTH = 64  # page trees are shallow; a loop through /Parent must not hang us

#: What pypdf and zlib raise on a damaged file while it is read here; nowhere else is this caught.
#: pypdf checks some of what it parses with `assert`, so AssertionError is among them.
READ_ERRORS = (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError, NotImplementedError,
               AssertionError, zlib.error, RecursionError, OverflowError)  # fmt: skip


class DamagedPDF(SamizdatError):
    """A PDF from outside that cannot be used as it is: what is wrong, where, and how to repair it."""


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


def read_source(data: bytes, name: str, *, check_contents: bool = True) -> Source:
    """The PDF bytes `data` read and checked page by page; DamagedPDF (naming `name`) for what cannot be used."""
    if b"%PDF-" not in data[:1024]:
        raise DamagedPDF(f"{name} is not a PDF (it does not start with %PDF-)")
    with Repairs() as repairs:
        try:
            reader = PdfReader(io.BytesIO(data))
            if reader.is_encrypted and not reader.decrypt(""):  # an owner password alone does not stop reading
                raise DamagedPDF(f"{name} is encrypted: remove its password first, e.g. qpdf --decrypt IN.pdf OUT.pdf")
            count = len(reader.pages)
        except READ_ERRORS as error:
            raise damaged(name, error) from None
        if count == 0:
            raise DamagedPDF(f"{name} has no pages")
        if count > MAX_PAGES:
            raise DamagedPDF(f"{name} has {count} pages; samizdat reads at most {MAX_PAGES}: split it first")
        pages = tuple(_read_page(reader, index, name, check_contents) for index in range(count))
    return Source(reader, pages, tuple(repairs.texts))


def _read_page(reader: PdfReader, index: int, name: str, check_contents: bool) -> SourcePage:
    where = f"{name}, page {index + 1}"
    try:
        page = reader.pages[index]
        media = page_box(page, "/MediaBox", where)
        if media is None:
            raise DamagedPDF(f"{where} has no MediaBox, so its size is unknown; make the PDF again")
        crop = page_box(page, "/CropBox", where) or media
        bleed = page_box(page, "/BleedBox", where) or crop
        trim = page_box(page, "/TrimBox", where) or crop
        rotate = page_rotation(page, where)
        if check_contents:
            content_size(page, where)
        check_resources(page, where)
        annotations = page.get("/Annots")
        annotations = annotations.get_object() if annotations is not None else None
        count = sum(not _internal_link(item) for item in annotations) if isinstance(annotations, ArrayObject) else 0
    except READ_ERRORS as error:
        raise damaged(where, error) from None
    return SourcePage(media, trim, bleed, rotate, count, where)


def _internal_link(annotation: object) -> bool:
    """A link to a place in the same PDF (a table of contents' entry): on paper the page number says as much."""
    annotation = annotation.get_object()
    if not isinstance(annotation, DictionaryObject) or annotation.get("/Subtype") != "/Link":
        return False
    action = annotation.get("/A")
    action = action.get_object() if action is not None else None
    return "/Dest" in annotation or (isinstance(action, DictionaryObject) and action.get("/S") == "/GoTo")


def info_of(reader: PdfReader) -> dict[str, str]:
    """The document's Info entries as short texts; empty when it has none or they cannot be read."""
    try:
        info = reader.metadata or {}
        return {str(key): str(value)[:1000] for key, value in info.items() if not isinstance(value, StreamObject)}
    except READ_ERRORS:
        return {}


def catalog_of(reader: PdfReader) -> DictionaryObject:
    """The document's catalog, resolved; an empty one when the trailer points nowhere sensible."""
    try:
        root = reader.trailer.get("/Root")
        root = root.get_object() if root is not None else None
    except READ_ERRORS:
        return DictionaryObject()
    return root if isinstance(root, DictionaryObject) else DictionaryObject()


def inherited(page: PageObject, key: str) -> object | None:
    """A page attribute, from the page or the nearest page-tree node above it that has it."""
    node = page
    for _ in range(INHERITABLE_DEPTH):
        if key in node:
            return node[key]
        parent = node.get("/Parent")
        if parent is None:
            return None
        node = parent.get_object()
        if not hasattr(node, "get"):
            return None
    return None


def page_box(page: PageObject, key: str, where: str) -> Box | None:
    """The box `key` (inherited for MediaBox and CropBox), normalised; None when absent."""
    value = inherited(page, key) if key in ("/MediaBox", "/CropBox") else page.get(key)
    if value is None or isinstance(value, NullObject):
        return None
    value = value.get_object()
    numbers = [item.get_object() for item in value] if isinstance(value, ArrayObject) else []
    if len(numbers) != 4 or not all(isinstance(item, (NumberObject, FloatObject)) for item in numbers):
        raise DamagedPDF(f"{where}: the {key[1:]} must be four numbers and is {_shown(value)}; make the PDF again")
    x0, y0, x1, y1 = (float(item) for item in numbers)
    if not all(math.isfinite(v) for v in (x0, y0, x1, y1)):
        raise DamagedPDF(f"{where}: the {key[1:]} {_shown(value)} is not a finite size; make the PDF again")
    box = (min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))  # corners may come in any order (ISO 32000 7.9.5)
    if box[2] - box[0] < 1 or box[3] - box[1] < 1:
        raise DamagedPDF(f"{where}: the {key[1:]} {_shown(value)} has no area (it is under 1 point wide or "
                         "high); make the PDF again")  # fmt: skip
    return box


def page_rotation(page: PageObject, where: str) -> int:
    """The page's /Rotate as 0, 90, 180 or 270; a turn that is not a quarter turn is refused."""
    value = inherited(page, "/Rotate")
    if value is None or isinstance(value, NullObject):
        return 0
    value = value.get_object()
    if not isinstance(value, (NumberObject, FloatObject)) or not float(value).is_integer():
        raise DamagedPDF(f"{where}: /Rotate must be a whole number of degrees and is {_shown(value)}")
    if int(value) % 90:
        raise DamagedPDF(f"{where}: /Rotate {int(value)} is not a multiple of 90 degrees; a page can only be shown "
                         "turned by quarter turns — fix it with qpdf --rotate=0 IN.pdf OUT.pdf")  # fmt: skip
    return int(value) % 360


def check_resources(page: PageObject, where: str) -> None:
    """The page's /Resources (fonts, images) must be a dictionary when there are any."""
    resources = inherited(page, "/Resources")
    value = _resolved(resources) if resources is not None else None
    if value is not None and not isinstance(value, (DictionaryObject, NullObject)):
        raise DamagedPDF(f"{where}: its /Resources must be a dictionary and is {_shown(value)}")


def content_size(page: PageObject, where: str) -> int:
    """The bytes of the page's content streams once inflated; refused when it is not streams or too big."""
    if "/Contents" not in page:
        return 0
    raw = page.raw_get("/Contents")
    value = _resolved(raw)
    parts = list(value) if isinstance(value, ArrayObject) else [raw]
    total = 0
    for part in parts:
        stream = _resolved(part)
        if not isinstance(stream, StreamObject):
            dangling = stream is None or isinstance(stream, NullObject)
            target = f" (object {part.idnum}, which is not in the file)" if dangling and hasattr(part, "idnum") else ""
            raise DamagedPDF(f"{where}: its /Contents must be a content stream and is {_shown(stream)}{target}; "
                             "make the PDF again, or repair it with qpdf")  # fmt: skip
        total += inflated_size(stream, where)
        if total > MAX_INFLATED:
            raise DamagedPDF(f"{where}: its content inflates to more than {MAX_INFLATED // 1_000_000} MB "
                             "(a compression bomb, or a damaged file); samizdat stops there")  # fmt: skip
    return total


def inflated_size(stream: StreamObject, where: str) -> int:
    """The stream's length once decoded, at most MAX_INFLATED + 1; refused when it cannot be decoded.

    A Flate stream (nearly every content stream) is inflated here with zlib, which says when the
    data is damaged where pypdf would quietly give what it could; other filters are pypdf's, bounded.
    """
    filters = stream.get("/Filter")
    first = filters[0] if isinstance(filters, ArrayObject) and filters else filters
    try:
        if first == "/FlateDecode":
            inflater = zlib.decompressobj()
            size = len(inflater.decompress(stream._data, MAX_INFLATED + 1))
            if not inflater.eof and not inflater.unconsumed_tail:
                raise zlib.error("the compressed data ends early")
            return size
        return len(stream.get_data())
    except LimitReachedError:
        return MAX_INFLATED + 1
    except (zlib.error, NotImplementedError, PyPdfError, ValueError) as error:
        raise DamagedPDF(f"{where}: a content stream cannot be decoded ({str(error)[:100]}); "
                         "make the PDF again, or repair it with qpdf") from None  # fmt: skip


def _resolved(value: object) -> object:
    """The object a reference points to; None when it points nowhere (pypdf in strict mode raises then)."""
    try:
        return value.get_object()
    except PdfReadError:
        return None


def damaged(where: str, error: Exception) -> DamagedPDF:
    reason = str(error).strip() or type(error).__name__
    return DamagedPDF(f"{where} is damaged and cannot be read ({reason[:200]}); try repairing it with qpdf")


def _shown(value: object) -> str:
    """A PDF value as a short text for a message, written as in the file: [0 0 /x 10], 45, a dictionary."""
    if value is None or isinstance(value, NullObject):
        return "missing"
    if isinstance(value, StreamObject):
        return "a stream"
    if isinstance(value, DictionaryObject):
        return "a dictionary"
    text = "[" + " ".join(str(item) for item in value) + "]" if isinstance(value, ArrayObject) else str(value)
    return text if len(text) <= 40 else text[:37] + "..."


class Repairs(logging.Handler):
    """What pypdf logs while it works around damage (a missing EOF marker, a broken xref), to report it once."""

    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.texts: list[str] = []
        self.logger = logging.getLogger("pypdf")

    def __enter__(self) -> Repairs:
        self.propagate, self.logger.propagate = self.logger.propagate, False  # keep it off the console
        self.logger.addHandler(self)
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.logger.removeHandler(self)
        self.logger.propagate = self.propagate

    def emit(self, record: logging.LogRecord) -> None:
        text = record.getMessage().strip()[:200]
        if text not in self.texts:
            self.texts.append(text)
