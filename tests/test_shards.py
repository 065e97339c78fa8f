"""A batch split across machines: the CI examples' own commands build shards apart, `merge` makes one build's
bytes of them without rendering, and refuses shards of other engines or inputs, twice-given or missing ones."""

from __future__ import annotations

import glob
import json
import os
import shlex
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace

import pytest
import yaml
from conftest import REPO, VALID_FRONT_MATTER, make_project

from samizdat.arguments import COMMANDS, make_parser
from samizdat.cli import main

EXAMPLE = REPO / "examples" / "local-groups" / "content"
GITHUB = REPO / "examples" / "ci" / "github-actions.yml"
GITLAB = REPO / "examples" / "ci" / "gitlab-ci.yml"
EPOCH = "1700000000"


def samizdat_commands(script: list[str] | str) -> list[str]:
    """The lines of a CI script that run samizdat."""
    lines = script.splitlines() if isinstance(script, str) else script
    return [line.strip() for line in lines if "build.py" in line]


def words_of(line: str, variables: dict[str, str]) -> list[str]:
    """A CI script's samizdat line as the shell would hand it to build.py: variables set, globs expanded."""
    for name, value in variables.items():
        line = line.replace(name, value)
    words = shlex.split(line)
    assert words[:2] == ["python", "build.py"], line
    return [word for text in words[2:] for word in (sorted(glob.glob(text)) or [text] if "*" in text else [text])]


def files_of(folder: Path, cache: bool = False) -> dict[str, bytes]:
    """Every file under `folder` (but the build's own records in .cache/, unless asked): path → bytes."""
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in folder.rglob("*")
        if path.is_file() and not path.is_symlink() and (cache or ".cache" not in path.relative_to(folder).parts)
    }


def parsed(words: list[str]):
    """The command line as build.py reads it (no command: `build`); a command samizdat lacks fails here."""
    return make_parser().parse_args(words if words[0] in COMMANDS else ["build", *words])


@pytest.fixture(scope="module")
def batch(tmp_path_factory: pytest.TempPathFactory) -> SimpleNamespace:
    """The local-groups example built whole, and as the GitLab example's jobs build it (two shards, then merge)."""
    root = tmp_path_factory.mktemp("batch")
    project = make_project(root / "project", {})
    shutil.copytree(EXAMPLE, project / "content", dirs_exist_ok=True)
    gitlab = yaml.safe_load(GITLAB.read_text())
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", EPOCH)
        patch.chdir(project)
        assert main(["--output", str(root / "whole")]) == 0
        for index in ("1", "2"):  # `parallel: 2`: one job per shard, each on a machine of its own
            variables = {"$CI_NODE_INDEX": index, "$CI_NODE_TOTAL": "2"}
            for line in samizdat_commands(gitlab["shard"]["script"]):
                assert main(words_of(line, variables)) == 0, line
        (merge,) = samizdat_commands(gitlab["merge"]["script"])
        assert main(words_of(merge, {})) == 0
    shards = [project / "shards" / "1", project / "shards" / "2"]
    return SimpleNamespace(root=root, project=project, whole=root / "whole", shards=shards, merged=project / "output")


def test_the_merged_shards_are_the_whole_build_file_for_file(batch: SimpleNamespace):
    merged, whole = files_of(batch.merged), files_of(batch.whole)
    assert merged["SHA256SUMS"] == whole["SHA256SUMS"] and merged["manifest.json"] == whole["manifest.json"]
    assert merged == whole  # every PDF, thumbnail and the download page, byte for byte
    listed = {entry["path"] for entry in json.loads(merged["manifest.json"])["files"]}
    assert any("/local/" in path for path in listed) and any("/posters/" in path for path in listed)
    one, two = (files_of(folder) for folder in batch.shards)
    assert one and two and not set(one) & set(two), "each shard made a share of the batch, and no job twice"
    assert "index.html" not in one and "index.html" not in two, "a shard leaves the download page to the merge"


