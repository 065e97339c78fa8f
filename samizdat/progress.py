"""How a build looks on the terminal: a live bar on a terminal, plain lines elsewhere, and a summary table.

Plain lines (one per output, "  built   PATH (...)") are what logs and CI see,
and what the tests read; on a terminal, rich draws one bar with the running
jobs and the elapsed time above the same lines. Every line and table cell goes
out through samizdat.messages.clean: printable and bounded.
"""

from __future__ import annotations

import shlex
import sys
import unicodedata
from pathlib import Path
from typing import TextIO

from samizdat.messages import clean, plural
from samizdat.targets import TargetResult


class PlainProgress:
    """One line per output as it is finished; failures and warnings go to stderr."""

    def __init__(self, out: TextIO | None = None, err: TextIO | None = None) -> None:
        self.out, self.err = out or sys.stdout, err or sys.stderr
        self.warned: set[str] = set()  # a warning shared by a document's outputs is shown once

    def planned(self, jobs: list[str], workers: int) -> None:
        pass

    def finished(self, job: str, results: list[TargetResult]) -> None:
        for result in results:
            self.result(result)

    def result(self, result: TargetResult) -> None:
        say(_line(result), self.out if result.state in ("built", "up to date") else self.err)
        for warning in self.new_warnings(result):
            say(f"  warning {warning}", self.err)
        if result.state == "built":  # an up-to-date file's findings are in the summary
            for line in findings(result, result.path.name):
                say(f"  {line}", self.err)

    def new_warnings(self, result: TargetResult) -> list[str]:
        fresh = [warning for warning in result.warnings if warning not in self.warned]
        self.warned.update(fresh)
        return fresh

    def close(self) -> None:
        pass


