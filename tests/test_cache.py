"""The build cache: a change to each kind of input rebuilds exactly the outputs that depend on it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import make_project

from samizdat.cli import main

LEAFLET = "---\ntitle: Leaflet\nauthor: Us\nlang: en\nslogans: [Peace now]\n---\nText.\n"


DOCUMENTS = {"one": LEAFLET, "two": LEAFLET.replace("Leaflet", "Other")}


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return make_project(tmp_path / "project", DOCUMENTS)


@pytest.fixture
def built(tmp_path: Path, built_projects) -> Path:
    """The same project with its first build made: built once per worker and copied (conftest.built_projects;
    test_engine.test_a_copy_of_a_built_project_gets_the_quick_answer shows that such a copy is up to date)."""
    return built_projects(tmp_path / "project", {f"content/{name}.md": text for name, text in DOCUMENTS.items()})


def build(project: Path, capsys) -> dict[str, list[str]]:
    """Build; which outputs (relative to output/) were built and which were up to date."""
    capsys.readouterr()
    assert main(["--project", str(project)]) == 0
    states: dict[str, list[str]] = {"built": [], "fresh": []}
    for line in capsys.readouterr().out.splitlines():
        for state in states:
            if line.startswith(f"  {state} "):
                path = Path(line.split()[1])
                states[state].append(path.relative_to(project / "output").as_posix())
    return states


PAMPHLET = ["{d}/{d}-a5.pdf", "{d}/{d}-a5-print.pdf", "{d}/{d}-booklet-a4.pdf", "{d}/{d}-booklet-a4-fronts.pdf",
            "{d}/{d}-booklet-a4-backs.pdf"]  # fmt: skip
TEST_SHEET = ["{d}/{d}-printer-test-a4.pdf"]  # made from the layouts' base and printer-test folders and the fonts
POSTERS = [
    "{d}/posters/peace-now-a3.pdf",
    "{d}/posters/peace-now-a3-print.pdf",
    "{d}/posters/peace-now-a3-tiled-a4.pdf",
]
READER = ["{d}/{d}.html", "{d}/{d}.epub", "{d}/{d}.txt"]  # the reader editions (samizdat.reader_job)
EPUB = ["{d}/{d}.epub"]  # made with the base layouts (its type) and the pamphlet's (its cover)


def outputs(*groups: list[str], documents: tuple[str, ...] = ("one", "two")) -> list[str]:
    return sorted(name.format(d=document) for document in documents for group in groups for name in group)


def test_nothing_changed_renders_nothing(project: Path, capsys):
    first = build(project, capsys)
    assert sorted(first["built"]) == sorted([*outputs(PAMPHLET, POSTERS, TEST_SHEET, READER), "index.html"])
    second = build(project, capsys)
    assert second["built"] == []
    assert sorted(second["fresh"]) == sorted([*outputs(PAMPHLET, POSTERS, TEST_SHEET, READER), "index.html"])
    main(["--project", str(project)])
    assert "nothing to render: no input changed" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("change", "rebuilt"),
    [
        ("layouts/pamphlet/pamphlet.css", outputs(PAMPHLET, EPUB)),
        ("layouts/poster/poster.css", outputs(POSTERS)),
        ("layouts/base/tokens.css", outputs(PAMPHLET, POSTERS, TEST_SHEET, EPUB)),
        ("layouts/reading/reading.css", outputs(["{d}/{d}.html"])),  # no pamphlet laid out, no poster set
        ("content/one.md", outputs(PAMPHLET, POSTERS, READER, documents=("one",))),
    ],
)
def test_a_change_rebuilds_what_depends_on_it(built: Path, capsys, change: str, rebuilt: list[str]):
    project = built
    path = project / change
    path.write_text(path.read_text() + ("\n/* changed */\n" if change.endswith(".css") else "\nMore text.\n"))
    states = build(project, capsys)
    assert sorted(name for name in states["built"] if name != "index.html") == rebuilt
    page_changed = change.endswith(".md") or "reading" in change  # a CSS comment changes no byte of any PDF (the
    # placeholder EPUB has no CSS), so the page stays; the reading page carries its CSS, so its bytes change
    assert ("index.html" in states["built"]) == page_changed


def test_a_deleted_output_is_made_again(built: Path, capsys):
    project = built
    (project / "output/two/two-a5-print.pdf").unlink()
    (project / "output/one/posters/peace-now-a3-tiled-a4.pdf").unlink()
    states = build(project, capsys)
    assert sorted(name for name in states["built"] if name != "index.html") == sorted(
        ["two/two-a5-print.pdf", *outputs(POSTERS, documents=("one",))]
    )


def test_the_same_bytes_with_or_without_the_cache(built: Path, capsys):
    project = built
    before = {path: path.read_bytes() for path in (project / "output").rglob("*.pdf")}
    shutil.rmtree(project / "output" / ".cache")
    build(project, capsys)
    assert {path: path.read_bytes() for path in (project / "output").rglob("*.pdf")} == before


def test_two_jobs_give_the_same_bytes_as_one(project: Path, tmp_path: Path, capsys):
    outputs_of = {}
    for jobs in ("1", "2"):
        output = tmp_path / f"output-{jobs}"
        assert main(["--project", str(project), "--output", str(output), "--jobs", jobs]) == 0
        outputs_of[jobs] = {
            p.relative_to(output): p.read_bytes() for p in output.rglob("*") if p.is_file() and ".cache" not in p.parts
        }
    assert outputs_of["1"] == outputs_of["2"]
    assert any(name.suffix == ".pdf" for name in outputs_of["1"])


def test_a_change_to_the_download_page_layout_rebuilds_only_the_page(built: Path, capsys):
    project = built
    css = project / "layouts" / "site" / "site.css"
    css.write_text(css.read_text() + "\n/* changed */\n")
    assert build(project, capsys)["built"] == ["index.html"]
    assert "/* changed */" in (project / "output" / "index.html").read_text()
