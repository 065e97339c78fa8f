"""Local groups: the rows of a CSV or YAML file that fill the "Near you" slots of a document's local editions.

A document names its data file in its front matter (`local: {data: groups.csv}`);
each row is one group, and gets its own copy of the outputs the document
names, under output/SLUG/local/GROUP/. A bad row is reported with the file, its
line and the field, and the other rows still build.
"""

from __future__ import annotations

import csv
import difflib
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from samizdat.errors import ContentError
from samizdat.limits import MAX_DATA_BYTES, MAX_GROUPS, check_controls, check_file_size, is_blank, qr_problem
from samizdat.yamlcheck import NoAliasLoader, too_deep

#: Each field a row may give, and the most characters its slot in the layouts holds.
FIELDS = {"town": 40, "meeting": 120, "contact": 80, "url": 200, "slug": 60}
REQUIRED = ("town", "meeting")

#: A local edition can be made of the kinds the catalogue allows it (the document's `local: outputs:`,
#: samizdat.catalogue.LOCAL_OUTPUTS); a5 and the booklet by default.
DEFAULT_OUTPUTS = ("a5", "booklet")


@dataclass(frozen=True)
class LocalEdition:
    """What a document's front matter says about its local editions."""

    data: Path
    outputs: tuple[str, ...] = DEFAULT_OUTPUTS


@dataclass(frozen=True)
class LocalGroup:
    """One row: a group's town, where and when it meets, how to reach it, and the URL of its QR code."""

    slug: str
    town: str
    meeting: str
    contact: str | None = None
    url: str | None = None
    line: int = field(default=0, compare=False, repr=False)  # where it is, not what it says: not in cache keys


def group_slug(town: str) -> str:
    """A folder name for a group: its town in lower case, words joined by hyphens.

    >>> group_slug("Example Town"), group_slug("Sample-on-Sea (north)"), group_slug("Приклад")
    ('example-town', 'sample-on-sea-north', 'приклад')
    """
    return re.sub(r"[^\w]+", "-", town.lower()).strip("-_")


def read_local_groups(path: Path) -> tuple[list[LocalGroup], list[ContentError]]:
    """The good rows of a data file, and an error for each bad one (or one for a file that cannot be read)."""
    try:
        rows = _read_rows(path)
    except ContentError as error:
        return [], [error]
    groups, errors, slugs = [], [], {}
    for line, row in rows:
        try:
            group = _group(row, path, line)
            if group.slug in slugs:
                raise ContentError(
                    f"the group '{group.slug}' is already on line {slugs[group.slug]}: give this row a "
                    "different town or its own 'slug' column",
                    path,
                    line,
                )
            slugs[group.slug] = line
            groups.append(group)
        except ContentError as error:
            errors.append(error)
    return groups, errors


def _read_rows(path: Path) -> list[tuple[int, dict[str, str]]]:
    """(line, row) pairs from a CSV file with a header line, or a YAML list of mappings."""
    try:
        check_file_size(path, MAX_DATA_BYTES, "the local groups' data", ContentError)
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as error:
        raise ContentError(f"not UTF-8 text (byte {error.start}); save the file as UTF-8", path) from None
    except OSError as error:
        raise ContentError(f"cannot read the local groups' data: {error.strerror}", path) from None
    check_controls(text, path, 1, ContentError)
    rows = _csv_rows(text, path) if path.suffix.lower() == ".csv" else _yaml_rows(text, path)
    if len(rows) > MAX_GROUPS:
        raise ContentError(
            f"{len(rows):,} groups, over samizdat's limit of {MAX_GROUPS:,} for one data file (each is a whole "
            "edition to set): split it between documents, or build it in shards",
            path,
        )
    return rows


def _csv_rows(text: str, path: Path) -> list[tuple[int, dict[str, str]]]:
    reader = csv.DictReader(io.StringIO(text, newline=""))
    try:
        rows = [(reader.line_num, dict(row)) for row in reader]
    except csv.Error as error:
        raise ContentError(f"this is not valid CSV ({error}): check the quotes", path, reader.line_num) from None
    _check_columns(reader.fieldnames or [], path)
    return rows


def _yaml_rows(text: str, path: Path) -> list[tuple[int, dict[str, str]]]:
    if too_deep(text):
        raise ContentError("this is nested too deeply: each group is '- town: ...' and its fields", path)
    try:
        node = yaml.compose(text, Loader=NoAliasLoader)
        data = yaml.load(text, Loader=NoAliasLoader)  # noqa: S506 - NoAliasLoader is a SafeLoader without aliases
    except RecursionError:
        raise ContentError("this is nested too deeply: each group is '- town: ...' and its fields", path) from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        problem = getattr(error, "problem", None) or "it cannot be read"
        raise ContentError(f"this is not valid YAML ({problem}): check the brackets and quotes", path,
                           mark.line + 1 if mark is not None else None) from None  # fmt: skip
    if not isinstance(data, list) or not all(isinstance(row, dict) for row in data):
        raise ContentError("the file must be a list of groups, each starting with '- town: ...'", path, 1)
    return [(item.start_mark.line + 1, row) for item, row in zip(node.value, data, strict=True)]


def _check_columns(names: list[str], path: Path, line: int = 1) -> None:
    """Every column (or key) one samizdat knows; for CSV, the required ones in the header."""
    for name in names:
        if name not in FIELDS:
            close = difflib.get_close_matches(name, FIELDS, n=1)
            hint = f"did you mean '{close[0]}'?" if close else f"the fields are: {', '.join(FIELDS)}"
            raise ContentError(f"unknown field '{name}': {hint}", path, line)
    missing = [name for name in REQUIRED if name not in names]
    if missing and path.suffix.lower() == ".csv":
        raise ContentError(f"the header line has no '{missing[0]}' column; every group needs one", path, 1)


def _group(row: dict, path: Path, line: int) -> LocalGroup:
    """One row checked: required fields there, each short enough for its slot, the URL a web address."""
    if None in row:  # csv.DictReader puts a row's extra fields under None
        raise ContentError(
            f"this row has {len(row) - 1 + len(row[None])} fields but the header names {len(row) - 1}: put quotes "
            'around a value that holds a comma, e.g. "Thursdays, 7 pm"',
            path,
            line,
        )
    _check_columns([str(key) for key in row], path, line)
    for name, value in row.items():
        if value is not None and not isinstance(value, str):  # YAML read 19:30 as a number, yes as true...
            raise ContentError(f"the {name} is not text as written: put it in quotes, e.g. {name}: '...'", path, line)
    values = {key: value.strip() for key, value in row.items() if value is not None and not is_blank(value)}
    for name in REQUIRED:
        if name not in values:
            raise ContentError(f"this group has no '{name}'; every group needs a {name}", path, line)
    for name, value in values.items():
        if len(value) > FIELDS[name]:
            raise ContentError(
                f"the {name} '{value[:30]}…' is {len(value)} characters long; its place in the layout holds "
                f"{FIELDS[name]}: shorten it",
                path,
                line,
            )
    if "url" in values and not re.match(r"https?://\S+\Z", values["url"]):
        raise ContentError(f"the url '{values['url']}' is not a web address: write it as https://…", path, line)
    if "url" in values and (problem := qr_problem(values["url"])):
        raise ContentError(problem, path, line)
    slug = group_slug(values.get("slug") or values["town"])
    if not slug:
        raise ContentError("this group's town gives no usable folder name: add a 'slug' column", path, line)
    return LocalGroup(
        slug, values["town"], values["meeting"], values.get("contact"), values.get("url"), line
    )  # fmt: skip
