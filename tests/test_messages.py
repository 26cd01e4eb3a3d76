"""Every finding code the code can produce has a Danish message, and every message fills."""

from __future__ import annotations

import re
import string
from pathlib import Path

from sagsgenerator.messages import MESSAGES

SRC = Path(__file__).resolve().parents[1] / "src" / "sagsgenerator"
CODE_USES = re.compile(r"""(?:(?<![.\w])fail|ParseError|unusable\([^,]+,)\(?\s*["']([a-z0-9-]+)["']|"""
                       r"""code=["']([a-z0-9-]+)["']|yield "(?:fejl|advarsel)", "\w+", "([a-z0-9-]+)\"""")


def test_every_code_used_has_a_message():
    used = set()
    for path in SRC.rglob("*.py"):
        for match in CODE_USES.finditer(path.read_text(encoding="utf-8")):
            used.add(next(g for g in match.groups() if g))
    assert len(used) > 30
    assert used - set(MESSAGES) == set()


def test_every_message_fills_and_reads_as_danish():
    for code, template in MESSAGES.items():
        fields = {name for _, name, _, _ in string.Formatter().parse(template) if name}
        text = template.format(**{name: "X." for name in fields})
        assert "{" not in text and text.endswith((".", "?", ")")), code
        assert not re.search(r"\b(the|is|not|file|error)\b", text), code
