"""Posters: each slogan whole, inside its safe area, within 2 % of the largest size that fits; QR codes scan."""

from __future__ import annotations

import itertools
import re
import shutil
from pathlib import Path

import pdfplumber
import pypdfium2
import pytest
import zxingcpp
from conftest import REPO, make_project
from pdfs import MM, boxes, fonts
from pypdf import PdfReader
from test_pamphlet import bundled_font_names
from weasyprint.formatting_structure.boxes import LineBox

from samizdat.cli import main
from samizdat.content import load_document
from samizdat.html import render_html
from samizdat.paper import PAPERS
from samizdat.pdf import lay_out
from samizdat.posters import Poster, poster_size

SLOGANS = ["Stop the war!", "End Putinism!", "Free Ukraine!", "Free the oppressed in Russia!"]
SLUGS = ["stop-the-war", "end-putinism", "free-ukraine", "free-the-oppressed-in-russia"]
A3 = (PAPERS["A3"].width, PAPERS["A3"].height)


def token_mm(name: str) -> float:
    """A poster design token, read from tokens.css (so the test follows the designer's choice)."""
    return float(re.search(rf"--{name}: ([\d.]+)mm;", (REPO / "layouts/base/tokens.css").read_text()).group(1))


def safe_area(width: float, height: float) -> tuple[float, float, float, float]:
    """Left, bottom, right, top of where the slogan may be, in PDF points."""
    margin, footer = token_mm("poster-margin") * MM, token_mm("poster-footer-height") * MM
    return margin, margin + footer, width - margin, height - margin


def slogan_glyphs(path: Path, page: int = 0, minimum_size: float = 30) -> tuple[str, list[tuple[float, ...]]]:
    """The slogan's text and the tight box of each of its glyphs (the footer's small text left out)."""
    document = pypdfium2.PdfDocument(path)
    text_page = document[page].get_textpage()
    chars, boxes_ = [], []
    for index in range(text_page.count_chars()):
        char = text_page.get_text_range(index, 1)
        if pypdfium2.raw.FPDFText_GetFontSize(text_page.raw, index) < minimum_size and char.strip():
            continue
        chars.append(char)
        if char.strip():
            boxes_.append(text_page.get_charbox(index))
    return re.sub(r"\s+", " ", "".join(chars)).strip(), boxes_


def inside(box: tuple[float, ...], area: tuple[float, float, float, float]) -> bool:
    left, bottom, right, top = box
    return left >= area[0] - 0.01 and bottom >= area[1] - 0.01 and right <= area[2] + 0.01 and top <= area[3] + 0.01


@pytest.mark.parametrize(("slogan", "slug"), list(zip(SLOGANS, SLUGS, strict=True)))
def test_each_slogan_is_whole_and_inside_the_safe_area(statement_output: Path, slogan: str, slug: str):
    path = statement_output / "posters" / f"{slug}-a3.pdf"
    text, glyphs = slogan_glyphs(path)
    assert text == slogan
    assert glyphs and all(inside(box, safe_area(*A3)) for box in glyphs)
    assert all(abs(a - b) < 0.01 for a, b in zip(boxes(path)[0]["mediabox"], (0, 0, *A3), strict=True))
    assert "Russian Socialist Movement" in PdfReader(path).pages[0].extract_text()


@pytest.mark.parametrize("slug", SLUGS)
def test_print_variants_have_bleed_and_trim(statement_output: Path, slug: str):
    page = boxes(statement_output / "posters" / f"{slug}-a3-print.pdf")[0]
    bleed = 3 * MM
    assert all(abs(a - b) < 0.01 for a, b in zip(page["trimbox"], (0, 0, *A3), strict=True))
    assert all(
        abs(a - b) < 0.01 for a, b in zip(page["bleedbox"], (-bleed, -bleed, A3[0] + bleed, A3[1] + bleed), strict=True)
    )
    document = pypdfium2.PdfDocument(statement_output / "posters" / f"{slug}-a3-print.pdf")
    image = document[0].render(scale=1).to_pil().convert("RGB")
    left, _, _, top = document[0].get_mediabox()
    red, green, blue = image.getpixel((round(-1.5 * MM - left), round(top - A3[1] / 2)))
    assert red > 150 and green < 80 and blue < 80, "the background does not run into the bleed"


def lay_out_posters(posters: list[Poster], sizes: list) -> object:
    """Set posters with the real template, at sizes and line breaks the test chooses: WeasyPrint's pages."""
    document = load_document(REPO / "content" / "stop-the-war.md")
    html = render_html(
        document, "poster/poster.html", REPO / "layouts", variant="screen", date=None, sizes=sizes,
        posters=posters, probe_sizes=[], words=[], url=None, qr=None,
    )  # fmt: skip
    dirs = [REPO / "content", REPO / "layouts", REPO / "fonts"]
    return lay_out(html, base_url=document.source.as_uri(), allowed_dirs=dirs, fonts_dir=REPO / "fonts").document


