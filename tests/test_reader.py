"""The reader editions (samizdat.reader_job): the HTML reading page and the plain text hold every word in order,
stand alone, fit their widths, are built incrementally without laying pages out, and are listed for download.

One module-scoped build (greedy line breaks, one slogan: the PDFs are not what is tested) of a small text in
English (notes, a table, headings, a list, a quote, links, a picture) and its Russian translation; the tests
that change something work on a copy of it.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import pytest

from samizdat.cli import main
from samizdat.plaintext import WIDTH, columns

ENGLISH = """\
---
title: Read It, Copy It, Pass It On
subtitle: A test of the reader editions
author: The Test Collective
lang: en
date: 2026-12-01
slogans: [Pass it on!]
url: https://example.org/pass-it-on
linebreaks: greedy
---

Every leaflet[^why] deserves readers: on paper, on phones and in e-mail. See [our site](https://example.org/about)
and [the other text](other.md) for more.

![A small red square](square.svg "The square, as a caption")

## What the editions are

The web page stands alone.[^web] The plain text is wrapped at seventy-two columns for e-mail, and nobody
needs to scroll sideways to read any of it, however small the screen they hold happens to be on the day.

- one list item that is long enough to wrap onto a second line in the plain text edition of this leaflet
- a short item

> Quoted words from someone who said something worth quoting, long enough to need a second line too.

### Numbers by town

| Town | Copies | Share |
| --- | --- | --- |
| Example Town | 1,200 | 12.5 % |
| Sampleton | 300 | 3 % |

## Where to find more

The address https://example.org/a/very/long/address/that/is/longer/than/a/line/of/seventy/two/columns/surely
stands alone.

[^why]: Because a leaflet is read more often than it is printed.
[^web]: It loads nothing from elsewhere; see https://example.org/notes for how.
"""

RUSSIAN = """\
---
title: Прочитай, скопируй, передай дальше
author: Тестовый коллектив
lang: ru
translation_of: leaflet
linebreaks: greedy
---

Каждая листовка[^1] заслуживает читателей: на бумаге, в телефоне и в письме.

## Что такое издания

Веб-страница обходится без чужих файлов, а текст переносится по словам.

- пункт списка
- ещё один пункт списка, достаточно длинный, чтобы перенестись на вторую строку текста

[^1]: Потому что листовку читают чаще, чем печатают.
"""

SQUARE = '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="40"><rect width="40" height="40"/></svg>'
OTHER = "---\ntitle: The other text\nauthor: Us\nlang: en\nlinebreaks: greedy\n---\n\nAnother text.\n"

EDITIONS = {"en": "leaflet/en/leaflet", "ru": "leaflet/ru/leaflet"}


def build(root: Path, *arguments: str) -> tuple[int, str]:
    """build.py in this process at the project `root`, with what it printed."""
    import contextlib
    import io

    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        code = main(["--project", str(root), *arguments])
    return code, out.getvalue()


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project with its own content only (samizdat's built-in layouts and fonts), built once."""
    root = tmp_path_factory.mktemp("reader")
    content = root / "content"
    content.mkdir()
    (content / "leaflet.md").write_text(ENGLISH, encoding="utf-8")
    (content / "leaflet-ru.md").write_text(RUSSIAN, encoding="utf-8")
    (content / "other.md").write_text(OTHER, encoding="utf-8")
    (content / "square.svg").write_text(SQUARE, encoding="utf-8")
    code, out = build(root)
    assert code == 0, out
    return root


def words(text: str) -> list[str]:
    """The words of a text, without punctuation, links' addresses or markup: what must be the same in order."""
    return re.findall(r"\w+", re.sub(r"https?://\S+", " ", text))


def source_words(markdown: str) -> tuple[list[str], list[str]]:
    """The words of a document's body and of its notes, as its author wrote them: each note's call is its
    number (in the order of first calls), a link is its words, a picture its description and caption."""
    body = markdown.split("\n---\n", 1)[1]
    notes = dict(re.findall(r"^\[\^(\w+)\]: (.*)$", body, re.MULTILINE))
    body = re.sub(r"^\[\^\w+\]: .*$", "", body, flags=re.MULTILINE)
    order = list(dict.fromkeys(re.findall(r"\[\^(\w+)\]", body)))
    body = re.sub(r"\[\^(\w+)\]", lambda match: f" {order.index(match.group(1)) + 1} ", body)
    body = re.sub(r"!\[([^\]]*)\]\(\S+ \"([^\"]*)\"\)", r"\1 \2", body)
    body = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", body)
    note_words = [word for number, label in enumerate(order, 1) for word in [str(number), *words(notes[label])]]
    return words(body), note_words


VOID = ("img", "br", "meta", "link", "hr")


class Page(HTMLParser):
    """The text of a page's <main> (its notes apart), its elements' attributes, and whether it has a script."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.main: list[str] = []
        self.notes: list[str] = []
        self.attributes: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.attributes.append((tag, dict(attrs)))
        if tag == "img" and "text" in self.stack:  # a picture's description is part of the text
            self.main.append(f" {dict(attrs).get('alt') or ''} ")
        if tag not in VOID:
            self.stack.append(dict(attrs).get("class") or tag)

    def handle_endtag(self, tag: str) -> None:
        if self.stack and tag not in VOID:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        if "endnotes" in self.stack:
            self.notes.append(data)
        elif "text" in self.stack and "anchor" not in self.stack:
            self.main.append(data)


def page_of(path: Path) -> Page:
    page = Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


@pytest.mark.parametrize("lang", ["en", "ru"])
@pytest.mark.parametrize("suffix", [".html", ".txt"])
def test_every_word_is_there_in_order(project: Path, lang: str, suffix: str):
    """The body's words in order, then the notes' (each after its number), as in the document."""
    body, notes = source_words(ENGLISH if lang == "en" else RUSSIAN)
    path = project / "output" / f"{EDITIONS[lang]}{suffix}"
    if suffix == ".html":
        page = page_of(path)
        shown, shown_notes = words(" ".join(page.main)), words(" ".join(page.notes))
        assert shown == body
        assert shown_notes[1:] == notes  # after the notes' heading
    else:
        text = words(path.read_text(encoding="utf-8"))
        start = next(i for i in range(len(text)) if text[i : i + len(body)] == body)  # the body, whole
        after = text[start + len(body) :]
        assert after[1 : 1 + len(notes)] == notes  # the notes' heading, then every note


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_the_page_stands_alone_and_its_notes_link_both_ways(project: Path, lang: str):
    path = project / "output" / f"{EDITIONS[lang]}.html"
    page, html = page_of(path), path.read_text(encoding="utf-8")
    assert "<script" not in html and "<link" not in html and "@import" not in html and "url(" not in html
    root = next(attributes for tag, attributes in page.attributes if tag == "html")
    assert (root["lang"], root["dir"]) == (lang, "ltr")
    ids = {attributes["id"] for _, attributes in page.attributes if attributes.get("id")}
    for tag, attributes in page.attributes:
        for name in ("src", "href", "srcset"):
            value = attributes.get(name) or ""
            if re.match(r"[a-z]+:|//", value) and not value.startswith("data:image/svg+xml;base64,"):
                assert tag == "a" and name == "href" and value.startswith("https://example.org/"), (tag, value)
    calls = [a for tag, a in page.attributes if tag == "a" and a.get("class") == "note-call"]
    backs = [a for tag, a in page.attributes if tag == "a" and a.get("class") == "note-number"]
    assert calls and len(backs) == len(calls)
    for call, back in zip(calls, backs, strict=True):
        assert call["href"].removeprefix("#") in ids and back["href"] == f"#{call['id']}"
    headings = [a["id"] for tag, a in page.attributes if tag in ("h2", "h3") and "id" in a]  # not the notes' own
    anchors = {a["href"] for tag, a in page.attributes if tag == "a" and a.get("class") == "anchor"}
    assert headings and anchors == {f"#{heading}" for heading in headings}


def test_the_page_has_the_picture_slogans_colophon_and_links_between_editions(project: Path):
    html = (project / "output" / "leaflet" / "en" / "leaflet.html").read_text(encoding="utf-8")
    assert html.count('src="data:image/svg+xml;base64,') == 1 and "The square, as" in html
    assert "<li>Pass it on!</li>" in html and 'href="https://example.org/pass-it-on"' in html
    assert 'href="../ru/leaflet.html"' in html and 'href="../../other/other.html"' in html
    assert '<time datetime="2026-12-01">' in html


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_plain_text_lines_fit_72_columns_and_notes_are_at_the_end(project: Path, lang: str):
    text = (project / "output" / f"{EDITIONS[lang]}.txt").read_text(encoding="utf-8")
    long = [line for line in text.splitlines() if columns(line) > WIDTH]
    assert all(len(line.strip(" >-").split(" ")) == 1 for line in long), long  # a lone long address only
    if lang == "en":
        assert len(long) == 1 and long[0].startswith("https://example.org/a/very/long/")
        assert "-----\n\n[1] Because" in text and "\n[2] It loads nothing" in text
        assert "What the editions are\n=====================\n" in text and "Numbers by town\n---------------\n" in text
        assert "our site <https://example.org/about>" in text and "\nSampleton    | 300    | 3" in text
        assert "\n- one list item that is long enough" in text and "\n> Quoted words" in text
    title = "Read It, Copy It, Pass It On" if lang == "en" else "Прочитай, скопируй, передай дальше"
    assert text.splitlines()[1] == title and set(text.splitlines()[0]) == set(text.splitlines()[2]) == {"="}


def test_the_download_page_manifest_and_checksums_list_them(project: Path):
    output = project / "output"
    files = {entry["path"]: entry for entry in json.loads((output / "manifest.json").read_text())["files"]}
    sums = (output / "SHA256SUMS").read_text()
    page = (output / "index.html").read_text(encoding="utf-8")
    for lang in ("en", "ru"):
        for suffix, purpose in ((".html", "Web page"), (".epub", "EPUB"), (".txt", "Plain text")):
            entry = files[f"{EDITIONS[lang]}{suffix}"]
            data = (output / entry["path"]).read_bytes()
            assert (entry["pages"], entry["paper"], entry["thumbnail"], entry["lang"]) == (0, "", "", lang)
            assert entry["sha256"] == hashlib.sha256(data).hexdigest() and entry["bytes"] == len(data)
            assert entry["purpose"].startswith(purpose) and entry["purpose"] in page
            assert f"{entry['sha256']}  {entry['path']}\n" in sums and f'href="{entry["path"]}"' in page
    assert "To read on a phone, an e-reader or a computer" in page
    with zipfile.ZipFile(output / "leaflet" / "en" / "leaflet.epub") as epub:
        assert epub.namelist()[0] == "mimetype"


def copy_of(project: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "project"
    shutil.copytree(project, copy, symlinks=True)
    return copy


def states(out: str) -> dict[str, str]:
    """The summary table's state of each output, by its path under output/."""
    found = {}
    for line in out.splitlines():
        match = re.match(r"^(\S+\.(?:pdf|html|epub|txt))\s.*?\s(built|up to date|failed|skipped)\b", line)
        if match:
            found[match.group(1)] = match.group(2)
    return found


def test_nothing_changed_makes_nothing_and_the_reading_css_remakes_only_what_uses_it(project: Path, tmp_path):
    """A second build makes nothing; a project's own reading.css remakes the page alone, and lays no pamphlet
    out (its files are up to date); removing it gives the same bytes as before."""
    root = copy_of(project, tmp_path)
    page = root / "output" / "leaflet" / "en" / "leaflet.html"
    before = page.read_bytes()
    code, out = build(root)
    assert code == 0 and "nothing to render" in out, out
    (root / "layouts" / "reading").mkdir(parents=True)
    (root / "layouts" / "reading" / "reading.css").write_text("body { max-width: 60ch; }\n")
    code, out = build(root)
    made = states(out)
    assert code == 0, out
    assert made["leaflet/en/leaflet.html"] == "built"
    assert {made[f"leaflet/en/leaflet{end}"] for end in ("-a5.pdf", ".epub", ".txt")} == {"up to date"}
    assert "max-width: 60ch" in page.read_text()
    shutil.rmtree(root / "layouts")
    assert build(root)[0] == 0 and page.read_bytes() == before


def test_changing_the_text_remakes_its_editions(project: Path, tmp_path):
    root = copy_of(project, tmp_path)
    source = root / "content" / "leaflet-ru.md"
    source.write_text(RUSSIAN.replace("на бумаге", "на стене"), encoding="utf-8")
    code, out = build(root)
    made = states(out)
    assert code == 0, out
    assert {made[f"leaflet/ru/leaflet{suffix}"] for suffix in (".html", ".epub", ".txt")} == {"built"}
    assert made["leaflet/en/leaflet.html"] == "up to date"
    assert "стене" in (root / "output" / "leaflet" / "ru" / "leaflet.txt").read_text(encoding="utf-8")


def test_a_broken_reading_template_fails_the_page_alone_and_keeps_its_last_good_one(project: Path, tmp_path):
    root = copy_of(project, tmp_path)
    page = root / "output" / "leaflet" / "en" / "leaflet.html"
    before = page.read_bytes()
    (root / "layouts" / "reading").mkdir(parents=True)
    (root / "layouts" / "reading" / "reading.html").write_text("<p>{{ document.title }</p>\n")
    code, out = build(root)
    made = states(out)
    assert code == 1
    assert made["leaflet/en/leaflet.html"] == "failed" and made["leaflet/en/leaflet.txt"] == "up to date"
    assert "reading.html" in out and "template error" in out and "Traceback" not in out
    assert page.read_bytes() == before


#: (a file to check: its name and bytes; what `check` says; its exit status)
CHECKS = [
    ("ok.txt", b"short lines\n", "checked only as plain text", 0),
    ("long.txt", ("word " * 20 + "\n").encode(), "1 line(s) over 72 columns (line 1)", 0),
    ("latin1.txt", "caf\xe9\n".encode("latin-1"), "is not UTF-8 text (byte 3)", 1),
    ("ok.html", b'<!doctype html><html lang="en"><p>Hi</p></html>', "checked only as a self-contained web page", 0),
    ("script.html", b'<html lang="en"><script>alert(1)</script></html>', "the page runs scripts", 1),
    ("remote.html", b'<html lang="en"><img src="https://x.example/a.png"></html>', "fetches from elsewhere", 1),
    ("nolang.html", b"<html><p>Hi</p></html>", "does not say its language", 0),
    ("broken.epub", b"PK\x03\x04 not really a zip", "cannot read broken.epub as an EPUB", 1),
]


@pytest.mark.parametrize(("name", "data", "said", "code"), CHECKS, ids=[case[0] for case in CHECKS])
def test_check_knows_reader_editions_and_checks_them_lightly(tmp_path, cli, name, data, said, code):
    path = tmp_path / name
    path.write_bytes(data)
    run = cli("check", str(path))
    assert said in run.out and "Traceback" not in run.out + run.err
    assert run.code == code, run.out


def test_check_passes_the_built_epub(project: Path, cli):
    run = cli("check", str(project / "output" / "leaflet" / "ru" / "leaflet.epub"))
    assert run.code == 0 and "checked only as an EPUB" in run.out
