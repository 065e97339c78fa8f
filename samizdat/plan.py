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

from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import TYPE_CHECKING

from samizdat.bidi import isolated_group
from samizdat.cache import NOT_PICTURES, Cache, digest, inputs_digest, pamphlet_key, up_to_date
from samizdat.catalogue import KINDS, PAMPHLET_FILES, READER_FILES, VARIANT_FILES, Kind
from samizdat.impose import imposition_suffix, kind_of
from samizdat.layers import one_walk
from samizdat.local import read_local_groups
from samizdat.targets import GROUPS, SEPARATE_RENDERS, Job, TargetResult, impositions_of, in_shard, job_folder, wanted

if TYPE_CHECKING:
    from samizdat.config import Config
    from samizdat.content import Document
    from samizdat.impose import ImposeOptions
    from samizdat.local import LocalGroup
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
    jobs, failures = jobs_of(documents, config)
    with one_walk():  # the layouts and fonts are walked once, not once per job
        return [targets_of(project, config, job, date) for job in in_shard(jobs, shard)], failures


def jobs_of(documents: list[Document], config: Config) -> tuple[list[Job], list[TargetResult]]:
    """Every document's jobs, then its local groups' (a bad row fails alone: the other rows still build); a
    "variants" job only when it makes some edition (samizdat.variants), a "riso" one only when samizdat.yaml has
    `riso:` (samizdat.riso)."""
    jobs, failures = [], []
    for document in documents:
        jobs += _jobs(document, config)
        if document.local is None:
            continue
        rows, errors = read_local_groups(document.local.data)
        rows = [isolated_group(row, document.lang) for row in rows]  # right to left: samizdat.bidi
        failures += [TargetResult(name=error.location, state="failed", error=str(error)) for error in errors]
        jobs += [job for local in rows for job in _jobs(document, config, local)]
    return jobs, failures


#: The jobs a local group's edition never has.
NOT_LOCAL = ("reader", "riso")


def _jobs(document: Document, config: Config, local: LocalGroup | None = None) -> list[Job]:
    """A document's jobs, or a local group's: its "variants" job only when it makes some edition; the riso
    separations and the reader editions only for the document itself (a local edition's "Near you" box is for
    paper)."""
    jobs = [Job(document, group, local) for group in GROUPS]
    return [job for job in jobs if (job.group != "variants" or any(made(config, job, kind) for kind in VARIANT_FILES))
            and (job.group != "riso" or config.riso is not None) and (local is None or job.group not in NOT_LOCAL)]


