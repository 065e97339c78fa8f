"""Preflight: each check fails on a PDF broken on purpose, says where and why, and the statement's outputs pass."""

from __future__ import annotations

import base64
import functools
import io
import re
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import REPO
from pdfs import numbered_pdf
from PIL import Image
from pypdf import PdfReader, PdfWriter
from pypdf.generic import NameObject, RectangleObject
from test_pamphlet import needs

from samizdat.impose import ImposeOptions
from samizdat.impose.imposer import impose
from samizdat.pdf import lay_out, write_pdf
from samizdat.preflight import Expectations, Finding, expectations_for, format_report, preflight

HEAD = """<!doctype html><html{lang}><head><meta charset="utf-8">{title}{author}
<link rel="stylesheet" href="fonts.css">
<style>
  @page {{ size: A5; margin: 0; {page} }}
  html {{ font: 10pt "Charis SIL"; }}
  .at {{ position: absolute; margin: 0; }}
  {css}
</style></head><body>{body}</body></html>"""
SCREEN = Expectations("screen", paper="A5")
PRINT = Expectations("print", bleed_mm=3, paper="A5")
SAFE_TEXT = '<p class="at" style="left: 20mm; top: 20mm">Well inside the page</p>'


def render(
    body: str = SAFE_TEXT,
    *,
    css: str = "",
    page: str = "",
    title: str = "A test leaflet",
    lang: str = "en",
    author: str = "The Test Collective",
    crop_marks: bool = False,
    **options: object,
) -> bytes:
    """A small PDF from HTML, laid out the way samizdat lays out its pamphlet (project fonts only)."""
    html = HEAD.format(
        lang=f' lang="{lang}"' if lang else "",
        title=f"<title>{title}</title>" if title else "",
        author=f'<meta name="author" content="{author}">' if author else "",
        page=page,
        css=css,
        body=body,
    )
    layout = lay_out(
        html,
        base_url=str(REPO / "layouts" / "base" / "page.html"),
        allowed_dirs=[REPO / "layouts", REPO / "fonts"],
        fonts_dir=REPO / "fonts",
    )
    assert layout.warnings == []
    if options:
        return layout.document.write_pdf(**options)
    return write_pdf(layout, crop_marks=crop_marks)


def found(findings: list[Finding], check: str, severity: str = "error") -> list[Finding]:
    return [finding for finding in findings if finding.check == check and finding.severity == severity]


def errors(findings: list[Finding]) -> list[Finding]:
    return [finding for finding in findings if finding.severity == "error"]


def png(pixels: int, mode: str = "RGB") -> str:
    """A square PNG of `pixels` × `pixels` as a data: URL."""
    output = io.BytesIO()
    Image.new(mode, (pixels, pixels), "red" if mode == "RGB" else 128).save(output, format="PNG")
    return "data:image/png;base64," + base64.b64encode(output.getvalue()).decode()


def edited(data: bytes, change: Callable[[PdfWriter], None]) -> bytes:
    """The PDF with `change(writer)` applied to a pypdf copy of it."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    change(writer)
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


# The statement's own outputs ------------------------------------------------------------------------------------

STATEMENT_FILES = {
    "stop-the-war-a5.pdf": "screen",
    "stop-the-war-a5-print.pdf": "print",
    "stop-the-war-booklet-a4.pdf": "booklet",
    "posters/stop-the-war-a3.pdf": "poster",
    "posters/stop-the-war-a3-print.pdf": "poster-print",
    "posters/stop-the-war-a3-tiled-a4.pdf": "tiled",
}


@functools.cache
def checked(path: Path) -> list[Finding]:
    """The findings of one of the statement's outputs, worked out once per test worker."""
    return preflight(path.read_bytes(), expectations_for(str(path)), path.name)


@pytest.mark.parametrize("name", STATEMENT_FILES)
def test_the_statement_outputs_pass(statement_output: Path, name: str):
    expect = expectations_for(name)
    findings = checked(statement_output / name)
    assert expect.kind == STATEMENT_FILES[name]
    assert errors(findings) == [], format_report(name, findings)
    assert format_report(name, findings).startswith(f"PASS  {name}  (0 errors")
    assert {finding.check for finding in findings if finding.severity == "info"} >= {"boxes", "fonts", "colour"}


def test_every_statement_output_passes(statement_output: Path):
    paths = sorted(statement_output.rglob("*.pdf"))
    assert len(paths) >= 15
    failing = {path.name: format_report(path.name, findings) for path in paths if errors(findings := checked(path))}
    assert failing == {}


