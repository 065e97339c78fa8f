"""Risograph separations (samizdat.riso): one drum's PDF per ink, the proof, the marks, the riso's limits, riso:.

One small project is built once for the module, with two inks (black: ink and
muted; red: accent and panel); its separations are read back as renders
(pypdfium2) and compared with a colour render of the same riso layout, with
each other and with the proof PNG. The limits and the bad `riso:` values are
each a short build of a copy of that project.
"""

from __future__ import annotations

import shutil
import textwrap
from dataclasses import replace
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from PIL import Image

from samizdat.body import paper_edition
from samizdat.cli import main
from samizdat.config import load_config
from samizdat.content import load_document
from samizdat.jobs import lay_out_pamphlet
from samizdat.pdf import write_pdf
from samizdat.project import Project
from samizdat.riso import STYLESHEETS
from samizdat.riso_proof import DPI, PROOF_GAP, proof_pages
from samizdat.targets import Job

DOCUMENT = """\
---
title: Print It Twice
author: The Example Network
lang: en
url: https://example.org/leaflet
---

## Why a risograph

A risograph prints one ink at a time. This short text is set on the pages of a
small pamphlet so that the separations have words, headings and rules to print.

::: demands
- A panel in a light tint of the accent
- A rule beside it in the accent colour
:::

## What it costs

Very little: a master per drum, and paper.
"""
CONFIG = "riso:\n  inks:\n    black: [ink, muted]\n    red: [accent, panel]\n"
INKS = ("black", "red")
TOKENS = {"accent": (0xB3, 0x15, 0x1D), "ink": (0x1B, 0x1B, 0x1B), "paper": (255, 255, 255)}


def build(root: Path, capsys: pytest.CaptureFixture) -> tuple[int, str]:
    capsys.readouterr()
    code = main(["--project", str(root), "--jobs", "1"])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


@pytest.fixture(scope="module")
def riso_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project, built once: output/leaflet/ holds its separations and proof."""
    root = tmp_path_factory.mktemp("riso")
    (root / "content").mkdir()
    (root / "content" / "leaflet.md").write_text(DOCUMENT, encoding="utf-8")
    (root / "samizdat.yaml").write_text(CONFIG, encoding="utf-8")
    assert main(["--project", str(root), "--jobs", "1"]) == 0
    return root


def separation(root: Path, ink: str) -> Path:
    return root / "output" / "leaflet" / f"leaflet-riso-{ink}-a5.pdf"


def renders(data: bytes, mode: str = "L", trim: bool = True) -> list[Image.Image]:
    """Every page at the checks' DPI, cut to the trim (or the whole sheet, with its slug)."""
    scale, pages = DPI / 72, []
    for page in pdfium.PdfDocument(data):
        left, bottom, right, top = page.get_trimbox() if trim else page.get_cropbox()
        crop_left, _, _, crop_top = page.get_cropbox()
        image = page.render(scale=scale).to_pil().convert(mode)
        pages.append(image.crop((round((left - crop_left) * scale), round((crop_top - top) * scale),
                                 round((right - crop_left) * scale), round((crop_top - bottom) * scale))))  # fmt: skip
    return pages


@pytest.fixture(scope="module")
def drums(riso_project: Path) -> dict[str, list[Image.Image]]:
    return {ink: renders(separation(riso_project, ink).read_bytes()) for ink in INKS}


@pytest.fixture(scope="module")
def colour_pages(riso_project: Path) -> list[Image.Image]:
    """The riso layout with its colours as designed: what the drums together should print."""
    project = Project.at(riso_project)
    config = load_config(riso_project)
    document = paper_edition(load_document(riso_project / "content" / "leaflet.md"))
    job = replace(Job(document, "riso"), document=document)
    layout = lay_out_pamphlet(project, job, None, design=config.cover, url=config.url, stylesheets=STYLESHEETS)
    return renders(write_pdf(layout), "RGB")


def near(pixel: tuple[int, ...], colour: tuple[int, int, int], within: int = 24) -> bool:
    return all(abs(a - b) <= within for a, b in zip(pixel, colour, strict=True))


