"""Risograph separations: one greyscale PDF per ink drum, and a proof of them laid over one another in their inks.

A risograph prints one ink at a time from a greyscale master. samizdat.yaml's
`riso: {inks: {black: [ink, muted], red: [accent]}}` says which colour tokens
each drum prints (samizdat.riso_inks). Each drum's PDF is the pamphlet laid out
again (samizdat.jobs.lay_out_pamphlet) with its tokens in grey at their tint and
every other token white, so that what another drum prints leaves paper here
(a knock-out), through layouts/pamphlet/riso.css: nothing within 12 mm of the
trim, the crop marks and registration crosses outside it, identical on every
drum. The separations are A5 pages in a 12 mm slug: print them at actual size
on A4 (a riso takes A4 and larger, and cannot print its paper's edge), line the
drums up on the crosses and trim at the crop marks. The riso's limits are
checked on renders of the drums (samizdat.riso_proof, samizdat.riso_sheet); a
file that breaks one is not written and the build names the page.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import replace

from samizdat.body import paper_edition
from samizdat.cache import Cache
from samizdat.catalogue import KINDS
from samizdat.config import Config
from samizdat.contents import table_of_contents
from samizdat.errors import SamizdatError
from samizdat.mark import mark
from samizdat.output import write_atomically
from samizdat.pdf import Layout, write_pdf
from samizdat.plan import Planned
from samizdat.preflight.model import page_list
from samizdat.project import Project
from samizdat.riso_inks import Ink, RisoConfig, colour_tokens, grey, lightness, tint
from samizdat.riso_proof import Drum, limits_broken, painted_box, proof, rendered
from samizdat.riso_sheet import labelled, transparency
from samizdat.targets import Job, TargetResult

STYLESHEETS = ("pamphlet/riso.css",)
PAPER = "#ffffff"
#: A drum that does not print the pictures: each is moved out of its box, which is painted paper (riso.css).
NO_PICTURES = {"--riso-picture-fit": "none", "--riso-picture-at": "-1000mm -1000mm", "--riso-picture-ground": PAPER}
INSTRUCTIONS = ("print at actual size (100 %) on A4 with this drum's ink, line the drums up on the crosses "
                "outside the page, then trim at the crop marks")  # fmt: skip
PROOF = "the separations laid over one another in their inks (the first pages and the back cover), to look at"


def separation_tokens(riso: RisoConfig, ink: Ink, known: dict[str, str]) -> dict[str, str]:
    """The design tokens of `ink`'s drum: its tokens in grey at their tint; a darker ink's tokens transparent
    (they overprint this ink: a band in black over a red field leaves the red whole under it, so a drum
    printed a little off shows no white gap); every other colour token white (paper, or a lighter ink's
    colour knocked out of this one). Pictures only on the first drum.

    >>> riso = RisoConfig((Ink("black", ("ink",), "#000000"), Ink("red", ("accent",), "#ff665e")))
    >>> known = {"ink": "#1b1b1b", "accent": "#b3151d", "paper": "#ffffff"}
    >>> tokens = separation_tokens(riso, riso.inks[1], known)
    >>> tokens["--colour-ink"], tokens["--colour-accent"], tokens["--colour-paper"], tokens["--riso-picture-ground"]
    ('transparent', '#000000', '#ffffff', '#ffffff')
    >>> separation_tokens(riso, riso.inks[0], known)["--colour-accent"]
    '#ffffff'
    """
    darker = {token for other in riso.inks if lightness(other.colour) < lightness(ink.colour) for token in other.tokens}
    tokens = {f"--colour-{name}": grey(tint(value, ink.colour)) if name in ink.tokens else
              "transparent" if name in darker else PAPER for name, value in known.items()}  # fmt: skip
    return tokens | ({} if ink == riso.inks[0] else NO_PICTURES)


def unprinted(riso: RisoConfig, known: dict[str, str]) -> dict[str, str]:
    """The colour tokens no ink prints that are not paper-white: nothing may paint them."""
    inked = {token for ink in riso.inks for token in ink.tokens}
    return {name: value for name, value in known.items() if name not in inked and value != PAPER}


def make_riso(
    project: Project, config: Config, planned: Planned, date: str | None, cache: Cache
) -> Iterator[TargetResult]:
    """The stale separations and proof of one document (every drum is laid out: the proof needs them all). A
    drum that breaks a riso limit fails with what and where; the others are skipped: they print together."""
    if not planned.targets or config.riso is None:
        return
    started = time.perf_counter()
    try:
        drums, layouts = separations(project, config, planned.job, date)
    except SamizdatError as error:
        for target in planned.targets:
            yield cache.keep(TargetResult(str(target.path), "failed", target.path, target.kind.purpose,
                                          error=str(error)), target.digest)  # fmt: skip
        return
    if problems := broken_limits(project, drums, planned.job.document.slug):
        for target in planned.targets:
            own = problems.get(target.path.name)
            error = "; ".join(own) if own else f"not made: the drums print together, and {', '.join(problems)} cannot"
            yield TargetResult(str(target.path), "failed" if own else "skipped", target.path, target.kind.purpose,
                               error=error)  # fmt: skip
        return
    yield from written_targets(project, planned, drums, layouts, started, cache)


def separations(project: Project, config: Config, job: Job, date: str | None) -> tuple[list[Drum], list[Layout]]:
    """Every drum's PDF and its renders, from one layout per ink (the line breaks found once, for the first)."""
    from samizdat.jobs import lay_out_pamphlet  # here: samizdat.jobs dispatches to this module

    riso, known = config.riso, colour_tokens(project.layouts_dir)
    job = replace(job, document=paper_edition(job.document))  # printed: the links' addresses on the page
    contents, breaks = table_of_contents(job.document, config), None
    drums, layouts = [], []

    def lay_out(tokens: dict[str, str]) -> Layout:
        return lay_out_pamphlet(project, job, date, breaks=breaks, contents=contents, design=config.cover,
                                url=config.url, tokens=tokens, stylesheets=STYLESHEETS)  # fmt: skip

    for ink in riso.inks:
        layout = lay_out(separation_tokens(riso, ink, known))
        breaks = breaks if breaks is not None else layout.breaks
        label = f"{ink.name} drum — {job.document.slug}"
        data = labelled(write_pdf(layout, mark=mark("riso", "A5")), label)
        drums.append(Drum(ink.name, ink.colour, data, rendered(data)))
        layouts.append(layout)
    if len(counts := {len(drum.pages) for drum in drums}) > 1:  # a project's riso.css sizing type by colour, say
        raise SamizdatError(f"the drums have different page counts ({', '.join(map(str, sorted(counts)))}): the "
                            "riso layout must not change with the colours")  # fmt: skip
    if stray := unprinted(riso, known):
        refuse_stray_paint(riso, stray, lay_out({f"--colour-{name}": "#000000" if name in stray else PAPER
                                                 for name in known} | NO_PICTURES))  # fmt: skip
    return drums, layouts


