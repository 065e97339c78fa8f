"""The build's own records (output/.cache/, manifest.json), read as foreign input: shapes checked, paths kept in.

A record is only ever a shortcut: one that cannot be read, or has the wrong
shape (`null`, a list, a field missing or of the wrong type, binary bytes, a
path that climbs out of output/), is discarded with one note on stderr and
the build goes on as if it were not there. Nothing here raises.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import sys
from collections.abc import Callable
from pathlib import Path, PurePosixPath
from typing import Any

from samizdat.catalogue import SUFFIXES

#: Records already reported as damaged in this process: each gets one note, however often it is read.
_NOTED: set[str] = set()


def note_damaged(path: Path, output_dir: Path) -> None:
    """Say once that a record was discarded (it costs a rebuild, nothing else)."""
    try:
        name = f"{output_dir.name}/{path.relative_to(output_dir).as_posix()}"
        stat = path.stat()
    except (ValueError, OSError):
        return
    seen = f"{path.resolve()} {stat.st_size} {stat.st_mtime_ns}"  # damaged again later (under serve): noted again
    if seen not in _NOTED:
        _NOTED.add(seen)
        print(f"note: {name} was damaged; building from scratch", file=sys.stderr)


def read_record(path: Path, output_dir: Path, valid: Callable[[Any], bool]) -> Any | None:
    """The JSON in `path` if it is there and `valid` accepts it; None (with a note if it was there) otherwise."""
    if not path.is_file():
        if path.exists():  # a folder where a record should be
            note_damaged(path, output_dir)
        return None
    try:
        data = json.loads(path.read_bytes().decode("utf-8"))
    except (OSError, ValueError, RecursionError):
        data = _DAMAGED
    if data is _DAMAGED or not _accepts(valid, data):
        note_damaged(path, output_dir)
        return None
    return data


def clear_way(path: Path) -> Path:
    """Make room for a record: a folder where it goes (in output/.cache/, samizdat's own) is removed."""
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    return path


def read_text_record(path: Path, output_dir: Path) -> str | None:
    """A one-line text record (site.digest): its text, or None if it is missing or not text."""
    if not path.exists():
        return None
    try:
        return path.read_bytes().decode("ascii")
    except (OSError, ValueError):
        note_damaged(path, output_dir)
        return None


_DAMAGED = object()


def _accepts(valid: Callable[[Any], bool], data: Any) -> bool:
    try:
        return bool(valid(data))
    except (TypeError, KeyError, ValueError, AttributeError):
        return False


def plain(relative: object) -> bool:
    """Whether `relative` is a plain relative path with forward slashes that cannot climb ('..', '/', 'C:')."""
    if not isinstance(relative, str) or not relative or "\\" in relative or "\0" in relative:
        return False
    parts = PurePosixPath(relative).parts
    return not relative.startswith("/") and ".." not in parts and ":" not in parts[0]


def inside(output_dir: Path, relative: object) -> Path | None:
    """output/RELATIVE if `relative` is plain and its real location (symlinks followed) is in output/."""
    if not plain(relative):
        return None
    path = output_dir.joinpath(*PurePosixPath(relative).parts)
    return path if path.resolve().is_relative_to(output_dir.resolve()) else None


def is_str_list(value: object) -> bool:
    return isinstance(value, list) and all(isinstance(item, str) for item in value)


def is_checks(value: object) -> bool:
    """Preflight's findings as recorded: [[severity, text], ...]."""
    return isinstance(value, list) and all(is_str_list(check) and len(check) == 2 for check in value)


def is_size(value: object) -> bool:
    """An optional size in points (an imposition's text size): absent, or a positive number."""
    return value is None or (isinstance(value, int | float) and not isinstance(value, bool) and 0 < value < 1e4)


def is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def valid_target(name: str, entry: object) -> bool:
    """One entry of targets.json: an output file (digest, pages, purpose, paper, checks, size, sha256) or a folder."""
    if not isinstance(entry, dict) or not isinstance(entry.get("digest"), str) or not plain(name):
        return False
    if "files" in entry:
        return is_str_list(entry["files"]) and all(plain(file) and "/" not in file for file in entry["files"])
    return (
        is_int(entry.get("pages")) and isinstance(entry.get("purpose"), str) and isinstance(entry.get("paper"), str)
        and is_checks(entry.get("checks")) and is_int(entry.get("size")) and isinstance(entry.get("sha256"), str)
        and is_size(entry.get("text_pt"))
    )  # fmt: skip


def valid_targets(data: object) -> bool:
    return isinstance(data, dict) and all(valid_target(name, entry) for name, entry in data.items())


def valid_last_build(data: object) -> bool:
    """last-build.json: the stamp, each result as recorded, and the download page's files' sizes and digests."""
    if not isinstance(data, dict) or not isinstance(data.get("stamp"), str) or not isinstance(data["results"], list):
        return False
    beside = data["beside"]
    if not isinstance(beside, list) or not all(item is None or _is_file_stamp(item) for item in beside):
        return False
    return all(_valid_result(result) for result in data["results"])


def _valid_result(result: object) -> bool:
    return (
        isinstance(result, dict) and plain(result["path"])
        and isinstance(result["purpose"], str) and is_int(result["pages"]) and is_str_list(result["warnings"])
        and isinstance(result["paper"], str) and is_checks(result["checks"]) and is_size(result.get("text_pt"))
        and (result["skipped"] is None or isinstance(result["skipped"], str))
        and (result["file"] is None if result["skipped"] is not None else _is_file_stamp(result["file"]))
    )  # fmt: skip


def _is_file_stamp(value: object) -> bool:
    """[size, sha256] of a file as the last build left it."""
    return isinstance(value, list) and len(value) == 2 and is_int(value[0]) and isinstance(value[1], str)


def valid_manifest(data: object) -> bool:
    """manifest.json as samizdat writes it: {"files": [{document, path, purpose, pages, paper}, ...]}."""
    if not isinstance(data, dict) or not isinstance(data["files"], list):
        return False
    return all(
        isinstance(entry, dict) and isinstance(entry["document"], str) and isinstance(entry["purpose"], str)
        and is_int(entry["pages"]) and isinstance(entry["paper"], str)
        and plain(entry["path"]) and entry["path"].endswith(SUFFIXES)
        and entry["path"].split("/")[0] == entry["document"]
        for entry in data["files"]
    )  # fmt: skip


#: How many files output/.cache/breaks/ and output/.cache/paragraphs/ each keep, the most recently used: every
#: edit of a text starts new ones (its digest is in their names), and `serve` may see hundreds in a day.
KEPT_FILES = 300


def used_now(path: Path) -> None:
    """Mark a file of remembered lines as used (its time), so that prune_remembered keeps it."""
    with contextlib.suppress(OSError, NotImplementedError):  # a read-only record is still read
        os.utime(path, follow_symlinks=False)


def prune_remembered(cache_dir: Path) -> None:
    """Remove all but the KEPT_FILES most recently used files of remembered lines, in each of their folders."""
    for folder in (cache_dir / "breaks", cache_dir / "paragraphs"):
        try:
            files = sorted(((path.lstat().st_mtime_ns, path) for path in folder.glob("*.json")), reverse=True)
        except OSError:
            continue  # no such folder yet, or one that cannot be read: nothing to remove
        for _, path in files[KEPT_FILES:]:
            try:
                path.unlink()  # a link goes, never what it points to
            except OSError:
                continue  # a folder named so: left alone
