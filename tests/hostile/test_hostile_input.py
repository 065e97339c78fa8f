"""Hostile documents, config and local data: each gives a clear message with its file and line, and exit 1.

Every case is built twice, in-process through samizdat.cli.main: first a good version of the project (so
that output/broken/ holds good PDFs; the same for many cases, so built once and copied with its outputs and
records: conftest.built_projects), then with the hostile files written and a second, good document added.
The second build must name the file (and line), print no traceback, build the new good document (unless
the project config itself is broken, which no document can be built without) and leave the broken
document's last good PDF byte for byte as it was.
"""

from __future__ import annotations

import os
import signal
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

import pytest
from conftest import make_project

from samizdat.cli import main
from samizdat.limits import MAX_SLUG

GOOD = "---\ntitle: A good leaflet\nauthor: Us\nlang: en\n---\nText.\n"


def front(extra: str = "", body: str = "Text.\n", title: str = "T") -> str:
    """A document whose front matter gets `extra` lines after title, author and lang (lines 2-4)."""
    return f"---\ntitle: {title}\nauthor: A\nlang: en\n{extra}---\n{body}"


@dataclass(frozen=True)
class Case:
    """Files to write (under the project; str or bytes), the message fragment, and where it must point."""

    files: dict[str, str | bytes]
    message: str
    where: str  # "content/broken.md:5", or a file alone when there is no line
    code: int = 1
    others_build: bool = True  # False when samizdat.yaml is broken: no document can be built
    folder: tuple[str, ...] = field(default=())  # paths to make as folders


def broken(text: str | bytes) -> dict[str, str | bytes]:
    return {"content/broken.md": text}


def with_groups(data: str | bytes, name: str = "groups.csv") -> dict[str, str | bytes]:
    return {"content/broken.md": front(f"local: {{data: {name}}}\n"), f"content/{name}": data}


BLANKS = {
    "space": " ", "nbsp": "\u00a0", "zero-width-space": "\u200b", "soft-hyphen": "\u00ad", "word-joiner": "\u2060",
    "bom": "\ufeff", "mixed": " \u00a0\u200b\u00ad\u2060\ufeff\u00a0",
}  # fmt: skip

