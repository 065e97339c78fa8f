"""HTML stage: a `Document` poured into a layout's Jinja2 template gives the HTML WeasyPrint renders."""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from types import TracebackType

import jinja2
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError

from samizdat.body import DOCUMENT_LINK
from samizdat.content import Document
from samizdat.contexts import context_of
from samizdat.errors import LayoutError
from samizdat.layers import Layers, layout_layers
from samizdat.paths import refuse_outside


class LayeredLoader(jinja2.BaseLoader):
    """Templates from the layouts' layers: the project's layouts/ first, then samizdat's built-in layouts.

    A template that is a link out of its layer is refused: Jinja's own loader
    follows links without asking anyone, so `{% include "x.html" %}` with
    layouts/x.html -> /etc/passwd would print that file into the PDF.
    """

    def __init__(self, layers: Layers) -> None:
        self.layers = layers

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str, Callable[[], bool]]:
        relative = "/".join(jinja2.loaders.split_template_path(template))
        path = self.layers.find(relative, LayoutError)
        if path is None:
            raise jinja2.TemplateNotFound(template)
        try:
            source, modified = path.read_text(encoding="utf-8"), path.stat().st_mtime_ns
        except UnicodeDecodeError as error:
            raise LayoutError(f"not UTF-8 text (byte {error.start}); save the file as UTF-8", path) from None

        def unchanged() -> bool:  # a file edited, or one added to the project's layer over it, is loaded again
            try:
                return self.layers.find(relative, LayoutError) == path and path.stat().st_mtime_ns == modified
            except (OSError, LayoutError):
                return False

        return source, str(path), unchanged


@lru_cache(maxsize=8)
def layout_environment(layouts_dir: Path) -> jinja2.Environment:
    """One sandboxed Jinja2 environment per project's layouts folder (over the built-in), reused across documents.

    Autoescaping is on for everything: content is data, never template code, so
    `{{ 7*7 }}` in a document is printed as it is written. Layouts may come from
    someone else: the immutable sandbox lets them loop, test and print, never
    reach Python's internals (`lipsum.__globals__`) or change what they are given.
    """
    return ImmutableSandboxedEnvironment(
        loader=LayeredLoader(layout_layers(layouts_dir)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def render_html(
    document: Document, template: str, layouts_dir: Path, *, variant: str, date: str | None, **extra: object
) -> str:
    """Fill `template` (a path under layouts/, e.g. pamphlet/pamphlet.html) for one output variant.

    `variant` is "screen" or "print" (the print variant adds bleed); `date` is the
    ISO date written into the PDF metadata, or None for no date at all; `extra`
    is what a layout needs beyond the document (the posters and their sizes, the
    local group of a local edition, the covers): samizdat.contexts declares it all.
    """
    html = render_template(template, layouts_dir, document=document, variant=variant, date=date, **extra)
    for name, published in document.links_to:  # a linked text in several languages: its edition's A5 PDF
        html = html.replace(f'href="{DOCUMENT_LINK}{name}"', f'href="{DOCUMENT_LINK}{published}"')
    return html


def render_template(template: str, layouts_dir: Path, **context: object) -> str:
    """Fill any layout template (also those without a document, like the tiles' labels) with its declared context."""
    layouts = layouts_dir.absolute()
    refuse_outside(layouts, [layouts.parent.resolve()], LayoutError)  # layouts/ itself a link out
    environment = layout_environment(layouts)
    layers = layout_layers(layouts)
    # layouts_url names files in the layers (samizdat.layers): samizdat.fetch reads each from the first holding it
    values = context_of(template, layers.root.resolve().as_uri(), **context)  # an undeclared name: samizdat's bug
    try:
        return environment.get_template(template).render(**values)
    except jinja2.TemplateNotFound as error:
        raise LayoutError(
            f"the layout template '{error.name}' is missing: looked for {layers.searched(str(error.name))}; "
            "restore it or fix the name",
            layouts_dir / str(error.name),
        ) from None
    except jinja2.TemplateSyntaxError as error:
        raise LayoutError(f"template error: {error.message}", Path(error.filename or template), error.lineno) from None
    except jinja2.UndefinedError as error:
        path, line = _template_line(error.__traceback__, layouts)
        raise LayoutError(
            f"the template {template} uses something samizdat does not give it: {error.message}",
            path,
            line,
        ) from None
    except SecurityError as error:
        path, line = _template_line(error.__traceback__, layouts)
        raise LayoutError(
            f"the template does something layouts may not do ({error}); templates may loop, test and print "
            "what samizdat gives them, nothing more",
            path or layouts / template,
            line,
        ) from None
    except TEMPLATE_FAILURES as error:  # a layout is someone's code: `{{ 1 // 0 }}`, `{{ "x" + 1 }}`, `{{ [][1] }}`
        path, line = _template_line(error.__traceback__, layouts)
        raise LayoutError(
            f"the template fails as it runs ({type(error).__name__}: {error}); fix the expression on this line",
            path or layouts / template,
            line,
        ) from None


#: What a template's own expressions raise as they run (Jinja passes them on): the layout's error, never a crash.
TEMPLATE_FAILURES = (jinja2.TemplateError, ArithmeticError, LookupError, TypeError, ValueError, RecursionError)


def _template_line(trace: TracebackType | None, layouts: Path) -> tuple[Path | None, int | None]:
    """The innermost template file and line in a traceback (Jinja rewrites its frames to point at them)."""
    found: tuple[Path | None, int | None] = (None, None)
    layers = layout_layers(layouts)
    while trace is not None:
        filename = Path(trace.tb_frame.f_code.co_filename)
        if filename.is_absolute() and layers.relative(filename) is not None:
            found = (filename, trace.tb_lineno)
        trace = trace.tb_next
    return found