def test_the_statement_screen_pdf_lists_what_is_in_it(statement_output: Path):
    findings = checked(statement_output / "stop-the-war-a5.pdf")
    infos = {finding.check: finding.message for finding in findings if finding.severity == "info"}
    assert infos["boxes"] == "7 pages, trim A5 (148 × 210 mm), bleed 0.0 mm"  # no blank page: the booklet adds it
    fonts = "Charis-SIL, Charis-SIL-Italic, Noto-Sans, Noto-Sans-Bold, Noto-Sans-ExtraCondensed,-Bold"
    assert infos["fonts"] == f"fonts: {fonts}"
    assert infos["colour"].startswith("colour spaces: DeviceRGB (pages 1–")
    assert "lang: en" in infos["metadata"] and "author: Russian Socialist Movement" in infos["metadata"]


# Boxes, paper and page count ------------------------------------------------------------------------------------


@pytest.mark.parametrize("bleed", [0, 2, 3.3])  # WeasyPrint caps the BleedBox at 10 pt (3.5 mm)
def test_print_pdf_with_the_wrong_bleed_fails(bleed: float):
    findings = preflight(render(page=f"bleed: {bleed}mm"), PRINT)
    [finding] = found(findings, "boxes")
    assert finding.page == 1
    assert finding.message.startswith(f"Page 1: the bleed is {bleed:.1f} mm left, {bleed:.1f} mm bottom")
    assert "needs 3 mm on every side" in finding.message


@pytest.mark.parametrize("bleed", [3, 3.05])
def test_print_pdf_with_3mm_bleed_and_crop_marks_passes(bleed: float):
    findings = preflight(render(page=f"bleed: {bleed}mm; background: #b3151d", crop_marks=True), PRINT)
    assert errors(findings) == []


def test_screen_pdf_with_bleed_and_marks_fails():
    findings = preflight(render(page="bleed: 3mm", crop_marks=True), SCREEN)
    [finding] = found(findings, "boxes")
    assert "shows 10.0 mm beyond its trim" in finding.message and "use the screen output" in finding.message


def test_pages_with_the_same_problem_make_one_finding():
    findings = preflight(render('<p>One</p><p style="break-before: page">Two</p>', page="bleed: 1mm"), PRINT)
    [finding] = found(findings, "boxes")
    assert finding.message.startswith("Pages 1–2: the bleed is 1.0 mm")
    assert finding.page == 1


def test_print_pdf_without_trim_and_bleed_boxes_fails():
    [finding] = found(preflight(numbered_pdf(4), PRINT), "boxes")
    assert "no TrimBox and no BleedBox" in finding.message and finding.message.startswith("Pages 1–4:")


@pytest.mark.parametrize(
    ("trim", "bleed", "words"),
    [
        ((-10, -10, 430, 605), None, "the TrimBox (-3.5 mm, -3.5 mm to 151.7 mm, 213.4 mm) is not inside the MediaBox "
         "(-1.8 mm, -1.8 mm to 149.9 mm, 211.7 mm)"),
        ((0, 0, 419.53, 595.28), (-10, -10, 430, 605), "the BleedBox (-3.5 mm, -3.5 mm to 151.7 mm, 213.4 mm) is not "
         "inside the MediaBox (-1.8 mm, -1.8 mm to 149.9 mm, 211.7 mm)"),
        ((-1, 0, 419.53, 595.28), (0, 0, 419.53, 595.28), "the TrimBox (-0.4 mm, 0.0 mm to 148.0 mm, 210.0 mm) is not "
         "inside the BleedBox (0.0 mm, 0.0 mm to 148.0 mm, 210.0 mm)"),
    ],
    ids=["trim outside media", "bleed outside media", "trim outside bleed"],
)  # fmt: skip
def test_boxes_that_do_not_nest_fail(trim: tuple, bleed: tuple | None, words: str):
    def change(writer: PdfWriter) -> None:
        writer.pages[0][NameObject("/MediaBox")] = RectangleObject((-5, -5, 425, 600))
        writer.pages[0][NameObject("/TrimBox")] = RectangleObject(trim)
        del writer.pages[0]["/BleedBox"]
        if bleed:
            writer.pages[0][NameObject("/BleedBox")] = RectangleObject(bleed)

    findings = found(preflight(edited(render(), change), Expectations("generic")), "boxes")
    assert [finding.message.split(";")[0] for finding in findings] == [f"Page 1: {words}"]


