"""Imposing a PDF: read it, ask the layout's module for a plan, and let `place.apply_plan` write the sheets."""

from __future__ import annotations

from dataclasses import dataclass

from samizdat.catalogue import imposed as imposed_kind
from samizdat.impose import ImposeOptions, check_options, instructions
from samizdat.impose.cutstack import cutstack_plan
from samizdat.impose.legibility import body_size, legibility_warning
from samizdat.impose.place import apply_plan, fit_scale
from samizdat.impose.plan import SHEETS, Side, mirrored
from samizdat.impose.repeat import repeat_plan
from samizdat.impose.saddle import saddle_plan
from samizdat.impose.zine import zine_plan
from samizdat.mark import mark
from samizdat.messages import plural
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


def impose(data: bytes, options: ImposeOptions, name: str = "the PDF") -> Imposed:
    """Impose the PDF bytes `data`; raise SamizdatError (naming `name`) for a file that cannot be."""
    check_options(options)
    source = read_source(data, name)
    sides = plan_for(source, options)
    how = instructions(options)
    duplex = {"short": "/DuplexFlipShortEdge", "long": "/DuplexFlipLongEdge", "none": "/Simplex"}[options.duplex]
    imposed = apply_plan(
        source, sides, keep_bleed=options.keep_bleed, marks=options.draws_marks,
        metadata={"/Subject": f"To print: {how}"}, duplex=duplex,
        mark=mark(imposed_kind(options.layout).name, options.sheet),  # what it is, wherever it is saved
    )  # fmt: skip
    warnings = [f"{name} had to be repaired to be read ({'; '.join(source.repairs[:3])})"] if source.repairs else []
    annotated = sum(page.annotations for page in source.pages)
    if annotated:
        carried = f"{plural(annotated, 'annotation')} (links, notes, form fields)"
        warnings.append(f"{name}: {carried} {'is' if annotated == 1 else 'are'} not carried onto the sheets")
    scale = min(fit_scale(source.pages[slot.page].trim, source.pages[slot.page].rotate, slot)
                for side in sides for slot in side.slots if slot.page is not None)  # fmt: skip
    body = body_size(data)
    if (small := legibility_warning(name, body, scale)) is not None:
        warnings.append(small)
    text_pt = None if body is None else round(body * scale, 1)
    return Imposed(imposed, len(sides), how, tuple(warnings), round(scale, 3), text_pt, source.lang)


def plan_for(source: Source, options: ImposeOptions) -> list[Side]:
    """The layout's plan, mirrored when the booklet binds on the right (the same folds and cuts, seen in a
    mirror: samizdat.impose.plan.mirrored)."""
    sides = _left_bound_plan(len(source.pages), source.pages[0].size, options)
    return [mirrored(side) for side in sides] if options.bind == "right" else sides


def _left_bound_plan(count: int, page_size: tuple[float, float], options: ImposeOptions) -> list[Side]:
    paper = SHEETS[options.sheet]
    if options.layout == "saddle":
        return saddle_plan(count, page_size, paper, options.duplex, options.creep_mm, options.signature)
    if options.layout == "cutstack":
        return cutstack_plan(count, page_size, paper, options.nup, options.duplex)
    if options.layout == "repeat":
        return repeat_plan(count, page_size, paper, options.nup, options.duplex)
    return zine_plan(count, paper)
