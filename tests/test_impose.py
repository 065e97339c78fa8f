"""Impose stage: every layout, every page count, checked page by page against how paper is folded and cut."""

from __future__ import annotations

import io
import re
import subprocess
import sys
from pathlib import Path

import pdfplumber
import pytest
from conftest import REPO
from folding import booklet_reading_order, read_folded_booklet
from hypothesis import given, settings
from hypothesis import strategies as st
from pdfs import A5, MM, body_words, numbered_pdf, numbers_on_sides
from pypdf import PdfReader, PdfWriter

from samizdat.errors import SamizdatError, UsageError
from samizdat.impose import ImposeOptions
from samizdat.impose.cutstack import cutstack_plan
from samizdat.impose.imposer import impose
from samizdat.impose.plan import SHEETS
from samizdat.impose.repeat import repeat_plan
from samizdat.impose.saddle import saddle_plan
from samizdat.impose.zine import zine_plan

COUNTS = [*range(1, 41), 200]
A4 = SHEETS["A4"]


def cells(data: bytes, columns: int, rows: int) -> list[dict[tuple[int, int], tuple[int, int]]]:
    """For each sheet side: (column, row from the top) → (page number, rotation), read back from the PDF."""
    sides = []
    for width, height, numbers in numbers_on_sides(data):
        side = {}
        for number, x, y, rotation in numbers:
            cell = (int(x // (width / columns)), int((height - y) // (height / rows)))
            assert cell not in side, f"two pages in cell {cell}"
            side[cell] = (number, rotation)
        sides.append(side)
    return sides


@pytest.mark.parametrize("count", COUNTS)
@pytest.mark.parametrize("duplex", ["short", "long"])
def test_saddle_booklet_reads_in_order_when_folded(count, duplex):
    data = impose(numbered_pdf(count), ImposeOptions(layout="saddle", duplex=duplex)).data
    sides = cells(data, 2, 1)
    assert len(sides) == 2 * len(booklet_reading_order(count)) // 4
    assert read_folded_booklet(sides, duplex) == booklet_reading_order(count)


def test_saddle_sheet_order_for_eight_pages_written_out():
    """8|1 2|7 on the outer sheet, 6|3 4|5 on the inner: the printer's classic."""
    sides = cells(impose(numbered_pdf(8), ImposeOptions()).data, 2, 1)
    assert [[side[(0, 0)][0], side[(1, 0)][0]] for side in sides] == [[8, 1], [2, 7], [6, 3], [4, 5]]


@pytest.mark.parametrize(("count", "signature"), [(16, 2), (40, 3), (37, 1), (200, 5)])
def test_signatures_read_in_order(count, signature):
    data = impose(numbered_pdf(count), ImposeOptions(layout="saddle", signature=signature)).data
    assert read_folded_booklet(cells(data, 2, 1), "short", signature) == booklet_reading_order(count)


def test_sheets_are_exactly_the_named_paper():
    for sheet, (short, long) in {"A4": (595.2756, 841.8898), "A3": (841.8898, 1190.5512), "Letter": (612, 792)}.items():
        data = impose(numbered_pdf(6), ImposeOptions(sheet=sheet)).data
        for page in PdfReader(io.BytesIO(data)).pages:
            assert abs(float(page.mediabox.width) - long) < 0.01 and abs(float(page.mediabox.height) - short) < 0.01


def test_a5_pages_fill_half_an_a4_sheet_and_letter_pages_are_centred():
    widths = []
    for sheet in ("A4", "Letter"):
        _, _, numbers = numbers_on_sides(impose(numbered_pdf(4), ImposeOptions(sheet=sheet)).data)[0]
        widths.append(sorted(x for _, x, _, _ in numbers))
    assert abs(widths[0][0] - (A5[0] / 2 - 20 + 14)) < 15  # the number sits near the middle of the left half
    assert abs(widths[1][1] - widths[1][0] - 396) < 1  # on Letter, the two halves are 5.5 in apart


def test_creep_moves_inner_sheets_toward_the_spine():
    plain = numbers_on_sides(impose(numbered_pdf(16), ImposeOptions()).data)
    crept = numbers_on_sides(impose(numbered_pdf(16), ImposeOptions(creep_mm=0.5)).data)
    for sheet in range(4):
        for side in (2 * sheet, 2 * sheet + 1):
            for (number, x, _, _), (same, x_crept, _, _) in zip(plain[side][2], crept[side][2], strict=True):
                assert number == same
                toward_spine = (x_crept - x) if x < plain[side][0] / 2 else (x - x_crept)
                assert abs(toward_spine - 0.5 * MM * sheet) < 0.01


#: Every page count for the default duplex; the other two on the counts where padding differs.
DUPLEX_CASES = [(count, "short") for count in COUNTS] + [
    (count, duplex) for duplex in ("none", "long") for count in (1, 2, 3, 4, 5, 7, 8, 9, 16, 17, 31, 40)
]


@pytest.mark.parametrize(("count", "duplex"), DUPLEX_CASES)
@pytest.mark.parametrize("nup", [2, 4, 8])
def test_cut_and_stack_gives_the_pages_in_order(count, nup, duplex):
    data = impose(numbered_pdf(count), ImposeOptions(layout="cutstack", nup=nup, duplex=duplex)).data
    columns, rows = {2: (2, 1), 4: (2, 2), 8: (4, 2)}[nup]
    sides = cells(data, columns, rows)
    fronts = sides if duplex == "none" else sides[::2]
    backs = [None] * len(fronts) if duplex == "none" else sides[1::2]
    landscape = nup != 4
    by_book_turn = (duplex == "short") == landscape
    pile_order = []
    for row in range(rows):
        for column in range(columns):  # cut, then stack the piles left to right, top row first
            for front, back in zip(fronts, backs, strict=True):
                number, rotation = front.get((column, row), (None, 0))
                assert rotation == 0
                pile_order.append(number)
                if back is not None:
                    behind = (columns - 1 - column, row) if by_book_turn else (column, rows - 1 - row)
                    number, rotation = back.get(behind, (None, 0 if by_book_turn else 180))
                    assert rotation == (0 if by_book_turn else 180)
                    pile_order.append(number)
    pages = [number for number in pile_order if number is not None]
    assert pages == list(range(1, count + 1))
    assert all(number is None for number in pile_order[pile_order.index(count) + 1 :])


@pytest.mark.parametrize(("count", "duplex"), DUPLEX_CASES)
@pytest.mark.parametrize("nup", [2, 4, 8])
def test_step_and_repeat_fills_each_side_with_one_page(count, nup, duplex):
    data = impose(numbered_pdf(count), ImposeOptions(layout="repeat", nup=nup, duplex=duplex)).data
    sides = numbers_on_sides(data)
    expected_sides = count if duplex == "none" else 2 * ((count + 1) // 2)
    assert len(sides) == expected_sides
    for index, (_, _, numbers) in enumerate(sides):
        page = index + 1
        if page > count:
            assert numbers == []
            continue
        assert [number for number, *_ in numbers] == [page] * nup
        back_turned = duplex != "none" and index % 2 == 1 and (duplex == "short") != (nup != 4)
        assert {rotation for *_, rotation in numbers} == {180 if back_turned else 0}


def test_zine_layout_written_out():
    """Bottom row 6 7 8 1 upright, top row 5 4 3 2 upside down."""
    (side,) = cells(impose(numbered_pdf(8), ImposeOptions(layout="zine", duplex="none")).data, 4, 2)
    assert [side[(column, 0)] for column in range(4)] == [(5, 180), (4, 180), (3, 180), (2, 180)]
    assert [side[(column, 1)] for column in range(4)] == [(6, 0), (7, 0), (8, 0), (1, 0)]


@pytest.mark.parametrize("count", range(1, 9))
def test_zine_pads_before_the_back_cover(count):
    (side,) = cells(impose(numbered_pdf(count), ImposeOptions(layout="zine", duplex="none")).data, 4, 2)
    assert side.get((3, 1)) == (1, 0)
    if count > 1:
        assert side.get((2, 1)) == (count, 0)  # the back cover stays the back cover
    assert sorted(number for number, _ in side.values()) == list(range(1, count + 1))


def test_rotated_and_bleeding_sources_are_placed_by_their_trim_box():
    data = impose(numbered_pdf(4, size=(A5[1], A5[0]), rotate=90), ImposeOptions()).data
    for _, _, numbers in numbers_on_sides(data):
        assert {rotation for *_, rotation in numbers} == {270}  # shown upright in the source's own viewer turn
    bleeding = numbered_pdf(4, bleed=3 * MM)
    reader = PdfReader(io.BytesIO(impose(bleeding, ImposeOptions()).data))
    forms = [xobject.get_object() for xobject in reader.pages[0]["/Resources"]["/XObject"].values()]
    assert all([round(float(v), 2) for v in form["/BBox"]] == [8.5, 8.5, 428.03, 603.78] for form in forms)
    kept = PdfReader(io.BytesIO(impose(bleeding, ImposeOptions(keep_bleed=True)).data))
    forms = [xobject.get_object() for xobject in kept.pages[0]["/Resources"]["/XObject"].values()]
    assert all([round(float(v), 2) for v in form["/BBox"]] == [0, 0, 436.54, 612.28] for form in forms)


PLANS = {
    "saddle": lambda count, nup: saddle_plan(count, A5, A4),
    "cutstack": lambda count, nup: cutstack_plan(count, A5, A4, nup, "short"),
    "cutstack one-sided": lambda count, nup: cutstack_plan(count, A5, A4, nup, "none"),
    "repeat": lambda count, nup: repeat_plan(count, A5, A4, nup, "long"),
}


@settings(max_examples=300, deadline=None)
@given(count=st.integers(1, 400), nup=st.sampled_from([2, 4, 8]), layout=st.sampled_from(sorted(PLANS)))
def test_every_page_appears_exactly_once_or_nup_times(count, nup, layout):
    sides = PLANS[layout](count, nup)
    placed = [slot.page for side in sides for slot in side.slots if slot.page is not None]
    times = nup if layout == "repeat" else 1
    assert sorted(placed) == sorted(list(range(count)) * times)
    blanks = sum(slot.page is None for side in sides for slot in side.slots)
    cells_per_side = 2 if layout == "saddle" else nup
    assert blanks == len(sides) * cells_per_side - len(placed)
    if layout == "saddle":
        assert blanks == (-count % 4 if count > 1 else 3)


@given(count=st.integers(1, 8))
def test_zine_plan_holds_every_page_once(count):
    (side,) = zine_plan(count, A4)
    assert sorted(slot.page for slot in side.slots if slot.page is not None) == list(range(count))


def test_the_pamphlets_booklet_reads_like_the_pamphlet(statement_output: Path):
    a5 = statement_output / "stop-the-war-a5.pdf"
    booklet = statement_output / "stop-the-war-booklet-a4.pdf"
    halves = []
    with pdfplumber.open(booklet) as pdf:
        for page in pdf.pages:
            middle = page.width / 2
            halves.append(
                [
                    page.crop((0, 0, middle, page.height)).extract_text(),
                    page.crop((middle, 0, page.width, page.height)).extract_text(),
                ]
            )
    sides = [{(0, 0): (left, 0), (1, 0): (right, 0)} for left, right in halves]
    texts = [text for text in read_folded_booklet(sides, "short") if text]
    with pdfplumber.open(a5) as pdf:
        pages = [page.extract_text() for page in pdf.pages]
    assert " ".join(texts).split() == " ".join(text for text in pages if text).split()
    assert body_words(a5)  # the pamphlet has words at all
    assert booklet.stat().st_size <= 1.1 * a5.stat().st_size


def encrypted_pdf() -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(numbered_pdf(4))))
    writer.encrypt("secret")
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


def empty_pdf() -> bytes:
    output = io.BytesIO()
    PdfWriter().write(output)
    return output.getvalue()


BAD_SOURCES = {
    "encrypted": (encrypted_pdf, "is encrypted"),
    "damaged": (lambda: numbered_pdf(4)[:300], "is damaged"),
    "empty": (empty_pdf, "has no pages"),
    "not a pdf": (lambda: b"Hello, I am a letter.\n", "is not a PDF"),
    "too many pages for a zine": (lambda: numbered_pdf(9), "a one-page zine holds 8 pages"),
}


@pytest.mark.parametrize("case", BAD_SOURCES)
def test_bad_sources_give_a_clear_error_and_write_nothing(tmp_path, cli, case):
    make, message = BAD_SOURCES[case]
    source = tmp_path / "in.pdf"
    source.write_bytes(make())
    target = tmp_path / "out.pdf"
    layout = "zine" if "zine" in case else "saddle"
    result = cli("impose", str(source), "--layout", layout, "-o", str(target))
    assert result.code == 1
    assert message in result.err and "Traceback" not in result.err
    assert not target.exists() and [path.name for path in tmp_path.iterdir()] == ["in.pdf"]


@pytest.mark.parametrize(
    "arguments", [["--layout", "trifold"], ["--sheet", "A5"], ["--nup", "3"], ["--duplex", "sideways"], []]
)
def test_wrong_impose_command_lines_exit_2(tmp_path, cli, arguments):
    source = tmp_path / "in.pdf"
    source.write_bytes(numbered_pdf(4))
    result = cli("impose", str(source), *arguments)  # [] forgets -o
    assert result.code == 2 and "--help" in result.err
    assert [path.name for path in tmp_path.iterdir()] == ["in.pdf"]


def test_library_rejects_impossible_options():
    with pytest.raises(UsageError, match="unknown sheet 'B5'"):
        impose(numbered_pdf(4), ImposeOptions(sheet="B5"))
    with pytest.raises(UsageError, match="printed on both sides"):
        impose(numbered_pdf(4), ImposeOptions(duplex="none"))
    with pytest.raises(SamizdatError, match="not a PDF"):
        impose(b"", ImposeOptions())


def test_impose_command_works_on_any_pdf_and_says_how_to_print(tmp_path, cli):
    source = tmp_path / "in.pdf"
    source.write_bytes(numbered_pdf(12))
    target = tmp_path / "flyers.pdf"
    result = cli("impose", str(source), "--layout", "cutstack", "--nup", "4", "--marks", "-o", str(target))
    assert result.code == 0, result.err
    assert "To print: print double-sided, flip on the short edge" in result.out
    assert len(PdfReader(target).pages) == 4  # 6 leaves, 4 per sheet: 2 sheets, 4 sides
    help_text = subprocess.run(
        [sys.executable, str(REPO / "build.py"), "impose", "--help"], capture_output=True, text=True
    ).stdout
    assert help_text.rstrip().splitlines()[-1].startswith("  zine      print on one side; fold")


def test_imposing_is_reproducible():
    source = numbered_pdf(20)
    assert impose(source, ImposeOptions(marks=True)).data == impose(source, ImposeOptions(marks=True)).data


def test_cut_marks_are_drawn_by_default_for_cutting_layouts_only():
    def strokes(options: ImposeOptions) -> int:
        page = PdfReader(io.BytesIO(impose(numbered_pdf(4), options).data)).pages[0]
        return page.get_contents().get_data().count(b" l S")

    assert strokes(ImposeOptions(layout="cutstack", nup=4)) > 0
    assert strokes(ImposeOptions(layout="repeat", nup=4)) > 0
    assert strokes(ImposeOptions(layout="repeat", nup=4, marks=False)) == 0
    assert strokes(ImposeOptions(layout="saddle")) == 0
    assert strokes(ImposeOptions(layout="saddle", marks=True)) > 0  # the fold mark at the spine


def test_cut_and_stack_sheets_written_out():
    """Eight pages two-up, double-sided: 1|5 on the front, 6|2 behind, then 3|7 and 8|4."""
    sides = cells(impose(numbered_pdf(8), ImposeOptions(layout="cutstack", nup=2)).data, 2, 1)
    assert [[side[(0, 0)][0], side[(1, 0)][0]] for side in sides] == [[1, 5], [6, 2], [3, 7], [8, 4]]
    one_sided = cells(impose(numbered_pdf(8), ImposeOptions(layout="cutstack", nup=2, duplex="none")).data, 2, 1)
    assert [[side[(0, 0)][0], side[(1, 0)][0]] for side in one_sided] == [[1, 5], [2, 6], [3, 7], [4, 8]]


def test_the_trim_box_is_what_is_placed_whatever_the_media_box():
    plain = numbers_on_sides(impose(numbered_pdf(4), ImposeOptions()).data)
    bleeding = numbers_on_sides(impose(numbered_pdf(4, bleed=5 * MM), ImposeOptions()).data)
    for (_, _, a), (_, _, b) in zip(plain, bleeding, strict=True):
        for (number, x, y, _), (same, x2, y2, _) in zip(sorted(a), sorted(b), strict=True):
            assert number == same and abs(x - x2) < 0.5 and abs(y - y2) < 0.5


def test_pages_are_scaled_to_fit_half_a_letter_sheet():
    data = impose(numbered_pdf(4), ImposeOptions(sheet="Letter")).data
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        sizes = {round(char["size"], 2) for char in pdf.pages[0].chars}
    assert sizes == {round(40 * min(396 / A5[0], 612 / A5[1]), 2)}


@pytest.mark.parametrize(("rotate", "seen"), [(90, 270), (180, 180), (270, 90)])
def test_rotated_sources_in_a_grid(rotate, seen):
    size = A5 if rotate == 180 else (A5[1], A5[0])
    data = impose(numbered_pdf(8, size=size, rotate=rotate), ImposeOptions(layout="repeat", nup=4, duplex="none")).data
    for _, _, numbers in numbers_on_sides(data):
        assert len(numbers) == 4 and {rotation for *_, rotation in numbers} == {seen}


def test_creep_moves_toward_the_spine_on_long_edge_duplex_too():
    plain = cells_with_x(impose(numbered_pdf(16), ImposeOptions(duplex="long")).data)
    crept = cells_with_x(impose(numbered_pdf(16), ImposeOptions(duplex="long", creep_mm=0.5)).data)
    spine = A4.height / 2
    for number, x in plain.items():
        sheet = min(number - 1, 16 - number) // 2  # pages 1,2,15,16 on the outer sheet...
        moved = abs(x - spine) - abs(crept[number] - spine)
        assert abs(moved - 0.5 * MM * sheet) < 0.01, number


def cells_with_x(data: bytes) -> dict[int, float]:
    return {number: x for _, _, numbers in numbers_on_sides(data) for number, x, _, _ in numbers}


def stroked_lines(data: bytes) -> list[list[tuple[float, float, float, float]]]:
    """The straight lines stroked on each sheet side: the marks."""
    sides = []
    for page in PdfReader(io.BytesIO(data)).pages:
        found = re.findall(rb"([\d.-]+) ([\d.-]+) m ([\d.-]+) ([\d.-]+) l S", page.get_contents().get_data())
        sides.append([tuple(float(v) for v in line) for line in found])
    return sides


def test_fold_marks_sit_on_the_spine_and_the_zine_slit_on_the_middle():
    booklet = stroked_lines(impose(numbered_pdf(8), ImposeOptions(marks=True)).data)
    assert all(lines and {round(x, 3) for x, _, x2, _ in lines} == {round(A4.height / 2, 3)} for lines in booklet)
    (zine,) = stroked_lines(impose(numbered_pdf(8), ImposeOptions(layout="zine", duplex="none", marks=True)).data)
    slit = [tuple(round(v, 3) for v in line) for line in zine if line[1] == line[3]]
    assert slit == [tuple(round(v, 3) for v in (A4.height / 4, A4.width / 2, 3 * A4.height / 4, A4.width / 2))]


def test_crop_marks_stay_off_the_pages():
    data = impose(numbered_pdf(4, size=(100 * MM, 140 * MM)), ImposeOptions(layout="repeat", nup=4, marks=True)).data
    width, height = A4.width, A4.height
    cell_w, cell_h = width / 2, height / 2
    scale = min(cell_w / (100 * MM), cell_h / (140 * MM))
    pages = [
        (c * cell_w + (cell_w - 100 * MM * scale) / 2, r * cell_h + (cell_h - 140 * MM * scale) / 2)
        for c in range(2) for r in range(2)
    ]  # fmt: skip
    for lines in stroked_lines(data):
        crop = [line for line in lines if 0 < line[0] < width and 0 < line[1] < height]
        assert crop
        for x1, y1, x2, y2 in crop:
            for px, py in pages:
                overlaps_x = min(x1, x2) < px + 100 * MM * scale - 0.01 and max(x1, x2) > px + 0.01
                overlaps_y = min(y1, y2) < py + 140 * MM * scale - 0.01 and max(y1, y2) > py + 0.01
                assert not (overlaps_x and overlaps_y)


def test_damaged_streams_and_owner_passwords(tmp_path, cli):
    source = bytearray(numbered_pdf(4))
    start = source.index(b"stream\n") + 7
    source[start : start + 10] = b"\xff" * 10  # the first page's drawing is garbage
    damaged = tmp_path / "damaged.pdf"
    damaged.write_bytes(bytes(source))
    run = cli("impose", str(damaged), "-o", str(tmp_path / "out.pdf"))
    assert run.code in (0, 1) and "Traceback" not in run.err
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(numbered_pdf(4))))
    writer.encrypt(user_password="", owner_password="owner")
    protected = tmp_path / "protected.pdf"
    with protected.open("wb") as file:
        writer.write(file)
    assert cli("impose", str(protected), "-o", str(tmp_path / "ok.pdf")).code == 0


