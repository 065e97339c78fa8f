"""Hostile records: damaged cache and site records are discarded with one note, damaged outputs are made again.

Each case copies one small project built once, damages one thing in its
output/, builds again in this process and looks at what came out.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
from pathlib import Path

import pytest
from conftest import make_project
from pypdf import PdfReader

from samizdat.cli import main
from samizdat.records import valid_last_build, valid_manifest, valid_targets

LEAFLET = "---\ntitle: Leaflet\nauthor: Us\nlang: en\n---\nText.\n"
MARKER = "SAMIZDAT-OUTSIDE-MARKER-7f3a"
A5 = "one/one-a5.pdf"
GOOD_ENTRY = {"digest": "0" * 64, "pages": 1, "purpose": "x", "paper": "A5", "checks": [], "size": 1, "sha256": "0"}
MANIFEST_ENTRY = {"document": "one", "path": A5, "purpose": "x", "pages": 1, "paper": "A5"}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A one-document project, built once (its outputs and records are the starting point of every case)."""
    root = make_project(tmp_path_factory.mktemp("records") / "project", {"one": LEAFLET})
    assert main(["--project", str(root)]) == 0
    return root


@pytest.fixture
def project(built: Path, tmp_path: Path) -> Path:
    root = tmp_path / "project"
    shutil.copytree(built, root, symlinks=True)
    (tmp_path / "outside.pdf").write_text(MARKER)  # what a climbing path would reach
    return root


def record(data: object) -> bytes:
    return json.dumps(data).encode()


def last_build_with(root: Path, change: dict) -> bytes:
    """The real last-build.json with one field changed (the stamp stays right, so the record is used)."""
    data = json.loads((root / "output/.cache/last-build.json").read_text())
    return record(data | change)


def last_build_result_with(root: Path, change: dict) -> bytes:
    data = json.loads((root / "output/.cache/last-build.json").read_text())
    data["results"][0] |= change
    return record(data)


BINARY = b"\xff\xfe\x00\x01\x80binary"
FOLDER = None  # a folder where the record should be
CASES = {
    # record under output/, what is written there (bytes, or a function of the project giving bytes)
    "targets null": (".cache/targets.json", b"null"),
    "targets a list": (".cache/targets.json", b"[1, 2]"),
    "targets a string": (".cache/targets.json", b'"targets"'),
    "targets binary": (".cache/targets.json", BINARY),
    "targets cut short": (".cache/targets.json", b'{"one/one-a5.pdf": {"dig'),
    "targets entry null": (".cache/targets.json", record({A5: None})),
    "targets digest a number": (".cache/targets.json", record({A5: GOOD_ENTRY | {"digest": 1}})),
    "targets field missing": (".cache/targets.json", record({A5: {"digest": "0"}})),
    "targets pages a string": (".cache/targets.json", record({A5: GOOD_ENTRY | {"pages": "1"}})),
    "targets path climbs out": (".cache/targets.json", record({"../../etc/passwd": GOOD_ENTRY})),
    "targets absolute path": (".cache/targets.json", record({"/etc/passwd": GOOD_ENTRY})),
    "targets folder file climbs": (".cache/targets.json", record({"one/posters": {"digest": "0", "files": ["../x"]}})),
    "last build null": (".cache/last-build.json", b"null"),
    "last build a list": (".cache/last-build.json", b"[]"),
    "last build binary": (".cache/last-build.json", BINARY),
    "last build no results": (".cache/last-build.json", lambda root: last_build_with(root, {"results": None})),
    "last build results a dict": (".cache/last-build.json", lambda root: last_build_with(root, {"results": {}})),
    "last build beside wrong": (".cache/last-build.json", lambda root: last_build_with(root, {"beside": "x"})),
    "last build path climbs out": (
        ".cache/last-build.json",
        lambda root: last_build_result_with(root, {"path": "../outside.pdf"}),
    ),
    "last build absolute path": (
        ".cache/last-build.json",
        lambda root: last_build_result_with(root, {"path": "/etc/passwd"}),
    ),
    "last build file a string": (".cache/last-build.json", lambda root: last_build_result_with(root, {"file": "x"})),
    "last build pages null": (".cache/last-build.json", lambda root: last_build_result_with(root, {"pages": None})),
    "digests null": (".cache/digests.json", b"null"),
    "digests binary": (".cache/digests.json", BINARY),
    "digests entry cut short": (".cache/digests.json", record({"written": 1, "files": {"/x": [1, 2, 3]}})),
    "digests hash not hex": (".cache/digests.json", record({"written": 1, "files": {"/x": [1, 2, 3, 4, "zz"]}})),
    "digests a folder": (".cache/digests.json", FOLDER),
    "site digest binary": (".cache/site.digest", BINARY),
    "site digest a folder": (".cache/site.digest", FOLDER),
    "targets a folder": (".cache/targets.json", FOLDER),
    "last build a folder": (".cache/last-build.json", FOLDER),
    "manifest null": ("manifest.json", b"null"),
    "manifest a list": ("manifest.json", b"[]"),
    "manifest binary": ("manifest.json", BINARY),
    "manifest files null": ("manifest.json", record({"files": None})),
    "manifest entry a string": ("manifest.json", record({"files": ["one/one-a5.pdf"]})),
    "manifest pages a string": ("manifest.json", record({"files": [MANIFEST_ENTRY | {"pages": "1"}]})),
    "manifest path climbs out": (
        "manifest.json",
        record({"files": [MANIFEST_ENTRY | {"path": "one/../../outside.pdf"}]}),
    ),
    "manifest absolute path": ("manifest.json", record({"files": [MANIFEST_ENTRY | {"path": "/etc/passwd"}]})),
}


