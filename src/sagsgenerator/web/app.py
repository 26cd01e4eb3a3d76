"""The local web interface, wired together: settings, sessions, the request guard, pages.

    sagsgenerator web            # cli.py calls serve(); http://127.0.0.1:8765 opens

Plain HTML forms that work without JavaScript (static/app.js only improves them), every
asset served from this package. The pages are in routes.py, saving and checking uploads in
uploads.py, generating documents in the background in jobs.py; every one of them calls the
same library functions as the command line (sagsgenerator.batch) and only shows the result.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import logging
import socket
import sys
import threading
import time
import webbrowser
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException as StarletteHTTPException

from .. import __version__
from ..config import Config
from ..config_file import find_config, load_config
from ..errors import SagsgeneratorError
from .sessions import SessionStore, remove_stale_roots

log = logging.getLogger("sagsgenerator.web")

HERE = Path(__file__).resolve().parent
MB = 1024 * 1024
LOOPBACK_NAMES = ("127.0.0.1", "localhost", "[::1]")
STATE_CHANGING = frozenset({"POST", "PUT", "PATCH", "DELETE"})
STATUS_TITLES = {400: "Forespørgslen kan ikke bruges", 403: "Ikke tilladt",
                 404: "Siden findes ikke", 405: "Det kan man ikke her",
                 413: "Filen er for stor", 415: "Kun Excel-projektmapper (.xlsx)",
                 422: "Filen kan ikke bruges", 500: "Der skete en fejl",
                 503: "Serveren har travlt"}
# Everything is served from here: no CDN, no inline script, no framing by other pages.
CSP = (b"default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
       b"object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
# "same-origin", not "no-referrer": with no-referrer a browser sends `Origin: null` on every
# form POST, and the guard could not tell our own forms from a sandboxed iframe elsewhere.
REFERRER_POLICY = b"same-origin"


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


@dataclass
class Settings:
    """What the web page works with; the same values the command line would use."""

    config: Config
    config_path: Path | None
    template_dir: Path | None
    register: Path | None
    limits: Limits
    fixed_today: dt.date | None = None      # tests: the date `generer --dato` would get

    def today(self) -> dt.date:
        return self.fixed_today or dt.date.today()

    @property
    def config_name(self) -> str:
        return str(self.config_path) if self.config_path else "den indbyggede standard"


class Rejected(Exception):
    """A request that is turned away: status and Danish text."""

    def __init__(self, status: int, message: str, title: str | None = None,
                 items: list[tuple[str, str]] | None = None):
        super().__init__(message)
        self.status, self.message, self.title, self.items = status, message, title, items


class RequestTooLarge(Exception):
    """The request body grew past the limit while it was being read."""


class SessionGone(Exception):
    """The batch in the address is unknown or has expired."""


def mb(size: int) -> str:
    return f"{size / MB:.0f} MB" if size >= MB else f"{max(size // 1024, 1)} kB"


def minutes(seconds: float) -> str:
    count = max(1, round(seconds / 60))
    if count % 60 == 0:
        hours = count // 60
        return "1 time" if hours == 1 else f"{hours} timer"
    return "1 minut" if count == 1 else f"{count} minutter"


def too_large_request(limit: int) -> str:
    return (f"Der kan højst uploades {mb(limit)} ad gangen. En arbejdsgruppes projektmappe "
            "fylder normalt under 1 MB; tjek at det er de rigtige filer, eller upload dem i "
            "flere omgange.")


def host_names(host: str, port: int | None) -> set[str]:
    """The exact Host header values a browser sends for this server (port included)."""
    names = set(LOOPBACK_NAMES)
    if host and host not in ("0.0.0.0", "::"):
        names.add(f"[{host}]" if ":" in host else host.lower())
    if port is None or port == 80:
        return names | ({f"{n}:80" for n in names} if port == 80 else set())
    return {f"{n}:{port}" for n in names}


class Guard:
    """ASGI middleware in front of every page:

    - answer only requests whose Host header is exactly one of ours (name and port), so a
      web page elsewhere cannot rebind its name to 127.0.0.1 and read the answers;
    - accept a state-changing request (POST) only with an Origin header naming this very
      server: not missing, not `null` (a sandboxed iframe), not another site;
    - bound the size of a request body before it is parsed."""

    def __init__(self, app, allowed_hosts: set[str] | None, limit: int, reject):
        self.app, self.limit, self.reject = app, limit, reject
        self.allowed_hosts = {h.lower() for h in allowed_hosts} if allowed_hosts else None

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        headers: dict[str, list[str]] = {}
        for key, value in scope["headers"]:
            headers.setdefault(key.decode("latin-1").lower(), []).append(value.decode("latin-1"))
        hosts = headers.get("host", [])
        host = hosts[0].strip().lower() if len(hosts) == 1 else ""
        if self.allowed_hosts is not None and host not in self.allowed_hosts:
            response = await self.reject(scope, 400, "Forespørgslen er ikke sendt til denne "
                                         "computer og bliver ikke besvaret.")
            return await response(scope, receive, send)
        if scope["method"] in STATE_CHANGING:
            origins = headers.get("origin", [])
            origin = origins[0].strip().lower() if len(origins) == 1 else ""
            if not host or origin not in (f"http://{host}", f"https://{host}"):
                response = await self.reject(scope, 403, "Forespørgslen kom ikke fra "
                                             "sagsgenerators egen side og er afvist. Åbn "
                                             "siden i browseren, og prøv igen derfra.")
                return await response(scope, receive, send)
        length = headers.get("content-length", [""])[0]
        if length.isdigit() and int(length) > self.limit:
            # Read (and drop) what the browser sends before answering, or it shows a
            # "connection reset" page instead of ours; past 4x the limit, answer at once.
            if int(length) <= 4 * self.limit:
                more = True
                while more:
                    message = await receive()
                    more = message.get("more_body", False) and message["type"] == "http.request"
            response = await self.reject(scope, 413, too_large_request(self.limit))
            return await response(scope, receive, send)
        received = 0
        private = scope["path"].startswith(("/session", "/upload", "/register", "/beslutninger"))

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                extra = [(b"content-security-policy", CSP), (b"x-content-type-options", b"nosniff"),
                         (b"referrer-policy", REFERRER_POLICY)]
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


def create_app(config: Config | None = None, limits: Limits = Limits(),
               allowed_hosts: set[str] | None = None, root: Path | None = None, *,
               port: int | None = None, today: dt.date | None = None,
               template_dir: Path | None = None, register: Path | None = None,
               config_path: Path | None = None) -> FastAPI:
    """The web application.

    `config` (or the file `config_path`, or sagsgenerator.toml in the working folder, or the
    built-in default), `template_dir` and `register` are what `sagsgenerator web --konfig
    --skabeloner --register` chose. `allowed_hosts` are exact Host header values; by default
    this computer's names with `port`. `today` fixes the date of every run (tests)."""
    if config is None:
        config_path = find_config(config_path)
        config = load_config(config_path)
    settings = Settings(config=config, config_path=config_path, template_dir=template_dir,
                        register=register, limits=limits, fixed_today=today)
    if allowed_hosts is None:
        allowed_hosts = host_names("127.0.0.1", port)
    store = SessionStore(ttl=limits.ttl_seconds, max_sessions=limits.max_sessions, root=root)
    templates = Jinja2Templates(directory=str(HERE / "templates"))
    templates.env.globals.update(version=__version__, ttl=minutes(limits.ttl_seconds),
                                 settings=settings)
    stop = threading.Event()

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
    app.state.settings = settings
    app.state.templates = templates
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")

    async def reject(scope, status: int, message: str) -> Response:
        return error_page(Request(scope), status, message)

    app.add_middleware(Guard, allowed_hosts=allowed_hosts or None,
                       limit=limits.max_request_bytes, reject=reject)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        messages = {404: "Siden findes ikke. Gå til forsiden, og prøv igen derfra.",
                    405: "Siden kan ikke bruges på den måde. Gå til forsiden, og prøv igen."}
        return error_page(request, exc.status_code,
                          messages.get(exc.status_code, "Forespørgslen kunne ikke besvares."))

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError):
        return error_page(request, 400, "Forespørgslen kunne ikke forstås. Gå til forsiden, og "
                          "prøv igen.")

    @app.exception_handler(RequestTooLarge)
    async def too_large(request: Request, exc: RequestTooLarge):
        return error_page(request, 413, too_large_request(limits.max_request_bytes))

    @app.exception_handler(SessionGone)
    async def gone(request: Request, exc: SessionGone):
        return error_page(request, 404, "Filerne findes ikke længere: de slettes "
                          f"{minutes(limits.ttl_seconds)} efter sidste brug, eller når "
                          "sagsgenerator lukkes. Upload filerne igen på forsiden.",
                          title="Filerne er slettet")

    @app.exception_handler(Rejected)
    async def rejected(request: Request, exc: Rejected):
        return error_page(request, exc.status, exc.message, exc.title, exc.items)

    @app.exception_handler(SagsgeneratorError)
    async def library_error(request: Request, exc: SagsgeneratorError):
        return error_page(request, 400, exc.danish, "Det kunne ikke lade sig gøre")

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception):
        log.exception("Uventet fejl ved %s %s", request.method, request.url.path)
        return error_page(request, 500, "Der skete en uventet fejl. Prøv igen; sker det igen, "
                          "så luk sagsgenerator og start det igen.")

    from . import routes   # the pages need the helpers above
    app.include_router(routes.router)
    return app


