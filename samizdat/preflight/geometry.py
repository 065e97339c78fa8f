"""Where things are drawn, read with pypdfium2: text and art too close to the trim, and image resolution.

The safe-margin rule, in a printer's words: the guillotine may cut up to a
few millimetres off, so nothing may *stop* near the trim. Text must stay
inside the safe area (the trim less the safe margin). Art — paths, images,
shadings — may either stay inside it or run off the edge (a background or a
picture "bleeding" to the trim or past it, like the accent back cover); what
it may not do is have an edge that ends inside the band between the trim and
the safe area, where a slightly wrong cut leaves a sliver or cuts into it.
Whatever lies wholly outside the trim (crop marks, slug notes) is not content.
"""

from __future__ import annotations

import math

import pypdfium2
import pypdfium2.raw as pdfium_c

from samizdat.messages import plural
from samizdat.paper import MM
from samizdat.preflight.model import ERROR, INFO, WARNING, Box, Expectations, Finding, inside, merged, mm

#: An edge this close to the trim runs to it: a background cut at the trim, give or take rounding.
AT_EDGE = 0.25 * MM
GOOD_PPI = 300
POOR_PPI = 150
FORM_DEPTH = 16  # imposed sheets hold pages as forms; tiles hold the poster as a form
ART = (pdfium_c.FPDF_PAGEOBJ_PATH, pdfium_c.FPDF_PAGEOBJ_IMAGE, pdfium_c.FPDF_PAGEOBJ_SHADING)
ART_NAMES = {
    pdfium_c.FPDF_PAGEOBJ_PATH: "vector art",
    pdfium_c.FPDF_PAGEOBJ_IMAGE: "an image",
    pdfium_c.FPDF_PAGEOBJ_SHADING: "a gradient",
}
EDGES = ("left", "bottom", "right", "top")


def check_geometry(document: pypdfium2.PdfDocument, expect: Expectations) -> list[Finding]:
    """The safe margin (when the kind asks for it) and the resolution of every placed image."""
    margin: list[Finding] = []
    images: list[tuple[int, str, str]] = []
    lowest: float | None = None
    for index in range(len(document)):
        page = document[index]
        trim = _box(page.get_trimbox())
        if expect.check_margin:
            safe = (
                trim[0] + expect.safe_margin_mm * MM,
                trim[1] + expect.safe_margin_mm * MM,
                trim[2] - expect.safe_margin_mm * MM,
                trim[3] - expect.safe_margin_mm * MM,
            )
            margin += _text_in_margin(page, index + 1, trim, safe, expect.safe_margin_mm)
            margin += _art_in_margin(page, index + 1, trim, safe, expect.safe_margin_mm)
        for ppi, problem in _image_resolutions(page, trim):
            lowest = ppi if lowest is None else min(lowest, ppi)
            if problem:
                images.append((index + 1, ERROR if ppi < POOR_PPI else WARNING, problem))
    found = [*margin, *merged("images", images)]
    if lowest is not None:
        found.append(Finding("images", INFO, f"images: the lowest resolution is {lowest:.0f} ppi"))
    return found


def _text_in_margin(page: pypdfium2.PdfPage, number: int, trim: Box, safe: Box, margin_mm: float) -> list[Finding]:
    """Glyphs, by their real outlines, that overlap the trim but reach outside the safe area."""
    textpage = page.get_textpage()
    near: list[tuple[float, str, str]] = []
    count = textpage.count_chars()
    text = textpage.get_text_range(0, count) if count else ""
    if len(text) != count:  # a character pdfium extracts as two (or none): ask one by one
        text = "".join(textpage.get_text_range(index, 1) or " " for index in range(count))
    for index, char in enumerate(text):
        box = textpage.get_charbox(index, loose=False)
        if not char.strip() or box[2] <= box[0] or box[3] <= box[1]:
            continue
        if _overlaps(box, trim) and not inside(box, safe, tolerance=0):
            near.append((*_clearance(box, trim), char))
    if not near:
        return []
    distance, edge, _ = min(near)
    where = f"crosses the {edge} edge of the trim" if distance < 0 else f"{mm(distance)} from its {edge} edge"
    sample = "".join(char for _, _, char in near)[:30]
    return [
        Finding(
            "safe-margin",
            ERROR,
            f"Page {number}: {len(near)} character{'' if len(near) == 1 else 's'} of text within the {margin_mm:g} mm "
            f"safe margin, the nearest {where} (“{sample}”): the cut may take them off; move the text "
            "inward (wider page margins or padding)",
            number,
        )
    ]


