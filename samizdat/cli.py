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
from samizdat.direction import binding
from samizdat.errors import SamizdatError, UsageError
from samizdat.impose import ImposeOptions
from samizdat.impose.plan import TILE_INSTRUCTIONS, TileOptions
from samizdat.keygen import run_keygen
from samizdat.messages import plural
from samizdat.output import check_output_folder, write_atomically
from samizdat.progress import PlainProgress, progress_for, relative, say, summary_table
from samizdat.project import Project, is_project
from samizdat.report import BuildReport, build
from samizdat.signing import SUMS, signing_note
from samizdat.verify import run_verify


def main(argv: list[str] | None = None, prog: str | None = None) -> int:
    """Entry point of build.py, `python -m samizdat` and the `samizdat` command; returns the exit status.

    `prog` names the command in usage lines: the `samizdat` console script passes none and is known by its name.
    """
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = make_parser(prog or ("samizdat" if Path(sys.argv[0]).stem == "samizdat" else "build.py"))
    if not argv or argv[0] not in (*COMMANDS, "-h", "--help", "--version"):
        argv.insert(0, "build")
    try:
        arguments = parser.parse_args(argv)
    except SystemExit as stop:  # --help, --version or a wrong command line: argparse has printed why
        return int(stop.code or 0)
    commands = {
        "impose": run_impose, "tile": run_tile, "serve": run_serve, "check": run_check, "merge": run_merge,
        "new": run_new, "keygen": run_keygen, "verify": run_verify,
    }  # fmt: skip
    try:
        return commands.get(arguments.command, run_build)(arguments)
    except SamizdatError as error:
        say(f"error: {error}", sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        print("\ninterrupted: finished outputs are in place, unfinished ones were not written", file=sys.stderr)
        return 130


def run_build(arguments: argparse.Namespace) -> int:
    """`build.py [DOCUMENT...]`: build through samizdat.report.build, drawing progress; then print the report."""
    project = project_of(arguments)
    progress = progress_for(sys.stdout)
    try:
        report = build(project, progress, only=arguments.documents or None, jobs=arguments.jobs, shard=arguments.shard)
    finally:
        progress.close()
    print_report(report)
    return report.status


def print_report(report: BuildReport) -> None:
    """The lines a quick answer did not draw as it went, what a shard left undone, and the summary table."""
    if report.quick:  # nothing ran, so nothing was drawn: each output's line, as the last build gave it
        plain = PlainProgress()
        for result in report.results:
            plain.result(result)
    if report.shard and not report.quick:
        index, count = report.shard
        jobs = "no jobs fell to it" if not report.targets else "the download page is left to `build.py merge`"
        print(f"shard {index} of {count}: {jobs}")
    print(summary_table(report.results, report.seconds, report.output_dir))
    if report.site is not None and report.site.state != "failed":  # signed, or the one line saying it was not
        print(signing_note(report.output_dir, (report.output_dir / f"{SUMS}.minisig").is_file()))


def project_of(arguments: argparse.Namespace) -> Project:
    root = arguments.project.resolve()
    if not is_project(root):
        raise SamizdatError(
            f"{root} is not a samizdat project (it has no content/ folder, samizdat.yaml nor layouts/); "
            "use --project DIR, or start a project with 'samizdat new DIR'"
        )
    # Absolute, as the root is: a relative --output named the workers' Fontconfig file relative to /etc/fonts.
    content, output = (folder.absolute() if folder else None for folder in (arguments.content, arguments.output))
    project = Project.at(root, content, output)
    if getattr(arguments, "command", None) in ("build", "serve", "merge"):  # the commands that write into output/
        check_output_folder(project.output_dir, root, [project.content_dir, *project.readable_dirs[1:]])
    return project


def run_merge(arguments: argparse.Namespace) -> int:
    from samizdat.merge import merge_shards

    project, started = project_of(arguments), time.perf_counter()
    results, copied = merge_shards(project, arguments.shards)
    progress = PlainProgress()
    for result in results:
        if result.state != "up to date":  # the page, and what failed in a shard (its error, once)
            progress.result(result)
    say(f"  merged  {plural(len(arguments.shards), 'shard folder')} into {project.output_dir}: "
        f"{plural(copied, 'file')} copied, nothing rendered")  # fmt: skip
    print(summary_table(results, time.perf_counter() - started, project.output_dir))
    return 1 if any(result.state == "failed" or result.check == "FAIL" for result in results) else 0


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
        bind=arguments.bind or "left",
        feed=arguments.feed,
        flip=arguments.flip,
    )
    from samizdat.impose.imposer import impose
    from samizdat.printer_job import outputs_of, separator_of

    outputs = outputs_of(options, arguments.output, arguments.files)  # manual duplex: the fronts and the backs
    for output in outputs:
        refuse_overwriting(arguments.source, output)
    source = read_input(arguments.source)
    for output, part in outputs.items():
        imposed = impose(source, part, str(arguments.source), **separator_of(labels_project, outputs))
        write_atomically(output, imposed.data)
        made = plural(imposed.sides, "page" if options.manual else "sheet side")
        say(f"  built   {output}  ({made}, {len(imposed.data) / 1024:.0f} KB)")
    for warning in imposed.warnings:
        say(f"  warning {warning}", sys.stderr)
    if arguments.bind is None and options.layout != "repeat" and binding(imposed.lang or "") == "right":
        say(f"  note    {arguments.source} says its text is in '{imposed.lang}', written right to left: "
            "give --bind right for sheets that bind on the right", sys.stderr)  # fmt: skip
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

    from samizdat.quick_import import import_weasyprint

    project = labels_project(arguments.project)
    options = TileOptions(arguments.sheet, arguments.overlap, arguments.margin, arguments.marks)
    refuse_overwriting(arguments.source, arguments.output)
    source = read_input(arguments.source)
    import_weasyprint()  # the quick way (samizdat.quick_import)
    from samizdat.tile import label_maker, tile  # WeasyPrint (1 s to import) once the source is known to be a PDF

    labels = label_maker(project.layouts_dir, project.readable_dirs, project.fonts_dir)
    data = tile(source, options, labels, name=str(arguments.source))
    write_atomically(arguments.output, data)
    sheets = plural(len(PdfReader(io.BytesIO(data)).pages), "sheet")
    say(f"  built   {arguments.output}  ({sheets}, {len(data) / 1024:.0f} KB)")
    print(f"To print: {TILE_INSTRUCTIONS}.")
    return 0


def labels_project(given: Path | None) -> Project:
    """The project whose layouts and fonts set the tiles' labels: the one given, else the current folder when it
    is one, else samizdat's built-in layouts and fonts (the `samizdat` command tiles a poster anywhere)."""
    if given is None and not is_project(Path(".").resolve()):
        from samizdat.layers import BUILTIN_LAYOUTS

        return Project.at(BUILTIN_LAYOUTS.parent)  # its layouts/ and fonts/ are the built-in ones: one layer each
    return project_of(argparse.Namespace(project=given or Path("."), content=None, output=None))


def run_new(arguments: argparse.Namespace) -> int:
    from samizdat.new_project import new_project

    for path in new_project(arguments.folder):
        say(f"  wrote   {path}")
    print(f"To build it: cd {arguments.folder} && samizdat build (the PDFs land in {arguments.folder / 'output'})")
    return 0


def run_check(arguments: argparse.Namespace) -> int:
    from samizdat.preflight import ERROR, INFO, WARNING, Finding, format_report, identify, preflight

    paths = list(arguments.pdfs)
    root = arguments.project.resolve()
    cmyk = arguments.cmyk or (is_project(root) and print_colour(root) == "cmyk")
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
