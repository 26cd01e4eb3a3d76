"""The register: one SQLite file that remembers proposals across rounds and years.

The command line and the web server share the file: WAL mode lets readers work while one
run writes, and a busy timeout makes a second writer wait for the first. Every run writes
inside one `BEGIN IMMEDIATE` transaction (`Register.round`), so an exception or a killed
process leaves the register exactly as before the run.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from ..config import DEFAULT_CONFIG, Config
from ..danish import format_date, sort_key
from ..model import Proposal, RowSource, WorkingGroup
from ..casenumber import committee_abbreviation, fields_used, format_case_number
from .changes import Cell, ChangeKind, FieldChange, ProposalChanges, diff
from .decisions import DECISION_FIELDS, Decision
from .errors import (RegisterBusy, RegisterError, RegisterUnusable, RegisterValueError,
                     RegisterWarning, UnknownProposal, cannot_write)
from .fields import COLUMNS, HEADERS, decode, encode, field_name, values_of
from .identity import ProposalKey, normalise_group, same_title, title_similarity
from .schema import APPLICATION_ID, LATEST, MIGRATIONS
from .status import StatusEntry, TrafficLight, traffic_light

DEFAULT_NAME = "sagsgenerator.db"
BUSY_TIMEOUT = 10.0

# A point in the register's history: a date (everything recorded on or before it) or a
# round number (everything recorded in that round or before).
At = dt.date | int | None


@dataclass(frozen=True)
class Version:
    """One stored version of a proposal: every field's value and the cell it came from."""

    key: ProposalKey
    version: int
    round: int
    recorded_on: dt.date
    file: str
    sheet: str
    row: int | None
    stored: dict[str, str]          # field -> JSON (fields.encode)
    cells: dict[str, str]           # field -> "I3"
    working_group: dict[str, Any]

    @property
    def values(self) -> dict[str, Any]:
        """Field -> value, as the Proposal model holds it."""
        return {name: decode(name, text) for name, text in self.stored.items()}

    def cell(self, name: str) -> Cell | None:
        """Where this version's value of a field was read (None when it had no source)."""
        ref = self.cells.get(name)
        return Cell(self.file, self.sheet, ref) if self.file else None

    def proposal(self) -> Proposal:
        """The version as a Proposal (with source and working group), e.g. to render it."""
        group = dict(self.working_group)
        if group.get("date"):
            group["date"] = dt.date.fromisoformat(group["date"])
        source = RowSource(file=self.file, sheet=self.sheet, row=self.row or 0,
                           cells=dict(self.cells))
        return Proposal.model_construct(**self.values, source=source,
                                        group=WorkingGroup.model_construct(**group) if group else None)


@dataclass(frozen=True)
class Recorded:
    """What `Round.record` did with one proposal."""

    key: ProposalKey
    version: int                    # the proposal's current version after recording
    stored: bool                    # a new version was stored (False: unchanged or refused)
    first: bool = False             # the proposal was not in the register before
    changes: tuple[FieldChange, ...] = ()
    warnings: tuple[RegisterWarning, ...] = ()


@dataclass(frozen=True)
class Entry:
    """One line of `sagsgenerator status`."""

    key: ProposalKey
    group_name: str
    number: int
    title: str
    versions: int
    case_number: str | None
    status: str
    last_change: dt.date
    withdrawn_on: dt.date | None = None


@dataclass(frozen=True)
class RoundInfo:
    """A run that wrote to the register."""

    id: int
    today: dt.date
    period: str
    note: str
    started_at: str


