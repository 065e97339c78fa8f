"""`samizdat verify PATH…`: are these the publisher's files? The signature of SHA256SUMS first, then each checksum.

For distributors and readers, with what they downloaded: a folder (a mirror of
output/) or some of its files. SHA256SUMS is found in the folder, or in the
nearest folder above a file that holds one. Every file is named that is
unsigned (in no SHA256SUMS), altered (its checksum differs) or missing (listed,
not there), each with its own exit status. `--rebuild` (samizdat.rebuild) makes
the files again from the source and compares their bytes.
"""

from __future__ import annotations

import argparse
import hashlib
import stat
from dataclasses import dataclass
from pathlib import Path

from samizdat.errors import SamizdatError, UsageError
from samizdat.messages import clean, plural
from samizdat.signing import MANIFEST, PUBLIC_FILE, SUMS, PublicKey, parse_public

#: Exit statuses, the gravest first: a bad signature makes every checksum worthless.
GOOD, CANNOT, SIGNATURE, ALTERED, MISSING, UNSIGNED = 0, 1, 3, 4, 5, 6
GRAVITY = (SIGNATURE, ALTERED, MISSING, UNSIGNED)
MAX_SUMS_BYTES = 20_000_000  # SHA256SUMS of 100,000 files is 10 MB

VERIFY_EPILOG = f"""\
Each PATH is a folder (a mirror of output/, or a download) or a file in one;
SHA256SUMS is looked for in the folder, or in the nearest folder above a file.
First the signature of SHA256SUMS (SHA256SUMS.minisig) is checked with the
publisher's key: --key, else the {PUBLIC_FILE} beside the files (then compare
its fingerprint with the one on the back cover or the publisher's page: a
forger who replaced the files could replace that key too). Then each file's
SHA-256 against SHA256SUMS; every file is named that is altered, missing or
unsigned (listed in no SHA256SUMS).

--rebuild builds the source (--source, default the current folder: a clone of
the publisher's repository) in a temporary folder and compares every file's
bytes with the files given, dated as the publisher's build was (SOURCE_DATE_EPOCH,
else the date in the signature's trusted comment).

Exit status (the gravest problem found):
  {GOOD}  every file is genuine (or, with --rebuild, the same bytes as the source makes)
  {CANNOT}  nothing could be checked (no SHA256SUMS, an unreadable key, a failed rebuild)
  2  a wrong command line
  {SIGNATURE}  the signature is bad or missing: trust none of the files
  {ALTERED}  a file was altered (its checksum differs, or --rebuild makes other bytes)
  {MISSING}  a file SHA256SUMS lists is missing (--rebuild: one the source makes)
  {UNSIGNED}  a file is in no SHA256SUMS (--rebuild: the source does not make it)"""


@dataclass(frozen=True)
class Finding:
    """One problem: its exit status and the sentence that names the file."""

    status: int
    text: str


def add_verify_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="a folder of downloaded files, or files")
    parser.add_argument("--key", metavar="PUB",
                        help=f"the publisher's public key: its {PUBLIC_FILE} file, or its line (RW…)")  # fmt: skip
    parser.add_argument("--rebuild", action="store_true",
                        help="rebuild from the source in a temporary folder and compare the bytes")  # fmt: skip
    parser.add_argument("--source", type=Path, default=Path("."), metavar="DIR",
                        help="the source to rebuild (a clone of the project; default: the current folder)")  # fmt: skip


VERIFY_COMMAND = (
    "verify", "check downloaded files against the publisher's signed SHA256SUMS (or rebuild them from the source)",
    "Check that files are the publisher's: the signature of SHA256SUMS, then every file's checksum.",
    VERIFY_EPILOG, add_verify_arguments,
)


