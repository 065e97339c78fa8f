"""Crop marks outside the bleed, drawn into the PDF as WeasyPrint writes it (samizdat.pdf's finisher)."""

from __future__ import annotations

import pydyf

MM = 72 / 25.4
#: Crop marks sit outside the bleed: they start this far from the trim edge...
MARK_START = 3 * MM
#: ...end this far from it, and the sheet (MediaBox) stops a little further out.
MARK_END = 9 * MM
SLUG = 10 * MM
MARK_WIDTH = 0.25

def add_crop_marks(pdf: pydyf.PDF) -> None:
    """WeasyPrint finisher: widen each page's sheet past the bleed and draw crop marks there.

    WeasyPrint's own `marks: crop` draws inside the bleed, where the background
    runs; print shops want them outside it, so the MediaBox grows by a slug
    and the page's own drawing is clipped to its BleedBox.
    """
    for page in [obj for obj in pdf.objects if isinstance(obj, pydyf.Dictionary) and obj.get("Type") == "/Page"]:
        left, top, right, bottom = (float(value) for value in page["TrimBox"])
        bleed = [float(value) for value in page["BleedBox"]]
        page["MediaBox"] = pydyf.Array([left - SLUG, top - SLUG, right + SLUG, bottom + SLUG])
        clip = pydyf.Stream()
        clip.push_state()
        clip.rectangle(bleed[0], bleed[1], bleed[2] - bleed[0], bleed[3] - bleed[1])
        clip.clip()
        clip.end()
        marks = pydyf.Stream(compress=True)
        marks.pop_state()
        marks.set_line_width(MARK_WIDTH)
        marks.stream.append(b"0 0 0 1 K")
        for x in (left, right):
            for y in (top, bottom):
                outward_x = -1 if x == left else 1
                outward_y = -1 if y == top else 1
                marks.move_to(x + outward_x * MARK_START, y)
                marks.line_to(x + outward_x * MARK_END, y)
                marks.move_to(x, y + outward_y * MARK_START)
                marks.line_to(x, y + outward_y * MARK_END)
        marks.stroke()
        pdf.add_object(clip)
        pdf.add_object(marks)
        page["Contents"] = pydyf.Array([clip.reference, page["Contents"], marks.reference])
