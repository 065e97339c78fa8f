"""Build stage: which outputs each document gets, and the only code that writes into output/."""

from __future__ import annotations

import io
import multiprocessing
import re
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from pypdf import PdfReader

from samizdat.cache import Cache, digest
from samizdat.config import Config, load_config
from samizdat.content import Document, find_documents, load_document, select_documents
from samizdat.errors import ContentError, SamizdatError
from samizdat.html import render_html
from samizdat.impose import ImposeOptions, impose, imposition_purpose, imposition_suffix
from samizdat.output import source_date, write_atomically
from samizdat.pdf import render_pdf
from samizdat.posters import make_posters
from samizdat.project import OUTPUT_KINDS, OutputKind, Project
from samizdat.publish import describe, site_files


@dataclass
class TargetResult:
    """What happened to one output (or to a document that could not be read at all)."""

    name: str
    state: str  # "built", "failed" or "skipped"
    path: Path | None = None
    purpose: str = ""
    pages: int = 0
    size: int = 0
    seconds: float = 0.0
    error: str | None = None
    warnings: list[str] = field(default_factory=list)


Reporter = Callable[[TargetResult], None]


def build_project(
    project: Project, report: Reporter, only: list[str] | None = None, jobs: int = 1
) -> list[TargetResult]:
    """Build every output of every document (or of the `only` slugs); one failure never stops the rest.

    With `jobs` > 1, documents are built in that many processes; the outputs are the same bytes.
    """
    config = load_config(project.root)
    if not project.content_dir.is_dir():
        raise SamizdatError(f"the content folder {project.content_dir} does not exist; create it or use --content DIR")
    sources = find_documents(project.content_dir)
    if not sources:
        raise SamizdatError(f"no documents in {project.content_dir}: add a Markdown file such as my-leaflet.md")
    if only:
        sources = select_documents(sources, only)
    date = source_date()
    cache = Cache(project.output_dir)
    results: list[TargetResult] = []
    documents, slugs = [], {}
    for source in sources:
        try:
            document = load_document(source)
            if slugs.setdefault(document.slug, source) != source:
                raise ContentError(
                    f"its outputs would be named '{document.slug}' like those of {slugs[document.slug].name}; "
                    "rename one of the two files",
                    source,
                )
            documents.append(document)
        except SamizdatError as error:
            results.append(TargetResult(name=source.name, state="failed", error=str(error)))
            report(results[-1])
    for built in _each_document(project, config, documents, date, cache, jobs):
        warned: set[str] = set()
        for result in built:
            result.warnings = [text for text in result.warnings if text not in warned]  # once per document
            warned.update(result.warnings)
            results.append(result)
            report(result)
    cache.save()
    return results


def _each_document(
    project: Project, config: Config, documents: list[Document], date: str | None, cache: Cache, jobs: int
) -> Iterator[list[TargetResult]]:
    """Each document's results, in order; with jobs > 1, documents are built in parallel worker processes."""
    if jobs <= 1 or len(documents) <= 1:
        for document in documents:
            yield list(build_document(project, config, document, date, cache))
        return
    with ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("fork")) as pool:
        futures = [pool.submit(_build_in_worker, project, config, d, date, cache.entries) for d in documents]
        for future in futures:
            built, entries = future.result()
            cache.entries.update(entries)
            yield built


def _build_in_worker(
    project: Project, config: Config, document: Document, date: str | None, entries: dict
) -> tuple[list[TargetResult], dict]:
    cache = Cache(project.output_dir, entries)
    built = list(build_document(project, config, document, date, cache))
    return built, {name: entry for name, entry in cache.entries.items() if name.startswith(f"{document.slug}/")}


def build_document(
    project: Project, config: Config, document: Document, date: str | None, cache: Cache
) -> Iterator[TargetResult]:
    """The renders of one document, then its impositions, made from the screen render's bytes, then its posters.

    Each is skipped when the cache says it was made from the same inputs (see samizdat.cache).
    """
    shared = (project.fonts_dir, project.root / "samizdat.yaml", document.date or date or "")
    pamphlet = digest(document.source, project.layouts_dir / "base", project.layouts_dir / "pamphlet", *shared)
    screen = None
    for kind in OUTPUT_KINDS:
        path, key = output_path(project, document, kind.suffix), digest(pamphlet, kind.suffix)
        if entry := cache.fresh(path, key):
            screen = path.read_bytes() if kind.variant == "screen" else screen
            yield up_to_date(path, entry)
            continue
        result, data = build_render(project, document, kind, date)
        screen = data if kind.variant == "screen" else screen
        yield cache.keep(result, key)
    for options in (config.booklet, *config.impositions):
        path, key = output_path(project, document, imposition_suffix(options)), digest(pamphlet, repr(options))
        entry = cache.fresh(path, key)
        yield (
            up_to_date(path, entry) if entry else cache.keep(build_imposition(project, document, options, screen), key)
        )
    folder = project.output_dir / document.slug / "posters"
    key = digest(
        document.source, project.layouts_dir / "base", project.layouts_dir / "poster", *shared, repr(config.posters)
    )
    if entry := cache.fresh(folder, key):
        yield from (up_to_date(folder / name, cache.fresh(folder / name, key)) for name in entry["files"])
        return
    results = list(build_posters(project, config, document, date))
    for result in results:
        yield cache.keep(result, key)
    if all(result.state == "built" for result in results):
        cache.record_folder(folder, key, [result.path.name for result in results])


def up_to_date(path: Path, entry: dict) -> TargetResult:
    return TargetResult(str(path), "up to date", path, entry["purpose"], entry["pages"], path.stat().st_size)


