"""PDF stage: HTML → WeasyPrint pages → PDF bytes, with the project's fonts only and optional crop marks."""

from __future__ import annotations

import contextlib
import logging
import posixpath
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, unquote

import pydyf
from weasyprint import HTML
from weasyprint.document import Document

from samizdat.body import DOCUMENT_LINK
from samizdat.content import slug_of
from samizdat.covers import back_cover_pages
from samizdat.crop_marks import add_crop_marks
from samizdat.errors import RenderError
from samizdat.fetch import ProjectFetcher, RefusedURL
from samizdat.fonts import font_timestamps_pinned, use_only_fonts_from
from samizdat.impose.blanks import pad_before_back_cover
from samizdat.layers import font_layers, layout_layers
from samizdat.mark import mark_xmp
from samizdat.messages import image_failure
from samizdat.notes import tag_notes
from samizdat.pdfio.weasy import name_pictures_by_content
from samizdat.warm import font_configuration, image_cache

#: The date of an undated document where a standard requires one (PDF/X): fixed, so the bytes are too.
UNDATED = "1970-01-01T00:00:00Z"


@dataclass
class Layout:
    """A document laid out by WeasyPrint (pages to measure or write), and what went wrong on the way.

    Writing fetches too (attachments), so the fetcher and the message log stay with the pages.
    """

    document: Document
    fetcher: ProjectFetcher
    messages: _WeasyPrintMessages
    source: Path | None = None  # the content file, for errors that can name its line
    row: tuple[Path, int] | None = None  # a local edition's data file and row: its fields are on the pages too
    folder: str = ""  # where its PDFs land, under output/ ("stop-the-war"): links to other documents start there
    breaks: dict = field(default_factory=dict)  # the lines samizdat.paragraphs chose, by paragraph number
    notices: list[str] = field(default_factory=list)  # samizdat's own warnings about the layout (samizdat.tables)
    advice: list[str] = field(default_factory=list)  # what samizdat changed to make it fit (samizdat.running_head)

    @property
    def warnings(self) -> list[str]:
        texts = [text for text in self.messages.texts if ".notdef" not in text]
        return self.fetcher.refused + self.notices + texts + self.advice

    @property
    def missing(self) -> list[Path]:
        return self.fetcher.missing

    @property
    def missing_glyphs(self) -> str:
        """Characters no font in fonts/ can draw: WeasyPrint set them as .notdef, an empty box (tofu)."""
        found = (re.search(r'unsupported by fonts: "(.+)"', text) for text in self.messages.texts)
        return "".join(dict.fromkeys(match.group(1) for match in found if match))

    def refuse_missing_glyphs(self) -> None:
        """Raise if any character would print as an empty box, naming the first line of the source that has one."""
        source = self.source
        if not self.missing_glyphs:
            return
        codes = ", ".join(f"{char} (U+{ord(char):04X})" for char in self.missing_glyphs[:12])
        line = None
        if source is not None:
            lines = source.read_text(encoding="utf-8-sig").splitlines()
            line = next((n for n, text in enumerate(lines, 1) if any(c in text for c in self.missing_glyphs)), None)
        if line is None and self.row is not None:  # not in the document: in the local group's row
            source, line = self.row
        raise RenderError(
            f"the fonts in fonts/ have no glyphs for {codes}: they would print as empty boxes. Add a font that "
            "covers them (to fonts/ and layouts/base/fonts.css), or write the text without them",
            source if line else None,
            line,
        )


def lay_out(html: str, *, base_url: str, allowed_dirs: list[Path], fonts_dir: Path) -> Layout:
    """Lay out `html` into pages, without writing anything yet.

    Resources load only through a ProjectFetcher limited to `allowed_dirs`, and fonts come only from `fonts_dir`
    (the machine's fonts are invisible), so the same inputs give the same pages on any machine, in any folder (the
    pictures named by their bytes). The layouts and fonts are those of the project `fonts_dir` belongs to, each
    over the built-in ones (samizdat.layers): its layouts/ beside it.
    """
    layers = (layout_layers(fonts_dir.absolute().parent / "layouts"), font_layers(fonts_dir))
    fetcher = ProjectFetcher(allowed_dirs, layers)
    messages = _WeasyPrintMessages(base_url)
    with messages.listening():
        use_only_fonts_from(fonts_dir)
        try:  # a warm worker's fonts and pictures (samizdat.warm)
            page = HTML(string=html, base_url=base_url, url_fetcher=fetcher)
            document = page.render(font_config=font_configuration(html, *layers), cache=(pictures := image_cache()))
        except TYPESETTER_FAILURES as error:
            raise typesetter_failed(error, "lay out") from None
    _refuse_half_made(messages)
    name_pictures_by_content(pictures)
    for attachment in document.metadata.attachments:
        url = next((arg for arg in getattr(attachment.source, "args", ()) if isinstance(arg, str)), "an attachment")
        fetcher.refused.append(f"refused {url} (samizdat embeds no files in PDFs: they carry the time of the build)")
    document.metadata.attachments = []
    return Layout(document, fetcher, messages)


