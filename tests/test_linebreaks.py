"""The total-fit line breaker: the algorithm on items made by hand, then WeasyPrint setting what it chose.

The figures of the result (loose lines, hyphens, runts beside Typst) are in
tests/test_typography_figures.py; here: that the chosen lines are the ones
WeasyPrint sets, that the text stays real text (ordinary spaces when copied,
the same structure tree), and that the switches turn it off.
"""

from __future__ import annotations

import random
import re
from dataclasses import replace
from pathlib import Path

import pdfplumber
import pytest
from pypdf import PdfReader

from samizdat.build import read_document
from samizdat.hanging import HANG
from samizdat.jobs import lay_out_pamphlet
from samizdat.linebreaks import Box, Glue, Penalty, break_paragraph
from samizdat.paragraph_shapes import is_paragraph_box, page_final_hyphens, shapes, unmatched
from samizdat.paragraphs import texts_of
from samizdat.pdf import write_pdf
from samizdat.project import Project
from samizdat.targets import Job
from tests.conftest import REPO, make_project

SPACE = 4.0
MM = 72 / 25.4


def words(*widths: float, hyphen_after: tuple[int, ...] = ()) -> list:
    """Boxes of these widths separated by spaces; a hyphenation point (width 2) after the words named."""
    items: list = []
    for index, width in enumerate(widths):
        if index:
            items.append(Glue(SPACE))
        if index in hyphen_after:
            items += [Box(width / 2, 3), Penalty(2.0, 500), Box(width / 2, 3)]
        else:
            items.append(Box(width, 6))
    return items


def greedy(items: list, width: float) -> list[float]:
    """The word-space ratios a line-by-line breaker gives (no hyphenation): each line as full as it goes."""
    ratios, line, spaces = [], 0.0, 0
    for item in items:
        if isinstance(item, Box):
            if line and line + SPACE + item.width > width:
                ratios.append((width - line) / spaces / (SPACE / 2) if spaces else 0)
                line, spaces = item.width, 0
            else:
                line, spaces = (line + SPACE + item.width, spaces + 1) if line else (item.width, 0)
    return ratios


def paragraph(seed: int, count: int = 80, hyphens: bool = False) -> list:
    chance = random.Random(seed)
    widths = [chance.uniform(8, 45) for _ in range(count)]
    return words(*widths, hyphen_after=tuple(i for i, w in enumerate(widths) if hyphens and w > 30))


def test_total_fit_spreads_the_slack_that_greedy_leaves_on_one_line():
    """On paragraphs of random word widths, set as samizdat sets them (spaces that may shrink, hyphenation
    points), far fewer lines are loose than when each line is filled in turn, and the loosest is less loose."""
    loose, loose_greedy, worst, worst_greedy = 0, 0, 0.0, 0.0
    for seed in range(30):
        items = paragraph(seed, hyphens=True)
        lines = break_paragraph(items, lambda n: 300.0, SPACE, shrink=0.42 * SPACE)
        assert lines is not None
        ratios, greedy_ratios = [line.ratio for line in lines[:-1]], greedy(paragraph(seed), 300.0)
        loose += sum(ratio > 1 for ratio in ratios)  # spaces over 1.5 × wide
        loose_greedy += sum(ratio > 1 for ratio in greedy_ratios)
        worst, worst_greedy = worst + max(ratios), worst_greedy + max(greedy_ratios)
    assert loose < loose_greedy / 2
    assert worst < worst_greedy / 2


def test_no_line_wider_than_its_room_even_with_the_spaces_shrunk():
    for seed in range(10):
        items = paragraph(seed, hyphens=True)
        for shrink in (0.0, 1.3):
            lines = break_paragraph(items, lambda n: 300.0 - (16 if n == 0 else 0), SPACE, shrink=shrink)
            assert lines and lines[-1].end == len(items)
            assert all(line.ratio >= -1 for line in lines)
            assert all(line.ratio >= 0 for line in lines) or shrink


