"""Standards and languages: the tagged screen PDF, outside tools' opinion of every output, quotes and scripts."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from conftest import REPO
from pypdf import PdfReader
from test_pamphlet import needs

from samizdat.pdf import lay_out
from samizdat.preflight import ERROR, Expectations, preflight


def structure(reader: PdfReader) -> list[str]:
    """The structure tree's element types, depth first, in reading order."""
    found: list[str] = []

    def walk(node: object) -> None:
        node = node.get_object() if hasattr(node, "get_object") else node
        if not isinstance(node, dict):
            return
        if "/S" in node:
            found.append(str(node["/S"]))
        kids = node.get("/K")
        kids = kids.get_object() if hasattr(kids, "get_object") else kids
        for kid in kids if isinstance(kids, list) else [kids]:
            walk(kid)

    walk(reader.trailer["/Root"]["/StructTreeRoot"])
    return found


def test_the_screen_pdf_is_tagged_with_headings_lists_and_language(statement_output: Path):
    reader = PdfReader(statement_output / "stop-the-war-a5.pdf")
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "en" and bool(root["/MarkInfo"]["/Marked"])
    tags = structure(reader)
    assert tags[:3] == ["/Document", "/Sect", "/H1"], "the title comes first"
    source = (REPO / "content" / "stop-the-war.md").read_text(encoding="utf-8")
    assert tags.count("/H1") == 1
    assert tags.count("/H2") == len(re.findall(r"^## ", source, re.MULTILINE))
    items = len(re.findall(r"^- ", source.split("---", 2)[2], re.MULTILINE))
    slogans = len(re.findall(r"^  - ", source.split("---", 2)[1], re.MULTILINE))
    assert tags.count("/LI") == items + slogans, "the demands and the slogans are lists"
    assert tags.index("/H1") < tags.index("/H2") < tags.index("/L"), "reading order: title, sections, demands"
    assert b"pdfuaid:part" in reader.trailer["/Root"]["/Metadata"].get_object().get_data(), "declares PDF/UA-1"


def test_the_print_pdf_and_the_impositions_are_not_tagged(statement_output: Path):
    for name in ("stop-the-war-a5-print.pdf", "stop-the-war-booklet-a4.pdf"):
        assert "/StructTreeRoot" not in PdfReader(statement_output / name).trailer["/Root"]


def every_output(statement_output: Path) -> list[Path]:
    return sorted(statement_output.rglob("*.pdf"))


def test_qpdf_finds_nothing_wrong_with_any_output(statement_output: Path):
    needs("qpdf")
    outputs = every_output(statement_output)
    assert len(outputs) == 21  # 9 of the pamphlet's (its editions and booklets), 12 posters
    for path in outputs:
        check = subprocess.run(["qpdf", "--check", str(path)], capture_output=True, text=True, check=False)
        assert check.returncode == 0, f"{path.name}: {check.stdout}{check.stderr}"
        assert "No syntax or stream encoding errors found" in check.stdout


def test_pdffonts_agrees_that_every_font_is_embedded(statement_output: Path):
    needs("pdffonts")
    for path in every_output(statement_output):
        listing = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
        rows = listing.splitlines()[2:]
        assert rows, path.name
        embedded = [row.split()[-5] for row in rows]  # name type encoding emb sub uni object ID
        assert set(embedded) == {"yes"}, f"{path.name}: {listing}"
        findings = preflight(path.read_bytes(), Expectations("generic"))
        assert not [finding for finding in findings if finding.check == "fonts" and finding.severity == ERROR]


def test_preflight_finds_glyphs_drawn_as_empty_boxes_in_any_pdf():
    """A PDF made without samizdat's refusal (WeasyPrint called directly) still gets caught by the tofu detector."""
    html = (
        f'<html lang="en"><head><link rel="stylesheet" href="{(REPO / "layouts/base/fonts.css").as_uri()}">'
        '<title>T</title></head><body style="font-family: Charis SIL"><p>Peace 你好世界 ☭ now</p></body></html>'
    )
    dirs = [REPO / "layouts", REPO / "fonts"]
    layout = lay_out(html, base_url=(REPO / "layouts").as_uri() + "/", allowed_dirs=dirs, fonts_dir=REPO / "fonts")
    findings = preflight(layout.document.write_pdf(), Expectations("generic"))
    tofu = [finding for finding in findings if finding.check == "fonts" and finding.severity == ERROR]
    assert len(tofu) == 1
    assert "draws 5 characters as empty boxes (.notdef)" in tofu[0].message
    assert all(char in tofu[0].message for char in "你好世界☭")


LANGUAGE_TEXTS = {
    "en": ('He said "enough" and left.', "“enough”"),
    "ru": ('Он сказал "хватит" и ушёл.', "«хватит»"),
    "uk": ('Він сказав "досить" і пішов.', "«досить»"),
    "de": ('Er sagte "genug" und ging.', "„genug“"),
}


@pytest.mark.parametrize("lang", list(LANGUAGE_TEXTS))
def test_each_language_gets_its_quotation_marks_and_every_word(workspace, lang: str):
    text, quoted = LANGUAGE_TEXTS[lang]
    workspace.write(f"{lang}.md", f"---\ntitle: T\nauthor: A\nlang: {lang}\n---\n\n{text}\n")
    run = workspace.build()
    assert run.code == 0, run.err
    extracted = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(workspace.pdf(lang)).pages)
    assert quoted in extracted
    for word in re.sub(r'[".]', " ", text).split():
        assert word in extracted
    assert "preflight" not in run.err, "no tofu, nothing else either"


def test_text_in_a_script_no_font_covers_is_refused(workspace):  # right to left: tests/test_rtl.py
    source = workspace.write("mixed.md", "---\ntitle: T\nauthor: A\nlang: en\n---\n\nNo to war: 不要战争\n")
    run = workspace.build()
    assert run.code == 1 and f"{source}:7: the fonts in fonts/ have no glyphs for" in run.err
    assert not workspace.pdf("mixed").exists()