def test_pages_of_the_wrong_paper_fail():
    [finding] = found(preflight(render(page="size: A4"), SCREEN), "boxes")
    assert "the trim is A4 (210 × 297 mm); this output should be A5 (148 × 210 mm)" in finding.message


def test_pages_of_mixed_sizes_warn_when_no_paper_is_named():
    data = render('<p>A5</p><p style="page: wide; break-before: page">A4</p>', css="@page wide { size: A4 }")
    [finding] = found(preflight(data, Expectations("generic")), "boxes", "warning")
    assert finding.page == 2 and "unlike page 1's A5" in finding.message


@pytest.mark.parametrize(
    ("pages", "kind", "message"),
    [
        (6, "print", "6 pages: a saddle-stitched booklet needs a multiple of 4 pages; add 2 blank pages"),
        (9, "print", "9 pages: a saddle-stitched booklet needs a multiple of 4 pages; add 3 blank pages"),
        (3, "booklet", "3 sheet sides: a booklet's sheets are printed on both sides"),
    ],
)
def test_booklets_of_the_wrong_page_count_fail(pages: int, kind: str, message: str):
    [finding] = found(preflight(numbered_pdf(pages), Expectations(kind, booklet=True)), "page-count")
    assert finding.message.startswith(message)


@pytest.mark.parametrize(("pages", "kind"), [(8, "print"), (4, "booklet"), (6, "booklet"), (6, "print-no-fold")])
def test_booklets_of_the_right_page_count_pass(pages: int, kind: str):
    expect = Expectations(kind, booklet=kind != "print-no-fold")
    assert found(preflight(numbered_pdf(pages), expect), "page-count") == []


# Fonts ------------------------------------------------------------------------------------------------------------


def test_a_font_that_is_not_embedded_fails():
    [finding] = found(preflight(numbered_pdf(2), SCREEN), "fonts")
    assert finding.page == 1
    assert finding.message.startswith("the font Helvetica is not embedded (first used on page 1)")


def test_a_font_not_embedded_inside_an_imposed_booklet_is_found():
    sheets = impose(numbered_pdf(8), ImposeOptions()).data
    assert "/Font" not in PdfReader(io.BytesIO(sheets)).pages[0]["/Resources"]  # the fonts are inside the forms
    [finding] = found(preflight(sheets, expectations_for("x-booklet-a4.pdf")), "fonts")
    assert "Helvetica is not embedded" in finding.message


def test_a_cid_font_stripped_of_its_file_fails():
    def strip_font_files(writer: PdfWriter) -> None:
        for font in writer.pages[0]["/Resources"]["/Font"].values():
            descriptor = font.get_object()["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
            del descriptor["/FontFile2"]

    findings = found(preflight(edited(render(), strip_font_files), SCREEN), "fonts")
    assert [finding.message.split(" is not")[0] for finding in findings] == ["the font Charis-SIL"]


def pdffonts(data: bytes, tmp_path: Path) -> dict[str, bool]:
    """What poppler's pdffonts says: font name (subset tag removed) → embedded."""
    path = tmp_path / "fonts.pdf"
    path.write_bytes(data)
    listing = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    rows = [
        re.match(r"(\S+)\s.*\s(yes|no)\s+(yes|no)\s+(yes|no)\s+\d+\s+\d+$", row) for row in listing.splitlines()[2:]
    ]
    return {re.sub(r"^[A-Z]{6}\+", "", row[1]): row[2] == "yes" for row in rows}


@pytest.mark.parametrize("name", ["stop-the-war-a5.pdf", "stop-the-war-booklet-a4.pdf", "unembedded"])
def test_pdffonts_agrees_with_the_fonts_check(statement_output: Path, tmp_path: Path, name: str):
    needs("pdffonts")
    data = numbered_pdf(4) if name == "unembedded" else (statement_output / name).read_bytes()
    findings = preflight(data, expectations_for(name)) if name == "unembedded" else checked(statement_output / name)
    [listed] = found(findings, "fonts", "info")
    missing = {finding.message.split()[2] for finding in found(findings, "fonts")}
    poppler = pdffonts(data, tmp_path)
    assert listed.message == "fonts: " + ", ".join(sorted(poppler))
    assert missing == {font for font, embedded in poppler.items() if not embedded}


# The safe margin --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("position", "edge", "near"),
    [("left: 1mm; top: 90mm", "left", "M"), ("right: 1mm; top: 90mm", "right", "n"),
     ("left: 40mm; top: 1mm", "top", "Mi"), ("left: 40mm; top: -1mm", "top", "Margin"),
     ("left: 40mm; bottom: 0", "bottom", "Margin")],
)  # fmt: skip
def test_text_within_the_safe_margin_fails(position: str, edge: str, near: str):
    """Measured on the glyphs themselves: the line box reaches the margin before the letters do."""
    findings = preflight(render(f'<p class="at" style="{position}">Margin</p>'), SCREEN)
    [finding] = found(findings, "safe-margin")
    assert finding.page == 1
    assert re.match(
        rf"Page 1: {len(near)} characters? of text within the 3 mm safe margin, the nearest [0-2]\.\d mm "
        rf"from its {edge} edge \(“{near}”\): the cut may take them off",
        finding.message,
    ), finding.message


