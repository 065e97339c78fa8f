"""The errors samizdat reports to people: each carries a message that says what, where and how to fix."""

from __future__ import annotations

from pathlib import Path

from samizdat.messages import clean


class SamizdatError(Exception):
    """A problem the user can fix; the CLI prints its message and exits 1."""

    exit_code = 1

    def __init__(self, message: str, path: Path | None = None, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line

    @property
    def location(self) -> str:
        """`file:line` (or just `file`) for the message, empty when unknown."""
        if self.path is None:
            return ""
        return f"{self.path}:{self.line}" if self.line else str(self.path)

    def __str__(self) -> str:
        """The message as printed: a hostile name or value in it can neither drive the terminal nor flood it."""
        return clean(f"{self.location}: {self.message}" if self.location else self.message)


class ContentError(SamizdatError):
    """A document in content/ cannot be read: bad front matter, bad Markdown."""


class LayoutError(SamizdatError):
    """A layout template is missing or broken."""


class RenderError(SamizdatError):
    """WeasyPrint could not make a PDF out of a document."""


class UsageError(SamizdatError):
    """A wrong command line; exit code 2, like argparse."""

    exit_code = 2
