"""Validate intake workbooks: every row becomes a proposal or findings, never both, never none."""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterable, Iterator, Mapping
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from ..config import DEFAULT_CONFIG, Config
from ..danish import clean_text
from ..errors import IntakeUnusable
from ..intake.parse import ParseError, parse_whole_number
from ..intake.reader import RawIntake, RawRow, read_intake
from ..processes import worker_init
from ..model import COLUMNS_BY_FIELD, Intake, Proposal, RowSource, WorkingGroup
from ..findings import Finding, Location, Report, Severity
from .cells import Place, convert
from .rules import check_row


# Below this many workbooks, starting worker processes costs more than it saves.
PARALLEL_FROM = 8


def validate_values(model: type[BaseModel], values: dict[str, Any], config: Config,
                    place: Place) -> tuple[Any, list[Finding]]:
    """One row (or the group sheet): the model (None when a cell or rule has an error) and
    every finding, each at its cell."""
    typed, findings = convert(model, values, config, place)
    if model is Proposal:
        findings += check_row(typed, config, place)
    if place.failed or any(f.severity is Severity.ERROR for f in findings):
        return None, findings
    return model.model_construct(**typed), findings


def _workbook_rules(raw: RawIntake) -> Iterator[tuple[int, Finding]]:
    """Rules across rows: unique numbers, titles and priorities (row, finding)."""
    seen: dict[str, dict[Any, RawRow]] = {"number": {}, "title": {}, "priority": {}}
    codes = {"number": "number-duplicate", "title": "title-duplicate",
             "priority": "priority-duplicate"}
    for row in raw.rows:
        place = _row_place(raw, row)
        for name in seen:
            key = _comparable(name, row.values.get(name))
            if key is None:
                continue
            first = seen[name].setdefault(key, row)
            if first is row:
                continue
            value = row.values[name] if name == "title" else key
            severity = Severity.WARNING if name == "title" else Severity.ERROR
            yield row.row, place.finding(name, codes[name], severity, value=str(value).strip(),
                                         other=f"{raw.sheet}!{first.cells[name]}")


def _row_place(raw: RawIntake, row: RawRow) -> Place:
    return Place(Proposal, raw.name, raw.sheet, row.cells, row.row, row.hidden, row.merged)


def _comparable(name: str, value: Any) -> Any:
    if value is None:
        return None
    if name == "title":
        text = clean_text(str(value))[0]
        return " ".join(text.split()).casefold() or None
    try:
        return parse_whole_number(value)
    except ParseError:
        return None


def validate_raw(raw: RawIntake, config: Config = DEFAULT_CONFIG, strict: bool = False) -> Intake:
    """Validate what was read from one workbook."""
    report = Report(files=[raw.name], strict=strict, rows_read=len(raw.rows))
    report.add(raw.findings)

    group = None
    if raw.group_values is not None:
        place = Place(WorkingGroup, raw.name, raw.group_sheet, raw.group_cells)
        group, found = validate_values(WorkingGroup, raw.group_values, config, place)
        if report.add(found):
            group = None

    per_row: dict[int, list[Finding]] = {}
    for row, finding in _workbook_rules(raw):
        per_row.setdefault(row, []).append(finding)

    proposals: list[Proposal] = []
    for row in raw.rows:
        proposal, found = validate_values(Proposal, row.values, config, _row_place(raw, row))
        found = sorted(per_row.get(row.row, []) + found, key=_column_order)
        if report.add(found):
            proposal = None
        if proposal is not None:
            proposal.source = RowSource(file=raw.name, sheet=raw.sheet, row=row.row,
                                        cells=row.cells, hidden=row.hidden)
            proposal.group = group
            proposals.append(proposal)

    count = len(raw.rows)
    sheet = Location(file=raw.name, sheet=raw.sheet)
    if count == 0:
        report.add([Finding(code="no-proposals", severity=Severity.ERROR, location=sheet)])
    elif not config.min_proposals <= count <= config.max_proposals:
        report.add([Finding(code="proposal-count", severity=Severity.WARNING, location=sheet,
                            params={"count": str(count), "low": str(config.min_proposals),
                                    "high": str(config.max_proposals)})])
    report.rows_valid = len(proposals)
    numbers = [n for n in (_comparable("number", r.values.get("number")) for r in raw.rows)
               if n is not None]
    return Intake(path=raw.path, name=raw.name, group=group, proposals=proposals,
                  report=report, numbers=numbers)


def _column_order(finding: Finding) -> int:
    cell = finding.location.cell or ""
    letters = "".join(ch for ch in cell if ch.isalpha())
    return sum((ord(ch) - 64) * 26 ** i for i, ch in enumerate(reversed(letters)))


def validate_file(path: Path, config: Config = DEFAULT_CONFIG, strict: bool = False,
                  name: str | None = None) -> Intake:
    """Read and validate one workbook; raises IntakeUnusable when it cannot be used."""
    return validate_raw(read_intake(path, name), config, strict)


# Inside a folder these are read: workbooks, and what a working group may have handed in
# by mistake (an old .xls, a LibreOffice .ods, a .csv), so that it is reported, not skipped.
HAND_IN_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".ods", ".csv"}