def test_each_drum_prints_only_what_its_tokens_paint(drums, colour_pages):
    """Where the design is accent, the red drum is dark and the black one paper; where it is ink, the black
    drum is dark; where it is paper, both are paper (the red under a black band overprints: not asserted)."""
    checked, wrong = {name: 0 for name in TOKENS}, []
    for number, page in enumerate(colour_pages):
        black, red = drums["black"][number], drums["red"][number]
        assert page.size == black.size == red.size
        for y in range(0, page.size[1], 3):
            for x in range(0, page.size[0], 3):
                pixel = page.getpixel((x, y))
                expected = {"accent": (red, black), "ink": (black, None), "paper": (None, None)}
                for name, colour in TOKENS.items():
                    if near(pixel, colour):
                        checked[name] += 1
                        dark, light = expected[name]
                        if dark is not None and dark.getpixel((x, y)) > 100:
                            wrong.append((number + 1, x, y, name, "not dark"))
                        for drum in (red, black) if name == "paper" else (light,) if light is not None else ():
                            if drum.getpixel((x, y)) < 230:
                                wrong.append((number + 1, x, y, name, "not paper"))
    assert min(checked.values()) > 500, checked  # every token is on the pages, in quantity
    assert len(wrong) < 0.002 * sum(checked.values()), wrong[:20]  # a few antialiased edges


