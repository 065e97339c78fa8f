"""The copier's check: everything painted pure black or pure white, and solid black within a share of each page.

An office copier prints toner or nothing: any other colour, and any grey, it screens into a pattern of dots
that smears and copies badly, and a large solid comes out streaked. The colours are read from the content
streams (samizdat.pdfio.painted: every operation that leaves a mark, with its colour); the solid areas from a
coarse render with pypdfium2, without anti-aliasing: what is still black once every mark thinner than
SOLID_MM is opened away (text, rules) is solid, and all of a page's solids together must stay within the
share (stricter than the largest alone, and no areas to label). A render sees what the page shows after
clipping, even-odd fills and overlaps (WeasyPrint draws a border as two rectangles filled even-odd, whose
bounding box is not what is black), at some 10 ms a page.
"""

from __future__ import annotations

import pypdfium2
from PIL import ImageFilter
from pypdf import PdfReader

from samizdat.pdfio.painted import is_pure, painted
from samizdat.preflight.model import ERROR, INFO, Expectations, Finding, merged

#: The render's resolution, and how thick a black area must be, both ways, to count as solid.
DPI = 36
SOLID_MM = 3.5
MAX_PIXELS = 2_000_000  # the render's size at most (an A0 page at 36 dpi is 1.7 million)
#: What a colour or a mark that is not pure black or white needs, said once.
FIX_COLOUR = (
    "a copier screens every colour but black and white into dots; write the colour as a --colour-* token in "
    "tokens.css (the copier edition maps each to black or white) or as #000000 in layouts/pamphlet/copier.css"
)
FIX_MARK = (
    "a copier screens it into dots; give the copier edition pure black-and-white art (line art, 1 bit), or hide "
    "it there in layouts/pamphlet/copier.css (e.g. `figure { display: none }`)"
)


def check_copier(reader: PdfReader, document: pypdfium2.PdfDocument, expect: Expectations) -> list[Finding]:
    """Every colour painted pure black or white, and solid black within `expect.max_solid` of each page."""
    if not expect.black_and_white:
        return []
    colours: list[tuple[int, str, str]] = []
    for number, paint in enumerate(painted(reader), 1):
        for colour, uses in sorted(paint.colours.items()):
            if not is_pure(colour):
                colours.append((number, ERROR, f"paints {colour} ({', '.join(sorted(uses))}); {FIX_COLOUR}"))
        colours += [(number, ERROR, f"paints {other}; {FIX_MARK}") for other in dict.fromkeys(paint.others)]
    largest, solids = 0.0, []
    for number in range(len(document)):
        share = solid_share(document[number])
        largest = max(largest, share)
        if share > expect.max_solid:
            solids.append((number + 1, ERROR, f"solid black covers {share:.0%} of the page, over the "
                           f"{expect.max_solid:.0%} allowed (samizdat.yaml's `copier: {{max_solid: …}}`, 25 % by "
                           "default): a copier streaks large solids; draw it as a rule or an outline"))  # fmt: skip
    pure = "everything painted is pure black or white" if not colours else "not only black and white"
    summary = f"{pure}; solid black covers {largest:.0%} of a page at most"
    return [*merged("copier", colours + solids), Finding("copier", INFO, summary)]


def solid_share(page: pypdfium2.PdfPage) -> float:
    """The share of the page that is solid black: dark in a render without anti-aliasing, and still dark once
    every mark thinner than SOLID_MM is opened away (black grows the white first, then grows back)."""
    width, height = page.get_size()
    scale = min(DPI / 72, (MAX_PIXELS / max(width * height, 1)) ** 0.5)  # a poster's page: fewer dots per inch
    image = page.render(
        scale=scale, grayscale=True, no_smoothtext=True, no_smoothimage=True, no_smoothpath=True
    ).to_pil().convert("L")
    size = max(round(SOLID_MM / 25.4 * 72 * scale), 1) | 1  # an odd number of pixels
    opened = image.filter(ImageFilter.MaxFilter(size)).filter(ImageFilter.MinFilter(size))
    dark = sum(opened.point(lambda value: 255 if value < 128 else 0).histogram()[255:])
    return dark / (image.width * image.height)
