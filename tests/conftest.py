"""Shared fixtures: intake workbooks built in tmp_path from the blank workbook, by header text."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from sagsgenerator.intake.workbook import blank_workbook, set_text
from sagsgenerator.model import GROUP_SHEET, PROPOSAL_SHEET

GROUP = {
    "Arbejdsgruppe": "Børn og unge",
    "Fokusområde": "Børn og unge",
    "Tovholder": "Mette Hansen",
    "E-mail": "mette.hansen@kommune.dk",
    "Udvalg": "Børne- og Undervisningsudvalget",
    "Dato": dt.date(2026, 1, 15),
}


def proposal(nr: int = 1, **changes: Any) -> dict[str, Any]:
    """A valid proposal row keyed by header text; `changes` use header texts via a dict too."""
    row = {
        "Nr.": nr,
        "Titel": f"Røgfri skoletid {nr}",
        "Forslagstype": "Handlingsforslag",
        "Forebyggelsespakke": "Tobak",
        "Tema": "Borgernes mulighed for et sundt hverdagsliv",
        "Indsatsområde": "Tobak (rygning)",
        "Mål": "Færre borgere, der ryger dagligt",
        "Formål og forventet effekt": "Færre unge begynder at ryge.",
        "Målgruppe": "Elever i 7.-10. klasse.",
        "Problemets omfang": "12 % af de 15-årige ryger dagligt.",
        "Indhold og rammer": "Røgfri skoletid på alle skoler.",
        "Ansvarligt center": "Børn og Forebyggelse",
        "Udførende og samarbejdspartnere": "Skolerne og SSP.",
        "Monitorering og evaluering": "Ungeprofilundersøgelsen hvert andet år.",
        "Målindikatorer": "Andel unge, der ryger\nAntal skoler med røgfri skoletid",
        "Opstart": "marts 2026",
        "Opfølgning": "Slut-evaluering april 2027",
        "Ressourcer opstart (kr.)": 75000,
        "Ressourcer drift pr. år (kr.)": "250.000 kr.",
        "Finansiering": "Inden for eget budget",
        "Resumé (ca. ½ side)": "Røgfri skoletid skal forebygge, at unge begynder at ryge.",
        "Prioritet": nr,
        "Projektejer": "Centerchef",
        "Status": "Prioriteret",
    }
    row.update(changes)
    return row


def write_raw(cell, value: Any) -> None:
    """A value as a working group's Excel stores it: text stays text (not a formula), and
    Excel's own escapes such as '_x0001_' are kept as written, to test how they are read."""
    cell.value = value
    if isinstance(value, str) and cell.data_type == "f":
        cell.data_type = "s"


def write_intake(path: Path, rows: list[dict[str, Any]], group: dict[str, Any] | None = None) -> Path:
    """Fill the blank workbook by header text only, as another tool would."""
    workbook = blank_workbook()
    sheet = workbook[GROUP_SHEET]
    labels = {sheet.cell(row=r, column=1).value: r for r in range(1, sheet.max_row + 1)}
    for label, value in (GROUP if group is None else group).items():
        write_raw(sheet.cell(row=labels[label], column=2), value)
    sheet = workbook[PROPOSAL_SHEET]
    headers = {cell.value: cell.column for cell in sheet[1]}
    for r, row in enumerate(rows, start=2):
        for header, value in row.items():
            write_raw(sheet.cell(row=r, column=headers[header]), value)
    workbook.save(path)
    return path


@pytest.fixture
def make_intake(tmp_path: Path) -> Callable[..., Path]:
    counter = iter(range(1000))

    def make(rows: list[dict[str, Any]] | None = None, group: dict[str, Any] | None = None,
             name: str | None = None) -> Path:
        rows = [proposal(n) for n in (1, 2, 3)] if rows is None else rows
        return write_intake(tmp_path / (name or f"intake-{next(counter)}.xlsx"), rows, group)

    return make


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture(autouse=True)
def isolated_cwd(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test runs in its own folder, so default outputs (output/) land in tmp_path."""
    monkeypatch.chdir(tmp_path)
