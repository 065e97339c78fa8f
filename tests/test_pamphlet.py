"""The A5 pamphlet of the statement: words, boxes, fonts, metadata, bookmarks, bleed and reproducibility."""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
from pathlib import Path

import pdfplumber
import pypdfium2
import pytest
from conftest import DATA, REPO, copy_fonts
from fontTools.ttLib import TTFont
from pdfs import A5, HEAD_ZONE, MM, body_words, boxes, fonts, page_texts_in_zone, trim_edges
from pypdf import PdfReader

from samizdat.cli import main

SCREEN = "stop-the-war-a5.pdf"
PRINT = "stop-the-war-a5-print.pdf"
BLEED = 3 * MM


def close(a: tuple[float, ...], b: tuple[float, ...], tolerance: float = 0.01) -> bool:
    return len(a) == len(b) and all(abs(x - y) <= tolerance for x, y in zip(a, b, strict=True))


@pytest.mark.parametrize("name", [SCREEN, PRINT])
def test_words_are_the_seed_in_order(statement_output: Path, name: str):
    """The seed's words, but the cover's in its own order: title, standfirst, the first slogan set large; the
    author is in the band at the foot (samizdat.covers)."""
    title, author, subtitle, body = re.split(r"\n\n+", (DATA / "statement.txt").read_text(), maxsplit=3)
    first_slogan = body.split("\n\n")[-4]
    seed = f"{title} {subtitle} {first_slogan} {body}".split()  # its "•" are the list markers
    assert body_words(statement_output / name) == seed
    assert page_texts_in_zone(statement_output / name, "foot")[0] == author


def test_screen_pages_are_exactly_a5(statement_output: Path):
    for page in boxes(statement_output / SCREEN):
        assert close(page["mediabox"], (0, 0, *A5))
        assert close(page["trimbox"], (0, 0, *A5))


def test_print_pages_have_a5_trim_and_3mm_bleed(statement_output: Path):
    print_boxes = boxes(statement_output / PRINT)
    screen_pages = len(boxes(statement_output / SCREEN))
    assert len(print_boxes) == screen_pages + -screen_pages % 4, "the print shop's booklet: blanks added"
    for page in print_boxes:
        assert close(page["trimbox"], (0, 0, *A5))
        assert close(page["bleedbox"], (-BLEED, -BLEED, A5[0] + BLEED, A5[1] + BLEED))
        media = page["mediabox"]
        assert media[0] < -BLEED and media[1] < -BLEED and media[2] > A5[0] + BLEED and media[3] > A5[1] + BLEED


def sample(path: Path, page: int, points: list[tuple[float, float]], reach: int = 0) -> list[tuple[int, int, int]]:
    """RGB of the rendered page at PDF points (TrimBox origin); with `reach`, the darkest pixel that near."""
    document = pypdfium2.PdfDocument(path)
    scale = 6
    pdf_page = document[page % len(document)]
    left, _, _, top = pdf_page.get_mediabox()
    image = pdf_page.render(scale=scale, may_draw_forms=False).to_pil().convert("RGB")
    colours = []
    for x, y in points:
        column, row = round((x - left) * scale), round((top - y) * scale)
        near = [
            image.getpixel((column + dx, row + dy))
            for dx in range(-reach, reach + 1)
            for dy in range(-reach, reach + 1)
        ]
        colours.append(min(near, key=sum))
    return colours


def is_accent(rgb: tuple[int, int, int]) -> bool:
    return rgb[0] > 150 and rgb[1] < 80 and rgb[2] < 80


def is_white(rgb: tuple[int, int, int]) -> bool:
    return min(rgb) > 240


@pytest.mark.parametrize("page", [0, -1], ids=["cover", "back cover"])
def test_cover_background_runs_into_the_bleed_and_stops_there(statement_output: Path, page: int):
    width, height = A5
    in_bleed = [(-1.5 * MM, height / 2), (width + 1.5 * MM, height / 2), (width / 2, height + 1.5 * MM)]
    in_slug = [(-5 * MM, height / 2), (width / 2, -5 * MM)]
    colours = sample(statement_output / PRINT, page, in_bleed + in_slug)
    assert all(is_accent(rgb) for rgb in colours[: len(in_bleed)]), colours
    assert all(is_white(rgb) for rgb in colours[len(in_bleed) :]), colours


