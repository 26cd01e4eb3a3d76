"""Who a proposal is: policy period + working group (normalised) + Nr.

The key survives a renamed file, a moved row and a group name typed with another case or
extra spaces. Its text form goes into the hidden key column of handleplan.xlsx.
"""

from __future__ import annotations

import difflib
import hashlib
import re
import unicodedata
from dataclasses import dataclass

from ..model import Proposal

_SPACE = re.compile(r"\s+")
_WORD = re.compile(r"\w+")


def normalise_group(name: str) -> str:
    """'  Børn og  Unge ' -> 'børn og unge' (NFC, casefolded, single spaces)."""
    return _SPACE.sub(" ", unicodedata.normalize("NFC", name)).strip().casefold()


@dataclass(frozen=True, order=True)
class ProposalKey:
    """The identity of a proposal in the register."""

    period: str
    group: str  # normalised, see normalise_group
    number: int

    def __str__(self) -> str:
        return self.text

    @property
    def text(self) -> str:
        """'2026-2029|børn og unge|2': the hidden key column of handleplan.xlsx."""
        return f"{self.period}|{self.group}|{self.number}"

    @property
    def id(self) -> str:
        """A short stable id of the key (12 hex digits), for places where the text is too long."""
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()[:12]

    @classmethod
    def parse(cls, text: str) -> ProposalKey | None:
        """The key of a text made by `text`; None when the text is not a key."""
        parts = text.strip().split("|")
        if len(parts) != 3 or not parts[0] or not parts[1] or not parts[2].isdigit():
            return None
        return cls(parts[0], normalise_group(parts[1]), int(parts[2]))

    @classmethod
    def of(cls, proposal: Proposal, period: str) -> ProposalKey:
        """The key of a proposal read from a working group's workbook."""
        group = proposal.group.name if proposal.group else ""
        return cls(period, normalise_group(group), proposal.number)


def _words(title: str) -> set[str]:
    return set(_WORD.findall(unicodedata.normalize("NFC", title).casefold()))


def title_similarity(old: str, new: str) -> float:
    """0 (nothing in common) .. 1 (the same): the best of word overlap and character ratio."""
    a, b = _words(old), _words(new)
    if a and b and (a <= b or b <= a):
        return 1.0  # "Røgfri skoletid" -> "Røgfri skoletid på alle skoler"
    overlap = len(a & b) / len(a | b) if a | b else 1.0
    ratio = difflib.SequenceMatcher(None, old.casefold(), new.casefold()).ratio()
    return max(overlap, ratio)


TITLE_THRESHOLD = 0.5


def same_title(old: str, new: str) -> bool:
    """False when a title changed so much that it is probably another proposal."""
    return title_similarity(old, new) >= TITLE_THRESHOLD
