"""The pamphlet's other editions: large print (A4, 16 pt), pocket (A6) and copier-safe (A5, black and white only).

One module-scoped build of a small document with all three editions (and a local group's copier edition),
built again with nothing changed and once more with the copier's `max_solid` changed; every test reads it.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pdfplumber
import pypdfium2
import pytest
from pdfs import raw_pdf, trim_edges
from PIL import Image, ImageChops
from pypdf import PdfReader

from samizdat.cli import main
from samizdat.pdfio.painted import is_pure, painted
from samizdat.preflight import ERROR, Expectations, identify, preflight

MM = 72 / 25.4
LEAFLET = """\
---
title: Every reader a copy
subtitle: Large print, pocket and copier editions of one text
author: The Test Collective
lang: en
local:
  data: groups.csv
  outputs: [copier]
---

Organisers print on office copiers that charge for colour, readers who need large print ask for it, and a
pocket copy travels where a sheet of paper would not. Every edition carries the same words in the same
order, set for the way it will be read.[^why]

## What we ask

::: demands
- A copy for every reader, in the size they can read
- Files that any copier prints cleanly
:::

The demands above are set apart in a tinted panel on screen; on a copier the tint becomes white inside a
black rule, since a copier screens greys into dots. The cover becomes black type on paper.

## How to print it

Send the pocket edition to a print shop, print the large print at home on A4, and give the copier edition
to whoever runs the office copier this week.

[^why]: Because nobody should be left without a copy they can read.
"""
GROUPS = "town,meeting\nExample Town,Thursdays at 7 pm in the library\n"
CONFIG = "url: https://example.org/every-reader\neditions: [large-print, pocket, copier]\n"
#: Each edition: its file, its trim in mm, its bleed in mm, and where its running heads and folios stop (mm from
#: the trim's top and bottom edge), so that the body's words can be read without them.
EDITIONS = {
    "a5": ("leaflet-a5.pdf", (148, 210), 0, (15, 15)),
    "large-print": ("leaflet-large-print-a4.pdf", (210, 297), 0, (19, 20)),
    "pocket": ("leaflet-pocket-a6.pdf", (105, 148), 3, (9.5, 10)),
    "copier": ("leaflet-copier-a5.pdf", (148, 210), 0, (15, 15)),
}


def stamps(folder: Path) -> dict[str, tuple[int, int]]:
    """Each PDF's inode and modification time: a file written again (atomically) changes both."""
    return {path.relative_to(folder).as_posix(): (path.stat().st_ino, path.stat().st_mtime_ns)
            for path in sorted(folder.rglob("*.pdf"))}  # fmt: skip


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """The project built, then built again unchanged, then with `copier: {max_solid: 0.3}`: its stamps each time."""
    root = tmp_path_factory.mktemp("variants")
    (root / "content").mkdir()
    (root / "content" / "leaflet.md").write_text(LEAFLET)
    (root / "content" / "groups.csv").write_text(GROUPS)
    (root / "samizdat.yaml").write_text(CONFIG)
    assert main(["--project", str(root)]) == 0
    output = root / "output"
    first = stamps(output)
    assert main(["--project", str(root)]) == 0
    again = stamps(output)
    (root / "samizdat.yaml").write_text(CONFIG + "copier: {max_solid: 0.3}\n")
    assert main(["--project", str(root)]) == 0
    return {"folder": output / "leaflet", "first": first, "again": again, "changed": stamps(output)}


def pdf(built: dict, edition: str) -> Path:
    return built["folder"] / EDITIONS[edition][0]


def body_words(path: Path, head_mm: float, foot_mm: float) -> list[str]:
    """The words of the text pages (not the covers) in reading order, without running heads and folios, with
    words broken at a line's end joined again and the notes' calls left out (a superscript is read on its
    own line at some leadings)."""
    text = ""
    with pdfplumber.open(path) as document:
        for page in document.pages[1:-1]:
            top, bottom = trim_edges(page)
            for line in page.extract_text_lines(strip=True):
                if line["top"] >= top + head_mm * MM and line["bottom"] <= bottom - foot_mm * MM:
                    broken = line["text"].endswith("\u2010")
                    text += line["text"][:-1] if broken else line["text"] + ("" if line["text"][-1] in "—-" else " ")
    return [re.sub(r"(?<=[.,;:!?a-z])1$", "", word) for word in text.split() if word != "1"]


