"""The covers, in each design: boxes, bleed, safe margin, preflight, the front's hierarchy, the back cover's
slogans, imprint, url and QR code, and what a document without url, blurb or imprint gets."""

from __future__ import annotations

from pathlib import Path

import pdfplumber
import pypdfium2
import pytest
import zxingcpp
from conftest import make_project
from pdfs import A5, MM, boxes
from test_pamphlet import close, is_accent, sample

from samizdat.cli import main
from samizdat.preflight import ERROR, expectations_for, preflight

DESIGNS = ("bold", "quiet")
URL = "https://example.org/stop-the-war"
BLEED = 3 * MM

FULL = f"""\
---
title: Stop the war
subtitle: The standfirst, one line under the title
author: The Test Collective
lang: en
url: {URL}
blurb: A short statement about the war and what each of us can do today.
imprint: Printed by the Test Press, 1 Example Street.
slogans:
  - Stop the war!
  - End Putinism!
local:
  data: groups.csv
  outputs: [a5, a5-print, booklet]
---

A paragraph of text.
"""

BARE = """\
---
title: Нет войне
subtitle: Заявление о войне
author: Пример коллектива
lang: ru
slogans: [Библиотеки, а не бомбы!]
---

Текст.
"""

GROUPS = "town,meeting,contact,url\nExample Town,Thursdays at 7 pm,me@example.org,https://example.org/town\n"


@pytest.fixture(scope="module", params=DESIGNS)
def built(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path]:
    """A project with a full and a bare document (and a local edition), built in one design."""
    root = make_project(tmp_path_factory.mktemp(request.param), {"full": FULL, "bare": BARE})
    (root / "content" / "groups.csv").write_text(GROUPS)
    (root / "samizdat.yaml").write_text(f"cover: {request.param}\n")
    assert main(["--project", str(root)]) == 0
    return request.param, root / "output"


OUTPUTS = [
    "full/full-a5.pdf", "full/full-a5-print.pdf", "full/full-booklet-a4.pdf", "bare/bare-a5.pdf",
    "bare/bare-a5-print.pdf", "bare/bare-booklet-a4.pdf", "full/local/example-town/full-a5.pdf",
    "full/local/example-town/full-a5-print.pdf", "full/local/example-town/full-booklet-a4.pdf",
]  # fmt: skip


@pytest.mark.parametrize("name", OUTPUTS)
def test_every_output_of_each_design_passes_preflight(built: tuple[str, Path], name: str):
    path = built[1] / name
    findings = preflight(path.read_bytes(), expectations_for(path.name), name=path.name)
    assert not [finding.message for finding in findings if finding.severity == ERROR]