def runs_out(page: object) -> bool:
    """Whether the slogan's lines, as laid out, are wider or taller than its area."""
    boxes_ = [box for box in page._page_box.descendants() if box.element is not None]
    area = next(box for box in boxes_ if "slogan-area" in (box.element.get("class") or "").split())
    slogan = next(box for box in boxes_ if "slogan" in (box.element.get("class") or "").split())
    lines = [box for box in slogan.descendants() if isinstance(box, LineBox)]
    widest = max(sum(child.margin_width() for child in line.children) for line in lines)
    return widest > area.width or slogan.height > area.height


def fitted_size(path: Path) -> float:
    """The slogan's font size as drawn (pdfplumber applies the text and graphics matrices)."""
    with pdfplumber.open(path) as pdf:
        return max(char["size"] for char in pdf.pages[0].chars)


def partitions(words: list[str]) -> list[tuple[str, ...]]:
    """Every way of breaking the words into lines."""
    found = []
    for cuts in itertools.product([False, True], repeat=len(words) - 1):
        lines, line = [], [words[0]]
        for word, cut in zip(words[1:], cuts, strict=True):
            if cut:
                lines.append(" ".join(line))
                line = []
            line.append(word)
        found.append(tuple([*lines, " ".join(line)]))
    return found


@pytest.mark.parametrize(("slogan", "slug"), list(zip(SLOGANS, SLUGS, strict=True)))
def test_the_fitted_size_is_within_2_percent_of_the_largest_that_fits(statement_output: Path, slogan, slug):
    """At 1.02 × the size, every way of breaking the slogan into lines runs out of the safe area; as set, it fits."""
    size = fitted_size(statement_output / "posters" / f"{slug}-a3.pdf")
    a3 = poster_size("A3")
    breaks = partitions(slogan.split())
    posters = [Poster(slogan, slug, a3, round(size * 1.02, 2), lines) for lines in breaks]
    pages = lay_out_posters(posters, [a3]).pages
    assert len(pages) == len(breaks)
    for page, lines in zip(pages, breaks, strict=True):
        assert runs_out(page), f"{lines} still fits at 1.02 × {size:.1f} pt"
    fitting = [Poster(slogan, slug, a3, round(size, 2), lines) for lines in breaks]
    assert not all(runs_out(page) for page in lay_out_posters(fitting, [a3]).pages)


def write_project(tmp_path: Path, front: str, config: str = "") -> Path:
    project = make_project(tmp_path / "project", {"leaflet": f"---\n{front}---\nText.\n"})
    if config:
        (project / "samizdat.yaml").write_text(config)
    return project


def test_qr_code_scans_back_to_the_url(tmp_path: Path, capsys):
    url = "https://example.org/stop-the-war"
    project = write_project(
        tmp_path, "title: T\nauthor: Example Collective\nlang: en\nslogans: [Peace now]\n", f"posters:\n  url: {url}\n"
    )
    assert main(["--project", str(project)]) == 0
    image = pypdfium2.PdfDocument(project / "output/leaflet/posters/peace-now-a3.pdf")[0].render(scale=3).to_pil()
    assert [result.text for result in zxingcpp.read_barcodes(image)] == [url]


def test_cyrillic_slogans_with_the_bundled_fonts(tmp_path: Path, capsys):
    front = "title: Т\nauthor: Колектив\nlang: uk\nslogans:\n  - Ні війні!\n  - Свободу політв'язням!\n"
    project = write_project(tmp_path, front, "posters:\n  sizes: [A3, A2 landscape]\n")
    assert main(["--project", str(project)]) == 0
    folder = project / "output/leaflet/posters"
    for name, slogan, size in [("ні-війні-a3", "Ні війні!", "A3"), ("свободу-політв-язням-a2-landscape",
                               "Свободу політв’язням!", "A2")]:  # fmt: skip
        text, glyphs = slogan_glyphs(folder / f"{name}.pdf")
        assert text == slogan
        width, height = PAPERS[size].oriented(landscape="landscape" in name)
        assert all(inside(box, safe_area(width, height)) for box in glyphs)
        found = fonts(folder / f"{name}.pdf")
        assert {re.sub(r"[^a-z]", "", font.lower()) for font in found} <= bundled_font_names()


def test_a_single_long_word_is_scaled_down_never_cut(tmp_path: Path, capsys):
    word = "Antidisestablishmentarianism"
    project = write_project(tmp_path, f"title: T\nauthor: A\nlang: en\nslogans: [{word}]\n")
    assert main(["--project", str(project)]) == 0
    text, glyphs = slogan_glyphs(project / f"output/leaflet/posters/{word.lower()}-a3.pdf")
    assert text == word and all(inside(box, safe_area(*A3)) for box in glyphs)


