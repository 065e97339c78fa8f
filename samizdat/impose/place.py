"""The one pypdf adapter: apply a plan to a PDF, each source page placed once as a Form XObject.

Every source page becomes a Form XObject that shares the source's resources
(fonts, images) and keeps its content stream as it is; each sheet side then
only holds a few `q a b c d e f cm /Pn Do Q` lines. So imposing is fast, and a
booklet is hardly bigger than its source.
"""

from __future__ import annotations

from dataclasses import dataclass

from pypdf import PageObject, PdfReader, PdfWriter, Transformation
from pypdf.generic import (
    ArrayObject,
    ByteStringObject,
    DecodedStreamObject,
    DictionaryObject,
    EncodedStreamObject,
    FloatObject,
    IndirectObject,
    NameObject,
    TextStringObject,
)

from samizdat.impose.compact import compact_writer
from samizdat.impose.plan import MM, Side, Slot
from samizdat.impose.source import READ_ERRORS, Source, SourcePage, catalog_of, damaged, info_of
from samizdat.mark import packet

#: Counter-clockwise quarter turns as (a, b, c, d) of a PDF matrix, exact.
QUARTER_TURNS = {0: (1, 0, 0, 1), 90: (0, 1, -1, 0), 180: (-1, 0, 0, -1), 270: (0, -1, 1, 0)}
MARK_LENGTH = 5 * MM
MARK_GAP = 1 * MM


@dataclass(frozen=True)
class Form:
    """A source page turned into a Form XObject, with the box that gets placed."""

    reference: IndirectObject
    box: tuple[float, float, float, float]  # the TrimBox, in the source page's space
    rotate: int  # the source's /Rotate, clockwise degrees


#: What a PDF made from another keeps of its Info: who and what, and its PDF/X identification and dates.
KEPT_INFO = ("/Title", "/Author", "/GTS_PDFXVersion", "/GTS_PDFXConformance", "/CreationDate", "/ModDate")


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
        writer._info.get_object()[NameObject("/Trapped")] = NameObject(source["/Trapped"])
    root = catalog_of(reader)
    if isinstance(root.get("/Lang"), (TextStringObject, ByteStringObject)):
        writer._root_object[NameObject("/Lang")] = TextStringObject(str(root["/Lang"]))
    if isinstance(root.get("/OutputIntents"), ArrayObject):  # a PDF/X file's press profile: still for that press
        writer._root_object[NameObject("/OutputIntents")] = writer._add_object(root["/OutputIntents"].clone(writer))


def apply_plan(
    source: Source, sides: list[Side], *, keep_bleed: bool = False, marks: bool = False,
    metadata: dict[str, str] | None = None, duplex: str | None = None, mark: bytes | None = None,
) -> bytes:  # fmt: skip
    """Write the imposed PDF: one page per sheet side, each slot filled with its source page.

    `duplex` (/DuplexFlipShortEdge...) goes into the viewer preferences, with
    print scaling off, so that print dialogs offer the right flip at actual size.
    """
    writer = PdfWriter()
    carry_over(source.reader, writer, metadata, mark)
    if duplex:
        preferences = {NameObject("/PrintScaling"): NameObject("/None"), NameObject("/Duplex"): NameObject(duplex)}
        writer._root_object[NameObject("/ViewerPreferences")] = DictionaryObject(preferences)
    forms: dict[int, Form] = {}
    shared: dict[tuple, Form] = {}  # source pages drawn by the same content stream share one form
    for side in sides:
        sheet = writer.add_blank_page(side.width, side.height)
        xobjects = DictionaryObject()
        operators = []
        placed = []
        for slot in side.slots:
            if slot.page is None:
                continue
            if slot.page not in forms:
                page = source.reader.pages[slot.page]
                forms[slot.page] = form_for(writer, page, source.pages[slot.page], keep_bleed, shared)
            form = forms[slot.page]
            name = f"/P{slot.page}"
            xobjects[NameObject(name)] = form.reference
            matrix, rectangle = placement(form, slot)
            cell = f"{_numbers((slot.x, slot.y, slot.width, slot.height))} re W n " if keep_bleed else ""
            operators.append(f"q {cell}{_numbers(matrix)} cm {name} Do Q")  # a kept bleed stops at its cell
            placed.append(rectangle)
        if marks:
            operators += mark_operators(side, placed)
        _set_page(writer, sheet, xobjects, "\n".join(operators))
    return compact_writer(writer)


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

    `spec` is the page's boxes and turn as `samizdat.impose.source` checked them.
    """
    clip = spec.bleed if keep_bleed else spec.trim
    contents = page.get("/Contents")
    contents = contents.get_object() if contents is not None else None
    if isinstance(contents, EncodedStreamObject) and "/Filter" in contents:
        form = EncodedStreamObject()
        form._data = contents._data  # the compressed bytes as they are: no decoding, no re-encoding
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
    return Form(writer._add_object(form), spec.trim, spec.rotate)


def _cloned_resources(writer: PdfWriter, page: PageObject, spec: SourcePage) -> object:
    """The page's fonts, images and forms copied into `writer`: where their objects are first read, whole."""
    # Cloning the reference, not the dictionary, lets pages that share resources share them here too.
    resources = _raw_inherited(page, "/Resources")
    try:
        source = resources if isinstance(resources, IndirectObject) else resources.get_object()
        return source.clone(writer)
    except READ_ERRORS as error:
        raise damaged(f"{spec.where}: its fonts, images or drawings", error) from None


