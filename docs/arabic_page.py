"""The README's picture of an Arabic pamphlet page: docs/arabic-page.png, made from the test text
tests/data/rtl/ar.md (written for the tests; it translates nothing).

    .venv/bin/python docs/arabic_page.py

It builds that one document into a temporary folder with samizdat's own layouts and fonts and renders the
first text page (page 2, a verso: on the right of its spread in a right-to-left booklet) with pypdfium2.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from docs.covers import render  # noqa: E402
from samizdat.cli import main  # noqa: E402


def make_picture(png: Path = REPO / "docs" / "arabic-page.png") -> None:
    """Build tests/data/rtl/ar.md and render its page 2 into `png`."""
    with tempfile.TemporaryDirectory() as folder:
        output = Path(folder) / "output"
        content = REPO / "tests" / "data" / "rtl"
        code = main(["--project", str(REPO), "--content", str(content), "--output", str(output), "ar"])
        if code:
            raise SystemExit(code)
        render(output / "ar" / "ar-a5.pdf", 1, png, scale=1.5)


if __name__ == "__main__":
    make_picture()
