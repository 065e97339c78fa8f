"""Signed files: keygen, the signatures a build makes (checked by Debian's minisign), the key on the page and the
back cover, and `samizdat verify` (each problem its own message and exit status) and `verify --rebuild`."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pdfplumber
import pytest
from conftest import make_project

from samizdat.cli import main
from samizdat.signing import SigningKey, parse_public

DOCUMENT = """\
---
title: A signed leaflet
author: The Test Collective
lang: en
url: https://example.org/signed
---

A short text, enough for one page of the pamphlet.
"""

SLUG = "signed"
EPOCH = "1767225600"  # 2026-01-01T00:00:00Z
MINISIGN = shutil.which("minisign")


def run(capsys: pytest.CaptureFixture, *arguments: str) -> tuple[int, str]:
    """main() in this process: its exit status and all it printed."""
    capsys.readouterr()
    code = main(list(arguments))
    captured = capsys.readouterr()
    return code, captured.out + captured.err


@pytest.fixture(scope="module")
def signed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A key made by `samizdat keygen` outside the project, named in samizdat.yaml, and one build signed with it."""
    base = tmp_path_factory.mktemp("signing")
    key = base / "keys" / "minisign.key"
    assert main(["keygen", "--key", str(key), "--project", str(base)]) == 0
    project = make_project(base / "project", {SLUG: DOCUMENT})
    (project / "samizdat.yaml").write_text(f"url: https://example.org/signed\nsigning:\n  key: {key}\n")
    with pytest.MonkeyPatch.context() as patch:  # dated: verify --rebuild finds the date in the signature
        patch.setenv("SOURCE_DATE_EPOCH", EPOCH)
        assert main(["--project", str(project), "--jobs", "1"]) == 0
    return {"key": key, "project": project, "output": project / "output", "base": base}


def public_line(output: Path) -> str:
    return (output / "minisign.pub").read_text().splitlines()[1]


def fingerprint(output: Path) -> str:
    """The fingerprint as the README tells a distributor to compute it, with coreutils alone."""
    shell = "tail -n 1 minisign.pub | sha256sum | cut -c 1-16"
    return subprocess.run(shell, shell=True, cwd=output, capture_output=True, text=True, check=True).stdout.strip()


def test_keygen_writes_a_key_pair_its_owner_alone_reads(signed):
    key = signed["key"]
    assert key.stat().st_mode & 0o777 == 0o600 and key.parent.stat().st_mode & 0o777 == 0o700
    assert key.with_suffix(".pub").read_text().startswith("untrusted comment: minisign public key ")
    assert (signed["output"] / "minisign.pub").read_bytes() == key.with_suffix(".pub").read_bytes()


@pytest.mark.parametrize(
    ("where", "force", "status", "said"),
    [
        ("project/inside.key", False, 2, "lies inside"),  # would be committed
        ("project/output/inside.key", False, 2, "lies inside"),  # would be published
        ("keys/minisign.key", False, 1, "give --force to replace it"),  # the module's key: never overwritten
        ("other/fresh.key", True, 0, "fingerprint"),
    ],
)
def test_keygen_refuses_a_key_inside_the_project_and_never_overwrites(signed, capsys, where, force, status, said):
    path = signed["base"] / where
    before = path.read_bytes() if path.exists() else None
    code, out = run(capsys, "keygen", "--key", str(path), "--project", str(signed["project"]),
                    *(["--force"] if force else []))  # fmt: skip
    assert (code, said in out) == (status, True), out
    if status:
        assert (path.read_bytes() if path.exists() else None) == before, "nothing written over, nothing left inside"


