"""Packing and splitting: a PDF written with its small objects in compressed object streams, one file per page.

pypdf writes every dictionary as plain text with a classic xref table; WeasyPrint
packs them into object streams. For a short text-only pamphlet that difference
alone made its booklet 12 % bigger than the pamphlet. This pass, written with
pypdf's own objects, removes it. The output is deterministic.
"""

from __future__ import annotations

import io
import zlib

from pypdf import PdfReader, PdfWriter
from pypdf.generic import StreamObject

from samizdat.pdfio.forms import carry_over

#: Small objects per object stream: large enough to compress well, small enough to read quickly.
PER_OBJECT_STREAM = 200


def compact_writer(writer: PdfWriter) -> bytes:
    """What `writer` would write, packed: straight from its objects, without writing and reading it back."""
    # Private: pypdf has no public list of a writer's objects, nor of its Info's object number (writer.metadata
    # is a copy); the other way, write() then read back, costs a second parse of every object.
    objects = list(enumerate(writer._objects, start=1))  # noqa: SLF001
    info_object = writer._info_obj  # noqa: SLF001
    info = info_object.indirect_reference.idnum if info_object is not None else None
    return _pack(objects, len(objects) + 1, writer.root_object.indirect_reference.idnum, info)


def split_pages(data: bytes, titles: list[str], marks: list[bytes] | None = None) -> list[bytes]:
    """One PDF per page of `data` (samizdat's own), titled in turn with `titles` and marked with what it is
    (`marks`, samizdat.mark), each packed small.

    What the pages share (the fonts subset for all of them) is in each file.
    """
    reader = PdfReader(io.BytesIO(data))
    subject = (reader.metadata or {}).get("/Subject")
    files = []
    for index, (page, title) in enumerate(zip(reader.pages, titles, strict=True)):
        writer = PdfWriter()
        writer.add_page(page)
        info = {"/Title": title} | ({"/Subject": str(subject)} if subject else {})
        carry_over(reader, writer, info, marks[index] if marks else None)
        files.append(compact_writer(writer))
    return files


def page_count(data: bytes) -> int:
    """How many pages a PDF that samizdat made has."""
    return len(PdfReader(io.BytesIO(data)).pages)


def _pack(objects: list[tuple[int, object]], size: int, root: int, info: int | None) -> bytes:
    streams, small = [], []
    for number, obj in objects:
        if obj is None:
            continue
        (streams if isinstance(obj, StreamObject) else small).append((number, _serialise(obj)))
    output = io.BytesIO()
    output.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    entries: dict[int, tuple[int, int, int]] = {0: (0, 0, 65535)}
    for number, body in streams:
        entries[number] = (1, output.tell(), 0)
        output.write(b"%d 0 obj\n%s\nendobj\n" % (number, body))
    next_number = size
    for start in range(0, len(small), PER_OBJECT_STREAM):
        chunk = small[start : start + PER_OBJECT_STREAM]
        offsets, bodies, position = [], [], 0
        for index, (number, body) in enumerate(chunk):
            offsets.append(b"%d %d" % (number, position))
            bodies.append(body)
            position += len(body) + 1
            entries[number] = (2, next_number, index)
        header = b" ".join(offsets) + b"\n"
        packed = zlib.compress(header + b"\n".join(bodies), 9)
        entries[next_number] = (1, output.tell(), 0)
        output.write(
            b"%d 0 obj\n<< /Type /ObjStm /N %d /First %d /Filter /FlateDecode /Length %d >>\n"
            b"stream\n%s\nendstream\nendobj\n" % (next_number, len(chunk), len(header), len(packed), packed)
        )
        next_number += 1
    _write_xref_stream(output, entries, next_number, root, info)
    return output.getvalue()


def _serialise(obj: object) -> bytes:
    buffer = io.BytesIO()
    obj.write_to_stream(buffer)
    return buffer.getvalue()


def _write_xref_stream(
    output: io.BytesIO, entries: dict[int, tuple[int, int, int]], number: int, root: int, info: int | None
) -> None:
    position = output.tell()
    entries[number] = (1, position, 0)
    rows = b"".join(
        bytes([kind]) + first.to_bytes(4, "big") + second.to_bytes(2, "big")
        for kind, first, second in (entries.get(n, (0, 0, 0)) for n in range(number + 1))
    )
    packed = zlib.compress(rows, 9)
    info_entry = b" /Info %d 0 R" % info if info is not None else b""
    output.write(
        b"%d 0 obj\n<< /Type /XRef /Size %d /W [1 4 2] /Root %d 0 R%s /Filter /FlateDecode /Length %d >>\n"
        b"stream\n%s\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n"
        % (number, number + 1, root, info_entry, len(packed), packed, position)
    )
