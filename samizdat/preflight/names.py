"""What each of samizdat's outputs must be: told by the kind the file carries, or failing that by its name.

The expectations are the catalogue's (samizdat.catalogue: each kind's `expect`);
the kind is read from the file's XMP mark (samizdat.mark). A file without a mark
(made before files were marked) is judged by its name, and a file that is
neither is checked as a generic PDF.
"""

from __future__ import annotations

import io

from pypdf import PdfReader
from pypdf.generic import StreamObject

from samizdat.catalogue import KINDS, PRINT_BLEED_MM, Kind, by_file_name
from samizdat.mark import read_mark
from samizdat.paper import PAPERS
from samizdat.pdfio.damage import READ_ERRORS, Repairs
from samizdat.preflight.model import Expectations

__all__ = ["PRINT_BLEED_MM", "expectations_for", "expectations_of_kind", "identify"]

GENERIC = "unknown kind: checked as a generic PDF"


def expectations_of_kind(kind: Kind, paper: str) -> Expectations:
    """What a file of `kind` on `paper` ("A5", "a4", "A2 landscape") must be.

    >>> expectations_of_kind(KINDS["tiled"], "A4")
    Expectations(kind='tiled', bleed_mm=0.0, safe_margin_mm=3.0, cmyk=False, booklet=False, tagged=False, \
check_margin=False, paper='A4', black_and_white=False, max_solid=1.0)
    """
    named = paper.lower().split()[0].removesuffix("-landscape") if paper else ""
    return Expectations(paper=next((name for name in PAPERS if name.lower() == named), ""), **kind.expect)


def expectations_for(path_name: str) -> Expectations:
    """What the output named `path_name` must be; a generic check for names samizdat does not make.

    >>> expectations_for("out/x/x-a5-print.pdf").bleed_mm, expectations_for("x-booklet-a4.pdf").booklet
    (3.0, True)
    >>> expectations_for("posters/no-war-a2-landscape.pdf").kind, expectations_for("scan.pdf").kind
    ('poster', 'generic')
    """
    found = by_file_name(path_name)
    return expectations_of_kind(*found) if found else Expectations("generic")


def identify(data: bytes, name: str) -> tuple[Expectations, str]:
    """What a file must be, and a line that says how that was known: the kind the file carries wins over its name.

    A foreign file, or one of a kind this samizdat does not know, is checked as a generic PDF.
    """
    marked = _mark_of(data)
    named = by_file_name(name)
    if marked is not None and marked[0] in KINDS:
        kind, paper = KINDS[marked[0]], marked[1]
        renamed = named is not None and named[0] != kind
        other = f" (its name says {named[0].name}: what the file says wins)" if renamed else ""
        return expectations_of_kind(kind, paper), f"kind: {kind.name} on {paper}, as the file says{other}"
    if marked is not None:
        return Expectations("generic"), f"unknown kind '{marked[0]}' (from a newer samizdat?): checked as a generic PDF"
    if named is not None:
        expect = expectations_of_kind(*named)
        return expect, f"kind: {named[0].name}, from its file name (the file does not say what it is)"
    return Expectations("generic"), GENERIC


def _mark_of(data: bytes) -> tuple[str, str] | None:
    """The kind and paper in the file's XMP metadata; None for a file without (or one that cannot be read:
    preflight's own reading then says what is wrong with it)."""
    with Repairs():
        try:
            metadata = PdfReader(io.BytesIO(data)).trailer["/Root"].get_object().get("/Metadata")
            stream = metadata.get_object() if metadata is not None else None
            return read_mark(stream.get_data()) if isinstance(stream, StreamObject) else None
        except READ_ERRORS:
            return None
