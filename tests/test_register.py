"""The register (issue 13): identity, versions, case numbers, decisions, status, concurrency."""

from __future__ import annotations

import datetime as dt
import json
import multiprocessing
import os
import shutil
import signal
import sqlite3
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from sagsgenerator.config import DEFAULT_CONFIG
from sagsgenerator.danish import Period
from sagsgenerator.model import PROPOSAL_COLUMNS, FollowUp, Proposal, RowSource, WorkingGroup
from sagsgenerator.register import (CaseNumberPatternError, ChangeKind, Light, ProposalKey,
                                    Register, RegisterBusy, RegisterError, RegisterUnusable,
                                    RegisterValueError, UnknownProposal, format_case_number,
                                    format_change_lines, parse_pattern)
from sagsgenerator.register.export import data_of

PERIOD = "2026-2029"
FIXTURE = Path(__file__).parent / "data" / "register-v1.db"
LETTERS = {c.field: chr(ord("A") + i) for i, c in enumerate(PROPOSAL_COLUMNS)}
COMMITTEES = {"Børn og unge": "Børne- og Undervisningsudvalget",
              "Ældre": "Social- og Sundhedsudvalget"}
D = dt.date


def group(name: str = "Børn og unge") -> WorkingGroup:
    return WorkingGroup.model_construct(
        name=name, focus_area=name.strip(), coordinator="Mette Hansen", email=None,
        committee=COMMITTEES.get(name.strip(), "Social- og Sundhedsudvalget"), date=D(2026, 1, 15))


def make(nr: int, group_name: str = "Børn og unge", *, file: str = "boern-og-unge.xlsx",
         row: int | None = None, **changes: Any) -> Proposal:
    """A validated proposal as the reader gives it: typed values, source cells by field."""
    row = nr + 1 if row is None else row
    values: dict[str, Any] = {
        "number": nr, "title": f"Røgfri skoletid {nr}", "kind": "Handlingsforslag",
        "package": "Tobak", "theme": "Borgernes mulighed for et sundt hverdagsliv",
        "area": "Tobak (rygning)", "goal": "Færre borgere, der ryger dagligt",
        "purpose": "Færre unge begynder at ryge.", "target_group": "Elever i 7.-10. klasse.",
        "problem_size": "12 % af de 15-årige ryger dagligt.",
        "content": "Røgfri skoletid på alle skoler.", "centre": "Børn og Forebyggelse",
        "partners": "Skolerne og SSP.", "monitoring": "Ungeprofilundersøgelsen hvert andet år.",
        "indicators": ["Andel unge, der ryger", "Antal skoler med røgfri skoletid"],
        "start": Period(2026, 3),
        "follow_up": FollowUp(text="Slut-evaluering april 2027", period=Period(2027, 4)),
        "cost_start": Decimal(75000), "cost_yearly": Decimal(250000),
        "financing": "Inden for eget budget",
        "summary": "Røgfri skoletid skal forebygge, at unge begynder at ryge.",
        "priority": None, "owner": None, "status": "Forslag",
    }
    values.update(changes)
    source = RowSource(file=file, sheet="Forslag", row=row,
                       cells={name: f"{letter}{row}" for name, letter in LETTERS.items()})
    return Proposal.model_construct(**values, source=source, group=group(group_name))


def key(nr: int, group_name: str = "børn og unge") -> ProposalKey:
    return ProposalKey(PERIOD, group_name, nr)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "sagsgenerator.db"


@pytest.fixture
def reg(db: Path):
    register = Register.open(db)
    yield register
    register.close()


def record_all(reg: Register, today: dt.date, proposals: list[Proposal], **kw: Any) -> dict:
    with reg.round(today=today, period=PERIOD, **kw) as rnd:
        results = {}
        for p in proposals:
            recorded = rnd.record(p)
            results[recorded.key] = (recorded, rnd.case_number(recorded.key))
    return results


# -- identity and case numbers ----------------------------------------------------------------

