"""Covers: which design a pamphlet's covers get, and what they carry besides the document's own fields.

The look of each design lives in layouts/pamphlet/cover.css; this module only
chooses: the design named in samizdat.yaml (`cover: bold` or `cover: quiet`),
the address of the online copy (the document's `url`, else the project's) with
its QR code, and the cover line, the first slogan short enough to set large
in the lower part of the front cover.
"""

from __future__ import annotations

from dataclasses import dataclass

from samizdat.content import Document
from samizdat.pdfio.weasy import page_type_name

#: The cover designs samizdat.yaml may choose (`cover:`), the first the default.
DESIGNS = ("bold", "quiet")

#: The longest slogan set large on the front cover; a longer one stays on the back cover alone.
COVER_LINE_LIMIT = 60
#: The longest word the cover line's measure holds at its size (a longer one would run off the page).
COVER_LINE_WORD = 16
#: A title longer than this is set smaller, in the room the slogan would take.
LONG_TITLE = 90


@dataclass(frozen=True)
class Cover:
    """What the cover and back cover templates receive, beyond the document."""

    design: str = DESIGNS[0]
    url: str | None = None  # the online copy: printed on the back cover with its QR code
    qr: str | None = None  # the QR code of `url`, as a data URI (samizdat.posters.qr_data_uri)
    line: str | None = None  # the slogan set large on the front cover
    long_title: bool = False  # set smaller, without the slogan, so that the cover stays one page
    fingerprint: str | None = None  # the publisher's signing key's, beside the QR code (samizdat.signing)


def cover_for(
    document: Document, design: str, project_url: str | None, *, grey: bool = False, fingerprint: str | None = None
) -> Cover:
    """The covers of `document` in `design`; `grey` makes the QR code a grey-scale image, for CMYK files;
    `fingerprint`, the signing key's, on the back cover."""
    from samizdat.posters import qr_data_uri  # not at the top: samizdat.config reads DESIGNS without WeasyPrint

    url = document.url or project_url
    qr = qr_data_uri(url, grey=grey) if url else None
    if len(document.title) > LONG_TITLE:
        return Cover(design, url, qr, None, long_title=True, fingerprint=fingerprint)
    return Cover(design, url, qr, cover_line(document.slogans), fingerprint=fingerprint)


def cover_key(document: Document, design: str, project_url: str | None, fingerprint: str | None = None) -> str:
    """What of the config shapes a pamphlet: part of its cache key, so changing the design (or the signing key,
    whose fingerprint the back cover carries) sets it again."""
    return f"cover={design} url={document.url or project_url}" + (f" key={fingerprint}" if fingerprint else "")


def cover_line(slogans: tuple[str, ...]) -> str | None:
    """The first slogan short enough, in words too, to be set large on the front cover.

    >>> cover_line(("A slogan far too long to be set large on a small cover " * 2, "Stop the war!"))
    'Stop the war!'
    >>> cover_line(("Antidisestablishmentarianism!",)) is None
    True
    """
    fitting = (s for s in slogans if len(s) <= COVER_LINE_LIMIT and max(map(len, s.split())) <= COVER_LINE_WORD)
    return next(fitting, None)


def back_cover_pages(document: object) -> int:
    """How many of the last pages are the back cover's (its named page, layouts/pamphlet/cover.css)."""
    names = [page_type_name(page) for page in document.pages]
    return len(names) - len("".join("x" if name == "back-cover" else "." for name in names).rstrip("x"))


def long_back_cover(document: object) -> list[str]:
    """A warning when the back cover runs over more than one page (many long slogans, a long blurb or imprint)."""
    pages = back_cover_pages(document)
    return [f"the back cover runs over {pages} pages: give fewer or shorter slogans, or a shorter blurb or "
            "imprint"] if pages > 1 else []  # fmt: skip
