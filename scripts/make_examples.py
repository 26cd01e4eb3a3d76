"""Write the bundled example workbooks in input/ from scripts/example_data.py.

Each is the blank intake workbook (as `sagsgenerator skabelon` writes it) filled in by header
text, the way a working group fills it in. Run: python scripts/make_examples.py
"""

from __future__ import annotations

import runpy
import sys
from pathlib import Path

from sagsgenerator.intake.workbook import blank_workbook, set_text
from sagsgenerator.model import GROUP_SHEET, PROPOSAL_SHEET

HERE = Path(__file__).resolve().parent
DATA = runpy.run_path(str(HERE / "example_data.py"))


def fill(group: dict, proposals: list[dict], target: Path) -> None:
    workbook = blank_workbook()
    sheet = workbook[GROUP_SHEET]
    labels = {sheet.cell(row=r, column=1).value: r for r in range(1, sheet.max_row + 1)}
    for label, value in group.items():
        set_text(sheet.cell(row=labels[label], column=2), value)
    sheet = workbook[PROPOSAL_SHEET]
    headers = {cell.value: cell.column for cell in sheet[1]}
    for row, proposal in enumerate(proposals, start=2):
        for header, value in proposal.items():
            if value is not None:
                set_text(sheet.cell(row=row, column=headers[header]), value)
    workbook.save(target)


def main(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for book in DATA["WORKBOOKS"]:
        fill(book["group"], book["proposals"], folder / book["filename"])
        print(folder / book["filename"])


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE.parent / "input")
