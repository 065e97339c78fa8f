"""Fixtures of the hostile suite: a throwaway project, build.py as a subprocess, snapshots, a marker planted outside.

The helpers themselves live in harness.py (projects, builds, snapshots, the marker) and scan.py (the leak
scanner); test files import them from there (`from hostile.harness import run_build`): tests/hostile is a package, so
this file is `hostile.conftest` and `import conftest` still means tests/conftest.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from hostile.harness import VALID_DOCUMENT, HostileProject, Marker, make_hostile_project, plant_marker, run_build
from hostile.harness import snapshot as snapshot_of


@pytest.fixture
def project(tmp_path: Path) -> HostileProject:
    """tmp_path/project: the layouts copied, the fonts copied, content/leaflet.md."""
    return HostileProject(make_hostile_project(tmp_path / "project", {"leaflet": VALID_DOCUMENT}))


@pytest.fixture
def built_project(tmp_path: Path, built_projects) -> HostileProject:
    """The `project` with its good build behind it: made once per worker (conftest.built_projects), copied here
    with its outputs and records; its fonts copied, not linked, like every hostile project's."""
    files = {"content/leaflet.md": VALID_DOCUMENT}
    return HostileProject(built_projects(tmp_path / "project", files, link_fonts=False))


@pytest.fixture(name="run_build")
def run_build_fixture():
    """`run_build(project_dir, *args)` → Result; fails on a traceback or a hang."""
    return run_build


@pytest.fixture(name="snapshot")
def snapshot_fixture():
    """`snapshot(output_dir)` → {relative path: sha256} of every file."""
    return snapshot_of


@pytest.fixture
def marker(tmp_path: Path) -> Marker:
    """A marker in every kind of file a project could be tricked into reading, in tmp_path/outside/."""
    return plant_marker(tmp_path / "outside")