@pytest.mark.parametrize("slug", ["full", "bare"])
def test_boxes_screen_exactly_a5_print_with_3mm_bleed(built: tuple[str, Path], slug: str):
    screen, printed = boxes(built[1] / slug / f"{slug}-a5.pdf"), boxes(built[1] / slug / f"{slug}-a5-print.pdf")
    assert len(printed) == -(-len(screen) // 4) * 4  # the print shop's booklet: whole sheets (impose.blanks)
    for page in screen:
        assert close(page["mediabox"], (0, 0, *A5)) and close(page["trimbox"], (0, 0, *A5))
    for page in printed:
        assert close(page["trimbox"], (0, 0, *A5))
        assert close(page["bleedbox"], (-BLEED, -BLEED, A5[0] + BLEED, A5[1] + BLEED))


#: Points in the bleed (PDF points from the trim's lower left) that each design's colour field covers.
WIDTH, HEIGHT = A5
IN_BLEED = {
    ("bold", 0): [(-1.5 * MM, HEIGHT / 2), (WIDTH + 1.5 * MM, HEIGHT / 2), (WIDTH / 2, HEIGHT + 1.5 * MM)],
    ("bold", -1): [(-1.5 * MM, HEIGHT / 2), (WIDTH + 1.5 * MM, HEIGHT / 2), (WIDTH / 2, HEIGHT + 1.5 * MM)],
    ("quiet", 0): [(-1.5 * MM, 10 * MM), (WIDTH + 1.5 * MM, 10 * MM), (WIDTH / 2, HEIGHT + 1.5 * MM)],
    ("quiet", -1): [(-1.5 * MM, 10 * MM), (WIDTH + 1.5 * MM, 10 * MM), (WIDTH / 2, -1.5 * MM)],
}
#: And where the band at the foot runs into the bleed: ink (bold) or the accent colour (quiet).
BAND = [(-1.5 * MM, 8 * MM), (WIDTH / 2, -1.5 * MM), (WIDTH + 1.5 * MM, 8 * MM)]


@pytest.mark.parametrize("page", [0, -1], ids=["front", "back"])
def test_the_colour_field_runs_into_the_bleed(built: tuple[str, Path], page: int):
    design, output = built
    path = output / "full/full-a5-print.pdf"
    assert all(is_accent(rgb) for rgb in sample(path, page, IN_BLEED[design, page]))
    band = sample(path, page, BAND)
    is_band = (lambda rgb: max(rgb) < 60) if design == "bold" else is_accent
    assert all(is_band(rgb) for rgb in band), band
    assert all(min(rgb) > 240 for rgb in sample(path, page, [(-5 * MM, HEIGHT / 2), (WIDTH / 2, -5 * MM)]))


@pytest.mark.parametrize("slug", ["full", "bare"])
def test_cover_text_keeps_the_cover_padding_from_the_trim(built: tuple[str, Path], slug: str):
    with pdfplumber.open(built[1] / slug / f"{slug}-a5.pdf") as pdf:
        for page in (pdf.pages[0], pdf.pages[-1]):
            chars = [char for char in page.chars if char["text"].strip()]
            assert chars
            for char in chars:
                assert char["x0"] >= 15 * MM and char["x1"] <= WIDTH - 15 * MM, char["text"]
                assert char["top"] >= 5 * MM and char["bottom"] <= HEIGHT - 5 * MM, char["text"]


def lines_of(page: pdfplumber.page.Page) -> dict[str, tuple[float, float]]:
    """Each line of text on a page: its top and its largest font size."""
    found: dict[str, tuple[float, float]] = {}
    for line in page.extract_text_lines():
        found[line["text"]] = (line["top"], max(char["size"] for char in line["chars"]))
    return found


def test_front_cover_reads_title_standfirst_author_and_uses_its_lower_part(built: tuple[str, Path]):
    with pdfplumber.open(built[1] / "full/full-a5.pdf") as pdf:
        lines = lines_of(pdf.pages[0])
    title, standfirst = lines["Stop the war"], lines["The standfirst, one line under the title"]
    slogan, author = lines["Stop the war!"], lines["The Test Collective"]
    assert title[0] < standfirst[0] < slogan[0] < author[0]
    assert title[1] > standfirst[1] >= author[1]
    assert slogan[0] > HEIGHT * 0.6 and author[0] > HEIGHT * 0.85  # the lower part is used


def test_back_cover_carries_slogans_blurb_url_imprint_and_a_qr_code_that_scans(built: tuple[str, Path]):
    path = built[1] / "full/full-a5.pdf"
    with pdfplumber.open(path) as pdf:
        text = pdf.pages[-1].extract_text()
    for part in ["Stop the war!", "End Putinism!", "A short statement about the war", URL, "Test Press"]:
        assert part in text.replace("\n", " ")
    image = last_page(path).render(scale=4).to_pil()
    assert URL in [result.text for result in zxingcpp.read_barcodes(image)]


def test_a_local_edition_has_the_groups_box_and_the_online_copy(built: tuple[str, Path]):
    path = built[1] / "full/local/example-town/full-a5.pdf"
    with pdfplumber.open(path) as pdf:
        text = pdf.pages[-1].extract_text().replace("\n", " ")
    assert "Near you: Example Town" in text and "Thursdays at 7 pm" in text and URL in text
    image = last_page(path).render(scale=4).to_pil()
    assert {URL, "https://example.org/town"} <= {result.text for result in zxingcpp.read_barcodes(image)}


def last_page(path: Path) -> pypdfium2.PdfPage:
    document = pypdfium2.PdfDocument(path)
    return document[len(document) - 1]


def blank_share(path: Path, page: int) -> float:
    """The tallest run of rows of one colour (the page's field with nothing on it), as a share of the page."""
    document = pypdfium2.PdfDocument(path)
    image = document[page % len(document)].render(scale=1).to_pil().convert("RGB")
    longest = run = 0
    for row in range(image.height):
        colours = {image.getpixel((column, row)) for column in range(0, image.width, 2)}
        run = run + 1 if len(colours) == 1 else 0
        longest = max(longest, run)
    return longest / image.height


@pytest.mark.parametrize("page", [0, -1], ids=["front", "back"])
def test_a_document_without_url_blurb_or_imprint_gets_no_empty_slots(built: tuple[str, Path], page: int):
    path = built[1] / "bare/bare-a5.pdf"
    with pdfplumber.open(path) as pdf:
        back = pdf.pages[-1]
        assert not back.images  # no QR code without a url
        assert "Пример коллектива" in back.extract_text()  # the author's mark, in the colophon band
    assert blank_share(path, page) < 0.5


@pytest.mark.parametrize(
    ("config", "front", "expected"),
    [
        ("sheet: A4\ncover: loud\n", "", ["samizdat.yaml:2", "bold, quiet"]),
        ("url: ftp://example.org\n", "", ["samizdat.yaml:1", "https://example.org/statement"]),
        ("", "url: example.org\n", ["bare.md:6", "the address of the online copy"]),
        ("", f"blurb: '{'x' * 601}'\n", ["bare.md:6", "blurb is 601 characters long"]),
    ],
    ids=["design", "project url", "document url", "blurb too long"],
)
def test_a_wrong_cover_setting_is_an_error_with_file_and_line(
    tmp_path: Path, capsys, config: str, front: str, expected: list[str]
):
    root = make_project(tmp_path / "project", {"bare": BARE.replace("lang: ru\n", f"lang: ru\n{front}")})
    if config:
        (root / "samizdat.yaml").write_text(config)
    assert main(["--project", str(root)]) == 1
    err = capsys.readouterr().err
    assert all(part in err for part in expected), err


def test_the_project_url_is_on_every_back_cover_and_a_documents_own_comes_first(tmp_path: Path, capsys):
    own = BARE.replace("lang: ru\n", "lang: ru\nurl: https://example.org/own\n")
    root = make_project(tmp_path / "project", {"bare": BARE, "own": own})
    (root / "samizdat.yaml").write_text("url: https://example.org/project\n")
    assert main(["--project", str(root)]) == 0
    for slug, url in [("bare", "https://example.org/project"), ("own", "https://example.org/own")]:
        with pdfplumber.open(root / "output" / slug / f"{slug}-a5.pdf") as pdf:
            assert url in pdf.pages[-1].extract_text()


def test_changing_the_design_sets_the_pamphlet_again_and_leaves_the_posters(tmp_path: Path, capsys):
    root = make_project(tmp_path / "project", {"bare": BARE})
    assert main(["--project", str(root)]) == 0
    pamphlet, poster = root / "output/bare/bare-a5.pdf", next((root / "output/bare/posters").glob("*-a3.pdf"))
    before, poster_before = pamphlet.read_bytes(), poster.stat().st_mtime_ns
    (root / "samizdat.yaml").write_text("cover: quiet\n")
    assert main(["--project", str(root)]) == 0
    assert pamphlet.read_bytes() != before and poster.stat().st_mtime_ns == poster_before
    (root / "samizdat.yaml").write_text("cover: bold\n")
    assert main(["--project", str(root)]) == 0
    assert pamphlet.read_bytes() == before  # the same inputs, the same bytes
