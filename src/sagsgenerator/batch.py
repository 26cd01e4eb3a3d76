"""The pipeline: read -> validate -> annotate -> plan -> render -> report, in one call.

    result = run_batch([Path("input")], Path("output"), config=config, today=date(2026, 12, 2))
    result.report.exit_code, result.documents   # [(kind, path), ...]

The command line and the web page both call `run_batch` (or `validate_batch` to check only)
and only translate options, show the result and exit: for the same input, date and
configuration they write the same bytes. Progress is a callback; nothing here knows click or
FastAPI.
"""

from __future__ import annotations

import contextlib
import os
import datetime as dt
import tempfile
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .config import DEFAULT_CONFIG, Config
from .kinds import KINDS
from typing import TYPE_CHECKING, Any

from .errors import RegisterError, TemplatesInvalid
from .findings import Finding, Location, Report, Severity
from .model import PROPOSAL_COLUMNS, Intake, Proposal
from .output import atomic_write, guard_inputs, remove_stale_temporaries
from .processes import POOL_FROM_FILES
from .danish import Period, format_date
from .messages import MESSAGES
from .model import COLUMNS_BY_FIELD
from .register import (DEFAULT_NAME as DEFAULT_REGISTER, Decision, ProposalKey, Register,
                       RegisterWarning, Round, TrafficLight, format_change_lines)
from .validation.cells import CellProblem, Place, convert_cell
from .validation.validate import expand_paths, validate_paths

if TYPE_CHECKING:
    from concurrent.futures import Executor

    from .documents import Written
    from .intake.decisions import DecisionRow, RawDecisions

# Documents (docx, Jinja, openpyxl) and the workbook writers are imported where they are
# used: `valider` starts without them.

Progress = Callable[[int, int], None]


@dataclass
class BatchResult:
    """What a run read, found and wrote."""

    report: Report
    intakes: list[Intake]
    annotated: dict[Path, Path] = field(default_factory=dict)    # intake path -> marked copy
    documents: list[Written] = field(default_factory=list)
    seconds: float = 0.0
    inputs: list[Path] = field(default_factory=list)               # every file read

    @property
    def exit_code(self) -> int:
        return self.report.exit_code


def annotated_name(intake: Intake) -> str:
    """`gruppe.xlsx` -> `gruppe-markeret.xlsx`; a marked copy sent back keeps its name (its
    document property knows the workbook it was made from)."""
    from .intake.xlsx import annotated_name as marked_name

    return marked_name(intake.path)


def validate_batch(paths: Sequence[Path], *, config: Config = DEFAULT_CONFIG,
                   strict: bool = False, marks_dir: Path | None = None,
                   display_names: Mapping[Path, str] | None = None,
                   skip: Iterable[Path] = (), workers: int | None = None,
                   today: dt.date | None = None) -> BatchResult:
    """Read and validate every workbook (files and folders) and, with `marks_dir`, write a
    marked copy of each workbook that has findings. `display_names` gives the name a user
    knows a file by (the web page's uploads lie in a temporary folder)."""
    started = time.perf_counter()
    skipped = [p for p in (*skip, marks_dir) if p is not None]
    report, intakes = validate_paths(paths, config, strict=strict, workers=workers,
                                     names=display_names, skip=skipped)
    result = BatchResult(report=report, intakes=intakes, inputs=_input_files(paths, skipped))
    if marks_dir is not None:
        write_marks(result, marks_dir, today)
    result.seconds = time.perf_counter() - started
    return result


def write_marks(result: BatchResult, marks_dir: Path, today: dt.date | None = None) -> list[Path]:
    """A marked copy of every workbook of the batch that has findings, in marks_dir (what an
    earlier, killed run left half-written there is removed first)."""
    from .intake.xlsx import annotate

    remove_stale_temporaries(marks_dir)
    with guard_inputs(result.inputs):
        for intake in result.intakes:
            if intake.report.findings:
                result.annotated[intake.path] = annotate(
                    intake.path, intake.report.findings, intake.report,
                    marks_dir / annotated_name(intake), today=today)
    return list(result.annotated.values())