def write_pdf(
    layout: Layout, *, crop_marks: bool = False, without_bleed: bool = False, tagged: bool = False, pdfx: bool = False,
    booklet: bool = False, mark: bytes | None = None,
) -> bytes:  # fmt: skip
    """The laid-out pages as PDF bytes; with `crop_marks` (pages with CSS bleed), marks outside the bleed.

    `without_bleed` writes pages laid out with bleed as if they had none: the
    sheet stops at the trim. CSS bleed changes no position on the page, so one
    layout serves both the print variant and the screen PDF. `tagged` writes
    WeasyPrint's PDF/UA-1 variant: a structure tree (headings, paragraphs,
    lists in reading order) and the language, for screen readers; it has no
    date and no random identifier, so the bytes stay reproducible. `pdfx`
    writes PDF/X-3:2003 (for CMYK pages with an output intent); PDF/X needs
    dates, so a document without one is dated 1970-01-01, never "now". `booklet` adds the blank pages a
    print shop's booklet needs before the back cover (samizdat.impose.blanks). `mark` says what the file is
    (samizdat.mark), in the one XMP stream: the variant's, or one of its own for a plain PDF.
    """
    options = {"pdf_variant": "pdf/ua-1"} if tagged else {}
    if pdfx:
        options, metadata = {"pdf_variant": "pdf/x-3"}, layout.document.metadata
        metadata.created = metadata.created or UNDATED
        metadata.modified = metadata.modified or metadata.created
    pages = layout.document.pages
    bleeds = [page.bleed for page in pages]
    for page in pages if without_bleed else ():
        page.bleed = dict.fromkeys(page.bleed, 0)
    try:
        with layout.messages.listening(), font_timestamps_pinned():
            finisher = _finisher(layout.folder, crop_marks, booklet, mark)
            data = layout.document.write_pdf(finisher=finisher, **options)
    except TYPESETTER_FAILURES as error:
        raise typesetter_failed(error, "write") from None
    finally:
        for page, bleed in zip(pages, bleeds, strict=True):
            page.bleed = bleed
    _refuse_half_made(layout.messages)
    if not data:
        raise RenderError("WeasyPrint produced no PDF")
    layout.refuse_missing_glyphs()
    return data


class FinisherBug(Exception):
    """A failure in samizdat's own steps of writing the PDF: left to surface as the bug it is (not one of
    TYPESETTER_FAILURES, which are WeasyPrint's on foreign input)."""


#: What WeasyPrint itself raises when hostile CSS or HTML trips it up (its bugs, on foreign input): one job's error.
TYPESETTER_FAILURES = (ArithmeticError, LookupError, TypeError, ValueError, AttributeError, AssertionError,
                       RecursionError, NotImplementedError)  # fmt: skip  (a gradient in device-cmyk: tinycss2)


def typesetter_failed(error: Exception, doing: str) -> RenderError:
    return RenderError(
        f"WeasyPrint could not {doing} this ({type(error).__name__}: {str(error)[:200]}): something in the "
        "document or its layout's CSS trips it up; undo the last change to find it"
    )


def _from_memory_error(value: object) -> bool:
    """Whether an exception (or what caused it) is a MemoryError: the worker's memory budget was hit."""
    while isinstance(value, BaseException):
        if isinstance(value, MemoryError):
            return True
        value = value.__cause__ or value.__context__
    return False


def _refuse_half_made(messages: _WeasyPrintMessages) -> None:
    """A file WeasyPrint could not load for want of memory makes a wrong PDF (a page without its stylesheet):
    raise MemoryError, which the worker turns into the memory budget's message for this job alone."""
    if messages.out_of_memory:
        raise MemoryError("WeasyPrint ran out of memory loading a file")


class _WeasyPrintMessages(logging.Handler):
    """Collect WeasyPrint's warnings (broken CSS, missing images) instead of letting them scroll past."""

    def __init__(self, base_url: str = "") -> None:
        super().__init__(level=logging.WARNING)
        self.texts: list[str] = []
        self.out_of_memory = False
        self.base_url = base_url  # the document's file: an image's message names its line

    @contextlib.contextmanager
    def listening(self) -> Iterator[None]:
        logger = logging.getLogger("weasyprint")
        logger.addHandler(self)
        try:
            yield
        finally:
            logger.removeHandler(self)

    def emit(self, record: logging.LogRecord) -> None:
        if any(_from_memory_error(arg) for arg in record.args or ()):
            self.out_of_memory = True  # WeasyPrint leaves the file out and goes on: samizdat fails the job instead
        if RefusedURL.__name__ in record.getMessage():
            return  # the fetcher already reports these, better worded
        if str(record.msg).startswith("Using fontTools instead of HarfBuzz-Subset"):
            return  # nothing wrong with the document: `make` says how to install it; the bytes are pinned either way
        text = record.getMessage().strip()
        if str(record.msg).startswith("Failed to load image") and len(record.args or ()) == 2:
            text = image_failure(str(record.args[0]), record.args[1], self.base_url)  # WeasyPrint gives no reason
        if text not in self.texts:
            self.texts.append(text)


