"""What a shard of a split build leaves behind, and how the merge reads it: output/.cache/shard-I-of-N.json.

The stamp names the engine that made the shard's files (samizdat's version and
its own files, which hold its built-in layouts, and samizdat.toolchain), a
digest of each input (so that a difference can be named), the documents asked
for, every job of the whole batch in plan order, and what each of the shard's
own jobs made: enough for samizdat.merge to refuse shards that are not one
build and to write the download page without rendering anything.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from samizdat import __version__
from samizdat.errors import SamizdatError, UsageError
from samizdat.output import write_atomically
from samizdat.project import Project
from samizdat.records import clear_way, is_checks, is_int, is_size, is_str_list, plain
from samizdat.targets import TargetResult
from samizdat.toolchain import toolchain

SCHEMA = "samizdat shard 1"
STAMP = re.compile(r"shard-(\d+)-of-(\d+)\.json")


@dataclass(frozen=True)
class Shard:
    """One shard as its stamp describes it, and the folder its files are in."""

    folder: Path
    index: int
    count: int
    stamp: dict

    def __str__(self) -> str:
        return f"shard {self.index}/{self.count} ({self.folder})"


# What a shard leaves behind.


def stamp_path(output_dir: Path, shard: tuple[int, int]) -> Path:
    return output_dir / ".cache" / f"shard-{shard[0]}-of-{shard[1]}.json"


def record_shard(
    project: Project, shard: tuple[int, int] | None, only: list[str] | None, plan: list[str],
    made: dict[str, list[TargetResult]], failures: list[TargetResult],
) -> None:  # fmt: skip
    """Record what this shard is and made (called where a build ends, with the whole plan's job names); a build
    that is no shard removes the stamps of shards built into its folder before, which no longer say what it holds."""
    if shard is None:
        for old in (project.output_dir / ".cache").glob("shard-*-of-*.json"):
            old.unlink(missing_ok=True)
        return
    stamp = {
        "schema": SCHEMA, "shard": list(shard), "engine": engine(), "inputs": inputs_of(project),
        "documents": sorted(only) if only else "all", "plan": plan,
        "jobs": {name: [_as_record(result, project.output_dir) for result in made[name]] for name in made},
        "failures": [_as_record(result, project.output_dir) for result in failures],
    }  # fmt: skip
    path = clear_way(stamp_path(project.output_dir, shard))
    write_atomically(path, (json.dumps(stamp, indent=1, sort_keys=True, ensure_ascii=False) + "\n").encode())


def engine() -> dict[str, str]:
    """What made the files besides the inputs: samizdat (its version, and its own files, which hold its built-in
    layouts) and the libraries that shape the bytes."""
    return {"samizdat": f"samizdat {__version__} (source {_source_digest()[:16]})", "toolchain": toolchain()}


@lru_cache(maxsize=1)
def _source_digest() -> str:
    return tree_digest(Path(__file__).resolve().parent)


def inputs_of(project: Project) -> dict[str, str]:
    """A digest of each input a shard's files are made from, so that a difference can be named."""
    return {
        "content": tree_digest(project.content_dir), "layouts": tree_digest(project.layouts_dir),
        "fonts": tree_digest(project.fonts_dir), "assets": tree_digest(project.assets_dir),
        "samizdat.yaml": tree_digest(project.root / "samizdat.yaml"),
        "SOURCE_DATE_EPOCH": os.environ.get("SOURCE_DATE_EPOCH", "").strip() or "unset",
    }  # fmt: skip


def tree_digest(path: Path) -> str:
    """SHA-256 of a file, or of a folder's files (names and bytes; a link by where it points); 'absent' if none.

    Not samizdat.cache.digest, which starts with this machine's toolchain: the
    merging machine's may differ from the shards' and the inputs still agree.
    """
    if not path.exists() and not path.is_symlink():
        return "absent"
    hasher = hashlib.sha256()
    for file in sorted(path.rglob("*")) if path.is_dir() and not path.is_symlink() else [path]:
        name = file.relative_to(path).as_posix() if file != path else file.name
        if "__pycache__" in name.split("/"):
            continue
        if file.is_symlink():
            hasher.update(f"{name}\0link\0{os.readlink(file)}\0".encode())
        elif file.is_file():
            with open(file, "rb") as handle:
                hasher.update(f"{name}\0".encode() + hashlib.file_digest(handle, "sha256").digest())
    return hasher.hexdigest()


def _as_record(result: TargetResult, output_dir: Path) -> dict:
    path = result.path
    relative = path.relative_to(output_dir).as_posix() if path and path.is_relative_to(output_dir) else None
    return {
        "name": result.name, "state": result.state, "path": relative, "purpose": result.purpose,
        "pages": result.pages, "size": result.size, "error": result.error, "warnings": list(result.warnings),
        "paper": result.paper, "checks": [list(check) for check in result.checks], "text_pt": result.text_pt,
    }  # fmt: skip


# Reading the stamps.


def read_shards(folders: list[Path]) -> list[Shard]:
    """Every shard stamp in the folders given (a folder may hold several shards), or an error naming the folder."""
    shards = []
    for folder in folders:
        if not folder.is_dir():
            raise UsageError(f"{folder} is not a folder: give the output folders the shards were built into")
        stamps = sorted((folder / ".cache").glob("shard-*-of-*.json"))
        if not stamps:
            raise SamizdatError(
                f"{folder} holds no shard stamp (.cache/shard-I-of-N.json): give the output folder of a build run "
                "with --shard I/N (when uploading it as a CI artifact, include hidden files: .cache/ holds the stamp)"
            )
        shards += [_read_stamp(folder, path) for path in stamps]
    return shards


def _read_stamp(folder: Path, path: Path) -> Shard:
    match, stamp = STAMP.fullmatch(path.name), None
    try:
        stamp = json.loads(path.read_bytes().decode("utf-8"))
        valid = match is not None and _valid_stamp(stamp)
    except (OSError, ValueError, RecursionError, TypeError, KeyError, AttributeError):  # foreign bytes, any shape
        valid = False
    if not valid or stamp["shard"] != [int(match.group(1)), int(match.group(2))]:
        raise SamizdatError("it is not a shard stamp this version of samizdat can read; build that shard again", path)
    return Shard(folder, stamp["shard"][0], stamp["shard"][1], stamp)


def _valid_stamp(data: object) -> bool:
    return (
        isinstance(data, dict) and data["schema"] == SCHEMA and isinstance(data["shard"], list)
        and len(data["shard"]) == 2 and all(is_int(number) for number in data["shard"])
        and _str_dict(data["engine"]) and _str_dict(data["inputs"]) and is_str_list(data["plan"])
        and (data["documents"] == "all" or is_str_list(data["documents"]))
        and isinstance(data["jobs"], dict) and all(isinstance(results, list) and all(map(_valid_result, results))
                                                   for results in data["jobs"].values())
        and isinstance(data["failures"], list) and all(map(_valid_result, data["failures"]))
    )  # fmt: skip


def _str_dict(value: object) -> bool:
    return isinstance(value, dict) and all(isinstance(item, str) for item in value.values())


def _valid_result(result: object) -> bool:
    return (
        isinstance(result, dict) and isinstance(result["name"], str)
        and result["state"] in ("built", "up to date", "failed", "skipped")
        and (result["path"] is None or plain(result["path"])) and isinstance(result["purpose"], str)
        and is_int(result["pages"]) and is_int(result["size"]) and is_str_list(result["warnings"])
        and (result["error"] is None or isinstance(result["error"], str)) and isinstance(result["paper"], str)
        and is_checks(result["checks"]) and is_size(result["text_pt"])
    )  # fmt: skip
