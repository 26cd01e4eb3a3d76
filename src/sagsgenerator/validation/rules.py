"""Rules: turn what a user typed into typed values, and check proposals and workbooks.

`convert_cell` runs inside pydantic's validation of every field (see model.py) and raises
`PydanticCustomError` with a finding code; warnings go to the validation context. Row and
workbook rules yield findings and never raise.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator, Sequence
from typing import Any

import datetime as dt
from pydantic_core import PydanticCustomError

from ..config import Config
from ..danish import Period, clean_text, format_count, match_choice, suggestion
from ..intake.formula import Formula
from ..intake.parse import ParseError, find_period, parse_amount, parse_period, parse_whole_number
from ..model import Column, FollowUp, Proposal

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$")


def fail(code: str, **params: Any) -> PydanticCustomError:
    return PydanticCustomError(code, code, {k: str(v) for k, v in params.items()})


def _text(value: Any, context: dict) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, (dt.datetime, dt.date)):
        value = Period(value.year, value.month, value.day).danish
    text, removed = clean_text(str(value))
    if removed:
        context["warnings"].append((context["field"], "control-removed", {"chars": ", ".join(removed)}))
    return text or None


def convert_cell(column: Column, value: Any, config: Config, data: dict, context: dict) -> Any:
    """The typed value of one cell, or PydanticCustomError with a finding code."""
    if isinstance(value, Formula):
        raise fail("formula-no-value", formula=value.text)
    if column.kind in ("number", "amount", "period", "date") and not isinstance(value, str):
        typed = _convert_typed(column, value)
    else:
        text = _text(value, context)
        if text is None:
            typed = None
        else:
            typed = _convert_text(column, text, config, context)
    if typed is None or typed == []:
        if column.required:
            raise fail("required-missing", merged=context.get("merged", ""), help=column.help)
        return _default(column)
    return _check_relations(column.field, typed, data)


def _default(column: Column) -> Any:
    return "Forslag" if column.field == "status" else None


def _convert_typed(column: Column, value: Any) -> Any:
    try:
        if column.kind == "number":
            return _check_number(column, parse_whole_number(value), value)
        if column.kind == "amount":
            return parse_amount(value)
        period = parse_period(value)
        if column.kind == "date" and period is not None:
            return period.first_day
        return period
    except ParseError as exc:
        raise fail(exc.code, **exc.params) from None


def _check_number(column: Column, number: int | None, typed: Any) -> int | None:
    if number is None:
        return None
    if column.field == "number" and not 1 <= number <= 999:
        raise fail("number-range", value=typed)
    if column.field == "priority" and number < 1:
        raise fail("priority-range", value=typed)
    return number


def _convert_text(column: Column, text: str, config: Config, context: dict) -> Any:
    if column.choices:
        choices = getattr(config, column.choices)
        chosen = match_choice(text, choices)
        if chosen is None:
            raise fail("choice-invalid", value=text, suggestion=suggestion(text, choices),
                       choices=", ".join(choices))
        return chosen
    match column.kind:
        case "number" | "amount" | "period" | "date":
            return _convert_typed(column, text)
        case "lines":
            return [line.strip() for line in text.split("\n") if line.strip()]
        case "followup":
            return FollowUp(text=text, period=find_period(text))
        case "email":
            if not EMAIL.match(text):
                raise fail("email-invalid", value=text)
            return text
    if column.field == "title" and len(text) > 120:
        raise fail("title-too-long", length=len(text))
    return text


def _check_relations(field: str, typed: Any, data: dict) -> Any:
    """Rules between fields; `data` holds the fields validated before this one."""
    if field == "follow_up":
        start: Period | None = data.get("start")
        if start and typed.period and typed.period.last_day < start.first_day:
            raise fail("followup-before-start", follow_up=typed.text, start=start.danish)
    return typed


# Rules over a whole proposal (after its fields are valid) ----------------------------------

def check_proposal(proposal: Proposal, config: Config) -> Iterator[tuple[str, str, str, dict]]:
    """(severity, field, code, params) for each rule a valid-typed proposal breaks."""
    if proposal.kind == "Handlingsforslag" and not proposal.package:
        yield "fejl", "package", "package-missing", {}
    if proposal.follow_up is not None and proposal.follow_up.period is None:
        yield "advarsel", "follow_up", "followup-undated", {"value": proposal.follow_up.text}
    if len(proposal.summary) > config.max_summary_chars:
        yield "advarsel", "summary", "summary-too-long", {
            "length": format_count(len(proposal.summary)),
            "limit": format_count(config.max_summary_chars)}
    pages = estimated_pages(proposal, config)
    if pages > config.max_pages:
        yield "advarsel", "summary", "proposal-too-long", {"pages": str(pages),
                                                           "limit": str(config.max_pages)}
    if proposal.theme is None:
        yield "advarsel", "theme", "theme-missing", {}
    if proposal.priority is not None and proposal.start is None:
        yield "advarsel", "start", "start-missing-prioritised", {}


def estimated_pages(proposal: Proposal, config: Config) -> int:
    """Pages the proposal's text fills in a case paper (text plus about one page of frame)."""
    chars = sum(len(v) for v in proposal.model_dump(include=TEXT_FIELDS).values() if v)
    chars += sum(len(i) for i in proposal.indicators)
    return 1 + -(-chars // config.chars_per_page)


TEXT_FIELDS = {"title", "goal", "purpose", "target_group", "problem_size", "content",
               "partners", "monitoring", "summary"}
