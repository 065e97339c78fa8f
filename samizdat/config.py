"""The project config, samizdat.yaml: the home printer's sheet and the extra impositions every document gets.

Every key has a default, so a project needs no config file at all:

    sheet: A4            # or Letter or A3: the paper of the printers the organisers have
    duplex: short        # how their printers flip sheets: short, long (or none: one-sided only)
    impositions:         # beside the booklet, which is always made
      - layout: repeat   # four A6 flyers per sheet
        nup: 4
      - layout: zine
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from samizdat.errors import SamizdatError
from samizdat.impose import LAYOUTS, NUPS, ImposeOptions
from samizdat.impose.plan import DUPLEX, SHEETS
from samizdat.yamlcheck import Schema, load_checked

CONFIG_FILE = "samizdat.yaml"

CONFIG_SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "sheet": {"enum": list(SHEETS)},
        "duplex": {"enum": list(DUPLEX)},
        "impositions": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["layout"],
                "additionalProperties": False,
                "properties": {
                    "layout": {"enum": list(LAYOUTS)},
                    "nup": {"enum": list(NUPS)},
                    "duplex": {"enum": list(DUPLEX)},
                    "creep": {"type": "number", "minimum": 0, "maximum": 5},
                    "signature": {"type": "integer", "minimum": 1},
                    "marks": {"type": "boolean"},
                },
            },
        },
    },
}

CONFIG_HINTS = {
    "sheet": f"one of {', '.join(SHEETS)}",
    "duplex": f"one of {', '.join(DUPLEX)}",
    "impositions": (
        f"a list of impositions, each with a layout ({', '.join(LAYOUTS)}) and, for cutstack and repeat, "
        f"nup ({', '.join(map(str, NUPS))})"
    ),
}


@dataclass(frozen=True)
class Config:
    sheet: str = "A4"
    duplex: str = "short"
    impositions: tuple[ImposeOptions, ...] = field(default=())

    @property
    def booklet(self) -> ImposeOptions:
        """The saddle-stitched booklet every document gets."""
        duplex = self.duplex if self.duplex != "none" else "short"
        return ImposeOptions(layout="saddle", sheet=self.sheet, duplex=duplex)


def load_config(root: Path) -> Config:
    """samizdat.yaml of the project at `root`, validated; the defaults when there is none."""
    path = root / CONFIG_FILE
    if not path.exists():
        return Config()
    located = load_checked(
        path.read_text(encoding="utf-8"), path, 1, Schema("project config", CONFIG_SCHEMA, CONFIG_HINTS)
    )
    data = located.data
    sheet, duplex = data.get("sheet", "A4"), data.get("duplex", "short")
    impositions = []
    for index, item in enumerate(data.get("impositions", [])):
        item_duplex = item.get("duplex", duplex if item["layout"] != "zine" else "none")
        if item["layout"] == "saddle" and item_duplex == "none":
            raise SamizdatError(
                "a booklet is printed on both sides: give it duplex short or long",
                path,
                located.line_of(["impositions", index]),
            )
        impositions.append(
            ImposeOptions(
                layout=item["layout"],
                sheet=sheet,
                duplex=item_duplex,
                nup=item.get("nup", 4),
                creep_mm=item.get("creep", 0.0),
                signature=item.get("signature"),
                marks=item.get("marks"),
            )
        )
    return Config(sheet=sheet, duplex=duplex, impositions=tuple(impositions))
