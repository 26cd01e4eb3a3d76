"""The pages of the upload -> check -> generate flow. Each route parses the request, makes
one library call (through uploads.py or jobs.py) and presents what came back."""

from __future__ import annotations

import threading
from pathlib import Path
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, RedirectResponse
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.formparsers import MultiPartException

from ..documents import KIND_INFO, KINDS
from ..intake.workbook import write_blank
from ..render.office import find_soffice
from . import jobs, records, uploads
from .app import Rejected, SessionGone, Settings, error_page, mb, page
from .findings_view import SORT_KEYS, finding_row, row_labels, sort_rows
from .sessions import Document, Session

router = APIRouter()
router.include_router(records.router)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MEDIA_TYPES = {".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
               ".pdf": "application/pdf", ".xlsx": XLSX, ".zip": "application/zip"}
BLANK_NAME = "indsatsforslag-skabelon.xlsx"
FILE_TYPES = {".docx": "Word", ".pdf": "PDF", ".xlsx": "Excel"}
_blank_lock = threading.Lock()


def settings_of(request: Request) -> Settings:
    return request.app.state.settings


def session_of(request: Request, session_id: str) -> Session:
    session = request.app.state.store.get(session_id)
    if session is None:
        raise SessionGone()
    return session


def kind_label(kind: str) -> str:
    info = KIND_INFO.get(kind)
    return info.label if info else "Andre filer"


@router.get("/", response_class=HTMLResponse)
async def front(request: Request):
    limits = settings_of(request).limits
    return page(request, "index.html", limits=limits, max_file=mb(limits.max_file_bytes))


@router.get("/skabelon.xlsx")
async def blank(request: Request):
    target = request.app.state.store.root / "skabelon" / BLANK_NAME
    config = settings_of(request).config

    def write() -> None:
        with _blank_lock:
            if not target.is_file():
                write_blank(target, config)

    await run_in_threadpool(write)
    return FileResponse(target, media_type=XLSX, filename=BLANK_NAME)


async def _receive(request: Request, session: Session | None) -> tuple[Session, bool]:
    """Parse the form, save its files into the (new) batch; returns the batch and whether
    it is new. Rejected when no file was chosen or there are too many."""
    settings = settings_of(request)
    limits, store = settings.limits, request.app.state.store
    try:
        async with request.form(max_files=limits.max_files + 5, max_fields=20) as form:
            parts = [v for v in form.getlist("filer") if isinstance(v, UploadFile)]
            # A form sent with no file chosen still has one part, without a name.
            chosen = [p for p in parts if p.filename or p.size]
            if not chosen:
                raise Rejected(400, "Du har ikke valgt nogen fil. Vælg en eller flere "
                               "udfyldte projektmapper (.xlsx), og tryk på »Tjek filerne«.",
                               "Ingen fil valgt")
            count = len(chosen) + (len(session.uploads) if session else 0)
            if count > limits.max_files:
                raise Rejected(413, f"Der kan højst uploades {limits.max_files} filer ad "
                               "gangen. Tjek dem i flere omgange.", "For mange filer")
            new = session is None
            if new:
                session = store.create()
                if session is None:
                    raise Rejected(503, "Der er for mange åbne kørsler lige nu. Vent et "
                                   "øjeblik, og prøv igen.")
                session.strict = str(form.get("streng", "")) in ("1", "on", "ja")
            try:
                await uploads.save(session, chosen, limits)
            except BaseException:
                if new:
                    store.remove(session.id)
                raise
    except (MultiPartException, StarletteHTTPException) as exc:
        # Starlette reports a form it cannot parse as HTTPException(400, its English text).
        if "too many files" in str(getattr(exc, "detail", exc)).lower():
            raise Rejected(413, f"Der kan højst uploades {limits.max_files} filer ad "
                           "gangen. Upload dem i flere omgange.", "For mange filer") from exc
        raise Rejected(400, "Filerne kom ikke helt frem. Prøv at uploade dem igen.") from exc
    return session, new


def _refusals(session: Session) -> list[tuple[str, str]]:
    """Every file that cannot be used, with what its user is told."""
    refused = {u.name: u.refused_text for u in session.uploads if u.refused is not None}
    items = list(refused.items())
    for finding in session.report.unusable if session.report else []:
        if finding.location.file not in refused:
            items.append((finding.location.file, session.display(finding.message)))
    return items


