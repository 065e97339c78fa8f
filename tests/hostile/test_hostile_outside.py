"""Hostile: nothing from outside the project reaches an output; layouts run no code; hostile pictures cost little.

Each case plants a marker in a file OUTSIDE the project, reaches for it the way
an attacker (or a careless copy) would — a link in content/, layouts/, fonts/,
assets/, samizdat.yaml — and checks that the build names the link, that the
marker is in no output (PDF text and streams, download page, manifest,
thumbnails, the build's records) and that the last good PDF survives.
"""

from __future__ import annotations

import os
import shutil
import struct
import subprocess
import sys
import time
import zlib
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import REPO, VALID_FRONT_MATTER, make_project
from pdfs import all_bytes
from pypdf import PdfReader

from samizdat.cli import main

MARKER = "OUTSIDEMARKER4471"
LEAFLET = VALID_FRONT_MATTER + "The leaflet's own text.\n"
OUTSIDE_DOCUMENT = f"---\ntitle: {MARKER}\nauthor: {MARKER}\nlang: en\n---\n{MARKER} in the body.\n"
OUTSIDE_SVG = f'<svg xmlns="http://www.w3.org/2000/svg" width="200" height="50"><text y="30">{MARKER}</text></svg>'
QPDF = shutil.which("qpdf")


