"""Build stage: plan the targets (samizdat.plan), skip what is up to date, run the rest in worker processes,
write the download page.

The only code that writes into output/ is here and in samizdat.jobs (what one
job makes). Outputs are the same bytes whatever the number of workers and
whatever order the jobs finish in: each job depends only on its own inputs.

This module plans without the typesetter: samizdat.jobs (which imports
WeasyPrint, half a second's work) is imported only once some job is stale, in
this process just before the workers are forked, so that each starts warm: two
workers importing it side by side cost 0.5 s more CPU for no shorter build.
"""

from __future__ import annotations

import hashlib
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

from samizdat.cache import Cache, digest, file_stamp
from samizdat.catalogue import SUFFIXES
from samizdat.config import Config, load_config
from samizdat.content import (
    Document,
    find_documents,
    load_document,
    not_a_file,
    odd_entries,
    select_documents,
    slug_of,
)
from samizdat.errors import ContentError, SamizdatError
from samizdat.languages import load_hyphenation
from samizdat.output import remove_files, remove_part_files, source_date, write_atomically
from samizdat.plan import Planned, already_made, in_plan_order, jobs_of, only_stale, plan, renders_of
from samizdat.project import Project
from samizdat.quick_import import import_weasyprint
from samizdat.records import clear_way, inside, prune_remembered, read_record, read_text_record, valid_manifest
from samizdat.stamps import record_shard
from samizdat.targets import HEAVIEST_FIRST, Reporter, TargetResult
from samizdat.translations import declarations, flag, link_editions, out_of_date, same_language, with_editions
from samizdat.workers import Budget, pool_size, run_in_workers


def build_project(
    project: Project, reporter: Reporter, only: list[str] | None = None, jobs: int = 1,
    shard: tuple[int, int] | None = None,
) -> list[TargetResult]:  # fmt: skip
    """Build every output of every document (or of the `only` slugs, or of one shard); a failure never stops the rest.

    Results come back in the plan's order, whatever order the workers finish in.
    """
    config, budget = load_config(project.root), Budget.from_environment()
    remove_part_files(project.output_dir)  # left by a build that was killed while writing
    documents, failures = read_documents(project, only)
    stale_translations = out_of_date(project.output_dir, documents)  # before any job: the record is the parent's
    planned, bad_rows = plan(project, config, documents, source_date(), shard)  # every target and its digest, once
    failures += bad_rows
    for failure in failures:
        reporter.finished(failure.name, [failure])
    cache = Cache(project.output_dir, shard)
    workers = pool_size(jobs, len(planned))
    reporter.planned([job.name for job in planned], workers)
    made: dict[str, list[TargetResult]] = {}
    try:
        for job, results in run_jobs(project, config, planned, cache, workers, budget):
            flag(job.job, results, stale_translations)
            made[job.name] = results
            reporter.finished(job.name, results)
        results = failures + [result for job in planned for result in made[job.name]]
        if only is None and shard is None and not any(result.state == "failed" for result in results):
            remove_unmade(project.output_dir, cache, results)
    finally:  # what was made stays made, even when the build is interrupted
        cache.save()
        prune_remembered(project.output_dir / ".cache")  # the lines of texts edited since (samizdat.records)
    whole = [job.name for job in jobs_of(documents, config)[0]] if shard else []  # the batch every shard is a part of
    record_shard(project, shard, only, whole, made, failures)  # for `build.py merge`
    return once_only(results)


def remove_unmade(output_dir: Path, cache: Cache, results: list[TargetResult]) -> list[str]:
    """Remove the outputs a whole build that succeeded no longer makes, so a mirror of output/ holds what is listed.

    Only files in samizdat's records (targets.json, the last manifest) and
    their thumbnails are candidates: a file put in output/ by hand stays.
    """
    from samizdat.publish import thumbnail_path

    made = {result.path.relative_to(output_dir).as_posix() for result in results
            if result.path and result.state in ("built", "up to date")}  # fmt: skip
    recorded = {name for name, entry in cache.entries.items() if "files" not in entry}
    recorded |= {entry["path"] for entry in _listed(output_dir) or []}
    gone = sorted(name for name in recorded - made if name.endswith(SUFFIXES))  # the catalogue's files only
    folders = {name.rsplit("/", 1)[0] for name in made}  # the posters' folders are recorded too
    for name in [name for name in cache.entries if name not in made and name not in folders]:
        cache.forget(name)
    return remove_files(output_dir, [*gone, *(thumbnail_path(Path(name)) for name in gone if name.endswith(".pdf"))])


