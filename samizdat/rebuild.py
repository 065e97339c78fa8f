"""`samizdat verify --rebuild`: make the files again from the published source, in a temporary folder, and compare
their bytes with the files given, so that a mirror can prove a PDF was made from that source.

The build is samizdat's own (this samizdat, `python -m samizdat build`) in a copy of the source's inputs
(content/, layouts/, fonts/, assets/, samizdat.yaml), with the environment's SOURCE_DATE_EPOCH (else the date the
signature's trusted comment gives, the publisher's SOURCE_DATE_EPOCH), and the
publisher's public key in place of a secret one (SAMIZDAT_PUBLIC_KEY): the back covers carry its fingerprint
as the publisher's do, and nothing is signed. Signatures cannot be made again without the secret key: they are
left out of the comparison (`samizdat verify` checks them).
"""

from __future__ import annotations

import datetime
import os
import re
import shutil
import stat
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import samizdat
from samizdat.errors import SamizdatError
from samizdat.paths import is_inside
from samizdat.project import is_project
from samizdat.signing import KEY_ENV, PASSWORD_ENV, PUBLIC_ENV, SUMS, PublicKey
from samizdat.verify import ALTERED, MISSING, UNSIGNED, Finding, files_of

#: What a build reads from a project: all that is copied.
INPUTS = ("content", "layouts", "fonts", "assets", "samizdat.yaml")


@contextmanager
def rebuilt(source: Path, key: PublicKey | None, mirror: Path) -> Iterator[Path]:
    """The output folder of a build of `source` in a temporary folder (removed afterwards), dated as `mirror` was."""
    with tempfile.TemporaryDirectory(prefix="samizdat-rebuild-") as folder:
        yield rebuild(source.resolve(), Path(folder), key, mirror)


def compare(made_dir: Path, root: Path, given: list[Path] | None) -> tuple[list[Finding], int]:
    """Each file given (or every file of `root`) against the one the source makes, in `made_dir`."""
    made = comparable(files_of(made_dir))
    present = files_of(root) if given is None else {path.relative_to(root).as_posix(): path for path in given}
    present = comparable(present)
    findings = []
    for name, path in sorted(present.items()):
        if name not in made:
            findings.append(Finding(UNSIGNED, f"not from the source: {root}/{name}: the source makes no such file"))
        elif (at := first_difference(path, made[name])) is not None:
            findings.append(Finding(ALTERED, f"differs: {root}/{name} is not what the source makes (from byte {at})"))
    if given is None:
        findings += [Finding(MISSING, f"missing: {name}: the source makes it, {root} does not have it")
                     for name in sorted(set(made) - set(present))]  # fmt: skip
    return findings, len(present)


def comparable(files: dict[str, Path]) -> dict[str, Path]:
    """All but the signatures, which only the secret key makes."""
    return {name: path for name, path in files.items() if not name.endswith(".minisig")}


def rebuild(source: Path, folder: Path, key: PublicKey | None, mirror: Path) -> Path:
    """The output folder of a build of a copy of `source`'s inputs, made in `folder`, dated as `mirror` was."""
    if not is_project(source):
        raise SamizdatError(f"{source} is not a samizdat project: give --source a clone of the publisher's source")
    project, output = folder / "project", folder / "output"
    copy_inputs(source, project)
    environment = {name: value for name, value in os.environ.items() if name not in (KEY_ENV, PASSWORD_ENV)}
    environment[PUBLIC_ENV] = key.text if key else "none"  # never the secret key samizdat.yaml may name
    if not environment.get("SOURCE_DATE_EPOCH") and (epoch := signed_date(mirror)):
        environment["SOURCE_DATE_EPOCH"] = epoch  # the date the publisher built with, from the signature
    package = str(Path(samizdat.__file__).resolve().parents[1])  # this samizdat, not another one installed
    environment["PYTHONPATH"] = os.pathsep.join(filter(None, [package, environment.get("PYTHONPATH")]))
    command = [sys.executable, "-m", "samizdat", "build", "--project", str(project), "--output", str(output)]
    done = subprocess.run(command, env=environment, cwd=folder, capture_output=True, text=True, check=False)
    said = "\n".join((done.stderr or done.stdout).strip().splitlines()[-5:])
    if done.returncode == 1 and (output / SUMS).is_file():  # it ran to its end: a file failed (or failed preflight)
        print(f"note: the rebuild of {source} reported problems (exit 1), as the publisher's build did if the files "
              f"are theirs; what it made is compared:\n{said}")  # fmt: skip
    elif done.returncode != 0:
        raise SamizdatError(f"the rebuild of {source} failed (exit {done.returncode}); nothing was compared:\n{said}")
    return output


def signed_date(mirror: Path) -> str | None:
    """SOURCE_DATE_EPOCH as the publisher set it: the date in SHA256SUMS.minisig's trusted comment, if any."""
    try:
        comment = (mirror / f"{SUMS}.minisig").read_text(encoding="utf-8").splitlines()[2]
    except (OSError, UnicodeDecodeError, IndexError):
        return None
    found = re.search(r"\tdate:(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)(\t|$)", comment)
    if found is None:
        return None
    moment = datetime.datetime.strptime(found.group(1), "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=datetime.UTC)
    return str(int(moment.timestamp()))


def copy_inputs(source: Path, project: Path) -> None:
    """Copy what a build reads; a top-level link into the source is copied as its target (a repository's layouts/
    links to samizdat/layouts), links inside stay links (the build refuses those that lead out)."""
    project.mkdir()
    for name in INPUTS:
        path = source / name
        if not path.exists():
            continue
        if path.is_symlink() and not is_inside(path.resolve(), [source]):
            raise SamizdatError(f"{path} is a link out of the source (to {path.resolve()}): copy the files in instead")
        if path.is_dir():
            shutil.copytree(path.resolve(), project / name, symlinks=True)
        else:
            shutil.copy2(path.resolve(), project / name)


def first_difference(one: Path, other: Path) -> int | None:
    """The first byte (counting from 1) at which two files differ, or None when they are the same; a link or a
    pipe among the downloaded files differs from byte 1 (it is never read: a pipe would hang)."""
    try:
        if not stat.S_ISREG(one.lstat().st_mode):
            return 1
        a, b = one.read_bytes(), other.read_bytes()
    except OSError as error:
        raise SamizdatError(f"cannot read {one}: {error.strerror}") from None
    if a == b:
        return None
    return next((index for index, (x, y) in enumerate(zip(a, b, strict=False), 1) if x != y), min(len(a), len(b)) + 1)