def link(path: Path, target: Path) -> None:
    """Make `path` a symbolic link to `target`, replacing whatever was there."""
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    path.unlink(missing_ok=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.symlink_to(target)


def outside_file(outside: Path, name: str, text: str) -> Path:
    path = outside / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def leaks(output: Path, marker: str = MARKER) -> list[str]:
    """Every file under `output` (records included) in which `marker` can be found, PDFs decoded and read."""
    found = []
    for path in sorted(p for p in output.rglob("*") if p.is_file()):
        data = path.read_bytes()
        if path.suffix == ".pdf":
            data = all_bytes(path)
            if QPDF:
                data += subprocess.run([QPDF, "--qdf", "--object-streams=disable", str(path), "-"],
                                       capture_output=True, check=False).stdout  # fmt: skip
        if marker.encode() in data or marker.lower().encode() in data:
            found.append(str(path.relative_to(output)))
    return found


def plant_document(project: Path, outside: Path) -> None:
    link(project / "content" / "secret.md", outside_file(outside, "secret.md", OUTSIDE_DOCUMENT))


def plant_content_folder(project: Path, outside: Path) -> None:
    shutil.copytree(project / "content", outside / "content")
    outside_file(outside, "content/leaflet.md", OUTSIDE_DOCUMENT)
    link(project / "content", outside / "content")


def plant_assets_folder(project: Path, outside: Path) -> None:
    outside_file(outside, "assets/secret.svg", OUTSIDE_SVG)
    link(project / "assets", outside / "assets")
    (project / "content" / "leaflet.md").write_text(LEAFLET + "\n![x](../assets/secret.svg)\n")


def plant_picture(project: Path, outside: Path) -> None:
    link(project / "content" / "picture.svg", outside_file(outside, "secret.svg", OUTSIDE_SVG))
    (project / "content" / "leaflet.md").write_text(LEAFLET + "\n![x](picture.svg)\n")


def plant_local_data(project: Path, outside: Path) -> None:
    link(project / "content" / "groups.csv", outside_file(outside, "groups.csv", f"town,meeting\n{MARKER},Mondays\n"))
    (project / "content" / "leaflet.md").write_text(
        LEAFLET.replace("lang: en\n", "lang: en\nlocal:\n  data: groups.csv\n")
    )


def plant_template_include(project: Path, outside: Path) -> None:
    link(project / "layouts" / "pamphlet" / "extra.html", outside_file(outside, "extra.html", f"<p>{MARKER}</p>"))
    template = project / "layouts" / "pamphlet" / "pamphlet.html"
    template.write_text(template.read_text().replace("{% endblock %}", '{% include "pamphlet/extra.html" %}'
                                                     "{% endblock %}", 1))  # fmt: skip


def plant_layouts_folder(project: Path, outside: Path) -> None:
    shutil.copytree(project / "layouts", outside / "layouts")
    template = outside / "layouts" / "pamphlet" / "pamphlet.html"
    template.write_text(template.read_text().replace("{% endblock %}", f"<p>{MARKER}</p>{{% endblock %}}", 1))
    link(project / "layouts", outside / "layouts")


def plant_stylesheet(project: Path, outside: Path) -> None:
    css = (project / "layouts" / "pamphlet" / "pamphlet.css").read_text()
    link(project / "layouts" / "pamphlet" / "pamphlet.css",
         outside_file(outside, "pamphlet.css", css + f'\nh1::after {{ content: "{MARKER}" }}\n'))  # fmt: skip


def plant_font(project: Path, outside: Path) -> None:
    font = outside / "Outside.ttf"
    outside.mkdir()
    font.write_bytes((REPO / "fonts" / "charis-sil" / "CharisSIL-Regular.ttf").read_bytes())
    link(project / "fonts" / "Outside.ttf", font)


def plant_fonts_folder(project: Path, outside: Path) -> None:
    shutil.copytree(REPO / "fonts", outside / "fonts")  # the system's fonts, say: they change the bytes
    shutil.copy(REPO / "fonts" / "charis-sil" / "CharisSIL-Bold.ttf", outside / "fonts" / "Extra.ttf")
    link(project / "fonts", outside / "fonts")


def plant_config(project: Path, outside: Path) -> None:
    config = outside_file(outside, "samizdat.yaml", f"posters:\n  url: https://example.org/{MARKER}\n")
    link(project / "samizdat.yaml", config)


def plant_site_stylesheet(project: Path, outside: Path) -> None:
    link(project / "layouts" / "site" / "site.css", outside_file(outside, "site.css", f"/* {MARKER} */ body {{}}"))


def plant_cmyk_tokens(project: Path, outside: Path) -> None:
    tokens = (project / "layouts" / "base" / "tokens.css").read_text()
    link(project / "layouts" / "base" / "tokens.css", outside_file(outside, "tokens.css", tokens + f"/* {MARKER} */"))
    (project / "samizdat.yaml").write_text("print:\n  colour: cmyk\n")


def plant_token_url(project: Path, outside: Path) -> None:
    tokens = project / "layouts" / "base" / "tokens.css"
    secret = outside_file(outside, "secret.svg", OUTSIDE_SVG)
    tokens.write_text(tokens.read_text() + f'\n:root {{ --cover-art: url("{secret.as_uri()}") }}\n'
                      "body { background-image: var(--cover-art) }\n")  # fmt: skip


def plant_tokens_not_utf8(project: Path, outside: Path) -> None:
    tokens = project / "layouts" / "base" / "tokens.css"
    tokens.write_bytes(tokens.read_bytes() + b"/* caf\xe9 */\n")
    (project / "samizdat.yaml").write_text("print:\n  colour: cmyk\n")


#: case → (what plants it, what the build must say, exit status, whether the leaflet's last good A5 survives as it was)
CASES: dict[str, tuple[Callable[[Path, Path], None], str, int, bool]] = {
    "document linked out": (plant_document, "content/secret.md is a link to", 1, True),
    "content folder linked out": (plant_content_folder, "/content is a link to", 1, True),
    "assets folder linked out": (plant_assets_folder, "/assets is a link to", 0, False),
    "picture linked out": (plant_picture, "content/picture.svg is a link to", 0, False),
    "local data linked out": (plant_local_data, "content/groups.csv is a link to", 1, True),
    "template include linked out": (plant_template_include, "pamphlet/extra.html is a link to", 1, True),
    "layouts folder linked out": (plant_layouts_folder, "/layouts is a link to", 1, True),
    "stylesheet linked out": (plant_stylesheet, "pamphlet/pamphlet.css is a link to", 1, False),
    "font linked out": (plant_font, "fonts/Outside.ttf is a link to", 1, True),
    "fonts folder linked out": (plant_fonts_folder, "/fonts is a link to", 1, True),
    "samizdat.yaml linked out": (plant_config, "samizdat.yaml is a link to", 1, True),
    "site stylesheet linked out": (plant_site_stylesheet, "site/site.css is a link to", 1, True),
    "CMYK tokens linked out": (plant_cmyk_tokens, "base/tokens.css is a link to", 1, False),
    "token url outside": (plant_token_url, "refused file://", 0, False),
    "CMYK tokens not UTF-8": (plant_tokens_not_utf8, "tokens.css: not UTF-8 text", 1, False),
}


def build(project: Path, capsys: pytest.CaptureFixture) -> tuple[int, str]:
    capsys.readouterr()
    code = main(["--project", str(project), "--jobs", "1"])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


@pytest.mark.parametrize("case", CASES)
def test_nothing_from_outside_reaches_an_output(tmp_path: Path, capsys, case, built_projects):
    plant, message, status, survives = CASES[case]
    project = built_projects(tmp_path / "project", {"content/leaflet.md": LEAFLET})  # its good build made once
    a5 = project / "output" / "leaflet" / "leaflet-a5.pdf"
    good = a5.read_bytes()
    plant(project, tmp_path / "outside")
    code, said = build(project, capsys)
    assert message in said, said
    assert code == status, said
    assert "Traceback" not in said
    assert leaks(project / "output") == []
    if survives:
        assert a5.read_bytes() == good
    else:
        assert "own text." in " ".join(page.extract_text() for page in PdfReader(a5).pages)


def test_a_refused_document_fails_alone(tmp_path: Path, capsys):
    project = make_project(tmp_path / "project", {"leaflet": LEAFLET})
    plant_document(project, tmp_path / "outside")
    code, said = build(project, capsys)
    assert code == 1 and "copy the file into the project" in said.lower()
    assert (project / "output" / "leaflet" / "leaflet-a5.pdf").is_file()
    assert not (project / "output" / "secret").exists()
    assert MARKER not in (project / "output" / "index.html").read_text()


def test_links_inside_the_project_are_fine(tmp_path: Path, capsys):
    """The positive control: a link to a file inside the project is followed like the file itself."""
    project = make_project(tmp_path / "project", {"leaflet": LEAFLET + "\n![x](picture.svg)\n"})
    (project / "assets").mkdir()
    (project / "assets" / "art.svg").write_text(OUTSIDE_SVG)
    (project / "content" / "picture.svg").symlink_to(project / "assets" / "art.svg")
    code, said = build(project, capsys)
    assert code == 0 and "refused" not in said, said
    assert MARKER in PdfReader(project / "output" / "leaflet" / "leaflet-a5.pdf").pages[1].extract_text()


def test_content_chosen_on_the_command_line_counts_as_the_project(tmp_path: Path, capsys):
    """--content DIR is the user's own choice: a folder elsewhere (or a link to one) is read."""
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "leaflet.md").write_text(LEAFLET)
    (tmp_path / "via-link").symlink_to(elsewhere)
    capsys.readouterr()
    code = main(["--project", str(REPO), "--content", str(tmp_path / "via-link"), "--output", str(tmp_path / "out")])
    assert code == 0, capsys.readouterr().err
    assert (tmp_path / "out" / "leaflet" / "leaflet-a5.pdf").is_file()


