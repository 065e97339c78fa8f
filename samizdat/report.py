"""One build, whoever asks for it: the quick answer, the jobs, the download page and the build record, as a report.

`build.py` and `build.py serve` both call build(); it returns a BuildReport
(every target with its state, pages, size, time, preflight verdict and
warnings; the download page; totals; the exit status; whether the quick answer
was used). The CLI prints that report, `serve` streams it to the browser; the
Reporter they pass in (samizdat.progress) draws the jobs as they finish. This
module imports nothing heavy: samizdat.build is loaded only when the quick
answer (samizdat.lastbuild) cannot be given.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from samizdat.digests import read_digests, write_digests
from samizdat.lastbuild import inputs_stamp, last_build, record_build
from samizdat.output import remove_part_files
from samizdat.project import Project
from samizdat.targets import Reporter, TargetResult

#: The name the download page is reported under to the Reporter (it is no job of the plan).
SITE_JOB = "download page"


@dataclass(frozen=True)
class Row:
    """One line of the report, as it is compared: what two builds of the same inputs must agree on."""

    path: str  # under output/, or the file name of a document that could not be read
    state: str
    pages: int
    size: int
    check: str


@dataclass
class BuildReport:
    """What one build did: its targets in the plan's order, the download page (None for a shard), its time."""

    output_dir: Path
    targets: list[TargetResult]
    site: TargetResult | None
    seconds: float
    quick: bool = False  # the quick answer: nothing changed since a build that succeeded, nothing was looked at
    shard: tuple[int, int] | None = None

    @property
    def results(self) -> list[TargetResult]:
        """Every result, the download page last: the summary table's rows and the build record's."""
        return [*self.targets, *([self.site] if self.site else [])]

    @property
    def status(self) -> int:
        """The exit status: 1 when an output failed or failed preflight, 0 otherwise."""
        return 1 if any(result.state == "failed" or result.check == "FAIL" for result in self.results) else 0

    def rows(self) -> list[Row]:
        """The results as rows: path (under output/), state, pages, size, preflight verdict."""
        return [
            Row(result.path.relative_to(self.output_dir).as_posix() if result.path else result.name,
                result.state, result.pages, result.size, result.check)
            for result in self.results
        ]  # fmt: skip

    def failures(self) -> list[str]:
        """'NAME: message' for each target that failed: what serve shows in its banner."""
        return [f"{result.name}: {result.error}" for result in self.targets if result.state == "failed"]


def build(
    project: Project, reporter: Reporter, *, only: list[str] | None = None, jobs: int = 1,
    shard: tuple[int, int] | None = None, remember: bool = True, earlier: Iterable[TargetResult] = (),
) -> BuildReport:  # fmt: skip
    """Build the project (or the `only` documents, or one shard) and report what every target became.

    With `remember`, a build with nothing changed since one that succeeded
    answers from its record without planning, and a finished build is recorded
    (or its record forgotten after a failure). `earlier` are results of this
    session's earlier builds (serve's): the download page keeps listing them.
    """
    started = time.perf_counter()
    read_digests(project.output_dir)  # the files' digests as the last build left them (samizdat.digests)
    stamp = inputs_stamp(project, repr((sorted(only or []), shard))) if remember else None
    remove_part_files(project.output_dir)  # left by a killed build or worker, even when nothing needs making
    recorded = last_build(project.output_dir, stamp) if stamp is not None else None
    if recorded is not None:
        write_digests(project.output_dir)
        return _quick_report(project.output_dir, recorded, time.perf_counter() - started, shard)
    from samizdat.build import build_project, build_site

    targets = build_project(project, reporter, only=only, jobs=jobs, shard=shard)
    site = None
    if shard is None:  # the page lists every output: it is written by a whole build, never by a shard
        listed = {result.path: result for result in earlier if result.path}
        listed.update({result.path: result for result in targets if result.path})
        site = build_site(project, list(listed.values()))
        reporter.finished(SITE_JOB, [site])
    if remember:
        record_build(project.output_dir, stamp, [*targets, *([site] if site else [])])
    write_digests(project.output_dir)
    return BuildReport(project.output_dir, targets, site, time.perf_counter() - started, shard=shard)


def _quick_report(
    output_dir: Path, recorded: list[TargetResult], seconds: float, shard: tuple[int, int] | None
) -> BuildReport:
    """The last build's results, told again: the page is the recorded index.html, when the record has one."""
    index = output_dir / "index.html"
    site = next((result for result in recorded if result.path == index), None)
    targets = [result for result in recorded if result is not site]
    return BuildReport(output_dir, targets, site, seconds, quick=True, shard=shard)
