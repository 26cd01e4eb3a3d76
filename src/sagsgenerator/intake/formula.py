"""A formula cell as the reader hands it on when Excel saved no result for it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Formula:
    """A cell holding a formula whose result was never saved (read as empty otherwise)."""

    text: str
