"""A project: where its inputs are, where its outputs go, and which outputs every document gets."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Project:
    """Where a project keeps its inputs and where its outputs go."""

    root: Path
    content_dir: Path
    output_dir: Path

    @property
    def layouts_dir(self) -> Path:
        return self.root / "layouts"

    @property
    def fonts_dir(self) -> Path:
        return self.root / "fonts"

    @property
    def assets_dir(self) -> Path:
        return self.root / "assets"

    @property
    def readable_dirs(self) -> list[Path]:
        """The folders WeasyPrint may read from; everything else is refused."""
        return [self.content_dir, self.layouts_dir, self.fonts_dir, self.assets_dir]

    @classmethod
    def at(cls, root: Path, content_dir: Path | None = None, output_dir: Path | None = None) -> Project:
        return cls(root=root, content_dir=content_dir or root / "content", output_dir=output_dir or root / "output")


@dataclass(frozen=True)
class OutputKind:
    """One kind of file made from every document's pamphlet layout: its file name suffix and variant."""

    suffix: str
    variant: str
    purpose: str


OUTPUT_KINDS = (
    OutputKind("a5", "screen", "A5 — to read on screen"),
    OutputKind("a5-print", "print", "A5 with 3 mm bleed and crop marks — for a print shop"),
)
