"""Notes: Markdown footnotes (`A claim.[^1]` … `[^1]: Source`) set as real footnotes at the foot of the page
where they are called (WeasyPrint's `float: footnote`), or as endnotes before the back cover (`notes: end`).

samizdat numbers the notes itself (1, 2, 3 in the order of their first call, per document) instead of
WeasyPrint's `counter(footnote)`: so the call can be a link to its note and the note's number a link back
to its call, in every edition, and the printed addresses of links (samizdat.links, a, b, c) are a series
of their own that leaves the author's numbers the same on screen and on paper. A note must be written and
called: an undefined call or an unused note is an error with its line, never printed raw or dropped.
"""

from __future__ import annotations

import re
from pathlib import Path

import pydyf
from markdown_it import MarkdownIt
from markdown_it.token import Token
from markupsafe import escape
from mdit_py_plugins.footnote import footnote_plugin

from samizdat.errors import ContentError, RenderError
from samizdat.messages import line_of_text
from samizdat.pdfio.weasy import page_type_name

#: Where notes go: `foot` of the page where they are called (the default), or the `end` of the text.
NOTES = ("foot", "end")

#: A call of a note that markdown-it's plugin did not recognise (no definition): `[^source]`.
UNDEFINED_CALL = re.compile(r"\[\^([^\]\s]+)\]")

#: The heading of the endnotes, by language (English otherwise).
NOTES_HEADING = {"en": "Notes", "ru": "Примечания", "uk": "Примітки", "be": "Заўвагі", "de": "Anmerkungen",
                 "fr": "Notes", "es": "Notas", "pl": "Przypisy", "it": "Note"}  # fmt: skip


def use_notes(markdown: MarkdownIt, notes: str, lang: str) -> None:
    """Footnote definitions and calls parsed (not moved to the end: prepare_notes places them), rendered here."""
    markdown.use(footnote_plugin, inline=False, move_to_end=False)
    markdown.options["notes"] = notes
    markdown.options["notes_heading"] = NOTES_HEADING.get(lang.split("-")[0], NOTES_HEADING["en"])
    markdown.add_render_rule("note_call", _render_call)
    markdown.add_render_rule("endnotes", _render_endnotes)


def prepare_notes(tokens: list[Token], body: str, first_line: int, path: Path, notes: str) -> list[Token]:
    """The body's tokens with the notes' definitions taken out and each call made a `note_call` that carries
    its number and (at its first call, as footnotes) the note; endnotes as one `endnotes` token at the end."""
    definitions, kept = _definitions(tokens, first_line, path)
    for label, (line, paragraphs) in definitions.items():
        if any(child.type == "footnote_ref" for inline in paragraphs for child in inline.children or []):
            raise ContentError(
                f"the note [^{label}] calls another note, which a note cannot carry: put the other note's call in "
                "the text, or write its words into this note",
                path,
                line,
            )
    numbers: dict[str, int] = {}
    for block in kept:
        for index, token in enumerate(block.children or []):
            if token.type == "text" and (undefined := UNDEFINED_CALL.search(token.content)):
                raise ContentError(
                    f"the note [^{undefined.group(1)}] is called here but never written: add a line "
                    f"'[^{undefined.group(1)}]: the note's text' below the paragraph (or remove the call)",
                    path,
                    line_of_text(body, undefined.group(), first_line) or _line(block, first_line),
                )
            if token.type != "footnote_ref":
                continue
            label = token.meta["label"]
            first = label not in numbers
            number = numbers.setdefault(label, len(numbers) + 1)
            call = Token("note_call", "", 0, meta={"number": number, "first": first})
            call.meta["note"] = definitions[label][1] if first and notes == "foot" else None
            block.children[index] = call
    for label, (line, _) in definitions.items():
        if label not in numbers:
            raise ContentError(
                f"the note [^{label}] is written but never called: put [^{label}] where it belongs in the text, "
                "or delete the note",
                path,
                line,
            )
    if notes == "end" and numbers:
        order = sorted(numbers, key=numbers.__getitem__)
        kept.append(Token("endnotes", "", 0, meta={"notes": [(numbers[label], definitions[label][1])
                                                            for label in order]}))  # fmt: skip
    return kept


def _definitions(tokens: list[Token], first_line: int, path: Path) -> tuple[dict, list[Token]]:
    """Each note's (line, paragraphs' inline tokens) by label, and the tokens without them."""
    definitions: dict[str, tuple[int, list[Token]]] = {}
    kept: list[Token] = []
    inside: str | None = None
    for token in tokens:
        if token.type == "footnote_reference_open":
            inside, line = token.meta["label"], _line(token, first_line)
            if inside in definitions:
                raise ContentError(
                    f"the note [^{inside}] is written a second time (first on line {definitions[inside][0]}): "
                    "give each note its own label",
                    path,
                    line,
                )
            definitions[inside] = (line, [])
        elif token.type == "footnote_reference_close":
            inside = None
        elif inside is None:
            kept.append(token)
        elif token.type == "inline":
            definitions[inside][1].append(token)
        elif token.type not in ("paragraph_open", "paragraph_close"):
            raise ContentError(
                f"the note [^{inside}] holds more than paragraphs of text (a list, a quote, code...), which a "
                "note cannot carry: write it as plain paragraphs",
                path,
                _line(token, first_line),
            )
    return definitions, kept