def test_imposed_pdfs_say_how_to_print_them():
    reader = PdfReader(io.BytesIO(impose(numbered_pdf(8), ImposeOptions(duplex="long")).data))
    assert reader.metadata["/Subject"].startswith("To print: print double-sided, flip on the long edge")
    preferences = reader.trailer["/Root"]["/ViewerPreferences"]
    assert preferences["/Duplex"] == "/DuplexFlipLongEdge" and preferences["/PrintScaling"] == "/None"


def test_not_a_number_creep_is_refused():
    with pytest.raises(UsageError, match="creep"):
        impose(numbered_pdf(8), ImposeOptions(creep_mm=float("nan")))


def test_a_kept_bleed_stops_at_its_cell():
    """With --keep-bleed a page's bleed shows only where its cell has room, never over the next page."""
    data = impose(numbered_pdf(4, bleed=3 * MM), ImposeOptions(keep_bleed=True)).data
    content = PdfReader(io.BytesIO(data)).pages[0].get_contents().get_data()
    half = A4.height / 2
    clips = re.findall(rb"q ([\d.]+) ([\d.]+) ([\d.]+) ([\d.]+) re W n", content)
    assert sorted((round(float(x), 2), round(float(w), 2)) for x, _, w, _ in clips) == [
        (0, round(half, 2)),
        (round(half, 2), round(half, 2)),
    ]


