"""One build, one report: `build.py` and `build.py serve` run the same samizdat.report.build and agree on every row.

One project is built step by step through both paths, each into its own
output folder: through the command line (samizdat.cli.main, whose printed
summary table is read back) and through serve's rebuild (samizdat.serve.rebuilder,
what the watcher calls on a save). At every step the two reports have the same
rows (path, pages, size, state, preflight), the same exit status, and the
outputs they list are the same bytes.
"""

from __future__ import annotations

import contextlib
import io
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import make_project

from samizdat.cli import main
from samizdat.progress import PlainProgress
from samizdat.project import Project
from samizdat.report import BuildReport, Row
from samizdat.serve import rebuilder, tally


def document(title: str) -> str:
    return f"---\ntitle: {title}\nauthor: Us\nlang: en\n---\nText of {title}.\n"


PAMPHLET = ["{d}/{d}-a5.pdf", "{d}/{d}-a5-print.pdf", "{d}/{d}-booklet-a4.pdf", "{d}/{d}-booklet-a4-fronts.pdf",
            "{d}/{d}-booklet-a4-backs.pdf", "{d}/{d}.html", "{d}/{d}.epub", "{d}/{d}.txt"]  # fmt: skip
TEST_SHEET = "{d}/{d}-printer-test-a4.pdf"  # its own job, made from the layouts alone: no document edit remakes it
EVERY = [name.format(d=slug) for slug in ("one", "two") for name in [*PAMPHLET, TEST_SHEET]] + ["index.html"]


@dataclass(frozen=True)
class Step:
    """A change to the project, the documents the command line is given (what serve picks for it), what must show."""

    change: dict[str, str]  # file under the project → its new text
    documents: tuple[str, ...]
    states: dict[str, str]  # row → state, for every row
    status: int


#: step → what both paths must report; the steps run in this order on one project.
STEPS = {
    "first build": Step({}, (), dict.fromkeys(EVERY, "built"), 0),
    "nothing changed": Step({}, (), dict.fromkeys(EVERY, "up to date"), 0),
    "one document edited": Step(
        {"content/one.md": document("One again")}, ("one",),
        {**{name.format(d="one"): "built" for name in PAMPHLET}, TEST_SHEET.format(d="one"): "up to date",
         "index.html": "built"}, 0,
    ),
    "one document broken": Step(
        {"content/two.md": "---\ntitle: Two\nauthr: Us\nlang: en\n---\nText.\n"}, ("two",),
        {"two.md": "failed", "index.html": "built"}, 1,  # the page says two has an error now
    ),
    "the config changed, a document still broken": Step(
        {"samizdat.yaml": "# the config, saved again\n"}, (),
        {**{name.format(d="one"): "up to date" for name in [*PAMPHLET, TEST_SHEET]}, "two.md": "failed",
         "index.html": "up to date"},
        1,
    ),
}  # fmt: skip


@dataclass
class Reports:
    """What each path gave at one step: the CLI's exit status, what it printed; serve's report."""

    status: int
    printed: str
    served: BuildReport
    cli_files: dict[str, bytes]  # the PDFs in each output folder just after the step (a later step changes them)
    serve_files: dict[str, bytes]


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Reports]:
    """Every step of STEPS, through the command line and through serve's rebuild, in order."""
    root = make_project(tmp_path_factory.mktemp("report") / "project", {"one": document("One"), "two": document("Two")})
    cli_output, serve_output = root / "output-cli", root / "output-serve"
    rebuild = rebuilder(Project.at(root, None, serve_output), PlainProgress(io.StringIO(), io.StringIO()))
    done = {}
    for name, step in STEPS.items():
        for path, text in step.change.items():
            (root / path).write_text(text)
        printed = io.StringIO()
        with contextlib.redirect_stdout(printed), contextlib.redirect_stderr(io.StringIO()):
            status = main(["--project", str(root), "--output", str(cli_output), *step.documents])
        served = rebuild({root / path for path in step.change})
        done[name] = Reports(status, printed.getvalue(), served, pdfs(cli_output), pdfs(serve_output))
    return done


def pdfs(output: Path) -> dict[str, bytes]:
    return {path.relative_to(output).as_posix(): path.read_bytes() for path in output.rglob("*.pdf")}


def table_rows(printed: str) -> list[tuple[str, ...]]:
    """The summary table the CLI printed: (output, pages, size, state, preflight) per row, without time and text."""
    lines = printed[printed.index("output ") :].splitlines()
    spans, start = [], 0
    for dashes in lines[1].split("  "):
        spans.append((start, start + len(dashes)))
        start += len(dashes) + 2
    rows = []
    for line in lines[2:]:
        if not line or line[0] != " " and (line.startswith("preflight ") or line[0].isdigit()):
            break
        cells = [line[begin:end].strip() for begin, end in spans]
        rows.append((cells[0], cells[1], cells[2], cells[5], cells[6]))
    return rows


def shown(row: Row) -> tuple[str, ...]:
    """A report's row as the summary table shows it."""
    return (row.path, str(row.pages or ""), f"{row.size / 1024:.0f} KB" if row.size else "", row.state, row.check)


@pytest.mark.parametrize("step", STEPS)
def test_the_cli_and_serve_give_the_same_report(reports: dict[str, Reports], step: str):
    made, expected = reports[step], STEPS[step]
    rows = made.served.rows()
    assert {row.path: row.state for row in rows} == expected.states, "serve's report"
    assert table_rows(made.printed) == [shown(row) for row in rows], "the CLI printed the same report"
    assert made.status == made.served.status == expected.status
    assert made.cli_files == made.serve_files, "the same build: the same bytes"
    for row in rows:
        if row.path.endswith(".pdf"):
            assert len(made.serve_files[row.path]) == row.size, row.path
            assert row.check in ("pass", "1 warning") or row.check.endswith(" warnings"), row.path


@pytest.mark.parametrize(
    ("step", "said"),
    [
        ("first build", "19 built, 0 failed"),  # EVERY: two documents × nine files, and the page
        ("nothing changed", "(nothing to render: no input changed)"),
        ("one document broken", "failed (see the messages above): two.md"),
    ],
)
def test_each_path_only_shows_the_report(reports: dict[str, Reports], step: str, said: str):
    """The CLI's totals line is the report's (its quick answer the last report told again); serve's count line and
    banner are counted from its report, which never comes from the quick answer (a preview looks at every save)."""
    made = reports[step]
    assert said in made.printed
    states = [result.state for result in made.served.targets]
    failed = [f"{result.name}: {result.error}" for result in made.served.targets if result.state == "failed"]
    assert tally(made.served.targets) == f"{states.count('built')} built, {states.count('up to date')} up to date, " + (
        f"{len(failed)} failed"
    )
    assert made.served.failures() == failed and all("did you mean 'author'?" in text for text in failed)
    assert not made.served.quick
