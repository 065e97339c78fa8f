"""What was built from what: a record of each output's input digest, so unchanged outputs are not made again.

The record lives in output/.cache/targets.json. An output is up to date when
its file is there with the size and SHA-256 recorded when it was written (a
truncated or zeroed file is made again), and the digest of everything it was
made from (the content file's bytes as read for the render, the layout folders
it uses, the fonts, the config, samizdat's version, SOURCE_DATE_EPOCH, the
versions of the libraries that shape the bytes and the font subsetter:
samizdat.toolchain) is the one recorded then. The digests are made once, by
samizdat.plan; here they are only looked up. Records are read as foreign
input (samizdat.records).
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from samizdat import __version__
from samizdat.digests import hashed, sha256_of
from samizdat.errors import SamizdatError
from samizdat.layers import WALKED
from samizdat.output import write_atomically
from samizdat.project import Project
from samizdat.records import clear_way, read_record, valid_targets
from samizdat.targets import Job, TargetResult
from samizdat.toolchain import toolchain

if TYPE_CHECKING:
    from samizdat.config import Config


#: The format of samizdat's files, in every digest: when it changes, every output is made again once (the
#: quick answer too). "kind in XMP": each file says what it is (samizdat.mark); files recorded before
#: do not, and are not up to date.
OUTPUT_FORMAT = "kind in XMP 1"


def digest(*parts: str | bytes | Path) -> str:
    """SHA-256 over strings, bytes, files and whole folders (their files' paths in the folder and bytes, sorted).

    Only regular files are read (a FIFO would hang it); a file reached through a
    symbolic link counts by where the link points, its size and its time.

    Every digest starts with samizdat's version, the format of its outputs and the toolchain (library versions,
    font subsetter): what made a file is part of what it was made from.
    """
    hasher = hashlib.sha256(f"{__version__}\0{OUTPUT_FORMAT}\0{toolchain()}".encode())
    for part in parts:
        if isinstance(part, Path):
            hasher.update(_path_part(part))
        else:
            hasher.update(part if isinstance(part, bytes) else part.encode())
        hasher.update(b"\0\0")
    return hasher.hexdigest()


def _path_part(part: Path) -> bytes:
    """What a file or folder adds to a digest: its files' names and bytes (read once per version of each file),
    and where links point; worked out once per path within samizdat.layers.one_walk()."""
    if WALKED and ("digest", part) in WALKED[0]:
        return WALKED[0]["digest", part]
    entries = sorted(part.rglob("*")) if part.is_dir() else [part]
    added = [_link(part, part.name)]
    for file in entries:
        name = file.relative_to(part).as_posix() if part.is_dir() else file.name
        added.append(_link(file, name) if part.is_dir() else b"")
        if file.is_symlink() and file.is_file():  # its target may lie outside: its size and time only,
            stat = file.stat()  # never its bytes (the build refuses a link out before reading it)
            added.append(f"{name}\0{stat.st_size}\0{stat.st_mtime_ns}".encode())
        elif file.is_file():
            stat = file.stat()
            added.append(name.encode() + b"\0" + _remembered_digest(str(file), stat))
        elif file.exists() and not file.is_dir():  # a FIFO, a device: never opened, but not nothing either
            added.append(name.encode() + b"\0not a file")
    if WALKED:
        WALKED[0]["digest", part] = b"".join(added)
    return b"".join(added)


def _link(path: Path, name: str) -> bytes:
    """Where a symbolic link points, as part of a digest: a link swapped for another (one leading out of the
    project, to identical bytes) is a change, so the build that refuses it runs instead of the quick answer."""
    try:
        return b"link\0" + name.encode() + b"\0" + os.readlink(path).encode() + b"\0" if path.is_symlink() else b""
    except OSError:
        return b""


def _remembered_digest(path: str, status: os.stat_result) -> bytes:
    """A file's SHA-256: as the record of the last build vouches for it (samizdat.digests), else read."""
    known = sha256_of(path, status)
    if known is None:
        known = _file_digest(path, status.st_mtime_ns, status.st_size, status.st_ctime_ns, status.st_ino)
        hashed(path, status, known)
    return known