@router.post("/upload")
async def upload(request: Request):
    session, _ = await _receive(request, None)
    store = request.app.state.store
    try:
        await run_in_threadpool(uploads.validate, session, settings_of(request))
    except BaseException:
        store.remove(session.id)
        raise
    items = _refusals(session)
    if items and not session.intakes:
        store.remove(session.id)
        statuses = {u.refused_status for u in session.uploads if u.refused is not None}
        status = statuses.pop() if len(statuses) == 1 and len(items) == len(session.uploads) \
            else 422
        title = "Filen kan ikke bruges" if len(items) == 1 else "Filerne kan ikke bruges"
        again = "filen, og upload den" if len(items) == 1 else "filerne, og upload dem"
        return error_page(request, status, f"Ret {again} igen.", title, items=items)
    if items:
        status = 413 if any(u.refused_status == 413 for u in session.uploads
                            if u.refused is not None) else 422
        return result_page(request, session, status=status)
    return RedirectResponse(f"/session/{session.id}", status_code=303)


@router.post("/session/{session_id}/tilfoej")
async def add(request: Request, session_id: str):
    """More files into the same batch; a file with the same name (or its marked copy)
    replaces the earlier one. Every file is checked again."""
    session = session_of(request, session_id)
    await _receive(request, session)
    await run_in_threadpool(uploads.validate, session, settings_of(request))
    return RedirectResponse(f"/session/{session.id}#filer", status_code=303)


@router.post("/session/{session_id}/fjern/{index}")
async def remove(request: Request, session_id: str, index: int):
    session = session_of(request, session_id)
    if uploads.remove(session, index) is None:
        raise StarletteHTTPException(404)
    await run_in_threadpool(uploads.validate, session, settings_of(request))
    return RedirectResponse(f"/session/{session.id}#filer", status_code=303)


def result_page(request: Request, session: Session, status: int = 200,
                by: str = "fil", descending: bool = False) -> HTMLResponse:
    report = session.report
    labels = row_labels([(u.path, u.name) for u in session.usable])
    rows = [finding_row(order, finding, finding.location.file, session.display, labels)
            for order, finding in enumerate(report.findings)]
    by_path = {i.path: i for i in session.intakes}
    files = []
    refusals = dict(_refusals(session))
    for item in session.uploads:
        intake = by_path.get(item.path)
        group = intake.group if intake else None
        files.append({"upload": item, "report": intake.report if intake else None,
                      "unusable": refusals.get(item.name),
                      "mail": _mailto(group, item.annotated) if item.annotated else None})
    ranks = {key: {row.order: rank for rank, row in enumerate(sort_rows(rows, key, False))}
             for key in SORT_KEYS}
    errors = len(report.errors)
    return page(request, "result.html", status, session=session, report=report,
                row_ranks=lambda row: {key: ranks[key][row.order] for key in SORT_KEYS},
                rows=sort_rows(rows, by, descending), sort_by=by if by in SORT_KEYS else "fil",
                descending=descending, files=files, unusable=list(refusals.items()),
                kinds=[(k, KIND_INFO[k].label, KIND_INFO[k].description) for k in KINDS],
                pdf_available=find_soffice() is not None, errors=errors,
                warnings=len(report.warnings), limits=settings_of(request).limits)


def _mailto(group, marked: Path) -> dict | None:
    """A mailto: link to the working group's e-mail (sheet Arbejdsgruppe) naming the marked
    copy; a browser cannot attach a file to it, so the page says so."""
    if group is None or not getattr(group, "email", None):
        return {"href": None, "to": None}
    subject = f"Jeres indsatsforslag skal rettes ({group.name})"
    body = (f"Kære {group.coordinator or group.name}\n\n"
            f"Tak for jeres indsatsforslag. Nogle celler skal rettes, før forslagene kan komme "
            f"med. Rettelserne står i den vedhæftede fil {marked.name}: de røde celler er "
            f"fejl, de gule advarsler, og arket »Fejl« samler dem alle.\n\n"
            f"Ret venligst i filen, og send den tilbage.\n\nVenlig hilsen\n")
    href = (f"mailto:{quote(group.email, safe='@')}?subject={quote(subject)}"
            f"&body={quote(body)}")
    return {"href": href, "to": group.email}


@router.get("/session/{session_id}", response_class=HTMLResponse)
async def result(request: Request, session_id: str, sorter: str = "fil",
                 orden: str = "stigende"):
    session = session_of(request, session_id)
    if session.report is None:
        raise SessionGone()
    return result_page(request, session, by=sorter, descending=orden == "faldende")


@router.get("/session/{session_id}/markeret/{index}")
async def annotated(request: Request, session_id: str, index: int):
    session = session_of(request, session_id)
    item = next((u for u in session.uploads if u.index == index and u.annotated), None)
    if item is None or not item.annotated.is_file():
        raise StarletteHTTPException(404)
    return FileResponse(item.annotated, media_type=XLSX, filename=item.annotated.name)


@router.post("/session/{session_id}/slet")
async def delete(request: Request, session_id: str):
    request.app.state.store.remove(session_id)
    return page(request, "deleted.html")


# Documents ----------------------------------------------------------------------------

