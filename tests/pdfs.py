"""Reading back what is in a PDF (words in reading order, boxes, fonts, every byte of every stream); writing
PDFs by hand, hostile ones too."""

from __future__ import annotations

import functools
import io
import math
import re
import zlib
from pathlib import Path

import pdfplumber
import pydyf
from pdfminer.pdftypes import resolve1
from pypdf import PdfReader
from pypdf.generic import StreamObject

MM = 72 / 25.4
A5 = (148 * MM, 210 * MM)
#: Running heads sit above this line and folios below the other; body text never does.
HEAD_ZONE = 15 * MM
FOOT_ZONE = 15 * MM

SOFT_HYPHEN_AT_BREAK = "\u2010"  # WeasyPrint's hyphenation character
LINE_GLUE = ("-", "—", "–", "/")  # a line ending in these runs straight into the next


def body_words(path: Path) -> list[str]:
    """The words of a PDF in reading order, without running heads and folios, with broken words joined."""
    lines: list[str] = []
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            trim_top, trim_bottom = trim_edges(page)
            for line in page.extract_text_lines(strip=True):
                if line["top"] >= trim_top + HEAD_ZONE and line["bottom"] <= trim_bottom - FOOT_ZONE:
                    lines.append(line["text"])
    text = ""
    for line in lines:
        if line.endswith(SOFT_HYPHEN_AT_BREAK):
            text += line[:-1]
        elif line.endswith(LINE_GLUE):
            text += line
        else:
            text += line + " "
    return text.split()


def structure_elements(path: Path, role: str | None = None) -> list:
    """Every element of a PDF's structure tree (or those of one role, "/Note"), depth first."""
    found, stack = [], [PdfReader(path).trailer["/Root"]["/StructTreeRoot"]]
    while stack:
        element = stack.pop()
        element = element.get_object() if hasattr(element, "get_object") else element
        if not hasattr(element, "keys"):
            continue  # a marked-content number
        if "/S" in element and role in (None, element["/S"]):
            found.append(element)
        kids = element.get("/K", [])
        stack += kids if isinstance(kids, list) else [kids]
    return found


def trim_edges(page: pdfplumber.page.Page) -> tuple[float, float]:
    """Top and bottom of the TrimBox in pdfplumber's top-down coordinates (the print PDF has a wider sheet)."""
    media = [float(v) for v in resolve1(page.page_obj.attrs["MediaBox"])]
    trim = [float(v) for v in resolve1(page.page_obj.attrs.get("TrimBox", media))]
    offset = page.bbox[1]  # pdfplumber shifts `top` by the MediaBox's lower edge when it is not 0
    return offset + media[3] - trim[3], offset + media[3] - trim[1]


def page_texts_in_zone(path: Path, zone: str) -> list[str]:
    """Text of each page's running-head ("head") or folio ("foot") zone."""
    texts = []
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            trim_top, trim_bottom = trim_edges(page)
            if zone == "head":
                crop = page.within_bbox((page.bbox[0], trim_top, page.bbox[2], trim_top + HEAD_ZONE))
            else:
                crop = page.within_bbox((page.bbox[0], trim_bottom - FOOT_ZONE, page.bbox[2], trim_bottom))
            texts.append((crop.extract_text() or "").strip())
    return texts


def boxes(path: Path) -> list[dict[str, tuple[float, ...]]]:
    reader = PdfReader(path)
    return [
        {name: tuple(float(v) for v in getattr(page, name)) for name in ("mediabox", "trimbox", "bleedbox")}
        for page in reader.pages
    ]


def fonts(path: Path) -> dict[str, bool]:
    """Font name (subset prefix removed) → whether its font file is embedded."""
    found: dict[str, bool] = {}
    for page in PdfReader(path).pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            font = font.get_object()
            name = re.sub(r"^[A-Z]{6}\+", "", str(font["/BaseFont"]).lstrip("/"))
            descriptors = [font.get("/FontDescriptor")]
            descriptors += [
                descendant.get_object().get("/FontDescriptor") for descendant in font.get("/DescendantFonts", [])
            ]
            embedded = any(
                descriptor is not None and {"/FontFile", "/FontFile2", "/FontFile3"} & set(descriptor.get_object())
                for descriptor in descriptors
            )
            found[name] = found.get(name, True) and embedded
    return found


def all_bytes(path: Path) -> bytes:
    """The raw file, every stream decoded and the extracted text: all a curious reader could dig out of the PDF."""
    reader = PdfReader(path)
    chunks = [path.read_bytes()] + [page.extract_text().encode() for page in reader.pages]
    for number in range(1, int(reader.trailer["/Size"])):
        obj = reader.get_object(number)
        if isinstance(obj, StreamObject):
            chunks.append(obj.get_data())
    return b"\n".join(chunks)


