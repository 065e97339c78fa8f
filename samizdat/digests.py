"""Files' SHA-256 remembered by what `stat` says of them, so that a build with nothing changed reads no file again.

The quick answer (samizdat.lastbuild) hashes every input (the fonts are megabytes) and every output; reading
them was most of its time. As git's index does, output/.cache/digests.json keeps each file's digest with its
size, modification and change times and inode, and a digest is trusted while they and its device are as they were. Only
the kernel sets a change time, so a file zeroed in place with its modification time put back is read again.
A file written in the same tick of the file system's clock as it was hashed could keep them all ("racy"): a
file whose change or modification time is less than RACY_NS before it was hashed is not remembered, and is
hashed again by the next build. A later change then always moves its change time.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

from samizdat.errors import SamizdatError
from samizdat.output import write_atomically
from samizdat.records import clear_way, read_record

#: How long before it is hashed a file must have last changed to be remembered: two seconds, in nanoseconds
#: (file times tick every few milliseconds on Linux; FAT's every two seconds).
RACY_NS = 2_000_000_000

#: path → [size, modified, changed, inode, device, sha256 hex]: the record read at the start of a build, and when it was
#: written; what this build hashed or trusted, to write back at its end.
_KNOWN: dict[str, list] = {}
_WRITTEN_AT: list[int] = [0]
_USED: dict[str, list] = {}


def sha256_of(path: str, status: os.stat_result) -> bytes | None:
    """The file's SHA-256 if the record vouches for it as it is now (`status`), else None: then hash it."""
    entry = _KNOWN.get(path)
    if entry is None or entry[:5] != _stamp(status):
        return None
    _USED[path] = entry
    return bytes.fromhex(entry[5])


def hashed(path: str, status: os.stat_result, sha256: bytes) -> None:
    """Remember the digest just read of the file as `status` (taken before reading it) says it was, unless the
    file changed within RACY_NS of now: a change in the same tick of its clock could leave `status` as it is."""
    if max(status.st_ctime_ns, status.st_mtime_ns) < time.time_ns() - RACY_NS:
        _USED[path] = [*_stamp(status), sha256.hex()]


def read_digests(output_dir: Path) -> None:
    """Start a build with the record of output/.cache/digests.json (none yet, or damaged: every file is read)."""
    _KNOWN.clear()
    _USED.clear()
    record = read_record(output_dir / ".cache" / "digests.json", output_dir, _valid)
    _KNOWN.update(record["files"] if record else {})
    _WRITTEN_AT[0] = record["written"] if record else 0


def write_digests(output_dir: Path) -> None:
    """Keep what this build hashed or trusted for the next (only when it differs from what was read)."""
    if _USED == _KNOWN and _WRITTEN_AT[0]:
        return
    record = {"written": time.time_ns(), "files": dict(sorted(_USED.items()))}
    try:
        write_atomically(clear_way(output_dir / ".cache" / "digests.json"), json.dumps(record).encode())
    except (OSError, SamizdatError):
        return  # only time is lost: the next build reads the files
    _KNOWN.clear()
    _KNOWN.update(_USED)
    _WRITTEN_AT[0] = record["written"]


def _stamp(status: os.stat_result) -> list[int]:
    return [status.st_size, status.st_mtime_ns, status.st_ctime_ns, status.st_ino, status.st_dev]


def _valid(data: object) -> bool:
    if not (isinstance(data, dict) and isinstance(data.get("written"), int) and isinstance(data.get("files"), dict)):
        return False
    return all(
        isinstance(entry, list) and len(entry) == 6 and all(isinstance(part, int) for part in entry[:5])
        and isinstance(entry[5], str) and len(entry[5]) == 64 and all(c in "0123456789abcdef" for c in entry[5])
        for entry in data["files"].values()
    )  # fmt: skip