@router.post("/session/{session_id}/dokumenter")
async def generate(request: Request, session_id: str):
    session = session_of(request, session_id)
    async with request.form(max_files=0, max_fields=20) as form:
        chosen = [str(v) for v in form.getlist("type")]
        pdf = str(form.get("pdf", "")) in ("1", "on", "ja")
    if not chosen:
        raise Rejected(400, "Vælg mindst én dokumenttype, og prøv igen.",
                       "Ingen dokumenttype valgt")
    if any(kind not in KINDS for kind in chosen):
        raise Rejected(400, "Ukendt dokumenttype. Vælg mellem: "
                       + ", ".join(KIND_INFO[k].label for k in KINDS) + ".")
    if pdf and find_soffice() is None:
        raise Rejected(400, "PDF kræver LibreOffice, som ikke er installeret på denne "
                       "computer. Fjern fluebenet ved PDF, og prøv igen.")
    if not session.intakes:
        raise Rejected(400, "Der er ingen projektmapper at danne dokumenter ud fra. Upload "
                       "dem først.")
    jobs.start(session, settings_of(request), [k for k in KINDS if k in chosen], pdf)
    return RedirectResponse(f"/session/{session.id}/dokumenter", status_code=303)


def _files_text(documents: list[Document]) -> str:
    """'15 filer dannet: 14 Word-dokumenter og 1 Excel-fil.'"""
    counts: dict[str, int] = {}
    for document in documents:
        kind = FILE_TYPES.get(document.path.suffix, "andre")
        counts[kind] = counts.get(kind, 0) + 1
    names = {"Word": ("Word-dokument", "Word-dokumenter"), "Excel": ("Excel-fil", "Excel-filer"),
             "PDF": ("PDF-fil", "PDF-filer"), "andre": ("anden fil", "andre filer")}
    parts = [f"{n} {names[k][0] if n == 1 else names[k][1]}" for k, n in counts.items()]
    total = len(documents)
    head = f"{total} {'fil' if total == 1 else 'filer'} dannet"
    if len(parts) <= 1:
        return head + "."
    return f"{head}: {', '.join(parts[:-1])} og {parts[-1]}."


@router.get("/session/{session_id}/dokumenter", response_class=HTMLResponse)
async def documents(request: Request, session_id: str):
    session = session_of(request, session_id)
    if session.job is None:
        return RedirectResponse(f"/session/{session.id}", status_code=303)
    job = session.job
    groups = []
    for kind in dict.fromkeys(d.kind for d in job.documents):
        groups.append((kind_label(kind), [d for d in job.documents if d.kind == kind]))
    report = job.report or session.report
    return page(request, "documents.html", session=session, job=job, groups=groups,
                papers=jobs.papers(job), file_types=FILE_TYPES,
                size=lambda p: mb(p.stat().st_size), files_text=_files_text(job.documents),
                percent=round(100 * job.done / max(job.total, 1)),
                summary=report.summary() if report else "")


@router.get("/session/{session_id}/dokumenter/status")
async def status(request: Request, session_id: str):
    session = session_of(request, session_id)
    job = session.job
    if job is None:
        return JSONResponse({"state": "ingen"})
    return JSONResponse({"state": job.state, "step": job.step, "done": job.done,
                         "total": job.total, "documents": len(job.documents),
                         "previews": job.previews, "seconds": round(job.seconds, 2)})


def _document(session: Session, index: int) -> Document:
    job = session.job
    if job is None or job.state != "faerdig" or not 0 <= index < len(job.documents):
        raise StarletteHTTPException(404)
    return job.documents[index]


@router.get("/session/{session_id}/dokumenter/{index}")
async def download(request: Request, session_id: str, index: int):
    document = _document(session_of(request, session_id), index)
    return FileResponse(document.path, filename=document.name,
                        media_type=MEDIA_TYPES.get(document.path.suffix,
                                                   "application/octet-stream"))


@router.get("/session/{session_id}/forhaandsvisning/{index}.png")
async def preview_png(request: Request, session_id: str, index: int):
    document = _document(session_of(request, session_id), index)
    if document.preview_png is None:
        raise StarletteHTTPException(404)
    return FileResponse(document.preview_png, media_type="image/png")


@router.get("/session/{session_id}/forhaandsvisning/{index}", response_class=HTMLResponse)
async def preview_large(request: Request, session_id: str, index: int):
    session = session_of(request, session_id)
    document = _document(session, index)
    if document.preview_png is None and document.preview_html is None:
        raise StarletteHTTPException(404)
    return page(request, "preview.html", session=session, d=document)


@router.get("/session/{session_id}/" + jobs.ZIP_NAME)
async def zip_all(request: Request, session_id: str):
    session = session_of(request, session_id)
    if session.job is None or session.job.zip_path is None:
        raise StarletteHTTPException(404)
    return FileResponse(session.job.zip_path, media_type="application/zip",
                        filename=jobs.ZIP_NAME)

