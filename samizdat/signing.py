"""The publisher's signing key (minisign, Ed25519): `samizdat keygen` makes it, a build finds it and signs
SHA256SUMS and manifest.json with it, so that anyone with Debian's minisign and sha256sum can prove a file genuine.

The secret key is written unencrypted (as `minisign -G -W` does), readable by its owner alone, in a folder outside
the project: builds run unattended (CI, cron, `serve`), where a password would have to sit beside the key anyway.
A key made by `minisign -G` with a password works too, given SAMIZDAT_SIGNING_PASSWORD. The key is used only when
named (samizdat.yaml `signing: {key: PATH}`, or SAMIZDAT_SIGNING_KEY): a build never signs by chance with a key it
happened to find. The fingerprint is the first 16 hex digits of the SHA-256 of the public key's line (not
minisign's key id, which anyone can give a forged key): `tail -n 1 minisign.pub | sha256sum | cut -c 1-16`.
Signatures are Ed25519's, deterministic, and their trusted comment holds no time: the same files, the same bytes.
This module imports no minisign until a key is read: the quick answer stays quick.
"""

from __future__ import annotations

import base64
import hashlib
import os
import stat
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

from samizdat.errors import SamizdatError
from samizdat.paths import is_inside

if TYPE_CHECKING:
    from samizdat.config import Config
    from samizdat.project import Project

KEY_ENV = "SAMIZDAT_SIGNING_KEY"  # the secret key's path, before samizdat.yaml's
PASSWORD_ENV = "SAMIZDAT_SIGNING_PASSWORD"  # only for a key made by `minisign -G` with a password
PUBLIC_ENV = "SAMIZDAT_PUBLIC_KEY"  # a public key alone (or none): a signed build's covers and page, nothing signed
PUBLIC_FILE = "minisign.pub"  # published in output/, beside the files it vouches for
SUMS, MANIFEST = "SHA256SUMS", "manifest.json"
#: The files a signed build adds to output/: SHA256SUMS lists the first two; it cannot list its own signature.
SIGNING_FILES = (PUBLIC_FILE, f"{MANIFEST}.minisig", f"{SUMS}.minisig")
UNSIGNED = "nothing was signed: no signing key (make one with `samizdat keygen`, then name it in samizdat.yaml)"
MAX_KEY_BYTES = 4096  # a minisign key file is about 220 bytes


def default_key_path() -> Path:
    """Where `samizdat keygen` puts the key when told nowhere: the user's config folder, never a project."""
    config = os.environ.get("XDG_CONFIG_HOME") or str(Path("~/.config").expanduser())
    return Path(config) / "samizdat" / "minisign.key"


def public_path(secret: Path) -> Path:
    """The public key beside a secret one, as minisign names them: minisign.key → minisign.pub."""
    return secret.with_suffix(".pub") if secret.suffix == ".key" else secret.with_name(secret.name + ".pub")


@dataclass(frozen=True)
class PublicKey:
    """A minisign public key: its line (what `minisign -P` takes) and its key id."""

    text: str  # base64, e.g. RWRJEeiLd4s88CO11fBV+COXceoHX+oifNYpnBXaNUxc1fp5U2g8ZbCa
    key_id: str  # minisign's, in hex as its .pub file's comment gives it

    @property
    def fingerprint(self) -> str:
        """The first 16 hex digits of the SHA-256 of the key's line: `echo KEY | sha256sum | cut -c 1-16`."""
        return hashlib.sha256(f"{self.text}\n".encode()).hexdigest()[:16]

    def file_bytes(self) -> bytes:
        """minisign.pub, as `minisign -G` writes it."""
        return f"untrusted comment: minisign public key {self.key_id}\n{self.text}\n".encode()


def parse_public(text: str, where: str) -> PublicKey:
    """A public key from its line or its .pub file's text; `where` names it in the error."""
    import minisign

    line = text.strip().splitlines()[-1].strip() if text.strip() else ""
    try:
        key = minisign.PublicKey.from_base64(line)
    except minisign.Error as error:
        raise SamizdatError(f"{where} is not a minisign public key ({error}): give the line that starts with RW, "
                            f"or the {PUBLIC_FILE} file") from None  # fmt: skip
    return public_key(key.to_base64().decode())


def public_key(text: str) -> PublicKey:
    """A checked key line: its key id is its bytes 2 to 10, a little-endian number, as minisign shows it."""
    return PublicKey(text, base64.b64decode(text)[2:10][::-1].hex().upper())


