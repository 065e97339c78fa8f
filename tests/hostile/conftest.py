"""Fixtures of the hostile suite: a throwaway project, build.py as a subprocess, snapshots, a marker planted outside.

The helpers themselves live in harness.py (projects, builds, snapshots, the marker) and scan.py (the leak
scanner); test files import them from there (`from harness import run_build`), since `import conftest`
means tests/conftest.py.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from harness import REPO, VALID_DOCUMENT, HostileProject, Marker, make_hostile_project, plant_marker, run_build
from harness import snapshot as snapshot_of

#: --doctest-modules would import this file once more, as "conftest", and find tests/conftest.py there.
collect_ignore = ["conftest.py"]


def pytest_plugin_registered(plugin: object, manager: pytest.PytestPluginManager) -> None:
    """Keep `import conftest` meaning tests/conftest.py for the test files collected after this folder.

    pytest imports every conftest.py without a package under the one name "conftest"; loading this one
    would otherwise hide tests/conftest.py from `from conftest import REPO` in tests/test_*.py.
    """
    for candidate in manager.get_plugins():
        if getattr(candidate, "__file__", None) == str(REPO / "tests" / "conftest.py"):
            sys.modules["conftest"] = candidate


@pytest.fixture
def project(tmp_path: Path) -> HostileProject:
    """tmp_path/project: the layouts copied, the fonts copied, content/leaflet.md."""
    return HostileProject(make_hostile_project(tmp_path / "project", {"leaflet": VALID_DOCUMENT}))


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
