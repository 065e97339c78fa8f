"""Review of issue 16 where its parts meet: each case failed before its fix.

One small project with an online copy (the back cover's QR code), the pocket edition and riso separations,
built once for the module.
"""

from __future__ import annotations

import base64
from pathlib import Path

import pytest
from PIL import Image

from samizdat.cli import main
from samizdat.preflight import ERROR, identify, preflight

#: A leaflet whose colophon is short (author and address): the QR code (of a short address, a small code with
#: a wide quiet zone) is the lowest thing on the back cover.
LEAFLET = """\
---
title: A short leaflet
author: Our Group
lang: en
---

## What we want

A paragraph of text, short enough for a leaflet.
"""
CONFIG = """\
url: https://example.org/p
editions: [pocket]
riso:
  inks:
    black: [ink, muted]
    red: [accent, panel]
"""


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project built once: its root (output/ in it)."""
    root = tmp_path_factory.mktemp("review16")
    (root / "content").mkdir()
    (root / "content" / "leaflet.md").write_text(LEAFLET)
    (root / "samizdat.yaml").write_text(CONFIG)
    assert main(["--project", str(root)]) == 0
    return root


@pytest.mark.parametrize("made", ["leaflet-pocket-a6.pdf"])
def test_editions_with_a_qr_code_pass_preflight(project: Path, made: str):
    """The pocket colophon kept 3 mm of paper under its QR code: preflight's safe margin failed it."""
    path = project / "output" / "leaflet" / made
    expect, _ = identify(path.read_bytes(), made)
    assert [f.message for f in preflight(path.read_bytes(), expect) if f.severity == ERROR] == []


@pytest.mark.parametrize(
    ("made", "cut", "expected", "code"),
    [
        ("leaflet-riso-proof-a5.png", False, "checked only as a PNG picture", 0),  # was a TypeError's traceback
        ("leaflet-riso-proof-a5.png", True, "cannot read leaflet-riso-proof-a5.png as a PNG picture", 1),
        ("leaflet-riso-red-a5.pdf", False, "kind: riso on A5", 0),
        ("leaflet.epub", False, "checked only as an EPUB", 0),
        ("leaflet-pocket-a6.pdf", False, "kind: pocket on A6", 0),
    ],
)
def test_check_knows_every_new_kind(project: Path, tmp_path: Path, cli, made: str, cut: bool, expected: str,
                                    code: int):  # fmt: skip
    path = project / "output" / "leaflet" / made
    if cut:  # a download cut short
        path = tmp_path / made
        path.write_bytes((project / "output" / "leaflet" / made).read_bytes()[:2000])
    run = cli("check", str(path))
    assert (run.code, expected in run.out, "Traceback" in run.err) == (code, True, False), run.out + run.err


def damaged(key: Path, offset: int) -> None:
    """The key file with one byte of its key line changed (a disk's or a copy's fault), still valid base64."""
    lines = key.read_text().splitlines()
    raw = bytearray(base64.b64decode(lines[1]))
    raw[offset] ^= 0x01
    key.write_text(f"{lines[0]}\n{base64.b64encode(bytes(raw)).decode()}\n")


@pytest.mark.parametrize("offset", [80, 102])  # a byte of the secret seed; of the public half the key holds
def test_a_damaged_key_signs_nothing(tmp_path: Path, cli, offset: int):
    """An unencrypted key's checksum is never read: a damaged one signed every build with bad signatures."""
    key = tmp_path / "keys" / "minisign.key"
    assert cli("keygen", "--key", str(key)).code == 0
    damaged(key, offset)
    root = tmp_path / "project"
    (root / "content").mkdir(parents=True)
    (root / "content" / "leaflet.md").write_text(LEAFLET)
    (root / "samizdat.yaml").write_text(f"signing:\n  key: {key}\n")
    run = cli("--project", str(root))
    assert (run.code, f"the signing key {key} is damaged" in run.err) == (1, True), run.out + run.err
    assert not list(root.rglob("*.minisig"))


#: A leaflet with a picture too small for print: its build writes every file, signed, and fails preflight (exit 1).
PICTURED = """\
---
title: A leaflet with a picture
author: Our Group
lang: en
---

## Seen

![a red square](square.png)

A paragraph of text.
"""


def pictured_project(root: Path, key: Path) -> Path:
    (root / "content").mkdir(parents=True)
    (root / "content" / "leaflet.md").write_text(PICTURED)
    Image.new("RGB", (40, 40), (200, 20, 30)).save(root / "content" / "square.png")
    (root / "samizdat.yaml").write_text(f"signing:\n  key: {key}\n")
    return root


@pytest.fixture(scope="module")
def pictured(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The pictured leaflet built and signed once: its project's root."""
    base = tmp_path_factory.mktemp("pictured")
    key = base / "keys" / "minisign.key"
    assert main(["keygen", "--key", str(key)]) == 0
    root = pictured_project(base / "publisher", key)
    assert main(["--project", str(root)]) == 1  # preflight fails the picture; every file is written and signed
    assert (root / "output" / "SHA256SUMS.minisig").is_file()
    return root


def test_a_picture_does_not_tie_the_bytes_to_the_folder(pictured: Path):
    """WeasyPrint names a picture's XObject by the md5 of its absolute URL: the same project in another folder
    (verify --rebuild builds in a temporary one) made other bytes."""
    elsewhere = pictured_project(pictured.parent / "mirror", pictured.parent / "keys" / "minisign.key")
    assert main(["--project", str(elsewhere)]) == 1
    for name in ("leaflet-a5.pdf", "leaflet-booklet-a4.pdf"):
        made = (elsewhere / "output" / "leaflet" / name).read_bytes()
        assert made == (pictured / "output" / "leaflet" / name).read_bytes(), name


def test_verify_rebuild_compares_a_build_that_failed_preflight(pictured: Path, cli):
    """The publisher's files were written and signed, but the rebuild's exit 1 stopped every comparison."""
    run = cli("verify", "--rebuild", str(pictured / "output"), "--source", str(pictured))
    assert (run.code, "all the same bytes as the source makes" in run.out) == (0, True), run.out + run.err
    assert "reported problems (exit 1)" in run.out


@pytest.mark.parametrize(
    ("rule", "line"),
    [
        (".x { background: url(../../counter.gif); }", 2),  # relative: the page asked its server; nothing said it
        ("/* a comment */\n@import 'more.css';", 3),
    ],
)
def test_the_reading_page_s_stylesheet_loads_nothing(tmp_path: Path, cli, rule: str, line: int):
    """Layouts are untrusted: the reading page's own stylesheet could make every reader's browser fetch a file."""
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "leaflet.md").write_text(LEAFLET)
    css = tmp_path / "layouts" / "reading" / "reading.css"
    css.parent.mkdir(parents=True)
    css.write_text(f"body {{ margin: 0; }}\n{rule}\n")
    run = cli("--project", str(tmp_path), "leaflet")
    said = f"{css}:{line}: the reading page's stylesheet names something to load"
    assert (run.code, said in run.out + run.err) == (1, True), run.out + run.err
    assert not (tmp_path / "output" / "leaflet" / "leaflet.html").exists()
