"""The documents sagsgenerator writes from the valid proposals of a batch.

    write_documents(intakes, Path("output"))  # every kind as (kind, path), + handleplan.xlsx

`KIND_INFO` is the registry of kinds: name, Danish labels, and extra outputs. The built-in
templates are package data (`sagsgenerator.templates`, mapped from the project's top-level
`templates/` folder when the package is built), found with importlib.resources.

Every template is prepared once per run (render/engine.py); a large batch is spread over the
machine's cores, each worker preparing the templates once.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import functools
import importlib.resources
import os
import pickle
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any, NamedTuple

from ..config import DEFAULT_CONFIG, Config
from ..output import atomic_write, guard_inputs, protected_inputs, refuse_input
from ..processes import worker_init
from ..render.context import Batch, Item, batch_items, remembered_fields
from ..render.office import convert_to_pdf, request_field_update
from ..model import Intake
from ..register.status import TrafficLight
from . import handleplan, idekatalog, opfoelgning, sagsfremstilling, udvalgssag
from .base import Planned

if TYPE_CHECKING:
    from ..render.engine import PreparedTemplate


@dataclass(frozen=True)
class KindInfo:
    """A document kind: its module (plan), and what a user reads about it."""

    name: str
    module: ModuleType
    label: str                      # "Sagsfremstillinger" (a heading on the web page)
    counted: str                    # "sagsfremstillinger" ("Skrev 9 sagsfremstillinger i ...")
    description: str
    extra: tuple[str, ...] = ()     # further files written with it


KIND_INFO: dict[str, KindInfo] = {k.name: k for k in (
    KindInfo("sagsfremstilling", sagsfremstilling, "Sagsfremstillinger", "sagsfremstillinger",
             "én pr. gyldigt forslag, til udvalget"),
    KindInfo("idekatalog", idekatalog, "Idékatalog", "idékatalog",
             "alle forslag samlet, ordnet efter fokusområde"),
    KindInfo("handleplan", handleplan, "Handleplan", "handleplan",
             "oversigt med ressourcer og diagram (Word og Excel)", (handleplan.WORKBOOK_NAME,)),
    KindInfo("opfoelgning", opfoelgning, "Opfølgningsoversigt", "opfølgningsoversigt",
             "hvornår hver indsats skal følges op"),
    KindInfo("udvalgssag", udvalgssag, "Samlet udvalgssag", "samlede udvalgssager",
             "én pr. udvalg med de prioriterede forslag"),
)}
KINDS = tuple(KIND_INFO)
INDEXED_KINDS = ("idekatalog",)          # kinds whose template has a table of contents
MODULES = {name: info.module for name, info in KIND_INFO.items()}


def _built_in_templates() -> Path:
    """The built-in templates: package data of an installed package (wheel or editable);
    in a source tree run without installing (PYTHONPATH=src), the project's own folder."""
    try:
        folder = importlib.resources.files("sagsgenerator.templates") / "docx"
    except ModuleNotFoundError:
        return Path(__file__).resolve().parents[3] / "templates" / "docx"
    return Path(str(folder))


TEMPLATE_DIR = _built_in_templates()


class Written(NamedTuple):
    """A file written by a run, and the document kind it belongs to."""

    kind: str
    path: Path


# Below this many documents, starting worker processes costs more than it saves.
PARALLEL_FROM = 60
# Kinds with one document per item, planned by the worker that renders them (from the
# items, which pickle smaller than the contexts); the module has `file_name(item)`.
PER_ITEM_KINDS = ("sagsfremstilling",)

__all__ = ["KINDS", "KIND_INFO", "TEMPLATE_DIR", "Written", "render_documents", "render_pool",
           "write_documents"]

Job = tuple[str, str, Planned, Path]          # kind, template path, planned, target