def test_text_across_the_trim_edge_fails():
    [finding] = found(preflight(render('<p class="at" style="left: -2mm; top: 90mm">Cut</p>'), SCREEN), "safe-margin")
    assert "the nearest crosses the left edge of the trim" in finding.message


def test_the_safe_margin_can_be_wider():
    data = render('<p class="at" style="left: 5mm; top: 90mm">Five</p>')
    assert found(preflight(data, SCREEN), "safe-margin") == []
    [finding] = found(preflight(data, Expectations("screen", safe_margin_mm=10)), "safe-margin")
    assert "within the 10 mm safe margin" in finding.message


@pytest.mark.parametrize(
    ("style", "where"),
    [("left: 1.5mm; top: 50mm; width: 30mm; height: 20mm", "1.5 mm from the left"),
     ("right: 2.5mm; top: 50mm; width: 30mm; height: 20mm", "2.5 mm from the right"),
     ("left: 0; right: 0; top: 0; height: 1.5mm", "1.5 mm from the top"),  # runs off three edges, ends in the margin
     ("left: -5mm; width: 7mm; bottom: 50mm; height: 20mm", "2.0 mm from the left")],  # bleeds off, ends 2 mm inside
)  # fmt: skip
def test_art_that_stops_within_the_safe_margin_fails(style: str, where: str):
    data = render(f'<div class="at" style="{style}; background: #b3151d"></div>', page="bleed: 3mm")
    [finding] = found(preflight(data, PRINT), "safe-margin")
    assert finding.page == 1
    assert finding.message.startswith(f"Page 1: vector art stops {where} edge of the trim, within the 3 mm safe margin")


@pytest.mark.parametrize(
    "style",
    ["left: -3mm; right: -3mm; top: -3mm; height: 60mm",  # a band bleeding off three edges
     "left: 0; right: 0; top: 0; bottom: 0",  # a background cut at the trim
     "left: 10mm; top: 10mm; width: 50mm; height: 50mm"],  # a box inside the safe area
)  # fmt: skip
def test_backgrounds_and_art_clear_of_the_margin_pass(style: str):
    data = render(f'<div class="at" style="{style}; background: #b3151d"></div>', page="bleed: 3mm", crop_marks=True)
    assert found(preflight(data, PRINT), "safe-margin") == []


def test_imposed_and_tiled_sheets_skip_the_safe_margin():
    data = render('<p class="at" style="left: 1mm; top: 90mm">Margin</p>')
    assert found(preflight(data, Expectations("imposed", check_margin=False)), "safe-margin") == []


# Images -----------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pixels", "severity"),
    [(72, "error"), (120, "error"), (200, "warning"), (300, None), (600, None)],
)
def test_images_are_checked_at_the_size_they_are_placed(pixels: int, severity: str | None):
    data = render(f'<img class="at" style="left: 20mm; top: 40mm; width: 1in; height: 1in" src="{png(pixels)}">')
    findings = preflight(data, SCREEN)
    problems = [finding for finding in findings if finding.check == "images" and finding.severity != "info"]
    assert [finding.severity for finding in problems] == ([severity] if severity else [])
    if severity:
        assert problems[0].message.startswith(
            f"Page 1: an image of {pixels} × {pixels} px is placed at 25.4 mm × 25.4 mm, {pixels} ppi; "
            "print needs 300 ppi"
        )
    [info] = found(findings, "images", "info")
    assert info.message == f"images: the lowest resolution is {pixels} ppi"


