"""The command line's grammar: the commands, their options and their help, in the printer's words.

samizdat.cli runs what is parsed here. Nothing here imports a PDF library."""

from __future__ import annotations

import argparse
import os
import re
from pathlib import Path

from samizdat import __version__
from samizdat.catalogue import KINDS, PAMPHLET_FILES, POSTER_FILES, READER_FILES, VARIANT_FILES, imposed
from samizdat.impose import DUPLEX_CHOICES, IMPOSE_EPILOG, LAYOUTS, NUPS, ImposeOptions, imposition_purpose
from samizdat.impose.manual import add_manual_arguments
from samizdat.impose.plan import BINDINGS, SHEETS, TILE_INSTRUCTIONS, TILE_SHEETS
from samizdat.keygen import KEYGEN_COMMAND
from samizdat.targets import shard
from samizdat.verify import VERIFY_COMMAND

DESCRIPTION = """\
samizdat turns the documents in content/ (YAML front matter + Markdown) into
print-ready PDFs in output/, using the layouts in layouts/ and the fonts in fonts/
(the project's own, over samizdat's built-in ones: start a project with `new DIR`).

With no command, `build` runs:
  {command} [SLUG ...] [--project DIR] [--content DIR] [--output DIR]
Run `{command} build --help` for what it writes and how to print it."""

def _poster_names() -> str:
    """SLOGAN-a3.pdf, -a3-print.pdf, -a3-tiled-a4.pdf: the posters' kinds in the catalogue."""
    names = [kind.file_name(slogan="SLOGAN", size="a3") for kind in POSTER_FILES]
    names.append(KINDS["tiled"].file_name(slogan="SLOGAN", size="a3", sheet="a4"))
    return ", ".join([names[0], *(name.removeprefix("SLOGAN") for name in names[1:])])


#: What `build --help` lists, read from the catalogue (samizdat.catalogue): a new kind shows here by itself.
BUILD_EPILOG = (
    "For each document content/SLUG.md, writes:\n"
    + "\n".join(f"  output/SLUG/{kind.file_name(slug='SLUG'):<23} {kind.purpose}" for kind in PAMPHLET_FILES)
    + f"\n  output/SLUG/{imposed('saddle').file_name(slug='SLUG', sig='', sheet='a4'):<23} "
    + imposition_purpose(ImposeOptions())
    + "\n  output/SLUG/SLUG-booklet-a4-fronts.pdf, -backs.pdf, SLUG-printer-test-a4.pdf   booklet by hand; test sheet"
    + f"\n  output/SLUG/posters/{_poster_names()}   posters of the slogans"
    + f"\n  output/SLUG/{', '.join(kind.file_name(slug='SLUG') for kind in VARIANT_FILES)}   the large-print, pocket"
    + " and copier editions, when samizdat.yaml names them (editions:)\n"
    + "\n".join(f"  output/SLUG/{kind.file_name(slug='SLUG'):<23} {kind.purpose}" for kind in READER_FILES)
    + "\n  output/SLUG/local/GROUP/...   local editions, when the document names a data file of local groups"
    + f"\n  output/SLUG/{KINDS['riso'].file_name(slug='SLUG', ink='INK')}, {KINDS['riso-proof'].file_name(slug='SLUG')}"
    + "   risograph separations, one per ink drum, and their proof, when samizdat.yaml has riso:"
    + "\n  output/index.html, manifest.json, SHA256SUMS   the download page and checksums"
    + """

More impositions, poster sizes, and Letter paper instead of A4, come from
samizdat.yaml (see the README).

Printing: the A5 PDF prints on A5 paper at 100 % ("actual size"), or on A4
with "fit to page". Send the -print PDF to a print shop: it has 3 mm of bleed
on every side and crop marks, and its TrimBox is exactly A5.

Every PDF made is checked as a print shop would (python build.py check):
the summary's preflight column says pass, FAIL or how many warnings.

Exit status: 0 when every output was built and passed preflight, 1 when any
failed, 2 for a wrong command line."""
)


