"""Hostile content: nothing outside the project reaches a PDF, nothing reaches the network, nothing executes."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import VALID_FRONT_MATTER, make_project
from pdfs import all_bytes
from pypdf import PdfReader

from samizdat.fetch import ProjectFetcher, RefusedURL

MARKER = "SECRETMARKER7731"


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    """A file outside the project that content tries to pull in: an SVG whose text would show if loaded."""
    path = tmp_path / "outside" / "secret.svg"
    path.parent.mkdir()
    path.write_text(
        f'<svg xmlns="http://www.w3.org/2000/svg" width="200" height="50"><text x="5" y="30">{MARKER}</text></svg>'
    )
    return path


def hostile_bodies(secret: Path, url: str) -> dict[str, str]:
    depth = "../" * (len(secret.parts) + 2)
    return {
        "absolute path": f"![x]({secret})",
        "file url": f"![x]({secret.as_uri()})",
        "parent path": f"![x]({depth}{str(secret).lstrip('/')})",
        "etc passwd": "![x](/etc/passwd)",
        "network url": f"![x]({url}/image.svg)",
        "raw html image": f'<img src="{secret.as_uri()}">',
        "raw html attachment": f'<link rel="attachment" href="{secret.as_uri()}">',
        "raw html style": f'<style>@import url("{url}/style.css");</style>',
        "link to a local file": f"[x]({secret.as_uri()})",
    }


CASES = ["absolute path", "file url", "parent path", "etc passwd", "network url", "raw html image",
         "raw html attachment", "raw html style", "link to a local file"]  # fmt: skip


#: A `file:` picture or link fails its document, with the line (samizdat.body): the others are left out or printed.
REFUSED_WITH_THEIR_LINE = ("file url", "link to a local file")


@pytest.mark.parametrize("case", CASES)
def test_hostile_content_is_refused_or_printed_as_text(workspace, secret, server, case):
    url, hits = server
    body = hostile_bodies(secret, url)[case]
    workspace.write("hostile.md", VALID_FRONT_MATTER + "\n" + body + "\n\nThe rest of the text.\n")
    run = workspace.build()
    assert hits == []
    if case in REFUSED_WITH_THEIR_LINE:  # a file: address names a place on one machine: the document fails
        assert run.code == 1 and "hostile.md:7: the " in run.err and "file:" in run.err
        assert not workspace.pdf("hostile").exists()
        return
    assert run.code == 0, run.err
    for suffix in ("a5", "a5-print"):
        dug_out = all_bytes(workspace.pdf("hostile", suffix))
        assert MARKER.encode() not in dug_out
        assert b"root:x:0:0" not in dug_out
        assert "The rest of the text." in PdfReader(workspace.pdf("hostile", suffix)).pages[1].extract_text()
    if case in ("absolute path", "parent path", "etc passwd", "network url"):
        assert "warning hostile.md: refused" in run.err


def test_an_image_inside_the_project_is_used(workspace):
    """The positive control: the same kind of image, inside content/, does reach the PDF."""
    (workspace.content / "inside.svg").write_text(
        f'<svg xmlns="http://www.w3.org/2000/svg" width="200" height="50"><text x="5" y="30">{MARKER}</text></svg>'
    )
    workspace.write("friendly.md", VALID_FRONT_MATTER + "\n![inside](inside.svg)\n")
    run = workspace.build()
    assert run.code == 0 and "refused" not in run.err
    assert MARKER in PdfReader(workspace.pdf("friendly")).pages[1].extract_text()


def test_raw_html_and_template_syntax_print_as_text(workspace):
    workspace.write("tricks.md", VALID_FRONT_MATTER + "<b>bold</b> {{ 7*7 }} {% if true %}yes{% endif %}\n")
    assert workspace.build().code == 0
    text = " ".join(page.extract_text() for page in PdfReader(workspace.pdf("tricks")).pages)
    assert "<b>bold</b>" in text
    assert "{{ 7*7 }}" in text and "49" not in text
    assert "{% if true %}yes{% endif %}" in text


def test_template_syntax_in_front_matter_prints_as_text(workspace):
    workspace.write("tricks.md", "---\ntitle: '{{ 7*7 }} <i>x</i>'\nauthor: Us\nlang: en\n---\nText.\n")
    assert workspace.build().code == 0
    first_page = PdfReader(workspace.pdf("tricks")).pages[0].extract_text()
    assert "{{ 7*7 }}" in first_page and "<i>x</i>" in first_page


@pytest.mark.parametrize(
    "url",
    ["file:///etc/passwd", "http://127.0.0.1:1/x.png", "https://example.org/x.png", "ftp://example.org/x"],
)
def test_fetcher_refuses_anything_outside_the_allowed_folders(tmp_path: Path, url: str):
    fetcher = ProjectFetcher([tmp_path])
    with pytest.raises(RefusedURL):
        fetcher.fetch(url)
    assert fetcher.refused and url in fetcher.refused[0]


def test_fetcher_refuses_symlinks_that_point_outside(tmp_path: Path, secret: Path):
    inside = tmp_path / "project"
    inside.mkdir()
    (inside / "link.svg").symlink_to(secret)
    with pytest.raises(RefusedURL):
        ProjectFetcher([inside]).fetch((inside / "link.svg").as_uri())


def test_fetcher_serves_files_inside(tmp_path: Path):
    (tmp_path / "image.svg").write_text("<svg/>")
    response = ProjectFetcher([tmp_path]).fetch((tmp_path / "image.svg").as_uri())
    assert response.read() == b"<svg/>"
    assert response.content_type == "image/svg+xml"


def test_layouts_cannot_pull_in_outside_files_either(tmp_path: Path, secret: Path, server, capsys):
    """A stylesheet, an attachment, a font and an image named by a layout, all outside: all refused."""
    from conftest import REPO

    from samizdat.cli import main

    url, hits = server
    project = make_project(tmp_path / "project", {"leaflet": VALID_FRONT_MATTER + "Text.\n"})
    outside_css = secret.with_name("outside.css")
    outside_css.write_text(f'body::before {{ content: "{MARKER}" }}')
    attachment = secret.with_name("attachment.txt")
    attachment.write_text(MARKER)
    font = secret.with_name("outside.ttf")
    font.write_bytes((REPO / "fonts" / "charis-sil" / "CharisSIL-Regular.ttf").read_bytes())
    template = project / "layouts" / "pamphlet" / "pamphlet.html"
    template.write_text(
        template.read_text().replace(
            "{% endblock %}",
            f'<link rel="stylesheet" href="{outside_css.as_uri()}">'
            f'<link rel="stylesheet" href="{url}/remote.css">'
            f'<link rel="attachment" href="{attachment.as_uri()}">'
            f"<style>@font-face {{ font-family: Outside; src: url({font.as_uri()}) }}"
            " h1 { font-family: Outside }</style>"
            "{% endblock %}",
            1,
        )
    )
    assert main(["--project", str(project)]) == 0
    err = capsys.readouterr().err
    for refused in (outside_css.as_uri(), f"{url}/remote.css", attachment.as_uri(), font.as_uri()):
        assert f"warning leaflet.md: refused {refused}" in err
    assert hits == []
    for suffix in ("a5", "a5-print"):
        assert MARKER.encode() not in all_bytes(project / "output" / "leaflet" / f"leaflet-{suffix}.pdf")