def test_crop_marks_sit_outside_the_bleed_on_the_trim_lines(statement_output: Path):
    width, height = A5
    on_marks = [(-6 * MM, 0), (0, -6 * MM), (width + 6 * MM, height), (width, height + 6 * MM)]
    between = [(-6 * MM, height / 2), (width / 2, -6 * MM)]
    in_bleed = [(-1.5 * MM, 0), (0, -1.5 * MM), (width + 1.5 * MM, height), (width, height + 1.5 * MM)]
    colours = sample(statement_output / PRINT, 1, on_marks + between + in_bleed, reach=3)
    assert all(max(rgb) < 160 for rgb in colours[: len(on_marks)]), colours
    assert all(is_white(rgb) for rgb in colours[len(on_marks) :]), colours


def bundled_font_names() -> set[str]:
    """Normalised PostScript and full names of every font in fonts/."""
    names = set()
    for path in (REPO / "fonts").glob("*/*.ttf"):
        table = TTFont(path)["name"]
        family, style = table.getDebugName(1), table.getDebugName(2)
        for name in (table.getDebugName(4), table.getDebugName(6), family, family + style):
            names.add(re.sub(r"[^a-z]", "", name.lower()))
    return names


@pytest.mark.parametrize("name", [SCREEN, PRINT])
def test_every_font_is_embedded_and_comes_from_fonts_folder(statement_output: Path, name: str):
    found = fonts(statement_output / name)
    assert found and all(found.values()), found
    assert {re.sub(r"[^a-z]", "", font.lower()) for font in found} <= bundled_font_names()


def needs(tool: str) -> None:
    """External checks run where Debian's tool is installed (.ci/run installs it), and are skipped elsewhere."""
    if shutil.which(tool) is None:
        pytest.skip(f"{tool} is not installed (apt-get install {'poppler-utils' if tool == 'pdffonts' else tool})")


def test_pdffonts_agrees_that_fonts_are_embedded(statement_output: Path):
    needs("pdffonts")
    listing = subprocess.run(["pdffonts", str(statement_output / SCREEN)], capture_output=True, text=True, check=True)
    rows = listing.stdout.splitlines()[2:]
    assert rows and all(" yes yes " in row for row in rows), listing.stdout


