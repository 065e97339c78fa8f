"""Printer profiles: the manual-duplex booklet (fronts, an instruction page, backs) and the printer test sheet.

The manual booklet's sheets are read back from the PDF, printed by hand as
tests/folding.py simulates it (the fronts, the stack turned over or put back as
it lies, the backs fed from the top of the tray), then nested and folded: the
pages must come in reading order for every feed and flip. The simulation knows
paper, not samizdat: a backs order or a turn that a person's stack would not
give shows as pages out of order.
"""

from __future__ import annotations

import contextlib
import io
import json
import re
from pathlib import Path

import pdfplumber
import pytest
from conftest import main
from folding import Side, booklet_reading_order, printed_by_hand, read_folded_booklet
from pdfs import numbered_pdf, numbers_on_sides
from pypdf import PdfReader, PdfWriter

from samizdat.impose import ImposeOptions
from samizdat.impose.imposer import impose
from samizdat.layers import BUILTIN_LAYOUTS
from samizdat.preflight import ERROR, Expectations, preflight
from samizdat.printer_sheets import separator_maker

BUILT_IN = (BUILTIN_LAYOUTS, [BUILTIN_LAYOUTS, BUILTIN_LAYOUTS.parent / "fonts"], BUILTIN_LAYOUTS.parent / "fonts")


