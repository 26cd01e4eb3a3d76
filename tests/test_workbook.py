"""The blank workbook (skabelon) and the annotated copy (markeret kopi)."""

from __future__ import annotations

import hashlib

import openpyxl
import pytest
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
    from sagsgenerator.intake.xlsx import annotate
    rows = [proposal(1, **{"Ansvarligt center": "=1+1"}), proposal(2), proposal(3)]
    path = make_intake(rows)
    intake = validate_file(path)
    target = annotate(path, intake.report.findings, intake.report, tmp_path / "m.xlsx")
    summary = openpyxl.load_workbook(target)["Fejl"]
    values = [c.value for row in summary.iter_rows() for c in row if isinstance(c.value, str)]
    cells = [c for row in summary.iter_rows() for c in row]
    assert any("'=1+1'" in v for v in values)
    assert all(c.data_type != "f" for c in cells)


# --- issue 16/17/15: the blank workbook is small, in shared strings, and says what it does ------

import datetime as dt
import re
import zipfile

from sagsgenerator.intake.workbook import set_text, workbook_bytes, write_blank
from sagsgenerator.intake.xlsx import annotate, annotated_name, is_annotated, original_stem

TODAY = dt.date(2026, 3, 2)


def _parts(path):
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _assert_shared_strings(path):
    parts = _parts(path)
    assert "xl/sharedStrings.xml" in parts
    sheets = [n for n in parts if n.startswith("xl/worksheets/") and n.endswith(".xml")]
    assert sheets and not any(b"inlineStr" in parts[n] for n in sheets)
    assert any(b't="s"' in parts[n] for n in sheets)
    assert b"sharedStrings" in parts["[Content_Types].xml"]
    return parts


def test_blank_workbook_is_shared_strings_danish_lists_and_one_page_wide(tmp_path):
    target = write_blank(tmp_path / "skabelon.xlsx", today=TODAY)
    _assert_shared_strings(target)
    workbook = openpyxl.load_workbook(target)
    lists = workbook["Lister"]
    headers = [c.value for c in lists[1]]
    assert headers[:3] == ["Centre", "Udvalg", "Finansiering"]
    assert set(headers) == {"Centre", "Udvalg", "Finansiering", "Fokusområder",
                            "Forebyggelsespakker", "Forslagstyper", "Status", "Temaer"}
    guide = workbook["Vejledning"]
    text = " ".join(str(c.value) for row in guide.iter_rows() for c in row if c.value)
    assert "Klik på en celle for at se hjælpen" in text and "Hold musen" not in text
    assert guide.sheet_properties.pageSetUpPr.fitToPage
    assert (guide.page_setup.fitToWidth, guide.page_setup.fitToHeight) == (1, 0)
    assert guide.page_setup.orientation == "landscape"
    # every text wraps inside the four printed columns, and no word is wider than its column
    widths = [guide.column_dimensions[c].width for c in "ABCD"]
    for row in guide.iter_rows(min_row=16):
        for cell, width in zip(row, widths):
            if cell.value:
                assert cell.alignment.wrap_text
                assert max(len(w) for w in str(cell.value).split()) <= width
    assert all(str(r).endswith("D" + str(r.min_row)) for r in guide.merged_cells.ranges)


def test_filled_sheet_is_small_and_the_blank_has_no_preformatted_rows(make_intake):
    path = make_intake([proposal(n) for n in range(1, 9)])
    sheet_xml = _parts(path)["xl/worksheets/sheet3.xml"]
    assert len(sheet_xml) < 40_000          # was 229 KB with 300 pre-formatted rows
    assert b'<row r="10"' not in sheet_xml
    assert re.search(rb'<col [^>]*style="\d+"', sheet_xml)   # the formats are the columns'


def test_reruns_with_the_same_date_give_the_same_bytes(tmp_path, monkeypatch):
    a = write_blank(tmp_path / "a.xlsx", today=TODAY).read_bytes()
    b = write_blank(tmp_path / "b.xlsx", today=TODAY).read_bytes()
    assert a == b
    assert re.search(rb"<dcterms:modified [^>]*>2026-03-02T00:00:00Z<",
                     _parts(tmp_path / "a.xlsx")["docProps/core.xml"])
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # 2026-01-01
    write_blank(tmp_path / "c.xlsx")
    assert b"2026-01-01T00:00:00Z" in _parts(tmp_path / "c.xlsx")["docProps/core.xml"]


