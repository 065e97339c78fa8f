"""Translations linked (issue 15): the editions of one text in their language folders, the download page's
switcher, the manifest's lang and text, the back cover's other languages, the out-of-date flag."""

from __future__ import annotations

import hashlib
import json
import shutil
import textwrap
from pathlib import Path
from urllib.parse import unquote

import pypdf
import pytest
import tinyhtml5
from conftest import REPO

from samizdat.cli import main
from samizdat.editions import LANGUAGE_NAMES

SLUG = "read-and-pass-on"
#: The example's editions built here: Arabic too once samizdat sets right-to-left text (the "rtl" part).
LANGS = ["en", "ru", "uk", "ar"]
OTHER_LANGUAGES = {"en": "Other languages", "ru": "Другие языки", "uk": "Інші мови", "ar": "لغات أخرى"}
XHTML = "{http://www.w3.org/1999/xhtml}"


def last_page_text(path: Path) -> str:
    return pypdf.PdfReader(path).pages[-1].extract_text()


def page_tree(output: Path):
    return tinyhtml5.parse((output / "index.html").read_text(encoding="utf-8"))


def by_class(tree, tag: str, name: str) -> list:
    return [e for e in tree.iter(XHTML + tag) if name in (e.get("class") or "").split()]


# The example, built once (conftest.translations_output).


@pytest.mark.parametrize("lang", LANGS)
def test_each_edition_builds_into_its_language_folder(translations_output: Path, lang: str):
    folder = translations_output / SLUG / lang
    for name in [f"{SLUG}-a5.pdf", f"{SLUG}-a5-print.pdf", f"{SLUG}-booklet-a4.pdf"]:
        reader = pypdf.PdfReader(folder / name)
        assert reader.trailer["/Root"]["/Lang"] == lang, name  # the edition's own language, in every file
    assert len(list((folder / "posters").glob("*-a3.pdf"))) == 1  # its slogan's poster, in its folder
    assert not list((translations_output / SLUG).glob("*.pdf")), "no edition is left at output/SLUG/"
    assert sorted(path.name for path in (translations_output / SLUG).iterdir()) == sorted(LANGS)


def test_the_manifest_gives_every_file_its_lang_and_text(translations_output: Path):
    files = json.loads((translations_output / "manifest.json").read_text())["files"]
    assert {entry["lang"] for entry in files} == set(LANGS)
    for entry in files:
        assert entry["path"].split("/")[:2] == [SLUG, entry["lang"]], entry["path"]
        assert entry["text"] == entry["document"] == SLUG
    a5s = {entry["lang"]: entry["path"] for entry in files if entry["output"] == f"{SLUG}-a5.pdf"}
    assert a5s == {lang: f"{SLUG}/{lang}/{SLUG}-a5.pdf" for lang in LANGS}


def test_the_page_has_one_entry_per_text_and_a_switcher_whose_links_resolve(translations_output: Path):
    tree = page_tree(translations_output)
    assert len(by_class(tree, "article", "text")) == 1, "one entry for the text, however many editions"
    [switcher] = by_class(tree, "nav", "languages")
    links = list(switcher.iter(XHTML + "a"))
    assert [link.text for link in links] == [LANGUAGE_NAMES[lang] for lang in LANGS[:1] + sorted(LANGS[1:])]
    sections = {section.get("aria-labelledby"): section for section in by_class(tree, "section", "document")}
    for link in links:
        lang, anchor = link.get("hreflang"), link.get("href").removeprefix("#")
        assert link.get("lang") == lang and anchor in sections, link.get("href")  # the anchor is on the page
        section = sections[anchor]
        assert section.get("lang") == lang
        downloads = [a.get("href") for a in section.iter(XHTML + "a") if a.get("download") is not None]
        assert downloads and all(href.startswith(f"{SLUG}/{lang}/") for href in downloads)
        for href in downloads:
            assert (translations_output / unquote(href)).is_file(), href  # the edition's files exist
        shown = {span.text for span in by_class(section, "span", "file-lang")}
        assert shown == {LANGUAGE_NAMES[lang]}, "each file says its language"


@pytest.mark.parametrize("lang", LANGS)
def test_the_back_cover_lists_the_other_languages(translations_output: Path, lang: str):
    text = " ".join(last_page_text(translations_output / SLUG / lang / f"{SLUG}-a5.pdf").split())
    others = [LANGUAGE_NAMES[other] for other in LANGS if other != lang]
    assert f"{OTHER_LANGUAGES[lang]}:" in text
    assert all(name in text for name in others), (others, text)
    assert LANGUAGE_NAMES[lang] not in text.split(f"{OTHER_LANGUAGES[lang]}:")[1], "its own language is not other"


