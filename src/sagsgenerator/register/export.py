"""The register as a workbook or JSON, for people and for other systems."""

from __future__ import annotations

import datetime as dt
import json
import os
import tempfile
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font

from ..intake.workbook import set_text
from ..model import PROPOSAL_COLUMNS
from .errors import RegisterError, cannot_write
from .fields import display, encode
from .schema import LATEST

def _set(cell: Any, value: Any) -> None:
    """Write a value that is never read as a formula and whose text Excel shows as written
    (intake.workbook.set_text: _xHHHH_ escaped, quote prefix), without XML-illegal
    characters."""
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    set_text(cell, value)
    if isinstance(value, str):
        cell.data_type = "s"  # "=1+1" stays text
    elif isinstance(value, dt.date):
        cell.number_format = "dd-mm-yyyy"


ENTRY_HEADERS = ("Nøgle", "Arbejdsgruppe", "Nr.", "Titel", "Versioner", "Sagsnummer", "Status",
                 "Senest ændret", "Trukket tilbage")


def _sheet(workbook: openpyxl.Workbook, title: str, headers: tuple[str, ...],
           rows: list[tuple[Any, ...]]) -> None:
    sheet = workbook.create_sheet(title)
    for column, header in enumerate(headers, start=1):
        _set(sheet.cell(row=1, column=column), header)
        sheet.cell(row=1, column=column).font = Font(bold=True)
    for r, values in enumerate(rows, start=2):
        for column, value in enumerate(values, start=1):
            cell = sheet.cell(row=r, column=column)
            _set(cell, value)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A2"


def workbook_of(register: Any) -> openpyxl.Workbook:
    """Sheets Register (current values), Beslutninger, Statushistorik, Udvalgssager."""
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    columns = tuple(c for c in PROPOSAL_COLUMNS if c.field not in ("number", "title"))
    rows, decided, statuses = [], [], []
    for entry in register.entries():
        proposal = register.proposal(entry.key)
        rows.append((entry.key.text, entry.group_name, entry.number, entry.title, entry.versions,
                     entry.case_number or "", entry.status, entry.last_change,
                     entry.withdrawn_on or "",
                     *(display(c.field, getattr(proposal, c.field, None)) for c in columns)))
        for d in register.decision_history(entry.key):
            decided.append((entry.key.text, entry.group_name, entry.number, d.header, d.text,
                            d.decided_on, d.source))
        for s in register.status_history(entry.key):
            statuses.append((entry.key.text, entry.group_name, entry.number, s.status, s.on,
                             s.source))
    _sheet(workbook, "Register", ENTRY_HEADERS + tuple(c.header for c in columns), rows)
    _sheet(workbook, "Beslutninger", ("Nøgle", "Arbejdsgruppe", "Nr.", "Felt", "Værdi",
                                      "Besluttet", "Kilde"), decided)
    _sheet(workbook, "Statushistorik", ("Nøgle", "Arbejdsgruppe", "Nr.", "Status", "Dato",
                                        "Kilde"), statuses)
    _sheet(workbook, "Udvalgssager", ("Udvalg", "Mødedato", "Sagsnummer"),
           [(c["committee"], dt.date.fromisoformat(c["meeting_date"]), c["case_number"])
            for c in _committee_cases(register)])
    return workbook


def _committee_cases(register: Any) -> list[dict[str, str]]:
    rows = register._conn.execute("SELECT committee, meeting_date, case_number FROM "
                                  "committee_cases ORDER BY meeting_date, id").fetchall()
    return [{"committee": c, "meeting_date": d, "case_number": n} for c, d, n in rows]


def data_of(register: Any) -> dict[str, Any]:
    """Everything in the register as JSON data: proposals with all versions, decisions and
    status history, committee cases and rounds. Values are as fields.encode stores them."""
    proposals = []
    for entry in register.entries():
        key = entry.key
        proposals.append({
            "key": key.text, "id": key.id, "period": key.period, "group": entry.group_name,
            "number": key.number, "case_number": entry.case_number, "status": entry.status,
            "withdrawn_on": entry.withdrawn_on.isoformat() if entry.withdrawn_on else None,
            "versions": [{
                "version": v.version, "round": v.round, "recorded_on": v.recorded_on.isoformat(),
                "file": v.file, "sheet": v.sheet, "row": v.row,
                "values": {name: json.loads(text) for name, text in v.stored.items()},
                "cells": v.cells,
            } for v in register.versions(key)],
            "decisions": [{"field": d.field, "header": d.header,
                           "value": json.loads(encode(d.field, d.value)),
                           "decided_on": d.decided_on.isoformat(), "source": d.source}
                          for d in register.decision_history(key)],
            "status_history": [{"status": s.status, "on": s.on.isoformat(), "source": s.source}
                               for s in register.status_history(key)],
        })
    return {
        "format": "sagsgenerator-register",
        "schema_version": LATEST,
        "rounds": [{"id": r.id, "today": r.today.isoformat(), "period": r.period,
                    "note": r.note, "started_at": r.started_at} for r in register.rounds()],
        "proposals": proposals,
        "committee_cases": _committee_cases(register),
    }


def export(register: Any, target: Path) -> Path:
    """Write .xlsx or .json beside the target first, then move it into place."""
    suffix = target.suffix.lower()
    if suffix not in (".xlsx", ".json"):
        raise RegisterError(f"Registret kan kun eksporteres til .xlsx eller .json, ikke "
                            f"»{target.name}«.")
    with register._reading():
        content = workbook_of(register) if suffix == ".xlsx" else data_of(register)
    try:
        fd, temp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    except OSError as exc:
        raise cannot_write(target, exc) from exc
    try:
        if suffix == ".xlsx":
            os.close(fd)
            content.save(temp)
        else:
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                json.dump(content, out, ensure_ascii=False, indent=2)
        os.replace(temp, target)
    except OSError as exc:
        Path(temp).unlink(missing_ok=True)
        raise cannot_write(target, exc) from exc
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return target
