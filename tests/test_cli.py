"""The command line: help, exit codes, clear messages, and a failed build that loses nothing."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest
from conftest import REPO, VALID_FRONT_MATTER, make_project
from pypdf import PdfReader
from test_content import FRONT, bad_contents

from samizdat.cli import COMMANDS, main

BROKEN = "---\ntitle: Broken\nauthor: Us\nlang: en\nsubtitel: oops\n---\nText.\n"


def run_build_py(*arguments: str, cwd=REPO) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(REPO / "build.py"), *arguments], cwd=cwd, capture_output=True, text=True, timeout=120
    )


def test_help_explains_the_commands_and_outputs():
    result = run_build_py("--help")
    assert result.returncode == 0
    assert "build" in result.stdout and "commands" in result.stdout
    build_help = run_build_py("build", "--help").stdout
    assert "SLUG-a5.pdf" in build_help and "SLUG-a5-print.pdf" in build_help
    assert "bleed" in build_help and "crop marks" in build_help and "Exit status" in build_help


def test_every_command_has_help(cli):
    for command in COMMANDS:
        run = cli(command, "--help")
        assert run.code == 0 and run.out.strip()


@pytest.mark.parametrize("arguments", [["--no-such-option"], ["build", "--output"], ["--jobs", "x"], ["--out", "x"]])
def test_wrong_command_line_exits_2_with_a_hint(cli, arguments):
    run = cli(*arguments)
    assert run.code == 2
    assert "--help" in run.err


@pytest.mark.parametrize("port", ["99999", "65536", "-1", "--port=-1", "eighty"])
def test_a_port_out_of_range_exits_2_before_building(tmp_path, cli, port):
    """Before, serve --port 99999 built everything and then printed an OverflowError's traceback."""
    root = make_project(tmp_path / "project", {"leaflet": VALID_FRONT_MATTER + "Text.\n"})
    option = [port] if port.startswith("--") else ["--port", port]
    run = cli("serve", *option, "--project", str(root))
    value = port.removeprefix("--port=")
    assert (run.code, f"'{value}' is not a port: give a number from 0 to 65535" in run.err) == (2, True), run.err
    assert "Traceback" not in run.err and not (root / "output").exists()


def test_jobs_beyond_four_per_core_are_capped_and_said_once(workspace):
    """--jobs 1000 started one worker per job (601 processes, 4 GB on 2 cores)."""
    from samizdat.workers import pool_size

    cap = 4 * (os.cpu_count() or 1)
    assert [pool_size(1000, 5000), pool_size(1000, 2), pool_size(cap + 1, cap + 1), pool_size(1, 9)] == [cap, 2, cap, 1]
    workspace.write("leaflet.md", VALID_FRONT_MATTER + "Text.\n")
    run = workspace.build("--jobs", "1000")
    assert run.code == 0 and run.err.count(f"--jobs 1000: using at most {cap} workers, 4 per core") == 1, run.err
    workspace.write("leaflet.md", VALID_FRONT_MATTER + "Other text.\n")
    assert "using at most" not in workspace.build("--jobs", str(cap)).err


def test_not_a_project_exits_1(tmp_path, cli):
    run = cli("--project", str(tmp_path))
    assert run.code == 1
    assert "not a samizdat project" in run.err


def test_empty_content_folder_exits_1(workspace):
    run = workspace.build()
    assert run.code == 1
    assert "no documents" in run.err


def test_unknown_document_name_exits_2_with_a_suggestion(workspace):
    workspace.write("real.md", VALID_FRONT_MATTER + "Text.\n")
    run = workspace.build("rael")
    assert run.code == 2 and "no document named 'rael'" in run.err and "did you mean real?" in run.err


@pytest.mark.parametrize("name", ["real", "real.md", "content/real.md"])
def test_documents_can_be_named_as_slug_file_or_path(workspace, name):
    workspace.write("real.md", VALID_FRONT_MATTER + "Text.\n")
    workspace.write("other.md", VALID_FRONT_MATTER + "Text.\n")
    assert workspace.build(name).code == 0
    assert workspace.pdf("real").exists() and not workspace.pdf("other").exists()


def test_a_missing_image_fails_the_document_naming_the_line(workspace):
    source = workspace.write("pictured.md", VALID_FRONT_MATTER + "Text.\n\n![A photo](assets/nophoto.png)\n")
    run = workspace.build()
    assert run.code == 1
    assert f"{source}:8: this line names" in run.err and "nophoto.png, which does not exist" in run.err
    assert not workspace.pdf("pictured").exists()