class _Renderer:
    """Prepared templates, one per template file, made on first use."""

    def __init__(self) -> None:
        self.prepared: dict[str, PreparedTemplate] = {}

    def template(self, kind: str, template: str) -> PreparedTemplate:
        from ..render.engine import PreparedTemplate   # docx, docxtpl, Jinja: where they work

        if template not in self.prepared:
            self.prepared[template] = PreparedTemplate(Path(template), kind)
        return self.prepared[template]

    def write(self, job: Job) -> Path:
        kind, template, planned, target = job
        data = self.template(kind, template).render(planned.context, planned.properties)
        return atomic_write(target, lambda tmp: tmp.write_bytes(data))


_WORKER: _Renderer | None = None


def _worker() -> _Renderer:
    global _WORKER
    _WORKER = _WORKER or _Renderer()
    return _WORKER


def _write_in_worker(jobs: list[Job]) -> list[Path]:
    renderer = _worker()
    return [renderer.write(job) for job in jobs]


def _write_pickled_in_worker(data: bytes) -> list[Path]:
    return _write_in_worker(pickle.loads(data))


def _plan_and_write_in_worker(kind: str, template: str, items: list[Item], targets: list[Path],
                              config: Config, when: dt.datetime | None) -> list[Path]:
    """Plan the documents of a per-item kind for some items, and write them to `targets`."""
    planned = MODULES[kind].plan(items, config)
    return _write_in_worker([(kind, template, _dated(p, when), target)
                             for p, target in zip(planned, targets)])


def _started() -> None:
    """Nothing: submitted once to start the workers of a pool."""


def _prepare_in_worker(templates: Sequence[tuple[str, str]]) -> None:
    """Load the engine and prepare the run's templates (and the chart's font) in a worker
    while the main process reads: half a second of a small run. A template that cannot be
    prepared is left alone here; the render that needs it reports it."""
    renderer = _worker()
    for kind, template in templates:
        with contextlib.suppress(Exception):
            renderer.template(kind, template)
    if any(kind == "handleplan" for kind, _ in templates):
        from ..render.chart import load_fonts

        load_fonts()


@contextlib.contextmanager
def render_pool(workers: int | None = None, prepare: Iterable[str] = (),
                template_dir: Path | None = None) -> Iterator[ProcessPoolExecutor | None]:
    """Worker processes for `write_documents`, started now. A worker forked later holds
    (and counts in its memory) everything this process has read by then, so the pipeline
    starts them before it reads a large batch. None with one worker. With `prepare` (kinds),
    the workers load the engine and prepare those kinds' templates at once (from
    `template_dir` where it has them): a small batch's helper (`write_documents`' `helper`)."""
    workers = workers or os.cpu_count() or 1
    if workers <= 1 and not prepare:
        yield None
        return
    pool = ProcessPoolExecutor(workers, initializer=worker_init)
    try:
        # Fork starts every worker at the first task.
        if prepare:
            prepare_templates(pool, prepare, template_dir)
        else:
            pool.submit(_started)
        yield pool
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def prepare_templates(helper: Executor, kinds: Iterable[str],
                      template_dir: Path | None = None) -> None:
    """Have a helper load the engine and prepare these kinds' templates (from
    `template_dir` where it has them) while this process reads."""
    helper.submit(_prepare_in_worker,
                  [(kind, str(template_path(kind, template_dir))) for kind in kinds])


def template_path(name: str, folder: Path | None = None) -> Path:
    """The municipality's own template when its folder has one, else the built-in."""
    own = folder / f"{name}.docx" if folder else None
    return own if own is not None and own.is_file() else TEMPLATE_DIR / f"{name}.docx"


def plan_documents(intakes: list[Intake], out_dir: Path, kinds: Iterable[str] = KINDS,
                   config: Config = DEFAULT_CONFIG,
                   template_dir: Path | None = None,
                   today: dt.date | None = None, **numbers: Any) -> tuple[list[Job], list]:
    """Every document to write, in order, and the batch's items. `numbers` are the case
    numbers from the register (see render.context.batch_items)."""
    wanted = _wanted(kinds)
    items = batch_items(intakes, config, today, **numbers)
    return _plan(items, out_dir, wanted, config, template_dir, today), items


