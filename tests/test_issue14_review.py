"""Issue 14, reviewed where its parts meet: each case failed before its fix."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from samizdat.serve import serve

REPO = Path(__file__).resolve().parents[1]
CONSOLE = Path(sys.executable).parent / "samizdat"  # the console script, where samizdat is installed


def run(command: list[str], cwd: Path = REPO) -> subprocess.CompletedProcess:
    """samizdat run as a user runs it, on this checkout's code."""
    environment = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run(command, cwd=cwd, env=environment, capture_output=True, text=True, timeout=300, check=False)


# How samizdat was run is how its usage lines and hints name it.


@pytest.mark.parametrize(
    "how, named",
    [
        ([sys.executable, str(REPO / "build.py")], "build.py"),
        ([str(CONSOLE)], "samizdat"),
        ([sys.executable, "-m", "samizdat"], "python -m samizdat"),
    ],
)
def test_usage_and_hints_name_the_command_the_user_ran(how, named):
    if not Path(how[0]).exists():
        pytest.skip("no samizdat console script beside this Python")
    wrong = run([*how, "tile"])
    assert wrong.returncode == 2 and "Traceback" not in wrong.stderr
    assert wrong.stderr.startswith(f"{named} tile: the following arguments are required")
    assert f"Run '{named} tile --help'" in wrong.stderr
    shown = run([*how, "--help"])
    assert shown.returncode == 0 and shown.stdout.startswith(f"usage: {named} [-h]")
    assert f"Run `{'python build.py' if named == 'build.py' else named} build --help`" in shown.stdout

# serve: what it watches, for a project made with `samizdat new` (no layouts/, no fonts/, maybe no samizdat.yaml).


@pytest.mark.parametrize(
    "made",
    [
        "layouts/pamphlet/pamphlet.css",  # the first override of a built-in layout
        "fonts/mine/Mine-Regular.ttf",
        "samizdat.yaml",
    ],
)
def test_serve_rebuilds_when_a_watched_folder_or_file_appears_after_it_started(tmp_path, made):
    (tmp_path / "content").mkdir()
    (tmp_path / "output").mkdir()
    watched = [tmp_path / "content", tmp_path / "layouts", tmp_path / "fonts", tmp_path / "samizdat.yaml"]
    builds: list[set[Path]] = []
    rebuilt, started, stop = threading.Event(), threading.Event(), threading.Event()

    def rebuild(changed: set[Path]) -> list[str]:
        builds.append(changed)
        if changed:
            rebuilt.set()
        return []

    server = threading.Thread(
        target=serve, args=(tmp_path / "output", watched, rebuild, 0, stop, lambda port: started.set()), daemon=True
    )
    server.start()
    try:
        assert started.wait(10)
        time.sleep(0.3)  # the watch is running
        path = tmp_path / made
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("/* mine */\n")
        assert rebuilt.wait(10), f"creating {made} after serve started rebuilt nothing"
        assert any(any(changed == path or path.is_relative_to(changed) for changed in batch) for batch in builds)
    finally:
        stop.set()
        server.join(10)
    assert not server.is_alive()


# `samizdat tile` anywhere: outside a project the labels are set with the built-in layouts and fonts.


def a3_poster() -> bytes:
    """A blank A3 page with one word: enough to tile."""
    import io

    import pydyf

    pdf = pydyf.PDF()
    font = pydyf.Dictionary({"Type": "/Font", "Subtype": "/Type1", "BaseFont": "/Helvetica"})
    pdf.add_object(font)
    stream = pydyf.Stream()
    stream.begin_text()
    stream.set_font_size("F1", 90)
    stream.set_text_matrix(1, 0, 0, 1, 100, 600)
    stream.show_text_string("POSTER")
    stream.end_text()
    pdf.add_object(stream)
    resources = pydyf.Dictionary({"Font": pydyf.Dictionary({"F1": font.reference})})
    box = pydyf.Array([0, 0, 842, 1191])
    page = {"Type": "/Page", "Parent": pdf.pages.reference, "Resources": resources, "MediaBox": box}
    pdf.add_page(pydyf.Dictionary({**page, "Contents": stream.reference}))
    output = io.BytesIO()
    pdf.write(output)
    return output.getvalue()