# Layouts from someone else run no code: Jinja's immutable sandbox.

SANDBOX_ESCAPES = {
    "shell through lipsum": "{{ lipsum.__globals__.os.popen('touch TOUCHED').read() }}",
    "class hierarchy": "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "changing a list": "{% set x = [1] %}{{ x.append(2) }}",
    "a document's internals": "{{ document.__class__.__init__.__globals__ }}",
    "cycler globals": "{{ cycler.__init__.__globals__.os.system('touch TOUCHED') }}",
}


@pytest.mark.parametrize("case", SANDBOX_ESCAPES)
def test_a_layout_cannot_run_code(tmp_path: Path, capsys, case):
    project = make_project(tmp_path / "project", {"leaflet": LEAFLET})
    touched = tmp_path / "touched"
    template = project / "layouts" / "pamphlet" / "pamphlet.html"
    lines = template.read_text().splitlines(keepends=True)
    escape = SANDBOX_ESCAPES[case].replace("TOUCHED", str(touched))
    lines.insert(5, escape + "\n")  # line 6, in the body block
    template.write_text("".join(lines))
    code, said = build(project, capsys)
    assert code == 1
    assert "pamphlet/pamphlet.html:6: the template does something layouts may not do" in said, said
    assert "Traceback" not in said and not touched.exists()