def _plan(items: Batch, out_dir: Path, wanted: set[str], config: Config,
          template_dir: Path | None, today: dt.date | None) -> list[Job]:
    when = _when(today)
    jobs: list[Job] = []
    names: set[str] = set()
    with remembered_fields():           # each proposal formatted once for all kinds
        for kind in (k for k in KINDS if k in wanted and items):
            for planned in MODULES[kind].plan(items, config):
                jobs.append((kind, str(template_path(planned.template, template_dir)),
                             _dated(planned, when), out_dir / _unique(planned.name, names)))
    return jobs


def _wanted(kinds: Iterable[str]) -> set[str]:
    wanted = set(kinds)
    unknown = wanted - set(KINDS)
    if unknown:
        raise ValueError(f"Ukendt dokumenttype: {', '.join(sorted(unknown))}. "
                         f"Vælg mellem {', '.join(KINDS)}.")
    return wanted


def _when(today: dt.date | None) -> dt.datetime | None:
    """Created and modified: the run's date, so reruns with the same --dato are identical."""
    return dt.datetime.combine(today, dt.time()) if today is not None else None


def _dated(planned: Planned, when: dt.datetime | None) -> Planned:
    if when is None:
        return planned
    return dataclasses.replace(planned, properties=dataclasses.replace(planned.properties,
                                                                       when=when))


def _unique(name: str, taken: set[str]) -> str:
    """The file name, or with -2, -3 ... when two documents would get the same name (two
    groups whose names give the same slug): no document may overwrite another."""
    stem, dot, suffix = name.rpartition(".")
    candidate, n = name, 2
    while candidate.casefold() in taken:
        candidate, n = f"{stem}-{n}{dot}{suffix}", n + 1
    taken.add(candidate.casefold())
    return candidate


def render_documents(intakes: list[Intake], out_dir: Path, kinds: Iterable[str] = KINDS,
                     config: Config = DEFAULT_CONFIG, pdf: bool = False,
                     template_dir: Path | None = None, workers: int | None = None,
                     progress: Callable[[int, int], None] | None = None,
                     today: dt.date | None = None) -> list[Path]:
    """The paths `write_documents` wrote, in order."""
    return [w.path for w in write_documents(intakes, out_dir, kinds, config, pdf, template_dir,
                                            workers, progress, today)]


