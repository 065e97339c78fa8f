"""The separations seen as a riso prints them: their pages rendered, the riso's limits checked, the proof made.

Each separation's pages are rendered in grey (pypdfium2), cut to the trim.
The limits are read from those renders: nothing painted within 5 mm of the
trim (the machine's grippers hold the paper's edge), and no solid (over half
the ink's strength) over more than 85 % of a page's area in one ink (a solid
that large smears and sticks the sheets together; a light tint does not). The proof lays the drums over one another as
ink does on paper: each drum's grey lets through its ink's colour in
proportion (a "screen" of the grey and the ink), and the drums multiply.
"""

from __future__ import annotations

from dataclasses import dataclass

import pypdfium2 as pdfium
from PIL import Image, ImageChops

DPI = 96  # renders for the checks and the proof: 0.26 mm a pixel
MARGIN_MM = 5.0
MOST_PAINTED = 0.85
PAINTED = 242  # a pixel lighter than this (under 5 % of the ink) is paper
SOLID = 128  # a pixel darker than this (over half of the ink) is part of a solid; a light tint is not
PROOF_GAP = 12  # pixels of grey between the proof's pages
GAP_GREY = (208, 208, 208)


@dataclass(frozen=True)
class Drum:
    """One separation as rendered: its ink's name and colour, its PDF, and each page's grey render (the trim)."""

    ink: str
    colour: str
    data: bytes
    pages: tuple[Image.Image, ...]


def rendered(data: bytes) -> tuple[Image.Image, ...]:
    """Each page of a PDF in grey ("L"), cut to its TrimBox, at DPI."""
    scale, pages = DPI / 72, []
    document = pdfium.PdfDocument(data)
    try:
        for page in document:
            left, bottom, right, top = page.get_trimbox()
            crop_left, _, _, crop_top = page.get_cropbox()
            image = page.render(scale=scale).to_pil().convert("L")  # the drums are grey: R = G = B
            box = [round((left - crop_left) * scale), round((crop_top - top) * scale),
                   round((right - crop_left) * scale), round((crop_top - bottom) * scale)]  # fmt: skip
            pages.append(image.crop(box))
            page.close()
    finally:
        document.close()
    return tuple(pages)


def painted_box(page: Image.Image) -> tuple[int, int, int, int] | None:
    """The box (left, top, right, bottom, pixels) of all that is painted on a grey page; None for a blank one."""
    return page.point(lambda value: 255 if value < PAINTED else 0).getbbox()


def limits_broken(drum: Drum, file: str) -> list[str]:
    """What in one separation a riso cannot print: paint nearer the edge than 5 mm, a solid over 85 % of a page."""
    problems, per_mm = [], DPI / 25.4
    for number, page in enumerate(drum.pages, start=1):
        box = painted_box(page)
        if box is None:
            continue
        width, height = page.size
        gaps = {"left": box[0], "top": box[1], "right": width - box[2], "bottom": height - box[3]}
        side, gap = min(gaps.items(), key=lambda item: item[1])
        if gap / per_mm < MARGIN_MM - 0.3:  # a pixel of rounding
            problems.append(f"{file}, page {number}: the {drum.ink} ink paints {gap / per_mm:.1f} mm from the {side} "
                            f"edge; a risograph needs {MARGIN_MM:.0f} mm clear on every side: keep all of the page "
                            "inside that")  # fmt: skip
        share = sum(page.histogram()[:SOLID]) / (width * height)
        if share > MOST_PAINTED:
            problems.append(f"{file}, page {number}: the {drum.ink} ink is solid over {share:.1%} of the page; a "
                            f"risograph smears a solid over {MOST_PAINTED:.0%} of it: leave more of the page paper, or "
                            "a light tint")  # fmt: skip
    return problems


def proof_pages(count: int) -> list[int]:
    """Which pages the proof shows (0-based): the front cover, the first two pages after it, the back cover.

    >>> proof_pages(12), proof_pages(2)
    ([0, 1, 2, 11], [0, 1])
    """
    return sorted({0, 1, 2, count - 1} & set(range(count)))


def ink_layer(page: Image.Image, colour: str) -> Image.Image:
    """One drum's page as its ink on white paper: white stays white, black gives the ink's full colour."""
    rgb = tuple(int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return ImageChops.screen(page.convert("RGB"), Image.new("RGB", page.size, rgb))


def proof(drums: list[Drum]) -> Image.Image:
    """The chosen pages side by side, each the drums' layers multiplied (ink over ink darkens, as on paper)."""
    chosen = proof_pages(len(drums[0].pages))  # every drum has as many (samizdat.riso.separations)
    width, height = drums[0].pages[0].size
    sheet = Image.new("RGB", (len(chosen) * (width + PROOF_GAP) - PROOF_GAP, height), GAP_GREY)
    for place, index in enumerate(chosen):
        page = ink_layer(drums[0].pages[index], drums[0].colour)
        for drum in drums[1:]:
            page = ImageChops.multiply(page, ink_layer(drum.pages[index], drum.colour))
        sheet.paste(page, (place * (width + PROOF_GAP), 0))
    return sheet
