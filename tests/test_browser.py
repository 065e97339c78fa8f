"""The download page and the live preview in a real browser: Debian's Chromium, driven by Playwright."""

from __future__ import annotations

import hashlib
import http.client
import json
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from conftest import REPO

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = REPO / "tests" / "artifacts"
pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(), reason="Debian's chromium is not installed (.ci/run installs it)"
)


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--no-first-run", "--disable-quic"],
        )  # fmt: skip
        yield browser
        browser.close()


@pytest.fixture
def page_of(browser):
    """Open a URL in a fresh page; console errors are collected on page.errors."""
    pages = []

    def open_page(url: str, width: int = 1024):
        page = browser.new_page(viewport={"width": width, "height": 800})
        page.errors = []
        page.on("console", lambda message: message.type == "error" and page.errors.append(message.text))
        page.on("pageerror", lambda error: page.errors.append(str(error)))
        page.goto(url)
        pages.append(page)
        return page

    yield open_page
    for page in pages:
        page.close()


def test_download_page_links_checksums_thumbnails(statement_output: Path, page_of):
    output = statement_output.parent
    page = page_of((output / "index.html").as_uri())
    manifest = {entry["path"]: entry for entry in json.loads((output / "manifest.json").read_text())["files"]}
    links = page.eval_on_selector_all("a[download]", "links => links.map(a => a.href)")
    assert len(links) == len(manifest)
    for link in links:
        path = Path(unquote(urlsplit(link).path))
        entry = manifest[path.relative_to(output).as_posix()]
        data = path.read_bytes()
        assert len(data) == entry["bytes"] and hashlib.sha256(data).hexdigest() == entry["sha256"]
        shown = page.locator(f'code[aria-label="SHA-256 of {entry["output"]}"]').inner_text()
        assert shown == entry["sha256"]
    for image in page.locator("img").all():
        image.scroll_into_view_if_needed()
    page.wait_for_function("[...document.images].every(img => img.complete)")
    widths = page.eval_on_selector_all("img", "images => images.map(img => img.naturalWidth)")
    assert widths and all(width > 0 for width in widths)
    assert page.errors == []
    ARTIFACTS.mkdir(exist_ok=True)
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(ARTIFACTS / "download-page.png"))


def test_download_page_fits_a_phone_and_works_by_keyboard(statement_output: Path, page_of):
    page = page_of((statement_output.parent / "index.html").as_uri(), width=375)
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    links = set(page.eval_on_selector_all("a[download]", "links => links.map(a => a.href)"))
    reached = set()
    for _ in range(4 * len(links) + 10):
        page.keyboard.press("Tab")
        reached.add(page.evaluate("document.activeElement.href || ''"))
        if links <= reached:
            break
    assert links <= reached
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none", "the focused element shows no focus ring"
    assert page.evaluate("[...document.images].every(img => img.alt)")
    assert page.locator("h1").count() == 1 and page.locator("h2").count() >= 1


def test_the_language_switcher_links_resolve_to_each_editions_files(translations_output: Path, page_of):
    page = page_of((translations_output / "index.html").as_uri())
    languages = page.locator("nav.languages a")
    assert languages.count() >= 3
    for index in range(languages.count()):
        link = languages.nth(index)
        lang, anchor = link.get_attribute("hreflang"), link.get_attribute("href")
        link.click()
        assert page.evaluate("location.hash") == anchor
        heading = page.locator(anchor)
        assert heading.count() == 1 and heading.is_visible()
        assert heading.evaluate("h => h.closest('[lang]').lang") == lang
        top = heading.evaluate("h => h.getBoundingClientRect().top")
        assert 0 <= top < 800, f"{anchor} is not scrolled into view"
        files = heading.evaluate(
            "h => [...h.closest('section').querySelectorAll('a[download]')].map(a => a.href)"
        )
        assert files, f"no files under {anchor}"
        for href in files:
            path = Path(unquote(urlsplit(href).path))
            assert path.is_file() and path.relative_to(translations_output).parts[1] == lang, href
    assert page.errors == []


def test_the_translations_page_fits_a_phone_and_tab_reaches_every_language(translations_output: Path, page_of):
    page = page_of((translations_output / "index.html").as_uri(), width=375)
    assert page.evaluate("document.documentElement.scrollWidth") <= 375, "the page scrolls sideways on a phone"
    languages = page.eval_on_selector_all("nav.languages a", "links => links.map(a => a.href)")
    reached = []
    for _ in range(len(languages) + 5):
        page.keyboard.press("Tab")
        reached.append(page.evaluate("document.activeElement.href || ''"))
        if set(languages) <= set(reached):
            break
    assert set(languages) <= set(reached), "Tab does not reach every language link"
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none"
    page.keyboard.press("Enter")  # the focused language link, followed by keyboard
    assert page.evaluate("location.hash") == "#" + urlsplit(reached[-1]).fragment


#: The reading editions looked at: the statement's, and the Arabic one of the translations (right to left).
READING = [("statement", "stop-the-war/stop-the-war.html"),
           ("translations", "read-and-pass-on/ar/read-and-pass-on.html")]


