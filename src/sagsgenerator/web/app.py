"""The local web interface: upload intake workbooks, read the findings, make the documents.

    sagsgenerator web            # cli.py calls serve(); http://127.0.0.1:8765 opens

Plain HTML forms that work without JavaScript (static/app.js only improves them), every
asset served from this package. The web layer decides nothing about intake data: it calls
the same library functions as the CLI (validate_paths, annotate, write_blank,
render_documents) and shows what they return.
"""

from __future__ import annotations

import inspect
import ipaddress
import logging
import shutil
import socket
import sys
import threading
import time
import webbrowser
import zipfile
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.formparsers import MultiPartException

from .. import __version__
from ..config import Config
from ..config_file import find_config, load_config
from ..documents import KINDS, render_documents
from ..errors import IntakeUnusable, SagsgeneratorError
from ..intake.reader import check_file, unusable
from ..intake.workbook import annotate, write_blank
from ..render.office import convert_to_pdf, find_soffice
from ..findings import Finding
from ..validation.validate import validate_paths
from . import preview
from .findings_view import SORT_KEYS, finding_row, sort_rows
from .sessions import Document, Job, Session, SessionStore, Upload, remove_stale_roots, safe_name

log = logging.getLogger("sagsgenerator.web")

HERE = Path(__file__).resolve().parent
MB = 1024 * 1024
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MEDIA_TYPES = {".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
               ".pdf": "application/pdf", ".xlsx": XLSX, ".zip": "application/zip"}
BLANK_NAME = "indsatsforslag-skabelon.xlsx"
ZIP_NAME = "sagsgenerator-dokumenter.zip"
KIND_LABELS = {
    "sagsfremstilling": ("Sagsfremstillinger", "én pr. gyldigt forslag, til udvalget"),
    "idekatalog": ("Idékatalog", "alle forslag samlet, ordnet efter fokusområde"),
    "handleplan": ("Handleplan", "oversigt med ressourcer og diagram (Word og Excel)"),
    "opfoelgning": ("Opfølgningsoversigt", "hvornår hver indsats skal følges op"),
    "udvalgssag": ("Samlet udvalgssag", "én pr. udvalg med de prioriterede forslag"),
    "andet": ("Andre filer", ""),
}
FILE_TYPES = {".docx": "Word", ".pdf": "PDF", ".xlsx": "Excel"}
LOOPBACK_NAMES = {"127.0.0.1", "localhost", "::1"}
STATUS_TITLES = {400: "Forespørgslen kan ikke bruges", 403: "Ikke tilladt",
                 404: "Siden findes ikke", 405: "Det kan man ikke her",
                 413: "Filen er for stor", 415: "Kun Excel-projektmapper (.xlsx)",
                 422: "Filen kan ikke bruges", 500: "Der skete en fejl",
                 503: "Serveren har travlt"}
