"""`serve`'s warm-up: the pamphlet laid out once in the serve process, writing nothing, so that the worker forked
for each later save inherits its fonts (samizdat.warm.warmed_here) and the A5 comes 0.15 s sooner.

It is an optimisation and nothing more: it lays out only a document whose A5 the first build made, within a
worker's memory budget and WARM_UP_SECONDS, and whatever goes wrong in it leaves the workers as they were (the
builds report the document's errors). It is not done with Pango 1.52 or newer, where each font map has a thread
of its own that a forked worker would not have; nor kept when the layout started a thread, nor once output/ has
been removed (the faces' files were in it).
"""

from __future__ import annotations

import os
import re
import resource
import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from samizdat.project import Project
from samizdat.workers import Budget, data_in_use

#: How long the warm-up may take; a document that takes longer is laid out by the workers alone.
WARM_UP_SECONDS = 10.0
#: The Pango that gives each font map a thread of its own (pango_fc_font_map_init), which fork does not copy.
THREADED_PANGO = (1, 52)


def warm_up(project: Project, folder: Path, made: set[Path]) -> None:
    """Lay out the pamphlet of the first document whose A5 is in `made` (what the first build made or kept)."""
    from samizdat.quick_import import import_weasyprint

    if not _forkable_after_a_render():
        return
    import_weasyprint()
    from samizdat.build import read_documents
    from samizdat.fonts import forget_fontconfig_files, keep_fontconfig_in
    from samizdat.jobs import lay_out_pamphlet
    from samizdat.output import source_date
    from samizdat.targets import Job, job_folder
    from samizdat.warm import forget_warmed, warmed_here

    threads = _threads()
    try:
        documents = [document for document in read_documents(project, None)[0]
                     if job_folder(project, Job(document, "pamphlet")) / f"{document.slug}-a5.pdf" in made]  # fmt: skip
        if documents:
            keep_fontconfig_in(project.output_dir / ".cache" / "fontconfig")  # the workers' Fontconfig file
            with warmed_here(folder), _limited(Budget.from_environment().memory_mb):
                lay_out_pamphlet(project, Job(documents[0], "pamphlet"), source_date(), breaks={})
    except (Exception, _TooLong):  # noqa: BLE001 - an optimisation: the builds report what is wrong (no content)
        forget_warmed()
    finally:
        forget_fontconfig_files()  # each worker writes fonts.conf again if output/ was removed meanwhile
    if _threads() > threads:
        forget_warmed()


def forget_if_removed(folder: Path) -> None:
    """Forget the warm-up once its folder is gone (output/ removed): its faces' files went with it."""
    if "samizdat.warm" in sys.modules and not folder.is_dir():  # else nothing was warmed (it imports WeasyPrint)
        from samizdat.warm import forget_warmed

        forget_warmed()


def _forkable_after_a_render() -> bool:
    from samizdat.toolchain import toolchain

    found = re.search(r"\bpango (\d+)\.(\d+)", toolchain())
    return found is not None and (int(found.group(1)), int(found.group(2))) < THREADED_PANGO


def _threads() -> int:
    try:
        return len(os.listdir("/proc/self/task"))
    except OSError:
        return 1


class _TooLong(BaseException):
    """Raised by the warm-up's timer: a BaseException, so that no `except Exception` in a library swallows it."""


@contextmanager
def _limited(memory_mb: int) -> Iterator[None]:
    """Within WARM_UP_SECONDS (the timer rings again until the layout stops) and `memory_mb` more of data."""

    def ring(signum: int, frame: object) -> None:
        signal.setitimer(signal.ITIMER_REAL, 0.2)
        raise _TooLong

    soft, hard = resource.getrlimit(resource.RLIMIT_DATA)
    limit = data_in_use() + memory_mb * 1024 * 1024  # as a worker's (samizdat.workers)
    previous = signal.signal(signal.SIGALRM, ring)
    resource.setrlimit(resource.RLIMIT_DATA, (limit if hard == resource.RLIM_INFINITY else min(limit, hard), hard))
    signal.setitimer(signal.ITIMER_REAL, WARM_UP_SECONDS)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        resource.setrlimit(resource.RLIMIT_DATA, (soft, hard))
