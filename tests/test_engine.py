"""The build engine: shards, the summary table, the quick answer when nothing changed, and config changes."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO, make_project
from test_cache import LEAFLET, POSTERS, build, outputs

from samizdat.cli import main

DOCUMENTS = {name: LEAFLET.replace("Leaflet", name.title()) for name in ("one", "two", "three")}


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return make_project(tmp_path / "project", DOCUMENTS)


@pytest.fixture
def built(tmp_path: Path, built_projects) -> Path:
    """The same project with its first build made: built once per worker and copied (conftest.built_projects)."""
    return built_projects(tmp_path / "project", {f"content/{name}.md": text for name, text in DOCUMENTS.items()})


def files_of(output: Path) -> dict[str, bytes]:
    """Every file a build wrote, but its cache and the download page (which a shard does not write)."""
    site = {"index.html", "manifest.json", "SHA256SUMS"}
    return {
        path.relative_to(output).as_posix(): path.read_bytes()
        for path in output.rglob("*")
        if path.is_file() and ".cache" not in path.parts and path.name not in site
    }


def test_the_shards_together_are_the_whole_build_byte_for_byte(project: Path, tmp_path: Path, capsys):
    whole = tmp_path / "whole"
    assert main(["--project", str(project), "--output", str(whole), "--jobs", "1"]) == 0
    merged = tmp_path / "merged"
    shards = []
    for index in (1, 2, 3):
        output = tmp_path / f"shard-{index}"
        assert main(["--project", str(project), "--output", str(output), "--shard", f"{index}/3"]) == 0
        shards.append(files_of(output))
        shutil.copytree(output, merged, dirs_exist_ok=True)
    assert all(shards), "every shard has work"
    assert not set(shards[0]) & set(shards[1]) and not set(shards[1]) & set(shards[2]), "no job is done twice"
    union = {name: data for shard in shards for name, data in shard.items()}
    assert union == files_of(whole)
    capsys.readouterr()
    assert main(["--project", str(project), "--output", str(merged)]) == 0  # after the shards: only the page
    out = capsys.readouterr().out
    assert "  built   " in out and out.count("  built   ") == 1 and "index.html" in out.split("  built   ")[1]


def test_the_summary_table_says_what_each_output_is(built: Path, capsys):
    project = built
    (project / "content" / "two.md").write_text(LEAFLET + "More.\n")
    (project / "content" / "three.md").write_text("---\ntitle: [\n---\n")
    assert main(["--project", str(project)]) == 1
    out = capsys.readouterr().out
    table = out[out.index("output ") :].splitlines()
    assert table[0].split() == ["output", "pages", "size", "text", "time", "state", "preflight"]
    rows = {line.split()[0]: line.split() for line in table[2:] if line and not line[0].isdigit()}
    assert rows["one/one-a5.pdf"][-4:] == ["up", "to", "date", "pass"]
    assert rows["two/two-a5.pdf"][1] == "3" and rows["two/two-a5.pdf"][-2:] == ["built", "pass"]  # no blank page
    assert rows["three.md"][-1] == "failed"
    assert "1 failed" in out


def run_build(project: Path, *arguments: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-X", "importtime", str(REPO / "build.py"), "--project", str(project), *arguments],
        capture_output=True, text=True, env={**os.environ, **(env or {})}, check=False,
    )  # fmt: skip


def test_a_build_with_nothing_changed_does_not_load_the_typesetter(project: Path):
    first = run_build(project)
    assert first.returncode == 0 and "weasyprint" in first.stderr
    second = run_build(project)
    assert second.returncode == 0
    assert "nothing to render: no input changed" in second.stdout
    imported = [line.split("|")[-1].strip() for line in second.stderr.splitlines() if line.startswith("import time")]
    assert not [name for name in imported if name.split(".")[0] in ("weasyprint", "pypdf", "pypdfium2", "jinja2")]
    assert second.stdout.count("  fresh   ") == 3 * 12 + 1  # three documents × twelve outputs, and the page


@pytest.mark.parametrize(
    "change",
    [
        "delete an output",
        "zero an output, its time put back",
        "SOURCE_DATE_EPOCH",
        "a new document",
        "the asked-for documents",
    ],
)
def test_the_quick_answer_is_given_only_when_nothing_changed(built: Path, change: str):
    project = built  # its first build made: test_a_copy_of_a_built_project_gets_the_quick_answer
    arguments, env = [], {}
    if change == "delete an output":
        (project / "output/two/two-booklet-a4.pdf").unlink()
    elif change == "zero an output, its time put back":
        pdf = project / "output/two/two-a5.pdf"
        stat = pdf.stat()
        pdf.write_bytes(bytes(stat.st_size))
        os.utime(pdf, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    elif change == "SOURCE_DATE_EPOCH":
        env = {"SOURCE_DATE_EPOCH": "1700000000"}
    elif change == "a new document":
        (project / "content" / "four.md").write_text(LEAFLET)
    else:
        arguments = ["one"]
    again = run_build(project, *arguments, env=env)
    assert again.returncode == 0
    assert "samizdat.build" in again.stderr, "the jobs were looked at: no quick answer"


def test_a_copy_of_a_built_project_gets_the_quick_answer(built: Path):
    """What the tests that start from a copy of a built project (the `built` fixture) rely on."""
    again = run_build(built)
    assert again.returncode == 0 and "nothing to render: no input changed" in again.stdout, again.stdout
    assert "samizdat.build" not in again.stderr


def test_a_failed_build_is_not_remembered_as_good(project: Path, capsys):
    (project / "content" / "three.md").write_text("---\ntitle: Three\n---\n")
    assert main(["--project", str(project)]) == 1
    capsys.readouterr()
    assert main(["--project", str(project)]) == 1
    assert "three.md" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("config", "rebuilt"),
    [
        ("posters:\n  sizes: [A3, A4]\n", "posters"),
        ("impositions:\n  - layout: repeat\n    nup: 4\n", "repeat"),
    ],
)
def test_a_config_change_rebuilds_only_what_it_shapes(built: Path, capsys, config: str, rebuilt: str):
    project = built
    (project / "samizdat.yaml").write_text(config)
    states = build(project, capsys)
    made = sorted(name for name in states["built"] if name != "index.html")
    if rebuilt == "posters":
        assert set(made) >= set(outputs(POSTERS, documents=("one", "two", "three")))
        assert all("/posters/" in name for name in made)
    else:
        assert made == [f"{d}/{d}-repeat-4up-a4.pdf" for d in ("one", "three", "two")]


@pytest.mark.parametrize(("arguments", "message"), [(["--shard", "3/2"], "is not a shard"), (["--jobs", "0"], "jobs")])
def test_wrong_engine_options_are_a_usage_error(project: Path, capsys, arguments: list[str], message: str):
    assert main(["--project", str(project), *arguments]) == 2
    assert message in capsys.readouterr().err


def test_on_a_terminal_a_bar_names_the_running_jobs(project: Path):
    """Under a pseudo-terminal the build draws rich's bar, then the same summary as anywhere."""
    import pty

    main_end, terminal = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, str(REPO / "build.py"), "--project", str(project), "--jobs", "2"],
        stdout=terminal, stderr=terminal, env={**os.environ, "COLUMNS": "160", "TERM": "xterm"},
    )  # fmt: skip
    os.close(terminal)
    seen = b""
    while True:
        try:
            chunk = os.read(main_end, 4096)
        except OSError:  # the build ended and closed its side
            break
        if not chunk:
            break
        seen += chunk
    assert process.wait(timeout=120) == 0
    text = seen.decode("utf-8", "replace")
    assert "building" in text and "one pamphlet" in text, "the bar and a running job's name"
    assert "one/one-a5.pdf" in text and "37 built, 0 failed" in text