@pytest.mark.parametrize("edition", ["large-print", "pocket", "copier"])
def test_each_edition_passes_preflight_as_its_kind(built: dict, edition: str):
    data = pdf(built, edition).read_bytes()
    expect, how = identify(data, pdf(built, edition).name)
    assert how.startswith(f"kind: {edition} on ")
    errors = [finding.message for finding in preflight(data, expect) if finding.severity == ERROR]
    assert errors == []


@pytest.mark.parametrize("edition", ["large-print", "pocket", "copier"])
def test_each_edition_is_on_its_paper(built: dict, edition: str):
    _, (width, height), bleed, _ = EDITIONS[edition]
    for page in PdfReader(pdf(built, edition)).pages:
        trim, around = page.trimbox, page.bleedbox
        assert (round(float(trim.width) / MM), round(float(trim.height) / MM)) == (width, height)
        assert float(trim.left - around.left) / MM == pytest.approx(bleed, abs=0.05)
        assert float(around.top - trim.top) / MM == pytest.approx(bleed, abs=0.05)
    if edition != "large-print":  # the pocket and copier files are booklets: their blank pages are in them
        assert len(PdfReader(pdf(built, edition)).pages) % 4 == 0


@pytest.mark.parametrize("edition", ["large-print", "pocket", "copier"])
def test_each_edition_holds_the_a5s_words_in_order(built: dict, edition: str):
    a5 = body_words(pdf(built, "a5"), *EDITIONS["a5"][3])
    assert len(a5) > 100
    assert body_words(pdf(built, edition), *EDITIONS[edition][3]) == a5


def test_large_print_sets_the_body_text_at_16_pt_at_least(built: dict):
    with pdfplumber.open(pdf(built, "large-print")) as document:
        words = [word for page in document.pages[1:-1] for word in page.extract_words(extra_attrs=["size"])]
    paragraph = ["Organisers", "print", "on", "office", "copiers", "that", "charge", "for", "colour"]
    sizes = {word["text"].strip(","): word["size"] for word in words if word["text"].strip(",") in paragraph}
    assert set(sizes) == set(paragraph)
    assert min(round(size, 2) for size in sizes.values()) >= 16
    assert max(word["size"] for word in words) > 16  # the headings are larger still


def test_the_pocket_text_is_a_readable_size_for_a6(built: dict):
    with pdfplumber.open(pdf(built, "pocket")) as document:
        sizes = [round(char["size"], 1) for page in document.pages[1:-1] for char in page.chars]
    assert 8.5 <= max(set(sizes), key=sizes.count) <= 9


def test_the_copier_file_paints_nothing_but_pure_black_and_white(built: dict):
    for number, page in enumerate(painted(PdfReader(pdf(built, "copier"))), 1):
        assert page.others == [], f"page {number}"
        assert {colour for colour in page.colours if not is_pure(colour)} == set(), f"page {number}"
    assert {"RGB 0 0 0", "RGB 1 1 1"} <= {c for page in painted(PdfReader(pdf(built, "copier"))) for c in page.colours}


def test_the_a5_paints_colour_so_the_copier_check_can_fail(built: dict):
    colours = {colour for page in painted(PdfReader(pdf(built, "a5"))) for colour in page.colours}
    assert "RGB 0.702 0.082 0.114" in colours  # the accent, #b3151d
    assert not all(is_pure(colour) for colour in colours)


def renders(path: Path, smooth: bool):
    document = pypdfium2.PdfDocument(path)
    options = {} if smooth else {"no_smoothtext": True, "no_smoothimage": True, "no_smoothpath": True}
    yield from (document[index].render(scale=60 / 72, **options).to_pil().convert("RGB")
                for index in range(len(document)))  # fmt: skip


GREY = re.compile(rb"[\x01-\xfe]")
RULE_EDGE = re.compile(rb"([\x01-\xfe])\1{7,}")  # one grey, 8 pixels or more in a straight line


