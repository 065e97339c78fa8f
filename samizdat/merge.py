"""Merge the output folders of a split build: refuse shards of other engines or inputs, copy, write the download page.

`build.py --shard I/N` builds one share of the jobs and leaves a stamp
(samizdat.stamps). `build.py merge DIR...` reads the stamps and refuses shards
that would not add up to one build's bytes (another engine, other inputs, a
shard given twice or missing) before it writes anything; then it copies their
files together and writes the download page from the stamps. Nothing is
rendered, so the merging machine needs neither the fonts nor the typesetter's
libraries.
"""

from __future__ import annotations

import filecmp
import json
import os
from pathlib import Path

from samizdat.errors import SamizdatError, UsageError
from samizdat.output import PART_FILE, write_atomically
from samizdat.project import Project
from samizdat.records import clear_way, read_record, valid_targets
from samizdat.stamps import Shard, engine, inputs_of, read_shards
from samizdat.targets import TargetResult

#: The download page's own files: the merge writes them, a shard's (if any) are not copied.
SITE_FILES = ("index.html", "manifest.json", "SHA256SUMS")


# Refusing what would not add up to one build.


def check_shards(shards: list[Shard], here: dict[str, str]) -> None:
    """Refuse, before anything is written, shards that are not the N shards of one build of this project's inputs."""
    first, seen = shards[0], {}
    for shard in shards:
        if shard.count != first.count:
            raise SamizdatError(
                f"{first} and {shard} split the batch differently ({first.count} and {shard.count} shards): "
                "build every shard of a batch with the same N in --shard I/N"
            )
        if shard.index in seen:
            raise SamizdatError(
                f"shard {shard.index}/{shard.count} is given twice, in {seen[shard.index].folder} and in "
                f"{shard.folder}: give each shard's output folder once"
            )
        seen[shard.index] = shard
    if missing := [str(index) for index in range(1, first.count + 1) if index not in seen]:
        raise SamizdatError(
            f"shard {', '.join(missing)} of {first.count} is missing (the folders given hold shard "
            f"{', '.join(str(index) for index in sorted(seen))}): give the output folder of every shard"
        )
    for shard in shards[1:]:
        _refuse_difference(first, shard)
    if (theirs := first.stamp["engine"].get("samizdat")) != (mine := engine()["samizdat"]):
        raise SamizdatError(
            f"the shards were built by {theirs}, and this is {mine}: the download page is this samizdat's (its "
            "built-in site layout, its manifest), so merge with the samizdat that built the shards (the same "
            "checkout, image and locked requirements)"
        )
    theirs = {key: value for key, value in first.stamp["inputs"].items() if key != "SOURCE_DATE_EPOCH"}
    ours = {key: value for key, value in here.items() if key != "SOURCE_DATE_EPOCH"}  # the page shows no date
    if differs := _differences(theirs, ours):
        raise SamizdatError(
            f"the shards were built from other inputs than the project here ({'; '.join(differs)} differs): run "
            "merge in a checkout of the commit the shards were built from (the download page lists its documents)"
        )
    _refuse_gaps(shards)


def _refuse_difference(first: Shard, shard: Shard) -> None:
    """Two shards by other engines, from other inputs or of other documents: their files are not one build's."""
    if differs := _differences(first.stamp["engine"], shard.stamp["engine"], first, shard):
        raise SamizdatError(
            f"{first} and {shard} were built by different engines: {'; '.join(differs)}; their files would not be "
            "one build's bytes: build every shard with the same samizdat and library versions (the same image "
            "and locked requirements), then merge"
        )
    if differs := _differences(first.stamp["inputs"], shard.stamp["inputs"], first, shard):
        raise SamizdatError(
            f"{first} and {shard} were built from different inputs: {'; '.join(differs)} differs; build every shard "
            "from the same commit, with the same SOURCE_DATE_EPOCH, then merge"
        )
    if first.stamp["documents"] != shard.stamp["documents"] or first.stamp["plan"] != shard.stamp["plan"]:
        raise SamizdatError(
            f"{first} and {shard} built different documents ({_documents(first)}; {_documents(shard)}): give "
            "every shard the same SLUGs on the command line (or none)"
        )


def _documents(shard: Shard) -> str:
    documents = shard.stamp["documents"]
    return f"shard {shard.index}: {'all' if documents == 'all' else ', '.join(documents)}"


def _differences(ours: dict[str, str], theirs: dict[str, str], first: Shard | None = None,
                 shard: Shard | None = None) -> list[str]:  # fmt: skip
    """What differs between two engines or two sets of inputs: the parts of a version line, or an input's name."""
    found = []
    for key in sorted(ours.keys() | theirs.keys()):
        mine, other = ours.get(key, "absent"), theirs.get(key, "absent")
        if mine == other:
            continue
        if key == "SOURCE_DATE_EPOCH":
            found.append(f"SOURCE_DATE_EPOCH ({mine} and {other})")
        elif first is not None and shard is not None and key in ("samizdat", "toolchain"):
            mine_parts, other_parts = mine.split("; "), other.split("; ")
            added = "; ".join(part for part in other_parts if part not in mine_parts)
            gone = "; ".join(part for part in mine_parts if part not in other_parts)
            found.append(f"shard {shard.index} has {added} where shard {first.index} has {gone}")
        else:
            found.append(key)
    return found