def test_a_text_in_one_language_keeps_its_folder_and_no_language_line(statement_output: Path):
    assert (statement_output / "stop-the-war-a5.pdf").is_file()  # output/stop-the-war/…, as before issue 15
    assert "Other languages" not in last_page_text(statement_output / "stop-the-war-a5.pdf")


# Small throwaway projects: a translation's mistakes, local editions, the out-of-date flag.

ORIGINAL = """\
---
title: A test text
author: The Test Collective
lang: en
---

The words of the original.
"""


def translation(lang: str, of: str = "text", words: str = "Слова перевода.") -> str:
    front = f"title: Тестовый текст\nauthor: Тестовый коллектив\nlang: {lang}\ntranslation_of: {of}\n"
    return f"---\n{front}---\n\n{words}\n"


def project(tmp_path: Path, documents: dict[str, str]) -> tuple[Path, Path]:
    content = tmp_path / "content"
    content.mkdir(parents=True, exist_ok=True)
    for name, text in documents.items():
        (content / f"{name}.md").write_text(textwrap.dedent(text), encoding="utf-8")
    return content, tmp_path / "output"


#: The original and its Russian edition: the project several tests start from, built once (conftest.built_workspaces).
TWO_EDITIONS = {"text.md": ORIGINAL, "text-ru.md": translation("ru")}


def built_two_editions(tmp_path: Path, capsys: pytest.CaptureFixture, built_workspaces) -> tuple[Path, Path]:
    """TWO_EDITIONS with their good build made (once, and copied here): its content and output folders."""
    workspace = built_workspaces.workspace(tmp_path, capsys, TWO_EDITIONS)
    return workspace.content, workspace.output


def build(content: Path, output: Path, capsys: pytest.CaptureFixture, *more: str) -> tuple[int, str]:
    capsys.readouterr()
    code = main(["--project", str(REPO), "--content", str(content), "--output", str(output), *more])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def digests(output: Path) -> dict[str, str]:
    return {path.relative_to(output).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(output.rglob("*.pdf"))}  # fmt: skip


@pytest.mark.parametrize(
    ("documents", "broken", "message"),
    [
        ({"text-ru": translation("ru", of="txet")}, "text-ru.md:5",
         "translation_of: txet, but there is no document txet.md beside this one to translate: did you mean text?"),
        ({"text-ru": translation("ru", of="text-ru")}, "text-ru.md:5", "translation_of names this document itself"),
        ({"text-ru": translation("ru"), "text-uk": translation("uk", of="text-ru")}, "text-uk.md:5",
         "names a document that is itself a translation (of text): name the original, translation_of: text"),
        ({"text-ru": translation("ru"), "text-ru2": translation("ru")}, "text-ru2.md:5",
         "text-ru.md is the ru edition of 'text' already: each language has one edition (output/text/ru/)"),
        ({"text-en": translation("en")}, "text-en.md:5", "text.md is the en edition of 'text' already"),
        ({"text-ru": translation("ru", of="Text!")}, "text-ru.md:5", "translation_of"),
    ],
    ids=["no-such-original", "itself", "a-translation-of-a-translation", "two-in-one-language",
         "in-the-original's-language", "not-a-slug"],
)  # fmt: skip
def test_a_translation_that_cannot_be_linked_fails_alone(tmp_path, capsys, documents, broken, message):
    content, output = project(tmp_path, {"text": ORIGINAL, **documents})
    code, first = build(content, output, capsys)
    before = digests(output)
    assert before, first  # the rest built
    (content / "text.md").write_text(ORIGINAL.replace("The words", "New words"), encoding="utf-8")
    code, printed = build(content, output, capsys)
    assert code == 1 and broken in printed and message in " ".join(printed.split()), printed
    assert "Traceback" not in printed
    assert digests(output).keys() == before.keys()  # the original rebuilt; nothing of the broken one appeared


