"""Findings as rows of the result page's table: what is wrong, what to write, sort keys."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ..findings import Finding, Severity
from ..intake.reader import read_intake

SORT_KEYS = ("fil", "alvor", "celle", "kolonne")
# A sentence ends at ". ", "? " or "! " before a capital; quoted values are never split.
SENTENCE_END = re.compile(r"[.?!] (?=[A-ZÆØÅ])")
CELL = re.compile(r"([A-Z]+)(\d+)")


@dataclass
class FindingRow:
    """One finding as the result page shows it."""

    order: int
    error: bool
    file: str
    sheet: str
    cell: str
    ref: str
    field: str
    wrong: str
    write: str
    hidden: bool
    row: int
    column: int
    proposal: str = ""               # "Nr. 3 »Seniorvenner ...«", when the row has a Nr.
    strict: bool = False             # a warning that strict mode counts as an error

    @property
    def severity(self) -> str:
        if self.strict:
            return "Fejl (advarsel)"
        return "Fejl" if self.error else "Advarsel"

    def key(self, by: str) -> tuple:
        if by == "alvor":
            return (not self.error, self.order)
        if by == "celle":
            return (self.file, self.sheet, self.row, self.column, self.order)
        if by == "kolonne":
            return (self.field.casefold(), self.file, self.row, self.order)
        return (self.order,)


def split_message(message: str) -> tuple[str, str]:
    """('what is wrong', 'what to write'): the first sentence, and the rest. Messages are
    written that way (messages.py); one without a second sentence keeps it all."""
    for match in SENTENCE_END.finditer(message):
        before = message[: match.start()]
        if before.count("'") % 2 == 0 and before.count("»") == before.count("«"):
            return message[: match.start() + 1], message[match.end():]
    return message, ""


def column_number(letters: str) -> int:
    number = 0
    for ch in letters:
        number = number * 26 + ord(ch) - 64
    return number


def row_labels(files: list[tuple[Path, str]]) -> dict[tuple[str, int], str]:
    """(file name, row) -> "Nr. 3 »Titel«" for every data row of the workbooks, so a finding
    names its proposal and not only its cell."""
    labels = {}
    for path, name in files:
        try:
            raw = read_intake(path, name)
        except Exception:           # an unusable file has no rows; the report says why
            continue
        for row in raw.rows:
            number, title = row.values.get("number"), row.values.get("title")
            text = " ".join(str(title or "").split())
            if len(text) > 60:
                text = text[:57].rstrip() + " ..."
            if number not in (None, ""):
                labels[(name, row.row)] = f"Nr. {number}" + (f" »{text}«" if text else "")
            elif text:
                labels[(name, row.row)] = f"»{text}«"
    return labels


def finding_row(order: int, finding: Finding, file: str, display,
                labels: dict[tuple[str, int], str] | None = None) -> FindingRow:
    """`display` turns text holding the session's paths into the names the user gave."""
    location = finding.location
    wrong, write = split_message(display(finding.message))
    match = CELL.fullmatch(location.cell or "")
    row, column = (int(match.group(2)), column_number(match.group(1))) if match else (0, 0)
    ref = f"{location.sheet}!{location.cell}" if location.sheet and location.cell \
        else (location.sheet or "")
    made_error = bool(getattr(finding, "strict", False))
    return FindingRow(order=order, error=finding.severity is Severity.ERROR, file=file,
                      sheet=location.sheet or "", cell=location.cell or "", ref=ref,
                      field=finding.params.get("header", ""), wrong=wrong, write=write,
                      hidden=location.hidden_row, row=row, column=column,
                      proposal=(labels or {}).get((file, finding.row or 0), ""),
                      strict=made_error)


def sort_rows(rows: list[FindingRow], by: str, descending: bool) -> list[FindingRow]:
    by = by if by in SORT_KEYS else "fil"
    return sorted(rows, key=lambda r: r.key(by), reverse=descending)
