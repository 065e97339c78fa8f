"""What one job makes: a document's pamphlet outputs from one layout, or its posters; each written atomically.

A job receives its targets with the digests the plan made (samizdat.plan), looks each up in the record and lays
the document out only when some are stale; each is written as its kind's row says (samizdat.catalogue). The A5 PDF,
its print variant and the impositions all come from one layout (see samizdat.pdf.write_pdf). Each PDF is checked
by preflight as its kind and gets its thumbnail for the download page as soon as it is made.
"""

from __future__ import annotations

import io
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

from pypdf import PdfReader

from samizdat.body import paper_edition
from samizdat.cache import Cache
from samizdat.catalogue import KINDS, Kind, Write
from samizdat.colour import cmyk_tokens
from samizdat.config import Config
from samizdat.content import Document
from samizdat.contents import Section, table_of_contents
from samizdat.covers import DESIGNS, cover_for, long_back_cover
from samizdat.errors import SamizdatError
from samizdat.html import render_html
from samizdat.impose import ImposeOptions, imposition_purpose, kind_of
from samizdat.impose.blanks import blanks_needed
from samizdat.impose.imposer import impose
from samizdat.mark import mark
from samizdat.messages import line_naming
from samizdat.notes import misplaced_notes
from samizdat.output import write_atomically
from samizdat.paper import paper_name
from samizdat.paragraph_memo import Memo, memo_path
from samizdat.paragraph_text import Breaks
from samizdat.paragraphs import breaks_path, remember, remembered, set_paragraphs, set_remembered, texts_of, with_breaks
from samizdat.pdf import Layout, lay_out, write_pdf
from samizdat.plan import Planned
from samizdat.posters import make_posters, qr_data_uri
from samizdat.preflight import INFO, Expectations, expectations_of_kind, preflight, read_strictly
from samizdat.printer_job import make_printer_test, manual_arguments
from samizdat.project import Project
from samizdat.publish import thumbnail_path
from samizdat.reader_job import make_reader_editions
from samizdat.riso import make_riso
from samizdat.running_head import Fitting, lay_out_fitted
from samizdat.signing import fingerprint_for
from samizdat.tables import fitted
from samizdat.targets import Job, TargetResult, job_folder
from samizdat.thumbnails import thumbnail
from samizdat.variants import make_variants


def run_job(project: Project, config: Config, planned: Planned, date: str | None, cache: Cache) -> list[TargetResult]:
    """Everything one job makes, in a stable order; a failure is a result, never an exception."""
    return list(job_results(project, config, planned, date, cache))


def job_results(
    project: Project, config: Config, planned: Planned, date: str | None, cache: Cache
) -> Iterator[TargetResult]:
    """The job's results one by one, as each output is written (a worker out of time keeps those it has)."""
    makers = {"pamphlet": make_pamphlet, "posters": make_posters_of, "reader": make_reader_editions,
              "printer-test": make_printer_test, "riso": make_riso, "variants": make_variants}  # fmt: skip
    make = makers[planned.job.group]
    return make(project, config, planned, date, cache)