def _art_in_margin(page: pypdfium2.PdfPage, number: int, trim: Box, safe: Box, margin_mm: float) -> list[Finding]:
    """Paths, images and gradients with an edge that stops inside the band between the trim and the safe area."""
    near: list[tuple[float, str, str]] = []
    for thing in page.get_objects(filter=list(ART), max_depth=FORM_DEPTH):
        bounds = _page_bounds(thing)
        if not _overlaps(bounds, trim):
            continue  # crop marks, slug notes
        near += [(distance, edge, ART_NAMES[thing.type]) for distance, edge in _edges_in_band(bounds, trim, safe)]
    if not near:
        return []
    distance, edge, what = min(near)
    return [
        Finding(
            "safe-margin",
            ERROR,
            f"Page {number}: {what} stops {mm(distance)} from the {edge} edge of the "
            f"trim, within the {margin_mm:g} mm safe margin ({plural(len(near), 'such edge')} on the page): a slightly "
            "wrong cut shows a sliver or cuts into it; keep it inside the margin or run it into the bleed",
            number,
        )
    ]


def _edges_in_band(bounds: Box, trim: Box, safe: Box) -> list[tuple[float, str]]:
    """(distance from the trim edge, which edge) for each side of `bounds` that ends inside the margin band."""
    found = []
    for value in (bounds[0], bounds[2]):
        found += [(value - trim[0], "left")] if trim[0] + AT_EDGE < value < safe[0] else []
        found += [(trim[2] - value, "right")] if safe[2] < value < trim[2] - AT_EDGE else []
    for value in (bounds[1], bounds[3]):
        found += [(value - trim[1], "bottom")] if trim[1] + AT_EDGE < value < safe[1] else []
        found += [(trim[3] - value, "top")] if safe[3] < value < trim[3] - AT_EDGE else []
    return found


def _image_resolutions(page: pypdfium2.PdfPage, trim: Box) -> list[tuple[float, str]]:
    """(ppi, problem or "") for each image on the trim, at the size it is placed at (forms' scaling included)."""
    found = []
    for image in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=FORM_DEPTH):
        if not _overlaps(_page_bounds(image), trim):
            continue
        width_px, height_px = image.get_px_size()
        matrix = _page_matrix(image)
        width, height = math.hypot(matrix.a, matrix.b), math.hypot(matrix.c, matrix.d)
        if width <= 0 or height <= 0:
            continue
        ppi = min(width_px / (width / 72), height_px / (height / 72))
        problem = ""
        if ppi < GOOD_PPI:
            problem = (
                f"an image of {width_px} × {height_px} px is placed at {mm(width)} × {mm(height)}, "
                f"{ppi:.0f} ppi; print needs {GOOD_PPI} ppi (under {POOR_PPI} it looks blurred): use a larger "
                f"image or place it at most {mm(width_px / GOOD_PPI * 72)} wide"
            )
        found.append((ppi, problem))
    return found


def _page_matrix(thing: pypdfium2.PdfObject) -> pypdfium2.PdfMatrix:
    """The object's matrix in page space: its own, then each enclosing form's."""
    matrix = thing.get_matrix()
    container = thing.container
    while container is not None:
        matrix = matrix.multiply(container.get_matrix())
        container = container.container
    return matrix


def _page_bounds(thing: pypdfium2.PdfObject) -> Box:
    """The object's bounds in page space (pdfium gives a form's contents in the form's own space)."""
    bounds = thing.get_bounds()
    container = thing.container
    while container is not None:
        bounds = container.get_matrix().on_rect(*bounds)
        container = container.container
    return bounds


def _clearance(box: Box, trim: Box) -> tuple[float, str]:
    """How far a glyph is from the nearest trim edge (negative: across it), and which edge."""
    return min(zip((box[0] - trim[0], box[1] - trim[1], trim[2] - box[2], trim[3] - box[3]), EDGES, strict=True))


def _overlaps(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _box(values: tuple[float, ...]) -> Box:
    x0, y0, x1, y1 = values
    return min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)
