"""The build's units of work: jobs (the outputs that share one render), their results, and shards of a batch.

A target is one output file (samizdat.plan gives each its kind and digest;
samizdat.catalogue says what each kind is). Targets that share work are one job: the
pamphlet job lays a document out once and writes the A5 PDF, its print
variant, the impositions and their thumbnails; the posters job fits and sets
all its posters in one render. Jobs are what the process pool runs and what
`--shard I/N` splits. This module imports nothing heavy: the command line
uses it before it knows whether anything needs rendering.
"""

from __future__ import annotations

import argparse
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from samizdat.catalogue import SUFFIXES
from samizdat.direction import binding

if TYPE_CHECKING:
    from samizdat.config import Config
    from samizdat.content import Document
    from samizdat.impose import ImposeOptions
    from samizdat.local import LocalGroup
    from samizdat.project import Project

#: What each job makes, in the order the build runs them: "reader" makes the HTML, EPUB and plain-text editions,
#: without laying pages out (samizdat.reader_job); the last two only when samizdat.yaml asks (plan._jobs).
GROUPS = ("pamphlet", "posters", "reader", "printer-test", "variants", "riso")
#: The jobs whose targets are each a render (a layout, a file) of their own, which workers may make apart.
SEPARATE_RENDERS = ("reader", "variants")
#: The groups in the order workers are given their jobs: the longest renders first, so that the short ones fill
#: the gaps at the end instead of a long one starting last (the order the results are reported in stays the plan's).
HEAVIEST_FIRST = ("pamphlet", "riso", "variants", "posters", "reader", "printer-test")


@dataclass
class TargetResult:
    """What happened to one output (or to a document that could not be read at all)."""

    name: str
    state: str  # "built", "up to date", "failed" or "skipped"
    path: Path | None = None
    purpose: str = ""
    pages: int = 0
    size: int = 0
    seconds: float = 0.0
    error: str | None = None
    warnings: list[str] = field(default_factory=list)
    paper: str = ""  # "A5", "A4 landscape": the first page's trim, for the download page
    checks: list[tuple[str, str]] = field(default_factory=list)  # preflight's errors and warnings: (severity, text)
    text_pt: float | None = None  # an imposition's body text size once its pages are scaled onto the sheet

    @property
    def check(self) -> str:
        """The preflight verdict for the summary: pass, FAIL, or how many warnings; empty when not checked."""
        of_a_kind = self.path is not None and self.path.suffix in SUFFIXES and self.path.name != "index.html"
        if self.state not in ("built", "up to date") or not of_a_kind:  # index.html: the download page
            return ""
        errors = sum(severity == "error" for severity, _ in self.checks)
        warnings = len(self.checks) - errors
        return "FAIL" if errors else f"{warnings} warning{'s' * (warnings != 1)}" if warnings else "pass"


class Reporter(Protocol):
    """Told what the build plans and what each job made, as it happens; the CLI draws it (samizdat.progress)."""

    def planned(self, jobs: list[str], workers: int) -> None:
        """The jobs about to run (names), and how many run at once."""

    def finished(self, job: str, results: list[TargetResult]) -> None:
        """One job is done (or a document could not be read: then `job` is its file name)."""


@dataclass(frozen=True)
class Job:
    """One document's pamphlet or posters, for everyone or for one local group."""

    document: Document
    group: str  # one of GROUPS
    local: LocalGroup | None = None

    @property
    def name(self) -> str:
        """'stop-the-war pamphlet', 'leaflet/local/example-town posters', 'leaflet/ru pamphlet' (an edition of a
        text in several languages): stable, for shards and progress."""
        where = "/".join(filter(None, [self.document.slug, self.document.edition]))
        return f"{where}/local/{self.local.slug} {self.group}" if self.local else f"{where} {self.group}"


def shard(text: str) -> tuple[int, int]:
    """'2/5' → (2, 5): the second of five shards (an argparse type).

    >>> shard("1/2")
    (1, 2)
    """
    match = re.fullmatch(r"\s*(\d+)\s*/\s*(\d+)\s*", text)
    if not match or not 1 <= int(match.group(1)) <= int(match.group(2)):
        raise argparse.ArgumentTypeError(f"'{text}' is not a shard: write I/N with 1 ≤ I ≤ N, e.g. 1/4")
    return int(match.group(1)), int(match.group(2))


def in_shard(jobs: list[Job], which: tuple[int, int] | None) -> list[Job]:
    """Shard I of N: every Nth job in the order of their names, so the N shards together are the whole build.

    The order is by name, not by position on the command line, so every machine
    of a split batch agrees on which jobs are its own.
    """
    if which is None:
        return jobs
    index, count = which
    ordered = sorted(jobs, key=lambda job: job.name)
    mine = {id(job) for position, job in enumerate(ordered) if position % count == index - 1}
    return [job for job in jobs if id(job) in mine]


def job_folder(project: Project, job: Job) -> Path:
    """output/SLUG/, or output/SLUG/local/GROUP/ for a local group's edition; output/SLUG/LANG/… for a text in
    several languages (samizdat.translations)."""
    folder = project.output_dir / job.document.slug / (job.document.edition or "")
    return folder / "local" / job.local.slug if job.local else folder


def wanted(job: Job, output: str) -> bool:
    """Whether the job makes this output: everything for the document itself, what it names for local groups."""
    return job.local is None or output in job.document.local.outputs


def impositions_of(config: Config, job: Job) -> list[ImposeOptions]:
    """The impositions a job makes: all of the config's for the document, those it names for a local group;
    each bound on the edge the document's language asks for (right for a right-to-left one)."""
    bind = binding(job.document.lang)
    local = {config.booklet: "booklet", **dict.fromkeys(config.manual_booklet, "manual-booklet")}
    return [
        replace(options, bind=bind) for options in (config.booklet, *config.impositions, *config.manual_booklet)
        if wanted(job, local.get(options, "impositions"))
    ]  # fmt: skip
