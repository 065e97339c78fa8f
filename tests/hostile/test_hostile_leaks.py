"""Nothing from outside the project reaches an output: each way in is tried, built, and every output scanned.

A marker is planted in files outside the project (harness.plant); each case below opens one way for it
to come in (a symlink, a path, a URL, an include). The build must name what it refused, and the scanner
(scan.py) must find neither the marker nor the builder's paths nor a file: URL in any output. The controls
at the end prove that the scanner finds each kind of leak when it is there.
"""

from __future__ import annotations

import io
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pydyf
import pytest

from hostile.harness import PICTURE_SIZE, REPO, VALID_DOCUMENT, HostileProject, Marker, assert_survived
from hostile.scan import QPDF, scan_output

HOSTILE = "content/hostile.md"


def hostile_document(body: str, front: str = "") -> str:
    """A valid document holding `body` (the way in), beside which leaflet.md must still build."""
    return VALID_DOCUMENT.replace("lang: en\n", f"lang: en\n{front}") + f"\n{body}\n\nThe rest of the text.\n"


def symlink(link: Path, target: Path) -> None:
    if link.is_dir() and not link.is_symlink():
        shutil.rmtree(link)
    elif link.exists() or link.is_symlink():
        link.unlink()
    link.parent.mkdir(parents=True, exist_ok=True)
    link.symlink_to(target)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, f"{path} no longer holds {old!r}: update this case"
    path.write_text(text.replace(old, new, 1))


# Each way in: what it plants in the project (given the project, the marker and a URL of a local server).
Plant = Callable[[HostileProject, Marker, str], None]


def document_symlink(p: HostileProject, m: Marker, url: str) -> None:
    symlink(p.content / "leak.md", m.path("secret.md"))


def content_folder_symlink(p: HostileProject, m: Marker, url: str) -> None:
    shutil.copy(p.content / "leaflet.md", m.path("content-dir") / "leaflet.md")
    symlink(p.content, m.path("content-dir"))


def assets_folder_symlink(p: HostileProject, m: Marker, url: str) -> None:
    symlink(p.root / "assets", m.path("assets-dir"))
    p.write(HOSTILE, hostile_document("![x](../assets/secret.svg)"))


def picture_symlink(name: str, target: str) -> Plant:
    def plant(p: HostileProject, m: Marker, url: str) -> None:
        symlink(p.content / name, m.path(target))
        p.write(HOSTILE, hostile_document(f"![x]({name})"))

    return plant


def image_url(make: Callable[[Marker, str], str]) -> Plant:
    def plant(p: HostileProject, m: Marker, url: str) -> None:
        p.write(HOSTILE, hostile_document(f"![x]({make(m, url)})"))

    return plant


def layout_css_import(p: HostileProject, m: Marker, url: str) -> None:
    css = p.root / "layouts" / "pamphlet" / "pamphlet.css"
    css.write_text(f'@import url("{m.path("secret.css").as_uri()}");\n' + css.read_text())


def layout_css_url(p: HostileProject, m: Marker, url: str) -> None:
    css = p.root / "layouts" / "pamphlet" / "pamphlet.css"
    css.write_text(css.read_text() + '\nh1 { background: url("../../../outside/secret.svg") }\n')


def layout_stylesheet_symlink(p: HostileProject, m: Marker, url: str) -> None:
    symlink(p.root / "layouts" / "pamphlet" / "extra.css", m.path("secret.css"))
    css = p.root / "layouts" / "pamphlet" / "pamphlet.css"
    css.write_text('@import "extra.css";\n' + css.read_text())


def template_include_symlink(p: HostileProject, m: Marker, url: str) -> None:
    symlink(p.root / "layouts" / "pamphlet" / "extra.html", m.path("template.html"))
    edit(p.root / "layouts" / "pamphlet" / "pamphlet.html", "<main", '{% include "pamphlet/extra.html" %}\n<main')


def font_file_symlink(p: HostileProject, m: Marker, url: str) -> None:
    symlink(p.root / "fonts" / "charis-sil" / "CharisSIL-Regular.ttf", m.path("font-dir") / "Marker-Regular.ttf")


def font_folder_symlink(p: HostileProject, m: Marker, url: str) -> None:
    symlink(p.root / "fonts" / "extra", m.path("font-dir"))
    p.write(HOSTILE, hostile_document("A glyph no font of ours has: ☭ ⚒."))


def groups_symlink(p: HostileProject, m: Marker, url: str) -> None:
    symlink(p.content / "groups.csv", m.path("groups.csv"))
    p.write(HOSTILE, hostile_document("Text.", front="local:\n  data: groups.csv\n"))


def config_symlink(p: HostileProject, m: Marker, url: str) -> None:
    symlink(p.root / "samizdat.yaml", m.path("samizdat.yaml"))


def link_to_document(p: HostileProject, m: Marker, url: str) -> None:
    p.write("content/other.md", VALID_DOCUMENT.replace("A hostile test leaflet", "The other leaflet"))
    p.write(HOSTILE, hostile_document("See [the other leaflet](other.md)."))


