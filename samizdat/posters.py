"""Posters stage: each slogan set as large as it fits its sheet, measured on the real layout.

1. One probe render measures, in WeasyPrint's own layout, the safe area of
   every poster size and the width of every word at 100 pt.
2. For each slogan and size, every line count is tried; for each, the words are
   split into lines whose longest line is as short as it can be (balanced lines,
   no lone short word), and the font size follows from the safe area:
   min(width / longest line, height / lines' height). The best line count wins.
   With `posters: scale: common` every poster of one paper gets the set's
   smallest size; a slogan that fits only under the minimum fails alone
   (samizdat.poster_plan).
3. One render sets every poster (named pages of different sizes); each is checked
   against its safe area, shrunk by 0.5 % and set again if a rounding overflowed;
   then pypdf splits the pages into one file per poster, titled with its slogan.
"""

from __future__ import annotations

import base64
import io
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

import segno
from PIL import Image
from weasyprint.formatting_structure.boxes import BlockBox, Box, FlexContainerBox, InlineBlockBox, InlineBox, LineBox

from samizdat.catalogue import KINDS, POSTER_FILES, Write
from samizdat.content import Document
from samizdat.errors import LayoutError, SamizdatError
from samizdat.fitting import Measures
from samizdat.html import render_html
from samizdat.impose.plan import TILE_INSTRUCTIONS, TileOptions
from samizdat.mark import mark
from samizdat.paper import PosterSize, poster_size
from samizdat.pdf import Layout, lay_out, write_pdf
from samizdat.pdfio.pack import page_count, split_pages
from samizdat.pdfio.weasy import page_box
from samizdat.poster_plan import Poster, PosterFailure, plan_posters
from samizdat.punctuation import breakable_words
from samizdat.tile import label_maker, tile

if TYPE_CHECKING:
    from samizdat.config import PosterConfig
    from samizdat.local import LocalGroup

SHRINK = 0.995


def measure(document: object, sizes: list[PosterSize], words: list[str]) -> Measures:
    """Read the probe render's layout: the slogan areas, the words' widths, the lines' heights."""
    areas, widths, lines, space = {}, {}, [], 25.0
    probes = iter(sizes)
    for page in document.pages:
        for box in page_box(page).descendants():
            if box.element is None:
                continue
            if isinstance(box, BLOCKS) and "slogan-area" in _classes(box):
                size = next(probes, None)
                if size is None:
                    raise LayoutError(f"{PROBE_BROKEN}: it has more slogan areas than poster sizes")
                areas[size.name] = (box.width * 0.75, box.height * 0.75)
            elif isinstance(box, InlineBlockBox) and box.element.get("data-word") is not None:
                widths[words[int(box.element.get("data-word"))]] = box.width * 0.75
            elif isinstance(box, InlineBox) and box.element.get("data-space") is not None:
                space = box.width * 0.75
            elif isinstance(box, BlockBox) and "probe-lines" in _classes(box):
                lines.append(box.height * 0.75)
    if len(areas) != len(sizes) or len(lines) < 2 or set(widths) != set(words):
        raise LayoutError(f"{PROBE_BROKEN}: a slogan area per size, a box per word and two probe lines")
    return Measures(areas, widths, space, lines[0], lines[1] - lines[0])


PROBE_BROKEN = "layouts/poster/poster.html does not lay out the probe that measures the posters (keep its probe part)"


BLOCKS = (BlockBox, FlexContainerBox)


def _classes(box: Box) -> list[str]:
    return (box.element.get("class") or "").split()


