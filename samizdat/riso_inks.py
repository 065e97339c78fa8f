"""The risograph's inks: samizdat.yaml's `riso:`, validated, and how dark each colour token prints in its ink.

A risograph prints one ink drum at a time, each from a greyscale master: black
where the drum puts all its ink, grey for a tint of it. `riso: {inks: {black:
[ink, muted], red: [accent]}}` says which colour tokens (layouts/base/tokens.css,
`--colour-NAME`) each drum prints. A token's tint is how dark it is against
white, measured against how dark the ink itself is (`tint`); a token in no ink
must be white (paper), or the separations check that nothing paints it
(samizdat.riso). Each ink's colour is only for the proof (samizdat.riso_proof).
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from pathlib import Path

from samizdat.colour import design_colours
from samizdat.errors import SamizdatError
from samizdat.yamlcheck import Located

#: RISO's inks as screens show them: the values the risograph community publishes for RISO's swatches (for
#: example Stencil's colour table, stencil.wiki/colors); approximate, for the proof only, never for the print.
RISO_INKS = {
    "black": "#000000", "red": "#ff665e", "bright-red": "#f15060", "scarlet": "#f65058", "crimson": "#e45d50",
    "burgundy": "#914e72", "orange": "#ff6c2f", "fluorescent-orange": "#ff7477", "fluorescent-pink": "#ff48b0",
    "yellow": "#ffe800", "green": "#00a95c", "teal": "#00838a", "blue": "#0078bf", "medium-blue": "#3255a4",
    "federal-blue": "#3d5588", "purple": "#765ba7", "brown": "#925f52", "flat-gold": "#bb8b41",
    "light-grey": "#88898a",
}  # fmt: skip
INK_NAME = re.compile(r"[a-z][a-z0-9-]{0,29}\Z")
HEX = re.compile(r"#[0-9a-fA-F]{6}\Z")
MAX_INKS = 6  # each ink is one more layout of every document
EXAMPLE = "riso: {inks: {black: [ink, muted], red: [accent]}}"


@dataclass(frozen=True)
class Ink:
    """One ink drum: its name (in its file's name), the tokens it prints, its colour on screen (the proof's)."""

    name: str
    tokens: tuple[str, ...]
    colour: str  # "#rrggbb"


@dataclass(frozen=True)
class RisoConfig:
    """samizdat.yaml's `riso:`: the inks, in the order given (the first one also prints the pictures)."""

    inks: tuple[Ink, ...]


def riso_config(located: Located, root: Path) -> RisoConfig | None:
    """The `riso:` part of samizdat.yaml, each mistake reported with its line; None when there is none."""
    data, path = located.data.get("riso"), located.path
    if data is None:
        return None
    inks = data.get("inks") if isinstance(data, dict) else None
    if not isinstance(inks, dict) or not inks or set(data) != {"inks"}:
        raise SamizdatError(f"riso: takes inks: each ink's name and the colour tokens it prints, e.g. {EXAMPLE}",
                            path, located.line_of(["riso"]))  # fmt: skip
    if len(inks) > MAX_INKS:
        raise SamizdatError(f"riso: has {len(inks)} inks; at most {MAX_INKS}", path, located.line_of(["riso", "inks"]))
    known = colour_tokens(root / "layouts")
    made, owner = [], {}
    for name, value in inks.items():
        ink = _ink(located, name, value, known)
        for token in ink.tokens:
            if token in owner:
                line = located.line_of(["riso", "inks", name])
                raise SamizdatError(f"the token '{token}' is in the inks {owner[token]} and {name}; a token prints "
                                    "in one ink only: remove it from one", path, line)  # fmt: skip
            owner[token] = name
        made.append(ink)
    return RisoConfig(tuple(made))


