"""Every finding code has a Danish message, every message is used, and every message fills.

Codes are found through the code registry (`messages.CODES`) and Python's own parser, not
by a regular expression over the source: a code is the first argument of a call that makes
a finding (`CellProblem`, `ParseError`, `unusable`, `place.finding`/`place.warning`) or a
`code=` keyword.
"""

from __future__ import annotations

import ast
import re
import string
from pathlib import Path

import pytest

from sagsgenerator.findings import Finding, Location, Severity
from sagsgenerator.messages import CODES, MESSAGES

SRC = Path(__file__).resolve().parents[1] / "src" / "sagsgenerator"
MAKERS = {"CellProblem": 0, "ParseError": 0, "unusable": 1, "finding": 1, "warning": 1}


def _codes_in_source() -> tuple[set[str], set[str]]:
    """(codes passed where a finding is made, every string constant) of the package."""
    made, constants = set(), set()
    for path in SRC.rglob("*.py"):
        if path.name == "messages.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                constants.add(node.value)
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            position = MAKERS.get(name or "")
            args = [a for a in node.args]
            if position is not None and len(args) > position \
                    and isinstance(args[position], ast.Constant) \
                    and isinstance(args[position].value, str):
                made.add(args[position].value)
            for keyword in node.keywords:
                if keyword.arg == "code" and isinstance(keyword.value, ast.Constant):
                    made.add(keyword.value.value)
    return made, constants


def test_every_code_made_has_a_message():
    made, _ = _codes_in_source()
    assert len(made) > 40
    assert made - CODES == set()


def test_every_message_is_used_somewhere():
    _, constants = _codes_in_source()
    assert CODES - constants == set()


def test_a_finding_with_an_unknown_code_cannot_be_made():
    with pytest.raises(ValueError):
        Finding(code="no-such-code", severity=Severity.ERROR, location=Location(file="a.xlsx"))


def test_every_message_fills_and_reads_as_danish():
    for code, template in MESSAGES.items():
        fields = {name for _, name, _, _ in string.Formatter().parse(template) if name}
        text = template.format(**{name: "X." for name in fields})
        assert "{" not in text and text.endswith((".", "?", ")")), code
        assert not re.search(r"\b(the|is|not|file|error)\b", text), code