def _refuse_gaps(shards: list[Shard]) -> None:
    """Every job of the plan made by exactly one shard (the stamps of a real split always say so)."""
    plan, made = shards[0].stamp["plan"], [name for shard in shards for name in shard.stamp["jobs"]]
    if sorted(plan) != sorted(made):
        odd = sorted(set(plan) ^ set(made)) or sorted({name for name in made if made.count(name) > 1})
        raise SamizdatError(
            f"the shards' jobs do not add up to the batch's (see {', '.join(odd[:3])}): build the shards again"
        )


def files_to_copy(shards: list[Shard]) -> dict[str, Path]:
    """Every file of the shards' folders (not .cache/ nor a download page) by its path under output/.

    A link is refused (an artifact is foreign: it could lead anywhere), and so
    are two shards holding different files at one path; an output a stamp
    lists must be there, at the size recorded.
    """
    chosen: dict[str, Path] = {}
    for folder in dict.fromkeys(shard.folder for shard in shards):
        for root, names, files in os.walk(folder):
            if Path(root) == folder:
                names[:] = [name for name in names if name != ".cache"]
                files = [name for name in files if name not in SITE_FILES]
            for name in sorted([*names, *files]):
                path = Path(root) / name
                if path.is_symlink():
                    raise SamizdatError(f"{path} is a link: a shard's folder holds only the files it made; remove it")
                relative = path.relative_to(folder).as_posix()
                if path.is_file() and not PART_FILE.fullmatch(name):
                    if relative in chosen and not filecmp.cmp(chosen[relative], path, shallow=False):
                        raise SamizdatError(
                            f"{chosen[relative]} and {path} differ: two shards made {relative}; build the shards again"
                        )
                    chosen.setdefault(relative, path)
    for shard in shards:
        for record in [record for results in shard.stamp["jobs"].values() for record in results]:
            if record["state"] in ("built", "up to date") and record["path"]:
                path = shard.folder / record["path"]
                if not path.is_file() or path.stat().st_size != record["size"]:
                    raise SamizdatError(
                        f"{shard} made {record['path']}, but {path} is missing or not as made: copy that shard's "
                        "whole output folder (or download its artifact) again"
                    )
    return chosen


# Merging.


def merge_shards(project: Project, folders: list[Path]) -> tuple[list[TargetResult], int]:
    """Check the shards, copy their files into the project's output folder, write the download page.

    Returns every result in the order a whole build gives them, the page's last,
    and how many files were copied.
    """
    from samizdat.build import build_site, once_only, remove_unmade
    from samizdat.cache import Cache

    output_dir = project.output_dir
    for folder in folders:
        real, out = folder.resolve(), output_dir.resolve()
        if real == out or real.is_relative_to(out) or out.is_relative_to(real):
            raise UsageError(f"the merged output folder {output_dir} would be, or hold, the shard folder {folder}: "
                             "merge into a folder of its own (the default is output/)")  # fmt: skip
    shards = sorted(read_shards(folders), key=lambda shard: shard.index)
    check_shards(shards, inputs_of(project))
    files = files_to_copy(shards)
    for relative, source in files.items():
        write_atomically(output_dir / relative, source.read_bytes())
    jobs = {name: records for shard in shards for name, records in shard.stamp["jobs"].items()}
    records = shards[0].stamp["failures"] + [record for name in shards[0].stamp["plan"] for record in jobs[name]]
    results = once_only([_result(record, output_dir) for record in records])
    if shards[0].stamp["documents"] == "all" and not any(result.state == "failed" for result in results):
        remove_unmade(output_dir, Cache(output_dir), results)  # merged over an earlier build: as a whole build does
    fold_records(shards, output_dir)
    return [*results, build_site(project, results)], len(files)


def fold_records(shards: list[Shard], output_dir: Path) -> None:
    """One targets.json of the shards' records: a plain build later, by the shards' engine, finds all made."""
    entries: dict = {}
    for shard in shards:
        record = shard.folder / ".cache" / f"targets.shard-{shard.index}-of-{shard.count}.json"
        entries |= read_record(record, shard.folder, valid_targets) or {}
    cache = output_dir / ".cache"
    write_atomically(clear_way(cache / "targets.json"), (json.dumps(entries, indent=1, sort_keys=True) + "\n").encode())
    (cache / "last-build.json").unlink(missing_ok=True)  # the quick answer of a build made before the merge


def _result(record: dict, output_dir: Path) -> TargetResult:
    """A shard's result as this folder holds it: what it built is here now, made."""
    path = output_dir / record["path"] if record["path"] else None
    made = record["state"] in ("built", "up to date")
    return TargetResult(
        str(path) if made else record["name"], "up to date" if made else record["state"], path, record["purpose"],
        record["pages"], record["size"], 0.0, record["error"], list(record["warnings"]), record["paper"],
        [tuple(check) for check in record["checks"]], record["text_pt"],
    )  # fmt: skip