def test_case_number_stable_across_runs(reg: Register, db: Path) -> None:
    alone = record_all(reg, D(2026, 2, 1), [make(n) for n in (1, 2, 3)])
    assert [n for _, n in alone.values()] == ["2026-001", "2026-002", "2026-003"]

    together = record_all(reg, D(2026, 2, 2), [make(n, "Ældre", file="aeldre.xlsx")
                                               for n in (1, 2)] + [make(n) for n in (1, 2, 3)])
    assert {k: n for k, (_, n) in together.items() if k.group == "børn og unge"} == \
        {k: n for k, (_, n) in alone.items()}
    assert together[key(1, "ældre")][1] == "2026-004"

    # A new version of the workbook: another file name, rows moved, a field changed,
    # the group name typed differently.
    renewed = [make(n, " børn og  Unge ", file="boern-og-unge-v2.xlsx", row=10 + n,
                    content="Røgfri skoletid og rygestopkurser.") for n in (3, 2, 1)]
    again = record_all(reg, D(2026, 3, 1), renewed)
    assert all(recorded.stored and recorded.version == 2 for recorded, _ in again.values())
    assert {k: n for k, (_, n) in again.items()} == {k: n for k, (_, n) in alone.items()}

    # Another connection (the web page) reads the same numbers, without assigning any.
    with Register.open(db) as web:
        assert web.case_number_of(key(2)) == "2026-002"
        assert web.case_number_of(key(2, "ældre")) == "2026-005"


def test_case_numbers_never_reused_after_withdrawal(reg: Register) -> None:
    record_all(reg, D(2026, 2, 1), [make(n) for n in (1, 2, 3)])
    with reg.round(today=D(2026, 3, 1), period=PERIOD) as rnd:
        for n in (1, 2):
            rnd.record(make(n))
        assert rnd.withdraw_missing("Børn og unge", [1, 2]) == [key(3)]
        assert rnd.withdraw_missing("Børn og unge", [1, 2]) == []  # already withdrawn
        rnd.record(make(4, title="Motion i frikvarteret"))
        assert rnd.case_number(key(4)) == "2026-004"
    assert reg.case_number_of(key(3)) == "2026-003"
    entry = next(e for e in reg.entries() if e.key == key(3))
    assert entry.withdrawn_on == D(2026, 3, 1)

    # It comes back: same number, and a warning saying so.
    with reg.round(today=D(2026, 4, 1), period=PERIOD) as rnd:
        recorded = rnd.record(make(3))
        assert rnd.case_number(key(3)) == "2026-003"
    assert [w.code for w in recorded.warnings] == ["register-reinstated"]
    assert "trukket tilbage" in recorded.warnings[0].message


def test_committee_case_number_is_its_own(reg: Register) -> None:
    record_all(reg, D(2026, 2, 1), [make(1), make(2)])
    with reg.round(today=D(2026, 2, 1), period=PERIOD) as rnd:
        ssu = rnd.committee_case_number("Social- og Sundhedsudvalget", D(2026, 3, 12))
        assert rnd.committee_case_number(" social- og sundhedsudvalget", D(2026, 3, 12)) == ssu
        later = rnd.committee_case_number("Social- og Sundhedsudvalget", D(2026, 5, 7))
        rnd.record(make(3))
        third = rnd.case_number(key(3))
    assert (ssu, later, third) == ("2026-003", "2026-004", "2026-005")
    with reg.round(today=D(2026, 6, 1), period=PERIOD) as rnd:
        assert rnd.committee_case_number("Social- og Sundhedsudvalget", D(2026, 3, 12)) == ssu
    assert reg.committee_case_of("Social- og Sundhedsudvalget", D(2026, 3, 12)) == ssu


def test_case_number_counter_per_year(db: Path) -> None:
    config = DEFAULT_CONFIG.model_copy(update={"case_number_pattern": "{udvalg}-{aar}/{nr:04d}"})
    with Register.open(db, config) as reg:
        record_all(reg, D(2026, 12, 30), [make(1)])
        numbers = record_all(reg, D(2027, 1, 4), [make(1), make(2)])
    assert [n for _, n in numbers.values()] == ["BUU-2026/0001", "BUU-2027/0001"]


