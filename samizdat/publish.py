"""Publish stage: the download page, manifest.json and SHA256SUMS that distributors need, with thumbnails.

Everything is computed here as files (path under output/ → bytes); the build
stage writes them. The page is self-contained: its CSS is inlined, it loads no
fonts, scripts or anything else from outside, and works from file://.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from pathlib import Path

from samizdat.catalogue import CATALOGUE, by_file_name
from samizdat.content import Document
from samizdat.direction import direction
from samizdat.editions import language_name
from samizdat.errors import LayoutError
from samizdat.html import render_template
from samizdat.layers import layout_layers
from samizdat.signing import Publishing


@dataclass(frozen=True)
class Entry:
    """One downloadable file, as manifest.json lists it (see README: "manifest.json")."""

    document: str  # the document's slug
    output: str  # the file name
    purpose: str  # what it is for and how to print it, in plain words
    paper: str  # "A5", "A3 landscape", "210 × 99 mm"; "" for a reader edition (HTML, EPUB, text: no paper)
    pages: int  # 0 for a reader edition: it has no pages
    bytes: int
    sha256: str
    path: str  # relative to output/, with forward slashes
    thumbnail: str  # relative to output/; "" for a local edition's file and a reader edition (no first page)
    lang: str = ""  # the language of the edition it belongs to
    text: str = ""  # the slug every edition of its text shares (as `document`): the text it belongs to


@dataclass(frozen=True)
class Listing:
    """One edition of a text on the download page: its document, its files by group, its language's own name."""

    document: Document
    files: list[Entry]  # the pamphlet and its impositions
    posters: list[Entry]
    local: list[Entry]  # the local editions, by group in the order they were built
    reading: list[Entry]  # the reader editions: HTML, EPUB, plain text (samizdat.reader_job)
    anchor: str  # the id of its heading: doc-SLUG, or doc-SLUG-LANG for an edition among several
    name: str  # its language's own name (samizdat.editions)
    dir: str  # "rtl" or "ltr"


@dataclass(frozen=True)
class Text:
    """One entry of the download page: a text, with its editions (the original first) and their switcher."""

    slug: str
    editions: list[Listing]


def thumbnail_path(relative: Path) -> str:
    """Where the thumbnail of output/RELATIVE.pdf goes, relative to output/.

    >>> thumbnail_path(Path("leaflet/leaflet-a5.pdf"))
    'thumbnails/leaflet/leaflet-a5.png'
    """
    return "thumbnails/" + relative.as_posix().removesuffix(".pdf") + ".png"


def is_local(relative: str) -> bool:
    """Whether an output (path under output/) is a local group's edition: those are listed without a thumbnail.

    SLUG/local/GROUP/…, or SLUG/LANG/local/GROUP/… (no language code is 'local').
    """
    return "local" in relative.split("/")[1:3]


def lang_of(relative: str, documents: list[Document], fallback: str = "") -> str:
    """The language of the edition an output (path under output/) belongs to: the document whose folder holds
    it; else the language folder in its path (a document with an error now); else `fallback`."""
    slug, _, rest = relative.partition("/")
    folder = rest.split("/")[0]
    editions = [document for document in documents if document.slug == slug]
    found = next((d for d in editions if d.edition == folder), None) or next((d for d in editions if not d.edition),
                                                                              None)  # fmt: skip
    if found is not None:
        return found.lang
    return fallback or (folder if "/" in rest and folder not in ("posters", "local") else "")


def describe(
    output_dir: Path, path: Path, document: str, purpose: str, pages: int, paper: str, lang: str = ""
) -> Entry:
    """The manifest entry of one output (its pages and paper as the build recorded them; none for a reader
    edition, which has neither, nor a thumbnail)."""
    data = path.read_bytes()
    relative = path.relative_to(output_dir).as_posix()
    return Entry(
        document=document,
        output=path.name,
        purpose=purpose,
        paper=paper,
        pages=pages,
        bytes=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        path=relative,
        thumbnail="" if is_local(relative) or path.suffix != ".pdf" else thumbnail_path(Path(relative)),
        lang=lang,
        text=document,
    )


def job_of(entry: Entry) -> str:
    """The job that made a listed file, from its kind's row in the catalogue (its name's, for the page lists
    files the build may not have made this time)."""
    found = by_file_name(entry.output)
    return found[0].job if found else "pamphlet"


def place(entry: Entry) -> int:
    """Where a file stands among its document's on the page: its kind's place in the catalogue."""
    found = by_file_name(entry.output)
    return found[0].listed if found else len(CATALOGUE)