def test_a_plain_build_after_shards_folds_their_records_in(project: Path, capsys):
    for index in (1, 2):
        assert main(["--project", str(project), "--shard", f"{index}/2"]) == 0
    records = project / "output" / ".cache"
    assert sorted(path.name for path in records.glob("targets*.json")) == [
        "targets.shard-1-of-2.json", "targets.shard-2-of-2.json",
    ]  # fmt: skip
    capsys.readouterr()
    assert main(["--project", str(project)]) == 0
    built = [line.split()[1] for line in capsys.readouterr().out.splitlines() if line.startswith("  built ")]
    assert built == [str(project / "output" / "index.html")], "every PDF was up to date: only the page is written"
    assert sorted(path.name for path in records.glob("targets*.json")) == ["targets.json"]


def test_documents_without_slogans_need_no_typesetter_when_nothing_changed(project: Path):
    for name in ("one", "two", "three"):
        (project / "content" / f"{name}.md").write_text("---\ntitle: T\nauthor: A\nlang: en\n---\nText.\n")
    assert run_build(project).returncode == 0
    (project / "output" / ".cache" / "last-build.json").unlink()  # no quick answer: the jobs are looked at
    again = run_build(project)
    assert again.returncode == 0 and "nothing to render" in again.stdout
    assert "weasyprint" not in again.stderr


