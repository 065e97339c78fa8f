"""Right-to-left documents (ar, fa, he): every word read back in logical order, lines running right to left,
dates and times not reversed, the pamphlet mirrored, no tofu, preflight passing; posters and local editions too.

The texts in tests/data/rtl/ were written for these tests (they translate nothing). A PDF holds glyphs where
they are drawn: a line is read from its rightmost glyph to its leftmost, and each left-to-right run in it
(Latin letters, digits, the signs between them) is turned back, which is the logical order when the line was
set right. A line set wrong (a time range reversed by the bidirectional algorithm) reads wrong.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pdfplumber
import pytest
from pypdf import PdfReader

from samizdat.bidi import LRI, PDI, isolate
from samizdat.body import markdown_for
from samizdat.build import read_document
from samizdat.cli import main
from samizdat.content import load_document
from samizdat.direction import direction
from samizdat.jobs import lay_out_pamphlet
from samizdat.paragraph_shapes import shapes, unmatched
from samizdat.project import Project
from samizdat.targets import Job
from tests.conftest import DATA, REPO
from tests.pdfs import FOOT_ZONE, HEAD_ZONE, MM, fonts, trim_edges

RTL = DATA / "rtl"
LANGS = ("ar", "fa", "he")
RTL_LETTERS = "\u0590-\u06ef\u06fa-\u08ff\ufb1d-\ufdff\ufe70-\ufeff"
LTR = re.compile(rf"[^\W_{RTL_LETTERS}]")  # a Latin letter or a digit (Western or Persian)
RTL_CHAR = re.compile(f"[{RTL_LETTERS}]")

#: A long Arabic document, to have a left and a right text page and two sections for the running heads.
LONG_PARAGRAPH = (
    "نكتب هذه الفقرة الطويلة لكي تمتد على عدة أسطر، فنرى اتجاه السطر من اليمين إلى اليسار، ونتأكد من أن كل "
    "كلمة تبقى في مكانها الصحيح، وأن الموعد 2026-05-01 والساعة 18:00–20:00 لا ينقلبان."
)
LONG = "---\ntitle: نص طويل للاختبار\nauthor: مجموعة الاختبار\nlang: ar\n---\n\n" + "\n\n".join(
    [f"## القسم {number}\n\n" + "\n\n".join([LONG_PARAGRAPH] * 9) for number in ("الأول", "الثاني")]
)
#: Blocks of a right-to-left pamphlet: an epigraph, a table with signed numbers, inline code.
BLOCKS = """---
title: كتل للاختبار
author: مجموعة الاختبار
lang: ar
---

::: epigraph
من يجعل الثورة السلمية مستحيلة يجعل الثورة العنيفة حتمية.

قائل مجهول
:::

الأرقام أدناه من إحصاء المنظمين، والدالة `print()` تبين كيف جرى الإحصاء.

نلتقي في Central *Park* غدًا، ثم في *New* York بعد غد، والكلمتان
Example Town في سطرين من المصدر.

