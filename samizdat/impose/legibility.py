"""How big the text comes out once an imposition has shrunk the pages, and whether people can still read it.

The body size is read from the source PDF's text, not from the layout's
tokens: `build.py impose` takes any PDF, and what counts is the size actually
set (a document's own CSS may override the token). It is the size that most
characters are set at, with pdfium's character matrices (so a page drawn
scaled is measured as drawn), times the imposition's scale.

Why 7 pt: print captions and footnotes go down to 6–7 pt, but running text
under 7 pt tires most readers, and an office printer at 600 dpi loses the
hairlines of serif type at that size. The zine sets an A5's 10 pt at about
5 pt, the 4-up cut-and-stack at about 7 pt.
"""

from __future__ import annotations

import math
from collections import Counter

import pypdfium2
import pypdfium2.raw as pdfium_c

MIN_READABLE_PT = 7.0
SAMPLED_PAGES = 6  # spread over the document: enough to find the body size, cheap on a long one


def body_size(data: bytes) -> float | None:
    """The font size (points) that most non-blank characters of the PDF are set at; None without text."""
    sizes: Counter[float] = Counter()
    try:
        document = pypdfium2.PdfDocument(data)
    except pypdfium2.PdfiumError:
        return None
    try:
        count = len(document)
        step = max(1, math.ceil(count / SAMPLED_PAGES))
        for index in range(0, count, step):
            sizes.update(_sizes_on(document[index]))
    except pypdfium2.PdfiumError:  # a page pdfium cannot load: the size is not known, say nothing
        return None
    finally:
        document.close()
    return sizes.most_common(1)[0][0] if sizes else None


def _sizes_on(page: pypdfium2.PdfPage) -> Counter[float]:
    textpage = page.get_textpage()
    matrix = pdfium_c.FS_MATRIX()
    sizes: Counter[float] = Counter()
    for index in range(textpage.count_chars()):
        if chr(pdfium_c.FPDFText_GetUnicode(textpage, index)).isspace():
            continue
        if not pdfium_c.FPDFText_GetMatrix(textpage, index, matrix):
            continue
        scale = math.sqrt(abs(matrix.a * matrix.d - matrix.b * matrix.c))
        sizes[round(pdfium_c.FPDFText_GetFontSize(textpage, index) * scale, 1)] += 1
    return sizes


def legibility_warning(name: str, body: float | None, scale: float) -> str | None:
    """A warning when the imposed text is under the readable minimum; None when it is readable or unknown."""
    if body is None or body * scale >= MIN_READABLE_PT:
        return None
    return (
        f"{name}: text set at {body * scale:.1f} pt ({body:g} pt × {scale:.2f}): under {MIN_READABLE_PT:g} pt, "
        "hard to read; print on a larger --sheet, or choose a layout with fewer pages per side"
    )
