"""Handleplan: the prioritised scheme (landscape Word table, chart) and a steering workbook."""

from __future__ import annotations

from copy import copy
from decimal import Decimal

from ..config import Config
from ..model import KEY_HEADER
from ..register import ProposalKey
from ..render.chart import resources_chart
from ..render.context import (Item, budget, budget_first_year, count_text, date_text,
                              follow_up_text, group_by,
                              join_danish, plan_period, priority_order, proposal_fields, totals)
from ..render.values import Image, Properties
from .base import Planned, author

TITLE = "Handleplan"
WORKBOOK_NAME = "handleplan.xlsx"


def areas(items: list[Item]) -> list[tuple[str, list[Item]]]:
    """Focus areas in batch order, each sorted by priority (unprioritised last, by number)."""
    return [(area, sorted(group, key=priority_order))
            for area, group in group_by(items, lambda i: i.focus_area)]


def context(items: list[Item], config: Config) -> dict:
    today = getattr(items, "today", None)
    grouped = areas(items)
    chart = resources_chart(
        [area for area, _ in grouped],
        [sum((i.proposal.cost_start for i in g), Decimal(0)) for _, g in grouped],
        [sum((i.proposal.cost_yearly for i in g), Decimal(0)) for _, g in grouped])
    total = totals(items)
    descr = ("Søjlediagram over ressourcer pr. fokusområde. "
             + " ".join(f"{area}: opstart {totals(g)['cost_start']}, drift "
                        f"{totals(g)['cost_yearly']} pr. år." for area, g in grouped)
             ).replace("\u00a0", " ")  # alt text is read aloud, not laid out
    period = plan_period(items, config)
    prioritised = sum(1 for i in items if i.prioritised)
    subtitle = f"{config.municipality} · Periode {period}"
    if today:
        subtitle += f" · {date_text(today)}"
    if prioritised == len(items):
        order = "Alle indsatser er prioriteret og står i prioriteret rækkefølge."
    elif prioritised:
        order = (f"{count_text(prioritised, 'indsatser').capitalize()} er prioriteret og står "
                 "først i prioriteret rækkefølge; de øvrige forslag står efter dem.")
    else:
        order = "Ingen af forslagene er prioriteret endnu; de står i nummerorden."
    return {
        "header_text": f"{config.municipality} · {TITLE}",
        "municipality": config.municipality,
        "date": date_text(today) if today else "",
        "period": period,
        "title": TITLE if prioritised else f"{TITLE} – forslag til prioritering",
        "subtitle": subtitle,
        "intro": (f"Handleplanen gælder for perioden {period}. Skemaet samler indsatserne pr. "
                  "fokusområde med formål, ansvar, opstart, finansiering og ressourcer og "
                  "bruges til styring og opfølgning i perioden. " + order),
        "areas": [{"name": area, "intro": _area_intro(g),
                   "proposals": [proposal_fields(i) for i in g], "total": totals(g)}
                  for area, g in grouped],
        "total": total,
        "budget": budget(items, budget_first_year(items, today),
                         financing_order=config.financing_types),
        "chart": Image(png=chart, width_mm=200, descr=descr),
        "chart_caption": (f"Ressourcer pr. fokusområde. I alt {total['cost_start']} i opstart "
                          f"og {total['cost_yearly']} pr. år i drift."),
    }


def _area_intro(items: list[Item]) -> str:
    """Under the focus area's heading: the working groups, each named once, with the prefix
    of its numbers."""
    groups = group_by(items, lambda i: i.group)
    names = [f"{name} ({g[0].prefix})" if g[0].prefix else name for name, g in groups]
    noun = "arbejdsgruppen" if len(names) == 1 else "arbejdsgrupperne"
    return f"Forslag fra {noun} {join_danish(names)}."


def plan(items: list[Item], config: Config) -> list[Planned]:
    prioritised = any(i.prioritised for i in items)
    subject = "Prioriteret handleplan" if prioritised else "Handleplan – forslag til prioritering"
    return [Planned(name="handleplan.docx", template="handleplan",
                    properties=Properties(title=TITLE, subject=subject,
                                          author=author(config),
                                          keywords="handleplan; indsatsforslag"),
                    context=context(items, config))]


def decision_key(item: Item, config: Config) -> str:
    """The key that ties a row of the steering workbook to its proposal in the register
    (policy period, working group, Nr.), for `sagsgenerator beslutninger`."""
    return ProposalKey.of(item.proposal, config.period).text


# --- the steering workbook --------------------------------------------------------------------

AMOUNT_FORMAT = '#,##0 "kr."'
# [$-406]: Danish (LCID 0x0406) month names whatever the reader's Excel language is.
DATE_FORMAT = "[$-406]d. mmmm yyyy"
MONTH_FORMAT = "[$-406]mmmm yyyy"
FONT_NAME, FONT_SIZE = "Calibri", 10
COLUMNS = [  # header, width
    ("Fokusområde", 22), ("Prioritet", 10), ("Nr.", 8), ("Arbejdsgruppe", 22), ("Indsats", 40),
    ("Formål", 60), ("Ansvarligt center", 24), ("Projektejer", 26), ("Opstart", 16),
    ("Opfølgning", 22), ("Finansiering", 24), ("Ressourcer opstart (kr.)", 16),
    ("Ressourcer drift pr. år (kr.)", 16), ("Status", 14), (KEY_HEADER, 24),
]
STATUS_COLUMN = 14
KEY_COLUMN = 15
LINE_HEIGHT_PT = 13.0  # one line of 10 pt Calibri


