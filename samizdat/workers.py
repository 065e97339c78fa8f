"""Worker processes: every stale job renders in one, within a time and a memory budget, and dies with the build.

The build process itself never renders, so a document that hits a limit (or
crashes the typesetter) fails alone and the others still build. Each job gets
a wall-clock budget (a timer in the worker) and each worker a memory limit
(RLIMIT_DATA: heap and private mappings beyond those it inherits from the build,
~0.1 GB of them for the typesetter to start; not RLIMIT_AS, which counts address
space Pango's threads reserve and never use). Both are set from the environment when a build starts:

    SAMIZDAT_RENDER_SECONDS=120      seconds one job (a document's pamphlet or posters) may take
    SAMIZDAT_RENDER_MEMORY_MB=2048   megabytes of data one worker may use

Workers are forked from the build, ask Linux to kill them when it dies
(PR_SET_PDEATHSIG), ignore Ctrl-C (the build handles it, and kills them), and
keep Fontconfig's files in output/.cache/fontconfig/ and their temporary files
(WeasyPrint's font folders) in output/.cache/tmp/PID/, which the build removes
when it ends (the next build, if it was killed): a forked worker ends with
os._exit, so temporary folders of its own would stay in the system's for ever.
The jobs lost with a worker that dies (killed, or a crash in a C library) are
tried once more, each in a fresh worker of its own, so that a job that kills
its worker fails alone, with a message; what was finished is always kept.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import multiprocessing
import os
import re
import resource
import shutil
import signal
import sys
import tempfile
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from samizdat.cache import Cache
from samizdat.config import Config
from samizdat.errors import SamizdatError
from samizdat.progress import say
from samizdat.project import Project
from samizdat.quick_import import import_weasyprint
from samizdat.targets import Job, TargetResult

if TYPE_CHECKING:
    from samizdat.plan import Planned

PR_SET_PDEATHSIG = 1
#: Workers per core at most, whatever --jobs asks: a render keeps a core busy, and each worker costs some
#: 100 MB, so more only fill memory (--jobs 1000 started 601 processes and used 4 GB on 2 cores).
WORKERS_PER_CORE = 4


@dataclass(frozen=True)
class Budget:
    """What one render may cost: seconds of wall-clock time per job, megabytes of data per worker."""

    seconds: float = 120.0
    memory_mb: int = 2048

    @classmethod
    def from_environment(cls) -> Budget:
        """The limits SAMIZDAT_RENDER_SECONDS and SAMIZDAT_RENDER_MEMORY_MB set, or the defaults."""
        values = {}
        for name, field, kind in (("SECONDS", "seconds", float), ("MEMORY_MB", "memory_mb", int)):
            text = os.environ.get(f"SAMIZDAT_RENDER_{name}")
            if text is None:
                continue
            try:
                values[field] = kind(text)
            except ValueError:
                values[field] = -1
            if not 0 < values[field] < 10**7:
                raise SamizdatError(f"SAMIZDAT_RENDER_{name} is '{text}'; it must be a positive number, e.g. 120")
        return cls(**values)


def pool_size(jobs: int, planned: int) -> int:
    """How many workers to start: as many as --jobs asks, but no more than the jobs planned, nor
    WORKERS_PER_CORE per core (said once, on stderr, when --jobs asks for more)."""
    cores = os.cpu_count() or 1
    cap = WORKERS_PER_CORE * cores
    if jobs > cap:
        say(f"--jobs {jobs}: using at most {cap} workers, {WORKERS_PER_CORE} per core", sys.stderr)
    return max(1, min(jobs, planned, cap))


#: The job of this worker that hit a limit, if one did: then it takes no more jobs.
_SPENT: list[str] = []


class _OverTime(BaseException):
    """Raised in a worker by its timer; a BaseException, so that no `except Exception` in a library swallows it."""


def run_in_workers(
    project: Project, config: Config, stale: list[Planned], date: str | None, cache: Cache, workers: int,
    budget: Budget,
) -> Iterator[tuple[Planned, list[TargetResult]]]:  # fmt: skip
    """Each stale job with its results, as workers finish them. A worker receives the job with the targets
    and digests the parent planned (samizdat.plan): it walks no folder again.

    The jobs lost with a worker that died are tried once more, each in a
    fresh worker of its own: a job that kills its worker again fails alone.
    """
    cache_dir = project.output_dir / ".cache"
    scratch = scratch_folder(cache_dir / "tmp")
    setup = (os.getpid(), budget, cache_dir / "fontconfig", scratch)
    try:
        lost = []
        for job, results in _pool(project, config, stale, date, cache, workers, setup):
            if results is None:
                lost.append(job)
            else:
                yield job, results
        if lost:
            import_weasyprint()  # samizdat.quick_import
            import samizdat.jobs  # noqa: F401 - each retry's fresh worker starts warm
        for job in lost:
            for _, results in _pool(project, config, [job], date, cache, 1, setup):
                yield job, results if results is not None else [_failed(job, _lost(job, budget))]
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
        with contextlib.suppress(OSError):
            scratch.parent.rmdir()  # unless another build's workers are in it


def _pool(
    project: Project, config: Config, jobs: list[Planned], date: str | None, cache: Cache, workers: int, setup: tuple
) -> Iterator[tuple[Planned, list[TargetResult] | None]]:
    """The jobs run in a pool of forked workers; None for the results of a job lost with its worker."""
    pool = ProcessPoolExecutor(
        max_workers=min(workers, len(jobs)), mp_context=multiprocessing.get_context("fork"),
        initializer=_start_worker, initargs=setup,
    )  # fmt: skip
    budget = setup[1]
    try:
        futures = {pool.submit(_in_worker, project, config, job, date, cache.entries, budget): job for job in jobs}
        for future in as_completed(futures):
            try:
                outcome = future.result()
            except BrokenProcessPool:
                outcome = None
            if outcome is None:
                yield futures[future], None
                continue
            cache.apply(outcome[1])
            yield futures[future], outcome[0]
    except BaseException:  # Ctrl-C or a failure here: the workers stop now, not after the queue
        _kill(pool)
        raise
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _kill(pool: ProcessPoolExecutor) -> None:
    for process in list((getattr(pool, "_processes", None) or {}).values()):
        process.kill()


def _lost(job: Planned, budget: Budget) -> str:
    return (
        f"the worker process making {job.name} stopped twice before it finished (it was killed, or it ran out of "
        f"memory under the {budget.memory_mb} MB limit, SAMIZDAT_RENDER_MEMORY_MB); what was finished is kept: "
        "build again"
    )


def scratch_folder(parent: Path) -> Path:
    """output/.cache/tmp/PID for this build's workers, after removing those of builds no longer running."""
    for folder in parent.glob("*") if parent.is_dir() else []:
        if folder.name.isdigit() and not _running(int(folder.name)):
            shutil.rmtree(folder, ignore_errors=True)
    folder = parent / str(os.getpid())
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _start_worker(parent: int, budget: Budget, fontconfig_home: Path, scratch: Path) -> None:
    """In each worker: die with the build, leave Ctrl-C to it, keep within the memory budget and the build's folders."""
    with contextlib.suppress(OSError, AttributeError):  # not Linux: the checks of the parent still stop orphans
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:
        os._exit(1)  # the build died before this worker could ask to die with it
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    limit = data_in_use() + budget.memory_mb * 1024 * 1024  # what the fork inherited is not the job's
    _, hard = resource.getrlimit(resource.RLIMIT_DATA)
    resource.setrlimit(resource.RLIMIT_DATA, (limit if hard == resource.RLIM_INFINITY else min(limit, hard), hard))
    tempfile.tempdir = str(scratch)
    os.environ["TMPDIR"] = str(scratch)  # this worker's own environment: for the C libraries too
    from samizdat.fonts import keep_fontconfig_in, stay_warm
    from samizdat.layers import walk_once_from_now

    keep_fontconfig_in(fontconfig_home)
    stay_warm()  # this worker lives for this build: its renders share their fonts (samizdat.pdf)
    walk_once_from_now()  # and it walks the layouts and fonts once (samizdat.paragraphs' keys)