OWN_LABELS = "{% for l in labels %}<p style='break-after: page'>MINE {{ l }}</p>{% endfor %}"


def label_words(pdf: Path) -> str:
    import pdfplumber

    with pdfplumber.open(pdf) as opened:
        return " ".join(page.extract_text() or "" for page in opened.pages)


@pytest.mark.parametrize(
    "folder, project, code, said",
    [
        ({}, None, 0, "4 sheets"),  # no project here: the built-in labels, as the samizdat command is run anywhere
        ({"content/x.md": "", "layouts/poster/labels.html": OWN_LABELS}, None, 0, "4 sheets"),  # a project here
        ({"content/x.md": "", "layouts/poster/labels.html": "{% for l in labels %}<p>{{ l }}</p>{% endfor %}"},
         None, 1, "sets 4 labels on 1 pages: each label must be a page of its own"),  # a traceback before
        ({}, "elsewhere", 1, "is not a samizdat project"),  # a --project given that is none: said so
    ],
)  # fmt: skip
def test_tile_sets_labels_with_the_project_here_else_the_built_in_layouts(
    tmp_path, monkeypatch, cli, folder, project, code, said
):
    for name, text in folder.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    (tmp_path / "poster.pdf").write_bytes(a3_poster())
    monkeypatch.chdir(tmp_path)
    options = ["--project", str(tmp_path / project)] if project else []
    tiled = cli("tile", "poster.pdf", "--sheet", "A4", "-o", "tiles.pdf", *options)
    assert tiled.code == code and said in tiled.out + tiled.err and "Traceback" not in tiled.err
    if code:
        assert not (tmp_path / "tiles.pdf").exists()
        return
    mine = folder.get("layouts/poster/labels.html") == OWN_LABELS
    assert ("MINE" in label_words(tmp_path / "tiles.pdf")) == mine
    assert "kind: tiled on A4, as the file says" in cli("check", "tiles.pdf").out  # (its Helvetica is not embedded)


# merge: the download page is the merging samizdat's, so shards built by another samizdat are refused.


@pytest.fixture(scope="module")
def two_shards(tmp_path_factory) -> Path:
    """A one-document project built in two shards (shards/1, shards/2)."""
    import json

    from conftest import VALID_FRONT_MATTER, make_project

    from samizdat.cli import main

    root = tmp_path_factory.mktemp("shards")
    project = make_project(root / "project", {"leaflet": VALID_FRONT_MATTER + "\nThe text.\n"})
    for index in (1, 2):
        shard = ["--shard", f"{index}/2", "--output", str(root / str(index)), "--jobs", "1"]
        assert main(["--project", str(project), *shard]) == 0
    for index in (1, 2):  # both by one samizdat, not this one
        path = root / str(index) / ".cache" / f"shard-{index}-of-2.json"
        stamp = json.loads(path.read_text())
        stamp["engine"]["samizdat"] = "samizdat 9.9 (source 0123456789abcdef)"
        path.write_text(json.dumps(stamp))
    return root


def test_merge_refuses_shards_built_by_another_samizdat_than_its_own(two_shards: Path, cli):
    project, out = two_shards / "project", two_shards / "merged"
    merged = cli("merge", str(two_shards / "1"), str(two_shards / "2"), "--project", str(project), "--output", str(out))
    assert merged.code == 1 and "Traceback" not in merged.err
    assert "the shards were built by samizdat 9.9 (source 0123456789abcdef), and this is samizdat " in merged.err
    assert not out.exists(), "nothing is written"


# The build's preflight checks a CMYK project's poster print files for RGB, as `check` does.


