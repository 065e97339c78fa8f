"""The hostile suite's harness: throwaway projects, build.py run as a real subprocess, snapshots of output/.

The fixtures in conftest.py hand these out; test files may also import them (`from harness import run_build`).
A build runs as a subprocess, as a user runs it: a traceback, a hang or a worker left behind shows as it would.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
BUILD_TIMEOUT = 180.0  # s: a few renders take seconds; a hang must fail the test, not the suite

OUTSIDE_FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")  # a system font, with glyphs ours lack
PICTURE_SIZE = (1931, 1289)  # px: the planted PNG's odd size, its fingerprint in a PDF (and over 300 ppi)

VALID_DOCUMENT = """\
---
title: A hostile test leaflet
author: The Test Collective
lang: en
slogans:
  - Hold the line!
---

A first paragraph of ordinary text.
"""


@dataclass
class Result:
    """One run of build.py: the command line, its exit status and what it printed."""

    args: tuple[str, ...]
    code: int
    out: str
    err: str

    def __str__(self) -> str:
        command = f"build.py {' '.join(self.args)} -> exit {self.code}"
        return f"{command}\n--- stdout ---\n{self.out}\n--- stderr ---\n{self.err}"


def make_hostile_project(root: Path, documents: dict[str, str] | None = None) -> Path:
    """A project at `root` with real folders only: layouts and fonts copied, never symlinked.

    Symlinked folders are what the hostile cases plant; the project itself must not hold any. The fonts
    are copied, not hard-linked (4.5 MB), so that a test that damages a font cannot damage the repository's.
    """
    shutil.copytree(REPO / "layouts", root / "layouts")
    shutil.copytree(REPO / "fonts", root / "fonts")
    (root / "content").mkdir()
    for name, text in (documents if documents is not None else {"leaflet": VALID_DOCUMENT}).items():
        (root / "content" / f"{name}.md").write_text(textwrap.dedent(text), encoding="utf-8")
    return root


def run_build(
    project: Path,
    *args: str,
    timeout: float = BUILD_TIMEOUT,
    env: dict[str, str] | None = None,
    script: Path | None = None,
    allow_traceback: bool = False,
) -> Result:
    """Run `python build.py ARGS` with `project` as the current folder; fail the test on a traceback or a hang.

    `script` is the build.py to run (default: this checkout's); `env` replaces the environment.
    The build runs in a session of its own so that a hang kills it and every worker it started.
    """
    command = [sys.executable, str(script or REPO / "build.py"), *args]
    process = subprocess.Popen(
        command, cwd=project, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        errors="replace", start_new_session=True,
    )  # fmt: skip
    try:
        out, err = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        out, err = process.communicate()
        pytest.fail(f"build.py {' '.join(args)} hung: killed after {timeout:.0f} s\n{err[-3000:]}", pytrace=False)
    result = Result(tuple(args), process.returncode, out, err)
    if not allow_traceback:
        assert "Traceback" not in out + err, f"a traceback instead of a message:\n{result}"
    return result


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def snapshot(output_dir: Path, skip: tuple[str, ...] = ()) -> dict[str, str]:
    """Every file under `output_dir` as {relative path: sha256}; `skip` leaves out folders such as ".cache"."""
    if not output_dir.is_dir():
        return {}
    files = {}
    for path in sorted(output_dir.rglob("*")):
        relative = path.relative_to(output_dir).as_posix()
        if path.is_file() and not any(relative == s or relative.startswith(f"{s}/") for s in skip):
            files[relative] = sha256(path)
    return files


def snapshot_difference(before: dict[str, str], after: dict[str, str]) -> str:
    """What differs between two snapshots, one file a line; empty when they are equal."""
    lines = [f"  only in the first:  {path}" for path in sorted(before.keys() - after.keys())]
    lines += [f"  only in the second: {path}" for path in sorted(after.keys() - before.keys())]
    changed = [path for path in sorted(before) if path in after and before[path] != after[path]]
    lines += [f"  different bytes:    {path}" for path in changed]
    return "\n".join(lines)


def assert_survived(before: dict[str, str], output_dir: Path, paths: tuple[str, ...] | None = None) -> None:
    """The files of `before` (or only `paths` among them) are still in `output_dir`, byte for byte."""
    kept = {path: digest for path, digest in before.items() if paths is None or path in paths}
    assert paths is None or set(paths) <= set(before), f"not in the first snapshot: {set(paths) - set(before)}"
    now = {path: digest for path, digest in snapshot(output_dir).items() if path in kept}
    difference = snapshot_difference(kept, now)
    assert not difference, f"good outputs were lost or changed:\n{difference}"


@dataclass
class HostileProject:
    """A project of real folders in tmp_path, built by build.py in a subprocess."""

    root: Path

    @property
    def content(self) -> Path:
        return self.root / "content"

    @property
    def output(self) -> Path:
        return self.root / "output"

    def write(self, name: str, text: str) -> Path:
        """Write a file under the project (`content/x.md`, `samizdat.yaml`), dedented."""
        path = self.root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path

    def build(self, *args: str, **options) -> Result:
        return run_build(self.root, *args, **options)

    def snapshot(self, skip: tuple[str, ...] = ()) -> dict[str, str]:
        return snapshot(self.output, skip)


@dataclass
class Marker:
    """A unique string planted in files outside the project: if it shows in an output, something leaked."""

    text: str
    outside: Path

    def path(self, name: str) -> Path:
        return self.outside / name


def plant_marker(outside: Path) -> Marker:
    """A marker in every kind of file a project could be tricked into reading, in `outside`."""
    marker = Marker(f"LEAKMARKER{uuid.uuid4().hex[:12].upper()}", outside)
    plant(marker)
    return marker


def plant(marker: Marker) -> None:
    """The outside files: text, a document, pictures, a stylesheet, a template, a font, group data, a config."""
    text = marker.text
    outside = marker.outside
    for folder in ("", "content-dir", "assets-dir", "font-dir"):
        (outside / folder).mkdir(parents=True, exist_ok=True)
    svg = f'<svg xmlns="http://www.w3.org/2000/svg" width="300" height="40"><text x="4" y="30">{text}</text></svg>'
    document = VALID_DOCUMENT.replace("A hostile test leaflet", f"Secret {text}") + f"\nSecret body {text}.\n"
    files = {
        "secret.txt": f"{text}\n",
        "secret.md": document,
        "secret.svg": svg,
        "secret.css": f'body::before {{ content: "{text}" }}',
        "template.html": f"<p>{text}</p>",
        "groups.csv": f"town,meeting\nLeakville,Meeting of {text}\n",
        "samizdat.yaml": f"posters:\n  url: https://example.org/{text}\n",
        "content-dir/secret.md": document,
        "assets-dir/secret.svg": svg,
    }
    for name, body in files.items():
        (outside / name).write_text(body, encoding="utf-8")
    write_png(outside / "secret.png", text)
    write_font(outside / "font-dir" / "Marker-Regular.ttf", text)


def write_png(path: Path, text: str) -> None:
    """A PNG of PICTURE_SIZE with the marker in a tEXt chunk."""
    from PIL import Image, PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", text)
    Image.new("RGB", PICTURE_SIZE, (200, 30, 30)).save(path, pnginfo=info)


def write_font(path: Path, text: str) -> None:
    """A copy of a system font (ours, where it is absent) whose every name is the marker."""
    from fontTools.ttLib import TTFont

    font = TTFont(OUTSIDE_FONT if OUTSIDE_FONT.exists() else REPO / "fonts" / "noto-sans" / "NotoSans-Regular.ttf")
    names = font["name"]
    for name_id in (1, 3, 4, 6, 16):
        names.setName(text, name_id, 3, 1, 0x409)
        names.setName(text, name_id, 1, 0, 0)
    font.save(path)