def run_verify(arguments: argparse.Namespace) -> int:
    """`samizdat verify PATH… [--key PUB] [--rebuild [--source DIR]]`: print what was found, return its status."""
    groups = mirrors_of(arguments.paths)
    if arguments.rebuild:
        return rebuild_and_compare(arguments, groups)
    findings, checked = [], 0
    for root, given in groups.items():
        key, note = key_for(root, arguments.key)
        if key is not None and note:
            print(clean(note))
        found, count = check_mirror(root, given, key)
        findings, checked = findings + found, checked + count
    return verdict(findings, checked, "genuine")


def rebuild_and_compare(arguments: argparse.Namespace, groups: dict[Path, list[Path] | None]) -> int:
    """`--rebuild`: one build of the source (with the key of the first folder, or --key), compared with each."""
    from samizdat.rebuild import compare, rebuilt

    first = next(iter(groups))
    key = key_for(first, arguments.key)[0]
    findings, checked = [], 0
    with rebuilt(arguments.source, key, first) as made:
        for root, given in groups.items():
            found, count = compare(made, root, given)
            print(clean(f"{root}: {plural(count, 'file')} compared, " +
                        (f"{plural(len(found), 'difference')}" if found else "all the same bytes")))  # fmt: skip
            findings, checked = findings + found, checked + count
    return verdict(findings, checked, "the same bytes as the source makes")


def verdict(findings: list[Finding], checked: int, good: str) -> int:
    """Print the findings and the last line; the gravest finding's exit status."""
    for finding in findings:
        print(clean(finding.text))
    status = min((finding.status for finding in findings), key=GRAVITY.index, default=GOOD)
    print(f"{plural(checked, 'file')} checked: " + (f"all {good}" if status == GOOD else
                                                    f"{plural(len(findings), 'problem')} (exit {status})"))  # fmt: skip
    return status


def mirrors_of(paths: list[Path]) -> dict[Path, list[Path] | None]:
    """Each folder holding a SHA256SUMS, with the files given in it (None: the whole folder)."""
    groups: dict[Path, list[Path] | None] = {}
    for path in paths:
        if path.is_dir():
            if not (path / SUMS).is_file():
                raise SamizdatError(f"{path} has no {SUMS}: give the folder the files were published in")
            groups[path.resolve()] = None
            continue
        if not path.exists():
            raise UsageError(f"{path} does not exist: give a downloaded file or its folder")
        root = next((folder for folder in path.resolve().parents if (folder / SUMS).is_file()), None)
        if root is None:
            raise SamizdatError(f"no {SUMS} in the folder of {path} or above it: download it with the files")
        if groups.get(root, []) is not None:
            groups[root] = [*(groups.get(root) or []), path.resolve()]
    return groups


def key_for(root: Path, given: str | None) -> tuple[PublicKey | None, str]:
    """The key to check with, and a note when it is the one published beside the files (None: there is none)."""
    if given is not None:
        path = Path(given)
        text = read_small(path) if path.is_file() else given
        return parse_public(text, str(given)), ""
    beside = root / PUBLIC_FILE
    if not beside.is_file():
        return None, ""
    key = parse_public(read_small(beside), str(beside))
    return key, (f"note: checked with the key published beside the files ({beside}), fingerprint "
                 f"{key.fingerprint}: compare it with the back cover's or the publisher's, or give --key")  # fmt: skip


def check_mirror(root: Path, given: list[Path] | None, key: PublicKey | None) -> tuple[list[Finding], int]:
    """The signature, then every file given (or every file of the folder) against SHA256SUMS."""
    data = read_small(root / SUMS, MAX_SUMS_BYTES).encode("utf-8")
    findings = signature_findings(root, data, key)
    listed, bad_lines = parse_sums(data.decode("utf-8"), root)
    findings += bad_lines
    present = files_of(root) if given is None else {p.relative_to(root).as_posix(): p for p in given}
    for name in sorted(present):
        if name not in listed and name != SUMS and not name.endswith(".minisig"):  # signatures: checked above
            findings.append(Finding(UNSIGNED, f"unsigned: {name} is not in {SUMS}: no one vouches for it"))
    for name, checksum in sorted(listed.items()):
        if given is not None and name not in present:
            continue
        actual = sha256_of(root / name)
        if actual is None:
            findings.append(Finding(MISSING, f"missing: {name} is listed in {SUMS} but is not in {root}"))
        elif actual != checksum:
            findings.append(Finding(ALTERED, f"altered: {name} is not the file {SUMS} lists (its SHA-256 differs)"))
    return findings, len(present)


