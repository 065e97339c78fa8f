"""`samizdat new DIR`: a project to start from, holding only content/ and a commented samizdat.yaml.

It has no layouts/ nor fonts/: it builds with samizdat's built-in ones
(samizdat.layers). To change one file of the look, copy that one file of the
built-in layouts into DIR/layouts/ at the same place and edit it there.
"""

from __future__ import annotations

from pathlib import Path

from samizdat.errors import UsageError
from samizdat.layers import BUILTIN_LAYOUTS

EXAMPLE = """\
---
# An example document: replace it with your own text (or add more files like it in content/).
title: 'An Example Pamphlet'
subtitle: 'What a document of samizdat looks like: front matter, then Markdown'
author: 'Your Group'
lang: en
slogans:
  - 'Write your slogan here!'
---

This is an example document made by `samizdat new`. Replace this text with
your own: each paragraph is plain text, separated from the next by a blank line.

## A section heading

Text can be *emphasised* or **strong**, and a link such as
<https://example.org> gets its address printed in the paper editions.

- a list
- of points
"""

CONFIG = """\
# samizdat.yaml: settings for every document of this project. Every line below is
# commented out, so the defaults apply; remove the '#' to choose otherwise.

# sheet: A4            # the home printers' paper for the booklet: A4, A3 or Letter
# duplex: short        # how those printers flip the sheet: short or long
# cover: bold          # the covers' design: bold or quiet
# url: https://example.org/my-pamphlet   # the online copy: on every back cover, with its QR code
# notes: foot          # where notes go: foot (of the page) or end
# links: footnote      # how paper prints links' addresses: footnote, inline or none
# contents: auto       # a table of contents: auto, yes or no
# editions: [large-print, pocket, copier]   # more editions: A4 at 16 pt, A6, black and white
# copier:
#   max_solid: 0.25    # the share of a copier page that solid black may cover
# print:
#   colour: rgb        # the print shop's files: rgb or cmyk
# epub:
#   fonts: embedded    # the EPUB's type: embedded (the shipped fonts, subset) or reader (the e-reader's own)
# posters:
#   sizes: [A3]        # A4, A3, A2, A1, A0, Letter, Tabloid, each optionally landscape
#   url: https://example.org/join        # a QR code in each poster's footer
# impositions:         # more ways to print, besides the A4 booklet
#   - layout: zine
# riso:                # risograph separations: one PDF per ink drum, and a proof
#   inks:
#     black: [ink, muted]     # the colour tokens (layouts/base/tokens.css) each ink prints
#     red: [accent, panel]
# signing:
#   key: ~/.config/samizdat/minisign.key   # signs every build's checksums (samizdat keygen); never in the project
# booklet:             # the booklet for printers that print one side only, and the printer test sheet
#   feed: turn-over    # what is done with the printed stack: turn-over or as-it-lies
#   flip: short        # how the backs land behind the fronts: short or long (the test sheet says)
#   files: two         # SLUG-booklet-a4-fronts.pdf and -backs.pdf; or one, with a page between

# The look: this project uses samizdat's built-in layouts and fonts. To change one
# file, copy it from {layouts}
# into layouts/ here, at the same place (e.g. layouts/pamphlet/pamphlet.css), and
# edit it: samizdat looks in this project's layouts/ first, then in the built-in ones.
"""


#: The project's .gitignore: any key, should one be put here (a signing key belongs outside: samizdat.signing).
GITIGNORE = """\
# A signing key is never committed (samizdat keygen puts it in ~/.config/samizdat/, outside the project).
*.key
"""


def new_project(folder: Path) -> list[Path]:
    """Write the starting project into `folder` (new, or an empty folder); the files written."""
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        what = "is a file" if not folder.is_dir() else "exists and is not empty"
        raise UsageError(f"{folder} {what}: give 'samizdat new' a new or empty folder, so nothing is overwritten")
    files = {
        folder / "content" / "example.md": EXAMPLE,
        folder / "samizdat.yaml": CONFIG.format(layouts=BUILTIN_LAYOUTS),
        folder / ".gitignore": GITIGNORE,
    }
    for path, text in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return list(files)