def site_files(
    documents: list[Document], entries: list[Entry], thumbnails: dict[str, bytes], layouts_dir: Path,
    output_dir: Path | None = None, signing: Publishing | None = None,
) -> dict[str, bytes]:  # fmt: skip
    """index.html, manifest.json, SHA256SUMS and the missing thumbnails, as path under output/ → bytes; with a
    signing key, minisign.pub and the signatures of manifest.json and SHA256SUMS (samizdat.signing).

    `thumbnails` are those made anew; the others are read from `output_dir`,
    for SHA256SUMS vouches for every file a mirror copies (all but itself and the signatures).
    """
    signing = signing or Publishing(None, "")
    layers = layout_layers(layouts_dir)
    stylesheet = layers.find("site/site.css", LayoutError)
    if stylesheet is None:
        raise LayoutError(
            f"the download page's stylesheet is missing (looked for {layers.searched('site/site.css')}); restore it",
            layouts_dir / "site" / "site.css",
        )
    css = stylesheet.read_text(encoding="utf-8")
    page = render_template("site/index.html", layouts_dir, texts=texts_of(documents, entries), css=css,
                           signing=signing.key.public if signing.key else None)  # fmt: skip
    manifest = {"schema": "samizdat manifest 1", "files": [asdict(entry) for entry in entries]}
    files = {
        "index.html": page.encode("utf-8"),
        "manifest.json": (json.dumps(manifest, indent=2, ensure_ascii=False) + "\n").encode("utf-8"),
    }
    files.update(thumbnails)
    files.update(signing.signatures(files, "manifest.json"))  # and minisign.pub, which SHA256SUMS lists
    listed = {name: data for name, data in files.items() if not name.endswith(".minisig")}  # minisign checks those
    files["SHA256SUMS"] = checksums(entries, listed, output_dir)
    files.update(signing.signatures(files, "SHA256SUMS"))
    return files


def texts_of(documents: list[Document], entries: list[Entry]) -> list[Text]:
    """The page's entries: one per text (in the documents' order), each edition with its files by group."""
    by_slug: dict[str, list[Document]] = {}
    for document in documents:
        by_slug.setdefault(document.slug, []).append(document)
    texts = []
    for slug, editions in by_slug.items():
        several = len(editions) > 1
        listings = []
        for document in sorted(editions, key=lambda d: (d.translation_of is not None, d.lang)):
            own = [e for e in entries if e.document == slug and (not several or e.lang == document.lang)]
            local = [entry for entry in own if is_local(entry.path)]  # by group, in the order they were built
            rest = sorted((entry for entry in own if entry not in local), key=place)
            posters = [entry for entry in rest if job_of(entry) == "posters"]
            reading = [entry for entry in rest if job_of(entry) == "reader"]
            files = [entry for entry in rest if entry not in posters and entry not in reading]
            anchor = f"doc-{slug}-{document.lang}" if several else f"doc-{slug}"
            listings.append(Listing(document, files, posters, local, reading, anchor, language_name(document.lang),
                                    direction(document.lang)))  # fmt: skip
        texts.append(Text(slug, listings))
    return texts


def checksums(entries: list[Entry], files: dict[str, bytes], output_dir: Path | None) -> bytes:
    """SHA256SUMS: one line per file of the mirror (the outputs, the PDFs' thumbnails, the page, the manifest and,
    when signed, the public key; not the signatures, *.minisig, which minisign checks).

    Sorted by path, so the same files give the same bytes; `cd output &&
    sha256sum -c SHA256SUMS` checks them all. A thumbnail not made now is read
    from `output_dir`, where its job wrote it.
    """
    sums = {entry.path: entry.sha256 for entry in entries}
    sums.update({name: hashlib.sha256(data).hexdigest() for name, data in files.items()})
    for entry in entries:
        shown = output_dir / entry.thumbnail if entry.thumbnail and output_dir else None
        if shown and entry.thumbnail not in sums and shown.is_file():
            sums[entry.thumbnail] = hashlib.sha256(shown.read_bytes()).hexdigest()
    return "".join(f"{sums[path]}  {path}\n" for path in sorted(sums)).encode("utf-8")


def damaged(output_dir: Path) -> set[str]:
    """The files SHA256SUMS lists that are missing or no longer match it: the build makes them again.

    No SHA256SUMS (or an unreadable one) lists nothing, and so finds nothing damaged.
    """
    try:
        lines = (output_dir / "SHA256SUMS").read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return set()
    found = set()
    for line in lines:
        checksum, _, path = line.partition("  ")
        if Path(path).is_absolute() or ".." in Path(path).parts:
            found.add(path)  # a forged line: the file is written again, and the line with it
            continue
        try:
            if hashlib.sha256((output_dir / path).read_bytes()).hexdigest() != checksum:
                found.add(path)
        except OSError:
            found.add(path)
    return found