FAILING_EXPRESSIONS = {
    "division by zero": ("{{ 1 // 0 }}", "ZeroDivisionError"),
    "text plus a number": ('{{ "x" + 1 }}', "TypeError"),
    "an index past the end": ("{{ [][1] }}", "has no element 1"),
    "a format of the wrong type": ('{{ "%d" % "x" }}', "TypeError"),
}


@pytest.mark.parametrize(("expression", "named"), FAILING_EXPRESSIONS.values(), ids=FAILING_EXPRESSIONS.keys())
def test_a_template_that_fails_as_it_runs_is_the_layouts_error_with_its_line(tmp_path, capsys, expression, named):
    project = make_project(tmp_path / "project", {"leaflet": LEAFLET})
    template = project / "layouts" / "pamphlet" / "pamphlet.html"
    lines = template.read_text().splitlines(keepends=True)
    lines.insert(5, expression + "\n")
    template.write_text("".join(lines))
    code, said = build(project, capsys)
    assert code == 1
    assert "pamphlet/pamphlet.html:6:" in said and named in said, said
    assert "Traceback" not in said


# Hostile pictures: bounded before WeasyPrint sees them.


def nested_use(levels: int = 10, width: int = 10) -> str:
    """A billion-laughs SVG: each level draws the one below `width` times (10 levels of 10: 10^10 shapes)."""
    groups = ['<g id="l0"><rect width="1" height="1"/></g>']
    for level in range(1, levels + 1):
        uses = "".join(f'<use href="#l{level - 1}" x="{i}"/>' for i in range(width))
        groups.append(f'<g id="l{level}">{uses}</g>')
    return f'<svg xmlns="http://www.w3.org/2000/svg" width="100" height="100"><defs>{"".join(groups)}</defs>' \
           f'<use href="#l{levels}"/></svg>'  # fmt: skip