class LiveProgress(PlainProgress):
    """On a terminal: the same lines, under one bar that names the jobs running and the time so far."""

    def __init__(self) -> None:
        super().__init__()
        self.waiting: list[str] = []
        self.workers = 1
        self.bar = None  # made when the build first reports: a quick answer never loads rich

    def start(self) -> None:
        from rich.console import Console  # only on a terminal: rich costs a tenth of a second to import
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        self.console = Console()
        self.bar = Progress(
            TextColumn("building"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
            TextColumn("{task.description}", style="dim"), console=self.console, transient=True,
        )  # fmt: skip

    def planned(self, jobs: list[str], workers: int) -> None:
        if self.bar is None:
            self.start()
        self.waiting, self.workers = list(jobs), workers
        self.task = self.bar.add_task(self._running(), total=len(jobs))
        self.bar.start()

    def finished(self, job: str, results: list[TargetResult]) -> None:
        if self.bar is None:
            self.start()
        for result in results:
            lines = [_line(result), *(f"  warning {warning}" for warning in self.new_warnings(result))]
            if result.state == "built":
                lines += [f"  {line}" for line in findings(result, result.path.name)]
            self.console.print(clean("\n".join(lines)), highlight=False, markup=False, soft_wrap=True)
        if job in self.waiting:
            self.waiting.remove(job)
            self.bar.update(self.task, advance=1, description=self._running())

    def _running(self) -> str:
        """The jobs most likely running: the first unfinished ones, one per worker (as text, never as markup)."""
        from rich.markup import escape

        return escape(clean(", ".join(self.waiting[: self.workers])))

    def close(self) -> None:
        if self.bar is not None:
            self.bar.stop()


def say(text: str, stream: TextIO | None = None) -> None:
    """Print one message for people (to stdout unless told): printable, and no line too long to read."""
    print(clean(text), file=stream or sys.stdout)


def _line(result: TargetResult) -> str:
    if result.state == "built":
        pages = f"{plural(result.pages, 'page')}, " if result.pages else ""  # a reader edition has none
        text = f"  built   {relative(result.path)}  ({pages}{result.size / 1024:.0f} KB, "
        text += f"{result.seconds:.1f} s)"
    elif result.state == "up to date":
        text = f"  fresh   {relative(result.path)}  (up to date)"
    elif result.state == "skipped":
        text = f"  skipped {relative(result.path)}: {result.error}"
    else:
        text = f"  FAILED  {result.name}\n          {result.error}"
    return text


def progress_for(stream: TextIO) -> PlainProgress:
    """A live bar on a terminal, plain lines anywhere else (a pipe, a log, CI)."""
    return LiveProgress() if stream.isatty() else PlainProgress()


def shown_width(text: str) -> int:
    """How many terminal columns `text` takes: a combining mark (مرّر's shadda, a Hindi vowel sign) and a
    format character none, a wide character (Chinese) two; `len` put the table's columns out of line.

    >>> shown_width("مرّر"), shown_width("stop"), shown_width("中文")
    (3, 4, 4)
    """
    return sum(0 if unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me", "Cf")
               else 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1 for char in text)  # fmt: skip


def _padded(cell: str, width: int, left: bool) -> str:
    gap = " " * (width - shown_width(cell))
    return cell + gap if left else gap + cell


def summary_table(results: list[TargetResult], seconds: float, output_dir: Path) -> str:
    """The table of every output (path under output/, pages, size, body text size of impositions, time, state,
    preflight verdict) and one line of totals."""
    rows = [("output", "pages", "size", "text", "time", "state", "preflight")]
    for result in results:
        name = relative(result.path, output_dir) if result.path else result.name
        size = f"{result.size / 1024:.0f} KB" if result.size else ""
        text = f"{result.text_pt:.1f} pt" if result.text_pt else ""
        time = f"{result.seconds:.1f} s" if result.state == "built" else ""
        rows.append((clean(name), str(result.pages or ""), size, text, time, result.state, result.check))
    widths = [max(shown_width(row[column]) for row in rows) for column in range(7)]
    lines = [
        "  ".join(_padded(cell, width, left=column in (0, 5, 6))
                  for column, (cell, width) in enumerate(zip(row, widths, strict=True))).rstrip()
        for row in rows
    ]  # fmt: skip
    lines.insert(1, "  ".join("-" * width for width in widths))
    for result in (result for result in results if result.checks):  # a failed output has no path, nor findings
        lines += [clean(line) for line in findings(result, relative(result.path, output_dir))]
    return "\n".join(lines) + "\n" + clean(totals(results, seconds))


#: Preflight findings listed per file in the build's output: one bad layout line can give a thousand.
MAX_FINDINGS = 5


def findings(result: TargetResult, name: str) -> list[str]:
    """The first MAX_FINDINGS preflight findings of one output, then how many more and how to see them all."""
    lines = [f"preflight {severity}: {name}: {text}" for severity, text in result.checks[:MAX_FINDINGS]]
    if len(result.checks) > MAX_FINDINGS:
        more = len(result.checks) - MAX_FINDINGS
        where = shlex.quote(relative(result.path))
        lines.append(f"… and {more} more on {name} (python build.py check {where} lists them all)")
    return lines


def totals(results: list[TargetResult], seconds: float) -> str:
    built = [result for result in results if result.state == "built"]
    failed = [result for result in results if result.state == "failed"]
    warned = sum(len(result.warnings) for result in results)
    fresh = sum(result.state == "up to date" for result in results)
    line = f"{len(built)} built, {len(failed)} failed, {plural(warned, 'warning')} in {seconds:.1f} s"
    rejected = [result for result in results if result.check == "FAIL"]
    if rejected:
        line += f"; {len(rejected)} failed preflight (python build.py check shows why)"
    if fresh:
        line += f"; {fresh} up to date" + (" (nothing to render: no input changed)" if not built and not failed else "")
    if failed:
        line += f"\nfailed (see the messages above): {', '.join(result.name for result in failed)}"
    return line


def relative(path: Path | None, to: Path | None = None) -> str:
    """A path as short as it can be said: under `to` (output/), or under the current folder."""
    for base in (to, Path.cwd()):
        try:
            return str(path.relative_to(base)) if base else str(path)
        except ValueError:
            continue
    return str(path)
