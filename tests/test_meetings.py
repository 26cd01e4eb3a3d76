"""Committee calendar and follow-up tracking, on fixed dates (never today's)."""

from __future__ import annotations

import datetime as dt

from sagsgenerator.cli import cli
from sagsgenerator.config import Config
from sagsgenerator.config_file import load_config
from sagsgenerator.meetings import (DeadlineState, add_months, book, committee_abbreviation,
                                    follow_ups_due)
from sagsgenerator.validation.validate import validate_file

from conftest import GROUP, proposal

CONFIG_TEXT = """
[kommune]
sagsnummer = "{udvalg}-{aar}-{nr:03d}"

[frister]
centerchef_dage = 20
direktion_dage = 14
naer_dage = 7

[[moede]]
udvalg = "Børne- og Undervisningsudvalget"
datoer = [2026-03-12, 2026-04-16]
"""


def _config(tmp_path) -> Config:
    path = tmp_path / "sagsgenerator.toml"
    path.write_text(CONFIG_TEXT, encoding="utf-8")
    return load_config(path)


def test_committee_abbreviations():
    assert committee_abbreviation("Social- og Sundhedsudvalget") == "SSU"
    assert committee_abbreviation("Børne- og Undervisningsudvalget") == "BUU"
    assert committee_abbreviation("Byrådet") == "B"


def test_booking_states(tmp_path, make_intake):
    config = _config(tmp_path)
    intake = validate_file(make_intake(), config)
    assert {b.meeting.date for b in book(intake.proposals, config, dt.date(2026, 1, 1))} == {
        dt.date(2026, 3, 12)}
    early = book(intake.proposals, config, dt.date(2026, 1, 1))[0]
    assert [(d.date, d.state) for d in early.deadlines] == [
        (dt.date(2026, 2, 20), DeadlineState.OK), (dt.date(2026, 2, 26), DeadlineState.OK)]
    assert early.case_number == "BUU-2026-001"
    close = book(intake.proposals, config, dt.date(2026, 2, 15))[0]
    assert close.state is DeadlineState.CLOSE
    missed = book(intake.proposals, config, dt.date(2026, 2, 22))[0]
    assert [d.state for d in missed.deadlines] == [DeadlineState.MISSED, DeadlineState.CLOSE]
    assert missed.first_reachable.date == dt.date(2026, 4, 16)
    after = book(intake.proposals, config, dt.date(2026, 5, 1))[0]
    assert after.meeting is None and after.deadlines == ()


def test_kalender_command(runner, tmp_path, make_intake):
    _config(tmp_path)  # sagsgenerator.toml in the working folder (tests run in tmp_path)
    path = make_intake()
    result = runner.invoke(cli, ["kalender", str(path), "--dato", "2026-02-22"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "Udvalgskalender pr. 22. februar 2026"
    assert "Børne- og Undervisningsudvalget" in lines
    assert "  Sag BUU-2026-001  Børn og unge nr. 1: Røgfri skoletid 1" in lines
    assert "    Frist for centerchefgodkendt sag: 20. februar 2026 (overskredet)" in lines
    assert "    Frist for sag til direktionen: 26. februar 2026 (tæt på)" in lines
    assert "    Første møde, hvor fristerne kan nås: 16. april 2026" in lines
    assert lines[-1] == "3 forslag: 3 med overskredne frister, 0 med frister tæt på."


def test_follow_ups_due(make_intake):
    rows = [proposal(1, Opfølgning="Slut-evaluering april 2027"),
            proposal(2, Opfølgning="Årsrapport feb. 2027", **{"Ansvarligt center": "Socialservice"}),
            proposal(3, Opfølgning="Slut-evaluering følger")]
    intake = validate_file(make_intake(rows))
    due = follow_ups_due(intake.proposals, dt.date(2027, 3, 1), months=2)
    assert [(d.proposal.number, d.overdue) for d in due] == [(1, False), (2, True)]
    assert follow_ups_due(intake.proposals, dt.date(2027, 3, 1), months=0)[0].proposal.number == 2
    assert follow_ups_due(intake.proposals, dt.date(2026, 1, 1), months=3) == []


def test_opfoelgning_command(runner, make_intake):
    rows = [proposal(1, Opfølgning="Slut-evaluering april 2027"),
            proposal(2, Opfølgning="Årsrapport feb. 2027", **{"Ansvarligt center": "Socialservice"}),
            proposal(3, Opfølgning="Okt. 2027")]
    path = make_intake(rows)
    result = runner.invoke(cli, ["opfoelgning", str(path), "--dato", "2027-03-01",
                                 "--maaneder", "2"])
    assert result.exit_code == 0
    assert result.output.splitlines() == [
        "Opfølgning pr. 1. marts 2027: overskredne og de næste 2 måneder",
        "",
        "Børn og Forebyggelse",
        "  Kommende: april 2027 – Børn og unge nr. 1: Røgfri skoletid 1 (Slut-evaluering april 2027)",
        "    Gul: opfølgningen i april 2027 er inden for 2 måneder",
        "",
        "Socialservice",
        "  Overskredet: februar 2027 – Børn og unge nr. 2: Røgfri skoletid 2 (Årsrapport feb. 2027)",
        "    Rød: opfølgningen i februar 2027 er overskredet",
        "",
        "2 opfølgninger: 1 overskredne, 1 kommende.",
    ]


def test_add_months_clamps_to_month_end():
    assert add_months(dt.date(2026, 1, 31), 1) == dt.date(2026, 2, 28)
    assert add_months(dt.date(2026, 11, 15), 3) == dt.date(2027, 2, 15)


def test_case_papers_carry_meeting_date_and_case_number(runner, tmp_path, make_intake):
    from docx import Document
    _config(tmp_path)
    path = make_intake()
    result = runner.invoke(cli, ["generer", str(path), "--ud", str(tmp_path / "ud"),
                                 "--dato", "2026-01-10", "--dokumenter", "sagsfremstilling",
                                 "--dokumenter", "udvalgssag"])
    assert result.exit_code == 0, result.output
    paper = next((tmp_path / "ud").glob("sagsfremstilling-*-01-*.docx"))
    text = "\n".join(c.text for t in Document(paper).tables for r in t.rows for c in r.cells)
    text += "\n".join(p.text for p in Document(paper).paragraphs)
    text = text.replace("\xa0", " ")          # dates never wrap: no-break spaces
    assert "12. marts 2026" in text and "BUU-2026-001" in text
    case = next((tmp_path / "ud").glob("udvalgssag-*.docx"))
    doc = Document(case)
    text = "\n".join(p.text for p in doc.paragraphs) + "\n".join(
        c.text for t in doc.tables for r in t.rows for c in r.cells)
    assert "12. marts 2026" in text.replace("\xa0", " ")
