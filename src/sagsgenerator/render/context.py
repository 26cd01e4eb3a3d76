"""From the model to template contexts: plain strings, numbers, lists and dicts, formatted the
Danish way. Templates only place these values; every wording decision is made here.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from ..config import Config
from ..danish import format_amount, format_date, sort_key
from ..model import Proposal, WorkingGroup
from .engine import Image

if TYPE_CHECKING:
    from ..model import Intake

# Placeholders until the meeting calendar (a later issue) fills them in.
TO_BE_FILLED = "Udfyldes af sekretariatet"
BLANK_LINE = "______________"
NOT_SET = "Ikke fastlagt"
NO_PRIORITY = "–"
NO_FOCUS_AREA = "Uden fokusområde"
NO_COMMITTEE = "Udvalget"


@dataclass(frozen=True)
class Item:
    """A valid proposal with what the documents need from its working group and workbook."""

    proposal: Proposal
    group: str
    group_slug: str
    focus_area: str
    committee: str | None
    working_group: WorkingGroup | None = None
    meeting: dt.date | None = None          # from the committee calendar, when given "today"
    case_number: str | None = None
    committee_case_number: str | None = None  # of the combined committee case it goes to


def slug(text: str, max_length: int = 60) -> str:
    """'Røgfri skoletid – Bliv en vinder' -> 'roegfri-skoletid-bliv-en-vinder'."""
    text = text.casefold().replace("æ", "ae").replace("ø", "oe").replace("å", "aa")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    text = re.sub(r"[^a-z0-9]+", "-", text).strip("-")
    if len(text) > max_length:
        text = text[:max_length + 1].rsplit("-", 1)[0] if "-" in text[:max_length + 1] \
            else text[:max_length]
    return text.strip("-") or "uden-navn"


def batch_items(intakes: Iterable[Intake], config: Config,
                today: dt.date | None = None, *,
                case_numbers: Mapping[tuple[str, int], str] | None = None,
                committee_case_numbers: Mapping[str, str] | None = None) -> list[Item]:
    """Every valid proposal of the batch, ordered by focus area (as configured), working group
    (Danish alphabetical) and number. Given `today`, each gets its meeting and case number
    from the committee calendar; `case_numbers` ((group, Nr.) -> number, from the register)
    take their place, and `committee_case_numbers` (committee -> number) name the combined
    committee cases."""
    from ..meetings import book  # meetings imports this module's neighbours

    intakes = list(intakes)
    bookings = {}
    if today is not None:
        proposals = [p for intake in intakes for p in intake.proposals]
        bookings = {id(b.proposal): b for b in book(proposals, config, today)}
    items = []
    for intake in intakes:
        group = intake.group
        name = group.name if group else intake.path.stem
        for proposal in intake.proposals:
            booking = bookings.get(id(proposal))
            number = booking.case_number if booking else None
            if case_numbers is not None:
                number = case_numbers.get((name, proposal.number))
            committee = group.committee if group else None
            items.append(Item(proposal=proposal, group=name, group_slug=slug(name, 30),
                              focus_area=group.focus_area if group else NO_FOCUS_AREA,
                              committee=group.committee if group else None,
                              working_group=group,
                              meeting=booking.meeting.date if booking and booking.meeting else None,
                              case_number=number,
                              committee_case_number=(committee_case_numbers or {}).get(
                                  committee or "")))
    return sorted(items, key=lambda i: (focus_order(i.focus_area, config),
                                        sort_key(i.group), i.proposal.number))


def focus_order(area: str, config: Config) -> tuple:
    """Configured focus areas in configured order, others after them alphabetically."""
    if area in config.focus_areas:
        return (0, config.focus_areas.index(area), sort_key(""))
    return (1, 0, sort_key(area))


def priority_order(item: Item) -> tuple:
    """Prioritised first (1 is highest), then unprioritised by number."""
    p = item.proposal
    return (p.priority is None, p.priority or 0, p.number, sort_key(item.group))


def group_by(items: Iterable[Item], key) -> list[tuple[Any, list[Item]]]:
    """Consecutive runs of items with the same key, in order of first appearance."""
    groups: dict[Any, list[Item]] = {}
    for item in items:
        groups.setdefault(key(item), []).append(item)
    return list(groups.items())


def amount(value: Decimal | int) -> str:
    """'1.250.000 kr.'"""
    return format_amount(value)


def figure(value: Decimal | int) -> str:
    """'1.250.000': for table columns whose header says kr."""
    return format_amount(value).removesuffix(" kr.")


def totals(items: Iterable[Item]) -> dict[str, Any]:
    items = list(items)
    start = sum((i.proposal.cost_start for i in items), Decimal(0))
    yearly = sum((i.proposal.cost_yearly for i in items), Decimal(0))
    return {"cost_start": amount(start), "cost_yearly": amount(yearly),
            "cost_first_year": amount(start + yearly), "start_kr": figure(start),
            "yearly_kr": figure(yearly), "count": len(items)}


def kind_line(p: Proposal) -> str:
    """'Handlingsforslag – bygger på forebyggelsespakken »Tobak«'."""
    if p.package:
        return f"{p.kind} – bygger på Sundhedsstyrelsens forebyggelsespakke »{p.package}«"
    return p.kind


def background(item: Item) -> str:
    """The opening of Baggrund: what kind of proposal, from whom, building on what."""
    p = item.proposal
    text = f"Forslaget er et {p.kind.lower()} fra arbejdsgruppen {item.group}."
    if p.package:
        text += (" Det bygger på konkrete anbefalinger i Sundhedsstyrelsens forebyggelsespakke "
                 f"»{p.package}«, tilpasset forholdene i kommunen.")
    elif p.kind == "Udviklingsforslag":
        text += (" Der foreligger ikke god viden på området i forvejen, så forslaget beskrives, "
                 "så der politisk kan tages stilling til, om indsatsen skal videreudvikles.")
    return text


FINANCING_PHRASES = {
    "Inden for eget budget": "finansieres inden for eget budget",
    "Sundhedsområdets midler": "finansieres af sundhedsområdets midler",
    "Ekstern finansiering": "søges finansieret eksternt",
}


def financing_phrase(financing: str) -> str:
    return FINANCING_PHRASES.get(financing, f"finansieres ved »{financing}«")


def recommendation(item: Item) -> str:
    """Indstilling: approve the intervention, its start and its financing."""
    p = item.proposal
    committee = item.committee or "udvalget"
    text = f"Administrationen indstiller, at {committee} godkender indsatsen »{p.title}«"
    if p.start is not None:
        text += f" med opstart {p.start.danish}"
    costs = []
    if p.cost_start:
        costs.append(f"opstartsudgiften på {amount(p.cost_start)}")
    if p.cost_yearly:
        costs.append(f"driftsudgiften på {amount(p.cost_yearly)} årligt")
    if costs:
        text += f", og at {' og '.join(costs)} {financing_phrase(p.financing)}."
    else:
        text += ", som gennemføres uden ekstra udgifter."
    return text


def proposal_fields(item: Item) -> dict[str, Any]:
    """Every field of a proposal as display text ('' when empty)."""
    p = item.proposal
    return {
        "number": p.number,
        "nr": str(p.number),
        "title": p.title,
        "kind": p.kind,
        "kind_line": kind_line(p),
        "package": p.package or "",
        "theme": p.theme or "",
        "area": p.area,
        "goal": p.goal,
        "purpose": p.purpose,
        "target_group": p.target_group,
        "problem_size": p.problem_size,
        "content": p.content,
        "centre": p.centre,
        "partners": p.partners or "",
        "monitoring": p.monitoring,
        "indicators": list(p.indicators) or ["Ingen angivet"],
        "start": p.start.danish if p.start else NOT_SET,
        "follow_up": p.follow_up.text if p.follow_up else NOT_SET,
        "cost_start": amount(p.cost_start),
        "cost_yearly": amount(p.cost_yearly),
        "cost_first_year": amount(p.cost_start + p.cost_yearly),
        "start_kr": figure(p.cost_start),
        "yearly_kr": figure(p.cost_yearly),
        "financing": p.financing,
        "summary": p.summary,
        "priority": str(p.priority) if p.priority is not None else NO_PRIORITY,
        "owner": p.owner or "",
        "status": p.status,
        "group": item.group,
        "focus_area": item.focus_area,
        "committee": item.committee or "",
    }


def header_block(config: Config, committee: str | None, meeting: dt.date | None = None,
                 case_number: str | None = None) -> dict[str, str]:
    """The case-paper header: municipality, committee, meeting date, case number, item."""
    return {
        "municipality": config.municipality,
        "administration": config.administration,
        "logo": logo(config),
        "committee": committee or TO_BE_FILLED,
        "meeting_date": format_date(meeting) if meeting else TO_BE_FILLED,
        "case_number": case_number or BLANK_LINE,
        "agenda_item": BLANK_LINE,
        "header_text": f"{config.municipality} · {config.administration}",
    }


@functools.lru_cache(maxsize=8)
def _logo_bytes(path: Path) -> bytes:
    return path.read_bytes()


def logo(config: Config) -> Image | str:
    """The configured logo as a picture for the documents, or '' when there is none."""
    if config.logo is None:
        return ""
    return Image(png=_logo_bytes(config.logo), width_mm=40,
                 descr=f"{config.municipality}s logo")


def join_danish(words: list[str]) -> str:
    """'a', 'a og b', 'a, b og c'."""
    if len(words) <= 1:
        return "".join(words)
    return f"{', '.join(words[:-1])} og {words[-1]}"
