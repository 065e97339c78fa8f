"""What a preflight expects of a PDF and what it finds: plain values shared by every check."""

from __future__ import annotations

from dataclasses import dataclass

from samizdat.paper import MM

ERROR, WARNING, INFO = "error", "warning", "info"
SEVERITIES = (ERROR, WARNING, INFO)
#: Kinds read on screen (or printed as they are at home): the page is the trim, with no bleed around it.
NO_BLEED_KINDS = ("screen", "poster", "copier")

Box = tuple[float, float, float, float]  # left, bottom, right, top in points


@dataclass(frozen=True)
class Expectations:
    """What an output's kind requires: its row's `expect` in samizdat.catalogue, on the paper the file says
    (samizdat.preflight.names: the kind the file carries, or its name for a file that carries none).

    `booklet` means the pages are folded into a saddle-stitched booklet. For the
    imposed booklet (kind "booklet", two pages on each sheet side) the sheet
    sides must be even — every sheet printed on both sides, so 2 × sides is a
    multiple of 4 —; for any other kind the page count itself must be a
    multiple of 4, as a print shop folding these pages needs.
    """

    kind: str  # "screen", "print", "booklet", "imposed", "poster", "poster-print", "tiled", or anything
    bleed_mm: float = 0.0  # required bleed on every side; 0: none required (and none allowed on screen kinds)
    safe_margin_mm: float = 3.0  # no text or art may stop closer than this to the trim
    cmyk: bool = False  # the print profile asks for CMYK, so RGB colour is an error
    booklet: bool = False
    tagged: bool = False  # structure tags required (for screen readers)
    check_margin: bool = True  # False for sheets that carry other pages (imposed, tiled): those were checked
    paper: str = ""  # the trim's paper name ("A5", "A4"...), either orientation; empty: any size
    black_and_white: bool = False  # everything painted pure black or white (a copier's file: samizdat.variants)
    max_solid: float = 1.0  # the share of a page solid black may cover (black_and_white files)


@dataclass(frozen=True)
class Finding:
    """One thing preflight found: an error fails the file, a warning asks for a look, an info just tells."""

    check: str  # "read", "boxes", "page-count", "fonts", "safe-margin", "images", "colour", "metadata", "tags"
    severity: str  # "error" | "warning" | "info"
    message: str  # what, where, how to fix
    page: int | None = None  # 1-based


def mm(points: float) -> str:
    """A length in points as millimetres for people: one decimal, no "-0.0".

    >>> mm(8.5039), mm(-0.01)
    ('3.0 mm', '0.0 mm')
    """
    value = round(points / MM, 1)
    return f"{value if value else 0.0:.1f} mm"


def page_list(numbers: list[int]) -> str:
    """1-based page numbers as people write them.

    >>> page_list([1]), page_list([1, 2, 3, 5, 7, 8])
    ('page 1', 'pages 1–3, 5, 7–8')
    """
    runs: list[list[int]] = []
    for number in sorted(set(numbers)):
        if runs and number == runs[-1][-1] + 1:
            runs[-1].append(number)
        else:
            runs.append([number])
    text = ", ".join(f"{run[0]}–{run[-1]}" if len(run) > 1 else str(run[0]) for run in runs)
    return ("pages " if len(numbers) > 1 else "page ") + text


def inside(inner: Box, outer: Box, tolerance: float = 0.05) -> bool:
    """Whether `inner` lies within `outer`, give or take `tolerance` points of rounding."""
    return (
        inner[0] >= outer[0] - tolerance
        and inner[1] >= outer[1] - tolerance
        and inner[2] <= outer[2] + tolerance
        and inner[3] <= outer[3] + tolerance
    )


def merged(check: str, problems: list[tuple[int, str, str]]) -> list[Finding]:
    """(page, severity, text) problems as findings, one per distinct text naming every page that has it.

    Eight pages with the same wrong bleed make one finding, not eight; `page` is the first of them.
    """
    pages: dict[tuple[str, str], list[int]] = {}
    for number, severity, text in problems:
        pages.setdefault((severity, text), []).append(number)
    return [
        Finding(check, severity, f"{page_list(numbers).capitalize()}: {text}", numbers[0])
        for (severity, text), numbers in pages.items()
    ]
