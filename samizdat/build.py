"""Build stage: plan the jobs, skip what is up to date, run the rest in worker processes, write the download page.

The only code that writes into output/ is here and in samizdat.jobs (what one
job makes). Outputs are the same bytes whatever the number of workers and
whatever order the jobs finish in: each job depends only on its own inputs.

This module plans without the typesetter: samizdat.jobs (which imports
WeasyPrint, a second's work) is imported where jobs run, so forked workers
import it side by side while the parent has only planned.
"""

from __future__ import annotations

import json
import multiprocessing
import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path
from types import SimpleNamespace

from samizdat.cache import Cache, already_made, digest
from samizdat.config import Config, load_config
from samizdat.content import Document, find_documents, load_document, select_documents, slug_of
from samizdat.errors import ContentError, SamizdatError
from samizdat.local import read_local_groups
from samizdat.output import source_date, write_atomically
from samizdat.project import Project
from samizdat.targets import GROUPS, Job, Reporter, TargetResult, in_shard


def build_project(
    project: Project, reporter: Reporter, only: list[str] | None = None, jobs: int = 1,
    shard: tuple[int, int] | None = None,
) -> list[TargetResult]:  # fmt: skip
    """Build every output of every document (or of the `only` slugs, or of one shard); a failure never stops the rest.

    Results come back in the plan's order, whatever order the workers finish in.
    """
    config = load_config(project.root)
    documents, failures = read_documents(project, only)
    plan, bad_rows = plan_jobs(documents)
    failures += bad_rows
    for failure in failures:
        reporter.finished(failure.name, [failure])
    plan = in_shard(plan, shard)
    cache = Cache(project.output_dir, shard)
    workers = max(1, min(jobs, len(plan)))
    reporter.planned([job.name for job in plan], workers)
    made: dict[str, list[TargetResult]] = {}
    try:
        for job, results in run_jobs(project, config, plan, cache, workers):
            made[job.name] = results
            reporter.finished(job.name, results)
    finally:  # what was made stays made, even when the build is interrupted
        cache.save()
    return once_only(failures + [result for job in plan for result in made[job.name]])


def read_documents(project: Project, only: list[str] | None) -> tuple[list[Document], list[TargetResult]]:
    """The documents of content/ (or the `only` ones), and a failed result for each that cannot be read."""
    if not project.content_dir.is_dir():
        raise SamizdatError(f"the content folder {project.content_dir} does not exist; create it or use --content DIR")
    sources = find_documents(project.content_dir)
    if not sources:
        raise SamizdatError(f"no documents in {project.content_dir}: add a Markdown file such as my-leaflet.md")
    if only:
        sources = select_documents(sources, only)
    documents, failures, slugs = [], [], {}
    for source in sources:
        try:
            project.refuse_outside(source, ContentError)  # a link to a file outside the project
            document = load_document(source)
            if slugs.setdefault(document.slug, source) != source:
                raise ContentError(
                    f"its outputs would be named '{document.slug}' like those of {slugs[document.slug].name}; "
                    "rename one of the two files",
                    source,
                )
            documents.append(document)
        except SamizdatError as error:
            failures.append(TargetResult(name=source.name, state="failed", error=str(error)))
    return documents, failures


def plan_jobs(documents: list[Document]) -> tuple[list[Job], list[TargetResult]]:
    """Every document's jobs, then its local groups' (a bad row fails alone: the other rows still build)."""
    plan, failures = [], []
    for document in documents:
        plan += [Job(document, group) for group in GROUPS]
        if document.local is None:
            continue
        groups, errors = read_local_groups(document.local.data)
        failures += [TargetResult(name=error.location, state="failed", error=str(error)) for error in errors]
        plan += [Job(document, group, local) for local in groups for group in GROUPS]
    return plan, failures


def run_jobs(
    project: Project, config: Config, plan: list[Job], cache: Cache, workers: int
) -> Iterator[tuple[Job, list[TargetResult]]]:
    """Each job with its results, as they finish: in this process, or in `workers` forked processes.

    Forked workers inherit the imported WeasyPrint, so they start warm; each
    sends back its results and the cache records it made.
    """
    date = source_date()
    stale = []
    for job in plan:
        made = already_made(project, config, job, date, cache)
        if made is None:
            stale.append(job)
        else:
            yield job, made
    if not stale:
        return
    if workers <= 1 or len(stale) <= 1:
        from samizdat.jobs import run_job

        for job in stale:
            yield job, run_job(project, config, job, date, cache)
        return
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=min(workers, len(stale)), mp_context=context) as pool:
        futures = {pool.submit(_in_worker, project, config, job, date, cache.entries): job for job in stale}
        for future in as_completed(futures):
            results, changes = future.result()
            cache.apply(changes)
            yield futures[future], results