def _raw_inherited(page: PageObject, key: str) -> object:
    """An inherited page attribute as written: an indirect reference stays a reference."""
    node: DictionaryObject = page
    for _ in range(64):  # page trees are shallow; a cycle must not hang us
        if key in node:
            return node.raw_get(key)
        if "/Parent" not in node:
            break
        node = node["/Parent"].get_object()
    return DictionaryObject()


def fit_scale(box: tuple[float, float, float, float], rotate: int, slot: Slot) -> float:
    """How much the page's box must shrink (or grow) to fit the slot, once turned to its place."""
    width, height = box[2] - box[0], box[3] - box[1]
    if (slot.rotation - rotate) % 180:
        width, height = height, width
    return min(slot.width / width, slot.height / height)


def placement(form: Form, slot: Slot) -> tuple[tuple[float, ...], tuple[float, float, float, float]]:
    """The cm matrix that fits the form's trim box in the slot, centred, and the rectangle it covers."""
    x0, y0, x1, y1 = form.box
    width, height = x1 - x0, y1 - y0
    turn = (slot.rotation - form.rotate) % 360
    turned_width, turned_height = (width, height) if turn in (0, 180) else (height, width)
    scale = fit_scale(form.box, form.rotate, slot)
    half_width, half_height = turned_width * scale / 2, turned_height * scale / 2
    centre_x = {
        "left": slot.x + half_width, "centre": slot.x + slot.width / 2, "right": slot.x + slot.width - half_width,
    }[slot.align] + slot.shift  # fmt: skip
    centre_y = slot.y + slot.height / 2
    matrix = (
        Transformation()
        .translate(-(x0 + width / 2), -(y0 + height / 2))
        .transform(Transformation((*QUARTER_TURNS[turn], 0, 0)))
        .scale(scale, scale)
        .translate(centre_x, centre_y)
    )
    rectangle = (centre_x - half_width, centre_y - half_height, centre_x + half_width, centre_y + half_height)
    return matrix.ctm, rectangle


def mark_operators(side: Side, placed: list[tuple[float, float, float, float]]) -> list[str]:
    """Crop marks where there is room around placed pages; cut and fold marks at the sheet's edges."""
    lines = []
    for x0, y0, x1, y1 in placed:
        for x, y, dx, dy in ((x0, y0, -1, -1), (x1, y0, 1, -1), (x0, y1, -1, 1), (x1, y1, 1, 1)):
            lines.append((x + dx * MARK_GAP, y, x + dx * (MARK_GAP + MARK_LENGTH), y))
            lines.append((x, y + dy * MARK_GAP, x, y + dy * (MARK_GAP + MARK_LENGTH)))
    crop = [line for line in lines if _clear_of(line, placed, side)]
    edges = []
    for axis, at in side.cuts:
        if axis == "x":
            edges += [(at, 0, at, MARK_LENGTH), (at, side.height, at, side.height - MARK_LENGTH)]
        elif axis == "y":
            edges += [(0, at, MARK_LENGTH, at), (side.width, at, side.width - MARK_LENGTH, at)]
    slit = [(side.width / 4, at, 3 * side.width / 4, at) for axis, at in side.cuts if axis == "zine"]
    folds = [(x, 0, x, MARK_LENGTH) for x in side.folds]
    folds += [(x, side.height, x, side.height - MARK_LENGTH) for x in side.folds]
    operators = ["q 0.25 w 0 0 0 1 K"] + [_line(line) for line in crop + edges] + ["Q"]
    operators += ["q 0.25 w 0 0 0 1 K [2 2] 0 d"] + [_line(line) for line in folds + slit] + ["Q"]
    return operators


def _clear_of(line: tuple[float, ...], placed: list[tuple[float, ...]], side: Side) -> bool:
    """A mark is drawn only inside the sheet and off every placed page."""
    ax, ay, bx, by = line
    if not all(0 < x < side.width for x in (ax, bx)) or not all(0 < y < side.height for y in (ay, by)):
        return False  # off the sheet, or along its very edge where it marks nothing
    low_x, high_x, low_y, high_y = min(ax, bx), max(ax, bx), min(ay, by), max(ay, by)
    return not any(low_x < x1 and high_x > x0 and low_y < y1 and high_y > y0 for x0, y0, x1, y1 in placed)


def _line(line: tuple[float, ...]) -> str:
    ax, ay, bx, by = line
    return f"{_numbers((ax, ay))} m {_numbers((bx, by))} l S"


def _numbers(values: tuple[float, ...]) -> str:
    return " ".join(f"{value:.4f}".rstrip("0").rstrip(".") or "0" for value in values)


def _set_page(writer: PdfWriter, sheet: PageObject, xobjects: DictionaryObject, operators: str) -> None:
    content = DecodedStreamObject()
    content.set_data(operators.encode("ascii"))
    sheet[NameObject("/Contents")] = writer._add_object(content.flate_encode())
    sheet[NameObject("/Resources")] = DictionaryObject({NameObject("/XObject"): xobjects})