@dataclass(frozen=True)
class SigningKey:
    """The key a build uses: its public half, and where its secret half is (None: a public key alone)."""

    public: PublicKey
    secret: Path | None

    def sign(self, name: str, data: bytes, about: str) -> bytes:
        """NAME.minisig for `data`; its trusted comment names the file and what `about` says (no time)."""
        comment = "\t".join(part for part in (f"file:{name}", about, "signed by samizdat") if part)
        secret = read_secret(self.secret)
        try:
            return bytes(secret.sign(data, prehash=True, trusted_comment=comment)) + b"\n"
        finally:
            secret.wipe()


def about_of(url: str | None, date: str | None) -> str:
    """The trusted comment's project and date: the project's url (ASCII, as minisign wants) and SOURCE_DATE_EPOCH's."""
    parts = [f"project:{quote(url, safe=':/?#[]@!$&()*+,;=%~-._')}" if url else "", f"date:{date}" if date else ""]
    return "\t".join(part for part in parts if part)


def key_of(project: Project, config: Config) -> SigningKey | None:
    """The key this build signs with (SAMIZDAT_SIGNING_KEY, else samizdat.yaml's `signing: key:`), or a public key
    alone (SAMIZDAT_PUBLIC_KEY), or None: nothing is signed."""
    if public := os.environ.get(PUBLIC_ENV, "").strip():  # "none": no key at all, whatever samizdat.yaml says
        return SigningKey(parse_public(public, PUBLIC_ENV), None) if public != "none" else None
    named = os.environ.get(KEY_ENV, "").strip()
    path = Path(named).expanduser().absolute() if named else config.signing_key
    if path is None:
        return None
    refuse_inside(path, project, f"the signing key ({KEY_ENV})" if named else "the signing key (samizdat.yaml)")
    return SigningKey(public_of(path, *_stat(path)), path)


def fingerprint_for(project: Project, config: Config | None = None) -> str | None:
    """The key's fingerprint, printed on every back cover (and so part of the pamphlet's key), or None.

    Without `config` (a layout asks), samizdat.yaml is read once per version of the key's settings and file.
    """
    if config is None:
        return _fingerprint(project, key_stamp(project.root))
    key = key_of(project, config)
    return key.public.fingerprint if key else None


@lru_cache(maxsize=8)
def _fingerprint(project: Project, stamp: str) -> str | None:
    from samizdat.config import load_config

    return fingerprint_for(project, load_config(project.root))


def refuse_inside(path: Path, project: Project, what: str, error: type[SamizdatError] = SamizdatError) -> None:
    """A secret key inside the project would be committed, inside output/ published: refuse either."""
    for folder, why in ((project.output_dir, "it would be published with the files"),
                        (project.root, "it would be committed with the project")):  # fmt: skip
        if is_inside(path.absolute(), [folder.absolute()]) or is_inside(path.resolve(), [folder.resolve()]):
            raise error(f"{what} {path} lies inside {folder}: {why}; keep it outside, e.g. {default_key_path()}")


def _stat(path: Path) -> tuple[int, int]:
    try:
        info = path.stat()
    except OSError as error:
        raise SamizdatError(f"cannot read the signing key {path}: {error.strerror}; make one with "
                            f"`samizdat keygen --key {path}`, or name another") from None  # fmt: skip
    return info.st_size, info.st_mtime_ns


@lru_cache(maxsize=8)
def public_of(path: Path, size: int, mtime: int) -> PublicKey:
    """The public half of the secret key at `path` (read once per version of the file: every job asks)."""
    secret = read_secret(path)
    try:
        return public_key(secret.get_public_key().to_base64().decode())
    finally:
        secret.wipe()


def read_secret(path: Path | None):  # noqa: ANN201 - a minisign.SecretKey, imported only here
    """The secret key at `path`, decrypted when it has a password; a clear error when it cannot be used."""
    import minisign

    if path is None:
        raise SamizdatError(f"only a public key was given ({PUBLIC_ENV}): nothing can be signed with it")
    try:
        if not stat.S_ISREG(path.stat().st_mode) or path.stat().st_size > MAX_KEY_BYTES:
            raise SamizdatError(f"the signing key {path} is not a minisign key file (make one with samizdat keygen)")
        secret = minisign.SecretKey.from_bytes(path.read_bytes())
    except OSError as error:
        raise SamizdatError(f"cannot read the signing key {path}: {error.strerror}") from None
    except minisign.Error as error:
        raise SamizdatError(f"the signing key {path} is not a minisign secret key ({error})") from None
    if secret.is_encrypted():
        if not os.environ.get(PASSWORD_ENV):
            raise SamizdatError(f"the signing key {path} has a password: set {PASSWORD_ENV}, or make a key for "
                                "unattended builds with `samizdat keygen`")  # fmt: skip
        try:
            secret.decrypt(os.environ[PASSWORD_ENV])
        except minisign.Error as error:
            raise SamizdatError(f"the signing key {path} cannot be opened with {PASSWORD_ENV}: {error}") from None
    _check_halves(secret, path)
    return secret


