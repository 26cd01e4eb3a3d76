"""Workbooks we write: the blank intake workbook and the annotated copy of a filled-in one."""

from __future__ import annotations

import re
import warnings
from collections import defaultdict
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.cell.cell import Cell, MergedCell
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from ..config import DEFAULT_CONFIG, Config
from ..model import (GROUP_COLUMNS, GROUP_SHEET, GUIDE_SHEET, LISTS_SHEET, PROPOSAL_COLUMNS,
                     PROPOSAL_SHEET, Column)
from ..output import atomic_write
from ..findings import Finding, Report, Severity

DATA_ROWS = 300
HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
HEADER_FONT = Font(bold=True, color="FFFFFF")
ERROR_FILL = PatternFill("solid", fgColor="FFC7CE")
WARNING_FILL = PatternFill("solid", fgColor="FFEB9C")
WRAP = Alignment(wrap_text=True, vertical="top")
NUMBER_FORMATS = {"amount": '#,##0 "kr."', "number": "0", "period": "mmmm yyyy",
                  "date": "dd-mm-yyyy"}


# Excel reads "_xHHHH_" in a cell's text as an escaped character; openpyxl writes text as
# it is, so a literal "_x0041_" typed by a user must go out as "_x005F_x0041_".
EXCEL_ESCAPE = re.compile(r"_(?=x[0-9A-Fa-f]{4}_)")  # a lookahead: escapes may overlap


def set_text(cell: Cell, value: Any) -> None:
    """Write a value that is never read as a formula (OWASP CSV/formula injection) and whose
    text Excel shows as written."""
    if isinstance(value, str):
        value = EXCEL_ESCAPE.sub("_x005F_", value)
    cell.value = value
    if isinstance(value, str) and cell.data_type == "f":
        cell.data_type = "s"


def _required_text(column: Column) -> str:
    if column.field == "package":
        return "Ved handlingsforslag"
    return "Ja" if column.required else "Nej"


def _prompt(column: Column) -> DataValidation:
    return DataValidation(showInputMessage=True, promptTitle=column.header[:32],
                          prompt=column.help[:255], allow_blank=True)


def _write_lists(workbook: openpyxl.Workbook, config: Config) -> dict[str, str]:
    """The hidden sheet of closed lists; returns list name -> range formula."""
    sheet = workbook.create_sheet(LISTS_SHEET)
    sheet.sheet_state = "hidden"
    ranges: dict[str, str] = {}
    names = sorted({c.choices for c in (*PROPOSAL_COLUMNS, *GROUP_COLUMNS) if c.choices})
    for index, name in enumerate(names, start=1):
        letter = get_column_letter(index)
        values = getattr(config, name)
        set_text(sheet.cell(row=1, column=index), name)
        for row, value in enumerate(values, start=2):
            set_text(sheet.cell(row=row, column=index), value)
        ranges[name] = f"{quote_sheetname(LISTS_SHEET)}!${letter}$2:${letter}${len(values) + 1}"
    return ranges


def _dropdown(column: Column, formula: str) -> DataValidation:
    return DataValidation(type="list", formula1=formula, allow_blank=True,
                          showInputMessage=True, promptTitle=column.header[:32],
                          prompt=column.help[:255], showErrorMessage=True, errorStyle="warning",
                          errorTitle="Ikke på listen",
                          error=f"Vælg en værdi fra listen under '{column.header}'.")


def _guide(sheet: Worksheet, config: Config) -> None:
    lines = [
        ("Indsatsforslag – vejledning", Font(bold=True, size=16)),
        (f"{config.municipality}: skema til arbejdsgruppernes forslag til indsatser.", None),
        ("", None),
        ("Sådan udfylder I skemaet", Font(bold=True, size=12)),
        ("1. Udfyld arket 'Arbejdsgruppe': gruppens navn, fokusområde, tovholder og udvalg.", None),
        ("2. Skriv ét forslag pr. række i arket 'Forslag' – typisk 3-8 forslag.", None),
        ("3. Brug rullelisterne, hvor der er en pil. Hold musen over en overskrift for hjælp.", None),
        ("4. Ny linje i en celle: tryk Alt+Enter. Skriv én målindikator pr. linje.", None),
        ("5. Beløb skrives i kroner, fx 50.000 eller 1,5 mio. Skriv 0, hvis der ingen udgift er.", None),
        ("6. Datoer og måneder skrives fx »marts 2026«, »2026-03« eller »1.3.2026«.", None),
        ("7. Resuméet skal være ca. en halv side (højst 1.800 tegn); hele forslaget højst 3-5 sider.", None),
        ("8. Prioritet, Projektejer og Status udfyldes af chefgruppen.", None),
        ("", None),
        ("Kolonnerne i arket 'Forslag'", Font(bold=True, size=12)),
    ]
    for row, (text, font) in enumerate(lines, start=1):
        cell = sheet.cell(row=row, column=1)
        set_text(cell, text)
        if font:
            cell.font = font
    start = len(lines) + 1
    for col, title in enumerate(("Kolonne", "Skal udfyldes", "Hjælp", "Eksempel"), start=1):
        cell = sheet.cell(row=start, column=col)
        set_text(cell, title)
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
    for row, column in enumerate(PROPOSAL_COLUMNS, start=start + 1):
        for col, value in enumerate((column.header, _required_text(column), column.help,
                                     column.example), start=1):
            cell = sheet.cell(row=row, column=col)
            set_text(cell, value)
            cell.alignment = WRAP
    for letter, width in zip("ABCD", (30, 16, 70, 34)):
        sheet.column_dimensions[letter].width = width