def build_site(project: Project, results: list[TargetResult]) -> TargetResult:
    """output/index.html, manifest.json, SHA256SUMS and thumbnails, for every output this build made or kept."""
    index = project.output_dir / "index.html"
    purpose = "Download page with checksums — open it in a browser, or mirror the folder"
    if results and all(result.state == "up to date" for result in results) and index.is_file():
        return TargetResult(str(index), "up to date", index, purpose, 1, index.stat().st_size)
    started = time.perf_counter()
    documents, entries, thumbnails = [], [], {}
    for source in find_documents(project.content_dir):
        try:
            documents.append(load_document(source))
        except SamizdatError:
            continue  # its failure is in the summary already
    slugs = {document.slug for document in documents}
    for result in results:
        if result.path and result.path.suffix == ".pdf" and result.path.is_file():
            slug = result.path.relative_to(project.output_dir).parts[0]
            if slug in slugs:
                entry, png = describe(project.output_dir, result.path, slug, result.purpose)
                entries.append(entry)
                thumbnails[entry.thumbnail] = png
    listed = [document for document in documents if any(entry.document == document.slug for entry in entries)]
    try:
        files = site_files(listed, entries, thumbnails, project.layouts_dir)
        for name, data in files.items():
            write_atomically(project.output_dir / name, data)
    except SamizdatError as error:
        return TargetResult(str(index), "failed", index, purpose, error=str(error))
    return TargetResult(str(index), "built", index, purpose, 1, len(files["index.html"]), time.perf_counter() - started)


def build_posters(project: Project, config: Config, document: Document, date: str | None) -> Iterator[TargetResult]:
    """The posters of the document's slogans, written under output/SLUG/posters/."""
    folder = project.output_dir / document.slug / "posters"
    started = time.perf_counter()
    try:
        files = make_posters(
            document, config.posters, layouts_dir=project.layouts_dir, readable_dirs=project.readable_dirs,
            fonts_dir=project.fonts_dir, date=document.date or date,
        )  # fmt: skip
        for file in files:
            write_atomically(folder / file.name, file.data)
        for stale in set(folder.glob("*.pdf")) - {folder / file.name for file in files}:
            stale.unlink()  # a removed or reworded slogan's posters would otherwise be mirrored unlisted
    except SamizdatError as error:
        yield TargetResult(name=str(folder), state="failed", path=folder, purpose="posters", error=str(error))
        return
    seconds = (time.perf_counter() - started) / max(len(files), 1)
    for file in files:
        path = folder / file.name
        warnings = [f"{document.source.name}: {text}" for text in file.warnings]
        yield TargetResult(
            str(path), "built", path, file.purpose, file.pages, len(file.data), seconds, warnings=warnings
        )


def output_path(project: Project, document: Document, suffix: str) -> Path:
    return project.output_dir / document.slug / f"{document.slug}-{suffix}.pdf"


def build_render(
    project: Project, document: Document, kind: OutputKind, date: str | None
) -> tuple[TargetResult, bytes | None]:
    """Render one output of one document and put it in place atomically."""
    path = output_path(project, document, kind.suffix)
    started = time.perf_counter()
    try:
        html = render_html(
            document, kind.template, project.layouts_dir, variant=kind.variant, date=document.date or date
        )
        rendered = render_pdf(
            html,
            base_url=document.source.resolve().as_uri(),
            allowed_dirs=project.readable_dirs,
            fonts_dir=project.fonts_dir,
            crop_marks=kind.crop_marks,
        )
        if rendered.missing:
            raise missing_file_error(document, rendered.missing[0])
        write_atomically(path, rendered.data)
    except SamizdatError as error:
        return TargetResult(name=str(path), state="failed", path=path, purpose=kind.purpose, error=str(error)), None
    result = TargetResult(
        name=str(path),
        state="built",
        path=path,
        purpose=kind.purpose,
        pages=rendered.pages,
        size=len(rendered.data),
        seconds=time.perf_counter() - started,
        warnings=[f"{document.source.name}: {text}" for text in rendered.warnings],
    )
    return result, rendered.data


def build_imposition(
    project: Project, document: Document, options: ImposeOptions, screen: bytes | None
) -> TargetResult:
    """Impose the screen PDF onto printer's sheets (booklet, flyers, zine)."""
    path = output_path(project, document, imposition_suffix(options))
    purpose = imposition_purpose(options)
    if screen is None:
        return TargetResult(name=str(path), state="skipped", path=path, purpose=purpose, error="its source PDF failed")
    if options.layout == "zine" and len(PdfReader(io.BytesIO(screen)).pages) > 8:
        return TargetResult(str(path), "skipped", path, purpose, error="a one-page zine holds 8 pages at most")
    started = time.perf_counter()
    try:
        imposed = impose(screen, options, name=document.source.name)
        write_atomically(path, imposed.data)
    except SamizdatError as error:
        return TargetResult(name=str(path), state="failed", path=path, purpose=purpose, error=str(error))
    return TargetResult(
        name=str(path),
        state="built",
        path=path,
        purpose=purpose,
        pages=imposed.sides,
        size=len(imposed.data),
        seconds=time.perf_counter() - started,
        warnings=list(imposed.warnings),
    )


def missing_file_error(document: Document, missing: Path) -> SamizdatError:
    """A file the document (or its layout) names does not exist: point at the line that names it."""
    lines = document.source.read_text(encoding="utf-8-sig").splitlines()
    image = re.compile(r"\]\([^)]*" + re.escape(missing.name))
    line = next((number for number, text in enumerate(lines, start=1) if image.search(text)), None)
    where = "the layout" if line is None else "this line"
    return SamizdatError(
        f"{where} names {missing}, which does not exist; image paths are relative to the document's "
        "folder (content/), so a file in assets/ is ../assets/NAME",
        document.source if line else None,
        line,
    )
