"""Case numbers from the configured pattern, without `str.format` on user text.

A pattern such as "{aar}-{nr:03d}" comes from the municipality's configuration file.
`str.format` would let it read attributes ("{nr.__class__}") or ask for a billion-digit
padding ("{nr:099999999d}"), so the pattern is parsed here and only the documented fields
with a bounded width are allowed.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass

from .errors import CaseNumberPatternError

# The documented fields: number fields take a width, text fields none.
NUMBER_FIELDS = ("aar", "nr")
TEXT_FIELDS = ("periode", "udvalg")
MAX_WIDTH = 6
MAX_LENGTH = 60
_NUMBER_SPEC = re.compile(r"(0?)([1-6]?)d?")

_HELP = ("Brug kun felterne {aar}, {nr}, {periode} og {udvalg}, fx »{aar}-{nr:03d}«; "
         "tal kan fyldes op med nuller til højst 6 cifre ({nr:06d}).")


@dataclass(frozen=True)
class _Part:
    literal: str
    field: str | None = None
    zero: bool = False
    width: int = 0


def _error(pattern: str, why: str) -> CaseNumberPatternError:
    return CaseNumberPatternError(
        f"Sagsnummermønsteret »{pattern}« kan ikke bruges: {why}. "
        + _HELP)


def parse_pattern(pattern: str) -> tuple[_Part, ...]:
    """The parts of a pattern; CaseNumberPatternError (Danish) when it is not allowed."""
    if len(pattern) > MAX_LENGTH:
        raise _error(pattern[:MAX_LENGTH] + "…", f"det er længere end {MAX_LENGTH} tegn")
    try:
        parsed = list(string.Formatter().parse(pattern))
    except ValueError:
        raise _error(pattern, "en krøllet parentes er ikke lukket") from None
    parts: list[_Part] = []
    for literal, name, spec, conversion in parsed:
        if name is None:
            parts.append(_Part(literal))
            continue
        if conversion is not None:
            raise _error(pattern, f"»!{conversion}« er ikke tilladt")
        if name not in NUMBER_FIELDS + TEXT_FIELDS:
            raise _error(pattern, f"feltet »{{{name}}}« kendes ikke")
        if name in TEXT_FIELDS:
            if spec:
                raise _error(pattern, f"feltet »{{{name}}}« kan ikke have et format")
            parts.append(_Part(literal, name))
            continue
        match = _NUMBER_SPEC.fullmatch(spec or "")
        if match is None:
            raise _error(pattern, f"formatet »{{{name}:{spec}}}« er ikke tilladt")
        parts.append(_Part(literal, name, zero=bool(match.group(1)),
                           width=int(match.group(2) or 0)))
    if not any(p.field == "nr" for p in parts):
        raise _error(pattern, "feltet {nr} mangler, så numrene ville ikke være forskellige")
    return tuple(parts)


def fields_used(pattern: str) -> tuple[str, ...]:
    """The fields a pattern uses, in order, each once."""
    return tuple(dict.fromkeys(p.field for p in parse_pattern(pattern) if p.field))


def format_case_number(pattern: str, values: dict[str, int | str]) -> str:
    """The case number for `values` (aar, nr, periode, udvalg) in a checked pattern."""
    out = []
    for part in parse_pattern(pattern):
        out.append(part.literal)
        if part.field is None:
            continue
        value = values[part.field]
        if part.field in NUMBER_FIELDS:
            text = str(int(value))
            out.append(text.rjust(part.width, "0" if part.zero else " ") if part.width else text)
        else:
            out.append(str(value))
    return "".join(out)


def committee_abbreviation(name: str) -> str:
    """'Social- og Sundhedsudvalget' -> 'SSU' (the same rule as meetings.py)."""
    words = [w for w in re.split(r"[\s\-]+", name) if w and w.lower() not in ("og", "i", "for")]
    letters = "".join(w[0].upper() for w in words)
    return letters + ("U" if name.lower().endswith("udvalget") else "")