def test_a_slogan_too_long_for_the_minimum_size_is_an_error(tmp_path: Path, capsys):
    slogan = " ".join(["solidarity"] * 15)  # 164 characters: under the length limit, over what 200 pt can hold
    front = f"title: T\nauthor: A\nlang: en\nslogans: [{slogan}]\n"
    project = write_project(tmp_path, front, "posters:\n  minimum: 200\n")
    assert main(["--project", str(project)]) == 1
    err = capsys.readouterr().err
    assert "leaflet.md:5: the slogan “solidarity solidarity" in err and "under the 200 pt minimum" in err


def test_unknown_poster_size_lists_the_valid_ones(tmp_path: Path, capsys):
    project = write_project(tmp_path, "title: T\nauthor: A\nlang: en\nslogans: [Hi]\n", "posters:\n  sizes: [B2]\n")
    assert main(["--project", str(project)]) == 1
    err = capsys.readouterr().err
    assert "samizdat.yaml:2: unknown poster size 'B2': choose A4, A3, A2, A1, A0, Letter, Tabloid" in err


def test_the_statement_has_four_a3_posters_print_variants_and_tiles(statement_output: Path):
    names = sorted(path.name for path in (statement_output / "posters").iterdir())
    assert names == sorted(f"{slug}-a3{suffix}.pdf" for slug in SLUGS for suffix in ("", "-print", "-tiled-a4"))


def test_posters_are_reproducible(statement_output: Path, tmp_path: Path):
    shutil.copytree(REPO / "content", tmp_path / "content")
    assert (
        main(["--project", str(REPO), "--content", str(tmp_path / "content"), "--output", str(tmp_path / "out")]) == 0
    )
    for path in (statement_output / "posters").iterdir():
        assert (tmp_path / "out/stop-the-war/posters" / path.name).read_bytes() == path.read_bytes(), path.name


def test_an_empty_slogan_is_an_error_naming_the_document_and_line(tmp_path: Path, capsys):
    """Like `slogans: ['']`, a front matter mistake: the document fails (tests/hostile/test_hostile_input.py
    checks that its last good outputs and the other documents survive)."""
    project = write_project(tmp_path, "title: T\nauthor: A\nlang: en\nslogans: ['   ', Peace]\n")
    assert main(["--project", str(project)]) == 1
    assert "leaflet.md:5: a slogan is blank" in capsys.readouterr().err


def test_every_size_fills_its_own_sheet_and_hyphenated_words_stay_whole(tmp_path: Path, capsys):
    """Sizes of different heights in one render; words with hyphens or slashes measured whole."""
    slogans = ["Yes to self-determination", "Putin out/Peace in", "Peace!", "Peace?"]
    front = "title: T\nauthor: A\nlang: en\nslogans:\n" + "".join(f"  - '{s}'\n" for s in slogans)
    project = write_project(tmp_path, front, "posters:\n  sizes: [A4, A0, Tabloid landscape]\n")
    assert main(["--project", str(project)]) == 0, capsys.readouterr().err
    folder = project / "output/leaflet/posters"
    for slug, slogan in [("yes-to-self-determination", slogans[0]), ("putin-out-peace-in", slogans[1]),
                         ("peace", "Peace!"), ("peace-2", "Peace?")]:  # fmt: skip
        for size, (width, height) in [("a4", PAPERS["A4"].oriented(False)), ("a0", PAPERS["A0"].oriented(False)),
                                      ("tabloid-landscape", PAPERS["Tabloid"].oriented(True))]:  # fmt: skip
            path = folder / f"{slug}-{size}.pdf"
            text, glyphs = slogan_glyphs(path)
            assert text == slogan, path.name
            assert all(inside(box, safe_area(width, height)) for box in glyphs), path.name
            with pdfplumber.open(path) as pdf:
                small = [char for char in pdf.pages[0].chars if char["size"] < 30]
            foot = height - (token_mm("poster-margin") + token_mm("poster-footer-height")) * MM
            assert small and all(foot <= char["top"] and char["bottom"] <= height for char in small), path.name


def test_many_words_are_measured(tmp_path: Path, capsys):
    words = ["solidarity", "workers", "neighbours", "comrades", "students", "nurses", "miners", "teachers"]
    slogans = [f"{a} and {b} together {i}" for i, (a, b) in enumerate(itertools.permutations(words, 2))][:14]
    front = "title: T\nauthor: A\nlang: en\nslogans:\n" + "".join(f"  - {s}\n" for s in slogans)
    project = write_project(tmp_path, front)
    assert main(["--project", str(project)]) == 0, capsys.readouterr().err
    assert len(list((project / "output/leaflet/posters").glob("*-a3.pdf"))) == 14