def test_a_translation_has_its_local_editions_and_posters_in_its_folder(tmp_path, capsys):
    groups = "town,meeting\nSampleton,Saturdays at 11 am in Sample Park\n"
    ru = translation("ru").replace("translation_of: text\n", "translation_of: text\nslogans:\n  - Нет войне!\n"
                                   "local:\n  data: groups.csv\n  outputs: [a5, posters]\n")  # fmt: skip
    content, output = project(tmp_path, {"text": ORIGINAL, "text-ru": ru})
    (content / "groups.csv").write_text(groups, encoding="utf-8")
    code, printed = build(content, output, capsys)
    assert code == 0, printed
    local = output / "text" / "ru" / "local" / "sampleton"
    assert (local / "text-a5.pdf").is_file() and list((local / "posters").glob("*-a3.pdf"))
    assert list((output / "text" / "ru" / "posters").glob("нет-войне-a3*.pdf"))
    assert "Other languages: English" in " ".join(last_page_text(local / "text-a5.pdf").split()) or \
        "Другие языки: English" in " ".join(last_page_text(local / "text-a5.pdf").split())
    files = json.loads((output / "manifest.json").read_text())["files"]
    assert {entry["lang"] for entry in files if "/local/" in entry["path"]} == {"ru"}
    assert all(entry["thumbnail"] == "" for entry in files if "/local/" in entry["path"])


def test_building_one_edition_gives_the_bytes_of_a_whole_build(tmp_path, capsys):
    content, output = project(tmp_path, {"text": ORIGINAL, "text-ru": translation("ru")})
    assert build(content, output, capsys)[0] == 0
    whole = digests(output)
    shutil.rmtree(output / "text" / "ru")
    code, printed = build(content, output, capsys, "text-ru")
    assert code == 0 and digests(output) == whole, printed  # its back cover still names English


OUT_OF_DATE = "text-ru.md: possibly out of date: its original text.md has changed since this translation"


@pytest.mark.parametrize(
    ("change", "flagged"),
    [
        (lambda text: text.replace("The words", "Other words"), True),  # the original's words changed
        (lambda text: text.replace("title: A test text", "title: A new title"), True),
        (lambda text: text.replace("lang: en\n", "lang: en\nurl: https://example.org/text\n"), False),  # a setting
        (lambda text: text, False),  # nothing
    ],
    ids=["body", "title", "url-only", "unchanged"],
)
def test_a_translation_whose_original_changed_is_flagged_until_it_is_edited(
    tmp_path, capsys, built_workspaces, change, flagged
):
    content, output = built_two_editions(tmp_path, capsys, built_workspaces)
    assert "possibly out of date" not in built_workspaces.printed(TWO_EDITIONS)
    (content / "text.md").write_text(change(ORIGINAL), encoding="utf-8")
    code, printed = build(content, output, capsys)
    assert code == 0 and (OUT_OF_DATE in " ".join(printed.split())) == flagged, printed
    code, again = build(content, output, capsys)  # nothing changed: the quick answer says it again
    assert (OUT_OF_DATE in " ".join(again.split())) == flagged, again
    if flagged:
        (content / "text-ru.md").write_text(translation("ru", words="Новые слова перевода."), encoding="utf-8")
        code, printed = build(content, output, capsys)
        assert code == 0 and "possibly out of date" not in printed, printed


def test_adding_a_translation_the_night_before_moves_the_original_into_its_language_folder(tmp_path, capsys):
    content, output = project(tmp_path, {"text": ORIGINAL})
    assert build(content, output, capsys)[0] == 0
    assert (output / "text" / "text-a5.pdf").is_file()
    (content / "text-ru.md").write_text(translation("ru"), encoding="utf-8")  # the original's file is untouched
    code, printed = build(content, output, capsys, "text-ru")  # as `serve` does when one file is saved
    assert code == 0, printed
    assert "Other languages: Русский" in " ".join(last_page_text(output / "text" / "en" / "text-a5.pdf").split())
    code, printed = build(content, output, capsys)  # a whole build removes what no build makes any more
    assert code == 0, printed
    assert sorted(path.relative_to(output).as_posix() for path in output.rglob("*.pdf")) == sorted(
        f"text/{lang}/text-{kind}.pdf" for lang in ("en", "ru")
        for kind in ("a5", "a5-print", "booklet-a4", "booklet-a4-fronts", "booklet-a4-backs", "printer-test-a4")
    )  # fmt: skip  # the files at output/text/ are gone, from the page and the checksums too
    listed = [entry["path"] for entry in json.loads((output / "manifest.json").read_text())["files"]]
    assert all(path.startswith(("text/en/", "text/ru/")) for path in listed)
    assert "text/text-a5.pdf" not in (output / "SHA256SUMS").read_text()


