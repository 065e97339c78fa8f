"""Damage detection: the one net for what pypdf raises on a foreign PDF, and the message that names the file.

pypdf's policy is to raise whatever it meets deep inside a damaged file
(TypeError, KeyError, an `assert`...). Those are caught here, only around
pypdf's own reading of a file that came from outside (`reading`), never around
samizdat's code: a TypeError in samizdat's imposition is a bug and shows as one.
"""

from __future__ import annotations

import logging
import zlib

from pypdf.errors import PyPdfError
from pypdf.generic import ArrayObject, DictionaryObject, NullObject, StreamObject

from samizdat.errors import SamizdatError

#: What pypdf and zlib raise on a damaged file while it is read; only `reading` catches it.
#: pypdf checks some of what it parses with `assert`, so AssertionError is among them.
READ_ERRORS = (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError, NotImplementedError,
               AssertionError, zlib.error, RecursionError, OverflowError)  # fmt: skip


class DamagedPDF(SamizdatError):
    """A PDF from outside that cannot be used as it is: what is wrong, where, and how to repair it."""


def reading(where: str) -> _Reading:
    """Around pypdf reading a foreign file, and nothing else: what it raises becomes one DamagedPDF naming `where`."""
    return _Reading(where)


class _Reading:
    """`reading`'s context manager: a class, as it is entered a dozen times a page (a generator costs more)."""

    __slots__ = ("where",)

    def __init__(self, where: str) -> None:
        self.where = where

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, _: object) -> None:
        if kind is not None and issubclass(kind, READ_ERRORS):
            raise damaged(self.where, error) from None


def damaged(where: str, error: BaseException) -> DamagedPDF:
    reason = str(error).strip() or type(error).__name__
    return DamagedPDF(f"{where} is damaged and cannot be read ({reason[:200]}); try repairing it with qpdf")


def shown(value: object) -> str:
    """A PDF value as a short text for a message, written as in the file: [0 0 /x 10], 45, a dictionary."""
    if value is None or isinstance(value, NullObject):
        return "missing"
    if isinstance(value, StreamObject):
        return "a stream"
    if isinstance(value, DictionaryObject):
        return "a dictionary"
    text = "[" + " ".join(str(item) for item in value) + "]" if isinstance(value, ArrayObject) else str(value)
    return text if len(text) <= 40 else text[:37] + "..."


class Repairs(logging.Handler):
    """What pypdf logs while it works around damage (a missing EOF marker, a broken xref), to report it once."""

    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.texts: list[str] = []
        self.logger = logging.getLogger("pypdf")

    def __enter__(self) -> Repairs:
        self.propagate, self.logger.propagate = self.logger.propagate, False  # keep it off the console
        self.logger.addHandler(self)
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.logger.removeHandler(self)
        self.logger.propagate = self.propagate

    def emit(self, record: logging.LogRecord) -> None:
        text = record.getMessage().strip()[:200]
        if text not in self.texts:
            self.texts.append(text)
