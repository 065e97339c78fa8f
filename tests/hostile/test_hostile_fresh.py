"""On a fresh machine: the same bytes without HarfBuzz-Subset, a cache that knows what made a file, no builder paths."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import REPO, VALID_FRONT_MATTER
from fontTools.ttLib import TTFont
from pypdf import PdfReader

from samizdat.cli import main
from samizdat.toolchain import subsetter, toolchain


def embedded_fonts(pdf: bytes) -> list[bytes]:
    """The font programs embedded in a PDF (FontFile2/FontFile3 streams)."""
    found = []
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            font = font.get_object()
            for descendant in font.get("/DescendantFonts") or [font]:
                descriptor = descendant.get_object().get("/FontDescriptor")
                for key in ("/FontFile2", "/FontFile3", "/FontFile"):
                    if descriptor is not None and key in descriptor.get_object():
                        found.append(descriptor.get_object()[key].get_object().get_data())
    return found


def test_the_subsetter_named_in_the_cache_key_is_the_one_weasyprint_uses():
    from weasyprint.text.ffi import harfbuzz, harfbuzz_subset

    uses_harfbuzz = harfbuzz_subset is not None and harfbuzz.hb_version_atleast(4, 1, 0)
    assert subsetter() == ("HarfBuzz" if uses_harfbuzz else "fontTools")
    assert f"font subsetter: {subsetter()}" in toolchain()
    assert "weasyprint 70.0" in toolchain()


def test_fonts_subset_by_fonttools_carry_no_build_time(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys):
    """Without libharfbuzz-subset0 WeasyPrint subsets with fontTools, which stamps 'now' into each font's head table.

    WeasyPrint's own switch is turned to fontTools here (as on a fresh Debian machine), and two builds a second
    apart must still give the same bytes, with the user's environment as it was.
    """
    import weasyprint.pdf.fonts

    monkeypatch.setattr(weasyprint.pdf.fonts, "harfbuzz_subset", None)
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "leaflet.md").write_text(VALID_FRONT_MATTER + "\nSome text in Charis.\n")
    built = []
    for run in range(2):
        output = tmp_path / f"output-{run}"
        assert main(["--project", str(REPO), "--content", str(tmp_path / "content"), "--output", str(output)]) == 0
        built.append((output / "leaflet" / "leaflet-a5.pdf").read_bytes())
        time.sleep(1.1)  # fontTools' timestamps are in seconds
    assert "SOURCE_DATE_EPOCH" not in os.environ
    assert "fontTools" not in "".join(capsys.readouterr()), "not the document's fault: make says how to install it"
    assert built[0] == built[1]
    fonts = embedded_fonts(built[0])
    assert fonts, "no embedded font programs found"
    for program in fonts:
        head = TTFont(io.BytesIO(program))["head"]
        assert head.modified == 2_082_844_800  # 1970-01-01 in the head table's seconds since 1904, never 'now'


def fake_dist_info(folder: Path, name: str, version: str) -> dict[str, str]:
    """An environment whose sys.path starts with a folder claiming another version of a package."""
    (folder / f"{name}-{version}.dist-info").mkdir(parents=True)
    return {**os.environ, "PYTHONPATH": str(folder)}


def test_another_typesetter_version_rebuilds_what_it_made(tmp_path: Path):
    project = tmp_path / "project"
    shutil.copytree(REPO / "layouts", project / "layouts")
    shutil.copytree(REPO / "fonts", project / "fonts")
    (project / "content").mkdir()
    (project / "content" / "leaflet.md").write_text(VALID_FRONT_MATTER + "\nSome text.\n")

    def build(env: dict | None = None) -> str:
        command = [sys.executable, str(REPO / "build.py"), "--project", str(project), "--jobs", "1"]
        done = subprocess.run(command, capture_output=True, text=True, env=env, timeout=120, check=False)
        assert done.returncode == 0, done.stdout + done.stderr
        return done.stdout

    build()
    assert "0 built" in build()  # nothing changed: nothing made again
    again = build(fake_dist_info(tmp_path / "newer", "weasyprint", "71.0"))
    assert re.search(r"leaflet/leaflet-a5\.pdf .* built ", again), again
    assert not re.search(r"up to date", again.split("-----")[-1]), again  # every output made again


LOCAL_EDITION_LINK = "../../../other/other-a5.pdf"


LINKS = {
    "a web address": ("[the site](https://example.org/x)", "https://example.org/x"),
    "another document": ("[the other](other.md)", "../other/other-a5.pdf"),
    "another document, at an anchor": ("[the other](other.md#part)", "../other/other-a5.pdf"),
    "a section": ("[below](#below)", None),
}


@pytest.mark.parametrize("body, expected", LINKS.values(), ids=LINKS.keys())
def test_links_carry_no_builder_path(workspace, body: str, expected: str | None):
    workspace.write("other.md", VALID_FRONT_MATTER + "\nThe other text.\n")
    workspace.write("leaflet.md", VALID_FRONT_MATTER + f"\nRead {body} now.\n\n## Below {{#below}}\n\nText.\n")
    run = workspace.build()
    assert run.code == 0, run.out + run.err
    for suffix in ("a5", "a5-print"):
        data = workspace.pdf("leaflet", suffix).read_bytes()
        assert b"file:" not in data and str(workspace.content).encode() not in data
        uris = [
            annotation.get_object().get("/A", {}).get("/URI")
            for page in PdfReader(io.BytesIO(data)).pages
            for annotation in page.get("/Annots") or []
        ]
        if expected and suffix == "a5":
            assert expected in uris
        if suffix == "a5-print":  # paper: nothing to click (samizdat.links prints the addresses instead)
            assert not any(uris)


@pytest.mark.parametrize(
    "link",
    [
        "secret.txt",
        "../outside/secret.txt",
        "/etc/passwd",
        "pictures/",
        "missing.md",
        "sub/other.md",
        "javascript:alert(1)",
        "file:///etc/passwd",
    ],
)
def test_links_to_files_are_refused_with_their_line(workspace, link: str):
    (workspace.content / "secret.txt").write_text("not for print")
    workspace.write("good.md", VALID_FRONT_MATTER + "\nA good one.\n")
    workspace.write("leaflet.md", VALID_FRONT_MATTER + f"\nFirst paragraph.\n\nSee [this]({link}) too.\n")
    run = workspace.build()
    assert run.code == 1
    assert f"leaflet.md:9: the link to '{link}' points to a file or a script" in run.out + run.err
    assert "Traceback" not in run.out + run.err
    assert workspace.pdf("good").is_file()


def test_a_local_editions_link_to_another_document_climbs_out_of_its_own_folder(workspace):
    workspace.write("other.md", VALID_FRONT_MATTER + "\nThe other text.\n")
    workspace.write("groups.csv", "town,meeting\nSampleton,Mondays at the library\n")
    front = VALID_FRONT_MATTER.replace("lang: en\n", "lang: en\nlocal:\n  data: groups.csv\n")
    workspace.write("leaflet.md", front + "\nRead [the other](other.md).\n")
    run = workspace.build()
    assert run.code == 0, run.out + run.err
    local = workspace.output / "leaflet" / "local" / "sampleton" / "leaflet-a5.pdf"
    uris = [a.get_object()["/A"]["/URI"] for page in PdfReader(local).pages for a in page.get("/Annots") or []]
    assert uris == [LOCAL_EDITION_LINK]
    assert (workspace.output / "leaflet" / "local" / "sampleton" / LOCAL_EDITION_LINK).resolve().is_file()


def test_a_picture_given_as_a_file_address_is_refused_with_its_line(workspace):
    workspace.write("leaflet.md", VALID_FRONT_MATTER + "\nText.\n\n![a photo](file:///etc/photo.png)\n")
    run = workspace.build()
    assert run.code == 1
    assert "leaflet.md:9: the picture 'file:///etc/photo.png' is given as a file: address" in run.out + run.err


def test_shards_built_by_another_toolchain_are_not_merged_as_if_equal(tmp_path: Path, capsys):
    """Shard 2 is built where WeasyPrint claims another version: the whole build says so and makes its files again."""
    project = tmp_path / "project"
    shutil.copytree(REPO / "layouts", project / "layouts")
    shutil.copytree(REPO / "fonts", project / "fonts")
    (project / "content").mkdir()
    for name in ("one", "two"):
        front = VALID_FRONT_MATTER.replace("lang: en\n", "lang: en\nslogans: [Peace now]\n")  # shard 2: the posters
        (project / "content" / f"{name}.md").write_text(front + f"\nThe {name} text.\n")
    elsewhere = fake_dist_info(tmp_path / "elsewhere", "weasyprint", "71.0")
    for index, env in ((1, None), (2, elsewhere)):
        command = [sys.executable, str(REPO / "build.py"), "--project", str(project), "--shard", f"{index}/2"]
        done = subprocess.run(command, capture_output=True, text=True, env=env, timeout=120, check=False)
        assert done.returncode == 0, done.stdout + done.stderr
    assert (project / "output/.cache/toolchain.shard-2-of-2.txt").read_text().count("weasyprint 71.0") == 1
    capsys.readouterr()
    assert main(["--project", str(project)]) == 0
    out, err = capsys.readouterr()
    assert "targets.shard-2-of-2.json was built with weasyprint 71.0, not this machine's weasyprint 70.0" in err
    assert "targets.shard-1-of-2.json" not in err
    built = [line.split()[1] for line in out.splitlines() if line.startswith("  built ")]
    assert len(built) > 1, "the other toolchain's files were taken as this machine's"
    assert not list((project / "output/.cache").glob("toolchain.shard-*"))
