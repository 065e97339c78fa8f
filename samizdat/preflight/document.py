"""Checks on the document as a whole, read with pypdf: boxes and paper size, page count, metadata, tags."""

from __future__ import annotations

from collections.abc import Sequence

from pypdf import PageObject, PdfReader
from pypdf.generic import DictionaryObject

from samizdat.messages import plural
from samizdat.paper import MM, PAPERS, paper_name
from samizdat.preflight.model import (
    ERROR,
    INFO,
    NO_BLEED_KINDS,
    WARNING,
    Box,
    Expectations,
    Finding,
    inside,
    merged,
    mm,
)
from samizdat.preflight.resources import resolved

BLEED_TOLERANCE = 0.1 * MM  # the bleed may differ this much from the required width
SIZE_TOLERANCE = 0.5 * MM  # a trim this close to a paper size is that paper


def check_boxes(reader: PdfReader, expect: Expectations) -> list[Finding]:
    """Trim inside bleed inside media on every page, the bleed the kind asks for, the paper it names."""
    problems: list[tuple[int, str, str]] = []
    first = boxes(reader.pages[0])["/TrimBox"]
    for number, page in enumerate(reader.pages, 1):
        problems += [(number, ERROR, text) for text in _page_box_problems(page, expect)]
        trim = boxes(page)["/TrimBox"]
        if expect.paper:
            problems += [(number, ERROR, text) for text in _paper_problems(trim, expect.paper)]
        elif not _same_size(trim, first):
            problems.append(
                (
                    number,
                    WARNING,
                    f"the trim is {_size(trim)}, unlike page 1's {_size(first)}; "
                    "a print shop expects one page size per file",
                )
            )
    bleed = boxes(reader.pages[0])["/BleedBox"]
    count = len(reader.pages)
    summary = f"{count} page{'' if count == 1 else 's'}, trim {_size(first)}, bleed {mm(first[0] - bleed[0])}"
    return [*merged("boxes", problems), Finding("boxes", INFO, summary)]


def _page_box_problems(page: PageObject, expect: Expectations) -> list[str]:
    """What is wrong with one page's MediaBox, BleedBox and TrimBox for this kind of output."""
    if expect.bleed_mm > 0:
        missing = [name for name in ("/TrimBox", "/BleedBox") if name not in page]
        if missing:
            return [
                f"no {' and no '.join(name[1:] for name in missing)}: a print shop cannot tell where to cut "
                "and how far the bleed runs; use samizdat's -print output, which sets both"
            ]
    found = boxes(page)
    media, crop, bleed, trim = (found[name] for name in ("/MediaBox", "/CropBox", "/BleedBox", "/TrimBox"))
    pairs = [("/TrimBox", "/MediaBox"), ("/BleedBox", "/MediaBox"), ("/TrimBox", "/BleedBox")]
    problems = [
        f"the {inner[1:]} ({_corners(found[inner])}) is not inside the {outer[1:]} ({_corners(found[outer])}); the "
        "boxes must nest, TrimBox inside BleedBox inside MediaBox — fix them in the tool that made the PDF"
        for inner, outer in pairs
        if not inside(found[inner], found[outer]) and ("/BleedBox" in page or "/BleedBox" not in (inner, outer))
    ]
    sides = (trim[0] - bleed[0], trim[1] - bleed[1], bleed[2] - trim[2], bleed[3] - trim[3])
    if expect.bleed_mm > 0 and any(abs(side - expect.bleed_mm * MM) > BLEED_TOLERANCE for side in sides):
        widths = ", ".join(
            f"{mm(side)} {edge}" for side, edge in zip(sides, ("left", "bottom", "right", "top"), strict=True)
        )
        problems.append(
            f"the bleed is {widths}; a print shop needs {expect.bleed_mm:g} mm on every side: "
            "let backgrounds and pictures run that far past the trim (CSS `@page { bleed }`)"
        )
    beyond = max(trim[0] - crop[0], trim[1] - crop[1], crop[2] - trim[2], crop[3] - trim[3])
    if expect.bleed_mm == 0 and expect.kind in NO_BLEED_KINDS and beyond > BLEED_TOLERANCE:
        problems.append(
            f"the page shows {mm(beyond)} beyond its trim (bleed or crop marks); a {expect.kind} PDF "
            "must be the size of the cut page: use the screen output, not the print one"
        )
    return problems


def _paper_problems(trim: Box, paper: str) -> list[str]:
    """The trim against the paper the file's name promises, in either orientation."""
    width, height = PAPERS[paper].width, PAPERS[paper].height
    size = (trim[2] - trim[0], trim[3] - trim[1])
    for expected in ((width, height), (height, width)):
        if all(abs(a - b) <= SIZE_TOLERANCE for a, b in zip(size, expected, strict=True)):
            return []
    return [
        f"the trim is {_size(trim)}; this output should be {paper} ({width / MM:.0f} × {height / MM:.0f} mm): "
        "check the layout's @page size"
    ]