def _lines(value, width: int) -> int:
    """How many lines a wrapped cell needs: characters per line ~ the column width."""
    if value is None:
        return 1
    text = str(value)
    return sum(max(1, -(-len(line) // max(width - 1, 1))) for line in text.split("\n") or [""])


def _style(sheet, **styles):
    """The style of a cell with `styles`, registered in the workbook, for copying into cells
    (openpyxl's own way of copying a style: `target._style = copy(source._style)`)."""
    from openpyxl.cell import Cell

    cell = Cell(sheet)
    for name, value in styles.items():
        setattr(cell, name, value)
    return cell._style


def workbook_bytes(items: list[Item], config: Config) -> bytes:
    """The action plan as an Excel workbook that prints (A4 landscape, one page wide, header
    row on every page, municipality and page numbers), with a Status dropdown and a hidden,
    protected key column; reproducible bytes."""
    # openpyxl is loaded here, not with the module: the process that plans and renders the
    # Word documents (a small batch's helper) does not need it.
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill, Protection
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    from ..intake.workbook import set_text, workbook_bytes as package_workbook

    book = Workbook()
    sheet = book.active
    sheet.title = TITLE
    font = Font(name=FONT_NAME, size=FONT_SIZE)
    bold = Font(name=FONT_NAME, size=FONT_SIZE, bold=True)
    fill = PatternFill("solid", fgColor="DCE3EC")
    editable = Protection(locked=False)
    top = Alignment(wrap_text=True, vertical="top")
    # Every body cell has one of two styles: made once and copied into each cell (setting
    # font, alignment and protection cell by cell costs openpyxl a style lookup each).
    text_style = _style(sheet, font=font, alignment=top, protection=editable)
    key_style = _style(sheet, font=font, alignment=top)
    for column, (header, width) in enumerate(COLUMNS, start=1):
        cell = sheet.cell(row=1, column=column, value=header)
        cell.font, cell.fill = bold, fill
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.row_dimensions[1].height = 2 * LINE_HEIGHT_PT + 4
    row = 1
    for area, group in areas(items):
        for item in group:
            p = item.proposal
            row += 1
            values = [area, p.priority, item.display_number, item.group, p.title, p.purpose,
                      p.centre, p.owner, None,
                      follow_up_text(p).replace("\u00a0", " ") if p.follow_up else None,
                      p.financing, p.cost_start, p.cost_yearly, p.status, decision_key(item, config)]
            for column, value in enumerate(values, start=1):
                cell = sheet.cell(row=row, column=column)
                set_text(cell, value)  # user text is never a formula
                cell._style = copy(key_style if column == KEY_COLUMN else text_style)
            if p.start is not None:  # a real date, shown the Danish way
                start = sheet.cell(row=row, column=9, value=p.start.first_day)
                start.number_format = DATE_FORMAT if p.start.day else MONTH_FORMAT
            for column in (12, 13):
                sheet.cell(row=row, column=column).number_format = AMOUNT_FORMAT
            lines = max(_lines(v, COLUMNS[c][1]) for c, v in enumerate(values[:KEY_COLUMN - 1]))
            sheet.row_dimensions[row].height = lines * LINE_HEIGHT_PT + 4
    last = row
    row += 1
    sheet.cell(row=row, column=1, value="I alt").font = bold
    for column in (12, 13):
        letter = get_column_letter(column)
        cell = sheet.cell(row=row, column=column, value=f"=SUM({letter}2:{letter}{max(last, 2)})")
        cell.number_format, cell.font = AMOUNT_FORMAT, bold

    statuses = ",".join(config.statuses)
    status = DataValidation(type="list", formula1=f'"{statuses}"', allow_blank=True,
                            showErrorMessage=True, errorTitle="Ugyldig status",
                            error=f"Vælg en status fra listen: {', '.join(config.statuses)}.")
    status_letter = get_column_letter(STATUS_COLUMN)
    status.add(f"{status_letter}2:{status_letter}{max(last, 2)}")
    sheet.add_data_validation(status)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(STATUS_COLUMN)}{max(last, 1)}"
    # The key ties a row to its decision: hidden, and locked by the sheet protection (no
    # password: it guards against mistakes, not people). Every other cell stays editable.
    sheet.column_dimensions[get_column_letter(KEY_COLUMN)].hidden = True
    protection = sheet.protection
    protection.sheet = True
    protection.formatCells = protection.formatRows = False
    protection.sort = protection.autoFilter = False
    protection.insertRows = protection.deleteRows = False
    protection.formatColumns = True  # the key column stays hidden

    sheet.print_options.gridLines = False
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = "1:1"
    sheet.print_area = f"A1:{get_column_letter(STATUS_COLUMN)}{row}"
    sheet.page_margins.left = sheet.page_margins.right = 0.5
    sheet.page_margins.top = sheet.page_margins.bottom = 0.75
    for header_footer in (sheet.oddHeader, sheet.evenHeader):
        header_footer.left.text = config.municipality
        header_footer.right.text = TITLE
    for header_footer in (sheet.oddFooter, sheet.evenFooter):
        header_footer.center.text = "Side &P af &N"

    book.properties.title = TITLE
    book.properties.subject = "Handleplan til styring og opfølgning"
    book.properties.creator = author(config)
    book.properties.language = "da-DK"
    # Shared strings, the run's date as created/modified, fixed zip times: reruns with the
    # same date give the same bytes, and Excel does not rewrite the file on its first save.
    return package_workbook(book, today=getattr(items, "today", None))


