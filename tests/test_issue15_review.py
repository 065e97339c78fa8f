"""Review of issue 15 where its parts meet: each case failed before its fix.

The texts are written for these tests; they translate nothing.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from samizdat.cli import main
from samizdat.contents import slug
from tests.conftest import REPO

#: An Arabic document whose file name, slogan and heading hold a shadda (U+0651, a combining mark).
SHADDA = """\
---
title: اختبار الشدّة
author: مجموعة الاختبار
lang: ar
slogans:
  - مرّره!
---

## الحرّية

نص قصير كُتب للاختبار وحده.
"""


@pytest.fixture(scope="module")
def shadda(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The document with marks built once: its output folder."""
    root = tmp_path_factory.mktemp("shadda")
    (root / "content").mkdir()
    (root / "content" / "مرّر.md").write_text(SHADDA, encoding="utf-8")
    code = main(["--project", str(REPO), "--content", str(root / "content"), "--output", str(root / "output")])
    assert code == 0
    return root / "output"


@pytest.mark.parametrize(
    "made",
    [
        "مرّر/مرّر-a5.pdf",  # the file name's word is not cut at its mark (was مر-ر)
        "مرّر/مرّر-booklet-a4.pdf",
        "مرّر/posters/مرّره-a3.pdf",  # nor the slogan's (was مر-ره-a3.pdf)
        "مرّر/posters/مرّره-a3-tiled-a4.pdf",
    ],
)
def test_names_keep_combining_marks(shadda: Path, made: str):
    assert (shadda / made).is_file(), sorted(p.relative_to(shadda).as_posix() for p in shadda.rglob("*.pdf"))


def test_heading_id_keeps_combining_marks():
    assert slug("الحرّية") == "الحرّية"  # was الحر-ية
    assert slug("नमस्ते दुनिया") == "नमस्ते-दुनिया"  # a Hindi word's vowel signs and virama
