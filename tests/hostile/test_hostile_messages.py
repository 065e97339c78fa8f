"""Smaller truths under attack: every message printable and bounded, counts in good English, images and
backslash paths explained on their line, and a SHA256SUMS that vouches for every file a mirror copies."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from PIL import Image

FRONT = "---\ntitle: A leaflet\nauthor: Us\nlang: en\n---\n\nText.\n\n"  # line 9 is the first after the text
#: No line samizdat prints is longer than this (samizdat.messages.LONGEST_LINE is 1000: three long paths fit).
LONGEST = 1020


def not_an_image(content: Path) -> None:
    (content / "fake.png").write_text("this is text, not a PNG")


def bad_svg(content: Path) -> None:
    (content / "bad.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'><rect></svg>")


def huge_image(content: Path) -> None:
    Image.new("1", (14000, 14000)).save(content / "huge.png")  # 196 million pixels in a 20 KB file


def photo_in_folder(content: Path) -> None:
    (content / "pics").mkdir()
    Image.new("RGB", (600, 600), "red").save(content / "pics" / "photo.jpg")


def nothing(content: Path) -> None:
    pass


#: (case, file name → text, what else content/ holds, exit code, fragments the output must have, must not have)
CASES = [
    (
        "escape sequences in a file name",
        {"bad\x1b]0;owned\x07\x1b[2J.md": "---\ntitle: [\n---\n"},
        nothing, 1, ["bad\\x1b]0;owned\\x07\\x1b[2J.md:3:", "FAILED  bad\\x1b]0;owned"], ["\x1b", "\x07"],
    ),
    (
        "a bidi override in a file name",
        {"invoice\u202egpj.md": "---\ntitle: [\n---\n"},
        nothing, 1, ["invoice\\u202egpj.md:3:"], ["\u202e"],
    ),
    (
        "control characters in the text",
        {"bell.md": FRONT + "A bell \x07 and an escape \x1b[5m here.\n"},
        nothing, 1, ["bell.md:9: this line holds the control character U+0007"],
        ["\x1b", "\x07"],
    ),
    (
        "a 19 KB image URL (a line under samizdat's limit of 20,000 characters)",
        {"long.md": FRONT + "![x](https://example.org/" + "a" * 19_000 + ".png)\n"},
        nothing, 0, ["refused https://example.org/aaaa", "aaaa.png (network access is off)", "…"], [],
    ),
    (
        "a missing image with a 250-character name",
        {"path.md": FRONT + "![x](" + "b" * 250 + ".png)\n"},
        nothing, 1, ["path.md:9: this line names ", "bbbb.png, which does not exist", "…"], [],
    ),
    (
        "a 5000-character image path",
        {"path.md": FRONT + "![x](" + "b" * 5000 + ".png)\n"},
        nothing, 0, ["path.md: line 9: the image bbbb", "…", "is left out: it cannot be read (File name too long)"],
        ["damaged"],
    ),
    (
        "a file that is not an image",
        {"fake.md": FRONT + "![x](fake.png)\n"},
        not_an_image, 0, ["fake.md: line 9: the image fake.png is left out: it is not a picture samizdat can read"],
        ["Failed to load image"],
    ),
    (
        "an SVG that is not valid XML",
        {"svg.md": FRONT + "![x](bad.svg)\n"},
        bad_svg, 0, ["svg.md: line 9: the image bad.svg is left out: it is not a valid SVG file (mismatched tag"],
        ["Failed to load image"],
    ),
    (
        "an image too big to open",
        {"huge.md": FRONT + "![x](huge.png)\n"},
        huge_image, 0, ["huge.png (a picture of 196,000,000 pixels, over the limit of 50,000,000)"],
        ["Failed to load image", "DOS attack"],
    ),
    (
        "a Windows path",
        {"windows.md": FRONT + "![A photo](pics\\photo.jpg)\n"},
        photo_in_folder, 1,
        ["windows.md:9: the image path pics\\photo.jpg has backslashes", "forward slashes: pics/photo.jpg"],
        ["the layout"],
    ),
    (
        "a Windows path that Markdown unescapes",
        {"escaped.md": FRONT + "![A photo](pics\\_photo.jpg)\n"},
        nothing, 1, ["escaped.md:9: the image path pics\\_photo.jpg has backslashes", "slashes: pics/_photo.jpg"],
        ["the layout"],
    ),
]  # fmt: skip


@pytest.mark.parametrize(
    ("documents", "extra", "code", "expected", "forbidden"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_every_message_is_printable_bounded_and_says_where(workspace, documents, extra, code, expected, forbidden):
    for name, text in documents.items():
        (workspace.content / name).write_text(text, encoding="utf-8")
    extra(workspace.content)
    run = workspace.build()
    printed = run.out + run.err
    assert run.code == code, printed
    for fragment in expected:
        assert fragment in printed
    for fragment in forbidden:
        assert fragment not in printed
    assert not [char for char in printed if ord(char) < 32 and char != "\n"], "no control character is printed"
    assert max(len(line) for line in printed.splitlines()) < LONGEST


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A 4-page A5 PDF to impose and check, and a 1-page one to tile."""
    from samizdat.pdf import lay_out, write_pdf
    from samizdat.project import Project

    fonts = Project.at(Path(__file__).resolve().parents[2]).fonts_dir
    made = {}
    for name, pages in (("pdf", 4), ("page", 1)):
        html = "<style>@page { size: A5 } p { break-after: page }</style>" + "<p>Page</p>" * pages
        layout = lay_out(html, base_url=fonts.as_uri() + "/", allowed_dirs=[], fonts_dir=fonts)
        made[name] = tmp_path_factory.mktemp("plurals") / f"{name}.pdf"
        made[name].write_bytes(write_pdf(layout))
    return made


