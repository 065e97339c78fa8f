"""What shapes the bytes besides the inputs: the libraries that lay out, subset and write, and their versions.

Two machines with the same inputs make the same files only if these agree:
WeasyPrint and its PDF writer, Pango and HarfBuzz (which place the glyphs),
and the font subsetter (HarfBuzz-Subset when libharfbuzz-subset0 is
installed, else fontTools: different bytes). The build's cache keys include
this line, so a new version or another subsetter rebuilds what it changes,
and records made elsewhere are not taken for this machine's.

It is read without importing WeasyPrint (ctypes and package metadata only),
because the nothing-changed build must answer before WeasyPrint would load.
"""

from __future__ import annotations

import ctypes
import os
import re
import sys
import zlib
from functools import lru_cache

#: The Python packages whose versions change the bytes of some output.
PACKAGES = (
    "weasyprint", "pydyf", "fonttools", "pypdf", "pypdfium2", "pillow", "segno", "markdown-it-py",
    "mdit-py-plugins", "pyphen", "jinja2", "tinycss2", "cssselect2", "tinyhtml5", "uharfbuzz",
)  # fmt: skip

#: The names WeasyPrint itself tries (weasyprint.text.ffi), for the systems samizdat runs on.
LIBRARIES = {
    "pango": ("libpango-1.0.so.0", "libpango-1.0.dylib"),
    "harfbuzz": ("libharfbuzz.so.0", "libharfbuzz.0.dylib"),
    "harfbuzz-subset": ("libharfbuzz-subset.so.0", "libharfbuzz-subset.0.dylib"),
    "harfbuzz-vector": ("libharfbuzz-vector.so.0", "libharfbuzz-vector.0.dylib"),
    "fontconfig": ("libfontconfig.so.1", "libfontconfig.1.dylib"),
}


@lru_cache(maxsize=1)
def toolchain() -> str:
    """One line naming every version that shapes the bytes, e.g. '… weasyprint 70.0 … font subsetter: fontTools'."""
    installed = _installed_versions()
    parts = [f"{name} {installed.get(_normalised(name), 'absent')}" for name in PACKAGES]
    parts.append(f"pango {_library_version('pango', 'pango_version_string')}")
    parts.append(f"harfbuzz {_library_version('harfbuzz', 'hb_version_string')}")
    parts.append(f"harfbuzz-vector {'present' if _library('harfbuzz-vector') else 'absent'}")
    parts.append(f"fontconfig {_fontconfig_version()}")
    parts.append(f"zlib {zlib.ZLIB_RUNTIME_VERSION}")  # compresses every stream and thumbnail
    parts.append(f"python {sys.version.split()[0]}")
    parts.append(f"font subsetter: {subsetter()}")
    return "; ".join(parts)


def subsetter() -> str:
    """'HarfBuzz' or 'fontTools': the one WeasyPrint uses here (HarfBuzz-Subset 4.1 or newer, else fontTools)."""
    library = _library("harfbuzz-subset")
    version = _library_version("harfbuzz", "hb_version_string")
    if library is None or not hasattr(library, "hb_subset_or_fail"):
        return "fontTools"
    major_minor = tuple(int(part) for part in version.split(".")[:2] if part.isdigit())
    return "HarfBuzz" if major_minor >= (4, 1) else "fontTools"


def _installed_versions() -> dict[str, str]:
    """Package name → version, from the `NAME-VERSION.dist-info` folders on sys.path.

    importlib.metadata would say the same but costs 80 ms to import; this is a
    few directory listings. The first folder on sys.path that has a package wins,
    as for imports.
    """
    versions: dict[str, str] = {}
    for folder in sys.path:
        try:
            names = os.listdir(folder or ".")
        except OSError:
            continue
        for name in sorted(names):  # one order on every machine, whatever the file system's
            if match := re.fullmatch(r"(.+?)-([^-]+)\.dist-info", name):
                versions.setdefault(_normalised(match.group(1)), match.group(2))
    return versions


def _normalised(name: str) -> str:
    """'markdown-it-py', 'markdown_it_py', 'Markdown_It_Py' → 'markdown-it-py' (as in PEP 503)."""
    return re.sub(r"[-_.]+", "-", name).lower()


def _library(name: str) -> ctypes.CDLL | None:
    for filename in LIBRARIES[name]:
        try:
            return ctypes.CDLL(filename)
        except OSError:
            continue
    return None


def _fontconfig_version() -> str:
    """FcGetVersion's 21501 as '2.15.1'."""
    library = _library("fontconfig")
    if library is None:
        return "absent"
    number = library.FcGetVersion()
    return f"{number // 10000}.{number // 100 % 100}.{number % 100}"


def _library_version(name: str, function: str) -> str:
    library = _library(name)
    if library is None:
        return "absent"
    version_string = getattr(library, function)
    version_string.restype = ctypes.c_char_p
    return version_string().decode("ascii", "replace")