#: The subcommands; anything else on the command line is handed to `build`.
COMMANDS = ("build", "impose", "tile", "serve", "check", "merge", "new", "keygen", "verify")

CHECK_EPILOG = """\
Checks, as a print shop's preflight does:
  boxes       TrimBox inside BleedBox inside MediaBox; 3 mm of bleed on -print files, none on screen files
  fonts       every font embedded
  safe-margin no text (measured on the glyphs) or art stops within the safe margin of the trim
  images      at least 300 ppi where placed (a warning under 300, an error under 150)
  colour      the colour spaces used; RGB is an error when the print profile is CMYK
  page-count  a multiple of 4 for a booklet
  metadata    title, author and language
  tags        structure tags on the screen PDF (for screen readers)
What each file must be is the kind it carries: every PDF samizdat makes says
what it is in its XMP metadata (a5, a5-print, booklet, tiled…), so a file is
checked as what it is under any name. A PDF that does not say is judged by its
name (SLUG-a5.pdf, SLUG-booklet-a4.pdf, posters/…); any other gets the general
checks ("unknown kind: checked as a generic PDF"). The reader editions (SLUG.html,
SLUG.epub, SLUG.txt) are no PDFs: each is checked lightly as what it is (UTF-8,
lines of 72 columns; no script nor anything fetched from elsewhere; the EPUB's
container).

Exit status: 0 when no file has an error, 1 when any has, 2 for a wrong command line."""

MERGE_EPILOG = """\
A batch split with --shard I/N runs on N machines (a CI matrix: see
examples/ci/); each leaves its output folder with a stamp in
.cache/shard-I-of-N.json. Bring the N folders together and run, e.g.:
  python build.py --shard 1/2 --output shards/1     (on one machine)
  python build.py --shard 2/2 --output shards/2     (on another)
  python build.py merge shards/1 shards/2           (in a checkout of the same commit)
Refused, before anything is written: shards built by another samizdat or
other library versions, from other content, layouts, fonts or samizdat.yaml,
with another SOURCE_DATE_EPOCH, a shard given twice, or a missing one.

Exit status: 0 when merged and every output passed preflight, 1 when refused
or any output failed, 2 for a wrong command line."""

TILE_EPILOG = f"""\
Each page is split onto the fewest sheets (portrait or landscape, whichever
needs fewer), at full size, inside the margin the printer cannot print.
Neighbouring sheets overlap; the marks show where to trim one sheet to glue it
on the next, and a small label on each sheet says where it goes.

To print: {TILE_INSTRUCTIONS}."""


NEW_EPILOG = """\
Then: cd DIR && samizdat build (or python -m samizdat build).

The project has no layouts/ nor fonts/ of its own. To change one file of the
look, copy it from samizdat's built-in layouts into DIR/layouts/, at the same
place (say layouts/pamphlet/pamphlet.css), and edit it there: samizdat looks
for every template, stylesheet and font in the project first, then in its own.

Exit status: 0 when the project was written, 2 when DIR exists and is not empty."""


class _Parser(argparse.ArgumentParser):
    """argparse, but its errors end in exit 2 with a hint to --help."""

    def error(self, message: str) -> None:
        self.exit(2, f"{self.prog}: {message}\nRun '{self.prog} --help' to see the commands and options.\n")


