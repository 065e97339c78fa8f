"""Posters stage: each slogan set as large as it fits its sheet, measured on the real layout.

1. One probe render measures, in WeasyPrint's own layout, the safe area of
   every poster size and the width of every word at 100 pt.
2. For each slogan and size, every line count is tried; for each, the words are
   split into lines whose longest line is as short as it can be (balanced lines,
   no lone short word), and the font size follows from the safe area:
   min(width / longest line, height / lines' height). The best line count wins.
3. One render sets every poster (named pages of different sizes); each is checked
   against its safe area, shrunk by 0.5 % and set again if a rounding overflowed;
   then pypdf splits the pages into one file per poster.
"""

from __future__ import annotations

import base64
import io
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

import segno
from PIL import Image
from pypdf import PdfReader, PdfWriter
from weasyprint.formatting_structure.boxes import BlockBox, Box, FlexContainerBox, InlineBlockBox, InlineBox, LineBox

from samizdat.content import Document
from samizdat.errors import LayoutError, SamizdatError
from samizdat.fitting import Measures, fit
from samizdat.html import render_html
from samizdat.impose.compact import compact_writer
from samizdat.impose.place import carry_over
from samizdat.impose.plan import TILE_INSTRUCTIONS, TileOptions
from samizdat.paper import PosterSize, poster_size
from samizdat.pdf import Layout, lay_out, write_pdf
from samizdat.punctuation import breakable_words
from samizdat.tile import label_maker, tile

if TYPE_CHECKING:
    from samizdat.config import PosterConfig
    from samizdat.local import LocalGroup

SHRINK = 0.995
VARIANTS = (
    ("screen", "", "to print on a large printer"),
    ("print", "-print", "with 3 mm bleed and crop marks, for a print shop"),
)


@dataclass(frozen=True)
class Poster:
    slogan: str
    slug: str
    size: PosterSize
    font_size: float
    lines: tuple[str, ...]


def slogan_slug(slogan: str) -> str:
    """A file name part from a slogan: words joined by hyphens, at most 60 characters.

    >>> slogan_slug("Free the oppressed in Russia!"), slogan_slug("Свободу політв'язням!")
    ('free-the-oppressed-in-russia', 'свободу-політв-язням')
    """
    slug = re.sub(r"[^\w]+", "-", slogan.lower()).strip("-")
    if len(slug) > 60:
        slug = slug[:60].rsplit("-", 1)[0]
    return slug or "slogan"


def plan_posters(document: Document, sizes: list[PosterSize], measures: Measures, minimum: float) -> list[Poster]:
    """Every slogan on every size, at its fitted size; an error for a slogan too long to read."""
    posters = []
    for index, (slogan, slug) in enumerate(zip(document.slogans, slogan_slugs(document.slogans), strict=True)):
        words = breakable_words(slogan)
        line = document.slogan_lines[index] if index < len(document.slogan_lines) else None
        if not words or max(measures.words.get(word, 0.0) for word in words) <= 0:
            raise SamizdatError(
                "this slogan prints nothing (only spaces or invisible characters): write it out or remove it",
                document.source,
                line,
            )
        for size in sizes:
            font_size, lines = fit(words, measures.areas[size.name], measures)
            if font_size < minimum:
                raise SamizdatError(
                    f"the slogan “{_shown(slogan)}” fits {size.name} only at {font_size:.1f} pt, under the "
                    f"{minimum:g} pt minimum: shorten it or choose a larger size",
                    document.source,
                    line,
                )
            posters.append(Poster(slogan, slug, size, round(font_size, 2), lines))
    return posters


