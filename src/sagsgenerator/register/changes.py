"""What changed between two versions of a proposal, and the Danish lines of `aendringer`."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from .fields import COLUMNS, HEADERS, decode, display
from .identity import ProposalKey


@dataclass(frozen=True)
class Cell:
    """Where a stored value was read: 'boern-og-unge.xlsx, Forslag!I3'."""

    file: str
    sheet: str
    cell: str | None = None

    def __str__(self) -> str:
        place = f"{self.sheet}!{self.cell}" if self.cell else self.sheet
        return f"{self.file}, {place}"


@dataclass(frozen=True)
class FieldChange:
    """One field whose value differs: Danish header, old and new value (and as text)."""

    field: str
    header: str
    old_value: Any
    new_value: Any
    cell: Cell | None  # where the new value was read; None for a decision
    source: str = ""   # for a decision: when and where it was made

    @property
    def old(self) -> str:
        return display(self.field, self.old_value)

    @property
    def new(self) -> str:
        return display(self.field, self.new_value)


class ChangeKind(StrEnum):
    """How a proposal changed since a date or round; the value is the Danish word."""

    NEW = "nyt"
    CHANGED = "ændret"
    WITHDRAWN = "trukket tilbage"


@dataclass(frozen=True)
class ProposalChanges:
    """The changes of one proposal since a date or round."""

    key: ProposalKey
    group_name: str
    number: int
    title: str
    kind: ChangeKind
    changes: tuple[FieldChange, ...] = field(default=())
    old_version: int | None = None  # the version the changes are counted from
    new_version: int | None = None


def diff(old: dict[str, str], new: dict[str, str], cells: dict[str, Cell | None]) -> list[FieldChange]:
    """The fields whose stored values differ, in column order."""
    return [FieldChange(field=name, header=HEADERS[name],
                        old_value=decode(name, old.get(name, "null")),
                        new_value=decode(name, new.get(name, "null")), cell=cells.get(name))
            for name in COLUMNS if old.get(name, "null") != new.get(name, "null")]


def _one_line(text: str) -> str:
    return " / ".join(line.strip() for line in text.splitlines() if line.strip()) or text


def format_change_lines(items: list[ProposalChanges]) -> list[str]:
    """The Danish lines of `sagsgenerator aendringer`, one per changed field:
    'Børn og unge nr. 2 »Røgfri skoletid«: Målgruppe: »…« → »…« (fil.xlsx, Forslag!I3)'."""
    lines = []
    for item in items:
        who = f"{item.group_name} nr. {item.number} »{item.title}«"
        if item.kind is ChangeKind.NEW:
            lines.append(f"{who}: nyt forslag")
            continue
        if item.kind is ChangeKind.WITHDRAWN:
            lines.append(f"{who}: trukket tilbage")
            continue
        for change in item.changes:
            where = change.cell or change.source
            where = f" ({where})" if where else ""
            lines.append(f"{who}: {change.header}: »{_one_line(change.old)}« → "
                         f"»{_one_line(change.new)}«{where}")
    return lines
