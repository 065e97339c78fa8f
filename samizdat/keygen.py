"""`samizdat keygen`: the publisher's signing key pair, the secret key outside the project and its owner's alone.

Unencrypted, as `minisign -G -W` writes it: builds sign unattended (samizdat.signing says why).
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import TYPE_CHECKING

from samizdat.errors import SamizdatError, UsageError
from samizdat.signing import KEY_ENV, PUBLIC_FILE, PublicKey, default_key_path, public_key, public_path, refuse_inside

if TYPE_CHECKING:
    from samizdat.project import Project


def keygen(secret: Path, force: bool, project: Project | None) -> PublicKey:
    """Make a key pair: the secret key at `secret` (its owner's alone), the public one beside it."""
    import minisign

    if project is not None:
        refuse_inside(secret, project, "the key", UsageError)
    if (secret.exists() or secret.is_symlink()) and not force:
        raise SamizdatError(f"{secret} exists: it is a signing key, and files signed with it verify only with it; "
                            "give --force to replace it, or --key another path")  # fmt: skip
    pair = minisign.KeyPair.generate()
    try:
        secret.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        _write_private(secret, bytes(pair.secret_key) + b"\n")
        public = public_key(pair.public_key.to_base64().decode())
        public_path(secret).write_bytes(public.file_bytes())
    except OSError as error:
        raise SamizdatError(f"cannot write the key {secret}: {error.strerror}") from None
    finally:
        pair.secret_key.wipe()
    return public


def _write_private(path: Path, data: bytes) -> None:
    """Write a file only its owner can read, from the first byte (never readable by others, even for a moment)."""
    path.unlink(missing_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
    with os.fdopen(descriptor, "wb") as file:
        file.write(data)


KEYGEN_EPILOG = f"""\
The secret key is written unencrypted, readable by you alone (mode 600), so
that builds can sign unattended; keep it outside the project (a key inside it
is refused) and back it up. The public key goes beside it (KEY.pub).

Then name it for every build, in samizdat.yaml:
  signing:
    key: ~/.config/samizdat/minisign.key
or in the environment: export {KEY_ENV}=PATH. Each build then signs
SHA256SUMS and manifest.json (SHA256SUMS.minisig, manifest.json.minisig) and
publishes {PUBLIC_FILE}; the key's fingerprint is on the download page and on
every back cover.

Exit status: 0 when the key was written, 1 when a key is there already (give
--force), 2 for a wrong command line (a key inside the project)."""


def add_keygen_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--key", type=Path, metavar="PATH",
                        help=f"where to write the secret key (default: ${KEY_ENV}, else {default_key_path()})")
    parser.add_argument("--force", action="store_true", help="replace a key that is there already")
    parser.add_argument("--project", type=Path, default=Path("."), help="the project the key must stay out of")


KEYGEN_COMMAND = (
    "keygen", "make the publisher's signing key (minisign): every build then signs its checksums",
    "Make a minisign key pair to sign the files every build publishes (SHA256SUMS, manifest.json).",
    KEYGEN_EPILOG, add_keygen_arguments,
)


def run_keygen(arguments: argparse.Namespace) -> int:
    """`samizdat keygen [--key PATH] [--force]`."""
    from samizdat.messages import clean
    from samizdat.project import Project, is_project

    named = arguments.key or (Path(os.environ[KEY_ENV]) if os.environ.get(KEY_ENV, "").strip() else None)
    secret = (named or default_key_path()).expanduser().absolute()
    root = arguments.project.resolve()
    public = keygen(secret, arguments.force, Project.at(root) if is_project(root) else None)
    print(clean(f"  wrote   {secret}  (the secret key: yours alone; back it up, never publish or commit it)"))
    print(clean(f"  wrote   {public_path(secret)}  (the public key: {public.text})"))
    print(f"  fingerprint {public.fingerprint}")
    print(clean(f"To sign every build, add to samizdat.yaml:\n  signing:\n    key: {secret}\n"
                f"or set {KEY_ENV}={secret}"))  # fmt: skip
    return 0
