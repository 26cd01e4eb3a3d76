"""Workbooks we make with openpyxl: the blank intake workbook, and the annotated copy of a
filled-in one when marking.py cannot edit its XML (a copy sent back with the tool's old
marks, a sheet that already has comments).

`workbook_bytes` writes an openpyxl workbook as xlsx.pack packs every workbook we write:
shared strings, the run's date, fixed zip times (reruns give the same bytes).
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import warnings
import zipfile
from collections import defaultdict
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.cell.cell import Cell, MergedCell
from openpyxl.comments import Comment
from openpyxl.packaging.custom import StringProperty
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.styles.fills import Fill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter
from openpyxl.xml.functions import fromstring, tostring

from ..config import DEFAULT_CONFIG, Config
from ..model import (GROUP_COLUMNS, GROUP_SHEET, GUIDE_SHEET, LISTS_SHEET, PROPOSAL_COLUMNS,
                     PROPOSAL_SHEET, Column)
from ..output import write_bytes
from ..findings import Finding, Report, Severity
from .xlsx import (ERROR_RGB, MARK_AUTHOR, MARK_PROPERTY, MARK_VERSION, ORIGINALS_PROPERTY,
                   WARNING_RGB, comment_text, original_stem, pack, run_time, shared_strings)

# Dropdowns and input messages cover rows 2 to 1000 by range (no cell objects); the
# formats are the columns' own, so Excel gives them to every cell typed in the column.
LAST_DATA_ROW = 1000
# The hidden Lister sheet: a Danish header over each configured list.
LIST_TITLES = {"centres": "Centre", "committees": "Udvalg", "focus_areas": "Fokusområder",
               "financing_types": "Finansiering", "prevention_packages": "Forebyggelsespakker",
               "proposal_kinds": "Forslagstyper", "statuses": "Status", "theme_names": "Temaer"}
HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
HEADER_FONT = Font(bold=True, color="FFFFFF")
ERROR_FILL = PatternFill("solid", fgColor=ERROR_RGB)
WARNING_FILL = PatternFill("solid", fgColor=WARNING_RGB)
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
    if isinstance(value, str) and value[:1] in FORMULA_STARTS:
        cell.quotePrefix = True  # Excel keeps it text even when the cell is edited


FORMULA_STARTS = ("=", "+", "-", "@")


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
        set_text(sheet.cell(row=1, column=index), LIST_TITLES.get(name, name))
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


GUIDE_WIDTHS = (26, 20, 62, 30)  # A-D: one page wide on A4 landscape, no word split


def _lines_needed(text: str, width: float) -> int:
    """How many lines a wrapped text takes in a column `width` characters wide."""
    lines = 0
    for paragraph in str(text).split("\n"):
        line, count = 0, 1
        for word in paragraph.split():
            if line and line + 1 + len(word) > width:
                count, line = count + 1, len(word)
            else:
                line += len(word) + (1 if line else 0)
        lines += count
    return max(lines, 1)


def _guide(sheet: Worksheet, config: Config) -> None:
    lines = [
        ("Indsatsforslag – vejledning", Font(bold=True, size=16)),
        (f"{config.municipality}: skema til arbejdsgruppernes forslag til indsatser.", None),
        ("", None),
        ("Sådan udfylder I skemaet", Font(bold=True, size=12)),
        ("1. Udfyld arket 'Arbejdsgruppe': gruppens navn, fokusområde, tovholder og udvalg.", None),
        ("2. Skriv ét forslag pr. række i arket 'Forslag' – typisk 3-8 forslag.", None),
        ("3. Klik på en celle for at se hjælpen til kolonnen. Hvor der kommer en pil frem, "
         "vælger I fra rullelisten.", None),
        ("4. Ny linje i en celle: tryk Alt+Enter. Skriv én målindikator pr. linje.", None),
        ("5. Beløb skrives i kroner, fx 50.000 eller 1,5 mio. Skriv 0, hvis der ingen udgift er.", None),
        ("6. Datoer og måneder skrives fx »marts 2026«, »2026-03« eller »1.3.2026«.", None),
        ("7. Resuméet skal være ca. en halv side (højst 1.800 tegn); hele forslaget højst 3-5 sider.", None),
        ("8. Prioritet, Projektejer og Status udfyldes af chefgruppen.", None),
        ("", None),
        ("Kolonnerne i arket 'Forslag'", Font(bold=True, size=12)),
    ]
    total = sum(GUIDE_WIDTHS)
    for row, (text, font) in enumerate(lines, start=1):
        cell = sheet.cell(row=row, column=1)
        set_text(cell, text)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        if font:
            cell.font = font
        if text:  # across the four columns, so the text wraps inside the page
            sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=4)
            size = font.sz if font and font.sz else 11
            sheet.row_dimensions[row].height = _lines_needed(text, total * 11 / size) * size * 1.4
    start = len(lines) + 1
    for col, title in enumerate(("Kolonne", "Skal udfyldes", "Hjælp", "Eksempel"), start=1):
        cell = sheet.cell(row=start, column=col)
        set_text(cell, title)
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
        cell.alignment = WRAP
    for row, column in enumerate(PROPOSAL_COLUMNS, start=start + 1):
        texts = (column.header, _required_text(column), column.help, column.example)
        for col, value in enumerate(texts, start=1):
            cell = sheet.cell(row=row, column=col)
            set_text(cell, value)
            cell.alignment = WRAP
        needed = max(_lines_needed(t or "", w) for t, w in zip(texts, GUIDE_WIDTHS))
        sheet.row_dimensions[row].height = needed * 15.5
    for letter, width in zip("ABCD", GUIDE_WIDTHS):
        sheet.column_dimensions[letter].width = width
    # One page wide, as many pages down as it takes; the table's header on every page.
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = f"{start}:{start}"
    sheet.print_area = f"A1:D{start + len(PROPOSAL_COLUMNS)}"


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
        data.add(f"{letter}2:{letter}{LAST_DATA_ROW}")
        dimension = proposals.column_dimensions[letter]
        dimension.width = column.width
        dimension.alignment = WRAP
        if number_format := NUMBER_FORMATS.get(column.kind):
            dimension.number_format = number_format
    proposals.row_dimensions[1].height = 45
    proposals.freeze_panes = "C2"
    workbook.active = workbook.index(proposals)
    return workbook


def write_blank(target: Path, config: Config = DEFAULT_CONFIG,
                today: dt.date | None = None) -> Path:
    """Write the blank intake workbook to target (atomically)."""
    return write_bytes(target, workbook_bytes(blank_workbook(config), today))


# --- packaging: shared strings, the run's date, fixed zip times -------------------------------

def workbook_bytes(workbook: openpyxl.Workbook, today: dt.date | dt.datetime | None = None,
                   created: dt.datetime | None = None) -> bytes:
    """The .xlsx package of `workbook`, built in memory (a full disk cannot leave a
    half-closed zip behind): shared strings, `today` as modified date (and as created date
    unless `created` is given: openpyxl dates a new workbook by the computer's clock),
    entries in a fixed order with fixed times."""
    stamp = run_time(today)
    workbook.properties.modified = stamp
    workbook.properties.created = created or stamp
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(workbook, archive).save()
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as archive:
        names = archive.namelist()
        parts = {name: archive.read(name) for name in names}
    shared_strings(parts)
    made = created or workbook.properties.created
    return pack(parts, names, stamp, made)


# --- the annotated copy -------------------------------------------------------------------------

def _unique_title(workbook: openpyxl.Workbook, title: str) -> str:
    existing = {ws.title.casefold() for ws in workbook.worksheets}
    candidate, n = title, 2
    while candidate.casefold() in existing:
        candidate, n = f"{title} {n}", n + 1
    return candidate


def _property(workbook: openpyxl.Workbook, name: str) -> Any:
    try:
        return json.loads(workbook.custom_doc_props[name].value)
    except (KeyError, AttributeError, TypeError, ValueError):
        return None


def _mark_of(workbook: openpyxl.Workbook) -> dict | None:
    """The tool's record in an annotated copy, or None."""
    mark = _property(workbook, MARK_PROPERTY)
    return mark if isinstance(mark, dict) and mark.get("version") == MARK_VERSION else None


def _fill_xml(fill: Any) -> str | None:
    """A cell's fill as XML, None when it has none (cell.fill is a StyleProxy)."""
    if fill is None or getattr(fill, "fill_type", None) is None and \
            not hasattr(fill, "stop"):  # a gradient fill has stops, no fill_type
        return None
    return tostring(fill.to_tree()).decode()


def _same_fill(a: Any, b: PatternFill) -> bool:
    return getattr(a, "fill_type", None) == b.fill_type \
        and getattr(getattr(a, "fgColor", None), "rgb", None) == b.fgColor.rgb


def strip_marks(workbook: openpyxl.Workbook) -> dict | None:
    """Undo what an earlier annotate did to `workbook` (a marked copy sent back): every cell
    with the tool's comment gets its earlier fill and comment back (a fill the group
    changed since is kept), the summary sheet goes, and the record is removed. Returns the
    record (None: not an annotated copy)."""
    mark = _mark_of(workbook)
    if mark is None:
        return None
    originals = _property(workbook, ORIGINALS_PROPERTY)
    originals = originals if isinstance(originals, dict) else {}
    summary = mark.get("sheet")
    for sheet in workbook.worksheets:
        if sheet.title == summary:
            continue
        for cell in list(sheet._cells.values()):
            comment = cell.comment
            key = f"{sheet.title}!{cell.coordinate}"
            if (comment is None or comment.author != MARK_AUTHOR) and key not in originals:
                continue
            before = originals.get(key) or {}
            if _same_fill(cell.fill, ERROR_FILL) or _same_fill(cell.fill, WARNING_FILL):
                fill = before.get("fill")
                cell.fill = Fill.from_tree(fromstring(fill)) if fill else PatternFill()
            if comment is not None and comment.author == MARK_AUTHOR:
                old = before.get("comment")
                cell.comment = Comment(old["text"], old.get("author") or "") if old else None
    if isinstance(summary, str) and summary in workbook.sheetnames:
        del workbook[summary]
    for name in (MARK_PROPERTY, ORIGINALS_PROPERTY):
        if name in workbook.custom_doc_props.names:
            del workbook.custom_doc_props[name]
    return mark


def annotate_with_openpyxl(source: Path, findings: list[Finding], report: Report,
                           target: Path, today: dt.date | dt.datetime | None, record: dict,
                           title: str) -> Path:
    """The annotated copy (xlsx.annotate) through openpyxl, for what marking.py does not
    handle, such as a copy sent back with the tool's old marks or a sheet that already has
    comments. `record` is the mark record, completed here."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        workbook = openpyxl.load_workbook(source)
    previous = strip_marks(workbook)
    stem = previous["stem"] if previous and isinstance(previous.get("stem"), str) \
        else original_stem(source)
    by_cell: dict[tuple[str, str], list[Finding]] = defaultdict(list)
    for finding in findings:
        if finding.location.sheet and finding.location.cell:
            by_cell[(finding.location.sheet, finding.location.cell)].append(finding)
    originals: dict[str, dict] = {}
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
        old_comment, old_fill = cell.comment, _fill_xml(cell.fill)
        if old_comment is not None or old_fill is not None:  # to give back when it returns
            originals[f"{sheet_name}!{ref}"] = {
                "fill": old_fill,
                "comment": {"text": old_comment.text, "author": old_comment.author}
                if old_comment is not None else None}
        is_error = any(f.severity is Severity.ERROR for f in cell_findings)
        cell.fill = ERROR_FILL if is_error else WARNING_FILL
        text = comment_text(cell_findings) + note
        if old_comment is not None:  # the group's own comment stays readable in the copy
            text += f"\n\n— Kommentar i jeres fil ({old_comment.author or 'ukendt'}):\n" \
                    f"{old_comment.text}"
        comment = Comment(text, MARK_AUTHOR)
        comment.width, comment.height = 320, min(60 + 15 * len(text) // 40, 400)
        cell.comment = comment

    sheet = workbook.create_sheet(_unique_title(workbook, "Fejl"), 0)
    set_text(sheet["A1"], title)
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
            where = "'" + location.sheet.replace("'", "''") + f"'!{location.cell}"
            link.hyperlink = Hyperlink(ref=link.coordinate, location=where,
                                       display=location.cell)  # inside the file: no relation
            link.font = Font(color="0563C1", underline="single")
    for letter, width in zip("ABCDE", (10, 16, 8, 28, 90)):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A5"
    workbook.active = 0
    for ws in workbook.worksheets:
        ws.sheet_view.tabSelected = ws is sheet
    record.update(stem=stem, sheet=sheet.title)
    workbook.custom_doc_props.append(StringProperty(
        name=MARK_PROPERTY, value=json.dumps(record, ensure_ascii=False)))
    if originals:
        workbook.custom_doc_props.append(StringProperty(
            name=ORIGINALS_PROPERTY, value=json.dumps(originals, ensure_ascii=False)))
    return write_bytes(target, workbook_bytes(workbook, today,
                                              created=workbook.properties.created))
