"""The README's pictures of the covers: docs/cover-bold.png, docs/cover-quiet.png and docs/back-cover.png
(and docs/cover.png, the default design's front, at the README's top).

    .venv/bin/python docs/covers.py            # the three pictures, from the statement in content/
    .venv/bin/python docs/covers.py --all DIR  # also every cover to look at: both designs, en and ru, screen
                                               # and print (with bleed and crop marks), front and back

Each design is built in a throwaway project (this repository's layouts and fonts, the statement with an
example blurb and imprint, a samizdat.yaml choosing the design and the online copy's address), then pages
are rendered with pypdfium2.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

import pypdfium2

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from samizdat.cli import main  # noqa: E402 - after the path is set, so this checkout's samizdat is used

URL = "https://example.org/stop-the-war"
#: Fields the statement does not give, added for the pictures (a blurb and an imprint, both invented examples).
EXTRA = (
    "blurb: 'Why the war against Ukraine and the dictatorship in Russia end together, and what it takes.'\n"
    "imprint: 'Example imprint: printed for free distribution.'\n"
)
RUSSIAN = """\
---
title: Нет войне — нет диктатуре
subtitle: Заявление о том, как добиться мира, и о том, что делать сейчас
author: Пример коллектива
lang: ru
blurb: Короткое заявление о войне, о диктатуре и о том, что каждый может сделать уже сегодня.
imprint: Отпечатано для свободного распространения. Пример коллектива, 2026.
slogans:
  - Библиотеки, а не бомбы!
  - Нет войне!
  - Свободу политзаключённым!
---

Текст заявления.
"""


def build(root: Path, design: str) -> Path:
    """A project at `root` choosing `design`, built; its output folder."""
    shutil.copytree(REPO / "layouts", root / "layouts")
    shutil.copytree(REPO / "fonts", root / "fonts")
    (root / "content").mkdir()
    statement = (REPO / "content" / "stop-the-war.md").read_text(encoding="utf-8")
    statement = statement.replace("\nslogans:", f"\n{EXTRA}slogans:", 1)  # the back cover's every slot shown
    (root / "content" / "stop-the-war.md").write_text(statement, encoding="utf-8")
    (root / "content" / "net-voine.md").write_text(RUSSIAN, encoding="utf-8")
    (root / "samizdat.yaml").write_text(f"cover: {design}\nurl: {URL}\n", encoding="utf-8")
    if main(["--project", str(root)]) != 0:
        raise SystemExit(f"the {design} build failed")
    return root / "output"


def render(pdf: Path, page: int, png: Path, scale: float = 1.0) -> None:
    """One page (negative: from the end) as a PNG."""
    document = pypdfium2.PdfDocument(pdf)
    document[page % len(document)].render(scale=scale).to_pil().convert("RGB").save(png, optimize=True)


def make(argv: list[str] | None = None) -> None:
    """Build each design and write the pictures."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--all", type=Path, help="also write every cover into this folder, to look at")
    arguments = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as temporary:
        for design in ("bold", "quiet"):
            output = build(Path(temporary) / design, design)
            render(output / "stop-the-war/stop-the-war-a5.pdf", 0, REPO / f"docs/cover-{design}.png")
            if design == "bold":
                render(output / "stop-the-war/stop-the-war-a5.pdf", 0, REPO / "docs/cover.png")
                render(output / "stop-the-war/stop-the-war-a5.pdf", -1, REPO / "docs/back-cover.png")
            if arguments.all:
                arguments.all.mkdir(parents=True, exist_ok=True)
                for slug in ("stop-the-war", "net-voine"):
                    for suffix in ("a5", "a5-print"):
                        for page, side in ((0, "front"), (-1, "back")):
                            name = f"{design}-{slug}-{suffix}-{side}.png"
                            render(output / slug / f"{slug}-{suffix}.pdf", page, arguments.all / name, 2)


if __name__ == "__main__":
    make()
