"""Content stage: a Markdown file with YAML front matter becomes a validated `Document`."""

from __future__ import annotations

import difflib
import errno
import hashlib
import stat
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from markupsafe import Markup

from samizdat.body import bad_reference, check_containers, markdown_for, reference_message, render_body, smarten
from samizdat.contents import Section, contents_choice, sections_of
from samizdat.direction import direction
from samizdat.editions import Edition
from samizdat.errors import ContentError, UsageError
from samizdat.front_matter import FIELD_HINTS, FRONT_MATTER
from samizdat.languages import TWO_LETTER_OF, hyphenation_note, is_language
from samizdat.limits import (
    FIELD_LIMITS,
    MAX_DOCUMENT_BYTES,
    MAX_FRONT_MATTER_BYTES,
    MAX_SLUG,
    MAX_SLUG_BYTES,
    check_text_fields,
    qr_problem,
    read_text,
)
from samizdat.local import DEFAULT_OUTPUTS, LocalEdition
from samizdat.names import hyphenated
from samizdat.paths import leading_link, outside_message
from samizdat.yamlcheck import Located, load_checked

#: Language codes people write for a language whose code is another: mostly their country's, and ISO 639's
#: withdrawn codes (mo Moldovan, iw Hebrew, ji Yiddish, in Indonesian).
LANGUAGE_MIX_UPS = {"ua": "uk", "gr": "el", "cz": "cs", "dk": "da", "se": "sv", "jp": "ja", "br": "pt", "mo": "ro",
                    "by": "be", "kz": "kk", "ge": "ka", "md": "ro", "iw": "he", "ji": "yi", "in": "id"}  # fmt: skip


@dataclass(frozen=True)
class Document:
    """One document of content/, validated and with its body already turned into safe HTML."""

    slug: str
    source: Path
    title: str
    author: str
    lang: str
    body_html: Markup
    subtitle: str | None = None
    slogans: tuple[str, ...] = ()
    imprint: str | None = None
    blurb: str | None = None  # the back cover's few lines about the document
    url: str | None = None  # the online copy: on the back cover, with its QR code (samizdat.covers)
    date: str | None = None
    local: LocalEdition | None = None
    digest: str = field(default="", compare=False)  # SHA-256 of the text read: the cache keys what was rendered
    slogan_lines: tuple[int, ...] = field(default=(), compare=False)  # where each slogan is, for poster errors
    linebreaks: str = "total-fit"  # or "greedy": WeasyPrint's own line-by-line breaks
    body: str = field(default="", compare=False, repr=False)  # the Markdown, set again with chosen line breaks
    body_line: int = field(default=1, compare=False)
    notes: str = "foot"  # or "end": endnotes before the back cover (samizdat.notes)
    variants: tuple[str, ...] | None = None  # front matter's editions: (samizdat.variants); None: samizdat.yaml's
    links: str = "footnote"  # how paper editions print addresses: "inline", "none" (samizdat.links)
    printed_links: str | None = None  # `links` in this edition's body_html (paper_edition); None: the screen's
    short_title: str | None = None  # the running head, when the title is too long for one line
    contents: str | None = None  # auto, yes or no; None: as samizdat.yaml says
    sections: tuple[Section, ...] = field(default=(), compare=False)  # the `##` headings, for the contents
    translation_of: str | None = None  # the slug of the text this edition translates (samizdat.translations)
    translation_line: int = field(default=0, compare=False)  # where `translation_of` is, for its errors
    edition: str | None = None  # its folder output/SLUG/LANG/ when the text has editions in several languages
    editions: tuple[Edition, ...] = ()  # the other editions of the same text, for the back cover
    links_to: tuple[tuple[str, str], ...] = ()  # linked files' A5 PDFs in their language folders (translations)

    @property
    def language_notes(self) -> list[str]:
        """What the build says once about the document's language: no hyphenation patterns (samizdat.languages)."""
        return hyphenation_note(self.lang)

    @property
    def direction(self) -> str:
        """"rtl" for a language written right to left (samizdat.bidi), else "ltr": the layouts' `dir`."""
        return direction(self.lang)


def find_documents(content_dir: Path) -> list[Path]:
    """The Markdown files of a content folder, in a stable order."""
    return sorted(path for path in content_dir.glob("*.md") if path.is_file())


def odd_entries(content_dir: Path) -> list[Path]:
    """The `*.md` entries of a content folder that are no regular file (a folder, a FIFO, a link leading nowhere):
    each fails by its name (not_a_file) instead of vanishing from the build."""
    return sorted(path for path in content_dir.glob("*.md") if not path.is_file())