def test_key_text_and_lookup(reg: Register) -> None:
    record_all(reg, D(2026, 2, 1), [make(2)])
    k = key(2)
    assert k.text == "2026-2029|børn og unge|2"
    assert ProposalKey.of(make(2, "  BØRN og   unge "), PERIOD) == k
    assert ProposalKey.parse(k.text) == k
    assert reg.lookup(k.text) == k
    assert reg.lookup(k.id) == k and len(k.id) == 12
    assert reg.lookup("2026-2029|børn og unge|9") is None
    assert reg.lookup("noget andet") is None


# -- versions and changes ---------------------------------------------------------------------

def test_three_changed_fields(reg: Register) -> None:
    record_all(reg, D(2026, 2, 1), [make(2)])
    changed = make(2, file="boern-og-unge-v2.xlsx", target_group="Alle elever i 0.-10. klasse.",
                   cost_start=Decimal("100000"), start=Period(2026, 8))
    with reg.round(today=D(2026, 3, 1), period=PERIOD) as rnd:
        recorded = rnd.record(changed)
    assert recorded.stored and recorded.version == 2
    assert [(c.header, c.old, c.new, str(c.cell)) for c in recorded.changes] == [
        ("Målgruppe", "Elever i 7.-10. klasse.", "Alle elever i 0.-10. klasse.",
         "boern-og-unge-v2.xlsx, Forslag!I3"),
        ("Opstart", "marts 2026", "august 2026", "boern-og-unge-v2.xlsx, Forslag!P3"),
        ("Ressourcer opstart (kr.)", "75.000 kr.", "100.000 kr.",
         "boern-og-unge-v2.xlsx, Forslag!R3"),
    ]
    since = reg.changes_since(D(2026, 2, 1))
    assert [(c.key, c.kind, len(c.changes), c.old_version, c.new_version) for c in since] == [
        (key(2), ChangeKind.CHANGED, 3, 1, 2)]
    assert format_change_lines(since)[0] == (
        "Børn og unge nr. 2 »Røgfri skoletid 2«: Målgruppe: »Elever i 7.-10. klasse.« → "
        "»Alle elever i 0.-10. klasse.« (boern-og-unge-v2.xlsx, Forslag!I3)")
    # Since the round number of the first round: the same; since today: nothing.
    assert [len(c.changes) for c in reg.changes_since(1)] == [3]
    assert reg.changes_since(D(2026, 3, 1)) == []
    # The old side, for tracked changes: the proposal as the first round saw it.
    old = reg.proposal(key(2), D(2026, 2, 15))
    assert (old.target_group, old.cost_start, old.start) == (
        "Elever i 7.-10. klasse.", Decimal(75000), Period(2026, 3))
    assert old.source.file == "boern-og-unge.xlsx" and old.group.name == "Børn og unge"
    assert reg.proposal(key(2)).target_group == "Alle elever i 0.-10. klasse."
    assert reg.proposal(key(2), D(2026, 1, 1)) is None


def test_changes_since_new_and_withdrawn(reg: Register) -> None:
    record_all(reg, D(2026, 2, 1), [make(1), make(2)])
    with reg.round(today=D(2026, 3, 1), period=PERIOD) as rnd:
        rnd.record(make(1))
        rnd.record(make(3, title="Motion i frikvarteret"))
        rnd.withdraw_missing("Børn og unge", [1, 3])
    lines = format_change_lines(reg.changes_since(D(2026, 2, 1)))
    assert lines == ["Børn og unge nr. 2 »Røgfri skoletid 2«: trukket tilbage",
                     "Børn og unge nr. 3 »Motion i frikvarteret«: nyt forslag"]


