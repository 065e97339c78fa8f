"""Translations linked: the editions of one text, their folders, and which translation may be out of date.

A translation says which document it translates, `translation_of: SLUG` in
its front matter (SLUG: the original's file name without `.md`). It then
carries the original's slug: every edition of the text is named alike, and
each goes to output/SLUG/LANG/ (the original too, once it has a translation).
A text in one language keeps output/SLUG/. Which documents have translations,
and in which languages, is read from every file's `translation_of:` and
`lang:` lines (declared), not from the documents that loaded: a translation
with a mistake elsewhere in it neither moves its original's files back and
forth nor changes the other editions' back covers.

Out of date: the build records, for each translation, the digest of its file
and of its original's text (title, subtitle, slogans, blurb, imprint, body)
in output/.cache/translations.json. When the original's text changes and
the translation's file does not, the translation is flagged "possibly out of
date" in the build summary, until its file is edited. Dates would say less:
a `date:` is often not updated, and says nothing of what changed.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import re
from pathlib import Path

from samizdat.body import DOCUMENT_LINK
from samizdat.content import Document, find_documents, slug_of
from samizdat.editions import Edition
from samizdat.errors import ContentError
from samizdat.output import write_atomically
from samizdat.project import Project
from samizdat.records import clear_way, read_record
from samizdat.targets import Job, TargetResult

#: `translation_of: SLUG` and `lang: CODE` as top-level lines of the front matter, quoted or not.
TRANSLATION_OF = re.compile(r"^translation_of:[ \t]*(['\"]?)([^\s'\"#]+)\1[ \t]*(#.*)?$", re.MULTILINE)
DOCUMENT_HREF = re.compile(rf'href="{DOCUMENT_LINK}([^"]+)"')  # samizdat.body's links to other documents
LANG = re.compile(r"^lang:[ \t]*(['\"]?)([a-z]{2,3}(-[A-Za-z0-9]{2,8})*)\1[ \t]*(#.*)?$", re.MULTILINE)

#: Where the digests of each translation and its original are kept between builds.
RECORD = Path(".cache") / "translations.json"


def declared(path: Path) -> tuple[str | None, str | None]:
    """What a content file's front matter says in `translation_of:` and `lang:`, found without parsing the
    document: one with a mistake elsewhere still counts. (None, None) when it cannot be read."""
    try:
        with open(path, encoding="utf-8") as file:
            head = file.read(64 * 1024)  # the front matter's limit (samizdat.limits): the rest is the text
    except (OSError, UnicodeDecodeError):
        return None, None
    front = head.split("\n---", 1)[0] if head.startswith("---") else ""
    return tuple(found.group(2) if (found := pattern.search(front)) else None for pattern in (TRANSLATION_OF, LANG))


def declarations(project: Project) -> dict[Path, tuple[str, str | None, bool]]:
    """Every document of content/: the text it is an edition of (its slug), its language, whether it is the
    original, as declared. A link out of the project is not read (its build fails, naming it)."""
    found = {}
    for path in find_documents(project.content_dir):
        try:
            project.refuse_outside(path, ContentError)
        except ContentError:
            continue
        of, lang = declared(path)
        found[path] = (of or slug_of(path), lang, of is None)
    return found


def with_editions(documents: list[Document], everyone: list[Document]) -> list[Document]:
    """The documents asked for, and every other edition of their texts: those up to date cost a lookup, and
    a translation just added (saved under `serve`) moves its original into its language folder at once."""
    asked = {document.source for document in documents}
    texts = {document.slug for document in documents}
    return documents + [other for other in everyone if other.slug in texts and other.source not in asked]


def link_editions(
    documents: list[Document], everyone: list[Document], declared: dict[Path, tuple[str, str | None, bool]]
) -> tuple[list[Document], list[TargetResult]]:
    """The documents, each with its edition's folder and the other editions of its text; a failed result for
    each translation that cannot be linked (the others still build).

    The other editions are those declared in content/ (`declared`), a translation with a mistake now
    included: its last good files are still on the page, and the back covers do not change with each typo.
    """
    failures, refused, asked = [], set(), {document.source for document in documents}
    by_slug: dict[str, list[Document]] = {}
    for document in everyone:
        by_slug.setdefault(document.slug, []).append(document)
    by_file = {slug_of(document.source): document for document in everyone}
    for document in everyone:
        if (problem := _unlinkable(document, by_file, by_slug[document.slug])) is not None:
            refused.add(document.source)
            if document.source in asked:
                failures.append(TargetResult(document.source.name, "failed", error=str(problem)))
    texts = {slug for slug, _, original in declared.values() if not original}  # the texts with translations
    linked = []
    for document in documents:
        if document.source in refused:
            continue
        if document.translation_of is None and document.slug not in texts:
            linked.append(document)
            continue
        editions = _others(document, {d.source: d for d in by_slug[document.slug]}, declared, refused)
        linked.append(dataclasses.replace(document, edition=document.lang, editions=editions))
    published = {path.name: f"{slug}/{lang}/{slug}-a5.pdf" for path, (slug, lang, _) in declared.items()
                 if slug in texts and lang}  # fmt: skip
    return [_linking_editions(document, published) for document in linked], failures


def _linking_editions(document: Document, published: dict[str, str]) -> Document:
    """The document with where its links to a text in several languages lead: that edition's A5 PDF, in its
    language folder (samizdat.html puts it in the page, samizdat.pdf makes it relative)."""
    links = tuple((name, published[name]) for name in sorted(set(DOCUMENT_HREF.findall(document.body_html)))
                  if name in published)  # fmt: skip
    return dataclasses.replace(document, links_to=links) if links else document


def _others(
    document: Document, loaded: dict[Path, Document], declared: dict[Path, tuple[str, str | None, bool]], refused: set
) -> tuple[Edition, ...]:
    """The other editions of a document's text, the original first, then by language code (one per language)."""
    found: dict[str, bool] = {}
    for path, (slug, lang, original) in sorted(declared.items()):
        if slug != document.slug or path in refused or path == document.source:
            continue
        edition = loaded.get(path)
        lang, original = (edition.lang, edition.translation_of is None) if edition else (lang, original)
        if lang and lang != document.lang:
            found.setdefault(lang, original)
    return tuple(Edition.of(lang, original) for lang, original in sorted(found.items(), key=lambda i: (not i[1], i[0])))


