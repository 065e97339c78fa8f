"""What a document's front matter may hold: the schema every document is checked against, and the hints its
error messages give (samizdat.content reads it)."""

from __future__ import annotations

from samizdat.catalogue import LOCAL_OUTPUTS, VARIANT_FILES
from samizdat.contents import CONTENTS_CHOICES
from samizdat.errors import ContentError
from samizdat.links import LINKS
from samizdat.notes import NOTES
from samizdat.yamlcheck import Schema

#: The front matter every document carries; `slogans` become posters, `imprint` the back cover's small print.
FRONT_MATTER_SCHEMA: dict = {
    "type": "object",
    "required": ["title", "author", "lang"],
    "additionalProperties": False,
    "properties": {
        "title": {"type": "string", "minLength": 1},
        "short_title": {"type": "string", "minLength": 1},
        "subtitle": {"type": "string", "minLength": 1},
        "author": {"type": "string", "minLength": 1},
        "lang": {"type": "string", "pattern": r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*\Z"},
        "slogans": {"type": "array", "items": {"type": "string", "minLength": 1}},
        "imprint": {"type": "string", "minLength": 1},
        "blurb": {"type": "string", "minLength": 1},
        "url": {"type": "string", "pattern": r"^https?://\S+\Z"},
        "date": {"type": "string", "format": "date"},
        "linebreaks": {"enum": ["total-fit", "greedy"]},
        "notes": {"enum": list(NOTES)},
        "links": {"enum": list(LINKS)},
        "contents": {"enum": list(CONTENTS_CHOICES)},
        "editions": {"type": "array", "items": {"enum": [kind.name for kind in VARIANT_FILES]}},
        "translation_of": {"type": "string", "pattern": r"^\S+\Z"},  # a name: samizdat.content.check_original
        "local": {
            "type": "object",
            "required": ["data"],
            "additionalProperties": False,
            "properties": {
                "data": {"type": "string", "pattern": r"\.(csv|ya?ml)$"},
                "outputs": {"type": "array", "items": {"enum": list(LOCAL_OUTPUTS)}, "minItems": 1},
            },
        },
    },
}

#: What each field should look like, for error messages a person can act on.
FIELD_HINTS = {
    "title": "a line of text, e.g. title: 'Stop the war'",
    "short_title": "a shorter title for the running head at the top of each page, on one line",
    "subtitle": "a line of text (the standfirst)",
    "author": "the organisation's name, e.g. author: 'Our Collective'",
    "lang": "a language code in lower case, such as en, ru or uk",
    "slogans": "a list of lines, each on its own line starting with '  - '",
    "imprint": "a line of text naming who published or printed the document",
    "blurb": "a few lines of text for the back cover: what the document is and why to read it",
    "url": "the address of the online copy, e.g. https://example.org/statement, without spaces (a QR code leads there)",
    "date": "a real date written YYYY-MM-DD, e.g. 2024-02-24",
    "linebreaks": "total-fit (paragraphs broken as a whole, the default) or greedy (line by line, for comparison)",
    "notes": "foot (each note at the foot of the page where it is called, the default) or end (endnotes)",
    "links": "how paper prints a link's address: footnote (the default), inline (in brackets) or none",
    "contents": "auto (a table of contents when there are many sections, the default), yes or no",
    "editions": (
        "the document's other editions, a list of "
        f"{', '.join(kind.name for kind in VARIANT_FILES)} (it replaces samizdat.yaml's editions: for this document)"
    ),
    "translation_of": (
        "the name of the document this one translates: its file name without .md, as its outputs are named, "
        "e.g. translation_of: stop-the-war"
    ),
    "local": (
        "the local groups' data file beside the document, and what each group gets, e.g. "
        f"local: {{data: groups.csv, outputs: [a5, booklet]}} (outputs: {', '.join(LOCAL_OUTPUTS)})"
    ),
}

FRONT_MATTER = Schema("front matter", FRONT_MATTER_SCHEMA, FIELD_HINTS, ContentError)
