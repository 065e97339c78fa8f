"""Review of issue 15 where its parts meet: each case failed before its fix.

The texts are written for these tests; they translate nothing.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pdfplumber
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


def build(content: Path, output: Path) -> tuple[int, str]:
    """A build of `content` into `output`, its exit status and all it printed."""
    stream = content.parent / "log.txt"
    with stream.open("w", encoding="utf-8") as log, pytest.MonkeyPatch.context() as patch:
        patch.setattr("sys.stdout", log)
        patch.setattr("sys.stderr", log)
        code = main(["--project", str(REPO), "--content", str(content), "--output", str(output)])
    return code, " ".join(stream.read_text(encoding="utf-8").split())


def english_of(original: str) -> str:
    return f"---\ntitle: A test of marks\nauthor: Test group\nlang: en\ntranslation_of: {original}\n---\n\nShort.\n"


def test_a_translation_names_an_original_with_marks(tmp_path: Path):
    """`translation_of: مرّر` names مرّر.md (the schema's [^\\W_] refused its shadda)."""
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "مرّر.md").write_text(SHADDA, encoding="utf-8")
    (tmp_path / "content" / "en.md").write_text(english_of("مرّر"), encoding="utf-8")
    code, printed = build(tmp_path / "content", tmp_path / "output")
    assert code == 0, printed
    assert (tmp_path / "output" / "مرّر" / "en" / "مرّر-a5.pdf").is_file()
    assert (tmp_path / "output" / "مرّر" / "ar" / "posters" / "مرّره-a3.pdf").is_file()


@pytest.mark.parametrize(
    ("original", "message"),
    [
        ("../../etc", "translation_of: ../../etc is no document's name"),
        ("مرّر/..", "is no document's name"),
        ("Text!", "translation_of: Text! is no document's name: the name of the document this one translates"),
        ("[text, other]", "translation_of"),
    ],
    ids=["a-path", "a-path-with-marks", "not-a-slug", "a-list"],
)
def test_hostile_translation_of_fails_alone(tmp_path: Path, original: str, message: str):
    content = tmp_path / "content"
    content.mkdir()
    (content / "text.md").write_text(SHADDA.replace("slogans:\n  - مرّره!\n", ""), encoding="utf-8")
    (content / "en.md").write_text(english_of(original), encoding="utf-8")
    code, printed = build(content, tmp_path / "output")
    assert code == 1 and "en.md:5" in printed and message in printed, printed
    assert "Traceback" not in printed
    assert (tmp_path / "output" / "text" / "text-a5.pdf").is_file()  # the original built
    assert not (tmp_path / "etc").exists() and not (tmp_path / "output" / "en").exists()


#: Each issue 15 language's "Other languages" on a back cover (it printed the English words, tagged as Persian).
LABELS = {"fa": "زبان‌های دیگر", "he": "שפות אחרות", "ka": "სხვა ენები"}


@pytest.fixture(scope="module")
def editions(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One English text and its fa, he and ka editions, built once: the output folder of the text."""
    root = tmp_path_factory.mktemp("editions")
    content = root / "content"
    content.mkdir()
    (content / "text.md").write_text(english_of("x").replace("translation_of: x\n", ""), encoding="utf-8")
    for lang, title in (("fa", "متن آزمایشی"), ("he", "טקסט לבדיקה"), ("ka", "სატესტო ტექსტი")):
        front = f"---\ntitle: {title}\nauthor: Test group\nlang: {lang}\ntranslation_of: text\n---\n\n{title}\n"
        (content / f"text-{lang}.md").write_text(front, encoding="utf-8")
    code, printed = build(content, root / "output")
    assert code == 0, printed
    return root / "output" / "text"


@pytest.mark.parametrize("lang", ["fa", "he", "ka"])
def test_back_cover_names_other_languages_in_its_own(editions: Path, lang: str):
    with pdfplumber.open(editions / lang / "text-a5.pdf") as pdf:
        back = pdf.pages[-1].extract_text()
    label = "".join(char for char in LABELS[lang] if unicodedata.category(char) != "Cf")  # the ZWNJ is no glyph
    assert "Other languages" not in back
    assert (label[::-1] if lang in ("fa", "he") else label) in back, back  # a PDF holds RTL glyphs as drawn


def columns(text: str) -> int:
    """The columns a terminal gives `text` (its marks none: there are no wide characters here)."""
    return sum(unicodedata.category(char) not in ("Mn", "Me", "Cf") for char in text)


#: A row of the summary table up to the end of its pages column: an output's path, spaces, its pages.
ROW = re.compile(r"^\S+\.pdf +\d+")


def test_summary_columns_line_up_with_marks(tmp_path: Path, capsys: pytest.CaptureFixture):
    """The summary's columns are counted in what a terminal shows: مرّر's shadda takes no column."""
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "مرّر.md").write_text(SHADDA, encoding="utf-8")
    (tmp_path / "content" / "plain.md").write_text(english_of("x").replace("translation_of: x\n", ""), "utf-8")
    code = main(["--project", str(REPO), "--content", str(tmp_path / "content"), "--output", str(tmp_path / "out")])
    assert code == 0
    printed = capsys.readouterr()
    rows = [found for line in (printed.out + printed.err).splitlines() if (found := ROW.match(line))]
    assert len(rows) >= 7 and any("ّ" in row.group(0) for row in rows), rows
    assert len({columns(row.group(0)) for row in rows}) == 1, rows  # each pages column ends in one place
