"""The pages over the register: Forslag, Ændringer, Kalender, Opfølgning, Beslutninger.

Each request opens its own Register (a connection belongs to its thread) in a worker
thread, reads, and closes it; decisions are recorded by `read_decisions`, first as a dry run
the user confirms.
"""

from __future__ import annotations

import datetime as dt
import secrets
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException as StarletteHTTPException

from ..batch import changes_since, read_decisions
from ..danish import format_date
from ..meetings import DeadlineState, book, follow_ups_due
from ..register import ProposalKey, Register
from .app import Rejected, Settings, page
from .findings_view import finding_row
from .sessions import safe_name

router = APIRouter()
LIGHT_CLASSES = {"rød": "roed", "gul": "gul", "grøn": "groen"}
STATE_CLASSES = {DeadlineState.MISSED: "missed", DeadlineState.CLOSE: "close"}


def _settings(request: Request) -> Settings:
    return request.app.state.settings


def _no_register(request: Request, title: str) -> HTMLResponse:
    return page(request, "register_missing.html", title=title)


def _open(settings: Settings) -> Register:
    return Register.open(settings.register, settings.config)


@dataclass
class Row:
    """One proposal of the register as the Forslag page shows it."""

    key: str
    group: str
    number: int
    title: str
    committee: str
    versions: int
    case_number: str
    status: str
    light: str
    light_class: str
    last_change: str
    withdrawn: str


def _rows(settings: Settings, today: dt.date) -> list[Row]:
    rows = []
    with _open(settings) as store:
        for entry in store.entries(settings.config.period):
            version = store.version(entry.key)
            committee = (version.working_group.get("committee") if version else "") or ""
            light = store.traffic_light(entry.key, today)
            rows.append(Row(key=entry.key.text, group=entry.group_name, number=entry.number,
                            title=entry.title, committee=committee, versions=entry.versions,
                            case_number=entry.case_number or "–", status=entry.status,
                            light=light.text, light_class=LIGHT_CLASSES.get(light.light, ""),
                            last_change=format_date(entry.last_change),
                            withdrawn=format_date(entry.withdrawn_on) if entry.withdrawn_on
                            else ""))
    return rows


@router.get("/forslag", response_class=HTMLResponse)
async def proposals(request: Request, arbejdsgruppe: str = "", udvalg: str = "",
                    status: str = ""):
    settings = _settings(request)
    if settings.register is None:
        return _no_register(request, "Forslag")
    rows = await run_in_threadpool(_rows, settings, settings.today())
    shown = [r for r in rows if (not arbejdsgruppe or r.group == arbejdsgruppe)
             and (not udvalg or r.committee == udvalg) and (not status or r.status == status)]
    return page(request, "proposals.html", rows=shown, total=len(rows),
                groups=sorted({r.group for r in rows}),
                committees=sorted({r.committee for r in rows if r.committee}),
                statuses=[s for s in settings.config.statuses if s in {r.status for r in rows}],
                chosen={"arbejdsgruppe": arbejdsgruppe, "udvalg": udvalg, "status": status})


def _detail(settings: Settings, text: str, today: dt.date) -> dict[str, Any] | None:
    with _open(settings) as store:
        key = store.lookup(text)
        if key is None:
            return None
        entry = next(e for e in store.entries(key.period) if e.key == key)
        light = store.traffic_light(key, today)
        return {"entry": entry, "versions": store.versions(key),
                "history": store.status_history(key),
                "decisions": store.decision_history(key), "light": light,
                "light_class": LIGHT_CLASSES.get(light.light, "")}


@router.get("/forslag/vis", response_class=HTMLResponse)
async def proposal(request: Request, noegle: str = ""):
    settings = _settings(request)
    if settings.register is None:
        return _no_register(request, "Forslag")
    detail = await run_in_threadpool(_detail, settings, noegle, settings.today())
    if detail is None:
        raise StarletteHTTPException(404)
    return page(request, "proposal.html", format_date=format_date, **detail)


@router.get("/aendringer", response_class=HTMLResponse)
async def changes(request: Request, siden: str = "", runde: str = ""):
    settings = _settings(request)
    if settings.register is None:
        return _no_register(request, "Ændringer")

    def read() -> tuple[list, list[str] | None, str]:
        with _open(settings) as store:
            rounds = store.rounds()
        since: dt.date | int | None = None
        said = ""
        if runde.isdigit():
            since, said = int(runde), f"siden runde {runde}"
        elif siden:
            try:
                since = dt.date.fromisoformat(siden)
            except ValueError:
                raise Rejected(400, f"»{siden}« er ikke en dato. Skriv den som ÅÅÅÅ-MM-DD, "
                               "fx 2026-03-01.", "Datoen kan ikke læses") from None
            said = f"siden {format_date(since)}"
        elif rounds:
            since = rounds[-2].id if len(rounds) > 1 else 0
            said = f"siden runde {since}" if since else "siden registret blev oprettet"
        lines = changes_since(settings.register, since, settings.config) \
            if since is not None else None
        return rounds, lines, said

    rounds, lines, said = await run_in_threadpool(read)
    return page(request, "changes.html", rounds=rounds, lines=lines, said=said, siden=siden,
                runde=runde, format_date=format_date)


def _current(store: Register, period: str) -> list:
    """Every proposal of the period as the register holds it now (decisions laid over)."""
    withdrawn = {e.key for e in store.entries(period) if e.withdrawn_on}
    found = []
    for key in store.keys(period):
        if key in withdrawn:
            continue
        proposal = store.proposal(key)
        if proposal is not None:
            found.append((key, proposal))
    return found


