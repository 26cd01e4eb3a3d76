"""Workbooks for timing `valider` (issue 16): nothing here is committed output.

    python scripts/make_valider_workbooks.py FOLDER

writes FOLDER/gyldige/gruppe-01.xlsx ... gruppe-20.xlsx (20 workbooks of 500 valid rows,
Nr. 1-500 in each) and FOLDER/fejl-10000.xlsx (one workbook of 10,000 rows with errors:
repeated numbers, a bad amount every 50th row, a missing title every 100th). Each is the
blank workbook (`skabelon`) filled by header text, as a working group's Excel would.
Then time, e.g.:

    time sagsgenerator valider FOLDER/gyldige --ingen-markering
    time sagsgenerator valider FOLDER/fejl-10000.xlsx --marker FOLDER/ud
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from conftest import GROUP, proposal, write_intake  # noqa: E402


def make(folder: Path, groups: int = 20, per_group: int = 500, errors: int = 10_000) -> None:
    valid = folder / "gyldige"
    valid.mkdir(parents=True, exist_ok=True)
    for g in range(1, groups + 1):
        group = {**GROUP, "Arbejdsgruppe": f"Arbejdsgruppe {g:02d}"}
        rows = [proposal(n, Titel=f"Indsats {g}-{n}", Prioritet=None)
                for n in range(1, per_group + 1)]
        write_intake(valid / f"gruppe-{g:02d}.xlsx", rows, group)
    rows = []
    for n in range(errors):
        changes = {"Titel": f"Indsats {n}", "Prioritet": None}
        if n % 50 == 7:
            changes["Ressourcer opstart (kr.)"] = "1.5"
        if n % 100 == 13:
            changes["Titel"] = None
        rows.append(proposal(n % 999 + 1, **changes))
    write_intake(folder / "fejl-10000.xlsx", rows)


if __name__ == "__main__":
    make(Path(sys.argv[1] if len(sys.argv) > 1 else "bench-valider"))