def test_a_refused_url_warns_once_per_document(workspace):
    workspace.write("hostile.md", VALID_FRONT_MATTER + "![x](/etc/passwd)\n")
    run = workspace.build()
    assert run.code == 0
    assert run.err.count("refused file:///etc/passwd") == 1
    assert "1 warning in" in run.out


def test_progress_lines_and_summary(workspace):
    workspace.write("one.md", VALID_FRONT_MATTER + "Text.\n")
    run = workspace.build()
    assert run.code == 0
    # A5, print, booklet, the manual-duplex fronts and backs, the printer test sheet, the reader editions (HTML,
    # EPUB, text), page
    assert sum(line.startswith("  built ") for line in run.out.splitlines()) == 10
    assert "10 built, 0 failed, 0 warnings" in run.out


def test_one_broken_document_does_not_stop_the_others(workspace):
    workspace.write("good.md", VALID_FRONT_MATTER + "Text.\n")
    broken = workspace.write("bad.md", BROKEN)
    run = workspace.build()
    assert run.code == 1
    assert workspace.pdf("good").exists() and workspace.pdf("good", "a5-print").exists()
    assert not (workspace.output / "bad").exists()
    assert f"{broken}:5: unknown field 'subtitel': did you mean 'subtitle'?" in run.err
    assert "10 built, 1 failed" in run.out and "failed (see the messages above): bad.md" in run.out
    assert "Traceback" not in run.err + run.out


def test_a_failed_build_leaves_the_previous_good_pdf_untouched(workspace):
    source = workspace.write("leaflet.md", VALID_FRONT_MATTER + "First version.\n")
    assert workspace.build().code == 0
    before = {suffix: workspace.pdf("leaflet", suffix).read_bytes() for suffix in ("a5", "a5-print", "booklet-a4")}
    source.write_text(BROKEN)
    run = workspace.build()
    assert run.code == 1
    for suffix, data in before.items():
        assert workspace.pdf("leaflet", suffix).read_bytes() == data
    assert sorted(path.name for path in (workspace.output / "leaflet").iterdir()) == [
        "leaflet-a5-print.pdf",
        "leaflet-a5.pdf",
        "leaflet-booklet-a4-backs.pdf",
        "leaflet-booklet-a4-fronts.pdf",
        "leaflet-booklet-a4.pdf",
        "leaflet-printer-test-a4.pdf",
        "leaflet.epub",  # the reader editions
        "leaflet.html",
        "leaflet.txt",
    ]


def test_an_interrupted_write_leaves_the_previous_pdf_and_no_part_file(workspace, monkeypatch):
    workspace.write("leaflet.md", VALID_FRONT_MATTER + "First version.\n")
    assert workspace.build().code == 0
    before = workspace.pdf("leaflet").read_bytes()
    workspace.write("leaflet.md", VALID_FRONT_MATTER + "Second version, interrupted while written.\n")

    def interrupted(_descriptor):
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "fsync", interrupted)
    run = workspace.build()
    assert run.code == 130 and "interrupted" in run.err
    assert workspace.pdf("leaflet").read_bytes() == before
    assert [path.name for path in (workspace.output / "leaflet").iterdir() if path.suffix == ".part"] == []


def test_bad_source_date_epoch_is_a_clear_error(workspace, monkeypatch):
    workspace.write("leaflet.md", VALID_FRONT_MATTER + "Text.\n")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    run = workspace.build()
    assert run.code == 1 and "SOURCE_DATE_EPOCH" in run.err


@pytest.mark.parametrize("value", ["", " "])
def test_an_empty_source_date_epoch_is_as_if_unset(workspace, monkeypatch, value):
    """`SOURCE_DATE_EPOCH= make` (set to nothing) failed every document; it means no date, as when it is unset."""
    workspace.write("leaflet.md", VALID_FRONT_MATTER + "Text.\n")
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    assert workspace.build().code == 0
    unset = workspace.pdf("leaflet").read_bytes()
    shutil.rmtree(workspace.output)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", value)
    run = workspace.build()
    assert run.code == 0 and "SOURCE_DATE_EPOCH" not in run.out + run.err, run.err
    assert workspace.pdf("leaflet").read_bytes() == unset


def test_missing_layout_template_is_a_clear_error(tmp_path, capsys):
    # An empty layouts/ now falls back to the built-in layouts (samizdat.layers): the template missing
    # everywhere is one the project's own pamphlet.html includes.
    project = tmp_path / "project"
    (project / "layouts" / "pamphlet").mkdir(parents=True)
    (project / "layouts" / "pamphlet" / "pamphlet.html").write_text('{% include "pamphlet/nowhere.html" %}\n')
    (project / "content").mkdir()
    (project / "content" / "leaflet.md").write_text(VALID_FRONT_MATTER + "Text.\n")
    code = main(["--project", str(project)])
    captured = capsys.readouterr()
    assert code == 1
    assert "layout template 'pamphlet/nowhere.html' is missing" in captured.err