CASES: dict[str, Case] = {
    **{
        f"slogan-blank-{name}": Case(
            broken(front(f'slogans:\n  - Peace\n  - "{chars}"\n')), "a slogan is blank", "content/broken.md:7"
        )
        for name, chars in BLANKS.items()
    },
    "title-blank-zero-width": Case(broken(front(title='"\u200b\u2060"')), "the title is blank", "content/broken.md:2"),
    "author-blank-nbsp": Case(
        broken(front().replace("author: A", 'author: "\u00a0 "')), "the author is blank", "content/broken.md:3"
    ),
    "subtitle-blank-soft-hyphen": Case(
        broken(front('subtitle: "\u00ad"\n')), "the subtitle is blank", "content/broken.md:5"
    ),
    "imprint-blank-bom": Case(broken(front('imprint: "\ufeff"\n')), "the imprint is blank", "content/broken.md:5"),
    "front-matter-esc": Case(
        broken(front("subtitle: red \x1b[31malert\n")), "control character U+001B (ESC)", "content/broken.md:5"
    ),
    "front-matter-bel": Case(broken(front("imprint: ding\x07\n")), "control character U+0007", "content/broken.md:5"),
    "front-matter-nul": Case(broken(front("subtitle: a\x00b\n")), "control character U+0000", "content/broken.md:5"),
    "body-esc": Case(broken(front(body="Para.\n\nHello \x1b there\n")), "U+001B", "content/broken.md:8"),
    "body-nul": Case(broken(front(body="Hello \x00\n")), "control character U+0000", "content/broken.md:6"),
    "body-c1-next-line": Case(broken(front(body="Hello \x85\n")), "control character U+0085", "content/broken.md:6"),
    "body-line-separator": Case(broken(front(body="a\u2028b\n")), "U+2028 (line separator)", "content/broken.md:6"),
    "body-references-esc-nul-bel": Case(
        broken(front(body="A&#x1B;[31mB C&#0;D G&#x7;H\n")), "U+001B (ESC) as '&#x1B;'", "content/broken.md:6"
    ),
    "body-reference-nul-on-its-line": Case(
        broken(front(body="Fine.\n\nStill\nfine, but &#0; here\n")), "U+0000 (NUL) as '&#0;'", "content/broken.md:9"
    ),
    "body-reference-line-separator": Case(
        broken(front(body="# Head &#x2028; line\n")), "U+2028 (line separator)", "content/broken.md:6"
    ),
    "body-reference-in-picture-text": Case(
        broken(front(body="Text.\n\n> ![a&#7;b](p.png)\n")), "U+0007 (BEL) as '&#7;'", "content/broken.md:8"
    ),
    "body-reference-in-link-address": Case(
        broken(front(body="[x](https://e.org/&#x9B;)\n")), "U+009B", "content/broken.md:6"
    ),
    "title-reference-esc": Case(
        broken(front(title='"Stop&#x1B;[31m"')), "U+001B (ESC) as '&#x1B;'", "content/broken.md:2"
    ),
    "slogan-reference-nul": Case(
        broken(front("slogans:\n  - Peace\n  - War &#0;\n")), "U+0000 (NUL) as '&#0;'", "content/broken.md:7"
    ),
    "front-matter-nonchar": Case(broken(front('subtitle: "a\ufffeb"\n')), "U+FFFE", "content/broken.md:5"),
    "document-latin-1": Case(
        broken(b"---\ntitle: Caf\xe9\nauthor: A\nlang: en\n---\n"), "not UTF-8", "content/broken.md"
    ),
    "document-too-large": Case(
        broken(front(body=("Twenty words of text. " * 5 + "\n\n") * 10_000)),
        "over samizdat's limit of 1,000,000 bytes",
        "content/broken.md",
    ),
    "title-of-a-megabyte": Case(
        broken(front(title="x" * 900_000)), "over samizdat's limit of 20,000 for one line", "content/broken.md:2"
    ),
    "body-line-of-900-kb": Case(
        broken(front(body="Intro.\n\n" + "word " * 180_000 + "\n")), "20,000 for one line", "content/broken.md:8"
    ),
    "front-matter-too-large": Case(
        broken(front("".join(f"# {'c' * 1000}\n" for _ in range(70)))),
        "front matter is over samizdat's limit",
        "content/broken.md:1",
    ),
    "title-too-long": Case(broken(front(title="Stop " * 100)), "over samizdat's limit of 300", "content/broken.md:2"),
    "subtitle-too-long": Case(
        broken(front(f"subtitle: {'word ' * 200}\n")), "over samizdat's limit of 600", "content/broken.md:5"
    ),
    "author-too-long": Case(
        broken(front().replace("author: A", f"author: {'Us ' * 100}")),
        "over samizdat's limit of 200",
        "content/broken.md:3",
    ),
    "imprint-too-long": Case(
        broken(front(f"imprint: {'Printed. ' * 200}\n")), "over samizdat's limit of 1000", "content/broken.md:5"
    ),
    "slogan-one-500-letter-word": Case(
        broken(front(f"slogans:\n  - {'a' * 500}\n")),
        "500 characters long, over samizdat's limit of 200",
        "content/broken.md:6",
    ),
    "slogans-too-many": Case(
        broken(front("slogans:\n" + "".join(f"  - Slogan {i}\n" for i in range(51)))),
        "51 slogans, over samizdat's limit of 50",
        "content/broken.md:6",
    ),
    "slogan-written-twice": Case(
        broken(front("slogans:\n  - Stop the war\n  - Peace\n  - Stop  the war\n")),
        "written twice, on line 6 and here",
        "content/broken.md:8",
    ),
    "blocks-too-many": Case(
        broken(front(body="::: aside\nx\n:::\n" * 101)), "more than 100 '::: ' blocks", "content/broken.md:306"
    ),
    "yaml-anchor-alias": Case(
        broken("---\ntitle: &t T\nauthor: *t\nlang: en\n---\n"), "aliases (*name)", "content/broken.md:3"
    ),
    "yaml-nested-deeply": Case(
        broken(front(f"subtitle: {'[' * 3000}{']' * 3000}\n")), "nested too deeply", "content/broken.md:2"
    ),
    "yaml-tab-indent": Case(
        broken("---\ntitle: T\n\tauthor: A\nlang: en\n---\n"), "not valid YAML", "content/broken.md:3"
    ),
    "yaml-python-tag": Case(
        broken(front("subtitle: !!python/object:os.system ls\n")), "not valid YAML", "content/broken.md:5"
    ),
    "yaml-binary-tag": Case(
        broken(front("subtitle: !!binary aGVsbG8=\n")), "the field 'subtitle' is wrong", "content/broken.md:5"
    ),
    "yaml-nan": Case(broken(front("date: .nan\n")), "'.nan' is not a number samizdat can use", "content/broken.md:5"),
    "yaml-inf-in-a-list": Case(
        broken(front("slogans:\n  - Peace\n  - -.Inf\n")), "'-.Inf' is not a number", "content/broken.md:7"
    ),
    "yaml-float-overflow": Case(broken(front(title="1.0e+999")), "'1.0e+999' is not a number", "content/broken.md:2"),
    "yaml-nothing": Case(
        broken(front("subtitle:\n")), "the field 'subtitle' is wrong (nothing)", "content/broken.md:5"
    ),
    "yaml-binary-named": Case(
        broken(front("imprint: !!binary aGVsbG8=\n")), "'imprint' is wrong (binary data)", "content/broken.md:5"
    ),
    "yaml-list-named": Case(broken(front(title="[a, b]")), "'title' is wrong (a list)", "content/broken.md:2"),
    "yaml-mapping-named": Case(
        broken(front().replace("author: A", "author: {name: A}")),
        "'author' is wrong (a group of fields)",
        "content/broken.md:3",
    ),
    "yaml-true-named": Case(broken(front(title="yes")), "'title' is wrong (true)", "content/broken.md:2"),
    "yaml-list-as-key": Case(broken(front("? [a, b]\n: c\n")), "not valid YAML", "content/broken.md:5"),
    "date-0000-00-00": Case(
        broken(front("date: 0000-00-00\n")), "a real date written YYYY-MM-DD", "content/broken.md:5"
    ),
    "date-with-time": Case(
        broken(front("date: 2024-02-24T10:00:00\n")), "the field 'date' is wrong", "content/broken.md:5"
    ),
    "lang-upper-case": Case(
        broken(front().replace("lang: en", "lang: EN")), "language code in lower case", "content/broken.md:4"
    ),
    "lang-with-newline": Case(
        broken(front().replace("lang: en", 'lang: "en\\n"')), "the field 'lang' is wrong", "content/broken.md:4"
    ),
    "lists-nested-30-deep": Case(
        broken(front(body="Text.\n\n" + "".join("  " * i + "- x\n" for i in range(30)))),
        "nested too deeply",
        "content/broken.md:15",
    ),
    "block-quotes-10000-deep": Case(
        broken(front(body=">" * 10_000 + " deep\n")), "nested too deeply", "content/broken.md:6"
    ),
    "title-a-number": Case(broken(front(title="12")), "the field 'title' is wrong (12)", "content/broken.md:2"),
    "groups-esc": Case(
        with_groups("town,meeting\nTown\x1b,Mondays\n"), "control character U+001B", "content/groups.csv:2"
    ),
    "groups-nul-yaml": Case(
        with_groups("- town: X\x00\n  meeting: M\n", "groups.yaml"), "U+0000", "content/groups.yaml:1"
    ),
    "groups-nan-yaml": Case(
        with_groups("- town: T\n  meeting: M\n- town: .nan\n  meeting: M\n", "groups.yaml"),
        "the town is not text as written",
        "content/groups.yaml:3",
    ),
    "groups-meeting-blank": Case(
        with_groups("town,meeting\nTown,\u200b\u00a0\n"), "this group has no 'meeting'", "content/groups.csv:2"
    ),
    "groups-url-too-long": Case(
        with_groups(f"town,meeting,url\nTown,M,https://e.org/{'a' * 300}\n"),
        "its place in the layout holds 200",
        "content/groups.csv:2",
    ),
    "groups-too-many-rows": Case(
        with_groups("town,meeting\n" + "".join(f"T{i},M\n" for i in range(2001))),
        "2,001 groups, over samizdat's limit of 2,000",
        "content/groups.csv",
    ),
    "groups-nested-deeply": Case(
        with_groups("- " * 3000 + "x\n", "groups.yaml"), "nested too deeply", "content/groups.yaml"
    ),
    "groups-latin-1": Case(with_groups(b"town,meeting\nCaf\xe9,M\n"), "not UTF-8", "content/groups.csv"),
    "config-esc": Case(
        {"samizdat.yaml": "sheet: A4\nduplex: short\x1b\n"},
        "control character U+001B",
        "samizdat.yaml:2",
        others_build=False,
    ),
    "config-latin-1": Case(
        {"samizdat.yaml": b"sheet: A4  # caf\xe9\n"}, "not UTF-8 text (byte 16)", "samizdat.yaml", others_build=False
    ),
    "config-minimum-nan": Case(
        {"samizdat.yaml": "posters:\n  minimum: .nan\n"},
        "'.nan' is not a number samizdat can use",
        "samizdat.yaml:2",
        others_build=False,
    ),
    "config-minimum-inf": Case(
        {"samizdat.yaml": "sheet: A4\nposters:\n  minimum: .inf\n"},
        "'.inf' is not a number samizdat can use",
        "samizdat.yaml:3",
        others_build=False,
    ),
    "config-nothing": Case(
        {"samizdat.yaml": "sheet:\n"}, "the field 'sheet' is wrong (nothing)", "samizdat.yaml:1", others_build=False
    ),
    "config-a-folder": Case({}, "this is a folder", "samizdat.yaml", others_build=False, folder=("samizdat.yaml",)),
    "config-a-list": Case(
        {"samizdat.yaml": "- sheet: A4\n"},
        "must be a list of 'field: value' lines",
        "samizdat.yaml:1",
        others_build=False,
    ),
    "config-a-word": Case(
        {"samizdat.yaml": "A4\n"}, "must be a list of 'field: value' lines", "samizdat.yaml:1", others_build=False
    ),
    "config-too-large": Case(
        {"samizdat.yaml": "# " + "x" * 70_000 + "\n"},
        "over samizdat's limit of 64,000 bytes",
        "samizdat.yaml",
        others_build=False,
    ),
    "config-nested-deeply": Case(
        {"samizdat.yaml": f"posters: {'[' * 3000}{']' * 3000}\n"},
        "nested too deeply",
        "samizdat.yaml:1",
        others_build=False,
    ),
    "config-url-too-long-for-qr": Case(
        {"samizdat.yaml": f"posters:\n  url: https://e.org/{'a' * 2400}\n"},
        "over samizdat's limit of 300 for a QR code",
        "samizdat.yaml:2",
        others_build=False,
    ),
    "config-url-with-newline": Case(
        {"samizdat.yaml": 'posters:\n  url: "https://e.org/\\n"\n'},
        "it should be a web address",
        "samizdat.yaml:2",
        others_build=False,
    ),
}