# Everything is served from here: no CDN, no inline script, no framing by other pages.
CSP = (b"default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
       b"object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
# matplotlib's pyplot (the action plan's chart) is not thread-safe: one render at a time.
RENDER_LOCK = threading.Lock()


class ServerError(SagsgeneratorError):
    """Raised when the web server cannot start (port taken, address unknown)."""


@dataclass(frozen=True)
class Limits:
    """What an upload may be. A working group's workbook is normally well under 1 MB."""

    max_file_bytes: int = 10 * MB
    max_inflated_bytes: int = 100 * MB
    max_files: int = 20
    ttl_seconds: float = 3600
    max_sessions: int = 200

    @property
    def max_request_bytes(self) -> int:
        return self.max_files * self.max_file_bytes + MB


class Rejected(Exception):
    """An upload that is turned away before validation: status and Danish text."""

    def __init__(self, status: int, message: str, title: str | None = None):
        super().__init__(message)
        self.status, self.message, self.title = status, message, title


class RequestTooLarge(Exception):
    """The request body grew past the limit while it was being read."""


class SessionGone(Exception):
    """The session in the address is unknown or has expired."""


def _mb(size: int) -> str:
    return f"{size / MB:.0f} MB" if size >= MB else f"{max(size // 1024, 1)} kB"


def _minutes(seconds: float) -> str:
    minutes = max(1, round(seconds / 60))
    if minutes % 60 == 0:
        hours = minutes // 60
        return "1 time" if hours == 1 else f"{hours} timer"
    return "1 minut" if minutes == 1 else f"{minutes} minutter"


def _hostname(value: str) -> str:
    """The host of a Host header or an origin's netloc, without port or brackets."""
    value = value.strip().lower()
    if value.startswith("["):
        return value[1: value.find("]")] if "]" in value else value
    return value.rsplit(":", 1)[0] if value.count(":") == 1 else value


class Guard:
    """ASGI middleware: only answer requests addressed to this computer (a web page
    elsewhere cannot rebind its name to 127.0.0.1 and read the answers), and bound the
    size of a request body before it is parsed."""

    def __init__(self, app, allowed_hosts: set[str] | None, limit: int, reject):
        self.app, self.allowed_hosts, self.limit, self.reject = app, allowed_hosts, limit, reject

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
        host = _hostname(headers.get("host", ""))
        if self.allowed_hosts is not None and host not in self.allowed_hosts:
            response = await self.reject(scope, 400, "Forespørgslen er ikke sendt til denne "
                                         "computer og bliver ikke besvaret.")
            return await response(scope, receive, send)
        length = headers.get("content-length", "")
        if length.isdigit() and int(length) > self.limit:
            # Read (and drop) what the browser sends before answering, or it shows a
            # "connection reset" page instead of ours; past 4x the limit, answer at once.
            if int(length) <= 4 * self.limit:
                more = True
                while more:
                    message = await receive()
                    more = message.get("more_body", False) and message["type"] == "http.request"
            response = await self.reject(scope, 413, _too_large_request(self.limit))
            return await response(scope, receive, send)
        received = 0
        private = scope["path"].startswith(("/session", "/upload"))

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                extra = [(b"content-security-policy", CSP), (b"x-content-type-options", b"nosniff"),
                         (b"referrer-policy", b"no-referrer")]
                if private:       # the findings and documents are nobody else's business
                    extra.append((b"cache-control", b"no-store"))
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        async def limited():
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.limit:
                    raise RequestTooLarge()
            return message

        return await self.app(scope, limited, send_with_headers)


def _too_large_request(limit: int) -> str:
    return (f"Der kan højst uploades {_mb(limit)} ad gangen. En arbejdsgruppes projektmappe "
            "fylder normalt under 1 MB; tjek at det er de rigtige filer, eller upload dem i "
            "flere omgange.")


def create_app(config: Config | None = None, limits: Limits = Limits(),
               allowed_hosts: set[str] | None = frozenset(LOOPBACK_NAMES),
               root: Path | None = None) -> FastAPI:
    """The web application. `allowed_hosts=None` answers any Host header (all interfaces)."""
    config = config if config is not None else load_config(find_config(None))
    store = SessionStore(ttl=limits.ttl_seconds, max_sessions=limits.max_sessions, root=root)
    templates = Jinja2Templates(directory=str(HERE / "templates"))
    templates.env.globals.update(version=__version__, ttl=_minutes(limits.ttl_seconds))
    stop = threading.Event()
    blank_lock = threading.Lock()

    def sweeper() -> None:
        while not stop.wait(min(60.0, max(limits.ttl_seconds / 4, 0.05))):
            store.sweep()
            try:
                (store.root / ".sagsgenerator-web").touch()    # we are alive: not stale
            except OSError:
                pass

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        remove_stale_roots(max(limits.ttl_seconds, 3600) * 2, keep=store.root)
        thread = threading.Thread(target=sweeper, name="sagsgenerator-sweeper", daemon=True)
        thread.start()
        try:
            yield
        finally:
            stop.set()
            store.close()

    app = FastAPI(title="sagsgenerator", version=__version__, lifespan=lifespan,
                  docs_url=None, redoc_url=None, openapi_url=None)
    app.state.store = store
    app.state.config = config
    app.state.limits = limits
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")

    def page(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
        return templates.TemplateResponse(request, name, context, status_code=status)

    def error_page(request: Request, status: int, message: str, title: str | None = None,
                   items: list[tuple[str, str]] | None = None) -> HTMLResponse:
        return page(request, "error.html", status, title=title or STATUS_TITLES.get(status, "Fejl"),
                    message=message, items=items or [], code=status)

    async def reject(scope, status: int, message: str) -> Response:
        return error_page(Request(scope), status, message)

    app.add_middleware(Guard, allowed_hosts=set(allowed_hosts) if allowed_hosts else None,
                       limit=limits.max_request_bytes, reject=reject)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        messages = {404: "Siden findes ikke. Gå til forsiden og prøv igen.",
                    405: "Siden kan ikke bruges på den måde. Gå til forsiden og prøv igen."}
        return error_page(request, exc.status_code,
                          messages.get(exc.status_code, "Forespørgslen kunne ikke besvares."))

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError):
        return error_page(request, 400, "Forespørgslen kunne ikke forstås. Gå til forsiden og "
                          "prøv igen.")

    @app.exception_handler(RequestTooLarge)
    async def too_large(request: Request, exc: RequestTooLarge):
        return error_page(request, 413, _too_large_request(limits.max_request_bytes))

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception):
        log.exception("Uventet fejl ved %s %s", request.method, request.url.path)
        return error_page(request, 500, "Der skete en uventet fejl. Prøv igen; sker det igen, "
                          "så luk sagsgenerator og start det igen.")

    def session_or_404(request: Request, session_id: str) -> Session:
        session = store.get(session_id)
        if session is None:
            raise SessionGone()
        return session

    @app.exception_handler(SessionGone)
    async def gone(request: Request, exc: SessionGone):
        return error_page(request, 404, "Sessionen findes ikke, eller den er udløbet: filerne "
                          f"slettes {_minutes(limits.ttl_seconds)} efter sidste brug. Upload "
                          "filerne igen.", title="Sessionen findes ikke")

    def same_origin(request: Request) -> None:
        origin = request.headers.get("origin")
        if origin and origin != "null":
            if urlsplit(origin).netloc.lower() != request.headers.get("host", "").lower():
                raise Rejected(403, "Forespørgslen kom fra en anden hjemmeside og er afvist.")

    @app.exception_handler(Rejected)
    async def rejected(request: Request, exc: Rejected):
        return error_page(request, exc.status, exc.message, exc.title)

    # Pages ------------------------------------------------------------------------------

    @app.get("/", response_class=HTMLResponse)
    async def front(request: Request):
        return page(request, "index.html", limits=limits, max_file=_mb(limits.max_file_bytes))

    @app.get("/skabelon.xlsx")
    async def blank(request: Request):
        target = store.root / "skabelon" / BLANK_NAME

        def write() -> None:
            with blank_lock:
                if not target.is_file():
                    write_blank(target, config)

        await run_in_threadpool(write)
        return FileResponse(target, media_type=XLSX, filename=BLANK_NAME)

    @app.post("/upload")
    async def upload(request: Request):
        same_origin(request)
        try:
            async with request.form(max_files=limits.max_files + 5, max_fields=20) as form:
                parts = [v for v in form.getlist("filer") if isinstance(v, UploadFile)]
                # A form sent with no file chosen still has one part, without a name.
                chosen = [p for p in parts if p.filename or p.size]
                strict = str(form.get("streng", "")) in ("1", "on", "ja")
                if not chosen:
                    raise Rejected(400, "Du har ikke valgt nogen fil. Vælg en eller flere "
                                   "udfyldte projektmapper (.xlsx), og tryk på »Tjek filerne«.",
                                   "Ingen fil valgt")
                if len(chosen) > limits.max_files:
                    raise Rejected(413, f"Der kan højst uploades {limits.max_files} filer ad "
                                   "gangen. Upload dem i flere omgange.", "For mange filer")
                session = store.create()
                if session is None:
                    raise Rejected(503, "Der er for mange åbne sessioner lige nu. Vent et "
                                   "øjeblik, og prøv igen.")
                try:
                    await _save(session, chosen)
                except BaseException:
                    store.remove(session.id)
                    raise
        except (MultiPartException, StarletteHTTPException) as exc:
            # Starlette reports a form it cannot parse as HTTPException(400, its English text).
            if "too many files" in str(getattr(exc, "detail", exc)).lower():
                raise Rejected(413, f"Der kan højst uploades {limits.max_files} filer ad "
                               "gangen. Upload dem i flere omgange.", "For mange filer") from exc
            raise Rejected(400, "Filerne kom ikke helt frem. Prøv at uploade dem igen.") from exc
        session.strict = strict
        try:
            await run_in_threadpool(_check_uploads, session)
            await run_in_threadpool(_validate, session)
        except BaseException:
            store.remove(session.id)
            raise
        report = session.report
        if report.unusable:
            status = 413 if any(f.code == "file-too-large" for f in report.unusable) else 422
            if not session.intakes:
                store.remove(session.id)
                items = [(session.display(f.location.file), f.message) for f in report.unusable]
                title = "Filen kan ikke bruges" if len(items) == 1 else "Filerne kan ikke bruges"
                again = "filen, og upload den" if len(items) == 1 else "filerne, og upload dem"
                return error_page(request, status, f"Ret {again} igen.", title, items=items)
            return result_page(request, session, status=status)
        return RedirectResponse(f"/session/{session.id}", status_code=303)

    async def _save(session: Session, parts: list[UploadFile]) -> None:
        for index, part in enumerate(parts, start=1):
            name = safe_name(part.filename) or f"fil-{index}"
            folder = session.folder / "indsendt" / str(index)
            folder.mkdir(parents=True)
            path = folder / name
            size = 0
            with path.open("xb") as handle:     # "x": never overwrite anything
                while chunk := await part.read(256 * 1024):
                    size += len(chunk)
                    if size > limits.max_file_bytes:
                        finding = unusable(name, "file-too-large", reason=(
                            f"over {_mb(limits.max_file_bytes)}; der kan højst uploades "
                            f"{_mb(limits.max_file_bytes)} pr. fil"))
                        raise Rejected(413, f"»{name}«: {finding.finding.message}")
                    handle.write(chunk)
            session.uploads.append(Upload(index=index, name=name, path=path))

    def _check_uploads(session: Session) -> None:
        """Turn away what is not an .xlsx file, an empty file, or one that inflates past the
        limit; the rest is for the library to judge."""
        for item in session.uploads:
            size = item.path.stat().st_size
            if size == 0:
                raise Rejected(400, f"»{item.name}«: {_library_message(item)}", "Filen er tom")
            if not item.name.lower().endswith(".xlsx"):
                raise Rejected(415, f"»{item.name}«: {_library_message(item)}")
            try:
                with zipfile.ZipFile(item.path) as archive:
                    inflated = sum(info.file_size for info in archive.infolist())
            except (zipfile.BadZipFile, OSError):
                continue                       # the library says what it is
            if inflated > limits.max_inflated_bytes:
                finding = unusable(item.name, "file-too-large", reason=(
                    f"{_mb(inflated)} udpakket; højst {_mb(limits.max_inflated_bytes)}"))
                raise Rejected(413, f"»{item.name}«: {finding.finding.message}")

    def _library_message(item: Upload) -> str:
        try:
            check_file(item.path, item.name)
        except IntakeUnusable as exc:
            return exc.finding.message if isinstance(exc.finding, Finding) else exc.danish
        return ("Kun Excel-projektmapper (.xlsx) kan uploades. Gem filen i Excel som "
                "'Excel-projektmappe (*.xlsx)'.")

    def _validate(session: Session) -> None:
        report, intakes = validate_paths([u.path for u in session.uploads], config,
                                         strict=session.strict)
        session.report, session.intakes = report, intakes
        for intake in intakes:
            item = session.upload_named(str(intake.path))
            if item is None or not intake.report.findings:
                continue
            findings = [_shown(session, f) for f in intake.report.findings]
            shown = intake.report.model_copy(update={"files": [item.name], "findings": findings})
            target = session.folder / "markeret" / str(item.index) / \
                f"{Path(item.name).stem}-markeret.xlsx"
            item.annotated = annotate(intake.path, findings, shown, target)

    def result_page(request: Request, session: Session, status: int = 200,
                    by: str = "fil", descending: bool = False) -> HTMLResponse:
        report = session.report
        rows = []
        for order, finding in enumerate(report.findings):
            item = session.upload_named(finding.location.file)
            rows.append(finding_row(order, finding, item.name if item else
                                    Path(finding.location.file).name, session.display))
        files = []
        by_path = {str(i.path): i for i in session.intakes}
        for item in session.uploads:
            intake = by_path.get(str(item.path))
            bad = next((f for f in report.unusable if f.location.file == str(item.path)), None)
            files.append({"upload": item, "report": intake.report if intake else None,
                          "unusable": bad.message if bad else None})
        unusable_items = [(session.display(f.location.file), f.message) for f in report.unusable]
        ranks = {key: {row.order: rank for rank, row in enumerate(sort_rows(rows, key, False))}
                 for key in SORT_KEYS}
        return page(request, "result.html", status, session=session, report=report,
                    row_ranks=lambda row: {key: ranks[key][row.order] for key in SORT_KEYS},
                    rows=sort_rows(rows, by, descending), sort_by=by if by in SORT_KEYS else "fil",
                    descending=descending, files=files, unusable=unusable_items,
                    kinds=[(k, *KIND_LABELS.get(k, (k.capitalize(), ""))) for k in KINDS],
                    pdf_available=find_soffice() is not None,
                    errors=len(report.errors), warnings=len(report.warnings))

    @app.get("/session/{session_id}", response_class=HTMLResponse)
    async def result(request: Request, session_id: str, sorter: str = "fil",
                     orden: str = "stigende"):
        session = session_or_404(request, session_id)
        if session.report is None:
            raise SessionGone()
        return result_page(request, session, by=sorter, descending=orden == "faldende")

    @app.get("/session/{session_id}/markeret/{index}")
    async def annotated(request: Request, session_id: str, index: int):
        session = session_or_404(request, session_id)
        item = next((u for u in session.uploads if u.index == index and u.annotated), None)
        if item is None:
            raise StarletteHTTPException(404)
        return FileResponse(item.annotated, media_type=XLSX, filename=item.annotated.name)

    @app.post("/session/{session_id}/slet")
    async def delete(request: Request, session_id: str):
        same_origin(request)
        store.remove(session_id)
        return page(request, "deleted.html")

    # Documents ----------------------------------------------------------------------------

    @app.post("/session/{session_id}/dokumenter")
    async def generate(request: Request, session_id: str):
        same_origin(request)
        session = session_or_404(request, session_id)
        async with request.form(max_files=0, max_fields=20) as form:
            chosen = [str(v) for v in form.getlist("type")]
            pdf = str(form.get("pdf", "")) in ("1", "on", "ja")
        if not chosen:
            raise Rejected(400, "Vælg mindst én dokumenttype, og prøv igen.",
                           "Ingen dokumenttype valgt")
        if any(kind not in KINDS for kind in chosen):
            raise Rejected(400, "Ukendt dokumenttype. Vælg mellem: "
                           + ", ".join(KIND_LABELS.get(k, (k,))[0] for k in KINDS) + ".")
        if pdf and find_soffice() is None:
            raise Rejected(400, "PDF kræver LibreOffice, som ikke er installeret på denne "
                           "computer. Fjern fluebenet ved PDF, og prøv igen.")
        if session.job is None or session.job.finished:
            session.job = Job(kinds=[k for k in KINDS if k in chosen], pdf=pdf)
            threading.Thread(target=_run_job, args=(session, session.job), daemon=True,
                             name=f"sagsgenerator-job-{session.id[:6]}").start()
        return RedirectResponse(f"/session/{session.id}/dokumenter", status_code=303)

    def _run_job(session: Session, job: Job) -> None:
        out = session.folder / "dokumenter"
        shutil.rmtree(out, ignore_errors=True)
        extra = 2                                  # previews, zip
        job.total = 1 + extra
        try:
            with RENDER_LOCK:
                job.state, job.step = "koerer", "Danner dokumenterne ..."
                for path in _render(session, out, job, extra):
                    job.documents.append(Document(len(job.documents), _kind(path), path))
            job.done, job.total = job.total - extra, job.total
            job.step = "Laver forhåndsvisninger ..."
            _previews(session, job)
            job.done += 1
            job.step = "Pakker zip-filen ..."
            if job.documents:
                job.zip_path = session.folder / ZIP_NAME
                with zipfile.ZipFile(job.zip_path, "w", zipfile.ZIP_DEFLATED) as archive:
                    for document in job.documents:
                        archive.write(document.path, document.name)
            job.done = job.total
            job.step = "Færdig."
            job.state = "faerdig"
        except SagsgeneratorError as exc:
            job.error, job.state = session.display(exc.danish), "fejl"
        except Exception:
            log.exception("Dokumenterne kunne ikke dannes")
            job.error = ("Der skete en uventet fejl, mens dokumenterne blev dannet. Prøv igen; "
                         "sker det igen, så kør »sagsgenerator« fra kommandolinjen for detaljer.")
            job.state = "fejl"

    def _render(session: Session, out: Path, job: Job, extra: int) -> list[Path]:
        """render_documents, as the CLI calls it; its progress(n, total) moves the bar."""
        kwargs: dict[str, Any] = {"kinds": job.kinds, "config": config, "pdf": job.pdf}
        if "workers" in inspect.signature(render_documents).parameters:
            # No worker processes from a server thread: forking a threaded process can hang
            # (Linux), and Windows would start a second server in every worker.
            kwargs["workers"] = 1
        if "progress" in inspect.signature(render_documents).parameters:
            written = 0

            def progress(n: int, total: int, *_: Any) -> None:
                nonlocal written
                written += n
                job.total, job.done = total + (1 if job.pdf else 0) + extra, written
                job.step = f"Danner dokumenterne: {written} af {total} ..."
                if written >= total and job.pdf:
                    job.step = "Laver PDF med LibreOffice ..."
            kwargs["progress"] = progress
        return render_documents(session.intakes, out, **kwargs)

    def _previews(session: Session, job: Job) -> None:
        papers = [d for d in job.documents if d.kind == "sagsfremstilling"
                  and d.path.suffix == ".docx"]
        if not papers:
            return
        folder = session.folder / "forhaandsvisning"
        folder.mkdir(parents=True, exist_ok=True)
        if preview.png_tools():
            pdfs = {d.path.stem: d.path for d in job.documents if d.path.suffix == ".pdf"}
            try:
                missing = [d.path for d in papers if d.path.stem not in pdfs]
                pdfs.update({p.stem: p for p in convert_to_pdf(missing, folder / "pdf")})
            except SagsgeneratorError:
                log.warning("Forhåndsvisning som billede mislykkedes; viser tekst i stedet")
            for document in papers:
                if document.path.stem in pdfs:
                    document.preview_png = preview.first_page_png(
                        pdfs[document.path.stem], folder / f"{document.index}.png")
        for document in papers:
            if document.preview_png is None:
                try:
                    document.preview_html = preview.first_page_html(document.path)
                except Exception:       # a preview must never cost the documents
                    log.exception("Forhåndsvisning af %s mislykkedes", document.name)

    @app.get("/session/{session_id}/dokumenter", response_class=HTMLResponse)
    async def documents(request: Request, session_id: str):
        session = session_or_404(request, session_id)
        if session.job is None:
            return RedirectResponse(f"/session/{session.id}", status_code=303)
        job = session.job
        groups = []
        for kind in dict.fromkeys(d.kind for d in job.documents):
            docs = [d for d in job.documents if d.kind == kind]
            groups.append((KIND_LABELS.get(kind, (kind.capitalize(),))[0], docs))
        papers = [d for d in job.documents if d.preview_png or d.preview_html]
        return page(request, "documents.html", session=session, job=job, groups=groups,
                    papers=papers, file_types=FILE_TYPES, size=lambda p: _mb(p.stat().st_size),
                    percent=round(100 * job.done / max(job.total, 1)),
                    summary=session.report.summary() if session.report else "")

    @app.get("/session/{session_id}/dokumenter/status")
    async def status(request: Request, session_id: str):
        session = session_or_404(request, session_id)
        job = session.job
        if job is None:
            return JSONResponse({"state": "ingen"})
        return JSONResponse({"state": job.state, "step": job.step, "done": job.done,
                             "total": job.total, "documents": len(job.documents)})

    def _document(session: Session, index: int) -> Document:
        job = session.job
        if job is None or not job.finished or not 0 <= index < len(job.documents):
            raise StarletteHTTPException(404)
        return job.documents[index]

    @app.get("/session/{session_id}/dokumenter/{index}")
    async def download(request: Request, session_id: str, index: int):
        document = _document(session_or_404(request, session_id), index)
        return FileResponse(document.path, filename=document.name,
                            media_type=MEDIA_TYPES.get(document.path.suffix,
                                                       "application/octet-stream"))

    @app.get("/session/{session_id}/forhaandsvisning/{index}.png")
    async def preview_png(request: Request, session_id: str, index: int):
        document = _document(session_or_404(request, session_id), index)
        if document.preview_png is None:
            raise StarletteHTTPException(404)
        return FileResponse(document.preview_png, media_type="image/png")

    @app.get("/session/{session_id}/" + ZIP_NAME)
    async def zip_all(request: Request, session_id: str):
        session = session_or_404(request, session_id)
        if session.job is None or session.job.zip_path is None:
            raise StarletteHTTPException(404)
        return FileResponse(session.job.zip_path, media_type="application/zip", filename=ZIP_NAME)

    return app


