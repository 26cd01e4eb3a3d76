"""The reader's tolerance: header variants, lower header rows, line breaks, blanks, hidden
rows and merged cells, with the real cell references in every message."""

from __future__ import annotations

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
