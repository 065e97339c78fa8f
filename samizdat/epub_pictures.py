"""The EPUB's pictures: each one of the document's that the book can carry, read once, known by its bytes.

Every EPUB reader shows PNG, JPEG and GIF (EPUB 3's core media types); a picture of another kind (SVG, WebP,
BMP), a damaged one, one over the pictures' limits (samizdat.resource_limits) and those the PDFs leave out (on
the network, outside the project's folders) are left out of the book, their text alternative in their place (an
SVG is not carried: it could hold scripts and outside references, which a reader would run or fetch). A missing
picture fails the book with its line, as it fails the PDFs.
"""

from __future__ import annotations

import base64
import binascii
import io
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote, unquote_to_bytes, urlsplit

from lxml import etree
from lxml.etree import _Element as Element  # lxml's element type (documented as etree._Element)
from PIL import Image

from samizdat.errors import ContentError
from samizdat.messages import line_of_text
from samizdat.resource_limits import MAX_BYTES, TooCostly, check_resource

if TYPE_CHECKING:
    from samizdat.content import Document

XHTML = "http://www.w3.org/1999/xhtml"

#: Pictures every EPUB 3 reader shows (core media types), as Pillow names them: their suffix in the book.
PICTURES = {"PNG": ".png", "JPEG": ".jpg", "GIF": ".gif"}


def pictures_of(
    root: Element, document: Document, readable: list[Path]
) -> tuple[dict[str, bytes], bool]:
    """The book's pictures (images/1.png → bytes), each <img> under `root` set to its own, and whether every
    picture has a text alternative. `readable` are the folders a picture may come from."""
    names: dict[str | Path, str] = {}
    pictures: dict[str, bytes] = {}
    described = True
    for image in list(root.iter(f"{{{XHTML}}}img")):
        src = image.get("src", "")
        described = described and bool(image.get("alt", "").strip())
        parts = urlsplit(src)
        path = (document.source.parent / unquote(parts.path)).resolve() if not parts.scheme and parts.path else None
        inside = path is not None and any(path.is_relative_to(folder) for folder in readable)
        key = path if inside else src if parts.scheme.lower() == "data" else None
        if key is None or (key not in names and not _take(pictures, names, key, src, document)):
            _leave_out(image)
            continue
        image.set("src", names[key])
    return pictures, described


def _take(
    pictures: dict[str, bytes], names: dict[str | Path, str], key: str | Path, src: str, document: Document
) -> bool:
    """The picture `key` (a file, or a data: address) added to the book, if it can be read at all."""
    line = line_of_text(document.body, src, document.body_line)
    try:
        data = _read(key) if isinstance(key, Path) else _decoded(key)
        if data is None:
            return False  # a data: address that is no picture: WeasyPrint leaves it out of the PDFs too
        check_resource(data)
    except FileNotFoundError:
        raise ContentError(f"the picture '{src[:80]}' is missing: put it beside the document (or fix its name)",
                           document.source, line) from None  # fmt: skip
    except (TooCostly, OSError):
        return False  # refused or unreadable: the PDFs' build says why, and leaves it out too
    kind = _kind(data)
    if kind is None:
        return False  # not a whole PNG, JPEG or GIF (an SVG, a damaged file): its text alternative stands for it
    names[key] = f"images/{len(names) + 1}{kind}"
    pictures[names[key]] = data
    return True


def _kind(data: bytes) -> str | None:
    """The picture's suffix in the book, from what Pillow reads in it (not from its name), or None: another
    kind of picture, or a damaged one."""
    try:
        with Image.open(io.BytesIO(data)) as picture:
            kind = PICTURES.get(str(picture.format))
            picture.verify()
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        return None
    return kind


def _read(path: Path) -> bytes:
    """A picture's file, refused before it is read when it is larger than any picture may be."""
    if not path.is_file():
        raise FileNotFoundError(path)
    if path.stat().st_size > MAX_BYTES:
        raise TooCostly(f"over the limit of {MAX_BYTES // 2**20} MB for one file")
    return path.read_bytes()


def _decoded(address: str) -> bytes | None:
    """The bytes of a data: address (base64 or %-encoded), or None when it cannot be decoded."""
    head, comma, payload = address.partition(",")
    if not comma:
        return None
    if not head.lower().endswith(";base64"):
        return unquote_to_bytes(payload)
    try:
        return base64.b64decode(payload, validate=True)
    except (binascii.Error, ValueError):
        return None


def _leave_out(image: Element) -> None:
    """The picture's text alternative where the picture was."""
    words = etree.Element(f"{{{XHTML}}}span", {"class": "picture-left-out"})
    words.text, words.tail = image.get("alt", ""), image.tail
    image.getparent().replace(image, words)
