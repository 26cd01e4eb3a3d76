"""The documents sagsgenerator writes from the valid proposals of a batch.

    render_documents(intakes, Path("output"))  # every kind, .docx (+ handleplan.xlsx)

Every template is prepared once per run (render/fast.py); a large batch is spread over the
machine's cores, each worker preparing the templates once.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from ..config import DEFAULT_CONFIG, Config
from ..output import atomic_write
from ..render.context import batch_items
from ..render.fast import PreparedTemplate
from ..render.office import convert_to_pdf
from ..model import Intake
from . import handleplan, idekatalog, opfoelgning, sagsfremstilling, udvalgssag
from .base import Planned

KINDS = ("sagsfremstilling", "idekatalog", "handleplan", "opfoelgning", "udvalgssag")
MODULES = {
    "sagsfremstilling": sagsfremstilling,
    "idekatalog": idekatalog,
    "handleplan": handleplan,
    "opfoelgning": opfoelgning,
    "udvalgssag": udvalgssag,
}
# templates/docx in the project folder (src/sagsgenerator/documents -> project root).
TEMPLATE_DIR = Path(__file__).resolve().parents[3] / "templates" / "docx"
# Below this many documents, starting worker processes costs more than it saves.
PARALLEL_FROM = 60

__all__ = ["KINDS", "TEMPLATE_DIR", "render_documents"]

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
                   today: dt.date | None = None) -> tuple[list[Job], list]:
    """Every document to write, in order, and the batch's items."""
    wanted = set(kinds)
    unknown = wanted - set(KINDS)
    if unknown:
        raise ValueError(f"Ukendt dokumenttype: {', '.join(sorted(unknown))}. "
                         f"Vælg mellem {', '.join(KINDS)}.")
    items = batch_items(intakes, config, today)
    jobs: list[Job] = []
    names: set[str] = set()
    for kind in (k for k in KINDS if k in wanted and items):
        for planned in MODULES[kind].plan(items, config):
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
    """Render the chosen kinds from the valid proposals; the paths written, in order.

    Nothing is written when the batch has no valid proposal. `workers` processes share a
    large batch (default: one per core); `progress(n, total)` is called as n more of the
    total documents are written. With pdf=True every .docx is also converted to PDF by one LibreOffice process."""
    kinds = list(kinds)
    jobs, items = plan_documents(intakes, out_dir, kinds, config, template_dir, today)
    if not jobs:
        return []
    workers = workers or os.cpu_count() or 1
    written: list[Path] = []
    if workers > 1 and len(jobs) >= PARALLEL_FROM:
        size = max(8, len(jobs) // (workers * 8))
        chunks = [jobs[i:i + size] for i in range(0, len(jobs), size)]
        with ProcessPoolExecutor(workers) as pool:
            for paths in pool.map(_write_in_worker, chunks):
                written += paths
                if progress:
                    progress(len(paths), len(jobs))
    else:
        renderer = _Renderer()
        for job in jobs:
            written.append(renderer.write(job))
            if progress:
                progress(1, len(jobs))
    if "handleplan" in kinds:
        data = handleplan.workbook_bytes(items, config)
        at = max((i for i, j in enumerate(jobs) if j[0] == "handleplan"), default=len(jobs) - 1)
        written.insert(at + 1, atomic_write(out_dir / handleplan.WORKBOOK_NAME,
                                            lambda tmp: tmp.write_bytes(data)))
    if pdf:
        written += convert_to_pdf([p for p in written if p.suffix == ".docx"], out_dir)
    return written