def make_pamphlet(
    project: Project, config: Config, planned: Planned, date: str | None, cache: Cache
) -> Iterator[TargetResult]:
    """The A5 PDF and its print variant from one layout (two when print is CMYK), then the impositions: the
    targets the plan made, with its digests (samizdat.plan)."""
    job = planned.job  # its targets are the stale ones (samizdat.build gives the up-to-date ones itself)
    own = [target for target in planned.targets if target.options is None]
    impositions = [target for target in planned.targets if target.options is not None]
    needs_screen = bool(impositions)
    layouts = Layouts(project, job, date, config.print_colour == "cmyk", table_of_contents(job.document, config),
                      (config.cover, config.url))  # fmt: skip
    screen, started = None, time.perf_counter()
    for target in own:
        path, kind = target.path, target.kind
        try:  # writing is where WeasyPrint finds glyphs the fonts lack
            layout, data = layouts.write(kind)
        except SamizdatError as error:
            yield cache.keep(TargetResult(str(path), "failed", path, kind.purpose, error=str(error)), target.digest)
            continue
        screen = data if not kind.printed else screen
        pages, seconds = len(layout.document.pages), time.perf_counter() - started
        pages += blanks_needed(pages) if kind.write and kind.write.booklet else 0
        result = written(project, job, path, data, kind.purpose, pages, seconds, layout.warnings,
                         layouts.cmyk and kind.colour, (kind, kind.paper))  # fmt: skip
        yield cache.keep(result, target.digest)
        started = time.perf_counter()
    source = planned.source  # the A5 PDF, up to date: the impositions' source
    if screen is None and source and needs_screen and cache.fresh(source.path, source.digest):
        screen = source.path.read_bytes()
    elif screen is None and needs_screen and layouts.paper is None:  # else the paper layout is the source
        try:
            screen = layouts.write(KINDS["a5"])[1]
        except SamizdatError:
            screen = None  # its failure is reported with the A5 PDF
    failure, warnings = "its source PDF failed", []
    if layouts.paper is not None and needs_screen:  # impositions are printed: they carry the addresses
        try:
            layout, screen = layouts.write(KINDS["a5"], on_paper=True)
            warnings = layout.warnings  # a table set smaller on paper, say: local editions have no print file
        except SamizdatError as error:
            screen, failure = None, f"its source PDF failed: {error}"
    for target in impositions:
        made = make_imposition(project, job, target.path, target.options, screen, failure)
        made.warnings = [*warnings, *(made.warnings or [])]
        yield cache.keep(made, target.digest)


class Layouts:
    """The pamphlet's layouts, made when first asked for: one with bleed serves the screen PDF and the print
    variant; CMYK print files get their own, with the colour tokens as device-cmyk() and the press profile.
    When paper prints the links' addresses (samizdat.links), the print variant and the impositions ("paper")
    get a layout of their own, in which they are printed."""

    def __init__(
        self, project: Project, job: Job, date: str | None, cmyk: bool, contents: tuple = (),
        cover: tuple[str, str | None] = (DESIGNS[0], None),
    ) -> None:  # fmt: skip
        self.project, self.job, self.date, self.cmyk, self.contents = project, job, date, cmyk, contents
        self.design, self.url = cover  # samizdat.yaml's cover design and url
        self.made: dict[tuple[bool, bool], Layout | SamizdatError] = {}
        paper = paper_edition(job.document)
        self.paper = paper if paper.body_html != job.document.body_html else None

    def write(self, kind: Kind, on_paper: bool = False) -> tuple[Layout, bytes]:
        """The layout and the PDF bytes of one of the pamphlet's own kinds (samizdat.catalogue: its write
        options); `on_paper`, the impositions' source: the screen PDF with the paper edition's text. Raise its
        error."""
        cmyk, on_paper = self.cmyk and kind.colour, (kind.printed or on_paper) and self.paper is not None
        if (cmyk, on_paper) not in self.made:
            known = next((made.breaks for (_, paper), made in self.made.items()
                          if paper == on_paper and isinstance(made, Layout)), None)  # fmt: skip
            job = replace(self.job, document=self.paper) if on_paper else self.job
            try:
                self.made[cmyk, on_paper] = lay_out_pamphlet(
                    self.project, job, self.date, cmyk, known, self.contents, design=self.design, url=self.url
                )
            except SamizdatError as error:
                self.made[cmyk, on_paper] = error
        layout = self.made[cmyk, on_paper]
        if isinstance(layout, SamizdatError):
            raise layout
        write = kind.write or Write()
        return layout, write_pdf(
            layout, crop_marks=write.crop_marks, without_bleed=write.without_bleed, tagged=write.tagged,
            pdfx=cmyk and write.pdfx, booklet=write.booklet, mark=mark(kind.name, kind.paper),
        )  # fmt: skip; the print shop binds a booklet: its blank pages are in its file (samizdat.impose.blanks)