@pytest.mark.parametrize("name", [SCREEN, PRINT])
def test_qpdf_finds_no_structural_errors(statement_output: Path, name: str):
    needs("qpdf")
    check = subprocess.run(["qpdf", "--check", str(statement_output / name)], capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr
    assert "No syntax or stream encoding errors found" in check.stdout


def test_metadata_title_author_language(statement_output: Path):
    reader = PdfReader(statement_output / SCREEN)
    assert reader.metadata.title == "Russia: “Stop the War” Means “Death to the Dictatorship”"
    assert reader.metadata.author == "Russian Socialist Movement"
    assert reader.trailer["/Root"]["/Lang"] == "en"


def test_bookmarks_follow_the_headings(statement_output: Path):
    reader = PdfReader(statement_output / SCREEN)
    outline = reader.outline
    assert outline[0].title.startswith("Russia:")
    assert [item.title for item in outline[1]] == [
        "The Causes and Nature of the War",
        "Democratic Popular Movements of the Last Decade",
        "Fighting for Peace or Forcing Negotiations?",
    ]
    heading_pages = [reader.get_destination_page_number(item) for item in outline[1]]
    assert heading_pages == sorted(heading_pages) and heading_pages[0] > 0


def test_running_heads_and_page_numbers_but_not_on_the_covers(statement_output: Path):
    heads = page_texts_in_zone(statement_output / SCREEN, "head")
    feet = page_texts_in_zone(statement_output / SCREEN, "foot")
    assert heads[0] == heads[-1] == ""
    assert not re.search(r"\d", feet[0] + feet[-1])  # no folio: the covers' bands carry the author's mark
    text_pages = [index for index in range(1, len(feet) - 1) if feet[index]]
    assert len(text_pages) >= 4
    for index in text_pages:
        assert feet[index] == str(index + 1)
        assert heads[index]
    assert heads[1].startswith("Russia:")


def test_words_are_hyphenated_at_line_ends(statement_output: Path):
    with pypdfium2.PdfDocument(statement_output / SCREEN) as document:
        text = "\n".join(document[i].get_textpage().get_text_range() for i in range(len(document)))
    assert re.search(r"[a-z]\u2010?\s*$", text, flags=re.M)
    broken = re.findall(r"([A-Za-z]+)[\u2010\xad-]\r?\n", text)
    assert any(word + "-" not in (DATA / "statement.txt").read_text() for word in broken), broken


def test_same_inputs_give_byte_identical_pdfs(statement_output: Path, tmp_path: Path):
    assert main(["--project", str(REPO), "--output", str(tmp_path)]) == 0
    for name in (SCREEN, PRINT):
        first = hashlib.sha256((statement_output / name).read_bytes()).hexdigest()
        second = hashlib.sha256((tmp_path / "stop-the-war" / name).read_bytes()).hexdigest()
        assert first == second, name


def test_source_date_epoch_sets_the_pdf_dates(workspace, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1708732800")
    workspace.write("dated.md", "---\ntitle: Dated\nauthor: Us\nlang: en\n---\nText.\n")
    assert workspace.build().code == 0
    reader = PdfReader(workspace.pdf("dated"))
    assert reader.metadata["/CreationDate"].startswith("D:20240224")
    assert reader.metadata["/ModDate"].startswith("D:20240224")


def test_undated_pdf_has_no_clock_in_it(statement_output: Path):
    reader = PdfReader(statement_output / SCREEN)
    assert "/CreationDate" not in reader.metadata and "/ModDate" not in reader.metadata


def test_links_work_and_imprint_is_on_the_back_cover(workspace):
    workspace.write(
        "linked.md",
        """\
        ---
        title: Linked
        author: Us
        lang: en
        imprint: Printed by the Test Press
        slogans: [Read more]
        ---
        See [our site](https://example.org/more) for more.
        """,
    )
    assert workspace.build().code == 0
    reader = PdfReader(workspace.pdf("linked"))
    uris = [
        annotation.get_object()["/A"]["/URI"]
        for page in reader.pages
        for annotation in page.get("/Annots", [])
        if annotation.get_object().get("/Subtype") == "/Link"
    ]
    assert uris == ["https://example.org/more"]
    assert "Printed by the Test Press" in reader.pages[-1].extract_text()
    assert "Read more" in reader.pages[-1].extract_text()


def test_demands_are_set_apart(statement_output: Path):
    with pdfplumber.open(statement_output / SCREEN) as pdf:
        for page in pdf.pages:
            words = page.extract_words()
            demand = [w for w in words if w["text"] == "cancellation"]
            if demand:
                panels = [r for r in page.rects if r["fill"] and r["x0"] <= demand[0]["x0"] <= r["x1"]]
                assert any(r["top"] <= demand[0]["top"] <= r["bottom"] for r in panels)
                body = [w for w in words if w["text"] == "We,"] or words
                assert demand[0]["x0"] > min(w["x0"] for w in body)
                return
    pytest.fail("the demand 'The cancellation of Ukraine’s public debt' was not found")


def test_headings_are_kept_with_their_next_paragraph(statement_output: Path):
    headings = ["The Causes and Nature of the War", "Democratic Popular Movements of the Last Decade",
                "Fighting for Peace or Forcing Negotiations?"]  # fmt: skip
    found = []
    with pdfplumber.open(statement_output / SCREEN) as pdf:
        for page in pdf.pages:
            top, _ = trim_edges(page)
            lines = [line["text"] for line in page.extract_text_lines(strip=True) if line["top"] > top + HEAD_ZONE]
            for index, line in enumerate(lines):
                if line in headings:
                    found.append(line)
                    following = lines[index + 1 : index + 3]
                    assert len(following) == 2 and not following[-1].isdigit(), (line, following)
    assert found == headings


def test_design_tokens_change_the_look_from_one_file(tmp_path: Path, capsys):
    """A designer edits tokens.css only: the cover colour and the page margins follow."""
    project = tmp_path / "project"
    shutil.copytree(REPO / "layouts", project / "layouts")
    copy_fonts(project / "fonts")
    shutil.copytree(REPO / "content", project / "content")
    tokens = project / "layouts" / "base" / "tokens.css"
    text = re.sub(r"--colour-accent: [^;]+;", "--colour-accent: #0000ff;", tokens.read_text())
    tokens.write_text(re.sub(r"--margin-outer: [^;]+;", "--margin-outer: 30mm;", text))
    assert main(["--project", str(project)]) == 0
    pdf_path = project / "output" / "stop-the-war" / SCREEN
    assert sample(pdf_path, 0, [(10 * MM, 100 * MM)]) == [(0, 0, 255)]
    with pdfplumber.open(pdf_path) as pdf:
        left_edge = min(word["x0"] for word in pdf.pages[1].extract_words() if word["top"] > 20 * MM)
    assert abs(left_edge - 30 * MM) < 1
