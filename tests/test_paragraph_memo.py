"""Paragraphs remembered by what their lines are chosen from (samizdat.paragraph_memo): an edit to the layouts that
leaves the words' styles alone breaks them without measuring, into the bytes a fresh build makes; any change to
what a paragraph is measured in measures it again."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from conftest import REPO, make_project

from samizdat.paragraph_memo import TEXT_PROPERTIES, paragraph_key
from samizdat.paragraph_shapes import Shape
from samizdat.records import KEPT_FILES

A5 = Path("output/udhr-ru/udhr-ru-a5.pdf")


def memo_files(project: Path) -> dict[str, int]:
    """Each memo file of the project, with its inode: a file saved again is another (written atomically)."""
    folder = project / "output" / ".cache" / "paragraphs"
    return {path.name: path.stat().st_ino for path in sorted(folder.glob("*.json"))}


def fresh_a5(project: Path, copy: Path, cli) -> bytes:
    """The A5 a build of a copy of the project's content and layouts makes, with no records of its own."""
    for name in ("content", "layouts", "fonts"):
        shutil.copytree(project / name, copy / name)
    assert cli("--project", str(copy)).code == 0
    return (copy / A5).read_bytes()


def test_a_layout_edit_that_leaves_the_words_alone_breaks_them_from_the_memo_as_a_fresh_build_would(tmp_path, cli):
    """The Russian declaration: two of its paragraphs are broken again where a page ended in a hyphen, so the
    remembered ones are measured after all, when that is needed (paragraphs.Measured)."""
    project = make_project(tmp_path / "project", {"udhr-ru": (REPO / "tests/data/udhr-ru.md").read_text()})
    assert cli("--project", str(project)).code == 0
    remembered = memo_files(project)
    assert remembered and all((project / "output/.cache/paragraphs" / name).stat().st_size > 1000
                              for name in remembered)  # fmt: skip
    css = project / "layouts" / "pamphlet" / "pamphlet.css"
    css.write_text(css.read_text() + "\nh2 { color: #654321 !important; }\n")
    before = (project / A5).read_bytes()
    assert cli("--project", str(project)).code == 0
    assert (project / A5).read_bytes() != before  # made again, with the new colour
    assert memo_files(project) == remembered  # every paragraph was found: nothing new to save
    assert (project / A5).read_bytes() == fresh_a5(project, tmp_path / "fresh", cli)


def memo_keys(project: Path) -> set[str]:
    folder = project / "output" / ".cache" / "paragraphs"
    return {key for path in folder.glob("*.json") for key in json.loads(path.read_text())}


def test_a_change_to_the_words_measure_measures_them_again_and_a_damaged_memo_is_ignored(tmp_path, cli):
    project = make_project(tmp_path / "project", {"udhr-ru": (REPO / "tests/data/udhr-ru.md").read_text()})
    assert cli("--project", str(project)).code == 0
    first = memo_keys(project)
    css = project / "layouts" / "pamphlet" / "pamphlet.css"
    css.write_text(css.read_text() + "\np { letter-spacing: 0.01em; }\n")
    assert cli("--project", str(project)).code == 0
    assert first and memo_keys(project).isdisjoint(first)  # every paragraph measured again
    spaced = (project / A5).read_bytes()
    assert spaced == fresh_a5(project, tmp_path / "fresh", cli)
    for number, path in enumerate(sorted((project / "output/.cache/paragraphs").glob("*.json"))):
        if number == 0:
            path.unlink()
            os.mkfifo(path)  # read, it would hang the worker
        else:
            path.write_text("{not json")
    (project / A5).unlink()
    old = project / "output/.cache/paragraphs"
    own = {path.name for path in old.glob("*.json")}
    for number in range(KEPT_FILES + 5):  # an earlier day's texts, edited since
        (old / f"{number:064x}.json").write_text("{}")
        os.utime(old / f"{number:064x}.json", (1_000_000_000, 1_000_000_000 + number))
    assert cli("--project", str(project)).code == 0
    assert (project / A5).read_bytes() == spaced
    kept = sorted(path.name for path in old.glob("*.json"))
    assert len(kept) == KEPT_FILES and own <= set(kept)  # the oldest went, the build's own stayed


