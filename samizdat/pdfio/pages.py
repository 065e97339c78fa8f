"""A foreign page's boxes, turn, resources and contents: read by pypdf inside the net, then checked outside it.

Each function first lets pypdf resolve what it needs (inside `reading`, where
damage is caught), then checks the values with samizdat's own code, outside any
net: a mistake in a check is a bug and raises as one.
"""

from __future__ import annotations

import math
import zlib

from pypdf import PageObject
from pypdf.errors import LimitReachedError, PdfReadError, PyPdfError
from pypdf.generic import ArrayObject, DictionaryObject, FloatObject, NullObject, NumberObject, StreamObject

from samizdat.pdfio.damage import READ_ERRORS, DamagedPDF, damaged, reading, shown

Box = tuple[float, float, float, float]  # left, bottom, right, top in points, normalised

#: pypdf stops inflating a stream past this many bytes (its default), and so do we: a flate bomb stops here.
MAX_INFLATED = 75_000_000
INHERITABLE_DEPTH = 64  # page trees are shallow; a loop through /Parent must not hang us


def inherited(page: PageObject, key: str) -> object | None:
    """A page attribute, from the page or the nearest page-tree node above it that has it (pypdf reads: netted)."""
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
    with reading(where):
        value = inherited(page, key) if key in ("/MediaBox", "/CropBox") else page.get(key)
        if value is None or isinstance(value, NullObject):
            return None
        value = value.get_object()
        numbers = [item.get_object() for item in value] if isinstance(value, ArrayObject) else []
    return checked_box(value, numbers, key, where)


def checked_box(value: object, numbers: list[object], key: str, where: str) -> Box:
    """Four finite numbers of positive width and height, or a DamagedPDF saying which and why."""
    if len(numbers) != 4 or not all(isinstance(item, (NumberObject, FloatObject)) for item in numbers):
        raise DamagedPDF(f"{where}: the {key[1:]} must be four numbers and is {shown(value)}; make the PDF again")
    x0, y0, x1, y1 = (float(item) for item in numbers)
    if not all(math.isfinite(v) for v in (x0, y0, x1, y1)):
        raise DamagedPDF(f"{where}: the {key[1:]} {shown(value)} is not a finite size; make the PDF again")
    box = (min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))  # corners may come in any order (ISO 32000 7.9.5)
    if box[2] - box[0] < 1 or box[3] - box[1] < 1:
        raise DamagedPDF(f"{where}: the {key[1:]} {shown(value)} has no area (it is under 1 point wide or "
                         "high); make the PDF again")  # fmt: skip
    return box


def page_rotation(page: PageObject, where: str) -> int:
    """The page's /Rotate as 0, 90, 180 or 270; a turn that is not a quarter turn is refused."""
    with reading(where):
        value = inherited(page, "/Rotate")
        if value is None or isinstance(value, NullObject):
            return 0
        value = value.get_object()
    if not isinstance(value, (NumberObject, FloatObject)) or not float(value).is_integer():
        raise DamagedPDF(f"{where}: /Rotate must be a whole number of degrees and is {shown(value)}")
    if int(value) % 90:
        raise DamagedPDF(f"{where}: /Rotate {int(value)} is not a multiple of 90 degrees; a page can only be shown "
                         "turned by quarter turns — fix it with qpdf --rotate=0 IN.pdf OUT.pdf")  # fmt: skip
    return int(value) % 360


def check_resources(page: PageObject, where: str) -> None:
    """The page's /Resources (fonts, images) must be a dictionary when there are any."""
    with reading(where):
        resources = inherited(page, "/Resources")
        value = resolved(resources) if resources is not None else None
    if value is not None and not isinstance(value, (DictionaryObject, NullObject)):
        raise DamagedPDF(f"{where}: its /Resources must be a dictionary and is {shown(value)}")


def content_parts(page: PageObject, where: str) -> list[tuple[object, object]]:
    """The page's content streams as (what the page writes, what it points to); empty without /Contents."""
    with reading(where):
        if "/Contents" not in page:
            return []
        raw = page.raw_get("/Contents")
        value = resolved(raw)
        parts = list(value) if isinstance(value, ArrayObject) else [raw]
        return [(part, resolved(part)) for part in parts]


def content_size(page: PageObject, where: str, parts: list[tuple[object, object]] | None = None) -> int:
    """The bytes of the page's content streams (`parts`, when already read) once inflated; refused when it is
    not streams or too big."""
    total = 0
    for part, stream in content_parts(page, where) if parts is None else parts:
        if not isinstance(stream, StreamObject):
            dangling = stream is None or isinstance(stream, NullObject)
            target = f" (object {part.idnum}, which is not in the file)" if dangling and hasattr(part, "idnum") else ""
            raise DamagedPDF(f"{where}: its /Contents must be a content stream and is {shown(stream)}{target}; "
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
    with reading(where):
        filters = stream.get("/Filter")
        first = filters[0] if isinstance(filters, ArrayObject) and filters else filters
    if first != "/FlateDecode":
        return _decoded_size(stream, where)
    inflater = zlib.decompressobj()
    try:
        size = len(inflater.decompress(encoded_bytes(stream), MAX_INFLATED + 1))
    except zlib.error as error:
        raise _undecodable(where, error) from None
    if not inflater.eof and not inflater.unconsumed_tail:
        raise _undecodable(where, "the compressed data ends early")
    return size


def _decoded_size(stream: StreamObject, where: str) -> int:
    """The length of a stream pypdf decodes (any filter but Flate), bounded by its own limit."""
    try:
        return len(stream.get_data())
    except LimitReachedError:
        return MAX_INFLATED + 1
    except (zlib.error, NotImplementedError, PyPdfError, ValueError) as error:
        raise _undecodable(where, error) from None
    except READ_ERRORS as error:
        raise damaged(where, error) from None


def _undecodable(where: str, error: object) -> DamagedPDF:
    return DamagedPDF(f"{where}: a content stream cannot be decoded ({str(error)[:100]}); "
                      "make the PDF again, or repair it with qpdf")  # fmt: skip


def encoded_bytes(stream: StreamObject) -> bytes:
    """A stream's bytes as written in the file, still compressed."""
    # Private: pypdf has no public accessor for the encoded bytes; get_data() decodes them (and a bomb with them).
    return stream._data  # noqa: SLF001


def resolved(value: object) -> object:
    """The object a reference points to; None when it points nowhere (pypdf in strict mode raises then)."""
    try:
        return value.get_object()
    except PdfReadError:
        return None
