"""What a build's worker keeps warm between its renders (samizdat.pdf): WeasyPrint's fonts and pictures.

A worker lives for one build (samizdat.workers), so what it shares can never
outlive the inputs it was made from; samizdat.fonts.warm() says whether this
process is such a worker. Any other process makes each render afresh, but for
`serve`, which lays one pamphlet out for its workers to inherit (warmed_here).
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote

from weasyprint.text.fonts import FontConfiguration

from samizdat.errors import SamizdatError
from samizdat.fonts import fonts_stamp, stay_warm, warm
from samizdat.layers import Layers


def font_configuration(html: str, layouts: Layers, fonts: Layers) -> FontConfiguration:
    """A new FontConfiguration; in a warm worker (samizdat.fonts.warm), the one its earlier renders with the same
    stylesheets and fonts made, with their @font-face faces loaded and Pango's fonts and shapes cached.

    WeasyPrint skips a face whose descriptors (family, style, URL...) it has
    stored already, so a shared configuration must never see a face another
    render's stylesheets declare (the pamphlet's and a poster's may differ),
    nor a font file changed since: it is keyed by the stylesheets the HTML
    links that may declare faces (face_links), the faces it and the layouts declare, the
    Fontconfig file, and the size and time of every font file. A worker lives for one build;
    one forked by `serve` may inherit a configuration made before the layouts were edited,
    hence their faces in the key.
    """
    if not warm():
        return FontConfiguration()
    key = (os.environ.get("FONTCONFIG_FILE", ""), fonts_stamp(fonts), declared_faces(layouts),
           face_links(html, layouts), tuple(FONT_FACE.findall(html)))  # fmt: skip
    if key not in _FONT_CONFIGURATIONS:
        if len(_FONT_CONFIGURATIONS) >= 4:  # a worker makes a pamphlet's and posters' at most: old keys go
            _FONT_CONFIGURATIONS.pop(next(iter(_FONT_CONFIGURATIONS)))
        _FONT_CONFIGURATIONS[key] = FontConfiguration()
    return _FONT_CONFIGURATIONS[key]


def face_links(html: str, layouts: Layers) -> tuple[str, ...]:
    """The stylesheets `html` links, but for those of the layouts that hold no @font-face rule and no @import:
    an edition that adds a stylesheet of sizes or colours (large print, copier, a riso drum) declares the same
    faces as the pamphlet, so its render shares the pamphlet's loaded faces and Pango's caches (0.1 s each)."""
    prefix = layouts.root.resolve().as_uri() + "/"
    return tuple(href for href in STYLESHEET.findall(html) if not href.startswith(prefix)
                 or _may_declare_faces(unquote(href[len(prefix):]), layouts))  # fmt: skip


def _may_declare_faces(relative: str, layouts: Layers) -> bool:
    try:
        path = layouts.find(relative)
        return path is None or FACE_OR_IMPORT.search(path.read_text(encoding="utf-8")) is not None
    except (SamizdatError, OSError, UnicodeDecodeError, ValueError):  # the render reports it: kept in the key
        return True


def font_sources(layouts: Layers) -> list[str | Path]:
    """What a family name in the layouts stands for: every stylesheet's @font-face rules, and any file among
    the layouts that is neither a stylesheet nor a template (a font kept there); not the rest of the
    stylesheets, which a designer edits at every save."""
    parts: list[str | Path] = []
    for path in (part for part in layouts.effective() if isinstance(part, Path)):
        if path.suffix == ".css":
            try:
                parts += [str(path.name), *FONT_FACE.findall(path.read_text(encoding="utf-8"))]
            except (OSError, UnicodeDecodeError):
                parts.append(path)  # the render reports it; the key still changes with the file
        elif path.suffix not in (".html", ".md"):
            parts.append(path)
    return parts


def declared_faces(layouts: Layers) -> tuple[str, ...]:
    """font_sources for a process's key: each file by its path, size and time."""
    stamps = []
    for part in font_sources(layouts):
        try:
            stat = None if isinstance(part, str) else part.stat()
        except OSError:
            stat = None
        stamps.append(f"{part}\0{stat.st_size}\0{stat.st_mtime_ns}" if stat else str(part))
    return tuple(stamps)


@contextlib.contextmanager
def warmed_here(folder: Path) -> Iterator[None]:
    """Renders within it leave their FontConfigurations (Pango's fonts and shapes, cffi's parsed types) for the
    workers this process forks later to inherit: `serve` lays a pamphlet out once, and each save's A5 comes
    0.25 s sooner. Their font files are kept in `folder`, which must outlive the workers; pictures are not kept."""
    was_warm, was_tempdir = warm(), tempfile.tempdir
    stay_warm()
    tempfile.tempdir = str(folder)  # WeasyPrint's FontConfiguration keeps the faces' files in a folder of its own
    try:
        yield
    finally:
        tempfile.tempdir = was_tempdir
        _IMAGES.clear()  # a picture may be edited before the next save: each worker loads its own
        _INHERITED.extend(_FONT_CONFIGURATIONS.values())  # a worker that drops one must not delete its files
        if not was_warm:
            stay_warm(False)


def forget_warmed() -> None:
    """This process's renders leave nothing more for its workers (their files stay: _INHERITED)."""
    _FONT_CONFIGURATIONS.clear()


#: The stylesheets an HTML page links, and the @font-face rules it holds itself: what its fonts are drawn from.
STYLESHEET = re.compile(r"<link\b[^>]*\bhref=\"([^\"]*)\"", re.IGNORECASE)
FONT_FACE = re.compile(r"@font-face\s*\{[^}]*\}", re.IGNORECASE)
#: What may declare a face in a stylesheet: the rule, an import, or an escape (`@f\6f nt-face` is the rule too).
FACE_OR_IMPORT = re.compile(r"@font-face|@import|\\", re.IGNORECASE)
_FONT_CONFIGURATIONS: dict[tuple, FontConfiguration] = {}
#: The configurations made by warmed_here, held for good: a FontConfiguration deletes its folder of font files
#: when it goes, and in a forked worker that would take them from under the parent and every later worker.
_INHERITED: list[FontConfiguration] = []


class _FoundImages(dict):
    """WeasyPrint's image cache (its `cache` option), holding only the images it loaded: a picture that failed
    is fetched again by the next render, so that its fetcher reports it (samizdat.fetch) for that layout too."""

    def __setitem__(self, url: str, image: object) -> None:
        if image is not None:
            super().__setitem__(url, image)


#: The pictures a warm worker has loaded, by URL (each checked by samizdat.resource_limits when it was fetched).
_IMAGES = _FoundImages()


def image_cache() -> dict:
    """WeasyPrint's `cache` option: the worker's pictures when it is warm, else a cache of the render's own."""
    return _IMAGES if warm() else {}