def _in_worker(project: Project, config: Config, job: Job, date: str | None, entries: dict) -> tuple[list, dict]:
    from samizdat.jobs import run_job

    cache = Cache(project.output_dir, entries=entries)
    results = run_job(project, config, job, date, cache)
    return results, cache.changes


def once_only(results: list[TargetResult]) -> list[TargetResult]:
    """The same warning (a refused URL, a font fallback) is kept once, on the first output in plan order.

    Warnings name their document, so this is once per document.
    """
    seen: set[str] = set()
    for result in results:
        result.warnings = [text for text in result.warnings if text not in seen]
        seen.update(result.warnings)
    return results


def build_site(project: Project, results: list[TargetResult]) -> TargetResult:
    """output/index.html, manifest.json and SHA256SUMS, for every output this build made or kept.

    A document this build did not make (not asked for, or broken) keeps the
    files the page listed for it, if they are still there: a typo in one
    document never takes the others, or its own last good files, off the page.
    """
    from samizdat.publish import damaged, describe, site_files

    index, output_dir = project.output_dir / "index.html", project.output_dir
    purpose = "Download page with checksums — open it in a browser, or mirror the folder"
    started = time.perf_counter()
    documents, slugs = [], {}
    for source in find_documents(project.content_dir):
        slugs[slug_of(source)] = source
        try:
            project.refuse_outside(source, ContentError)
            documents.append(load_document(source))
        except SamizdatError:
            continue  # its failure is in the summary already
    entries = [
        describe(output_dir, result.path, result.path.relative_to(output_dir).parts[0], result.purpose, result.pages,
                 result.paper)
        for result in results
        if result.path and result.path.suffix == ".pdf" and result.path.is_file()
        and result.path.relative_to(output_dir).parts[0] in slugs
    ]  # fmt: skip
    previous = _listed(output_dir)
    made = {entry.document for entry in entries}
    entries += [
        describe(output_dir, output_dir / old["path"], old["document"], old["purpose"], old["pages"], old["paper"])
        for old in previous
        if old["document"] in slugs and old["document"] not in made and (output_dir / old["path"]).is_file()
    ]
    site = [index, output_dir / "manifest.json", output_dir / "SHA256SUMS"]
    about = [(document.slug, document.title, document.author, document.lang) for document in documents]
    key = digest(
        project.layouts_dir / "site", repr(about), repr(sorted((e.path, e.sha256, e.purpose) for e in entries))
    )
    record = output_dir / ".cache" / "site.digest"
    broken = damaged(output_dir)  # SHA256SUMS vouches for the page and the thumbnails too
    if all(path.is_file() for path in site) and record.is_file() and record.read_text() == key and not broken:
        return TargetResult(str(index), "up to date", index, purpose, 1, index.stat().st_size)
    loaded = {document.slug for document in documents}
    stand_ins = [_stand_in(slug) for slug in sorted({entry.document for entry in entries} - loaded)]
    listed = [document for document in documents if document.slug in {entry.document for entry in entries}]
    thumbnails = {}
    try:
        for entry in entries:
            if entry.thumbnail and (entry.thumbnail in broken or not (output_dir / entry.thumbnail).is_file()):
                from samizdat.thumbnails import thumbnail  # a thumbnail lost since its PDF was made

                thumbnails[entry.thumbnail] = thumbnail(
                    (output_dir / entry.path).read_bytes(), str(output_dir / entry.path)
                )
        files = site_files([*listed, *stand_ins], entries, thumbnails, project.layouts_dir, output_dir)
        for name, data in files.items():
            write_atomically(output_dir / name, data)
        write_atomically(record, key.encode())
    except SamizdatError as error:
        return TargetResult(str(index), "failed", index, purpose, error=str(error))
    return TargetResult(str(index), "built", index, purpose, 1, len(files["index.html"]), time.perf_counter() - started)


def _listed(output_dir: Path) -> list[dict]:
    """What the download page listed last time (manifest.json), or nothing."""
    try:
        return list(json.loads((output_dir / "manifest.json").read_text(encoding="utf-8"))["files"])
    except (OSError, ValueError, KeyError, TypeError):
        return []


def _stand_in(slug: str) -> SimpleNamespace:
    """What the page says of a document that has an error now: its last good files are still listed."""
    note = "this document has an error now (see the build's summary); these are its last good files"
    return SimpleNamespace(slug=slug, title=slug, author=note, lang="en")