def run_batch(paths: Sequence[Path], out_dir: Path, *, config: Config = DEFAULT_CONFIG,
              kinds: Sequence[str] = KINDS, today: dt.date | None = None,
              template_dir: Path | None = None, pdf: bool = False, strict: bool = False,
              marks_dir: Path | None = None, display_names: Mapping[Path, str] | None = None,
              workers: int | None = None, progress: Progress | None = None,
              before_render: Callable[[BatchResult], None] | None = None,
              register: Path | None = None,
              changes_since: dt.date | int | None = None, pdfa: bool = False,
              helper: Executor | None = None) -> BatchResult:
    """Validate, mark, and render every document of the chosen kinds from the valid
    proposals into out_dir (marked copies too, unless `marks_dir` says elsewhere).

    With a `register`, the run is one round in it, in one transaction: every proposal is
    recorded (a new version only when something changed), decisions in force are laid over
    what the groups wrote, and case numbers come from the register (assigned the first time a
    proposal gets a case paper, never changed after). With `changes_since` as well, case
    papers and the catalogue show what changed since then as Word tracked changes.

    Raises TemplatesInvalid before anything is read when the municipality's templates have
    errors, and OutputError when an output would replace an input. `before_render(result)`
    is called with the findings before the documents are rendered (the CLI prints them)."""
    from .documents import prepare_templates, render_pool, write_documents

    started = time.perf_counter()
    today = today or run_date()
    kinds = [k for k in KINDS if k in kinds]
    if template_dir is not None:
        check_templates(template_dir, config)
    if changes_since is not None and register is None:
        raise RegisterError("Ændringer siden en dato kræver registret: kør uden --uden-register.")
    remove_stale_temporaries(out_dir)
    skip = [out_dir, *([marks_dir] if marks_dir else [])]
    with contextlib.ExitStack() as stack:
        # Worker processes are started before anything is read: for a large batch, the
        # workers that render; for a small one on more than one core, a helper that loads
        # the engine and prepares the templates meanwhile.
        pool = None
        if len(expand_paths(paths, skip)[0]) >= POOL_FROM_FILES:
            if helper is not None:          # counted otherwise by the caller: not needed
                helper.shutdown(wait=False, cancel_futures=True)
                helper = None
            pool = stack.enter_context(render_pool(workers))
        elif helper is not None:
            prepare_templates(helper, kinds, template_dir)
        elif (workers or os.cpu_count() or 1) > 1:
            helper = stack.enter_context(render_pool(1, prepare=kinds, template_dir=template_dir))
        result = validate_batch(paths, config=config, strict=strict,
                                display_names=display_names, skip=skip, workers=workers)
        numbers: dict[str, Any] = {"held_back": _held_back(result)}
        if register is not None:
            store = stack.enter_context(Register.open(register, config))
            round_ = stack.enter_context(store.round(today=today, period=config.period,
                                                     note=_round_note(result)))
            numbers.update(_record(result, store, round_, kinds, config, today))
        write_marks(result, marks_dir or out_dir, today)
        if before_render:
            before_render(result)
        with guard_inputs(result.inputs):
            result.documents = write_documents(result.intakes, out_dir, kinds, config,
                                               pdf=pdf or pdfa, pdfa=pdfa,
                                               template_dir=template_dir, workers=workers,
                                               progress=progress, today=today, pool=pool,
                                               helper=helper, **numbers)
            if changes_since is not None:
                _track_changes(result, store, changes_since, out_dir, kinds, config, today,
                               template_dir, numbers)
    result.seconds = time.perf_counter() - started
    return result


