"""Writing outputs: atomically (a temporary file, then a rename), and dated reproducibly."""

from __future__ import annotations

import datetime
import os
import re
import tempfile
from pathlib import Path

from samizdat.errors import SamizdatError, UsageError
from samizdat.records import inside

#: The temporary files write_atomically makes: '.NAME.' + the writer's process id + '.' + mkstemp's 8 characters
#: + '.part'; the id says whether its writer (a build, a worker, serve) is still at work on it.
PART_FILE = re.compile(r"\..+\.(\d+)\.[a-z0-9_]{8}\.part")


def write_atomically(path: Path, data: bytes) -> None:
    """Write to a temporary file beside `path`, then rename: readers see the old file or the new, never half."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.{os.getpid()}.", suffix=".part")
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


#: What tells an output folder samizdat made (its records, or its download page's manifest if .cache/ was removed).
MADE_BY_SAMIZDAT = (".cache", "manifest.json")


def check_output_folder(output_dir: Path, root: Path, inputs: list[Path]) -> None:
    """Refuse an output folder samizdat must not write into, before it writes or removes anything there.

    The build writes, and removes what it no longer makes, under the output
    folder: so it must not be (or hold) the project or an input folder, nor a
    full folder samizdat did not make (`--output ~`), and no link inside it may
    lead elsewhere (`output/leaf/posters -> ~/Documents` would be written into
    and cleaned). A wrong folder is a wrong command line (exit 2); a link is
    refused with its name (exit 1).
    """
    real, project = output_dir.resolve(), root.resolve()
    if output_dir.exists() and not output_dir.is_dir():
        raise UsageError(f"--output {output_dir} is a file, not a folder: choose a folder for the outputs")
    for folder in [project, *(path.resolve() for path in inputs)]:
        if folder.is_relative_to(real) or (folder != project and real.is_relative_to(folder)):
            raise UsageError(
                f"the output folder {output_dir} would hold, or lie inside, {folder}, which samizdat reads: "
                "builds would write over their own inputs; choose a folder of its own (the default is output/)"
            )
    if real.is_dir() and any(real.iterdir()) and not any((real / name).exists() for name in MADE_BY_SAMIZDAT):
        raise UsageError(
            f"the output folder {output_dir} is not empty and samizdat did not make it (it has no .cache/ "
            "nor manifest.json); "
            "samizdat removes the files it no longer makes there, so choose a new or empty folder"
        )
    for folder, names, files in os.walk(real):
        for name in [*names, *files]:
            if (Path(folder) / name).is_symlink():
                link = Path(folder) / name
                raise SamizdatError(
                    f"{link} is a link to {os.readlink(link)}: samizdat writes only into the output folder itself "
                    "(and removes stale files there); remove the link"
                )


def remove_part_files(output_dir: Path) -> None:
    """Remove the temporary files a killed build left in output/: only write_atomically's, only those whose writer
    is gone (a second build or `serve` at work in the same folder keeps its own); symlinks not followed."""
    for folder, _, names in os.walk(output_dir):
        for name in names:
            path = Path(folder) / name
            match = PART_FILE.fullmatch(name)
            if match and not path.is_symlink() and not _alive(int(match.group(1))):
                path.unlink(missing_ok=True)


def _alive(pid: int) -> bool:
    """Whether a process is running: another build or `serve` may be writing into the same folder right now."""
    if pid <= 1 or pid >= 2**22 or pid == os.getpid():  # no process's id; or this one, which writes nothing now
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # another user's process
    try:  # a killed process no one has waited for yet (a zombie) answers os.kill, but writes nothing any more
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return True


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
