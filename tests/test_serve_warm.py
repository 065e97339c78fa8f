"""`serve` lays a pamphlet out once in its own process so that each save's worker starts warm (samizdat.warm):
what a save then makes is what a fresh build of the same files makes, even after the layouts' fonts change."""

from __future__ import annotations

import shutil
import subprocess
import sys
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


def next_line(server: subprocess.Popen, containing: str) -> str:
    for line in server.stdout:
        if containing in line:
            return line
    raise AssertionError(f"serve stopped before it said '{containing}'")


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
    command = [sys.executable, "-u", str(REPO / "build.py"), "serve", "--port", "0", "--project", str(project)]
    server = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        next_line(server, "serving ")
        assert warmed_up(project), "serve did not warm up"
        css.write_text(css.read_text() + "\np { word-spacing: 0.01em; }\n")  # what a designer saves most
        next_line(server, "watching for changes")
        edited = (project / A5).read_bytes()
        assert edited == fresh_build(project, tmp_path / "edited")
        css.write_text(css.read_text().replace(OWN_FACE % CHARIS, OWN_FACE % NOTO))  # the warm-up's face was Charis
        next_line(server, "watching for changes")
        other_face = (project / A5).read_bytes()
        kept = list((project / "output" / ".cache" / "warm").glob("*/weasyprint-*/*"))
        assert kept, "a worker deleted the warm-up's font files, which later workers need"
    finally:
        server.terminate()
        server.wait(timeout=10)
    assert other_face != edited
    assert other_face == fresh_build(project, tmp_path / "other-face")