@pytest.mark.parametrize(
    ("config", "variable", "said"),
    [
        ("cover: bold\nsigning:\n  key: keys/minisign.key\n", None, "samizdat.yaml:3: the signing key"),  # committed
        ("signing:\n  key: ''\n", None, "samizdat.yaml:2"),
        ("signing: {}\n", None, "samizdat.yaml:1"),
        ("", "output/minisign.key", "would be published with the files"),
        ("", "../nowhere/minisign.key", "cannot read the signing key"),
        ("", "../not-a-key", "is not a minisign secret key"),
    ],
)
def test_a_key_that_cannot_sign_fails_the_build_saying_why(tmp_path, capsys, monkeypatch, config, variable, said):
    project = make_project(tmp_path / "p", {SLUG: DOCUMENT})
    (project / "samizdat.yaml").write_text(config)
    (tmp_path / "not-a-key").write_text("untrusted comment: a shopping list\nmilk\n")
    if variable:
        monkeypatch.setenv("SAMIZDAT_SIGNING_KEY", str(project / variable))
    code, out = run(capsys, "--project", str(project))
    assert code == 1 and said in out, out
    assert not list((project / "output").rglob("*.pdf")), "nothing built with a key that cannot sign"


@pytest.mark.skipif(MINISIGN is None, reason="Debian's minisign is not installed (apt-get install minisign)")
@pytest.mark.parametrize("name", ["SHA256SUMS", "manifest.json"])
def test_debian_minisign_verifies_what_samizdat_signed(signed, name):
    output = signed["output"]
    checked = subprocess.run([MINISIGN, "-Vm", name, "-P", public_line(output)], cwd=output, capture_output=True,
                             text=True)  # fmt: skip
    assert checked.returncode == 0, checked.stderr
    comment = f"file:{name}\tproject:https://example.org/signed\tdate:2026-01-01T00:00:00Z\tsigned by samizdat"
    assert f"Trusted comment: {comment}\n" in checked.stdout, "no time of signing: the same files, the same bytes"
    sums = subprocess.run(["sha256sum", "--strict", "-c", "SHA256SUMS"], cwd=output, capture_output=True, text=True)
    assert sums.returncode == 0 and "minisign.pub: OK" in sums.stdout, sums.stdout + sums.stderr


def test_the_download_page_shows_the_key_its_fingerprint_and_the_commands(signed):
    output = signed["output"]
    page = (output / "index.html").read_text()
    assert public_line(output) in page and fingerprint(output) in page
    assert f"minisign -Vm SHA256SUMS -P {public_line(output)}" in page and "sha256sum" in page
    assert "samizdat verify" in page and "--rebuild" in page


def test_the_back_cover_shows_the_fingerprint(signed):
    with pdfplumber.open(signed["output"] / SLUG / f"{SLUG}-a5.pdf") as pdf:
        back, dated = pdf.pages[-1].extract_text(), pdf.metadata.get("CreationDate", "")
    assert "20260101" in dated, "dated by SOURCE_DATE_EPOCH: a rebuild must find the same date"
    assert f"minisign key {fingerprint(signed['output'])}" in back, back