def link_to_file(make: Callable[[Marker], str]) -> Plant:
    def plant(p: HostileProject, m: Marker, url: str) -> None:
        p.write(HOSTILE, hostile_document(f"See [this]({make(m)})."))

    return plant


@dataclass(frozen=True)
class Case:
    """A way in; the exit codes that are right; what the messages must name; whether leaflet.md still builds."""

    plant: Plant
    codes: tuple[int, ...]
    names: tuple[str, ...]
    others_build: bool = True
    spelled: bool = False  # the document spells the outside path itself: printed as its text, it is no leak


CASES = {
    "document symlinked outside": Case(document_symlink, (1,), ("leak.md", "secret.md")),
    "content/ symlinked outside": Case(content_folder_symlink, (1,), ("content", "content-dir"), False),
    "assets/ symlinked outside": Case(assets_folder_symlink, (0, 1), ("assets",)),
    "SVG picture symlinked outside": Case(picture_symlink("photo.svg", "secret.svg"), (0, 1), ("photo.svg",)),
    "PNG picture symlinked outside": Case(picture_symlink("photo.png", "secret.png"), (0, 1), ("photo.png",)),
    "absolute image path": Case(
        image_url(lambda m, url: str(m.path("secret.png"))), (0, 1), ("secret.png",), spelled=True
    ),
    "parent image path": Case(image_url(lambda m, url: "../../outside/secret.svg"), (0, 1), ("secret.svg",)),
    "file: image URL": Case(
        image_url(lambda m, url: m.path("secret.svg").as_uri()), (0, 1), ("secret.svg",), spelled=True
    ),
    "http: image URL": Case(image_url(lambda m, url: f"{url}/secret.svg"), (0, 1), ("/secret.svg",)),
    "layout CSS @import outside": Case(layout_css_import, (0, 1), ("secret.css",)),
    "layout CSS url() outside": Case(layout_css_url, (0, 1), ("secret.svg",)),
    "layout stylesheet symlinked outside": Case(layout_stylesheet_symlink, (0, 1), ("extra.css",)),
    "template include of a symlink": Case(template_include_symlink, (1,), ("extra.html", "template.html"), False),
    "font file symlinked outside": Case(font_file_symlink, (1,), ("CharisSIL-Regular.ttf",), False),
    "fonts/ subfolder symlinked outside": Case(font_folder_symlink, (1,), ("extra", "font-dir"), False),
    "groups data file symlinked outside": Case(groups_symlink, (1,), ("groups.csv",)),
    "samizdat.yaml symlinked outside": Case(config_symlink, (1,), ("samizdat.yaml",), False),
    "Markdown link to another document": Case(link_to_document, (0, 1), ()),
    "Markdown link to an outside file": Case(
        link_to_file(lambda m: "../../outside/secret.txt"), (0, 1), ("secret.txt",)
    ),
    "Markdown link to a file: URL": Case(
        link_to_file(lambda m: m.path("secret.txt").as_uri()), (0, 1), ("secret.txt",), spelled=True
    ),
}


def assert_clean(p: HostileProject, m: Marker, tmp_path: Path, spelled: bool = False) -> None:
    """No marker and no builder's path; where the document spells an outside path, only the project's own."""
    paths = [p.root, REPO] if spelled else [p.root, tmp_path, REPO]
    scan = scan_output(p.output, m.text, paths, PICTURE_SIZE, file_urls=not spelled)
    assert scan.scanned, "the build wrote nothing at all to scan"
    assert not scan.findings, f"outside data or the builder's paths reached the outputs: {scan.report()}"


@pytest.mark.parametrize("name", CASES)
def test_nothing_from_outside_reaches_an_output(name, marker, server, tmp_path, request):
    case = CASES[name]
    url, hits = server
    before = {}
    project = request.getfixturevalue("project" if case.others_build else "built_project")
    if not case.others_build:  # the last good outputs (a good build, made once: built_project) must survive
        before = project.snapshot(skip=(".cache",))
    case.plant(project, marker, url)
    run = project.build()
    assert_clean(project, marker, tmp_path, case.spelled)
    assert hits == [], f"the build fetched {hits} from the network"
    assert run.code in case.codes, f"exit {run.code}, expected one of {case.codes}:\n{run}"
    said = run.out + run.err
    missing = [fragment for fragment in case.names if fragment not in said]
    assert not missing, f"the messages do not name {missing}:\n{run}"
    if run.code == 1 and not case.names:
        assert "line" in said, f"a refused link must be named with its line:\n{run}"
    if case.others_build:
        assert (project.output / "leaflet" / "leaflet-a5.pdf").is_file(), f"leaflet.md did not build:\n{run}"
    else:
        assert_survived(before, project.output, tuple(p for p in before if p.startswith("leaflet/")))


# The controls: the same kinds of thing, inside the project, must be found, or the scanner proves nothing.


