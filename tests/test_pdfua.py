"""The tagged screen PDFs against the machine-checkable PDF/UA-1 rules of PyPI `pdfua` (a triage, not a
certification): the statement's A5 and the test document with a table, a quote, code, a figure, an epigraph and a
section break (tests/data/constructs.md)."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject
from test_blocks import constructs  # noqa: F401 (the fixture: the test document built once)

pdfua = pytest.importorskip("pdfua")

#: pdfua 0.1.3's empty-heading rule asks every heading's /K for `.is_integer`, which pikepdf (8 to 10) answers
#: with a ValueError when /K is an array, as WeasyPrint writes it: the rule cannot run (it reports itself
#: skipped), so empty_headings below checks the same.
BROKEN_RULES = {"UA-14-001"}


def triage(path: Path) -> tuple[list[str], list[str]]:
    """pdfua's findings (rule, severity, message) and the rules it skipped, but for BROKEN_RULES."""
    report = pdfua.validate(str(path))
    findings = [f"{f.rule_id} {f.severity.name}: {f.message}" for o in report.outcomes for f in o.findings]
    skipped = [f"{o.rule_id}: {o.skipped_reason}" for o in report.outcomes
               if o.skipped_reason and o.rule_id not in BROKEN_RULES]  # fmt: skip
    return findings, skipped


def empty_headings(path: Path) -> list[str]:
    """Headings of the structure tree that mark no content (what pdfua's UA-14-001 would find)."""
    found: list[str] = []

    def marks(node: object) -> bool:
        node = node.get_object() if hasattr(node, "get_object") else node
        if isinstance(node, int):
            return True
        if isinstance(node, ArrayObject):
            return any(marks(kid) for kid in node)
        if isinstance(node, DictionaryObject):
            return node.get("/Type") == "/MCR" or ("/K" in node and marks(node["/K"]))
        return False

    def walk(node: object) -> None:
        node = node.get_object() if hasattr(node, "get_object") else node
        if isinstance(node, ArrayObject):
            for kid in node:
                walk(kid)
        elif isinstance(node, DictionaryObject) and "/K" in node:
            role = str(node.get("/S", ""))
            if len(role) == 3 and role.startswith("/H") and role[2].isdigit() and not marks(node["/K"]):
                found.append(role)
            walk(node["/K"])

    walk(PdfReader(path).trailer["/Root"]["/StructTreeRoot"])
    return found


def test_pdfua_checks_as_many_rules_as_the_issue_counts():
    assert pdfua.coverage().covered == 16
    assert {rule.id for rule in pdfua.default_registry()} >= BROKEN_RULES | {"UA-13-004", "UA-15-003", "UA-18-005"}


@pytest.mark.parametrize("which", ["statement", "constructs"])
def test_the_tagged_screen_pdf_passes_pdfuas_rules(which, statement_output: Path, constructs: Path):  # noqa: F811
    path = statement_output / "stop-the-war-a5.pdf" if which == "statement" else constructs
    findings, skipped = triage(path)
    assert findings == [] and skipped == []
    assert empty_headings(path) == []


def test_the_triage_would_see_a_figure_without_alt_text_and_an_empty_heading(constructs: Path, tmp_path):  # noqa: F811
    """The triage can fail: the test document with its picture's /Alt and a heading's content taken away."""
    import pikepdf

    with pikepdf.open(constructs) as pdf:
        for obj in pdf.objects:
            if isinstance(obj, pikepdf.Dictionary) and obj.get("/S") == "/Figure":
                del obj["/Alt"]
            if isinstance(obj, pikepdf.Dictionary) and obj.get("/S") == "/H3":
                obj.K = pikepdf.Array()
        pdf.save(tmp_path / "broken.pdf")
    findings, _ = triage(tmp_path / "broken.pdf")
    assert any(finding.startswith("UA-13-004 ERROR") for finding in findings)
    assert empty_headings(tmp_path / "broken.pdf") == ["/H3"]
