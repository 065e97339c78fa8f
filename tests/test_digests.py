"""The record of files' digests (samizdat.digests): trusted only while size, times and inode are as they were,
and never for a file that changed less than a second before the record was written."""

from __future__ import annotations

import json
import os
import re
import time
from pathlib import Path

from conftest import make_project

from samizdat.cli import main
from samizdat.digests import RACY_NS, hashed, read_digests, sha256_of, write_digests

LEAFLET = "---\ntitle: Digests\nauthor: Us\nlang: en\n---\nA short text.\n"


def write_record(output: Path, files: dict, written: int) -> None:
    (output / ".cache").mkdir(parents=True, exist_ok=True)
    (output / ".cache" / "digests.json").write_text(json.dumps({"written": written, "files": files}))


def test_an_entry_is_trusted_only_while_the_file_is_as_it_was(tmp_path: Path):
    file, output = tmp_path / "a.txt", tmp_path / "output"
    file.write_text("hello")
    status = os.stat(file)
    stamp = [status.st_size, status.st_mtime_ns, status.st_ctime_ns, status.st_ino, status.st_dev]
    false = "ab" * 32  # not the file's digest: only the record can give it
    write_record(output, {str(file): [*stamp, false]}, time.time_ns())
    read_digests(output)
    assert sha256_of(str(file), status) == bytes.fromhex(false)
    write_record(output, {str(file): [stamp[0] + 1, *stamp[1:], false]}, time.time_ns())
    read_digests(output)
    assert sha256_of(str(file), status) is None


def test_a_file_changed_within_two_seconds_of_its_hashing_is_not_remembered(tmp_path: Path):
    """Racy: a change in the same tick of the file system's clock could leave its stamp as it is."""
    fresh, old = tmp_path / "fresh.txt", Path(__file__)  # this file: checked out before the tests started
    fresh.write_text("just written")
    output = tmp_path / "output"
    read_digests(output)
    for path in (fresh, old):
        hashed(str(path), os.stat(path), b"\0" * 32)
    write_digests(output)
    remembered = json.loads((output / ".cache/digests.json").read_text())["files"]
    assert str(fresh) not in remembered
    if max(os.stat(old).st_ctime_ns, os.stat(old).st_mtime_ns) < time.time_ns() - RACY_NS:
        assert str(old) in remembered
    assert RACY_NS >= 2_000_000_000  # FAT's clock ticks every two seconds


def test_a_font_changed_in_place_with_its_time_put_back_is_not_taken_for_the_old(tmp_path: Path, capsys):
    root = make_project(tmp_path / "project", {"leaflet": LEAFLET})
    font = root / "fonts/charis-sil/CharisSIL-Regular.ttf"
    data = font.read_bytes()
    font.unlink()  # a copy of its own, to change in place: the project's fonts are hard links to the repository's
    font.write_bytes(data)
    time.sleep(RACY_NS / 1e9 + 0.1)  # older than a racy change: its digest is remembered
    assert main(["--project", str(root), "--jobs", "1"]) == 0
    record = json.loads((root / "output/.cache/digests.json").read_text())
    assert str(font) in record["files"], "the fonts' digests are remembered"
    status = font.stat()
    with font.open("r+b") as file:  # the same file (inode), size and modification time: only its change time moves
        file.seek(len(data) - 4)
        file.write(b"\0\0\0\0")
    os.utime(font, ns=(status.st_atime_ns, status.st_mtime_ns))
    capsys.readouterr()
    assert main(["--project", str(root), "--jobs", "1"]) == 0
    out = capsys.readouterr().out
    assert re.search(r"leaflet-a5\.pdf\s+\d+\s+\S+\s+\S+\s+[\d.]+ s\s+built", out), out
