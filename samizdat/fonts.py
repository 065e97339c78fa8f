"""The fonts WeasyPrint may use (only the fonts/ layers, through a private Fontconfig file), subset without the time."""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path
from xml.sax.saxutils import escape

from samizdat.errors import RenderError
from samizdat.layers import Layers, existing, font_layers
from samizdat.output import write_atomically
from samizdat.paths import links_leading_out, outside_message


@contextlib.contextmanager
def font_timestamps_pinned() -> Iterator[None]:
    """Subset fonts carry a fixed date, not the time of the build, whichever subsetter WeasyPrint uses.

    Without HarfBuzz-Subset (libharfbuzz-subset0, absent from a fresh Debian
    machine) WeasyPrint subsets fonts with fontTools, which writes the current
    time into each subset font's `head` table unless SOURCE_DATE_EPOCH is set
    (fontTools.misc.timeTools.timestampNow). So SOURCE_DATE_EPOCH is set for the
    time of the write only — the user's own value when it is a valid one, else 0
    — and then put back as it was: the user's environment is left unchanged.
    """
    before = os.environ.get("SOURCE_DATE_EPOCH")
    pinned = before if before is not None and before.strip().isdigit() else "0"
    os.environ["SOURCE_DATE_EPOCH"] = pinned
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = before


def use_only_fonts_from(fonts_dir: Path) -> None:
    """Point Fontconfig at a configuration that knows only the project's `fonts_dir`, or else the built-in fonts.

    WeasyPrint reads FONTCONFIG_FILE each time it makes a FontConfiguration,
    so this process-wide setting is what keeps the machine's fonts out.
    Fontconfig follows links without asking the fetcher: one leading out of the
    project (fonts/ -> /usr/share/fonts) is refused before it can embed a system font.
    The fonts the layouts name (fonts.css) come through the fetcher from every
    layer (samizdat.layers); Fontconfig only falls back on the first layer that
    exists, so a project with fonts/ of its own is scanned as before.
    """
    layers = font_layers(fonts_dir)
    for layer in layers.layers:
        for link in links_leading_out(layer.folder, list(layer.roots)):
            raise RenderError(outside_message(link, list(layer.roots)), link)
    folders = tuple(folder.resolve() for folder in existing(layers.folders)[:1])
    os.environ["FONTCONFIG_FILE"] = str(_fontconfig_file(folders))


def stay_warm(on: bool = True) -> None:
    """Let this process's renders share what they can (samizdat.pdf: FontConfigurations, pictures): a build's
    worker does, as it lives for that build only; any other process makes each render afresh."""
    _WARM[:] = [True] if on else []


def warm() -> bool:
    return bool(_WARM)


def fonts_stamp(fonts: Layers) -> tuple[tuple[str, int, int], ...]:
    """The path, size and time of every file of the fonts layers: a font replaced is a new stamp."""
    stamps = []
    for folder in existing(fonts.folders):
        for path in sorted(folder.rglob("*")):
            with contextlib.suppress(OSError):
                stat = path.stat()
                stamps.append((str(path), stat.st_size, stat.st_mtime_ns))
    return tuple(stamps)


def keep_fontconfig_in(folder: Path) -> None:
    """Keep fonts.conf and Fontconfig's cache in `folder` (the build's output/.cache/fontconfig/) from now on.

    A forked worker ends with os._exit, so a temporary folder of its own would
    never be removed; a folder the build owns is reused by every worker and build.
    """
    _FONTCONFIG_HOME[:] = [folder]


def _fontconfig_file(fonts_dirs: tuple[Path, ...]) -> Path:
    return _fontconfig_file_in(fonts_dirs, _FONTCONFIG_HOME[0] if _FONTCONFIG_HOME else None)


@lru_cache(maxsize=4)
def _fontconfig_file_in(fonts_dirs: tuple[Path, ...], home: Path | None) -> Path:
    """A fonts.conf listing only `fonts_dirs`: in `home`, or in a private folder removed when the process ends."""
    if home is None:
        temporary = tempfile.TemporaryDirectory(prefix="samizdat-fontconfig-")
        _FONTCONFIG_FOLDERS.append(temporary)  # kept alive as long as the process
        folder = Path(temporary.name)
    else:
        folder = home / hashlib.sha256("\0".join(map(str, fonts_dirs)).encode()).hexdigest()[:16]
    dirs = "".join(f"  <dir>{escape(str(fonts_dir))}</dir>\n" for fonts_dir in fonts_dirs)
    text = (
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">\n'
        f"<fontconfig>\n{dirs}"
        f"  <cachedir>{escape(str(folder / 'cache'))}</cachedir>\n</fontconfig>\n"
    )
    config = folder / "fonts.conf"
    (folder / "cache").mkdir(parents=True, exist_ok=True)  # made here: two workers making it at once, Fontconfig
    # in one of them found no writable cache directory (its mkdir lost the race) and said so on stderr
    if not config.is_file() or config.read_bytes() != text.encode():
        write_atomically(config, text.encode())  # workers side by side each see a whole file
    return config


def forget_fontconfig_files() -> None:
    """Write fonts.conf again when next asked for it: a process that outlives its output/ (`serve`) must not
    hand its workers a file that is gone, which Fontconfig would replace with the machine's fonts."""
    _fontconfig_file_in.cache_clear()


_FONTCONFIG_HOME: list[Path] = []
_WARM: list[bool] = []
_FONTCONFIG_FOLDERS: list[tempfile.TemporaryDirectory] = []
