"""The record of files' digests (samizdat.digests): trusted only while size, times and inode are as they were,
and never for a file that changed less than a second before the record was written."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

from conftest import make_project

from samizdat.cli import main
from samizdat.digests import RACY_NS, read_digests, sha256_of

LEAFLET = "---\ntitle: Digests\nauthor: Us\nlang: en\n---\nA short text.\n"


def write_record(output: Path, files: dict, written: int) -> None:
    (output / ".cache").mkdir(parents=True, exist_ok=True)
    (output / ".cache" / "digests.json").write_text(json.dumps({"written": written, "files": files}))


def test_an_entry_is_trusted_only_when_the_file_is_as_it_was_and_older_than_the_record(tmp_path: Path):
    file, output = tmp_path / "a.txt", tmp_path / "output"
    file.write_text("hello")
    status = os.stat(file)
    stamp = [status.st_size, status.st_mtime_ns, status.st_ctime_ns, status.st_ino]
    false = "ab" * 32  # not the file's digest: only the record can give it
    write_record(output, {str(file): [*stamp, false]}, status.st_ctime_ns + 2 * RACY_NS)
    read_digests(output)
    assert sha256_of(str(file), status) == bytes.fromhex(false)
    write_record(output, {str(file): [*stamp, false]}, status.st_ctime_ns + RACY_NS // 2)  # racy: hashed again
    read_digests(output)
    assert sha256_of(str(file), status) is None
    write_record(output, {str(file): [stamp[0] + 1, *stamp[1:], false]}, status.st_ctime_ns + 2 * RACY_NS)
    read_digests(output)
    assert sha256_of(str(file), status) is None


def test_a_font_changed_in_place_with_its_time_put_back_is_not_taken_for_the_old(tmp_path: Path, capsys):
    root = make_project(tmp_path / "project", {"leaflet": LEAFLET})
    assert main(["--project", str(root), "--jobs", "1"]) == 0
    record = json.loads((root / "output/.cache/digests.json").read_text())
    font = root / "fonts/charis-sil/CharisSIL-Regular.ttf"
    assert str(font) in record["files"], "the fonts' digests are remembered"
    assert str(root / "output/leaflet/leaflet-a5.pdf") in record["files"], "and the outputs'"
    data = font.read_bytes()
    font.unlink()  # a copy of its own, to change in place: the project's fonts are hard links to the repository's
    font.write_bytes(data)
    assert main(["--project", str(root), "--jobs", "1"]) == 0  # the copy's digest remembered
    status = font.stat()
    with font.open("r+b") as file:  # the same file (inode), size and modification time: only its change time moves
        file.seek(len(data) - 4)
        file.write(b"\0\0\0\0")
    os.utime(font, ns=(status.st_atime_ns, status.st_mtime_ns))
    capsys.readouterr()
    assert main(["--project", str(root), "--jobs", "1"]) == 0
    out = capsys.readouterr().out
    assert re.search(r"leaflet-a5\.pdf\s+\d+\s+\S+\s+\S+\s+[\d.]+ s\s+built", out), out
