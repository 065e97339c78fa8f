#!/usr/bin/env python3
"""samizdat's paragraphs beside Typst's: word spaces, hyphens and runts of each text's A5 PDF, in one run.

    make bench-typography        (or: .venv/bin/python bench/typography.py)

For the statement (content/stop-the-war.md) and the test texts (tests/data/udhr-*.md,
see tests/data/PROVENANCE.md) it builds the A5 screen PDF with samizdat (the
repository's layouts and fonts, a temporary content and output folder), sets
the same body with Typst (bench/typst_reference.py), measures both
(bench/figures.py) and prints them side by side, with a column for samizdat's
greedy line breaking (`linebreaks: greedy` in the front matter) when the build
accepts that key, and whether each goal of issue 12 is met. It prints figures
only: nothing here is timed.
"""

from __future__ import annotations

import contextlib
import io
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.figures import Figures, measure  # noqa: E402 - after the path is set, as a script
from bench.typst_reference import typeset  # noqa: E402
from samizdat.cli import main  # noqa: E402

#: The texts measured: slug → the samizdat document.
TEXTS = {
    "stop-the-war": REPO / "content" / "stop-the-war.md",
    "udhr-en": REPO / "tests" / "data" / "udhr-en.md",
    "udhr-ru": REPO / "tests" / "data" / "udhr-ru.md",
    "udhr-uk": REPO / "tests" / "data" / "udhr-uk.md",
    "udhr-be": REPO / "tests" / "data" / "udhr-be.md",
}
#: Languages whose one-letter prepositions and conjunctions may not end a line.
ONE_LETTERS = ("ru", "uk", "be")


@dataclass(frozen=True)
class Build:
    """What a samizdat build of some documents gave: each slug's A5 PDF, or the build's complaint."""

    pdfs: dict[str, Path]
    refused: str = ""


def with_front_matter(text: str, line: str) -> str:
    """The document with `line` added at the end of its front matter."""
    head, front, body = text.split("---\n", 2)
    return f"{head}---\n{front}{line}\n---\n{body}"


def build_a5(documents: dict[str, str], folder: Path) -> Build:
    """Build the documents (slug → text) with samizdat into `folder`; the A5 PDFs, or what the build said."""
    content, output = folder / "content", folder / "output"
    content.mkdir(parents=True)
    for slug, text in documents.items():
        (content / f"{slug}.md").write_text(text, encoding="utf-8")
    arguments = ["--project", str(REPO), "--content", str(content), "--output", str(output), "--jobs", "2"]
    printed, complaints = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(printed), contextlib.redirect_stderr(complaints):
        code = main(arguments)
    pdfs = {slug: output / slug / f"{slug}-a5.pdf" for slug in documents}
    if code != 0 or not all(pdf.exists() for pdf in pdfs.values()):
        said = [line.strip() for line in (complaints.getvalue() + printed.getvalue()).splitlines() if ".md:" in line]
        return Build({}, said[0].replace(f"{content}/", "") if said else f"the build exited {code}")
    return Build(pdfs)


def language(text: str) -> str:
    """The document's `lang:` (its first part)."""
    line = next(line for line in text.splitlines() if line.startswith("lang:"))
    return line.split(":", 1)[1].strip().strip("'\"").split("-")[0]


#: A goal: its name, and a test of (samizdat's figures, Typst's figures, the text's language).
Goal = tuple[str, Callable[[Figures, Figures, str], bool | None]]
GOALS: list[Goal] = [
    ("loose ≤ Typst", lambda s, t, _: s.loose <= t.loose),
    ("very loose ≤ Typst", lambda s, t, _: s.very_loose <= t.very_loose),
    ("largest ≤ Typst", lambda s, t, _: s.largest <= t.largest),
    ("hyphenated ≤ Typst + 2 points", lambda s, t, _: s.hyphenated <= t.hyphenated + 0.02),
    ("no one-letter word at a line end", lambda s, _, lang: s.one_letter_ends == 0 if lang in ONE_LETTERS else None),
    ("no ladder of 3 hyphens", lambda s, _, __: s.ladders == 0),
    ("no page-final hyphen", lambda s, _, __: s.page_final_hyphens == 0),
    ("no runt", lambda s, _, __: s.runts == 0),
    ("English: loose ≤ 10 %", lambda s, _, lang: s.loose <= 0.10 if lang == "en" else None),
    ("English: no very loose line", lambda s, _, lang: s.very_loose == 0 if lang == "en" else None),
    ("English: hyphenated ≤ 8 %", lambda s, _, lang: s.hyphenated <= 0.08 if lang == "en" else None),
]

