"""samizdat.quick_import: WeasyPrint imported without running a compiler, with the same libraries, and the usual
import where the quick one fails. Each case runs in a fresh Python, where WeasyPrint is not imported yet."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

#: Counts the programs started (find_library's ldconfig, gcc and ld) while WeasyPrint is imported, and says
#: which of its optional libraries it opened.
PROBE = """
import ctypes.util, json, subprocess, sys
started = []
real_popen = subprocess.Popen.__init__
def counted(self, args, *rest, **named):
    started.append(str(args))
    real_popen(self, args, *rest, **named)
subprocess.Popen.__init__ = counted
found = ctypes.util.find_library
{importing}
subprocess.Popen.__init__ = real_popen
from weasyprint.text import ffi
print(json.dumps({{"started": len(started), "restored": ctypes.util.find_library is found,
    "subset": ffi.harfbuzz_subset is not None, "vector": ffi.harfbuzz_vector is not None}}))
"""


def probe(importing: str, prelude: str = "") -> dict:
    code = prelude + PROBE.format(importing=importing)
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True)
    return json.loads(done.stdout.splitlines()[-1])


def test_weasyprint_is_imported_without_running_a_program_and_opens_the_same_libraries():
    usual = probe("import weasyprint")
    quick = probe("from samizdat.quick_import import import_weasyprint; import_weasyprint()")
    assert usual["started"] > 0  # the usual import runs ldconfig and gcc: what the quick one saves
    assert quick["started"] == 0
    assert quick["restored"]
    assert (quick["subset"], quick["vector"]) == (usual["subset"], usual["vector"])


#: The first import of WeasyPrint's library loader fails, as where a library only a compiler finds is missing
#: from the loader's path; the second goes through.
FAILS_ONCE = """
import importlib.abc, sys
class FailsOnce(importlib.abc.MetaPathFinder):
    failed = False
    def find_spec(self, name, path, target=None):
        if name == "weasyprint.text.ffi" and not FailsOnce.failed:
            FailsOnce.failed = True
            raise OSError("cannot load library 'libpango-1.0.so.0'")
        return None
sys.meta_path.insert(0, FailsOnce())
"""


def test_where_the_quick_import_fails_weasyprint_is_imported_the_usual_way():
    found = probe("from samizdat.quick_import import import_weasyprint; import_weasyprint()", FAILS_ONCE)
    assert found["restored"]
    assert found["started"] > 0  # imported again, looking its libraries up as WeasyPrint does without samizdat
