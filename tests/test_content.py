"""Content stage: the statement is faithful, front matter is validated with located errors, Markdown is safe."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from conftest import DATA, REPO

from samizdat.content import load_document
from samizdat.errors import ContentError

STATEMENT = REPO / "content" / "stop-the-war.md"
SEED = REPO.parent / "shared" / "seed" / "statement.txt"


def test_the_test_copy_of_the_seed_is_the_seed():
    if not SEED.exists():
        pytest.skip("shared/seed is not beside this checkout")
    assert (DATA / "statement.txt").read_bytes() == SEED.read_bytes()


def test_statement_front_matter():
    document = load_document(STATEMENT)
    seed = [p.strip() for p in (DATA / "statement.txt").read_text().split("\n\n") if p.strip()]
    assert document.slug == "stop-the-war"
    assert document.title == seed[0]
    assert document.author == seed[1]
    assert document.subtitle == seed[2]
    assert document.lang == "en"
    assert document.slogans == tuple(seed[-4:])
    assert document.imprint is None and document.date is None


def test_statement_file_holds_every_word_of_the_seed_in_order_and_nothing_else():
    """Take away YAML and Markdown syntax from the content file: what is left is the seed, word for word."""
    _, front, body = STATEMENT.read_text().split("---\n", 2)
    fields = yaml.safe_load(front)
    assert set(fields) == {"title", "subtitle", "author", "lang", "slogans", "editions"}
    assert fields["editions"] == ["large-print", "pocket", "copier"]  # the publisher's choice, not the author's text
    body = re.sub(r"^(## |- |::: demands$|:::$)", "", body, flags=re.M)
    words = " ".join([fields["title"], fields["author"], fields["subtitle"], body, *fields["slogans"]]).split()
    assert words == (DATA / "statement.txt").read_text().replace("•", "").split()


def test_statement_structure():
    html = load_document(STATEMENT).body_html
    assert re.findall(r"<h2 [^>]*>(.*?)</h2>", html) == [  # with their ids and running heads (samizdat.contents)
        "The Causes and Nature of the War",
        "Democratic Popular Movements of the Last Decade",
        "Fighting for Peace or Forcing Negotiations?",
    ]
    assert html.count('<div data-block="0" class="demands">') == 1
    assert len(re.findall(r"<li[ >]", html)) == 9


FRONT = "---\ntitle: Leaflet\nauthor: Collective\nlang: en\n"

BAD_FRONT_MATTER = {
    "malformed yaml": (FRONT + "slogans: [one, two\n---\nbody\n", 6, "not valid YAML"),
    "missing field": ("---\ntitle: Leaflet\nlang: en\n---\nbody\n", 2, "required field 'author' is missing"),
    "wrong type": (FRONT + "slogans: Stop the war\n---\n", 5, "the field 'slogans' is wrong"),
    "wrong item type": (FRONT + "slogans:\n  - One\n  - [two]\n---\n", 7, "the field 'slogans[2]' is wrong"),
    "unknown field": (FRONT + "subtitel: Standfirst\n---\n", 5, "unknown field 'subtitel': did you mean 'subtitle'?"),
    "bad language": ("---\ntitle: Leaflet\nauthor: Collective\nlang: English\n---\n", 4, "the field 'lang' is wrong"),
    "bad date": (FRONT + "date: 24 February\n---\n", 5, "the field 'date' is wrong"),
    "duplicate field": (FRONT + "title: Again\n---\n", 5, "the field 'title' is given twice"),
    "no front matter": ("# Just Markdown\n", 1, "no front matter"),
    "unclosed front matter": (FRONT + "body without a closing line\n", 1, "never closed"),
    "not a mapping": ("---\n- a list\n---\n", 2, "must be a list of 'field: value' lines"),
    "empty title": ("---\ntitle: ''\nauthor: Collective\nlang: en\n---\n", 2, "the field 'title' is wrong"),
}


def test_a_byte_order_mark_is_not_text(tmp_path: Path):
    path = tmp_path / "leaflet.md"
    path.write_bytes(b"\xef\xbb\xbf" + (FRONT + "---\nText.\n").encode())
    assert load_document(path).title == "Leaflet"


def test_not_utf8_is_a_content_error(tmp_path: Path):
    path = tmp_path / "leaflet.md"
    path.write_bytes(FRONT.encode() + "---\nna\xefve\n".encode("latin-1"))
    with pytest.raises(ContentError, match="not UTF-8"):
        load_document(path)


def render_body(tmp_path: Path, body: str, lang: str = "en") -> str:
    path = tmp_path / "leaflet.md"
    path.write_text(FRONT.replace("lang: en", f"lang: {lang}") + "---\n" + body)
    return load_document(path).body_html


def test_raw_html_is_printed_as_text_not_passed_through(tmp_path: Path):
    html = render_body(tmp_path, '<script>alert(1)</script>\n\n<img src="x.png"> and <b>bold</b>\n')
    assert "<script>" not in html and "<img" not in html and "<b>" not in html
    assert "&lt;script&gt;" in html and "&lt;b&gt;bold&lt;/b&gt;" in html


def test_template_syntax_in_content_stays_text(tmp_path: Path):
    html = render_body(tmp_path, "{{ 7*7 }} and {% if true %}yes{% endif %}\n")
    assert "{{ 7*7 }}" in html and "{% if true %}yes{% endif %}" in html


@pytest.mark.parametrize(
    ("lang", "source", "expected"),
    [
        ("en", "\"Stop\" -- 'now' --- go...", "“Stop”\u00a0— ‘now’\u00a0— go…"),  # typograf's en-US/dash/main
        ("ru", '"Нет войне"', "«Нет войне»"),
        ("uk", '"Ні війні"', "«Ні\u00a0війні»"),  # ні is bound to its word
    ],
)
def test_typographic_quotes_and_dashes_are_produced(tmp_path: Path, lang: str, source: str, expected: str):
    assert f"<p data-p=\"0\">{expected}</p>" in render_body(tmp_path, source + "\n", lang)  # data-p: its number


def test_front_matter_text_gets_typography_too(tmp_path: Path):
    path = tmp_path / "leaflet.md"
    path.write_text("---\ntitle: 'Say \"no\" -- now'\nauthor: Collective\nlang: en\n---\n")
    assert load_document(path).title == "Say “no”\u00a0— now"


MORE_BAD_FRONT_MATTER = {
    "impossible date": (FRONT + "date: 2024-02-30\n---\n", 5, "the field 'date' is wrong ('2024-02-30')"),
    "capitalised field": ("---\nTitle: Leaflet\nauthor: Collective\nlang: en\n---\n", 2, "did you mean 'title'?"),
    "country not language": ("---\ntitle: Leaflet\nauthor: Collective\nlang: ua\n---\n", 4, "did you mean 'uk'?"),
    "apostrophe in quotes": (FRONT + "subtitle: 'Women's rights'\n---\n", 5, "goes in double quotes"),
    "number as field name": (FRONT + "1: x\n---\n", 5, "'1' is not a field name"),
    "null field name": (FRONT + "~: x\n---\n", 5, "'~' is not a field name"),
    "alias": (FRONT + "slogans: &a [x]\nsubtitle: *a\n---\n", 6, "aliases (*name) are not allowed"),
    "deep nesting": (FRONT + "slogans: " + "[" * 3000 + "]" * 3000 + "\n---\n", 2, "nested too deeply"),
}


def test_a_real_date_is_kept_as_text(tmp_path: Path):
    path = tmp_path / "leaflet.md"
    path.write_text(FRONT + "date: 2024-02-24\n---\n")
    assert load_document(path).date == "2024-02-24"


BAD_BLOCKS = {
    "misspelt block": (
        "Intro.\n\n::: demand\n- one\n:::\n",
        8,
        "unknown block '::: demand': did you mean '::: demands'?",
    ),
    "unclosed block": ("Intro.\n\n::: demands\n- one\n", 8, "never closed"),
    "stray closing": ("Intro.\n\n:::\n", 8, "closes no block"),
    "nested block": ("::: demands\n::: aside\n:::\n:::\n", 7, "opens inside the block opened on line 6"),
}


def bad_contents() -> dict[str, tuple[str, int, str]]:
    """Every broken content file of the tables above: its text, the line to blame, the message."""
    blocks = {case: (FRONT + "---\n" + body, line, message) for case, (body, line, message) in BAD_BLOCKS.items()}
    return {**BAD_FRONT_MATTER, **MORE_BAD_FRONT_MATTER, **blocks}


@pytest.mark.parametrize("case", list(bad_contents()))
def test_bad_content_names_file_and_line(tmp_path: Path, case: str):
    text, line, message = bad_contents()[case]
    path = tmp_path / "leaflet.md"
    path.write_text(text)
    with pytest.raises(ContentError) as raised:
        load_document(path)
    assert message in raised.value.message
    assert (raised.value.path, raised.value.line) == (path, line)
    assert str(raised.value).startswith(f"{path}:{line}: ")