def _kind(path: Path) -> str:
    """The document kind a written file belongs to, by its name ("udvalgssag-...docx")."""
    return next((k for k in sorted(KINDS, key=len, reverse=True) if path.name.startswith(k)),
                "andet")


def _shown(session: Session, finding: Finding) -> Finding:
    """The finding as the user should read it: their file name, not our temporary path."""
    item = session.upload_named(finding.location.file)
    location = finding.location.model_copy(
        update={"file": item.name if item else Path(finding.location.file).name})
    params = {k: session.display(v) for k, v in finding.params.items()}
    return finding.model_copy(update={"location": location, "params": params})


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def serve(host: str = "127.0.0.1", port: int = 8765, open_browser: bool = True,
          config: Config | None = None) -> None:
    """Run the web interface until Ctrl+C (or the console window is closed).

    Binds 127.0.0.1 unless another host is asked for, which is warned about: anyone who
    can reach that address can upload files and fetch the documents."""
    config = config if config is not None else load_config(find_config(None))
    import uvicorn  # here: the CLI's other commands should not pay for importing it

    everywhere = host in ("0.0.0.0", "::", "")
    if not is_loopback(host):
        print(f"Advarsel: sagsgenerator lytter på {host or 'alle netværkskort'}, så andre på "
              "netværket kan uploade filer og hente dokumenterne. Brug kun dette på et "
              "netværk, du stoler på.", file=sys.stderr, flush=True)
    allowed = None if everywhere else ({host.lower()} | LOOPBACK_NAMES)
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    try:
        sock = socket.create_server((host, port), family=family)
    except OSError as exc:
        if exc.errno in (98, 48, 10048) or isinstance(exc, PermissionError):
            raise ServerError(f"Porten {port} er optaget eller ikke tilladt; måske kører "
                              f"sagsgenerator web allerede (åbn http://127.0.0.1:{port}/). "
                              "Vælg en anden port med --port.") from exc
        raise ServerError(f"Serveren kan ikke starte på {host}:{port}: "
                          f"{exc.strerror or exc}.") from exc
    shown_host = "127.0.0.1" if everywhere else (f"[{host}]" if ":" in host else host)
    url = f"http://{shown_host}:{port}/"
    app = create_app(config, allowed_hosts=allowed)
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False,
                                           lifespan="on"))
    print(f"sagsgenerator kører på {url}\nLuk dette vindue, eller tryk Ctrl+C, for at stoppe.",
          flush=True)
    if open_browser:
        def open_when_ready() -> None:
            for _ in range(200):
                if server.started:
                    webbrowser.open(url)
                    return
                time.sleep(0.05)
        threading.Thread(target=open_when_ready, daemon=True).start()
    try:
        server.run(sockets=[sock])
    finally:
        sock.close()