def png_header_only(width: int, height: int) -> bytes:
    """A PNG of a few bytes that claims `width` × `height` pixels (a decompression bomb's header)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    pixels = chunk(b"IDAT", zlib.compress(b"\0" * 64))
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + pixels + chunk(b"IEND", b"")


ENTITIES = ('<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
            '<svg xmlns="http://www.w3.org/2000/svg"><text>&b;</text></svg>')  # fmt: skip

#: case → (file name in content/, its bytes, what the warning must say)
PICTURES: dict[str, tuple[str, bytes, str]] = {
    "nested <use>": ("bomb.svg", nested_use().encode(), "more than 20,000 shapes once its <use> elements are expanded"),
    "nested <use>, named .png": ("bomb.png", nested_use().encode(), "more than 20,000 shapes"),
    "nested <use> in UTF-16": ("bomb16.svg", nested_use().encode("utf-16"), "more than 20,000 shapes"),
    "entities in UTF-16": (
        "entity16.svg",
        '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE svg [<!ENTITY a "aaaa">]>'
        '<svg xmlns="http://www.w3.org/2000/svg"><text>&a;</text></svg>'.encode("utf-16"),
        "DOCTYPE or entity declarations",
    ),
    "height nan": ("nan.svg", b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="nan"/>', "height is not a"),
    "viewBox inf": ("inf.svg", b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 inf 1"/>', "viewBox is not a"),
    "huge width": ("huge.svg", b'<svg xmlns="http://www.w3.org/2000/svg" width="1e300" height="1"/>', "beyond"),
    "use of itself": (
        "loop.svg",
        b'<svg xmlns="http://www.w3.org/2000/svg"><g id="a"><use href="#a"/></g></svg>',
        "refers to itself",
    ),  # fmt: skip
    "entities": ("entities.svg", ENTITIES.encode(), "entity declarations"),
    "deep nesting": (
        "deep.svg",
        b'<svg xmlns="http://www.w3.org/2000/svg">' + b"<g>" * 500 + b"</g>" * 500 + b"</svg>",
        "nested more than 64 levels",
    ),  # fmt: skip
    "decompression bomb": ("bomb-pixels.png", png_header_only(50_000, 50_000), "2,500,000,000 pixels, over the limit"),
    "big but openable": ("big.png", png_header_only(10_000, 8_000), "10,000 × 8,000 pixels"),
}


@pytest.mark.parametrize("case", PICTURES)
def test_a_hostile_picture_is_refused_quickly_with_its_limit(workspace, case):
    name, data, message = PICTURES[case]
    (workspace.content / name).write_bytes(data)
    workspace.write("leaflet.md", LEAFLET + f"\n![a picture]({name})\n\nThe rest of the text.\n")
    started = time.monotonic()
    run = workspace.build("--jobs", "1")
    assert time.monotonic() - started < 30
    assert run.code == 0, run.err
    assert "warning leaflet.md: refused file://" in run.err and message in run.err, run.err
    assert len(max(run.err.splitlines(), key=len)) < 2000  # the SVG itself is not echoed
    for suffix in ("a5", "a5-print"):
        pdf = workspace.pdf("leaflet", suffix)
        assert "The rest of the text." in PdfReader(pdf).pages[1].extract_text()
        if QPDF:
            assert subprocess.run([QPDF, "--check", str(pdf)], capture_output=True).returncode == 0


def test_a_file_over_the_size_limit_is_refused(workspace):
    with (workspace.content / "huge.svg").open("wb") as file:
        file.write(b'<svg xmlns="http://www.w3.org/2000/svg"><!--')
        file.truncate(21 * 1024 * 1024)
    workspace.write("leaflet.md", LEAFLET + "\n![a picture](huge.svg)\n")
    run = workspace.build("--jobs", "1")
    assert run.code == 0 and "over the limit of 20 MB for one file" in run.err, run.err


def test_qr_codes_and_ordinary_pictures_still_work(tmp_path: Path, capsys):
    """samizdat's own QR codes (SVG data: URLs) and a plain SVG and PNG pass the limits untouched."""
    front = VALID_FRONT_MATTER.replace("lang: en\n", "lang: en\nslogans:\n  - Stop the war!\n")
    project = make_project(tmp_path / "project", {"leaflet": front + "\n![x](art.svg)\n\n![y](photo.png)\n"})
    (project / "content" / "art.svg").write_text(OUTSIDE_SVG)
    from PIL import Image

    Image.new("RGB", (1500, 1000), (200, 30, 30)).save(project / "content" / "photo.png")
    (project / "samizdat.yaml").write_text("posters:\n  url: https://example.org/join\n")
    code, said = build(project, capsys)
    assert code == 0 and "refused" not in said, said
    assert MARKER in PdfReader(project / "output" / "leaflet" / "leaflet-a5.pdf").pages[1].extract_text()
    assert (project / "output" / "leaflet" / "posters" / "stop-the-war-a3.pdf").is_file()


# The preview server: only the site, never its records; HEAD; no traceback when a download is cancelled.