def read_documents(project: Project, only: list[str] | None) -> tuple[list[Document], list[TargetResult]]:
    """The documents of content/ (or the `only` ones), and a failed result for each that cannot be read."""
    if not project.content_dir.is_dir():
        raise SamizdatError(f"the content folder {project.content_dir} does not exist; create it or use --content DIR")
    _READ.clear()
    sources, odd = find_documents(project.content_dir), odd_entries(project.content_dir)
    if not sources + odd:
        raise SamizdatError(f"no documents in {project.content_dir}: add a Markdown file such as my-leaflet.md")
    if only:
        sources = select_documents(sorted(sources + odd), only)
    documents, failures, slugs = [], [], {}
    for source in sources if only else sorted(sources + odd):
        try:
            document = read_document(project, source)
            named = (document.slug, document.translation_of is not None and document.lang)  # editions share a slug
            if slugs.setdefault(named, source) != source and document.translation_of:
                raise ContentError(same_language(document, slugs[named]), source, document.translation_line)
            if slugs[named] != source:
                raise ContentError(
                    f"its outputs would be named '{document.slug}' like those of {slugs[named].name}; "
                    "rename one of the two files",
                    source,
                )
            documents.append(document)
        except SamizdatError as error:
            failures.append(TargetResult(name=source.name, state="failed", error=str(error)))
    everyone = documents if not only else _all_documents(project, find_documents(project.content_dir))
    documents, unlinked = link_editions(with_editions(documents, everyone), everyone, declarations(project))
    return documents, failures + unlinked


def _all_documents(project: Project, sources: list[Path]) -> list[Document]:
    """Every document that loads, when only some are built: the back covers list every edition all the same."""
    everyone = []
    for source in sources:
        try:
            everyone.append(read_document(project, source))
        except SamizdatError:
            continue  # not asked for: its error is reported when it is built
    return everyone


def read_document(project: Project, source: Path) -> Document:
    """One document of content/, only if it is a regular file whose real location is inside the project."""
    if not source.is_file():  # before any link is followed: a loop of links cannot be resolved
        raise ContentError(not_a_file(source), source)
    project.refuse_outside(source, ContentError)  # a link to a file outside the project
    config = load_config(project.root)  # its notes and links are every document's defaults
    try:
        key = (source, hashlib.sha256(source.read_bytes()).digest(), config.notes, config.links)
    except OSError:  # load_document says why it cannot be read
        return load_document(source, config.notes, config.links)
    if key not in _READ:  # the download page reads the documents the build read: the same bytes, parsed once
        _READ[key] = load_document(source, config.notes, config.links)
    return _READ[key]


#: The documents this build read (Documents are frozen), by file, SHA-256 and the defaults they were read with;
#: emptied when a build starts reading, so a long `serve` keeps one build's documents, as the build itself does.
_READ: dict[tuple[Path, bytes, str, str | None], Document] = {}