def targets_of(project: Project, config: Config, job: Job, date: str | None) -> Planned:
    """The job's targets, in the order the job makes them, each with its digest: the one place keys are made."""
    folder = job_folder(project, job)
    if job.group == "printer-test":  # the same sheet for every document: what the layouts, fonts and paper make
        kind, sheet = KINDS["printer-test"], config.sheet
        if not config.manual.test_sheet or not wanted(job, kind.local or ""):  # local editions: when they name it
            return Planned(job, ())
        key = digest(*project.layouts.effective("base"), *project.layouts.effective("printer-test"),
                     *project.fonts.effective(), kind.name, sheet)  # fmt: skip
        return Planned(job, (Target(folder / kind.file_name(slug=job.document.slug, sheet=sheet.lower()), kind, key),))
    if job.group == "reader":  # everyone's: a local group's edition has none (plan._jobs)
        return Planned(job, tuple(Target(folder / kind.file_name(slug=job.document.slug), kind,
                                         reader_key(project, config, job, kind, date)) for kind in READER_FILES))
    if job.group == "posters":
        folder = folder / "posters"
        if not wanted(job, "posters") or not (job.document.slogans or any(folder.glob("*.pdf"))):
            return Planned(job, ())  # no slogans, and no posters left over from slogans since removed
        key = inputs_digest(project, job, "poster", date, repr(config.posters), config.print_colour)
        return Planned(job, (Target(folder, KINDS["poster"], key),))
    if job.group == "riso":  # the separations, one per ink drum, then their proof (samizdat.riso)
        if config.riso is None:  # no riso job is planned then (_jobs): a caller's own job
            return Planned(job, ())
        key, slug, sheet, proof = pamphlet_key(project, config, job, date), job.document.slug, *riso_kinds()
        names = [(sheet, sheet.file_name(slug=slug, ink=ink.name)) for ink in config.riso.inks]
        return Planned(job, tuple(Target(folder / name, kind, digest(key, repr(config.riso)))
                                  for kind, name in [*names, (proof, proof.file_name(slug=slug))]))  # fmt: skip
    key, slug = pamphlet_key(project, config, job, date), job.document.slug
    if job.group == "variants":
        return Planned(job, tuple(Target(folder / kind.file_name(slug=slug), kind, digest(key, *variant_settings(
            config, kind))) for kind in VARIANT_FILES if made(config, job, kind)))  # fmt: skip
    targets = [
        Target(folder / kind.file_name(slug=slug), kind, digest(key, kind.name, config.print_colour * kind.colour))
        for kind in PAMPHLET_FILES if wanted(job, kind.local or "")  # a kind no local edition has: not in theirs
    ]  # fmt: skip
    targets += [
        Target(folder / f"{slug}-{imposition_suffix(options)}.pdf", kind_of(options), digest(key, repr(options)),
               options)
        for options in impositions_of(config, job)
    ]  # fmt: skip
    return Planned(job, tuple(targets))


def riso_kinds() -> tuple[Kind, Kind]:
    """The risograph's separation and its proof (samizdat.riso)."""
    return KINDS["riso"], KINDS["riso-proof"]


def made(config: Config, job: Job, kind: Kind) -> bool:
    """Whether a job of the "variants" group makes an edition (samizdat.variants): a document those its front
    matter names (`editions:`), else those samizdat.yaml names; a local group those its `local: outputs:` name."""
    named = config.editions if job.document.variants is None else job.document.variants  # its own list first
    return kind.name in named if job.local is None else wanted(job, kind.local or "")


def variant_settings(config: Config, kind: Kind) -> tuple[str, ...]:
    """What samizdat.yaml adds to an edition's digest: CMYK for a print shop's file, the copier's share of solid."""
    return kind.name, config.print_colour * kind.colour, repr(config.copier_max_solid) * (kind.name == "copier")


def only_stale(planned: Planned, cache: Cache) -> tuple[Planned, list[TargetResult]]:
    """What a worker is given of a job: its stale targets only (and its A5 PDF as the impositions' source, when
    that is up to date), and the results of the targets that are, from a lookup here."""
    fresh = {target: entry for target in planned.targets if (entry := cache.fresh(target.path, target.digest))}
    source = next((t for t in fresh if t.options is None and not t.kind.printed and planned.job.group != "posters"),
                  None)  # fmt: skip
    stale = tuple(target for target in planned.targets if target not in fresh)
    return Planned(planned.job, stale, source), [up_to_date(target.path, entry) for target, entry in fresh.items()]


def renders_of(stale: Planned) -> list[Planned]:
    """The stale job as the renders it is made of, for the workers to share out: the editions of a job of
    SEPARATE_RENDERS each alone (every one is a layout, or a file, of its own), any other job whole (its
    targets are written from one render)."""
    if stale.job.group not in SEPARATE_RENDERS or len(stale.targets) < 2:
        return [stale]
    return [replace(stale, targets=(target,)) for target in stale.targets]


def in_plan_order(planned: Planned, results: list[TargetResult]) -> list[TargetResult]:
    """A job's results in the order of its targets, those looked up here and those a worker made together (a
    posters folder's files, or a failure that names no target, keep their place after)."""
    order = {target.path: index for index, target in enumerate(planned.targets)}
    return sorted(results, key=lambda result: order.get(result.path, len(order)))


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