@pytest.fixture(scope="module")
def preview(tmp_path_factory: pytest.TempPathFactory):
    """samizdat.serve.serve() on a free port over a made-up output/, in a thread; yields (port, output).

    One server for the module: the tests only ask it, and stopping one takes half a second (its watch's timeout).
    """
    import threading

    from samizdat.serve import serve

    tmp_path = tmp_path_factory.mktemp("preview")
    output = tmp_path / "output"
    (output / ".cache").mkdir(parents=True)
    (output / ".cache" / "targets.json").write_text(f'{{"secret": "{MARKER}"}}')
    (output / ".hidden").write_text(MARKER)
    (output / "index.html").write_text("<html><body><p>Page</p></body></html>", encoding="utf-8")
    (output / "latin1.html").write_bytes(b"<html><body><p>caf\xe9</p></body></html>")
    (output / "big.pdf").write_bytes(b"%PDF-1.7\n" + b"0" * (8 * 1024 * 1024))
    stop, ports = threading.Event(), []
    thread = threading.Thread(target=serve, args=(output, [tmp_path], lambda changed: [], 0, stop, ports.append))
    thread.start()
    deadline = time.monotonic() + 20
    while not ports and time.monotonic() < deadline:
        time.sleep(0.05)
    yield ports[0], output
    stop.set()
    thread.join(timeout=10)


def ask(port: int, method: str, path: str) -> tuple[int, dict[str, str], bytes]:
    import http.client

    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request(method, path)
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response.status, dict(response.getheaders()), body


#: path → status: what a mirror would copy is served; the build's records and dot-files never are.
SERVED = {
    "/.cache/targets.json": 404,
    "/.cache/": 404,
    "/.hidden": 404,
    "/%2ecache/targets.json": 404,
    "/sub/../.cache/targets.json": 403,
    "/index.html": 200,
    "/": 200,
}


@pytest.mark.parametrize("path", SERVED)
def test_the_server_serves_the_site_and_not_its_records(preview, path):
    port, _ = preview
    status, _, body = ask(port, "GET", path)
    assert status == SERVED[path]
    assert MARKER.encode() not in body


#: Host header (PORT: the preview's) → status: a name a web page points at 127.0.0.1 (DNS rebinding) is refused.
HOSTS = {
    "127.0.0.1:PORT": 200,
    "localhost:PORT": 200,
    "LOCALHOST:PORT": 200,
    "[::1]:PORT": 200,
    "attacker.example:PORT": 403,
    "attacker.example": 403,
    "127.0.0.1": 403,
    "127.0.0.1:1": 403,
    "localhost.attacker.example:PORT": 403,
    "": 403,
    None: 403,  # HTTP/1.1 without a Host header
}


@pytest.mark.parametrize("host", HOSTS, ids=[repr(host) for host in HOSTS])
@pytest.mark.parametrize("path", ["/index.html", "/__samizdat/events"])
def test_the_preview_answers_only_requests_for_this_machine(preview, host, path):
    import http.client

    port, _ = preview
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.putrequest("GET", path, skip_host=True)
    if host is not None:
        connection.putheader("Host", host.replace("PORT", str(port)))
    connection.endheaders()
    response = connection.getresponse()
    body = response.read(4096) if response.status != 200 else b""
    connection.close()
    assert response.status == HOSTS[host]
    if response.status == 403:
        assert b"Page" not in body and MARKER.encode() not in body


def test_an_http_1_0_request_without_a_host_is_answered(preview):
    """HTTP/1.0 has no Host header; no browser sends it, and a rebinding page cannot make one leave it out."""
    import socket

    port, _ = preview
    with socket.create_connection(("127.0.0.1", port), timeout=10) as client:
        client.sendall(b"GET /index.html HTTP/1.0\r\n\r\n")
        answer = b""
        while chunk := client.recv(65536):
            answer += chunk
    assert answer.startswith(b"HTTP/1.1 200") and b"<p>Page</p>" in answer


def test_head_answers_like_get_without_a_body(preview):
    port, output = preview
    status, headers, body = ask(port, "HEAD", "/big.pdf")
    assert status == 200 and body == b""
    assert int(headers["Content-Length"]) == (output / "big.pdf").stat().st_size
    status, headers, _ = ask(port, "HEAD", "/.cache/targets.json")
    assert status == 404


