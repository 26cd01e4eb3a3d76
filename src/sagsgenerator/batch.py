"""The pipeline: read -> validate -> annotate -> plan -> render -> report, in one call.

    result = run_batch([Path("input")], Path("output"), config=config, today=date(2026, 12, 2))
    result.report.exit_code, result.documents   # [(kind, path), ...]

The command line and the web page both call `run_batch` (or `validate_batch` to check only)
and only translate options, show the result and exit: for the same input, date and
configuration they write the same bytes. Progress is a callback; nothing here knows click or
FastAPI.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .config import DEFAULT_CONFIG, Config
from .documents import KINDS, Written, write_documents
from .errors import TemplatesInvalid
from .findings import Report
from .intake.workbook import annotate
from .model import Intake
from .output import guard_inputs
from .validation.validate import expand_paths, validate_paths

Progress = Callable[[int, int], None]
MARKED_SUFFIX = "-markeret"


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
    """`gruppe.xlsx` -> `gruppe-markeret.xlsx`; a marked copy sent back keeps its name."""
    stem = Path(intake.name).stem
    return f"{stem}.xlsx" if stem.endswith(MARKED_SUFFIX) else f"{stem}{MARKED_SUFFIX}.xlsx"


def validate_batch(paths: Sequence[Path], *, config: Config = DEFAULT_CONFIG,
                   strict: bool = False, marks_dir: Path | None = None,
                   display_names: Mapping[Path, str] | None = None,
                   skip: Iterable[Path] = (), workers: int | None = None) -> BatchResult:
    """Read and validate every workbook (files and folders) and, with `marks_dir`, write a
    marked copy of each workbook that has findings. `display_names` gives the name a user
    knows a file by (the web page's uploads lie in a temporary folder)."""
    started = time.perf_counter()
    skipped = [p for p in (*skip, marks_dir) if p is not None]
    report, intakes = validate_paths(paths, config, strict=strict, workers=workers,
                                     names=display_names, skip=skipped)
    result = BatchResult(report=report, intakes=intakes, inputs=_input_files(paths, skipped))
    if marks_dir is not None:
        write_marks(result, marks_dir)
    result.seconds = time.perf_counter() - started
    return result


def write_marks(result: BatchResult, marks_dir: Path) -> list[Path]:
    """A marked copy of every workbook of the batch that has findings, in marks_dir."""
    with guard_inputs(result.inputs):
        for intake in result.intakes:
            if intake.report.findings:
                result.annotated[intake.path] = annotate(
                    intake.path, intake.report.findings, intake.report,
                    marks_dir / annotated_name(intake))
    return list(result.annotated.values())


def run_batch(paths: Sequence[Path], out_dir: Path, *, config: Config = DEFAULT_CONFIG,
              kinds: Sequence[str] = KINDS, today: dt.date | None = None,
              template_dir: Path | None = None, pdf: bool = False, strict: bool = False,
              marks_dir: Path | None = None, display_names: Mapping[Path, str] | None = None,
              workers: int | None = None, progress: Progress | None = None,
              before_render: Callable[[BatchResult], None] | None = None) -> BatchResult:
    """Validate, mark, and render every document of the chosen kinds from the valid
    proposals into out_dir (marked copies too, unless `marks_dir` says elsewhere).

    Raises TemplatesInvalid before anything is read when the municipality's templates have
    errors, and OutputError when an output would replace an input. `before_render(result)`
    is called with the findings before the documents are rendered (the CLI prints them)."""
    started = time.perf_counter()
    today = today or dt.date.today()
    if template_dir is not None:
        check_templates(template_dir, config)
    result = validate_batch(paths, config=config, strict=strict,
                            marks_dir=marks_dir or out_dir, display_names=display_names,
                            skip=[out_dir], workers=workers)
    if before_render:
        before_render(result)
    with guard_inputs(result.inputs):
        result.documents = write_documents(result.intakes, out_dir, kinds, config, pdf=pdf,
                                           template_dir=template_dir, workers=workers,
                                           progress=progress, today=today)
    result.seconds = time.perf_counter() - started
    return result


def check_templates(folder: Path, config: Config = DEFAULT_CONFIG) -> list:
    """The findings of a municipality's template folder; raises TemplatesInvalid on errors."""
    from .render.prepare import check_folder   # the checker is loaded only when asked for

    problems, _ = check_folder(folder, config)
    if any(p.error for p in problems):
        raise TemplatesInvalid(f"Skabelonerne i '{folder}' har fejl. Ret dem i Word, og tjek "
                               "dem med 'sagsgenerator skabeloner tjek'.", problems)
    return problems


def _input_files(paths: Sequence[Path], skip: Iterable[Path] = ()) -> list[Path]:
    """Every file the run reads: no output may replace one of them."""
    return [p for p in paths if not p.is_dir()] + expand_paths(paths, skip)[0]


__all__ = ["BatchResult", "annotated_name", "check_templates", "run_batch", "validate_batch",
           "write_marks"]
