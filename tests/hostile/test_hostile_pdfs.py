"""Hostile PDFs given to impose, tile and check: a clear message naming the file, the right exit code, no
traceback, the input untouched, nothing half-written, and bounded time for the bombs.

Each case is a PDF and, for each command, what it must give: an exit code and a fragment of the message
(check writes its findings to stdout, impose and tile their errors to stderr: both are searched).
"""

from __future__ import annotations

import hashlib
import io
import os
import random
import re
import shutil
import subprocess
import sys
import time
import zlib
from pathlib import Path

import pypdfium2
import pytest
from conftest import REPO, VALID_FRONT_MATTER, make_project
from pdfs import contents_pdf, filtered_pdf, flate_bomb_pdf, looped_pdf, many_pages_pdf, numbered_pdf, one_page_pdf
from pypdf import PdfReader

from samizdat.cli import MAX_INPUT_BYTES, main
from samizdat.errors import SamizdatError
from samizdat.impose import ImposeOptions
from samizdat.impose.imposer import impose
from samizdat.impose.plan import TileOptions
from samizdat.pdfio.read import MAX_PAGES
from samizdat.preflight import ERROR, expectations_for, preflight
from samizdat.tile import tile

NO_AREA = "has no area"
ROTATE_45 = "/Rotate 45 is not a multiple of 90 degrees"
NOT_STREAM = "its /Contents must be a content stream"
DAMAGED = "is damaged and cannot be read"

#: name → (the PDF, {command: (exit code, fragment)}); a missing command gives what "all" says.
CASES: dict[str, tuple[object, dict[str, tuple[int, str]]]] = {
    "zero MediaBox": (lambda: one_page_pdf(b"/MediaBox [0 0 0 0]"), {"all": (1, NO_AREA)}),
    "zero-width MediaBox": (lambda: one_page_pdf(b"/MediaBox [0 0 0 595]"), {"all": (1, NO_AREA)}),
    "a MediaBox of names": (
        lambda: one_page_pdf(b"/MediaBox [0 0 /x 10]"),
        {"all": (1, "the MediaBox must be four numbers and is [0 0 /x 10]")},
    ),
    "a MediaBox of three numbers": (
        lambda: one_page_pdf(b"/MediaBox [0 0 420]"),
        {"all": (1, "the MediaBox must be four numbers")},
    ),
    "a MediaBox that is a number": (
        lambda: one_page_pdf(b"/MediaBox 7"),
        {"all": (1, "the MediaBox must be four numbers and is 7")},
    ),
    "a NaN in the MediaBox": (lambda: one_page_pdf(b"/MediaBox [0 0 nan 10]"), {"all": (1, "MediaBox")}),
    "no MediaBox": (lambda: one_page_pdf(b""), {"all": (1, "no MediaBox")}),
    "a TrimBox of names": (
        lambda: one_page_pdf(b"/MediaBox [0 0 420 595] /TrimBox [/a /b /c /d]"),
        {"all": (1, "the TrimBox must be four numbers")},
    ),
    "a zero TrimBox": (lambda: one_page_pdf(b"/MediaBox [0 0 420 595] /TrimBox [5 5 5 5]"), {"all": (1, NO_AREA)}),
    "/Rotate 45": (lambda: one_page_pdf(b"/MediaBox [0 0 420 595] /Rotate 45"), {"all": (1, ROTATE_45)}),
    "/Rotate /x": (
        lambda: one_page_pdf(b"/MediaBox [0 0 420 595] /Rotate /x"),
        {"all": (1, "/Rotate must be a whole number of degrees and is /x")},
    ),
    "/Rotate 90.5": (
        lambda: one_page_pdf(b"/MediaBox [0 0 420 595] /Rotate 90.5"),
        {"all": (1, "/Rotate must be a whole number of degrees")},
    ),
    "/Contents a number": (lambda: contents_pdf(b"5"), {"all": (1, f"{NOT_STREAM} and is 5")}),
    "/Contents a dictionary": (lambda: contents_pdf(b"<< /A 1 >>"), {"all": (1, f"{NOT_STREAM} and is a dict")}),
    "/Contents a dangling reference": (
        lambda: contents_pdf(b"9 0 R"),
        {"all": (1, "(object 9, which is not in the file)")},
    ),
    "/Contents an array holding a number": (lambda: contents_pdf(b"[5]"), {"all": (1, NOT_STREAM)}),
    "/Resources a number": (
        lambda: one_page_pdf(b"/MediaBox [0 0 420 595] /Resources 5"),
        {"all": (1, "its /Resources must be a dictionary and is 5")},
    ),
    "a flate bomb (1 GB from 1 MB)": (
        lambda: flate_bomb_pdf(1024),
        {"all": (1, "its content inflates to more than 75 MB")},
    ),
    "a content stream of an unknown filter": (
        lambda: filtered_pdf(b"/Foo", b"xxxx"),
        {"all": (1, "a content stream cannot be decoded (Unsupported filter /Foo)")},
    ),
    "a filter that is a number": (lambda: filtered_pdf(b"5", b"xxxx"), {"all": (1, "cannot be decoded")}),
    "damaged Flate data": (
        lambda: filtered_pdf(b"/FlateDecode", b"\x78\x9cgarbage"),
        {"all": (1, "a content stream cannot be decoded (Error -3")},
    ),
    "truncated Flate data": (
        lambda: filtered_pdf(b"/FlateDecode", zlib.compress(b"0 0 1 rg 0 0 9 9 re f " * 100)[:30]),
        {"all": (1, "the compressed data ends early")},
    ),
    "a page tree loop": (looped_pdf, {"all": (1, "cyclic page references")}),
    f"{MAX_PAGES + 1} pages": (
        lambda: many_pages_pdf(MAX_PAGES + 1),
        {"all": (1, f"has {MAX_PAGES + 1} pages; samizdat reads at most {MAX_PAGES}"), "check": (1, "at most")},
    ),
    "a page a million points wide": (
        lambda: one_page_pdf(b"/MediaBox [0 0 1000000 595]"),
        {"impose": (0, "built"), "check": (0, "PASS"), "tile": (1, "would take 1857 A4 sheets to tile (at most 500)")},
    ),
    "an inverted MediaBox (legal: corners in any order)": (
        lambda: one_page_pdf(b"/MediaBox [420 595 0 0]"),
        {"impose": (0, "built"), "tile": (0, "built"), "check": (0, "PASS")},
    ),
    "a MediaBox below the origin (legal)": (
        lambda: one_page_pdf(b"/MediaBox [0 0 -420 -595]"),
        {"impose": (0, "built"), "tile": (0, "built"), "check": (0, "PASS")},
    ),
    "a NaN drawn in the content stream": (
        lambda: one_page_pdf(contents=b"0 0 1 rg 83 nan 100 nan re f"),
        {
            "check": (1, "a content stream holds 'nan' where numbers or operators must be"),
            "impose": (0, "built"),
            "tile": (0, "built"),
        },
    ),
    "a truncated file": (lambda: numbered_pdf(4)[:300], {"all": (1, DAMAGED), "check": (1, "cannot read")}),
}
COMMANDS = ("impose", "tile", "check")
#: No case may take longer than this, bombs included (a page a million points wide took minutes before).
TIME_LIMIT = 20.0