def test_shrinking_spaces_fit_a_word_that_would_otherwise_make_a_loose_line():
    items = words(30, 30, 30, 30)  # 4 words need 132: the measure is 130
    assert break_paragraph(items, lambda n: 130.0, SPACE) is not None
    stretched = break_paragraph(items, lambda n: 130.0, SPACE)
    shrunk = break_paragraph(items, lambda n: 130.0, SPACE, shrink=1.0)
    assert len(shrunk) == 1 and len(stretched) == 2


def test_a_word_wider_than_the_measure_leaves_the_paragraph_to_weasyprint():
    assert break_paragraph(words(30, 500, 30), lambda n: 100.0, SPACE) is None


def test_a_hyphen_is_avoided_where_it_is_forbidden_and_the_line_count_kept():
    tried = 0
    for seed in range(20):
        items = paragraph(seed, hyphens=True)
        free = break_paragraph(items, lambda n: 300.0, SPACE, shrink=1.3)
        hyphenated = frozenset(number for number, line in enumerate(free) if line.hyphenated)
        if not hyphenated:
            continue
        again = break_paragraph(items, lambda n: 300.0, SPACE, shrink=1.3, lines=len(free), no_hyphen_after=hyphenated)
        if again is None:
            continue
        tried += 1
        assert len(again) == len(free)
        assert not any(again[number].hyphenated for number in hyphenated)
    assert tried >= 5


def test_no_ladder_of_three_hyphens():
    for seed in range(20):
        lines = break_paragraph(paragraph(seed, hyphens=True), lambda n: 300.0, SPACE, shrink=1.3)
        flags = "".join("h" if line.hyphenated else "." for line in lines)
        assert "hhh" not in flags, seed


def test_a_break_that_leaves_room_for_the_next_opportunity_is_not_chosen():
    """WeasyPrint would set the hyphen or dash of the next word on this line too: such a break is no candidate."""
    items = [Box(60, 6), Glue(SPACE), Box(10, 2), Penalty(0.0, 100, natural=True), Box(60, 6)]
    lines = break_paragraph(items, lambda n: 80.0, SPACE)
    assert lines is not None
    assert lines[0].end != 1  # after the first word, "xx-" still fits: WeasyPrint would take it


def test_a_runt_is_avoided_when_the_lines_allow_it():
    items = words(*[30] * 7, 8)  # the last word alone would be a runt of fewer than 6 characters
    lines = break_paragraph(items, lambda n: 102.0, SPACE)
    last_start = lines[-2].end + 1
    assert sum(isinstance(item, Box) for item in items[last_start:]) >= 2


# WeasyPrint setting the chosen lines


@pytest.fixture(scope="module")
def statement_layouts() -> dict:
    project = Project(REPO, REPO / "content", REPO / "output")
    document = read_document(project, REPO / "content" / "stop-the-war.md")
    return {mode: lay_out_pamphlet(project, Job(replace(document, linebreaks=mode), "pamphlet"), None)
            for mode in ("greedy", "total-fit")}  # fmt: skip


def test_every_justified_paragraph_of_the_statement_is_set_as_chosen(statement_layouts):
    layout = statement_layouts["total-fit"]
    assert len(layout.breaks) == len(shapes(layout.document)) > 20
    assert unmatched(layout.document, layout.breaks) == []
    assert page_final_hyphens(layout.document, layout.breaks) == {}


def fragments(layout) -> list[tuple[int, int, int]]:
    """(page, paragraph number, lines on that page) of every numbered paragraph's part on each page."""
    from weasyprint.formatting_structure import boxes

    return [(page_number, int(box.element.get("data-p")), sum(isinstance(line, boxes.LineBox) for line in box.children))
            for page_number, page in enumerate(layout.document.pages)
            for box in page._page_box.descendants() if is_paragraph_box(box)]  # noqa: SLF001  # fmt: skip


def test_widows_and_orphans_are_still_controlled(statement_layouts):
    """A paragraph that runs over a page leaves at least two lines on each (base.css: orphans and widows 2)."""
    parts = fragments(statement_layouts["total-fit"])
    split = {number for _, number, _ in parts if sum(n == number for _, n, _ in parts) > 1}
    assert split, "no paragraph runs over a page: the test proves nothing"
    assert all(lines >= 2 for _, number, lines in parts if number in split), parts