@router.get("/kalender", response_class=HTMLResponse)
async def calendar(request: Request):
    settings = _settings(request)
    if settings.register is None:
        return _no_register(request, "Kalender")
    today = settings.today()

    def read():
        with _open(settings) as store:
            current = _current(store, settings.config.period)
            numbers = {(p.group.name if p.group else "", p.number): store.case_number_of(k)
                       for k, p in current}
        bookings = book([p for _, p in current], settings.config, today)
        committees: dict[str, list] = {}
        for booking in bookings:
            proposal = booking.proposal
            committees.setdefault(booking.committee or "Uden udvalg", []).append({
                "booking": booking, "css": STATE_CLASSES.get(booking.state, ""),
                "case": numbers.get((proposal.group.name if proposal.group else "",
                                     proposal.number)) or "endnu intet"})
        return committees, bookings

    committees, bookings = await run_in_threadpool(read)
    return page(request, "calendar.html", committees=committees, today=format_date(today),
                format_date=format_date, missed=sum(b.state is DeadlineState.MISSED
                                                    for b in bookings),
                close=sum(b.state is DeadlineState.CLOSE for b in bookings),
                meetings=len(settings.config.meetings), DeadlineState=DeadlineState)


@router.get("/opfoelgning", response_class=HTMLResponse)
async def follow_up(request: Request, maaneder: int = 3):
    settings = _settings(request)
    if settings.register is None:
        return _no_register(request, "Opfølgning")
    today = settings.today()
    months = max(0, min(maaneder, 120))

    def read():
        with _open(settings) as store:
            current = _current(store, settings.config.period)
            lights = {id(p): store.traffic_light(k, today, months) for k, p in current}
        due = follow_ups_due([p for _, p in current], today, months)
        centres: dict[str, list] = {}
        for item in due:
            light = lights[id(item.proposal)]
            centres.setdefault(item.proposal.centre, []).append({
                "item": item, "light": light.text,
                "light_class": LIGHT_CLASSES.get(light.light, "")})
        return centres, due

    centres, due = await run_in_threadpool(read)
    return page(request, "follow_up.html", centres=centres, months=months,
                today=format_date(today), overdue=sum(d.overdue for d in due), total=len(due))


# Decisions ------------------------------------------------------------------------------

@router.get("/beslutninger", response_class=HTMLResponse)
async def decisions_form(request: Request):
    if _settings(request).register is None:
        return _no_register(request, "Beslutninger")
    return page(request, "decisions.html", result=None, token=None, done=False)


def _pending(request: Request) -> dict[str, tuple[Path, str]]:
    state = request.app.state
    if not hasattr(state, "pending_decisions"):
        state.pending_decisions = {}
    return state.pending_decisions


def _decision_page(request: Request, result, token: str | None, done: bool, plan: str):
    rows = [finding_row(i, f, f.location.file, lambda t: t)
            for i, f in enumerate(result.report.unusable + result.report.findings)]
    return page(request, "decisions.html", result=result, rows=rows, token=token, done=done,
                plan=plan)


@router.post("/beslutninger", response_class=HTMLResponse)
async def decisions_check(request: Request):
    """Read the edited handleplan.xlsx as a dry run: the findings and what would be
    recorded, with a button to record it."""
    settings = _settings(request)
    if settings.register is None:
        return _no_register(request, "Beslutninger")
    async with request.form(max_files=2, max_fields=5) as form:
        part = form.get("fil")
        if not isinstance(part, UploadFile) or not (part.filename or part.size):
            raise Rejected(400, "Vælg den rettede handleplan.xlsx, og prøv igen.",
                           "Ingen fil valgt")
        name = safe_name(part.filename) or "handleplan.xlsx"
        token = secrets.token_urlsafe(18)
        folder = request.app.state.store.root / "beslutninger" / token
        folder.mkdir(parents=True)
        path = folder / name
        size, limit = 0, settings.limits.max_file_bytes
        with path.open("xb") as handle:
            while chunk := await part.read(256 * 1024):
                size += len(chunk)
                if size > limit:
                    shutil.rmtree(folder, ignore_errors=True)
                    raise Rejected(413, f"»{name}« er for stor (højst "
                                   f"{limit // (1024 * 1024)} MB).")
                handle.write(chunk)
    try:
        result = await run_in_threadpool(lambda: read_decisions(
            path, register=settings.register, config=settings.config, today=settings.today(),
            display_name=name, dry_run=True))
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    if result.report.exit_code or not result.recorded:
        shutil.rmtree(folder, ignore_errors=True)
        token = None
    else:
        _pending(request)[token] = (path, name)
    return _decision_page(request, result, token, False, name)


@router.post("/beslutninger/bekraeft", response_class=HTMLResponse)
async def decisions_confirm(request: Request):
    settings = _settings(request)
    if settings.register is None:
        return _no_register(request, "Beslutninger")
    async with request.form(max_files=0, max_fields=5) as form:
        token = str(form.get("noegle", ""))
    found = _pending(request).pop(token, None)
    if found is None:
        raise Rejected(404, "Beslutningerne er allerede gemt, eller filen er slettet. Upload "
                       "handleplanen igen.", "Intet at gemme")
    path, name = found
    try:
        result = await run_in_threadpool(lambda: read_decisions(
            path, register=settings.register, config=settings.config, today=settings.today(),
            display_name=name))
    finally:
        shutil.rmtree(path.parent, ignore_errors=True)
    return _decision_page(request, result, None, True, name)


__all__ = ["ProposalKey", "router"]
