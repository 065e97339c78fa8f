"""The output folder: samizdat writes (and removes what it no longer makes) only inside a folder of its own."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from conftest import VALID_FRONT_MATTER, make_project

from samizdat.cli import main

DOCUMENT = VALID_FRONT_MATTER.replace("lang: en\n", "lang: en\nslogans: [Go]\n") + "\nText.\n"

#: --output given as (a path relative to the project, or "/" for the root folder), and the message's words.
WRONG_FOLDERS = {
    "the root folder": ("/", "would hold, or lie inside"),
    "the project itself": (".", "would hold, or lie inside"),
    "inside content/": ("content/out", "would hold, or lie inside"),
    "content/ itself": ("content", "would hold, or lie inside"),
    "inside layouts/": ("layouts/out", "would hold, or lie inside"),
    "a full folder samizdat did not make": ("mine", "is not empty and samizdat did not make it"),
    "a file": ("mine/notes.txt", "is a file, not a folder"),
}


@pytest.mark.parametrize(("output", "message"), WRONG_FOLDERS.values(), ids=WRONG_FOLDERS.keys())
def test_an_output_folder_samizdat_must_not_write_into_is_a_wrong_command_line(
    tmp_path: Path, capsys, output: str, message: str
):
    root = make_project(tmp_path / "project", {"leaf": DOCUMENT})
    (root / "mine").mkdir()
    (root / "mine" / "notes.txt").write_text("a user's own file")
    before = {path: path.read_bytes() for path in root.rglob("*") if path.is_file()}
    capsys.readouterr()
    target = output if output == "/" else str(root / output)
    assert main(["--project", str(root), "--output", target]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
    assert {path: path.read_bytes() for path in root.rglob("*") if path.is_file()} == before, "something was written"


@pytest.mark.parametrize("linked", ["leaf/posters", "leaf"])
def test_a_link_inside_the_output_folder_is_refused_and_nothing_is_written_or_removed_through_it(
    tmp_path: Path, capsys, linked: str, built_projects
):
    root = built_projects(tmp_path / "project", {"content/leaf.md": DOCUMENT})  # its build made once, copied
    victim = tmp_path / "victim"
    victim.mkdir()
    (victim / "important.pdf").write_bytes(b"%PDF-1.7 the user's own file")
    link = root / "output" / linked
    for path in sorted(link.rglob("*"), reverse=True):
        path.unlink() if path.is_file() else path.rmdir()
    link.rmdir()
    link.symlink_to(victim)
    (root / "layouts" / "poster" / "poster.css").write_text(
        (root / "layouts" / "poster" / "poster.css").read_text() + "\n/* changed */\n"
    )
    capsys.readouterr()
    assert main(["--project", str(root)]) == 1
    err = capsys.readouterr().err
    assert f"{link} is a link to {victim}" in err and "Traceback" not in err
    assert [path.name for path in victim.iterdir()] == ["important.pdf"]
    digest = hashlib.sha256((victim / "important.pdf").read_bytes()).hexdigest()
    assert digest == hashlib.sha256(b"%PDF-1.7 the user's own file").hexdigest()


def test_a_new_or_empty_folder_and_samizdats_own_are_fine(tmp_path: Path):
    root = make_project(tmp_path / "project", {"leaf": DOCUMENT})
    (tmp_path / "empty").mkdir()
    for output in (tmp_path / "new" / "deeper", tmp_path / "empty", tmp_path / "empty"):  # the last: made by us now
        assert main(["--project", str(root), "--output", str(output)]) == 0


def test_posters_whose_job_fails_stay_listed_while_they_are_there(tmp_path: Path, capsys, built_projects):
    """A broken poster layout fails the posters; their last good files are still on disk, so still on the page."""
    root = built_projects(tmp_path / "project", {"content/leaf.md": DOCUMENT})  # its build made once, copied
    sums = (root / "output" / "SHA256SUMS").read_text()
    assert "leaf/posters/go-a3.pdf" in sums
    css = root / "layouts" / "poster" / "poster.css"
    css.write_text(css.read_text() + "\n* { font-size: 10000pt !important }\n")
    assert main(["--project", str(root)]) == 1
    listed = {line.split("  ")[1] for line in (root / "output" / "SHA256SUMS").read_text().splitlines()}
    assert {"leaf/posters/go-a3.pdf", "leaf/posters/go-a3-print.pdf", "leaf/posters/go-a3-tiled-a4.pdf"} <= listed
    pdfs = {path.relative_to(root / "output").as_posix() for path in (root / "output").rglob("*.pdf")}
    assert pdfs <= listed, "output/ holds PDFs the page does not list"


def test_a_partial_build_never_vouches_for_a_file_damaged_since_it_was_made(tmp_path: Path, capsys):
    root = make_project(tmp_path / "project", {"one": DOCUMENT, "two": DOCUMENT})
    assert main(["--project", str(root)]) == 0
    damaged = root / "output" / "two" / "two-a5.pdf"
    damaged.write_bytes(damaged.read_bytes()[:1000])  # cut short after it was made
    assert main(["--project", str(root), "one"]) == 0  # builds only "one": "two" is listed from the last page
    output = root / "output"
    for line in (output / "SHA256SUMS").read_text().splitlines():
        sha, name = line.split("  ")
        assert hashlib.sha256((output / name).read_bytes()).hexdigest() == sha, f"SHA256SUMS vouches for {name}"
    assert "two/two-a5.pdf" not in (output / "SHA256SUMS").read_text()
    assert main(["--project", str(root)]) == 0  # a whole build makes it again, and lists it again
    assert "two/two-a5.pdf" in (output / "SHA256SUMS").read_text()