def test_image_resolution_counts_the_scale_of_the_sheet():
    """Four A5 pages on an A4 side are placed at A6, 1/√2 of their size: a 200 ppi image becomes 283 ppi."""
    page = render(f'<img class="at" style="left: 20mm; top: 40mm; width: 1in; height: 1in" src="{png(200)}">')
    sheets = impose(page, ImposeOptions(layout="repeat", nup=4)).data
    [info] = found(preflight(sheets, expectations_for("x-repeat-4up-a4.pdf")), "images", "info")
    assert info.message == "images: the lowest resolution is 283 ppi"


# Colour -----------------------------------------------------------------------------------------------------------

CMYK_ONLY = "html { color: device-cmyk(0 0 0 1); } body { background: device-cmyk(0 0.9 0.8 0.3) }"


@pytest.mark.parametrize(
    ("css", "body", "space"),
    [
        ("", SAFE_TEXT, "DeviceRGB"),
        (CMYK_ONLY, f'{SAFE_TEXT}<p class="at" style="top: 50mm; color: #b3151d">Red</p>', "DeviceRGB"),
        (CMYK_ONLY, f'{SAFE_TEXT}<img src="{png(300)}" style="width: 1in">', "DeviceRGB"),
    ],
    ids=["rgb text", "one rgb colour", "rgb image"],
)
def test_rgb_fails_when_the_print_profile_asks_for_cmyk(css: str, body: str, space: str):
    findings = preflight(render(body, css=css), Expectations("print", cmyk=True))
    [finding] = found(findings, "colour")
    assert finding.page == 1
    assert finding.message.startswith(f"{space} colour on page 1: the print profile asks for CMYK")


def test_cmyk_only_passes_and_is_listed():
    findings = preflight(render(css=CMYK_ONLY), Expectations("print", cmyk=True))
    assert found(findings, "colour") == []
    [info] = found(findings, "colour", "info")
    assert info.message == "colour spaces: DeviceCMYK (page 1)"


def test_rgb_is_fine_without_a_cmyk_profile():
    findings = preflight(render(), Expectations("print"))
    assert found(findings, "colour") == []
    assert found(findings, "colour", "info")[0].message == "colour spaces: DeviceRGB (page 1)"


def test_colour_inside_the_forms_of_imposed_sheets_is_found():
    image = f'<p style="break-before: page"><img src="{png(300, "L")}" style="width: 1in"></p>'
    pages = render(f'<p>1</p>{image}<p style="break-before: page">3</p><p style="break-before: page">4</p>')
    sheets = impose(pages, ImposeOptions()).data  # pages 4 and 1 on side 1, 2 and 3 on side 2
    assert "/ColorSpace" not in PdfReader(io.BytesIO(sheets)).pages[1]["/Resources"]
    [info] = found(preflight(sheets, expectations_for("x-booklet-a4.pdf")), "colour", "info")
    assert info.message == "colour spaces: DeviceGray (page 2); DeviceRGB (pages 1–2)"


# Metadata and tags ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("kind", "severity"), [("screen", "error"), ("print", "warning"), ("poster", "warning")])
def test_missing_title_and_language_fail_on_screen_and_warn_elsewhere(kind: str, severity: str):
    findings = preflight(render(title="", lang=""), Expectations(kind))
    messages = [finding.message for finding in found(findings, "metadata", severity)]
    assert len(messages) == 2
    assert messages[0].startswith("no title in the metadata (/Info /Title)")
    assert messages[1].startswith("no language in the catalog (/Lang)")
    assert found(findings, "metadata", "info")[0].message == "author: The Test Collective"


def test_missing_author_is_a_warning():
    findings = preflight(render(author=""), SCREEN)
    [finding] = found(findings, "metadata", "warning")
    assert finding.message.startswith("no author in the metadata")


def test_untagged_pdf_fails_when_tags_are_required():
    [finding] = found(preflight(render(), Expectations("screen", tagged=True)), "tags")
    assert finding.message.startswith("not tagged (no /MarkInfo /Marked true and no /StructTreeRoot)")


@pytest.mark.parametrize("options", [{"pdf_tags": True}, {"pdf_variant": "pdf/ua-1"}], ids=["pdf_tags", "PDF/UA-1"])
def test_tagged_pdf_passes(options: dict):
    data = render(**options)
    assert "/StructTreeRoot" in PdfReader(io.BytesIO(data)).trailer["/Root"]
    assert found(preflight(data, Expectations("screen", tagged=True)), "tags") == []