def good_files(case: Case) -> dict[str, str | bytes]:
    """content/ before the case breaks it: broken.md still good; and a good data file, as in real life."""
    groups = [Path(name) for name in case.files if name.startswith("content/groups")]
    if not groups:
        return {"content/broken.md": front()}
    good_rows = "town,meeting\nTown,Mondays\n" if groups[0].suffix == ".csv" else "- town: Town\n  meeting: Mondays\n"
    return {"content/broken.md": case.files["content/broken.md"], f"content/groups{groups[0].suffix}": good_rows}


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_hostile_input_is_named_with_its_line_and_the_rest_survives(case: Case, tmp_path: Path, capsys, built_projects):
    root = built_projects(tmp_path / "project", good_files(case))  # the good build (made once, copied)
    kept = root / "output/broken/broken-a5.pdf"
    before = kept.read_bytes()

    (root / "content/other.md").write_text(GOOD)
    for name in case.folder:
        (root / name).mkdir()
    for name, data in case.files.items():
        (root / name).write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    capsys.readouterr()
    code = main(["--project", str(root), "--jobs", "1"])
    out, err = capsys.readouterr()

    assert code == case.code, out + err
    assert "Traceback" not in out + err
    assert case.message in err, err
    assert f"{root / case.where}:" in err, err
    assert not any(char in out + err for char in "\x00\x07\x1b\x85"), "a control character was echoed"
    assert (root / "output/other/other-a5.pdf").is_file() == case.others_build
    assert kept.read_bytes() == before


