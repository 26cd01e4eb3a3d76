"""The register: proposals keep their identity, case numbers, decisions and history across
rounds and years (issue 13). One SQLite file; see store.py for how runs share it."""

from .changes import Cell, ChangeKind, FieldChange, ProposalChanges, format_change_lines
from ..casenumber import format_case_number, parse_pattern
from .decisions import DECISION_FIELDS, Decision
from .errors import (MESSAGES, CaseNumberPatternError, RegisterBusy, RegisterError,
                     RegisterUnusable, RegisterValueError, RegisterWarning, UnknownProposal)
from .identity import ProposalKey, normalise_group, same_title, title_similarity
from .schema import LATEST as SCHEMA_VERSION
from .status import (DEFAULT_MONTHS, Light, StatusEntry, TrafficLight, light_without_history,
                     traffic_light)
from .store import DEFAULT_NAME, Entry, Recorded, Register, Round, RoundInfo, Version

__all__ = [
    "DECISION_FIELDS", "DEFAULT_MONTHS", "DEFAULT_NAME", "MESSAGES", "SCHEMA_VERSION", "CaseNumberPatternError",
    "Cell", "ChangeKind", "Decision", "Entry", "FieldChange", "Light", "ProposalChanges",
    "ProposalKey", "Recorded", "Register", "RegisterBusy", "RegisterError", "RegisterUnusable",
    "RegisterValueError", "RegisterWarning", "Round", "RoundInfo", "StatusEntry", "TrafficLight",
    "UnknownProposal", "Version", "format_case_number", "format_change_lines", "light_without_history",
    "normalise_group", "parse_pattern", "same_title", "title_similarity", "traffic_light",
]