def test_text_is_never_a_formula_in_shared_strings(tmp_path):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for ref, value in (("A1", "=1+1"), ("A2", "+45 12 34 56 78"), ("A3", "@SUM(A1)"),
                       ("A4", "Almindelig tekst")):
        set_text(sheet[ref], value)
    path = tmp_path / "t.xlsx"
    path.write_bytes(workbook_bytes(workbook, TODAY))
    parts = _assert_shared_strings(path)
    assert b"<f>" not in parts["xl/worksheets/sheet1.xml"]
    back = openpyxl.load_workbook(path).active
    assert [(c.value, c.data_type) for c in back["A"]] == [
        ("=1+1", "s"), ("+45 12 34 56 78", "s"), ("@SUM(A1)", "s"), ("Almindelig tekst", "s")]
    assert back["A1"].quotePrefix and not back["A4"].quotePrefix


# --- issue 12 item 3: a corrected marked copy comes back ------------------------------------------

def test_a_marked_copy_sent_back_is_recognised_and_cleaned(make_intake, tmp_path):
    rows = [proposal(1, **{"Ressourcer opstart (kr.)": "1.5"}),
            proposal(2), proposal(3, **{"Ansvarligt center": "Center for Ældre"})]
    original = make_intake(rows, name="med-fejl.xlsx")
    # The group's own fill and comment on a cell that will be marked
    workbook = openpyxl.load_workbook(original)
    sheet = workbook["Forslag"]
    sheet["L4"].fill = openpyxl.styles.PatternFill("solid", fgColor="FF00B050")
    sheet["L4"].comment = openpyxl.comments.Comment("Spørg Mette", "Jens")
    workbook.save(original)
    intake = validate_file(original)
    assert [(f.code, f.location.cell) for f in intake.report.findings] == [
        ("amount-ambiguous", "R2"), ("choice-invalid", "L4")]
    first = annotate(original, intake.report.findings, intake.report,
                     tmp_path / "ud" / annotated_name(original), today=TODAY)
    assert first.name == "med-fejl-markeret.xlsx"
    assert is_annotated(first) and not is_annotated(original)
    assert original_stem(first) == "med-fejl" and annotated_name(first) == first.name
    _assert_shared_strings(first)
    again = annotate(original, intake.report.findings, intake.report, tmp_path / "igen.xlsx",
                     today=TODAY)
    assert again.read_bytes() == first.read_bytes()     # byte-identical rerun
    marked = openpyxl.load_workbook(first)
    assert "Spørg Mette" in marked["Forslag"]["L4"].comment.text   # nothing of theirs lost

    # The group fixes R2 in the marked copy and sends it back (a new name, even).
    workbook = openpyxl.load_workbook(first)
    workbook["Forslag"]["R2"] = 75000
    back = tmp_path / "retur" / "med-fejl-markeret.xlsx"
    back.parent.mkdir()
    workbook.save(back)
    assert is_annotated(back) and annotated_name(back) == "med-fejl-markeret.xlsx"
    intake = validate_file(back)      # the marks, comments and "Fejl" sheet change nothing
    assert [(f.code, f.location.cell) for f in intake.report.findings] == [
        ("choice-invalid", "L4")]
    second = annotate(back, intake.report.findings, intake.report,
                      tmp_path / "ud2" / annotated_name(back), today=TODAY)
    assert second.name == "med-fejl-markeret.xlsx"
    result = openpyxl.load_workbook(second)
    assert result.sheetnames == ["Fejl", "Vejledning", "Arbejdsgruppe", "Forslag", "Lister"]
    sheet = result["Forslag"]
    assert sheet["R2"].comment is None and sheet["R2"].fill.fill_type is None
    assert sheet["L4"].fill.fgColor.rgb == "00FFC7CE"
    assert sheet["L4"].comment.text.count("Fejl:") == 1
    assert "Spørg Mette" in sheet["L4"].comment.text
    rows_out = [[c.value for c in row] for row in result["Fejl"].iter_rows(min_row=5, max_col=3)]
    assert rows_out == [["Fejl", "Forslag", "L4"]]
    assert original_stem(second) == "med-fejl"

    # Fixed once more: nothing of the tool is left, the group's own fill and comment are back.
    workbook = openpyxl.load_workbook(second)
    workbook["Forslag"]["L4"] = "Børn og Forebyggelse"
    workbook.save(back)
    from sagsgenerator.intake.workbook import strip_marks
    clean = openpyxl.load_workbook(back)
    assert strip_marks(clean)["stem"] == "med-fejl"
    assert clean.sheetnames == ["Vejledning", "Arbejdsgruppe", "Forslag", "Lister"]
    cell = clean["Forslag"]["L4"]
    assert (cell.fill.fgColor.rgb, cell.comment.text, cell.comment.author) == (
        "FF00B050", "Spørg Mette", "Jens")
    assert "sagsgenerator-markeret" not in clean.custom_doc_props.names


