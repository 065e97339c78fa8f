"""Benchmark: how long samizdat's builds take, as ratios to one plain `weasyprint` render measured in the same run.

Run with `.venv/bin/python bench/build.py` (or `make bench-build`). Every
measurement runs `build.py` in a fresh process on a copy of the project in a
temporary folder (the repository is never touched); each figure is the median
of --repeat runs, and its memory the peak resident size of the largest process
(the build or one of its workers), read from the operating system when the
process ends, and its CPU time (the build's and its workers', user and system):
on a machine others share, a wall-clock figure moves with their load, the CPU time much less.

Measured:
  baseline      `weasyprint pamphlet.html out.pdf`: the statement's A5, fresh process
  cold          `build.py` on an empty output folder: every output of the statement
  nothing       `build.py` again, nothing changed
  css touch     `build.py` after a comment is added to layouts/pamphlet/pamphlet.css
  100 local     a document with 100 local groups (A5 and booklet each), `--jobs 2`, cold
  serve save    `build.py serve` running and warm: save pamphlet.css → new A5 PDF on disk
  warm render   the baseline's render and write again in a process that made them already (one FontConfiguration):
                what WeasyPrint itself needs for one layout of the A5 once it is imported, the floor under
                `serve` (which lays the A5 out twice to break its paragraphs as a whole) and under each of the
                whole-document layouts a build makes (the A5, large print, pocket and copier editions)
"""

from __future__ import annotations

import argparse
import csv
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
WEASYPRINT = Path(PYTHON).with_name("weasyprint")

#: The goals of issues 6 and 14, as ratios to the baseline.
GOALS = {"cold": 1.5, "nothing": 0.1, "css touch": 1.2, "100 local": 12.0, "serve save": 0.35}
MEMORY_GOAL_MB = 400


def run(command: list[str], cwd: Path) -> tuple[float, float, float]:
    """Run a command to its end: (seconds, peak MB of its largest process, CPU seconds), workers included."""
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)  # its usage and that of the workers it waited for
    seconds = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"failed: {' '.join(command)}\n{process.stderr.read().decode()}")
    return seconds, usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime


def make_project(folder: Path) -> Path:
    """A copy of the project, so that touching its CSS leaves the repository alone."""
    project = folder / "project"
    shutil.copytree(REPO / "layouts", project / "layouts")
    shutil.copytree(REPO / "content", project / "content")
    shutil.copytree(REPO / "fonts", project / "fonts")  # a link out of the project would be refused
    return project


