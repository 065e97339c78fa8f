"""The printer-test job: each document's printer test sheet; and what a manual-duplex imposition is given.

The test sheet is the same for every document of a project (its layouts, fonts
and sheet make it: samizdat.plan keys it on nothing else), so a worker sets it
once and writes those bytes for each document it is given. It lies in each
document's folder, beside the booklets it helps to print: a mirror or a
distributor who takes one document's folder has it too.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from samizdat.errors import SamizdatError
from samizdat.impose import ImposeOptions, imposition_suffix
from samizdat.targets import TargetResult

if TYPE_CHECKING:
    from samizdat.cache import Cache
    from samizdat.config import Config
    from samizdat.plan import Planned
    from samizdat.project import Project

#: The test sheets this worker has set, by project and digest: one render serves every document.
SET: dict[tuple, bytes] = {}


def make_printer_test(
    project: Project, config: Config, planned: Planned, date: str | None, cache: Cache
) -> Iterator[TargetResult]:
    """The document's printer test sheet (none for a local edition, or when samizdat.yaml says `test_sheet: no`)."""
    from samizdat.jobs import written  # jobs dispatches to this module
    from samizdat.printer_sheets import test_sheet_pdf

    for target in planned.targets:
        kind, started = target.kind, time.perf_counter()
        purpose = kind.describe(sheet=config.sheet)
        try:
            key = (project.layouts_dir, project.fonts_dir, target.digest)
            if key not in SET:
                SET[key] = test_sheet_pdf(project.layouts_dir, project.readable_dirs, project.fonts_dir, config.sheet)
            result = written(project, planned.job, target.path, SET[key], purpose, 2, time.perf_counter() - started,
                             kind=(kind, config.sheet))  # fmt: skip
        except SamizdatError as error:
            result = TargetResult(str(target.path), "failed", target.path, purpose, error=str(error))
        yield cache.keep(result, target.digest)


def outputs_of(options: ImposeOptions, output: Path, files: str) -> dict[Path, ImposeOptions]:
    """The files `impose -o OUTPUT` writes: OUTPUT, or for manual duplex in two files OUTPUT-fronts.pdf and
    OUTPUT-backs.pdf, each with its part's options."""
    if not options.manual:
        return {output: options}
    if files == "one":
        return {output: replace(options, part="one")}
    suffix = output.suffix or ".pdf"
    return {
        output.with_name(f"{output.stem}-{part}{suffix}"): replace(options, part=part) for part in ("fronts", "backs")
    }


def separator_of(project: Callable[[None], Project], outputs: dict[Path, ImposeOptions]) -> dict:
    """What `impose` needs for the instruction page of the command line's manual-duplex booklet: its maker, with
    the layouts of `project(None)` (samizdat.cli.labels_project), and the backs' file name; nothing otherwise."""
    if not any(options.manual for options in outputs.values()):
        return {}
    from samizdat.printer_sheets import separator_maker

    chosen = project(None)
    backs = next((path.name for path, options in outputs.items() if options.part == "backs"), "")
    return {"separator": separator_maker(chosen.layouts_dir, chosen.readable_dirs, chosen.fonts_dir),
            "backs_name": backs}  # fmt: skip


def manual_arguments(project: Project, options: ImposeOptions, path: Path) -> dict:
    """What `impose` needs beside the options for a manual-duplex booklet: the instruction page's maker (the
    project's layouts), and the backs' file that page names; nothing for any other imposition."""
    if not options.manual:
        return {}
    from samizdat.printer_sheets import separator_maker

    slug = path.name.removesuffix(f"-{imposition_suffix(options)}.pdf")
    backs = f"{slug}-{imposition_suffix(replace(options, part='backs'))}.pdf"
    return {"separator": separator_maker(project.layouts_dir, project.readable_dirs, project.fonts_dir),
            "backs_name": backs}  # fmt: skip
