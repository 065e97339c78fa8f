"""The catalogue of outputs (samizdat.catalogue): what is built, golden; each kind in its file; check reads it.

The golden files list every output of the statement (content/) and of the
local-groups example: its path under output/, the kind it carries in its XMP
(samizdat.mark), its pages and purpose (from manifest.json). Any change to
what is built shows as a diff. After a change that is meant, regenerate them:

    SAMIZDAT_GOLDEN=write .venv/bin/python -m pytest -q -p no:xdist tests/test_catalogue.py -k golden

and read the diff (git diff tests/golden/) before committing it.
"""

from __future__ import annotations

import difflib
import io
import json
import os
import shutil
from pathlib import Path

import pytest
from conftest import REPO
from pypdf import PdfReader, PdfWriter

from samizdat.catalogue import CATALOGUE, KINDS, LOCAL_OUTPUTS, by_file_name
from samizdat.cli import main
from samizdat.mark import read_mark
from samizdat.plan import already_made, plan
from samizdat.preflight import identify

GOLDEN = Path(__file__).parent / "golden"


def kind_in(path: Path) -> str:
    """The kind and paper a file carries, as `check` reads them ('-' for none; a reader edition's name for it)."""
    if path.suffix != ".pdf":
        found = by_file_name(path.name)
        return f"{found[0].name}, by its name" if found else "-"
    metadata = PdfReader(path).trailer["/Root"].get("/Metadata")
    found = read_mark(metadata.get_object().get_data()) if metadata is not None else None
    return f"{found[0]} on {found[1]}" if found else "-"


def listing(output: Path) -> str:
    """One line per output the download page lists: path, kind in the file, pages, purpose."""
    manifest = json.loads((output / "manifest.json").read_text(encoding="utf-8"))
    rows = [
        f"{entry['path']} | {kind_in(output / entry['path'])} | {entry['pages']} | {entry['purpose']}"
        for entry in manifest["files"]
    ]
    return "\n".join(rows) + "\n"


def compare_with_golden(name: str, actual: str) -> None:
    path = GOLDEN / name
    if os.environ.get("SAMIZDAT_GOLDEN") == "write":
        path.parent.mkdir(exist_ok=True)
        path.write_text(actual, encoding="utf-8")
    expected = path.read_text(encoding="utf-8")
    diff = "".join(difflib.unified_diff(expected.splitlines(True), actual.splitlines(True), str(path), "this build"))
    assert actual == expected, (
        f"what is built changed (regenerate with SAMIZDAT_GOLDEN=write if that is meant):\n{diff}"
    )


def test_golden_the_statement(statement_output: Path):
    compare_with_golden("statement.txt", listing(statement_output.parent))


def test_golden_the_local_groups_example(tmp_path: Path, capsys: pytest.CaptureFixture):
    output = tmp_path / "output"
    content = REPO / "examples" / "local-groups" / "content"
    assert main(["--project", str(REPO), "--content", str(content), "--output", str(output)]) == 0
    compare_with_golden("local-groups.txt", listing(output))


@pytest.mark.parametrize("kind", CATALOGUE, ids=lambda kind: kind.name)
def test_each_kind_s_file_name_is_known_as_that_kind(kind):
    """A row's pattern and the stem preflight falls back on agree: an unmarked file is still judged right."""
    fields = {"slogan": "stop-the-war", "size": "a2", "sheet": "letter", "nup": 4, "sig": "-sig2", "ink": "red"}
    name = kind.file_name(slug="leaflet", **fields)
    found, paper = by_file_name(name)
    assert found == kind
    if kind.suffix != ".pdf" and not kind.paper:  # a reader edition has no paper
        assert paper == ""
        return
    assert paper == (kind.paper.lower() or ("letter" if "{sheet}" in kind.pattern else "a2"))


def test_local_editions_can_have_what_the_catalogue_allows():
    assert LOCAL_OUTPUTS == (
        "a5", "a5-print", "booklet", "manual-booklet", "impositions", "large-print", "pocket", "copier", "printer-test",
        "posters",
    )  # fmt: skip
    assert {kind.local for kind in CATALOGUE} - {None} == set(LOCAL_OUTPUTS)  # None: no local edition has it


def blank_pdf(width: float = 419.53, height: float = 595.28) -> bytes:
    """A foreign PDF: one blank A5 page by pypdf, no XMP."""
    writer = PdfWriter()
    writer.add_blank_page(width, height)
    data = io.BytesIO()
    writer.write(data)
    return data.getvalue()


#: (the statement's file, or None for a foreign PDF; saved as; a line check prints; its exit status)
CHECKS = [
    ("posters/stop-the-war-a3-tiled-a4.pdf", "x.pdf", "kind: tiled on A4, as the file says", 0),
    ("posters/stop-the-war-a3-print.pdf", "poster.pdf", "kind: poster-print on A3, as the file says", 0),
    ("stop-the-war-booklet-a4.pdf", "copy.pdf", "kind: booklet on A4, as the file says", 0),
    ("stop-the-war-a5-print.pdf", "x-a5.pdf", "kind: a5-print on A5, as the file says (its name says a5", 0),
    (None, "scan.pdf", "unknown kind: checked as a generic PDF", 0),
    (None, "old-a5.pdf", "kind: a5, from its file name (the file does not say what it is)", 1),  # untagged
]


@pytest.mark.parametrize(("source", "saved_as", "said", "code"), CHECKS)
def test_check_knows_a_file_by_the_kind_it_carries(statement_output, tmp_path, cli, source, saved_as, said, code):
    path = tmp_path / saved_as
    if source is None:
        path.write_bytes(blank_pdf())
    else:
        shutil.copy(statement_output / source, path)
    run = cli("check", str(path))
    assert said in run.out
    assert run.code == code, run.out