def page(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
    """A page rendered from templates/ with the app's settings in its header."""
    templates: Jinja2Templates = request.app.state.templates
    return templates.TemplateResponse(request, name, context, status_code=status)


def error_page(request: Request, status: int, message: str, title: str | None = None,
               items: list[tuple[str, str]] | None = None) -> HTMLResponse:
    return page(request, "error.html", status, title=title or STATUS_TITLES.get(status, "Fejl"),
                message=message, items=items or [])


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def serve(host: str = "127.0.0.1", port: int = 8765, open_browser: bool = True,
          config: Config | None = None, *, config_path: Path | None = None,
          template_dir: Path | None = None, register: Path | None = None) -> None:
    """Run the web interface until Ctrl+C (or the console window is closed).

    Binds 127.0.0.1 unless another host is asked for, which is warned about: anyone who
    can reach that address can upload files and fetch the documents."""
    if config is None:
        config_path = find_config(config_path)
        config = load_config(config_path)
    import uvicorn  # here: the CLI's other commands should not pay for importing it

    everywhere = host in ("0.0.0.0", "::", "")
    if not is_loopback(host):
        print(f"Advarsel: sagsgenerator lytter på {host or 'alle netværkskort'}, så andre på "
              "netværket kan uploade filer og hente dokumenterne. Brug kun dette på et "
              "netværk, du stoler på.", file=sys.stderr, flush=True)
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
    port = sock.getsockname()[1]
    shown_host = "127.0.0.1" if everywhere else (f"[{host}]" if ":" in host else host)
    url = f"http://{shown_host}:{port}/"
    # On all interfaces any name may reach us; otherwise only our own names, with the port.
    allowed = None if everywhere else host_names(host, port)
    app = create_app(config, allowed_hosts=allowed, port=port, template_dir=template_dir,
                     register=register, config_path=config_path)
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False,
                                           lifespan="on"))
    print(f"sagsgenerator kører på {url}\nKonfiguration: {app.state.settings.config_name} "
          f"({config.municipality})\nLuk dette vindue, eller tryk Ctrl+C, for at stoppe.",
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
