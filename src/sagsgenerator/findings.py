"""Findings (what is wrong, where) and the report of a run."""

from __future__ import annotations

import json
from collections.abc import Iterable
from enum import StrEnum

from pydantic import BaseModel, Field, field_validator

from .messages import CODES, MESSAGES


class Severity(StrEnum):
    ERROR = "fejl"
    WARNING = "advarsel"


class Location(BaseModel, frozen=True):
    """File, sheet and cell of a finding; cell is None for sheet- or file-level findings."""

    file: str
    sheet: str | None = None
    cell: str | None = None
    hidden_row: bool = False
    place: str | None = None         # outside workbooks: "afsnit 12 »…«" of a Word template

    def __str__(self) -> str:
        if self.place is not None:
            return f"{self.file}, {self.place}"
        if self.sheet is None:
            return self.file
        place = f"{self.sheet}!{self.cell}" if self.cell else self.sheet
        hidden = " (skjult række)" if self.hidden_row else ""
        return f"{self.file}, {place}{hidden}"


class Finding(BaseModel, frozen=True):
    """One thing wrong (error) or worth a look (warning), with a stable code."""

    code: str
    severity: Severity
    location: Location
    params: dict[str, str] = {}
    row: int | None = None
    strict: bool = False             # a warning that strict mode (--streng) made an error

    @field_validator("code")
    @classmethod
    def _registered(cls, code: str) -> str:
        if code not in CODES:
            raise ValueError(f"finding code {code!r} has no message in messages.py")
        return code

    @property
    def message(self) -> str:
        return MESSAGES[self.code].format(**self.params)

    def __str__(self) -> str:
        severity = f"{self.severity} (advarsel, --streng)" if self.strict else str(self.severity)
        return f"{self.location}: {severity}: {self.message}"


class Report(BaseModel):
    """Findings and row counts of one validation run over one or more workbooks."""

    files: list[str] = []
    findings: list[Finding] = []
    rows_read: int = 0
    rows_valid: int = 0
    strict: bool = False
    unusable: list[Finding] = Field(default_factory=list)

    @property
    def rows_with_errors(self) -> int:
        return self.rows_read - self.rows_valid

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity is Severity.WARNING]

    @property
    def exit_code(self) -> int:
        if self.unusable:
            return 2
        return 1 if self.errors else 0

    def add(self, findings: "Iterable[Finding]") -> bool:
        """Admit findings into the report: the one place strict mode turns warnings into
        errors. True when any of them is an error."""
        admitted = [f.model_copy(update={"severity": Severity.ERROR, "strict": True})
                    if self.strict and f.severity is Severity.WARNING else f for f in findings]
        self.findings += admitted
        return any(f.severity is Severity.ERROR for f in admitted)

    def extend(self, other: "Report") -> None:
        self.files += other.files
        self.findings += other.findings
        self.unusable += other.unusable
        self.rows_read += other.rows_read
        self.rows_valid += other.rows_valid

    def summary(self) -> str:
        """'24 rækker læst: 21 gyldige, 3 med fejl' (+ warnings and unusable files)."""
        rows = "række" if self.rows_read == 1 else "rækker"
        text = (f"{self.rows_read} {rows} læst: {self.rows_valid} gyldige, "
                f"{self.rows_with_errors} med fejl")
        extras = []
        if self.errors:
            extras.append(f"{len(self.errors)} fejl")
        if self.warnings:
            n = len(self.warnings)
            extras.append(f"{n} advarsel" if n == 1 else f"{n} advarsler")
        if self.unusable:
            n = len(self.unusable)
            extras.append(f"{n} fil kunne ikke bruges" if n == 1 else f"{n} filer kunne ikke bruges")
        return text + (f" ({', '.join(extras)})" if extras else "")

    def to_json(self) -> str:
        """The report as machine-readable JSON (messages included, in Danish)."""
        def item(f: Finding) -> dict:
            return {"kode": f.code, "alvor": str(f.severity), "fil": f.location.file,
                    "ark": f.location.sheet, "celle": f.location.cell,
                    "skjult_række": f.location.hidden_row, "række": f.row,
                    "besked": f.message, "parametre": f.params, "streng": f.strict}
        data = {
            "filer": self.files,
            "rækker_læst": self.rows_read,
            "gyldige": self.rows_valid,
            "med_fejl": self.rows_with_errors,
            "exitkode": self.exit_code,
            "streng": self.strict,
            "opsummering": self.summary(),
            "ubrugelige_filer": [item(f) for f in self.unusable],
            "fund": [item(f) for f in self.findings],
        }
        return json.dumps(data, ensure_ascii=False, indent=2)
