"""Decisions that come back from the chief groups' edited handleplan.xlsx."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from .fields import HEADERS, display
from .identity import ProposalKey

# The columns of handleplan.xlsx that the chief groups decide (seed 004).
DECISION_FIELDS = ("priority", "owner", "financing", "start", "status")


@dataclass(frozen=True)
class Decision:
    """The value a chief group or committee decided for one field of a proposal."""

    key: ProposalKey
    field: str
    value: Any
    decided_on: dt.date
    source: str = ""
    new: bool = True  # False when the same decision was already in the register

    @property
    def header(self) -> str:
        return HEADERS[self.field]

    @property
    def text(self) -> str:
        return display(self.field, self.value)
