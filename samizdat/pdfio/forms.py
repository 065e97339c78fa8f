"""Form XObjects and the writer: a source page made into a form that shares its resources, and what a new PDF
carries over from the one it is made from.

Every source page becomes a Form XObject that shares the source's resources
(fonts, images) and keeps its content stream as it is; each sheet side then
only holds a few `q a b c d e f cm /Pn Do Q` lines. So imposing is fast, and a
booklet is hardly bigger than its source. The page must have been read by
`samizdat.pdfio.read.read_source`, which resolved everything copied here: no
net is needed around this code, and a mistake in it raises as the bug it is.
"""

from __future__ import annotations

from dataclasses import dataclass

from pypdf import PageObject, PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    ByteStringObject,
    DecodedStreamObject,
    DictionaryObject,
    EncodedStreamObject,
    FloatObject,
    IndirectObject,
    NameObject,
    PdfObject,
    TextStringObject,
)

from samizdat.mark import packet
from samizdat.pdfio.damage import DamagedPDF
from samizdat.pdfio.pages import INHERITABLE_DEPTH, encoded_bytes
from samizdat.pdfio.read import SourcePage, catalog_of, info_of


@dataclass(frozen=True)
class Form:
    """A source page turned into a Form XObject, with the box that gets placed."""

    reference: IndirectObject
    box: tuple[float, float, float, float]  # the TrimBox, in the source page's space
    rotate: int  # the source's /Rotate, clockwise degrees


#: What a PDF made from another keeps of its Info: who and what, and its PDF/X identification and dates.
KEPT_INFO = ("/Title", "/Author", "/GTS_PDFXVersion", "/GTS_PDFXConformance", "/CreationDate", "/ModDate")


def add_object(writer: PdfWriter, obj: PdfObject) -> IndirectObject:
    """`obj` written as an indirect object of `writer`: a sheet's contents, a form."""
    # Private: pypdf 7 has no public way to add an object (add_page and friends add their own); _add_object is it.
    return writer._add_object(obj)  # noqa: SLF001


def carry_over(
    reader: PdfReader, writer: PdfWriter, metadata: dict[str, str] | None = None, mark: bytes | None = None
) -> None:
    """The source's title, author and language (for screen readers and preflight), and any `metadata` given;
    `mark`, what the new file is (samizdat.mark), as its XMP metadata."""
    if mark is not None:
        writer.xmp_metadata = packet(mark)
        stream = writer.root_object["/Metadata"].get_object()
        stream.update({NameObject("/Type"): NameObject("/Metadata"), NameObject("/Subtype"): NameObject("/XML")})
    source = info_of(reader)
    writer.add_metadata({key: source[key] for key in KEPT_INFO if key in source} | (metadata or {}))
    if "/Trapped" in source:  # a name, not text
        # Private: add_metadata writes every value as text and writer.metadata is a copy; only the Info
        # dictionary itself (pypdf's _info) takes a name.
        writer._info.get_object()[NameObject("/Trapped")] = NameObject(source["/Trapped"])  # noqa: SLF001
    root = catalog_of(reader)
    if isinstance(root.get("/Lang"), (TextStringObject, ByteStringObject)):
        writer.root_object[NameObject("/Lang")] = TextStringObject(str(root["/Lang"]))
    if isinstance(root.get("/OutputIntents"), ArrayObject):  # a PDF/X file's press profile: still for that press
        writer.root_object[NameObject("/OutputIntents")] = add_object(writer, root["/OutputIntents"].clone(writer))


def set_viewer_preferences(writer: PdfWriter, preferences: dict[str, str]) -> None:
    """The catalog's /ViewerPreferences (print scaling, duplex) as one direct dictionary of names."""
    entries = {NameObject(key): NameObject(value) for key, value in preferences.items()}
    writer.root_object[NameObject("/ViewerPreferences")] = DictionaryObject(entries)