def test_name_fallback_without_the_record(tmp_path):
    plain = tmp_path / "gruppe-markeret-markeret.xlsx"
    plain.write_bytes(b"not a workbook")
    assert not is_annotated(plain)
    assert original_stem(plain) == "gruppe" and annotated_name(plain) == "gruppe-markeret.xlsx"
    assert original_stem(tmp_path / "markeret.xlsx") == "markeret"


# --- the annotated copy by XML editing (marking.py) equals the one through openpyxl -----------

def _seen(path):
    """What a user sees in a workbook: values, fills, comments, merges, links, sheet order."""
    workbook = openpyxl.load_workbook(path)
    seen = {"sheets": workbook.sheetnames, "active": workbook.active.title}
    for sheet in workbook.worksheets:
        seen[sheet.title] = {
            "cells": {c.coordinate: (c.value, c.fill.fgColor.rgb if c.fill.fill_type else None,
                                     c.comment.text if c.comment else None,
                                     c.comment.author if c.comment else None,
                                     c.hyperlink.location if c.hyperlink else None)
                      for row in sheet.iter_rows() for c in row
                      if c.value is not None or c.comment or c.fill.fill_type},
            "merged": sorted(str(r) for r in sheet.merged_cells.ranges),
            "selected": bool(sheet.sheet_view.tabSelected)}
    return seen


def _planted(make_intake, name="planted.xlsx"):
    rows = [proposal(1, **{"Ressourcer opstart (kr.)": "1.5"}),
            proposal(2, Forebyggelsespakke=None),
            proposal(3, **{"Ansvarligt center": "Center for Ældre"}), proposal(4, Tema=None),
            proposal(5, Titel="=HYPERLINK(\"http://x\",\"klik\")")]
    path = make_intake(rows, name=name)
    workbook = openpyxl.load_workbook(path)
    workbook["Forslag"].merge_cells("L4:L5")       # a finding inside a merged range
    workbook["Forslag"]["D3"].fill = openpyxl.styles.PatternFill("solid", fgColor="FF00B050")
    workbook.save(path)
    return path


@pytest.mark.parametrize("excel_like", [False, True])
def test_xml_path_and_openpyxl_path_give_the_same_copy(make_intake, tmp_path, monkeypatch,
                                                        excel_like):
    import sys as _sys
    from pathlib import Path as _Path
    from sagsgenerator.intake import marking
    path = _planted(make_intake)
    if excel_like:  # Excel keeps text in a shared-strings table
        _sys.path.insert(0, str(_Path(__file__).resolve().parents[1] / "scripts"))
        from make_corpus import excel_strings
        excel_strings(path)
    intake = validate_file(path)
    findings, report = intake.report.findings, intake.report
    assert {f.location.cell for f in findings} >= {"R2", "D3", "L4", "L5"}
    fast = annotate(path, findings, report, tmp_path / "fast.xlsx", today=TODAY)
    assert b"rIdMarkedVml" in _parts(fast)["xl/worksheets/sheet3.xml"]  # it took the XML path
    _assert_shared_strings(fast)
    with monkeypatch.context() as patched:
        patched.setattr(marking, "annotated_package", lambda *a, **k: None)
        slow = annotate(path, findings, report, tmp_path / "slow.xlsx", today=TODAY)
    assert _seen(fast) == _seen(slow)
    assert annotate(path, findings, report, tmp_path / "again.xlsx",
                    today=TODAY).read_bytes() == fast.read_bytes()
    assert is_annotated(fast) and original_stem(fast) == "planted"
    # Sent back, the XML path's copy is cleaned like the other: D3 gets its green fill back.
    workbook = openpyxl.load_workbook(fast)
    workbook["Forslag"]["R2"] = 75000
    workbook.save(tmp_path / "retur.xlsx")
    back = validate_file(tmp_path / "retur.xlsx")
    again = annotate(tmp_path / "retur.xlsx", back.report.findings, back.report,
                     tmp_path / "ud" / "planted-markeret.xlsx", today=TODAY)
    result = openpyxl.load_workbook(again)
    assert result.sheetnames.count("Fejl") == 1 and "Fejl 2" not in result.sheetnames
    assert result["Forslag"]["R2"].comment is None
    assert result["Forslag"]["R2"].fill.fill_type is None
    assert result["Forslag"]["D3"].fill.fgColor.rgb == "00FFC7CE"  # still wrong: marked
    workbook = openpyxl.load_workbook(again)
    from sagsgenerator.intake.workbook import strip_marks
    strip_marks(workbook)
    assert workbook["Forslag"]["D3"].fill.fgColor.rgb == "FF00B050"