def run_date() -> dt.date:
    """The run's date when none is given: SOURCE_DATE_EPOCH (reproducible builds), else
    today."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc).date()
    return dt.date.today()


def _held_back(result: BatchResult) -> list[tuple[str, int]]:
    """(working group, rows held back by errors) for the combined committee case."""
    held = []
    for intake in result.intakes:
        rows = intake.report.rows_read - len(intake.proposals)
        if rows > 0:
            held.append((intake.group.name if intake.group else Path(intake.name).stem, rows))
    return held


def _round_note(result: BatchResult) -> str:
    files = ", ".join(Path(f).name for f in result.report.files[:5])
    more = len(result.report.files) - 5
    return files + (f" og {more} andre" if more > 0 else "")


def _record(result: BatchResult, store: Register, round_: Round, kinds: Sequence[str],
            config: Config, today: dt.date) -> dict[str, Any]:
    """Record every valid proposal in the round; lay the decisions in force over them; the
    case numbers the documents show."""
    case_numbers: dict[tuple[str, int], str] = {}
    lights: dict[tuple[str, int], TrafficLight] = {}
    for intake in result.intakes:
        keys = []
        for proposal in intake.proposals:
            recorded = round_.record(proposal)
            found = [_register_finding(w, intake, proposal) for w in recorded.warnings]
            intake.report.add(found)
            result.report.add(found)
            keys.append(recorded.key)
            number = (round_.case_number(recorded.key) if "sagsfremstilling" in kinds
                      else store.case_number_of(recorded.key))
            if number and intake.group is not None:
                case_numbers[(intake.group.name, proposal.number)] = number
        # The decisions in force and the traffic lights of the workbook's proposals, read
        # together (nothing above changes them: recording adds versions and statuses only
        # of the proposal recorded).
        read = store.decisions_and_lights(keys, today, lights="opfoelgning" in kinds)
        kept = []
        for proposal, key in zip(intake.proposals, keys):
            decided, light = read[key]
            if decided:
                proposal = proposal.model_copy(
                    update={name: d.value for name, d in decided.items()})
            kept.append(proposal)
            if light is not None and intake.group is not None:
                lights[(intake.group.name, proposal.number)] = light
        intake.proposals = kept
        if intake.group is not None and intake.numbers:
            round_.withdraw_missing(intake.group.name, intake.numbers)
    committees: dict[str, str] = {}
    if "udvalgssag" in kinds:
        for committee in dict.fromkeys(i.group.committee for i in result.intakes
                                       if i.group is not None and i.proposals):
            committees[committee] = round_.committee_case_number(
                committee, _meeting_date(committee, config, today))
    return {"case_numbers": case_numbers, "committee_case_numbers": committees,
            "traffic_lights": lights}


def _meeting_date(committee: str, config: Config, today: dt.date) -> dt.date:
    upcoming = sorted(m.date for m in config.meetings if m.committee == committee
                      and m.date >= today)
    return upcoming[0] if upcoming else today


# Which field a register warning is about, for the cell it is shown at.
_WARNING_FIELDS = {"register-title-changed": "title", "register-renumbered": "title",
                   "register-reinstated": "number"}


def _register_finding(warning: RegisterWarning, intake: Intake, proposal: Proposal) -> Finding:
    name = _WARNING_FIELDS.get(warning.code)
    if name is None:
        header = warning.params.get("header", "")
        name = next((c.field for c in PROPOSAL_COLUMNS if c.header == header), "title")
    source = proposal.source
    return Finding(code=warning.code, severity=Severity.WARNING, row=source.row if source else None,
                   params={k: str(v) for k, v in warning.params.items()},
                   location=Location(file=intake.name, sheet=source.sheet if source else None,
                                     cell=source.cells.get(name) if source else None,
                                     hidden_row=source.hidden if source else False))


TRACKED_KINDS = ("sagsfremstilling", "idekatalog")


def _track_changes(result: BatchResult, store: Register, since: dt.date | int, out_dir: Path,
                   kinds: Sequence[str], config: Config, today: dt.date,
                   template_dir: Path | None, numbers: dict[str, Any]) -> None:
    """Case papers and the catalogue, rewritten with Word tracked changes against the
    version of each proposal the register held at `since`."""
    from .documents import write_documents
    from .render.revisions import track_changes   # loaded only when changes are asked for

    tracked = [k for k in TRACKED_KINDS if k in kinds]
    if not tracked:
        return
    old_intakes = []
    for intake in result.intakes:
        old = []
        for proposal in intake.proposals:
            before = store.proposal(round_key(store, proposal, config), at=since)
            if before is not None:
                old.append(before.model_copy(update={"source": proposal.source,
                                                     "group": proposal.group}))
        old_intakes.append(Intake(path=intake.path, name=intake.name, group=intake.group,
                                  proposals=old, report=intake.report))
    when = since if isinstance(since, dt.date) else today
    moment = dt.datetime.combine(when, dt.time())
    with tempfile.TemporaryDirectory(prefix="sagsgenerator-aendringer-") as tmp:
        before = write_documents(old_intakes, Path(tmp), tracked, config,
                                 template_dir=template_dir, workers=1, today=today,
                                 **{k: v for k, v in numbers.items() if k != "held_back"})
        by_name = {w.path.name: w.path for w in before}
        for written in result.documents:
            if written.kind not in tracked or written.path.suffix != ".docx":
                continue
            old_path = by_name.get(written.path.name) or by_name.get(
                _paper_prefix(written.path.name, by_name))
            if old_path is None:
                continue                  # new since then: the whole document is new
            data = track_changes(old_path.read_bytes(), written.path.read_bytes(),
                                 author="sagsgenerator", date=moment)
            atomic_write(written.path, lambda tmp_path, data=data: tmp_path.write_bytes(data))


def round_key(store: Register, proposal: Proposal, config: Config) -> ProposalKey:
    return ProposalKey.of(proposal, config.period)


def _paper_prefix(name: str, names: Mapping[str, Path]) -> str:
    """A case paper whose title changed has another file name: find it by group and Nr."""
    parts = name.split("-")
    for cut in range(len(parts) - 1, 1, -1):
        prefix = "-".join(parts[:cut]) + "-"
        hits = [n for n in names if n.startswith(prefix)]
        if len(hits) == 1 and parts[cut - 1].isdigit():
            return hits[0]
    return ""


def check_templates(folder: Path, config: Config = DEFAULT_CONFIG) -> list:
    """The findings of a municipality's template folder; raises TemplatesInvalid on errors."""
    from .documents.samples import sample_contexts   # loaded only when asked for
    from .render.check import check_folder

    problems, _ = check_folder(folder, KINDS, sample_contexts(config))
    if any(p.severity is Severity.ERROR for p in problems):
        raise TemplatesInvalid(f"Skabelonerne i '{folder}' har fejl. Ret dem i Word, og tjek "
                               "dem med 'sagsgenerator skabeloner tjek'.", problems)
    return problems


