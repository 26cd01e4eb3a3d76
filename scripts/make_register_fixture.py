"""Write tests/data/register-v1.db: a register of the FIRST schema, for the migration test.

Run once when the fixture must be remade (it is committed):
    PYTHONPATH=src python scripts/make_register_fixture.py
It uses only migration 1 (a shipped migration never changes) and plain SQL, so the file is
what sagsgenerator's first register version wrote: two rounds, three proposals (one with two
versions, one withdrawn), case numbers 2026-001..003 (003 the committee case).
"""

from __future__ import annotations

import json
import sqlite3
import sys
from decimal import Decimal
from pathlib import Path

from sagsgenerator.danish import Period
from sagsgenerator.model import FollowUp
from sagsgenerator.register.fields import COLUMNS, encode
from sagsgenerator.register.schema import MIGRATIONS

TARGET = Path(__file__).resolve().parent.parent / "tests" / "data" / "register-v1.db"

GROUPS = {
    "børn og unge": {"name": "Børn og unge", "focus_area": "Børn og unge",
                     "coordinator": "Mette Hansen", "email": None,
                     "committee": "Børne- og Undervisningsudvalget", "date": "2026-01-15"},
    "ældre": {"name": "Ældre", "focus_area": "Ældre", "coordinator": "Jens Olsen", "email": None,
              "committee": "Social- og Sundhedsudvalget", "date": "2026-01-16"},
}


def values(number: int, title: str, **changes: object) -> dict[str, str]:
    row: dict[str, object] = {
        "number": number, "title": title, "kind": "Handlingsforslag", "package": "Tobak",
        "theme": "Borgernes mulighed for et sundt hverdagsliv", "area": "Tobak (rygning)",
        "goal": "Færre borgere, der ryger dagligt", "purpose": "Færre unge begynder at ryge.",
        "target_group": "Elever i 7.-10. klasse.", "problem_size": "12 % af de 15-årige ryger.",
        "content": "Røgfri skoletid på alle skoler.", "centre": "Børn og Forebyggelse",
        "partners": "Skolerne og SSP.", "monitoring": "Ungeprofilundersøgelsen.",
        "indicators": ["Andel unge, der ryger"], "start": Period(2026, 3),
        "follow_up": FollowUp(text="Slut-evaluering april 2027", period=Period(2027, 4)),
        "cost_start": Decimal(75000), "cost_yearly": Decimal(250000),
        "financing": "Inden for eget budget", "summary": "Røgfri skoletid.", "priority": None,
        "owner": None, "status": "Forslag",
    }
    row.update(changes)
    return {name: encode(name, row[name]) for name in COLUMNS}


CELLS = {name: f"{chr(ord('A') + i)}{{row}}" for i, name in enumerate(COLUMNS)}


def main() -> None:
    TARGET.unlink(missing_ok=True)
    conn = sqlite3.connect(TARGET, isolation_level=None)
    conn.execute("BEGIN")
    MIGRATIONS[0](conn)
    conn.execute("PRAGMA user_version = 1")
    rounds = [(1, "2026-01-20", "Første runde"), (2, "2026-02-20", "Anden runde")]
    for rid, today, note in rounds:
        conn.execute("INSERT INTO rounds VALUES (?, ?, '2026-2029', ?, ?)",
                     (rid, today, note, f"{today}T09:00:00+00:00"))
    proposals = [  # id, group, number, case number, withdrawn
        (1, "børn og unge", 1, "2026-001", None),
        (2, "børn og unge", 2, None, None),
        (3, "ældre", 1, "2026-002", ("2026-02-20", 2)),
    ]
    for pid, group, number, case, withdrawn in proposals:
        conn.execute("INSERT INTO proposals (id, period, group_key, number, group_name, "
                     "case_number, case_assigned_on, withdrawn_on, withdrawn_round, created_round) "
                     "VALUES (?, '2026-2029', ?, ?, ?, ?, ?, ?, ?, 1)",
                     (pid, group, number, GROUPS[group]["name"], case,
                      "2026-01-20" if case else None, *(withdrawn or (None, None))))
    versions = [  # proposal, version, round, file, row, values
        (1, 1, 1, "boern-og-unge.xlsx", 2, values(1, "Røgfri skoletid")),
        (2, 1, 1, "boern-og-unge.xlsx", 3, values(2, "Sunde madpakker")),
        (2, 2, 2, "boern-og-unge-v2.xlsx", 3,
         values(2, "Sunde madpakker", target_group="Alle elever i 0.-6. klasse.",
                status="Prioriteret")),
        (3, 1, 1, "aeldre.xlsx", 2, values(1, "Faldforebyggelse")),
    ]
    today = dict((rid, d) for rid, d, _ in rounds)
    for vid, (pid, number, rid, file, row, stored) in enumerate(versions, start=1):
        group = GROUPS[proposals[pid - 1][1]]
        conn.execute("INSERT INTO versions VALUES (?, ?, ?, ?, ?, ?, 'Forslag', ?, ?)",
                     (vid, pid, number, rid, today[rid], file, row,
                      json.dumps(group, ensure_ascii=False)))
        for name, value in stored.items():
            conn.execute("INSERT INTO field_values VALUES (?, ?, ?, ?)",
                         (vid, name, value, CELLS[name].format(row=row)))
    conn.execute("INSERT INTO counters VALUES ('{aar}-{nr:03d}|aar=2026', 3)")
    conn.execute("INSERT INTO committee_cases (committee_key, committee, meeting_date, "
                 "case_number, round_id) VALUES ('social- og sundhedsudvalget', "
                 "'Social- og Sundhedsudvalget', '2026-03-12', '2026-003', 2)")
    conn.execute("COMMIT")
    conn.execute("VACUUM")
    conn.close()
    print(f"wrote {TARGET}", file=sys.stderr)


if __name__ == "__main__":
    main()