def test_slogans_of_one_slug_each_get_their_own_posters(tmp_path: Path, capsys):
    """ "Stop the war!", "Stop the war?", "STOP THE WAR" and "Stop the war 2" slug alike: none overwrites another."""
    slogans = ["Stop the war!", "Stop the war?", "STOP THE WAR", "Stop the war 2"]
    text = front("slogans:\n" + "".join(f'  - "{slogan}"\n' for slogan in slogans))
    root = make_project(tmp_path / "project", {"broken": text})
    assert main(["--project", str(root), "--jobs", "1"]) == 0, capsys.readouterr()
    posters = root / "output/broken/posters"
    names = {"stop-the-war", "stop-the-war-3", "stop-the-war-4", "stop-the-war-2"}
    expected = {f"{slug}-a3{suffix}.pdf" for slug in names for suffix in ("", "-print", "-tiled-a4")}
    assert {path.name for path in posters.iterdir()} == expected
    screens = {path.read_bytes() for path in posters.glob("*-a3.pdf")}
    assert len(screens) == 4  # four different posters, none written twice


#: Odd but harmless input: it builds (exit 0) with no traceback, no hang, and prints what it should.
ACCEPTED = {
    "only-front-matter": (front(body=""), None),
    "nested-lists": (front(body="- a\n  - b\n    - c\n      - d\n\n1. x\n   - y\n"), "– d"),
    "lists-nested-7-deep": (front(body="".join("  " * i + f"- x{i}\n" for i in range(7))), "– x6"),
    "block-quotes-15-deep": (front(body=">" * 15 + " deep\n"), "deep"),
    "harmless-references": (front(body="Tom &amp; Jerry &#x41;&copy; `&#0;`\n"), "Jerry A© &#0;"),
    "empty-config": (front(), None),  # an empty samizdat.yaml (or one of comments) means every default
}


