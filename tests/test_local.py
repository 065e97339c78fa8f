"""Local editions: one copy of a document's outputs per row of its data file, with the row's fields in them."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pdfplumber
import pypdfium2
import pytest
import zxingcpp
from conftest import REPO

from samizdat.cli import main

EXAMPLE = REPO / "examples" / "local-groups" / "content"
GROUPS = {
    "example-town": (
        "Example Town", "Thursdays at 7 pm, Example Town library, Room 2", "example-town@example.org",
        "https://example.org/example-town",
    ),
    "sampleton": (
        "Sampleton", "Saturdays at 11 am, the bandstand in Sample Park", "sampleton@example.org",
        "https://example.org/sampleton",
    ),
    "testville": ("Testville", "First Monday of the month, 6:30 pm, Testville community hall", None, None),
}  # fmt: skip


@pytest.fixture(scope="module")
def example_output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example under examples/ built once, as the README says to."""
    output = tmp_path_factory.mktemp("example") / "output"
    assert main(["--project", str(REPO), "--content", str(EXAMPLE), "--output", str(output), "--jobs", "2"]) == 0
    return output / "local-leaflet"


def page_text(path: Path, page: int) -> str:
    with pdfplumber.open(path) as pdf:
        return " ".join((pdf.pages[page].extract_text() or "").split())


@pytest.mark.parametrize("slug", list(GROUPS))
def test_each_group_gets_its_edition_with_its_fields(example_output: Path, slug: str):
    town, meeting, contact, url = GROUPS[slug]
    folder = example_output / "local" / slug
    back_cover = page_text(folder / "local-leaflet-a5.pdf", -1)
    assert f"Near you: {town}" in back_cover
    assert meeting in back_cover
    for optional in (contact, url):
        if optional:
            assert optional in back_cover
    poster = page_text(folder / "posters" / "meet-your-neighbours-a3.pdf", 0)
    assert f"{town} — {meeting}" in poster
    booklet_words = page_text(folder / "local-leaflet-booklet-a4.pdf", 0)
    assert f"Near you: {town}" in booklet_words  # the back cover sits beside the front on the first sheet side


@pytest.mark.parametrize("slug", ["example-town", "sampleton"])
def test_the_qr_codes_lead_to_the_groups_own_page(example_output: Path, slug: str):
    url = GROUPS[slug][3]
    for path, page in (
        (example_output / "local" / slug / "local-leaflet-a5.pdf", -1),
        (example_output / "local" / slug / "posters" / "meet-your-neighbours-a3.pdf", 0),
    ):
        pdf = pypdfium2.PdfDocument(path)
        image = pdf[page % len(pdf)].render(scale=4).to_pil()
        assert [result.text for result in zxingcpp.read_barcodes(image)] == [url]


def test_only_the_outputs_the_document_names_and_the_plain_edition_has_no_local_box(example_output: Path):
    for slug in GROUPS:
        names = sorted(p.relative_to(example_output / "local" / slug).as_posix()
                       for p in (example_output / "local" / slug).rglob("*.pdf"))  # fmt: skip
        assert names == [
            "local-leaflet-a5.pdf", "local-leaflet-booklet-a4.pdf", "posters/meet-your-neighbours-a3-print.pdf",
            "posters/meet-your-neighbours-a3-tiled-a4.pdf", "posters/meet-your-neighbours-a3.pdf",
        ]  # fmt: skip
    assert "Near you" not in page_text(example_output / "local-leaflet-a5.pdf", -1)
    assert (example_output / "local-leaflet-a5-print.pdf").is_file()


def test_the_download_page_lists_the_local_editions(example_output: Path):
    manifest = json.loads((example_output.parent / "manifest.json").read_text())
    local = [entry for entry in manifest["files"] if "/local/" in entry["path"]]
    assert len(local) == 3 * 5
    assert all(entry["thumbnail"] == "" for entry in local)
    assert any("local edition for Sampleton" in entry["purpose"] for entry in local)
    sums = (example_output.parent / "SHA256SUMS").read_text()
    assert "local-leaflet/local/testville/local-leaflet-a5.pdf" in sums
    assert "Local editions" in (example_output.parent / "index.html").read_text()


def local_project(tmp_path: Path, data_name: str, data: str, outputs: str = "[a5]") -> Path:
    content = tmp_path / "content"
    content.mkdir()
    (content / "leaflet.md").write_text(
        f"---\ntitle: T\nauthor: Us\nlang: en\nlocal:\n  data: {data_name}\n  outputs: {outputs}\n---\nText.\n"
    )
    (content / data_name).write_text(data)
    return content


BAD_ROWS = (
    "town,meeting,contact,url\n"
    "Good Town,Mondays,,\n"  # line 2: fine
    "No Meeting,,someone@example.org,\n"  # line 3: missing field
    "Good Town,Tuesdays,,\n"  # line 4: duplicate slug
    f"Long Town,{'x' * 130},,\n"  # line 5: too long for its slot
    "Bad Url,Fridays,,example.org\n"  # line 6: not a web address
    "Other Town,Sundays,,https://example.org/other\n"  # line 7: fine
)