def make_parser(prog: str = "build.py") -> argparse.ArgumentParser:
    """The whole command line; `prog` is how the user ran samizdat (build.py, samizdat, python -m samizdat), for
    the usage lines and the hints of errors."""
    parser = _Parser(
        prog=prog,
        description=DESCRIPTION.format(command="python build.py" if prog == "build.py" else prog),
        formatter_class=argparse.RawDescriptionHelpFormatter,
        allow_abbrev=False,
    )
    parser.add_argument("--version", action="version", version=f"samizdat {__version__}")
    commands = parser.add_subparsers(
        dest="command",
        title="commands",
        metavar="COMMAND",
        parser_class=lambda **kwargs: _Parser(allow_abbrev=False, **kwargs),
    )
    for name, summary, description, epilog, add_arguments in (
        ("build", "build every document in content/ into output/ (the default)",
         "Build every document in content/ (or only the named ones) into output/.", BUILD_EPILOG,
         add_build_arguments),
        ("impose", "put any PDF's pages onto printer's sheets: booklet, cut-and-stack, step-and-repeat, zine",
         "Impose IN.pdf onto sheets for a home or office printer and write OUT.pdf.", IMPOSE_EPILOG,
         add_impose_arguments),
        ("serve", "live preview: build, serve output/ on 127.0.0.1, rebuild and reload pages on every save",
         "Build, then serve output/ at http://127.0.0.1:PORT/ and rebuild whenever content/, layouts/, fonts/ "
         "or samizdat.yaml change; open pages reload by themselves. Ctrl-C stops.", None, add_serve_arguments),
        ("check", "preflight: check PDFs as a print shop would (boxes, fonts, margins, images, colour, tags)",
         "Check the PDFs named (or every PDF in output/) and print a report for each.", CHECK_EPILOG,
         add_check_arguments),
        ("merge", "merge the output folders of a batch built with --shard I/N and write the download page",
         "Copy the output folders of the shards of one build into output/ and write the download page, rendering "
         "nothing.", MERGE_EPILOG, add_merge_arguments),
        ("tile", "split a large page (a poster) onto small sheets for a home printer",
         "Tile each page of POSTER.pdf onto small sheets, with overlap, marks and labels.", TILE_EPILOG,
         add_tile_arguments),
        ("new", "start a project in a new folder: an example document and a commented samizdat.yaml",
         "Start a project in DIR (a new or empty folder): content/example.md and a commented samizdat.yaml. "
         "It builds with samizdat's built-in layouts and fonts.", NEW_EPILOG, add_new_arguments),
        KEYGEN_COMMAND, VERIFY_COMMAND,  # samizdat.keygen, samizdat.verify: the signing key and the files it signs
    ):  # fmt: skip
        add_arguments(
            commands.add_parser(
                name,
                help=summary,
                description=description,
                epilog=epilog,
                formatter_class=argparse.RawDescriptionHelpFormatter,
            )  # fmt: skip
        )
    return parser


def add_check_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("pdfs", nargs="*", type=Path, metavar="PDF", help="the PDFs to check (default: every output)")
    parser.add_argument(
        "--safe-margin", type=length_mm, default=3.0, metavar="LENGTH",
        help="how close to the trim text and art may come (default 3mm)",
    )  # fmt: skip
    parser.add_argument(
        "--cmyk", action="store_true",
        help="the print files (with bleed) must be CMYK (default: as the project's samizdat.yaml says)",
    )  # fmt: skip
    add_project_arguments(parser)


def add_serve_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--port", type=port_number, default=8000, help="the port on 127.0.0.1 (default 8000; 0: any free)"
    )
    add_project_arguments(parser)


def port_number(text: str) -> int:
    """A TCP port, 0 to 65535: checked here, so that a wrong one stops the command before the build runs."""
    if not text.isdigit() or int(text) > 65535:
        raise argparse.ArgumentTypeError(f"'{text}' is not a port: give a number from 0 to 65535 (0: any free port)")
    return int(text)


def length_mm(text: str) -> float:
    """'10mm', '1 cm', '0.5in', '12pt' or a bare number of millimetres → millimetres."""
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*(mm|cm|in|pt)?\s*", text)
    if not match:
        raise argparse.ArgumentTypeError(f"'{text}' is not a length: write e.g. 10mm, 1cm, 0.5in or 12pt")
    return float(match.group(1)) * {"mm": 1, "cm": 10, "in": 25.4, "pt": 25.4 / 72, None: 1}[match.group(2)]


