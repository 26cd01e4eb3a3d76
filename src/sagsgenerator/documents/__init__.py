"""The documents sagsgenerator writes from the valid proposals of a batch.

    write_documents(intakes, Path("output"))  # every kind as (kind, path), + handleplan.xlsx

`KIND_INFO` is the registry of kinds: name, Danish labels, and extra outputs. The built-in
templates are package data (`sagsgenerator.templates`, mapped from the project's top-level
`templates/` folder when the package is built), found with importlib.resources.

Every template is prepared once per run (render/engine.py); a large batch is spread over the
machine's cores, each worker preparing the templates once.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import importlib.resources
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any, NamedTuple

from ..config import DEFAULT_CONFIG, Config
from ..output import atomic_write
from ..processes import worker_init
from ..render.context import batch_items
from ..render.engine import PreparedTemplate
from ..render.office import convert_to_pdf, request_field_update
from ..model import Intake
from ..register.status import TrafficLight
from . import handleplan, idekatalog, opfoelgning, sagsfremstilling, udvalgssag
from .base import Planned



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

__all__ = ["KINDS", "KIND_INFO", "TEMPLATE_DIR", "Written", "render_documents", "write_documents"]

Job = tuple[str, str, Planned, Path]          # kind, template path, planned, target


class _Renderer:
    """Prepared templates, one per template file, made on first use."""

    def __init__(self) -> None:
        self.prepared: dict[str, PreparedTemplate] = {}

    def write(self, job: Job) -> Path:
        kind, template, planned, target = job
        if template not in self.prepared:
            self.prepared[template] = PreparedTemplate(Path(template), kind)
        data = self.prepared[template].render(planned.context, planned.properties)
        return atomic_write(target, lambda tmp: tmp.write_bytes(data))


_WORKER: _Renderer | None = None


def _write_in_worker(jobs: list[Job]) -> list[Path]:
    global _WORKER
    _WORKER = _WORKER or _Renderer()
    return [_WORKER.write(job) for job in jobs]


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
    wanted = set(kinds)
    unknown = wanted - set(KINDS)
    if unknown:
        raise ValueError(f"Ukendt dokumenttype: {', '.join(sorted(unknown))}. "
                         f"Vælg mellem {', '.join(KINDS)}.")
    items = batch_items(intakes, config, today, **numbers)
    # Created and modified: the run's date, so reruns with the same --dato are identical.
    when = dt.datetime.combine(today, dt.time()) if today is not None else None
    jobs: list[Job] = []
    names: set[str] = set()
    for kind in (k for k in KINDS if k in wanted and items):
        for planned in MODULES[kind].plan(items, config):
            if when is not None:
                planned = dataclasses.replace(planned, properties=dataclasses.replace(
                    planned.properties, when=when))
            name = _unique(planned.name, names)
            jobs.append((kind, str(template_path(planned.template, template_dir)), planned,
                         out_dir / name))
    return jobs, items


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
                    ) -> list[Written]:
    """Render the chosen kinds from the valid proposals: (kind, path) of every file written,
    in order.

    Nothing is written when the batch has no valid proposal. `workers` processes share a
    large batch (default: one per core); `progress(n, total)` is called as n more of the
    total documents are written. With pdf=True every .docx is also converted to tagged PDF
    (PDF/A-2b with pdfa=True) by a pool of LibreOffice processes, which also updates the
    catalogue's table of contents; without it Word updates the table on open. One
    LibreOffice process."""
    kinds = list(kinds)
    jobs, items = plan_documents(intakes, out_dir, kinds, config, template_dir, today,
                                 case_numbers=case_numbers,
                                 committee_case_numbers=committee_case_numbers,
                                 held_back=held_back, traffic_lights=traffic_lights)
    if not jobs:
        return []
    workers = workers or os.cpu_count() or 1
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
    written = [Written(job[0], path) for job, path in zip(jobs, paths)]
    if "handleplan" in kinds:
        data = handleplan.workbook_bytes(items, config)
        at = max((i for i, w in enumerate(written) if w.kind == "handleplan"),
                 default=len(written) - 1)
        written.insert(at + 1, Written("handleplan", atomic_write(
            out_dir / handleplan.WORKBOOK_NAME, lambda tmp: tmp.write_bytes(data))))
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
