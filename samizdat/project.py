"""A project: where its inputs are and where its outputs go (which outputs it gets: samizdat.catalogue)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from samizdat.errors import SamizdatError
from samizdat.layers import Layers, font_layers, layout_layers
from samizdat.paths import is_inside, refuse_outside


@dataclass(frozen=True)
class Project:
    """Where a project keeps its inputs and where its outputs go.

    `chosen` are the folders given on the command line (--content, --output):
    the user's own choice, so they count as inside the project wherever they are.
    """

    root: Path
    content_dir: Path
    output_dir: Path
    chosen: tuple[Path, ...] = ()

    @property
    def roots(self) -> list[Path]:
        """The real locations everything samizdat reads must lie under: the root and the chosen folders."""
        return [self.root.resolve(), *(folder.resolve() for folder in self.chosen)]

    def refuse_outside(self, path: Path, error: type[SamizdatError] = SamizdatError) -> Path:
        """`path` resolved, or `error` naming the link that leads out of the project."""
        return refuse_outside(path, self.roots, error)

    @property
    def layouts_dir(self) -> Path:
        """The project's own layouts: the first layer, over samizdat's built-in layouts (it need not exist)."""
        return self.root / "layouts"

    @property
    def fonts_dir(self) -> Path:
        """The project's own fonts: the first layer, over samizdat's built-in fonts (it need not exist)."""
        return self.root / "fonts"

    @property
    def layouts(self) -> Layers:
        return layout_layers(self.layouts_dir)

    @property
    def fonts(self) -> Layers:
        return font_layers(self.fonts_dir)

    @property
    def assets_dir(self) -> Path:
        return self.root / "assets"

    @property
    def readable_dirs(self) -> list[Path]:
        """The folders WeasyPrint may read from; everything else is refused, and so is a folder linked outside.

        The project's own folders come first (content/ is the first), then the built-in layouts and fonts.
        """
        folders = [self.content_dir, self.layouts_dir, self.fonts_dir, self.assets_dir]
        own = [folder for folder in folders if is_inside(folder, self.roots)]
        return own + [folder for folder in (*self.layouts.folders[1:], *self.fonts.folders[1:]) if folder not in own]

    @classmethod
    def at(cls, root: Path, content_dir: Path | None = None, output_dir: Path | None = None) -> Project:
        chosen = tuple(folder for folder in (content_dir, output_dir) if folder is not None)
        return cls(root, content_dir or root / "content", output_dir or root / "output", chosen)


def is_project(root: Path) -> bool:
    """Whether `root` holds a samizdat project: its content/, its samizdat.yaml or layouts of its own.

    A project made with `samizdat new` has no layouts/ nor fonts/: it builds with the built-in ones.
    """
    return any((root / name).exists() for name in ("content", "samizdat.yaml", "layouts"))
