"""Issue 14, reviewed where its parts meet: each case failed before its fix."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from samizdat.serve import serve

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