def stray_greys(image: Image.Image) -> bool:
    """Whether a render without anti-aliasing has grey pixels that are not the edge of a rule: pdfium smooths
    the clipping path WeasyPrint draws every rule's rectangle inside, which leaves a straight run of one grey
    along it; a grey colour painted (text, a tint) gives greys that are not such runs."""
    grey, edges = image.convert("L"), set()
    for picture, turned in ((grey, False), (grey.transpose(Image.Transpose.TRANSPOSE), True)):
        data, width = picture.tobytes(), picture.width
        for row in range(picture.height):
            for run in RULE_EDGE.finditer(data, row * width, (row + 1) * width):
                along = range(run.start() - row * width - 1, run.end() - row * width + 1)  # with its corners
                edges.update((line, x) if turned else (x, line) for x in along for line in (row - 1, row, row + 1))
    data, width = grey.tobytes(), grey.width
    return any(divmod(found.start(), width)[::-1] not in edges for found in GREY.finditer(data))


@pytest.mark.parametrize("edition, pure", [("copier", True), ("a5", False), ("large-print", False)])
def test_a_render_of_the_copier_file_has_only_black_and_white_pixels(built: dict, edition: str, pure: bool):
    """Without anti-aliasing, every pixel is black or white but the clipped edges of rules; with it, the
    edges' greys are greys, never a colour. The A5 and the large print, in colour, show that this can fail."""
    strays = [stray_greys(image) for image in renders(pdf(built, edition), False)]
    assert (not any(strays)) is pure, strays
    coloured = []
    for image in renders(pdf(built, edition), True):
        red, green, blue = image.split()
        coloured.append(ImageChops.difference(red, green).getbbox() or ImageChops.difference(green, blue).getbbox())
    assert (not any(coloured)) is pure


def test_no_copier_page_is_a_quarter_solid(built: dict):
    """Over all of each page, dark pixels stay far under the configured share: no solid can be larger."""
    for image in renders(pdf(built, "copier"), False):
        dark = sum(image.convert("L").point(lambda value: 255 if value < 128 else 0).histogram()[255:])
        assert dark / (image.width * image.height) < 0.25


def test_the_copier_check_names_each_colour_and_the_solid_cover_of_another_file(built: dict):
    data = pdf(built, "large-print").read_bytes()
    found = preflight(data, Expectations("copier", paper="A4", black_and_white=True, max_solid=0.25))
    errors = [finding.message for finding in found if finding.check == "copier" and finding.severity == ERROR]
    assert any(text.startswith("Page") and "paints RGB 0.702 0.082 0.114 (fill" in text for text in errors)
    assert any("solid black covers" in text and "over the 25% allowed" in text for text in errors)


def test_a_local_group_gets_the_editions_its_outputs_name(built: dict):
    local = built["folder"] / "local" / "example-town"
    assert sorted(path.name for path in local.glob("*.pdf")) == ["leaflet-copier-a5.pdf"]
    assert "Example Town" in " ".join(body_words(local / "leaflet-copier-a5.pdf", 0, 0) + [
        page.extract_text() for page in PdfReader(local / "leaflet-copier-a5.pdf").pages[-1:]])


def test_nothing_is_made_again_when_nothing_changed_and_only_the_copier_when_its_share_does(built: dict):
    first, again, changed = built["first"], built["again"], built["changed"]
    assert again == first
    remade = {name for name in first if changed[name] != first[name]}
    assert remade == {"leaflet/leaflet-copier-a5.pdf", "leaflet/local/example-town/leaflet-copier-a5.pdf"}


def test_the_download_page_and_manifest_list_every_edition(built: dict):
    import json

    output = built["folder"].parent
    manifest = {entry["path"]: entry for entry in json.loads((output / "manifest.json").read_text())["files"]}
    sums = (output / "SHA256SUMS").read_text()
    page = (output / "index.html").read_text()
    for edition in ("large-print", "pocket", "copier"):
        name = EDITIONS[edition][0]
        assert manifest[f"leaflet/{name}"]["bytes"] == pdf(built, edition).stat().st_size
        assert f"leaflet/{name}" in sums and name in page
    assert "large print (16 pt text)" in page and "office copier" in page