def test_the_screen_pdf_is_required_to_be_tagged_and_nothing_else_is():
    assert expectations_for("x-a5.pdf").tagged is True
    assert len(found(preflight(render(), expectations_for("x-a5.pdf")), "tags")) == 1
    assert found(preflight(render(), expectations_for("x-a5-print.pdf")), "tags") == []


# Damaged files, names, the report ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [b"", b"not a PDF at all", b"%PDF-1.7\n%%EOF\n", numbered_pdf(2)[:300], b"%PDF-1.7\n" + bytes(range(256)) * 20],
    ids=["empty", "text", "no objects", "truncated", "garbage"],
)
def test_an_unreadable_file_is_one_finding(data: bytes):
    [finding] = preflight(data, SCREEN, "broken.pdf")
    assert (finding.check, finding.severity) == ("read", "error")
    assert finding.message.startswith("cannot read broken.pdf: ")


def test_an_encrypted_file_cannot_be_read():
    [finding] = preflight(edited(render(), lambda writer: writer.encrypt("secret")), SCREEN, "locked.pdf")
    assert (finding.check, finding.severity) == ("read", "error")
    assert finding.message.startswith("cannot read locked.pdf: it is encrypted; remove its password first")


def test_a_repaired_file_is_checked_with_a_warning():
    data = render()
    broken = data[: data.rindex(b"startxref")] + b"startxref\n999999\n%%EOF\n"
    findings = preflight(broken, SCREEN)
    [finding] = found(findings, "read", "warning")
    assert finding.message.startswith("the file had to be repaired to be read (incorrect startxref pointer")
    assert errors(findings) == [] and found(findings, "fonts", "info")[0].message == "fonts: Charis-SIL"


def test_a_damaged_file_never_raises():
    data = render()
    for length in range(0, len(data), max(1, len(data) // 40)):
        assert isinstance(preflight(data[:length], SCREEN), list)
    middle = len(data) // 2
    assert isinstance(preflight(data[:middle] + b"\x00" * 200 + data[middle + 200 :], SCREEN), list)


@pytest.mark.parametrize(
    ("name", "kind", "bleed", "paper", "booklet", "margin"),
    [
        ("out/leaflet/leaflet-a5.pdf", "screen", 0, "A5", False, True),
        ("leaflet-a5-print.pdf", "print", 3, "A5", True, True),  # bound as a booklet by the print shop
        ("leaflet-booklet-a4.pdf", "booklet", 0, "A4", True, False),
        ("leaflet-booklet-sig2-a3.pdf", "booklet", 0, "A3", True, False),
        ("leaflet-repeat-4up-letter.pdf", "imposed", 0, "Letter", False, False),
        ("leaflet-cutstack-8up-a4.pdf", "imposed", 0, "A4", False, False),
        ("leaflet-zine-a4.pdf", "imposed", 0, "A4", False, False),
        ("posters/no-war-a3.pdf", "poster", 0, "A3", False, True),
        ("posters/no-war-a2-landscape-print.pdf", "poster-print", 3, "A2", False, True),
        ("posters/no-war-tabloid-print.pdf", "poster-print", 3, "Tabloid", False, True),
        ("posters/no-war-a3-tiled-a4.pdf", "tiled", 0, "A4", False, False),
        ("scan.pdf", "generic", 0, "", False, True),
    ],
)
def test_expectations_come_from_the_file_name(name: str, kind: str, bleed: float, paper: str, booklet: bool,
                                              margin: bool):  # fmt: skip
    expect = expectations_for(name)
    assert (expect.kind, expect.bleed_mm, expect.paper, expect.booklet, expect.check_margin) == (
        kind, bleed, paper, booklet, margin,
    )  # fmt: skip
    assert (expect.tagged, expect.cmyk) == (kind == "screen", False)


def test_the_report_says_fail_and_lists_every_finding_errors_first():
    findings = preflight(render(title="", page="size: A4"), SCREEN)
    report = format_report("leaflet-a5.pdf", findings).splitlines()
    assert report[0] == "FAIL  leaflet-a5.pdf  (2 errors, 0 warnings)"
    assert len(report) == 1 + len(findings)
    assert [line.split()[0] for line in report[1:]] == ["error", "error", "info", "info", "info", "info"]
    assert report[1].split()[1:3] == ["boxes", "Page"] and report[2].split()[1:4] == ["metadata", "no", "title"]
