"""Layouts in layers: `samizdat new`, one file overridden over the built-in layouts, contexts declared."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import jinja2
import pdfplumber
import pytest
import yaml
from jinja2 import meta, nodes

from samizdat.contexts import CONTEXTS, context_of, declared
from samizdat.errors import LayoutError
from samizdat.html import layout_environment, render_template
from samizdat.layers import BUILTIN_FONTS, BUILTIN_LAYOUTS

REPO = Path(__file__).resolve().parents[1]
CONSOLE = Path(sys.executable).parent / "samizdat"  # the console script, where samizdat is installed


def samizdat_command(how: str) -> list[str]:
    """The console command `samizdat`, or `python -m samizdat`."""
    if how == "console" and not CONSOLE.exists():
        pytest.skip("no samizdat console script beside this Python (samizdat is not installed here)")
    return [str(CONSOLE)] if how == "console" else [sys.executable, "-m", "samizdat"]


def run(command: list[str], *arguments: str, cwd: Path) -> subprocess.CompletedProcess:
    """Run samizdat as a user does, on this checkout's code (PYTHONPATH wins over an editable install elsewhere)."""
    environment = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run(
        [*command, *arguments], cwd=cwd, env=environment, capture_output=True, text=True, timeout=600, check=False
    )


def files_of(folder: Path) -> set[str]:
    return {path.relative_to(folder).as_posix() for path in folder.rglob("*") if path.is_file()}


def body_sizes(pdf: Path) -> set[float]:
    """The sizes (pt) of the characters of the example's first paragraph, as the PDF sets them."""
    with pdfplumber.open(pdf) as opened:
        for page in opened.pages:
            words = page.extract_words(extra_attrs=["size"])
            found = [word for word in words if word["text"] == "example"]
            if found:
                return {round(word["size"], 1) for word in found}
    raise AssertionError(f"no 'example' in {pdf}")


@pytest.fixture(scope="module")
def started(tmp_path_factory) -> Path:
    """A project made with `python -m samizdat new`."""
    folder = tmp_path_factory.mktemp("new") / "leaflets"
    made = run(samizdat_command("module"), "new", str(folder), cwd=folder.parent)
    assert made.returncode == 0, made.stderr
    return folder


def test_new_makes_only_content_and_a_commented_config(started):
    assert files_of(started) == {"content/example.md", "samizdat.yaml", ".gitignore"}
    assert "*.key" in (started / ".gitignore").read_text().split(), "a signing key is never committed"
    config = (started / "samizdat.yaml").read_text()
    assert yaml.safe_load(config) is None, "every setting is commented out: the defaults apply"
    assert "# cover: bold" in config and str(BUILTIN_LAYOUTS) in config
    example = (started / "content" / "example.md").read_text()
    assert "example" in example.lower() and "Putin" not in example, "an example, not the statement"


@pytest.mark.parametrize("how", ["console", "module"])
def test_new_project_builds_with_the_built_in_layouts_and_fonts(tmp_path, how):
    folder = tmp_path / "project"
    assert run(samizdat_command(how), "new", str(folder), cwd=tmp_path).returncode == 0
    built = run(samizdat_command(how), "build", "--jobs", "1", cwd=folder)
    assert built.returncode == 0, built.stdout + built.stderr
    made = files_of(folder / "output")
    assert {"example/example-a5.pdf", "example/example-a5-print.pdf", "example/example-booklet-a4.pdf",
            "index.html"} <= made  # fmt: skip
    assert not (folder / "layouts").exists() and not (folder / "fonts").exists()
    with pdfplumber.open(folder / "output" / "example" / "example-a5.pdf") as pdf:
        fonts = {char["fontname"].split("+")[-1] for page in pdf.pages for char in page.chars}
        text = "".join(page.extract_text() or "" for page in pdf.pages)
    assert "An Example Pamphlet" in text
    assert {"Charis-SIL", "Noto-Sans-Bold"} <= fonts, fonts  # the built-in fonts, found through the built-in fonts.css


