"""Imposing a PDF: read it, ask the layout's module for a plan, and let `place.apply_plan` write the sheets."""

from __future__ import annotations

import io
import zlib
from dataclasses import dataclass

from pypdf import PdfReader
from pypdf.errors import PyPdfError

from samizdat.errors import SamizdatError
from samizdat.impose import ImposeOptions, check_options, instructions
from samizdat.impose.cutstack import cutstack_plan
from samizdat.impose.place import apply_plan
from samizdat.impose.plan import SHEETS, Side
from samizdat.impose.repeat import repeat_plan
from samizdat.impose.saddle import saddle_plan
from samizdat.impose.zine import zine_plan
from samizdat.messages import plural


@dataclass(frozen=True)
class Imposed:
    data: bytes
    sides: int
    instructions: str
    warnings: tuple[str, ...] = ()


#: What pypdf and zlib raise on a damaged file, read lazily as the sheets are written.
DAMAGE = (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError, NotImplementedError,
          zlib.error, RecursionError, OverflowError)  # fmt: skip


def impose(source: bytes, options: ImposeOptions, name: str = "the PDF") -> Imposed:
    """Impose the PDF bytes `source`; raise SamizdatError (naming `name`) for a file that cannot be."""
    check_options(options)
    reader = read_pdf(source, name)
    sides = plan_for(reader, options)
    how = instructions(options)
    duplex = {"short": "/DuplexFlipShortEdge", "long": "/DuplexFlipLongEdge", "none": "/Simplex"}[options.duplex]
    try:
        data = apply_plan(
            reader, sides, keep_bleed=options.keep_bleed, marks=options.draws_marks,
            metadata={"/Subject": f"To print: {how}"}, duplex=duplex,
        )  # fmt: skip
    except DAMAGE as error:
        raise SamizdatError(f"{name} is damaged and cannot be read ({error}); try repairing it with qpdf") from None
    annotated = sum(len(page.get("/Annots") or []) for page in reader.pages)
    warnings = (
        (f"{name}: {plural(annotated, 'annotation')} (notes, form fields) are not carried onto the sheets",)
        if annotated
        else ()
    )
    return Imposed(data=data, sides=len(sides), instructions=how, warnings=warnings)


def read_pdf(source: bytes, name: str) -> PdfReader:
    if b"%PDF-" not in source[:1024]:
        raise SamizdatError(f"{name} is not a PDF (it does not start with %PDF-)")
    try:
        reader = PdfReader(io.BytesIO(source))
        if reader.is_encrypted and not reader.decrypt(""):  # an owner password alone does not stop anyone reading
            raise SamizdatError(f"{name} is encrypted: remove its password first, e.g. qpdf --decrypt IN.pdf OUT.pdf")
        count = len(reader.pages)
        for page in reader.pages:
            page.trimbox  # noqa: B018 - reading every page's boxes finds damage now, not halfway through
    except DAMAGE as error:
        raise SamizdatError(f"{name} is damaged and cannot be read ({error}); try repairing it with qpdf") from None
    if count == 0:
        raise SamizdatError(f"{name} has no pages")
    return reader


def plan_for(reader: PdfReader, options: ImposeOptions) -> list[Side]:
    count = len(reader.pages)
    first = reader.pages[0]
    width, height = float(first.trimbox.width), float(first.trimbox.height)
    page_size = (height, width) if int(first.get("/Rotate", 0) or 0) % 180 else (width, height)
    paper = SHEETS[options.sheet]
    if options.layout == "saddle":
        return saddle_plan(count, page_size, paper, options.duplex, options.creep_mm, options.signature)
    if options.layout == "cutstack":
        return cutstack_plan(count, page_size, paper, options.nup, options.duplex)
    if options.layout == "repeat":
        return repeat_plan(count, page_size, paper, options.nup, options.duplex)
    return zine_plan(count, paper)