def overflowing(document: object, posters: list[Poster]) -> set[int]:
    """Posters whose slogan, as set, runs out of its safe area (an index set)."""
    pages = document.pages
    if len(pages) != len(posters):
        return set(range(len(posters)))
    bad = set()
    for index, page in enumerate(pages):
        boxes = list(page_box(page).descendants())
        area = next((b for b in boxes if b.element_tag == "div" and "slogan-area" in _classes(b)), None)
        slogan = next((b for b in boxes if b.element_tag == "p" and "slogan" in _classes(b)), None)
        if area is None or slogan is None:
            raise LayoutError("each poster of layouts/poster/poster.html needs its div.slogan-area and p.slogan")
        lines = [b for b in slogan.descendants() if isinstance(b, LineBox)]
        too_wide = any(_ink_width(line) > area.width + 0.01 for line in lines)
        if too_wide or slogan.height > area.height + 0.01:
            bad.add(index)
    return bad


def _ink_width(line: Box) -> float:
    return sum(child.margin_width() for child in line.children)


def shrunk(posters: list[Poster], indexes: set[int]) -> list[Poster]:
    return [replace(p, font_size=round(p.font_size * SHRINK, 2)) if i in indexes else p for i, p in enumerate(posters)]


def tiled_posters(
    posters: list[Poster], screens: list[PosterFile], config: PosterConfig, labels: Callable[[list[str]], bytes]
) -> list[PosterFile]:
    """Each screen poster tiled onto the home printer's sheets, with overlap, marks and labels."""
    options = TileOptions(sheet=config.tile_sheet, overlap_mm=config.overlap, margin_mm=config.unprintable)
    files = []
    for poster, screen in zip(posters, screens, strict=False):
        sheet = config.tile_sheet
        tiled_kind, size = KINDS["tiled"], poster.size.name.replace("-", " ")
        name = tiled_kind.file_name(slogan=poster.slug, size=poster.size.name.lower(), sheet=sheet.lower())
        what = tiled_kind.describe(slogan=poster.slogan, size=size, sheet=sheet, instructions=TILE_INSTRUCTIONS)
        tiled = tile(screen.data, options, labels, name=screen.name)
        files.append(PosterFile(name, tiled, what, pages=page_count(tiled), kind=tiled_kind.name, paper=sheet))
    return files


def qr_data_uri(url: str, grey: bool = False) -> str:
    """The URL as a QR code: an SVG data URI, or for CMYK print files a grey-scale PNG (SVG colours are RGB).

    At 12 pixels a module the PNG is sharp at any size the layouts give it (over 300 ppi at 25 mm).
    """
    code = segno.make(url, error="m")
    if grey:
        png = io.BytesIO()
        code.save(png, kind="png", scale=12, border=2)
        grey_png = io.BytesIO()
        Image.open(png).convert("L").save(grey_png, format="PNG")  # one grey channel: DeviceGray in the PDF
        return "data:image/png;base64," + base64.b64encode(grey_png.getvalue()).decode("ascii")
    return code.svg_data_uri(dark="#000", light="#fff", border=2)


@dataclass(frozen=True)
class PosterSet:
    """What a document's posters job makes: the files, and the slogans that could not be set."""

    files: list[PosterFile]
    failures: list[PosterFailure]


@dataclass(frozen=True)
class PosterFile:
    """One poster file to write: its name under output/SLUG/posters/, its bytes, what it is for."""

    name: str
    data: bytes
    purpose: str
    warnings: tuple[str, ...] = ()
    pages: int = 1
    kind: str = "poster"  # its kind in the catalogue, and the paper it is on: what preflight checks it as
    paper: str = ""