def lay_out_pamphlet(
    project: Project, job: Job, date: str | None, cmyk: bool = False, breaks: dict[int, Breaks] | None = None,
    contents: tuple[Section, ...] = (), *, design: str = DESIGNS[0], url: str | None = None,
    tokens: dict[str, str] | None = None, stylesheets: tuple[str, ...] = (),
) -> Layout:  # fmt: skip
    """The pamphlet laid out with bleed (the print variant as it is, the screen PDF trimmed), its justified
    paragraphs broken as a whole (samizdat.paragraphs) unless the document asks for `linebreaks: greedy`.
    `breaks` found for one layout serve another of the same pages (the CMYK one); `contents`, the table of
    contents' entries; `design` and `url`, the covers' (samizdat.covers); `tokens`, design tokens changed for
    one edition (a larger text, other colours), `stylesheets` its own (after the others). Running heads and
    blocks are fitted to the pages (samizdat.running_head)."""
    document, local, fitting = job.document, job.local, Fitting(job.document)
    cover = cover_for(document, design, url, grey=cmyk, fingerprint=fingerprint_for(project))

    def lay_out_with(chosen: dict[int, Breaks] | None) -> Layout:
        html = render_html(
            with_breaks(document, chosen), "pamphlet/pamphlet.html", project.layouts_dir, variant="print",
            date=document.date or date, local=local, qr=qr_data_uri(local.url, grey=cmyk) if local and local.url
            else None, cmyk=cmyk_tokens(project.layouts_dir) if cmyk else None, contents=contents, cover=cover,
            tokens=tokens, stylesheets=stylesheets,
        )  # fmt: skip
        layout = lay_out_fitted(html, lambda fitted_html: fitted(fitted_html, lambda html: lay_out(
            html, base_url=document.source.resolve().as_uri(), allowed_dirs=project.readable_dirs,
            fonts_dir=project.fonts_dir,
        ), document.source), fitting)  # fmt: skip; running heads shortened, tables set smaller (samizdat.tables)
        if layout.missing:
            raise missing_file_error(document, layout.missing[0])
        layout.breaks = chosen or {}
        return layout

    cache_dir = project.output_dir / ".cache"
    shaping = (repr(contents), design, *([repr(sorted(tokens.items()))] if tokens else []), *stylesheets)
    remembered_at = breaks_path(cache_dir, document, project.layouts_dir, project.fonts_dir, *shaping)
    if breaks is not None or document.linebreaks == "greedy":
        layout = lay_out_with(breaks)
    elif (known := remembered(remembered_at)) is not None:
        layout = set_remembered(lay_out_with, known)
    else:
        memo = Memo(memo_path(cache_dir, document, project.layouts, project.fonts, *shaping))  # samizdat.paragraph_memo
        layout = set_paragraphs(lay_out_with, texts_of(document), memo)
        remember(remembered_at, layout.breaks)
    layout.messages.texts += misplaced_notes(layout.document, document.source) + long_back_cover(layout.document)
    layout.messages.texts += document.language_notes  # said once per document (samizdat.build.once_only)
    layout.source = document.source
    layout.row = (document.local.data, local.line) if local else None
    layout.folder = job_folder(project, job).relative_to(project.output_dir).as_posix()
    return layout


def written(
    project: Project, job: Job, path: Path, data: bytes, purpose: str, pages: int, seconds: float,
    warnings: tuple[str, ...] | list[str] = (), cmyk: bool = False, kind: tuple[Kind, str] | None = None,
) -> TargetResult:  # fmt: skip
    """Put a made PDF in place (with its thumbnail) and say so; preflight checks it as its `kind` and paper."""
    write_atomically(path, data)
    if job.local is not None:
        purpose = f"{purpose} — local edition for {job.local.town}"
    else:
        write_atomically(project.output_dir / thumbnail_path(path.relative_to(project.output_dir)), thumbnail(data))
    strict = read_strictly(data)  # one reading of the file for its paper and for preflight
    trim = (strict or PdfReader(io.BytesIO(data))).pages[0].trimbox
    expect = expectations_of_kind(*kind) if kind else Expectations("generic")
    findings = preflight(data, replace(expect, cmyk=cmyk and expect.bleed_mm > 0), name=path.name, strict=strict)
    return TargetResult(
        str(path), "built", path, purpose, pages, len(data), seconds,
        warnings=[f"{job.document.source.name}: {text}" for text in warnings],
        paper=paper_name(float(trim.width), float(trim.height)),
        checks=[(finding.severity, finding.message) for finding in findings if finding.severity != INFO],
    )  # fmt: skip