def test_unchanged_round_stores_no_version(reg: Register) -> None:
    record_all(reg, D(2026, 2, 1), [make(1)])
    # Same values, another file and row, amounts written another way.
    again = make(1, file="kopi.xlsx", row=40, cost_start=Decimal("75000.00"))
    with reg.round(today=D(2026, 3, 1), period=PERIOD) as rnd:
        recorded = rnd.record(again)
    assert (recorded.stored, recorded.version, recorded.changes, recorded.warnings) == (
        False, 1, (), ())
    assert [v.version for v in reg.versions(key(1))] == [1]
    assert reg.changes_since(D(2026, 2, 1)) == []


def test_title_changed_completely_is_refused_with_warning(reg: Register) -> None:
    record_all(reg, D(2026, 2, 1), [make(1, title="Røgfri skoletid"),
                                    make(2, title="Motion for seniorer")])
    with reg.round(today=D(2026, 3, 1), period=PERIOD) as rnd:
        small = rnd.record(make(1, title="Røgfri skoletid på alle skoler"))
        renamed = rnd.record(make(2, title="Sund kantinemad"))
        renumbered = rnd.record(make(1, title="Motion for seniorerne"))
    assert small.stored and small.warnings == ()
    assert not renamed.stored and renamed.version == 1
    assert [(w.code, w.params) for w in renamed.warnings] == [
        ("register-title-changed", {"group": "Børn og unge", "number": "2",
                                    "old": "Motion for seniorer", "new": "Sund kantinemad"})]
    assert "omnummereret" in renamed.warnings[0].message
    assert [w.code for w in renumbered.warnings] == ["register-title-changed",
                                                     "register-renumbered"]
    assert renumbered.warnings[1].params["other"] == "2"
    assert reg.version(key(2)).values["title"] == "Motion for seniorer"
    with reg.round(today=D(2026, 3, 2), period=PERIOD) as rnd:
        accepted = rnd.record(make(2, title="Sund kantinemad"), accept_title_change=True)
    assert accepted.stored and reg.version(key(2)).values["title"] == "Sund kantinemad"


# -- decisions and status ---------------------------------------------------------------------

def test_decision_stands_against_later_group_value(reg: Register) -> None:
    record_all(reg, D(2026, 2, 1), [make(1, priority=2, owner="Centerchef")])
    with reg.round(today=D(2026, 3, 10), period=PERIOD) as rnd:
        first = rnd.record_decision(key(1), "Prioritet", 1, D(2026, 3, 5),
                                    "handleplan.xlsx, Handleplan!D2")
        rnd.record_decision(key(1), "financing", "Sundhedsområdets midler", D(2026, 3, 5))
        rnd.record_decision(key(1), "Opstart", Period(2026, 9), D(2026, 3, 5))
        again = rnd.record_decision(key(1), "Prioritet", 1, D(2026, 3, 6))
        with pytest.raises(RegisterValueError, match="kan ikke besluttes"):
            rnd.record_decision(key(1), "Titel", "Ny titel", D(2026, 3, 5))
    assert first.new and not again.new
    assert len(reg.decision_history(key(1))) == 3

    with reg.round(today=D(2026, 4, 1), period=PERIOD) as rnd:
        recorded = rnd.record(make(1, priority=3, owner="Skolechef"))
    assert recorded.stored  # the group's values are kept as they wrote them ...
    assert [(w.code, w.params["header"], w.params["value"], w.params["decision"])
            for w in recorded.warnings] == [("decision-contradicted", "Prioritet", "3", "1")]
    assert "Beslutningen gælder" in recorded.warnings[0].message
    assert "boern-og-unge.xlsx, Forslag!V2" in recorded.warnings[0].message
    current = reg.proposal(key(1))  # ... and the decision stands
    assert (current.priority, current.financing, current.start, current.owner) == (
        1, "Sundhedsområdets midler", Period(2026, 9), "Skolechef")
    assert reg.proposal(key(1), decisions=False).priority == 3
    assert reg.decisions(key(1))["priority"].source == "handleplan.xlsx, Handleplan!D2"
    assert set(reg.decisions(key(1), D(2026, 3, 1))) == set()