@pytest.mark.parametrize(("text", "shows"), ACCEPTED.values(), ids=ACCEPTED.keys())
def test_odd_but_harmless_input_builds(text: str, shows: str | None, tmp_path: Path, capsys):
    import pdfplumber

    root = make_project(tmp_path / "project", {"odd": text})
    (root / "samizdat.yaml").write_text("# all defaults\n")
    code = main(["--project", str(root), "--jobs", "1"])
    out, err = capsys.readouterr()
    assert code == 0 and "Traceback" not in out + err, out + err
    with pdfplumber.open(root / "output/odd/odd-a5.pdf") as pdf:
        assert shows is None or shows in "".join(page.extract_text() or "" for page in pdf.pages)


def test_a_poster_layout_without_its_probe_is_named_not_a_traceback(tmp_path: Path, capsys):
    root = make_project(tmp_path / "project", {"broken": front("slogans: [Peace]\n")})
    (root / "layouts/poster/poster.html").write_text("<html><body><p>no probe here</p></body></html>")
    code = main(["--project", str(root), "--jobs", "1"])
    out, err = capsys.readouterr()
    assert code == 1 and "Traceback" not in out + err
    assert "layouts/poster/poster.html does not lay out the probe" in err
    assert (root / "output/broken/broken-a5.pdf").is_file()  # the pamphlet does not need the poster layout


def test_posters_whose_file_names_meet_are_refused_not_overwritten(tmp_path: Path, capsys):
    """ "Stop" on A3 tiled onto A4 and "Stop a3 tiled" on A4 would both be stop-a3-tiled-a4.pdf."""
    root = make_project(tmp_path / "project", {"broken": front("slogans: [Stop, Stop a3 tiled]\n")})
    (root / "samizdat.yaml").write_text("posters:\n  sizes: [A3, A4]\n")
    code = main(["--project", str(root), "--jobs", "1"])
    out, err = capsys.readouterr()
    assert code == 1 and "Traceback" not in out + err
    assert f"{root}/content/broken.md: two posters would both be written as stop-a3-tiled-a4.pdf" in err
    assert not (root / "output/broken/posters").exists()


