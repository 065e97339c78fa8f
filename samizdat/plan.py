"""Plan once: the project, its config and its documents → every target, with the digest of what it is made from.

A target is one output file (or, for posters, their folder: which files a
document's slogans make is known once they are set), its kind (a row of
samizdat.catalogue), the digest of its inputs, and the job that makes it.
The parent plans; freshness is then a lookup of each digest in the record
(samizdat.cache), and workers receive only the stale jobs, each with the
targets and digests planned here: no second walk of the folders, and no
second derivation of a key that would have to be kept in step with this one.
This module imports nothing heavy: a build with nothing to do never loads the typesetter.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from pathlib import Path
from typing import TYPE_CHECKING

from samizdat.bidi import isolated_group
from samizdat.cache import NOT_PICTURES, Cache, digest, inputs_digest, pamphlet_key, up_to_date
from samizdat.catalogue import KINDS, PAMPHLET_FILES, READER_FILES, Kind, imposed
from samizdat.impose import imposition_suffix
from samizdat.layers import one_walk
from samizdat.local import read_local_groups
from samizdat.targets import GROUPS, LOCAL_GROUPS, Job, TargetResult, impositions_of, in_shard, job_folder, wanted

if TYPE_CHECKING:
    from samizdat.config import Config
    from samizdat.content import Document
    from samizdat.impose import ImposeOptions
    from samizdat.project import Project


@dataclass(frozen=True)
class Target:
    """One output to make: where it goes, what kind it is, the digest of its inputs; an imposition's options."""

    path: Path
    kind: Kind
    digest: str
    options: ImposeOptions | None = None  # the imposition that makes it, for the imposed kinds


@dataclass(frozen=True)
class Planned:
    """A job and its targets: what one worker makes from one render. A posters job has one target, their
    folder (kind "poster"), or none when the document has no slogans and left no posters behind."""

    job: Job
    targets: tuple[Target, ...]
    source: Target | None = None  # a stale job's A5 PDF when it is up to date: the impositions' source, read

    @property
    def name(self) -> str:
        return self.job.name


def plan(
    project: Project, config: Config, documents: list[Document], date: str | None,
    shard: tuple[int, int] | None = None,
) -> tuple[list[Planned], list[TargetResult]]:  # fmt: skip
    """Every job of the documents (of this shard), each with its targets; a failed result for each bad row of
    a local groups' file (the other rows are still planned)."""
    jobs, failures = jobs_of(documents)
    with one_walk():  # the layouts and fonts are walked once, not once per job
        return [targets_of(project, config, job, date) for job in in_shard(jobs, shard)], failures


def jobs_of(documents: list[Document]) -> tuple[list[Job], list[TargetResult]]:
    """Every document's jobs, then its local groups' (a bad row fails alone: the other rows still build)."""
    jobs, failures = [], []
    for document in documents:
        jobs += [Job(document, group) for group in GROUPS]
        if document.local is None:
            continue
        groups, errors = read_local_groups(document.local.data)
        groups = [isolated_group(group, document.lang) for group in groups]  # right to left: samizdat.bidi
        failures += [TargetResult(name=error.location, state="failed", error=str(error)) for error in errors]
        jobs += [Job(document, group, local) for local in groups for group in LOCAL_GROUPS]
    return jobs, failures