def validator(name: str):
    return {"targets.json": valid_targets, "last-build.json": valid_last_build, "manifest.json": valid_manifest}.get(
        Path(name).name
    )


@pytest.mark.parametrize(("where", "damage"), CASES.values(), ids=CASES.keys())
def test_a_damaged_record_is_discarded_with_one_note(project: Path, capsys, where: str, damage):
    path = project / "output" / where
    if damage is FOLDER:
        path.unlink()
        (path / "inside").mkdir(parents=True)
    else:
        path.write_bytes(damage(project) if callable(damage) else damage)
    if where != ".cache/last-build.json":  # no quick answer: the build reads the other records
        (project / "output/.cache/last-build.json").unlink()
    capsys.readouterr()
    code = main(["--project", str(project)])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert "Traceback" not in err
    assert err.count("was damaged; building from scratch") == 1, err
    assert f"note: output/{where} was damaged; building from scratch" in err
    pdf = project / "output" / A5
    assert len(PdfReader(io.BytesIO(pdf.read_bytes())).pages) >= 1
    for name in ("index.html", "manifest.json", "SHA256SUMS"):
        assert MARKER not in (project / "output" / name).read_text(), f"{name} shows a file outside output/"
    sums = (project / "output/SHA256SUMS").read_text()
    assert f"{hashlib.sha256(pdf.read_bytes()).hexdigest()}  {A5}" in sums
    if check := validator(where):  # the record is whole again
        assert check(json.loads(path.read_text()))


def zero_keeping_time(path: Path) -> None:
    stat = path.stat()
    path.write_bytes(bytes(stat.st_size))
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))


def truncate(path: Path) -> None:
    path.write_bytes(path.read_bytes()[:100])


def flip_a_byte_keeping_time(path: Path) -> None:
    stat, data = path.stat(), bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x20
    path.write_bytes(bytes(data))
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))


DAMAGE = {
    "zeroed, time put back": zero_keeping_time,
    "truncated": truncate,
    "one byte flipped": flip_a_byte_keeping_time,
}


@pytest.mark.parametrize("quick", [True, False], ids=["quick answer", "jobs looked at"])
@pytest.mark.parametrize("damage", DAMAGE.values(), ids=DAMAGE.keys())
def test_a_damaged_output_is_made_again_and_the_sums_vouch_for_the_good_one(project: Path, capsys, damage, quick):
    pdf = project / "output" / A5
    good = pdf.read_bytes()
    damage(pdf)
    if not quick:
        (project / "output/.cache/last-build.json").unlink()
    capsys.readouterr()
    assert main(["--project", str(project)]) == 0
    out = capsys.readouterr().out
    assert any(line.split()[:1] == [A5] and "built" in line.split() for line in out.splitlines()), out
    assert pdf.read_bytes() == good
    assert f"{hashlib.sha256(good).hexdigest()}  {A5}" in (project / "output/SHA256SUMS").read_text()