def write_documents(intakes: list[Intake], out_dir: Path, kinds: Iterable[str] = KINDS,
                    config: Config = DEFAULT_CONFIG, pdf: bool = False,
                    template_dir: Path | None = None, workers: int | None = None,
                    progress: Callable[[int, int], None] | None = None,
                    today: dt.date | None = None,
                    case_numbers: Mapping[tuple[str, int], str] | None = None,
                    committee_case_numbers: Mapping[str, str] | None = None,
                    held_back: Sequence[tuple[str, int]] = (),
                    pdfa: bool = False,
                    traffic_lights: Mapping[tuple[str, int], TrafficLight] | None = None,
                    pool: ProcessPoolExecutor | None = None,
                    helper: ProcessPoolExecutor | None = None) -> list[Written]:
    """Render the chosen kinds from the valid proposals: (kind, path) of every file written,
    in order.

    Nothing is written when the batch has no valid proposal. `workers` processes share a
    large batch (default: one per core); `progress(n, total)` is called as n more of the
    total documents are written. With pdf=True every .docx is also converted to tagged PDF
    (PDF/A-2b with pdfa=True) by a pool of LibreOffice processes, which also updates the
    catalogue's table of contents; without it Word updates the table on open. One
    LibreOffice process. `pool`: worker processes already started (`render_pool`) for a
    large batch; `helper`: one worker already started for a small batch, which renders the
    Word documents while this process makes handleplan.xlsx."""
    kinds = list(kinds)
    numbers = dict(case_numbers=case_numbers, committee_case_numbers=committee_case_numbers,
                   held_back=held_back, traffic_lights=traffic_lights)
    workers = workers or os.cpu_count() or 1
    wanted = _wanted(kinds)
    items = batch_items(intakes, config, today, **numbers)
    # At least this many documents (a per-item kind gives one per item, another kind one or
    # more): then worker processes share them, each planning its own case papers.
    least = sum(len(items) if k in PER_ITEM_KINDS else 1 for k in KINDS if k in wanted)
    if items and (pool is not None or workers > 1) and least >= PARALLEL_FROM:
        with contextlib.ExitStack() as stack:
            if pool is None:
                pool = stack.enter_context(render_pool(workers))
            written, workbook = _write_in_parallel(pool, workers, items, out_dir, wanted, config,
                                                   template_dir, today, progress)
    elif items and helper is not None:
        written, workbook = _write_beside(helper, items, out_dir, wanted, config, template_dir,
                                          today, progress)
    else:
        written, workbook = _write_here(items, out_dir, wanted, config, template_dir, today,
                                        workers, progress)
    if not written:
        return []
    if workbook is not None:
        at = max((i for i, w in enumerate(written) if w.kind == "handleplan"),
                 default=len(written) - 1)
        written.insert(at + 1, Written("handleplan", atomic_write(
            out_dir / handleplan.WORKBOOK_NAME, lambda tmp: tmp.write_bytes(workbook))))
    with_index = [w.path for w in written if w.kind in INDEXED_KINDS and w.path.suffix == ".docx"]
    if pdf:
        # One pool of LibreOffice processes: the catalogue's table of contents is updated
        # (page numbers, links) and saved, and every document becomes a tagged PDF.
        kind_of = {w.path: w.kind for w in written}
        docx = [w.path for w in written if w.path.suffix == ".docx"]
        pdfs = convert_to_pdf(docx, out_dir, tagged=True, pdfa=pdfa, workers=workers,
                              update_indexes=bool(with_index))
        written += [Written(kind_of[d], p) for d, p in zip(docx, pdfs)]
    else:
        # Without LibreOffice's pass, Word fills the table of contents when it opens the file.
        for path in with_index:
            request_field_update(path)
    return written