def targets_of(project: Project, config: Config, job: Job, date: str | None) -> Planned:
    """The job's targets, in the order the job makes them, each with its digest: the one place keys are made."""
    folder = job_folder(project, job)
    if job.group == "reader":  # everyone's: a local group's edition has none (samizdat.targets.LOCAL_GROUPS)
        return Planned(job, tuple(Target(folder / kind.file_name(slug=job.document.slug), kind,
                                         reader_key(project, config, job, kind, date)) for kind in READER_FILES))
    if job.group == "posters":
        folder = folder / "posters"
        if not wanted(job, "posters") or not (job.document.slogans or any(folder.glob("*.pdf"))):
            return Planned(job, ())  # no slogans, and no posters left over from slogans since removed
        key = inputs_digest(project, job, "poster", date, repr(config.posters), config.print_colour)
        return Planned(job, (Target(folder, KINDS["poster"], key),))
    key, slug = pamphlet_key(project, config, job, date), job.document.slug
    targets = [
        Target(folder / kind.file_name(slug=slug), kind, digest(key, kind.name, config.print_colour * kind.colour))
        for kind in PAMPHLET_FILES if wanted(job, kind.local or "")  # a kind no local edition has: not in theirs
    ]  # fmt: skip
    targets += [
        Target(folder / f"{slug}-{imposition_suffix(options)}.pdf", imposed(options.layout), digest(key, repr(options)),
               options)
        for options in impositions_of(config, job)
    ]  # fmt: skip
    return Planned(job, tuple(targets))


def only_stale(planned: Planned, cache: Cache) -> tuple[Planned, list[TargetResult]]:
    """What a worker is given of a job: its stale targets only (and its A5 PDF as the impositions' source, when
    that is up to date), and the results of the targets that are, from a lookup here."""
    fresh = {target: entry for target in planned.targets if (entry := cache.fresh(target.path, target.digest))}
    source = next((t for t in fresh if t.options is None and not t.kind.printed and planned.job.group != "posters"),
                  None)  # fmt: skip
    stale = tuple(target for target in planned.targets if target not in fresh)
    return Planned(planned.job, stale, source), [up_to_date(target.path, entry) for target, entry in fresh.items()]


def already_made(planned: Planned, cache: Cache) -> list[TargetResult] | None:
    """The job's outputs, if every one is up to date: then no worker (and no WeasyPrint) is needed for it.

    A lookup of the planned digests; a posters folder is fresh when every file recorded in it is.
    """
    entries = [cache.fresh(target.path, target.digest) for target in planned.targets]
    if None in entries:
        return None
    if planned.job.group == "posters":
        return [up_to_date(t.path / name, cache.fresh(t.path / name, t.digest)) for t, entry in
                zip(planned.targets, entries, strict=True) for name in entry["files"]]  # fmt: skip
    return [up_to_date(target.path, entry) for target, entry in zip(planned.targets, entries, strict=True)]


#: The layout folders each reader edition is made with (the EPUB's cover is the pamphlet's, its type the base's).
READER_LAYOUTS = {"html": ("reading",), "text": (), "epub": ("base", "pamphlet", "epub")}
#: What of samizdat.yaml each reader edition reads (samizdat.config.Config's fields): the online copy's address;
#: the EPUB's cover design and fonts too (samizdat.epub).
READER_SETTINGS = {"html": ("url",), "text": ("url",), "epub": ("cover", "url", "epub_fonts")}


def reader_key(project: Project, config: Config, job: Job, kind: Kind, date: str | None) -> str:
    """What one reader edition is made from: the document and its pictures, the layouts it uses (none for the
    plain text), the fonts and where the notes go for the EPUB, the online copy's address, the text's other
    editions and where its links lead, and the settings of samizdat.yaml it reads (READER_SETTINGS)."""
    document = job.document
    pictures = sorted(p for p in document.source.parent.rglob("*") if p.is_file() and p.suffix not in NOT_PICTURES)
    layouts = [part for folder in READER_LAYOUTS[kind.name] for part in project.layouts.effective(folder)]
    fonts = project.fonts.effective() if kind.name == "epub" else []
    body = repr((document.notes, document.links)) if kind.name == "epub" else ""  # its body is the document's own:
    # its notes where samizdat.yaml puts them; the reading page and the text set theirs at the end themselves
    settings = repr([(item.name, getattr(config, item.name)) for item in fields(config)
                     if item.name in READER_SETTINGS[kind.name]])  # fmt: skip
    return digest(
        document.digest or document.source, *pictures, *layouts, *fonts, project.assets_dir, kind.name,
        document.date or date or "", settings, body, repr(document.editions), repr(document.links_to),
    )  # fmt: skip
