"""Same inputs, same bytes: two clones in two folders, built with --jobs 1 and --jobs 2, give identical files.

This is the issue's acceptance, as a new user meets it: `git clone`, `python build.py`. Every file under
output/ (and the local-groups example's output-example/) is compared, except the cache records in .cache/.
The clones are of this checkout's HEAD: commit before running it.

Each test runs twice: with the machine's subsetter, and as on a machine without libharfbuzz-subset0,
where WeasyPrint subsets with fontTools. That machine is made by a sitecustomize.py on PYTHONPATH that
makes cffi's dlopen fail for that one library, in the build and in its forked workers: WeasyPrint's own
fallback then runs, for real.
"""

from __future__ import annotations

import datetime
import io
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont
from pypdf import PdfReader
from pypdf.generic import StreamObject

from hostile.harness import REPO, Result, run_build, snapshot, snapshot_difference

EXAMPLE = ("--content", "examples/local-groups/content", "--output", "output-example")
EPOCH = 1_700_000_000  # 2023-11-14 22:13:20 UTC
FONT_EPOCH = datetime.datetime(1904, 1, 1, tzinfo=datetime.UTC)  # TrueType's head table counts from here


NO_HARFBUZZ_SUBSET = """\
import cffi

_dlopen = cffi.FFI.dlopen


def dlopen(self, name, *args, **kwargs):
    if name and "harfbuzz-subset" in str(name):
        raise OSError(f"{name}: hidden by the hostile suite, as on a machine without libharfbuzz-subset0")
    return _dlopen(self, name, *args, **kwargs)


cffi.FFI.dlopen = dlopen
"""


@pytest.fixture(scope="module", params=["installed subsetter", "fontTools subsetter"])
def subsetter(request, tmp_path_factory) -> dict[str, str]:
    """The environment of a machine with the subsetter installed here, or of one without libharfbuzz-subset0
    (made, and probed, once for the module)."""
    if request.param == "installed subsetter":
        return {}
    folder = tmp_path_factory.mktemp("no-harfbuzz-subset")
    (folder / "sitecustomize.py").write_text(NO_HARFBUZZ_SUBSET)
    env = {"PYTHONPATH": os.pathsep.join(filter(None, [str(folder), os.environ.get("PYTHONPATH")]))}
    probe = subprocess.run(
        [sys.executable, "-c", "from weasyprint.text import ffi; print(ffi.harfbuzz_subset)"],
        env=clean_environment(**env), capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert probe.stdout.strip() == "None", f"libharfbuzz-subset0 could not be hidden: {probe.stdout}{probe.stderr}"
    return env


def clean_environment(**more: str) -> dict[str, str]:
    """The environment without SOURCE_DATE_EPOCH (a new user's), plus `more`."""
    return {key: value for key, value in os.environ.items() if key != "SOURCE_DATE_EPOCH"} | more


def clone(target: Path) -> Path:
    subprocess.run(["git", "clone", "-q", str(REPO), str(target)], check=True, capture_output=True, timeout=120)
    return target


def build_clone(folder: Path, jobs: str, env: dict[str, str]) -> dict[str, str]:
    """Both of the README's builds in one clone, with its own build.py; every file made, but the cache."""
    for args in ((), EXAMPLE):
        run = run_build(folder, *args, "--jobs", jobs, env=clean_environment(**env), script=folder / "build.py")
        assert run.code == 0, f"the build of a fresh clone failed:\n{run}"
    return {
        f"{name}/{path}": digest
        for name in ("output", "output-example")
        for path, digest in snapshot(folder / name, skip=(".cache",)).items()
    }


def test_two_clones_in_two_folders_with_one_and_two_jobs_give_the_same_bytes(tmp_path, subsetter):
    first = clone(tmp_path / "first-clone")
    second = clone(tmp_path / "elsewhere" / "a-second-clone-named-otherwise")
    made_first = build_clone(first, "1", subsetter)
    time.sleep(1.1)  # a timestamp that leaked into a file would now differ by at least a second
    made_second = build_clone(second, "2", subsetter)
    assert any(path.endswith(".pdf") for path in made_first), f"no PDF made: {sorted(made_first)}"
    difference = snapshot_difference(made_first, made_second)
    assert not difference, f"two builds of the same commit differ:\n{difference}"


def pdf_dates(output: Path) -> dict[str, list[str]]:
    """Each PDF's dates: the Info dictionary's CreationDate and ModDate, and any date in its XMP."""
    dates = {}
    for path in sorted(output.rglob("*.pdf")):
        reader = PdfReader(path)
        found = [f"{key}={reader.metadata[key]}" for key in ("/CreationDate", "/ModDate") if key in reader.metadata]
        xmp = reader.trailer["/Root"].get("/Metadata")
        if xmp is not None and b"Date>" in xmp.get_object().get_data():
            found.append("XMP " + xmp.get_object().get_data().decode("utf-8", "replace").split("Date>")[1][:40])
        dates[path.relative_to(output).as_posix()] = found
    return dates


def font_stamps(pdf: Path) -> list[datetime.datetime]:
    """When each embedded TrueType font says it was modified (head.modified), as fontTools subsetting stamps it."""
    reader = PdfReader(pdf)
    stamps = []
    for number in range(1, int(reader.trailer["/Size"])):
        obj = reader.get_object(number)
        if isinstance(obj, StreamObject) and "/Length1" in obj:  # a FontFile2 stream
            seconds = TTFont(io.BytesIO(obj.get_data()))["head"].modified
            stamps.append(FONT_EPOCH + datetime.timedelta(seconds=seconds))
    return stamps


def build(project, subsetter: dict[str, str], **env: str) -> Result:
    run = project.build(env=clean_environment(**subsetter, **env))
    assert run.code == 0, run
    return run


def test_no_date_without_source_date_epoch_and_its_date_with_it(project, subsetter):
    """README: PDFs carry no date unless the document has one or SOURCE_DATE_EPOCH is set (RGB files here)."""
    build(project, subsetter)
    undated = project.snapshot(skip=(".cache",))
    assert pdf_dates(project.output) and not any(pdf_dates(project.output).values()), pdf_dates(project.output)
    now = datetime.datetime.now(datetime.UTC)
    stamps = font_stamps(project.output / "leaflet" / "leaflet-a5.pdf")
    assert stamps, "no embedded TrueType font found"
    assert all(abs(now - stamp) > datetime.timedelta(days=1) for stamp in stamps), (
        f"the embedded fonts carry the time of the build ({stamps}): the subsetter stamped it"
    )

    build(project, subsetter, SOURCE_DATE_EPOCH=str(EPOCH))
    dates = pdf_dates(project.output)
    assert dates["leaflet/leaflet-a5.pdf"], "SOURCE_DATE_EPOCH is set, yet the A5 PDF has no date"
    assert all("20231114" in date for found in dates.values() for date in found if not date.startswith("XMP")), dates
    assert project.snapshot(skip=(".cache",)) != undated, "setting SOURCE_DATE_EPOCH rebuilt nothing"

    build(project, subsetter)
    difference = snapshot_difference(undated, project.snapshot(skip=(".cache",)))
    assert not difference, (
        f"unset again, SOURCE_DATE_EPOCH left its mark (or the cache kept dated files):\n{difference}"
    )


@pytest.mark.parametrize("value", ["yesterday", "1e9", "17000000000000000000"])
def test_a_malformed_source_date_epoch_is_a_message(project, value):
    run = project.build(env=clean_environment(SOURCE_DATE_EPOCH=value))
    assert run.code in (1, 2) and "SOURCE_DATE_EPOCH" in run.out + run.err, run
