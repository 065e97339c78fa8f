"""Faults: an edit saved mid-build, renders over budget, and builds killed at several moments; nothing lost or left.

The kill cases run `build.py --jobs 2` as a subprocess with a private TMPDIR
on a copy of a small project whose every output is stale, kill the build (or
one worker) at a chosen moment, then check what was left and build again.
"""

from __future__ import annotations

import io
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import REPO, make_project
from pypdf import PdfReader

import samizdat.build
from samizdat.cli import main

LEAFLET = "---\ntitle: {title}\nauthor: Us\nlang: en\n---\n{body}\n"
SMALL = LEAFLET.format(title="Small", body="Text.")


def text_of(pdf: Path) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.read_bytes())).pages)


def test_an_edit_saved_while_the_build_runs_is_built_by_the_next(tmp_path: Path, monkeypatch, capsys):
    root = make_project(tmp_path / "project", {"one": LEAFLET.format(title="One", body="The old text.")})
    source, read = root / "content" / "one.md", samizdat.build.load_document

    def saved_just_after_reading(path: Path, *defaults: str):
        document = read(path, *defaults)
        if path == source:
            source.write_text(LEAFLET.format(title="One", body="The new text."))
        return document

    monkeypatch.setattr(samizdat.build, "load_document", saved_just_after_reading)
    assert main(["--project", str(root)]) == 0
    assert "old text" in text_of(root / "output/one/one-a5.pdf")
    monkeypatch.setattr(samizdat.build, "load_document", read)
    assert main(["--project", str(root)]) == 0
    assert "new text" in text_of(root / "output/one/one-a5.pdf"), "the edit was never built"
    assert main(["--project", str(root)]) == 0
    summary = [line for line in capsys.readouterr().out.splitlines() if " built, " in line][-1]  # signing's note after
    assert summary.startswith("0 built, "), summary


def long_table() -> str:
    rows = "".join(f"| cell {i} words words | more words in a cell |\n" for i in range(3000))
    return LEAFLET.format(title="Slow", body="| a | b |\n|---|---|\n" + rows)


def big_picture(content: Path) -> str:
    from PIL import Image

    # 49 million pixels: under the fetcher's picture limit (samizdat.resource_limits), 147 MB once decoded
    Image.new("RGB", (7000, 7000), (200, 30, 30)).save(content / "big.png", optimize=True)
    return LEAFLET.format(title="Big", body="![a big picture](big.png)")


BUDGETS = {
    # the table takes some 6 s to set, the small document well under 1 s even on a busy machine
    "time": ({"SAMIZDAT_RENDER_SECONDS": "3"}, lambda content: long_table(), "took more than 3 s"),
    "memory": ({"SAMIZDAT_RENDER_MEMORY_MB": "150"}, big_picture, "needed more than 150 MB"),
}


@pytest.mark.parametrize(("limits", "hungry", "message"), BUDGETS.values(), ids=BUDGETS.keys())
@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_render_over_budget_fails_alone(tmp_path: Path, monkeypatch, capsys, limits, hungry, message, jobs):
    root = make_project(tmp_path / "project", {"small": SMALL})
    (root / "content" / "hungry.md").write_text(hungry(root / "content"))
    for name, value in limits.items():
        monkeypatch.setenv(name, value)
    capsys.readouterr()
    assert main(["--project", str(root), "--jobs", jobs]) == 1
    out, err = capsys.readouterr()
    assert f"the render of hungry pamphlet {message}" in out + err
    assert "Traceback" not in out + err
    assert len(PdfReader(root / "output/small/small-a5.pdf").pages) >= 1, "the other document was not built"


@pytest.mark.parametrize("value", ["x", "-1", "0"])
def test_a_bad_limit_is_a_clear_error(workspace, monkeypatch, value):
    workspace.write("one.md", SMALL)
    monkeypatch.setenv("SAMIZDAT_RENDER_SECONDS", value)
    run = workspace.build()
    assert run.code == 1
    assert f"SAMIZDAT_RENDER_SECONDS is '{value}'" in run.err


# Killing the build.