def _placed(sides, page_size):
    """Each side's placed rectangles, as `place.placement` computes them for pages of `page_size`."""
    from samizdat.impose.place import Form, placement

    form = Form(reference=None, box=(0, 0, *page_size), rotate=0)
    return [[placement(form, slot)[1] for slot in side.slots if slot.page is not None] for side in sides]


@pytest.mark.parametrize("duplex", ["short", "long"])
def test_booklet_pages_meet_at_the_fold_and_the_spare_width_goes_outside(duplex):
    """A4 is 297 mm, two A5 pages 296 mm: no 0.5 mm strip at the spine, 0.5 mm at each outer edge."""
    sides = saddle_plan(8, A5, A4, duplex)
    for side, rectangles in zip(sides, _placed(sides, A5), strict=True):
        left, right = sorted(rectangles)
        assert left[2] == pytest.approx(side.width / 2) and right[0] == pytest.approx(side.width / 2)
        assert left[0] == pytest.approx(0.5 * MM, abs=0.01) and side.width - right[2] == pytest.approx(
            0.5 * MM, abs=0.01
        )


def test_creep_still_moves_inner_pages_toward_the_spine():
    sides = saddle_plan(8, A5, A4, "short", creep_mm=0.2)
    inner_front = sorted(_placed(sides, A5)[2])
    assert inner_front[0][2] == pytest.approx(sides[2].width / 2 + 0.2 * MM)


def test_zine_spreads_meet_at_their_folds():
    """4|5, 2|3 on top and 6|7, 8|1 below are spreads: each pair meets at its fold (a quarter, three quarters)."""
    [side] = zine_plan(8, A4)
    [rectangles] = _placed([side], A5)
    for row in (rectangles[:4], rectangles[4:]):
        row = sorted(row)
        assert row[0][2] == pytest.approx(side.width / 4) == row[1][0]
        assert row[2][2] == pytest.approx(3 * side.width / 4) == row[3][0]