SERIES = ["Putinism!", "Библиотеки", "Free the oppressed in Russia!"]


def series_sizes(tmp_path: Path, scale: str) -> dict[tuple[str, str], float]:
    """The fitted size of each slogan of SERIES on A3 and A2 landscape, built with `scale`."""
    front = "title: T\nauthor: A\nlang: ru\nslogans:\n" + "".join(f"  - {slogan}\n" for slogan in SERIES)
    project = write_project(tmp_path / scale, front, f"posters:\n  sizes: [A3, A2 landscape]\n  scale: {scale}\n")
    assert main(["--project", str(project)]) == 0
    folder = project / "output/leaflet/posters"
    return {
        (slug, size): fitted_size(folder / f"{slug}-{size}.pdf")
        for slug in ("putinism", "библиотеки", "free-the-oppressed-in-russia")
        for size in ("a3", "a2-landscape")
    }


def test_scale_common_sets_the_whole_set_at_the_largest_size_every_slogan_fits(tmp_path: Path, capsys):
    each, common = series_sizes(tmp_path, "each"), series_sizes(tmp_path, "common")
    for size in ("a3", "a2-landscape"):
        own = [value for (_, paper), value in each.items() if paper == size]
        shared = {round(value, 1) for (_, paper), value in common.items() if paper == size}
        assert len(shared) == 1, (size, shared)  # one size for the series on each paper
        assert abs(shared.pop() - min(own)) <= min(own) * 0.01  # the largest at which the longest one fits
        assert max(own) > min(own) * 1.3  # scale: each sets the short ones larger: the test can tell the two apart


def test_long_words_are_set_in_the_condensed_face(statement_output: Path):
    found = fonts(statement_output / "posters/end-putinism-a3.pdf")
    assert any("ExtraCondensed" in name for name in found), found
    assert fitted_size(statement_output / "posters/end-putinism-a3.pdf") > 190  # Noto Sans Bold fitted it at 159 pt


@pytest.mark.parametrize("suffix", ["-a3", "-a3-print", "-a3-tiled-a4"])
@pytest.mark.parametrize(("slogan", "slug"), list(zip(SLOGANS, SLUGS, strict=True)))
def test_each_posters_pdf_title_is_its_slogan(statement_output: Path, slogan: str, slug: str, suffix: str):
    assert PdfReader(statement_output / "posters" / f"{slug}{suffix}.pdf").metadata["/Title"] == slogan


TOO_LONG = " ".join(["solidarity"] * 15)


def test_a_slogan_too_long_fails_alone_and_keeps_its_last_good_posters(tmp_path: Path, capsys):
    front = f"title: T\nauthor: A\nlang: en\nslogans:\n  - Peace now\n  - {TOO_LONG}\n  - Bread and roses\n"
    project = write_project(tmp_path, front, "posters:\n  minimum: 24\n")
    assert main(["--project", str(project)]) == 0
    folder = project / "output/leaflet/posters"
    long_slug = "solidarity-solidarity-solidarity-solidarity-solidarity"
    before = {path.name: path.read_bytes() for path in folder.glob(f"{long_slug}-*.pdf")}
    peace = (folder / "peace-now-a3.pdf").read_bytes()
    assert len(before) == 3
    (project / "samizdat.yaml").write_text("posters:\n  minimum: 150\n  scale: common\n")
    for _ in range(2):  # the next build reports it again: a failed poster is never "up to date"
        capsys.readouterr()
        assert main(["--project", str(project)]) == 1
        err = capsys.readouterr().err
        assert "leaflet.md:7: the slogan “solidarity solidarity" in err and "under the 150 pt minimum" in err
        assert "Peace now" not in err and "Bread and roses" not in err
    for slug in ("peace-now", "bread-and-roses"):
        for suffix in ("", "-print", "-tiled-a4"):
            assert (folder / f"{slug}-a3{suffix}.pdf").is_file()
    assert (folder / "peace-now-a3.pdf").read_bytes() != peace  # set again, at the common size
    assert {path.name: path.read_bytes() for path in folder.glob(f"{long_slug}-*.pdf")} == before


@pytest.mark.parametrize(
    ("config", "message"),
    [
        ("posters:\n  scale: same\n", "samizdat.yaml:2"),
        ("posters:\n  scale: common\n  url: not a url\n", "samizdat.yaml:3"),
    ],
)
def test_a_wrong_poster_setting_names_its_line(tmp_path: Path, capsys, config: str, message: str):
    project = write_project(tmp_path, "title: T\nauthor: A\nlang: en\nslogans: [Hi]\n", config)
    assert main(["--project", str(project)]) == 1
    assert message in capsys.readouterr().err
