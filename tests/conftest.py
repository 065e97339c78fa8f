"""Shared fixtures: the repository, a built statement, and throwaway projects with their own content."""

from __future__ import annotations

import contextlib
import http.server
import io
import os
import shutil
import sys
import textwrap
import threading
from dataclasses import dataclass
from pathlib import Path

import pytest

from samizdat.cli import main

REPO = Path(__file__).resolve().parents[1]
TESTS = Path(__file__).resolve().parent
DATA = TESTS / "data"
sys.path.insert(0, str(Path(__file__).resolve().parent))

VALID_FRONT_MATTER = """\
---
title: A test leaflet
author: The Test Collective
lang: en
---
"""


def make_project(root: Path, documents: dict[str, str]) -> Path:
    """A project of our own at `root`: a copy of the layouts (to edit), of the fonts, these documents.

    The fonts are hard links where the file system allows (a copy elsewhere): a
    symbolic link out of the project is refused, as it should be.
    """
    shutil.copytree(REPO / "layouts", root / "layouts")
    copy_fonts(root / "fonts")
    (root / "content").mkdir()
    for name, text in documents.items():
        (root / "content" / f"{name}.md").write_text(text)
    return root


def copy_fonts(fonts: Path) -> None:
    """The repository's fonts/ at `fonts`, hard-linked file by file (copied across file systems)."""

    def link_or_copy(source: str, destination: str) -> None:
        try:
            os.link(source, destination)
        except OSError:
            shutil.copy2(source, destination)

    shutil.copytree(REPO / "fonts", fonts, copy_function=link_or_copy)


def copy_project(built: Path, root: Path, link_fonts: bool = True) -> Path:
    """A copy at `root` of the project `built` with all it made (the file times kept, as cache stamps read them):
    as if it had been built there. The fonts are hard-linked (see make_project), or copied with `link_fonts=False`."""
    shutil.copytree(built, root, symlinks=True, ignore=lambda folder, names: ["fonts"] if folder == str(built) else [])
    if link_fonts:
        copy_fonts(root / "fonts")
    else:
        shutil.copytree(built / "fonts", root / "fonts")
    return root


