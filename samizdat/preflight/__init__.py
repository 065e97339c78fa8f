"""Preflight: check a finished PDF the way a print shop would, before it goes out.

`preflight(data, expectations)` lists findings — errors fail the file,
warnings ask for a look, infos say what is in it — and `format_report` writes
them for people. `identify(data, name)` tells what one of samizdat's outputs
must be from the kind it carries (samizdat.mark), or from its name. Each check lives with the library it reads with:
`structure` (pypdf, strict: objects that parse, pages with real sizes, content
streams of numbers and operators — what every build checks so as not to ship
a broken file), `document` (pypdf: boxes, page count, metadata, tags),
`resources` (pypdf: fonts, colour spaces) and `geometry` (pypdfium2: safe
margin, image resolution).
"""

from __future__ import annotations

import io
from pathlib import Path

import pypdf
import pypdfium2
from pypdf import PdfReader

from samizdat.messages import plural
from samizdat.pdfio.damage import READ_ERRORS, Repairs
from samizdat.preflight.copier import check_copier
from samizdat.preflight.document import check_boxes, check_metadata, check_page_count, check_tags
from samizdat.preflight.geometry import check_geometry
from samizdat.preflight.model import ERROR, INFO, SEVERITIES, WARNING, Expectations, Finding
from samizdat.preflight.names import expectations_for, expectations_of_kind, identify
from samizdat.preflight.reading import READING_KINDS, check_reading_file
from samizdat.preflight.resources import check_colour, check_fonts
from samizdat.preflight.structure import check_structure, read_strictly

__all__ = [
    "ERROR", "INFO", "WARNING", "Expectations", "Finding", "expectations_for", "expectations_of_kind", "format_report",
    "identify", "preflight", "read_strictly",
]  # fmt: skip

#: What reading a damaged or foreign file raises (as when imposing it): one "cannot read" finding, no traceback.
UNREADABLE = (*READ_ERRORS, pypdfium2.PdfiumError)


def preflight(data: bytes, expect: Expectations, name: str = "", strict: PdfReader | None = None) -> list[Finding]:
    """Every finding about the PDF `data` for an output that must meet `expect`, errors first; `strict`, the
    file as read_strictly read it already (the build reads it once, for its paper size too). A reader edition
    (HTML, EPUB, plain text) is no PDF: it gets its own light check (samizdat.preflight.reading)."""
    if expect.kind in READING_KINDS:
        findings = check_reading_file(data, expect.kind, name)
        return sorted(findings, key=lambda finding: SEVERITIES.index(finding.severity))
    with Repairs() as repairs:
        findings = _checked(data, expect, name, repairs, strict)
    if repairs.texts and findings[0].check != "read":
        findings.append(
            Finding("read", WARNING, f"the file had to be repaired to be read ({'; '.join(repairs.texts[:3])}): "
                    "make it again, or repair it with qpdf and check the result")
        )  # fmt: skip
    return sorted(findings, key=lambda finding: SEVERITIES.index(finding.severity))


def _checked(data: bytes, expect: Expectations, name: str, repairs: Repairs, strict: PdfReader | None) -> list[Finding]:
    strict = strict or read_strictly(data)  # one reading serves every check: the strict one, when the file allows it
    try:
        reader = strict or PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):  # an owner password alone does not stop reading
            return [Finding("read", ERROR, f"cannot read {name or 'the file'}: it is encrypted; remove its password "
                            "first (qpdf --decrypt IN.pdf OUT.pdf)")]  # fmt: skip
        if not reader.pages:
            raise ValueError("it has no pages")
        unsound = check_structure(reader, strictly=strict is not None or bool(repairs.texts) or reader.is_encrypted)
        if unsound:  # the other checks would read what is broken: say what is, and only that
            return unsound
        document = pypdfium2.PdfDocument(data)
    except UNREADABLE as error:
        return [_unreadable(name, error)]
    try:
        return [
            *check_boxes(reader, expect),
            *check_page_count(reader, expect),
            *check_fonts(reader),
            *check_geometry(document, expect),
            *check_colour(reader, expect),
            *check_copier(reader, document, expect),
            *check_metadata(reader, expect),
            *check_tags(reader, expect),
        ]
    except UNREADABLE as error:
        if not _raised_reading(error):
            raise  # raised by samizdat's own checks: a bug, shown as one (issue 14), never as "damaged"
        return [_unreadable(name, error)]
    finally:
        document.close()


#: The PDF libraries the checks read the file through: what they raise while reading it is damage in the file.
LIBRARIES = tuple(Path(library.__file__).resolve().parent for library in (pypdf, pypdfium2))


def _raised_reading(error: BaseException) -> bool:
    """Whether pypdf or pypdfium2 raised `error` as they read the file (damage), not samizdat's checks (a bug).

    The checks read the file lazily, so the net is around them all; it keeps only what those libraries raise
    (the innermost frame is theirs), as samizdat.pdfio.damage's net is only around reading, and a structure
    too deep to walk (objects that name each other in a loop), which is the file's.
    """
    trace, innermost = error.__traceback__, None
    while trace is not None:
        innermost, trace = trace.tb_frame.f_code.co_filename, trace.tb_next
    library = innermost is not None and any(Path(innermost).resolve().is_relative_to(lib) for lib in LIBRARIES)
    return library or isinstance(error, RecursionError)


def _unreadable(name: str, error: Exception) -> Finding:
    reason = str(error).strip() or type(error).__name__
    return Finding(
        "read",
        ERROR,
        f"cannot read {name or 'the file'}: {reason}; it is not a PDF or it is damaged — "
        "make it again (and check the copy is complete)",
    )


def format_report(name: str, findings: list[Finding]) -> str:
    """A header saying PASS or FAIL, then one line per finding, errors first.

    >>> print(format_report("x.pdf", [Finding("fonts", "info", "fonts: Charis-SIL")]), end="")
    PASS  x.pdf  (0 errors, 0 warnings)
      info     fonts        fonts: Charis-SIL
    """
    counts = {severity: sum(finding.severity == severity for finding in findings) for severity in SEVERITIES}
    status = "FAIL" if counts[ERROR] else "PASS"
    header = f"{status}  {name}  ({plural(counts[ERROR], 'error')}, {plural(counts[WARNING], 'warning')})"
    ordered = sorted(findings, key=lambda finding: SEVERITIES.index(finding.severity))
    return "".join(
        f"{line}\n" for line in [header, *(f"  {f.severity:<7}  {f.check:<11}  {f.message}" for f in ordered)]
    )