def test_a_cmyk_project_s_poster_print_file_in_rgb_fails_the_build_as_it_fails_check(tmp_path, cli):
    from samizdat.layers import BUILTIN_LAYOUTS

    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "leaflet.md").write_text(
        "---\ntitle: A leaflet\nauthor: Us\nlang: en\nslogans:\n  - No war!\n---\n\nText.\n"
    )
    (tmp_path / "samizdat.yaml").write_text("print:\n  colour: cmyk\n")
    poster_css = tmp_path / "layouts" / "poster" / "poster.css"  # one override: a colour that is no token
    poster_css.parent.mkdir(parents=True)
    poster_css.write_text((BUILTIN_LAYOUTS / "poster" / "poster.css").read_text() + "\n.slogan { color: red }\n")
    built = cli("--project", str(tmp_path), "--jobs", "1", "leaflet")
    print_file = tmp_path / "output" / "leaflet" / "posters" / "no-war-a3-print.pdf"
    row = next(line for line in built.out.splitlines() if line.startswith("leaflet/posters/no-war-a3-print.pdf"))
    assert built.code == 1 and row.endswith("FAIL"), built.out
    assert "RGB" in built.out + built.err
    checked = cli("check", str(print_file), "--project", str(tmp_path))
    assert checked.code == 1 and "RGB" in checked.out


# preflight: damage is what pypdf or pypdfium2 raise reading the file; a bug in samizdat's checks shows as itself.


def _raises(exception: type[Exception]):
    def broken(*args: object, **kwargs: object) -> None:
        raise exception("a bug injected by the test")

    return broken


@pytest.mark.parametrize(
    "function, exception",
    [
        ("check_boxes", TypeError),
        ("check_page_count", KeyError),
        ("check_fonts", AttributeError),
        ("check_geometry", IndexError),
        ("check_colour", ValueError),
        ("check_metadata", TypeError),
        ("check_tags", AssertionError),
    ],
)
def test_a_bug_in_a_preflight_check_surfaces_as_itself_not_as_an_unreadable_file(monkeypatch, cli, tmp_path,
                                                                                 function, exception):  # fmt: skip
    from samizdat.preflight import Expectations, preflight

    data = a3_poster()
    assert preflight(data, Expectations("generic", tagged=True), "poster.pdf")[0].check != "read"  # sound
    monkeypatch.setattr(f"samizdat.preflight.{function}", _raises(exception))
    with pytest.raises(exception, match="a bug injected by the test"):
        preflight(data, Expectations("generic", tagged=True), "poster.pdf")
    (tmp_path / "poster.pdf").write_bytes(data)
    with pytest.raises(exception, match="a bug injected by the test"):  # the CLI has no "damaged" for it either
        cli("check", str(tmp_path / "poster.pdf"))


@pytest.mark.skipif(shutil.which("qpdf") is None, reason="qpdf writes the file's plain cross-reference table")
def test_a_file_whose_cross_reference_table_pypdf_rebuilds_as_it_reads_is_checked_without_a_traceback(tmp_path, cli):
    """An offset in the xref table overwritten: reading strictly made pypdf add to the table being walked, and
    `check` ended in "RuntimeError: dictionary changed size during iteration"."""
    import re

    (tmp_path / "poster.pdf").write_bytes(a3_poster())
    plain = tmp_path / "plain.pdf"
    subprocess.run(["qpdf", "--qdf", "--object-streams=disable", str(tmp_path / "poster.pdf"), str(plain)], check=True)
    data = bytearray(plain.read_bytes())
    xref = data.rindex(b"\nxref")
    entries = [found.start() + xref for found in re.finditer(rb"\d{10} \d{5} n", bytes(data[xref:]))]
    data[entries[4] : entries[4] + 10] = b"<< >>".ljust(10)
    (tmp_path / "broken.pdf").write_bytes(bytes(data))
    checked = cli("check", str(tmp_path / "broken.pdf"))
    assert checked.code in (0, 1) and "1 file checked" in checked.out


