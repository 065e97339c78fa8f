"""The only door WeasyPrint has to the outside: files inside the project's own folders, nothing else."""

from __future__ import annotations

import hashlib
import mimetypes
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from weasyprint.urls import URLFetcher, URLFetcherResponse

from samizdat.fonts import warm
from samizdat.layers import Layers
from samizdat.paths import leading_link, outside_message
from samizdat.resource_limits import MAX_BYTES, TooCostly, check_resource

FOLDERS = "the project's content, layouts, fonts and assets folders"


#: The SHA-256 of every file a warm worker found within samizdat.resource_limits.
_WITHIN_LIMITS: set[bytes] = set()


class RefusedURL(ValueError):
    """Raised to WeasyPrint, which then leaves the resource out of the PDF."""


class ProjectFetcher(URLFetcher):
    """Serve `file:` URLs under the allowed folders and `data:` URLs; refuse and remember everything else.

    Content is untrusted: an image pointing at /etc/passwd, a `../../` path, a
    link out of the project or an http(s) URL must not read a byte from outside
    nor touch the network; a picture over samizdat.resource_limits must not reach
    WeasyPrint, which would spend hours or gigabytes on it.

    A URL in one of the `layered` folders (the layouts, the fonts) names a file
    of the layers (samizdat.layers): it is read from the first layer that has it,
    and its URL stays the layered name, so that the stylesheets it names in turn
    (`@import "cover.css"`, `url(../../fonts/...)`) are looked up in the layers too.
    """

    def __init__(self, allowed_dirs: list[Path], layered: Sequence[Layers] = ()):
        super().__init__(allowed_protocols=["file", "data"])
        self.allowed_dirs = [folder.resolve() for folder in allowed_dirs]
        self.layered = tuple(layered)
        self.refused: list[str] = []
        self.missing: list[Path] = []

    def fetch(self, url: str, headers: dict | None = None) -> URLFetcherResponse:
        scheme = urlsplit(url).scheme.lower()
        if scheme == "data":
            response = super().fetch(url, headers)
            return self._checked(url, response.url, response.read(MAX_BYTES + 1), response.content_type)
        if scheme != "file":
            return self._refuse(url, "network access is off")
        given, final_url = self._in_layers(Path(url2pathname(unquote(urlsplit(url).path))))
        path = given.resolve()
        if not any(path.is_relative_to(folder) for folder in self.allowed_dirs):
            if leading_link(given, self.allowed_dirs).is_symlink():  # a link in the project that leads out
                return self._refuse(url, outside_message(given, self.allowed_dirs, FOLDERS))
            return self._refuse(url, f"outside {FOLDERS}")
        if not path.is_file():
            self.missing.append(path)
            raise RefusedURL(f"no such file: {path}")
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        with path.open("rb") as file:
            data = file.read(MAX_BYTES + 1)
        return self._checked(url, final_url or path.as_uri(), data, content_type)

    def _in_layers(self, given: Path) -> tuple[Path, str | None]:
        """The file a layered URL names (in the first layer holding it) and the URL it keeps; else `given`, None."""
        for layers in self.layered:
            relative = layers.relative(given)
            if relative is not None:
                found = next((path for path in layers.candidates(relative) if path.is_symlink() or path.exists()), None)
                return found or given, (layers.root.joinpath(*relative.parts)).as_uri()
        return given, None

    def _checked(self, url: str, final_url: str, data: bytes, content_type: str) -> URLFetcherResponse:
        """The response, if `data` is within samizdat.resource_limits; refused, naming the limit, if not.

        A warm worker (samizdat.fonts.warm) checks the same bytes once: every render fetches the layouts'
        stylesheets again, and a local edition's 100 renders fetched each 100 times.
        """
        seen = hashlib.sha256(data).digest() if warm() else None
        try:
            if seen not in _WITHIN_LIMITS:
                check_resource(data)
        except TooCostly as error:
            return self._refuse(url[:200] + ("…" if len(url) > 200 else ""), str(error))
        if seen is not None:
            _WITHIN_LIMITS.add(seen)
        return URLFetcherResponse(final_url, data, {"Content-Type": content_type})

    def _refuse(self, url: str, reason: str) -> URLFetcherResponse:
        message = f"refused {url} ({reason})"
        if message not in self.refused:
            self.refused.append(message)
        raise RefusedURL(message)