def blank_workbook(config: Config = DEFAULT_CONFIG) -> openpyxl.Workbook:
    """The blank intake workbook, built from the model and the configured lists."""
    workbook = openpyxl.Workbook()
    guide = workbook.active
    guide.title = GUIDE_SHEET
    _guide(guide, config)
    group = workbook.create_sheet(GROUP_SHEET)
    proposals = workbook.create_sheet(PROPOSAL_SHEET)
    ranges = _write_lists(workbook, config)

    group.column_dimensions["A"].width = 20
    group.column_dimensions["B"].width = 50
    for row, column in enumerate(GROUP_COLUMNS, start=1):
        label = group.cell(row=row, column=1)
        set_text(label, column.header)
        label.font = Font(bold=True)
        value = group.cell(row=row, column=2)
        if column.kind == "date":
            value.number_format = NUMBER_FORMATS["date"]
        validation = _dropdown(column, ranges[column.choices]) if column.choices else _prompt(column)
        group.add_data_validation(validation)
        validation.add(value.coordinate)

    last = DATA_ROWS + 1
    for index, column in enumerate(PROPOSAL_COLUMNS, start=1):
        letter = get_column_letter(index)
        header = proposals.cell(row=1, column=index)
        set_text(header, column.header)
        header.font, header.fill = HEADER_FONT, HEADER_FILL
        header.alignment = Alignment(wrap_text=True, vertical="center")
        header_prompt = _prompt(column)
        proposals.add_data_validation(header_prompt)
        header_prompt.add(header.coordinate)
        data = _dropdown(column, ranges[column.choices]) if column.choices else _prompt(column)
        proposals.add_data_validation(data)
        data.add(f"{letter}2:{letter}{last}")
        proposals.column_dimensions[letter].width = column.width
        number_format = NUMBER_FORMATS.get(column.kind)
        for row in range(2, last + 1):
            cell = proposals.cell(row=row, column=index)
            cell.alignment = WRAP
            if number_format:
                cell.number_format = number_format
    proposals.row_dimensions[1].height = 45
    proposals.freeze_panes = "C2"
    workbook.active = workbook.index(proposals)
    return workbook


def write_blank(target: Path, config: Config = DEFAULT_CONFIG) -> Path:
    """Write the blank intake workbook to target (atomically)."""
    workbook = blank_workbook(config)
    return atomic_write(target, lambda tmp: workbook.save(tmp))


def _unique_title(workbook: openpyxl.Workbook, title: str) -> str:
    existing = {ws.title.casefold() for ws in workbook.worksheets}
    candidate, n = title, 2
    while candidate.casefold() in existing:
        candidate, n = f"{title} {n}", n + 1
    return candidate


def annotate(source: Path, findings: list[Finding], report: Report, target: Path) -> Path:
    """Copy `source` to `target` with bad cells filled red/yellow, explained in comments,
    and a sheet "Fejl" listing every finding with a link to its cell. Source is only read."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        workbook = openpyxl.load_workbook(source)
    by_cell: dict[tuple[str, str], list[Finding]] = defaultdict(list)
    for finding in findings:
        if finding.location.sheet and finding.location.cell:
            by_cell[(finding.location.sheet, finding.location.cell)].append(finding)
    for (sheet_name, ref), cell_findings in by_cell.items():
        if sheet_name not in workbook.sheetnames:
            continue
        sheet = workbook[sheet_name]
        note = ""
        if isinstance(sheet[ref], MergedCell):
            # A merged cell cannot hold a comment: split the range in the copy, so that the
            # empty cell the finding is about can be marked (the value stays top-left).
            merged = next(r for r in sheet.merged_cells.ranges if ref in r)
            sheet.unmerge_cells(str(merged))
            note = f"\n\n(Den flettede celle {merged.coord} er delt op i denne kopi.)"
        cell = sheet[ref]
        is_error = any(f.severity is Severity.ERROR for f in cell_findings)
        cell.fill = ERROR_FILL if is_error else WARNING_FILL
        text = "\n\n".join(f"{f.severity.capitalize()}: {f.message}" for f in cell_findings)
        text += note
        comment = Comment(text, "sagsgenerator")
        comment.width, comment.height = 320, min(60 + 15 * len(text) // 40, 400)
        cell.comment = comment

    sheet = workbook.create_sheet(_unique_title(workbook, "Fejl"), 0)
    set_text(sheet["A1"], f"Fund i {report.files[0] if report.files else source.name}")
    sheet["A1"].font = Font(bold=True, size=14)
    set_text(sheet["A2"], report.summary())
    titles = ("Alvor", "Ark", "Celle", "Kolonne", "Hvad er galt, og hvad skal der stå")
    for col, title in enumerate(titles, start=1):
        cell = sheet.cell(row=4, column=col)
        set_text(cell, title)
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
    for row, finding in enumerate(findings, start=5):
        location = finding.location
        values = (finding.severity.capitalize(), location.sheet or "", location.cell or "",
                  finding.params.get("header", ""), finding.message)
        for col, value in enumerate(values, start=1):
            cell = sheet.cell(row=row, column=col)
            set_text(cell, value)
            cell.alignment = WRAP
        sheet.cell(row=row, column=1).fill = (
            ERROR_FILL if finding.severity is Severity.ERROR else WARNING_FILL)
        if location.sheet in workbook.sheetnames and location.cell:
            link = sheet.cell(row=row, column=3)
            link.hyperlink = f"#{quote_sheetname(location.sheet)}!{location.cell}"
            link.font = Font(color="0563C1", underline="single")
    for letter, width in zip("ABCDE", (10, 16, 8, 28, 90)):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A5"
    workbook.active = 0
    for ws in workbook.worksheets:
        ws.sheet_view.tabSelected = ws is sheet
    return atomic_write(target, lambda tmp: workbook.save(tmp))