def run_jobs(
    project: Project, config: Config, planned: list[Planned], cache: Cache, workers: int, budget: Budget
) -> Iterator[tuple[Planned, list[TargetResult]]]:
    """Each job with its results, as they finish: those up to date at once (a lookup of the planned digests),
    the stale ones from worker processes.

    Even one stale job renders in a worker, within the budget (samizdat.workers):
    a limit it hits, or a crash of the typesetter, fails that job and not the
    build. WeasyPrint is imported here first, once, so that every worker (and
    every later one, under `serve`) is forked warm.
    """
    date = source_date()
    stale, fresh = [], {}
    for job in planned:
        made = already_made(job, cache)
        if made is None:
            given, fresh[job.name] = only_stale(job, cache)  # a worker makes the stale targets, nothing else
            stale.append(given)
        else:
            yield job, made
    if not stale:
        return
    import_weasyprint()  # the quick way (samizdat.quick_import)
    import samizdat.jobs  # noqa: F401 - imported once, here, for every worker to inherit
    load_hyphenation({job.job.document.lang for job in stale})  # and the patterns the renders will hyphenate with
    whole, parts = {job.name: job for job in planned}, [part for job in stale for part in renders_of(job)]
    left = Counter(part.name for part in parts)
    parts.sort(key=lambda part: HEAVIEST_FIRST.index(part.job.group))
    for part, results in run_in_workers(project, config, parts, date, cache, workers, budget):
        fresh[part.name] += results
        left[part.name] -= 1
        if not left[part.name]:
            yield whole[part.name], in_plan_order(whole[part.name], fresh[part.name])


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

    A file the page listed last time stays listed while it is still there (its
    document or job is broken now, or was not asked for): a typo never takes a
    document's last good files off the page, and the page lists what a mirror holds.
    """
    from samizdat.publish import damaged, describe, lang_of, site_files
    from samizdat.signing import SIGNING_FILES, publishing

    index, output_dir = project.output_dir / "index.html", project.output_dir
    purpose = "Download page with checksums — open it in a browser, or mirror the folder"
    started = time.perf_counter()
    slugs = {slug_of(source) for source in find_documents(project.content_dir)}
    slugs |= {slug for slug, _, _ in declarations(project).values()}  # a translation's text, its original gone too
    documents = read_documents(project, None)[0]  # the failures are in the summary already
    entries = [
        describe(output_dir, result.path, result.path.relative_to(output_dir).parts[0], result.purpose, result.pages,
                 result.paper, lang_of(result.path.relative_to(output_dir).as_posix(), documents))
        for result in results
        if result.path and result.path.suffix in SUFFIXES and result.path.is_file()
        and result.path.relative_to(output_dir).parts[0] in slugs
    ]  # fmt: skip
    previous = _listed(output_dir)
    made = {entry.path for entry in entries}  # a file listed last time and still there stays listed (its job failed,
    # or this build did not ask for it): the page lists what a mirror holds; a whole build removes what is stale
    recorded = Cache(output_dir).entries
    entries += [
        describe(output_dir, output_dir / old["path"], old["document"], old["purpose"], old["pages"], old["paper"],
                 lang_of(old["path"], documents, old.get("lang", "")))
        for old in previous or []
        if old["document"] in slugs and old["path"] not in made and (output_dir / old["path"]).is_file()
        and _as_recorded(output_dir / old["path"], recorded.get(old["path"]))
    ]
    signing = publishing(project)  # the key that signs the checksums, if any (samizdat.signing)
    site = [index, output_dir / "manifest.json", output_dir / "SHA256SUMS", *(output_dir / n for n in signing.names)]
    about = [(document.slug, document.title, document.author, document.lang, document.edition)
             for document in documents]  # fmt: skip
    key = digest(
        *project.layouts.effective("site"), repr(about), repr(sorted((e.path, e.sha256, e.purpose) for e in entries)),
        signing.stamp,
    )
    record = output_dir / ".cache" / "site.digest"
    broken = damaged(output_dir)  # SHA256SUMS vouches for the page and the thumbnails too
    if previous is not None and not broken and read_text_record(record, output_dir) == _site_stamp(key, site):
        return TargetResult(str(index), "up to date", index, purpose, 1, index.stat().st_size)
    loaded = {(document.slug, document.lang) for document in documents}
    stand_ins = [_stand_in(slug, lang) for slug, lang in sorted({(e.document, e.lang) for e in entries} - loaded)]
    listed = [document for document in documents if document.slug in {entry.document for entry in entries}]
    thumbnails = {}
    try:
        for entry in entries:
            if entry.thumbnail and (entry.thumbnail in broken or not (output_dir / entry.thumbnail).is_file()):
                from samizdat.thumbnails import thumbnail  # a thumbnail lost since its PDF was made

                thumbnails[entry.thumbnail] = thumbnail(
                    (output_dir / entry.path).read_bytes(), str(output_dir / entry.path)
                )
        files = site_files([*listed, *stand_ins], entries, thumbnails, project.layouts_dir, output_dir, signing)
        for name, data in files.items():
            write_atomically(output_dir / name, data)
        remove_files(output_dir, [name for name in SIGNING_FILES if name not in files])  # a key taken away
        write_atomically(clear_way(record), _site_stamp(key, site).encode())
    except SamizdatError as error:
        return TargetResult(str(index), "failed", index, purpose, error=str(error))
    return TargetResult(str(index), "built", index, purpose, 1, len(files["index.html"]), time.perf_counter() - started)


def _as_recorded(path: Path, entry: dict | None) -> bool:
    """Whether a file is still as it was made (its size and SHA-256 as recorded): the checksums never vouch for a
    file damaged since. A file with no record (records lost) cannot be judged and is taken as it is."""
    return entry is None or "sha256" not in entry or file_stamp(path) == [entry["size"], entry["sha256"]]


def _listed(output_dir: Path) -> list[dict] | None:
    """What the download page listed last time (manifest.json), never a path outside output/; None if unreadable."""
    manifest = read_record(output_dir / "manifest.json", output_dir, valid_manifest)
    return None if manifest is None else [entry for entry in manifest["files"] if inside(output_dir, entry["path"])]


def _site_stamp(key: str, site: list[Path]) -> str:
    """site.digest: what the page was made from, and the size and SHA-256 of each of its files as written."""
    return "\n".join([key, *(f"{stamp}  {path.name}" for path in site for stamp in [file_stamp(path)])]) + "\n"


def _stand_in(slug: str, lang: str) -> SimpleNamespace:
    """What the page says of a document (or an edition) that has an error now: its last good files are listed."""
    note = "this document has an error now (see the build's summary); these are its last good files"
    return SimpleNamespace(slug=slug, title=slug, author=note, lang=lang or "en", translation_of=None, edition=None)