def test_status_history_and_traffic_light(reg: Register) -> None:
    record_all(reg, D(2026, 2, 1), [make(1, follow_up=FollowUp(text="Januar 2027",
                                                               period=Period(2027, 1)))])
    with reg.round(today=D(2026, 3, 5), period=PERIOD) as rnd:
        rnd.record_decision(key(1), "Status", "Prioriteret", D(2026, 3, 5), "handleplan.xlsx")
        rnd.record_status(key(1), "Godkendt", D(2026, 4, 9), "udvalgsmøde")
        rnd.record_status(key(1), "Igangsat", D(2026, 9, 1))
        assert rnd.record_status(key(1), "Igangsat", D(2026, 9, 2)) is None
        with pytest.raises(RegisterValueError, match="Status »Måske« kendes ikke"):
            rnd.record_status(key(1), "Måske", D(2026, 9, 2))
    assert [(s.status, s.on) for s in reg.status_history(key(1))] == [
        ("Forslag", D(2026, 2, 1)), ("Prioriteret", D(2026, 3, 5)),
        ("Godkendt", D(2026, 4, 9)), ("Igangsat", D(2026, 9, 1))]
    assert reg.status(key(1)).status == "Igangsat"

    def light(today: dt.date) -> tuple[Light, str]:
        found = reg.traffic_light(key(1), today, months=3)
        return found.light, found.text

    assert light(D(2026, 9, 15)) == (Light.GREEN, "Grøn: næste opfølgning i januar 2027")
    assert light(D(2026, 11, 1)) == (Light.YELLOW,
                                     "Gul: opfølgningen i januar 2027 er inden for 3 måneder")
    assert light(D(2027, 2, 1)) == (Light.RED, "Rød: opfølgningen i januar 2027 er overskredet")
    with reg.round(today=D(2027, 2, 3), period=PERIOD) as rnd:
        rnd.record_status(key(1), "Afsluttet", D(2027, 2, 3))
    assert light(D(2027, 2, 5)) == (Light.GREEN, "Grøn: afsluttet 3. februar 2027")
    entry = reg.entries()[0]
    assert (entry.status, entry.last_change, entry.versions) == ("Afsluttet", D(2027, 2, 3), 1)


def test_status_column_change_enters_history(reg: Register) -> None:
    record_all(reg, D(2026, 2, 1), [make(1)])
    record_all(reg, D(2026, 5, 1), [make(1, status="Igangsat")])
    assert [(s.status, s.on, s.source) for s in reg.status_history(key(1))] == [
        ("Forslag", D(2026, 2, 1), "boern-og-unge.xlsx, Forslag!X2"),
        ("Igangsat", D(2026, 5, 1), "boern-og-unge.xlsx, Forslag!X2")]


# -- transactions and concurrency -------------------------------------------------------------

def test_exception_rolls_back_the_whole_round(reg: Register) -> None:
    record_all(reg, D(2026, 2, 1), [make(1)])
    before = data_of(reg)
    with pytest.raises(ZeroDivisionError):
        with reg.round(today=D(2026, 3, 1), period=PERIOD) as rnd:
            rnd.record(make(1, content="Ændret"))
            rnd.record(make(2))
            rnd.case_number(key(2))
            1 / 0
    assert data_of(reg) == before
    with reg.round(today=D(2026, 3, 2), period=PERIOD) as rnd:
        rnd.record(make(2))
        assert rnd.case_number(key(2)) == "2026-002"  # the rolled-back number is free again


def _writer(path: str, group_name: str, barrier: Any, hold: float, queue: Any) -> None:
    try:
        barrier.wait()
        with Register.open(path) as reg, reg.round(today=D(2026, 2, 1), period=PERIOD) as rnd:
            for n in (1, 2, 3):
                rnd.record(make(n, group_name))
                rnd.case_number(ProposalKey.of(make(n, group_name), PERIOD))
            time.sleep(hold)
        queue.put(("ok", group_name))
    except RegisterBusy as exc:
        queue.put(("busy", exc.danish))
    except BaseException as exc:  # noqa: BLE001 (the parent reports it)
        queue.put(("error", repr(exc)))