def refuse_stray_paint(riso: RisoConfig, stray: dict[str, str], layout: Layout) -> None:
    """An error when the tokens that are in no ink paint anything (rendered in black, all else white): their
    colour would print nowhere."""
    pages = [number for number, page in enumerate(rendered(write_pdf(layout)), start=1) if painted_box(page)]
    if pages:
        names = ", ".join(f"{name} ({value})" for name, value in stray.items())
        these = f"colour tokens {names} are" if len(stray) > 1 else f"colour token {names} is"
        last = riso.inks[-1]
        raise SamizdatError(f"the {these} in no ink of riso: inks: but paint{'s' * (len(stray) == 1)} "
                            f"{page_list(pages)}; add {'each' if len(stray) > 1 else 'it'} to the ink that should "
                            f"print it, e.g. {last.name}: [{', '.join([*last.tokens, *stray])}]")  # fmt: skip


def broken_limits(project: Project, drums: list[Drum], slug: str) -> dict[str, list[str]]:
    """What a riso cannot print, by separation file: paint within 5 mm of the edge, a solid too large,
    transparency; each problem names the page and the stylesheet to change."""
    stylesheet = project.layouts.find(STYLESHEETS[0]) or project.layouts_dir / STYLESHEETS[0]
    problems = {}
    for drum in drums:
        file = KINDS["riso"].file_name(slug=slug, ink=drum.ink)
        found = limits_broken(drum, file)
        if pages := transparency(drum.data):
            found.append(f"{file}, {page_list(pages)}: painted with transparency (a soft mask, an alpha, a blend "
                         "mode); a riso master is ink or paper: remove opacity, masks and blend modes")  # fmt: skip
        if found:
            problems[file] = [f"{text} ({stylesheet})" for text in found]
    return problems


def written_targets(
    project: Project, planned: Planned, drums: list[Drum], layouts: list[Layout], started: float, cache: Cache
) -> Iterator[TargetResult]:
    """Put the stale separations and the proof in place, each checked and recorded."""
    from samizdat.jobs import written

    slug = planned.job.document.slug
    by_name = {KINDS["riso"].file_name(slug=slug, ink=drum.ink): (drum, layout)
               for drum, layout in zip(drums, layouts, strict=True)}  # fmt: skip
    for target in planned.targets:
        seconds = time.perf_counter() - started
        if target.kind.name == "riso-proof":
            png = png_bytes(proof(drums))
            write_atomically(target.path, png)
            purpose = target.kind.describe(instructions=PROOF)
            result = TargetResult(str(target.path), "built", target.path, purpose, len(drums[0].pages), len(png),
                                  seconds, paper="A5")  # fmt: skip
        else:
            drum, layout = by_name[target.path.name]
            purpose = target.kind.describe(ink=drum.ink, instructions=INSTRUCTIONS)
            result = written(project, planned.job, target.path, drum.data, purpose, len(drum.pages), seconds,
                             layout.warnings, kind=(target.kind, "A5"))  # fmt: skip
        yield cache.keep(result, target.digest)
        started = time.perf_counter()


def png_bytes(image: object) -> bytes:
    """The proof as PNG, the same bytes for the same pixels (no date, no text chunks)."""
    import io

    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()