def test_copied_text_has_ordinary_spaces_and_the_same_words(statement_layouts, tmp_path):
    texts = {}
    for mode, layout in statement_layouts.items():
        path = tmp_path / f"{mode}.pdf"
        path.write_bytes(write_pdf(layout, tagged=True, without_bleed=True))
        extracted = "".join(page.extract_text() for page in PdfReader(path).pages)
        assert not re.search("[\u00a0\u2004\u2005\u2008\u200b\u2060]", extracted), mode
        with pdfplumber.open(path) as pdf:  # the text block only: running heads follow the page breaks
            body = "".join(page.crop((0, 17 * MM, page.width, page.height - 19 * MM)).extract_text()
                           for page in pdf.pages[1:-1])  # fmt: skip
        texts[mode] = re.sub(r"[\s\u00ad\u2010-]+", "", body)
    assert texts["total-fit"] == texts["greedy"]  # the same characters in the same order; only the lines moved
    chosen = statement_layouts["total-fit"].breaks.values()
    assert any(breaks.hangs for breaks in chosen) and any(breaks.tracks for breaks in chosen), "no span tried"


def structure(path: Path) -> list[str]:
    """The tags of the structure tree, depth first."""
    reader = PdfReader(path)

    def walk(node) -> list[str]:
        node = node.get_object()
        kids = node.get("/K", [])
        kids = kids if isinstance(kids, list) else [kids]
        tag = [str(node["/S"])] if "/S" in node else []
        return tag + [tag for kid in kids if hasattr(kid, "get_object") and
                      isinstance(kid.get_object(), dict) for tag in walk(kid)]  # fmt: skip

    return walk(reader.trailer["/Root"]["/StructTreeRoot"])


def test_the_structure_tree_is_the_same_as_greedy_lines_give(statement_layouts, tmp_path):
    trees = {}
    for mode, layout in statement_layouts.items():
        path = tmp_path / f"{mode}.pdf"
        path.write_bytes(write_pdf(layout, tagged=True, without_bleed=True))
        trees[mode] = [tag for tag in structure(path) if tag not in ("/Span", "/NonStruct")]
    assert trees["total-fit"] == trees["greedy"]
    assert trees["greedy"].count("/P") > 20


def body_rows(page) -> dict[float, list]:
    """The characters of the page's body text (Charis SIL, 10 pt), by line."""
    rows: dict[float, list] = {}
    for char in page.chars:
        if "Charis" in char["fontname"] and abs(char["size"] - 10) < 0.1:
            rows.setdefault(round(char["top"], 1), []).append(char)
    return rows


def test_justified_lines_end_at_the_right_edge_or_hang_their_last_glyph_past_it(statement_layouts, tmp_path):
    """A justified line ends at the text block's edge, or its last glyph hangs past it by its share (hanging)."""
    path = tmp_path / "a5.pdf"
    path.write_bytes(write_pdf(statement_layouts["total-fit"], tagged=True, without_bleed=True))
    hung = 0
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages[1:-1]:
            rows = body_rows(page)
            if not rows:
                continue
            # a hung glyph's box is drawn with the break space after it, invisible (WeasyPrint makes a box's
            # layout again after taking its last space off only when the box has spaces to justify)
            inked = [[char for char in row if char["text"] != " "] for row in rows.values()]
            lasts = [max(row, key=lambda char: char["x1"]) for row in inked]
            edge = max(char["x1"] for char in lasts if char["text"] not in HANG)
            assert edge <= page.width - 13 * MM  # within the text block (outer margin 14 mm)
            for char in (char for char in lasts if char["x1"] > edge - 1):
                past = char["x1"] - edge
                if past > 0.3:
                    hung += 1
                    assert past == pytest.approx(HANG[char["text"]] * (char["x1"] - char["x0"]), abs=0.3), char
                else:
                    assert abs(past) < 0.3, char
    assert hung >= 5, "hardly a line ends in a glyph that hangs: the case is not tried"


GREEDY_LAYOUT = ":root { --linebreaks: greedy; }\n"


