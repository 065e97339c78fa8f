"""samizdat.pdfio: the only code that touches pypdf's and WeasyPrint's private attributes, and damage caught only
where a foreign PDF is read — a bug in samizdat's own imposition code surfaces as the exception it is."""

from __future__ import annotations

import ast
import hashlib
import io
import re
from pathlib import Path

import pytest
from conftest import REPO, VALID_FRONT_MATTER
from pdfs import numbered_pdf, raw_pdf
from pypdf import PdfReader

from samizdat.cli import main
from samizdat.errors import SamizdatError
from samizdat.impose import ImposeOptions
from samizdat.impose.imposer import impose

PACKAGE = REPO / "samizdat"
ADAPTER = PACKAGE / "pdfio"
LIBRARIES = ("pypdf", "weasyprint", "pydyf", "pypdfium2")
#: Private names of the standard library that samizdat may use (not pypdf's or WeasyPrint's), and why.
STANDARD = {
    ("os", "_exit"): "a forked worker ends without running the parent's exit handlers",
    ("pool", "_processes"): "multiprocessing's pool size, read with getattr and a default",
}


def private_uses(source: str) -> list[tuple[int, str]]:
    """(line, what) for each private attribute used on another object, and each private name imported from
    pypdf, WeasyPrint, pydyf or pypdfium2 (or from a private module of theirs)."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Attribute) and _private(node.attr):
            owner = ast.unparse(node.value)
            if owner not in ("self", "cls") and (owner, node.attr) not in STANDARD:
                found.append((node.lineno, f"{owner}.{node.attr}"))
        elif isinstance(node, ast.Call) and ast.unparse(node.func) in ("getattr", "setattr", "hasattr", "delattr"):
            owner, name = (node.args + [None, None])[:2]
            private = isinstance(name, ast.Constant) and _private(str(name.value))
            if private and (ast.unparse(owner), name.value) not in STANDARD:
                found.append((node.lineno, f"{ast.unparse(node.func)}({ast.unparse(owner)}, {name.value!r})"))
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            module = getattr(node, "module", None) or ""
            for alias in node.names:
                path = f"{module}.{alias.name}" if module else alias.name
                if path.split(".")[0] in LIBRARIES and any(_private(part) for part in path.split(".")):
                    found.append((node.lineno, f"import {path}"))
    return sorted(found)


def _private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


SNIPPETS = {
    "a writer's private method": ("sheet[key] = writer._add_object(content)", ["writer._add_object"]),
    "a WeasyPrint page's box tree": ("boxes = page._page_box.descendants()", ["page._page_box"]),
    "a stream's raw bytes": ("data = stream._data", ["stream._data"]),
    "read by getattr": ("getattr(writer, '_root_object')", ["getattr(writer, '_root_object')"]),
    "a private function imported": (
        "from weasyprint.text.line_break import _font_style_cache_key",
        ["import weasyprint.text.line_break._font_style_cache_key"],
    ),
    "a private module imported": ("from pypdf._page import PageObject", ["import pypdf._page.PageObject"]),
    "samizdat's own private state": ("self._cache = {}\ncls._made = 1", []),
    "a dunder": ("name = type(x).__name__", []),
    "the standard library's, allowed": ("os._exit(1)", []),
    "a public method": ("writer.add_blank_page(1, 2)", []),
}


@pytest.mark.parametrize("case", SNIPPETS)
def test_the_check_finds_private_uses(case: str):
    source, expected = SNIPPETS[case]
    assert [what for _, what in private_uses(source)] == expected


def test_only_pdfio_touches_private_attributes_of_pypdf_or_weasyprint():
    offences = [
        f"{path.relative_to(REPO)}:{line}: {what}"
        for path in sorted(PACKAGE.rglob("*.py"))
        if ADAPTER not in path.parents
        for line, what in private_uses(path.read_text(encoding="utf-8"))
    ]
    assert offences == [], "private pypdf/WeasyPrint attributes belong in samizdat/pdfio/, behind a helper"


def test_each_private_use_in_pdfio_names_why():
    """Every private use in the adapter has a comment, on its line or just above, saying what public API it
    stands in for (or that there is none)."""
    uses = 0
    for path in sorted(ADAPTER.glob("*.py")):
        lines = path.read_text(encoding="utf-8").splitlines()
        for line, what in private_uses("\n".join(lines)):
            uses += 1
            context = "\n".join(lines[max(0, line - 4) : line])
            assert "Private:" in context, f"{path.name}:{line}: {what} needs a '# Private: ...' comment"
    assert uses >= 6  # _add_object, _info, _objects, _info_obj, _data (twice), _page_box, _font_style_cache_key


def _raises(exception: type[Exception]):
    def broken(*args: object, **kwargs: object) -> None:
        raise exception("a bug injected by the test")

    return broken


#: (module, function) of samizdat's own code → the exception injected into it; each must surface as it is.
BUGS = {
    "the booklet's plan": ("samizdat.impose.imposer", "saddle_plan", TypeError),
    "placing a form": ("samizdat.impose.place", "placement", AttributeError),
    "making a page a form": ("samizdat.pdfio.forms", "make_form", KeyError),
    "checking a box read from the file": ("samizdat.pdfio.pages", "checked_box", IndexError),
    "counting a page's links": ("samizdat.pdfio.read", "_internal_link", TypeError),
    "packing the written PDF": ("samizdat.pdfio.pack", "_serialise", AttributeError),
}


def linked_pdf() -> bytes:
    """Two pages, the first with a web link, so that counting links runs."""
    link = b"<< /Type /Annot /Subtype /Link /Rect [0 0 9 9] /A << /S /URI /URI (https://example.org) >> >>"
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 420 595] /Resources << >> /Contents 5 0 R %s>>"
    return raw_pdf(
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R 4 0 R] /Count 2 >>",
        page % b"/Annots [6 0 R] ",
        page % b"",
        b"<< /Length 21 >>\nstream\n0 0 1 rg 0 0 9 9 re f\nendstream",
        link,
    )


@pytest.mark.parametrize("case", BUGS)
def test_a_bug_in_imposition_surfaces_as_itself_not_as_a_damaged_pdf(monkeypatch, case: str):
    module, function, exception = BUGS[case]
    source = linked_pdf()
    assert impose(source, ImposeOptions(), "in.pdf").sides == 2  # sound before the bug is injected
    monkeypatch.setattr(f"{module}.{function}", _raises(exception))
    with pytest.raises(exception, match="a bug injected by the test") as raised:
        impose(source, ImposeOptions(), "in.pdf")
    assert not isinstance(raised.value, SamizdatError)


def test_a_bug_at_the_command_line_is_a_traceback_and_writes_nothing(tmp_path: Path, monkeypatch):
    """The CLI has no 'this is a bug' message: an exception that is not a SamizdatError propagates from main()
    (build.py shows its traceback), and neither the input nor the output folder changes."""
    source = tmp_path / "in.pdf"
    source.write_bytes(numbered_pdf(8))
    before = hashlib.sha256(source.read_bytes()).hexdigest()
    monkeypatch.setattr("samizdat.impose.imposer.saddle_plan", _raises(TypeError))
    with pytest.raises(TypeError, match="a bug injected by the test"):
        main(["impose", str(source), "-o", str(tmp_path / "out.pdf")])
    assert sorted(path.name for path in tmp_path.iterdir()) == ["in.pdf"]
    assert hashlib.sha256(source.read_bytes()).hexdigest() == before


def test_a_bug_in_tiling_surfaces_as_itself(tmp_path: Path, monkeypatch):
    source = tmp_path / "poster.pdf"
    source.write_bytes(numbered_pdf(1, size=(842, 1191)))
    monkeypatch.setattr("samizdat.tile.tile_plans", _raises(TypeError))
    with pytest.raises(TypeError, match="a bug injected by the test"):
        main(["tile", str(source), "-o", str(tmp_path / "out.pdf"), "--project", str(REPO)])
    assert sorted(path.name for path in tmp_path.iterdir()) == ["poster.pdf"]


def test_a_bug_in_a_builds_imposition_surfaces_as_itself(workspace, monkeypatch):
    """In a build the booklet is imposed in a forked worker: the bug comes back to the build as itself."""
    workspace.write("leaflet.md", VALID_FRONT_MATTER + "Text.\n")
    monkeypatch.setattr("samizdat.impose.imposer.saddle_plan", _raises(TypeError))
    with pytest.raises(TypeError, match="a bug injected by the test"):
        workspace.build()
    assert not list(workspace.output.rglob("*booklet*.pdf"))


def _with_resources(resources: bytes, *objects: bytes) -> bytes:
    """A one-page PDF with `resources`, and `objects` as objects 5, 6..."""
    return raw_pdf(
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 420 595] /Resources %s /Contents 4 0 R >>" % resources,
        b"<< /Length 5 >>\nstream\nq Q  \nendstream",
        *objects,
    )


BROKEN_OFF = b"[ 1 2 ( ]"  # an object whose text breaks off: pypdf raises only when something resolves it
FORM = b"<< /Type /XObject /Subtype /Form /BBox [0 0 9 9] /Resources << /Font << /F1 6 0 R >> >> /Length 0 >>"

#: Damage that pypdf meets only when the imposer copies the page (lazily): read ahead by read_source, it is
#: reported as the file's, naming the file and page — never a traceback, never a net around placing pages.
RESOURCES_DAMAGED = "in.pdf, page 1: its fonts, images or drawings is damaged and cannot be read"


def _many_streams(count: int) -> bytes:
    """A page drawn by `count` content streams (the same one, listed `count` times)."""
    refs = b" ".join([b"4 0 R"] * count)
    return _with_resources(b"<< >>").replace(b"/Contents 4 0 R", b"/Contents [%s]" % refs)


LAZY_DAMAGE = {
    "a font object that breaks off": (_with_resources(b"<< /Font << /F1 5 0 R >> >>", BROKEN_OFF), RESOURCES_DAMAGED),
    "the font of a form the page draws": (
        _with_resources(b"<< /XObject << /X 5 0 R >> >>", FORM + b"\nstream\n\nendstream", BROKEN_OFF),
        RESOURCES_DAMAGED,
    ),
    "a page drawn by 10,001 content streams (pypdf's limit, met when the drawing is copied)": (
        _many_streams(10_001),
        "in.pdf, page 1 is damaged and cannot be read (Array-based stream has 10001 > 10000 elements",
    ),
}


@pytest.mark.parametrize("case", LAZY_DAMAGE)
def test_damage_met_only_when_copying_is_found_when_reading(tmp_path: Path, cli, case: str):
    from samizdat.pdfio.damage import DamagedPDF
    from samizdat.pdfio.read import read_source

    data, fragment = LAZY_DAMAGE[case]
    with pytest.raises(DamagedPDF, match=re.escape(fragment)):
        read_source(data, "in.pdf")
    source = tmp_path / "in.pdf"
    source.write_bytes(data)
    run = cli("impose", str(source), "-o", str(tmp_path / "out.pdf"))
    assert (run.code, fragment in run.err, "Traceback" in run.err) == (1, True, False), run.err
    assert sorted(path.name for path in tmp_path.iterdir()) == ["in.pdf"]


def test_a_poster_set_splits_into_one_file_per_page():
    from samizdat.pdfio.pack import page_count, split_pages

    files = split_pages(numbered_pdf(3), ["one", "two", "three"])
    assert [page_count(data) for data in files] == [1, 1, 1]
    assert [PdfReader(io.BytesIO(data)).metadata["/Title"] for data in files] == ["one", "two", "three"]
