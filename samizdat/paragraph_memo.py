"""The lines chosen for a paragraph, remembered by what they were chosen from, so that a layout edited where it
does not touch a paragraph's words (a colour, a margin elsewhere, a comment) breaks it without measuring it again,
and exactly as measuring would.

A paragraph's lines depend only on what samizdat.paragraph_items reads: its text and the elements each run is
in, its measure, indent, language and hyphenation settings, and for each run the style properties WeasyPrint's
text layout reads (weasyprint/text/line_break.py: the font key, its size, the spacing, white-space,
hyphenation, kerning, direction). That is each paragraph's key here. What a font family name stands for (the
font files' bytes, the layouts' @font-face rules), samizdat's own code and the libraries' versions are in the
key of the file (memo_path). The first layout is still made, as it gives each paragraph's measure and styles
(samizdat.paragraph_shapes); what is saved is measuring every word with Pango and breaking, about a fifth of a
pamphlet's layout. A file keeps the entries its last build used, so it never grows beyond one document's.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, fields
from pathlib import Path

from samizdat.cache import digest
from samizdat.content import Document
from samizdat.layers import Layers
from samizdat.output import write_atomically
from samizdat.paragraph_shapes import Shape
from samizdat.paragraph_text import Breaks
from samizdat.pdfio.weasy import font_style_key
from samizdat.records import used_now
from samizdat.warm import font_sources

#: The style properties WeasyPrint's text layout reads besides its font key (text/line_break.py, text/fonts.py).
TEXT_PROPERTIES = (
    "font_size", "line_height", "letter_spacing", "word_spacing", "white_space", "tab_size", "overflow_wrap",
    "word_break", "hyphens", "hyphenate_character", "hyphenate_limit_zone", "hyphenate_limit_chars",
    "font_kerning", "direction", "text_decoration_line",
)  # fmt: skip

Runs = list[tuple[str, tuple[str, ...]]]


def paragraph_key(runs: Runs, shape: Shape) -> str:
    """What a paragraph's lines are chosen from: its runs of text, its shape, each run's text style."""
    parts = [repr(runs), repr((shape.width, shape.indent, shape.lang, shape.hyphens, shape.limits, shape.hyphen,
                               shape.hyphens_mode))]  # fmt: skip
    for chain in sorted({chain for _, chain in runs} | {()}):  # () is the paragraph's own: its spaces are measured
        found = chain
        while found not in shape.styles:  # as paragraph_items.Paragraph._style finds it
            found = found[:-1]
        style = shape.styles[found]
        parts.append(repr((chain, found, font_style_key(style), *(_stable(style[name]) for name in TEXT_PROPERTIES))))
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()


def _stable(value: object) -> str:
    """A style value as the same text in every process (text-decoration-line is a set: sorted)."""
    return str(sorted(value) if isinstance(value, set | frozenset) else value)


def memo_path(cache_dir: Path, document: Document, layouts: Layers, fonts: Layers, *edition: str) -> Path:
    """Where a document's remembered paragraphs are kept: one file per text and edition (`edition`: what tells
    its layouts apart, so that the editions' workers side by side write files of their own; a document's local
    editions share its file, and the same entries), keyed by the fonts the family names stand for and the code
    that chooses lines (samizdat.paragraphs.BREAKER)."""
    from samizdat.paragraphs import BREAKER

    key = digest(document.digest or document.source, *font_sources(layouts), *fonts.effective(), *edition,
                 str(document.printed_links), *BREAKER)  # fmt: skip; the paper edition's text is another
    return cache_dir / "paragraphs" / f"{key}.json"


class Memo:
    """The remembered paragraphs of one document's layout: looked up, then saved with what this build used."""

    def __init__(self, path: Path) -> None:
        self.path, self.used = path, {}
        try:  # a record, read as foreign input (samizdat.records): not a file (a FIFO would hang), not JSON
            regular = path.is_file() and not path.is_symlink()
            self.known = json.loads(path.read_text(encoding="utf-8")) if regular else {}
            assert isinstance(self.known, dict)
            used_now(path)
        except (OSError, ValueError, AssertionError, RecursionError):
            self.known = {}

    def get(self, key: str) -> tuple[bool, Breaks | None]:
        """(found, lines): lines are None for a paragraph the breaker left to WeasyPrint."""
        if key not in self.known:
            return False, None
        try:
            entry = self.known[key]
            return True, None if entry is None else thawed(entry)
        except (TypeError, KeyError, ValueError, AttributeError):
            return False, None  # written by another version: chosen again

    def put(self, key: str, lines: Breaks | None) -> None:
        self.used[key] = None if lines is None else frozen(lines)

    def save(self) -> None:
        """Write the entries this layout used, unless the file holds just those (tuples are JSON's lists)."""
        text = json.dumps(self.used, sort_keys=True)
        if text != json.dumps(self.known, sort_keys=True):
            write_atomically(self.path, text.encode())


def frozen(lines: Breaks) -> dict:
    """A paragraph's lines as JSON holds them: sets become sorted lists."""
    return {name: sorted(value) if isinstance(value, frozenset) else value for name, value in asdict(lines).items()}


def thawed(entry: dict) -> Breaks:
    """A paragraph's lines from JSON: sets and tuples come back as lists."""
    return Breaks(**{name: _thawed(name, entry[name]) for name in _FIELDS})


_FIELDS = [field.name for field in fields(Breaks)]


def _thawed(name: str, value: object) -> object:
    if name in ("hangs", "tracks"):
        return tuple(tuple(entry) for entry in value)
    if isinstance(value, list):
        return tuple(value) if name == "letters" else frozenset(value)
    return value

