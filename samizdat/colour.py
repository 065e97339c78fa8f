"""Print colour: the layouts' colour tokens as CMYK for a print shop, converted once through an ICC profile.

Designers write each colour once, in tokens.css, as they see it on screen
(#b3151d). When samizdat.yaml asks for CMYK print files, the print variants
get the same tokens as `device-cmyk()`: greys become black ink alone (text in
one ink cannot misregister), the other colours go through the press profile
that is also embedded as the PDF's output intent, so what the profile
promises is what the printer is told.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageCms

from samizdat.errors import LayoutError
from samizdat.layers import layout_layers

#: The press profile shipped in layouts/ (ISO Coated v2 300 %, basICColor, zlib licence beside it).
PROFILE = Path("base") / "print" / "ISOcoated_v2_300_bas.icc"
TOKEN = re.compile(r"(--colour-[\w-]+)\s*:\s*#([0-9a-fA-F]{6}|[0-9a-fA-F]{3})\b")


def cmyk_tokens(layouts_dir: Path) -> dict[str, str]:
    """Each `--colour-*: #rrggbb` of layouts/base/tokens.css as `device-cmyk(c m y k)`.

    Both files are the layers' (samizdat.layers): the project's, else the built-in ones.
    """
    profile = layout_layers(layouts_dir).find(PROFILE.as_posix(), LayoutError) or layouts_dir / PROFILE
    return {name: device_cmyk(value, profile) for name, value in design_colours(layouts_dir)}


def design_colours(layouts_dir: Path) -> list[tuple[str, str]]:
    """Each `--colour-*: #rrggbb` of the layers' tokens.css, in its order, as ('--colour-ink', '1b1b1b') (three
    digits as written): what the CMYK, copier and riso files recolour."""
    tokens = layout_layers(layouts_dir).find("base/tokens.css", LayoutError) or layouts_dir / "base" / "tokens.css"
    try:
        css = tokens.read_text(encoding="utf-8")
    except OSError:
        raise LayoutError("the design tokens are missing; restore layouts/base/tokens.css", tokens) from None
    except UnicodeDecodeError as error:
        raise LayoutError(f"not UTF-8 text (byte {error.start}); save the file as UTF-8", tokens) from None
    return TOKEN.findall(css)


def device_cmyk(hex_colour: str, profile: Path) -> str:
    """'b3151d' → 'device-cmyk(0.05 1 0.96 0.2)' (through `profile`); greys → black ink alone.

    >>> device_cmyk("ffffff", Path("unused")), device_cmyk("1b1b1b", Path("unused"))
    ('device-cmyk(0 0 0 0)', 'device-cmyk(0 0 0 0.894)')
    """
    if len(hex_colour) == 3:
        hex_colour = "".join(digit * 2 for digit in hex_colour)
    red, green, blue = (int(hex_colour[i : i + 2], 16) for i in (0, 2, 4))
    if red == green == blue:
        return f"device-cmyk(0 0 0 {_number(1 - red / 255)})"
    pixel = Image.new("RGB", (1, 1), (red, green, blue))
    cyan, magenta, yellow, black = ImageCms.applyTransform(pixel, _to_press(str(profile))).getpixel((0, 0))
    return f"device-cmyk({' '.join(_number(value / 255) for value in (cyan, magenta, yellow, black))})"


@lru_cache(maxsize=2)
def _to_press(profile: str) -> ImageCms.ImageCmsTransform:
    try:
        press = ImageCms.getOpenProfile(profile)
    except (OSError, ImageCms.PyCMSError):
        raise LayoutError("the press profile is missing or damaged; restore it", Path(profile)) from None
    srgb = ImageCms.createProfile("sRGB")
    return ImageCms.buildTransform(srgb, press, "RGB", "CMYK", ImageCms.Intent.RELATIVE_COLORIMETRIC)


def _number(value: float) -> str:
    return f"{value:.3f}".rstrip("0").rstrip(".") or "0"
