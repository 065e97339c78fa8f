"""The only door WeasyPrint has to the outside: files inside the project's own folders, nothing else."""

from __future__ import annotations

import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from weasyprint.urls import URLFetcher, URLFetcherResponse


class RefusedURL(ValueError):
    """Raised to WeasyPrint, which then leaves the resource out of the PDF."""


class ProjectFetcher(URLFetcher):
    """Serve `file:` URLs under the allowed folders and `data:` URLs; refuse and remember everything else.

    Content is untrusted: an image pointing at /etc/passwd, a `../../` path or an
    http(s) URL must not read a byte from outside the project nor touch the network.
    """

    def __init__(self, allowed_dirs: list[Path]):
        super().__init__(allowed_protocols=["file", "data"])
        self.allowed_dirs = [folder.resolve() for folder in allowed_dirs]
        self.refused: list[str] = []
        self.missing: list[Path] = []

    def fetch(self, url: str, headers: dict | None = None) -> URLFetcherResponse:
        scheme = urlsplit(url).scheme.lower()
        if scheme == "data":
            return super().fetch(url, headers)
        if scheme != "file":
            return self._refuse(url, "network access is off")
        path = Path(url2pathname(unquote(urlsplit(url).path))).resolve()
        if not any(path.is_relative_to(folder) for folder in self.allowed_dirs):
            return self._refuse(url, "outside the project's content, layouts, fonts and assets folders")
        if not path.is_file():
            self.missing.append(path)
            raise RefusedURL(f"no such file: {path}")
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(path.as_uri(), path.read_bytes(), {"Content-Type": content_type})

    def _refuse(self, url: str, reason: str) -> URLFetcherResponse:
        message = f"refused {url} ({reason})"
        if message not in self.refused:
            self.refused.append(message)
        raise RefusedURL(message)