def make_local_project(folder: Path, rows: int) -> Path:
    """A one-page-ish leaflet with `rows` local groups, each getting its A5 and its booklet."""
    project = folder / "local-project"
    shutil.copytree(REPO / "layouts", project / "layouts")
    shutil.copytree(REPO / "fonts", project / "fonts")  # a link out of the project would be refused
    content = project / "content"
    content.mkdir()
    example = (REPO / "examples/local-groups/content/local-leaflet.md").read_text(encoding="utf-8")
    (content / "leaflet.md").write_text(
        example.replace("slogans:\n  - Meet your neighbours!\n", "").replace("[a5, booklet, posters]", "[a5, booklet]"),
        encoding="utf-8",
    )
    with (content / "groups.csv").open("w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow(["town", "meeting", "contact", "url"])
        for number in range(1, rows + 1):
            town = f"Sample Town {number}"
            writer.writerow([town, f"Tuesdays at 7 pm, hall {number}", f"group{number}@example.org",
                             f"https://example.org/groups/{number}"])  # fmt: skip
    return project


def baseline(project: Path, folder: Path) -> Callable[[], tuple[float, float]]:
    """A plain weasyprint command-line render of the A5 pamphlet's HTML (written once, beside the document)."""
    sys.path.insert(0, str(REPO))
    from samizdat.content import load_document
    from samizdat.html import render_html

    document = load_document(project / "content" / "stop-the-war.md")
    html = project / "content" / "stop-the-war.html"
    html.write_text(render_html(document, "pamphlet/pamphlet.html", project / "layouts", variant="screen", date=None))
    return lambda: run([str(WEASYPRINT), str(html), str(folder / "baseline.pdf")], folder)


WARM_RENDER = """
import statistics, sys, time
import weasyprint
from weasyprint.text.fonts import FontConfiguration
fonts, times = FontConfiguration(), []
for _ in range(int(sys.argv[3]) + 1):  # the first render loads the faces: not counted
    started = time.perf_counter()
    weasyprint.HTML(sys.argv[1]).render(font_config=fonts).write_pdf(sys.argv[2])
    times.append(time.perf_counter() - started)
print(statistics.median(times[1:]))
"""


def warm_render(project: Path, folder: Path, repeat: int) -> dict:
    """The median of `repeat` renders and writes of the baseline's HTML in one warm process."""
    html = project / "content" / "stop-the-war.html"
    found = subprocess.run([PYTHON, "-c", WARM_RENDER, str(html), str(folder / "warm.pdf"), str(repeat)],
                           capture_output=True, text=True, check=True)  # fmt: skip
    seconds = float(found.stdout.strip())
    print(f"  warm render: {seconds:.2f} s", file=sys.stderr)
    return {"name": "warm render", "seconds": seconds, "peak": float("nan"), "cpu": float("nan")}


def measure(
    name: str, repeat: int, prepare: Callable[[], None], action: Callable[[], tuple[float, float, float]]
) -> dict:
    times, peaks, cpus = [], [], []
    for _ in range(repeat):
        prepare()
        seconds, peak, cpu = action()
        times.append(seconds)
        peaks.append(peak)
        cpus.append(cpu)
        print(f"  {name}: {seconds:.2f} s ({cpu:.2f} s of CPU)", file=sys.stderr)
    return {"name": name, "seconds": statistics.median(times), "peak": max(peaks), "cpu": statistics.median(cpus)}


def serve_save_times(project: Path, output: Path, repeat: int) -> list[float]:
    """Start `build.py serve`, let it build, then save pamphlet.css `repeat` times: seconds to the new A5 on disk."""
    command = [PYTHON, "-u", str(REPO / "build.py"), "serve", "--port", "0", "--project", str(project)]
    server = subprocess.Popen(
        [*command, "--output", str(output)], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
    )
    try:
        for line in server.stdout:
            if line.startswith("serving "):
                break
        time.sleep(1)  # the watcher starts just after it says so
        a5 = output / "stop-the-war" / "stop-the-war-a5.pdf"
        css = project / "layouts" / "pamphlet" / "pamphlet.css"
        times = []
        for number in range(repeat + 1):  # the first save warms the worker's caches, as a designer's first would
            before = a5.stat().st_mtime_ns
            started = time.perf_counter()
            css.write_text(css.read_text() + f"\n/* save {number} */\n")
            while a5.stat().st_mtime_ns == before:
                time.sleep(0.005)
            times.append(time.perf_counter() - started)
            for line in server.stdout:
                if "watching for changes" in line:
                    break
        return times[1:]
    finally:
        server.terminate()
        server.wait(timeout=10)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=3, help="runs per figure; the median is printed (default 3)")
    parser.add_argument("--rows", type=int, default=100, help="local groups in the batch (default 100)")
    arguments = parser.parse_args()
    repeat = arguments.repeat
    with tempfile.TemporaryDirectory(prefix="samizdat-bench-") as name:
        folder = Path(name)
        project, output = make_project(folder), folder / "output"
        local, local_output = make_local_project(folder, arguments.rows), folder / "local-output"
        build = [PYTHON, str(REPO / "build.py"), "--project", str(project), "--output", str(output)]
        css = project / "layouts" / "pamphlet" / "pamphlet.css"

        def clean() -> None:
            shutil.rmtree(output, ignore_errors=True)

        def touch_css() -> None:
            css.write_text(css.read_text() + "\n/* touched */\n")

        rows = [measure("baseline", repeat, lambda: None, baseline(project, folder))]
        rows.append(measure("cold", repeat, clean, lambda: run(build, folder)))
        rows.append(measure("nothing", repeat * 2 - 1, lambda: None, lambda: run(build, folder)))
        rows.append(measure("css touch", repeat, touch_css, lambda: run(build, folder)))
        local_build = [PYTHON, str(REPO / "build.py"), "--project", str(local), "--output", str(local_output)]
        rows.append(measure(f"{arguments.rows} local", repeat, lambda: shutil.rmtree(local_output, True),
                            lambda: run([*local_build, "--jobs", "2"], folder)))  # fmt: skip
        saves = serve_save_times(project, output, repeat * 2 - 1)
        unmeasured = float("nan")  # the server runs on: its memory and CPU are not one save's
        rows.append({"name": "serve save", "seconds": statistics.median(saves), "peak": unmeasured, "cpu": unmeasured})
        rows.append(warm_render(project, folder, repeat * 2 - 1))
    report(rows, arguments.rows)


def report(rows: list[dict], local_rows: int) -> None:
    base = rows[0]["seconds"]
    print(f"samizdat build benchmark — {os.cpu_count()} cores, Python {sys.version.split()[0]}")
    print(f"{'measure':<12} {'median':>8} {'× baseline':>11} {'goal':>7} {'peak MB':>8} {'CPU':>7}")
    for row in rows:
        key = "100 local" if row["name"] == f"{local_rows} local" else row["name"]
        ratio = row["seconds"] / base
        goal = GOALS.get(key)
        verdict = "" if goal is None else ("  ok" if ratio <= goal else "  MISSED")
        peak = "" if row["peak"] != row["peak"] else f"{row['peak']:.0f}"
        goal_text = f"≤{goal:g}" if goal else ""
        cpu = "" if row["cpu"] != row["cpu"] else f"{row['cpu']:.2f}s"
        print(f"{row['name']:<12} {row['seconds']:>7.2f}s {ratio:>10.2f}× {goal_text:>7} {peak:>8} {cpu:>7}{verdict}")
    worst = max((row["peak"] for row in rows if row["peak"] == row["peak"]), default=0)
    print(f"peak memory of the largest process: {worst:.0f} MB (goal < {MEMORY_GOAL_MB} MB)")


if __name__ == "__main__":
    main()
