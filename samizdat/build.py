"""Build stage: plan the jobs, skip what is up to date, run the rest in worker processes, write the download page.

The only code that writes into output/ is here and in samizdat.jobs (what one
job makes). Outputs are the same bytes whatever the number of workers and
whatever order the jobs finish in: each job depends only on its own inputs.

This module plans without the typesetter: samizdat.jobs (which imports
WeasyPrint, a second's work) is imported where jobs run, so forked workers
import it side by side while the parent has only planned.
"""

from __future__ import annotations

import multiprocessing
import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed

from samizdat.cache import Cache, already_made
from samizdat.config import Config, load_config
from samizdat.content import Document, find_documents, load_document, select_documents
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
    """output/index.html, manifest.json and SHA256SUMS, for every output this build made or kept."""
    from samizdat.publish import describe, site_files

    index = project.output_dir / "index.html"
    purpose = "Download page with checksums — open it in a browser, or mirror the folder"
    site = [index, project.output_dir / "manifest.json", project.output_dir / "SHA256SUMS"]
    if results and all(result.state == "up to date" for result in results) and all(p.is_file() for p in site):
        return TargetResult(str(index), "up to date", index, purpose, 1, index.stat().st_size)
    started = time.perf_counter()
    documents = []
    for source in find_documents(project.content_dir):
        try:
            documents.append(load_document(source))
        except SamizdatError:
            continue  # its failure is in the summary already
    slugs = {document.slug for document in documents}
    entries, thumbnails = [], {}
    for result in results:
        if result.path and result.path.suffix == ".pdf" and result.path.is_file():
            slug = result.path.relative_to(project.output_dir).parts[0]
            if slug in slugs:
                entry = describe(project.output_dir, result.path, slug, result.purpose, result.pages, result.paper)
                entries.append(entry)
                if entry.thumbnail and not (project.output_dir / entry.thumbnail).is_file():
                    from samizdat.thumbnails import thumbnail  # a thumbnail lost since its PDF was made

                    thumbnails[entry.thumbnail] = thumbnail(result.path.read_bytes())
    listed = [document for document in documents if any(entry.document == document.slug for entry in entries)]
    try:
        files = site_files(listed, entries, thumbnails, project.layouts_dir)
        for name, data in files.items():
            write_atomically(project.output_dir / name, data)
    except SamizdatError as error:
        return TargetResult(str(index), "failed", index, purpose, error=str(error))
    return TargetResult(str(index), "built", index, purpose, 1, len(files["index.html"]), time.perf_counter() - started)
