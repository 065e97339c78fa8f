"""Paper sizes, in PostScript points, with the millimetre arithmetic written out."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import NamedTuple

from samizdat.errors import SamizdatError

MM = 72 / 25.4  # points per millimetre


class Paper(NamedTuple):
    """A sheet size in points, portrait (width < height)."""

    name: str
    width: float
    height: float

    @classmethod
    def from_mm(cls, name: str, width_mm: float, height_mm: float) -> Paper:
        return cls(name, width_mm * MM, height_mm * MM)

    def oriented(self, landscape: bool) -> tuple[float, float]:
        return (self.height, self.width) if landscape else (self.width, self.height)


PAPERS = {
    "A0": Paper.from_mm("A0", 841, 1189),
    "A1": Paper.from_mm("A1", 594, 841),
    "A2": Paper.from_mm("A2", 420, 594),
    "A3": Paper.from_mm("A3", 297, 420),
    "A4": Paper.from_mm("A4", 210, 297),
    "A5": Paper.from_mm("A5", 148, 210),
    "A6": Paper.from_mm("A6", 105, 148),
    "Letter": Paper("Letter", 8.5 * 72, 11 * 72),
    "Tabloid": Paper("Tabloid", 11 * 72, 17 * 72),
}

#: Names people write for poster sizes; "landscape" may follow.
POSTER_SIZES = ("A4", "A3", "A2", "A1", "A0", "Letter", "Tabloid")


@dataclass(frozen=True)
class PosterSize:
    name: str  # "A3", "A2-landscape"
    width_mm: float
    height_mm: float

    @property
    def page_name(self) -> str:
        return "poster-" + self.name.lower()


def poster_size(name: str) -> PosterSize:
    """ "A3", "a2 landscape", "Tabloid-landscape" → a PosterSize; a clear error for anything else."""
    match = re.fullmatch(r"\s*([A-Za-z0-9]+)(?:[\s_-]+(portrait|landscape))?\s*", name)
    paper = next((PAPERS[key] for key in POSTER_SIZES if match and key.lower() == match.group(1).lower()), None)
    if paper is None:
        valid = ", ".join(POSTER_SIZES)
        raise SamizdatError(f"unknown poster size '{name}': choose {valid}, each optionally followed by 'landscape'")
    landscape = match.group(2) == "landscape"
    width, height = paper.oriented(landscape)
    return PosterSize(paper.name + ("-landscape" if landscape else ""), width / MM, height / MM)


def paper_name(width: float, height: float) -> str:
    """The paper's name from a page's TrimBox in points; millimetres when it has no name.

    >>> paper_name(419.53, 595.28), paper_name(1190.55, 841.89), paper_name(283.46, 283.46)
    ('A5', 'A3 landscape', '100 × 100 mm')
    """
    for paper in PAPERS.values():
        for landscape in (False, True):
            w, h = paper.oriented(landscape)
            if abs(w - width) < 1 and abs(h - height) < 1:
                return paper.name + (" landscape" if landscape else "")
    return f"{width / MM:.0f} × {height / MM:.0f} mm"
