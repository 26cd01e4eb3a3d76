"""The register's exceptions and the Danish text of its warnings.

Exceptions stop a run (the file cannot be used, another run holds it, a bad case-number
pattern). Warnings are data: `RegisterWarning(code, params)`, returned by the calls that
record, for the caller to turn into findings. Each code has one Danish template below.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..errors import SagsgeneratorError


class RegisterError(SagsgeneratorError):
    """Base of every error from the register; `danish` is what the user reads."""


class RegisterUnusable(RegisterError):
    """Raised when the register file cannot be opened: not a SQLite database, not a
    register, or made by a newer sagsgenerator (a newer schema than this code knows)."""


class RegisterBusy(RegisterError):
    """Raised when another run holds the register longer than the busy timeout."""


class CaseNumberPatternError(RegisterError):
    """Raised when the configured case-number pattern uses an unknown field, an attribute,
    a conversion or a width the register does not allow."""


class UnknownProposal(RegisterError):
    """Raised when a key does not name a proposal in the register."""


class RegisterValueError(RegisterError):
    """Raised when a decision or status cannot be recorded (unknown field or status)."""


def cannot_write(path: object, exc: OSError) -> RegisterError:
    """The Danish error for an export or backup file that cannot be written."""
    return RegisterError(f"Filen {path} kan ikke skrives ({exc.strerror or exc}). Findes "
                         "mappen, må der skrives i den, og er filen lukket i andre programmer?")


MESSAGES = {
    "register-title-changed": (
        "{group} nr. {number} hed »{old}« i registret og hedder nu »{new}«. Titlen er helt "
        "ændret under samme nummer: er forslaget omnummereret? Registret har ikke gemt den nye "
        "udgave. Giv et nyt forslag et nyt nummer, eller bekræft at det er samme forslag."
    ),
    "register-renumbered": (
        "{group} nr. {number} »{new}« ligner nr. {other} i registret. Er forslagene "
        "omnummereret? Et forslag skal beholde sit nummer i hele perioden."
    ),
    "decision-contradicted": (
        "{group} nr. {number}: {header} er »{value}« i arbejdsgruppens ark ({cell}), men "
        "beslutningen fra {decided_on} er »{decision}« ({source}). Beslutningen gælder."
    ),
    "register-reinstated": (
        "{group} nr. {number} »{title}« var trukket tilbage {withdrawn_on} og er med igen. "
        "Det beholder sit sagsnummer."
    ),
}


@dataclass(frozen=True)
class RegisterWarning:
    """Something the caller should report; `code` is a key of MESSAGES, params fill it."""

    code: str
    params: dict[str, str] = field(default_factory=dict)

    @property
    def message(self) -> str:
        return MESSAGES[self.code].format(**self.params)
