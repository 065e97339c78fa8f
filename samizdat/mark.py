"""What each output is, written into the file: its kind (samizdat.catalogue) and paper, in XMP metadata.

Every PDF samizdat makes carries one XMP property set in samizdat's own
namespace, e.g. `samizdat:kind="tiled" samizdat:paper="A4"`, so `check` knows a
tiled poster saved as x.pdf for what it is. The mark holds no date or random
identifier: the same inputs give the same bytes. WeasyPrint's files carry it in
the one metadata stream WeasyPrint writes (its PDF/UA or PDF/X packet, or one
written for a plain PDF), inside its rdf:RDF; the files pypdf writes
(impositions, split posters, tiles) in a packet of their own.

    >>> read_mark(packet(mark("tiled", "A4")))
    ('tiled', 'A4')
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import pydyf

if TYPE_CHECKING:
    from weasyprint.document import Document

#: samizdat's XMP namespace: the mark's properties are `samizdat:kind` and `samizdat:paper`.
NAMESPACE = "urn:x-samizdat:output:1.0/"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
#: How much of a file's metadata stream is searched for the mark: ours is short, a foreign one may be huge.
MAX_METADATA_BYTES = 1_000_000
MARKED = re.compile(
    rb'xmlns:samizdat="' + re.escape(NAMESPACE.encode()) + rb'"\s+samizdat:kind="([a-z0-9-]{1,40})"'
    rb'\s+samizdat:paper="([A-Za-z0-9 -]{0,40})"'
)


def mark(kind: str, paper: str) -> bytes:
    """The rdf:Description that says what a file is, to go inside the rdf:RDF of its one XMP packet."""
    return (
        f'<rdf:Description rdf:about="" xmlns:samizdat="{NAMESPACE}" samizdat:kind="{kind}" '
        f'samizdat:paper="{paper}"/>'
    ).encode()


def packet(description: bytes) -> bytes:
    """A whole XMP packet holding `description`, as WeasyPrint writes one: for the files pypdf writes."""
    return (
        b'<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?>\n<x:xmpmeta xmlns:x="adobe:ns:meta/">'
        + f'<rdf:RDF xmlns:rdf="{RDF}">'.encode() + description + b"</rdf:RDF>"
        + b'</x:xmpmeta>\n<?xpacket end="r"?>'
    )  # fmt: skip


def marked(packet: bytes, description: bytes) -> bytes:
    """An XMP packet (WeasyPrint's) with `description` added inside its rdf:RDF."""
    return packet.replace(b"</rdf:RDF>", description + b"</rdf:RDF>", 1)


def read_mark(metadata: bytes) -> tuple[str, str] | None:
    """The kind and paper a metadata stream says, or None when it carries no samizdat mark (a foreign file).

    Searched as bytes, not parsed as XML: a foreign file's metadata is untrusted, and only samizdat's own
    spelling of the mark counts.
    """
    found = MARKED.search(metadata[:MAX_METADATA_BYTES])
    return (found.group(1).decode(), found.group(2).decode()) if found else None


def mark_xmp(pdf: pydyf.PDF, document: Document, description: bytes) -> None:
    """A WeasyPrint finisher's step: `description` in the PDF's one XMP packet, the variant's (PDF/UA, PDF/X),
    or for a plain PDF the one WeasyPrint writes for them (`DocumentMetadata.include_in_pdf` with no variant:
    no date, no random id)."""
    if "Metadata" not in pdf.catalog:
        document.metadata.include_in_pdf(pdf, "", None, None, compress=True)
    for stream in pdf.objects:
        if isinstance(stream, pydyf.Stream) and stream.extra.get("Type") == "/Metadata":
            stream.stream = [marked(b"".join(stream.stream), description)]