def test_marked_cells_are_located_alike_by_reference_and_cell_by_cell():
    """A row whose cells all start `<c r="` is searched by reference, any other row cell by
    cell: both find the same tags (a cell's reference is never mistaken for a longer one)."""
    from sagsgenerator.intake.marking import SheetBytes
    xml = (b'<worksheet><sheetData>'
           b'<row r="2"><c r="A2" s="3" t="s"><v>0</v></c><c r="B2"><v>1</v></c>'
           b'<c r="B20" s="7"/></row>'
           b'<row r="3"><c s="4" r="A3"><v>2</v></c><c r="B3" s="5"/></row>'
           b'<row r="4"/></sheetData></worksheet>')
    refs = ["B2", "A3", "B3", "C4", "A9"]
    sheet = SheetBytes(xml)
    sheet.locate(refs)
    expected: dict = {}
    for number in (2, 3):
        for ref, start, end, style in sheet._row_cells(number):
            if ref in refs:
                expected.setdefault(ref, []).append((start, end, style))
    assert sheet.found == expected and set(expected) == {"B2", "A3", "B3"}
    assert [sheet.style(ref) for ref in refs] == [0, 4, 5, 0, 0]


def test_row_spans_of_a_sheet_edited_as_bytes():
    from sagsgenerator.intake.marking import SheetBytes
    xml = (b'<worksheet><sheetData><row r="1"/><row r="2" spans="1:2"><c r="A2"/></row>'
           b'<row r="3"><c r="A3"><v>1</v></c></row><row r="4" /></sheetData></worksheet>')
    sheet = SheetBytes(xml)
    assert {n: xml[a:b] for n, (a, b) in sheet.rows.items()} == {
        1: b'<row r="1"/>', 2: b'<row r="2" spans="1:2"><c r="A2"/></row>',
        3: b'<row r="3"><c r="A3"><v>1</v></c></row>', 4: b'<row r="4" />'}


@pytest.mark.parametrize("chunk", [1 << 20, 1], ids=["whole", "row-by-row"])
def test_inline_strings_move_to_the_table_as_a_plain_lazy_match_would_move_them(
        chunk, monkeypatch):
    """inline_to_shared scans each byte once (possessive patterns, split), a chunk of rows
    at a time: it finds exactly the cells that the plain lazy pattern finds, in any
    attribute order, rich text, an empty one, and text that looks like the tags it looks
    for."""
    from sagsgenerator.intake import marking
    from sagsgenerator.intake.marking import EMPTY_INLINE, Strings
    monkeypatch.setattr(marking, "INLINE_CHUNK", chunk)
    lazy = re.compile(rb'<c ([^>]*?)t="inlineStr"([^>]*)><is>(.*?)</is></c>', re.S)
    xml = (b'<worksheet><sheetData><row r="2">'
           b'<c r="A2" t="inlineStr"><is><t>Tobak</t></is></c>'
           b'<c t="inlineStr" r="B2" s="4"><is><t xml:space="preserve"> to </t></is></c>'
           b'<c r="C2" s="2" t="inlineStr"><is><r><rPr><b/></rPr><t>fed</t></r><r><t> og'
           b' ikke</t></r></is></c>'
           b'<c r="D2" t="n"><v>3</v></c><c r="E2" t="inlineStr"/>'
           b'<c r="F2" t="inlineStr"></c><c r="G2" t="inlineStr"><is><t>Tobak</t></is></c>'
           b'<c r="H2" tt="x" t="inlineStr"><is><t>&lt;/is&gt; t="inlineStr"</t></is></c>'
           b'<c r="I2" t="inlineStrX"><v>1</v></c>'
           b'<c r="J2" t="inlineStr"><is><t>a\nb</t></is></c></row>'
           b'<row r="3"><c r="A3" t="inlineStr"><is><t>Tobak</t></is></c></row><row r="4"/>'
           b'<row r="5"><c r="A5" t="inlineStr"><is><t>ny</t></is></c></row>'
           b'</sheetData></worksheet>')
    strings = Strings(None)
    moved, used = strings.inline_to_shared(xml)
    added: list[bytes] = []

    def shared(match: re.Match) -> bytes:
        if match[3] not in added:
            added.append(match[3])
        return b'<c %st="s"%s><v>%d</v></c>' % (match[1], match[2], added.index(match[3]))
    expected = EMPTY_INLINE.sub(rb"<c \1\2/>", lazy.sub(shared, xml))
    assert moved == expected and strings.added == added and used == 8
    assert b"inlineStr" not in moved.replace(b'"inlineStrX"', b"")
    assert b'<c r="E2"/>' in moved and b'<c r="F2"/>' in moved