def inside_text(p: HostileProject, m: Marker) -> None:
    p.write(HOSTILE, hostile_document(f"Inside the project: {m.text}."))


def inside_svg(p: HostileProject, m: Marker) -> None:
    shutil.copy(m.path("secret.svg"), p.content / "inside.svg")
    p.write(HOSTILE, hostile_document("![x](inside.svg)"))


def inside_png(p: HostileProject, m: Marker) -> None:
    shutil.copy(m.path("secret.png"), p.content / "inside.png")
    p.write(HOSTILE, hostile_document("![x](inside.png)"))


def inside_font(p: HostileProject, m: Marker) -> None:
    (p.root / "fonts" / "marker").mkdir()
    shutil.copy(m.path("font-dir") / "Marker-Regular.ttf", p.root / "fonts" / "marker" / "Marker-Regular.ttf")
    css = p.root / "layouts" / "pamphlet" / "pamphlet.css"
    css.write_text(
        css.read_text() + '\n@font-face { font-family: "Inside"; src: url(../../fonts/marker/Marker-Regular.ttf) }'
        '\nh1 { font-family: "Inside" }\n'
    )


CONTROLS = {"text": (inside_text, "text (pypdf)"), "SVG": (inside_svg, "text (pypdf)"),
            "PNG": (inside_png, "pictures"), "font": (inside_font, "qpdf --qdf" if QPDF else "streams")}  # fmt: skip


@pytest.mark.parametrize("name", CONTROLS)
def test_the_scanner_finds_the_marker_when_it_is_inside(name, project, marker, tmp_path):
    plant, layer = CONTROLS[name]
    plant(project, marker)
    assert project.build().code == 0
    scan = scan_output(project.output, marker.text, [project.root, tmp_path, REPO], PICTURE_SIZE)
    assert any(layer in finding.layer for finding in scan.findings), f"not found in {layer!r}: {scan.report()}"


def fake_pdf(text: str, title: str) -> bytes:
    """A PDF whose only trace of `text` is in a compressed stream, and of `title` in its Info."""
    pdf = pydyf.PDF()
    stream = pydyf.Stream([f"% {text}".encode()], compress=True)
    pdf.add_object(stream)
    pdf.add_page(pydyf.Dictionary({"Type": "/Page", "MediaBox": pydyf.Array([0, 0, 100, 100]),
                                   "Contents": stream.reference}))  # fmt: skip
    pdf.info["Title"] = pydyf.String(title)
    out = io.BytesIO()
    pdf.write(out)
    return out.getvalue()


def test_the_scanner_reads_through_every_encoding(tmp_path, marker):
    """Escaped, compressed, UTF-16: each hiding place found, and a file that cannot be read is not called clean."""
    from PIL import Image, PngImagePlugin

    output = tmp_path / "fake-output"
    output.mkdir()
    hidden = "&#" + str(ord(marker.text[0])) + ";" + marker.text[1:]
    (output / "index.html").write_text(f"<p>{hidden}</p>")
    (output / "manifest.json").write_text('{"path": "\\u004c' + marker.text[1:] + '"}')  # "L", escaped
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", marker.text, zip=True)
    Image.new("RGB", (4, 4)).save(output / "thumb.png", pnginfo=info)
    (output / "stream.pdf").write_bytes(fake_pdf(marker.text, "plain"))
    (output / "title.pdf").write_bytes(fake_pdf("nothing", "é " + str(tmp_path)))
    (output / "SHA256SUMS").write_text(f"0000  file://{tmp_path}/x.pdf\n")
    (output / "broken.pdf").write_bytes(b"%PDF-1.7\nnot a PDF at all\n")
    scan = scan_output(output, marker.text, [tmp_path], PICTURE_SIZE)
    found = {(finding.path, finding.layer, finding.label.split(" /")[0]) for finding in scan.findings}
    expected = {
        ("index.html", "HTML unescaped", "the marker"),
        ("manifest.json", "JSON decoded", "the marker"),
        ("thumb.png", "PNG text chunks", "the marker"),
        ("stream.pdf", "streams inflated (pypdf)", "the marker"),
        ("title.pdf", "strings and names (pypdf)", "builder's path"),
        ("SHA256SUMS", "raw bytes", "a file: URL"),
        ("broken.pdf", "unreadable", "not proven clean"),
    }
    assert expected <= found, f"missed: {expected - found}\n{scan.report()}"
    assert not [f for f in scan.findings if f.path == "index.html" and f.layer == "raw bytes"], "the escape hid nothing"


@pytest.mark.skipif(QPDF is None, reason="qpdf is not installed: the scanner inflates the streams with pypdf only")
def test_the_scanner_reads_pdfs_through_qpdf_too(tmp_path, marker):
    output = tmp_path / "fake-output"
    output.mkdir()
    (output / "stream.pdf").write_bytes(fake_pdf(marker.text, "plain"))
    layers = {finding.layer for finding in scan_output(output, marker.text, [], None).findings}
    assert "qpdf --qdf" in layers, layers
