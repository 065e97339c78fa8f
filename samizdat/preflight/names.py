"""What each of samizdat's outputs must be, told by its file name."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import PurePath

from samizdat.paper import PAPERS
from samizdat.preflight.model import Expectations

PRINT_BLEED_MM = 3.0  # layouts/base/bleed.css
SHEET = r"(?P<paper>a[0-6]|letter|tabloid)"
POSTER = r"(?P<paper>a[0-4]|letter|tabloid)(?:-landscape)?"  # no A5 posters: "-a5" is the pamphlet

#: (pattern on the file name's stem, what that output must be): the first match wins.
#: The screen PDF is tagged (PDF/UA-1) for screen readers; the files made from it (impositions) are not.
RULES: tuple[tuple[str, Callable[[str], Expectations]], ...] = (
    (rf"-tiled-{SHEET}$", lambda paper: Expectations("tiled", check_margin=False, paper=paper)),
    (
        rf"-booklet(?:-sig\d+)?-{SHEET}$",
        lambda paper: Expectations("booklet", booklet=True, check_margin=False, paper=paper),
    ),
    (rf"-(?:cutstack|repeat)-\d+up-{SHEET}$", lambda paper: Expectations("imposed", check_margin=False, paper=paper)),
    (rf"-zine-{SHEET}$", lambda paper: Expectations("imposed", check_margin=False, paper=paper)),
    (  # the print shop binds it as a booklet: its blanks are in it (samizdat.impose.blanks)
        r"-(?P<paper>a5)-print$",
        lambda paper: Expectations("print", bleed_mm=PRINT_BLEED_MM, booklet=True, paper=paper),
    ),
    (r"-(?P<paper>a5)$", lambda paper: Expectations("screen", tagged=True, paper=paper)),
    (rf"-{POSTER}-print$", lambda paper: Expectations("poster-print", bleed_mm=PRINT_BLEED_MM, paper=paper)),
    (rf"-{POSTER}$", lambda paper: Expectations("poster", paper=paper)),
)


def expectations_for(path_name: str) -> Expectations:
    """What the output named `path_name` must be; a generic check for names samizdat does not make.

    >>> expectations_for("out/x/x-a5-print.pdf").bleed_mm, expectations_for("x-booklet-a4.pdf").booklet
    (3.0, True)
    >>> expectations_for("posters/no-war-a2-landscape.pdf").kind, expectations_for("scan.pdf").kind
    ('poster', 'generic')
    """
    stem = PurePath(path_name).stem.lower()
    for pattern, expectations in RULES:
        match = re.search(pattern, stem)
        if match:
            return expectations(next(name for name in PAPERS if name.lower() == match["paper"]))
    return Expectations("generic")
