"""The EPUB (samizdat/epub.py): epubcheck finds no error and no warning in the statement's, a test document's
(notes, a table, headings, a list, code, a picture), a Russian and an Arabic text's; and what a reader relies on
is there: the words in order, the navigation, the notes linked both ways, language and direction, subset fonts,
the accessibility metadata, the same bytes for the same inputs."""

from __future__ import annotations

import base64
import io
import re
import shutil
import subprocess
import zipfile
from dataclasses import replace
from pathlib import Path

import lxml.html
import pytest
from conftest import DATA, REPO
from fontTools.ttLib import TTFont
from lxml import etree
from PIL import Image

from samizdat.config import Config, load_config
from samizdat.content import load_document
from samizdat.epub import epub_bytes
from samizdat.errors import SamizdatError
from samizdat.project import Project

EPUBCHECK = Path("/usr/share/java/epubcheck.jar")  # Debian's epubcheck; /usr/bin/epubcheck needs binfmt_misc
NS = {"h": "http://www.w3.org/1999/xhtml", "epub": "http://www.idpf.org/2007/ops", "opf": "http://www.idpf.org/2007/opf",
      "dc": "http://purl.org/dc/elements/1.1/", "ncx": "http://www.daisy.org/z3986/2005/ncx/"}  # fmt: skip
EPUB_TYPE = "{http://www.idpf.org/2007/ops}type"

#: A Russian text with notes (one called twice, one of two paragraphs, one in a list), a table, headings on two
#: levels, a list, a quote, code, a picture, a link to another document of content/ and one to a place the text
#: does not have (their words stay, unlinked), and (written by the fixture) a picture given as a data: address.
NOTES = """\
---
title: Примечания и таблицы
author: Тестовый коллектив
lang: ru
---

Альфа открывает текст *утверждением*.[^source] Смотрите также [другой текст](other.md) и [туда](#nowhere).

## Первая часть

| Город | Участники |
|-------|-----------|
| Пример | 12 400 |

> Бета в цитате, ещё раз.[^source]

### Часть поменьше

- Гамма в списке.[^list]
- Дельта, сказанная **твёрдо**.

```
code line one
  code line two
```

![Красное знамя](banner.png "Эпсилон под картинкой")

## Вторая часть

Омега[^three] завершает текст.[^two]

[^source]: Источник: подсчёт 2026 года.
[^list]: Примечание к списку.
[^three]: Третье примечание, перед четвёртым.
[^two]: Первый абзац примечания.

    Второй абзац примечания.
"""

OTHER = "---\ntitle: Другой текст\nauthor: Тестовый коллектив\nlang: ru\n---\n\nДругой текст.\n"


@pytest.fixture(scope="module")
def books(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, bytes]]:
    """Each case's document and EPUB, made once (a cover render each, about a second): the statement, the
    Russian test document, an Arabic text with its note at the end (`notes: end`)."""
    content = tmp_path_factory.mktemp("epub") / "content"
    content.mkdir()
    dot = io.BytesIO()
    Image.new("RGB", (2, 2), "red").save(dot, format="PNG")
    inline = f"\n![Точка](data:image/png;base64,{base64.b64encode(dot.getvalue()).decode()})\n"
    (content / "notes.md").write_text(NOTES + inline, encoding="utf-8")
    (content / "other.md").write_text(OTHER, encoding="utf-8")
    shutil.copy(DATA / "constructs-picture.png", content / "banner.png")
    arabic = (DATA / "rtl" / "ar.md").read_text(encoding="utf-8").replace("lang: ar\n", "lang: ar\nnotes: end\n")
    (content / "ar.md").write_text(arabic + "\nفقرة مع ملاحظة.[^a]\n\n[^a]: ملاحظة في آخر النص.\n", encoding="utf-8")
    project, config = Project.at(REPO, content), load_config(REPO)
    sources = {"statement": REPO / "content" / "stop-the-war.md", "notes": content / "notes.md",
               "ar": content / "ar.md"}  # fmt: skip
    made = {}
    for case, source in sources.items():
        made[case] = (source, epub_bytes(load_document(source), project if case != "statement" else
                                         Project.at(REPO), config, None))  # fmt: skip
    return made


CASES = ["statement", "notes", "ar"]


