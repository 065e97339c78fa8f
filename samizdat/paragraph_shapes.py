"""What WeasyPrint's layout says of a document's numbered paragraphs (`data-p`, samizdat.body): the measure,
indent, hyphenation and styles of the justified ones, for samizdat.paragraphs to break them; and, once they
are set, which lines came out as chosen and which end a page with a hyphen.

The only module that walks WeasyPrint's box tree for paragraphs (it has no public one).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from weasyprint.formatting_structure import boxes

from samizdat.paragraph_text import HYPHENS, Breaks, letters
from samizdat.pdfio.weasy import page_box

#: The CSS custom property a layout sets to `greedy` to leave its paragraphs to WeasyPrint, for comparison.
SWITCH = "__linebreaks"  # how WeasyPrint names `--linebreaks` in a computed style
SPACES = " \u00a0"


@dataclass
class Shape:
    """What the first layout says of one paragraph: its measure, indent, hyphenation, and a style per run."""

    width: float
    indent: float
    lang: str
    hyphens: bool  # `hyphens: auto`: the line breaker may hyphenate
    limits: tuple[int, int, int]  # fewest letters in a hyphenated word, before and after its hyphen
    hyphen: str  # the character WeasyPrint adds at a break
    styles: dict[tuple[str, ...], object] = field(default_factory=dict)
    hyphens_mode: str = "manual"  # the CSS value: with `none` not even the author's soft hyphens break


def shapes(document: object) -> dict[int, Shape]:
    """Every justified paragraph of a layout (by its number, `data-p`) that the line breaker may break."""
    found: dict[int, Shape] = {}
    refused: set[int] = set()
    for block in _numbered_blocks(document):
        number, style = int(block.element.get("data-p")), block.style
        if style["text_align_all"] != "justify" or _greedy(style) or not _inline_only(block) or _set_otherwise(block):
            refused.add(number)
            continue
        shape = found.setdefault(number, _shape(block))
        for chain, text_box in _text_boxes(block):
            shape.styles.setdefault(chain, text_box.style)
    return {number: shape for number, shape in found.items() if number not in refused}


def _numbered_blocks(document: object) -> Iterator[boxes.BlockBox]:
    for page in document.pages:
        for box in page_box(page).descendants():
            if is_paragraph_box(box):
                yield box


def is_paragraph_box(box: object) -> bool:
    """The box of a paragraph's lines: its <p>, or for the <li> of a tight list (samizdat.body numbers both) the
    block that holds its lines, which is the <li> itself, or a block inside it that WeasyPrint makes beside the
    list number (an outside ::marker) or a list nested in the item."""
    if not isinstance(box, boxes.BlockBox) or getattr(box, "is_outside_marker", False):
        return False
    lines = any(isinstance(child, boxes.LineBox) for child in box.children)
    return lines and box.element_tag in ("p", "li") and bool(box.element.get("data-p"))


def _greedy(style: object) -> bool:
    return any(getattr(token, "value", None) == "greedy" for token in style[SWITCH] or ())


def _inline_only(block: boxes.BlockBox) -> bool:
    """Lines of plain text and inline elements: no pseudo-element text, pictures or floats the breaker cannot see."""
    markers = {id(box) for marker in block.descendants() if getattr(marker, "is_outside_marker", False)
               for box in marker.descendants()}  # a list item's number, set beside its lines
    for box in block.descendants():
        if box is block or isinstance(box, boxes.LineBox) or id(box) in markers:
            continue
        if not isinstance(box, boxes.TextBox | boxes.InlineBox) or "::" in (box.element_tag or ""):
            return False
    return True


def _set_otherwise(block: boxes.BlockBox) -> bool:
    """A paragraph whose last line is justified too, or whose text WeasyPrint changes before setting it
    (`text-transform`): what the breaker measures would not be what is set."""
    if block.style["text_align_last"] == "justify":
        return True
    return any(box.style["text_transform"] != "none" for box in block.descendants() if isinstance(box, boxes.TextBox))


def _shape(block: boxes.BlockBox) -> Shape:
    style = block.style
    indent = style["text_indent"]
    indent_px = indent.value * block.width / 100 if indent.unit == "%" else indent.value
    total, left, right = (value if isinstance(value, int) else 2 for value in style["hyphenate_limit_chars"])
    shape = Shape(
        block.width, indent_px, style["lang"] or "", style["hyphens"] == "auto",
        (max(total, 5), max(left, 2), max(right, 2)), style["hyphenate_character"],
    )  # fmt: skip
    shape.styles[()] = style
    shape.hyphens_mode = style["hyphens"]
    return shape


def _text_boxes(box: object, chain: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], boxes.TextBox]]:
    for child in getattr(box, "children", ()):
        if isinstance(child, boxes.TextBox):
            yield chain, child
        elif isinstance(child, boxes.InlineBox):
            yield from _text_boxes(child, (*chain, child.element_tag))
        elif isinstance(child, boxes.LineBox):
            yield from _text_boxes(child, chain)


def _lines(document: object) -> Iterator[tuple[int, boxes.LineBox | None]]:
    """Every line of the pages' flow, by page, with its paragraph's number (None: no numbered paragraph);
    a None line ends each page."""
    for page in document.pages:
        for child in page_box(page).children:
            if isinstance(child, boxes.MarginBox):
                continue
            for box in child.descendants():
                if isinstance(box, boxes.LineBox):
                    yield None, box
                elif is_paragraph_box(box):
                    number = int(box.element.get("data-p"))
                    for line in box.children:
                        yield number, line
        yield None, None


def _paragraph_lines(document: object) -> Iterator[tuple[int | None, int, boxes.LineBox | None]]:
    """(paragraph number, line number in it, line box) in page order; (None, 0, None) ends each page."""
    counts: dict[int, int] = {}
    owned: set[int] = set()
    for number, line in _lines(document):
        if number is not None:
            owned.add(id(line))
            counts[number] = counts.get(number, -1) + 1
            yield number, counts[number], line
        elif line is None or id(line) not in owned:
            yield None, 0, line


def line_letters(document: object, numbers: object) -> dict[int, tuple[int, ...]]:
    """How many characters (paragraph_text.letters) each line of these paragraphs has as laid out."""
    found: dict[int, list[int]] = {}
    for number, _, line in _paragraph_lines(document):
        if number in numbers and line is not None:
            text = "".join(box.text for box in line.descendants() if isinstance(box, boxes.TextBox))
            found.setdefault(number, []).append(letters(text))
    return {number: tuple(counts) for number, counts in found.items()}


def unmatched(document: object, breaks: dict[int, Breaks]) -> list[int]:
    """The paragraphs WeasyPrint did not set in the lines chosen for them (a measure that was off): their
    lines hold other characters, or end in a hyphen where no hyphen was chosen."""
    laid_out = line_letters(document, breaks)
    wrong = {number for number in breaks if laid_out.get(number) != breaks[number].letters}
    for number, index, line in _paragraph_lines(document):
        if number in breaks and line is not None and _ends_in_hyphen(line) != (index in breaks[number].hyphenated):
            wrong.add(number)
    return sorted(wrong)


def page_final_hyphens(document: object, breaks: dict[int, Breaks]) -> dict[int, set[int]]:
    """The lines (by paragraph number) that end a page with a hyphen."""
    found: dict[int, set[int]] = {}
    previous = (None, 0, None)
    for number, index, line in _paragraph_lines(document):
        if line is None and previous[0] in breaks and previous[1] in breaks[previous[0]].hyphenated:
            found.setdefault(previous[0], set()).add(previous[1])
        previous = (number, index, line)
    return found


def _ends_in_hyphen(line: boxes.LineBox) -> bool:
    texts = [box.text for box in line.descendants() if isinstance(box, boxes.TextBox)]
    last = "".join(texts).rstrip(SPACES)
    return bool(last) and last[-1] in HYPHENS + line.style["hyphenate_character"][-1:]