#: The rows of a text's table: label, how a Figures shows it.
ROWS: list[tuple[str, Callable[[Figures], str]]] = [
    ("justified lines", lambda f: str(f.lines)),
    ("loose (> 1.5 × space)", lambda f: f"{f.loose:.1%}"),
    ("very loose (> 2 ×)", lambda f: f"{f.very_loose:.1%}"),
    ("tight (< 0.8 ×)", lambda f: f"{f.tight:.1%}"),
    ("95th percentile", lambda f: f"{f.p95:.2f} ×"),
    ("largest", lambda f: f"{f.largest:.2f} ×"),
    ("hyphenated ends", lambda f: f"{f.hyphenated:.1%}"),
    ("ladders of 3+ hyphens", lambda f: str(f.ladders)),
    ("page-final hyphens", lambda f: str(f.page_final_hyphens)),
    ("runts (< 6 characters)", lambda f: str(f.runts)),
    ("one-letter word at a line end", lambda f: str(f.one_letter_ends)),
]


def text_table(slug: str, lang: str, columns: dict[str, Figures]) -> str:
    """One text's figures, a column per setter, then its goals."""
    widths = [32] + [max(16, len(name) + 2) for name in columns]
    header = [f"{slug} ({lang})", *columns]
    lines = ["".join(cell.ljust(width) for cell, width in zip(header, widths, strict=True))]
    for label, show in ROWS:
        cells = [label, *(show(figures) for figures in columns.values())]
        lines.append("".join(cell.ljust(width) for cell, width in zip(cells, widths, strict=True)))
    verdicts = [(name, test(columns["samizdat"], columns["Typst"], lang)) for name, test in GOALS]
    lines.append("goals: " + ", ".join(f"{'✓' if met else '✗'} {name}" for name, met in verdicts if met is not None))
    return "\n".join(lines)


def summary(results: dict[str, tuple[str, dict[str, Figures]]]) -> str:
    """The README's table: samizdat / Typst for each text."""
    heads = ["loose", "very loose", "largest", "hyphenated ends", "ladders", "page-final hyphens", "runts"]
    lines = ["| text | " + " | ".join(heads) + " | one-letter ends |", "| --- " * (len(heads) + 2) + "|"]
    for slug, (lang, columns) in results.items():
        s, t = columns["samizdat"], columns["Typst"]
        cells = [
            f"{s.loose:.0%} / {t.loose:.0%}",
            f"{s.very_loose:.1%} / {t.very_loose:.1%}",
            f"{s.largest:.1f} × / {t.largest:.1f} ×",
            f"{s.hyphenated:.1%} / {t.hyphenated:.1%}",
            f"{s.ladders} / {t.ladders}",
            f"{s.page_final_hyphens} / {t.page_final_hyphens}",
            f"{s.runts} / {t.runts}",
            f"{s.one_letter_ends} / {t.one_letter_ends}",
        ]
        lines.append(f"| {slug} ({lang}) | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def run(texts: dict[str, Path]) -> int:
    """Build, set and measure every text; print the tables. Exit 1 when samizdat failed to build."""
    documents = {slug: path.read_text(encoding="utf-8") for slug, path in texts.items()}
    with tempfile.TemporaryDirectory(prefix="bench-typography-") as temporary:
        folder = Path(temporary)
        ours = build_a5(documents, folder / "samizdat")
        if ours.refused:
            print(f"samizdat did not build the texts: {ours.refused}", file=sys.stderr)
            return 1
        greedy = build_a5(
            {slug: with_front_matter(text, "linebreaks: greedy") for slug, text in documents.items()},
            folder / "greedy",
        )
        results = {}
        for slug, text in documents.items():
            columns = {"samizdat": measure(ours.pdfs[slug])}
            if not greedy.refused:
                columns["samizdat greedy"] = measure(greedy.pdfs[slug])
            columns["Typst"] = measure(typeset(text, folder / f"{slug}-typst.pdf"))
            columns["Typst, same no-break spaces"] = measure(typeset(text, folder / f"{slug}-typst-nb.pdf", True))
            results[slug] = (language(text), columns)
            print(text_table(slug, *results[slug]) + "\n")
    if greedy.refused:
        print(f"(no 'samizdat greedy' column: the build refused `linebreaks: greedy`: {greedy.refused})\n")
    print("samizdat / Typst, A5, Charis SIL 10/13.6 pt, 116 mm measure:\n")
    print(summary(results))
    return 0


if __name__ == "__main__":
    sys.exit(run(TEXTS))