@pytest.mark.parametrize(
    "existing, message",
    [
        ({"notes.txt": "mine"}, "exists and is not empty"),
        (None, "is a file"),
    ],
)
def test_new_refuses_a_folder_in_use(tmp_path, existing, message):
    folder = tmp_path / "taken"
    if existing is None:
        folder.write_text("a file of mine")
    else:
        folder.mkdir()
        for name, text in existing.items():
            (folder / name).write_text(text)
    before = files_of(tmp_path)
    refused = run(samizdat_command("module"), "new", str(folder), cwd=tmp_path)
    assert refused.returncode == 2 and message in refused.stderr and "Traceback" not in refused.stderr
    assert files_of(tmp_path) == before


def test_one_overridden_stylesheet_shows_and_removing_it_falls_back(tmp_path):
    folder = tmp_path / "project"
    command = samizdat_command("module")
    assert run(command, "new", str(folder), cwd=tmp_path).returncode == 0
    a5 = folder / "output" / "example" / "example-a5.pdf"
    assert run(command, "build", "--jobs", "1", cwd=folder).returncode == 0
    built_in = a5.read_bytes()
    assert body_sizes(a5) == {10.0}  # --size-text of the built-in tokens.css
    override = folder / "layouts" / "pamphlet" / "pamphlet.css"
    override.parent.mkdir(parents=True)
    # The built-in pamphlet.css, and one rule more: its @import of cover.css still finds the built-in cover.css.
    override.write_text((BUILTIN_LAYOUTS / "pamphlet" / "pamphlet.css").read_text() + "main.text p { font-size: 14pt }")
    overridden = run(command, "build", "--jobs", "1", cwd=folder)
    assert overridden.returncode == 0, overridden.stdout + overridden.stderr
    assert "built   " in overridden.stdout and body_sizes(a5) == {14.0}
    with pdfplumber.open(a5) as pdf:  # the cover is the built-in one: the title in Noto Sans Bold, large
        title = [char for char in pdf.pages[0].chars if char["text"] == "A"]
    assert title and all("Noto-Sans-Bold" in char["fontname"] and char["size"] > 20 for char in title)
    assert files_of(folder / "layouts") == {"pamphlet/pamphlet.css"}
    override.unlink()
    fallen_back = run(command, "build", "--jobs", "1", cwd=folder)
    assert fallen_back.returncode == 0 and "example-a5.pdf" in fallen_back.stdout
    assert a5.read_bytes() == built_in, "without the override the pamphlet is the built-in one again, byte for byte"


def test_a_missing_template_lists_every_place_searched(tmp_path):
    folder = tmp_path / "project"
    command = samizdat_command("module")
    assert run(command, "new", str(folder), cwd=tmp_path).returncode == 0
    template = folder / "layouts" / "pamphlet" / "pamphlet.html"
    template.parent.mkdir(parents=True)
    template.write_text('{% extends "base/base.html" %}{% block body %}{% include "pamphlet/nowhere.html" %}'
                        "{% endblock %}\n")  # fmt: skip
    failed = run(command, "build", "--jobs", "1", cwd=folder)
    assert failed.returncode == 1 and "Traceback" not in failed.stderr
    project, built_in = folder / "layouts" / "pamphlet" / "nowhere.html", BUILTIN_LAYOUTS / "pamphlet" / "nowhere.html"
    assert f"'pamphlet/nowhere.html' is missing: looked for {project}, then {built_in}" in failed.stdout + failed.stderr
    assert (folder / "output" / "example" / "posters").is_dir(), "the posters do not use it and are still made"


def test_help_lists_new():
    shown = run(samizdat_command("module"), "--help", cwd=REPO)
    assert shown.returncode == 0 and "new" in shown.stdout and "start a project" in shown.stdout


def test_the_repository_layouts_and_fonts_are_the_built_in_ones():
    assert (REPO / "layouts").resolve() == BUILTIN_LAYOUTS and (REPO / "fonts").resolve() == BUILTIN_FONTS


# Every template's context is declared (samizdat.contexts) and checked here.

TEMPLATES = sorted(path.relative_to(BUILTIN_LAYOUTS).as_posix() for path in BUILTIN_LAYOUTS.rglob("*.html"))


def parsed(template: str) -> nodes.Template:
    environment = layout_environment(BUILTIN_LAYOUTS)
    source, _, _ = environment.loader.get_source(environment, template)
    return environment.parse(source)


def bound(tree: nodes.Template) -> set[str]:
    """The names a template sets itself ({% for x in ... %}, {% set x = ... %}): an included template sees them."""
    return {name.name for name in tree.find_all(nodes.Name) if name.ctx in ("store", "param")}


