"""The file's own soundness: objects that parse strictly, pages with real sizes, content streams of valid tokens.

A typesetter can write a broken file without failing: an SVG with
`height="nan"` makes WeasyPrint write `83 nan 100 nan re` into a content
stream, which viewers and printers handle each in their own way. Every build
runs these checks on every PDF it makes (so a broken one fails and is not
listed as good), and `build.py check` runs them on any PDF.

Content streams are checked fast: strings, names and comments are blanked
out with regular expressions, and what remains must be numbers in the PDF's
own syntax (no NaN, no exponent) or content operators. Streams with inline
images or deeply nested strings are read token by token with pypdf instead.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable

from pypdf import PageObject, PdfReader
from pypdf.generic import ContentStream, DictionaryObject, FloatObject, IndirectObject, NumberObject, StreamObject

from samizdat.pdfio.damage import READ_ERRORS, DamagedPDF, damaged
from samizdat.pdfio.pages import check_resources, content_size, page_box, page_rotation
from samizdat.pdfio.read import MAX_PAGES
from samizdat.preflight.model import ERROR, Finding, merged

OPERATORS = frozenset(
    b"b B b* B* BDC BI BMC BT BX c cm CS cs d d0 d1 Do DP EI EMC ET EX f F f* G g gs h i ID j J K k l m M MP n q Q "
    b"re RG rg ri s S SC sc SCN scn sh T* Tc Td TD Tf Tj TJ TL Tm Tr Ts Tw Tz v w W W* y ' \" true false null".split()
)
NUMBER = re.compile(rb"[+-]?(?:\d+\.?\d*|\.\d+)")
BLANKED = re.compile(
    rb"\((?:[^()\\]|\\.|\((?:[^()\\]|\\.)*\))*\)"  # a literal string, with one level of nested brackets
    rb"|<[0-9A-Fa-f\s]*>"  # a hex string
    rb"|/[^\s()<>\[\]{}/%]*"  # a name
    rb"|%[^\r\n]*",  # a comment
    re.S,
)
WORD = re.compile(rb"[^\s()<>\[\]{}/%]+")
FORM_DEPTH = 16


def check_structure(reader: PdfReader, strictly: bool) -> list[Finding]:
    """Errors for what makes the file unsound; empty when it is sound. Box errors stop the other checks.

    `strictly` says whether the file could be read by `read_strictly` (or was
    repaired, which preflight reports itself, or is encrypted, which it cannot be).
    """
    if len(reader.pages) > MAX_PAGES:
        return [Finding("structure", ERROR, f"it has {len(reader.pages)} pages; samizdat reads at most {MAX_PAGES}")]
    boxes: list[tuple[int, str, str]] = []
    contents: list[tuple[int, str, str]] = []
    for number, page in enumerate(reader.pages, 1):
        where = f"page {number}"
        if problem := _problem(_check_boxes, page, where):
            boxes.append((number, ERROR, problem))
        if problem := _problem(content_size, page, where):
            contents.append((number, ERROR, problem))
    found = [*merged("boxes", boxes), *merged("structure", contents)]
    if found:
        return found
    if not strictly:
        text = "the file's objects do not all parse by the letter of the PDF standard; make it again"
        found.append(Finding("structure", ERROR, f"{text} — a viewer or printer may show it wrong or not at all"))
    return [*found, *_content_problems(reader)]


def _check_boxes(page: PageObject, where: str) -> None:
    if page_box(page, "/MediaBox", where) is None:
        raise DamagedPDF("there is no MediaBox, so the page has no size; make the PDF again")
    for key in ("/CropBox", "/BleedBox", "/TrimBox"):
        page_box(page, key, where)
    page_rotation(page, where)
    check_resources(page, where)


def _problem(check: Callable[[PageObject, str], object], page: PageObject, where: str) -> str | None:
    """What is wrong, as `check` says it (without the page, which the finding names), or None."""
    try:
        check(page, where)
    except DamagedPDF as error:
        return error.message.removeprefix(f"{where}: ")
    except READ_ERRORS as error:  # a value that points nowhere, read strictly
        return damaged("the page", error).message
    return None


def read_strictly(data: bytes) -> PdfReader | None:
    """The file read by pypdf in strict mode with every object in its cross-reference table parsed; None if not."""
    try:
        strict = PdfReader(io.BytesIO(data), strict=True)
        if strict.is_encrypted:
            return None
        # Lists, not the tables themselves: reading a damaged object can make pypdf add to them as they are walked.
        for generation, numbers in list(strict.xref.items()):
            for number in list(numbers):
                strict.get_object(IndirectObject(number, generation, strict))
        for number in list(strict.xref_objStm):
            strict.get_object(IndirectObject(number, 0, strict))
    except READ_ERRORS:
        return None
    return strict


def _content_problems(reader: PdfReader) -> list[Finding]:
    problems: list[tuple[int, str, str]] = []
    for number, page in enumerate(reader.pages, 1):
        streams = [page.get_contents()] if "/Contents" in page else []
        streams += _forms(page.get("/Resources"), set(), 0)
        for stream in streams:
            if stream is not None and (bad := bad_tokens(stream)):
                shown = ", ".join(repr(word.decode("latin-1"))[:30] for word in bad[:3])
                text = f"a content stream holds {shown} where numbers or operators must be"
                problems.append((number, ERROR, f"{text} (a NaN or infinite size in the source?); fix what made it"))
    return merged("structure", problems)


def _forms(resources: object, seen: set[int], depth: int) -> list[StreamObject]:
    """The Form XObjects and tiling patterns a page draws, nested ones too, each once."""
    resources = resources.get_object() if resources is not None else None
    if not isinstance(resources, DictionaryObject) or depth > FORM_DEPTH:
        return []
    found = []
    for group in ("/XObject", "/Pattern"):
        entries = resources.get(group)
        entries = entries.get_object() if entries is not None else None
        for reference in (entries or {}).values() if isinstance(entries, DictionaryObject) else ():
            stream = reference.get_object()
            key = reference.idnum if isinstance(reference, IndirectObject) else id(stream)
            if key in seen or not isinstance(stream, StreamObject) or stream.get("/Subtype") == "/Image":
                continue
            seen.add(key)
            found.append(stream)
            found += _forms(stream.get("/Resources"), seen, depth + 1)
    return found


def bad_tokens(stream: StreamObject) -> list[bytes]:
    """The words of a content stream that are neither PDF numbers nor operators.

    >>> from pypdf.generic import DecodedStreamObject
    >>> stream = DecodedStreamObject(); stream.set_data(b"q (a (b) c) Tj 83 nan 100 nan re /F1 12 Tf Q")
    >>> bad_tokens(stream)
    [b'nan']
    """
    data = stream.get_data()
    cleaned = BLANKED.sub(b" ", data)
    if b"(" in cleaned or b")" in cleaned or re.search(rb"(?<![^\s\]>)])ID(?=\s)", cleaned):
        return _bad_operations(stream)
    words = set(WORD.findall(cleaned))
    lenient = b"BX" in words  # a compatibility section may hold operators of later PDF versions
    return sorted(
        word
        for word in words - OPERATORS
        if not NUMBER.fullmatch(word) and not (lenient and word[:1] not in b"0123456789+-.")
    )


def _bad_operations(stream: StreamObject) -> list[bytes]:
    """The slow way, for streams with inline images or deeply nested strings: pypdf's own parser."""
    try:
        operations = ContentStream(stream, None).operations
    except READ_ERRORS as error:
        return [str(error).encode()[:40]]
    bad = []
    for operands, operator in operations:
        if operator not in OPERATORS and operator != b"INLINE IMAGE":
            bad.append(operator)
        bad += [str(value).encode() for value in operands if _not_finite(value)]
    return sorted(set(bad))


def _not_finite(value: object) -> bool:
    return isinstance(value, (NumberObject, FloatObject)) and not abs(float(value)) < float("inf")
