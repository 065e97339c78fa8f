"""How samizdat words what it prints: counts with the right plural, values bounded and made harmless to a terminal.

Every message and table cell passes through `clean` on its way out (errors in
SamizdatError.__str__, the rest in samizdat.progress), so a hostile file name
or a pasted value can neither drive the terminal nor print 200 KB on one line.
"""

from __future__ import annotations

import os
import re
import unicodedata
from pathlib import Path
from urllib.parse import unquote, urlsplit

#: A word (a URL, a path, a pasted value) longer than this is shown shortened in the middle...
LONGEST_WORD = 240
#: No line samizdat prints is longer than this: in a longer line, long words are shortened further.
LONGEST_LINE = 1000
#: Characters that reorder the text after them (bidi embeddings, overrides, isolates): shown as codes too.
REORDERING = {*range(0x202A, 0x202F), *range(0x2066, 0x206A)}


def plural(count: int, noun: str, nouns: str | None = None) -> str:
    """`count` and the noun, singular for exactly one.

    >>> plural(1, "sheet side"), plural(2, "sheet side"), plural(0, "warning"), plural(1, "copy", "copies")
    ('1 sheet side', '2 sheet sides', '0 warnings', '1 copy')
    """
    return f"{count} {noun if count == 1 else nouns or noun + 's'}"


def printable(text: str) -> str:
    """`text` with control characters (ESC, BEL, NUL, CR...) and bidi overrides shown as codes; newlines kept.

    >>> printable("a\\x1b[31mred\\x07 \\u202eevil\\nnext")
    'a\\\\x1b[31mred\\\\x07 \\\\u202eevil\\nnext'
    """
    if text.isascii() and text.replace("\n", "").isprintable():  # most text: nothing to show as a code
        return text
    return "".join(_shown(char) for char in text)


def _shown(char: str) -> str:
    code = ord(char)
    if char == "\n" or (unicodedata.category(char) != "Cc" and code not in REORDERING):
        return char
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def shortened(value: str, head: int = 60, tail: int = 20) -> str:
    """A long value as its first `head` and last `tail` characters around an ellipsis (short ones unchanged).

    >>> shortened("https://example.org/" + "x" * 500 + "/end.png")
    'https://example.org/xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx…xxxxxxxxxxxx/end.png'
    """
    return value if len(value) <= head + tail + 1 else f"{value[:head]}…{value[-tail:]}"


def bounded(text: str) -> str:
    """`text` with no line over LONGEST_LINE characters: the words (paths, URLs) shorten first, the prose last.

    >>> [len(line) for line in bounded("see " + "x" * 300 + "\\n" + "a few words " * 100).splitlines()]
    [225, 999]
    """
    return "\n".join(_bounded_line(line) for line in text.split("\n"))


def _bounded_line(line: str) -> str:
    line = re.sub(rf"\S{{{LONGEST_WORD + 1},}}", lambda match: shortened(match.group(), 160, 60), line)
    if len(line) > LONGEST_LINE:
        line = re.sub(r"\S{82,}", lambda match: shortened(match.group()), line)
    half = LONGEST_LINE // 2 - 1
    return shortened(line, half, half)


def clean(text: str) -> str:
    """What samizdat prints of any text: printable, then bounded (so the codes of a control character count).

    >>> text = clean("name\\x1b]0;owned\\x07.md: " + "a" * 3000)
    >>> text[:27], len(text)
    ('name\\\\x1b]0;owned\\\\x07.md: aa', 246)
    """
    return bounded(printable(text))


def line_of_text(body: str, text: str, first_line: int) -> int | None:
    """The file line of the first line of `body` (which starts on `first_line`) that contains `text`."""
    return next((first_line + n for n, line in enumerate(body.splitlines()) if text and text in line), None)


def line_naming(source: Path, missing: Path) -> tuple[int | None, str | None]:
    """The line of `source` whose image or link names the file `missing`, and the target as it is written there.

    A target matches when it names the same file once Markdown's backslash
    escapes and %-codes are undone, or once its backslashes (as Windows writes
    paths) are read as folders: `pics\\photo.jpg` names pics/photo.jpg.
    """
    try:
        lines = source.read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError):
        return None, None
    wanted = {missing.name, *missing.name.split("\\")[-1:]}
    for number, text in enumerate(lines, start=1):
        for target in re.findall(r"\]\(\s*<?([^)>\s]+)|\bsrc\s*=\s*[\"']?([^\"'\s>]+)", text):
            written = target[0] or target[1]
            plain = unquote(re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", written))
            if {plain.split("/")[-1], plain.replace("\\", "/").split("/")[-1]} & wanted:
                return number, written
    return None, None


def image_failure(url: str, error: BaseException, base_url: str) -> str:
    """WeasyPrint's "Failed to load image at URL" said with the reason, the image as written and its line.

    `base_url` is the document's own file URL, so the line that names the
    image can be found in it.
    """
    from urllib.request import url2pathname  # 35 ms of imports: not on the nothing-changed path, which prints messages

    source = Path(url2pathname(urlsplit(base_url).path)) if base_url.startswith("file:") else None
    named = Path(url2pathname(unquote(urlsplit(url).path))) if url.startswith("file:") else None
    line, written = line_naming(source, named) if source and named and source.suffix == ".md" else (None, None)
    if written is None:
        written = os.path.relpath(named, source.parent) if named and source else shortened(url)
    where = f"line {line}: " if line else ""
    from weasyprint.urls import URLFetchingError

    cause = error.__cause__ or error.__context__ or error  # WeasyPrint raises its own error in place of the real one
    if isinstance(error, URLFetchingError):
        reason = f"it cannot be read ({getattr(cause, 'strerror', None) or cause})"
    else:
        reason = _image_reason(cause)
    return f"{where}the image {written} is left out: {reason}"


def _image_reason(error: BaseException) -> str:
    """Why Pillow or WeasyPrint could not use a picture, in words that say what to do."""
    from xml.etree.ElementTree import ParseError

    from PIL import Image, UnidentifiedImageError

    if isinstance(error, UnidentifiedImageError):
        return "it is not a picture samizdat can read (PNG, JPEG, GIF, WebP or SVG); check what the file really is"
    if isinstance(error, Image.DecompressionBombError):
        pixels = re.search(r"\((\d+) pixels\)", str(error))
        size = f" ({int(pixels.group(1)):,} pixels)" if pixels else ""
        return f"it is too big to open safely{size}; scale it down to a few thousand pixels a side"
    if isinstance(error, ParseError):
        return f"it is not a valid SVG file ({error}); open it in an editor that saves plain SVG and save it again"
    if isinstance(error, OSError):
        return f"it is damaged or cut short ({error}); export it again"
    return f"{error or type(error).__name__}"