def signature_findings(root: Path, sums: bytes, key: PublicKey | None) -> list[Finding]:
    """SHA256SUMS.minisig (and manifest.json.minisig, when there) checked with `key`."""
    if key is None:
        return [Finding(SIGNATURE, f"no key: {root} has no {PUBLIC_FILE}; give the publisher's key with --key")]
    found = []
    for name, required in ((SUMS, True), (MANIFEST, False)):
        signature = root / f"{name}.minisig"
        if not signature.is_file():
            if required:
                found.append(Finding(SIGNATURE, f"unsigned: {root} has no {signature.name}: {SUMS} is not signed"))
            continue
        path = root / name  # a regular file only: a pipe would hang the read
        data = sums if name == SUMS else path.read_bytes() if path.is_file() and not path.is_symlink() else b""
        problem = bad_signature(data, read_small(signature), key)
        if problem:
            found.append(Finding(SIGNATURE, f"bad signature: {signature.name} does not verify with the key "
                                            f"{key.fingerprint} ({problem}): trust none of these files"))  # fmt: skip
    return found


def bad_signature(data: bytes, signature: str, key: PublicKey) -> str | None:
    """Why `signature` is not `key`'s signature of `data`, or None when it is."""
    import minisign

    try:
        minisign.PublicKey.from_base64(key.text).verify(data, minisign.Signature.from_bytes(signature.encode()))
    except (minisign.Error, ValueError) as error:  # ValueError: a malformed key or signature, from cryptography
        return "made by another key" if "identifiers" in str(error) else str(error)
    return None


def parse_sums(text: str, root: Path) -> tuple[dict[str, str], list[Finding]]:
    """SHA256SUMS's lines as path → checksum; a line that names a path outside the folder is a finding."""
    listed, findings = {}, []
    for number, line in enumerate(text.splitlines(), 1):
        checksum, _, name = line.partition(" ")
        name = name.removeprefix(" ").removeprefix("*")
        parts = Path(name).parts
        if len(checksum) != 64 or not name or Path(name).is_absolute() or ".." in parts:
            findings.append(Finding(ALTERED, f"altered: {SUMS} line {number} is not a checksum of a file here"))
            continue
        listed[name] = checksum.lower()
    return listed, findings


def files_of(root: Path) -> dict[str, Path]:
    """Every file of a mirror but samizdat's own records (.cache/), by its path under the folder; no link followed."""
    found = {}
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root)
        if ".cache" in relative.parts or path.is_dir() and not path.is_symlink():
            continue
        found[relative.as_posix()] = path
    return found


def sha256_of(path: Path) -> str | None:
    """The SHA-256 of a regular file (never through a link, nor a pipe that would hang), or None when absent."""
    try:
        if not stat.S_ISREG(path.lstat().st_mode):
            return "not a regular file"
        hasher = hashlib.sha256()
        with path.open("rb") as file:
            while chunk := file.read(1 << 20):
                hasher.update(chunk)
    except OSError:
        return None
    return hasher.hexdigest()


def read_small(path: Path, limit: int = 65536) -> str:
    """A key, a signature or SHA256SUMS as text: a regular file, not too large, UTF-8."""
    try:
        if not stat.S_ISREG(path.stat().st_mode) or path.stat().st_size > limit:
            raise SamizdatError(f"cannot read {path}: it is not a file of at most {limit:,} bytes")
        return path.read_bytes().decode("utf-8")
    except OSError as error:
        raise SamizdatError(f"cannot read {path}: {error.strerror}") from None
    except UnicodeDecodeError:
        raise SamizdatError(f"cannot read {path}: it is not text") from None

