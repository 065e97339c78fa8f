"""The quick answer: a record of the last whole build, so that a build with nothing changed answers at once.

output/.cache/last-build.json holds a stamp of every input (samizdat.cache.digest
of the project's folders, SOURCE_DATE_EPOCH and what the command line asked for)
and the size and SHA-256 of every output and of the download page's files. When
all of them are as recorded, the build prints the last results without loading
the documents, WeasyPrint, pypdf or Jinja2. samizdat.report.build asks here
first and records every build it finishes, for the CLI (serve neither asks nor records).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from samizdat.cache import digest, file_stamp
from samizdat.output import write_atomically
from samizdat.project import Project
from samizdat.records import clear_way, inside, read_record, valid_last_build
from samizdat.signing import SIGNING_FILES, key_stamp
from samizdat.targets import TargetResult


def inputs_stamp(project: Project, selection: str) -> str:
    """One digest of everything any output can be made from, and of what the command line asked for."""
    return digest(
        project.content_dir, *project.layouts.effective(), *project.fonts.effective(), project.assets_dir,  # layers
        project.root / "samizdat.yaml",
        os.environ.get("SOURCE_DATE_EPOCH", ""), selection, key_stamp(project.root),  # the signing key's file
    )  # fmt: skip


def last_build(output_dir: Path, stamp: str) -> list[TargetResult] | None:
    """The results of the last build if it was made from `stamp` and left every output as it wrote it.

    This is what lets a build with nothing changed answer at once, without
    loading the documents or the typesetter.
    """
    record = read_record(output_dir / ".cache" / "last-build.json", output_dir, valid_last_build)
    if record is None or record["stamp"] != stamp:
        return None
    for result in record["results"]:
        if result["file"] is None:
            continue  # skipped (a zine of a long document): nothing to look at
        path = inside(output_dir, result["path"])
        if path is None or file_stamp(path) != result["file"]:
            return None
    if record["beside"] != _stats(output_dir, _beside(output_dir)):
        return None
    return [_recorded(output_dir, entry) for entry in record["results"]]


def _recorded(output_dir: Path, entry: dict) -> TargetResult:
    path = output_dir / entry["path"]
    state, size = ("skipped", 0) if entry["skipped"] else ("up to date", entry["file"][0])
    return TargetResult(
        str(path), state, path, entry["purpose"], entry["pages"], size, 0.0, entry["skipped"], list(entry["warnings"]),
        entry["paper"], [tuple(check) for check in entry["checks"]], entry.get("text_pt"),
    )  # fmt: skip


def record_build(output_dir: Path, stamp: str | None, results: list[TargetResult]) -> None:
    """Remember a build that succeeded everywhere; forget the record after any failure, so it is tried again."""
    path = output_dir / ".cache" / "last-build.json"
    if stamp is None or any(result.state == "failed" or result.path is None for result in results):
        clear_way(path).unlink(missing_ok=True)
        return
    listed = []
    for result in results:
        skipped = result.state == "skipped"
        listed.append({
            "path": result.path.relative_to(output_dir).as_posix(), "purpose": result.purpose,
            "pages": result.pages, "file": None if skipped else file_stamp(result.path),
            "warnings": result.warnings, "skipped": result.error if skipped else None, "paper": result.paper,
            "checks": result.checks, "text_pt": result.text_pt,
        })  # fmt: skip
    record = {"stamp": stamp, "results": listed, "beside": _stats(output_dir, _beside(output_dir))}
    write_atomically(clear_way(path), (json.dumps(record, indent=1) + "\n").encode())


#: The download page's other files: a quick answer also needs them as the last build left them.
BESIDE = ("manifest.json", "SHA256SUMS", *SIGNING_FILES)


def _beside(output_dir: Path) -> tuple[str, ...]:
    """BESIDE and the thumbnails: SHA256SUMS vouches for them too, so a damaged one is made again."""
    thumbnails = sorted(path.relative_to(output_dir).as_posix() for path in output_dir.glob("thumbnails/**/*.png"))
    return (*BESIDE, *thumbnails)


def _stats(output_dir: Path, names: tuple[str, ...]) -> list[list | None]:
    return [file_stamp(output_dir / name) for name in names]