def make_imposition(
    project: Project, job: Job, path: Path, options: ImposeOptions, screen: bytes | None,
    failure: str = "its source PDF failed",
) -> TargetResult:  # fmt: skip
    """Impose the screen (or paper) PDF onto printer's sheets (booklet, flyers, zine); `failure`: why none."""
    purpose = imposition_purpose(options)
    if screen is None:
        return TargetResult(name=str(path), state="skipped", path=path, purpose=purpose, error=failure)
    if options.layout == "zine" and len(PdfReader(io.BytesIO(screen)).pages) > 8:
        return TargetResult(str(path), "skipped", path, purpose, error="a one-page zine holds 8 pages at most")
    started = time.perf_counter()
    try:
        imposed = impose(screen, options, name=job.document.source.name, **manual_arguments(project, options, path))
        seconds, kind = time.perf_counter() - started, (kind_of(options), options.sheet)
        result = written(project, job, path, imposed.data, purpose, imposed.sides, seconds, kind=kind)
    except SamizdatError as error:
        return TargetResult(name=str(path), state="failed", path=path, purpose=purpose, error=str(error))
    result.warnings, result.text_pt = list(imposed.warnings), imposed.text_pt
    return result


def make_posters_of(
    project: Project, config: Config, planned: Planned, date: str | None, cache: Cache
) -> Iterator[TargetResult]:
    """The posters of the document's slogans, in output/SLUG/posters/ (or the local group's folder): the
    folder the plan made a target of, with its digest."""
    if not planned.targets:
        return
    job, (target,) = planned.job, planned.targets
    folder, key = target.path, target.digest
    document, started = job.document, time.perf_counter()
    try:
        made = make_posters(
            document, config.posters, layouts_dir=project.layouts_dir, readable_dirs=project.readable_dirs,
            fonts_dir=project.fonts_dir, date=document.date or date, local=job.local,
            cmyk=cmyk_tokens(project.layouts_dir) if config.print_colour == "cmyk" else None,
        )  # fmt: skip
        files = made.files
        seconds = (time.perf_counter() - started) / max(len(files), 1)
        results = [
            written(project, job, folder / f.name, f.data, f.purpose, f.pages, seconds, f.warnings,
                    config.print_colour == "cmyk" and KINDS[f.kind].colour, (KINDS[f.kind], f.paper))
            for f in files
        ]  # fmt: skip
        kept = {folder / name for failure in made.failures for name in failure.names(config.posters.tile_sheet)}
        for stale in set(folder.glob("*.pdf")) - {folder / file.name for file in files} - kept:
            stale.unlink()  # a removed or reworded slogan's posters would otherwise be mirrored unlisted
    except SamizdatError as error:
        yield TargetResult(name=str(folder), state="failed", path=folder, purpose="posters", error=str(error))
        return
    yield from (cache.keep(result, key) for result in results)
    for failure in made.failures:  # a slogan too long fails alone; its last good posters stay where they were
        path = folder / failure.names(config.posters.tile_sheet)[0]
        yield TargetResult(str(path), "failed", path, f"Poster “{failure.slogan}”", error=str(failure.error))
    if not made.failures:  # a failure is reported again by the next build
        cache.record_folder(folder, key, [file.name for file in files])


def missing_file_error(document: Document, missing: Path) -> SamizdatError:
    """A file the document (or its layout) names does not exist: point at the line that names it."""
    line, written = line_naming(document.source, missing)
    if written is not None and "\\" in written:
        return SamizdatError(f"the image path {written} has backslashes (\\), as Windows writes paths; write it with "
                             f"forward slashes: {written.replace(chr(92), '/')}", document.source, line)  # fmt: skip
    where = "the layout" if line is None else "this line"
    return SamizdatError(f"{where} names {missing}, which does not exist; image paths are relative to the document's "
                         "folder (content/), so a file in assets/ is ../assets/NAME", document.source if line else None,
                         line)  # fmt: skip