def test_two_processes_write_at_once(db: Path) -> None:
    Register.open(db).close()
    ctx = multiprocessing.get_context("fork")
    barrier, queue = ctx.Barrier(2), ctx.Queue()
    workers = [ctx.Process(target=_writer, args=(str(db), name, barrier, 0.5, queue))
               for name in ("Børn og unge", "Ældre")]
    for w in workers:
        w.start()
    results = sorted(queue.get(timeout=30) for _ in workers)
    for w in workers:
        w.join(10)
    assert results == [("ok", "Børn og unge"), ("ok", "Ældre")]
    with Register.open(db) as reg:
        numbers = [e.case_number for e in reg.entries()]
        assert len(reg.entries()) == 6
        assert sorted(numbers) == [f"2026-{n:03d}" for n in range(1, 7)]
        assert reg.integrity() == "ok"


def test_busy_register_gives_danish_message(db: Path) -> None:
    Register.open(db).close()
    ctx = multiprocessing.get_context("fork")
    barrier, queue = ctx.Barrier(2), ctx.Queue()
    holder = ctx.Process(target=_writer, args=(str(db), "Ældre", barrier, 3.0, queue))
    holder.start()
    barrier.wait()
    time.sleep(1.0)  # the holder has begun its round
    with Register.open(db, busy_timeout=0.2) as reg:
        assert reg.entries() == []  # reading works meanwhile, and sees nothing uncommitted
        with pytest.raises(RegisterBusy) as caught:
            with reg.round(today=D(2026, 2, 1), period=PERIOD) as rnd:
                rnd.record(make(1))
        assert caught.value.danish.startswith("Registret er optaget af en anden kørsel")
        assert str(db) in caught.value.danish
    assert queue.get(timeout=30) == ("ok", "Ældre")
    holder.join(10)


def _killed_writer(path: str, written: Any) -> None:
    with Register.open(path) as reg, reg.round(today=D(2026, 3, 1), period=PERIOD) as rnd:
        rnd.record(make(1, content="Skal ikke gemmes"))
        rnd.record(make(5))
        rnd.case_number(key(5))
        rnd.committee_case_number("Social- og Sundhedsudvalget", D(2026, 3, 12))
        written.set()
        time.sleep(60)


def test_sigkill_mid_round_leaves_register_as_before(db: Path) -> None:
    with Register.open(db) as reg:
        record_all(reg, D(2026, 2, 1), [make(1), make(2)])
        before = data_of(reg)
    ctx = multiprocessing.get_context("fork")
    written = ctx.Event()
    child = ctx.Process(target=_killed_writer, args=(str(db), written))
    child.start()
    assert written.wait(30)
    os.kill(child.pid, signal.SIGKILL)
    child.join(10)
    assert child.exitcode == -signal.SIGKILL
    with Register.open(db) as reg:
        assert data_of(reg) == before
        assert reg.integrity() == "ok"
        with reg.round(today=D(2026, 3, 2), period=PERIOD) as rnd:  # and it is writable
            rnd.record(make(5))
            assert rnd.case_number(key(5)) == "2026-003"


# -- files: migration, unusable files, export, backup -----------------------------------------