def test_moving_a_file_between_folders_changes_the_digest(tmp_path: Path):
    from samizdat.cache import digest

    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "extra.css").write_text("p { color: red }")
    before = digest(tmp_path)
    (tmp_path / "a" / "extra.css").rename(tmp_path / "b" / "extra.css")
    assert digest(tmp_path) != before


def test_a_deleted_checksum_file_is_written_again(built: Path):
    project = built
    (project / "output" / "SHA256SUMS").unlink()
    again = run_build(project)
    assert again.returncode == 0 and (project / "output" / "SHA256SUMS").is_file()


def listed_files(output: Path) -> dict[str, str]:
    """The PDFs in SHA256SUMS as path → checksum, after checking every line (the page's too) against its file."""
    import hashlib

    sums = {}
    for line in (output / "SHA256SUMS").read_text().splitlines():
        checksum, path = line.split("  ", 1)
        assert hashlib.sha256((output / path).read_bytes()).hexdigest() == checksum, path
        sums[path] = checksum
    return {path: checksum for path, checksum in sums.items() if path.endswith(".pdf")}


def test_a_broken_document_keeps_its_last_good_files_on_the_download_page(built: Path, capsys):
    project = built
    output = project / "output"
    everything = listed_files(output)
    assert {path.split("/")[0] for path in everything} == {"one", "two", "three"}
    two = project / "content" / "two.md"
    two.write_text(two.read_text().replace("title:", "titel:"))
    assert main(["--project", str(project), "two"]) == 1
    assert listed_files(output) == everything, "naming only the broken document empties nothing"
    (project / "content" / "one.md").write_text(LEAFLET.replace("Leaflet", "One again"))
    assert main(["--project", str(project)]) == 1
    after = listed_files(output)
    assert {path for path in after if path.startswith("two/")} == {p for p in everything if p.startswith("two/")}
    assert "these are its last good files" in (output / "index.html").read_text()
    two.write_text(two.read_text().replace("titel:", "title:"))
    capsys.readouterr()
    assert main(["--project", str(project)]) == 0
    assert set(listed_files(output)) == set(everything)


@pytest.mark.parametrize(
    ("config", "message"),
    [
        ("print:\n  color: cmyk\n", ":2: unknown field 'color' in print: did you mean 'colour'?"),
        ("posters:\n  size: [A3]\n", ":2: unknown field 'size' in posters: did you mean 'sizes'?"),
        (
            "impositions:\n  - layout: repeat\n    nupp: 4\n",
            ":3: unknown field 'nupp' in impositions[1]: did you mean 'nup'?",
        ),
    ],
)
def test_a_typo_inside_the_config_names_its_line_and_the_right_word(project: Path, capsys, config: str, message: str):
    (project / "samizdat.yaml").write_text(config)
    assert main(["--project", str(project)]) == 1
    assert f"{project / 'samizdat.yaml'}{message}" in capsys.readouterr().err


LOCAL = (
    "---\ntitle: Local\nauthor: Us\nlang: en\nlocal:\n  data: groups.csv\n  outputs: [a5]\n---\nText.\n",
    "town,meeting\nEast,Mondays\nWest,Fridays\n",
)


