"""`build.py check` and the preflight that every build runs: reports, verdicts and exit codes."""

from __future__ import annotations

from pathlib import Path

from conftest import VALID_FRONT_MATTER, make_project

from samizdat.cli import main


def test_check_passes_the_statements_outputs_and_prints_a_report(statement_output: Path, cli):
    run = cli("check", "--output", str(statement_output.parent))
    assert run.code == 0, run.out
    headers = [line for line in run.out.splitlines() if line.startswith(("PASS", "FAIL"))]
    assert len(headers) == 21 and all(line.startswith("PASS") and "(0 errors, 0 warnings)" in line for line in headers)
    assert "info     fonts        fonts: Charis-SIL, Charis-SIL-Italic, Noto-Sans, Noto-Sans-Bold" in run.out
    assert run.out.rstrip().endswith("21 files checked: 21 passed, 0 failed, 0 warnings")


def test_check_names_a_file_that_is_not_a_pdf(tmp_path: Path, cli):
    fake = tmp_path / "leaflet-a5.pdf"
    fake.write_text("not a PDF")
    run = cli("check", str(fake))
    assert run.code == 1
    assert run.out.startswith(f"FAIL  {fake}") and "cannot read leaflet-a5.pdf" in run.out
    assert cli("check", str(tmp_path / "missing.pdf")).code == 1


def test_check_with_nothing_built_says_what_to_do(tmp_path: Path, cli):
    run = cli("check", "--output", str(tmp_path / "empty"))
    assert run.code == 1 and "run python build.py first" in run.err


def test_a_layout_that_sets_text_in_the_margin_fails_the_build_and_the_check(tmp_path: Path, capsys):
    project = make_project(tmp_path / "project", {"leaflet": VALID_FRONT_MATTER + "Text in the margin. " * 40 + "\n"})
    tokens = project / "layouts" / "base" / "tokens.css"
    tokens.write_text(tokens.read_text().replace("--margin-outer: 14mm;", "--margin-outer: 1mm;"))
    assert main(["--project", str(project)]) == 1
    captured = capsys.readouterr()
    assert "preflight error: leaflet-a5.pdf: Page 2:" in captured.err and "within the 3 mm safe margin" in captured.err
    summary = captured.out[captured.out.index("output ") :]
    assert any(line.startswith("leaflet/leaflet-a5.pdf") and line.endswith("FAIL") for line in summary.splitlines())
    assert "failed preflight (python build.py check shows why)" in summary
    assert (project / "output" / "leaflet" / "leaflet-a5.pdf").is_file(), "the file is there, to look at"
    assert main(["check", "--project", str(project)]) == 1
    assert "FAIL  " in capsys.readouterr().out
    assert main(["--project", str(project)]) == 1, "a second build remembers the verdict"
    assert "FAIL" in capsys.readouterr().out