def test_migration_from_first_schema(tmp_path: Path) -> None:
    copy = tmp_path / "gammelt.db"
    shutil.copy(FIXTURE, copy)
    with sqlite3.connect(copy) as raw:
        assert raw.execute("PRAGMA user_version").fetchone()[0] == 1
    with Register.open(copy) as reg:
        assert reg.schema_version == 2
        entries = {(e.group_name, e.number): e for e in reg.entries()}
        assert {k: (e.case_number, e.versions, e.status, e.withdrawn_on)
                for k, e in entries.items()} == {
            ("Børn og unge", 1): ("2026-001", 1, "Forslag", None),
            ("Børn og unge", 2): (None, 2, "Prioriteret", None),
            ("Ældre", 1): ("2026-002", 1, "Forslag", D(2026, 2, 20)),
        }
        # The status history was built from the versions' Status column.
        assert [(s.status, s.on) for s in reg.status_history(key(2))] == [
            ("Forslag", D(2026, 1, 20)), ("Prioriteret", D(2026, 2, 20))]
        changes = reg.changes_since(1)
        assert [(c.header, c.new) for c in changes[0].changes] == [
            ("Målgruppe", "Alle elever i 0.-6. klasse."), ("Status", "Prioriteret")]
        assert reg.committee_case_of("Social- og Sundhedsudvalget", D(2026, 3, 12)) == "2026-003"
        with reg.round(today=D(2026, 4, 1), period=PERIOD) as rnd:
            assert rnd.case_number(key(2)) == "2026-004"  # the counter survived
            rnd.record_decision(key(2), "Projektejer", "Skolechef", D(2026, 4, 1))
        assert reg.integrity() == "ok"
    with Register.open(copy) as reg:  # opening again migrates nothing
        assert reg.schema_version == 2 and reg.proposal(key(2)).owner == "Skolechef"


def test_unusable_files_give_danish_messages(tmp_path: Path) -> None:
    text = tmp_path / "noter.db"
    text.write_text("ikke en database " * 100, encoding="utf-8")
    with pytest.raises(RegisterUnusable, match="ikke et register fra sagsgenerator") as caught:
        Register.open(text)
    assert str(text) in caught.value.danish

    other = tmp_path / "andet.db"
    with sqlite3.connect(other) as raw:
        raw.execute("CREATE TABLE t (x)")
    with pytest.raises(RegisterUnusable, match="SQLite-database, men ikke et register"):
        Register.open(other)

    newer = tmp_path / "nyere.db"
    Register.open(newer).close()
    with sqlite3.connect(newer) as raw:
        raw.execute("PRAGMA user_version = 99")
    with pytest.raises(RegisterUnusable, match="nyere sagsgenerator") as caught:
        Register.open(newer)
    assert str(newer) in caught.value.danish

    with pytest.raises(RegisterUnusable, match="er en mappe"):
        Register.open(tmp_path)


@pytest.mark.parametrize("pattern", ["{nr.__class__}", "{nr:099999999d}", "{nr!r}",
                                     "{nr[0]}", "{aar}", "{__import__}", "{nr:>8}", "{periode:10}",
                                     "{nr", "{nr:07d}"])
def test_unsafe_case_number_patterns_are_rejected(pattern: str, db: Path) -> None:
    with pytest.raises(CaseNumberPatternError, match="kan ikke bruges") as caught:
        parse_pattern(pattern)
    assert "{aar}-{nr:03d}" in caught.value.danish
    config = DEFAULT_CONFIG.model_copy(update={"case_number_pattern": pattern})
    with pytest.raises(CaseNumberPatternError):
        Register.open(db, config)


@pytest.mark.parametrize("pattern, expected", [
    ("{aar}-{nr:03d}", "2026-007"), ("{nr}", "7"), ("{udvalg}/{aar}/{nr:06d}", "SSU/2026/000007"),
    ("Sag {periode}.{nr:2}", "Sag 2026-2029. 7"),
])
def test_case_number_patterns(pattern: str, expected: str) -> None:
    values = {"aar": 2026, "nr": 7, "udvalg": "SSU", "periode": "2026-2029"}
    assert format_case_number(pattern, values) == expected


