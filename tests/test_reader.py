"""The reader's tolerance: header variants, lower header rows, line breaks, blanks, hidden
rows and merged cells, with the real cell references in every message."""

from __future__ import annotations

import re

import openpyxl
import pytest

from sagsgenerator.intake.reader import header_key, read_intake
from sagsgenerator.validation.validate import validate_file

from conftest import GROUP, proposal

HEADERS = list(proposal(1))


def handmade(path, headers=HEADERS, rows=None, offset=0, sheet_title="Forslag", group=True):
    """A workbook made by hand (not by `skabelon`): no lists, no styles."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = sheet_title
    if offset:
        sheet.cell(row=1, column=1, value="Forslag fra arbejdsgruppen")
    for col, header in enumerate(headers, start=1):
        sheet.cell(row=1 + offset, column=col, value=header)
    for r, row in enumerate(rows if rows is not None else [proposal(n) for n in (1, 2, 3)],
                            start=2 + offset):
        for col, header in enumerate(HEADERS, start=1):
            sheet.cell(row=r, column=col, value=row[header])
    if group:
        info = workbook.create_sheet(" arbejdsgruppe ")
        for r, (label, value) in enumerate(GROUP.items(), start=1):
            info.cell(row=r, column=1, value=label)
            info.cell(row=r, column=2, value=value)
    workbook.save(path)
    return path


@pytest.mark.parametrize("variant, header", [
    ("nr", "Nr."), ("NR.", "Nr."), ("  Titel  ", "Titel"), ("målgruppe", "Målgruppe"),
    ("Ressourcer opstart", "Ressourcer opstart (kr.)"), ("Resumé", "Resumé (ca. ½ side)"),
    ("RESSOURCER DRIFT PR ÅR (KR)", "Ressourcer drift pr. år (kr.)"),
    ("Indhold  og\nrammer", "Indhold og rammer"),
])
def test_header_variants_match(variant, header):
    assert header_key(variant) == header_key(header)


def test_handmade_workbook_with_header_variants_is_read(tmp_path):
    headers = [h.upper().rstrip(".") if i % 2 else f" {h} " for i, h in enumerate(HEADERS)]
    intake = validate_file(handmade(tmp_path / "x.xlsx", headers=headers))
    assert intake.report.findings == []
    assert len(intake.proposals) == 3


def test_unknown_header_gets_suggestion(tmp_path):
    headers = [h if h != "Målgruppe" else "Målgrupe" for h in HEADERS]
    path = handmade(tmp_path / "x.xlsx", headers=headers)
    with pytest.raises(Exception) as info:  # Målgruppe is required: the file is unusable
        validate_file(path)
    assert "Målgruppe" in str(info.value)
    headers = HEADERS + ["Bemærkninger til chefgruppen"]
    headers[12] = "Udførende og samarbejdspartnerne"
    intake = validate_file(handmade(tmp_path / "y.xlsx", headers=headers))
    findings = [(f.code, f.location.cell, f.severity) for f in intake.report.findings]
    assert findings == [("header-unknown", "M1", "advarsel"), ("header-unknown", "Y1", "advarsel")]
    assert "Mente du 'Udførende og samarbejdspartnere'?" in intake.report.findings[0].message


def test_headers_lower_than_row_one_keep_real_cells(tmp_path):
    rows = [proposal(1, **{"Ressourcer opstart (kr.)": "1.5"}), proposal(2), proposal(3)]
    intake = validate_file(handmade(tmp_path / "x.xlsx", rows=rows, offset=2))
    assert [(f.code, f.location.cell) for f in intake.report.findings] == [
        ("amount-ambiguous", "R4")]
    assert [p.source.row for p in intake.proposals] == [5, 6]


def test_line_breaks_blanks_and_empty_rows(tmp_path):
    path = tmp_path / "x.xlsx"
    handmade(path, rows=[proposal(1, **{"Målindikatorer": "  Første\r\nAnden\n\n Tredje  ",
                                        "Titel": "  Røgfri skoletid  ",
                                        "Indhold og rammer": "Linje 1\nLinje 2"}),
                         proposal(2), proposal(3)])
    workbook = openpyxl.load_workbook(path)
    sheet = workbook["Forslag"]
    sheet.insert_rows(3, 2)          # two empty rows in the middle
    sheet.cell(row=40, column=2, value="   ")  # stray blanks after the data
    workbook.save(path)
    intake = validate_file(path)
    assert intake.report.findings == []
    first = intake.proposals[0]
    assert first.indicators == ["Første", "Anden", "Tredje"]
    assert first.title == "Røgfri skoletid"
    assert first.content == "Linje 1\nLinje 2"
    assert [p.source.row for p in intake.proposals] == [2, 5, 6]
    assert intake.report.rows_read == 3


def test_hidden_row_is_read_and_said(tmp_path):
    path = handmade(tmp_path / "x.xlsx", rows=[proposal(1), proposal(2, Titel=None), proposal(3)])
    workbook = openpyxl.load_workbook(path)
    workbook["Forslag"].row_dimensions[3].hidden = True
    workbook.save(path)
    intake = validate_file(path)
    (finding,) = intake.report.findings
    assert finding.location.cell == "B3" and finding.location.hidden_row
    assert str(finding.location).endswith("Forslag!B3 (skjult række)")


def test_merged_cell_is_not_guessed_into_rows_it_covers(tmp_path):
    path = handmade(tmp_path / "x.xlsx")
    workbook = openpyxl.load_workbook(path)
    workbook["Forslag"].merge_cells("L2:L3")   # Ansvarligt center over two proposals
    workbook.save(path)
    intake = validate_file(path)
    (finding,) = intake.report.findings
    assert (finding.code, finding.location.cell) == ("required-missing", "L3")
    assert "flettede celle L2:L3" in finding.message
    assert [p.number for p in intake.proposals] == [1, 3]


def test_sheet_names_ignore_case_and_blanks(tmp_path):
    intake = validate_file(handmade(tmp_path / "x.xlsx", sheet_title=" FORSLAG "))
    assert intake.group is not None and intake.group.name == "Børn og unge"


def test_missing_group_sheet_is_an_error_but_rows_are_read(tmp_path):
    intake = validate_file(handmade(tmp_path / "x.xlsx", group=False))
    assert [f.code for f in intake.report.findings] == ["group-sheet-missing"]
    assert len(intake.proposals) == 3 and intake.report.exit_code == 1


def test_values_keep_their_cells(tmp_path):
    raw = read_intake(handmade(tmp_path / "x.xlsx", offset=1))
    assert raw.rows[0].cells["title"] == "B3"
    assert raw.rows[2].cells["status"] == "X5"


def test_formula_with_and_without_saved_result(tmp_path):
    path = handmade(tmp_path / "x.xlsx")
    workbook = openpyxl.load_workbook(path)
    sheet = workbook["Forslag"]
    sheet["R2"] = "=1000*50"       # openpyxl saves no result: as if never calculated
    sheet["S3"] = "=SUM(R2:R3)"
    workbook.save(path)
    intake = validate_file(path)
    assert [(f.code, f.location.cell) for f in intake.report.findings] == [
        ("formula-no-value", "R2"), ("formula-no-value", "S3")]
    assert "=1000*50" in intake.report.findings[0].message
    # The same formula with a result saved by Excel: the result is used.
    import re, zipfile
    with zipfile.ZipFile(path) as archive:
        parts = {n: archive.read(n) for n in archive.namelist()}
    name = next(n for n in parts if n.startswith("xl/worksheets/") and b"1000*50" in parts[n])
    parts[name] = re.sub(rb"<f>1000\*50</f>(<v\s*/>|<v></v>)?", b"<f>1000*50</f><v>50000</v>",
                         parts[name])
    parts[name] = re.sub(rb"<f>SUM\(R2:R3\)</f>(<v\s*/>|<v></v>)?",
                         b"<f>SUM(R2:R3)</f><v>300000</v>", parts[name])
    with zipfile.ZipFile(path, "w") as archive:
        for n, data in parts.items():
            archive.writestr(n, data)
    intake = validate_file(path)
    assert intake.report.findings == []
    assert intake.proposals[0].cost_start == 50000


# --- the streaming reader reads every value as openpyxl does (issue 16) ------------------------

import datetime as dt
import sys
import zipfile
from pathlib import Path

from openpyxl.utils.datetime import CALENDAR_MAC_1904

from sagsgenerator.intake import reader
from sagsgenerator.intake.formula import Formula

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))
from make_corpus import excel_strings  # noqa: E402

VALUES = [1, -5, 2.5, 1e20, 0, "tekst", "  blanke  ", "linje 1\nlinje 2", "Kode _x000B_ her",
          "_x005F_x0041_", True, False, dt.datetime(2026, 3, 1), dt.datetime(2026, 3, 1, 14, 30),
          dt.time(9, 15), dt.date(2018, 10, 1), "=ikke en formel", 12345678901234]


def _values_workbook(path, epoch=None, shared=True):
    workbook = openpyxl.Workbook()
    if epoch:
        workbook.epoch = epoch
    sheet = workbook.active
    for r, value in enumerate(VALUES, start=1):
        cell = sheet.cell(row=r, column=2, value=value)
        if isinstance(value, str) and cell.data_type == "f":
            cell.data_type = "s"
    sheet.cell(row=1, column=3, value=45000).number_format = "dd-mm-yyyy"   # a serial date
    sheet.cell(row=2, column=3, value=45000.5).number_format = "[h]:mm:ss"  # a duration
    sheet.cell(row=3, column=3, value=45000).number_format = '#,##0 "kr."'  # not a date
    sheet.cell(row=4, column=3, value=0.25).number_format = "hh:mm"
    sheet.row_dimensions[5].hidden = True
    workbook.save(path)
    return excel_strings(path) if shared else path


@pytest.mark.parametrize("epoch, shared", [(None, True), (None, False),
                                            (CALENDAR_MAC_1904, True)])
def test_every_value_as_openpyxl_reads_it(tmp_path, epoch, shared):
    path = _values_workbook(tmp_path / "v.xlsx", epoch, shared)
    expected = {}
    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    for row in book.active.iter_rows():
        for cell in row:
            if cell.value is not None:
                expected[(cell.row, cell.column)] = cell.value
    book.close()
    package = reader.open_package(path, "v.xlsx")
    try:
        (title, part), = package.sheets
        got, hidden = {}, set()
        for row in package.rows(part, lambda: None):
            got.update({(row.number, c): v for c, v in row.values.items()})
            if row.hidden:
                hidden.add(row.number)
    finally:
        package.close()
    assert got == expected
    assert {k: type(v) for k, v in got.items()} == {k: type(v) for k, v in expected.items()}
    assert hidden == {5}


def test_rich_text_runs_and_phonetics(tmp_path):
    path = _values_workbook(tmp_path / "v.xlsx")
    parts = {}
    with zipfile.ZipFile(path) as archive:
        parts = {n: archive.read(n) for n in archive.namelist()}
    parts["xl/sharedStrings.xml"] = parts["xl/sharedStrings.xml"].replace(
        b"<si><t>tekst</t></si>",
        b'<si><r><rPr><b/></rPr><t>fed</t></r><r><t xml:space="preserve"> og tynd</t></r>'
        b"<rPh sb=\"0\" eb=\"1\"><t>FONETISK</t></rPh></si>")
    with zipfile.ZipFile(path, "w") as archive:
        for n, data in parts.items():
            archive.writestr(n, data)
    package = reader.open_package(path, "v.xlsx")
    try:
        values = [row.values.get(2) for row in package.rows(package.sheets[0][1], lambda: None)]
    finally:
        package.close()
    assert values[5] == "fed og tynd"


def test_formula_text_of_a_shared_formula_without_result(tmp_path):
    path = handmade(tmp_path / "x.xlsx")
    with zipfile.ZipFile(path) as archive:
        parts = {n: archive.read(n) for n in archive.namelist()}
    name = next(n for n in parts if n.startswith("xl/worksheets/") and b'<c r="R2"' in parts[n])
    parts[name] = re.sub(rb'<c r="R2"([^>]*)><v>[^<]*</v></c>',
                         rb'<c r="R2"\1><f t="shared" ref="R2:R3" si="0">1000*50</f></c>',
                         parts[name])
    with zipfile.ZipFile(path, "w") as archive:
        for n, data in parts.items():
            archive.writestr(n, data)
    raw = read_intake(path)
    assert raw.rows[0].values["cost_start"] == Formula("=1000*50")


def test_reading_imports_no_openpyxl(tmp_path):
    """Reading is the reader's own streaming pass: openpyxl is not even imported."""
    path = handmade(tmp_path / "x.xlsx")
    script = ("import sys; from pathlib import Path\n"
              "from sagsgenerator.intake.reader import read_intake\n"
              f"raw = read_intake(Path({str(path)!r}))\n"
              "assert len(raw.rows) == 3, raw.rows\n"
              "print('openpyxl' in sys.modules)")
    import subprocess
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          env={**__import__("os").environ,
                               "PYTHONPATH": str(Path(reader.__file__).parents[2])})
    assert done.returncode == 0, done.stderr
    # The package's __init__ may import more; the reader itself needs none of openpyxl.
    import ast
    tree = ast.parse(Path(reader.__file__).read_text(encoding="utf-8"))
    imported = {n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)} | {
        a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    assert not any(m.startswith("openpyxl") for m in imported)


@pytest.mark.parametrize("cut", [1, 2, 3, 5, 7, 64])
def test_row_tag_bound_never_counts_fewer_rows_than_the_exact_count(cut):
    """check_file counts a large sheet's rows exactly only when its row tags are too many:
    the cheap bound must never be below the exact count, however the chunks are cut."""
    xml = (b'<worksheet><sheetData><row r="1"><c r="A1"><v>1</v></c></row><row r="2"/>'
           b'<x:row r="3"><x:c r="A3" t="inlineStr"><x:is><x:t>row</x:t></x:is></x:c></x:row>'
           b'<row r="4"><c r="A4"><f>1+1</f></c></row><row r="5"></row>'
           b"</sheetData><rowBreaks/></worksheet>")
    bound, exact = reader._RowTagBound(), reader._RowCounter()
    for at in range(0, len(xml), cut):
        bound.feed(xml[at:at + cut])
        exact.feed(xml[at:at + cut])
    assert exact.close() == 3
    # Five rows, <rowBreaks and the prefixed row's end tag, each counted once.
    assert bound.tags == 7