def _date(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def _is_busy(exc: sqlite3.Error) -> bool:
    name = getattr(exc, "sqlite_errorname", "")
    return name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")) or "locked" in str(exc)


class Register:
    """The register file. Open it with `Register.open(path, config)`; write with `round()`.

    A Register (its sqlite3 connection) belongs to the thread that opened it: the web server
    opens one per request, which is cheap.
    """

    def __init__(self, conn: sqlite3.Connection, path: Path, config: Config):
        self._conn = conn
        self.path = path
        self.config = config
        self.case_number_pattern = config.case_number_pattern
        # A bad pattern stops here, in Danish; the fields that scope its counter.
        self._scope_fields = [name for name in fields_used(self.case_number_pattern)
                              if name != "nr"]

    # -- opening ---------------------------------------------------------------------------

    @classmethod
    def open(cls, path: str | os.PathLike[str], config: Config = DEFAULT_CONFIG, *,
             busy_timeout: float = BUSY_TIMEOUT) -> Register:
        """Open (or create) the register and bring its schema to the latest version."""
        path = Path(path)
        if path.is_dir():
            raise RegisterUnusable(f"Registret {path} er en mappe, ikke en fil. "
                                   f"Angiv en fil, fx {path / DEFAULT_NAME}.")
        try:
            conn = sqlite3.connect(path, timeout=busy_timeout, isolation_level=None)
        except sqlite3.Error as exc:
            raise RegisterUnusable(f"Registret {path} kan ikke åbnes ({exc}). Findes mappen, "
                                   "og må der skrives i den?") from exc
        try:
            conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout * 1000)}")
            _check_file(conn, path)
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA foreign_keys = ON")
            _migrate(conn)
        except sqlite3.DatabaseError as exc:
            conn.close()
            if _is_busy(exc):
                raise _busy(path) from exc
            raise RegisterUnusable(f"Filen {path} er ikke et register fra sagsgenerator "
                                   f"(ikke en SQLite-database, eller den er beskadiget: {exc}).") from exc
        except BaseException:
            conn.close()
            raise
        return cls(conn, path, config)

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> Register:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def schema_version(self) -> int:
        return self._conn.execute("PRAGMA user_version").fetchone()[0]

    # -- writing ---------------------------------------------------------------------------

    @contextmanager
    def round(self, *, today: dt.date, period: str, note: str = "") -> Iterator[Round]:
        """One run's writes, all or nothing: `with register.round(today=..., period=...) as rnd:`."""
        if not period or "|" in period:
            raise RegisterValueError(f"Perioden »{period}« kan ikke bruges i registret. "
                                     "Skriv fx 2026-2029 under [periode] i konfigurationen.")
        if self._conn.in_transaction:
            raise RegisterError("En kørsel skriver allerede i registret fra denne forbindelse.")
        try:
            self._conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            if _is_busy(exc):
                raise _busy(self.path) from exc
            raise
        rnd = None
        try:
            cursor = self._conn.execute(
                "INSERT INTO rounds (today, period, note, started_at) VALUES (?, ?, ?, ?)",
                (today.isoformat(), period, note,
                 dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")))
            rnd = Round(self, cursor.lastrowid, today, period, note)
            yield rnd
            self._conn.execute("COMMIT")
        except BaseException as exc:
            if self._conn.in_transaction:
                self._conn.execute("ROLLBACK")
            if isinstance(exc, sqlite3.OperationalError) and _is_busy(exc):
                raise _busy(self.path) from exc
            raise
        finally:
            if rnd is not None:
                rnd._open = False

    # -- reading ---------------------------------------------------------------------------

    @contextmanager
    def _reading(self) -> Iterator[sqlite3.Connection]:
        """One consistent snapshot for several SELECTs (or the running round's own view)."""
        if self._conn.in_transaction:
            yield self._conn
            return
        self._conn.execute("BEGIN")
        try:
            yield self._conn
        finally:
            self._conn.execute("COMMIT")

    def _row(self, key: ProposalKey) -> sqlite3.Row | None:
        cursor = self._conn.execute(
            "SELECT * FROM proposals WHERE period = ? AND group_key = ? AND number = ?",
            (key.period, key.group, key.number))
        cursor.row_factory = sqlite3.Row
        return cursor.fetchone()

    def _require(self, key: ProposalKey) -> sqlite3.Row:
        row = self._row(key)
        if row is None:
            raise UnknownProposal(f"Forslaget {key.text} findes ikke i registret {self.path}.")
        return row

    def _key(self, row: sqlite3.Row) -> ProposalKey:
        return ProposalKey(row["period"], row["group_key"], row["number"])

    def _versions(self, proposal_id: int, key: ProposalKey, at: At = None,
                  latest: bool = False) -> list[Version]:
        """The stored versions, oldest first (`latest`: only the last one)."""
        where, args = "", [proposal_id]
        if isinstance(at, dt.date):
            where, args = " AND v.recorded_on <= ?", [proposal_id, at.isoformat()]
        elif isinstance(at, int):
            where, args = " AND v.round_id <= ?", [proposal_id, at]
        rows = self._conn.execute(
            "SELECT v.id, v.version, v.round_id, v.recorded_on, v.file, v.sheet, v.row, "
            "v.working_group FROM versions v WHERE v.proposal_id = ?" + where +
            (" ORDER BY v.version DESC LIMIT 1" if latest else " ORDER BY v.version"),
            args).fetchall()
        result = []
        for vid, number, round_id, recorded_on, file, sheet, row, group in rows:
            stored, cells = {}, {}
            for name, value, cell in self._conn.execute(
                    "SELECT field, value, cell FROM field_values WHERE version_id = ?", (vid,)):
                stored[name] = value
                if cell:
                    cells[name] = cell
            result.append(Version(key=key, version=number, round=round_id,
                                  recorded_on=dt.date.fromisoformat(recorded_on), file=file,
                                  sheet=sheet, row=row, stored=stored, cells=cells,
                                  working_group=json.loads(group)))
        return result

    def keys(self, period: str | None = None) -> list[ProposalKey]:
        """Every proposal in the register (of one period), by group (Danish order) and Nr."""
        with self._reading() as conn:
            rows = conn.execute("SELECT period, group_key, group_name, number FROM proposals"
                                + (" WHERE period = ?" if period else ""),
                                (period,) if period else ()).fetchall()
        rows.sort(key=lambda r: (r[0], sort_key(r[2]), r[3]))
        return [ProposalKey(p, g, n) for p, g, _, n in rows]

    def lookup(self, text: str) -> ProposalKey | None:
        """The proposal of a key text ('2026-2029|børn og unge|2') or short id; None if unknown."""
        key = ProposalKey.parse(text or "")
        if key is not None:
            return key if self._row(key) is not None else None
        wanted = (text or "").strip().lower()
        return next((k for k in self.keys() if k.id == wanted), None)

    def versions(self, key: ProposalKey) -> list[Version]:
        """All stored versions of a proposal, oldest first."""
        with self._reading():
            row = self._require(key)
            return self._versions(row["id"], key)

    def version(self, key: ProposalKey, at: At = None) -> Version | None:
        """The version as it stood at a date or round (the latest without `at`); None if the
        proposal was not yet recorded then."""
        with self._reading():
            row = self._require(key)
            found = self._versions(row["id"], key, at, latest=True)
            return found[-1] if found else None

    def proposal(self, key: ProposalKey, at: At = None, *, decisions: bool = True) -> Proposal | None:
        """The proposal as of `at`, with the decisions in force then (unless decisions=False):
        what a case paper shows, and the 'old' side of tracked changes."""
        with self._reading():
            version = self.version(key, at)
            if version is None:
                return None
            proposal = version.proposal()
            if decisions:
                for name, decision in self.decisions(key, at).items():
                    setattr(proposal, name, decision.value)
            return proposal

    def case_number_of(self, key: ProposalKey) -> str | None:
        """The case number given to a proposal, or None (reading never assigns one)."""
        with self._reading():
            return self._require(key)["case_number"]

    def committee_case_of(self, committee: str, meeting_date: dt.date) -> str | None:
        """The case number of the combined committee case of a meeting, or None."""
        row = self._conn.execute(
            "SELECT case_number FROM committee_cases WHERE committee_key = ? AND meeting_date = ?",
            (normalise_group(committee), meeting_date.isoformat())).fetchone()
        return row[0] if row else None

    def decision_history(self, key: ProposalKey) -> list[Decision]:
        """Every decision recorded for a proposal, oldest first."""
        with self._reading():
            row = self._require(key)
            return self._decisions(row["id"], key)

    def _decisions(self, proposal_id: int, key: ProposalKey, at: At = None) -> list[Decision]:
        where, args = "", [proposal_id]
        if isinstance(at, dt.date):
            where, args = " AND decided_on <= ?", [proposal_id, at.isoformat()]
        elif isinstance(at, int):
            where, args = " AND round_id <= ?", [proposal_id, at]
        rows = self._conn.execute(
            "SELECT field, value, decided_on, source FROM decisions WHERE proposal_id = ?"
            + where + " ORDER BY decided_on, id", args).fetchall()
        return [Decision(key=key, field=name, value=decode(name, value),
                         decided_on=dt.date.fromisoformat(on), source=source)
                for name, value, on, source in rows]

    def decisions(self, key: ProposalKey, at: At = None) -> dict[str, Decision]:
        """The decision in force per field (the latest by date) at `at`."""
        with self._reading():
            row = self._require(key)
            return {d.field: d for d in self._decisions(row["id"], key, at)}

    def status_history(self, key: ProposalKey) -> list[StatusEntry]:
        """Forslag → Prioriteret → ... with dates, oldest first."""
        with self._reading():
            row = self._require(key)
            return self._status_history(row["id"])

    def _status_history(self, proposal_id: int) -> list[StatusEntry]:
        rows = self._conn.execute(
            "SELECT status, on_date, source FROM status_history WHERE proposal_id = ? "
            "ORDER BY on_date, id", (proposal_id,)).fetchall()
        return [StatusEntry(s, dt.date.fromisoformat(on), src) for s, on, src in rows]

    def status(self, key: ProposalKey) -> StatusEntry | None:
        """The current status (the latest in the history)."""
        history = self.status_history(key)
        return history[-1] if history else None

    def traffic_light(self, key: ProposalKey, today: dt.date, months: int = 3) -> TrafficLight:
        """Red, yellow or green for the follow-up of one intervention, with Danish text."""
        with self._reading():
            proposal = self.proposal(key)
            history = self.status_history(key)
        follow_up = proposal.follow_up.period if proposal and proposal.follow_up else None
        return traffic_light(history, follow_up, today, months)

    def decisions_and_lights(self, keys: Iterable[ProposalKey], today: dt.date,
                             months: int = 3, *, lights: bool = True,
                             ) -> dict[ProposalKey, tuple[dict[str, Decision], TrafficLight | None]]:
        """`decisions(key)` and `traffic_light(key, today)` (None without `lights`) of many
        proposals, read in a few queries instead of several per proposal (a run's batch)."""
        keys = list(keys)
        result: dict[ProposalKey, tuple[dict[str, Decision], TrafficLight | None]] = {}
        with self._reading() as conn:
            ids = {key: self._require(key)["id"] for key in keys}
            by_id = {pid: key for key, pid in ids.items()}
            decided: dict[int, dict[str, Decision]] = {pid: {} for pid in by_id}
            history: dict[int, list[StatusEntry]] = {pid: [] for pid in by_id}
            follow_ups: dict[int, Any] = {}
            for chunk in _chunks(list(by_id), 500):
                marks = ", ".join("?" * len(chunk))
                for pid, name, value, on, source in conn.execute(
                        "SELECT proposal_id, field, value, decided_on, source FROM decisions "
                        f"WHERE proposal_id IN ({marks}) ORDER BY decided_on, id", chunk):
                    key = by_id[pid]
                    decided[pid][name] = Decision(key=key, field=name, value=decode(name, value),
                                                  decided_on=dt.date.fromisoformat(on),
                                                  source=source)
                if not lights:
                    continue
                for pid, status, on, source in conn.execute(
                        "SELECT proposal_id, status, on_date, source FROM status_history "
                        f"WHERE proposal_id IN ({marks}) ORDER BY on_date, id", chunk):
                    history[pid].append(StatusEntry(status, dt.date.fromisoformat(on), source))
                for pid, value in conn.execute(
                        "SELECT v.proposal_id, f.value FROM versions v LEFT JOIN field_values f "
                        "ON f.version_id = v.id AND f.field = 'follow_up' "
                        f"WHERE v.proposal_id IN ({marks}) ORDER BY v.version", chunk):
                    follow_ups[pid] = value            # the latest version's comes last
        for key, pid in ids.items():
            light = None
            if lights:
                text = follow_ups.get(pid)
                follow_up = decode("follow_up", text) if text is not None else None
                light = traffic_light(history[pid], follow_up.period if follow_up else None,
                                      today, months)
            result[key] = (decided[pid], light)
        return result

    def entries(self, period: str | None = None) -> list[Entry]:
        """The listing of `sagsgenerator status`: per group and Nr."""
        result = []
        with self._reading():
            for key in self.keys(period):
                row = self._require(key)
                versions = self._versions(row["id"], key)
                latest = versions[-1]
                history = self._status_history(row["id"])
                decided = {d.field: d for d in self._decisions(row["id"], key)}
                status = history[-1].status if history else (
                    decode("status", latest.stored["status"]) or "Forslag")
                dates = [latest.recorded_on, *(h.on for h in history),
                         *(d.decided_on for d in decided.values())]
                withdrawn = _date(row["withdrawn_on"])
                if withdrawn:
                    dates.append(withdrawn)
                result.append(Entry(key=key, group_name=row["group_name"], number=key.number,
                                    title=decode("title", latest.stored["title"]),
                                    versions=len(versions), case_number=row["case_number"],
                                    status=status, last_change=max(dates),
                                    withdrawn_on=withdrawn))
        return result

    def rounds(self) -> list[RoundInfo]:
        """Every run that wrote to the register, oldest first."""
        rows = self._conn.execute(
            "SELECT id, today, period, note, started_at FROM rounds ORDER BY id").fetchall()
        return [RoundInfo(i, dt.date.fromisoformat(t), p, n, s) for i, t, p, n, s in rows]

    def changes_since(self, since: dt.date | int, period: str | None = None) -> list[ProposalChanges]:
        """Per proposal, what changed after a date (versions recorded on or before it are the
        old side) or after a round number: new, withdrawn, or the changed fields with the
        cell of each new value. Decisions count too (their cell is None, source in `note`)."""
        result = []
        with self._reading():
            for key in self.keys(period):
                row = self._require(key)
                versions = self._versions(row["id"], key)
                old = [v for v in versions if _before(v, since)]
                latest = versions[-1]
                title = decode("title", latest.stored["title"])
                common = dict(key=key, group_name=row["group_name"], number=key.number,
                              title=title, new_version=latest.version)
                withdrawn_on = _date(row["withdrawn_on"])
                if withdrawn_on is not None and _after_withdrawal(row, since):
                    if old:
                        result.append(ProposalChanges(kind=ChangeKind.WITHDRAWN, **common,
                                                      old_version=old[-1].version))
                    continue
                if not old:
                    result.append(ProposalChanges(kind=ChangeKind.NEW, **common))
                    continue
                before, after = old[-1], latest
                old_values = _with_decisions(before.stored, self._decisions(row["id"], key, since))
                new_values = _with_decisions(after.stored, self._decisions(row["id"], key))
                decided_now = {d.field: d for d in self._decisions(row["id"], key)}
                changes = [
                    replace(c, cell=None, source=_decision_source(decided_now[c.field]))
                    if c.field in decided_now else c
                    for c in diff(old_values, new_values, {n: after.cell(n) for n in COLUMNS})]
                if changes:
                    result.append(ProposalChanges(kind=ChangeKind.CHANGED, changes=tuple(changes),
                                                  old_version=before.version, **common))
        return result

    # -- export and backup -----------------------------------------------------------------

    def export(self, target: str | os.PathLike[str]) -> Path:
        """Write the register as .xlsx or .json (by the file's suffix), atomically."""
        from .export import export  # noqa: PLC0415 (openpyxl only when exporting)

        return export(self, Path(target))

    def backup(self, target: str | os.PathLike[str]) -> Path:
        """A consistent copy of the register in a new file (sqlite3 backup), replaced atomically."""
        target = Path(target)
        try:
            fd, temp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.",
                                        suffix=".tmp")
            os.close(fd)
        except OSError as exc:
            raise cannot_write(target, exc) from exc
        try:
            copy = sqlite3.connect(temp, isolation_level=None)
            try:
                self._conn.backup(copy)
                # A standalone file: no -wal beside it when it is moved into place.
                copy.execute("PRAGMA journal_mode = DELETE")
            finally:
                copy.close()
            os.replace(temp, target)
        except OSError as exc:
            Path(temp).unlink(missing_ok=True)
            raise cannot_write(target, exc) from exc
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise
        return target

    def integrity(self) -> str:
        """'ok' or SQLite's description of the damage."""
        return self._conn.execute("PRAGMA integrity_check").fetchone()[0]


def _before(version: Version, since: dt.date | int) -> bool:
    if isinstance(since, dt.date):
        return version.recorded_on <= since
    return version.round <= since


def _after_withdrawal(row: sqlite3.Row, since: dt.date | int) -> bool:
    """The proposal was withdrawn after `since` (it counts as a change)."""
    if isinstance(since, dt.date):
        return dt.date.fromisoformat(row["withdrawn_on"]) > since
    return (row["withdrawn_round"] or 0) > since


def _with_decisions(stored: dict[str, str], decisions: list[Decision]) -> dict[str, str]:
    values = dict(stored)
    for decision in decisions:  # oldest first: the latest wins
        values[decision.field] = encode(decision.field, decision.value)
    return values


def _decision_source(decision: Decision) -> str:
    where = f", {decision.source}" if decision.source else ""
    return f"beslutning {format_date(decision.decided_on)}{where}"


def _busy(path: Path) -> RegisterBusy:
    return RegisterBusy(f"Registret er optaget af en anden kørsel ({path}). Vent, til den er "
                        "færdig, og prøv igen.")


def _check_file(conn: sqlite3.Connection, path: Path) -> None:
    """RegisterUnusable unless the file is empty, or a register this code knows."""
    application_id = conn.execute("PRAGMA application_id").fetchone()[0]
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    tables = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
    if application_id not in (0, APPLICATION_ID) or (application_id == 0 and (version or tables)):
        raise RegisterUnusable(f"Filen {path} er en SQLite-database, men ikke et register fra "
                               "sagsgenerator. Vælg en anden fil med --register.")
    if version > LATEST:
        raise RegisterUnusable(f"Registret {path} er lavet af en nyere sagsgenerator (skema "
                               f"{version}; denne version kender op til {LATEST}). Opdatér "
                               "sagsgenerator.")


def _migrate(conn: sqlite3.Connection) -> None:
    """Run the missing migrations in order, each in its own transaction. An up-to-date
    register takes no write lock, so it opens while another run writes."""
    while conn.execute("PRAGMA user_version").fetchone()[0] < LATEST:
        conn.execute("BEGIN IMMEDIATE")
        try:
            # Read under the write lock: another process may have migrated meanwhile.
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            if version >= LATEST:
                conn.execute("COMMIT")
                break
            MIGRATIONS[version](conn)
            conn.execute(f"PRAGMA user_version = {version + 1}")
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise


class Round:
    """The writes of one run; only valid inside `with register.round(...) as rnd:`."""

    def __init__(self, register: Register, round_id: int, today: dt.date, period: str, note: str):
        self.register = register
        self.id = round_id
        self.today = today
        self.period = period
        self.note = note
        self._open = True
        self._conn = register._conn

    def _check(self) -> None:
        if not self._open:
            raise RegisterError("Kørslen er afsluttet; åbn en ny med register.round().")

    def key(self, proposal: Proposal) -> ProposalKey:
        """The proposal's key in this round's period."""
        return ProposalKey.of(proposal, self.period)

    # -- proposals ------------------------------------------------------------------------

    def record(self, proposal: Proposal, *, accept_title_change: bool = False) -> Recorded:
        """Store the proposal as a new version if any field changed. A title changed beyond
        recognition is refused with a warning (unless accept_title_change). A field the
        group changed to a value other than a decision in force is stored as written and
        warned about (decision-contradicted); the decision stands in `Register.proposal`.
        Only the proposal's columns count: a change on the sheet "Arbejdsgruppe" alone
        stores no version."""
        self._check()
        key = self.key(proposal)
        if not key.group:
            raise RegisterValueError(f"Forslag nr. {proposal.number} »{proposal.title}« har "
                                     "ingen arbejdsgruppe og kan ikke gemmes i registret.")
        group_name = " ".join(proposal.group.name.split())
        stored = values_of(proposal)
        source = proposal.source
        cells = {name: Cell(source.file, source.sheet, source.cells.get(name))
                 for name in COLUMNS} if source else {}
        row = self.register._row(key)
        if row is None:
            cursor = self._conn.execute(
                "INSERT INTO proposals (period, group_key, number, group_name, created_round) "
                "VALUES (?, ?, ?, ?, ?)", (key.period, key.group, key.number, group_name, self.id))
            self._insert_version(cursor.lastrowid, 1, stored, proposal)
            status = decode("status", stored["status"]) or "Forslag"
            self._add_status(cursor.lastrowid, status, self.today, _source_text(cells.get("status")))
            return Recorded(key=key, version=1, stored=True, first=True)

        pid = row["id"]
        latest = self.register._versions(pid, key, latest=True)[-1]
        warnings: list[RegisterWarning] = []
        old_title = decode("title", latest.stored["title"])
        params = {"group": group_name, "number": str(key.number)}
        if not accept_title_change and not same_title(old_title, proposal.title):
            warnings.append(RegisterWarning("register-title-changed",
                                            {**params, "old": old_title, "new": proposal.title}))
            other = self._similar_title(key, proposal.title)
            if other is not None:
                warnings.append(RegisterWarning("register-renumbered", {
                    **params, "new": proposal.title, "other": str(other)}))
            return Recorded(key=key, version=latest.version, stored=False,
                            warnings=tuple(warnings))

        if row["withdrawn_on"]:
            warnings.append(RegisterWarning("register-reinstated", {
                **params, "title": proposal.title,
                "withdrawn_on": format_date(dt.date.fromisoformat(row["withdrawn_on"]))}))
            self._conn.execute("UPDATE proposals SET withdrawn_on = NULL, withdrawn_round = NULL "
                               "WHERE id = ?", (pid,))
        if row["group_name"] != group_name:
            self._conn.execute("UPDATE proposals SET group_name = ? WHERE id = ?", (group_name, pid))

        changes = diff(latest.stored, stored, cells)
        decided = {d.field: d for d in self.register._decisions(pid, key)}
        contradicted = set()
        for change in changes:
            decision = decided.get(change.field)
            if decision is None or change.new_value in (None, "", []):
                continue
            if encode(change.field, change.new_value) != encode(change.field, decision.value):
                contradicted.add(change.field)
                warnings.append(RegisterWarning("decision-contradicted", {
                    **params, "header": change.header, "value": change.new,
                    "cell": str(change.cell) if change.cell else "ukendt celle",
                    "decision": decision.text, "decided_on": format_date(decision.decided_on),
                    "source": decision.source or "registret"}))
        if not changes:
            return Recorded(key=key, version=latest.version, stored=False,
                            warnings=tuple(warnings))
        version = latest.version + 1
        self._insert_version(pid, version, stored, proposal)
        if any(c.field == "status" for c in changes) and "status" not in decided:
            status = decode("status", stored["status"]) or "Forslag"
            self._add_status(pid, status, self.today, _source_text(cells.get("status")))
        return Recorded(key=key, version=version, stored=True, changes=tuple(changes),
                        warnings=tuple(warnings))

    def _similar_title(self, key: ProposalKey, title: str) -> int | None:
        """The Nr. of another proposal of the group whose current title matches `title`."""
        best, number = 0.0, None
        for other in self.register.keys(key.period):
            if other.group != key.group or other.number == key.number:
                continue
            version = self.register.version(other)
            score = title_similarity(decode("title", version.stored["title"]), title)
            if score > best:
                best, number = score, other.number
        return number if best >= 0.8 else None

    def _insert_version(self, proposal_id: int, version: int, stored: dict[str, str],
                        proposal: Proposal) -> None:
        source = proposal.source
        group = proposal.group.model_dump(mode="json") if proposal.group else {}
        cursor = self._conn.execute(
            "INSERT INTO versions (proposal_id, version, round_id, recorded_on, file, sheet, row, "
            "working_group) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (proposal_id, version, self.id, self.today.isoformat(),
             source.file if source else "", source.sheet if source else "",
             source.row if source else None, json.dumps(group, ensure_ascii=False)))
        cells = source.cells if source else {}
        self._conn.executemany(
            "INSERT INTO field_values (version_id, field, value, cell) VALUES (?, ?, ?, ?)",
            [(cursor.lastrowid, name, value, cells.get(name)) for name, value in stored.items()])

    def withdraw(self, key: ProposalKey) -> bool:
        """Mark a proposal withdrawn (trukket tilbage); it keeps its case number. False if it
        already was."""
        self._check()
        row = self.register._require(key)
        if row["withdrawn_on"]:
            return False
        self._conn.execute("UPDATE proposals SET withdrawn_on = ?, withdrawn_round = ? WHERE id = ?",
                           (self.today.isoformat(), self.id, row["id"]))
        return True

    def withdraw_missing(self, group_name: str, numbers: Iterable[int]) -> list[ProposalKey]:
        """After a full round of a group: withdraw its proposals (this period) whose Nr. is not
        in `numbers`. The caller decides when a round is full."""
        self._check()
        present = set(numbers)
        group = normalise_group(group_name)
        withdrawn = []
        rows = self._conn.execute("SELECT number FROM proposals WHERE period = ? AND group_key = ?"
                                  " ORDER BY number", (self.period, group)).fetchall()
        for (number,) in rows:
            key = ProposalKey(self.period, group, number)
            if number not in present and self.withdraw(key):
                withdrawn.append(key)
        return withdrawn

    # -- case numbers ---------------------------------------------------------------------

    def case_number(self, key: ProposalKey) -> str:
        """The proposal's case number: given the first time it is asked for (a case paper is
        rendered), then the same in every later run."""
        self._check()
        row = self.register._require(key)
        if row["case_number"]:
            return row["case_number"]
        group, = self._conn.execute("SELECT working_group FROM versions WHERE proposal_id = ? "
                                    "ORDER BY version DESC LIMIT 1", (row["id"],)).fetchone()
        committee = json.loads(group).get("committee") or ""
        number = self._next_number({"aar": self.today.year, "periode": key.period,
                                    "udvalg": committee_abbreviation(committee)})
        self._conn.execute("UPDATE proposals SET case_number = ?, case_assigned_on = ? WHERE id = ?",
                           (number, self.today.isoformat(), row["id"]))
        return number

    def committee_case_number(self, committee: str, meeting_date: dt.date) -> str:
        """The case number of the combined committee case of one committee meeting."""
        self._check()
        found = self.register.committee_case_of(committee, meeting_date)
        if found:
            return found
        number = self._next_number({"aar": meeting_date.year, "periode": self.period,
                                    "udvalg": committee_abbreviation(committee)})
        self._conn.execute(
            "INSERT INTO committee_cases (committee_key, committee, meeting_date, case_number, "
            "round_id) VALUES (?, ?, ?, ?, ?)",
            (normalise_group(committee), committee.strip(), meeting_date.isoformat(), number,
             self.id))
        return number

    def _next_number(self, values: dict[str, Any]) -> str:
        """The next unused number of the pattern's counter (per year, or per whatever else
        the pattern shows); a number once handed out is never handed out again."""
        pattern = self.register.case_number_pattern
        scope = "|".join([pattern] + [f"{name}={values[name]}"
                                      for name in self.register._scope_fields])
        found = self._conn.execute("SELECT last FROM counters WHERE scope = ?", (scope,)).fetchone()
        last = found[0] if found else 0
        while True:
            last += 1
            number = format_case_number(pattern, {**values, "nr": last})
            taken = self._conn.execute(
                "SELECT 1 FROM proposals WHERE case_number = ? UNION ALL "
                "SELECT 1 FROM committee_cases WHERE case_number = ?", (number, number)).fetchone()
            if not taken:
                break
        self._conn.execute("INSERT INTO counters (scope, last) VALUES (?, ?) "
                           "ON CONFLICT (scope) DO UPDATE SET last = excluded.last", (scope, last))
        return number

    # -- decisions and status ---------------------------------------------------------------

    def record_decision(self, key: ProposalKey, field: str, value: Any, decided_on: dt.date,
                        source: str = "") -> Decision:
        """Record what the chief group decided for Prioritet, Projektejer, Finansiering, Opstart
        or Status (field name or Danish header); a decision equal to the one in force is not
        stored again (new=False). A Status decision also enters the status history."""
        self._check()
        name = field_name(field)
        if name not in DECISION_FIELDS:
            allowed = ", ".join(HEADERS[f] for f in DECISION_FIELDS)
            raise RegisterValueError(f"»{field}« kan ikke besluttes i registret. Det kan: {allowed}.")
        if name == "status":
            self._check_status(value)
        row = self.register._require(key)
        current = {d.field: d for d in self.register._decisions(row["id"], key)}.get(name)
        if current is not None and encode(name, current.value) == encode(name, value):
            return Decision(key, name, current.value, current.decided_on, current.source, new=False)
        self._conn.execute(
            "INSERT INTO decisions (proposal_id, field, value, decided_on, source, round_id) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (row["id"], name, encode(name, value), decided_on.isoformat(), source, self.id))
        if name == "status":
            self.record_status(key, value, decided_on, source)
        return Decision(key, name, decode(name, encode(name, value)), decided_on, source)

    def _check_status(self, status: Any) -> None:
        statuses = self.register.config.statuses
        if status not in statuses:
            raise RegisterValueError(f"Status »{status}« kendes ikke. Brug en af: "
                                     f"{', '.join(statuses)}.")

    def record_status(self, key: ProposalKey, status: str, on: dt.date,
                      source: str = "") -> StatusEntry | None:
        """Add a status to the history (None when it is already the current status)."""
        self._check()
        self._check_status(status)
        row = self.register._require(key)
        history = self.register._status_history(row["id"])
        if history and history[-1].status == status:
            return None
        return self._add_status(row["id"], status, on, source)

    def _add_status(self, proposal_id: int, status: str, on: dt.date, source: str) -> StatusEntry:
        self._conn.execute(
            "INSERT INTO status_history (proposal_id, status, on_date, source, round_id) "
            "VALUES (?, ?, ?, ?, ?)", (proposal_id, status, on.isoformat(), source, self.id))
        return StatusEntry(status, on, source)


def _chunks(values: list, size: int) -> Iterator[list]:
    for start in range(0, len(values), size):
        yield values[start:start + size]


def _source_text(cell: Cell | None) -> str:
    return str(cell) if cell else ""
