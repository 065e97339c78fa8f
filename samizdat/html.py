"""HTML stage: a `Document` poured into a layout's Jinja2 template gives the HTML WeasyPrint renders."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import jinja2

from samizdat.content import Document
from samizdat.errors import LayoutError


@lru_cache(maxsize=8)
def layout_environment(layouts_dir: Path) -> jinja2.Environment:
    """One Jinja2 environment per layouts folder, reused across documents.

    Autoescaping is on for everything: content is data, never template code, so
    `{{ 7*7 }}` in a document is printed as it is written.
    """
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(layouts_dir),
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
    is what a layout needs beyond the document (the posters and their sizes).
    `local` is the local group of a local edition, None for everyone's edition.
    """
    extra.setdefault("local", None)
    extra.setdefault("cmyk", None)  # the colour tokens as device-cmyk(), for CMYK print files
    return render_template(template, layouts_dir, document=document, variant=variant, date=date, **extra)


def render_template(template: str, layouts_dir: Path, **context: object) -> str:
    """Fill any layout template (also those without a document, like the tiles' labels)."""
    environment = layout_environment(layouts_dir.resolve())
    try:
        return environment.get_template(template).render(layouts_url=layouts_dir.resolve().as_uri(), **context)
    except jinja2.TemplateNotFound as error:
        raise LayoutError(
            f"the layout template '{error.name}' is missing from {layouts_dir}; restore it or fix the name",
            layouts_dir / str(error.name),
        ) from None
    except jinja2.TemplateSyntaxError as error:
        raise LayoutError(f"template error: {error.message}", Path(error.filename or template), error.lineno) from None
    except jinja2.UndefinedError as error:
        raise LayoutError(
            f"the template {template} uses something samizdat does not give it: {error.message}"
        ) from None