#: Document file names in any script keep their letters, as slogans do; one with no letter or digit is refused.
FILE_NAMES = {
    "accented": ("émigré.md", "émigré"),
    "accented-decomposed": ("e\u0301migre\u0301.md", "émigré"),  # as macOS writes it
    "cyrillic": ("Нет войне!.md", "нет-войне"),
    "emoji-only": ("🕊️.md", None),
    "80-letters": ("a" * 80 + ".md", "a" * 80),
    "240-letters": ("Stop the war " * 18 + "now.md", None),
    "81-letters": ("a" * 81 + ".md", None),
    "70-cyrillic-letters": ("ж" * 70 + ".md", "ж" * 70),
    "80-chinese-letters": ("和" * 80 + ".md", None),  # 240 bytes
}


@pytest.mark.parametrize(("name", "slug"), FILE_NAMES.values(), ids=FILE_NAMES.keys())
def test_document_file_names_keep_their_letters(name: str, slug: str | None, tmp_path: Path, capsys):
    """Its outputs carry those letters, and a link to it from another document leads to them."""
    import pypdf

    link = f"\n[it](<{name}>)\n" if slug else ""
    root = make_project(tmp_path / "project", {"other": GOOD + link})
    (root / "content" / name).write_text(front(body="[the other](other.md)\n"))
    code = main(["--project", str(root), "--jobs", "1"])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    assert (root / "output/other/other-a5.pdf").is_file()
    if slug is None:
        assert code == 1 and f"{root / 'content' / name}: the file name " in err, err
        assert ("gives no usable name" if len(name) < 10 else f"rename it: at most {MAX_SLUG} characters") in err
        assert "1 failed" in err + out and 'href="other/other-a5.pdf"' in (root / "output/index.html").read_text()
        return
    assert code == 0, out + err
    assert (root / "output" / slug / f"{slug}-a5.pdf").is_file()
    assert f'href="{slug}/{slug}-a5.pdf"' in (root / "output/index.html").read_text()
    pages = pypdf.PdfReader(root / "output/other/other-a5.pdf").pages
    uris = [link.get_object()["/A"]["/URI"] for page in pages for link in page.get("/Annots", [])]
    assert uris == [f"../{quote(slug)}/{quote(slug)}-a5.pdf"]


#: `*.md` entries of content/ that are no regular file: each fails by its name (never opened: a FIFO would hang).
ODD_ENTRIES = {
    "folder": (lambda path: path.mkdir(), "this is a folder"),
    "fifo": (os.mkfifo, "this is a FIFO (named pipe)"),
    "dangling-link": (lambda path: path.symlink_to("gone.md"), "this is a link that leads nowhere"),
    "link-loop": (
        lambda path: path.symlink_to(path.name),
        "this is a link that leads back to itself (a loop of links)",
    ),
    "link-to-dev-zero": (lambda path: path.symlink_to("/dev/zero"), "this is a link to a device"),
    "link-to-a-folder": (lambda path: path.symlink_to(path.parent), "this is a link to a folder"),
}


@pytest.mark.parametrize(("make", "message"), ODD_ENTRIES.values(), ids=ODD_ENTRIES.keys())
def test_an_odd_entry_of_content_fails_by_its_name(make, message: str, tmp_path: Path, capsys):
    root = make_project(tmp_path / "project", {"other": GOOD})
    make(root / "content/odd.md")

    def hung(*_: object) -> None:
        raise TimeoutError("the build hangs on content/odd.md")

    previous = signal.signal(signal.SIGALRM, hung)
    signal.alarm(120)
    try:
        code = main(["--project", str(root), "--jobs", "1"])
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    out, err = capsys.readouterr()
    assert code == 1 and "Traceback" not in out + err, out + err
    assert f"{root}/content/odd.md: {message}: samizdat reads only regular files" in err, err
    assert (root / "output/other/other-a5.pdf").is_file()
    assert main(["--project", str(root), "--jobs", "1", "odd"]) == 1  # named on the command line, it fails alike
    assert "samizdat reads only regular files" in capsys.readouterr().err
