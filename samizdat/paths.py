"""What counts as inside the project: a path whose real location (every link followed) lies under one of its roots.

Content and layouts are untrusted, and a symbolic link is the simplest way out:
`content/x.md -> /home/me/diary.md`, `fonts/ -> /usr/share/fonts`,
`layouts/pamphlet/x.html -> /etc/passwd`. Jinja and Fontconfig follow links
without asking samizdat's fetcher, so every path samizdat reads is checked
here first, and a link that leads out is refused with its name and target.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from pathlib import Path

from samizdat.errors import SamizdatError


def is_inside(path: Path, roots: Sequence[Path]) -> bool:
    """Whether the real location of `path` is under one of `roots` (themselves real locations)."""
    real = path.resolve()
    return any(real.is_relative_to(root) for root in roots)


def leading_link(path: Path, roots: Sequence[Path]) -> Path:
    """The first part of `path` that is a link leading outside `roots`: what the user must replace."""
    current = Path(path.anchor)
    for part in path.parts[1:]:
        current = current / part
        if current.is_symlink() and not is_inside(current, roots):
            return current
    return path


def refuse_outside(
    path: Path, roots: Sequence[Path], error: type[SamizdatError] = SamizdatError, line: int | None = None
) -> Path:
    """`path` resolved, or `error` naming the link that leads outside the project and where it points."""
    if is_inside(path, roots):
        return path.resolve()
    raise error(outside_message(path, roots), path, line)


def outside_message(path: Path, roots: Sequence[Path], inside: str = "") -> str:
    """'x is a link to y, outside the project ...': the words every refusal of a link uses.

    `inside` names what the roots are, when they are not the whole project.
    """
    link = leading_link(path, roots)
    what = f"{link} is a link to {link.resolve()}" if link.is_symlink() else f"{path} is"
    inside = inside or f"the project ({', '.join(str(root) for root in roots)})"
    return (
        f"{what}, outside {inside}; samizdat reads nothing from outside it. "
        "Copy the file into the project instead of linking to it"
    )


def links_leading_out(folder: Path, roots: Sequence[Path]) -> Iterator[Path]:
    """Every link in `folder` (the folder itself included) whose target lies outside `roots`; links are not entered."""
    if folder.is_symlink() and not is_inside(folder, roots):
        yield folder
        return
    for parent, folders, files in os.walk(folder):
        for name in sorted(folders + files):
            path = Path(parent) / name
            if path.is_symlink() and not is_inside(path, roots):
                yield path