def test_greedy_from_the_front_matter_or_the_layout_gives_weasyprints_own_lines(tmp_path, cli):
    text = (REPO / "content" / "stop-the-war.md").read_text()
    greedy_text = text.replace("lang: en\n", "lang: en\nlinebreaks: greedy\n", 1)
    assert greedy_text != text
    results = {}
    for name, document, css in (("total", text, ""), ("front", greedy_text, ""), ("layout", text, GREEDY_LAYOUT)):
        root = make_project(tmp_path / name, {"stop-the-war": document})
        tokens = root / "layouts" / "base" / "tokens.css"
        tokens.write_text(tokens.read_text() + css)
        assert cli("--project", str(root), "stop-the-war").code == 0
        pdf = root / "output" / "stop-the-war" / "stop-the-war-a5.pdf"
        with pdfplumber.open(pdf) as opened:
            results[name] = [page.extract_text() for page in opened.pages]
    assert results["front"] == results["layout"]  # both switches give the same lines
    assert results["total"] != results["front"]  # and those are not the total-fit ones


def test_a_paragraph_with_a_word_too_long_for_the_measure_still_builds(tmp_path, cli):
    long_word = "x" * 70
    document = f"---\ntitle: T\nauthor: A\nlang: en\n---\n\nSome words then {long_word} and more words after it.\n"
    root = make_project(tmp_path, {"long": document})
    assert cli("--project", str(root)).code == 0
    with pdfplumber.open(root / "output" / "long" / "long-a5.pdf") as pdf:
        assert long_word in "".join(page.extract_text() for page in pdf.pages)


def test_texts_and_shapes_agree_on_the_paragraphs(statement_layouts):
    project = Project(REPO, REPO / "content", REPO / "output")
    document = read_document(project, REPO / "content" / "stop-the-war.md")
    found = shapes(statement_layouts["greedy"].document)
    assert set(found) <= set(texts_of(document))


# Text the breaker must set right or leave to WeasyPrint (found in review): the lines as laid out are checked.

LOREM = ("Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore et "
         "dolore magna aliqua. Ut enim ad minim veniam, quis nostrud exercitation ullamco laboris nisi ut aliquip "
         "ex ea commodo consequat. ")  # fmt: skip
GERMAN = ("Die Freiheit der Rede – das sagen alle – ist ein Recht der Haupt- und Nebenstädte, und die Würde "
          "des Menschen ist unantastbar – so steht es geschrieben, und so soll es bleiben für alle. ")  # fmt: skip

EDGE_CASES = {
    "double spaces": ("en", LOREM.replace(" ", "  ") * 3, ""),
    "tabs": ("en", LOREM.replace(" sit ", "\tsit\t") * 3, ""),
    "German dashes and a suspended hyphen": ("de", GERMAN * 3, ""),
    "capitals by CSS": ("en", (LOREM + "*magna aliqua consectetur* ") * 3, ".text em { text-transform: uppercase; }"),
    "last line justified by CSS": ("en", LOREM * 3, ".text p { text-align-last: justify; }"),
    "the author's soft hyphens": ("en", LOREM.replace("consectetur", "con\u00adsec\u00adte\u00adtur") * 3, ""),
    "hyphens: none": ("en", LOREM * 3, ".text p { hyphens: none; }"),
    "a tight list's items": ("en", f"{LOREM}\n\n- {LOREM * 2}\n- {LOREM * 2}\n  - {LOREM * 2}", ""),
    "a list's numbers set inside": (
        "en", f"{LOREM}\n\n1. {LOREM * 2}\n2. {LOREM * 2}", ".text li { list-style-position: inside; }"
    ),
}


def laid_out_lines(layout) -> list[tuple[float, float, str]]:
    """(x of the first glyph's box, its width, right end, text) of every body line of every numbered paragraph;
    the right end of a line whose last glyph hangs (samizdat.hanging) less what it hangs."""
    from weasyprint.formatting_structure import boxes

    found = []
    for page in layout.document.pages:
        for box in page._page_box.descendants():  # noqa: SLF001
            if is_paragraph_box(box):
                for line in box.children:
                    texts = [child for child in line.descendants() if isinstance(child, boxes.TextBox)]
                    if texts:
                        last = max(texts, key=lambda text: text.position_x + text.width)
                        hang = HANG.get(last.text[-1:], 0.0) * last.width if last.text in HANG else 0.0
                        right = last.position_x + last.width - hang
                        found.append((box.content_box_x(), box.width, right, "".join(t.text for t in texts)))
    return found


