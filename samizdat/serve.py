"""Live preview for designers: serve output/ on 127.0.0.1, rebuild on save, reload open pages by themselves.

Pages served here get a few lines of script that listen to /__samizdat/events
(server-sent events): a finished build reloads the page; a failed one shows its
message in a banner instead of leaving a stale page. Only files under output/
are served, never a directory listing, never a path that leads outside, never
a dot-file or dot-folder (output/.cache/ holds the build's records), and only
to a request whose Host is 127.0.0.1, localhost or [::1] with the port (DNS
rebinding would let any web page read the preview otherwise). A browser
that cancels a download is no error: nothing is printed.
"""

from __future__ import annotations

import html
import http.server
import mimetypes
import shutil
import sys
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import unquote, urlsplit

import watchfiles

from samizdat.errors import SamizdatError
from samizdat.progress import PlainProgress
from samizdat.project import Project
from samizdat.report import BuildReport, build
from samizdat.targets import TargetResult
from samizdat.warm_up import forget_if_removed, warm_up
from samizdat.workers import scratch_folder

EVENTS = "/__samizdat/events"
LIVE_SCRIPT = (
    "<script>(function () {"
    f' var source = new EventSource("{EVENTS}");'
    ' source.onmessage = function (event) { if (event.data === "reload") { location.reload(); } };'
    "})();</script>"
)
BANNER = (
    '<div role="alert" id="samizdat-build-error" style="position:sticky;top:0;z-index:9;background:#b3151d;'
    'color:#fff;padding:1rem;font:16px/1.4 monospace;white-space:pre-wrap">Build failed:\n{}</div>'
)


class Preview:
    """The state the server shares with the watcher: the last build's errors and a counter of builds."""

    def __init__(self) -> None:
        self.errors: list[str] = []
        self.generation = 0
        self.changed = threading.Condition()

    def built(self, errors: list[str]) -> None:
        with self.changed:
            self.errors = errors
            self.generation += 1
            self.changed.notify_all()


def make_handler(output_dir: Path, preview: Preview) -> type[http.server.BaseHTTPRequestHandler]:
    root = output_dir.resolve()

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:  # noqa: N802 - the http.server API
            self.answer(with_body=True)

        def do_HEAD(self) -> None:  # noqa: N802 - the http.server API
            self.answer(with_body=False)

        def answer(self, with_body: bool) -> None:
            if not self.local_host():
                return self.send_error(403, "this preview answers only http://127.0.0.1, localhost or [::1]")
            path = unquote(urlsplit(self.path).path)
            if path == EVENTS and with_body:
                return self.events()
            if path == "/favicon.ico":  # browsers ask for it; the site has none
                self.send_response(204)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return None
            target = self.target(path)
            if target is None:
                return None
            body, content_type = target.read_bytes(), mimetypes.guess_type(target.name)[0] or "text/plain"
            charset = "; charset=utf-8" if content_type.startswith("text/") else ""
            if content_type == "text/html":
                body, charset = self.live(body)
            self.send_response(200)
            self.send_header("Content-Type", content_type + charset)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            if with_body:
                self.wfile.write(body)
            return None

        def local_host(self) -> bool:
            """Whether the Host header names this machine: a web page elsewhere can make a browser ask this port
            under a name of its own that it points at 127.0.0.1 (DNS rebinding), and then read the answers."""
            host = self.headers.get("Host")
            if host is None:
                return self.request_version == "HTTP/1.0"  # HTTP/1.1 requires it
            port = self.server.server_address[1]
            return host.lower() in {f"127.0.0.1:{port}", f"localhost:{port}", f"[::1]:{port}"}

        def target(self, path: str) -> Path | None:
            """The file under output/ that `path` names, or None once an error is sent."""
            try:
                target = (root / path.lstrip("/")).resolve()
                if path.endswith("/"):
                    target = target / "index.html"
                if not target.is_relative_to(root) or ".." in Path(path).parts:
                    return self.send_error(403, "outside the output folder")
                asked, found = Path(path).parts[1:], target.relative_to(root).parts
                if any(part.startswith(".") for part in (*asked, *found)):
                    return self.send_error(404, "no such file in output/")  # .cache/, dot-files: not the site's
                if not target.is_file():
                    return self.send_error(404, "no such file in output/")
            except (ValueError, OSError):  # a NUL byte, a name too long for the file system
                return self.send_error(404, "no such file in output/")
            return target

        def live(self, page: bytes) -> tuple[bytes, str]:
            """The page with the reload script (and the error banner); a page not in UTF-8 is served as it is."""
            try:
                text = page.decode("utf-8")
            except UnicodeDecodeError:
                return page, ""
            banner = BANNER.format(html.escape("\n".join(preview.errors))) if preview.errors else ""
            text = text.replace("<body>", "<body>" + banner, 1)
            return text.replace("</body>", LIVE_SCRIPT + "</body>", 1).encode("utf-8"), "; charset=utf-8"

        def handle_one_request(self) -> None:
            try:
                super().handle_one_request()
            except (ConnectionResetError, BrokenPipeError):  # the browser cancelled a download: nothing to say
                self.close_connection = True

        def events(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            seen = preview.generation
            try:
                while True:
                    with preview.changed:
                        preview.changed.wait_for(lambda seen=seen: preview.generation != seen, timeout=15)
                    message = b"data: reload\n\n" if preview.generation != seen else b": still here\n\n"
                    seen = preview.generation
                    self.wfile.write(message)
                    self.wfile.flush()
            except (BrokenPipeError, ConnectionResetError):
                return

        def log_message(self, *args: object) -> None:
            pass  # the build's own lines are what the designer reads

    return Handler


def serve(
    output_dir: Path, watched: list[Path], rebuild: Callable[[set[Path]], list[str]], port: int,
    stop: threading.Event, ready: Callable[[int], None] = lambda port: None, warm_up: Callable[[], None] | None = None,
) -> None:  # fmt: skip
    """Serve until `stop` is set; `rebuild(changed paths)` runs a build and returns its error messages; `warm_up`
    runs once, when nothing has been saved for a moment after the first build (the watch is on meanwhile)."""
    preview = Preview()
    preview.built(rebuild(set()))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), make_handler(output_dir, preview))
    server.daemon_threads = True
    server.block_on_close = False  # a browser's idle keep-alive connection must not hold Ctrl-C up
    threading.Thread(target=server.serve_forever, daemon=True).start()
    ready(server.server_address[1])
    try:
        for changes in watched_changes(watched, stop, on_quiet=warm_up):
            preview.built(rebuild(changes))
    finally:
        server.shutdown()
        server.server_close()