@lru_cache(maxsize=4096)
def _file_digest(path: str, modified: int, size: int, changed: int, inode: int) -> bytes:
    """A file's SHA-256, read once per version of the file (the fonts are hashed for every document): its change
    time and inode are in the key, as a file rewritten with its modification time put back keeps the rest."""
    try:
        with open(path, "rb") as file:
            return hashlib.file_digest(file, "sha256").digest()
    except OSError as error:
        raise SamizdatError(f"cannot read {path}: {error.strerror}; check the file and its permissions") from None


class Cache:
    """The record of output/: output path → the digest it was made from and its page count.

    A shard of a split build keeps its own record file (targets.shard-I-of-N.json),
    and every record file in output/.cache/ is read: after the shards' output
    folders are copied together, one plain build finds all their work done.
    """

    def __init__(self, output_dir: Path, shard: tuple[int, int] | None = None, entries: dict | None = None) -> None:
        self.output_dir = output_dir
        folder = output_dir / ".cache"
        self.path = folder / ("targets.json" if shard is None else f"targets.shard-{shard[0]}-of-{shard[1]}.json")
        self.changes: dict[str, dict | None] = {}  # what this process recorded or forgot, for the parent
        if entries is not None:
            self.entries = dict(entries)
            return
        self.shard = shard
        self.entries: dict[str, dict] = {}
        for record in sorted(folder.glob("targets*.json")) if folder.is_dir() else []:  # targets.json first
            if shard is None and record.name != "targets.json":
                _note_other_toolchain(record, output_dir)
            self.entries.update(read_record(record, output_dir, valid_targets) or {})

    def fresh(self, path: Path, key: str) -> dict | None:
        """The record of `path` if it is there and was made from `key`; None when it must be made.

        A folder (the posters) is fresh when every file recorded in it is.
        """
        entry = self.entries.get(path.relative_to(self.output_dir).as_posix())
        if not entry or entry["digest"] != key or not path.exists():
            return None
        if "files" in entry:
            return entry if all(self.fresh(path / name, key) for name in entry["files"]) else None
        return entry if file_stamp(path) == [entry["size"], entry["sha256"]] else None

    def keep(self, result: TargetResult, key: str) -> TargetResult:
        """Record a built output (a failed one is forgotten, so that it is tried again); return it as it is."""
        if result.path is not None and result.path.is_relative_to(self.output_dir):
            name = result.path.relative_to(self.output_dir).as_posix()
            if result.state == "built" and (stamp := file_stamp(result.path)):
                entry = {"digest": key, "pages": result.pages, "purpose": result.purpose, "paper": result.paper,
                         "checks": result.checks, "size": stamp[0], "sha256": stamp[1],
                         "text_pt": result.text_pt}  # fmt: skip
                self._set(name, entry)
            elif result.state == "failed":
                self._set(name, None)
        return result

    def forget(self, name: str) -> None:
        """Drop the record of an output (path under output/) the build no longer makes."""
        self._set(name, None)

    def record_folder(self, folder: Path, key: str, names: list[str]) -> None:
        self._set(folder.relative_to(self.output_dir).as_posix(), {"digest": key, "files": names})

    def _set(self, name: str, entry: dict | None) -> None:
        self.changes[name] = entry
        if entry is None:
            self.entries.pop(name, None)
        else:
            self.entries[name] = entry

    def apply(self, changes: dict[str, dict | None]) -> None:
        """What a worker process recorded."""
        for name, entry in changes.items():
            self._set(name, entry)

    def save(self) -> None:
        """A whole build records everything and folds the shards' records in; a shard records its own work."""
        if self.shard is None:
            recorded = self.entries
        else:
            recorded = read_record(self.path, self.output_dir, valid_targets) or {}
            recorded |= {name: entry for name, entry in self.changes.items() if entry is not None}
        write_atomically(clear_way(self.path), (json.dumps(recorded, indent=1, sort_keys=True) + "\n").encode())
        if self.shard is None:
            for record in self.path.parent.glob("targets.shard-*.json"):
                record.unlink()
                _toolchain_record(record).unlink(missing_ok=True)
        else:
            write_atomically(clear_way(_toolchain_record(self.path)), (toolchain() + "\n").encode())


def _toolchain_record(shard_record: Path) -> Path:
    """targets.shard-2-of-4.json → toolchain.shard-2-of-4.txt: what made that shard's files."""
    return shard_record.with_name(shard_record.name.replace("targets.", "toolchain.", 1).removesuffix(".json") + ".txt")