def test_missing_content_folder_exits_1(tmp_path, cli):
    run = cli("--project", str(REPO), "--content", str(tmp_path / "nowhere"), "--output", str(tmp_path / "out"))
    assert run.code == 1
    assert "does not exist" in run.err


def test_unwritable_output_is_a_clear_error(workspace):
    workspace.write("leaflet.md", VALID_FRONT_MATTER + "Text.\n")
    workspace.output.write_text("a file where the output folder should be")
    run = workspace.build()
    assert run.code == 2  # a wrong --output is a wrong command line
    assert "is a file, not a folder" in run.err and "Traceback" not in run.err


BAD_INPUTS = {
    **bad_contents(),
    "missing image": (FRONT + "---\n\n![photo](nowhere.png)\n", 7, "nowhere.png, which does not exist"),
}


@pytest.mark.parametrize("case", BAD_INPUTS, ids=list(BAD_INPUTS))
def test_every_bad_input_fails_clearly_and_keeps_the_last_good_pdfs(tmp_path, capsys, built_workspaces, case):
    text, line, message = BAD_INPUTS[case]
    good = {"leaflet.md": FRONT + "---\nThe good version.\n"}
    workspace = built_workspaces.workspace(tmp_path, capsys, good)  # the good version's build, made once and copied
    source = workspace.content / "leaflet.md"
    before = {path.name: path.read_bytes() for path in (workspace.output / "leaflet").iterdir()}
    source.write_text(text)
    run = workspace.build()
    assert run.code == 1
    assert f"{source}:{line}: " in run.err and message in run.err
    assert "Traceback" not in run.err + run.out
    assert {path.name: path.read_bytes() for path in (workspace.output / "leaflet").iterdir()} == before


def test_two_documents_with_one_slug_are_refused(workspace):
    workspace.write("stop-the-war.md", VALID_FRONT_MATTER + "One.\n")
    workspace.write("Stop The War.md", VALID_FRONT_MATTER + "Two.\n")
    run = workspace.build()
    assert run.code == 1
    assert "its outputs would be named 'stop-the-war'" in run.err and "rename one of the two files" in run.err


def test_project_config_switches_to_letter_and_adds_impositions(tmp_path, capsys):
    project = make_project(tmp_path / "project", {"leaflet": VALID_FRONT_MATTER + "Text.\n"})
    (project / "samizdat.yaml").write_text(
        "sheet: Letter\nduplex: long\nimpositions:\n  - layout: repeat\n    nup: 4\n  - layout: zine\n"
    )
    assert main(["--project", str(project)]) == 0
    folder = project / "output" / "leaflet"
    assert sorted(path.name for path in folder.iterdir()) == [
        "leaflet-a5-print.pdf",
        "leaflet-a5.pdf",
        "leaflet-booklet-letter-backs.pdf",
        "leaflet-booklet-letter-fronts.pdf",
        "leaflet-booklet-letter.pdf",
        "leaflet-printer-test-letter.pdf",
        "leaflet-repeat-4up-letter.pdf",
        "leaflet-zine-letter.pdf",
        "leaflet.epub",  # the reader editions
        "leaflet.html",
        "leaflet.txt",
    ]
    sheet = PdfReader(folder / "leaflet-booklet-letter.pdf").pages[0].mediabox
    assert (round(float(sheet.width), 2), round(float(sheet.height), 2)) == (792, 612)


BAD_CONFIGS = {
    "unknown key": ("sheets: A4\n", 1, "unknown field 'sheets': did you mean 'sheet'?"),
    "unknown sheet": ("sheet: B5\n", 1, "the field 'sheet' is wrong ('B5')"),
    "bad nup": ("impositions:\n  - layout: repeat\n    nup: 3\n", 3, "the field 'impositions[1].nup' is wrong (3)"),
    "one-sided booklet": ("impositions:\n  - layout: saddle\n    duplex: none\n", 2, "printed on both sides"),
}


@pytest.mark.parametrize("case", BAD_CONFIGS)
def test_bad_project_config_is_a_located_error(tmp_path, capsys, case):
    text, line, message = BAD_CONFIGS[case]
    project = make_project(tmp_path / "project", {"leaflet": VALID_FRONT_MATTER + "Text.\n"})
    (project / "samizdat.yaml").write_text(text)
    assert main(["--project", str(project)]) == 1
    err = capsys.readouterr().err
    assert f"{project / 'samizdat.yaml'}:{line}: " in err and message in err
