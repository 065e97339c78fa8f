"""The reader editions' job: the HTML reading page, the EPUB and the plain text of one document, without laying
out a page.

They are one job (samizdat.targets.GROUPS: "reader"), apart from the
pamphlet's: a build where only they are stale (reading.css edited) lays
nothing out, and a build where only the pamphlet is stale leaves them be.
Each is written atomically (a failure leaves the last good file where it
was) and checked lightly as what it is (samizdat.preflight.reading). No local
group's edition has them: what differs there is the back cover's box, for paper.
"""

from __future__ import annotations

import time
from collections.abc import Iterator

from samizdat.cache import Cache
from samizdat.catalogue import Kind
from samizdat.config import Config
from samizdat.content import Document
from samizdat.epub import epub_bytes
from samizdat.errors import SamizdatError
from samizdat.output import write_atomically
from samizdat.plaintext import plain_text_edition
from samizdat.plan import Planned, Target
from samizdat.preflight import INFO, preflight
from samizdat.preflight.names import expectations_of_kind
from samizdat.project import Project
from samizdat.reading import check_pictures, reading_page
from samizdat.targets import TargetResult, job_folder


def make_reader_editions(
    project: Project, config: Config, planned: Planned, date: str | None, cache: Cache
) -> Iterator[TargetResult]:
    """Each stale reader edition of the job's document, in the catalogue's order, as it is written."""
    document = planned.job.document
    folder = job_folder(project, planned.job).relative_to(project.output_dir).as_posix()
    try:
        if planned.targets:
            check_pictures(project, document)
    except SamizdatError as missing:  # the document's error: every edition keeps its last good file
        yield from (cache.keep(failed(target, missing), target.digest) for target in planned.targets)
        return
    for target in planned.targets:
        started, path, kind = time.perf_counter(), target.path, target.kind
        try:
            data, warnings = edition(project, config, document, kind, folder, date)
        except SamizdatError as error:
            yield cache.keep(failed(target, error), target.digest)
            continue
        write_atomically(path, data)
        findings = preflight(data, expectations_of_kind(kind, ""), name=path.name)
        result = TargetResult(
            str(path), "built", path, kind.purpose, 0, len(data), time.perf_counter() - started, warnings=warnings,
            checks=[(finding.severity, finding.message) for finding in findings if finding.severity != INFO],
        )  # fmt: skip
        yield cache.keep(result, target.digest)


def failed(target: Target, error: SamizdatError) -> TargetResult:
    """A failed result: nothing is written, and the record forgets the target, so the next build tries again."""
    return TargetResult(str(target.path), "failed", target.path, target.kind.purpose, error=str(error))


def edition(
    project: Project, config: Config, document: Document, kind: Kind, folder: str, date: str | None
) -> tuple[bytes, list[str]]:  # fmt: skip
    """One reader edition's bytes, and what the build should say about it."""
    if kind.name == "html":
        return reading_page(project, document, folder, config.url, date)
    if kind.name == "text":
        return plain_text_edition(document, config.url, document.date or date), []
    return epub_bytes(document, project, config, date), []
