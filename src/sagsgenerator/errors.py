"""The few exceptions that stop a run. A bad cell is a finding, never an exception."""

from __future__ import annotations


class SagsgeneratorError(Exception):
    """Base of every error that stops a run; `danish` is what the user reads."""

    exit_code = 2

    def __init__(self, danish: str):
        super().__init__(danish)
        self.danish = danish


class IntakeUnusable(SagsgeneratorError):
    """Raised when a file cannot be used as an intake workbook at all (exit status 2):
    not a workbook, encrypted, no "Forslag" sheet, a required column missing.
    `finding` holds the same as a finding (code, file, sheet), for reports."""

    def __init__(self, danish: str, finding: object = None):
        super().__init__(danish)
        self.finding = finding


class OutputError(SagsgeneratorError):
    """Raised when an output cannot be written (folder not writable, file locked)."""


class FolderNotWritable(OutputError):
    """Raised when an output folder cannot be created or written in (the CLI names the
    option that chose it)."""


class TemplateError(SagsgeneratorError):
    """Raised when a document template cannot be rendered; names template and document kind."""


class TemplatesInvalid(SagsgeneratorError):
    """Raised before a run when the municipality's own templates have errors; `findings`
    says which, with their paragraphs."""

    def __init__(self, danish: str, findings: list | None = None):
        super().__init__(danish)
        self.findings = list(findings or [])


class InputWouldBeOverwritten(OutputError):
    """Raised when an output of the run would replace one of its inputs."""


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