def halves(data: bytes, skip: int | None = None) -> list[Side]:
    """Each page of an imposed booklet but the `skip`-th (the instruction page): its halves → (page, rotation)."""
    return [{(int(x // (width / 2)), 0): (number, rotation) for number, x, _, rotation in numbers}
            for width, _, numbers in numbers_on_sides(without(data, skip))]  # fmt: skip


def without(data: bytes, skip: int | None) -> bytes:
    """The PDF without its `skip`-th page (the instruction page, whose words are no page numbers)."""
    if skip is None:
        return data
    writer = PdfWriter()
    for index, page in enumerate(PdfReader(io.BytesIO(data)).pages):
        if index != skip:
            writer.add_page(page)
    written = io.BytesIO()
    writer.write(written)
    return written.getvalue()


def words(data: bytes, page: int, half: str = "") -> str:
    """The words of a page, or of its "upper" or "lower" half; the lower half of the test sheet's side 2 is set
    upside down, and read as a person holding the sheet upside down reads it (its characters turned by 180°)."""
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        read = pdf.pages[page]
        width, middle = read.width, float(read.height) / 2
        if half:
            read = read.crop((0, 0, width, middle) if half == "upper" else (0, middle, width, read.height))
        turned = half == "lower"
        if turned:
            assert {round(char["matrix"][0]) for char in read.chars} == {-1}  # every character upside down
        text = read.extract_text()
        return " ".join((text[::-1] if turned else text).split())


def read_by_hand(data: bytes, feed: str, flip: str, signature: int | None = None, bind: str = "left") -> list:
    """What a reader meets in the booklet printed by hand from the one-file form, fronts | backs, folded."""
    sheets = len(PdfReader(io.BytesIO(data)).pages) // 2
    sides = halves(data)
    return read_folded_booklet(printed_by_hand(sides[:sheets], sides[sheets:], feed), flip, signature, bind)


MANUAL = [(count, feed, flip) for count in (1, 4, 8, 12, 16, 21) for feed in ("turn-over", "as-it-lies")
          for flip in ("short", "long")]  # fmt: skip


@pytest.mark.parametrize(("count", "feed", "flip"), MANUAL)
def test_the_manual_booklet_reads_in_order_once_printed_by_hand_and_folded(count, feed, flip):
    data = impose(numbered_pdf(count), ImposeOptions(duplex="manual", feed=feed, flip=flip)).data
    assert read_by_hand(data, feed, flip) == booklet_reading_order(count)
    if count > 4:  # handled the other way, the stack would give the pages out of order: the feeds differ
        other = {"turn-over": "as-it-lies", "as-it-lies": "turn-over"}[feed]
        assert read_by_hand(data, other, flip) != booklet_reading_order(count)


@pytest.mark.parametrize(("count", "signature", "bind"), [(16, 2, "left"), (12, None, "right"), (16, 2, "right")])
def test_manual_signatures_and_right_bound_booklets_read_in_order(count, signature, bind):
    options = ImposeOptions(duplex="manual", feed="as-it-lies", flip="long", signature=signature, bind=bind)
    data = impose(numbered_pdf(count), options).data
    assert read_by_hand(data, "as-it-lies", "long", signature, bind) == booklet_reading_order(count)


@pytest.fixture(scope="module")
def separator():
    return separator_maker(*BUILT_IN)


SEPARATORS = [
    ("turn-over", "one", 12, ["turn the whole stack over", "Print pages 5 to 7 of this file", "3 sheets"]),
    ("as-it-lies", "one", 4, ["Do not turn it over", "as it lies", "Print page 3 of this file", "1 sheet)"]),
]


@pytest.mark.parametrize(("feed", "part", "count", "said"), SEPARATORS)
def test_the_instruction_page_says_what_to_do_with_the_stack(separator, feed, part, count, said):
    data = impose(numbered_pdf(count), ImposeOptions(duplex="manual", feed=feed, part=part), separator=separator).data
    sheets = -(-count // 4)
    assert len(PdfReader(io.BytesIO(data)).pages) == 2 * sheets + 1
    text = words(data, sheets)
    assert "Take this page off the stack" in text and "Fold the stack of sheets in half" in text
    for fragment in said:
        assert fragment in text
    # the instruction page is the sheets' size, and the booklet's pages are the folding test's without it
    assert PdfReader(io.BytesIO(data)).pages[sheets].mediabox[2:] == PdfReader(io.BytesIO(data)).pages[0].mediabox[2:]
    sides = halves(data, skip=sheets)
    assert read_folded_booklet(printed_by_hand(sides[:sheets], sides[sheets:], feed), "short") == (
        booklet_reading_order(count)
    )


def test_the_two_files_hold_the_same_sheets_as_the_one(separator):
    source, options = numbered_pdf(12), ImposeOptions(duplex="manual", feed="as-it-lies", flip="long")
    one = impose(source, options, separator=separator).data
    fronts = impose(source, ImposeOptions(**{**options.__dict__, "part": "fronts"}), separator=separator,
                    backs_name="leaflet-booklet-a4-backs.pdf").data  # fmt: skip
    backs = impose(source, ImposeOptions(**{**options.__dict__, "part": "backs"}), separator=separator).data
    assert halves(fronts, skip=3) + halves(backs) == halves(one, skip=3)
    assert words(fronts, 3).replace("Print leaflet-booklet-a4-backs.pdf", "") == words(one, 3).replace(
        "Print pages 5 to 7 of this file", ""
    )  # the same instruction page, but for what to print next
    assert "Print leaflet-booklet-a4-backs.pdf" in words(fronts, 3) and len(PdfReader(io.BytesIO(backs)).pages) == 3


# The build: a project of one short document, built once for the tests that read it.

LEAFLET = """\
---
title: A leaflet
author: The Test Collective
lang: en
---

The first paragraph.

## Second

The second paragraph.
"""


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str], str]:
    """The project built (its summary and the files of its download page), then built again with `files: one`
    and `feed: as-it-lies` in samizdat.yaml (that run's summary)."""
    root = tmp_path_factory.mktemp("profiles")
    (root / "content").mkdir()
    (root / "content" / "leaflet.md").write_text(LEAFLET)
    first = {"summary": run_build(root)}
    first |= {name: (root / "output" / name).read_text() for name in ("index.html", "manifest.json", "SHA256SUMS")}
    first["fronts"] = words((root / "output" / "leaflet" / "leaflet-booklet-a4-fronts.pdf").read_bytes(), 1)
    (root / "samizdat.yaml").write_text("booklet:\n  files: one\n  feed: as-it-lies\n")
    return root / "output", first, run_build(root)


def run_build(root: Path) -> str:
    """A build of the project at `root` in this process, one job at a time: what it printed (it must pass)."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
        code = main(["--project", str(root), "--jobs", "1"])
    assert code == 0, out.getvalue()
    return out.getvalue()


def test_the_build_makes_the_manual_booklet_and_the_test_sheet_listed_and_checked(built):
    _, first, _ = built
    for name in ("leaflet-booklet-a4-fronts.pdf", "leaflet-booklet-a4-backs.pdf", "leaflet-printer-test-a4.pdf"):
        assert re.search(rf"leaflet/{name} .* built +pass", first["summary"]), first["summary"]
        assert name in first["index.html"] and f"leaflet/{name}" in first["SHA256SUMS"]
    manifest = {entry["output"]: entry for entry in json.loads(first["manifest.json"])["files"]}
    assert "turn the whole printed stack over" in manifest["leaflet-booklet-a4-fronts.pdf"]["purpose"]
    assert "side 2 says how your printer turns the paper" in manifest["leaflet-printer-test-a4.pdf"]["purpose"]
    assert manifest["leaflet-booklet-a4-fronts.pdf"]["pages"] == 2  # one sheet's front and the instruction page
    assert "Print leaflet-booklet-a4-backs.pdf" in first["fronts"] and "(1 sheet)" in first["fronts"]


def test_the_test_sheet_has_two_sides_with_their_words_and_passes_preflight(built):
    data = (built[0] / "leaflet" / "leaflet-printer-test-a4.pdf").read_bytes()
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) == 2 and [round(float(x)) for x in reader.pages[0].mediabox[2:]] == [595, 842]
    side_1, upright, upside_down = words(data, 0), words(data, 1, "upper"), words(data, 1, "lower")
    for said in ("Side 1 — this edge is the top", "Mark the top of the stack", "turn it over, on its long edge",
                 "feed: as-it-lies"):  # fmt: skip
        assert said in side_1
    for said in ("Side 2 — this edge is the top", "The sheet turned on its long edge", "flip: long", "duplex: long"):
        assert said in upright
    for said in ("If this reads upside down on the back, the sheet turned on its short edge", "flip: short"):
        assert said in upside_down
    assert str(reader.trailer["/Root"]["/ViewerPreferences"]["/Duplex"]) == "/DuplexFlipLongEdge"
    findings = preflight(data, Expectations("printer-test", paper="A4"), name="printer-test-a4.pdf")
    assert not [finding for finding in findings if finding.severity == ERROR]


def test_a_change_to_the_booklet_settings_makes_only_the_manual_booklet_again(built):
    output, _, second = built
    assert re.search(r"leaflet/leaflet-booklet-a4-manual.pdf .* built +pass", second), second
    assert re.search(r"leaflet/leaflet-printer-test-a4.pdf .* up to date", second)
    assert re.search(r"leaflet/leaflet-booklet-a4.pdf .* up to date", second)
    assert not (output / "leaflet" / "leaflet-booklet-a4-fronts.pdf").exists()  # no longer made: removed
    data = (output / "leaflet" / "leaflet-booklet-a4-manual.pdf").read_bytes()
    assert "put the whole stack back in the paper tray as it lies" in words(data, 1)


BAD_CONFIG = [
    ("booklet:\n  feed: sideways\n", 2, "turn-over"),
    ("booklet:\n  flip: diagonal\n", 2, "short (the default) or long"),
    ("booklet:\n  files: three\n", 2, "two"),
    ("booklet:\n  manual: maybe\n", 2, "booklet"),
    ("sheet: A4\nbooklet:\n  feeds: turn-over\n", 3, "did you mean 'feed'"),
]


@pytest.mark.parametrize(("yaml", "line", "hint"), BAD_CONFIG)
def test_bad_booklet_settings_name_the_file_and_line(tmp_path, capsys, yaml, line, hint):
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "leaflet.md").write_text(LEAFLET)
    (tmp_path / "samizdat.yaml").write_text(yaml)
    assert main(["--project", str(tmp_path)]) == 1
    said = capsys.readouterr()
    assert f"samizdat.yaml:{line}" in said.out + said.err and hint in said.out + said.err
    assert "Traceback" not in said.err and not (tmp_path / "output" / "leaflet").exists()


def test_impose_duplex_manual_on_a_foreign_pdf(tmp_path, cli):
    source = tmp_path / "theirs.pdf"
    source.write_bytes(numbered_pdf(8))
    run = cli("impose", str(source), "-o", str(tmp_path / "out.pdf"), "--duplex", "manual", "--feed", "as-it-lies")
    assert run.code == 0 and "put the whole printed stack back in the paper tray as it lies, not turned over" in run.out
    fronts, backs = (tmp_path / "out-fronts.pdf").read_bytes(), (tmp_path / "out-backs.pdf").read_bytes()
    assert "Print out-backs.pdf" in words(fronts, 2) and not (tmp_path / "out.pdf").exists()
    sides = halves(fronts, skip=2) + halves(backs)
    assert read_folded_booklet(printed_by_hand(sides[:2], sides[2:], "as-it-lies"), "short") == list(range(1, 9))


BAD_COMMAND_LINES = [
    (["--duplex", "manual", "--feed", "sideways"], "invalid choice: 'sideways'"),
    (["--duplex", "manual", "--flip", "up"], "invalid choice: 'up'"),
    (["--duplex", "manual", "--files", "3"], "invalid choice: '3'"),
    (["--duplex", "manual", "--layout", "zine"], "--duplex manual makes a booklet"),
    (["--duplex", "manual", "--layout", "cutstack"], "print on one side with --duplex none"),
]


@pytest.mark.parametrize(("arguments", "said"), BAD_COMMAND_LINES)
def test_bad_manual_command_lines_exit_2_and_write_nothing(tmp_path, cli, arguments, said):
    source = tmp_path / "in.pdf"
    source.write_bytes(numbered_pdf(4))
    run = cli("impose", str(source), "-o", str(tmp_path / "out.pdf"), *arguments)
    assert run.code == 2 and said in run.out + run.err
    assert sorted(path.name for path in tmp_path.iterdir()) == ["in.pdf"]


def test_a_one_page_pdf_makes_a_manual_booklet_whose_backs_are_blank(tmp_path, cli):
    source = tmp_path / "one.pdf"
    source.write_bytes(numbered_pdf(1))
    run = cli("impose", str(source), "-o", str(tmp_path / "out.pdf"), "--duplex", "manual")
    assert run.code == 0, run.out + run.err
    assert "Traceback" not in run.err and (tmp_path / "out-backs.pdf").is_file()
    assert "1" in words((tmp_path / "out-fronts.pdf").read_bytes(), 1)
