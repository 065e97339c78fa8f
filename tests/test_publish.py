"""The download page, manifest.json and SHA256SUMS: every output listed, checksums right, nothing from outside."""

from __future__ import annotations

import hashlib
import html
import json
import re
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
from PIL import Image

from samizdat.catalogue import SUFFIXES

#: Issue 15 added lang and text (the language of each file's edition, the slug of the text it belongs to).
MANIFEST_KEYS = {"document", "output", "purpose", "paper", "pages", "bytes", "sha256", "path", "thumbnail"} | {
    "lang", "text"
}


@pytest.fixture(scope="module")
def output(statement_output: Path) -> Path:
    return statement_output.parent


class Links(HTMLParser):
    """Every URL the page refers to, by tag and attribute."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[tuple[str, str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("href", "src") and value:
                self.urls.append((tag, name, value))


def test_manifest_lists_every_output_with_right_sizes_and_checksums(output: Path):
    manifest = json.loads((output / "manifest.json").read_text())
    files = manifest["files"]
    made = sorted(path.relative_to(output).as_posix() for path in output.rglob("*.*")
                  if path.suffix in SUFFIXES and path.name != "index.html"  # the PDFs and the reader editions
                  and path.relative_to(output).parts[0] != "thumbnails")  # fmt: skip
    assert sorted(entry["path"] for entry in files) == made
    for entry in files:
        assert set(entry) == MANIFEST_KEYS
        data = (output / entry["path"]).read_bytes()
        assert entry["bytes"] == len(data) and entry["sha256"] == hashlib.sha256(data).hexdigest()
        pdf = entry["path"].endswith(".pdf")  # a reader edition (HTML, EPUB, text) has no paper, pages nor thumbnail
        assert entry["purpose"] and bool(entry["paper"]) == pdf and (entry["pages"] >= 1) == pdf
        assert bool(entry["thumbnail"]) == pdf
        assert (entry["lang"], entry["text"]) == ("en", "stop-the-war") == ("en", entry["document"])
    papers = {entry["output"]: entry["paper"] for entry in files}
    assert papers["stop-the-war-a5.pdf"] == "A5" and papers["stop-the-war-booklet-a4.pdf"] == "A4 landscape"
    assert papers["stop-the-war-a3.pdf"] == "A3" and papers["stop-the-war-a3-tiled-a4.pdf"] == "A4"


def test_sha256sum_checks_every_file_a_mirror_copies(output: Path):
    check = subprocess.run(["sha256sum", "--strict", "-c", "SHA256SUMS"], cwd=output, capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr
    checked = {line.removesuffix(": OK") for line in check.stdout.splitlines()}
    mirrored = {
        path.relative_to(output).as_posix()
        for path in output.rglob("*")
        if path.is_file() and ".cache" not in path.relative_to(output).parts and path.name != "SHA256SUMS"
    }
    assert checked == mirrored
    assert {"index.html", "manifest.json", "thumbnails/stop-the-war/stop-the-war-a5.png"} <= checked
    lines = (output / "SHA256SUMS").read_text().splitlines()
    assert lines == sorted(lines, key=lambda line: line.split("  ", 1)[1]), "sorted by path: reproducible bytes"


def test_the_page_lists_every_file_and_stands_alone(output: Path):
    page = (output / "index.html").read_text()
    assert len(page.encode()) < 100_000
    links = Links()
    links.feed(page)
    manifest = json.loads((output / "manifest.json").read_text())["files"]
    hrefs = [url for tag, name, url in links.urls if tag == "a"]
    for entry in manifest:
        assert entry["path"] in hrefs and entry["sha256"] in page and entry["purpose"] in html.unescape(page)
    for _, _, url in links.urls:
        assert not re.match(r"[a-z]+:", url), f"{url} leaves the folder"
        assert (output / url).is_file(), url
    assert "<script src" not in page and "<link" not in page and "@import" not in page and "url(" not in page
    assert "Russia: “Stop the War” Means “Death to the Dictatorship”" in page
    assert "Russian Socialist Movement" in page


def test_thumbnails_are_small_images_of_first_pages(output: Path):
    for entry in json.loads((output / "manifest.json").read_text())["files"]:
        if not entry["thumbnail"]:  # a reader edition
            continue
        path = output / entry["thumbnail"]
        assert path.stat().st_size < 60_000
        with Image.open(path) as image:
            assert image.format == "PNG" and image.width == 240
    assert 'loading="lazy"' in (output / "index.html").read_text()