@pytest.mark.parametrize(("lang", "body", "css"), EDGE_CASES.values(), ids=EDGE_CASES.keys())
def test_edge_cases_are_set_as_chosen_or_left_to_weasyprint(tmp_path, lang, body, css):
    document = f"---\ntitle: T\nauthor: A\nlang: {lang}\n---\n\n{body}\n\n{body}\n"
    root = make_project(tmp_path, {"edge": document})
    pamphlet = root / "layouts" / "pamphlet" / "pamphlet.css"
    pamphlet.write_text(pamphlet.read_text() + css)
    project = Project(root, root / "content", root / "output")
    layout = lay_out_pamphlet(project, Job(read_document(project, root / "content" / "edge.md"), "pamphlet"), None)
    assert unmatched(layout.document, layout.breaks) == []
    lines = laid_out_lines(layout)
    assert lines
    for left, width, right, text in lines:
        assert right <= left + width + 0.1, f"past the measure: {text!r}"
        assert not text.startswith(("\u00a0", " ", "\u2008")), f"a line starts with a space: {text!r}"
        assert "\u00a0\u00a0" not in text and "  " not in text, f"two spaces in a row: {text!r}"
    if "justify" in css:
        assert layout.breaks == {}  # its last lines would be stretched by their few held spaces: left alone
    if "\n- " in body:
        assert len(list_items(layout) & set(layout.breaks)) >= 6, "the list's items were left to WeasyPrint"
    if "inside" in css:  # the number is on the item's first line, where the breaker does not measure it
        assert list_items(layout) and not list_items(layout) & set(layout.breaks)


def list_items(layout) -> set[int]:
    """The numbers of the list items that samizdat.body numbered as paragraphs (a tight list's)."""
    return {int(box.element.get("data-p")) for page in layout.document.pages
            for box in page._page_box.descendants()  # noqa: SLF001
            if is_paragraph_box(box) and box.element_tag == "li"}  # fmt: skip


def test_the_last_lines_spaces_are_all_alike_and_copy_as_spaces(statement_layouts, tmp_path):
    path = tmp_path / "a5.pdf"
    path.write_bytes(write_pdf(statement_layouts["total-fit"], tagged=True, without_bleed=True))
    text = "".join(page.extract_text() for page in PdfReader(path).pages)
    assert "\u2060" not in text
    held = [breaks for breaks in statement_layouts["total-fit"].breaks.values() if breaks.held]
    assert held, "no last line had spaces to hold: the case is not tried"
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages[1:-1]:
            rows = body_rows(page)
            for row in rows.values():
                row.sort(key=lambda char: char["x0"])
                gaps = [b["x0"] - a["x1"] for a, space, b in zip(row, row[1:], row[2:], strict=False)
                        if space["text"] == " " and a["text"] != " " and b["text"] != " "]  # fmt: skip
                if len(gaps) > 1:
                    assert max(gaps) - min(gaps) < 0.3, [char["text"] for char in row]


def test_remembered_lines_give_the_same_bytes_and_a_broken_record_is_chosen_again(tmp_path, cli):
    text = (REPO / "content" / "stop-the-war.md").read_text().replace("editions: [large-print, pocket, copier]\n", "")
    root = make_project(tmp_path, {"stop-the-war": text})  # the A5 alone: its editions' lines are remembered apart
    a5 = root / "output" / "stop-the-war" / "stop-the-war-a5.pdf"
    assert cli("--project", str(root), "stop-the-war").code == 0
    first = a5.read_bytes()
    records = list((root / "output" / ".cache" / "breaks").glob("*.json"))
    assert len(records) == 1 and records[0].stat().st_size > 100
    for damage in (None, "{not json"):
        if damage:
            records[0].write_text(damage)
        a5.unlink()
        assert cli("--project", str(root), "stop-the-war").code == 0
        assert a5.read_bytes() == first
