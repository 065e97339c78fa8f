"""WeasyPrint imported without asking a C compiler where its libraries are: 0.15-0.3 s of every build that renders.

WeasyPrint opens each C library it needs by trying one name per system in
turn (weasyprint/text/ffi.py: the Windows and MinGW names first, then the Linux
soname, libpango-1.0.so.0). cffi hands each name that is not a loadable file to
`ctypes.util.find_library`, which on Linux runs ldconfig, then gcc, then ld, for
names that exist on no Linux system: about half of WeasyPrint's import. While
WeasyPrint is imported here, `find_library` answers "not found" at once, so each
library is opened by its soname, as the dynamic loader finds it. Where that fails
(a library the loader cannot find but a compiler's search path holds), WeasyPrint
is imported again as it would be without samizdat, and nothing is lost but the
time. There is no public setting for this: WeasyPrint's only one,
WEASYPRINT_DLL_DIRECTORIES, is for Windows.
"""

from __future__ import annotations

import contextlib
import ctypes.util
import io
import sys


def import_weasyprint() -> None:
    """Import WeasyPrint (once per process) the quick way where the system allows, else the usual way."""
    if "weasyprint" in sys.modules or not sys.platform.startswith("linux"):
        import weasyprint  # noqa: F401 - where the names are tried in another order, the usual import
        return
    looked_up = ctypes.util.find_library
    ctypes.util.find_library = _not_found
    try:
        with contextlib.redirect_stdout(io.StringIO()):  # WeasyPrint prints its install hints before it raises
            import weasyprint  # noqa: F401
        return
    except OSError:
        _forget_weasyprint()
    finally:
        ctypes.util.find_library = looked_up
    import weasyprint  # noqa: F401, F811 - a library only a compiler finds: the usual, slower way


def _not_found(name: str) -> None:
    """`ctypes.util.find_library` while WeasyPrint is imported: every library is opened by its soname instead."""
    return None


def _forget_weasyprint() -> None:
    """Drop the modules a failed import left half made, so that the next import starts afresh."""
    for name in [name for name in sys.modules if name == "weasyprint" or name.startswith("weasyprint.")]:
        del sys.modules[name]