def damage(output: Path, change: str) -> list[str]:
    """One mirror's damage; the extra arguments `verify` gets."""
    pdf = output / SLUG / f"{SLUG}-a5.pdf"
    if change == "byte":
        data = bytearray(pdf.read_bytes())
        data[len(data) // 2] ^= 1
        pdf.write_bytes(bytes(data))
    elif change == "missing":
        (output / "thumbnails" / SLUG / f"{SLUG}-a5.png").unlink()
    elif change == "foreign":
        (output / SLUG / "forged.pdf").write_bytes(b"%PDF-1.7 not ours")
    elif change == "other key":  # a forger signs the list with a key of their own and publishes it beside
        forger = output.parent / "forger.key"
        main(["keygen", "--key", str(forger), "--project", str(output.parent)])
        key = SigningKey(parse_public(forger.with_suffix(".pub").read_text(), "forger"), forger)
        (output / "SHA256SUMS.minisig").write_bytes(key.sign("SHA256SUMS", (output / "SHA256SUMS").read_bytes(), ""))
        shutil.copy(forger.with_suffix(".pub"), output / "minisign.pub")
        return ["--key", str(output.parent / "publisher.pub")]
    elif change == "list":  # SHA256SUMS edited to vouch for a changed file
        sums = (output / "SHA256SUMS").read_text()
        (output / "SHA256SUMS").write_text(sums.replace(sums[:8], "00000000", 1))
    elif change == "no signature":
        (output / "SHA256SUMS.minisig").unlink()
    return []


@pytest.mark.parametrize(
    ("change", "status", "said"),
    [
        (None, 0, "all genuine"),
        ("byte", 4, f"altered: {SLUG}/{SLUG}-a5.pdf"),
        ("missing", 5, f"missing: thumbnails/{SLUG}/{SLUG}-a5.png"),
        ("foreign", 6, f"unsigned: {SLUG}/forged.pdf"),
        ("other key", 3, "bad signature: SHA256SUMS.minisig does not verify"),
        ("list", 3, "bad signature: SHA256SUMS.minisig"),
        ("no signature", 3, "has no SHA256SUMS.minisig"),
    ],
)
def test_verify_names_each_problem_with_its_own_exit_status(signed, tmp_path, capsys, change, status, said):
    mirror = tmp_path / "mirror"
    shutil.copytree(signed["output"], mirror, ignore=shutil.ignore_patterns(".cache"))
    shutil.copy(signed["key"].with_suffix(".pub"), tmp_path / "publisher.pub")  # as the back cover vouches for it
    extra = damage(mirror, change)
    code, out = run(capsys, "verify", str(mirror), *extra)
    assert (code, said in out) == (status, True), out
    assert out.count("\n") - out.count("note:") <= 3, "one line for the one problem, then the verdict"


def test_verify_rebuild_passes_on_the_published_files_and_names_a_tampered_pdf(signed, tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)  # the date comes from the signature's trusted comment
    fresh, tampered = tmp_path / "fresh", tmp_path / "tampered"
    for mirror in (fresh, tampered):
        shutil.copytree(signed["output"], mirror, ignore=shutil.ignore_patterns(".cache"))
    damage(tampered, "byte")
    code, out = run(capsys, "verify", "--rebuild", "--source", str(signed["project"]), str(fresh), str(tampered))
    assert code == 4, out
    compared = sum(path.is_file() and path.suffix != ".minisig" for path in fresh.rglob("*"))  # signatures: not remade
    assert f"{fresh}: {compared} files compared, all the same bytes" in out, out
    assert f"differs: {tampered}/{SLUG}/{SLUG}-a5.pdf is not what the source makes" in out
    assert out.count("differs:") == 1, "only the tampered PDF: the page, the lists and the key are the same bytes"


def test_a_build_without_a_key_says_nothing_was_signed_and_leaves_no_signature(workspace, monkeypatch, tmp_path):
    workspace.write(f"{SLUG}.md", DOCUMENT)
    key = tmp_path / "keys" / "minisign.key"
    assert main(["keygen", "--key", str(key)]) == 0
    monkeypatch.setenv("SAMIZDAT_SIGNING_KEY", str(key))
    signed = workspace.build()
    assert signed.code == 0 and "signed SHA256SUMS and manifest.json with the key" in signed.out
    assert (workspace.output / "SHA256SUMS.minisig").is_file()
    monkeypatch.delenv("SAMIZDAT_SIGNING_KEY")
    unsigned = workspace.build()
    assert unsigned.code == 0 and unsigned.out.count("nothing was signed: no signing key (") == 1, unsigned.out
    left = {path.name for path in workspace.output.iterdir()}
    assert not left & {"SHA256SUMS.minisig", "manifest.json.minisig", "minisign.pub"}, "a key taken away signs nothing"
    with pdfplumber.open(workspace.pdf(SLUG)) as pdf:
        assert "minisign" not in pdf.pages[-1].extract_text(), "the back cover lost the fingerprint with the key"