def _finisher(
    folder: str, crop_marks: bool, booklet: bool = False, mark: bytes | None = None
) -> Callable[[object, pydyf.PDF], None]:
    """What is done to the PDF objects before they are written: links to documents made relative; a booklet's
    blank pages; crop marks; the XMP stream of a plain PDF (the variants write their own) that carries the mark."""

    def finish(document: object, pdf: pydyf.PDF) -> None:
        try:
            _finish(document, pdf)
        except TYPESETTER_FAILURES as error:  # samizdat's own steps: a bug, not the document's, never netted
            raise FinisherBug(f"samizdat's finisher failed: {error!r}") from error

    def _finish(document: Document, pdf: pydyf.PDF) -> None:
        _relative_document_links(pdf, folder)
        _no_break_spaces_copied_as_spaces(pdf)
        _table_headers_scoped(pdf)
        tag_notes(pdf)
        if booklet:
            pad_before_back_cover(pdf, back_cover_pages(document))
        if crop_marks:
            _no_links(pdf)
            add_crop_marks(pdf)
        if mark is not None:
            mark_xmp(pdf, document, mark)

    return finish


def _no_links(pdf: pydyf.PDF) -> None:
    """A file for the print shop has nothing to click (its table of contents' entries are links on screen), and
    PDF/X allows no annotation on the page but printer's marks."""
    for page in [obj for obj in pdf.objects if isinstance(obj, pydyf.Dictionary) and obj.get("Type") == "/Page"]:
        if "Annots" in page:
            del page["Annots"]


#: A ToUnicode entry that gives a glyph as U+00A0, as WeasyPrint writes it (samizdat.pdf's fonts use 4 digits).
NO_BREAK_SPACE_ENTRY = re.compile(rb"^(<[0-9a-f]{4}>) <(00a0|2004|2005|2008)>$")
#: The word joiner U+2060 that holds a last line's space (samizdat.paragraph_text): copied as nothing at all.
WORD_JOINER_ENTRY = re.compile(rb"^(<[0-9a-f]{4}>) <2060>$")


def _no_break_spaces_copied_as_spaces(pdf: pydyf.PDF) -> None:
    """Text copied from the PDF has ordinary spaces where the line breaker (samizdat.paragraphs) and the
    language's rules put no-break spaces, or the spaces of a last line: their glyphs are mapped back to U+0020
    in each font's ToUnicode map, and the word joiner's to nothing."""
    for stream in pdf.objects:
        if not isinstance(stream, pydyf.Stream) or b"/CMapName /Adobe-Identity-UCS def" not in stream.stream:
            continue
        stream.stream = [WORD_JOINER_ENTRY.sub(rb"\1 <>", NO_BREAK_SPACE_ENTRY.sub(rb"\1 <0020>", line))
                         if isinstance(line, bytes) else line for line in stream.stream]  # fmt: skip


def _table_headers_scoped(pdf: pydyf.PDF) -> None:
    """Each table header cell of the tagged PDF says it heads its column (/Scope, PDF/UA-1 7.5): WeasyPrint 70
    links cells to headers by /Headers and /ID but ignores `<th scope="col">` (samizdat.blocks writes it)."""
    for element in pdf.objects:
        if isinstance(element, pydyf.Dictionary) and element.get("S") == "/TH" and "A" in element:
            element["A"].setdefault("Scope", "/Column")


def _relative_document_links(pdf: pydyf.PDF, folder: str) -> None:
    """`samizdat-document:NAME.md` links (samizdat.content) become relative links to its published A5 PDF (named
    already when its text is in several languages: samizdat.translations), so that they work in any mirror of
    output/ and carry no path of the machine that built them; the link text (`Contents`) says the same."""
    for annotation in pdf.objects:
        if not isinstance(annotation, pydyf.Dictionary) or annotation.get("Subtype") != "/Link":
            continue
        action = annotation.get("A")
        target = getattr(action.get("URI") if isinstance(action, pydyf.Dictionary) else None, "string", "")
        if not str(target).startswith(DOCUMENT_LINK):
            continue
        name = unquote(str(target).removeprefix(DOCUMENT_LINK))  # WeasyPrint quoted война.md
        published = name if name.endswith(".pdf") else f"{slug_of(Path(name))}/{slug_of(Path(name))}-a5.pdf"
        relative = quote(posixpath.relpath(published, folder or "."))
        action["URI"] = pydyf.String(relative)
        if "Contents" in annotation:
            annotation["Contents"] = pydyf.String(relative)