def test_a_translation_with_a_mistake_leaves_its_original_where_it_is(tmp_path, capsys, built_workspaces):
    content, output = built_two_editions(tmp_path, capsys, built_workspaces)
    before = digests(output)
    (content / "text-ru.md").write_text(translation("ru").replace("title:", "titel:"), encoding="utf-8")
    code, printed = build(content, output, capsys)
    assert code == 1 and "text-ru.md:2" in printed and "Traceback" not in printed, printed
    assert digests(output) == before  # the original stays in text/en/, the last good Russian files stay too
    assert "text/ru/text-a5.pdf" in (output / "manifest.json").read_text()


def test_a_link_out_of_the_project_declares_no_edition(tmp_path, capsys):
    outside = tmp_path / "elsewhere.md"
    outside.write_text(translation("de"), encoding="utf-8")
    content, output = project(tmp_path / "project", {"text": ORIGINAL})
    (content / "text-de.md").symlink_to(outside)
    code, printed = build(content, output, capsys)
    assert code == 1 and "text-de.md" in printed, printed  # refused, naming the link
    assert (output / "text" / "text-a5.pdf").is_file(), "the original is still a text in one language"
    assert "Deutsch" not in last_page_text(output / "text" / "text-a5.pdf")


@pytest.mark.parametrize("damage", ["{", "[]", '{"text/ru": {"translation": 1}}'], ids=["broken", "a-list", "a-number"])
def test_a_damaged_out_of_date_record_is_noted_and_made_again(tmp_path, capsys, built_workspaces, damage):
    content, output = built_two_editions(tmp_path, capsys, built_workspaces)
    record = output / ".cache" / "translations.json"
    (content / "text.md").write_text(ORIGINAL + "\nMore words.\n", encoding="utf-8")  # a build that runs
    record.write_text(damage, encoding="utf-8")
    code, printed = build(content, output, capsys)
    assert code == 0 and "translations.json was damaged" in printed and "Traceback" not in printed, printed
    assert set(json.loads(record.read_text())) == {"text/ru"}


def test_translations_whose_original_is_gone_fail_and_keep_their_last_good_files_listed(
    tmp_path, capsys, built_workspaces
):
    content, output = built_two_editions(tmp_path, capsys, built_workspaces)
    (content / "text.md").unlink()
    code, printed = build(content, output, capsys)
    assert code == 1 and "text-ru.md:5" in printed and "there is no document text.md" in printed, printed
    listed = {entry["path"] for entry in json.loads((output / "manifest.json").read_text())["files"]}
    assert "text/ru/text-a5.pdf" in listed and (output / "text" / "ru" / "text-a5.pdf").is_file()


def document_links(pdf: Path) -> list[str]:
    """The addresses of a PDF's link annotations, as a reader's viewer follows them."""
    found = []
    for page in pypdf.PdfReader(pdf).pages:
        for annotation in page.get("/Annots") or []:
            action = annotation.get_object().get("/A") or {}
            if "/URI" in action:
                found.append(unquote(str(action["/URI"])))
    return found


def test_a_link_to_a_text_in_several_languages_leads_to_that_editions_pdf(tmp_path, capsys):
    """A link from another document to the original or to a translation leads to the file of that edition in
    its language folder, and follows the text when it gains its first translation (the link is made again)."""
    pointer = "---\ntitle: Pointer\nauthor: The Test Collective\nlang: en\n---\n\nRead [it](text.md).\n"
    content, output = project(tmp_path, {"text": ORIGINAL, "pointer": pointer})
    own = output / "pointer" / "pointer-a5.pdf"

    def targets() -> list[Path]:
        return [(own.parent / link).resolve() for link in document_links(own)]

    assert build(content, output, capsys)[0] == 0
    assert targets() == [(output / "text/text-a5.pdf").resolve()]
    (content / "text-ru.md").write_text(translation("ru"), encoding="utf-8")
    assert build(content, output, capsys)[0] == 0
    assert targets() == [(output / "text/en/text-a5.pdf").resolve()]  # the pointer's own file unchanged
    (content / "pointer.md").write_text(pointer.replace("[it](text.md)", "[it](text.md) or [this](text-ru.md)"))
    code, printed = build(content, output, capsys)
    assert code == 0, printed
    assert targets() == [(output / f"text/{lang}/text-a5.pdf").resolve() for lang in ("en", "ru")]
    assert all(target.is_file() for target in targets())