def _line(token: Token, first_line: int) -> int:
    return first_line + (token.map[0] if token.map else 0)


def _render_call(self: object, tokens: list[Token], index: int, options: object, env: object) -> str:
    """The call, a superscript number linked to its note; as a footnote, the note itself follows (first call)."""
    number, note = tokens[index].meta["number"], tokens[index].meta["note"]
    anchor = f' id="note-call-{number}"' if tokens[index].meta["first"] else ""
    target = "endnote" if options["notes"] == "end" else "note"  # misplaced_notes checks footnotes only
    call = f'<a class="note-call" href="#{target}-{number}"{anchor}>{number}</a>'
    if options["links"] is not None:  # paper: nothing to click
        call = f'<span class="note-call"{anchor}>{number}</span>'
    call = "\u2060" + call  # a word joiner: the call never starts a line (WeasyPrint would break after a colon)
    if note is None:
        return call
    return f'{call}<span class="footnote" id="note-{number}">{_note_text(self, note, number, options, env)}</span>'


def _note_text(renderer: object, note: list[Token], number: int, options: object, env: object) -> str:
    """The note's number (a link back to its call) and its paragraphs, as inline HTML (it sits in a paragraph)."""
    # a line break of the source is a space: WeasyPrint 70 keeps a newline in a footnote as a line break
    paragraphs = [renderer.renderInline(inline.children or [], options, env).replace("\n", " ") for inline in note]
    first, *more = paragraphs or [""]
    rest = "".join(f'<span class="note-paragraph">{text}</span>' for text in more)
    if options["links"] is not None:
        return f'<span class="note-number">{number}</span>{first}{rest}'
    return f'<a class="note-number" href="#note-call-{number}">{number}</a>{first}{rest}'


def _render_endnotes(self: object, tokens: list[Token], index: int, options: object, env: object) -> str:
    """The endnotes before the back cover: a heading, then each note, its number linked back to its call."""
    items = "".join(
        f'<article class="endnote" id="endnote-{number}">{_note_text(self, note, number, options, env)}</article>'
        for number, note in tokens[index].meta["notes"]
    )
    heading = escape(options["notes_heading"])  # the running head of its pages too (pamphlet.css: string-set)
    return f'<section class="endnotes"><h2 data-running-head="{heading}">{heading}</h2>{items}</section>\n'


def tag_notes(pdf: pydyf.PDF) -> None:
    """In the tagged PDF, each note is a /Note structure element with an /ID, as PDF/UA wants (WeasyPrint tags
    HTML, which has no notes): the footnotes, which WeasyPrint puts in a NonStruct element of the page's
    footnote area right under the Document, and the endnotes, written as <article> (/Art) for this alone."""
    elements = {obj.reference: obj for obj in pdf.objects if isinstance(obj, pydyf.Dictionary)
                and obj.get("Type") == "/StructElem"}  # fmt: skip
    document = next((obj for obj in elements.values() if obj.get("S") == "/Document"), None)
    if document is None:
        return
    top = [elements[kid] for kid in document["K"] if kid in elements]  # the margin boxes' are not linked
    areas = [obj for obj in top if obj.get("S") == "/NonStruct"]  # the footnote area: nothing else is one (the
    notes = [elements[kid] for area in areas for kid in area["K"]  # contents are a <div>, tagged /Div)
             if kid in elements and elements[kid].get("S") == "/Span"]  # fmt: skip
    notes += [obj for obj in elements.values() if obj.get("S") == "/Art"]
    for number, note in enumerate(notes, start=1):
        note["S"] = "/Note"
        note["ID"] = pydyf.String(f"note-{number}")


#: The anchors of a call and of its note (notes: 1, 2, 3; printed addresses, samizdat.links: a, b, c).
CALLED = re.compile(r"^(note|link)-call-(\w+)$")


def misplaced_notes(document: object, source: Path) -> list[str]:
    """Warnings for the footnotes WeasyPrint set on another page than their call, found by their anchors
    (WeasyPrint 70 moves a note that does not fit below its call to the next page whole: it cannot split one);
    an error when that page is not a page of text (the back cover), where the note would be lost on the art."""
    pages: dict[str, int] = {}
    for number, page in enumerate(document.pages, start=1):
        for name in page.anchors:
            pages.setdefault(name, number)
    warnings = []
    for name, page in pages.items():
        if not (called := CALLED.match(name)):
            continue
        kind, mark = called.groups()
        note = pages.get(f"note-{mark}" if kind == "note" else f"link-note-{mark}")
        if note is None or note == page:
            continue
        what = f"note {mark}" if kind == "note" else f"the address of link {mark}"
        problem = (
            f"{what} is called on page {page} but set on page {note}: it does not fit below its call, and "
            "WeasyPrint cannot split a note over two pages; shorten it (or split it in two), or set notes: end"
        )
        if page_type_name(document.pages[note - 1]):  # a named page: a cover
            raise RenderError(f"{problem}. It would be printed on the back cover", source)
        warnings.append(problem)
    return warnings