def content_pdf(content: bytes, resources: bytes = b"", extra: tuple[bytes, ...] = ()) -> bytes:
    """One A5 page drawn by `content`, with one Form XObject /F and `resources` more; `extra`: objects 6, 7..."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 420 595] /Resources << /XObject << /F 5 0 R >> %s >> "
        b"/Contents 4 0 R >>" % resources,
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content) + 1, content),
        b"<< /Type /XObject /Subtype /Form /BBox [0 0 9 9] /Length 13 >>\nstream\n0 0 9 9 re f\nendstream",
        *extra,
    ]
    out, offsets = bytearray(b"%PDF-1.7\n"), []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    start = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, start)
    return bytes(out)


ICC = b"<< /N /X /Length 1 >>\nstream\n \nendstream"  # an ICC profile whose channels are a name


@pytest.mark.parametrize(
    "drawing, resources, extra",
    [
        (b"/F Do", b"", ()),
        (b"[/F] Do", b"", ()),  # an array where a name must be: "unhashable type: 'ArrayObject'"
        (b"<< /F 1 >> Do", b"", ()),
        (b"(F) Do", b"", ()),
        (b"[/S] sh", b"", ()),
        (b"/S sh", b"", ()),
        (b"/C cs", b"/ColorSpace << /C [/ICCBased 6 0 R] >>", (ICC,)),  # int(/X): "invalid literal for int()"
        (b"/C cs", b"/ColorSpace << /C 6 0 R >>", (b"[/Indexed 6 0 R 1 <00>]",)),  # a colour space based on itself
    ],
)
def test_any_operand_or_colour_space_is_checked_without_a_traceback(tmp_path, cli, drawing, resources, extra):
    """The checks met values no sound file holds with Python's own errors; once the net kept only what the PDF
    libraries raise (a bug in a check is a bug), each would have been a traceback."""
    from samizdat.preflight import Expectations, preflight

    assert preflight(content_pdf(b"/F Do"), Expectations("generic"), "drawn.pdf")[0].check != "structure"  # sound
    (tmp_path / "drawn.pdf").write_bytes(content_pdf(drawing, resources, extra))
    checked = cli("check", str(tmp_path / "drawn.pdf"))
    assert checked.code in (0, 1) and "1 file checked" in checked.out


# A relative --output (the README's `--output output-example`) is a folder like any other.


def test_a_relative_output_folder_gives_the_workers_their_fontconfig(tmp_path):
    project = tmp_path / "project"
    assert run([sys.executable, "-m", "samizdat", "new", str(project)], cwd=tmp_path).returncode == 0
    built = run([sys.executable, "-m", "samizdat", "build", "--output", "elsewhere", "--jobs", "2"], cwd=project)
    assert built.returncode == 0, built.stdout + built.stderr
    assert "Fontconfig error" not in built.stderr, built.stderr  # six of them, one per render, before
    assert (project / "elsewhere" / "example" / "example-a5.pdf").is_file() and not (project / "output").exists()


# merge into a folder an earlier build wrote: what the batch no longer makes goes, as in a whole build.


def test_merging_over_an_earlier_build_removes_what_the_batch_no_longer_makes(tmp_path, cli, monkeypatch):
    from conftest import VALID_FRONT_MATTER, make_project

    project = make_project(tmp_path / "project", {"leaflet": VALID_FRONT_MATTER + "\nThe text.\n"})
    zine = project / "output" / "leaflet" / "leaflet-zine-a4.pdf"
    (project / "samizdat.yaml").write_text("impositions:\n  - layout: zine\n")
    assert cli("--project", str(project), "--jobs", "1").code == 0 and zine.is_file()
    (project / "samizdat.yaml").write_text("# no zine any more\n")
    for index in (1, 2):
        shard = ["--shard", f"{index}/2", "--output", str(tmp_path / str(index)), "--jobs", "1"]
        assert cli("--project", str(project), *shard).code == 0
    merged = cli("merge", str(tmp_path / "1"), str(tmp_path / "2"), "--project", str(project))
    assert merged.code == 0, merged.out + merged.err
    listed = (project / "output" / "manifest.json").read_text() + (project / "output" / "SHA256SUMS").read_text()
    assert not zine.exists() and "zine" not in listed
    whole = tmp_path / "whole"
    assert cli("--project", str(project), "--output", str(whole), "--jobs", "1").code == 0
    files = {path.relative_to(whole).as_posix() for path in whole.rglob("*") if ".cache" not in path.parts}
    assert files == {path.relative_to(project / "output").as_posix() for path in (project / "output").rglob("*")
                     if ".cache" not in path.parts}  # fmt: skip