UNMADE = {
    # what changes, what must be gone after the next whole build, what must still be there
    "the sheet becomes Letter": (
        lambda project: (project / "samizdat.yaml").write_text("sheet: Letter\n"),
        ["one/one-booklet-a4.pdf", "thumbnails/one/one-booklet-a4.png"],
        ["one/one-booklet-letter.pdf"],
    ),
    "an imposition is removed": (
        lambda project: (project / "samizdat.yaml").write_text(""),
        ["one/one-repeat-4up-a4.pdf", "thumbnails/one/one-repeat-4up-a4.png"],
        ["one/one-booklet-a4.pdf"],
    ),
    "a document is removed": (
        lambda project: (project / "content" / "two.md").unlink(),
        ["two", "thumbnails/two"],
        ["one/one-a5.pdf"],
    ),
    "a local group is removed": (
        lambda project: (project / "content" / "groups.csv").write_text(LOCAL[1].replace("West,Fridays\n", "")),
        ["local/local/west"],
        ["local/local/east/local-a5.pdf"],
    ),
}


@pytest.mark.parametrize(("edit", "gone", "kept"), UNMADE.values(), ids=UNMADE.keys())
def test_outputs_a_whole_build_no_longer_makes_are_removed(tmp_path: Path, built_projects, edit, gone, kept):
    files = {f"content/{name}.md": text for name, text in DOCUMENTS.items()}
    files |= {"samizdat.yaml": "impositions:\n  - layout: repeat\n    nup: 4\n", "content/local.md": LOCAL[0],
              "content/groups.csv": LOCAL[1]}  # fmt: skip
    project = built_projects(tmp_path / "project", files)  # its whole build made once, copied
    output = project / "output"
    by_hand = [output / "one" / "my-notes.pdf", output / "mirror-readme.txt"]
    for path in by_hand:
        path.write_text("put here by hand")
    assert all((output / name).exists() for name in gone)
    edit(project)
    assert main(["--project", str(project)]) == 0
    for name in gone:
        assert not (output / name).exists(), f"{name} is still in output/"
    for name in kept:
        assert (output / name).is_file()
    assert all(path.is_file() for path in by_hand), "a file put in output/ by hand was removed"
    mirrored = {path.relative_to(output).as_posix() for path in output.rglob("*.pdf") if path not in by_hand}
    sums = {line.split("  ")[1] for line in (output / "SHA256SUMS").read_text().splitlines()}
    assert mirrored == {name for name in sums if name.endswith(".pdf")}, "output/ holds PDFs the page does not list"


@pytest.mark.parametrize("arguments", [["one"], ["--shard", "1/2"]], ids=["one document", "a shard"])
def test_a_partial_build_removes_nothing(built: Path, arguments: list[str]):
    project = built
    (project / "samizdat.yaml").write_text("sheet: Letter\n")
    assert main(["--project", str(project), *arguments]) == 0
    assert all((project / "output" / name / f"{name}-booklet-a4.pdf").is_file() for name in ("one", "two", "three"))


def test_the_summary_says_the_text_size_of_each_imposition_built_or_up_to_date(tmp_path: Path, capsys):
    """A zine sets A5 body text at about half its size: the table says so, and so does a warning under 7 pt."""
    body = "A paragraph of body text, long enough to outweigh the cover's larger type. " * 40
    root = make_project(tmp_path / "project", {"one": LEAFLET.replace("Text.", body)})
    (root / "samizdat.yaml").write_text("impositions:\n  - layout: zine\n")
    for attempt in ("built", "up to date"):
        capsys.readouterr()
        assert main(["--project", str(root)]) == 0
        out = capsys.readouterr().out
        rows = {line.split()[0]: line for line in out[out.index("output ") :].splitlines()[2:] if line}
        assert "10.0 pt" in rows["one/one-booklet-a4.pdf"] and attempt in rows["one/one-booklet-a4.pdf"]
        assert "5.0 pt" in rows["one/one-zine-a4.pdf"] and attempt in rows["one/one-zine-a4.pdf"]
        assert " pt" not in rows["one/one-a5.pdf"]
    assert main(["--project", str(root), "--jobs", "1"]) == 0  # the quick answer's record keeps it too
    assert "5.0 pt" in capsys.readouterr().out