def processes_of(root: Path) -> list[int]:
    """Every process whose command line names this project: the build and its workers (forked, same command)."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and str(root).encode() in (entry / "cmdline").read_bytes():
                found.append(int(entry.name))
        except OSError:
            continue
    return found


def children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
        except (OSError, ValueError, IndexError):
            continue
    return found


def workers(pid: int) -> list[int]:
    """The build's worker processes: children running Python, as the build does (not a short-lived helper
    such as ldconfig, which a library may run while it loads)."""
    own = os.path.realpath(f"/proc/{pid}/exe")
    found = []
    for child in children(pid):
        try:
            if os.path.realpath(f"/proc/{child}/exe") == own:
                found.append(child)
        except OSError:
            continue
    return found


def wait_for(condition, seconds: float = 20.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.005)
    return False


def outputs(output: Path) -> dict[str, bytes]:
    return {
        path.relative_to(output).as_posix(): path.read_bytes()
        for path in sorted(output.rglob("*"))
        if path.is_file() and ".cache" not in path.parts
    }


#: "one" takes a second or so to render, so that 0.4 s after its worker started it is still mid-render.
DOCUMENTS = {"one": LEAFLET.format(title="One", body="Text. " * 1200), "two": SMALL.replace("Small", "Two")}


@pytest.fixture(scope="module")
def projects(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, bytes], dict[str, bytes]]:
    """A project built once (the 'old' outputs), then changed so that every output is stale, and its clean build."""
    base = tmp_path_factory.mktemp("faults")
    old = make_project(base / "old", DOCUMENTS)
    assert main(["--project", str(old), "--jobs", "2"]) == 0
    clean = base / "clean"
    shutil.copytree(old, clean, symlinks=True)
    change(clean)
    shutil.rmtree(clean / "output")
    assert main(["--project", str(clean), "--jobs", "2"]) == 0
    return old, outputs(old / "output"), outputs(clean / "output")


def change(root: Path) -> None:
    css = root / "layouts" / "base" / "base.css"
    css.write_text(css.read_text() + "\n/* every output is stale */\n")


def part_file(output: Path) -> bool:
    return any(output.rglob("*.part"))


MOMENTS = {  # who is killed, with which signal, when
    "parent SIGKILL just after start": ("parent", signal.SIGKILL, "start"),
    "parent SIGKILL mid-render": ("parent", signal.SIGKILL, "render"),
    "parent SIGKILL while writing": ("parent", signal.SIGKILL, "writing"),
    "parent SIGINT mid-render": ("parent", signal.SIGINT, "render"),
    "worker SIGKILL mid-render": ("worker", signal.SIGKILL, "render"),
    "worker SIGKILL while writing": ("worker", signal.SIGKILL, "writing"),
}


@pytest.mark.parametrize(("whom", "how", "when"), MOMENTS.values(), ids=MOMENTS.keys())
def test_a_killed_build_loses_nothing_and_leaves_nothing(projects, tmp_path: Path, whom: str, how: int, when: str):
    old_root, old, clean = projects
    root, temporary = tmp_path / "project", tmp_path / "tmp"
    shutil.copytree(old_root, root, symlinks=True)
    change(root)
    temporary.mkdir()
    env = {**os.environ, "TMPDIR": str(temporary)}
    command = [sys.executable, str(REPO / "build.py"), "--project", str(root), "--jobs", "2"]
    build = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if when == "start":
        time.sleep(0.3)
    elif when == "render":
        assert wait_for(lambda: workers(build.pid)), "no worker started"
        time.sleep(0.4)
    else:
        wait_for(lambda: part_file(root / "output"))
    found = [build.pid] if whom == "parent" else []
    if whom == "worker":  # the list the wait saw: a second look could come after the worker's last job ended
        assert wait_for(lambda: found.extend(workers(build.pid)) or found), "no worker to kill"
    os.kill(found[0], how)
    out, err = build.communicate(timeout=60)
    assert b"Traceback" not in err, err.decode()
    if whom == "worker":  # its jobs were tried again in a fresh worker: the build went on
        assert build.returncode == 0, err.decode()
    assert wait_for(lambda: not processes_of(root), 5), f"processes left: {processes_of(root)}"
    assert list(temporary.iterdir()) == [], "temporary files left behind"
    for name, data in outputs(root / "output").items():
        if name.endswith(".pdf"):
            assert data in (old.get(name), clean.get(name)), f"{name} is neither its old nor its new bytes"
    again = subprocess.run(command, env=env, capture_output=True, timeout=120)
    assert again.returncode == 0, again.stderr.decode()
    assert not part_file(root / "output")
    assert list(temporary.iterdir()) == []
    assert outputs(root / "output") == clean


def test_only_the_temporary_files_of_writers_that_are_gone_are_removed(tmp_path: Path):
    """A second build or `serve` may be writing into the same folder: its .part files are its own."""
    root = make_project(tmp_path / "project", {"small": SMALL})
    assert main(["--project", str(root)]) == 0
    writer = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        folder = root / "output" / "small"
        alive = folder / f".small-a5.pdf.{writer.pid}.abcd1234.part"
        gone = folder / ".small-a5.pdf.4194000.abcd1234.part"  # no such process
        for path in (alive, gone):
            path.write_bytes(b"half a PDF")
        assert main(["--project", str(root)]) == 0
        assert alive.exists() and not gone.exists()
    finally:
        writer.kill()
        writer.wait()