STYLE = {
    "font_family": ("Charis SIL",), "font_style": "normal", "font_stretch": "normal", "font_weight": 400,
    "font_variant_ligatures": "normal", "font_variant_position": "normal", "font_variant_caps": "normal",
    "font_variant_numeric": "normal", "font_variant_alternates": "normal", "font_variant_east_asian": "normal",
    "font_feature_settings": "normal", "font_variation_settings": "normal", "font_language_override": "normal",
    "lang": "en", "font_size": 10.0, "line_height": "normal", "letter_spacing": "normal", "word_spacing": 0,
    "white_space": "normal", "tab_size": 8, "overflow_wrap": "normal", "word_break": "normal", "hyphens": "auto",
    "hyphenate_character": "‐", "hyphenate_limit_zone": 0, "hyphenate_limit_chars": ("auto", "auto", "auto"),
    "font_kerning": "auto", "direction": "ltr", "text_decoration_line": "none", "color": "black",
}  # fmt: skip; a computed style as WeasyPrint's text layout reads it (a mapping of property names)
RUNS = [("A paragraph with ", ()), ("a word", ("em",)), (" in italics.", ())]


def key(style: dict | None = None, em: dict | None = None, **shape: object) -> str:
    fields = {"width": 300.0, "indent": 0.0, "lang": "en", "hyphens": True, "limits": (5, 2, 2), "hyphen": "‐"}
    made = Shape(**{**fields, **shape})
    made.styles[()] = {**STYLE, **(style or {})}
    made.styles[("em",)] = {**STYLE, "font_style": "italic", **(em or {})}
    return paragraph_key(RUNS, made)


@pytest.mark.parametrize("name", [*TEXT_PROPERTIES, "font_family", "font_weight", "font_feature_settings", "lang"])
def test_every_property_the_text_layout_reads_is_in_a_paragraphs_key(name: str):
    changed = {name: ("another", STYLE[name])}
    assert key(changed) != key()
    assert key(em=changed) != key()


class Recording:
    """A style that notes what is read of it."""

    def __init__(self, style: object, read: set[str]) -> None:
        self.style, self.read = style, read

    def __getitem__(self, name: str) -> object:
        self.read.add(name)
        return self.style[name]

    def __getattr__(self, name: str) -> object:
        self.read.add(f".{name}")
        return getattr(self.style, name)


def test_what_measuring_a_paragraph_reads_of_its_styles_is_all_in_its_key():
    """Measured and broken in WeasyPrint's own styles, a paragraph reads nothing of them that its key leaves out
    (the font configuration, `.font_config`, is the file's key: the fonts and the layouts' faces)."""
    from samizdat.paragraph_items import MEASURED, Paragraph
    from samizdat.paragraph_shapes import shapes
    from samizdat.pdf import lay_out

    words = "A justified paragraph with enough words to be broken into several lines, " * 6
    html = ('<html lang="en"><head><style>@page { size: A6 } p { text-align: justify; hyphens: auto; '
            f'font-family: "Charis SIL" }}</style></head><body><p data-p="1">{words}<em>a word in italics</em> and '
            "more.</p></body></html>")  # fmt: skip
    layout = lay_out(html, base_url=(REPO / "content" / "x.md").as_uri(), allowed_dirs=[REPO],
                     fonts_dir=REPO / "fonts")  # fmt: skip
    shape, read = shapes(layout.document)[1], set()
    shape.styles = {chain: Recording(style, read) for chain, style in shape.styles.items()}
    MEASURED.clear()
    assert Paragraph([(words, ()), ("a word in italics", ("em",)), (" and more.", ())], shape).break_lines()
    font_key = {"font_family", "font_style", "font_stretch", "font_weight", "font_variant_ligatures",
                "font_variant_position", "font_variant_caps", "font_variant_numeric", "font_variant_alternates",
                "font_variant_east_asian", "font_feature_settings", "font_variation_settings",
                "font_language_override", "lang"}  # fmt: skip; weasyprint.text.line_break._font_style_cache_key
    assert "font_size" in read and read - {".font_config"} <= font_key | set(TEXT_PROPERTIES)


@pytest.mark.parametrize("shape", [{"width": 301.0}, {"indent": 12.0}, {"lang": "de"}, {"hyphens": False},
                                   {"limits": (6, 3, 3)}, {"hyphen": "-"}, {"hyphens_mode": "none"}])  # fmt: skip
def test_the_paragraphs_measure_and_hyphenation_are_in_its_key(shape: dict):
    assert key(**shape) != key()


def test_a_colour_is_not_in_a_paragraphs_key_nor_is_a_run_styled_like_its_neighbours():
    assert key({"color": "red"}, {"color": "blue"}) == key()
    runs_in_one_style = paragraph_key([("A paragraph.", ())], Shape(300.0, 0.0, "en", True, (5, 2, 2), "‐",
                                                                     {(): STYLE}))  # fmt: skip
    assert runs_in_one_style != key()
