"""Benchmark: samizdat's saddle imposition against pdfimpose's, on 200 and 1,000 A5 pages, in one run.

Run with `make bench-impose` (or `.venv/bin/pip install -e '.[bench]'` then
`.venv/bin/python bench/impose.py`). Each measurement runs in a fresh process
so that its peak memory is its own; the figure printed is the median of
--repeat runs. The source is the statement's A5 pamphlet, its pages repeated.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))


def make_source(pages: int, folder: Path) -> Path:
    """An A5 PDF of `pages` distinct pages: the statement's pamphlet over and over, each page with a content
    stream of its own (a copy number added), as in a long real document: no tool can share pages' drawings."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import DecodedStreamObject, NameObject

    from samizdat.cli import main

    pamphlet = folder / "out" / "stop-the-war" / "stop-the-war-a5.pdf"
    if not pamphlet.exists():
        with contextlib.redirect_stdout(io.StringIO()):
            main(["--project", str(REPO), "--output", str(folder / "out"), "stop-the-war"])
    reader = PdfReader(pamphlet)
    writer = PdfWriter()
    for index in range(pages):
        original = reader.pages[index % len(reader.pages)]
        page = writer.add_page(original)
        stream = DecodedStreamObject()
        stream.set_data(original.get_contents().get_data() + f"\n% copy {index}\n".encode())
        page[NameObject("/Contents")] = writer._add_object(stream.flate_encode())
    path = folder / f"source-{pages}.pdf"
    with path.open("wb") as file:
        writer.write(file)
    return path


def worker(tool: str, source: Path, target: Path) -> None:
    """One imposition, timed, in this process; prints seconds and peak memory as JSON."""
    if tool == "samizdat":
        from samizdat.impose import ImposeOptions
        from samizdat.impose.imposer import impose

        data = source.read_bytes()
        started = time.perf_counter()
        target.write_bytes(impose(data, ImposeOptions(layout="saddle", sheet="A4")).data)
    else:
        from pdfimpose.schema import saddle

        started = time.perf_counter()
        saddle.impose([str(source)], str(target), size="A4", last=1)
    seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": seconds, "peak_mb": peak_mb}))


def measure(tool: str, source: Path, target: Path, repeat: int) -> dict:
    runs = []
    for _ in range(repeat):
        result = subprocess.run(
            [sys.executable, __file__, "--worker", tool, str(source), str(target)],
            capture_output=True,
            text=True,
            check=True,
        )
        runs.append(json.loads(result.stdout.strip().splitlines()[-1]))
    sheet = sheet_size(target)
    return {
        "seconds": statistics.median(run["seconds"] for run in runs),
        "peak_mb": statistics.median(run["peak_mb"] for run in runs),
        "bytes": target.stat().st_size,
        "sheet": sheet,
    }


def sheet_size(path: Path) -> str:
    from pypdf import PdfReader

    box = PdfReader(io.BytesIO(path.read_bytes())).pages[0].mediabox
    return f"{float(box.width):.2f} × {float(box.height):.2f} pt"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement (the median is shown)")
    parser.add_argument("--pages", type=int, nargs="*", default=[200, 1000])
    parser.add_argument("--worker", nargs=3, metavar=("TOOL", "IN", "OUT"), help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.worker:
        tool, source, target = arguments.worker
        worker(tool, Path(source), Path(target))
        return
    try:
        import pdfimpose  # noqa: F401
    except ImportError:
        print("pdfimpose is not installed; installing it (for this benchmark only)...", flush=True)
        subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "pdfimpose>=2.6"], check=True)
    print("A4 saddle booklet of A5 pages (A4 is 841.89 × 595.28 pt)")
    print(f"{'pages':>6}  {'tool':<10} {'pages/s':>9} {'peak MB':>8} {'output KB':>10}  sheet")
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        for pages in arguments.pages:
            source = make_source(pages, folder)
            results = {}
            for tool in ("samizdat", "pdfimpose"):
                results[tool] = measure(tool, source, folder / f"{tool}-{pages}.pdf", arguments.repeat)
                r = results[tool]
                print(
                    f"{pages:>6}  {tool:<10} {pages / r['seconds']:>9.0f} {r['peak_mb']:>8.0f} "
                    f"{r['bytes'] / 1024:>10.0f}  {r['sheet']}"
                )
            speed = results["pdfimpose"]["seconds"] / results["samizdat"]["seconds"]
            size = results["samizdat"]["bytes"] / results["pdfimpose"]["bytes"]
            source_kb = source.stat().st_size / 1024
            print(f"{'':>6}  samizdat is {speed:.1f} × as fast, its output {size:.2f} × the size "
                  f"(source {source_kb:.0f} KB)")  # fmt: skip


if __name__ == "__main__":
    main()