def _in_worker(
    project: Project, config: Config, planned: Planned, date: str | None, entries: dict, budget: Budget
) -> tuple[list[TargetResult], dict] | None:
    """One job, within its time budget: its results so far and a failed one if it ran out of time or memory.

    None when an earlier job of this worker hit a limit: the typesetter may be
    in any state after that, so the build gives the job a fresh worker.
    """
    if os.getppid() == 1:
        os._exit(1)  # orphaned: nobody would read the results
    if _SPENT:
        return None
    from samizdat.jobs import job_results

    _collect_less()
    cache, job = Cache(project.output_dir, entries=entries), planned.job
    results: list[TargetResult] = []
    signal.signal(signal.SIGALRM, _time_is_up)
    signal.setitimer(signal.ITIMER_REAL, budget.seconds)
    try:
        for result in job_results(project, config, planned, date, cache):
            results.append(result)
    except _OverTime:
        signal.setitimer(signal.ITIMER_REAL, 0)  # it rings again until stopped (_time_is_up)
        _SPENT.append(job.name)
        results.append(_failed(job, f"the render of {job.name} took more than {budget.seconds:g} s (the limit, "
                                    "SAMIZDAT_RENDER_SECONDS): shorten the document or raise the limit"))  # fmt: skip
    except MemoryError:
        _SPENT.append(job.name)
        results.append(_failed(job, f"the render of {job.name} needed more than {budget.memory_mb} MB (the limit, "
                                    "SAMIZDAT_RENDER_MEMORY_MB): make the document or its pictures smaller, "
                                    "or raise the limit"))  # fmt: skip
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
    if resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 > budget.memory_mb * 1024 * 1024 // 2:
        _SPENT.append(job.name)  # near its memory budget: the next job gets a fresh worker, not this one's leftovers
    return results, cache.changes


def _collect_less() -> None:
    """Once the typesetter is imported, the collector stops walking what was imported (gc.freeze: it stays for
    good) and sweeps young objects less often: it took 0.17 s of the statement's 1.1 s pamphlet job, now 0.08 s."""
    if not _FROZEN:
        gc.freeze()
        gc.set_threshold(10_000, 20, 50)
        _FROZEN.append(True)


_FROZEN: list[bool] = []


def data_in_use() -> int:
    """Bytes of data (heap, private mappings) this process has, as RLIMIT_DATA counts them; 0 where unknown."""
    try:
        status = Path("/proc/self/status").read_text()
    except OSError:
        return 0
    found = re.search(r"^VmData:\s+(\d+) kB", status, re.MULTILINE)
    return int(found.group(1)) * 1024 if found else 0


def _time_is_up(signum: int, frame: object) -> None:
    """Stop the job; and ring again soon, in case this lands in a finalizer (a Pango object's, during garbage
    collection), where Python prints an exception and goes on: the next ring stops it."""
    signal.setitimer(signal.ITIMER_REAL, AGAIN_SECONDS)
    raise _OverTime


#: How soon the timer rings again after the job's time is up, until the job has stopped.
AGAIN_SECONDS = 0.2


def _failed(job: Planned | Job, message: str) -> TargetResult:
    return TargetResult(name=job.name, state="failed", error=message)