def make_posters(
    document: Document, config: PosterConfig, *, layouts_dir: Path, readable_dirs: list[Path], fonts_dir: Path,
    date: str | None, local: LocalGroup | None = None, cmyk: dict[str, str] | None = None,
) -> PosterSet:  # fmt: skip
    """Every poster of a document, as screen and print files: one probe render, then one render for both variants.

    A slogan too long for its size fails alone (its failure is in the set); the others are still made.
    """
    if not document.slogans:
        return PosterSet([], [])
    sizes = list(dict.fromkeys(poster_size(name) for name in config.sizes))
    words = list(dict.fromkeys(word for slogan in document.slogans for word in breakable_words(slogan)))

    url = local.url if local and local.url else config.url  # a local group's own page, else the project's

    def layout(variant: str, colours: dict[str, str] | None = None, **extra: object) -> Layout:
        html = render_html(
            document, "poster/poster.html", layouts_dir, variant=variant, date=date, sizes=sizes,
            url=url, qr=qr_data_uri(url, grey=bool(colours)) if url else None, local=local, cmyk=colours, **extra,
        )  # fmt: skip
        base_url = document.source.resolve().as_uri()
        laid_out = lay_out(html, base_url=base_url, allowed_dirs=readable_dirs, fonts_dir=fonts_dir)
        laid_out.source = document.source
        laid_out.row = (document.local.data, local.line) if local else None
        return laid_out

    probe = layout("screen", posters=[], probe_sizes=sizes, words=words)
    measures = measure(probe.document, sizes, words)
    posters, failures = plan_posters(document, sizes, measures, config.minimum, config.scale)
    if not posters:
        return PosterSet([], failures)
    posters, rendered = _set_inside(posters, layout, document, common=config.scale == "common")
    printed = layout("print", cmyk, posters=posters, probe_sizes=[], words=[]) if cmyk else rendered
    files = _variant_files(posters, rendered, printed, pdfx=bool(cmyk))
    files += tiled_posters(posters, files, config, label_maker(layouts_dir, readable_dirs, fonts_dir))
    _check_names(files, document)
    return PosterSet(files, failures)


def _variant_files(posters: list[Poster], rendered: Layout, printed: Layout, *, pdfx: bool) -> list[PosterFile]:
    """The screen and print file of each poster (the catalogue's poster kinds): one layout with bleed, the
    screen files written without it."""
    files = []
    for kind in POSTER_FILES:
        write = kind.write or Write()
        data = write_pdf(printed if write.crop_marks else rendered, crop_marks=write.crop_marks,
                         without_bleed=write.without_bleed, pdfx=pdfx and write.pdfx)  # fmt: skip
        marks = [mark(kind.name, poster.size.name.replace("-", " ")) for poster in posters]
        for poster, page in zip(posters, split_pages(data, [p.slogan for p in posters], marks), strict=True):
            size = poster.size.name.replace("-", " ")
            name = kind.file_name(slogan=poster.slug, size=poster.size.name.lower())
            what = kind.describe(slogan=poster.slogan, size=size)
            files.append(PosterFile(name, page, what, tuple(rendered.warnings), kind=kind.name, paper=size))
    return files


def _set_inside(
    posters: list[Poster], layout: Callable[..., Layout], document: Document, *, common: bool
) -> tuple[list[Poster], Layout]:
    """The posters laid out, each shrunk by 0.5 % until its slogan stays inside its safe area.

    With `scale: common` each size's posters shrink together, so the set keeps one size.
    """
    for _ in range(8):
        rendered = layout("print", posters=posters, probe_sizes=[], words=[])
        bad = overflowing(rendered.document, posters)
        if not bad:
            return posters, rendered
        if common:  # one size for the set: every poster of that paper shrinks with it
            papers = {posters[i].size.name for i in bad}
            bad = {i for i, poster in enumerate(posters) if poster.size.name in papers}
        posters = shrunk(posters, bad)
    raise SamizdatError(f"the posters of {document.source.name} keep overflowing their safe area")


def _check_names(files: list[PosterFile], document: Document) -> None:
    """No two posters write one file: "Stop, A3 tiled" on A4 would be "Stop" on A3 tiled onto A4."""
    seen: dict[str, str] = {}
    for file in files:
        if seen.setdefault(file.name, file.purpose) != file.purpose:
            raise SamizdatError(
                f"two posters would both be written as {file.name}: {seen[file.name]}; and {file.purpose}. "
                "Reword one of their slogans",
                document.source,
            )
