"""Review of issue 16 where its parts meet: each case failed before its fix.

One small project with an online copy (the back cover's QR code), the pocket edition and riso separations,
built once for the module.
"""

from __future__ import annotations

from pathlib import Path

import pytest

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