def _input_files(paths: Sequence[Path], skip: Iterable[Path] = ()) -> list[Path]:
    """Every file the run reads: no output may replace one of them."""
    return [p for p in paths if not p.is_dir()] + expand_paths(paths, skip)[0]




# Decisions coming back --------------------------------------------------------------------

@dataclass
class DecisionsResult:
    """What an edited handleplan.xlsx said: findings, and the decisions recorded (none when
    `dry_run`, or when the file had errors and nothing could be trusted)."""

    report: Report
    recorded: list[Decision] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)          # Danish, one per decision

    @property
    def exit_code(self) -> int:
        return self.report.exit_code


class _DryRun(Exception):
    """Rolls a dry run's round back."""


def read_decisions(path: Path, *, register: Path, config: Config = DEFAULT_CONFIG,
                   today: dt.date | None = None, display_name: str | None = None,
                   dry_run: bool = False) -> DecisionsResult:
    """Record the decisions of an edited handleplan.xlsx in the register, each with its date
    and cell. Only values that differ from what the register holds become decisions; a cell
    that cannot be read is a finding at its cell and records nothing. With `dry_run` the
    findings and the would-be decisions are returned and nothing is stored."""
    from .intake.decisions import read_decisions as read_plan

    today = today or dt.date.today()
    raw = read_plan(path, display_name)
    report = Report(files=[raw.name], rows_read=len(raw.rows))
    report.add(raw.findings)
    result = DecisionsResult(report=report)
    with Register.open(register, config) as store:
        try:
            with store.round(today=today, period=config.period,
                             note=f"Beslutninger fra {Path(raw.name).name}") as round_:
                valid = 0
                for row in raw.rows:
                    if _decide(row, raw, store, round_, config, today, result):
                        valid += 1
                report.rows_valid = valid
                if dry_run:
                    raise _DryRun()
        except _DryRun:
            pass
    return result


def _decide(row: DecisionRow, raw: RawDecisions, store: Register, round_: Round,
            config: Config, today: dt.date, result: DecisionsResult) -> bool:
    place = Place(Proposal, raw.name, raw.sheet, row.cells, row.row)
    key = store.lookup(row.key)
    if key is None:
        result.report.add([Finding(code="plan-key-unknown", severity=Severity.ERROR, row=row.row,
                                   params={"value": row.key},
                                   location=Location(file=raw.name, sheet=raw.sheet))])
        return False
    current = store.proposal(key)
    found: list[Finding] = []
    changed: dict[str, Any] = {}
    for name, value in row.values.items():
        column = COLUMNS_BY_FIELD[Proposal][name]
        try:
            typed = convert_cell(column, value, config, found, place)
        except CellProblem as problem:
            found.append(place.finding(name, problem.code, **problem.params))
            continue
        if current is None or not _same(typed, getattr(current, name)):
            changed[name] = typed
    if result.report.add(found):
        return False
    for name, value in changed.items():
        source = f"{Path(raw.name).name}, {raw.sheet}!{row.cells[name]}"
        decision = round_.record_decision(key, name, value, today, source)
        if decision.new:
            result.recorded.append(decision)
            result.lines.append(MESSAGES["decision-recorded"].format(
                group=current.group.name if current and current.group else key.group,
                number=key.number, header=decision.header, value=decision.text,
                decided_on=format_date(today)))
    return True


def _same(new: Any, old: Any) -> bool:
    """A value read back from the plan equals the register's: a month read back as the date
    of its first day (Excel shows Opstart as a date) is the same month."""
    if isinstance(new, Period) and isinstance(old, Period):
        return (new.year, new.month) == (old.year, old.month) and new.day in (None, 1, old.day)
    if isinstance(new, str) and isinstance(old, str):
        return " ".join(new.split()) == " ".join(old.split())
    return new == old


def changes_since(register: Path, since: dt.date | int, config: Config = DEFAULT_CONFIG) -> list[str]:
    """What changed in the register since a date or round, as Danish lines (old -> new, with
    the cell each new value came from)."""
    with Register.open(register, config) as store:
        return format_change_lines(store.changes_since(since, config.period))


def register_path(explicit: Path | None, config_path: Path | None) -> Path:
    """The register file: as given, else sagsgenerator.db beside the configuration file, else
    in the working folder."""
    if explicit is not None:
        return explicit
    folder = config_path.parent if config_path is not None else Path(".")
    return folder / DEFAULT_REGISTER


__all__ = ["BatchResult", "DecisionsResult", "annotated_name", "changes_since",
           "check_templates", "read_decisions", "register_path", "run_batch", "validate_batch",
           "write_marks"]