def expand_paths(paths: Iterable[Path], skip: Iterable[Path] = ()) -> tuple[list[Path], list[Path]]:
    """Files as given, and the hand-ins inside folders (sorted); and the folders that hold no
    workbook at all. Inside a folder, Excel's ~$ lock files, the run's own output folders
    (`skip`) and the tool's marked copies are passed over. A missing path is kept, so that
    it is reported."""
    skipped = [_resolved(p) for p in skip]
    result: list[Path] = []
    empty: list[Path] = []
    for path in paths:
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.is_file()
                           and p.suffix.lower() in HAND_IN_SUFFIXES and not p.name.startswith("~$")
                           and not p.name.startswith(".~sagsgenerator-")
                           and not _inside(_resolved(p), skipped))
            found = [p for p in found if not _marked_beside_its_original(p)]
            if not any(p.suffix.lower() in (".xlsx", ".xlsm") for p in found):
                empty.append(path)
            result += found
        else:
            result.append(path)
    return result, empty


def _marked_beside_its_original(path: Path) -> bool:
    """A marked copy lying beside the workbook it was made from is the tool's own output
    (`valider --marker .`), not a hand-in; one without its original is a group's corrected
    copy sent back, and is read."""
    if not path.stem.endswith("-markeret"):
        return False
    from ..intake.xlsx import original_stem

    original = path.with_name(f"{original_stem(path)}{path.suffix}")
    return original != path and original.is_file()


def _resolved(path: Path) -> Path:
    try:
        return path.resolve()
    except OSError:
        return path.absolute()


def _inside(path: Path, folders: list[Path]) -> bool:
    return any(path == f or f in path.parents for f in folders)


def _validate_one(path: Path, config: Config, strict: bool, name: str | None) -> Intake | Finding:
    try:
        return validate_file(path, config, strict, name)
    except IntakeUnusable as exc:
        return exc.finding


def validate_paths(paths: Iterable[Path], config: Config = DEFAULT_CONFIG,
                   strict: bool = False, workers: int | None = None,
                   names: Mapping[Path, str] | None = None,
                   skip: Iterable[Path] = ()) -> tuple[Report, list[Intake]]:
    """Validate every workbook given (files and folders): one combined report. Many
    workbooks are read by `workers` processes (default: one per core). `names` gives the
    name a finding shows for a file (default: the path as given)."""
    report = Report(strict=strict)
    intakes: list[Intake] = []
    files, empty_folders = expand_paths(paths, skip)
    shown = [names.get(path) if names else None for path in files]
    for folder in empty_folders:
        report.files.append(str(folder))
        report.unusable.append(Finding(code="folder-no-workbooks", severity=Severity.ERROR,
                                       location=Location(file=str(folder))))
    workers = min(workers or os.cpu_count() or 1, max(len(files), 1))
    if workers > 1 and len(files) >= PARALLEL_FROM:
        # One workbook a task: in chunks of four, 20 workbooks left one worker idle for the
        # last four.
        with ProcessPoolExecutor(workers, initializer=worker_init) as pool:
            results = list(pool.map(_validate_one, files, itertools.repeat(config),
                                    itertools.repeat(strict), shown))
    else:
        results = [_validate_one(path, config, strict, name) for path, name in zip(files, shown)]
    for path, name, result in zip(files, shown, results):
        if isinstance(result, Finding):
            report.files.append(name or str(path))
            report.unusable.append(result)
        else:
            intakes.append(result)
    for intake, finding in list(_batch_rules(intakes)):
        if intake.report.add([finding]):
            intake.proposals = [p for p in intake.proposals if p.source.row != finding.row]
            intake.report.rows_valid = len(intake.proposals)
    for intake in intakes:
        report.extend(intake.report)
    return report, intakes


def _batch_rules(intakes: list[Intake]) -> Iterator[tuple[Intake, Finding]]:
    """Rules across workbooks: the same proposal handed in twice (same group and title) is
    reported, not rendered twice; two groups with the same focus area giving the same
    priority are reported."""
    seen: dict[tuple[str, str], tuple[Intake, Proposal]] = {}
    priorities: dict[tuple[str, int], tuple[Intake, Proposal]] = {}
    for intake in intakes:
        if intake.group is None:
            continue
        group = intake.group
        for proposal in list(intake.proposals):
            key = (group.name.casefold(), " ".join(proposal.title.split()).casefold())
            first = seen.setdefault(key, (intake, proposal))
            # Within one workbook a repeated title is the workbook rule's warning.
            if first[0] is not intake:
                yield intake, _batch_finding(intake, proposal, "title", "proposal-duplicate",
                                             Severity.ERROR, first, group=group.name)
                continue
            if proposal.priority is None:
                continue
            first = priorities.setdefault((group.focus_area, proposal.priority), (intake, proposal))
            if first[0] is not intake:
                yield intake, _batch_finding(
                    intake, proposal, "priority", "priority-conflict",
                    Severity.WARNING, first,
                    value=str(proposal.priority), title=first[1].title,
                    group=first[0].group.name if first[0].group else "",
                    focus_area=group.focus_area)


def _batch_finding(intake: Intake, proposal: Proposal, name: str, code: str,
                   severity: Severity, first: tuple[Intake, Proposal], **params: str) -> Finding:
    other_intake, other = first
    source = proposal.source
    params = {"header": COLUMNS_BY_FIELD[Proposal][name].header, "value": str(proposal.title),
              **params,
              "other": f"{other_intake.name}, {other.source.sheet}!{other.source.cells[name]}"}
    return Finding(code=code, severity=severity, row=source.row, params=params,
                   location=Location(file=intake.name, sheet=source.sheet,
                                     cell=source.cells.get(name), hidden_row=source.hidden))