def test_the_panel_prints_as_a_light_tint_of_the_red_drum(drums, colour_pages):
    """The panel (#f7e6e4) is a light tint of the accent: a light grey on the red drum, nothing on the black."""
    page = colour_pages[1]
    panel = [(x, y) for y in range(0, page.size[1], 4) for x in range(0, page.size[0], 4)
             if near(page.getpixel((x, y)), (0xF7, 0xE6, 0xE4), 4)]  # fmt: skip
    assert len(panel) > 200
    greys = sorted(drums["red"][1].getpixel(point) for point in panel)
    assert 170 < greys[len(greys) // 2] < 235
    assert min(drums["black"][1].getpixel(point) for point in panel) > 240


def test_the_drums_laid_over_one_another_are_the_proof(riso_project, drums):
    """Each drum's grey lets its ink through (1 - darkness × (1 - ink)); the drums multiply: that is the proof."""
    proof = Image.open(riso_project / "output" / "leaflet" / "leaflet-riso-proof-a5.png").convert("RGB")
    inks = {"black": (0, 0, 0), "red": (0xFF, 0x66, 0x5E)}
    width, height = drums["black"][0].size
    chosen = proof_pages(len(drums["black"]))
    assert proof.size == (len(chosen) * (width + PROOF_GAP) - PROOF_GAP, height)
    differences = []
    for place, index in enumerate(chosen):
        for y in range(0, height, 5):
            for x in range(0, width, 5):
                expected = [255.0, 255.0, 255.0]
                for ink, colour in inks.items():
                    darkness = 1 - drums[ink][index].getpixel((x, y)) / 255
                    expected = [value * (1 - darkness * (1 - channel / 255)) for value, channel in zip(
                        expected, colour, strict=True)]  # fmt: skip
                got = proof.getpixel((place * (width + PROOF_GAP) + x, y))
                differences.append(max(abs(a - b) for a, b in zip(got, expected, strict=True)))
    assert max(differences) <= 3, max(differences)
    assert proof.getpixel((width // 2, height // 3)) == (0xFF, 0x66, 0x5E)  # the front cover's field, in red ink


def test_registration_marks_are_at_the_same_place_on_every_drum(riso_project):
    """Outside the trim, the crosses and crop marks of every page of every drum are the same pixels; the drum's
    name is written in the slug below the page, and differs."""
    sheets = {ink: renders(separation(riso_project, ink).read_bytes(), trim=False) for ink in INKS}
    per_mm = DPI / 25.4
    for number, (black, red) in enumerate(zip(sheets["black"], sheets["red"], strict=True), start=1):
        width, height = black.size
        slug = round(12 * per_mm)
        label = (0, height - slug, width // 2 - round(8 * per_mm), height)  # left of the bottom cross
        marks = [black.copy(), red.copy()]
        for image in marks:
            image.paste(255, (slug, slug, width - slug, height - slug))  # the page itself
            image.paste(255, label)
        assert marks[0].tobytes() == marks[1].tobytes(), f"page {number}: the marks differ"
        middle = marks[0].crop((0, height // 2 - slug, slug, height // 2 + slug))
        assert middle.getextrema()[0] < 80, f"page {number}: no registration cross at the left edge's middle"
        assert black.crop(label).tobytes() != red.crop(label).tobytes(), "the drums' names are the same"
        assert black.crop(label).getextrema()[0] < 80, "no drum name in the slug"


def riso_css(extra: str) -> str:
    """The built-in riso.css with `extra` after it: a project's layout that breaks one limit."""
    from samizdat.layers import BUILTIN_LAYOUTS

    return (BUILTIN_LAYOUTS / "pamphlet" / "riso.css").read_text(encoding="utf-8") + "\n" + extra


#: A project's riso.css that breaks a limit → what the build says.
LIMITS = [
    (".text h2 { position: relative; left: -17mm; }", "leaflet-riso-red-a5.pdf, page 2: the red ink paints 0.0 mm "
     "from the left edge; a risograph needs 5 mm clear on every side"),
    ("@page cover { margin: 5.2mm; } .cover { height: 199.6mm; }", "leaflet-riso-red-a5.pdf, page 1: the red ink "
     "is solid over 8"),
    (".demands { opacity: 0.5; }", "leaflet-riso-red-a5.pdf, page 2: painted with transparency"),
]


@pytest.mark.parametrize(("css", "said"), LIMITS, ids=["margin", "solid", "transparency"])
def test_a_layout_past_a_riso_limit_fails_naming_the_page(riso_project, tmp_path, capsys, css, said):
    root = tmp_path / "project"
    shutil.copytree(riso_project, root)
    before = {ink: separation(root, ink).read_bytes() for ink in INKS}
    (root / "layouts" / "pamphlet").mkdir(parents=True)
    (root / "layouts" / "pamphlet" / "riso.css").write_text(riso_css(css), encoding="utf-8")
    code, said_out = build(root, capsys)
    assert code == 1
    assert said in said_out
    assert str(root / "layouts" / "pamphlet" / "riso.css") in said_out  # the file to change
    assert {ink: separation(root, ink).read_bytes() for ink in INKS} == before  # the last good drums stay


#: samizdat.yaml's riso: → what the build says and the line it names.
BAD_RISO = [
    ("riso: {inks: {}}\n", "riso: takes inks", 1),
    ("riso:\n  inks:\n    red: [acent]\n", "'acent' is not a colour token of layouts/base/tokens.css: did you mean "
     "'accent'?", 3),
    ("riso:\n  inks:\n    black: [ink]\n    red: [ink, accent]\n", "the token 'ink' is in the inks black and red", 4),
    ("riso:\n  inks:\n    gold: [accent]\n", "'gold' is not one of the RISO inks samizdat knows", 3),
    ("riso:\n  inks:\n    Red Ink: [accent]\n", "should be lower-case letters, digits and hyphens", 3),
    ("riso:\n  inks:\n    red: {tokens: [accent], colour: white}\n", "should be #rrggbb, darker than the paper", 3),
    ("riso:\n  inks:\n    red: []\n", "the ink 'red' prints no token", 3),
    ("riso: {inks: {red: [[1]]}}\n", "[1] is not a colour token", 1),
]  # fmt: skip


@pytest.mark.parametrize(("yaml", "said", "line"), BAD_RISO, ids=lambda value: str(value)[:24])
def test_bad_riso_values_are_reported_with_their_line(tmp_path, capsys, yaml, said, line):
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "leaflet.md").write_text(DOCUMENT, encoding="utf-8")
    (tmp_path / "samizdat.yaml").write_text(yaml, encoding="utf-8")
    code, out = build(tmp_path, capsys)
    assert code == 1
    assert f"samizdat.yaml:{line}: " in out and said in out, out


def test_a_painted_token_in_no_ink_is_an_error_naming_it(riso_project, tmp_path, capsys):
    """The issue's own example leaves the panel in no ink: a document with a demands panel cannot be printed."""
    root = tmp_path / "project"
    shutil.copytree(riso_project, root)
    (root / "samizdat.yaml").write_text(textwrap.dedent("""\
        riso: {inks: {black: [ink, muted], red: [accent]}}
    """), encoding="utf-8")  # fmt: skip
    code, out = build(root, capsys)
    assert code == 1
    assert "the colour token panel (#f7e6e4) is in no ink of riso: inks: but paints page 2; add it to the ink that " \
           "should print it, e.g. red: [accent, panel]" in out


def test_separations_made_again_alone_are_the_same_bytes(riso_project, tmp_path, capsys):
    """Incremental and reproducible: the drums and the proof removed are made again (the pamphlet's files are up
    to date), byte for byte as before."""
    root = tmp_path / "project"
    shutil.copytree(riso_project, root)
    made = sorted((root / "output" / "leaflet").glob("leaflet-riso-*"))
    assert [path.name for path in made] == ["leaflet-riso-black-a5.pdf", "leaflet-riso-proof-a5.png",
                                            "leaflet-riso-red-a5.pdf"]  # fmt: skip
    before = {path: path.read_bytes() for path in made}
    for path in made:
        path.unlink()
    code, out = build(root, capsys)
    assert code == 0, out
    assert "leaflet/leaflet-a5.pdf  (up to date)" in out
    assert {path: path.read_bytes() for path in made} == before
