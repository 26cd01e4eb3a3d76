"""Cells: what a user typed -> typed values, or findings naming the cell.

    values, findings = convert(Proposal, raw_values, config, place)

Every column is converted on its own: a cell that fails leaves its field out of `values`
(and in `place.failed`), so the row rules can still check every other field of the row.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel

from ..config import Config
from ..danish import Period, clean_text, match_choice, suggestion
from ..findings import Finding, Location, Severity
from ..intake.formula import Formula
from ..intake.parse import ParseError, find_period, parse_amount, parse_period, parse_whole_number
from ..model import COLUMNS_BY_FIELD, Column, FollowUp

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$")

# The parsers, cached by the value read: a batch has the same amounts, months and numbers
# in row after row, and a parser's result is immutable (int, Decimal, Period). typed=True:
# 1, 1.0 and True are different cells. A value that cannot be parsed raises each time.
_whole_number = functools.lru_cache(maxsize=4096, typed=True)(parse_whole_number)
_amount = functools.lru_cache(maxsize=4096, typed=True)(parse_amount)
_period = functools.lru_cache(maxsize=4096, typed=True)(parse_period)
_period_in = functools.lru_cache(maxsize=4096)(find_period)


@functools.lru_cache(maxsize=4096)
def _choice(text: str, choices: tuple[str, ...],
            aliases: tuple[tuple[str, str], ...]) -> str | None:
    """match_choice, cached by the text and the configured lists it is matched against."""
    return match_choice(text, choices, dict(aliases))


class CellProblem(Exception):
    """A cell that cannot be used: its finding code and params (internal to validation)."""

    def __init__(self, code: str, **params: Any):
        super().__init__(code)
        self.code = code
        self.params = {k: str(v) for k, v in params.items()}


@dataclass
class Place:
    """Where a row (or the group sheet) was read: every finding is made here, at its cell."""

    model: type[BaseModel]
    file: str
    sheet: str | None
    cells: dict[str, str]
    row: int | None = None
    hidden: bool = False
    merged: dict[str, str] = field(default_factory=dict)
    failed: set[str] = field(default_factory=set)

    def finding(self, name: str, code: str, severity: Severity = Severity.ERROR,
                **params: Any) -> Finding:
        column = COLUMNS_BY_FIELD[self.model].get(name)
        merged = self.merged.get(name)
        full = {"header": column.header if column else "", "help": column.help if column else "",
                "merged": f" (cellen er en del af den flettede celle {merged})" if merged else "",
                **{k: str(v) for k, v in params.items()}}
        return Finding(code=code, severity=severity, row=self.row, params=full,
                       location=Location(file=self.file, sheet=self.sheet,
                                         cell=self.cells.get(name), hidden_row=self.hidden))

    def warning(self, name: str, code: str, **params: Any) -> Finding:
        return self.finding(name, code, Severity.WARNING, **params)


def convert(model: type[BaseModel], values: dict[str, Any], config: Config,
            place: Place) -> tuple[dict[str, Any], list[Finding]]:
    """Typed values of the cells that could be used, and a finding for every cell problem."""
    typed: dict[str, Any] = {}
    findings: list[Finding] = []
    for column in COLUMNS_BY_FIELD[model].values():
        try:
            typed[column.field] = convert_cell(column, values.get(column.field), config,
                                               findings, place)
        except CellProblem as problem:
            place.failed.add(column.field)
            findings.append(place.finding(column.field, problem.code, **problem.params))
    return typed, findings


def convert_cell(column: Column, value: Any, config: Config, findings: list[Finding],
                 place: Place) -> Any:
    """The typed value of one cell; raises CellProblem with a finding code."""
    if isinstance(value, Formula):
        raise CellProblem("formula-no-value", formula=value.text)
    if column.kind in ("number", "amount", "period", "date") and not isinstance(value, str):
        typed = _convert_typed(column, value)
    else:
        text = _text(value, column, findings, place)
        typed = None if text is None else _convert_text(column, text, config)
    if typed is None or typed == []:
        if column.required:
            raise CellProblem("required-missing")
        return "Forslag" if column.field == "status" else None
    return typed


def _text(value: Any, column: Column, findings: list[Finding], place: Place) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, (dt.datetime, dt.date)):
        value = Period(value.year, value.month, value.day).danish
    text, removed = clean_text(str(value))
    if removed:
        findings.append(place.warning(column.field, "control-removed", chars=", ".join(removed)))
    return text or None


def _convert_typed(column: Column, value: Any) -> Any:
    try:
        if column.kind == "number":
            return _check_number(column, _whole_number(value), value)
        if column.kind == "amount":
            return _amount(value)
        period = _period(value)
        if column.kind == "date" and period is not None:
            return period.first_day
        return period
    except ParseError as exc:
        raise CellProblem(exc.code, **exc.params) from None


def _check_number(column: Column, number: int | None, typed: Any) -> int | None:
    if number is None:
        return None
    if column.field == "number" and not 1 <= number <= 999:
        raise CellProblem("number-range", value=typed)
    if column.field == "priority" and number < 1:
        raise CellProblem("priority-range", value=typed)
    return number


def _convert_text(column: Column, text: str, config: Config) -> Any:
    if column.choices:
        choices = getattr(config, column.choices)
        chosen = _choice(text, tuple(choices), tuple(config.aliases.items()))
        if chosen is None:
            raise CellProblem("choice-invalid", value=text, suggestion=suggestion(text, choices),
                              choices=", ".join(choices))
        return chosen
    match column.kind:
        case "number" | "amount" | "period" | "date":
            return _convert_typed(column, text)
        case "lines":
            return [line.strip() for line in text.split("\n") if line.strip()]
        case "followup":
            return FollowUp(text=text, period=_period_in(text))
        case "email":
            if not EMAIL.match(text):
                raise CellProblem("email-invalid", value=text)
            return text
    if column.field == "title" and len(text) > 120:
        raise CellProblem("title-too-long", length=len(text))
    return text


def cells_of(findings: list[Finding]) -> Iterator[str]:
    return (f.location.cell for f in findings if f.location.cell)
