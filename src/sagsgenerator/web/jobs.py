"""Generating documents in the background: one `run_batch` call, then the zip, then previews.

The download list and the zip are ready as soon as the documents are; the previews are
made afterwards and fill in on the page. `make_previews` is the one place that makes them
(swap it for the LibreOffice pool's preview function when that lands).
"""

from __future__ import annotations

import logging
import shutil
import threading
import time
import zipfile
from pathlib import Path
from typing import Any

from ..batch import run_batch
from ..errors import SagsgeneratorError
from ..render.office import convert_to_pdf
from . import preview
from .app import Settings
from .sessions import Document, Job, Session

log = logging.getLogger("sagsgenerator.web")

ZIP_NAME = "sagsgenerator-dokumenter.zip"
# One run at a time: runs share the register file and the machine's cores.
RENDER_LOCK = threading.Lock()


def start(session: Session, settings: Settings, kinds: list[str], pdf: bool) -> Job:
    """Start making the documents of the batch, unless a run is going already."""
    with session.lock:
        if session.job is None or session.job.finished:
            session.job = Job(kinds=kinds, pdf=pdf, started=time.perf_counter(),
                              strict=session.strict)
            threading.Thread(target=run, args=(session, session.job, settings), daemon=True,
                             name=f"sagsgenerator-job-{session.id[:6]}").start()
        return session.job


def batch_arguments(settings: Settings, session: Session, job: Job) -> dict[str, Any]:
    """What `run_batch` gets: exactly what `sagsgenerator generer` passes for the same
    options, so both write the same bytes."""
    arguments: dict[str, Any] = dict(
        config=settings.config, kinds=job.kinds, today=settings.today(),
        template_dir=settings.template_dir, pdf=job.pdf, strict=session.strict,
        marks_dir=session.folder / "markeret", display_names=session.display_names,
        # No worker processes from a server thread: forking a threaded process can hang
        # (Linux), and Windows would start a second server in every worker.
        workers=1, register=settings.register)
    return arguments


def run(session: Session, job: Job, settings: Settings) -> None:
    out = session.folder / "dokumenter"
    shutil.rmtree(out, ignore_errors=True)
    written = 0

    def progress(n: int, total: int) -> None:
        nonlocal written
        written += n
        job.total, job.done = total + 1, min(written, total)      # + the zip
        job.step = f"Danner dokumenterne: {job.done} af {total} ..."
        if written >= total and job.pdf:
            job.step = "Laver PDF med LibreOffice ..."

    try:
        with RENDER_LOCK:
            job.state, job.step = "koerer", "Tjekker filerne ..."
            result = run_batch([u.path for u in session.usable], out, progress=progress,
                               **batch_arguments(settings, session, job))
        job.report = result.report
        job.documents = [Document(i, w.kind, w.path) for i, w in enumerate(result.documents)]
        job.step = "Pakker zip-filen ..."
        if job.documents:
            job.zip_path = session.folder / ZIP_NAME
            with zipfile.ZipFile(job.zip_path, "w", zipfile.ZIP_DEFLATED) as archive:
                for document in job.documents:
                    archive.write(document.path, document.name)
        job.done = job.total
        job.step = "Færdig."
        job.seconds = time.perf_counter() - job.started
        job.state = "faerdig"
    except SagsgeneratorError as exc:
        job.error, job.state = session.display(exc.danish), "fejl"
        return
    except Exception:
        log.exception("Dokumenterne kunne ikke dannes")
        job.error = ("Der skete en uventet fejl, mens dokumenterne blev dannet. Prøv igen; "
                     "sker det igen, så kør »sagsgenerator generer« fra kommandolinjen for "
                     "detaljer.")
        job.state = "fejl"
        return
    job.previews = "koerer"
    try:
        make_previews(job, session.folder / "forhaandsvisning")
    except Exception:       # a preview must never cost the documents
        log.exception("Forhåndsvisningerne mislykkedes")
    finally:
        job.previews = "faerdig"


def papers(job: Job) -> list[Document]:
    """The documents that get a preview: the case papers in Word."""
    return [d for d in job.documents if d.kind == "sagsfremstilling" and d.path.suffix == ".docx"]


def make_previews(job: Job, folder: Path) -> None:
    """The first page of every case paper: a PNG when LibreOffice and pdftoppm are there,
    else an HTML rendering read back from the Word file."""
    chosen = papers(job)
    if not chosen:
        return
    folder.mkdir(parents=True, exist_ok=True)
    if preview.png_tools():
        pdfs = {d.path.stem: d.path for d in job.documents if d.path.suffix == ".pdf"}
        try:
            missing = [d.path for d in chosen if d.path.stem not in pdfs]
            pdfs.update({p.stem: p for p in convert_to_pdf(missing, folder / "pdf")})
        except SagsgeneratorError:
            log.warning("Forhåndsvisning som billede mislykkedes; viser tekst i stedet")
        for document in chosen:
            if document.path.stem in pdfs:
                document.preview_png = preview.first_page_png(
                    pdfs[document.path.stem], folder / f"{document.index}.png")
    for document in chosen:
        if document.preview_png is None:
            try:
                document.preview_html = preview.first_page_html(document.path)
            except Exception:
                if document.path.exists():     # not when the batch was deleted meanwhile
                    log.exception("Forhåndsvisning af %s mislykkedes", document.name)