def _unlinkable(document: Document, by_file: dict[str, Document], editions: list[Document]) -> ContentError | None:
    """Why a translation cannot join its text: the document it names is itself a translation, or the original
    is in its language, or another translation is (the first by file name keeps the folder)."""
    if document.translation_of is None:
        return None
    where = {"path": document.source, "line": document.translation_line}
    original = by_file.get(document.translation_of)
    if original is None:
        return None  # the original did not load: its own error is in the summary
    if original.translation_of is not None:
        return ContentError(
            f"translation_of: {document.slug} names a document that is itself a translation (of "
            f"{original.translation_of}): name the original, translation_of: {original.translation_of}", **where
        )
    same = [other for other in editions if other.lang == document.lang and other.source != document.source]
    if same and (same[0].source == original.source or same[0].source.name < document.source.name):
        return ContentError(same_language(document, same[0].source), **where)
    return None


def same_language(document: Document, other: Path) -> str:
    """The message for a second edition of a text in one language."""
    return (
        f"{other.name} is the {document.lang} edition of '{document.slug}' already: each language has one "
        f"edition (output/{document.slug}/{document.lang}/); change this one's lang, or merge the two files"
    )


def text_digest(document: Document) -> str:
    """What a translation follows in its original: the words, not the settings (url, date, local groups)."""
    words = [document.title, document.subtitle, document.short_title, list(document.slogans), document.blurb,
             document.imprint, document.body]  # fmt: skip
    return hashlib.sha256(json.dumps(words, ensure_ascii=False).encode("utf-8")).hexdigest()


def out_of_date(output_dir: Path, documents: list[Document]) -> dict[Path, str]:
    """A warning for each translation whose original's text changed since the translation's file last did,
    by the translation's source file; the record is brought up to date (only the build stage calls this)."""
    record_path = output_dir / RECORD
    recorded = read_record(record_path, output_dir, _valid) or {}
    record, warnings = dict(recorded), {}
    originals = {document.slug: document for document in documents if document.translation_of is None}
    for document in documents:
        original = originals.get(document.slug)
        if document.translation_of is None or original is None:
            continue
        name = f"{document.slug}/{document.lang}"
        now = {"translation": document.digest, "original": text_digest(original)}
        before = recorded.get(name)
        if before and before["translation"] == now["translation"] and before["original"] != now["original"]:
            warnings[document.source] = (
                f"{document.source.name}: possibly out of date: its original {original.source.name} has changed "
                f"since this translation was last edited; bring it up to date (editing {document.source.name} "
                "clears this note)"
            )
            continue  # the digest the translation followed is kept until the translation is edited
        record[name] = now
    if record != recorded:
        write_atomically(clear_way(record_path), (json.dumps(record, indent=1, sort_keys=True) + "\n").encode())
    return warnings


def _valid(data: object) -> bool:
    """translations.json as written: edition → {"translation": digest, "original": digest}."""
    return isinstance(data, dict) and all(
        isinstance(entry, dict) and isinstance(entry["translation"], str) and isinstance(entry["original"], str)
        for entry in data.values()
    )


def flag(job: Job, results: list[TargetResult], warnings: dict[Path, str]) -> None:
    """A translation's out-of-date warning on the first output of its pamphlet (its A5 PDF), before the
    build reports it: the summary shows it there, and the quick answer says it again."""
    warning = warnings.get(job.document.source)
    if warning and job.group == "pamphlet" and job.local is None and results:
        results[0].warnings.append(warning)
