"""The blank workbook (skabelon) and the annotated copy (markeret kopi)."""

from __future__ import annotations

import hashlib

import openpyxl
from openpyxl.utils import get_column_letter

from sagsgenerator.cli import cli
from sagsgenerator.config import DEFAULT_CONFIG
from sagsgenerator.model import GROUP_COLUMNS, PROPOSAL_COLUMNS
from sagsgenerator.validation.validate import validate_file

from conftest import GROUP, proposal


def _fill_by_headers(path):
    """Fill a blank workbook using nothing but the header texts, as another tool would."""
    workbook = openpyxl.load_workbook(path)
    group = workbook["Arbejdsgruppe"]
    for r in range(1, group.max_row + 1):
        label = group.cell(row=r, column=1).value
        if label in GROUP:
            group.cell(row=r, column=2, value=GROUP[label])
    sheet = workbook["Forslag"]
    headers = {cell.value: cell.column for cell in sheet[1]}
    for r, nr in enumerate((1, 2, 3), start=2):
        for header, value in proposal(nr).items():
            sheet.cell(row=r, column=headers[header], value=value)
    workbook.save(path)


def test_skabelon_filled_by_headers_validates_clean(runner, tmp_path):
    target = tmp_path / "skabelon.xlsx"
    result = runner.invoke(cli, ["skabelon", "--ud", str(target)])
    assert result.exit_code == 0, result.output
    blank = openpyxl.load_workbook(target)
    assert blank.sheetnames == ["Vejledning", "Arbejdsgruppe", "Forslag", "Lister"]
    assert blank["Lister"].sheet_state == "hidden"
    assert [c.value for c in blank["Forslag"][1]] == [c.header for c in PROPOSAL_COLUMNS]
    assert blank["Forslag"].freeze_panes == "C2"
    # The blank workbook itself is read as "no proposals", never as an example row.
    assert [f.code for f in validate_file(target).report.findings if f.row] == []
    _fill_by_headers(target)
    intake = validate_file(target)
    assert intake.report.findings == []
    assert len(intake.proposals) == 3


def _list_values(workbook, formula):
    sheet_ref, cells = formula.split("!")
    sheet = workbook[sheet_ref.strip("'")]
    return [row[0].value for row in sheet[cells.replace("$", "")]]


def test_skabelon_has_a_dropdown_on_every_closed_list_column(runner, tmp_path):
    target = tmp_path / "skabelon.xlsx"
    runner.invoke(cli, ["skabelon", "--ud", str(target)])
    workbook = openpyxl.load_workbook(target)
    sheet = workbook["Forslag"]
    lists = {str(dv.sqref): dv for dv in sheet.data_validations.dataValidation
             if dv.type == "list"}
    closed = [c for c in PROPOSAL_COLUMNS if c.choices]
    assert len(closed) == 6
    for index, column in enumerate(PROPOSAL_COLUMNS, start=1):
        if not column.choices:
            continue
        letter = get_column_letter(index)
        dv = lists[f"{letter}2:{letter}1000"]  # by range: no cell objects
        assert _list_values(workbook, dv.formula1) == list(getattr(DEFAULT_CONFIG, column.choices))
    group_lists = [dv for dv in workbook["Arbejdsgruppe"].data_validations.dataValidation
                   if dv.type == "list"]
    assert sorted(str(dv.sqref) for dv in group_lists) == ["B2", "B5"]
    assert len([c for c in GROUP_COLUMNS if c.choices]) == 2


def test_skabelon_has_help_on_every_header(runner, tmp_path):
    target = tmp_path / "skabelon.xlsx"
    runner.invoke(cli, ["skabelon", "--ud", str(target)])
    sheet = openpyxl.load_workbook(target)["Forslag"]
    prompts = {str(dv.sqref): dv.prompt for dv in sheet.data_validations.dataValidation
               if dv.showInputMessage and dv.sqref and ":" not in str(dv.sqref)}
    for index, column in enumerate(PROPOSAL_COLUMNS, start=1):
        assert prompts[f"{get_column_letter(index)}1"] == column.help[:255]
    # Formats belong to the columns (Excel gives them to every cell typed there).
    assert sheet.column_dimensions["R"].number_format == '#,##0 "kr."'
    assert sheet.column_dimensions["R"].alignment.wrap_text


PLANTED = [  # (row, field changes, code, cell)
    (1, {"Ressourcer opstart (kr.)": "1.5"}, "amount-ambiguous", "R2"),
    (2, {"Forebyggelsespakke": None}, "package-missing", "D3"),
    (3, {"Ansvarligt center": "Center for Ældre"}, "choice-invalid", "L4"),
    (4, {"Tema": None}, "theme-missing", "E5"),
    (5, {"Titel": "=HYPERLINK(\"http://x\",\"klik\")"}, None, None),
]


def test_planted_errors_give_exactly_those_findings_and_an_annotated_copy(runner, make_intake,
                                                                         tmp_path):
    rows = [proposal(nr, **changes) for nr, changes, _, _ in PLANTED]
    path = make_intake(rows, name="planted.xlsx")
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    result = runner.invoke(cli, ["valider", str(path), "--marker", str(tmp_path / "ud")])
    assert result.exit_code == 1
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before
    expected = [(code, cell) for _, _, code, cell in PLANTED if code]
    intake = validate_file(path)
    assert [(f.code, f.location.cell) for f in intake.report.findings] == expected
    assert result.output.splitlines()[len(expected)] == (
        "5 rækker læst: 2 gyldige, 3 med fejl (3 fejl, 1 advarsel)")

    marked = openpyxl.load_workbook(tmp_path / "ud" / "planted-markeret.xlsx")
    sheet = marked["Forslag"]
    fills = {"fejl": "00FFC7CE", "advarsel": "00FFEB9C"}
    for finding in intake.report.findings:
        cell = sheet[finding.location.cell]
        assert cell.fill.fgColor.rgb == fills[finding.severity]
        assert finding.message in cell.comment.text
    commented = {c.coordinate for row in sheet.iter_rows() for c in row if c.comment}
    assert commented == {cell for _, cell in expected}
    # The user's text is never turned into a formula in the copy.
    assert sheet["B6"].data_type == "s" or not str(sheet["B6"].value).startswith("=")

    summary = marked["Fejl"]
    assert marked.sheetnames[0] == "Fejl"
    rows_out = [[c.value for c in row] for row in summary.iter_rows(min_row=5, max_col=5)]
    assert [(r[2], r[0]) for r in rows_out] == [
        (f.location.cell, f.severity.capitalize()) for f in intake.report.findings]
    assert summary["C5"].hyperlink.location == "'Forslag'!R2" or \
        summary["C5"].hyperlink.target in ("#'Forslag'!R2", "#Forslag!R2")


def test_annotated_copy_never_writes_a_formula(make_intake, tmp_path):
    from sagsgenerator.intake.workbook import annotate
    rows = [proposal(1, **{"Ansvarligt center": "=1+1"}), proposal(2), proposal(3)]
    path = make_intake(rows)
    intake = validate_file(path)
    target = annotate(path, intake.report.findings, intake.report, tmp_path / "m.xlsx")
    summary = openpyxl.load_workbook(target)["Fejl"]
    values = [c.value for row in summary.iter_rows() for c in row if isinstance(c.value, str)]
    cells = [c for row in summary.iter_rows() for c in row]
    assert any("'=1+1'" in v for v in values)
    assert all(c.data_type != "f" for c in cells)