def _note_other_toolchain(shard_record: Path, output_dir: Path) -> None:
    """Say so when a shard was built by other library versions or another font subsetter than this machine's.

    Its files are then not this machine's bytes: their digests (which include the
    toolchain) do not match, so this build makes them again rather than merging
    them as if they were equal.
    """
    try:
        theirs = _toolchain_record(shard_record).read_text(encoding="utf-8").strip()
    except (OSError, ValueError):
        theirs = "unknown (no toolchain record)"
    if theirs == toolchain():
        return
    ours = toolchain().split("; ")
    differs = [part for part in theirs.split("; ") if part not in ours] or [theirs]
    print(
        f"note: {output_dir.name}/.cache/{shard_record.name} was built with {'; '.join(differs)}, not this "
        f"machine's {'; '.join(part for part in ours if part not in theirs.split('; '))}: its outputs are made "
        "again here (build every shard with the same versions to share the work)",
        file=sys.stderr,
    )


def file_stamp(path: Path) -> list | None:
    """[size, SHA-256] of a file as it is now (None if it is not a readable file): what a record vouches for.

    Size and modification time would be quicker, but a file zeroed in place
    and its time put back has both; the record of digests (samizdat.digests)
    compares its change time too, which only the kernel sets.
    """
    try:
        with open(path, "rb") as file:
            status = os.fstat(file.fileno())
            known = sha256_of(str(path), status)
            if known is None:
                known = hashlib.file_digest(file, "sha256").digest()
                hashed(str(path), status, known)
            return [status.st_size, known.hex()]
    except OSError:
        return None


# What a job's outputs are made from, and whether they are all made already.

#: Files beside the documents that no document's PDF shows: the documents themselves and local groups' data.
NOT_PICTURES = {".md", ".csv", ".yaml", ".yml"}


def inputs_digest(project: Project, job: Job, layout_folder: str, date: str | None, *more: str) -> str:
    """What a job's outputs are made from: any change here makes them stale.

    The config is not here as a file: each output adds the part of it that
    shapes it (an imposition its options, the posters their settings), so
    adding an imposition does not set the A5 PDF again.
    """
    document = job.document
    pictures = sorted(p for p in document.source.parent.rglob("*") if p.is_file() and p.suffix not in NOT_PICTURES)
    return digest(
        document.digest or document.source, *pictures, *project.layouts.effective("base"),  # samizdat.layers
        *project.layouts.effective(layout_folder), *project.fonts.effective(), project.assets_dir,
        document.date or date or "", repr(job.local), *_body_settings(job, layout_folder), *more,
    )  # fmt: skip


def _body_settings(job: Job, layout_folder: str) -> tuple[str, ...]:
    """Where the notes go and how paper prints addresses (samizdat.yaml may give them): the pamphlet's, not
    the posters'."""
    return (job.document.notes, job.document.links) if layout_folder == "pamphlet" else ()


def pamphlet_key(project: Project, config: Config, job: Job, date: str | None) -> str:
    """What a pamphlet job's outputs are made from (inputs_digest), with what samizdat.yaml adds to its pages:
    the table of contents and the covers. Made once, by the plan (samizdat.plan)."""
    from samizdat.contents import table_of_contents  # here: the quick answer (samizdat.lastbuild) reads no Markdown
    from samizdat.covers import cover_key

    contents, editions = repr(table_of_contents(job.document, config)), job.document.editions
    more = (f"editions={editions!r}",) if editions else ()  # the back cover lists the text's other languages
    more += tuple(f"{name}={published}" for name, published in job.document.links_to)  # where its links lead
    from samizdat.signing import fingerprint_for

    cover = cover_key(job.document, config.cover, config.url, fingerprint_for(project, config))
    return inputs_digest(project, job, "pamphlet", date, contents, cover, *more)


def up_to_date(path: Path, entry: dict) -> TargetResult:
    size, paper = path.stat().st_size, entry.get("paper", "")
    return TargetResult(
        str(path), "up to date", path, entry["purpose"], entry["pages"], size, paper=paper,
        checks=[tuple(check) for check in entry.get("checks", [])], text_pt=entry.get("text_pt"),
    )  # fmt: skip
