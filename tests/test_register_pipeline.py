"""The register in the pipeline (issue 13): case numbers that stay, changes since a round as
Word tracked changes, and decisions coming back from handleplan.xlsx."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import docx
import openpyxl
import pytest
from lxml import etree

from sagsgenerator.batch import read_decisions, run_batch
from sagsgenerator.cli import cli
from sagsgenerator.register import Register
from sagsgenerator.render.revisions import accept_all

ROOT = Path(__file__).resolve().parents[1]
BU = ROOT / "input" / "boern-og-unge.xlsx"
KS = ROOT / "input" / "kronisk-sygdom.xlsx"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
ROUND1, ROUND2, ROUND3 = dt.date(2026, 11, 2), dt.date(2026, 12, 2), dt.date(2027, 1, 11)


def edited(source: Path, target: Path, changes: dict[int, dict[str, object]] | None = None,
           delete: tuple[int, ...] = ()) -> Path:
    """A copy of a working group's workbook with cells changed (by Nr. and header) and rows
    deleted, as the group would send in its next round."""
    book = openpyxl.load_workbook(source)
    sheet = book["Forslag"]
    headers = {c.value: c.column for c in sheet[1]}
    for row in reversed(list(sheet.iter_rows(min_row=2))):
        number = row[0].value
        if number in delete:
            sheet.delete_rows(row[0].row)
            continue
        for header, value in (changes or {}).get(number, {}).items():
            sheet.cell(row=row[0].row, column=headers[header], value=value)
    book.save(target)
    return target


def case_numbers(folder: Path) -> dict[str, str]:
    """Case paper file -> the case number printed in it."""
    found = {}
    for path in sorted(folder.glob("sagsfremstilling-*.docx")):
        text = "\n".join(p.text for p in docx.Document(str(path)).paragraphs)
        for table in docx.Document(str(path)).tables:
            text += "\n" + "\n".join(c.text for r in table.rows for c in r.cells)
        numbers = set(re.findall(r"\b20\d\d-\d{3}\b", text))
        assert len(numbers) == 1, (path.name, numbers)
        found[path.name] = numbers.pop()
    return found


def key_of(name: str) -> str:
    """'sagsfremstilling-boern-og-unge-02-tip-...docx' -> 'boern-og-unge-02'."""
    return re.match(r"sagsfremstilling-(.+?-\d\d)-", name).group(1)


def by_key(numbers: dict[str, str]) -> dict[str, str]:
    return {key_of(name): number for name, number in numbers.items()}


def test_case_numbers_stay_across_runs_and_are_never_reused(tmp_path):
    db = tmp_path / "sagsgenerator.db"
    run_batch([BU], tmp_path / "a", today=ROUND1, register=db)          # (a) the group alone
    alone = by_key(case_numbers(tmp_path / "a"))
    assert len(alone) == 5 and len(set(alone.values())) == 5
    run_batch([KS, BU], tmp_path / "b", today=ROUND2, register=db)      # (b) all groups
    together = by_key(case_numbers(tmp_path / "b"))
    assert {k: v for k, v in together.items() if k.startswith("boern")} == alone
    assert len(set(together.values())) == 9
    # (d) a new version of the workbook: a field changed, proposal 5 withdrawn, a new Nr. 6.
    book = openpyxl.load_workbook(BU)
    sheet = book["Forslag"]
    last = [c.value for c in sheet[6]]
    sheet.append([6, "Sund frokost i SFO", *last[2:]])
    book.save(tmp_path / "bu-v2-src.xlsx")
    v2 = edited(tmp_path / "bu-v2-src.xlsx", tmp_path / "bu-v2.xlsx",
                {2: {"Målgruppe": "Familier med børn i 0.-3. klasse."}}, delete=(5,))
    result = run_batch([v2, KS], tmp_path / "c", today=ROUND3, register=db)
    assert result.exit_code in (0, 1)
    later = by_key(case_numbers(tmp_path / "c"))
    for key in ("boern-og-unge-01", "boern-og-unge-02", "boern-og-unge-03", "boern-og-unge-04"):
        assert later[key] == alone[key]
    assert "boern-og-unge-05" not in later
    # The new proposal gets a number no proposal ever had, not the withdrawn one's.
    assert later["boern-og-unge-06"] not in set(together.values())
    with Register.open(db) as store:
        entries = {(e.group_name, e.number): e for e in store.entries()}
        assert entries[("Børn og unge", 5)].withdrawn_on == ROUND3
        assert entries[("Børn og unge", 2)].versions == 2
        assert entries[("Børn og unge", 1)].versions == 1


def test_without_the_register_numbers_count_per_run(tmp_path):
    run_batch([BU], tmp_path / "a", today=ROUND2)
    run_batch([KS, BU], tmp_path / "b", today=ROUND2)
    alone, together = by_key(case_numbers(tmp_path / "a")), by_key(case_numbers(tmp_path / "b"))
    assert alone != {k: v for k, v in together.items() if k.startswith("boern")}
    assert not (tmp_path / "sagsgenerator.db").exists()


def _texts(document: bytes, tag: str) -> list[str]:
    with zipfile.ZipFile(__import__("io").BytesIO(document)) as archive:
        root = etree.fromstring(archive.read("word/document.xml"))
    texts = []
    for element in root.iter(f"{W}{tag}"):
        texts.append("".join(t.text or "" for t in element.iter(f"{W}t", f"{W}delText")))
    return texts


def test_three_changes_between_rounds_are_listed_and_tracked_in_word(tmp_path, runner,
                                                                     monkeypatch):
    monkeypatch.chdir(tmp_path)
    first = runner.invoke(cli, ["generer", str(BU), "--dato", ROUND1.isoformat()])
    assert first.exit_code == 0, first.output
    v2 = edited(BU, tmp_path / "boern-og-unge.xlsx", {2: {
        "Målgruppe": "Familier med overvægtige børn i 0.-3. klasse.",
        "Ressourcer opstart (kr.)": 90000,
        "Projektejer": "Sundhedschef Ida Berg"}})
    listed = runner.invoke(cli, ["generer", str(v2), "--dato", ROUND2.isoformat(),
                                 "--ud", "runde2", "--aendringer-siden", ROUND1.isoformat()])
    assert listed.exit_code == 0, listed.output
    lines = runner.invoke(cli, ["aendringer", "--siden", ROUND1.isoformat()]).output.splitlines()
    changed = [line for line in lines if line.startswith("Børn og unge nr. 2")]
    assert len(changed) == 3, lines
    assert any("Målgruppe:" in line and "»Familier med overvægtige børn i 0.-3. klasse.«" in line
               and "Forslag!I3" in line for line in changed), changed
    assert any("Ressourcer opstart (kr.)" in line and "90.000" in line for line in changed)
    assert any("Projektejer" in line and "Sundhedschef Ida Berg" in line for line in changed)
    assert lines[-1] == "3 ændringer siden 2. november 2026."

    paper = next((tmp_path / "runde2").glob("sagsfremstilling-boern-og-unge-02-*.docx"))
    data = paper.read_bytes()
    inserted, deleted = " ".join(_texts(data, "ins")), " ".join(_texts(data, "del"))
    assert "Sundhedschef Ida Berg" in inserted and "90.000" in inserted
    assert "overvægtige" in inserted
    assert "Centerchef, Børn og Forebyggelse" in deleted        # the owner the group had
    assert "Sundhedschef" not in deleted and "90.000" not in deleted
    with zipfile.ZipFile(paper) as archive:
        xml = archive.read("word/document.xml").decode()
    assert 'w:author="sagsgenerator"' in xml and 'w:date="2026-11-02T00:00:00Z"' in xml
    # An unchanged proposal's case paper has no revision at all.
    other = next((tmp_path / "runde2").glob("sagsfremstilling-boern-og-unge-01-*.docx"))
    assert "<w:ins " not in zipfile.ZipFile(other).read("word/document.xml").decode()
    # LibreOffice opens it; with the changes accepted it reads the new text.
    if shutil.which("soffice") is None or shutil.which("pdftotext") is None:
        pytest.skip("LibreOffice eller pdftotext er ikke installeret")
    accepted = tmp_path / "accepteret.docx"
    accepted.write_bytes(accept_all(data))
    for source in (paper, accepted):
        subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path}/lo", "--headless",
                        "--convert-to", "pdf", "--outdir", str(tmp_path / "pdf"), str(source)],
                       check=True, capture_output=True, timeout=180)
    text = subprocess.run(["pdftotext", str(tmp_path / "pdf" / "accepteret.pdf"), "-"],
                          capture_output=True, text=True, check=True).stdout
    assert "Sundhedschef Ida Berg" in " ".join(text.split())
    assert (tmp_path / "pdf" / f"{paper.stem}.pdf").stat().st_size > 1000


def _edit_plan(source: Path, target: Path, edits: dict[str, dict[str, object]]) -> Path:
    """handleplan.xlsx edited by a chief group: by the Indsats title, header -> value."""
    book = openpyxl.load_workbook(source)
    sheet = book["Handleplan"]
    headers = {c.value: c.column for c in sheet[1]}
    for row in sheet.iter_rows(min_row=2):
        title = row[headers["Indsats"] - 1].value
        for header, value in edits.get(title, {}).items():
            sheet.cell(row=row[0].row, column=headers[header], value=value)
    book.save(target)
    return target


def _all_text(path: Path) -> str:
    document = docx.Document(str(path))
    text = [p.text for p in document.paragraphs]
    text += [c.text for t in document.tables for r in t.rows for c in r.cells]
    return " ".join(" ".join(text).split()).replace("\xa0", " ")


NAVIGATOR = "Navigator – frivillige guider borgere gennem sundhedsvæsenet"


@pytest.mark.parametrize("resaved_by_calc", [False, True], ids=["openpyxl", "libreoffice-calc"])
def test_decisions_come_back_from_the_plan(tmp_path, resaved_by_calc):
    db = tmp_path / "sagsgenerator.db"
    run_batch([BU, KS], tmp_path / "r1", today=ROUND1, register=db)
    plan = _edit_plan(tmp_path / "r1" / "handleplan.xlsx", tmp_path / "redigeret.xlsx", {
        NAVIGATOR: {"Projektejer": "Centerchef Anne Holm", "Status": "Godkendt", "Prioritet": 5}})
    if resaved_by_calc:
        if shutil.which("soffice") is None:
            pytest.skip("LibreOffice er ikke installeret")
        subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path}/lo", "--headless",
                        "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir",
                        str(tmp_path / "calc"), str(plan)], check=True, capture_output=True,
                       timeout=180)
        plan = tmp_path / "calc" / plan.name
    result = read_decisions(plan, register=db, today=ROUND2)
    assert result.exit_code == 0, [str(f) for f in result.report.findings]
    assert sorted((d.field, str(d.value)) for d in result.recorded) == [
        ("owner", "Centerchef Anne Holm"), ("priority", "5"), ("status", "Godkendt")]
    assert any("Projektejer er nu »Centerchef Anne Holm«" in line for line in result.lines)
    again = read_decisions(plan, register=db, today=ROUND2)
    assert again.recorded == []                      # nothing new the second time

    run_batch([BU, KS], tmp_path / "r2", today=ROUND2, register=db)
    paper = next((tmp_path / "r2").glob("sagsfremstilling-borgere-med-kronisk-sygdom-03-*.docx"))
    assert "Centerchef Anne Holm" in _all_text(paper)
    assert "Centerchef Anne Holm" in _all_text(tmp_path / "r2" / "handleplan.docx")
    committee = _all_text(tmp_path / "r2" / "udvalgssag-social-og-sundhedsudvalget.docx")
    before = _all_text(tmp_path / "r1" / "udvalgssag-social-og-sundhedsudvalget.docx")
    assert "KS-3" in committee or "BKS-3" in committee
    assert committee != before
    with Register.open(db) as store:
        key = store.lookup("2026-2029|borgere med kronisk sygdom|3")
        assert store.status(key).status == "Godkendt"


def test_a_group_contradicting_a_decision_is_told_and_the_decision_stands(tmp_path):
    db = tmp_path / "sagsgenerator.db"
    run_batch([KS], tmp_path / "r1", today=ROUND1, register=db)
    plan = _edit_plan(tmp_path / "r1" / "handleplan.xlsx", tmp_path / "p.xlsx",
                      {NAVIGATOR: {"Projektejer": "Centerchef Anne Holm"}})
    assert read_decisions(plan, register=db, today=ROUND1).exit_code == 0
    later = edited(KS, tmp_path / "ks.xlsx", {3: {"Projektejer": "Frivilligkoordinator Bo"}})
    result = run_batch([later], tmp_path / "r2", today=ROUND2, register=db)
    codes = [(f.code, f.location.cell) for f in result.report.findings]
    assert ("decision-contradicted", "W4") in codes
    paper = next((tmp_path / "r2").glob("sagsfremstilling-*-03-*.docx"))
    assert "Centerchef Anne Holm" in _all_text(paper)
    assert "Frivilligkoordinator Bo" not in _all_text(paper)


def test_a_deleted_or_copied_key_is_a_finding_at_its_cell(tmp_path):
    db = tmp_path / "sagsgenerator.db"
    run_batch([KS], tmp_path / "r1", today=ROUND1, register=db)
    book = openpyxl.load_workbook(tmp_path / "r1" / "handleplan.xlsx")
    sheet = book["Handleplan"]
    headers = {c.value: c.column for c in sheet[1]}
    key = headers["Nøgle"]
    rows = [r for r in range(2, sheet.max_row + 1) if sheet.cell(row=r, column=key).value]
    sheet.cell(row=rows[0], column=key).value = None
    sheet.cell(row=rows[2], column=key, value=sheet.cell(row=rows[1], column=key).value)
    book.save(tmp_path / "p.xlsx")
    result = read_decisions(tmp_path / "p.xlsx", register=db, today=ROUND2)
    letter = openpyxl.utils.get_column_letter(key)
    assert [(f.code, f.location.cell) for f in result.report.findings] == [
        ("plan-key-deleted", f"{letter}{rows[0]}"), ("plan-key-copied", f"{letter}{rows[2]}")]
    assert result.exit_code == 1


def test_follow_up_shows_each_interventions_traffic_light_from_the_register(tmp_path, runner,
                                                                          monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert runner.invoke(cli, ["generer", str(KS), "--dato", ROUND2.isoformat()]).exit_code == 0
    result = runner.invoke(cli, ["opfoelgning", str(KS), "--dato", "2027-03-15"])
    lines = [line.strip() for line in result.output.splitlines()]
    kol = lines.index(next(line for line in lines if "KOL-skole" in line))
    assert lines[kol].startswith("Overskredet: februar 2027")
    assert lines[kol + 1] == "Rød: opfølgningen i februar 2027 er overskredet"
    assert "Gul: opfølgningen i april 2027 er inden for 3 måneder" in lines
    # Without the register only the workbook's dates count: the same light here, as no
    # status was given; the register's history turning it green is tested below.
    stateless = runner.invoke(cli, ["opfoelgning", str(KS), "--dato", "2027-03-15",
                                    "--uden-register"])
    lines = [line.strip() for line in stateless.output.splitlines()]
    kol = lines.index(next(line for line in lines if "KOL-skole" in line))
    assert lines[kol + 1] == "Rød: opfølgningen i februar 2027 er overskredet"


KOL = "KOL-skole med rygestop og træning i nærområdet"
DIABETES = "Diabetesskole med aftenhold og hold på tyrkisk og arabisk"
FILLS = {"rød": "F4C7C3", "gul": "FCE8B2", "grøn": "D5E8D4"}


def _follow_up_cells(path: Path) -> dict[str, tuple[str, str]]:
    """Intervention title -> (text of its Opfølgning cell, the cell's shading) in
    opfoelgning.docx."""
    found = {}
    for table in docx.Document(str(path)).tables:
        for row in table.rows[1:]:
            cells = row.cells
            title = cells[1].paragraphs[0].text
            shading = cells[4]._tc.find(f"{W}tcPr/{W}shd")
            fill = shading.get(f"{W}fill") if shading is not None else ""
            found[title] = (" ".join(p.text for p in cells[4].paragraphs), fill)
    return found


def test_the_follow_up_document_shows_each_traffic_light_as_colour_and_text(tmp_path):
    """Red when the follow-up passed without a newer status, yellow within three months,
    green once a status came after the follow-up date (here: the chief group's Igangsat);
    the register's history decides, and without it only the workbook's dates do."""
    db = tmp_path / "sagsgenerator.db"
    run_batch([KS], tmp_path / "r1", today=ROUND1, register=db)
    day = dt.date(2027, 3, 15)
    stateless = run_batch([KS], tmp_path / "uden", today=day)
    cells = _follow_up_cells(tmp_path / "uden" / "opfoelgning.docx")
    assert cells[KOL] == ("Årsrapport februar\xa02027 Rød: opfølgningen i februar 2027 er "
                          "overskredet", FILLS["rød"])
    assert cells[DIABETES] == ("Slut-evaluering april\xa02027 Gul: opfølgningen i april 2027 er "
                               "inden for 3 måneder", FILLS["gul"])
    assert cells[NAVIGATOR] == ("Slut-evaluering følger Gul: der er ingen opfølgningsdato",
                                FILLS["gul"])
    assert stateless.exit_code == 0

    plan = _edit_plan(tmp_path / "r1" / "handleplan.xlsx", tmp_path / "p.xlsx",
                      {KOL: {"Status": "Igangsat"}})
    assert read_decisions(plan, register=db, today=dt.date(2027, 3, 1)).exit_code == 0
    run_batch([KS], tmp_path / "r2", today=day, register=db)
    document = tmp_path / "r2" / "opfoelgning.docx"
    cells = _follow_up_cells(document)
    assert cells[KOL] == ("Årsrapport februar\xa02027 Grøn: fulgt op med status »Igangsat« "
                          "1. marts 2027", FILLS["grøn"])
    assert cells[DIABETES][1] == FILLS["gul"]
    # Every intervention has a light, and the summary above the tables counts them.
    colours = [next(c for c, f in FILLS.items() if f == fill) for _, fill in cells.values()]
    assert len(colours) == 4
    paragraphs = [p.text.replace("\xa0", " ") for p in docx.Document(str(document)).paragraphs]
    summary = next(text for text in paragraphs if text.startswith("Trafiklys pr."))
    red, yellow, green = (colours.count(c) for c in ("rød", "gul", "grøn"))
    assert summary == (f"Trafiklys pr. 15. marts 2027: {red} rød{'e' if red != 1 else ''}, "
                       f"{yellow} gul{'e' if yellow != 1 else ''} og "
                       f"{green} grøn{'ne' if green != 1 else ''}.")
    assert green >= 1
