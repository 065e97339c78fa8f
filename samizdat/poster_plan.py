"""Planning posters: which slogan goes on which size at what font size, and the files each one makes.

Pure data from what the probe render measured (samizdat.posters.measure): each
slogan fitted on each size (samizdat.fitting), or with `posters: scale: common`
the whole set at one size; a slogan that only fits under the minimum fails alone.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from samizdat.catalogue import KINDS, POSTER_FILES
from samizdat.content import Document
from samizdat.errors import SamizdatError
from samizdat.fitting import Measures, fit
from samizdat.names import hyphenated
from samizdat.paper import PosterSize
from samizdat.punctuation import breakable_words


@dataclass(frozen=True)
class Poster:
    slogan: str
    slug: str
    size: PosterSize
    font_size: float
    lines: tuple[str, ...]


def plan_posters(
    document: Document, sizes: list[PosterSize], measures: Measures, minimum: float, scale: str = "each"
) -> tuple[list[Poster], list[PosterFailure]]:
    """Every slogan on every size, at its fitted size (with `scale: common`, the set's smallest on each size).

    A slogan too long to read at `minimum` fails alone: its failure is returned, the other posters are made.
    """
    posters, failures = [], []
    for index, (slogan, slug) in enumerate(zip(document.slogans, slogan_slugs(document.slogans), strict=True)):
        words = breakable_words(slogan)
        line = document.slogan_lines[index] if index < len(document.slogan_lines) else None
        if not words or max(measures.words.get(word, 0.0) for word in words) <= 0:
            raise SamizdatError(
                "this slogan prints nothing (only spaces or invisible characters): write it out or remove it",
                document.source,
                line,
            )
        for size in sizes:
            font_size, lines = fit(words, measures.areas[size.name], measures)
            if font_size < minimum:
                message = (
                    f"the slogan “{_shown(slogan)}” fits {size.name} only at {font_size:.1f} pt, under the "
                    f"{minimum:g} pt minimum: shorten it or choose a larger size; its posters are not made"
                )
                failures.append(PosterFailure(slogan, slug, size, SamizdatError(message, document.source, line)))
                continue
            posters.append(Poster(slogan, slug, size, round(font_size, 2), lines))
    return (common_sizes(posters) if scale == "common" else posters), failures


def common_sizes(posters: list[Poster]) -> list[Poster]:
    """Every poster of one paper size at the set's smallest fitted size: the largest at which every slogan fits,
    so that a wall of them reads as one series. Smaller than its own fit, each slogan's lines still fit."""
    smallest = {poster.size.name: poster.font_size for poster in posters}
    for poster in posters:
        smallest[poster.size.name] = min(smallest[poster.size.name], poster.font_size)
    return [replace(poster, font_size=smallest[poster.size.name]) for poster in posters]


@dataclass(frozen=True)
class PosterFailure:
    """A slogan that cannot be set on one size: its posters there are not made, the document's others are."""

    slogan: str
    slug: str
    size: PosterSize
    error: SamizdatError

    def names(self, tile_sheet: str) -> list[str]:
        """The files it would have written (an earlier good one is left where it is)."""
        return poster_names(self.slug, self.size, tile_sheet)


def poster_names(slug: str, size: PosterSize, tile_sheet: str) -> list[str]:
    """The screen, print and tiled files of one slogan on one size."""
    size_name = size.name.lower()
    names = [kind.file_name(slogan=slug, size=size_name) for kind in POSTER_FILES]
    return [*names, KINDS["tiled"].file_name(slogan=slug, size=size_name, sheet=tile_sheet.lower())]


def slogan_slug(slogan: str) -> str:
    """A file name part from a slogan: words joined by hyphens, at most 60 characters.

    >>> slogan_slug("Free the oppressed in Russia!"), slogan_slug("Свободу політв'язням!")
    ('free-the-oppressed-in-russia', 'свободу-політв-язням')
    """
    slug = hyphenated(slogan)
    if len(slug) > 60:
        slug = slug[:60].rsplit("-", 1)[0]
    return slug or "slogan"


def slogan_slugs(slogans: tuple[str, ...]) -> list[str]:
    """Each slogan's file name part, unique: "Stop the war!" and "Stop the war?" give stop-the-war, stop-the-war-2.

    A number is never one another slogan's slug already is ("Stop the war 2"), so no poster overwrites another.

    >>> slogan_slugs(("Stop the war!", "Stop the war 2", "STOP THE WAR"))
    ['stop-the-war', 'stop-the-war-2', 'stop-the-war-3']
    """
    bases = [slogan_slug(slogan) for slogan in slogans]
    taken: set[str] = set()
    slugs = []
    for base in bases:
        slug, number = base, 1
        while slug in taken or (slug != base and slug in bases):
            number += 1
            slug = f"{base}-{number}"
        taken.add(slug)
        slugs.append(slug)
    return slugs


def _shown(slogan: str) -> str:
    """A slogan in a message: at most 80 characters, so a long one does not fill the terminal."""
    return slogan if len(slogan) <= 80 else slogan[:79] + "…"