@pytest.mark.parametrize(
    "config, message",
    [
        ("editions: [huge-print]\n", "large-print, pocket, copier"),
        ("editions: large-print\n", "a list of large-print, pocket, copier"),
        ("editions: [pocket, pocket]\n", "pocket is named twice in editions"),
        ("copier: {max_solid: 0}\n", "between 0 and 1"),
        ("copier: {max_solid: 1.5}\n", "between 0 and 1"),
        ("copier: {max_solid: lots}\n", "between 0 and 1"),
        ("copier: {solid: 0.2}\n", "did you mean 'max_solid'"),
        ("copier: 0.3\n", "max_solid: the share of a copier file"),
    ],
)
def test_a_bad_editions_or_copier_setting_is_named_with_its_line(tmp_path: Path, capsys, config: str, message: str):
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "leaflet.md").write_text(LEAFLET.replace("  data: groups.csv\n  outputs: [copier]\n", "")
                                                     .replace("local:\n", ""))
    kept = tmp_path / "output" / "leaflet" / "leaflet-copier-a5.pdf"
    kept.parent.mkdir(parents=True)
    kept.write_bytes(b"%PDF-1.7 the last good copy\n")
    (tmp_path / "output" / ".cache").mkdir()
    (tmp_path / "samizdat.yaml").write_text("sheet: A4\n" + config)
    assert main(["--project", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert "samizdat.yaml:2" in err and message in err and "Traceback" not in err
    assert kept.read_bytes() == b"%PDF-1.7 the last good copy\n"


def drawn(content: bytes) -> PdfReader:
    """One page drawn by `content`, with a half-opaque state /Half, a form /Fm (filled in 50 % grey), a black
    and white image /ImW, a coloured one /ImC and a shading /Sh."""
    image = b"<< /Type /XObject /Subtype /Image /Width 2 /Height 1 /ColorSpace /DeviceRGB /BitsPerComponent 8 " \
        b"/Length 6 >>"  # fmt: skip
    shading = b"<< /ShadingType 2 /ColorSpace /DeviceRGB /Coords [0 0 1 0] /Function << /FunctionType 2 " \
        b"/Domain [0 1] /N 1 >> >>"  # fmt: skip
    return PdfReader(io.BytesIO(raw_pdf(
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 100 100] /Contents 4 0 R /Resources << /ExtGState << /Half "
        b"<< /ca 0.5 >> >> /XObject << /Fm 5 0 R /ImW 6 0 R /ImC 7 0 R >> /Shading << /Sh %s >> >> >>" % shading,
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content),
        b"<< /Type /XObject /Subtype /Form /BBox [0 0 9 9] /Length 17 >>\nstream\n0.5 g 0 0 9 9 re f\nendstream",
        image + b"\nstream\n\x00\x00\x00\xff\xff\xff\nendstream",
        image + b"\nstream\n\xb3\x15\x1d\xff\xff\xff\nendstream",
    )))  # fmt: skip


@pytest.mark.parametrize(
    "content, colours, others",
    [
        (b"0 0 0 rg 0 0 10 10 re f", {"RGB 0 0 0": {"fill"}}, []),
        (b"0 0 0 1 K 0 0 m 10 10 l S", {"CMYK 0 0 0 1": {"stroke"}}, []),
        (b"0.5 0.4 0.4 1 k BT (x) Tj ET", {"CMYK 0.5 0.4 0.4 1": {"text"}}, []),  # rich black: not K alone
        (b"/DeviceRGB cs 1 0 0 sc 0 0 5 5 re f 1 g 0 0 5 5 re B", {"RGB 1 0 0": {"fill"}, "Gray 1": {"fill"},
                                                                  "Gray 0": {"stroke"}}, []),  # fmt: skip
        (b"3 Tr 1 0 0 rg BT (x) Tj ET", {}, []),  # invisible text paints nothing
        (b"q /Half gs 0 g 0 0 10 10 re f Q 0 0 10 10 re f", {"Gray 0": {"fill"}},
         ["Gray 0 at 50% opacity (fill), which prints as a grey"]),
        (b"1 0 0 rg /Fm Do", {"Gray 0.5": {"fill"}}, []),
        (b"/ImW Do", {"RGB 0 0 0": {"image"}, "RGB 1 1 1": {"image"}}, []),
        (b"/ImC Do", {}, ["a picture in grey or colour (2 × 1 px)"]),
        (b"/Sh sh", {}, ["a shading (a gradient)"]),
        (b"/x Tr (a) rg [1] gs [/ImC] Do /x cs 0 0 1 1 re f", {"x": {"fill"}}, []),  # operands of the wrong type
    ],
)
def test_what_a_page_paints_is_read_from_its_content_stream(content: bytes, colours: dict, others: list):
    (page,) = painted(drawn(content))
    assert (page.colours, page.others) == (colours, others)


