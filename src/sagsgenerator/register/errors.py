"""The register's warnings (its exceptions live in errors.py, its messages in messages.py).

Exceptions stop a run (the file cannot be used, another run holds it, a bad case-number
pattern). Warnings are data: `RegisterWarning(code, params)`, returned by the calls that
record, for the caller to turn into findings. Each code has one Danish template below.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..errors import (CaseNumberPatternError, RegisterBusy, RegisterError,  # noqa: F401
                      RegisterUnusable, RegisterValueError, UnknownProposal)
from ..messages import MESSAGES


def cannot_write(path: object, exc: OSError) -> RegisterError:
    """The Danish error for an export or backup file that cannot be written."""
    return RegisterError(f"Filen {path} kan ikke skrives ({exc.strerror or exc}). Findes "
                         "mappen, må der skrives i den, og er filen lukket i andre programmer?")


@dataclass(frozen=True)
class RegisterWarning:
    """Something the caller should report; `code` is a key of MESSAGES, params fill it."""

    code: str
    params: dict[str, str] = field(default_factory=dict)

    @property
    def message(self) -> str:
        return MESSAGES[self.code].format(**self.params)