def slogan_slugs(slogans: tuple[str, ...]) -> list[str]:
    """Each slogan's file name part, unique: "Stop the war!" and "Stop the war?" give stop-the-war, stop-the-war-2.

    A number is never one another slogan's slug already is ("Stop the war 2"), so no poster overwrites another.

    >>> slogan_slugs(("Stop the war!", "Stop the war 2", "STOP THE WAR"))
    ['stop-the-war', 'stop-the-war-2', 'stop-the-war-3']
    """
    bases = [slogan_slug(slogan) for slogan in slogans]
    taken: set[str] = set()
    slugs = []
    for base in bases:
        slug, number = base, 1
        while slug in taken or (slug != base and slug in bases):
            number += 1
            slug = f"{base}-{number}"
        taken.add(slug)
        slugs.append(slug)
    return slugs


def _shown(slogan: str) -> str:
    """A slogan in a message: at most 80 characters, so a long one does not fill the terminal."""
    return slogan if len(slogan) <= 80 else slogan[:79] + "…"


def measure(document: object, sizes: list[PosterSize], words: list[str]) -> Measures:
    """Read the probe render's layout: the slogan areas, the words' widths, the lines' heights."""
    areas, widths, lines, space = {}, {}, [], 25.0
    probes = iter(sizes)
    for page in document.pages:
        for box in page._page_box.descendants():
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
        boxes = list(page._page_box.descendants())
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
        name = f"{poster.slug}-{poster.size.name.lower()}-tiled-{sheet.lower()}.pdf"
        what = (
            f"Poster “{poster.slogan}”, {poster.size.name.replace('-', ' ')}, on {sheet} sheets — {TILE_INSTRUCTIONS}"
        )
        tiled = tile(screen.data, options, labels, name=screen.name)
        files.append(PosterFile(name, tiled, what, pages=len(PdfReader(io.BytesIO(tiled)).pages)))
    return files


def split_pages(data: bytes) -> list[bytes]:
    """One PDF per page, each packed small; the fonts subset for all posters is shared by each file."""
    reader = PdfReader(io.BytesIO(data))
    files = []
    for page in reader.pages:
        writer = PdfWriter()
        writer.add_page(page)
        subject = (reader.metadata or {}).get("/Subject")
        carry_over(reader, writer, {"/Subject": str(subject)} if subject else None)
        files.append(compact_writer(writer))
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
class PosterFile:
    """One poster file to write: its name under output/SLUG/posters/, its bytes, what it is for."""

    name: str
    data: bytes
    purpose: str
    warnings: tuple[str, ...] = ()
    pages: int = 1


def make_posters(
    document: Document, config: PosterConfig, *, layouts_dir: Path, readable_dirs: list[Path], fonts_dir: Path,
    date: str | None, local: LocalGroup | None = None, cmyk: dict[str, str] | None = None,
) -> list[PosterFile]:  # fmt: skip
    """Every poster of a document, as screen and print files: one probe render, then one render for both variants."""
    if not document.slogans:
        return []
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
    posters = plan_posters(document, sizes, measure(probe.document, sizes, words), config.minimum)
    for _ in range(8):
        rendered = layout("print", posters=posters, probe_sizes=[], words=[])
        bad = overflowing(rendered.document, posters)
        if not bad:
            break
        posters = shrunk(posters, bad)
    else:
        raise SamizdatError(f"the posters of {document.source.name} keep overflowing their safe area")
    files = []
    printed = layout("print", cmyk, posters=posters, probe_sizes=[], words=[]) if cmyk else rendered
    for variant, suffix, purpose in VARIANTS:  # one layout, with bleed: the screen files are written without it
        if variant == "print":
            pages = split_pages(write_pdf(printed, crop_marks=True, pdfx=bool(cmyk)))
        else:
            pages = split_pages(write_pdf(rendered, without_bleed=True))
        for poster, data in zip(posters, pages, strict=True):
            name = f"{poster.slug}-{poster.size.name.lower()}{suffix}.pdf"
            what = f"Poster “{poster.slogan}”, {poster.size.name.replace('-', ' ')} — {purpose}"
            files.append(PosterFile(name, data, what, tuple(rendered.warnings)))
    files += tiled_posters(posters, files, config, label_maker(layouts_dir, readable_dirs, fonts_dir))
    _check_names(files, document)
    return files


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
