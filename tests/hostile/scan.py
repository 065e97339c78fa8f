"""The leak scanner: search every file of an output folder for a marker planted outside and for the builder's paths.

A PDF is read five ways, because a leak hides in any of them: its raw bytes, the same decompressed by
`qpdf --qdf --object-streams=disable`, every stream inflated by pypdf, its text extracted by pypdf (text
drawn from an outside file is glyph numbers in the content streams, readable only through ToUnicode), and
every string and name of every object decoded (titles and links are often UTF-16 hex strings). Pictures
leak by their size: an image XObject as large as the planted PNG is a finding. HTML is unescaped, JSON
decoded, PNG text chunks inflated; everything else (SHA256SUMS, leftover files) is searched as bytes.
`output/.cache/` is searched for the marker only: its records may name the project's folders, and it is
neither published nor served.
"""

from __future__ import annotations

import html
import json
import shutil
import struct
import subprocess
import tempfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from pypdf import PdfReader
from pypdf.errors import PyPdfError
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject, StreamObject, TextStringObject

QPDF = shutil.which("qpdf")
PICTURE_LABEL = "an image the size of the planted picture:"
#: What pypdf raises on a damaged file besides its own errors; the scan reports it instead of stopping.
READ_ERRORS = (PyPdfError, ValueError, KeyError, TypeError, OSError, zlib.error, RecursionError)


@dataclass(frozen=True)
class Needle:
    """One thing that must not be in any output: what it is and the strings it can appear as."""

    label: str
    text: str

    def forms(self) -> list[bytes]:
        """The bytes it shows as: UTF-8, and UTF-16BE as in PDF text strings and TrueType name tables."""
        return [self.text.encode(), self.text.encode("utf-16-be")]


@dataclass(frozen=True)
class Finding:
    """A needle found: in which file, read which way, and the text around it."""

    path: str
    layer: str
    label: str
    context: str

    def __str__(self) -> str:
        return f"  {self.path} [{self.layer}]: {self.label} in …{self.context}…"


@dataclass
class Scan:
    """What one scan of an output folder found, and what it could not read."""

    findings: list[Finding] = field(default_factory=list)
    scanned: list[str] = field(default_factory=list)

    def report(self) -> str:
        listed = "\n".join(str(finding) for finding in self.findings)
        return f"{len(self.findings)} finding(s) in {len(self.scanned)} file(s):\n{listed}"


def needles(marker: str, builder_paths: list[Path], file_urls: bool = True) -> tuple[list[Needle], list[Needle]]:
    """(the marker, the builder's traces): its folders as written and resolved, and any file: URL."""
    paths = {str(path) for folder in builder_paths for path in (folder, folder.resolve())}
    traces = [Needle(f"builder's path {path}", path) for path in sorted(paths)]
    traces += [Needle("a file: URL", "file:/")] if file_urls else []
    return [Needle("the marker", marker), Needle("the planted picture", PICTURE_LABEL)], traces


def scan_output(
    output_dir: Path,
    marker: str,
    builder_paths: list[Path],
    picture_size: tuple[int, int] | None = None,
    file_urls: bool = True,
) -> Scan:
    """Search every file under `output_dir` for the marker, the builder's paths and (with `file_urls`) "file:/".

    `picture_size` is the planted PNG's (width, height) in pixels.
    """
    marker_needles, traces = needles(marker, builder_paths, file_urls)
    scan = Scan()
    for path in sorted(p for p in output_dir.rglob("*") if p.is_file()):
        relative = path.relative_to(output_dir).as_posix()
        wanted = marker_needles if relative.startswith(".cache/") else marker_needles + traces
        scan.scanned.append(relative)
        for layer, data in layers(path, picture_size):
            if layer == "unreadable":  # what cannot be read cannot be proven clean
                scan.findings.append(Finding(relative, layer, "not proven clean", data.decode("utf-8", "replace")))
            else:
                scan.findings += search(relative, layer, data, wanted)
    return scan


def search(relative: str, layer: str, data: bytes, wanted: list[Needle]) -> list[Finding]:
    found = []
    for needle in wanted:
        for form in needle.forms():
            at = data.find(form)
            if at >= 0:
                context = data[max(0, at - 60) : at + len(form) + 60].decode("utf-8", "replace")
                found.append(Finding(relative, layer, needle.label, context.replace("\n", "⏎")))
                break
    return found