def add_tile_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("source", type=Path, metavar="POSTER.pdf", help="the large PDF to tile")
    parser.add_argument("-o", "--output", type=Path, required=True, metavar="OUT.pdf", help="where to write")
    parser.add_argument("--sheet", choices=TILE_SHEETS, default="A4", help="the printer's paper (default: A4)")
    parser.add_argument("--overlap", type=length_mm, default=10.0, metavar="LENGTH", help="overlap (default 10mm)")
    parser.add_argument(
        "--margin", type=length_mm, default=5.0, metavar="LENGTH", help="what the printer cannot print (default 5mm)"
    )
    parser.add_argument(
        "--marks", action=argparse.BooleanOptionalAction, default=True, help="draw alignment marks (default: on)"
    )
    parser.add_argument(
        "--project", type=Path, metavar="DIR",
        help="the project whose layouts and fonts set the labels (default: the current folder if it is one, "
        "else samizdat's built-in ones)",
    )  # fmt: skip


def add_impose_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("source", type=Path, metavar="IN.pdf", help="the PDF to impose")
    parser.add_argument("-o", "--output", type=Path, required=True, metavar="OUT.pdf", help="where to write")
    parser.add_argument("--layout", choices=LAYOUTS, default="saddle", help="how pages go on sheets (default: saddle)")
    parser.add_argument("--sheet", choices=list(SHEETS), default="A4", help="the printer's paper (default: A4)")
    parser.add_argument(
        "--duplex",
        choices=DUPLEX_CHOICES,
        help="how the printer turns the sheet for the back: flip on the short edge (default), "
        "the long edge, none for one-sided printing (default for zine), or manual: a booklet for a printer that "
        "prints one side only (the fronts, an instruction page, then the backs)",
    )
    add_manual_arguments(parser)
    parser.add_argument("--nup", type=int, choices=NUPS, default=4, help="pages per side for cutstack and repeat")
    parser.add_argument("--creep", type=float, default=0.0, metavar="MM", help="booklet: shift inner pages toward "
                        "the spine by MM per sheet, for the paper's thickness (0.1 for ordinary paper)")  # fmt: skip
    parser.add_argument("--signature", type=int, metavar="N", help="booklet: fold in groups of N sheets")
    parser.add_argument(
        "--marks",
        action=argparse.BooleanOptionalAction,
        help="draw crop, cut and fold marks (default: cut marks for cutstack and repeat only)",
    )
    parser.add_argument("--keep-bleed", action="store_true", help="keep the source's bleed around each page")
    parser.add_argument(
        "--bind", choices=BINDINGS,
        help="the edge it binds on, seen from the cover: left (default), or right for a right-to-left text",
    )  # fmt: skip


def add_build_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("documents", nargs="*", metavar="SLUG", help="build only these documents (names without .md)")
    parser.add_argument(
        "--jobs", type=jobs_count, default=os.cpu_count() or 1, metavar="N",
        help="how many renders run at once, in worker processes (default: the number of cores)",
    )  # fmt: skip
    parser.add_argument(
        "--shard", type=shard, metavar="I/N",
        help="build only shard I of N (a fixed share of the jobs), to split a large batch across machines; "
        "then `build.py merge DIR...` puts the shards' output folders together and writes the download page",
    )  # fmt: skip
    add_project_arguments(parser)


def add_merge_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("shards", nargs="+", type=Path, metavar="DIR", help="the shards' output folders")
    add_project_arguments(parser)


def jobs_count(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"'{text}' is not a number of jobs: give 1 or more")
    return int(text)


def add_new_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("folder", type=Path, metavar="DIR", help="the new project's folder (new, or empty)")


def add_project_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--project", type=Path, default=Path("."), help="the project folder (default: current folder)")
    parser.add_argument("--content", type=Path, help="the content folder (default: PROJECT/content)")
    parser.add_argument("--output", type=Path, help="the output folder (default: PROJECT/output)")