def expected(case: str, command: str) -> tuple[int, str]:
    outcomes = CASES[case][1]
    return outcomes.get(command) or outcomes["all"]


def run(command: str, source: Path, output: Path, capsys: pytest.CaptureFixture) -> tuple[int, str]:
    arguments = {
        "impose": ["impose", str(source), "-o", str(output)],
        "tile": ["tile", str(source), "-o", str(output), "--project", str(REPO)],
        "check": ["check", str(source)],
    }[command]
    capsys.readouterr()
    code = main(arguments)
    captured = capsys.readouterr()
    return code, captured.out + captured.err


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("case", CASES)
def test_a_hostile_pdf_gets_a_clear_message(tmp_path: Path, capsys, case: str, command: str):
    source = tmp_path / "hostile.pdf"
    source.write_bytes(CASES[case][0]())
    before = hashlib.sha256(source.read_bytes()).hexdigest()
    output = tmp_path / "out.pdf"
    started = time.perf_counter()
    code, text = run(command, source, output, capsys)
    seconds = time.perf_counter() - started
    want_code, fragment = expected(case, command)
    assert (code, fragment in text) == (want_code, True), text
    assert "Traceback" not in text and seconds < TIME_LIMIT
    assert hashlib.sha256(source.read_bytes()).hexdigest() == before, "the input is never changed"
    if code:
        assert str(source) in text or "hostile.pdf" in text, "the message names the file"
        assert "PASS" not in text
        assert sorted(path.name for path in tmp_path.iterdir()) == ["hostile.pdf"], "nothing half-written"
    elif command != "check":
        assert PdfReader(output).pages, "what is built can be read back"
        if shutil.which("qpdf") and "nan" not in case:
            assert subprocess.run(["qpdf", "--check", str(output)], capture_output=True).returncode == 0


