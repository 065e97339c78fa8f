"""What was built from what: a record of each output's input digest, so unchanged outputs are not made again.

The record lives in output/.cache/targets.json. An output is up to date when
its file is there and the digest of everything it was made from (the content
file, the layout folders it uses, the fonts, the config, samizdat's version,
SOURCE_DATE_EPOCH) is the one recorded when it was written.
"""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from samizdat import __version__
from samizdat.output import write_atomically

if TYPE_CHECKING:
    from samizdat.build import TargetResult


def digest(*parts: str | bytes | Path) -> str:
    """SHA-256 over strings, bytes, files and whole folders (their file names and bytes, sorted)."""
    hasher = hashlib.sha256(__version__.encode())
    for part in parts:
        if isinstance(part, Path):
            files = sorted(p for p in part.rglob("*") if p.is_file()) if part.is_dir() else [part]
            for file in files:
                if file.exists():
                    stat = file.stat()
                    hasher.update(file.name.encode() + b"\0" + _file_digest(str(file), stat.st_mtime_ns, stat.st_size))
        else:
            hasher.update(part if isinstance(part, bytes) else part.encode())
        hasher.update(b"\0\0")
    return hasher.hexdigest()


@lru_cache(maxsize=4096)
def _file_digest(path: str, modified: int, size: int) -> bytes:
    """A file's SHA-256, read once per version of the file (the fonts are hashed for every document)."""
    return hashlib.sha256(Path(path).read_bytes()).digest()


class Cache:
    """The record of output/: output path → the digest it was made from and its page count."""

    def __init__(self, output_dir: Path, entries: dict[str, dict] | None = None) -> None:
        self.output_dir = output_dir
        self.path = output_dir / ".cache" / "targets.json"
        if entries is not None:
            self.entries = dict(entries)
            return
        try:
            self.entries: dict[str, dict] = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            self.entries = {}

    def fresh(self, path: Path, key: str) -> dict | None:
        """The record of `path` if it is there and was made from `key`; None when it must be made.

        A folder (the posters) is fresh when every file recorded in it is.
        """
        entry = self.entries.get(path.relative_to(self.output_dir).as_posix())
        if not entry or entry["digest"] != key or not path.exists():
            return None
        if "files" in entry and not all(self.fresh(path / name, key) for name in entry["files"]):
            return None
        return entry

    def keep(self, result: TargetResult, key: str) -> TargetResult:
        """Record a built output (a failed one is forgotten, so that it is tried again); return it as it is."""
        if result.path is not None and result.path.is_relative_to(self.output_dir):
            name = result.path.relative_to(self.output_dir).as_posix()
            if result.state == "built":
                self.entries[name] = {"digest": key, "pages": result.pages, "purpose": result.purpose}
            else:
                self.entries.pop(name, None)
        return result

    def record_folder(self, folder: Path, key: str, names: list[str]) -> None:
        self.entries[folder.relative_to(self.output_dir).as_posix()] = {"digest": key, "files": names}

    def save(self) -> None:
        write_atomically(self.path, (json.dumps(self.entries, indent=1, sort_keys=True) + "\n").encode())
