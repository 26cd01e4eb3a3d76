"""Reading the chief groups' decisions back from an edited handleplan.xlsx.

The action plan workbook has a hidden, protected key column (`KEY_HEADER`) that maps each
row to its proposal in the register. A chief group edits Prioritet, Projektejer,
Finansiering, Opstart and Status; this module reads those cells with their references, and
reports rows whose key was deleted, changed or copied, so that no decision lands on the
wrong proposal.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.utils import get_column_letter

from ..errors import IntakeUnusable
from ..findings import Finding, Location, Severity
from ..model import KEY_HEADER, PROPOSAL_COLUMNS
from .reader import check_file, header_key, unusable

PLAN_SHEET = "Handleplan"
DECISION_FIELDS = ("priority", "owner", "financing", "start", "status")
_HEADERS = {header_key(c.header): c.field for c in PROPOSAL_COLUMNS if c.field in DECISION_FIELDS}


@dataclass
class DecisionRow:
    """One row of the plan: its key text, and the decision fields' raw values and cells."""

    row: int
    key: str
    values: dict[str, Any]
    cells: dict[str, str]


@dataclass
class RawDecisions:
    path: Path
    name: str
    sheet: str
    rows: list[DecisionRow] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)


def read_decisions(path: Path, name: str | None = None) -> RawDecisions:
    """The rows of an edited handleplan.xlsx; IntakeUnusable when it is not one."""
    name = name or str(path)
    check_file(path, name)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            workbook = openpyxl.load_workbook(path, data_only=True)
    except Exception as exc:          # openpyxl raises many kinds for a damaged package
        raise unusable(name, "file-damaged") from exc
    try:
        sheet = next((ws for ws in workbook.worksheets
                      if ws.title.strip().casefold() == PLAN_SHEET.casefold()), None)
        if sheet is None:
            raise unusable(name, "plan-sheet-missing", sheet=PLAN_SHEET)
        headers = {header_key(str(c.value)): c.column for c in sheet[1] if c.value is not None}
        key_column = headers.get(header_key(KEY_HEADER))
        if key_column is None:
            raise unusable(name, "plan-key-missing", sheet=sheet.title, header=KEY_HEADER)
        columns = {field_name: headers[h] for h, field_name in _HEADERS.items() if h in headers}
        raw = RawDecisions(path=path, name=name, sheet=sheet.title)
        seen: dict[str, int] = {}
        for cells in sheet.iter_rows(min_row=2):
            by_column = {c.column: c for c in cells}
            values = {f: by_column[c].value if c in by_column else None
                      for f, c in columns.items()}
            key_cell = by_column.get(key_column)
            key = str(key_cell.value).strip() if key_cell is not None and key_cell.value else ""
            if not key and all(v in (None, "") for v in values.values()):
                continue                               # an empty row
            row = cells[0].row
            refs = {f: f"{get_column_letter(c)}{row}" for f, c in columns.items()}
            where = Location(file=name, sheet=sheet.title,
                             cell=f"{get_column_letter(key_column)}{row}")
            if not key:
                raw.findings.append(Finding(code="plan-key-deleted", severity=Severity.ERROR,
                                            location=where, row=row))
                continue
            if key in seen:
                raw.findings.append(Finding(code="plan-key-copied", severity=Severity.ERROR,
                                            location=where, row=row,
                                            params={"other": f"{sheet.title}!"
                                                    f"{get_column_letter(key_column)}{seen[key]}"}))
                continue
            seen[key] = row
            raw.rows.append(DecisionRow(row=row, key=key, values=values, cells=refs))
        return raw
    finally:
        workbook.close()


__all__ = ["DECISION_FIELDS", "DecisionRow", "RawDecisions", "read_decisions", "IntakeUnusable"]