def test_the_merge_renders_nothing_and_a_later_build_finds_everything_made(batch: SimpleNamespace, tmp_path: Path,
                                                                           monkeypatch, capsys):  # fmt: skip
    out = tmp_path / "merged"
    command = [sys.executable, "-X", "importtime", str(REPO / "build.py"), "merge", *map(str, batch.shards),
               "--project", str(batch.project), "--output", str(out)]  # fmt: skip
    env = {key: value for key, value in os.environ.items() if key != "SOURCE_DATE_EPOCH"}  # the page has no date
    done = subprocess.run(command, capture_output=True, text=True, env=env, timeout=60, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "2 shard folders" in done.stdout and "nothing rendered" in done.stdout
    imported = [line.split("|")[-1].strip() for line in done.stderr.splitlines() if line.startswith("import time:")]
    assert imported and not [name for name in imported if name.split(".")[0] in ("weasyprint", "pypdfium2")]
    assert files_of(out) == files_of(batch.whole)
    stale = shutil.copy(batch.shards[0] / ".cache" / "shard-1-of-2.json", out / ".cache")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    capsys.readouterr()
    assert main(["--project", str(batch.project), "--output", str(out)]) == 0  # where the shards' engine is
    assert "  built   " not in capsys.readouterr().out, "the merged records vouch for every file"
    assert files_of(out) == files_of(batch.whole)
    assert not Path(stale).exists(), "a whole build's folder is no shard any more"


def test_a_batch_with_a_broken_document_merges_as_a_whole_build_does(tmp_path: Path, monkeypatch, capsys):
    """The broken document fails in every shard and once in the merge (exit 1); the page lists the rest."""
    documents = {"good": VALID_FRONT_MATTER + "\nThe good text.\n", "broken": "---\ntitle: [\n---\n"}
    project = make_project(tmp_path / "project", documents)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    assert main(["--project", str(project), "--output", str(tmp_path / "whole")]) == 1
    for index in (1, 2):
        assert main(["--project", str(project), "--shard", f"{index}/2", "--output", str(tmp_path / str(index))]) == 1
    capsys.readouterr()
    assert main(["merge", str(tmp_path / "1"), str(tmp_path / "2"), "--project", str(project)]) == 1
    out, err = capsys.readouterr()
    assert err.count("FAILED  broken.md") == 1 and "  built   " in out and "index.html" in out
    assert files_of(project / "output") == files_of(tmp_path / "whole")
    assert "good/good-a5.pdf" in (project / "output" / "SHA256SUMS").read_text()


@pytest.fixture(scope="module")
def other_config_shard(batch: SimpleNamespace) -> Path:
    """Shard 2 built again where samizdat.yaml gives an address (a QR code on the back cover): other bytes."""
    project = batch.root / "changed"
    shutil.copytree(batch.project, project, ignore=shutil.ignore_patterns("output", "shards"))
    (project / "samizdat.yaml").write_text("url: https://example.org/join\n")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", EPOCH)
        assert main(["--project", str(project), "--shard", "2/2", "--output", str(batch.root / "changed-2")]) == 0
    return batch.root / "changed-2"


def edit_stamp(folder: Path, change: Callable[[dict], None], name: str = "shard-2-of-2.json") -> None:
    path = folder / ".cache" / name
    stamp = json.loads(path.read_text())
    change(stamp)
    path.write_text(json.dumps(stamp))


def another_toolchain(stamp: dict) -> None:
    assert "weasyprint 70.0" in stamp["engine"]["toolchain"]
    stamp["engine"]["toolchain"] = stamp["engine"]["toolchain"].replace("weasyprint 70.0", "weasyprint 71.0")


def three_shards(case: SimpleNamespace) -> None:
    edit_stamp(case.two, lambda stamp: stamp.update(shard=[2, 3]))
    (case.two / ".cache" / "shard-2-of-2.json").rename(case.two / ".cache" / "shard-2-of-3.json")


def another_checkout(case: SimpleNamespace) -> None:
    shutil.copytree(case.project, case.tmp / "checkout", ignore=shutil.ignore_patterns("output", "shards"))
    (case.tmp / "checkout" / "content" / "local-leaflet.md").write_text(
        (case.project / "content" / "local-leaflet.md").read_text() + "\nOne more line.\n"
    )
    case.project = case.tmp / "checkout"


def one_shard_made(case: SimpleNamespace, text: str) -> None:
    for folder, data in ((case.one, b"made here"), (case.two, text.encode())):
        (folder / "notes.txt").write_bytes(data)


REFUSALS = [
    # (case, what is done to the copies of the shards' folders, the folders merged, exit status, message)
    ("a shard built with another samizdat.yaml", lambda case: None, ["one", "changed"], 1,
     "and shard 2/2 ({changed}) were built from different inputs: samizdat.yaml differs; build every shard from "
     "the same commit"),
    ("a shard whose stamp names another toolchain", lambda case: edit_stamp(case.two, another_toolchain),
     ["one", "two"], 1, "shard 1/2 ({one}) and shard 2/2 ({two}) were built by different engines: shard 2 has "
     "weasyprint 71.0 where shard 1 has weasyprint 70.0"),
    ("another samizdat", lambda case: edit_stamp(case.two, lambda stamp: stamp["engine"].update(samizdat="samizdat "
     "9.9 (source 0)")), ["one", "two"], 1, "shard 2 has samizdat 9.9 (source 0) where shard 1 has samizdat "),
    ("another SOURCE_DATE_EPOCH", lambda case: edit_stamp(case.two, lambda stamp: stamp["inputs"].update(
     SOURCE_DATE_EPOCH="1800000000")), ["one", "two"], 1, "SOURCE_DATE_EPOCH (1700000000 and 1800000000) differs"),
    ("other documents", lambda case: edit_stamp(case.two, lambda stamp: stamp.update(documents=["local-leaflet"])),
     ["one", "two"], 1, "built different documents (shard 1: all; shard 2: local-leaflet): give every shard the "
     "same SLUGs"),
    ("the same shard twice", lambda case: shutil.copytree(case.one, case.tmp / "again"), ["one", "again", "two"], 1,
     "shard 1/2 is given twice, in {one} and in {again}: give each shard's output folder once"),
    ("a missing shard", lambda case: None, ["one"], 1,
     "shard 2 of 2 is missing (the folders given hold shard 1): give the output folder of every shard"),
    ("shards of another split", three_shards, ["one", "two"], 1,
     "split the batch differently (2 and 3 shards): build every shard of a batch with the same N"),
    ("a checkout other than the shards'", another_checkout, ["one", "two"], 1,
     "the shards were built from other inputs than the project here (content differs): run merge in a checkout"),
    ("a folder that holds no shard", lambda case: (case.tmp / "empty").mkdir(), ["one", "empty"], 1,
     "{empty} holds no shard stamp (.cache/shard-I-of-N.json): give the output folder of a build run with --shard"),
    ("a damaged stamp", lambda case: (case.two / ".cache" / "shard-2-of-2.json").write_text('{"schema": '),
     ["one", "two"], 1, "shard-2-of-2.json: it is not a shard stamp this version of samizdat can read"),
    ("a shard downloaded in part", lambda case: min(case.two.rglob("*.pdf")).unlink(), ["one", "two"], 1,
     "is missing or not as made: copy that shard's whole output folder (or download its artifact) again"),
    ("a link in a shard", lambda case: (case.two / "passwd").symlink_to("/etc/passwd"), ["one", "two"], 1,
     "{two}/passwd is a link: a shard's folder holds only the files it made"),
    ("two shards with other bytes at one path", lambda case: one_shard_made(case, "made there"), ["one", "two"], 1,
     "{one}/notes.txt and {two}/notes.txt differ: two shards made notes.txt"),
    ("the output folder is a shard's", lambda case: setattr(case, "out", case.one), ["one", "two"], 2,
     "would be, or hold, the shard folder {one}: merge into a folder of its own"),
    ("a file for a folder", lambda case: (case.tmp / "file").write_text("x"), ["one", "file"], 2,
     "{file} is not a folder: give the output folders the shards were built into"),
    ("no folder at all", lambda case: None, [], 2, "the following arguments are required: DIR"),
]  # fmt: skip


@pytest.mark.parametrize(("mutate", "given", "code", "message"), [case[1:] for case in REFUSALS],
                         ids=[case[0] for case in REFUSALS])  # fmt: skip
def test_the_merge_refuses_shards_that_are_not_one_build(
    batch, other_config_shard, tmp_path: Path, capsys, mutate, given, code, message
):
    """Refused before anything is written: the last good merged output (and every shard) is left as it was."""
    case = SimpleNamespace(tmp=tmp_path, project=batch.project, out=tmp_path / "out")
    case.one, case.two = (
        shutil.copytree(batch.shards[0], tmp_path / "one"),
        shutil.copytree(batch.shards[1], tmp_path / "two"),
    )
    shutil.copytree(batch.merged, case.out)
    mutate(case)
    folders = {"one": case.one, "two": case.two, "changed": other_config_shard, "again": tmp_path / "again",
               "empty": tmp_path / "empty", "file": tmp_path / "file"}  # fmt: skip
    before = files_of(tmp_path, cache=True)
    capsys.readouterr()
    arguments = ["merge", *(str(folders[name]) for name in given), "--project", str(case.project)]
    assert main([*arguments, "--output", str(case.out)]) == code
    err = capsys.readouterr().err
    assert message.format(**folders) in err
    assert "Traceback" not in err
    assert files_of(tmp_path, cache=True) == before


def test_the_github_actions_example_builds_a_matrix_and_merges_it():
    workflow = yaml.safe_load(GITHUB.read_text())
    shard, merge = workflow["jobs"]["shard"], workflow["jobs"]["merge"]
    count = len(shard["strategy"]["matrix"]["shard"])
    assert shard["strategy"]["matrix"]["shard"] == list(range(1, count + 1)) and count > 1
    steps = {step.get("uses", "").split("@")[0]: step for step in shard["steps"]}
    upload = steps["actions/upload-artifact"]["with"]
    assert upload["path"] == "output/" and upload["include-hidden-files"] is True, "the stamp is in output/.cache/"
    (build,) = [line for step in shard["steps"] for line in samizdat_commands(step.get("run", ""))]
    variables = {"${{ matrix.shard }}": "3", "${{ strategy.job-total }}": str(count)}
    command = parsed(words_of(build, variables))
    assert command.shard == (3, count) and command.output is None  # each runner's own output/, uploaded
    assert merge["needs"] == "shard"
    download = {step.get("uses", "").split("@")[0]: step for step in merge["steps"]}["actions/download-artifact"]
    (line,) = [line for step in merge["steps"] for line in samizdat_commands(step.get("run", ""))]
    command = parsed(words_of(line, {}))
    assert command.command == "merge" and command.shards == [Path(download["with"]["path"]) / "shard-*"]


def test_the_gitlab_example_runs_parallel_jobs_and_merges_them():
    pipeline = yaml.safe_load(GITLAB.read_text())
    shard, merge = pipeline["shard"], pipeline["merge"]
    assert shard["parallel"] > 1 and pipeline["stages"].index(shard["stage"]) < pipeline["stages"].index(merge["stage"])
    (build,) = samizdat_commands(shard["script"])
    command = parsed(words_of(build, {"$CI_NODE_INDEX": "2", "$CI_NODE_TOTAL": "4"}))
    assert command.shard == (2, 4) and command.output == Path("shards/2")
    assert shard["artifacts"]["paths"] == ["shards/"] and merge["artifacts"]["paths"] == ["output/"]
    (line,) = samizdat_commands(merge["script"])
    assert parsed(words_of(line, {})).command == "merge"
