"""Links (samizdat/links.py): clicked in the screen PDF (a /URI annotation, the text tagged /Link), their
addresses printed on paper (the -print A5 and the booklet) as footnotes, inline or not at all."""

from __future__ import annotations

from pathlib import Path

import pdfplumber
import pytest
from conftest import VALID_FRONT_MATTER, make_project
from pdfs import structure_elements
from pypdf import PdfReader
from pypdf.generic import IndirectObject, NumberObject

from samizdat.body import paper_edition
from samizdat.cli import main
from samizdat.content import load_document
from samizdat.links import printed_address

LONG = "https://example.org/reports/2026/where-the-money-goes/a-long-address-of-budget-tables/index.html"
SHORT = "https://example.org/join"

BODY = f"""
Read the tables on [our site]({LONG}) and pass them on. Join us at [the campaign's page]({SHORT}),
or at <https://example.org/autolink>, or write to [us](mailto:us@example.org), or read
[the appeal](other.md).
"""


def document(links: str | None) -> str:
    mode = f"links: {links}\n" if links else ""
    return VALID_FRONT_MATTER.replace("lang: en\n", f"lang: en\n{mode}") + BODY


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One project: the default (footnote), inline, none, and inline from samizdat.yaml."""
    root = tmp_path_factory.mktemp("links")
    documents = {"footnote": document(None), "inline": document("inline"), "none": document("none"),
                 "other": VALID_FRONT_MATTER + "The appeal.\n"}  # fmt: skip
    project = make_project(root, documents)
    assert main(["--project", str(project)]) == 0
    yaml = make_project(root / "yaml", {"default": document(None), "other": documents["other"]})
    (yaml / "samizdat.yaml").write_text("links: inline\n")
    assert main(["--project", str(yaml)]) == 0
    return root


def pdf_of(root: Path, slug: str, suffix: str) -> Path:
    base = root / "yaml" if slug == "default" else root
    return base / "output" / slug / f"{slug}-{suffix}.pdf"


def text_of(path: Path) -> str:
    with pdfplumber.open(path) as pdf:
        return "\n".join(page.extract_text() for page in pdf.pages)


def uris(path: Path) -> list[str]:
    return [str(annotation.get_object()["/A"].get("/URI")) for page in PdfReader(path).pages
            for annotation in page.get("/Annots") or [] if "/A" in annotation.get_object()]  # fmt: skip


def joined(text: str) -> str:
    """The text with its line breaks taken out: a printed address comes back whole."""
    return text.replace("\n", "")


@pytest.mark.parametrize("slug", ["footnote", "inline", "none"])
def test_the_screen_pdf_has_clickable_links_and_prints_no_address(built: Path, slug: str):
    path = pdf_of(built, slug, "a5")
    assert {LONG, SHORT, "https://example.org/autolink", "mailto:us@example.org"} <= set(uris(path))
    assert "../other/other-a5.pdf" in uris(path)
    assert SHORT not in joined(text_of(path)) and "(" not in text_of(path)


def test_the_link_text_is_tagged_as_a_link(built: Path):
    links = structure_elements(pdf_of(built, "footnote", "a5"), "/Link")
    annotated = [
        link
        for link in links
        if any(isinstance(kid, IndirectObject) and kid.get_object().get("/Type") == "/OBJR" for kid in link["/K"])
    ]
    assert len(annotated) >= 6
    assert all(
        any(isinstance(kid, NumberObject) for kid in link["/K"]) for link in annotated
    )  # its text, marked content


@pytest.mark.parametrize("suffix", ["a5-print", "booklet-a4"])
def test_paper_prints_each_address_as_a_footnote_below_the_text(built: Path, suffix: str):
    path = pdf_of(built, "footnote", suffix)
    text = text_of(path)
    assert "our sitea and" in text and "pageb," in text and "usc," in text  # the calls: letters
    assert "\na https://example.org/reports/" in text and LONG in joined(text)
    assert f"b {SHORT}" in text and "c us@example.org" in text
    assert uris(path) == []  # paper has nothing to click, and a booklet would lose it anyway
    with pdfplumber.open(path) as pdf:
        page = pdf.pages[1]  # the first text page; in the booklet, the side with pages 2 and 3
        words = page.extract_words(extra_attrs=["size"])
    address = next(word for word in words if word["text"].startswith(SHORT))
    body = [word for word in words if round(word["size"]) == 10]
    assert address["size"] < 9 and address["top"] > max(word["bottom"] for word in body)


@pytest.mark.parametrize("slug", ["footnote", "inline", "default"])
def test_no_address_is_printed_twice_nor_for_a_section_or_a_document(built: Path, slug: str):
    text = joined(text_of(pdf_of(built, slug, "a5-print")))
    assert text.count("example.org/autolink") == 1  # the link's text is its address
    assert text.count("us@example.org") == 1 and text.count(SHORT) == 1
    assert "other.md" not in text and "other-a5" not in text


@pytest.mark.parametrize("slug", ["inline", "default"])
def test_inline_addresses_follow_the_text_in_brackets(built: Path, slug: str):
    text = joined(text_of(pdf_of(built, slug, "a5-print")))
    assert f"our site ({LONG}) and pass" in text
    assert f"page ({SHORT})," in text.replace("’", "'").replace("campaign's ", "")


def test_none_prints_no_address(built: Path):
    text = joined(text_of(pdf_of(built, "none", "a5-print")))
    assert "our site and pass" in text and SHORT not in text and LONG not in text


def test_a_long_address_breaks_after_a_slash_a_dot_or_a_hyphen_and_copies_back_whole(built: Path):
    for slug in ("footnote", "inline"):
        path = pdf_of(built, slug, "a5-print")
        lines = text_of(path).splitlines()
        starts = [index for index, line in enumerate(lines) if "https://example.org/reports" in line]
        assert starts, lines
        first = lines[starts[0]]
        assert not first.endswith(LONG[-10:])  # it does not fit on one line...
        assert first.endswith(("/", ".", "-")) and not first.endswith("\u2010")  # ...and breaks without a hyphen
        assert LONG in joined("\n".join(lines))
        assert "\u200b" not in "".join(page.extract_text() for page in PdfReader(path).pages)


def test_a_wrong_links_value_is_a_located_error(tmp_path: Path, capsys):
    project = make_project(tmp_path, {"leaflet": document("both")})
    assert main(["--project", str(project)]) == 1
    err = capsys.readouterr().err.replace("\n          ", " ")
    assert f"{project / 'content' / 'leaflet.md'}:5: the field 'links' is wrong ('both')" in err
    (project / "content" / "leaflet.md").write_text(document(None))
    (project / "samizdat.yaml").write_text("sheet: A4\nlinks: foot\n")
    assert main(["--project", str(project)]) == 1
    assert f"{project / 'samizdat.yaml'}:2: the field 'links' is wrong ('foot')" in capsys.readouterr().err


#: A link's address and text → what paper prints after it.
ADDRESSES = {
    "a web page": ("https://example.org/a", "our site", "https://example.org/a"),
    "its own text": ("https://example.org/a", "https://example.org/a", None),
    "its text without the scheme": ("https://example.org/a/", "example.org/a", None),
    "an e-mail address": ("mailto:us@example.org", "write to us", "us@example.org"),
    "an e-mail address as text": ("mailto:us@example.org", "us@example.org", None),
    "a telephone": ("tel:+441234", "call us", "+441234"),
    "a section": ("#demands", "the demands", None),
    "another document": ("samizdat-document:other.md", "the appeal", None),
}


@pytest.mark.parametrize("case", ADDRESSES)
def test_which_addresses_are_printed(case: str):
    href, text, printed = ADDRESSES[case]
    assert printed_address(href, text) == printed


def test_notes_and_addresses_are_text_never_markup(tmp_path: Path):
    """What a note or an address holds is escaped like the rest of the body: `<script>` prints as it is."""
    path = tmp_path / "leaflet.md"
    path.write_text(VALID_FRONT_MATTER + 'A claim.[^a] [x](https://example.org/"><script>x</script>)\n\n'
                    "[^a]: A <script>note</script>.\n")  # fmt: skip
    html = str(paper_edition(load_document(path)).body_html)
    assert "<script>" not in html and "&lt;script&gt;note&lt;/script&gt;" in html