| المدينة | المشاركون | التغير |
|------|----------|--------|
| مدينة المثال | 12,400 | +3.5 |
| سامبلتون | 860 | −12.25 |
"""
#: The author's own right-to-left mark turns the isolation of its paragraph off (samizdat.bidi): the time
#: range in it comes out as the bidirectional algorithm alone sets it, reversed. The reader must see that.
UNISOLATED = (
    "---\ntitle: بلا عزل\nauthor: مجموعة الاختبار\nlang: ar\n---\n\n\u200fنلتقي من الساعة 18:00–20:00 في الساحة.\n"
)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int, str]:
    """The test texts, the long one and the unisolated one, built once: (output folder, exit status, summary)."""
    root = tmp_path_factory.mktemp("rtl")
    content = root / "content"
    shutil.copytree(RTL, content)
    (content / "long.md").write_text(LONG, encoding="utf-8")
    (content / "unisolated.md").write_text(UNISOLATED, encoding="utf-8")
    (content / "blocks.md").write_text(BLOCKS, encoding="utf-8")
    log = root / "log.txt"
    with log.open("w") as stream, pytest.MonkeyPatch.context() as patch:
        patch.setattr("sys.stdout", stream)
        patch.setattr("sys.stderr", stream)
        code = main(["--project", str(REPO), "--content", str(content), "--output", str(root / "output")])
    return root / "output", code, log.read_text(encoding="utf-8")


def visible(text: str) -> str:
    """Text without the marks set over letters (harakat, niqqud: drawn as glyphs of their own, placed over the
    letter, so their order is not the reader's), without zero-width joiners, bullets and no-break spaces."""
    text = "".join(char for char in text if unicodedata.category(char) not in ("Mn", "Cf"))
    return text.replace("•", " ").replace("\u00a0", " ")


def lines_of(page: pdfplumber.page.Page) -> list[list[dict]]:
    """The glyphs of a page's body (not its running head or folio) in lines, by baseline, top to bottom."""
    trim_top, trim_bottom = trim_edges(page)
    chars = [c for c in page.chars if trim_top + HEAD_ZONE <= c["top"] and c["bottom"] <= trim_bottom - FOOT_ZONE]
    return baseline_lines(chars)


def baseline_lines(chars: list[dict]) -> list[list[dict]]:
    """Glyphs in lines, by baseline, top to bottom (the marks over letters left out)."""
    lines: list[list[dict]] = []
    for char in sorted((c for c in chars if visible(c["text"])), key=lambda c: -c["matrix"][5]):
        if lines and abs(lines[-1][0]["matrix"][5] - char["matrix"][5]) < 2:
            lines[-1].append(char)
        else:
            lines.append([char])
    return lines


def logical(line: list[dict]) -> list[dict]:
    """A line's glyphs in logical order: from the right, each left-to-right run turned back. A ligature (lam-alef)
    comes as its first letter, as wide as the glyph, and the others with no width at its left edge."""
    glyphs = sorted(line, key=lambda c: -(c["x0"] + c["x1"]))  # a ligature's second letter has no width of its own
    kinds = ["l" if LTR.search(g["text"]) else "r" if RTL_CHAR.search(g["text"]) else "n" for g in glyphs]
    ordered, index = [], 0
    while index < len(glyphs):
        if kinds[index] != "l":
            ordered.append(glyphs[index])
            index += 1
            continue
        end = index  # the run: to the last left-to-right glyph before the next right-to-left one
        for probe in range(index, len(glyphs)):
            if kinds[probe] == "r":
                break
            if kinds[probe] == "l":
                end = probe
        start = index  # and back over the `://` of an address broken at the line's end (its right)
        while start > 0 and glyphs[start - 1]["text"] in "/:" and ordered and ordered[-1] is glyphs[start - 1]:
            ordered.pop()
            start -= 1
        ordered += reversed(glyphs[start : end + 1])
        index = end + 1
    return ordered


def text_pages(path: Path) -> list[list[list[dict]]]:
    """The lines of each text page (the covers left out), each line's glyphs in logical order."""
    with pdfplumber.open(path) as pdf:
        return [[logical(line) for line in lines_of(page)] for page in pdf.pages[1:-1]]


def read_back(path: Path) -> list[str]:
    """The words of a pamphlet's text pages, read in logical order."""
    lines = ["".join(g["text"] for g in line) for page in text_pages(path) for line in page]
    text = "".join(line if line.endswith("/") else line + " " for line in lines)  # an address broken after a /
    return visible(text).split()


def source_words(path: Path) -> list[str]:
    """The words of a test text's body, as a reader reads them (no Markdown signs)."""
    body = path.read_text(encoding="utf-8").split("---\n", 2)[2]
    body = re.sub(r"^(## |- |:::.*$)", "", body, flags=re.MULTILINE)
    return visible(body).split()


@pytest.mark.parametrize("lang", LANGS)
def test_every_word_reads_back_in_logical_order(built, lang: str):
    output, code, log = built
    assert code == 0, log
    assert read_back(output / lang / f"{lang}-a5.pdf") == source_words(RTL / f"{lang}.md")


@pytest.mark.parametrize("lang", LANGS)
def test_the_words_of_each_line_run_from_right_to_left(built, lang: str):
    output, _, _ = built
    lines = [line for page in text_pages(output / lang / f"{lang}-a5.pdf") for line in page]
    assert len(lines) >= 6
    for line in lines:
        words, word = [], []
        for glyph in [*line, None]:  # the right-to-left words of the line, in logical order, by their glyphs
            if glyph is not None and RTL_CHAR.search(glyph["text"]):
                word.append(glyph)
            elif word:
                words.append(word)
                word = []
        starts = [max(g["x1"] for g in w) for w in words]
        assert starts == sorted(starts, reverse=True) and len(set(starts)) == len(starts), "".join(
            g["text"] for g in line
        )


@pytest.mark.parametrize("lang", LANGS)
def test_dates_and_times_read_left_to_right_in_their_order(built, lang: str):
    output, _, _ = built
    lines = [line for page in text_pages(output / lang / f"{lang}-a5.pdf") for line in page]
    persian = ("۱۴۰۵/۰۲/۱۱", "۱۸:۰۰–۲۰:۰۰") if lang == "fa" else ()  # Persian digits, the same
    for expression in ("2026-05-01", "18:00–20:00", *persian):
        found = [line for line in lines if expression in "".join(g["text"] for g in line)]
        assert found, f"{expression} is not read back in order"
        drawn = "".join(g["text"] for g in sorted(found[0], key=lambda g: g["x0"]))  # as seen, left to right
        assert expression in drawn


def test_a_reversed_time_is_seen_as_reversed(built):
    """The reader is not blind: in a paragraph whose isolation the author turned off, 18:00–20:00 is
    drawn as 20:00–18:00, and reads back so."""
    output, _, _ = built
    words = read_back(output / "unisolated" / "unisolated-a5.pdf")
    assert "20:00–18:00" in words and "18:00–20:00" not in words


@pytest.mark.parametrize("lang", LANGS)
def test_no_tofu_fonts_embedded_preflight_passes_no_controls_in_copied_text(built, lang: str):
    output, code, log = built
    assert code == 0 and ", 0 failed, 0 warnings in" in log, log
    for path in sorted((output / lang).rglob("*.pdf")):
        assert re.search(rf"{re.escape(str(path.relative_to(output)))}\s.*\bpass\b", log), path
        text = "".join(page.extract_text() for page in PdfReader(path).pages)
        assert LRI not in text and PDI not in text, path
    used = fonts(output / lang / f"{lang}-a5.pdf")
    face = {"ar": "Noto-Naskh-Arabic", "fa": "Noto-Naskh-Arabic", "he": "Noto-Serif-Hebrew"}[lang]
    assert used.get(face) is True, used
    assert all(used.values()), used


@pytest.mark.parametrize("lang", LANGS)
def test_the_tagged_screen_pdf_passes_pdfuas_rules(built, lang: str):
    pytest.importorskip("pdfua")
    from test_pdfua import empty_headings, triage

    output, _, _ = built
    path = output / lang / f"{lang}-a5.pdf"
    assert triage(path) == ([], [])
    assert empty_headings(path) == []
    assert PdfReader(path).trailer["/Root"]["/Lang"] == lang


def test_pdffonts_agrees_the_fonts_are_embedded(built):
    if shutil.which("pdffonts") is None:
        pytest.skip("pdffonts (poppler-utils) is not installed")
    output, _, _ = built
    listing = subprocess.run(["pdffonts", output / "ar/ar-a5.pdf"], capture_output=True, text=True, check=True)
    rows = listing.stdout.splitlines()[2:]
    assert any("NotoNaskhArabic" in row.replace("-", "") for row in rows), listing.stdout
    assert all(" yes " in row for row in rows), listing.stdout


def test_the_document_is_right_to_left_and_mirrored(built):
    """Page 2 of a right-to-left pamphlet is a verso, on the right of its spread (CSS page progression):
    its gutter at its left, the title at its outer (right) corner; page 3, a recto on the left, has its
    gutter at its right and the section it starts at its left corner. The demands' rule and bullets are at the right."""
    output, _, _ = built
    with pdfplumber.open(output / "long/long-a5.pdf") as pdf:
        verso, recto = pdf.pages[1], pdf.pages[2]
        for page, gutter_left, head, head_right in ((verso, True, "نص طويل للاختبار", True),
                                                     (recto, False, "القسم الثاني", False)):  # fmt: skip
            body = [c for line in lines_of(page) for c in line]
            left, right = min(c["x0"] for c in body), max(c["x1"] for c in body)
            inner, outer = (left, page.width - right) if gutter_left else (page.width - right, left)
            assert inner == pytest.approx(18 * MM, abs=1) and outer == pytest.approx(14 * MM, abs=1)
            heads = [c for c in page.chars if c["top"] < 15 * MM]
            assert visible("".join(g["text"] for g in logical(heads))) == head
            middle = (min(c["x0"] for c in heads) + max(c["x1"] for c in heads)) / 2
            assert (middle > page.width / 2) == head_right
    with pdfplumber.open(output / "ar/ar-a5.pdf") as pdf:
        page = pdf.pages[1]
        panel = [(r["x0"], r["x1"]) for r in page.rects]  # WeasyPrint fills a border between two rectangles
        rule_right = {round(x1 - inner, 1) for x0, x1 in panel for left, inner in panel if left == x0 and inner < x1}
        rule_left = {round(left - x0) for x0, x1 in panel for left, inner in panel if inner == x1 and left > x0}
        assert rule_right == {2.5} and not rule_left, panel
        bullets = [c for c in page.chars if c["text"] == "•"]
        items = [c for c in page.chars if RTL_CHAR.search(c["text"]) and abs(c["top"] - bullets[0]["top"]) < 4]
        assert len(bullets) == 2
        assert all(b["x0"] > max(c["x1"] for c in items) for b in bullets[:1])


def test_the_covers_read_from_the_right(built):
    """The front cover's title, standfirst, slogan and author end 16 mm from the right edge (--cover-padding);
    on the back cover the QR code is at the left of the colophon, its text at the right."""
    output, _, _ = built
    with pdfplumber.open(output / "ar/ar-a5.pdf") as pdf:
        front, back = pdf.pages[0], pdf.pages[-1]
        lines = baseline_lines(front.chars)
        assert len(lines) >= 4  # the title, the standfirst, the slogan, the author
        for line in lines:
            assert max(c["x1"] for c in line) == pytest.approx(front.width - 16 * MM, abs=1.5)
        qr = next(r for r in back.rects if r["width"] == pytest.approx(20 * MM, abs=0.5))  # its white ground
        colophon = [c for c in back.chars if c["top"] > qr["top"] - 5]
        assert qr["x1"] < min(c["x0"] for c in colophon)
        assert max(c["x1"] for c in colophon) == pytest.approx(back.width - 16 * MM, abs=1.5)


def test_tables_epigraphs_and_code_are_mirrored_or_kept_left_to_right(built):
    """The table starts at the right, its first column rightmost, a number's sign before it; the epigraph stands
    towards the end of the line (the left); code reads left to right, and so does a Latin phrase with emphasis
    inside it (WeasyPrint would order its boxes from the right) or written over two lines of the source."""
    output, _, _ = built
    with pdfplumber.open(output / "blocks/blocks-a5.pdf") as pdf:
        page = pdf.pages[1]
        lines = [(line, visible("".join(g["text"] for g in logical(line)))) for line in lines_of(page)]
    header = next(line for line, text in lines if text.startswith("المدينة"))
    body = [c for line, _ in lines for c in line]
    assert max(c["x1"] for c in header) == pytest.approx(max(c["x1"] for c in body), abs=1)
    assert min(c["x0"] for c in header) > min(c["x0"] for c in body) + 50  # the table no wider than it needs
    drawn = ["".join(g["text"] for g in sorted(line, key=lambda g: g["x0"])) for line, _ in lines]
    assert drawn[-2].startswith("+3.5") and drawn[-1].startswith("−12.25"), drawn  # the sign before its number
    epigraph = next(line for line, text in lines if text.startswith("من يجعل"))
    assert max(c["x1"] for c in epigraph) < page.width / 2 + 40
    code = "".join(c["text"] for c in sorted(body, key=lambda c: c["x0"]) if "Mono" in c["fontname"])
    assert code == "print()"
    read = " ".join(text for _, text in lines)  # a phrase across emphasis or two source lines keeps its order
    assert visible("في Central Park غدًا، ثم في New York بعد") in read and "والكلمتان Example Town في" in read


def test_the_booklet_of_a_right_to_left_pamphlet_reads_in_order_when_folded(built):
    """Bound on the right (samizdat.direction, part "bind"): folded, the long Arabic text's booklet gives the
    A5 pamphlet's pages in order, page by page (each side's halves matched with the A5's pages by their text)."""
    from folding import read_folded_booklet

    output, _, _ = built
    with pdfplumber.open(output / "long/long-a5.pdf") as pdf:
        pages = [page.extract_text() for page in pdf.pages]
    sides = []
    with pdfplumber.open(output / "long/long-booklet-a4.pdf") as pdf:
        for page in pdf.pages:
            halves = ((0, 0, page.width / 2, page.height), (page.width / 2, 0, page.width, page.height))
            texts = [page.crop(half).extract_text() or None for half in halves]
            sides.append({(column, 0): (text, 0) for column, text in enumerate(texts)})
    assert len(pages) >= 5 and len(sides) == 4  # two sheets, both sides: the blanks before the back cover
    assert [text for text in read_folded_booklet(sides, "short", bind="right") if text] == pages


def test_justified_lines_fill_the_measure_and_the_last_starts_at_the_right(built):
    """Justified like the left-to-right pamphlet (the total-fit breaker's lines: no stretched letters), the
    paragraph's last line flush right, ragged at the left."""
    output, _, _ = built
    page = text_pages(output / "long/long-a5.pdf")[0]
    edges = [(min(g["x0"] for g in line), max(g["x1"] for g in line)) for line in page]
    right = max(edge[1] for edge in edges)
    assert all(edge[1] == pytest.approx(right, abs=1) for edge in edges)
    left = min(edge[0] for edge in edges)
    short = [index for index, edge in enumerate(edges) if edge[0] > left + 1]
    assert short and all(edges[index][0] > left + 20 for index in short), "a line short at its left but not a last"
    assert len(short) < len(edges) / 2


@pytest.mark.parametrize("lang", LANGS)
def test_the_total_fit_breaker_sets_right_to_left_paragraphs_as_chosen(tmp_path: Path, lang: str):
    """Pango measures a word the same in either direction, and WeasyPrint justifies an RTL line by its spaces as
    an LTR one: the breaker (samizdat.paragraphs) breaks these paragraphs too, and WeasyPrint sets its lines."""
    project = Project(REPO, RTL, tmp_path / "output")
    layout = lay_out_pamphlet(project, Job(read_document(project, RTL / f"{lang}.md"), "pamphlet"), None)
    assert len(layout.breaks) == len(shapes(layout.document)) >= 2
    assert unmatched(layout.document, layout.breaks) == []


@pytest.mark.parametrize(("lang", "slogan"), [("ar", "لا للحرب"), ("fa", "نه به جنگ"), ("he", "לא למלחמה")])
def test_posters_read_in_order(built, lang: str, slogan: str):
    output, _, _ = built
    posters = sorted((output / lang / "posters").glob("*-a3.pdf"))
    assert len(posters) == 1
    with pdfplumber.open(posters[0]) as pdf:
        page = pdf.pages[0]
        big = max(c["size"] for c in page.chars)
        lines = baseline_lines([c for c in page.chars if c["size"] > big * 0.9])
        read = " ".join("".join(g["text"] for g in logical(line)) for line in lines)
        assert visible(read) == slogan


def test_a_local_edition_of_a_right_to_left_document(built):
    output, _, _ = built
    local = output / "he" / "local" / "example-town"
    pamphlet = local / "he-a5.pdf"
    assert read_back(pamphlet)[: len(source_words(RTL / "he.md"))] == source_words(RTL / "he.md")
    with pdfplumber.open(pamphlet) as pdf:
        back = pdf.pages[-1]
        lines = [visible("".join(g["text"] for g in logical(line))) for line in lines_of(back)]
    assert "לידך: Example Town" in lines
    assert "ביום שלישי 18:00–20:00, בספריית העיר" in lines  # tests/data/rtl/groups.csv
    assert {path.name for path in local.rglob("*.pdf")} >= {"he-a5.pdf", "לא-למלחמה-a3.pdf"}


@pytest.mark.parametrize(
    ("text", "isolated"),
    [
        ("يوم 2026-05-01.", f"يوم {LRI}2026-05-01{PDI}."),
        ("من 18:00–20:00 في", f"من {LRI}18:00–20:00{PDI} في"),
        ("في Central Park، غدًا", f"في {LRI}Central Park{PDI}، غدًا"),
        ("الموقع https://example.org/ar للمزيد", f"الموقع {LRI}https://example.org/ar{PDI} للمزيد"),
        ("الموقع https://example.org/ar/. وهنا", f"الموقع {LRI}https://example.org/ar/{PDI}. وهنا"),
        ("۱۴۰۵/۰۲/۱۱ تا ۱۸:۰۰", f"{LRI}۱۴۰۵/۰۲/۱۱{PDI} تا {LRI}۱۸:۰۰{PDI}"),
        ("בשעה 18:00 (50%)", f"בשעה {LRI}18:00 (50%){PDI}"),
        ("التغير +3.5 و−12.25", f"التغير {LRI}+3.5{PDI} و{LRI}−12.25{PDI}"),  # the sign with its number
        ("في (Central Park) غدًا", f"في {LRI}(Central Park){PDI} غدًا"),
        ("في Central *Park* غدًا", 'في <span dir="ltr">Central <em>Park</em></span> غدًا'),  # across boxes
        ("في *Central* *Park*، غدًا", 'في <span dir="ltr"><em>Central</em> <em>Park</em></span>، غدًا'),
        ("في *Central غدًا* Park", f"في <em>{LRI}Central{PDI} غدًا</em>\u00a0{LRI}Park{PDI}"),  # by box
        ("في Central\nPark غدًا", f"في {LRI}Central\nPark{PDI} غدًا"),  # a line break of the source: one box
        ("لا للحرب", "لا للحرب"),  # nothing left to right: nothing added
        ("\u200fمن 18:00–20:00", "\u200fمن 18:00–20:00"),  # the author's own marks: left as written
        ("من 18:00\ue000–20:00", "من 18:00\ue000–20:00"),  # samizdat's private markers, typed: left alone
    ],
)
def test_left_to_right_runs_are_isolated(text: str, isolated: str):
    if "*" not in text and "\n" not in text:
        assert isolate(text) == isolated
    assert markdown_for("ar").render(text) == f"<p>{isolated}</p>\n"


def test_the_front_matter_is_isolated_too_and_a_left_to_right_document_is_not():
    document = load_document(RTL / "ar.md")
    assert document.direction == "rtl" and document.imprint == f"طُبع للاختبار، {LRI}2026{PDI}"
    assert f"{LRI}18:00–20:00{PDI}" in document.body_html
    english = load_document(REPO / "content" / "stop-the-war.md")
    assert english.direction == "ltr" and LRI not in english.body_html


@pytest.mark.parametrize(("lang", "expected"), [("ar", "rtl"), ("fa-IR", "rtl"), ("he", "rtl"), ("en", "ltr"),
                                                 ("ru", "ltr"), ("ka", "ltr")])  # fmt: skip
def test_the_direction_of_a_language(lang: str, expected: str):
    assert direction(lang) == expected
