"""What each layout template receives: one dataclass per template, so a designer can see what a template may use.

samizdat.html fills a template only through its dataclass, and hands the
template exactly its fields: a name samizdat passes that is not declared here
is a bug in samizdat (a TypeError), and a name a template uses that is not
declared is the layout's error (the build fails naming the template's line).
tests/test_layers.py checks every template against its declaration.

Templates included in another (cover.html, back-cover.html, base.html) see
the context of the template that includes them; their declarations are the
part of it they use.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import TYPE_CHECKING, Any

from samizdat.covers import Cover

if TYPE_CHECKING:
    from samizdat.content import Document
    from samizdat.contents import Section
    from samizdat.impose.manual import Separator
    from samizdat.local import LocalGroup
    from samizdat.paper import PosterSize
    from samizdat.poster_plan import Poster
    from samizdat.publish import Entry, Listing, Text
    from samizdat.reading import OtherEdition
    from samizdat.signing import PublicKey


@dataclass(frozen=True)
class BaseContext:
    """base/base.html, the page every pamphlet and poster extends: the document's metadata and the stylesheets."""

    document: Document
    variant: str  # "screen" or "print" (the print variant adds bleed.css)
    date: str | None  # the ISO date written into the PDF's metadata; None: no date at all
    cmyk: dict[str, str] | None = None  # the colour tokens as device-cmyk(), for CMYK print files
    tokens: dict[str, str] | None = None  # design tokens changed for one edition (`--name: value`), after cmyk's
    stylesheets: tuple[str, ...] = ()  # an edition's own stylesheets, paths under layouts/ (pamphlet/copier.css), last
    layouts_url: str = field(default="", kw_only=True)  # where {{ layouts_url }}/base/base.css is: samizdat.layers


@dataclass(frozen=True)
class CoverContext:
    """pamphlet/cover.html, the front cover."""

    document: Document
    cover: Cover  # the design, the slogan set large, whether the title is long


@dataclass(frozen=True)
class BackCoverContext:
    """pamphlet/back-cover.html: the slogans, the blurb, a local group's box and the colophon."""

    document: Document
    cover: Cover  # the design, the url and its QR code
    local: LocalGroup | None  # the local group of a local edition
    qr: str | None  # the QR code of the local group's url, as a data URI


@dataclass(frozen=True)
class PamphletContext(BaseContext):
    """pamphlet/pamphlet.html: the A5 pamphlet, with cover.html and back-cover.html included."""

    local: LocalGroup | None = None  # the local group of a local edition; None for everyone's edition
    qr: str | None = None  # the QR code of the local group's url
    contents: tuple[Section, ...] = ()  # the table of contents' entries; none: no table of contents
    cover: Cover = field(default_factory=Cover)


@dataclass(frozen=True)
class PosterContext(BaseContext):
    """poster/poster.html: the posters of one document at their sizes, or the probe that measures the slogans."""

    sizes: list[PosterSize] = field(default_factory=list)  # every paper the posters come on: one @page each
    posters: list[Poster] = field(default_factory=list)  # each slogan at its size, its lines broken
    probe_sizes: list[PosterSize] = field(default_factory=list)  # an empty poster per size, to measure its area
    words: list[str] = field(default_factory=list)  # the words to measure (the probe), none when setting posters
    url: str | None = None  # the address of the posters' QR code
    qr: str | None = None  # that QR code, as a data URI
    local: LocalGroup | None = None  # the local group of a local edition


@dataclass(frozen=True)
class LabelsContext:
    """poster/labels.html: the small label on each tile of a poster printed on several sheets."""

    labels: list[str]
    layouts_url: str = field(default="", kw_only=True)


@dataclass(frozen=True)
class SiteContext:
    """site/index.html, the download page: one entry per text, each with its editions (one per language)."""

    texts: list[Text]  # each text's editions, the original first: document, files, posters, local editions
    css: str  # site/site.css, set into the page (it is self-contained)
    signing: PublicKey | None = None  # the key that signs SHA256SUMS: its line and fingerprint (samizdat.signing)
    layouts_url: str = field(default="", kw_only=True)


@dataclass(frozen=True)
class EntryContext:
    """site/entry.html, included by index.html for each file: one file of the download page."""

    entry: Entry
    edition: Listing  # the edition the file belongs to: its language's own name and direction


@dataclass(frozen=True)
class PrinterTestContext:
    """printer-test/printer-test.html: the two sides of the printer test sheet (samizdat.printer_sheets)."""

    sheet: str  # its paper: "A4", "Letter", "A3"
    layouts_url: str = field(default="", kw_only=True)


@dataclass(frozen=True)
class SeparatorContext:
    """printer-test/separator.html: the page between a manual-duplex booklet's fronts and its backs."""

    separator: Separator  # the sheets printed, what to do with the stack, what to print next, the page's size
    layouts_url: str = field(default="", kw_only=True)


@dataclass(frozen=True)
class ArrowContext:
    """printer-test/arrow.html, included where a page says "this edge is the top": it uses nothing."""


@dataclass(frozen=True)
class ReadingContext:
    """reading/reading.html, the reading edition: one page that stands alone (samizdat.reading)."""

    document: Document
    body: str  # the body as the page sets it (safe HTML): endnotes, headings with their links, pictures inlined
    css: str  # reading/reading.css, set into the page
    url: str | None  # the online copy's address (the document's own, else samizdat.yaml's)
    date: str | None  # the ISO date of the edition; None: no date
    editions: list[OtherEdition]  # the text's other languages, each with the address of its reading edition


#: The context of every template samizdat ships, by its path under layouts/.
CONTEXTS: dict[str, type] = {
    "base/base.html": BaseContext,
    "pamphlet/pamphlet.html": PamphletContext,
    "pamphlet/cover.html": CoverContext,
    "pamphlet/back-cover.html": BackCoverContext,
    "poster/poster.html": PosterContext,
    "poster/labels.html": LabelsContext,
    "site/index.html": SiteContext,
    "site/entry.html": EntryContext,
    "printer-test/printer-test.html": PrinterTestContext,
    "printer-test/separator.html": SeparatorContext,
    "printer-test/arrow.html": ArrowContext,
    "reading/reading.html": ReadingContext,
}


def context_of(template: str, layouts_url: str, **values: Any) -> dict[str, Any]:
    """The names `template` receives: its declared fields, filled from `values` (a field it lacks is a TypeError)."""
    kind = CONTEXTS[template]
    context = kind(**values, layouts_url=layouts_url) if "layouts_url" in declared(template) else kind(**values)
    return {item.name: getattr(context, item.name) for item in fields(context)}


def declared(template: str) -> set[str]:
    """The names `template` may use."""
    return {item.name for item in fields(CONTEXTS[template])}