@pytest.mark.parametrize(
    ("command", "said", "not_said"),
    [
        (["impose", "--layout", "zine", "{pdf}"], "(1 sheet side, ", "1 sheet sides"),
        (["impose", "--layout", "saddle", "{pdf}"], "(2 sheet sides, ", "2 sheet side,"),
        (["tile", "--sheet", "A4", "{page}"], "(1 sheet, ", "1 sheets"),
        (["tile", "--sheet", "A4", "{pdf}"], "(4 sheets, ", "4 sheet,"),
        (["check", "{pdf}"], "1 file checked: 1 passed, 0 failed, ", "1 files"),
        (["check", "{pdf}", "{page}"], "2 files checked: 2 passed, 0 failed, ", "2 file checked"),
    ],
    ids=["one side", "two sides", "one sheet", "four sheets", "one file", "two files"],
)
def test_counts_are_said_in_good_english(cli, pdfs, tmp_path, command, said, not_said):
    output = ["-o", str(tmp_path / "out.pdf")] if command[0] in ("impose", "tile") else []
    run = cli(*(str(pdfs[word[1:-1]]) if word.startswith("{") else word for word in command), *output)
    assert run.code == 0, run.out + run.err
    assert said in run.out and not_said not in run.out + run.err


@pytest.mark.parametrize(("warnings", "said"), [(0, "0 warnings in"), (1, "1 warning in"), (2, "2 warnings in")])
def test_the_summary_counts_warnings_right(workspace, warnings, said):
    pictures = "".join(f"![x](/etc/passwd{number})\n\n" for number in range(warnings))
    workspace.write("warned.md", FRONT + pictures)
    run = workspace.build()
    assert run.code == 0 and said in run.out, run.out + run.err


def mirrored(output: Path) -> set[str]:
    """Every file a mirror of output/ copies: all of it but the cache and SHA256SUMS itself."""
    return {
        path.relative_to(output).as_posix()
        for path in output.rglob("*")
        if path.is_file() and ".cache" not in path.relative_to(output).parts and path.name != "SHA256SUMS"
    }


def sha256sum(output: Path) -> subprocess.CompletedProcess:
    return subprocess.run(["sha256sum", "--strict", "-c", "SHA256SUMS"], cwd=output, capture_output=True, text=True)


