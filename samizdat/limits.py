"""What samizdat accepts as text people wrote: the size limits, and the characters that cannot be printed.

Content, config and local data are untrusted: a 20 MB title or a slogan of
zero-width spaces must give a clear error naming the limit, not an hour of
typesetting or a traceback. File sizes are checked on disk, before anything
is parsed; each field after YAML.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from typing import TYPE_CHECKING

from samizdat.errors import SamizdatError

if TYPE_CHECKING:  # not imported: the quick answer reads the limits, and yamlcheck loads jsonschema
    from samizdat.yamlcheck import Located

MAX_DOCUMENT_BYTES = 1_000_000  # a pamphlet is some 10 KB of text; 1 MB would be hundreds of pages
MAX_FRONT_MATTER_BYTES = 64_000  # every field at its longest fits in a fifth of it
MAX_LINE_CHARACTERS = 20_000  # one paragraph, some ten A5 pages
MAX_BLOCKS = 100  # `::: demands` / `::: aside` blocks in one document
MAX_CONFIG_BYTES = 64_000  # samizdat.yaml
MAX_DATA_BYTES = 2_000_000  # a local groups' data file
MAX_GROUPS = 2_000  # rows of one data file: each is a whole edition to set
MAX_SLOGANS = 50  # posters of one document: each is a render
MAX_SLUG = 80  # characters of a document's file name as its outputs carry it: -a5-print.pdf and more are added
MAX_SLUG_BYTES = 200  # and its bytes: a file name holds 255
MAX_URL = 300  # characters of a QR code's URL: longer ones make codes too dense to scan at 25 mm

#: The most characters each front matter line holds: more would not fit its place on the cover or poster.
FIELD_LIMITS = {
    "title": 300, "short_title": 300, "subtitle": 600, "author": 200, "imprint": 1_000, "blurb": 600, "slogans": 200,
}  # fmt: skip

#: Characters that print nothing besides spaces and format characters (soft hyphen, zero-width space, word joiner,
#: BOM...: Unicode category Cf) and lone combining marks: a field made only of these is blank.
INVISIBLE = "\u115f\u1160\u17b4\u17b5\u3164\uffa0"

#: C0 and C1 control characters (and DEL), but for tab, line feed and carriage return; and the Unicode line and
#: paragraph separators, which print nothing and which editors do not show.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029]")


def check_file_size(path: Path, limit: int, what: str, error: type[SamizdatError] = SamizdatError) -> None:
    """Refuse a file over `limit` bytes before it is read: the limit is named, so the user knows what to split."""
    size = path.stat().st_size
    if size > limit:
        raise error(f"{what} is {size:,} bytes, over samizdat's limit of {limit:,} bytes: split it or shorten it", path)


def check_controls(text: str, path: Path, first_line: int = 1, error: type[SamizdatError] = SamizdatError) -> None:
    """Refuse control characters (ESC, BEL, NUL...), named by code point: they print nothing or garble a terminal."""
    match = CONTROL.search(text)
    if match is None:
        return
    line = first_line + text.count("\n", 0, match.start())
    raise error(
        f"this line holds the control character {control_name(ord(match.group()))}, which cannot be printed; it was "
        "probably pasted in by accident: delete it (an editor that shows invisible characters helps)",
        path,
        line,
    )


_CONTROL_NAMES = {
    "\x00": "NUL", "\x07": "BEL", "\x08": "backspace", "\x1b": "ESC", "\x7f": "DEL",
    "\u2028": "line separator", "\u2029": "paragraph separator",
}  # fmt: skip


def control_name(code: int) -> str:
    """'U+001B (ESC)', for a message about a character that cannot be printed."""
    char = chr(code) if code <= 0x10FFFF else ""
    kind = "a control character" if char and CONTROL.match(char) else "not a character"
    return f"U+{code:04X} ({_CONTROL_NAMES.get(char, kind)})"


def check_lines(text: str, path: Path, first_line: int = 1, error: type[SamizdatError] = SamizdatError) -> None:
    """Refuse a line longer than MAX_LINE_CHARACTERS: typesetting one runs for minutes."""
    for number, line in enumerate(text.split("\n"), start=first_line):
        if len(line) > MAX_LINE_CHARACTERS:
            raise error(
                f"this line is {len(line):,} characters long, over samizdat's limit of {MAX_LINE_CHARACTERS:,} "
                "for one line: break it into paragraphs (a blank line between them)",
                path,
                number,
            )


def is_blank(text: str) -> bool:
    """True for text of only spaces and characters that print nothing (NBSP, zero-width space, soft hyphen...).

    >>> is_blank("\\u00a0\\u200b \\u00ad"), is_blank("Stop\\u00adthe war")
    (True, False)
    """
    return all(char.isspace() or char in INVISIBLE or unicodedata.category(char) in ("Cf", "Mn") for char in text)


def invisible_in(text: str) -> str:
    """The code points of a blank field, for the message: 'U+00A0, U+200B'."""
    return ", ".join(dict.fromkeys(f"U+{ord(char):04X}" for char in text)) or "nothing"


def qr_problem(url: str) -> str | None:
    """Why `url` cannot become the posters' QR code, or None: too long to scan, or over a QR code's capacity."""
    if len(url) > MAX_URL:
        return (
            f"the url is {len(url):,} characters long, over samizdat's limit of {MAX_URL} for a QR code "
            "(a longer one is too dense to scan on a poster): use a shorter address or a link shortener"
        )
    import segno  # light, but only needed when there is a URL

    try:
        segno.make(url, error="m", mask=0)  # whether it fits: any mask holds as much, and choosing one is slow
    except segno.DataOverflowError:
        return "the url is too long for a QR code: use a shorter address"
    return None


def read_text(path: Path, limit: int, what: str, error: type[SamizdatError] = SamizdatError) -> str:
    """A file people wrote, as text: refused before parsing when too large, not UTF-8 or with control characters."""
    try:
        check_file_size(path, limit, what, error)
        text = path.read_text(encoding="utf-8-sig")  # a byte-order mark (Notepad) is not text
    except UnicodeDecodeError as problem:
        raise error(f"not UTF-8 text (byte {problem.start}); save the file as UTF-8", path) from None
    except OSError as problem:
        raise error(f"cannot read {what}: {problem.strerror}", path) from None
    check_controls(text, path, 1, error)
    check_lines(text, path, 1, error)
    return text


def check_text_fields(
    located: Located, path: Path, limits: dict[str, int], error: type[SamizdatError] = SamizdatError
) -> tuple[int, ...]:
    """Each line of text printed somewhere: not blank, not longer than its place holds; slogans each once.

    Returns the line of each slogan.
    """
    data = located.data
    slogans = data.get("slogans", [])
    if len(slogans) > MAX_SLOGANS:
        raise error(
            f"{len(slogans)} slogans, over samizdat's limit of {MAX_SLOGANS}: each becomes posters; keep the best",
            path,
            located.line_of(["slogans"]),
        )
    texts = [(name, [name], data[name]) for name in ("title", "short_title", "subtitle", "author", "imprint", "blurb")
             if name in data]  # fmt: skip
    texts += [("slogans", ["slogans", index], slogan) for index, slogan in enumerate(slogans)]
    for name, where, text in texts:
        what = "a slogan" if name == "slogans" else f"the {name}"
        if is_blank(text):
            raise error(
                f"{what} is blank: it holds only spaces or invisible characters ({invisible_in(text)}); "
                "write it out or remove it",
                path,
                located.line_of(where),
            )
        if len(text) > limits[name]:
            raise error(
                f"{what} is {len(text):,} characters long, over samizdat's limit of {limits[name]} "
                "for it (its place on the page holds no more): shorten it",
                path,
                located.line_of(where),
            )
    lines = tuple(located.line_of(["slogans", index]) for index in range(len(slogans)))
    seen: dict[str, int] = {}
    for slogan, line in zip(slogans, lines, strict=True):
        first = seen.setdefault(" ".join(slogan.split()), line)
        if first != line:
            raise error(f"this slogan is written twice, on line {first} and here: remove one", path, line)
    return lines