def test_every_built_in_template_has_a_declared_context():
    assert sorted(CONTEXTS) == TEMPLATES


@pytest.mark.parametrize("template", TEMPLATES)
def test_a_template_uses_only_its_declared_context(template):
    tree = parsed(template)
    used = meta.find_undeclared_variables(tree) - bound(tree)  # Jinja counts a {% set %} inside an {% if %} as used
    assert used <= declared(template), f"{template} uses {sorted(used - declared(template))}, not declared"


@pytest.mark.parametrize("template", TEMPLATES)
def test_what_a_template_includes_sees_what_it_declares(template):
    tree = parsed(template)
    for included in meta.find_referenced_templates(tree):
        given = declared(template) | bound(tree)
        assert declared(included) <= given, f"{template} gives {included} no {sorted(declared(included) - given)}"


@pytest.mark.parametrize("template", TEMPLATES)
def test_html_passes_exactly_the_declared_fields(template):
    required = {name: None for name in declared(template) - {"layouts_url"}}
    assert set(context_of(template, "file:///layouts", **required)) == declared(template)
    with pytest.raises(TypeError, match="undeclared"):  # a name samizdat passes and never declared: samizdat's bug
        context_of(template, "file:///layouts", **required, undeclared=1)


def test_a_name_a_layout_uses_and_samizdat_does_not_give_is_the_layouts_error(tmp_path):
    labels = tmp_path / "layouts" / "poster" / "labels.html"
    labels.parent.mkdir(parents=True)
    labels.write_text("{% for label in labels %}{{ label }}{% endfor %}\n{{ secret }}\n")
    with pytest.raises(LayoutError) as raised:
        render_template("poster/labels.html", tmp_path / "layouts", labels=["A1"])
    assert "secret" in str(raised.value)
    assert str(labels) in str(raised.value) and ":2" in str(raised.value)


def test_a_layered_template_is_loaded_again_when_an_override_appears(tmp_path):
    layouts = tmp_path / "layouts"
    layouts.mkdir()
    first = render_template("poster/labels.html", layouts, labels=["A1"])
    assert "Tile labels" in first
    (layouts / "poster").mkdir()
    (layouts / "poster" / "labels.html").write_text("mine: {{ labels[0] }}")
    assert render_template("poster/labels.html", layouts, labels=["A1"]) == "mine: A1"


def test_jinja_sees_no_template_outside_the_layers(tmp_path):
    (tmp_path / "secret.html").write_text("SECRET")
    with pytest.raises(jinja2.TemplateNotFound):
        layout_environment(tmp_path / "layouts").get_template("../secret.html")


def test_the_fetcher_reads_each_layered_file_from_the_first_layer_holding_it(tmp_path):
    from samizdat.fetch import ProjectFetcher, RefusedURL
    from samizdat.project import Project

    project = Project.at(tmp_path)
    (tmp_path / "layouts" / "pamphlet").mkdir(parents=True)
    (tmp_path / "layouts" / "pamphlet" / "cover.css").write_text("/* mine */")
    (tmp_path / "secret.txt").write_text("SECRET")
    fetcher = ProjectFetcher(project.readable_dirs, (project.layouts, project.fonts))
    named = tmp_path / "layouts" / "pamphlet"
    own, inherited = fetcher.fetch((named / "cover.css").as_uri()), fetcher.fetch((named / "notes.css").as_uri())
    assert own.read() == b"/* mine */"
    assert inherited.read() == (BUILTIN_LAYOUTS / "pamphlet" / "notes.css").read_bytes()
    assert inherited.url == (named / "notes.css").as_uri(), "the URL stays the layered name: relative ones resolve so"
    font = fetcher.fetch((tmp_path / "fonts" / "noto-sans" / "NotoSans-Bold.ttf").as_uri())
    assert font.read() == (BUILTIN_FONTS / "noto-sans" / "NotoSans-Bold.ttf").read_bytes()
    for climbing in (f"{named.as_uri()}/../../secret.txt", f"{BUILTIN_LAYOUTS.as_uri()}/../../../secret.txt"):
        with pytest.raises(RefusedURL):
            fetcher.fetch(climbing)
    assert not any("SECRET" in message for message in fetcher.refused)
