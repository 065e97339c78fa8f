"""Make docs/right-bound-sheet.png: the outer side of a right-bound booklet's first sheet, as `impose --bind right`
lays it out on A4 (an 8-page A5 test PDF of big page numbers, fold mark drawn). Run from the repository:
`.venv/bin/python docs/right_bound_sheet.py`."""

from __future__ import annotations

import sys
from pathlib import Path

import pypdfium2
from weasyprint import HTML

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from samizdat.impose import ImposeOptions  # noqa: E402 (the checkout's own samizdat)
from samizdat.impose.imposer import impose  # noqa: E402

#: 100 dpi: the whole A4 sheet readable in the README at a glance.
SCALE = 100 / 72
FONT = (REPO / "samizdat" / "fonts" / "noto-sans" / "NotoSans-Bold.ttf").as_uri()
LABELS = {1: "front cover<br>the fold on its right →", 8: "back cover<br>← the fold on its left"}
STYLE = f"""
@font-face {{ font-family: Sans; src: url({FONT}); }}
@page {{ size: A5; margin: 0; }}
body {{ margin: 0; font-family: Sans; }}
section {{ height: 210mm; border: 0.6mm solid #999; box-sizing: border-box; display: flex; flex-direction: column;
          align-items: center; justify-content: center; break-after: page; }}
b {{ font-size: 150pt; line-height: 1; }}
p {{ font-size: 18pt; margin: 0; color: #555; text-align: center; }}
"""


def numbered_pages(count: int = 8) -> bytes:
    """An A5 PDF whose page k shows k, large, and what it is (the covers)."""
    sections = "".join(f"<section><b>{k}</b><p>{LABELS.get(k, 'page')}</p></section>" for k in range(1, count + 1))
    return HTML(string=f"<html lang=en><style>{STYLE}</style><body>{sections}</body></html>").write_pdf()


def make(target: Path) -> None:
    """Impose the numbered pages bound on the right and keep the first sheet side (its outer side) as a PNG."""
    sheets = impose(numbered_pages(), ImposeOptions(bind="right", marks=True), name="numbered pages").data
    pdf = pypdfium2.PdfDocument(sheets)
    image = pdf[0].render(scale=SCALE).to_pil().convert("RGB").quantize(colors=16)
    image.save(target, optimize=True)
    pdf.close()


if __name__ == "__main__":
    make(REPO / "docs" / "right-bound-sheet.png")