def test_a_tiled_poster_renamed_is_checked_as_tiled_not_by_its_name(statement_output, tmp_path):
    """Without the kind in the file, a tiled poster named like a poster fails as one (the wrong paper)."""
    path = tmp_path / "wall-a3.pdf"
    shutil.copy(statement_output / "posters" / "stop-the-war-a3-tiled-a4.pdf", path)
    expect, said = identify(path.read_bytes(), path.name)
    assert (expect.kind, expect.paper, expect.check_margin) == ("tiled", "A4", False)
    assert "(its name says poster: what the file says wins)" in said


def test_the_plan_is_what_the_build_recorded(statement_output: Path):
    """The plan's digests are the ones the build recorded: freshness is a lookup, every target up to date."""
    from samizdat.build import read_documents
    from samizdat.cache import Cache
    from samizdat.config import load_config
    from samizdat.output import source_date
    from samizdat.project import Project

    project = Project.at(REPO, output_dir=statement_output.parent)
    documents, failures = read_documents(project, None)
    planned, bad_rows = plan(project, load_config(REPO), documents, source_date())
    assert not failures and not bad_rows
    cache = Cache(project.output_dir)
    made = [result for job in planned for result in already_made(job, cache) or [None]]
    assert None not in made
    assert {result.path.relative_to(statement_output).as_posix() for result in made} >= {
        "stop-the-war-a5.pdf", "stop-the-war-a5-print.pdf", "stop-the-war-booklet-a4.pdf",
        "posters/stop-the-war-a3-tiled-a4.pdf",
    }  # fmt: skip
    pamphlet = next(job for job in planned if job.job.group == "pamphlet")
    assert [target.kind.name for target in pamphlet.targets] == ["a5", "a5-print", "booklet", "booklet-fronts",
                                                                 "booklet-backs"]  # fmt: skip
    assert all(target.kind is KINDS[target.kind.name] for target in pamphlet.targets)


def test_workers_use_the_digests_the_parent_planned(workspace, monkeypatch):
    """A worker walks no folder and derives no key: what it makes is recorded under the plan's digests."""
    import samizdat.cache

    parent, digest_inputs = os.getpid(), samizdat.cache.inputs_digest

    def in_the_parent_only(*arguments: object) -> str:
        assert os.getpid() == parent, "a worker digested a job's inputs again instead of using the plan's"
        return digest_inputs(*arguments)

    monkeypatch.setattr(samizdat.cache, "inputs_digest", in_the_parent_only)
    workspace.write("leaflet.md", "---\ntitle: A leaflet\nauthor: Us\nlang: en\nslogans: [No war]\n---\n\nText.\n")
    run = workspace.build("--jobs", "2")
    assert run.code == 0, run.out + run.err
    assert workspace.build().out.count("up to date") >= 6  # the digests recorded are the ones the next plan makes


def test_workers_are_given_the_stale_targets_only(workspace, monkeypatch, tmp_path):
    """A job with one stale output (its booklet deleted) reaches its worker with that target alone, and the A5
    PDF (up to date) as its source; the summary still lists every output, in the plan's order."""
    import samizdat.jobs

    log, job_results = tmp_path / "given.txt", samizdat.jobs.job_results

    def logged(project, config, planned, date, cache):
        with log.open("a") as file:  # in the worker: what it was given
            given = [target.path.name for target in planned.targets]
            file.write(f"{planned.name}: {given} {getattr(planned.source, 'path', None)}\n")
        return job_results(project, config, planned, date, cache)

    workspace.write("leaflet.md", "---\ntitle: A leaflet\nauthor: Us\nlang: en\nslogans: [No war]\n---\n\nText.\n")
    assert workspace.build("--jobs", "2").code == 0
    monkeypatch.setattr(samizdat.jobs, "job_results", logged)
    workspace.pdf("leaflet", "booklet-a4").unlink()
    run = workspace.build("--jobs", "2")
    assert run.code == 0, run.out + run.err
    assert log.read_text() == f"leaflet pamphlet: ['leaflet-booklet-a4.pdf'] {workspace.pdf('leaflet')}\n"
    table = [line.split()[0] for line in run.out.splitlines() if line.startswith("leaflet/")]
    assert table[:3] == ["leaflet/leaflet-a5.pdf", "leaflet/leaflet-a5-print.pdf", "leaflet/leaflet-booklet-a4.pdf"]
    assert workspace.pdf("leaflet", "booklet-a4").is_file()


def test_outputs_recorded_before_files_carried_their_kind_are_made_again(workspace, monkeypatch):
    """A build by a samizdat whose files carried no kind (another OUTPUT_FORMAT in every digest) is not up to
    date, not even for the quick answer: everything is made again once, with its kind in it."""
    import samizdat.cache

    workspace.write("leaflet.md", "---\ntitle: A leaflet\nauthor: Us\nlang: en\n---\n\nText.\n")
    with monkeypatch.context() as before:
        before.setattr(samizdat.cache, "OUTPUT_FORMAT", "")
        assert workspace.build().code == 0
        assert "nothing to render" in workspace.build().out  # as it was: up to date
    run = workspace.build()
    assert "nothing to render" not in run.out
    assert [line.split()[0] for line in run.out.splitlines() if "leaflet/leaflet-" in line][:3] == ["built"] * 3
    assert kind_in(workspace.pdf("leaflet")) == "a5 on A5"
