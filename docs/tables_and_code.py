"""Make docs/tables-and-code.png: the page of the test document (tests/data/constructs.md) with its table, block
quote, code, a footnote and a link, as the print shop's A5 sets it (a link's address printed as a note; the page
cut to its trim box). Run from the repository: `.venv/bin/python docs/tables_and_code.py`."""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

import pypdfium2

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from samizdat.cli import main  # noqa: E402 (the checkout's own samizdat)

#: 150 dpi: sharp enough to judge the setting, small enough for the README.
SCALE = 150 / 72


def make(target: Path) -> None:
    """Build the test document apart from output/ and keep the page that holds its table as a PNG."""
    with tempfile.TemporaryDirectory() as folder:
        content = Path(folder) / "content"
        content.mkdir()
        for name in ("constructs.md", "constructs-picture.png"):
            shutil.copy(REPO / "tests" / "data" / name, content / name)
        if main(["--project", str(REPO), "--content", str(content), "--output", str(Path(folder) / "out")]):
            raise SystemExit("the test document did not build")
        pdf = pypdfium2.PdfDocument(Path(folder) / "out" / "constructs" / "constructs-a5-print.pdf")
        page = next(page for page in pdf if "Marchers" in page.get_textpage().get_text_range())
        page.set_mediabox(*page.get_trimbox())
        image = page.render(scale=SCALE).to_pil().convert("RGB").quantize(colors=64)
        image.save(target, optimize=True)
        pdf.close()


if __name__ == "__main__":
    make(REPO / "docs" / "tables-and-code.png")