def not_a_file(path: Path) -> str:
    """Why `path` is no document, found without opening it: reading a FIFO would wait forever."""
    link = "a link to " if path.is_symlink() else ""
    try:
        mode = path.stat().st_mode
    except OSError as problem:
        if problem.errno == errno.ELOOP:
            what = "a link that leads back to itself (a loop of links)"
        else:
            what = "a link that leads nowhere" if link else f"unreadable ({problem.strerror})"
    else:
        kinds = [(stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a FIFO (named pipe)"), (stat.S_ISSOCK, "a socket")]
        kind = next((name for test, name in kinds if test(mode)), "a device" if stat.S_ISCHR(mode) else "no file")
        what = link + kind
    return (
        f"this is {what}: samizdat reads only regular files; put the Markdown file itself here, "
        "or move this out of the content folder"
    )


def select_documents(sources: list[Path], names: list[str]) -> list[Path]:
    """The documents named on the command line, as slugs, file names or paths."""
    by_stem = {source.stem: source for source in sources}
    chosen = []
    for name in names:
        stem = Path(name).name.removesuffix(".md")
        if stem not in by_stem:
            close = difflib.get_close_matches(stem, by_stem, n=1)
            hint = f"did you mean {close[0]}?" if close else f"the documents are: {', '.join(by_stem)}"
            raise UsageError(f"no document named '{name}' in {sources[0].parent}: {hint}")
        chosen.append(by_stem[stem])
    return chosen


def load_document(path: Path, notes: str = "foot", links: str = "footnote") -> Document:
    """Read, validate and convert one content file; raise ContentError naming file and line. `notes` and
    `links` are the project's defaults (samizdat.yaml), which the front matter may change."""
    if not path.is_file():  # a FIFO is never opened
        raise ContentError(not_a_file(path), path)
    text = read_text(path, MAX_DOCUMENT_BYTES, "this document", ContentError)  # read once: an edit saved during
    # the build is the next build's, never lost
    front_text, body, body_line = _split_front_matter(text, path)
    fields, located_line, slogan_lines, translation_line = _parse_front_matter(front_text, path)
    check_containers(body, body_line, path)
    notes, links = fields.get("notes", notes), fields.get("links", links)
    markdown = markdown_for(fields["lang"], notes)
    return Document(
        slug=fields.get("translation_of") or _slug(path),  # every edition of a text is named as its original
        source=path,
        title=smarten(markdown, fields["title"]),
        author=smarten(markdown, fields["author"]),
        lang=fields["lang"],
        subtitle=smarten(markdown, fields.get("subtitle")),
        slogans=tuple(smarten(markdown, slogan) for slogan in fields.get("slogans", [])),
        imprint=smarten(markdown, fields.get("imprint")),
        blurb=smarten(markdown, fields.get("blurb")),
        url=fields.get("url"),
        date=fields.get("date"),
        body_html=render_body(markdown, body, body_line, path),
        local=_local_edition(fields.get("local"), path, located_line),
        digest=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        slogan_lines=slogan_lines,
        linebreaks=fields.get("linebreaks", "total-fit"),
        body=body, body_line=body_line, notes=notes, links=links,
        short_title=smarten(markdown, fields.get("short_title")),
        contents=contents_choice(fields.get("contents")),
        variants=tuple(fields["editions"]) if "editions" in fields else None,
        sections=sections_of(markdown, body, body_line, path),
        translation_of=fields.get("translation_of"),
        translation_line=translation_line,
    )


def slug_of(path: Path) -> str:
    """The name a document's outputs carry: its file name's letters and digits, in any script, in lower case,
    the rest as hyphens, as a slogan's (posters.slogan_slug). NFC first: macOS writes é as e and a combining accent.

    >>> slug_of(Path("content/Stop the War!.md")), slug_of(Path("émigré.md")), slug_of(Path("Нет войне.md"))
    ('stop-the-war', 'émigré', 'нет-войне')
    """
    return hyphenated(unicodedata.normalize("NFC", path.stem))


def _slug(path: Path) -> str:
    slug = slug_of(path)
    if not slug:
        raise ContentError("the file name gives no usable name for outputs; rename it, e.g. my-leaflet.md", path)
    if len(slug) > MAX_SLUG or len(slug.encode("utf-8")) > MAX_SLUG_BYTES:  # a file name holds 255 bytes
        raise ContentError(
            f"the file name is too long to name its outputs ({len(slug)} characters, {len(slug.encode('utf-8'))} "
            f"bytes): rename it: at most {MAX_SLUG} characters (fewer in a script of several bytes a letter, "
            f"{MAX_SLUG_BYTES} bytes in all)",
            path,
        )
    return slug


def _split_front_matter(text: str, path: Path) -> tuple[str, str, int]:
    """Return (front matter, body, first line of body); the file must open with a `---` line."""
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != "---":
        raise ContentError(
            "no front matter: start the file with a line '---', then the fields "
            "(title, author, lang...), then a closing '---'",
            path,
            1,
        )
    for index, line in enumerate(lines[1:], start=1):
        if line.strip() == "---":
            return "".join(lines[1:index]), "".join(lines[index + 1 :]), index + 2
    raise ContentError("the front matter opened on line 1 is never closed: add a line '---' after the fields", path, 1)


def _parse_front_matter(front_text: str, path: Path) -> tuple[dict, int | None, tuple[int, ...], int]:
    """YAML → dict, validated against FRONT_MATTER_SCHEMA, with errors placed on their line (it starts on line 2).

    Also the line of `local: data:`, for an error about the data file it names, the line of each slogan, and
    that of `translation_of` (0 when there is none).
    """
    if len(front_text.encode("utf-8")) > MAX_FRONT_MATTER_BYTES:
        raise ContentError(
            f"the front matter is over samizdat's limit of {MAX_FRONT_MATTER_BYTES:,} bytes: its fields are "
            "lines of text, and the text itself goes after the closing '---'",
            path,
            1,
        )
    located = load_checked(front_text, path, 2, FRONT_MATTER)
    _check_language(located.data["lang"], path, located.line_of(["lang"]))
    slogan_lines = check_text_fields(located, path, FIELD_LIMITS, ContentError)
    _check_references(located, path)
    if "url" in located.data and (problem := qr_problem(located.data["url"])):
        raise ContentError(problem, path, located.line_of(["url"]))
    translation_line = located.line_of(["translation_of"]) if "translation_of" in located.data else 0
    if translation_line:
        check_original(located.data["translation_of"], path, translation_line)
    local_line = located.line_of(["local", "data"]) if "local" in located.data else None
    return located.data, local_line, slogan_lines, translation_line


def check_original(slug: str, path: Path, line: int) -> None:
    """`translation_of: SLUG` names another document beside this one as its outputs are named (marks kept)."""
    if hyphenated(slug) != slug:
        raise ContentError(f"translation_of: {slug} is no document's name: {FIELD_HINTS['translation_of']}", path, line)
    if slug == slug_of(path):
        raise ContentError(
            f"translation_of names this document itself ('{slug}'): name the document it translates, e.g. "
            f"translation_of: {slug.rsplit('-', 1)[0] if '-' in slug else 'stop-the-war'}",
            path,
            line,
        )
    names = sorted(slug_of(other) for other in find_documents(path.parent) if other != path)
    if slug not in names:
        close = difflib.get_close_matches(slug, names, n=1)
        hint = f"did you mean {close[0]}?" if close else f"the documents are: {', '.join(names) or 'none'}"
        message = f"translation_of: {slug}, but there is no document {slug}.md beside this one to translate: {hint}"
        raise ContentError(message, path, line)


def _check_references(located: Located, path: Path) -> None:
    """Front matter lines are Markdown too (smarten): a control character written `&#x1B;` would print as a box."""
    data = located.data
    texts = [([name], data[name]) for name in ("title", "short_title", "subtitle", "author", "imprint", "blurb")
             if name in data]  # fmt: skip
    texts += [(["slogans", index], slogan) for index, slogan in enumerate(data.get("slogans", []))]
    for where, text in texts:
        if reference := bad_reference(text):
            raise ContentError(reference_message(reference), path, located.line_of(where))


def _local_edition(fields: dict | None, path: Path, line: int | None) -> LocalEdition | None:
    """The local groups' data file, which must be in the document's own folder (content is untrusted)."""
    if fields is None:
        return None
    given = path.parent / fields["data"]
    data = given.resolve()
    if not data.is_relative_to(path.parent.resolve()):
        if leading_link(given, [path.parent.resolve()]).is_symlink():
            raise ContentError(outside_message(given, [path.parent.resolve()]), path, line)
        raise ContentError("the local groups' data file must be in the document's folder", path, line)
    if not data.is_file():
        raise ContentError(
            f"the local groups' data file {fields['data']} does not exist beside the document", path, line
        )
    return LocalEdition(data, tuple(dict.fromkeys(fields.get("outputs", DEFAULT_OUTPUTS))))


def _check_language(lang: str, path: Path, line: int) -> None:
    """Hyphenation and quotes depend on `lang`: refuse a code samizdat cannot set."""
    primary = lang.split("-")[0]
    if is_language(lang):
        return  # hyphenated where pyphen has patterns, else set without (samizdat.languages.hyphenation_note)
    shorter = LANGUAGE_MIX_UPS.get(primary) or TWO_LETTER_OF.get(primary)
    hint = f": did you mean '{shorter}'?" if shorter else "."
    raise ContentError(
        f"'{lang}' is not a language code{hint} Write the language's ISO 639 code, two letters where it has "
        "them (en, ru, uk, be, kk, az, ka, hy, ro...), else three (crh, sah...), optionally with a region (ro-MD)",
        path,
        line,
    )