def _ink(located: Located, name: object, value: object, known: dict[str, str]) -> Ink:
    """One ink: `NAME: [token, …]` or `NAME: {tokens: [token, …], colour: "#rrggbb"}`."""
    path, line = located.path, located.line_of(["riso", "inks", name])
    if not isinstance(name, str) or not INK_NAME.match(name):
        raise SamizdatError(f"the ink name {name!r} should be lower-case letters, digits and hyphens (it names the "
                            "file SLUG-riso-INK-a5.pdf), e.g. bright-red", path, line)  # fmt: skip
    value = {"tokens": value} if isinstance(value, list) else value
    if not isinstance(value, dict) or set(value) - {"tokens", "colour"} or not isinstance(value.get("tokens"), list):
        raise SamizdatError(f"the ink '{name}' should list its colour tokens, e.g. {name}: [accent], or "
                            f"{name}: {{tokens: [accent], colour: \"#bb8b41\"}}", path, line)  # fmt: skip
    colour = value.get("colour", RISO_INKS.get(name))
    if colour is None:
        raise SamizdatError(f"'{name}' is not one of the RISO inks samizdat knows ({', '.join(RISO_INKS)}): give "
                            f"its colour for the proof, e.g. {name}: {{tokens: [accent], colour: \"#bb8b41\"}}", path,
                            line)  # fmt: skip
    if not isinstance(colour, str) or not HEX.match(colour) or lightness(colour) > 0.95:
        raise SamizdatError(f"the colour of the ink '{name}' should be #rrggbb, darker than the paper, e.g. "
                            "\"#0078bf\"", path, line)  # fmt: skip
    if not value["tokens"]:
        raise SamizdatError(f"the ink '{name}' prints no token: give it one at least, e.g. {name}: [accent]", path,
                            line)  # fmt: skip
    for token in value["tokens"]:
        if not isinstance(token, str) or token not in known:
            close = difflib.get_close_matches(str(token), known, n=1)
            hint = f"did you mean '{close[0]}'? " if close else ""
            raise SamizdatError(f"{token!r} is not a colour token of layouts/base/tokens.css: {hint}the tokens are "
                                f"{', '.join(known)}", path, line)  # fmt: skip
    return Ink(name, tuple(dict.fromkeys(value["tokens"])), colour.lower())


def colour_tokens(layouts_dir: Path) -> dict[str, str]:
    """Each `--colour-NAME: #rrggbb` of tokens.css (the project's layer, else the built-in one): NAME → #rrggbb."""
    return {name.removeprefix("--colour-"): "#" + (value if len(value) == 6 else "".join(2 * d for d in value)).lower()
            for name, value in design_colours(layouts_dir)}  # fmt: skip


def lightness(colour: str) -> float:
    """How light a colour is, 0 (black) to 1 (white): its luma (Rec. 709 weights on the sRGB values).

    >>> lightness("#ffffff"), lightness("#000000"), round(lightness("#5c5c5c"), 3)
    (1.0, 0.0, 0.361)
    """
    red, green, blue = (int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5))
    return round(0.2126 * red + 0.7152 * green + 0.0722 * blue, 6)


def tint(colour: str, ink: str) -> float:
    """How much of `ink` prints `colour`, 0 (none: paper) to 1 (solid): its darkness over the ink's own.

    A grey in black ink keeps its lightness; a colour darker than its ink prints solid.

    >>> tint("#5c5c5c", "#000000"), tint("#ffffff", "#ff665e"), tint("#b3151d", "#ff665e")
    (0.639216, 0.0, 1.0)
    """
    return round(min(1.0, (1 - lightness(colour)) / (1 - lightness(ink))), 6)


def grey(amount: float) -> str:
    """The grey that asks a drum for `amount` of its ink: 1 → black, 0 → white.

    >>> grey(1.0), grey(0.639216), grey(0.0)
    ('#000000', '#5c5c5c', '#ffffff')
    """
    level = round(255 * (1 - amount))
    return f"#{level:02x}{level:02x}{level:02x}"
