"""Imposing a PDF: read it, ask the layout's module for a plan, and let `place.apply_plan` write the sheets."""

from __future__ import annotations

import io
from dataclasses import dataclass, replace

from pypdf import PdfReader, PdfWriter

from samizdat.impose import ImposeOptions, check_options, instructions, kind_of
from samizdat.impose.cutstack import cutstack_plan
from samizdat.impose.legibility import body_size, legibility_warning
from samizdat.impose.manual import Separator, SeparatorMaker, next_step, print_order
from samizdat.impose.place import apply_plan, fit_scale
from samizdat.impose.plan import SHEETS, Side, mirrored
from samizdat.impose.repeat import repeat_plan
from samizdat.impose.saddle import saddle_plan
from samizdat.impose.zine import zine_plan
from samizdat.mark import mark
from samizdat.messages import plural
from samizdat.pdfio.pack import compact_writer
from samizdat.pdfio.read import Source, read_source


@dataclass(frozen=True)
class Imposed:
    data: bytes
    sides: int
    instructions: str
    warnings: tuple[str, ...] = ()
    scale: float = 1.0  # how much the pages were shrunk to fit (the smallest, if they differ)
    text_pt: float | None = None  # the body text's size on the sheets; None for a PDF without text
    lang: str | None = None  # the language the source says it is in (its /Lang): the binding it would want


def impose(
    data: bytes, options: ImposeOptions, name: str = "the PDF", separator: SeparatorMaker | None = None,
    backs_name: str = "the backs' file",
) -> Imposed:  # fmt: skip
    """Impose the PDF bytes `data`; raise SamizdatError (naming `name`) for a file that cannot be. A manual-duplex
    booklet's instruction page is set by `separator` (samizdat.printer_sheets), naming `backs_name` as the next."""
    check_options(options)
    source = read_source(data, name)
    sides = plan_for(source, options)
    how = instructions(options)
    duplex = {"short": "/DuplexFlipShortEdge", "long": "/DuplexFlipLongEdge"}.get(options.duplex, "/Simplex")
    imposed = apply_plan(
        source, sides, keep_bleed=options.keep_bleed, marks=options.draws_marks,
        metadata={"/Subject": f"To print: {how}"}, duplex=duplex,
        mark=mark(kind_of(options).name, options.sheet),  # what it is, wherever it is saved
    )  # fmt: skip
    pages = len(sides)
    if options.manual and options.part != "backs" and separator is not None:
        page = separator(instructions_for(sides, options, backs_name))
        imposed, pages = with_instructions(imposed, sides, options, page)
    warnings = [f"{name} had to be repaired to be read ({'; '.join(source.repairs[:3])})"] if source.repairs else []
    annotated = sum(page.annotations for page in source.pages)
    if annotated:
        carried = f"{plural(annotated, 'annotation')} (links, notes, form fields)"
        warnings.append(f"{name}: {carried} {'is' if annotated == 1 else 'are'} not carried onto the sheets")
    scale = min((fit_scale(source.pages[slot.page].trim, source.pages[slot.page].rotate, slot)
                 for side in sides for slot in side.slots if slot.page is not None), default=1.0)  # fmt: skip
    # default: a manual booklet's backs of a one-page source are blank (nothing scaled)
    body = body_size(data)
    if (small := legibility_warning(name, body, scale)) is not None:
        warnings.append(small)
    text_pt = None if body is None else round(body * scale, 1)
    return Imposed(imposed, pages, how, tuple(warnings), round(scale, 3), text_pt, source.lang)


def plan_for(source: Source, options: ImposeOptions) -> list[Side]:
    """The layout's plan, mirrored when the booklet binds on the right (the same folds and cuts, seen in a
    mirror: samizdat.impose.plan.mirrored); for manual duplex, the sides of its file in the order they are
    printed (samizdat.impose.manual)."""
    laid = replace(options, duplex=options.flip) if options.manual else options
    sides = _left_bound_plan(len(source.pages), source.pages[0].size, laid)
    sides = [mirrored(side) for side in sides] if options.bind == "right" else sides
    if not options.manual:
        return sides
    fronts, backs = print_order(sides, options.feed)
    return {"one": fronts + backs, "fronts": fronts, "backs": backs}[options.part]


def instructions_for(sides: list[Side], options: ImposeOptions, backs_name: str) -> Separator:
    """What a manual-duplex booklet's instruction page says: the sheets printed, the feed, what to print next."""
    sheets = len(sides) // 2 if options.part == "one" else len(sides)
    return Separator(sheets, options.feed, next_step(options.part, sheets, backs_name), sides[0].width,
                     sides[0].height)  # fmt: skip


def with_instructions(imposed: bytes, sides: list[Side], options: ImposeOptions, page: bytes) -> tuple[bytes, int]:
    """The imposed sides with the instruction page (a one-page PDF, samizdat.printer_sheets) after the fronts,
    and how many pages that makes."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(imposed)))
    writer.insert_page(PdfReader(io.BytesIO(page)).pages[0], len(sides) // 2 if options.part == "one" else len(sides))
    return compact_writer(writer), len(sides) + 1


def _left_bound_plan(count: int, page_size: tuple[float, float], options: ImposeOptions) -> list[Side]:
    paper = SHEETS[options.sheet]
    if options.layout == "saddle":
        return saddle_plan(count, page_size, paper, options.duplex, options.creep_mm, options.signature)
    if options.layout == "cutstack":
        return cutstack_plan(count, page_size, paper, options.nup, options.duplex)
    if options.layout == "repeat":
        return repeat_plan(count, page_size, paper, options.nup, options.duplex)
    return zine_plan(count, paper)
