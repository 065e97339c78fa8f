"""Layouts and fonts in layers: a file is looked up in the project's folder first, then in samizdat's built-in one.

A designer who wants another pamphlet.css writes only layouts/pamphlet/pamphlet.css
in the project; every other template, stylesheet and font comes from the layouts
and fonts shipped inside the package (samizdat/layouts/, samizdat/fonts/). The
project's folders need not exist at all: a project made with `samizdat new` has
only content/ and samizdat.yaml.

Templates, stylesheets and fonts all name each other by their place in the
project's folders (`{{ layouts_url }}/pamphlet/pamphlet.css`, `@import
"cover.css"`, `url(../../fonts/...)`): one namespace, in which each file is
found in the first layer that has it (samizdat.fetch for WeasyPrint,
samizdat.html for Jinja2). So an overridden pamphlet.css still imports the
built-in cover.css, and a built-in stylesheet sees the project's fonts.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from samizdat.errors import SamizdatError
from samizdat.paths import refuse_outside

#: samizdat's own layouts and fonts, shipped inside the package (the repository's layouts/ and fonts/ link here).
BUILTIN_LAYOUTS = Path(__file__).resolve().parent / "layouts"
BUILTIN_FONTS = Path(__file__).resolve().parent / "fonts"


@dataclass(frozen=True)
class Layer:
    """One folder of layouts or fonts, and the real locations its files must lie under."""

    folder: Path
    roots: tuple[Path, ...]


@dataclass(frozen=True)
class Layers:
    """Folders searched in order for one relative path; the first is the project's own (it may not exist)."""

    layers: tuple[Layer, ...]

    @property
    def root(self) -> Path:
        """Where the files are named from: the project's folder, whether it exists or not."""
        return self.layers[0].folder

    @property
    def folders(self) -> list[Path]:
        return [layer.folder for layer in self.layers]

    def candidates(self, relative: str | PurePosixPath) -> list[Path]:
        """Every place `relative` is looked for, in order: what a missing file's message lists."""
        parts = PurePosixPath(relative).parts
        return [layer.folder.joinpath(*parts) for layer in self.layers]

    def find(self, relative: str | PurePosixPath, error: type[SamizdatError] = SamizdatError) -> Path | None:
        """The file `relative` in the first layer that has it (a link leading out of its layer refused), or None."""
        for layer, path in zip(self.layers, self.candidates(relative), strict=True):
            if path.is_symlink() or path.exists():
                refuse_outside(path, layer.roots, error)
                if path.is_file():
                    return path
        return None

    def relative(self, path: Path) -> PurePosixPath | None:
        """`path` (absolute, not resolved) as a path relative to the layers, or None if it is under none of them.

        A path that climbs out again (`layouts/../../etc/passwd`) is under none of them.
        """
        if ".." in path.parts:
            return None
        for folder in self.folders:
            for base in dict.fromkeys((folder.absolute(), folder.resolve())):
                if path.is_relative_to(base):
                    return PurePosixPath(path.relative_to(base).as_posix())
        return None

    def effective(self, subfolder: str = "") -> list[str | Path]:
        """What a cache key hashes (samizdat.cache.digest): each file of `subfolder` the layers give, by its name,
        from the first layer that has it (walked once within one_walk()).

        A built-in file the project overrides is not part of the key (editing it changes nothing the project
        makes), so a project holding a whole copy costs no more to hash than it did. A folder that is a link
        counts by where it points too: swapped for a link leading out, it is a change.
        """
        key = ("effective", self, subfolder)
        if WALKED and key in WALKED[0]:
            return list(WALKED[0][key])
        parts: list[str | Path] = []
        chosen: dict[str, Path] = {}
        for folder in self.folders:
            base = folder / subfolder if subfolder else folder
            entries = sorted(base.rglob("*")) if base.is_dir() else [base] if base.exists() else []
            for path in [base, *entries] if base.is_symlink() else entries:
                if path.is_symlink():
                    parts.append(f"link {path.relative_to(folder.parent).as_posix()} {os.readlink(path)}")
            for path in entries:
                if not path.is_dir():
                    chosen.setdefault(path.relative_to(base).as_posix() if path != base else base.name, path)
        for name, path in sorted(chosen.items()):
            parts += [name, path]
        if WALKED:
            WALKED[0][key] = tuple(parts)
        return parts

    def searched(self, relative: str) -> str:
        """'a, then b': the places a missing file was looked for."""
        return ", then ".join(str(path) for path in self.candidates(relative))


#: While one_walk() is on, what walking a folder found (Layers.effective, samizdat.cache.digest's reading of a
#: file's name, time and size), by what was asked: the build's folders are walked once, not once per job.
WALKED: list[dict] = []


@contextlib.contextmanager
def one_walk() -> Iterator[None]:
    """Within it, each folder is walked once: a plan of 100 local editions walked the layouts and fonts 300 times.

    For a span in which the build's folders do not change under it: the plan, or a build's worker
    (samizdat.workers), which lives for one build and hashes only the layouts and fonts (samizdat.paragraphs).
    """
    if WALKED:
        yield
        return
    WALKED.append({})
    try:
        yield
    finally:
        WALKED.clear()


def walk_once_from_now() -> None:
    """one_walk() for the rest of this process: a build's worker."""
    WALKED[:] = [{}]


def layered(own: Path, builtin: Path) -> Layers:
    """`own` (a project's layouts/ or fonts/) over `builtin`; one layer when `own` is the built-in folder itself.

    Files of the project's folder must lie inside the project (its parent);
    the built-in folder is samizdat's own, trusted like its code.
    """
    own = own.absolute()
    project = Layer(own, (own.parent.resolve(),))
    if own.resolve() == builtin:  # the repository itself: its layouts/ and fonts/ are links to the package's
        return Layers((project,))
    return Layers((project, Layer(builtin, (builtin,))))


def layout_layers(layouts_dir: Path) -> Layers:
    """A project's layouts/ over samizdat's built-in layouts."""
    return layered(layouts_dir, BUILTIN_LAYOUTS)


def font_layers(fonts_dir: Path) -> Layers:
    """A project's fonts/ over samizdat's built-in fonts."""
    return layered(fonts_dir, BUILTIN_FONTS)


def project_layers(root: Path) -> tuple[Layers, Layers]:
    """The layouts and the fonts of the project at `root`, each over the built-in ones."""
    return layout_layers(root / "layouts"), font_layers(root / "fonts")


def existing(folders: Sequence[Path]) -> list[Path]:
    """The folders that exist: a project without its own fonts/ has only the built-in layer to give Fontconfig."""
    return [folder for folder in folders if folder.is_dir()]