SAME_FILE = {
    "the same path": lambda source: source,
    "another spelling": lambda source: source.parent / "." / ".." / source.parent.name / source.name,
    "a symbolic link to it": lambda source: _linked(source, symbolic=True),
    "a hard link to it": lambda source: _linked(source, symbolic=False),
}


def _linked(source: Path, symbolic: bool) -> Path:
    link = source.parent / "link.pdf"
    link.symlink_to(source) if symbolic else link.hardlink_to(source)
    return link


@pytest.mark.parametrize("command", ["impose", "tile"])
@pytest.mark.parametrize("spelling", SAME_FILE)
def test_the_output_never_replaces_the_input(tmp_path: Path, capsys, command: str, spelling: str):
    source = tmp_path / "in.pdf"
    source.write_bytes(numbered_pdf(4))
    before = source.read_bytes()
    code, text = run(command, source, SAME_FILE[spelling](source), capsys)
    assert code == 2 and "the output would replace the input" in text and "Traceback" not in text
    assert source.read_bytes() == before


def test_the_builds_self_check_fails_a_pdf_with_nan_in_its_drawing(tmp_path: Path, capsys):
    """WeasyPrint writes `nan` into the page for an SVG of height="nan"; preflight (run by every build) fails it."""
    from weasyprint import HTML

    svg = "<svg xmlns='http://www.w3.org/2000/svg' width='100' height='nan'><rect width='10' height='10'/></svg>"
    data = HTML(string=f'<p>Hello</p><img src="data:image/svg+xml,{svg}">').write_pdf()
    assert b"nan" in b"".join(page.get_contents().get_data() for page in PdfReader(io.BytesIO(data)).pages)
    findings = preflight(data, expectations_for("leaflet-a5.pdf"), "leaflet-a5.pdf")
    assert [(f.check, f.severity) for f in findings if f.severity == ERROR] == [("structure", ERROR)]
    assert "'nan'" in findings[0].message and findings[0].page == 1
    good = HTML(string="<p>Hello</p>").write_pdf()
    assert not [f for f in preflight(good, expectations_for("x.pdf")) if f.check == "structure"]


# The fold: pages of a booklet meet at the spine, so a full-bleed cover shows no white strip there.


def red(pixel: tuple[int, int, int]) -> bool:
    return pixel[0] > 140 and pixel[1] < 70 and pixel[2] < 70