def _write_here(items: Batch, out_dir: Path, wanted: set[str], config: Config,
                template_dir: Path | None, today: dt.date | None, workers: int,
                progress: Callable[[int, int], None] | None,
                ) -> tuple[list[Written], bytes | None]:
    """A small batch: planned here, rendered here (or by workers started for it)."""
    jobs = _plan(items, out_dir, wanted, config, template_dir, today)
    if not jobs:
        return [], None
    paths: list[Path] = []
    if workers > 1 and len(jobs) >= PARALLEL_FROM:
        size = max(8, len(jobs) // (workers * 8))
        chunks = [jobs[i:i + size] for i in range(0, len(jobs), size)]
        with ProcessPoolExecutor(workers, initializer=worker_init) as pool:
            for chunk in pool.map(_write_in_worker, chunks):
                paths += chunk
                if progress:
                    progress(len(chunk), len(jobs))
    else:
        renderer = _Renderer()
        for job in jobs:
            paths.append(renderer.write(job))
            if progress:
                progress(1, len(jobs))
    workbook = handleplan.workbook_bytes(items, config) if "handleplan" in wanted else None
    return [Written(job[0], path) for job, path in zip(jobs, paths)], workbook


def _write_beside(helper: ProcessPoolExecutor, items: Batch, out_dir: Path, wanted: set[str],
                  config: Config, template_dir: Path | None, today: dt.date | None,
                  progress: Callable[[int, int], None] | None,
                  ) -> tuple[list[Written], bytes | None]:
    """A small batch on two cores: the helper (which loaded the engine and prepared the
    templates while this process read the workbooks) plans and renders the Word documents;
    meanwhile this process makes handleplan.xlsx (openpyxl is loaded only here)."""
    future = helper.submit(_plan_and_write_in_helper, items, out_dir, wanted, config, template_dir,
                           today, sorted(protected_inputs()))
    workbook = handleplan.workbook_bytes(items, config) if "handleplan" in wanted else None
    written = future.result()
    if progress and written:
        progress(len(written), len(written))
    return written, workbook


def _plan_and_write_in_helper(items: Batch, out_dir: Path, wanted: set[str], config: Config,
                              template_dir: Path | None, today: dt.date | None,
                              inputs: list[Path]) -> list[Written]:
    """Plan and render a small batch's Word documents, in order (in the helper, which was
    started before the run's inputs were known: they are guarded here)."""
    with guard_inputs(inputs):
        jobs = _plan(items, out_dir, wanted, config, template_dir, today)
        return [Written(job[0], path) for job, path in zip(jobs, _write_in_worker(jobs))]


def _write_in_parallel(pool: ProcessPoolExecutor, workers: int, items: Batch, out_dir: Path,
                       wanted: set[str], config: Config, template_dir: Path | None,
                       today: dt.date | None, progress: Callable[[int, int], None] | None,
                       ) -> tuple[list[Written], bytes | None]:
    """A large batch over the pool's workers, this process never idle: the workers plan and
    render the case papers in chunks of items; meanwhile this process plans the large
    documents (each one task, queued early so that no worker is left with one at the end)
    and makes handleplan.xlsx. Files and their order are those of `plan_documents`."""
    when = _when(today)
    names: set[str] = set()
    # In the documents' order: kind, how many documents, the future of their paths (or the
    # call that submits them, for case papers queued behind the large documents).
    slots: list[tuple[str, int, Future | Callable[[], Future]]] = []
    size = max(8, min(50, len(items) // (workers * 8)))
    with remembered_fields():           # each proposal formatted once for all kinds
        for kind in (k for k in KINDS if k in wanted):
            if kind in PER_ITEM_KINDS:
                module = MODULES[kind]
                template = str(template_path(kind, template_dir))
                targets = [out_dir / _unique(module.file_name(item), names) for item in items]
                for target in targets:
                    refuse_input(target)        # the workers started before the inputs were known
                starts = range(0, len(items), size)
                for n, start in enumerate(starts):
                    paths = targets[start:start + size]
                    submit = functools.partial(pool.submit, _plan_and_write_in_worker, kind,
                                               template, _part(items, start, start + size),
                                               paths, config, when)
                    # The first half starts now; the rest queues behind the large documents.
                    slots.append((kind, len(paths), submit() if n < len(starts) // 2 else submit))
                continue
            plans = MODULES[kind].plan(items, config)
            plans.reverse()
            while plans:
                planned = plans.pop()
                job = (kind, str(template_path(planned.template, template_dir)),
                       _dated(planned, when), out_dir / _unique(planned.name, names))
                refuse_input(job[3])
                # Held as its pickle until the worker is done: a third of the context's size.
                data = pickle.dumps([job], pickle.HIGHEST_PROTOCOL)
                del job, planned
                slots.append((kind, 1, pool.submit(_write_pickled_in_worker, data)))
    slots = [(kind, n, f if isinstance(f, Future) else f()) for kind, n, f in slots]
    workbook = handleplan.workbook_bytes(items, config) if "handleplan" in wanted else None
    total = sum(n for _, n, _ in slots)
    written: list[Written] = []
    for kind, n, future in slots:
        written += [Written(kind, path) for path in future.result()]
        if progress:
            progress(n, total)
    return written, workbook


def _part(items: Batch, start: int, stop: int) -> Batch:
    """Some of the batch's items, with what concerns the whole batch (a worker plans their
    case papers); the traffic lights only of these items."""
    part = Batch(items[start:stop])
    part.today = items.today
    part.committee_case_numbers = items.committee_case_numbers
    part.held_back = items.held_back
    lights = items.traffic_lights
    part.traffic_lights = {key: lights[key] for key in ((i.group, i.proposal.number)
                                                        for i in part) if key in lights}
    return part