def test_a_layout_that_paints_a_solid_cover_fails_the_copier_check_until_the_share_allows_it(tmp_path: Path, capsys):
    """A project's copier.css that turns the cover black: preflight names the page and the share (exit 1);
    `copier: {max_solid: 1}` allows it, and the same file passes (`check`, without the project, holds it to 25 %)."""
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "leaflet.md").write_text("---\ntitle: Solid\nauthor: Us\nlang: en\n---\n\nA few words.\n")
    layouts = tmp_path / "layouts" / "pamphlet"
    layouts.mkdir(parents=True)
    built_in = Path(__file__).resolve().parents[1] / "samizdat" / "layouts" / "pamphlet" / "copier.css"
    (layouts / "copier.css").write_text(built_in.read_text() + "@page cover { background: #000000; }\n"
                                        ".cover { color: #ffffff; }\n")  # fmt: skip
    (tmp_path / "samizdat.yaml").write_text("editions: [copier]\n")
    assert main(["--project", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert "Page 1: solid black covers 100% of the page, over the 25% allowed (samizdat.yaml's `copier:" in out
    (tmp_path / "samizdat.yaml").write_text("editions: [copier]\ncopier: {max_solid: 1}\n")
    assert main(["--project", str(tmp_path)]) == 0
    data = (tmp_path / "output" / "leaflet" / "leaflet-copier-a5.pdf").read_bytes()
    assert [f.message for f in preflight(data, identify(data, "x.pdf")[0]) if f.severity == ERROR] != []  # at 0.25


def test_the_large_print_is_tagged_as_the_screen_a5_is(built: dict):
    """For screen readers and magnifying readers: the machine-checkable PDF/UA-1 rules, as the A5 meets them."""
    pytest.importorskip("pdfua")
    from test_pdfua import empty_headings, triage

    assert triage(pdf(built, "large-print")) == ([], [])
    assert empty_headings(pdf(built, "large-print")) == []


@pytest.mark.parametrize(
    ("in_config", "in_front_matter", "made"),
    [
        ("", "", []),
        ("", "editions: [copier]\n", ["copier"]),
        ("editions: [large-print, pocket, copier]\n", "", ["large-print", "pocket", "copier"]),
        ("editions: [large-print, pocket, copier]\n", "editions: []\n", []),
        ("editions: [pocket]\n", "editions: [large-print, copier]\n", ["large-print", "copier"]),
    ],
)
def test_a_document_s_own_editions_replace_samizdat_yaml_s(tmp_path: Path, in_config, in_front_matter, made):
    from samizdat.config import load_config
    from samizdat.content import load_document
    from samizdat.plan import plan
    from samizdat.project import Project

    (tmp_path / "content").mkdir()
    source = tmp_path / "content" / "leaflet.md"
    source.write_text(f"---\ntitle: A leaflet\nauthor: The Test Collective\nlang: en\n{in_front_matter}---\n\nText.\n")
    (tmp_path / "samizdat.yaml").write_text("sheet: A4\n" + in_config)
    planned, _ = plan(Project.at(tmp_path), load_config(tmp_path), [load_document(source)], None)
    kinds = [target.kind.name for job in planned if job.job.group == "variants" for target in job.targets]
    assert kinds == made


def test_a_document_naming_an_edition_samizdat_has_not_is_told_its_line(tmp_path: Path, capsys):
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "leaflet.md").write_text(
        "---\ntitle: A leaflet\nauthor: The Test Collective\nlang: en\neditions: [braille]\n---\n\nText.\n"
    )
    assert main(["--project", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert "leaflet.md:5" in err and "large-print, pocket, copier" in err and "Traceback" not in err
