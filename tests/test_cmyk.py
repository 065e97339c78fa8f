"""CMYK print files: colour tokens as device-cmyk(), the press profile as output intent, PDF/X-3, reproducible."""

from __future__ import annotations

import re
import subprocess
from dataclasses import replace
from pathlib import Path

import pypdfium2
import pytest
import zxingcpp
from conftest import make_project
from pypdf import PdfReader
from test_pamphlet import needs

from samizdat.cli import main
from samizdat.preflight import ERROR, expectations_for, preflight

CMYK_CONFIG = "print:\n  colour: cmyk\nposters:\n  url: https://example.org/join\n"
LEAFLET = "---\ntitle: Leaflet\nauthor: Us\nlang: en\nslogans: [Peace now]\n---\n\n## A heading\n\nSome text.\n"


def cmyk_project(root: Path, css: str = "") -> Path:
    make_project(root, {"leaflet": LEAFLET})
    (root / "samizdat.yaml").write_text(CMYK_CONFIG)
    if css:
        pamphlet = root / "layouts" / "pamphlet" / "pamphlet.css"
        pamphlet.write_text(pamphlet.read_text() + css)
    return root


@pytest.fixture(scope="module")
def cmyk_output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = cmyk_project(tmp_path_factory.mktemp("cmyk") / "project")
    assert main(["--project", str(project)]) == 0
    return project / "output" / "leaflet"


def colour_spaces(path: Path) -> str:
    findings = preflight(path.read_bytes(), expectations_for(path.name))
    return next(finding.message for finding in findings if finding.message.startswith("colour spaces"))


@pytest.mark.parametrize("name", ["leaflet-a5-print.pdf", "posters/peace-now-a3-print.pdf"])
def test_the_print_files_are_pdf_x_3_in_cmyk_with_the_press_profile(cmyk_output: Path, name: str):
    path = cmyk_output / name
    reader = PdfReader(path)
    assert reader.metadata["/GTS_PDFXVersion"] == "PDF/X-3:2003"
    [intent] = [item.get_object() for item in reader.trailer["/Root"]["/OutputIntents"]]
    assert intent["/S"] == "/GTS_PDFX"
    assert intent["/OutputConditionIdentifier"] == "ISO Coated v2 300% (basICColor)"
    assert intent["/DestOutputProfile"].get_object()["/N"] == 4
    assert reader.metadata["/CreationDate"] == "D:19700101000000Z", "undated: a fixed date, never the build's"
    assert "DeviceRGB" not in colour_spaces(path)
    findings = preflight(path.read_bytes(), replace(expectations_for(name), cmyk=True))
    assert [finding for finding in findings if finding.severity == ERROR] == []


def test_the_colour_tokens_become_cmyk_and_greys_black_ink_alone(cmyk_output: Path):
    content = b"".join(page.get_contents().get_data() for page in PdfReader(cmyk_output / "leaflet-a5-print.pdf").pages)
    assert b"0 0 0 0.894 scn" in content, "the ink colour #1b1b1b is black ink alone"
    assert re.search(rb"0\.188 0\.992 0\.957 0\.149 scn", content), "the accent through the press profile"
    assert b" rg" not in content and b" RG" not in content


def test_the_screen_files_stay_rgb_and_tagged(cmyk_output: Path):
    assert "DeviceCMYK" not in colour_spaces(cmyk_output / "leaflet-a5.pdf")
    reader = PdfReader(cmyk_output / "leaflet-a5.pdf")
    assert "/StructTreeRoot" in reader.trailer["/Root"] and "/OutputIntents" not in reader.trailer["/Root"]


def test_the_qr_code_of_a_cmyk_poster_is_grey_and_still_scans(cmyk_output: Path):
    path = cmyk_output / "posters" / "peace-now-a3-print.pdf"
    assert colour_spaces(path) == "colour spaces: DeviceCMYK (page 1); DeviceGray (page 1)"
    image = pypdfium2.PdfDocument(path)[0].render(scale=3).to_pil()
    assert [result.text for result in zxingcpp.read_barcodes(image)] == ["https://example.org/join"]


def test_cmyk_print_files_are_the_same_bytes_every_time(cmyk_output: Path, tmp_path: Path):
    project = cmyk_output.parent.parent
    assert main(["--project", str(project), "--output", str(tmp_path / "again"), "--jobs", "1"]) == 0
    for name in ("leaflet-a5-print.pdf", "posters/peace-now-a3-print.pdf", "leaflet-a5.pdf"):
        assert (tmp_path / "again" / "leaflet" / name).read_bytes() == (cmyk_output / name).read_bytes(), name


def test_qpdf_and_the_check_command_accept_the_cmyk_files(cmyk_output: Path, cli):
    run = cli("check", "--project", str(cmyk_output.parent.parent))
    assert run.code == 0 and "files checked" in run.out and "0 failed" in run.out
    needs("qpdf")
    for path in cmyk_output.rglob("*.pdf"):
        assert subprocess.run(["qpdf", "--check", str(path)], capture_output=True, check=False).returncode == 0


def test_an_rgb_colour_left_in_a_layout_fails_preflight_under_a_cmyk_profile(tmp_path: Path, capsys):
    project = cmyk_project(tmp_path / "project", css="\n.text h2 { color: rgb(0, 90, 200); }\n")
    assert main(["--project", str(project)]) == 1
    captured = capsys.readouterr()
    assert "preflight error: leaflet-a5-print.pdf: DeviceRGB colour on page 2: the print profile asks for CMYK" in (
        captured.err
    )
    assert "failed preflight" in captured.out
    screen = [line for line in captured.out.splitlines() if line.startswith("leaflet/leaflet-a5.pdf ")]
    assert screen and screen[0].endswith("pass"), "RGB is fine on screen"
