"""Paper sizes, in PostScript points, with the millimetre arithmetic written out."""

from __future__ import annotations

from typing import NamedTuple

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
    "Letter": Paper("Letter", 8.5 * 72, 11 * 72),
    "Tabloid": Paper("Tabloid", 11 * 72, 17 * 72),
}
