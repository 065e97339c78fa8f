"""Issue 14, reviewed where its parts meet: each case failed before its fix."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from samizdat.serve import serve

REPO = Path(__file__).resolve().parents[1]
CONSOLE = Path(sys.executable).parent / "samizdat"  # the console script, where samizdat is installed


def run(command: list[str], cwd: Path = REPO) -> subprocess.CompletedProcess:
    """samizdat run as a user runs it, on this checkout's code."""
    environment = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run(command, cwd=cwd, env=environment, capture_output=True, text=True, timeout=300, check=False)


# How samizdat was run is how its usage lines and hints name it.


@pytest.mark.parametrize(
    "how, named",
    [
        ([sys.executable, str(REPO / "build.py")], "build.py"),
        ([str(CONSOLE)], "samizdat"),
        ([sys.executable, "-m", "samizdat"], "python -m samizdat"),
    ],
)
def test_usage_and_hints_name_the_command_the_user_ran(how, named):
    if not Path(how[0]).exists():
        pytest.skip("no samizdat console script beside this Python")
    wrong = run([*how, "tile"])
    assert wrong.returncode == 2 and "Traceback" not in wrong.stderr
    assert wrong.stderr.startswith(f"{named} tile: the following arguments are required")
    assert f"Run '{named} tile --help'" in wrong.stderr
    shown = run([*how, "--help"])
    assert shown.returncode == 0 and shown.stdout.startswith(f"usage: {named} [-h]")
    assert f"Run `{'python build.py' if named == 'build.py' else named} build --help`" in shown.stdout

# serve: what it watches, for a project made with `samizdat new` (no layouts/, no fonts/, maybe no samizdat.yaml).


@pytest.mark.parametrize(
    "made",
    [
        "layouts/pamphlet/pamphlet.css",  # the first override of a built-in layout
        "fonts/mine/Mine-Regular.ttf",
        "samizdat.yaml",
    ],
)
def test_serve_rebuilds_when_a_watched_folder_or_file_appears_after_it_started(tmp_path, made):
    (tmp_path / "content").mkdir()
    (tmp_path / "output").mkdir()
    watched = [tmp_path / "content", tmp_path / "layouts", tmp_path / "fonts", tmp_path / "samizdat.yaml"]
    builds: list[set[Path]] = []
    rebuilt, started, stop = threading.Event(), threading.Event(), threading.Event()

    def rebuild(changed: set[Path]) -> list[str]:
        builds.append(changed)
        if changed:
            rebuilt.set()
        return []

    server = threading.Thread(
        target=serve, args=(tmp_path / "output", watched, rebuild, 0, stop, lambda port: started.set()), daemon=True
    )
    server.start()
    try:
        assert started.wait(10)
        time.sleep(0.3)  # the watch is running
        path = tmp_path / made
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("/* mine */\n")
        assert rebuilt.wait(10), f"creating {made} after serve started rebuilt nothing"
        assert any(any(changed == path or path.is_relative_to(changed) for changed in batch) for batch in builds)
    finally:
        stop.set()
        server.join(10)
    assert not server.is_alive()