def test_a_page_not_in_utf8_is_served_as_it_is(preview):
    port, output = preview
    status, headers, body = ask(port, "GET", "/latin1.html")
    assert status == 200 and body == (output / "latin1.html").read_bytes()
    assert "utf-8" not in headers["Content-Type"]
    status, _, body = ask(port, "GET", "/index.html")
    assert status == 200 and b"EventSource" in body  # pages in UTF-8 still get the reload script


def test_a_cancelled_download_prints_no_traceback(preview, capfd):
    import socket

    port, _ = preview
    for _ in range(3):
        client = socket.create_connection(("127.0.0.1", port), timeout=10)
        client.sendall(b"GET /big.pdf HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        client.recv(1024)
        client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))  # reset, as a browser does
        client.close()
    time.sleep(1)
    status, _, _ = ask(port, "GET", "/index.html")
    assert status == 200  # still serving
    captured = capfd.readouterr()
    assert "Traceback" not in captured.err and "ConnectionResetError" not in captured.err, captured.err


def test_the_count_line_counts_states():
    from samizdat.serve import tally
    from samizdat.targets import TargetResult

    results = [TargetResult("a", "up to date")] * 32 + [TargetResult("b", "built"), TargetResult("c", "failed")]
    assert tally(results) == "1 built, 32 up to date, 1 failed"
    assert tally([TargetResult("a", "skipped")]) == "0 built, 0 up to date, 1 skipped, 0 failed"


def test_a_folder_swapped_for_a_link_out_is_refused_even_when_nothing_else_changed(tmp_path: Path, capsys):
    """The quick answer must not vouch for fonts/ once it leads out of the project, even to identical fonts."""
    root = make_project(tmp_path / "project", {"leaflet": VALID_FRONT_MATTER + "\nText.\n"})
    assert main(["--project", str(root)]) == 0
    shutil.copytree(root / "fonts", tmp_path / "outside-fonts")
    shutil.rmtree(root / "fonts")
    (root / "fonts").symlink_to(tmp_path / "outside-fonts")
    capsys.readouterr()
    assert main(["--project", str(root)]) == 1
    out, err = capsys.readouterr()
    assert "nothing to render" not in out
    assert "fonts is a link to" in out + err


#: samizdat.yaml that is no file → how it is made in the project, and the fragment of the refusal.
CONFIG_NOT_FILES = {
    "a named pipe": (lambda root: os.mkfifo(root / "samizdat.yaml"), "this is a device or a pipe, not a file"),
    "a link to a named pipe in the project": (
        lambda root: (os.mkfifo(root / "pipe"), (root / "samizdat.yaml").symlink_to("pipe")),
        "device or a pipe",
    ),
    "a link to /dev/zero": (lambda root: (root / "samizdat.yaml").symlink_to("/dev/zero"), "is a link to /dev/zero"),
}


@pytest.mark.parametrize("case", CONFIG_NOT_FILES)
def test_a_config_that_is_no_file_is_refused_without_opening_it(tmp_path: Path, case: str, built_projects):
    """A pipe would wait for ever, /dev/zero never end: both must be refused, by the quick answer's check too."""
    root = built_projects(tmp_path / "project", {"content/leaflet.md": LEAFLET, "samizdat.yaml": "sheet: A4\n"})
    build = [sys.executable, str(REPO / "build.py"), "--project", str(root)]
    pdf = root / "output" / "leaflet" / "leaflet-a5.pdf"
    before = pdf.read_bytes()
    (root / "samizdat.yaml").unlink(missing_ok=True)
    make, fragment = CONFIG_NOT_FILES[case]
    make(root)
    for command in (build, [*build[:2], "check", "--project", str(root)]):
        done = subprocess.run(command, capture_output=True, text=True, timeout=60)
        text = done.stdout + done.stderr
        assert (done.returncode, fragment in text, "samizdat.yaml" in text) == (1, True, True), text
        assert "Traceback" not in text
    assert pdf.read_bytes() == before
