"""samizdat.yaml's schema and the hint each key's error gives: what a project may say, in one table.

samizdat.config reads the file against it (samizdat.yamlcheck); a new key is
declared here, with the words that tell a user what to write instead.
"""

from __future__ import annotations

from samizdat.catalogue import VARIANT_FILES
from samizdat.contents import CONTENTS_CHOICES
from samizdat.covers import DESIGNS
from samizdat.fitting import SCALES
from samizdat.impose import LAYOUTS, NUPS
from samizdat.impose.manual import FEEDS, FILES, FLIPS
from samizdat.impose.plan import DUPLEX, SHEETS
from samizdat.links import LINKS
from samizdat.notes import NOTES

VARIANTS = tuple(kind.name for kind in VARIANT_FILES)  # the editions `editions:` may name

#: The EPUB's fonts: the shipped ones embedded (subset), or none (the reader's own).
EPUB_FONTS = ("embedded", "reader")

CONFIG_SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "sheet": {"enum": list(SHEETS)},
        "duplex": {"enum": list(DUPLEX)},
        "notes": {"enum": list(NOTES)},
        "links": {"enum": list(LINKS)},
        "contents": {"enum": list(CONTENTS_CHOICES)},
        "contents_sections": {"type": "integer", "minimum": 0},
        "cover": {"enum": list(DESIGNS)},
        "url": {"type": "string", "pattern": r"^https?://\S+\Z"},
        "posters": {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "sizes": {"type": "array", "items": {"type": "string"}, "minItems": 1},
                "url": {"type": "string", "pattern": r"^https?://\S+\Z"},
                "minimum": {"type": "number", "minimum": 6},
                "tile_sheet": {"enum": list(SHEETS)},
                "unprintable": {"type": "number", "minimum": 0, "maximum": 20},
                "overlap": {"type": "number", "minimum": 0, "maximum": 50},
                "scale": {"enum": list(SCALES)},
            },
        },
        "riso": {"type": "object"},  # checked by samizdat.riso_inks, which knows the tokens
        "editions": {"type": "array", "items": {"enum": list(VARIANTS)}},
        "copier": {
            "type": "object",
            "additionalProperties": False,
            "properties": {"max_solid": {"type": "number", "exclusiveMinimum": 0, "maximum": 1}},
        },
        "epub": {
            "type": "object",
            "additionalProperties": False,
            "properties": {"fonts": {"enum": list(EPUB_FONTS)}},
        },
        "print": {
            "type": "object",
            "additionalProperties": False,
            "properties": {"colour": {"enum": ["rgb", "cmyk"]}},
        },
        "signing": {"type": "object", "additionalProperties": False,
                    "properties": {"key": {"type": "string", "minLength": 1}}},
        "booklet": {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "manual": {"type": "boolean"},
                "feed": {"enum": list(FEEDS)},
                "flip": {"enum": list(FLIPS)},
                "files": {"enum": list(FILES)},
                "test_sheet": {"type": "boolean"},
            },
        },
        "impositions": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["layout"],
                "additionalProperties": False,
                "properties": {
                    "layout": {"enum": list(LAYOUTS)},
                    "nup": {"enum": list(NUPS)},
                    "duplex": {"enum": list(DUPLEX)},
                    "creep": {"type": "number", "minimum": 0, "maximum": 5},
                    "signature": {"type": "integer", "minimum": 1},
                    "marks": {"type": "boolean"},
                },
            },
        },
    },
}

CONFIG_HINTS = {
    "sheet": f"one of {', '.join(SHEETS)}",
    "duplex": f"one of {', '.join(DUPLEX)}",
    "notes": "where every document's notes go: foot (of the page, the default) or end (endnotes)",
    "links": "how paper prints links' addresses: footnote (the default), inline (in brackets) or none",
    "contents": "auto (a table of contents for documents of many sections, the default), yes or no",
    "contents_sections": "how many sections a document may have without a table of contents (auto), e.g. 5",
    "posters": (
        "sizes (e.g. [A3, A2 landscape]), url (for the QR code), minimum (pt), tile_sheet, unprintable and overlap (mm)"
    ),
    "cover": f"the covers' design: one of {', '.join(DESIGNS)}",
    "url": "the address of the online copy, e.g. https://example.org/statement: on the back cover, with a QR code",
    "posters.scale": "each (every slogan as large as it fits, the default) or common (one size for the whole set)",
    "posters.url": "a web address, e.g. https://example.org/join, without spaces",
    "riso": "the risograph's inks and the colour tokens each prints, e.g. {inks: {black: [ink, muted], red: [accent]}}",
    "editions": f"the pamphlet's other editions to make, a list of {', '.join(VARIANTS)} (none by default)",
    "copier": "max_solid: the share of a copier file's page that solid black may cover (0.25 by default)",
    "copier.max_solid": "a share of the page between 0 and 1, e.g. 0.25 for a quarter (the default)",
    "epub": "the EPUB: fonts: embedded (the shipped fonts, cut to the text's letters, the default) or reader",
    "epub.fonts": "embedded (the shipped fonts, cut to the text's letters, the default) or reader (the reader's own)",
    "print": "the print shop's files: colour: rgb (default) or cmyk (PDF/X-3 with the ISO Coated v2 profile)",
    "signing": "key: the path of the secret key that signs the checksums (samizdat keygen), outside the project",
    "booklet": (
        "the booklet for printers that print one side only: manual (yes or no), feed (turn-over or as-it-lies), "
        "flip (short or long), files (two or one), test_sheet (yes or no)"
    ),
    "booklet.feed": "turn-over (the whole printed stack turned over, the default) or as-it-lies (put back as it is)",
    "booklet.flip": "short (the default) or long: the printer test sheet's side 2 says which",
    "booklet.files": "two (SLUG-booklet-a4-fronts.pdf and -backs.pdf, the default) or one (with a separator page)",
    "impositions": (
        f"a list of impositions, each with a layout ({', '.join(LAYOUTS)}) and, for cutstack and repeat, "
        f"nup ({', '.join(map(str, NUPS))})"
    ),
}