@pytest.mark.parametrize("width", [320, 1280])
@pytest.mark.parametrize(("project", "page_path"), READING, ids=[name for name, _ in READING])
def test_the_reading_edition_fits_any_screen_and_asks_for_nothing(
    request, page_of, browser, project: str, page_path: str, width: int
):  # fmt: skip
    """No sideways scroll at 320 px or 1,280 px, lines at most about 70ch wide, nothing fetched but the
    page itself (its policy would block it: a console error), notes that lead to the note and back."""
    output = request.getfixturevalue("statement_output").parent if project == "statement" else \
        request.getfixturevalue("translations_output")  # fmt: skip
    url = (output / page_path).as_uri()
    asked: list[str] = []
    page = browser.new_page(viewport={"width": width, "height": 800})
    page.errors = []
    page.on("console", lambda message: message.type == "error" and page.errors.append(message.text))
    page.on("request", lambda sent: asked.append(sent.url))
    page.goto(url)
    try:
        assert page.evaluate("document.documentElement.scrollWidth") <= width, "the page scrolls sideways"
        widest = page.evaluate("Math.max(...[...document.querySelectorAll('main p')].map(p => p.clientWidth))")
        zero = page.evaluate(
            "(() => { const s = document.createElement('span'); s.textContent = '0'.repeat(100);"
            " s.style = 'position: absolute; white-space: nowrap'; document.querySelector('main p').append(s);"
            " const w = s.offsetWidth / 100; s.remove(); return w; })()"
        )  # the width of a figure: what CSS calls 1ch
        assert widest / zero <= 72, f"lines {widest / zero:.0f}ch wide"
        assert asked == [url] and page.errors == []
        direction = "rtl" if "/ar/" in page_path else "ltr"
        assert page.evaluate("[document.documentElement.lang, document.documentElement.dir]")[1] == direction
        calls = page.locator("a.note-call")
        if calls.count():
            calls.first.click()
            assert page.evaluate("location.hash") == calls.first.get_attribute("href")
            page.locator(":target a.note-number").click()
            assert page.evaluate("location.hash") == "#" + calls.first.get_attribute("id")
    finally:
        page.close()


def wait_for(condition, seconds: float = 20.0) -> bool:
    """Poll `condition` until it holds; a page caught in the middle of reloading counts as not yet."""
    from playwright.sync_api import Error

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if condition():
                return True
        except Error:
            pass
        time.sleep(0.2)
    return False


def raw_status(port: int, path: str) -> int:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("GET", path)  # sent as written: no client-side normalising of ../
    status = connection.getresponse().status
    connection.close()
    return status


def start_server(tmp_path: Path, title: str) -> tuple[subprocess.Popen, int, Path]:
    """`build.py serve` on a free port for a one-document project; the process, its port and the document."""
    content = tmp_path / "content"
    content.mkdir()
    source = content / "leaflet.md"
    source.write_text(f"---\ntitle: {title}\nauthor: Test\nlang: en\n---\nText.\n")
    server = subprocess.Popen(
        [sys.executable, str(REPO / "build.py"), "serve", "--port", "0", "--project", str(REPO),
         "--content", str(content), "--output", str(tmp_path / "output")],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    for line in server.stdout:
        if line.startswith("serving "):
            return server, int(line.rsplit(":", 1)[1].strip("/\n")), source
    server.kill()
    raise AssertionError("the server never said where it serves")


def test_serve_reloads_on_save_shows_errors_and_serves_only_output(tmp_path: Path, page_of):
    server, port, source = start_server(tmp_path, "First title")
    try:
        page = page_of(f"http://127.0.0.1:{port}/")
        assert "First title" in page.content()
        source.write_text("---\ntitle: Second title\nauthor: Test\nlang: en\n---\nText.\n")
        assert wait_for(lambda: "Second title" in page.content()), "the page did not reload with the new title"
        source.write_text("---\ntitle: Broken\nauthr: Test\nlang: en\n---\nText.\n")
        assert wait_for(lambda: page.locator("#samizdat-build-error").count() == 1), "no error banner"
        assert wait_for(lambda: "did you mean 'author'?" in page.locator("#samizdat-build-error").inner_text())
        for path in ("/../pyproject.toml", "/%2e%2e/pyproject.toml", "/..%2fpyproject.toml", "/%2e%2e%2fREADME.md"):
            assert raw_status(port, path) in (403, 404), path
        assert raw_status(port, "/manifest.json") == 200
        assert page.errors == []
        server.send_signal(signal.SIGINT)
        started = time.monotonic()
        assert server.wait(timeout=10) == 0
        assert time.monotonic() - started < 5
    finally:
        if server.poll() is None:
            server.kill()
        shutil.rmtree(tmp_path / "output", ignore_errors=True)


def test_serve_answers_odd_paths_without_crashing(tmp_path: Path):
    server, port, _ = start_server(tmp_path, "T")
    try:
        for path in ("/%00", "/" + "a" * 5000, "/leaflet/", "/index.html%00.pdf"):
            assert raw_status(port, path) == 404, path
        assert raw_status(port, "/index.html") == 200
    finally:
        server.send_signal(signal.SIGINT)
        server.wait(timeout=10)