def test_the_booklets_cover_reaches_the_fold_from_both_sides(statement_output: Path):
    """A4 is 297 mm, two A5 pages 296 mm: the spare millimetre goes to the outer edges, none to the fold."""
    document = pypdfium2.PdfDocument(statement_output / "stop-the-war-booklet-a4.pdf")
    page = document[0]  # the outer sheet's front: back cover | front cover, both full-bleed red
    scale = 600 / 72  # 0.1 mm is 2.4 pixels
    image = page.render(scale=scale).to_pil().convert("RGB")
    fold = round(page.get_width() / 2 * scale)
    rows = range(image.height // 2, image.height * 3 // 4, 40)  # plain red, above the covers' bands at the foot
    for x in (fold - 2, fold - 1, fold, fold + 1):
        column = [image.getpixel((x, y)) for y in rows]
        assert all(red(pixel) for pixel in column), f"white at the fold, {x - fold} px from it: {column[:3]}"
    outer = [image.getpixel((1, y)) for y in rows]
    assert not any(red(pixel) for pixel in outer), "the spare width is at the outer edge, which is trimmed"


# Text size: what an imposition that shrinks the pages does to the body text, said and warned about.

SIZES = {
    "saddle": (["--layout", "saddle"], "set at 10.0 pt", None),
    "cutstack 4-up": (["--layout", "cutstack", "--nup", "4"], "set at 7.1 pt", None),
    "cutstack 8-up": (["--layout", "cutstack", "--nup", "8"], "set at 5.0 pt", "under 7 pt, hard to read"),
    "zine": (["--layout", "zine"], "set at 5.0 pt", "text set at 5.0 pt (10 pt × 0.50): under 7 pt, hard to read"),
}


@pytest.mark.parametrize("layout", SIZES)
def test_impose_says_the_text_size_and_warns_under_7_pt(statement_output: Path, tmp_path: Path, cli, layout: str):
    arguments, said, warning = SIZES[layout]
    result = cli("impose", str(statement_output / "stop-the-war-a5.pdf"), *arguments, "-o", str(tmp_path / "x.pdf"))
    assert result.code == 0 and f"  text    {said}" in result.out
    assert (warning in result.err) if warning else "hard to read" not in result.err


def test_a_build_with_a_zine_warns_that_its_text_is_small(tmp_path: Path, capsys):
    project = make_project(tmp_path / "project", {"leaflet": VALID_FRONT_MATTER + "Some words to read. " * 80})
    (project / "samizdat.yaml").write_text("impositions:\n  - layout: zine\n")
    assert main(["--project", str(project)]) == 0
    captured = capsys.readouterr()
    assert "leaflet.md: text set at 5.0 pt (10 pt × 0.50): under 7 pt, hard to read" in captured.out + captured.err


# Mutations: values of a real PDF replaced by hostile ones, at random but always the same (a fixed seed).

HOSTILE_VALUES = (b"/x", b"nan", b"-1", b"0", b"1e999", b"null", b"[ ]", b"<< >>", b"99 0 R", b"(s)", b"45", b"true")


def mutated(data: bytes, rng: random.Random) -> bytes:
    """`data` with one to three numbers or names (in its first 20 KB) replaced by hostile values."""
    out = bytearray(data)
    for _ in range(rng.randint(1, 3)):
        match = rng.choice(list(re.finditer(rb"[\d.]+|/\w+", bytes(out[:20000]))))
        out[match.start() : match.end()] = rng.choice(HOSTILE_VALUES)
    return bytes(out)


@pytest.mark.parametrize("seed", range(4))
def test_mutated_pdfs_never_raise_anything_but_a_clear_error(seed: int):
    rng = random.Random(seed)
    sources = (numbered_pdf(4), numbered_pdf(3, rotate=90, bleed=9))
    for _ in range(15):
        data = mutated(rng.choice(sources), rng)
        for options in (ImposeOptions(), ImposeOptions(layout="zine", duplex="none")):
            try:
                impose(data, options, "mutated.pdf")
            except SamizdatError as error:
                assert "mutated.pdf" in str(error)
        assert preflight(data, expectations_for("mutated.pdf"), "mutated.pdf")


@pytest.mark.parametrize("seed", range(3))
def test_mutated_posters_never_raise_anything_but_a_clear_error_when_tiled(seed: int):
    rng = random.Random(seed)
    poster = numbered_pdf(1, size=(841.89, 1190.55))  # A3 onto A4: four sheets

    def labels(texts: list[str]) -> bytes:  # plain pages for labels: the poster is what is hostile here
        return numbered_pdf(len(texts), size=(200, 30))

    for _ in range(15):
        try:
            tile(mutated(poster, rng), TileOptions(), labels, "mutated.pdf")
        except SamizdatError as error:
            assert "mutated.pdf" in str(error)


def _sparse(path: Path, size: int) -> Path:
    with path.open("wb") as file:
        file.truncate(size)  # a hole: nothing written, the size is what stat says
    return path


#: what is named instead of a PDF → how it is made in a folder, and the fragment of the refusal.
NOT_FILES = {
    "/dev/zero (never ends)": (lambda folder: Path("/dev/zero"), "it is a device or a pipe, not a file"),
    "a named pipe (nobody writes)": (
        lambda folder: (os.mkfifo(folder / "pipe.pdf"), folder / "pipe.pdf")[1],
        "it is a device or a pipe, not a file",
    ),
    "a link to /dev/zero": (
        lambda folder: (os.symlink("/dev/zero", folder / "zero.pdf"), folder / "zero.pdf")[1],
        "device or a pipe",
    ),
    "a folder": (lambda folder: folder, "it is a folder"),
    "a file over the limit": (
        lambda folder: _sparse(folder / "huge.pdf", MAX_INPUT_BYTES + 1),
        "over samizdat's limit of 1,000,000,000 bytes",
    ),
}


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("case", NOT_FILES)
def test_what_is_not_a_pdf_file_is_refused_before_it_is_read(tmp_path: Path, case: str, command: str):
    """Before, check and impose read /dev/zero until 9-11 GB were used, and waited for ever on a pipe."""
    make, fragment = NOT_FILES[case]
    source = make(tmp_path)
    arguments = {
        "impose": ["impose", str(source), "--layout", "saddle", "-o", str(tmp_path / "x.pdf")],
        "tile": ["tile", str(source), "-o", str(tmp_path / "x.pdf"), "--project", str(REPO)],
        "check": ["check", str(source)],
    }[command]
    done = subprocess.run(
        [sys.executable, str(REPO / "build.py"), *arguments], capture_output=True, text=True, timeout=60
    )  # fmt: skip
    text = done.stdout + done.stderr
    assert (done.returncode, fragment in text, f"cannot read {source}" in text) == (1, True, True), text
    assert "Traceback" not in text and not (tmp_path / "x.pdf").exists()