def check_page_count(reader: PdfReader, expect: Expectations) -> list[Finding]:
    """A saddle-stitched booklet folds sheets in half: 4 pages per sheet (see `Expectations`)."""
    count = len(reader.pages)
    if not expect.booklet:
        return []
    if expect.kind == "booklet" and count % 2:
        return [
            Finding(
                "page-count",
                ERROR,
                f"{count} sheet sides: a booklet's sheets are printed on both sides, "
                "so it needs an even number of sides; impose the booklet again (samizdat pads it with "
                "blank pages)",
            )
        ]
    if expect.kind != "booklet" and count % 4:
        return [
            Finding(
                "page-count",
                ERROR,
                f"{plural(count, 'page')}: a saddle-stitched booklet needs a multiple of 4 "
                f"pages; add {plural(-count % 4, 'blank page')} (before the back cover) or cut {count % 4}",
            )
        ]
    return []


#: What to say when an entry is missing: where it lives, why it matters, the front-matter key that sets it.
MISSING = {
    "title": "no title in the metadata (/Info /Title): viewers show the file name instead; give the document a "
    "`title` in its front matter",
    "author": "no author in the metadata (/Info /Author): say who speaks; give the document an `author` in its "
    "front matter",
    "lang": "no language in the catalog (/Lang): screen readers cannot pick a voice; give the document a `lang` in "
    "its front matter (and files made from another PDF must carry it over)",
}


def check_metadata(reader: PdfReader, expect: Expectations) -> list[Finding]:
    """Title and language matter most on screen (viewers and screen readers show them): errors there.

    Elsewhere a missing title or language is a warning, and a missing author is
    always one: the file still prints right without them.
    """
    info = reader.metadata or {}
    found = {
        "title": str(info.get("/Title") or "").strip(),
        "author": str(info.get("/Author") or "").strip(),
        "lang": str(_catalog(reader).get("/Lang") or "").strip(),
    }
    severe = ERROR if expect.kind == "screen" else WARNING
    findings = [
        Finding("metadata", WARNING if key == "author" else severe, MISSING[key])
        for key, value in found.items()
        if not value
    ]
    listed = "; ".join(f"{key}: {value}" for key, value in found.items() if value)
    return [*findings, Finding("metadata", INFO, listed or "no title, author or language")]


def check_tags(reader: PdfReader, expect: Expectations) -> list[Finding]:
    """A tagged PDF marks itself (/MarkInfo /Marked true) and carries its structure tree (/StructTreeRoot)."""
    if not expect.tagged:
        return []
    catalog = _catalog(reader)
    mark_info = catalog.get("/MarkInfo")
    mark_info = mark_info.get_object() if mark_info is not None else None
    marked = isinstance(mark_info, DictionaryObject) and bool(mark_info.get("/Marked", False))
    missing = [
        text
        for text, ok in (("/MarkInfo /Marked true", marked), ("/StructTreeRoot", "/StructTreeRoot" in catalog))
        if not ok
    ]
    if not missing:
        return []
    return [
        Finding(
            "tags",
            ERROR,
            f"not tagged (no {' and no '.join(missing)}): screen readers cannot follow its "
            "headings, lists and reading order; write it with WeasyPrint's pdf_tags option (or PDF/UA)",
        )
    ]


def _catalog(reader: PdfReader) -> DictionaryObject:
    catalog = reader.trailer.get("/Root")
    catalog = catalog.get_object() if catalog is not None else None
    return catalog if isinstance(catalog, DictionaryObject) else DictionaryObject()


def boxes(page: PageObject) -> dict[str, Box]:
    """The page's four boxes as (left, bottom, right, top), with the defaults the PDF standard gives missing ones.

    Read from the page's own dictionary: pypdf's box properties write the defaults into the page.
    """
    found: dict[str, Box] = {"/MediaBox": _box(page.get("/MediaBox") or (0, 0, 612, 792))}
    found["/CropBox"] = _box(page.get("/CropBox") or found["/MediaBox"])
    for name in ("/BleedBox", "/TrimBox"):
        found[name] = _box(page.get(name) or found["/CropBox"])
    return found


def _box(rectangle: Sequence[object]) -> Box:
    """A PDF rectangle as (left, bottom, right, top), whichever corners it was written with."""
    x0, y0, x1, y1 = (float(resolved(value)) for value in resolved(rectangle))
    return min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)


def _size(box: Box) -> str:
    """ "A5 (148 × 210 mm)", or just the millimetres of an unnamed size."""
    width, height = box[2] - box[0], box[3] - box[1]
    name = paper_name(width, height)
    numbers = f"{width / MM:.0f} × {height / MM:.0f} mm"
    return numbers if name == numbers else f"{name} ({numbers})"


def _same_size(a: Box, b: Box) -> bool:
    return abs((a[2] - a[0]) - (b[2] - b[0])) <= SIZE_TOLERANCE and abs((a[3] - a[1]) - (b[3] - b[1])) <= SIZE_TOLERANCE


def _corners(box: Box) -> str:
    return f"{mm(box[0])}, {mm(box[1])} to {mm(box[2])}, {mm(box[3])}"
