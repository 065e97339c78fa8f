"""The code stays ruff-clean and each module stays small enough to read in one sitting."""

from __future__ import annotations

import subprocess
import sys

from conftest import REPO


def test_ruff_is_clean():
    result = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "samizdat", "tests", "bench", "build.py"],
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_modules_stay_under_300_lines():
    long = {
        path.relative_to(REPO).as_posix(): n
        for path in (REPO / "samizdat").rglob("*.py")
        if (n := len(path.read_text().splitlines())) > 300
    }
    assert long == {}