def test_export_xlsx_and_json(reg: Register, tmp_path: Path) -> None:
    record_all(reg, D(2026, 2, 1), [make(1, title="=HYPERLINK(\"http://x\")"),
                                    make(2, owner="@chef", purpose="_x0041_ bogstaveligt")])
    with reg.round(today=D(2026, 3, 1), period=PERIOD) as rnd:
        rnd.record_decision(key(2), "Prioritet", 1, D(2026, 3, 1), "handleplan.xlsx")
        rnd.committee_case_number("Social- og Sundhedsudvalget", D(2026, 3, 12))

    xlsx = reg.export(tmp_path / "register.xlsx")
    book = openpyxl.load_workbook(xlsx)
    assert book.sheetnames == ["Register", "Beslutninger", "Statushistorik", "Udvalgssager"]
    sheet = book["Register"]
    headers = [c.value for c in sheet[1]]
    rows = [dict(zip(headers, (c.value for c in r))) for r in sheet.iter_rows(min_row=2)]
    assert [(r["Nøgle"], r["Titel"], r["Sagsnummer"], r["Versioner"]) for r in rows] == [
        ("2026-2029|børn og unge|1", "=HYPERLINK(\"http://x\")", "2026-001", 1),
        ("2026-2029|børn og unge|2", "Røgfri skoletid 2", "2026-002", 1)]
    assert all(c.data_type != "f" for r in sheet.iter_rows() for c in r)
    assert rows[1]["Prioritet"] == "1" and rows[1]["Projektejer"] == "@chef"
    assert rows[1]["Formål og forventet effekt"] == "_x005F_x0041_ bogstaveligt"
    assert [c.value for c in book["Beslutninger"][2]][3:5] == ["Prioritet", "1"]
    assert [c.value for c in book["Udvalgssager"][2]][2] == "2026-003"

    data = json.loads(reg.export(tmp_path / "register.json").read_text(encoding="utf-8"))
    assert data["schema_version"] == 2
    assert [p["key"] for p in data["proposals"]] == ["2026-2029|børn og unge|1",
                                                     "2026-2029|børn og unge|2"]
    second = data["proposals"][1]
    assert second["versions"][0]["values"]["cost_start"] == "75000"
    assert second["versions"][0]["cells"]["target_group"] == "I3"
    assert second["decisions"] == [{"field": "priority", "header": "Prioritet", "value": 1,
                                    "decided_on": "2026-03-01", "source": "handleplan.xlsx"}]
    assert data["committee_cases"][0]["case_number"] == "2026-003"
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


def test_backup_is_a_complete_standalone_copy(reg: Register, tmp_path: Path) -> None:
    record_all(reg, D(2026, 2, 1), [make(1), make(2, "Ældre", file="aeldre.xlsx")])
    target = tmp_path / "backup" / "kopi.db"
    target.parent.mkdir()
    target.write_bytes(b"old")  # replaced, not appended to
    reg.backup(target)
    assert sorted(p.name for p in target.parent.iterdir()) == ["kopi.db"]
    with Register.open(target) as copy:
        assert copy.entries() == reg.entries()
        assert data_of(copy) == data_of(reg)
        assert copy.integrity() == "ok"


def test_export_and_backup_errors_are_danish(reg: Register, tmp_path: Path) -> None:
    with pytest.raises(RegisterError, match="kan kun eksporteres til .xlsx eller .json"):
        reg.export(tmp_path / "register.csv")
    with pytest.raises(RegisterError, match="kan ikke skrives") as caught:
        reg.export(tmp_path / "findes-ikke" / "register.xlsx")
    assert "findes-ikke" in caught.value.danish
    with pytest.raises(RegisterError, match="kan ikke skrives"):
        reg.backup(tmp_path / "findes-ikke" / "kopi.db")


def test_round_misuse(reg: Register) -> None:
    with reg.round(today=D(2026, 2, 1), period=PERIOD) as rnd:
        with pytest.raises(UnknownProposal, match="findes ikke i registret"):
            rnd.case_number(key(7))
        with pytest.raises(RegisterError, match="allerede"):
            with reg.round(today=D(2026, 2, 1), period=PERIOD):
                pass
    with pytest.raises(RegisterError, match="afsluttet"):
        rnd.record(make(1))
    with pytest.raises(RegisterValueError, match="Perioden"):
        with reg.round(today=D(2026, 2, 1), period="2026|2029"):
            pass