def watched_changes(
    watched: list[Path], stop: threading.Event, timeout_ms: int = 500, on_quiet: Callable[[], None] | None = None
) -> Iterator[set[Path]]:
    """The paths changed under `watched`, a set per save, until `stop` is set.

    A watched folder or file that does not exist yet (a project made with
    `samizdat new` has no layouts/ nor fonts/) is looked for at every timeout,
    and watched from when it appears: the first override a designer saves
    rebuilds. One that goes away is watched again when it comes back.
    """
    pending: set[Path] = set()
    while not stop.is_set():
        present = [path for path in watched if path.exists()]
        missing = [path for path in watched if path not in present]
        for batch in watchfiles.watch(
            *present, stop_event=stop, debounce=200, rust_timeout=timeout_ms, yield_on_timeout=True
        ):  # fmt: skip
            changes, pending = pending | {Path(path) for _, path in batch}, set()
            if changes:
                yield changes
            elif on_quiet is not None:  # the first timeout with nothing saved: the watch goes on meanwhile
                on_quiet()
                on_quiet = None
            appeared = {path for path in missing if path.exists()}
            if appeared or not all(path.exists() for path in present):
                pending = appeared  # reported once the new watch runs: nothing saved meanwhile is missed
                break


def tally(results: list[TargetResult]) -> str:
    """'1 built, 2 up to date, 0 failed' (and how many skipped, if any): counted from the results' states.

    >>> tally([TargetResult("a", "built"), TargetResult("b", "up to date"), TargetResult("c", "up to date")])
    '1 built, 2 up to date, 0 failed'
    """
    states = Counter(result.state for result in results)
    counts = [f"{states['built']} built", f"{states['up to date']} up to date"]
    counts += [f"{states['skipped']} skipped"] if states["skipped"] else []
    return ", ".join([*counts, f"{states['failed']} failed"])


def rebuilder(project: Project, progress: PlainProgress) -> Callable[[set[Path]], BuildReport]:
    """serve's rebuild: `changed` paths → the report of samizdat.report.build, the same build the CLI runs.

    Only the edited documents are built when only documents changed; the
    download page keeps listing what earlier builds of this session made. No
    quick answer and no build record: a preview rebuilds on every save.
    """
    known: dict[Path, TargetResult] = {}

    def rebuild(changed: set[Path]) -> BuildReport:
        report = build(project, progress, only=edited(project, changed), remember=False, earlier=known.values())
        known.update({result.path: result for result in report.targets if result.path})
        return report

    return rebuild


def edited(project: Project, changed: set[Path]) -> list[str] | None:
    """The documents to build for these changes: the edited ones when only documents changed, else all (None)."""
    names = {path.stem for path in changed if path.suffix == ".md" and path.parent == project.content_dir}
    only = sorted(names) if changed and len(names) == len(changed) else None
    return [name for name in only or [] if (project.content_dir / f"{name}.md").exists()] or None


def preview_project(project: Project, port: int, progress: PlainProgress) -> None:
    """`build.py serve`: build, serve, rebuild what changed (one document when only it changed), until Ctrl-C."""
    rebuild = rebuilder(project, progress)
    warm_folder, made = scratch_folder(project.output_dir / ".cache" / "warm"), set()

    def stream(changed: set[Path]) -> list[str]:
        forget_if_removed(warm_folder)  # output/ removed: the warm-up's fonts too (samizdat.warm_up)
        try:
            report = rebuild(changed)
        except SamizdatError as error:
            print(f"error: {error}", file=sys.stderr)
            return [str(error)]
        made.update(result.path for result in report.targets if result.state in ("built", "up to date"))
        print(f"{tally(report.targets)}; watching for changes (Ctrl-C stops)", flush=True)
        return report.failures()

    layers = [*project.layouts.folders, *project.fonts.folders]  # the project's, then the built-in (samizdat.layers)
    watched = [project.content_dir, *layers, project.root / "samizdat.yaml"]
    stop = threading.Event()

    def ready(bound: int) -> None:
        print(f"serving {project.output_dir} at http://127.0.0.1:{bound}/", flush=True)

    try:
        serve(project.output_dir, watched, stream, port, stop, ready, lambda: warm_up(project, warm_folder, made))
    except OSError as error:
        raise SamizdatError(f"cannot serve on port {port}: {error.strerror}; try --port 0") from None
    except KeyboardInterrupt:
        stop.set()
        print("stopped")
    finally:
        shutil.rmtree(warm_folder, ignore_errors=True)
