"""The README's picture of a page with footnotes and a printed link: tests/data/notes-and-links.md built into
a temporary folder, the first text page of its print A5 rendered inside the trim to docs/notes-and-links.png.

Run from the repository: .venv/bin/python docs/notes_and_links.py
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

import pypdfium2
from pypdf import PdfReader

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from samizdat.cli import main  # noqa: E402  (the repository's samizdat, not an installed one)

SOURCE = REPO / "tests" / "data" / "notes-and-links.md"
PICTURE = REPO / "docs" / "notes-and-links.png"


def render(page: int = 1, scale: float = 1.5) -> Path:
    """Build the test document and save the print A5's `page` (0: the cover), cropped to its TrimBox."""
    with tempfile.TemporaryDirectory() as folder:
        content, output = Path(folder) / "content", Path(folder) / "output"
        content.mkdir()
        shutil.copy(SOURCE, content)
        if main(["--project", str(REPO), "--content", str(content), "--output", str(output)]) != 0:
            raise SystemExit("the test document did not build")
        pdf_path = output / SOURCE.stem / f"{SOURCE.stem}-a5-print.pdf"
        box = PdfReader(pdf_path).pages[page]
        media, trim = box.mediabox, box.trimbox
        crop = (float(trim.left - media.left), float(trim.bottom - media.bottom),
                float(media.right - trim.right), float(media.top - trim.top))  # fmt: skip
        image = pypdfium2.PdfDocument(pdf_path)[page].render(scale=scale, crop=crop).to_pil()
        image.convert("RGB").quantize(colors=64).save(PICTURE, optimize=True)
    return PICTURE


if __name__ == "__main__":
    print(render())