def layers(path: Path, picture_size: tuple[int, int] | None) -> Iterator[tuple[str, bytes]]:
    """The ways of reading one file, as (name, bytes) pairs."""
    raw = path.read_bytes()
    yield "raw bytes", raw
    suffix = path.suffix.lower()
    if suffix == ".pdf" or raw.startswith(b"%PDF"):
        yield from pdf_layers(path, picture_size)
    elif suffix == ".png":
        yield "PNG text chunks", png_text(raw)
    elif suffix in (".html", ".htm"):
        yield "HTML unescaped", html.unescape(raw.decode("utf-8", "replace")).encode()
    elif suffix == ".json":
        try:
            yield "JSON decoded", json.dumps(json.loads(raw), ensure_ascii=False).encode()
        except ValueError as error:
            yield "unreadable", f"JSON that does not parse: {error}".encode()


def pdf_layers(path: Path, picture_size: tuple[int, int] | None) -> Iterator[tuple[str, bytes]]:
    if QPDF:
        readable, uncompressed = qpdf_uncompressed(path)
        yield ("qpdf --qdf" if readable else "unreadable"), uncompressed
    try:
        reader = PdfReader(path)
        yield "text (pypdf)", "\n".join(page.extract_text() for page in reader.pages).encode()
        streams, strings, pictures = read_objects(reader, picture_size)
    except READ_ERRORS as error:
        yield "unreadable", f"pypdf cannot read it: {type(error).__name__}: {error}".encode()
        return
    yield "streams inflated (pypdf)", streams
    yield "strings and names (pypdf)", strings
    yield "pictures", pictures


def qpdf_uncompressed(path: Path) -> tuple[bool, bytes]:
    """(True, the PDF with every stream decompressed and no object streams), or (False, qpdf's complaint)."""
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / "qdf.pdf"
        done = subprocess.run(
            [QPDF, "--qdf", "--object-streams=disable", str(path), str(target)], capture_output=True, timeout=120
        )
        if done.returncode not in (0, 3) or not target.exists():  # 3: qpdf repaired something and says so
            return False, b"qpdf cannot read it: " + done.stderr
        return True, target.read_bytes()


def read_objects(reader: PdfReader, picture_size: tuple[int, int] | None) -> tuple[bytes, bytes, bytes]:
    """(every stream inflated, every string and name decoded, a line for each image of the planted size)."""
    streams, strings, pictures = [], [], []
    for number in range(1, int(reader.trailer.get("/Size", 0))):
        obj = reader.get_object(number)
        if obj is None:
            continue
        if isinstance(obj, StreamObject):
            streams.append(obj.get_data())
            size = (obj.get("/Width"), obj.get("/Height"))
            if obj.get("/Subtype") == "/Image" and picture_size and size == picture_size:
                pictures.append(f"{PICTURE_LABEL} {size[0]}x{size[1]} px (object {number})".encode())
        strings.extend(text_of(obj, depth=0))
    return b"\n".join(streams), "\n".join(strings).encode(), b"\n".join(pictures)


def text_of(obj: object, depth: int) -> Iterator[str]:
    """Every string and name inside one object (not following references: each object is visited itself)."""
    if depth > 50 or isinstance(obj, IndirectObject):
        return
    if isinstance(obj, TextStringObject | NameObject):
        yield str(obj)
    elif isinstance(obj, bytes):
        yield obj.decode("latin-1")
    elif isinstance(obj, DictionaryObject):
        for key, value in obj.items():
            yield str(key)
            yield from text_of(value, depth + 1)
    elif isinstance(obj, ArrayObject):
        for value in obj:
            yield from text_of(value, depth + 1)


def png_text(raw: bytes) -> bytes:
    """The text chunks of a PNG (tEXt, zTXt inflated, iTXt, eXIf), which survive in thumbnails' metadata."""
    chunks, at = [], 8
    while at + 8 <= len(raw):
        length, kind = struct.unpack(">I4s", raw[at : at + 8])
        body = raw[at + 8 : at + 8 + length]
        at += 12 + length
        if kind == b"zTXt" and b"\0" in body:
            chunks.append(safe_inflate(body.split(b"\0", 1)[1][1:]))
        elif kind == b"iTXt" and len(body.split(b"\0", 5)) == 6:
            keyword, compressed, _method, _language, _translated, text = body.split(b"\0", 5)
            chunks.append(keyword + b" " + (safe_inflate(text) if compressed == b"\1" else text))
        elif kind in (b"tEXt", b"eXIf"):
            chunks.append(body)
    return b"\n".join(chunks)


def safe_inflate(data: bytes) -> bytes:
    try:
        return zlib.decompressobj().decompress(data, 10_000_000)
    except zlib.error:
        return b"(a compressed chunk that does not inflate)"