class BuiltProjects:
    """Projects built once per test worker, by what they hold; each test gets a copy of its own (copy_project).

    Many tests need a project with a good build behind it before they break something; the good build is the
    same for all of them, so it is made once and its folder copied, outputs and records alike.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.built: dict[tuple, Path] = {}

    def __call__(self, root: Path, files: dict[str, str | bytes], link_fonts: bool = True) -> Path:
        """A copy at `root` of a project with these files (`content/leaflet.md`, `samizdat.yaml`), built once."""
        key = tuple(sorted(files.items()))
        if key not in self.built:
            built = make_project(self.folder / f"built-{len(self.built)}", {})
            for name, data in files.items():
                (built / name).write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
            out, err = io.StringIO(), io.StringIO()
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                code = main(["--project", str(built), "--jobs", "1"])
            assert code == 0, f"the good build failed:\n{out.getvalue()}{err.getvalue()}"
            self.built[key] = built
        return copy_project(self.built[key], root, link_fonts)


class BuiltWorkspaces:
    """Workspaces (content and output folders built with the repository's layouts) built once per test worker,
    by their content; each test gets a copy of its own, file times kept."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.built: dict[tuple, Path] = {}
        self.said: dict[tuple, str] = {}  # what each good build printed

    def workspace(self, tmp_path: Path, capsys: pytest.CaptureFixture, files: dict[str, str]) -> Workspace:
        """A Workspace in `tmp_path` whose content/ holds these files, already built; what that build printed
        is `printed(files)`."""
        key = tuple(sorted(files.items()))
        if key not in self.built:
            built = self.folder / f"workspace-{len(self.built)}"
            (built / "content").mkdir(parents=True)
            for name, text in files.items():
                (built / "content" / name).write_text(textwrap.dedent(text), encoding="utf-8")
            out, err = io.StringIO(), io.StringIO()
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                code = main(["--project", str(REPO), "--content", str(built / "content"), "--output",
                             str(built / "output")])  # fmt: skip
            assert code == 0, f"the good build failed:\n{out.getvalue()}{err.getvalue()}"
            self.built[key], self.said[key] = built, out.getvalue() + err.getvalue()
        for folder in ("content", "output"):
            shutil.copytree(self.built[key] / folder, tmp_path / folder, symlinks=True)
        return Workspace(content=tmp_path / "content", output=tmp_path / "output", capsys=capsys)

    def printed(self, files: dict[str, str]) -> str:
        """What the good build of these files printed (stdout and stderr)."""
        return self.said[tuple(sorted(files.items()))]


@pytest.fixture(scope="session")
def built_workspaces(tmp_path_factory: pytest.TempPathFactory) -> BuiltWorkspaces:
    """`built_workspaces.workspace(tmp_path, capsys, {"leaflet.md": text})`: a `workspace` already built, copied."""
    return BuiltWorkspaces(tmp_path_factory.mktemp("built-workspaces"))


@pytest.fixture(scope="session")
def built_projects(tmp_path_factory: pytest.TempPathFactory) -> BuiltProjects:
    """`built_projects(tmp_path / "project", {"content/leaflet.md": text})`: a project built once, copied."""
    return BuiltProjects(tmp_path_factory.mktemp("built-projects"))


@dataclass
class Run:
    """One in-process run of build.py: its exit status and what it printed."""

    code: int
    out: str
    err: str


@dataclass
class Workspace:
    """A content and an output folder of our own, with the repository's layouts and fonts."""

    content: Path
    output: Path
    capsys: pytest.CaptureFixture

    def write(self, name: str, text: str) -> Path:
        path = self.content / name
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path

    def build(self, *arguments: str) -> Run:
        self.capsys.readouterr()
        code = main(["--project", str(REPO), "--content", str(self.content), "--output", str(self.output), *arguments])
        captured = self.capsys.readouterr()
        return Run(code, captured.out, captured.err)

    def pdf(self, slug: str, suffix: str = "a5") -> Path:
        return self.output / slug / f"{slug}-{suffix}.pdf"


#: The slowest modules, slowest first (CPU seconds, measured one module at a time): `make test` hands them out
#: in this order, before the rest, so that no long module starts last while the other worker has nothing to do.
SLOWEST_FIRST = (
    "hostile/test_hostile_reproducible.py", "hostile/test_hostile_leaks.py", "hostile/test_hostile_input.py",
    "test_engine.py", "hostile/test_hostile_faults.py", "test_impose.py", "test_long_documents.py",
    "test_translations.py", "test_posters.py", "test_linebreaks.py", "hostile/test_hostile_outside.py",
    "hostile/test_hostile_fresh.py", "test_browser.py",
)  # fmt: skip


def pytest_configure(config: pytest.Config) -> None:
    """Under `--dist loadscope`, hand the modules out in the order of pytest_collection_modifyitems: xdist's
    default order (most tests first) put the clones of test_hostile_reproducible, 7 tests and a minute, last."""
    if getattr(config.option, "dist", "no") == "loadscope":
        config.option.loadscopereorder = False


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """The modules of SLOWEST_FIRST first, in its order; the others after them, as collected."""
    rank = {name: index for index, name in enumerate(SLOWEST_FIRST)}

    def place(item: pytest.Item) -> int:
        try:
            return rank.get(item.path.relative_to(TESTS).as_posix(), len(rank))
        except ValueError:  # samizdat/'s doctests
            return len(rank)

    items.sort(key=place)


#: What the counting web server answers: text that must never reach a PDF (content may not touch the network).
REMOTE_MARKER = "SECRETMARKER7731-REMOTE"


@pytest.fixture
def server():
    """A local web server that counts requests and answers with an SVG of REMOTE_MARKER: a build must never ask it.

    Yields (its URL, the list of paths it was asked for).
    """
    hits: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - the http.server API
            hits.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "image/svg+xml")
            self.end_headers()
            self.wfile.write(f'<svg xmlns="http://www.w3.org/2000/svg"><text>{REMOTE_MARKER}</text></svg>'.encode())

        def log_message(self, *args):
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", hits
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def cli(capsys: pytest.CaptureFixture):
    """Run build.py's main() in this process: `cli("impose", "in.pdf", ...)` gives a Run."""

    def run(*arguments: str) -> Run:
        capsys.readouterr()
        code = main(list(arguments))
        captured = capsys.readouterr()
        return Run(code, captured.out, captured.err)

    return run


@pytest.fixture
def workspace(tmp_path: Path, capsys: pytest.CaptureFixture) -> Workspace:
    content = tmp_path / "content"
    content.mkdir()
    return Workspace(content=content, output=tmp_path / "output", capsys=capsys)


@pytest.fixture(scope="session")
def statement_output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real content/ built once per test worker into a temporary output folder."""
    output = tmp_path_factory.mktemp("statement-output")
    code = main(["--project", str(REPO), "--output", str(output)])
    assert code == 0
    return output / "stop-the-war"


#: The worked example of linked translations (issue 15): one text in English, Russian, Ukrainian and Arabic.
TRANSLATIONS_EXAMPLE = REPO / "examples" / "translations" / "content"


@pytest.fixture(scope="session")
def translations_output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """examples/translations built once per test worker."""
    root = tmp_path_factory.mktemp("translations")
    shutil.copytree(TRANSLATIONS_EXAMPLE, root / "content")
    code = main(["--project", str(REPO), "--content", str(root / "content"), "--output", str(root / "output")])
    assert code == 0
    return root / "output"
