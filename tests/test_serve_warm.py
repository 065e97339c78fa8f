"""`serve` lays a pamphlet out once in its own process so that each save's worker starts warm (samizdat.warm):
what a save then makes is what a fresh build of the same files makes, even after the layouts' fonts change."""

from __future__ import annotations

import queue
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

from conftest import REPO, make_project

LEAFLET = (
    "---\ntitle: Leaflet\nauthor: Us\nlang: en\neditions: [large-print, pocket, copier]\n---\n"
    "The text of the leaflet, *with a word in italics*.\n"
)  # the editions: a worker makes more kinds of page than it keeps FontConfigurations for (samizdat.warm)
A5 = Path("output/leaflet/leaflet-a5.pdf")
#: A face of the layouts' own, under a family name no font file has (Fontconfig finds those by themselves).
OWN_FACE = '@font-face { font-family: "Leaflet Italic"; font-style: italic; src: url(../../fonts/%s); }\n'
CHARIS, NOTO = "charis-sil/CharisSIL-Italic.ttf", "noto-sans/NotoSans-Italic.ttf"


def serving(project: Path) -> tuple[subprocess.Popen, queue.Queue]:
    """`build.py serve` on the project, and the lines it prints, as they come (read by a thread of their own)."""
    command = [sys.executable, "-u", str(REPO / "build.py"), "serve", "--port", "0", "--project", str(project)]
    server = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    lines: queue.Queue = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in server.stdout], daemon=True).start()
    return server, lines


def next_line(lines: queue.Queue, containing: str, seconds: float = 60) -> str:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            line = lines.get(timeout=max(deadline - time.monotonic(), 0.01))
        except queue.Empty:
            break
        if containing in line:
            return line
    raise AssertionError(f"serve did not say '{containing}' within {seconds:g} s")


def warmed_up(project: Path) -> bool:
    """The warm-up's fonts are in place: WeasyPrint's folder of faces under output/.cache/warm/PID/."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if any((project / "output" / ".cache" / "warm").glob("*/weasyprint-*")):
            return True
        time.sleep(0.05)
    return False


def fresh_build(project: Path, copy: Path) -> bytes:
    """The A5 a build of a copy of the project's inputs makes, in a process of its own."""
    for name in ("content", "layouts", "fonts"):
        shutil.copytree(project / name, copy / name)
    done = subprocess.run([sys.executable, str(REPO / "build.py"), "--project", str(copy)], capture_output=True,
                          text=True, check=False)  # fmt: skip
    assert done.returncode == 0, done.stderr
    return (copy / A5).read_bytes()


def test_saves_after_the_warm_up_make_a_fresh_builds_bytes_even_when_a_face_changes(tmp_path: Path):
    project = make_project(tmp_path / "served", {"leaflet": LEAFLET})
    css = project / "layouts" / "pamphlet" / "pamphlet.css"
    css.write_text(css.read_text() + OWN_FACE % CHARIS + 'em { font-family: "Leaflet Italic"; }\n')
    server, lines = serving(project)
    try:
        next_line(lines, "serving ")
        assert warmed_up(project), "serve did not warm up"
        css.write_text(css.read_text() + "\np { word-spacing: 0.01em; }\n")  # what a designer saves most
        next_line(lines, "watching for changes")
        edited = (project / A5).read_bytes()
        assert edited == fresh_build(project, tmp_path / "edited")
        css.write_text(css.read_text().replace(OWN_FACE % CHARIS, OWN_FACE % NOTO))  # the warm-up's face was Charis
        next_line(lines, "watching for changes")
        other_face = (project / A5).read_bytes()
        kept = list((project / "output" / ".cache" / "warm").glob("*/weasyprint-*/*"))
        assert kept, "a worker deleted the warm-up's font files, which later workers need"
    finally:
        server.terminate()
        server.wait(timeout=10)
    assert other_face != edited
    assert other_face == fresh_build(project, tmp_path / "other-face")


def test_serve_with_no_document_yet_keeps_watching_through_the_warm_up(tmp_path: Path):
    project = make_project(tmp_path / "empty", {})
    server, lines = serving(project)
    try:
        next_line(lines, "serving ")
        time.sleep(1.5)  # past the first quiet moment, when it warms up
        assert server.poll() is None, "serve stopped"
        (project / "content" / "leaflet.md").write_text(LEAFLET)
        next_line(lines, "watching for changes")
        assert (project / A5).is_file()
    finally:
        server.terminate()
        server.wait(timeout=10)
