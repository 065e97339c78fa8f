"""Right binding: booklets, cut-and-stack and zines for a right-to-left text, folded and read as paper is.

A booklet bound on the right is read from the other end of the same folded
stack of sheets as one bound on the left. The fold simulation (tests/folding.py)
does not know which binding was asked for: it folds the sheets and lists every
face from one outside to the other; bound left, a reader meets them in that
order, bound right in the reverse one.
"""

from __future__ import annotations

import io
from dataclasses import replace
from pathlib import Path

import pdfplumber
import pytest
from conftest import REPO
from folding import Side, booklet_reading_order, read_folded_booklet
from pdfs import A5, numbered_pdf, numbers_on_sides
from pypdf import PdfReader, PdfWriter
from pypdf.generic import NameObject, NumberObject, TextStringObject

from samizdat.cache import Cache
from samizdat.config import load_config
from samizdat.content import load_document
from samizdat.direction import binding
from samizdat.impose import ImposeOptions
from samizdat.impose.imposer import impose
from samizdat.impose.place import Form, placement
from samizdat.impose.plan import SHEETS, mirrored
from samizdat.impose.zine import zine_plan
from samizdat.jobs import run_job
from samizdat.plan import plan
from samizdat.project import Project


def halves(data: bytes) -> list[Side]:
    """Each sheet side of a booklet, its left (0) and right (1) half → (page number, rotation)."""
    sides = []
    for width, _, numbers in numbers_on_sides(data):
        side: Side = {}
        for number, x, _, rotation in numbers:
            cell = (int(x // (width / 2)), 0)
            assert cell not in side, f"two pages on one half of a sheet: {side.get(cell)} and {number}"
            side[cell] = (number, rotation)
        sides.append(side)
    return sides


BOOKLETS = [(count, duplex, None) for count in (4, 8, 12, 16) for duplex in ("short", "long")]
BOOKLETS += [(count, "short", None) for count in (1, 2, 5, 6, 7, 9, 38)]
BOOKLETS += [(16, "short", 2), (16, "long", 2), (40, "short", 3), (37, "short", 1), (12, "long", 1)]


@pytest.mark.parametrize(("count", "duplex", "signature"), BOOKLETS)
def test_right_bound_booklets_read_in_order_when_folded(count, duplex, signature):
    options = ImposeOptions(duplex=duplex, signature=signature, bind="right")
    sides = halves(impose(numbered_pdf(count), options).data)
    assert read_folded_booklet(sides, duplex, signature, bind="right") == booklet_reading_order(count)
    left = halves(impose(numbered_pdf(count), replace(options, bind="left")).data)
    assert read_folded_booklet(left, duplex, signature, bind="left") == booklet_reading_order(count)
    if count > 2:  # the same pages read from the wrong end would be out of order: the two bindings differ
        assert read_folded_booklet(sides, duplex, signature, bind="left") != booklet_reading_order(count)


@pytest.mark.parametrize(("count", "signature"), [(4, None), (8, None), (12, None), (16, None), (16, 2), (24, 3)])
def test_right_bound_spreads_read_right_to_left_and_the_cover_has_the_fold_on_its_right(count, signature):
    """The outer sheet's front has the cover (page 1) on its left half, against the fold; the middle of each
    folded signature, a sheet's back seen whole, has its lower page on the right: 5|4 in an 8-page booklet."""
    data = impose(numbered_pdf(count), ImposeOptions(signature=signature, bind="right")).data
    sides = halves(data)
    per_signature = 4 * signature if signature else count
    assert sides[0][(0, 0)][0] == 1 and sides[0][(1, 0)][0] == per_signature  # the back cover, or the fold's
    width, _, numbers = numbers_on_sides(data)[0]
    cover_x = next(x for number, x, _, _ in numbers if number == 1)
    assert cover_x < width / 2  # the fold, at the middle, is on the cover's right
    for first in range(0, count, per_signature):
        middle = first + per_signature // 2  # the pages either side of the signature's middle fold
        innermost_back = sides[(first + per_signature) // 2 - 1]
        assert innermost_back == {(1, 0): (middle, 0), (0, 0): (middle + 1, 0)}


def test_right_bound_booklet_sheets_written_out():
    """1|8 7|2 on the outer sheet, 3|6 5|4 on the inner: the left-bound classic 8|1 2|7 6|3 4|5 in a mirror."""
    sides = halves(impose(numbered_pdf(8), ImposeOptions(bind="right")).data)
    assert [[side[(0, 0)][0], side[(1, 0)][0]] for side in sides] == [[1, 8], [7, 2], [3, 6], [5, 4]]


def test_right_bound_pages_meet_at_the_fold_and_creep_moves_them_toward_it():
    """Mirrored, each page still meets its neighbour at the spine, and creep still pushes inner ones over it."""
    form = Form(reference=None, box=(0, 0, *A5), rotate=0)
    sides = [mirrored(side) for side in impose_plan(8, creep_mm=0.2)]
    for index, side in enumerate(sides):
        left, right = sorted(placement(form, slot)[1] for slot in side.slots)
        creep = 0.2 * 72 / 25.4 * (index // 2)
        assert left[2] == pytest.approx(side.width / 2 + creep) and right[0] == pytest.approx(side.width / 2 - creep)
        assert side.folds == (pytest.approx(side.width / 2),)


def impose_plan(count: int, creep_mm: float = 0.0):
    from samizdat.impose.saddle import saddle_plan

    return saddle_plan(count, A5, SHEETS["A4"], "short", creep_mm)


CUTSTACKS = [(count, nup, duplex) for count in (1, 5, 8, 16, 17) for nup in (2, 4, 8) for duplex in ("short", "long")]
CUTSTACKS += [(count, nup, "none") for count in (3, 8, 13) for nup in (2, 4, 8)]


@pytest.mark.parametrize(("count", "nup", "duplex"), CUTSTACKS)
def test_right_bound_cut_and_stack_piles_read_right_to_left(count, nup, duplex):
    """Cut, then stack the piles from the top-right one, right to left, row by row: the pages come in order."""
    data = impose(numbered_pdf(count), ImposeOptions(layout="cutstack", nup=nup, duplex=duplex, bind="right")).data
    columns, rows = {2: (2, 1), 4: (2, 2), 8: (4, 2)}[nup]
    sides = []
    for width, height, numbers in numbers_on_sides(data):
        sides.append({(int(x // (width / columns)), int((height - y) // (height / rows))): (number, rotation)
                      for number, x, y, rotation in numbers})  # fmt: skip
    fronts, backs = (sides, [None] * len(sides)) if duplex == "none" else (sides[::2], sides[1::2])
    by_book_turn = (duplex == "short") == (nup != 4)  # 2-up and 8-up sheets are landscape
    pile_order = []
    for row in range(rows):
        for column in reversed(range(columns)):
            for front, back in zip(fronts, backs, strict=True):
                pile_order.append(front.get((column, row), (None, 0))[0])
                if back is not None:
                    behind = (columns - 1 - column, row) if by_book_turn else (column, rows - 1 - row)
                    pile_order.append(back.get(behind, (None, 0))[0])
    assert [number for number in pile_order if number is not None] == list(range(1, count + 1))


def test_right_bound_zine_written_out():
    """Bottom row 1 8 7 6 upright, top row 2 3 4 5 upside down: the cover 1 left of its fold, each spread
    (3|2, 5|4 turned, 7|6) with its lower page on the right."""
    data = impose(numbered_pdf(8), ImposeOptions(layout="zine", duplex="none", bind="right")).data
    ((width, height, numbers),) = numbers_on_sides(data)
    side = {(int(x // (width / 4)), int((height - y) // (height / 2))): (n, r) for n, x, y, r in numbers}
    assert [side[(column, 0)] for column in range(4)] == [(2, 180), (3, 180), (4, 180), (5, 180)]
    assert [side[(column, 1)] for column in range(4)] == [(1, 0), (8, 0), (7, 0), (6, 0)]


@pytest.mark.parametrize("count", range(1, 9))
def test_right_bound_zine_pads_before_the_back_cover_and_meets_at_its_folds(count):
    (side,) = [mirrored(side) for side in zine_plan(count, SHEETS["A4"])]
    form = Form(reference=None, box=(0, 0, *A5), rotate=0)
    rectangles = sorted((slot.y, placement(form, slot)[1], slot.page) for slot in side.slots)
    bottom = [page for y, _, page in rectangles if y == 0]
    assert bottom[0] == 0 and (count == 1 or bottom[1] == count - 1)  # the cover, then the back cover beside it
    for row in (rectangles[:4], rectangles[4:]):
        boxes = [box for _, box, _ in row]
        assert boxes[0][2] == pytest.approx(side.width / 4) == boxes[1][0]
        assert boxes[2][2] == pytest.approx(3 * side.width / 4) == boxes[3][0]


@pytest.mark.parametrize(("nup", "duplex"), [(2, "short"), (4, "long"), (8, "none")])
def test_step_and_repeat_is_the_same_either_way(nup, duplex):
    """Every piece is a whole copy: nothing to bind, so a right binding changes nothing on the sheets."""

    def placed(bind: str) -> list:
        data = impose(numbered_pdf(3), ImposeOptions(layout="repeat", nup=nup, duplex=duplex, bind=bind)).data
        return [sorted((n, round(x, 2), round(y, 2), r) for n, x, y, r in side) for *_, side in numbers_on_sides(data)]

    assert placed("right") == placed("left")


SUBJECTS = [
    ("saddle", "short", "binds on the right, for right-to-left text: the cover is the left half of the first sheet"),
    ("cutstack", "short", "the top-right pile on top, then right to left, row by row; bind the stack on the right"),
    ("zine", "none", "flatten into a booklet that opens on the right"),
    ("repeat", "long", "each piece is one copy"),
]


@pytest.mark.parametrize(("layout", "duplex", "says"), SUBJECTS)
def test_imposed_pdfs_say_how_they_bind(layout, duplex, says):
    options = ImposeOptions(layout=layout, duplex=duplex, bind="right")
    subject = PdfReader(io.BytesIO(impose(numbered_pdf(8), options).data)).metadata["/Subject"]
    assert says in subject
    left = PdfReader(io.BytesIO(impose(numbered_pdf(8), replace(options, bind="left")).data)).metadata["/Subject"]
    assert "on the right" not in left and "right to left" not in left


def test_impose_bind_right_from_the_command_line(tmp_path, cli):
    source = tmp_path / "in.pdf"
    source.write_bytes(numbered_pdf(12))
    right, left, default = tmp_path / "right.pdf", tmp_path / "left.pdf", tmp_path / "default.pdf"
    run = cli("impose", str(source), "--bind", "right", "--duplex", "long", "-o", str(right))
    assert run.code == 0, run.err
    assert "binds on the right" in run.out
    assert read_folded_booklet(halves(right.read_bytes()), "long", bind="right") == list(range(1, 13))
    assert cli("impose", str(source), "--bind", "left", "-o", str(left)).code == 0
    assert cli("impose", str(source), "-o", str(default)).code == 0
    assert left.read_bytes() == default.read_bytes()  # left is the default
    assert read_folded_booklet(halves(left.read_bytes()), "short", bind="left") == list(range(1, 13))


def in_language(data: bytes, lang: object) -> bytes:
    """The PDF with its catalog's /Lang set to `lang` (any PDF object: a hostile file may put anything there)."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    writer.root_object[NameObject("/Lang")] = lang
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


NOTES = [
    (TextStringObject("ar"), [], True),
    (TextStringObject("fa-IR"), ["--layout", "zine"], True),
    (TextStringObject("ar"), ["--bind", "left"], False),  # asked for: no advice
    (TextStringObject("ar"), ["--bind", "right"], False),
    (TextStringObject("ar"), ["--layout", "repeat"], False),  # nothing to bind
    (TextStringObject("en"), [], False),
    (TextStringObject("ar\x1b[2J"), [], False),  # not a language tag: never printed
    (NumberObject(7), [], False),
]


@pytest.mark.parametrize(("lang", "arguments", "noted"), NOTES)
def test_impose_advises_bind_right_for_a_pdf_in_a_right_to_left_language(tmp_path, cli, lang, arguments, noted):
    source = tmp_path / "in.pdf"
    source.write_bytes(in_language(numbered_pdf(8), lang))
    run = cli("impose", str(source), *arguments, "-o", str(tmp_path / "out.pdf"))
    assert run.code == 0, run.err
    assert ("give --bind right" in run.err) == noted, run.err
    if noted:
        assert f"says its text is in '{lang}', written right to left" in run.err


@pytest.mark.parametrize("value", ["up", "RIGHT", "rtl", ""])
def test_a_wrong_binding_is_exit_2_and_writes_nothing(tmp_path, cli, value):
    source = tmp_path / "in.pdf"
    source.write_bytes(numbered_pdf(4))
    run = cli("impose", str(source), "--bind", value, "-o", str(tmp_path / "out.pdf"))
    assert run.code == 2 and "--bind" in run.err and "'left', 'right'" in run.err and "--help" in run.err
    assert [path.name for path in tmp_path.iterdir()] == ["in.pdf"]


LANGUAGES = [("ar", "right"), ("fa-IR", "right"), ("he", "right"), ("ur", "right"), ("yi", "right"),
             ("en", "left"), ("ru", "left"), ("ka", "left"), ("hy", "left"), ("kk", "left")]  # fmt: skip


@pytest.mark.parametrize(("lang", "bind"), LANGUAGES)
def test_the_language_says_which_edge_binds(lang, bind):
    assert binding(lang) == bind


@pytest.fixture(scope="module")
def right_to_left_build(tmp_path_factory) -> Path:
    """A short document in a right-to-left language built by the build's own plan and job: its booklet.

    The text is Latin: what is tested is the binding the document's `lang` chooses, not the script (the
    Arabic, Persian and Hebrew texts are tests/test_rtl.py's).
    """
    root = tmp_path_factory.mktemp("rtl-booklet")
    content, output = root / "content", root / "output"
    content.mkdir()
    pages = "\n\n".join(f"## Part {n}\n\n" + f"Words of part {n}, one after the other, to fill a page. " * 40
                        for n in range(1, 5))  # fmt: skip
    source = content / "leaflet.md"
    source.write_text(f"---\ntitle: A leaflet\nauthor: Collective\nlang: en\n---\n\n{pages}\n", encoding="utf-8")
    project = Project(REPO, content, output, (content, output))
    config = load_config(REPO)
    document = replace(load_document(source, config.notes, config.links), lang="ar")
    planned, _ = plan(project, config, [document], None)
    (pamphlet,) = [job for job in planned if job.job.group == "pamphlet"]
    booklet = next(target for target in pamphlet.targets if target.kind.name == "booklet")
    assert booklet.options.bind == "right"
    results = run_job(project, config, pamphlet, None, Cache(output))
    assert all(result.state == "built" for result in results), [result.error for result in results]
    return output / "leaflet"


def test_a_right_to_left_documents_booklet_binds_right_and_reads_like_its_pamphlet(right_to_left_build):
    booklet, a5 = right_to_left_build / "leaflet-booklet-a4.pdf", right_to_left_build / "leaflet-a5.pdf"
    sides = []
    with pdfplumber.open(booklet) as pdf:
        for page in pdf.pages:
            middle = page.width / 2
            texts = [page.crop(box).extract_text() for box in ((0, 0, middle, page.height),
                                                                (middle, 0, page.width, page.height))]  # fmt: skip
            sides.append({(column, 0): (text or None, 0) for column, text in enumerate(texts)})
    read = [text for text in read_folded_booklet(sides, "short", bind="right") if text]
    with pdfplumber.open(a5) as pdf:
        pages = [page.extract_text() for page in pdf.pages]
    assert len(pages) >= 5 and " ".join(read).split() == " ".join(text for text in pages if text).split()
    assert "binds on the right" in PdfReader(booklet).metadata["/Subject"]


LOCAL_LEAFLET = """\
---
title: A leaflet
author: Collective
lang: en
local:
  data: groups.csv
  outputs: [a5, booklet, impositions]
---

Words.
"""
MORE_IMPOSITIONS = "impositions:\n  - layout: zine\n  - layout: cutstack\n    nup: 2\n  - layout: repeat\n"


@pytest.mark.parametrize(("lang", "bind"), [("ar", "right"), ("he-IL", "right"), ("en", "left")])
def test_every_imposition_of_a_document_and_its_local_editions_binds_as_its_language_asks(tmp_path, lang, bind):
    """The plan gives the booklet and every imposition of samizdat.yaml, for the document and each local
    group, the document's binding; the binding is in their digests, so changing it makes them again."""
    (tmp_path / "samizdat.yaml").write_text(MORE_IMPOSITIONS, encoding="utf-8")
    content = tmp_path / "content"
    content.mkdir()
    (content / "leaflet.md").write_text(LOCAL_LEAFLET, encoding="utf-8")
    (content / "groups.csv").write_text("town,meeting\nExample Town,Thursdays at 7 pm\nSampleton,Saturdays\n")
    project, config = Project(tmp_path, content, tmp_path / "output"), load_config(tmp_path)
    document = replace(load_document(content / "leaflet.md", config.notes, config.links), lang=lang)
    planned, failures = plan(project, config, [document], None)
    imposed = [target for job in planned for target in job.targets if target.options is not None]
    # the document and two groups, each a booklet and three more; the document's manual-duplex fronts and backs
    assert not failures and len(imposed) == 3 * 4 + 2
    assert {target.options.bind for target in imposed} == {bind}
    other = replace(document, lang="en" if bind == "right" else "ar")
    others = [target for job in plan(project, config, [other], None)[0] for target in job.targets if target.options]
    for target, bound_otherwise in zip(imposed, others, strict=True):  # the plan's order: the same targets
        assert target.kind == bound_otherwise.kind and target.digest != bound_otherwise.digest
