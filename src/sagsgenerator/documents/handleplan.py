"""Handleplan: the prioritised scheme (landscape Word table, chart) and a steering workbook."""

from __future__ import annotations

import io
import re
import zipfile
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from ..config import Config
from ..intake.workbook import set_text
from ..render.chart import resources_chart
from ..render.context import Item, group_by, priority_order, proposal_fields, totals
from ..render.engine import FIXED_TIME, Image, Properties, fixed_zip
from .base import Planned, author

TITLE = "Handleplan"
WORKBOOK_NAME = "handleplan.xlsx"


def areas(items: list[Item]) -> list[tuple[str, list[Item]]]:
    """Focus areas in batch order, each sorted by priority (unprioritised last, by number)."""
    return [(area, sorted(group, key=priority_order))
            for area, group in group_by(items, lambda i: i.focus_area)]


def context(items: list[Item], config: Config) -> dict:
    grouped = areas(items)
    chart = resources_chart(
        [area for area, _ in grouped],
        [sum((i.proposal.cost_start for i in g), Decimal(0)) for _, g in grouped],
        [sum((i.proposal.cost_yearly for i in g), Decimal(0)) for _, g in grouped])
    total = totals(items)
    descr = ("Søjlediagram over ressourcer pr. fokusområde. "
             + " ".join(f"{area}: opstart {totals(g)['cost_start']}, drift "
                        f"{totals(g)['cost_yearly']} pr. år." for area, g in grouped))
    return {
        "header_text": f"{config.municipality} · {TITLE}",
        "title": TITLE,
        "intro": ("Skemaet samler de prioriterede indsatser pr. fokusområde med formål, ansvar, "
                  "opstart, finansiering og ressourcer. Det bruges som styrings- og "
                  "opfølgningsdokument i sundhedspolitikperioden. Indsatserne står i prioriteret "
                  "rækkefølge; forslag uden prioritet står sidst."),
        "areas": [{"name": area, "proposals": [proposal_fields(i) for i in g], "total": totals(g)}
                  for area, g in grouped],
        "total": total,
        "chart": Image(png=chart, width_mm=200, descr=descr),
        "chart_caption": (f"Ressourcer pr. fokusområde. I alt {total['cost_start']} i opstart "
                          f"og {total['cost_yearly']} pr. år i drift."),
    }


def plan(items: list[Item], config: Config) -> list[Planned]:
    return [Planned(name="handleplan.docx", template="handleplan",
                    properties=Properties(title=TITLE, subject="Prioriteret handleplan",
                                          author=author(config),
                                          keywords="handleplan; indsatsforslag"),
                    context=context(items, config))]


# --- the steering workbook --------------------------------------------------------------------

AMOUNT_FORMAT = '#,##0 "kr."'
COLUMNS = [  # header, width
    ("Fokusområde", 22), ("Prioritet", 10), ("Nr.", 6), ("Arbejdsgruppe", 22), ("Indsats", 40),
    ("Formål", 60), ("Ansvarligt center", 24), ("Projektejer", 26), ("Opstart", 14),
    ("Opfølgning", 22), ("Finansiering", 24), ("Ressourcer opstart (kr.)", 16),
    ("Ressourcer drift pr. år (kr.)", 16), ("Status", 14),
]


def workbook_bytes(items: list[Item], config: Config) -> bytes:
    """The action plan as an Excel workbook, with a Status dropdown; reproducible bytes."""
    book = Workbook()
    sheet = book.active
    sheet.title = TITLE
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DCE3EC")
    for column, (header, width) in enumerate(COLUMNS, start=1):
        cell = sheet.cell(row=1, column=column, value=header)
        cell.font, cell.fill = bold, fill
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.column_dimensions[get_column_letter(column)].width = width
    row = 1
    for area, group in areas(items):
        for item in group:
            p = item.proposal
            row += 1
            values = [area, p.priority, p.number, item.group, p.title, p.purpose, p.centre,
                      p.owner, p.start.danish if p.start else None,
                      p.follow_up.text if p.follow_up else None, p.financing,
                      p.cost_start, p.cost_yearly, p.status]
            for column, value in enumerate(values, start=1):
                cell = sheet.cell(row=row, column=column)
                set_text(cell, value)  # user text is never a formula
                cell.alignment = Alignment(wrap_text=True, vertical="top")
            for column in (12, 13):
                sheet.cell(row=row, column=column).number_format = AMOUNT_FORMAT
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
    status.add(f"N2:N{max(last, 2)}")
    sheet.add_data_validation(status)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(COLUMNS))}{max(last, 1)}"
    sheet.print_options.gridLines = False
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = "1:1"

    book.properties.title = TITLE
    book.properties.subject = "Prioriteret handleplan til styring og opfølgning"
    book.properties.creator = author(config)
    book.properties.language = "da-DK"
    book.properties.created = FIXED_TIME
    buffer = io.BytesIO()
    book.save(buffer)
    return fixed_zip(_fixed_modified(buffer.getvalue()))


def _fixed_modified(data: bytes) -> bytes:
    """openpyxl stamps 'modified' with the current time when saving; put the fixed one back."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)",
                                 rb"\g<1>" + FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
                                 + rb"\g<2>", content)
            target.writestr(info, content)
    return out.getvalue()


