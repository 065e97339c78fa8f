"""Writing outputs: atomically (a temporary file, then a rename), and dated reproducibly."""

from __future__ import annotations

import datetime
import os
import re
import tempfile
from pathlib import Path

from samizdat.errors import SamizdatError
from samizdat.records import inside

#: The temporary files write_atomically makes: '.NAME.' + mkstemp's 8 characters + '.part'.
PART_FILE = re.compile(r"\..+\.[a-z0-9_]{8}\.part")


def write_atomically(path: Path, data: bytes) -> None:
    """Write to a temporary file beside `path`, then rename: readers see the old file or the new, never half."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    except OSError as error:
        raise SamizdatError(
            f"cannot write into {path.parent}: {error.strerror}; check the folder and its permissions"
        ) from None
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except OSError as error:
        raise SamizdatError(f"cannot write {path}: {error.strerror}; check free space and permissions") from None
    finally:
        Path(temporary).unlink(missing_ok=True)  # gone already when the rename happened


def remove_part_files(output_dir: Path) -> None:
    """Remove the temporary files a killed build left in output/ (only write_atomically's; symlinks not followed)."""
    for folder, _, names in os.walk(output_dir):
        for name in names:
            path = Path(folder) / name
            if PART_FILE.fullmatch(name) and not path.is_symlink():
                path.unlink(missing_ok=True)


def remove_files(output_dir: Path, relatives: list[str]) -> list[str]:
    """Remove these files (paths under output/, never outside it) and the folders they leave empty; say which went."""
    removed = []
    for relative in relatives:
        path = inside(output_dir, relative)
        if path is None or not path.is_file():
            continue
        path.unlink()
        removed.append(relative)
        folder = path.parent
        while folder != output_dir and folder.is_relative_to(output_dir) and not any(folder.iterdir()):
            folder.rmdir()
            folder = folder.parent
    return removed


def source_date() -> str | None:
    """The date for PDF metadata from SOURCE_DATE_EPOCH (reproducible builds), or None for no date."""
    value = os.environ.get("SOURCE_DATE_EPOCH")
    if value is None or not value.strip():  # set to nothing (`SOURCE_DATE_EPOCH= make`): as if unset
        return None
    try:
        moment = datetime.datetime.fromtimestamp(int(value), tz=datetime.UTC)
    except (ValueError, OverflowError, OSError):
        raise SamizdatError(
            f"SOURCE_DATE_EPOCH is '{value}'; it must be a whole number of seconds since 1970"
        ) from None
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")
