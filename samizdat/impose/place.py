"""Applying a plan to a PDF: each sheet side's slots filled with source pages, placed as Form XObjects.

The forms and the writer are `samizdat.pdfio`'s (the one module that handles
pypdf's objects); this module only computes where each form goes (a `cm`
matrix per slot) and the printer's marks, and writes each side's few lines.
"""

from __future__ import annotations

from pypdf import PdfWriter, Transformation
from pypdf.generic import DictionaryObject, NameObject

from samizdat.impose.plan import MM, Side, Slot
from samizdat.pdfio.forms import Form, carry_over, form_for, set_page, set_viewer_preferences
from samizdat.pdfio.pack import compact_writer
from samizdat.pdfio.read import Source

__all__ = ["Form", "apply_plan", "fit_scale", "mark_operators", "placement"]

#: Counter-clockwise quarter turns as (a, b, c, d) of a PDF matrix, exact.
QUARTER_TURNS = {0: (1, 0, 0, 1), 90: (0, 1, -1, 0), 180: (-1, 0, 0, -1), 270: (0, -1, 1, 0)}
MARK_LENGTH = 5 * MM
MARK_GAP = 1 * MM


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
        set_viewer_preferences(writer, {"/PrintScaling": "/None", "/Duplex": duplex})
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
        set_page(writer, sheet, xobjects, "\n".join(operators))
    return compact_writer(writer)


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