def set_page(writer: PdfWriter, sheet: PageObject, xobjects: DictionaryObject, operators: str) -> None:
    """A new sheet's drawing (`operators`, compressed) and the forms it places."""
    content = DecodedStreamObject()
    content.set_data(operators.encode("ascii"))
    sheet[NameObject("/Contents")] = add_object(writer, content.flate_encode())
    sheet[NameObject("/Resources")] = DictionaryObject({NameObject("/XObject"): xobjects})


def form_for(
    writer: PdfWriter, page: PageObject, spec: SourcePage, keep_bleed: bool, shared: dict[tuple, Form]
) -> Form:
    """The page's form, reusing the one made for an earlier page with the same content, resources and boxes."""
    contents, resources = page.raw_get("/Contents") if "/Contents" in page else None, _raw_inherited(page, "/Resources")
    key = None
    if isinstance(contents, IndirectObject) and isinstance(resources, IndirectObject):
        key = (contents.idnum, resources.idnum, spec.trim, spec.bleed, spec.rotate)
    if key is None or key not in shared:
        form = make_form(writer, page, spec, keep_bleed)
        if key is None:
            return form
        shared[key] = form
    return shared[key]


def make_form(writer: PdfWriter, page: PageObject, spec: SourcePage, keep_bleed: bool) -> Form:
    """The page as a Form XObject clipped to its TrimBox (or BleedBox), sharing its resources.

    `spec` is the page's boxes and turn as `samizdat.pdfio.read` checked them.
    """
    clip = spec.bleed if keep_bleed else spec.trim
    contents = page.get("/Contents")
    contents = contents.get_object() if contents is not None else None
    if isinstance(contents, EncodedStreamObject) and "/Filter" in contents:
        form = EncodedStreamObject()
        # The compressed bytes as they are, no decoding, no re-encoding. Private: pypdf's set_data on an
        # encoded stream re-encodes (and only Flate); the base StreamObject's raw setter is _data.
        form._data = encoded_bytes(contents)  # noqa: SLF001
        for key in ("/Filter", "/DecodeParms"):
            if key in contents:
                form[NameObject(key)] = contents[key].clone(writer)
    else:
        form = DecodedStreamObject()
        form.set_data(page.get_contents().get_data() if contents is not None else b"")
        form = form.flate_encode()
    form.update(
        {
            NameObject("/Subtype"): NameObject("/Form"),
            NameObject("/BBox"): ArrayObject(FloatObject(round(v, 3)) for v in clip),
            NameObject("/Resources"): _cloned_resources(writer, page, spec),
        }
    )
    return Form(add_object(writer, form), spec.trim, spec.rotate)


def _cloned_resources(writer: PdfWriter, page: PageObject, spec: SourcePage) -> object:
    """The page's fonts, images and forms copied into `writer` (read_source has read them all)."""
    # Cloning the reference, not the dictionary, lets pages that share resources share them here too.
    resources = _raw_inherited(page, "/Resources")
    source = resources if isinstance(resources, IndirectObject) else resources.get_object()
    try:
        return source.clone(writer)
    except RecursionError:  # pypdf's clone recurses: a file nested deeper than Python's stack is the file's fault
        raise DamagedPDF(f"{spec.where}: its fonts, images or drawings are nested too deep to be copied; "
                         "make the PDF again, or repair it with qpdf") from None  # fmt: skip


def _raw_inherited(page: PageObject, key: str) -> object:
    """An inherited page attribute as written: an indirect reference stays a reference."""
    node: DictionaryObject = page
    for _ in range(INHERITABLE_DEPTH):  # page trees are shallow; a cycle must not hang us
        if key in node:
            return node.raw_get(key)
        if "/Parent" not in node:
            break
        node = node["/Parent"].get_object()
        if not isinstance(node, DictionaryObject):  # a parent that is no page-tree node: read_source saw none
            break
    return DictionaryObject()
