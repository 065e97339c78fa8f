"""The command line: parse arguments, call the library, turn SamizdatError into one clear message.

It imports only light modules at start-up; the typesetter and the PDF
libraries are imported by the command that needs them, so that a build with
nothing to do answers before WeasyPrint would have finished loading.
"""

from __future__ import annotations

import argparse
import os
import stat
import sys
import time
from dataclasses import replace
from pathlib import Path

from samizdat.arguments import COMMANDS, make_parser
from samizdat.errors import SamizdatError, UsageError
from samizdat.impose import ImposeOptions
from samizdat.impose.plan import TILE_INSTRUCTIONS, TileOptions
from samizdat.lastbuild import inputs_stamp, last_build, record_build
from samizdat.messages import plural
from samizdat.output import check_output_folder, remove_part_files, write_atomically
from samizdat.progress import PlainProgress, progress_for, relative, say, summary_table
from samizdat.project import Project


def main(argv: list[str] | None = None) -> int:
    """Entry point of build.py; returns the exit status."""
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = make_parser()
    if not argv or argv[0] not in (*COMMANDS, "-h", "--help", "--version"):
        argv.insert(0, "build")
    try:
        arguments = parser.parse_args(argv)
    except SystemExit as stop:  # --help, --version or a wrong command line: argparse has printed why
        return int(stop.code or 0)
    commands = {"impose": run_impose, "tile": run_tile, "serve": run_serve, "check": run_check}
    try:
        return commands.get(arguments.command, run_build)(arguments)
    except SamizdatError as error:
        say(f"error: {error}", sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        print("\ninterrupted: finished outputs are in place, unfinished ones were not written", file=sys.stderr)
        return 130


def run_build(arguments: argparse.Namespace) -> int:
    project = project_of(arguments)
    started = time.perf_counter()
    stamp = inputs_stamp(project, repr((sorted(arguments.documents), arguments.shard)))
    remove_part_files(project.output_dir)  # left by a killed build or worker, even when nothing needs making
    recorded = last_build(project.output_dir, stamp)
    if recorded is not None:  # nothing changed since a build that succeeded: say so without loading anything
        plain = PlainProgress()
        for result in recorded:
            plain.result(result)
        print(summary_table(recorded, time.perf_counter() - started, project.output_dir))
        return 1 if any(result.check == "FAIL" for result in recorded) else 0
    from samizdat.build import build_project, build_site

    progress = progress_for(sys.stdout)
    try:
        results = build_project(
            project, progress, only=arguments.documents or None, jobs=arguments.jobs, shard=arguments.shard
        )
        if arguments.shard is None:  # the page lists every output: it is written by a whole build
            results.append(build_site(project, results))
            progress.result(results[-1])
    finally:
        progress.close()
    if arguments.shard:
        index, count = arguments.shard
        jobs = "no jobs fell to it" if not results else "the download page is left to a whole build"
        print(f"shard {index} of {count}: {jobs}")
    record_build(project.output_dir, stamp, results)
    print(summary_table(results, time.perf_counter() - started, project.output_dir))
    return 1 if any(result.state == "failed" or result.check == "FAIL" for result in results) else 0


def project_of(arguments: argparse.Namespace) -> Project:
    root = arguments.project.resolve()
    if not (root / "layouts").is_dir():
        raise SamizdatError(f"{root} is not a samizdat project (it has no layouts/ folder); use --project DIR")
    project = Project.at(root, arguments.content, arguments.output)
    if getattr(arguments, "command", None) in ("build", "serve"):  # the commands that write into the output folder
        check_output_folder(project.output_dir, root, [project.content_dir, *project.readable_dirs[1:]])
    return project


def run_impose(arguments: argparse.Namespace) -> int:
    duplex = arguments.duplex or ("none" if arguments.layout == "zine" else "short")
    options = ImposeOptions(
        layout=arguments.layout,
        sheet=arguments.sheet,
        duplex=duplex,
        nup=arguments.nup,
        creep_mm=arguments.creep,
        signature=arguments.signature,
        marks=arguments.marks,
        keep_bleed=arguments.keep_bleed,
    )
    from samizdat.impose.imposer import impose

    refuse_overwriting(arguments.source, arguments.output)
    source = read_input(arguments.source)
    imposed = impose(source, options, name=str(arguments.source))
    write_atomically(arguments.output, imposed.data)
    for warning in imposed.warnings:
        say(f"  warning {warning}", sys.stderr)
    say(f"  built   {arguments.output}  ({plural(imposed.sides, 'sheet side')}, {len(imposed.data) / 1024:.0f} KB)")
    if imposed.text_pt is not None:
        say(f"  text    set at {imposed.text_pt:.1f} pt (the pages at {imposed.scale:.0%} of their size)")
    print(f"To print: {imposed.instructions}.")
    return 0


def run_serve(arguments: argparse.Namespace) -> int:
    import signal

    from samizdat.serve import preview_project

    # Ctrl-C stops the server even when it was started from a script that ignores SIGINT for its
    # background jobs (Python then leaves SIGINT ignored); a service manager's SIGTERM stops it the same way.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    preview_project(project_of(arguments), arguments.port, PlainProgress())
    return 0


def run_tile(arguments: argparse.Namespace) -> int:
    import io

    from pypdf import PdfReader

    from samizdat.tile import label_maker, tile

    project = project_of(argparse.Namespace(project=arguments.project, content=None, output=None))
    options = TileOptions(arguments.sheet, arguments.overlap, arguments.margin, arguments.marks)
    refuse_overwriting(arguments.source, arguments.output)
    source = read_input(arguments.source)
    labels = label_maker(project.layouts_dir, project.readable_dirs, project.fonts_dir)
    data = tile(source, options, labels, name=str(arguments.source))
    write_atomically(arguments.output, data)
    sheets = plural(len(PdfReader(io.BytesIO(data)).pages), "sheet")
    say(f"  built   {arguments.output}  ({sheets}, {len(data) / 1024:.0f} KB)")
    print(f"To print: {TILE_INSTRUCTIONS}.")
    return 0


def run_check(arguments: argparse.Namespace) -> int:
    from samizdat.preflight import ERROR, INFO, WARNING, Finding, format_report, identify, preflight

    paths = list(arguments.pdfs)
    root = arguments.project.resolve()
    cmyk = arguments.cmyk or ((root / "layouts").is_dir() and print_colour(root) == "cmyk")
    if not paths:
        output_dir = project_of(arguments).output_dir
        paths = sorted(path for path in output_dir.rglob("*.pdf") if ".cache" not in path.parts)
        if not paths:
            raise SamizdatError(f"no PDFs in {output_dir}: run python build.py first, or name the PDFs to check")
    failed = warned = 0
    for path in paths:
        try:
            data = read_input(path)
            expect, known = identify(data, path.name)  # the kind the file carries, else its name's, else generic
            expect = replace(expect, safe_margin_mm=arguments.safe_margin, cmyk=cmyk and expect.bleed_mm > 0)
            findings = [Finding("kind", INFO, known), *preflight(data, expect, name=path.name)]
        except SamizdatError as error:  # a missing file is reported like a broken one, and the rest are checked
            findings = [Finding("read", ERROR, error.message)]
        say(format_report(relative(path), findings).removesuffix("\n"))
        failed += any(finding.severity == ERROR for finding in findings)
        warned += sum(finding.severity == WARNING for finding in findings)
    counts = f"{len(paths) - failed} passed, {failed} failed, {plural(warned, 'warning')}"
    say(f"{plural(len(paths), 'file')} checked: {counts}")
    return 1 if failed else 0


def print_colour(root: Path) -> str:
    from samizdat.config import load_config

    return load_config(root).print_colour


def refuse_overwriting(source: Path, output: Path) -> None:
    """`impose X -o X` would put the sheets where the pages were: refuse, however the same file is named."""
    same = source.resolve() == output.resolve()  # another spelling, or a symbolic link to it
    if not same and output.exists() and source.exists():
        try:
            same = os.path.samefile(source, output)  # a hard link
        except OSError:  # one of them cannot be looked at: reading or writing it will say why
            same = False
    if same:
        raise UsageError(f"the output would replace the input ({output} is {source}): give -o another file")


#: The largest PDF that check, impose and tile read (all of it is held in memory): a 500-page poster is far less.
MAX_INPUT_BYTES = 1_000_000_000


def read_input(path: Path) -> bytes:
    """The PDF named on the command line, or a clear error.

    Only a regular file is opened, and only one under MAX_INPUT_BYTES: /dev/zero would be read until memory
    runs out, and a named pipe (FIFO) would wait for ever for someone to write to it.
    """
    try:
        info = path.stat()
        if stat.S_ISDIR(info.st_mode):
            raise SamizdatError(f"cannot read {path}: it is a folder; give a PDF file")
        if not stat.S_ISREG(info.st_mode):
            raise SamizdatError(f"cannot read {path}: it is a device or a pipe, not a file; give a PDF file")
        if info.st_size > MAX_INPUT_BYTES:
            raise SamizdatError(
                f"cannot read {path}: it is {info.st_size:,} bytes, over samizdat's limit of {MAX_INPUT_BYTES:,} "
                "bytes (MAX_INPUT_BYTES) for a PDF"
            )
        with path.open("rb") as file:
            data = file.read(MAX_INPUT_BYTES + 1)
    except OSError as error:
        raise SamizdatError(f"cannot read {path}: {error.strerror}") from None
    if len(data) > MAX_INPUT_BYTES:  # it grew after it was looked at
        raise SamizdatError(f"cannot read {path}: it is over samizdat's limit of {MAX_INPUT_BYTES:,} bytes for a PDF")
    return data