def test_bad_rows_are_reported_with_file_line_and_field_and_the_others_still_build(tmp_path: Path, capsys):
    content = local_project(tmp_path, "groups.csv", BAD_ROWS)
    output = tmp_path / "output"
    assert main(["--project", str(REPO), "--content", str(content), "--output", str(output)]) == 1
    err = capsys.readouterr().err
    data = content / "groups.csv"
    for line, words in (
        (3, "no 'meeting'"),
        (4, "'good-town' is already on line 2"),
        (5, "the meeting 'xxx"),
        (5, "130 characters long; its place in the layout holds 120"),
        (6, "the url 'example.org' is not a web address"),
    ):
        assert f"{data}:{line}: " in err and words in err, words
    built = sorted(p.parent.name for p in (output / "leaflet" / "local").glob("*/leaflet-a5.pdf"))
    assert built == ["good-town", "other-town"]


@pytest.mark.parametrize(
    ("data_name", "data", "message"),
    [
        ("groups.csv", "town,meting\nA,B\n", ":1: unknown field 'meting': did you mean 'meeting'?"),
        ("groups.csv", "town,contact\nA,B\n", ":1: the header line has no 'meeting' column"),
        ("groups.yaml", "- town: A\n  meeting: B\n- town: C\n", ":3: this group has no 'meeting'"),
        ("groups.yaml", "town: A\n", ":1: the file must be a list of groups"),
        ("groups.yaml", "- town: A\n  meeting: [B\n", ":3: this is not valid YAML (expected ',' or ']'"),
    ],
)
def test_a_broken_data_file_names_its_line(tmp_path: Path, capsys, data_name: str, data: str, message: str):
    content = local_project(tmp_path, data_name, data)
    assert main(["--project", str(REPO), "--content", str(content), "--output", str(tmp_path / "output")]) == 1
    assert f"{content / data_name}{message}" in capsys.readouterr().err


def test_a_yaml_data_file_works_like_a_csv_one(tmp_path: Path, capsys):
    content = local_project(tmp_path, "groups.yml", "- town: Yamlton\n  meeting: Wednesdays at noon\n")
    assert main(["--project", str(REPO), "--content", str(content), "--output", str(tmp_path / "output")]) == 0
    assert "Near you: Yamlton" in page_text(tmp_path / "output/leaflet/local/yamlton/leaflet-a5.pdf", -1)


@pytest.mark.parametrize(
    ("data_name", "message"),
    [
        ("../groups.csv", "the local groups' data file must be in the document's folder"),
        ("missing.csv", "the local groups' data file missing.csv does not exist beside the document"),
    ],
)
def test_the_data_file_must_be_beside_the_document(tmp_path: Path, capsys, data_name: str, message: str):
    content = local_project(tmp_path, "groups.csv", "town,meeting\nA,B\n")
    shutil.copy(content / "groups.csv", tmp_path / "groups.csv")
    leaflet = content / "leaflet.md"
    leaflet.write_text(leaflet.read_text().replace("data: groups.csv", f"data: {data_name}"))
    assert main(["--project", str(REPO), "--content", str(content), "--output", str(tmp_path / "output")]) == 1
    assert f"{leaflet}:6: {message}" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("data_name", "data", "message"),
    [
        (
            "groups.csv",
            "town,meeting\nGood,Mondays\nComma,Thursdays, 7 pm\n",
            ":3: this row has 3 fields but the header names 2",
        ),
        (
            "groups.yaml",
            "- town: Good\n  meeting: Mondays\n- town: Clock\n  meeting: 19:30\n",
            ":3: the meeting is not text",
        ),
        (
            "groups.yaml",
            "- town: Good\n  meeting: Mondays\n- town: Odd\n  meeting: M\n  colour: red\n",
            ":3: unknown field",
        ),
        (
            "groups.csv",
            "town,meeting\nGood,Mondays\nSickle,Fridays ☭\n",
            ":3: the fonts in fonts/ have no glyphs for ☭",
        ),
    ],
)
def test_a_bad_row_fails_alone_with_its_line(tmp_path: Path, capsys, data_name: str, data: str, message: str):
    content = local_project(tmp_path, data_name, data)
    output = tmp_path / "output"
    assert main(["--project", str(REPO), "--content", str(content), "--output", str(output)]) == 1
    assert f"{content / data_name}{message}" in capsys.readouterr().err
    assert (output / "leaflet" / "local" / "good" / "leaflet-a5.pdf").is_file(), "the good row still builds"


def test_a_csv_file_that_cannot_be_read_as_csv_is_named(tmp_path: Path, capsys):
    content = local_project(tmp_path, "groups.csv", "town,meeting\nGood,Mondays\nHuge," + "x" * 140_000 + "\n")
    assert main(["--project", str(REPO), "--content", str(content), "--output", str(tmp_path / "output")]) == 1
    err = capsys.readouterr().err
    assert f"{content / 'groups.csv'}:" in err and "this is not valid CSV (field larger than field limit" in err