def _check_halves(secret, path: Path) -> None:  # noqa: ANN001 - a minisign.SecretKey, imported only in read_secret
    """A damaged unencrypted key reads without a word (minisign's checksum is only read when it has a password)
    and would sign every build with signatures its own public key refuses: sign and verify once first."""
    import minisign

    try:
        secret.get_public_key().verify(b"samizdat", secret.sign(b"samizdat", prehash=True))
    except minisign.Error:
        secret.wipe()
        raise SamizdatError(f"the signing key {path} is damaged: what it signs does not verify with its own public "
                            "key; restore it from its backup, or make a new one (samizdat keygen --force)") from None


def key_stamp(root: Path) -> str:
    """What the quick answer must know of the key: the variables and the key file's size and time (never its bytes)."""
    named = os.environ.get(KEY_ENV, "").strip() or _named_in_config(root)
    try:
        info = Path(named).expanduser().stat() if named else None
    except OSError:
        info = None
    seen = (info.st_size, info.st_mtime_ns, info.st_ino) if info else None
    return repr((os.environ.get(PUBLIC_ENV, ""), named, seen, bool(os.environ.get(PASSWORD_ENV))))


def _named_in_config(root: Path) -> str:
    """samizdat.yaml's `signing: key:`, read quickly (the build checks the file properly); '' when none."""
    from samizdat.limits import MAX_CONFIG_BYTES  # here: the quick answer imports this module, and limits is heavy

    path = root / "samizdat.yaml"
    try:  # only a plain file of a config's size: a pipe or /dev/zero is refused by the build, never read here
        if not path.is_file() or path.stat().st_size > MAX_CONFIG_BYTES:
            return ""
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return ""
    if "signing" not in text:
        return ""
    import yaml

    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError:
        return ""
    signing = data.get("signing") if isinstance(data, dict) else None
    key = signing.get("key") if isinstance(signing, dict) else None
    return str(root / Path(key).expanduser()) if isinstance(key, str) else ""


def signing_note(output_dir: Path, signed: bool) -> str:
    """The summary's one line on signing: which key signed, or that nothing was."""
    if not signed:
        return UNSIGNED
    try:
        public = parse_public((output_dir / PUBLIC_FILE).read_text(encoding="ascii"), PUBLIC_FILE)
    except (OSError, UnicodeDecodeError, SamizdatError):
        return UNSIGNED
    return f"signed {SUMS} and {MANIFEST} with the key {public.fingerprint} ({PUBLIC_FILE})"


@dataclass(frozen=True)
class Publishing:
    """What the download page's files get from the key: minisign.pub, and the signatures when it is a secret key."""

    key: SigningKey | None
    about: str  # the trusted comment's project and date

    @property
    def names(self) -> list[str]:
        """The files of SIGNING_FILES this build writes; the others are removed (a key taken away signs nothing)."""
        if self.key is None:
            return []
        return list(SIGNING_FILES) if self.key.secret else [PUBLIC_FILE]

    @property
    def stamp(self) -> str:
        """What of the key the page is made from: the public key, whether it signs, the trusted comment."""
        return repr((self.key.public.text, self.key.secret is not None, self.about) if self.key else None)

    def signatures(self, files: dict[str, bytes], name: str) -> dict[str, bytes]:
        """NAME.minisig of files[NAME] (and minisign.pub with manifest.json's), or nothing without a secret key."""
        if self.key is None:
            return {}
        signed = {PUBLIC_FILE: self.key.public.file_bytes()} if name == MANIFEST else {}
        if self.key.secret is not None:
            signed[f"{name}.minisig"] = self.key.sign(name, files[name], self.about)
        return signed


def publishing(project: Project) -> Publishing:
    """The key (if any) that signs this build's checksums, and what its signatures' trusted comment says."""
    from samizdat.config import load_config
    from samizdat.output import source_date

    config = load_config(project.root)
    return Publishing(key_of(project, config), about_of(config.url, source_date()))
