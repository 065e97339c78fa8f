"""The pamphlet's other editions: large print (A4, 16 pt), pocket (A6) and copier-safe (A5 in black and white only).

Each is the pamphlet's own layout with design tokens changed (samizdat.jobs.lay_out_pamphlet's `tokens`) and a
stylesheet of its own for what tokens cannot change, the page's size above all (layouts/pamphlet/NAME.css,
linked by pamphlet.html). They are a job group of their own ("variants", samizdat.targets.GROUPS), so that the
A5's job is not slowed by three more layouts, and each is a target with its own digest (samizdat.plan). A
project makes the editions samizdat.yaml names (`editions:`); none by default, since each costs a layout of
the whole text (about as long as the A5's).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

from samizdat.body import paper_edition
from samizdat.cache import Cache
from samizdat.catalogue import Write
from samizdat.colour import design_colours
from samizdat.config import Config
from samizdat.contents import table_of_contents
from samizdat.errors import SamizdatError
from samizdat.impose.blanks import blanks_needed
from samizdat.mark import mark
from samizdat.pdf import write_pdf
from samizdat.plan import Planned, Target
from samizdat.project import Project
from samizdat.targets import Job, TargetResult

#: Large print on A4, after RNIB's Clear Print and APH's large-print guidance: 16 pt text on a leading of 1.5,
#: nothing under 13 pt (running heads, folios, notes), some 60 characters a line; the covers scaled to the page.
LARGE_PRINT = {
    "--size-text": "16pt", "--leading": "24pt", "--size-small": "13pt", "--size-heading": "21pt",
    "--size-title": "44pt", "--size-subtitle": "19pt", "--size-slogan": "30pt",
    "--margin-top": "22mm", "--margin-bottom": "24mm", "--margin-inner": "22mm", "--margin-outer": "20mm",
    "--cover-padding": "22mm", "--size-cover-line": "58pt", "--size-long-title": "28pt", "--cover-band": "32mm",
    "--cover-foot": "115mm", "--back-cover-foot": "62mm",
}  # fmt: skip
#: The pocket A6: 8.6 pt Charis SIL (a large x-height: a paperback's size) on 11.4 pt, narrow margins, some
#: 58 characters a line; the covers scaled to the page.
POCKET = {
    "--size-text": "8.6pt", "--leading": "11.4pt", "--size-small": "6.5pt", "--size-heading": "10pt",
    "--size-title": "19pt", "--size-subtitle": "9pt", "--size-slogan": "14pt",
    "--margin-top": "11mm", "--margin-bottom": "13mm", "--margin-inner": "11mm", "--margin-outer": "9mm",
    "--cover-padding": "10mm", "--size-cover-line": "27pt", "--size-long-title": "13pt", "--cover-band": "16mm",
    "--cover-foot": "54mm", "--back-cover-foot": "30mm",
}  # fmt: skip
#: The copier's sizes are the A5's: only its colours change (copier_tokens).
SIZES = {"large-print": LARGE_PRINT, "pocket": POCKET, "copier": {}}
#: The built-in colour tokens by what they colour: type black (the covers become type on paper, so the colour set
#: on the accent too), the paper and the panel's tint white, whatever their shade (a light accent stays legible).
ROLES = {
    "--colour-ink": "#000000", "--colour-accent": "#000000", "--colour-on-accent": "#000000",
    "--colour-muted": "#000000", "--colour-paper": "#ffffff", "--colour-panel": "#ffffff",
}  # fmt: skip


def copier_tokens(layouts_dir: Path) -> dict[str, str]:
    """Every `--colour-*` token of the layers' tokens.css as pure black or white: the built-in ones by their role,
    a project's own by their shade (dark ones black, light ones white: a tint becomes white, its box drawn by a
    rule in copier.css)."""
    found = design_colours(layouts_dir)
    return {name: ROLES.get(name) or ("#000000" if _dark(value) else "#ffffff") for name, value in found}


def _dark(hex_colour: str) -> bool:
    """Whether a colour is darker than middle grey (its relative luminance, WCAG's, under 0.18).

    >>> _dark("b3151d"), _dark("5c5c5c"), _dark("f7e6e4"), _dark("fff")
    (True, True, False, False)
    """
    if len(hex_colour) == 3:
        hex_colour = "".join(digit * 2 for digit in hex_colour)
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2] < 0.18


def edition_tokens(name: str, layouts_dir: Path) -> dict[str, str]:
    """The design tokens an edition changes."""
    return copier_tokens(layouts_dir) if name == "copier" else SIZES[name]


def make_variants(
    project: Project, config: Config, planned: Planned, date: str | None, cache: Cache
) -> Iterator[TargetResult]:
    """Each stale edition of the job (the plan's targets, with its digests), from a layout of its own: set from
    the paper edition (the links' addresses printed), with samizdat.yaml's covers and table of contents."""
    job = planned.job
    paper = paper_edition(job.document)
    printed = replace(job, document=paper) if paper.body_html != job.document.body_html else job
    contents = table_of_contents(job.document, config)
    for target in planned.targets:
        started = time.perf_counter()
        try:
            result = _edition(project, config, printed, target, date, contents, started)
        except SamizdatError as error:
            result = TargetResult(str(target.path), "failed", target.path, target.kind.purpose, error=str(error))
        yield cache.keep(result, target.digest)


def _edition(
    project: Project, config: Config, job: Job, target: Target, date: str | None, contents: tuple, started: float
) -> TargetResult:
    """One edition laid out, written as its kind's row says, put in place and checked by preflight."""
    from samizdat.jobs import lay_out_pamphlet, written  # samizdat.jobs dispatches to this module

    kind, write = target.kind, target.kind.write or Write()
    cmyk = config.print_colour == "cmyk" and kind.colour
    layout = lay_out_pamphlet(
        project, job, date, cmyk, None, contents, design=config.cover, url=config.url,
        tokens=edition_tokens(kind.name, project.layouts_dir), stylesheets=(f"pamphlet/{kind.name}.css",),
    )  # fmt: skip
    data = write_pdf(
        layout, crop_marks=write.crop_marks, without_bleed=write.without_bleed, tagged=write.tagged,
        pdfx=cmyk and write.pdfx, booklet=write.booklet, mark=mark(kind.name, kind.paper),
    )  # fmt: skip
    pages = len(layout.document.pages)
    pages += blanks_needed(pages) if write.booklet else 0
    checked = replace(kind, expect={**kind.expect, "max_solid": config.copier_max_solid}) if kind.name == "copier" \
        else kind  # fmt: skip
    return written(project, job, target.path, data, kind.purpose, pages, time.perf_counter() - started,
                   layout.warnings, cmyk, (checked, kind.paper))  # fmt: skip