def numbered_pdf(count: int, size: tuple[float, float] = A5, rotate: int = 0, bleed: float = 0.0) -> bytes:
    """A PDF whose page k shows the number k, upright and large, near the centre of its trim box.

    With `bleed`, each page has a TrimBox inset by that much from its MediaBox;
    with `rotate`, each page carries that /Rotate.
    """
    pdf = pydyf.PDF()
    font = pydyf.Dictionary({"Type": "/Font", "Subtype": "/Type1", "BaseFont": "/Helvetica"})
    pdf.add_object(font)
    resources = pydyf.Dictionary({"Font": pydyf.Dictionary({"F1": font.reference})})
    pdf.add_object(resources)
    width, height = size[0] + 2 * bleed, size[1] + 2 * bleed
    for number in range(1, count + 1):
        stream = pydyf.Stream()
        stream.begin_text()
        stream.set_font_size("F1", 40)
        stream.set_text_matrix(1, 0, 0, 1, width / 2 - 20, height / 2)
        stream.show_text_string(str(number))
        stream.end_text()
        pdf.add_object(stream)
        page = pydyf.Dictionary(
            {
                "Type": "/Page",
                "Parent": pdf.pages.reference,
                "MediaBox": pydyf.Array([0, 0, width, height]),
                "Contents": stream.reference,
                "Resources": resources.reference,
            }
        )
        if bleed:
            page["TrimBox"] = pydyf.Array([bleed, bleed, width - bleed, height - bleed])
        if rotate:
            page["Rotate"] = rotate
        pdf.add_page(page)
    output = io.BytesIO()
    pdf.write(output)
    return output.getvalue()


def numbers_on_sides(data: bytes) -> list[tuple[float, float, list[tuple[int, float, float, int]]]]:
    """For each sheet side: its width, height and the (number, centre x, centre y from the bottom, rotation
    in degrees) of each page number on it. Digits are grouped by distance, read along their own direction,
    so that upside-down and sideways numbers read right."""
    sides = []
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            groups: list[list[dict]] = []
            for char in page.chars:
                centre = ((char["x0"] + char["x1"]) / 2, page.height - (char["top"] + char["bottom"]) / 2)
                char = {**char, "centre": centre}
                near = [g for g in groups if math.dist(g[-1]["centre"], centre) < char["size"]]
                (near[0] if near else groups.append([]) or groups[-1]).append(char)
            found = []
            for group in groups:
                a, b = group[0]["matrix"][0], group[0]["matrix"][1]
                rotation = round(math.degrees(math.atan2(b, a))) % 360
                direction = (math.cos(math.radians(rotation)), math.sin(math.radians(rotation)))
                group.sort(key=lambda c: c["centre"][0] * direction[0] + c["centre"][1] * direction[1])
                xs = [c["centre"][0] for c in group]
                ys = [c["centre"][1] for c in group]
                number = int("".join(c["text"] for c in group))
                found.append((number, sum(xs) / len(xs), sum(ys) / len(ys), rotation))
            sides.append((float(page.width), float(page.height), found))
    return sides


def raw_pdf(*objects: bytes) -> bytes:
    """A PDF written by hand: `objects` are the bodies of objects 1, 2, 3...; 1 is the catalog.

    For hostile files that no library would write (a MediaBox of names, a /Rotate of 45, a page tree loop);
    the cross-reference table is right, so that what is wrong is only what the test put there.
    """
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def one_page_pdf(page: bytes = b"/MediaBox [0 0 420 595]", contents: bytes = b"0 0 1 rg 10 10 100 100 re f") -> bytes:
    """A one-page PDF whose page dictionary holds `page` (its MediaBox, Rotate...) and draws `contents`."""
    stream = b"<< /Length %d >>\nstream\n%s\nendstream" % (len(contents), contents)
    resources = b"" if b"/Resources" in page else b"/Resources << >> "
    return raw_pdf(
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R %s/Contents 4 0 R %s >>" % (resources, page),
        stream,
    )


def filtered_pdf(filters: bytes, data: bytes) -> bytes:
    """A one-page PDF whose content stream holds `data` said to be encoded with `filters`."""
    return raw_pdf(
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 420 595] /Resources << >> /Contents 4 0 R >>",
        b"<< /Length %d /Filter %s >>\nstream\n%s\nendstream" % (len(data), filters, data),
    )


def contents_pdf(contents: bytes) -> bytes:
    """A one-page PDF whose /Contents is `contents` as written: a number, a dictionary, a dangling reference."""
    return raw_pdf(
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 420 595] /Resources << >> /Contents %s >>" % contents,
    )


@functools.cache
def flate_bomb_pdf(megabytes: int = 1024) -> bytes:
    """A one-page PDF of about a megabyte whose content stream inflates to `megabytes` MB of spaces."""
    stream = inflating_to(b" " * 1_000_000, megabytes)
    return raw_pdf(
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 420 595] /Resources << >> /Contents 4 0 R >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream" % (len(stream), stream),
    )


def inflating_to(chunk: bytes, times: int) -> bytes:
    """A zlib stream of `chunk` repeated `times` times, made in milliseconds: one deflate block, repeated.

    The block refers only to its own bytes (a run of one byte), so it inflates the same after itself.
    """
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = packer.compress(chunk) + packer.flush(zlib.Z_SYNC_FLUSH)
    checksum = 1
    for _ in range(times):
        checksum = zlib.adler32(chunk, checksum)
    return b"\x78\xda" + block * times + packer.flush(zlib.Z_FINISH) + checksum.to_bytes(4, "big")


def looped_pdf() -> bytes:
    """A page tree that holds itself: its node lists itself among its kids."""
    return raw_pdf(
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R 2 0 R] /Count 2 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 420 595] /Resources << >> >>",
    )


def many_pages_pdf(count: int) -> bytes:
    """`count` pages sharing one content stream: a small file that claims thousands of pages."""
    kids = b" ".join(b"%d 0 R" % (4 + index) for index in range(count))
    pages = [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 420 595] /Contents 3 0 R >>"] * count
    return raw_pdf(
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, count),
        b"<< /Length 21 >>\nstream\n0 0 1 rg 0 0 9 9 re f\nendstream",
        *pages,
    )
