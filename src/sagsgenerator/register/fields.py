"""Proposal fields as the register stores them: JSON per field, Danish text for people.

Every column of `model.PROPOSAL_COLUMNS` is stored, encoded by its `kind`, so that two rounds
compare field by field and an old version can be rebuilt as a Proposal for rendering.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

from ..danish import Period, format_amount, format_date
from ..model import PROPOSAL_COLUMNS, Column, FollowUp, Proposal

COLUMNS: dict[str, Column] = {c.field: c for c in PROPOSAL_COLUMNS}
HEADERS: dict[str, str] = {c.field: c.header for c in PROPOSAL_COLUMNS}
_BY_HEADER: dict[str, str] = {c.header.casefold(): c.field for c in PROPOSAL_COLUMNS}


def field_name(name_or_header: str) -> str | None:
    """'priority' or 'Prioritet' -> 'priority'; None when neither is a proposal field."""
    if name_or_header in COLUMNS:
        return name_or_header
    return _BY_HEADER.get(name_or_header.strip().casefold())


def _period_text(period: Period | None) -> str | None:
    return period.iso if period is not None else None


def _period(text: str | None) -> Period | None:
    if not text:
        return None
    parts = [int(p) for p in text.split("-")]
    return Period(*parts)


def _plain(value: Any, kind: str) -> Any:
    """A field value as plain JSON data."""
    if value is None:
        return None
    if kind == "amount":
        # 75000, 75000.00 and 7.5E+4 are the same amount: one text for all of them.
        return format(Decimal(value).normalize(), "f")
    if kind == "period":
        return _period_text(value)
    if kind == "followup":
        return {"text": value.text, "period": _period_text(value.period)}
    if kind == "date":
        return value.isoformat()
    if kind == "lines":
        return list(value)
    if kind == "number":
        return int(value)
    return str(value)


# json.dumps with these options, made once (dumps builds an encoder per call otherwise).
_JSON = json.JSONEncoder(ensure_ascii=False, sort_keys=True)


def encode(field: str, value: Any) -> str:
    """The stored JSON of a field's value; equal values give equal text."""
    return _JSON.encode(_plain(value, COLUMNS[field].kind))


def decode(field: str, stored: str) -> Any:
    """The Python value of a stored field (the type the Proposal model holds)."""
    plain = json.loads(stored)
    if plain is None:
        return None
    kind = COLUMNS[field].kind
    if kind == "amount":
        return Decimal(plain)
    if kind == "period":
        return _period(plain)
    if kind == "followup":
        return FollowUp(text=plain["text"], period=_period(plain["period"]))
    if kind == "date":
        return dt.date.fromisoformat(plain)
    return plain


def values_of(proposal: Proposal) -> dict[str, str]:
    """Every column field of a proposal, encoded."""
    return {field: encode(field, getattr(proposal, field, None)) for field in COLUMNS}


EMPTY = "(tom)"


def display(field: str, value: Any) -> str:
    """A field's value as Danish text: '75.000 kr.', 'marts 2026', '(tom)'."""
    if value is None or value == "" or value == []:
        return EMPTY
    kind = COLUMNS[field].kind
    if kind == "amount":
        return format_amount(value)
    if kind == "period":
        return value.danish
    if kind == "followup":
        return value.text
    if kind == "date":
        return format_date(value)
    if kind == "lines":
        return "\n".join(value)
    return str(value)