def member(book: bytes, name: str) -> bytes:
    return zipfile.ZipFile(io.BytesIO(book)).read(name)


def page(book: bytes, name: str) -> etree._Element:
    return etree.fromstring(member(book, f"OEBPS/pages/{name}"))


def words(text: str) -> list[str]:
    return re.findall(r"\w+", text)


@pytest.mark.skipif(not EPUBCHECK.exists() or not shutil.which("java"),
                    reason="epubcheck is not installed (apt-get install epubcheck; .ci/run installs it)")  # fmt: skip
@pytest.mark.parametrize("case", CASES)
def test_epubcheck_finds_no_error_and_no_warning(books, case, tmp_path):
    path = tmp_path / f"{case}.epub"
    path.write_bytes(books[case][1])
    # the JVM's quick compiler alone: a run of a few seconds never profits from the optimising one (half the CPU)
    java = ["java", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-jar", str(EPUBCHECK)]
    run = subprocess.run([*java, "--failonwarnings", str(path)], capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "No errors or warnings detected" in run.stdout + run.stderr


def test_same_inputs_same_bytes_and_the_mimetype_first_stored(books):
    source, book = books["notes"]
    again = epub_bytes(load_document(source), Project.at(REPO, source.parent), load_config(REPO), None)
    assert again == book
    first = zipfile.ZipFile(io.BytesIO(book)).infolist()[0]
    assert (first.filename, first.compress_type, first.extra) == ("mimetype", zipfile.ZIP_STORED, b"")
    assert book[30:58] == b"mimetypeapplication/epub+zip"  # right after the first local header, uncompressed
    assert {info.date_time for info in zipfile.ZipFile(io.BytesIO(book)).infolist()} == {(1980, 1, 1, 0, 0, 0)}


@pytest.mark.parametrize("case", CASES)
def test_every_word_of_the_text_in_order_and_each_note_in_its_aside(books, case):
    source, book = books[case]
    original = lxml.html.fragment_fromstring(str(load_document(source).body_html), create_parent="div")
    for number in original.find_class("note-number"):  # "1" set against the note's first word in the HTML
        number.text = " "
    notes = [words(note.text_content()) for note in original.find_class("footnote")]
    for note in original.find_class("footnote"):
        note.drop_tree()
    body = page(book, "text.xhtml").find("h:body", NS)
    asides = body.findall(".//h:aside[@epub:type='footnote']", NS)  # endnotes are at the end of the text as ever
    for number in body.iterfind(".//h:a[@class='note-number']", NS):
        number.text = " "
    assert [words("".join(aside.itertext())) for aside in asides] == notes
    for aside in asides:
        aside.getparent().remove(aside)
    body.remove(body.find("h:header", NS))
    for footer in body.findall("h:footer", NS):
        body.remove(footer)
    assert words("".join(body.itertext())) == words(original.text_content())


def test_the_navigation_lists_the_headings_in_order_nested_as_they_are(books):
    book = books["notes"][1]
    toc = page(book, "nav.xhtml").find(".//h:nav[@epub:type='toc']", NS)
    outline = [(len(link.xpath("ancestor::h:ol", namespaces=NS)), link.text, link.get("href"))
               for link in toc.iterfind(".//h:a", NS)]  # fmt: skip
    outline = [(depth, " ".join(text.split()), href) for depth, text, href in outline]  # no-break spaces as spaces
    assert [(depth, text) for depth, text, _ in outline] == [
        (1, "Примечания и таблицы"), (1, "Первая часть"), (2, "Часть поменьше"), (1, "Вторая часть")]
    text = page(book, "text.xhtml")
    targets = [text.find(f".//*[@id='{href.removeprefix('text.xhtml#')}']") for *_, href in outline]
    assert [" ".join("".join(target.itertext()).split()) for target in targets] == [entry for _, entry, _ in outline]
    ncx = etree.fromstring(member(book, "OEBPS/toc.ncx"))
    assert [" ".join(label.text.split()) for label in ncx.iterfind(".//ncx:text", NS)][1:] == [
        entry for _, entry, _ in outline]
    statement = page(books["statement"][1], "nav.xhtml").find(".//h:nav[@epub:type='toc']", NS)
    assert [link.text for link in statement.iterfind(".//h:a", NS)][1:] == [
        section.text for section in load_document(books["statement"][0]).sections]


@pytest.mark.parametrize(("case", "calls", "kind"), [("notes", ["1", "1", "2", "3", "4"], "footnote"),
                                                     ("ar", ["1"], "endnote")])  # fmt: skip
def test_notes_are_epub_notes_linked_both_ways(books, case, calls, kind):
    text = page(books[case][1], "text.xhtml")
    called = text.findall(".//h:a[@epub:type='noteref']", NS)
    assert [call.text for call in called] == calls  # a note called twice keeps its number
    ids = {element.get("id"): element for element in text.iter() if element.get("id")}
    for call in called:
        note = ids[call.get("href").removeprefix("#")]
        assert (note.tag, note.get(EPUB_TYPE)) == (f"{{{NS['h']}}}aside", kind)
        back = note.find(".//h:a[@role='doc-backlink']", NS)
        assert ids[back.get("href").removeprefix("#")].get(EPUB_TYPE) == "noteref"
    asides = text.findall(f".//h:aside[@epub:type='{kind}']", NS)
    assert len(asides) == int(calls[-1])
    if kind == "endnote":  # all at the end, in the notes' section
        assert {aside.getparent().get(EPUB_TYPE) for aside in asides} == {"endnotes"}
        return
    last = asides[-2:]  # two notes called in one paragraph: after it, in the order of their calls
    assert [aside.get("id") for aside in last] == ["note-3", "note-4"]
    assert last[0].getprevious().tag == f"{{{NS['h']}}}p"
    assert [words("".join(p.itertext()))[:2] for p in ids["note-4"].findall("h:p", NS)] == [
        ["4", "Первый"], ["Второй", "абзац"]]


def test_tables_lists_quotes_code_and_pictures_come_through(books):
    book = books["notes"][1]
    text = page(book, "text.xhtml")
    assert text.find(".//h:table/h:thead/h:tr/h:th", NS).text == "Город"
    assert text.find(".//h:blockquote/h:p", NS) is not None and len(text.findall(".//h:ul/h:li", NS)) == 2
    assert text.find(".//h:pre/h:code", NS).text == "code line one\n  code line two"
    picture, dot = text.findall(".//h:img", NS)
    assert picture.get("alt") == "Красное знамя" and picture.getparent().tag == f"{{{NS['h']}}}figure"
    shipped = member(book, "OEBPS/" + picture.get("src").removeprefix("../"))
    assert shipped == (DATA / "constructs-picture.png").read_bytes()
    assert Image.open(io.BytesIO(member(book, "OEBPS/" + dot.get("src").removeprefix("../")))).size == (2, 2)
    words_of = "".join(text.itertext())
    assert text.find(".//h:a[@href='other.md']", NS) is None and "другой текст" in words_of
    assert text.find(".//h:a[@href='#nowhere']", NS) is None and "туда" in words_of


@pytest.mark.parametrize(("case", "lang", "direction"), [("statement", "en", "ltr"), ("notes", "ru", "ltr"),
                                                         ("ar", "ar", "rtl")])  # fmt: skip
def test_language_and_direction(books, case, lang, direction):
    book = books[case][1]
    for name in ("cover.xhtml", "text.xhtml", "nav.xhtml"):
        root = page(book, name)
        assert (root.get("lang"), root.get("{http://www.w3.org/XML/1998/namespace}lang"), root.get("dir")) == (
            lang, lang, direction)
    package = etree.fromstring(member(book, "OEBPS/content.opf"))
    assert package.find(".//dc:language", NS).text == lang
    spine = package.find("opf:spine", NS)
    assert spine.get("page-progression-direction") == ("rtl" if direction == "rtl" else None)


@pytest.mark.parametrize("case", ["notes", "ar"])
def test_fonts_are_subsets_of_the_shipped_ones_listed_in_the_manifest(books, case):
    book = books[case][1]
    package = etree.fromstring(member(book, "OEBPS/content.opf"))
    fonts = {item.get("href"): item.get("media-type") for item in package.iterfind(".//opf:item", NS)
             if item.get("href").startswith("fonts/")}  # fmt: skip
    expected = {"notes": {"CharisSIL-Regular", "CharisSIL-Italic", "CharisSIL-Bold", "NotoSans-Bold",
                          "NotoSansMono-Regular"},
                "ar": {"NotoNaskhArabic-Regular", "NotoSansArabic-Bold"}}  # fmt: skip
    assert expected[case] <= {Path(href).stem for href in fonts} and set(fonts.values()) == {"font/ttf"}
    css = member(book, "OEBPS/css/fonts.css").decode()
    for href in fonts:
        shipped = next((REPO / "fonts").rglob(Path(href).name))
        subset = TTFont(io.BytesIO(member(book, f"OEBPS/{href}")))
        assert len(subset.getGlyphOrder()) < len(TTFont(shipped).getGlyphOrder()) / 4
        assert f"url(../{href})" in css


def test_fonts_left_to_the_reader_embed_none(books):
    source = books["notes"][0]
    config = replace(Config(), epub_fonts="reader")
    book = epub_bytes(load_document(source), Project.at(REPO, source.parent), config, "2026-05-01T12:00:00Z")
    names = zipfile.ZipFile(io.BytesIO(book)).namelist()
    assert not [name for name in names if name.startswith("OEBPS/fonts/") or name.endswith("fonts.css")]
    package = member(book, "OEBPS/content.opf").decode()
    assert "fonts/" not in package and '<meta property="dcterms:modified">2026-05-01T12:00:00Z</meta>' in package


def test_the_metadata_says_what_the_book_is_and_how_it_can_be_read(books):
    package = etree.fromstring(member(books["statement"][1], "OEBPS/content.opf"))
    meta = {}
    for element in package.iterfind(".//opf:meta[@property]", NS):
        meta.setdefault(element.get("property"), []).append(element.text)
    assert meta["schema:accessMode"] == ["textual", "visual"] and meta["schema:accessModeSufficient"] == ["textual"]
    assert {"structuralNavigation", "tableOfContents", "readingOrder", "alternativeText"} <= set(
        meta["schema:accessibilityFeature"])
    assert meta["schema:accessibilityHazard"] == ["none"] and meta["schema:accessibilitySummary"][0]
    assert meta["dcterms:modified"] == ["1970-01-01T00:00:00Z"]
    identifier = package.find(".//dc:identifier", NS)
    assert package.get("unique-identifier") == identifier.get("id") and identifier.text.startswith("urn:uuid:")
    assert package.find(".//dc:title", NS).text.startswith("Russia:")
    assert package.find(".//dc:creator", NS).text == "Russian Socialist Movement"
    cover = package.find(".//opf:item[@properties='cover-image']", NS)
    png = member(books["statement"][1], "OEBPS/" + cover.get("href"))
    assert cover.get("media-type") == "image/png" and png.startswith(b"\x89PNG")
    assert page(books["statement"][1], "cover.xhtml").find(".//h:img", NS).get("alt").endswith(
        "“Death to the Dictatorship”")


@pytest.mark.parametrize(
    ("config", "message"),
    [
        ("epub:\n  fonts: embeded\n", "samizdat.yaml:2"),
        ("epub:\n  font: reader\n", "samizdat.yaml:2"),
    ],
)
def test_a_wrong_epub_option_names_its_line(tmp_path, config, message):
    (tmp_path / "samizdat.yaml").write_text(config)
    with pytest.raises(SamizdatError) as raised:
        load_config(tmp_path)
    assert message in str(raised.value) and ("embedded" in str(raised.value) or "fonts" in str(raised.value))


@pytest.mark.parametrize(
    ("body", "message", "line"),
    [
        ("![a photo](nowhere.png)\n", "the picture 'nowhere.png' is missing", 7),
        ("Text \uffff here.\n", "U+FFFF", 7),
    ],
)
def test_what_a_book_cannot_carry_is_an_error_with_its_line(tmp_path, body, message, line):
    source = tmp_path / "bad.md"
    source.write_text(f"---\ntitle: Bad\nauthor: The Test Collective\nlang: en\n---\n\n{body}", encoding="utf-8")
    with pytest.raises(SamizdatError) as raised:
        epub_bytes(load_document(source), Project.at(REPO, tmp_path), Config(), None)
    assert message in raised.value.message and (raised.value.path, raised.value.line) == (source, line)


@pytest.mark.parametrize(
    "picture",
    ["photo.bmp", "disguised.png", "drawing.svg", "data:image/png;base64,iVBORw0KGgo="],
    ids=["a BMP", "an SVG named .png", "an SVG", "a damaged data: PNG"],
)
def test_a_picture_the_book_cannot_carry_is_left_out_its_words_in_its_place(tmp_path, picture):
    (tmp_path / "photo.bmp").write_bytes(b"BM")
    for name in ("disguised.png", "drawing.svg"):
        (tmp_path / name).write_bytes(b"<svg xmlns='http://www.w3.org/2000/svg' width='9' height='9'/>")
    source = tmp_path / "odd.md"
    source.write_text(f"---\ntitle: Odd\nauthor: The Test Collective\nlang: en\n---\n\nSee ![a photo of the march]"
                      f"({picture}) here.\n", encoding="utf-8")  # fmt: skip
    book = epub_bytes(load_document(source), Project.at(REPO, tmp_path), Config(), None)
    names = zipfile.ZipFile(io.BytesIO(book)).namelist()
    assert not [name for name in names if "/images/" in name and "cover" not in name]
    texts = [" ".join(etree.fromstring(member(book, name)).itertext()) for name in names if name.endswith(".xhtml")]
    assert any("See a photo of the march here." in " ".join(text.split()) for text in texts)


def test_a_damaged_font_of_the_project_is_an_error_naming_it(tmp_path):
    (tmp_path / "content").mkdir()
    shutil.copy(REPO / "content" / "stop-the-war.md", tmp_path / "content")
    damaged = tmp_path / "fonts" / "charis-sil" / "CharisSIL-Regular.ttf"
    damaged.parent.mkdir(parents=True)
    damaged.write_bytes((REPO / "fonts" / "charis-sil" / "CharisSIL-Regular.ttf").read_bytes()[:5000])
    with pytest.raises(SamizdatError) as raised:
        epub_bytes(load_document(tmp_path / "content" / "stop-the-war.md"), Project.at(tmp_path), Config(), None)
    assert raised.value.path == damaged and "replace it with a good copy" in raised.value.message


@pytest.mark.parametrize(
    ("css", "line"),
    [
        ("body { color: black; }\n/* url(x) in a comment is fine */\n@import url(https://example.org/x.css);\n", 3),
        ("p {\n  background: u\\72l(https://example.org/pixel.png);\n}\n", 2),
    ],
)
def test_a_project_stylesheet_that_would_load_anything_is_refused(tmp_path, css, line):
    (tmp_path / "content").mkdir()
    shutil.copy(REPO / "content" / "stop-the-war.md", tmp_path / "content")
    own = tmp_path / "layouts" / "epub" / "epub.css"
    own.parent.mkdir(parents=True)
    own.write_text(css)
    with pytest.raises(SamizdatError) as raised:
        epub_bytes(load_document(tmp_path / "content" / "stop-the-war.md"), Project.at(tmp_path), Config(), None)
    assert (raised.value.path, raised.value.line) == (own, line) and "may not use url()" in raised.value.message


def test_a_damaged_font_is_a_message_when_the_epub_cuts_it(tmp_path: Path):
    """HarfBuzz raises on a damaged shaping table, and copies a damaged glyf table as it is: either is the font's
    error, with its name, never a traceback nor a broken font in the book."""
    import struct

    from samizdat.epub_fonts import _subset
    from samizdat.errors import RenderError

    data = bytearray((REPO / "fonts/charis-sil/CharisSIL-Bold.ttf").read_bytes())
    tables = {}
    for index in range(struct.unpack(">H", data[4:6])[0]):
        tag, _, offset, length = struct.unpack(">4sIII", data[12 + 16 * index : 28 + 16 * index])
        tables[tag.decode()] = (offset, length)
    for tag in ("GSUB", "glyf", "cmap"):
        damaged = bytearray(data)
        offset, length = tables[tag]
        damaged[offset : offset + length] = bytes((index * 151 + 7) % 256 for index in range(length))
        path = tmp_path / f"bad-{tag}.ttf"
        path.write_bytes(damaged)
        with pytest.raises(RenderError, match="this font cannot be subset"):
            _subset(path, set("Hello"))
