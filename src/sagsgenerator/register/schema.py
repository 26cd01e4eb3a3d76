"""The register's tables and their migrations.

`PRAGMA user_version` is the schema version. Each migration takes the database from version
n to n + 1 and runs in its own transaction (store.py); a shipped migration is never edited,
a change is a new migration at the end. `tests/data/register-v1.db` is a file of version 1.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable

# "SGRG" in the database header: tells a register from any other SQLite file.
APPLICATION_ID = 0x53475247

V1 = (
    """CREATE TABLE rounds (
        id INTEGER PRIMARY KEY,
        today TEXT NOT NULL,            -- the run's date (given, not the clock)
        period TEXT NOT NULL,
        note TEXT NOT NULL DEFAULT '',
        started_at TEXT NOT NULL        -- UTC clock time, for the log
    )""",
    """CREATE TABLE proposals (
        id INTEGER PRIMARY KEY,
        period TEXT NOT NULL,
        group_key TEXT NOT NULL,        -- normalised working group name
        number INTEGER NOT NULL,
        group_name TEXT NOT NULL,       -- as last written
        case_number TEXT UNIQUE,
        case_assigned_on TEXT,
        withdrawn_on TEXT,
        withdrawn_round INTEGER REFERENCES rounds(id),
        created_round INTEGER NOT NULL REFERENCES rounds(id),
        UNIQUE (period, group_key, number)
    )""",
    """CREATE TABLE versions (
        id INTEGER PRIMARY KEY,
        proposal_id INTEGER NOT NULL REFERENCES proposals(id),
        version INTEGER NOT NULL,
        round_id INTEGER NOT NULL REFERENCES rounds(id),
        recorded_on TEXT NOT NULL,
        file TEXT NOT NULL DEFAULT '',
        sheet TEXT NOT NULL DEFAULT '',
        row INTEGER,
        working_group TEXT NOT NULL DEFAULT '{}',  -- JSON of the sheet "Arbejdsgruppe"
        UNIQUE (proposal_id, version)
    )""",
    """CREATE TABLE field_values (
        version_id INTEGER NOT NULL REFERENCES versions(id),
        field TEXT NOT NULL,
        value TEXT NOT NULL,            -- JSON, see fields.encode
        cell TEXT,
        PRIMARY KEY (version_id, field)
    )""",
    # One counter per pattern and year (or period/committee, when the pattern uses them):
    # the last number handed out, so a withdrawn proposal's number is never given again.
    """CREATE TABLE counters (
        scope TEXT PRIMARY KEY,
        last INTEGER NOT NULL
    )""",
    """CREATE TABLE committee_cases (
        id INTEGER PRIMARY KEY,
        committee_key TEXT NOT NULL,
        committee TEXT NOT NULL,
        meeting_date TEXT NOT NULL,
        case_number TEXT NOT NULL UNIQUE,
        round_id INTEGER NOT NULL REFERENCES rounds(id),
        UNIQUE (committee_key, meeting_date)
    )""",
)

V2 = (
    """CREATE TABLE decisions (
        id INTEGER PRIMARY KEY,
        proposal_id INTEGER NOT NULL REFERENCES proposals(id),
        field TEXT NOT NULL,
        value TEXT NOT NULL,
        decided_on TEXT NOT NULL,
        source TEXT NOT NULL DEFAULT '',
        round_id INTEGER NOT NULL REFERENCES rounds(id)
    )""",
    "CREATE INDEX decisions_by_proposal ON decisions (proposal_id, field)",
    """CREATE TABLE status_history (
        id INTEGER PRIMARY KEY,
        proposal_id INTEGER NOT NULL REFERENCES proposals(id),
        status TEXT NOT NULL,
        on_date TEXT NOT NULL,
        source TEXT NOT NULL DEFAULT '',
        round_id INTEGER NOT NULL REFERENCES rounds(id)
    )""",
    "CREATE INDEX status_by_proposal ON status_history (proposal_id, on_date)",
    "CREATE INDEX versions_by_proposal ON versions (proposal_id, version)",
)


def _to_v1(conn: sqlite3.Connection) -> None:
    for statement in V1:
        conn.execute(statement)
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")


def _to_v2(conn: sqlite3.Connection) -> None:
    """Decisions and status history; the history starts from the Status column of the
    versions already stored (each version whose status differs from the one before)."""
    for statement in V2:
        conn.execute(statement)
    rows = conn.execute(
        "SELECT v.proposal_id, v.round_id, v.recorded_on, v.file, v.sheet, fv.value, fv.cell "
        "FROM versions v JOIN field_values fv ON fv.version_id = v.id AND fv.field = 'status' "
        "ORDER BY v.proposal_id, v.version").fetchall()
    previous: dict[int, str] = {}
    for proposal_id, round_id, recorded_on, file, sheet, value, cell in rows:
        status = _json_text(value) or "Forslag"
        if previous.get(proposal_id) == status:
            continue
        previous[proposal_id] = status
        source = f"{file}, {sheet}!{cell}" if cell else file
        conn.execute("INSERT INTO status_history (proposal_id, status, on_date, source, round_id) "
                     "VALUES (?, ?, ?, ?, ?)", (proposal_id, status, recorded_on, source, round_id))


def _json_text(value: str) -> str | None:
    plain = json.loads(value)
    return plain if isinstance(plain, str) and plain else None


# MIGRATIONS[n] takes the schema from version n to n + 1.
MIGRATIONS: tuple[Callable[[sqlite3.Connection], None], ...] = (_to_v1, _to_v2)
LATEST = len(MIGRATIONS)