@pytest.mark.parametrize(
    "damage",
    ["index.html", "manifest.json", "thumbnails/leaflet/leaflet-a5.png", "thumbnails/leaflet/posters/peace-now-a3.png"],
)
def test_sha256sums_vouches_for_every_mirrored_file_and_a_damaged_one_is_made_again(
    tmp_path, built_projects, cli, damage
):
    leaflet = FRONT.replace("lang: en\n", "lang: en\nslogans: [Peace now]\n")
    root = built_projects(tmp_path / "project", {"content/leaflet.md": leaflet})  # its build made once, copied
    output = root / "output"
    check = sha256sum(output)
    assert check.returncode == 0, check.stdout + check.stderr
    assert {line.removesuffix(": OK") for line in check.stdout.splitlines()} == mirrored(output)
    target = output / damage
    good = target.read_bytes()
    target.write_bytes(good[: len(good) // 2])  # cut short, as a full disk or a bad copy leaves it
    assert sha256sum(output).returncode != 0
    run = cli("--project", str(root))
    assert run.code == 0 and target.read_bytes() == good, run.out + run.err
    assert sha256sum(output).returncode == 0


def test_sha256sums_is_the_same_bytes_from_two_builds(workspace, tmp_path):
    workspace.write("leaflet.md", FRONT)
    assert workspace.build().code == 0
    first = (workspace.output / "SHA256SUMS").read_bytes()
    workspace.output = tmp_path / "again"
    assert workspace.build().code == 0
    assert (workspace.output / "SHA256SUMS").read_bytes() == first
    assert first.decode().count("\n") == len(mirrored(workspace.output))


@pytest.mark.parametrize("data", [b"", b"\0" * 4096, b"%PDF-1.7\n%%EOF\n"], ids=["empty", "zeroed", "no pages"])
def test_a_damaged_pdf_gets_a_message_not_a_thumbnail(data):
    from samizdat.errors import SamizdatError
    from samizdat.thumbnails import thumbnail

    with pytest.raises(SamizdatError, match=r"^output/x\.pdf is damaged \(.+\): delete it and build again$"):
        thumbnail(data, "output/x.pdf")


def test_one_bad_layout_line_gives_a_few_findings_per_file_and_says_how_to_see_the_rest(tmp_path, capsys):
    """A page of 20 mm made 1,532 preflight lines (400 KB) under the summary; now five a file, then the count."""
    import re

    from conftest import VALID_FRONT_MATTER, make_project

    from samizdat.cli import main
    from samizdat.progress import MAX_FINDINGS

    text = "\n\n".join(f"Paragraph {number} of the leaflet, long enough to fill a page." for number in range(30))
    root = make_project(tmp_path / "project", {"leaflet": VALID_FRONT_MATTER + text + "\n"})
    with (root / "layouts" / "pamphlet" / "pamphlet.css").open("a", encoding="utf-8") as css:
        css.write("\n@page { size: 20mm 20mm; margin: 1mm }\n")
    capsys.readouterr()
    assert main(["--project", str(root)]) == 1
    out, err = capsys.readouterr()
    summary = out[out.index("preflight\n") :]  # the table's header ends in its last column
    for name in ("leaflet/leaflet-a5.pdf", "leaflet/leaflet-a5-print.pdf"):
        assert summary.count(f"preflight error: {name}: ") == MAX_FINDINGS, summary
        assert err.count(f"preflight error: {Path(name).name}: ") == MAX_FINDINGS, err
        pdf = root / "output" / name
        more = re.search(rf"… and (\d+) more on {name} \(python build.py check (\S+) lists them all\)", summary)
        assert more and Path(more.group(2)).resolve() == pdf.resolve(), summary
        assert main(["check", more.group(2)]) == 1
        listed = capsys.readouterr().out
        assert f"({MAX_FINDINGS + int(more.group(1))} errors, " in listed and int(more.group(1)) > 10, listed
    assert len(out) < 20_000 and len(err) < 20_000


@pytest.mark.parametrize(
    ("drawing", "said"),
    [(b"0 0 1 rg 2 100 50 50 re f", "(1 such edge on the page)"),
     (b"0 0 1 rg 2 2 50 50 re f", "(2 such edges on the page)")],
    ids=["one edge", "two edges"],
)  # fmt: skip
def test_art_in_the_safe_margin_is_counted_in_good_english(drawing, said):
    """'(1 such edges on the page)' was said of a square whose left edge alone came within the margin."""
    from pdfs import one_page_pdf

    from samizdat.preflight import expectations_for, preflight

    findings = preflight(one_page_pdf(b"/MediaBox [0 0 420 595]", drawing), expectations_for("art-a5.pdf"))
    [finding] = [finding for finding in findings if finding.check == "safe-margin"]
    assert said in finding.message and "1 such edges" not in finding.message, finding.message
