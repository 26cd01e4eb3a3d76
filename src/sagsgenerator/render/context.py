"""From the model to template contexts: plain strings, numbers, lists and dicts, formatted the
Danish way. Templates only place these values; every wording decision is made here.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from decimal import ROUND_HALF_UP, Decimal, localcontext
from typing import TYPE_CHECKING, Any

from ..config import Config
from ..danish import (NBSP, format_amount, format_date, number_word, paragraphs_of,
                      sort_key, unbreakable, with_danish_period)
from ..model import Proposal, WorkingGroup
from .values import Image

if TYPE_CHECKING:
    from ..model import Intake

# Placeholders until the meeting calendar (a later issue) fills them in.
TO_BE_FILLED = "Udfyldes af sekretariatet"
BLANK_LINE = "______________"
NOT_SET = "Ikke fastlagt"
NO_PRIORITY = "–"
NO_FOCUS_AREA = "Uden fokusområde"
NO_COMMITTEE = "Udvalget"
# Statuses that mean the chief groups have prioritised the proposal (config.statuses).
PRIORITISED_STATUSES = frozenset({"Prioriteret", "Godkendt", "Igangsat", "Afsluttet"})


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
    prefix: str = ""                        # the group's prefix: "BU" for "BU-3"

    @property
    def display_number(self) -> str:
        """The proposal's number, unique in the batch: 'BU-3' (Nr. 3 of Børn og unge)."""
        return f"{self.prefix}-{self.proposal.number}" if self.prefix else str(self.proposal.number)

    @property
    def prioritised(self) -> bool:
        """Prioritised by the chief groups: its status says so ('Forslag' does not)."""
        return self.proposal.status in PRIORITISED_STATUSES


def slug(text: str, max_length: int = 60) -> str:
    """'Røgfri skoletid – Bliv en vinder' -> 'roegfri-skoletid-bliv-en-vinder'."""
    text = text.casefold().replace("æ", "ae").replace("ø", "oe").replace("å", "aa")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    text = re.sub(r"[^a-z0-9]+", "-", text).strip("-")
    if len(text) > max_length:
        text = text[:max_length + 1].rsplit("-", 1)[0] if "-" in text[:max_length + 1] \
            else text[:max_length]
        # A cut title should not end in a small word: '...-hos-aeldre-i' -> '...-hos-aeldre'.
        words = text.split("-")
        while len(words) > 1 and words[-1] in _DANGLING:
            words.pop()
        text = "-".join(words)
    return text.strip("-") or "uden-navn"


# Words a cut file name must not end in (ASCII, as in the slug).
_DANGLING = {"i", "og", "af", "for", "til", "med", "paa", "om", "hos", "fra", "en", "et", "der",
             "som", "at", "de", "den", "det", "mod", "ved", "efter", "under", "over"}


class Batch(list):
    """The batch's items (a list) plus what concerns the whole batch: the run's date, the
    committees' case numbers and the proposals held back by errors."""

    today: dt.date | None = None
    committee_case_numbers: Mapping[str, str] = {}
    held_back: Sequence[tuple[str, int]] = ()
    # (working group, Nr.) -> the register's traffic light (register.TrafficLight)
    traffic_lights: Mapping[tuple[str, int], Any] = {}


def batch_items(intakes: Iterable[Intake], config: Config,
                today: dt.date | None = None, *,
                case_numbers: Mapping[tuple[str, int], str] | None = None,
                committee_case_numbers: Mapping[str, str] | None = None,
                held_back: Sequence[tuple[str, int]] = (),
                traffic_lights: Mapping[tuple[str, int], Any] | None = None) -> Batch:
    """Every valid proposal of the batch, ordered by focus area (as configured), working group
    (Danish alphabetical) and number. Given `today`, each gets its meeting and case number
    from the committee calendar; `case_numbers` (working group, Nr.) -> case number (the
    register) takes precedence. `committee_case_numbers`: committee -> the combined case's
    number; `held_back`: (working group, rows held back by errors); `traffic_lights`:
    (working group, Nr.) -> the register's traffic light of the follow-up."""
    from ..meetings import book  # meetings imports this module's neighbours

    intakes = list(intakes)
    registered = case_numbers is not None      # the register's numbers, and only those
    case_numbers = case_numbers or {}
    bookings = {}
    if today is not None:
        proposals = [p for intake in intakes for p in intake.proposals]
        bookings = {id(b.proposal): b for b in book(proposals, config, today)}
    prefixes = group_prefixes([i.group.name if i.group else i.path.stem for i in intakes])
    items = []
    for intake in intakes:
        group = intake.group
        name = group.name if group else intake.path.stem
        for proposal in intake.proposals:
            booking = bookings.get(id(proposal))
            number = case_numbers.get((name, proposal.number)) if registered else (
                booking.case_number if booking else None)
            items.append(Item(proposal=proposal, group=name, group_slug=slug(name, 30),
                              focus_area=group.focus_area if group else NO_FOCUS_AREA,
                              committee=group.committee if group else None,
                              working_group=group,
                              meeting=booking.meeting.date if booking and booking.meeting else None,
                              case_number=number, prefix=prefixes.get(name, "")))
    batch = Batch(sorted(items, key=lambda i: (focus_order(i.focus_area, config),
                                               sort_key(i.group), i.proposal.number)))
    batch.today = today
    batch.committee_case_numbers = dict(committee_case_numbers or {})
    batch.held_back = tuple(held_back)
    batch.traffic_lights = dict(traffic_lights or {})
    if not batch.committee_case_numbers and today is not None:
        batch.committee_case_numbers = _committee_case_numbers(batch, config, today)
    return batch


def _committee_case_numbers(items: list[Item], config: Config,
                            today: dt.date) -> dict[str, str]:
    """The fallback when the register gives none: the case-number pattern, numbered after the
    proposals' own cases (the same pattern, so the secretary reads one series)."""
    from ..casenumber import committee_abbreviation, format_case_number

    committees = list(dict.fromkeys(i.committee for i in items if i.committee))
    result = {}
    for index, committee in enumerate(committees, start=len(items) + 1):
        meetings = [i.meeting for i in items if i.committee == committee and i.meeting]
        year = (min(meetings) if meetings else today).year
        result[committee] = format_case_number(config.case_number_pattern, {
            "aar": year, "nr": index, "periode": config.period,
            "udvalg": committee_abbreviation(committee)})
    return result


# Small words that do not make a group's initials ("Børn og unge" -> "BU").
_INITIAL_FILLERS = {"og", "i", "for", "med", "på", "af", "til", "en", "et", "de", "den", "det"}


def _latin(char: str) -> bool:
    return char.isdigit() and char.isascii() or (
        char.isalpha() and unicodedata.name(char, "").startswith("LATIN"))


def group_prefixes(names: Iterable[str]) -> dict[str, str]:
    """Each working group's short prefix for proposal numbers, unique in the batch:
    'Børn og unge' -> 'BU', 'Borgere med kronisk sygdom' -> 'BKS', 'Ældre' -> 'ÆLD'."""
    result: dict[str, str] = {}
    taken: set[str] = set()
    for name in dict.fromkeys(names):
        # Latin letters and digits only: a prefix is read aloud and printed in tables, and a
        # letter of a right-to-left script would turn "BU-3" around.
        words = ["".join(c for c in w if _latin(c)) for w in re.split(r"[\s\-–/]+", name)]
        words = [w for w in words if w]
        initials = [w[0] for w in words if w.casefold() not in _INITIAL_FILLERS]
        prefix = ("".join(initials) if len(initials) > 1 else
                  "".join(c for c in name if _latin(c))[:3]).upper() or "F"
        candidate, n = prefix, 2
        while candidate in taken:
            candidate, n = f"{prefix}{n}", n + 1
        taken.add(candidate)
        result[name] = candidate
    return result


def focus_order(area: str, config: Config) -> tuple:
    """Configured focus areas in configured order, others after them alphabetically."""
    if area in config.focus_areas:
        return (0, config.focus_areas.index(area), sort_key(""))
    return (1, 0, sort_key(area))


def priority_order(item: Item) -> tuple:
    """Prioritised first (by status, then priority: 1 is highest), then the others by
    priority and number."""
    p = item.proposal
    return (not item.prioritised, p.priority is None, p.priority or 0, p.number,
            sort_key(item.group))


def group_by(items: Iterable[Item], key) -> list[tuple[Any, list[Item]]]:
    """Consecutive runs of items with the same key, in order of first appearance."""
    groups: dict[Any, list[Item]] = {}
    for item in items:
        groups.setdefault(key(item), []).append(item)
    return list(groups.items())


def amount(value: Decimal | int) -> str:
    """'1.250.000 kr.' with a no-break space: the amount never wraps."""
    return unbreakable(format_amount(value))


def figure(value: Decimal | int) -> str:
    """'1.250.000': for table columns whose header says kr."""
    return format_amount(value).removesuffix(" kr.")


def date_text(value: dt.date) -> str:
    """'1. september 2026' with no-break spaces."""
    return unbreakable(format_date(value))


def follow_up_text(p: Proposal) -> str:
    """The follow-up as written, its date the Danish way ('Jan. 2027' -> 'januar 2027'),
    the date itself never wrapping."""
    if p.follow_up is None:
        return NOT_SET
    text = with_danish_period(p.follow_up.text, p.follow_up.period)
    if p.follow_up.period is not None:
        text = text.replace(p.follow_up.period.danish, unbreakable(p.follow_up.period.danish))
    return text


def one_line(text: str) -> str:
    """User text for a single line (a label's value): its line breaks become spaces."""
    return " ".join(paragraphs_of(text))


# --- economy over the budget years -------------------------------------------------------------

BUDGET_YEARS = 4  # the budget year and three overslagsår
BUDGET_RULE = ("Opstartsudgiften regnes i opstartsåret. Driften regnes forholdsmæssigt fra "
               "opstartsmåneden i det første år og med et helt år i de følgende år.")


def budget_first_year(items: Iterable[Item], today: dt.date | None) -> int:
    """The budget year the documents count from: the meeting's year, else the run's, else the
    first start."""
    items = list(items)
    meetings = [i.meeting for i in items if i.meeting]
    if meetings:
        return min(meetings).year
    if today is not None:
        return today.year
    starts = [i.proposal.start.year for i in items if i.proposal.start]
    return min(starts) if starts else dt.date.today().year


def per_year(p: Proposal, first_year: int) -> tuple[list[Decimal], list[Decimal]]:
    """Start-up and operation in each budget year: start-up in the start year, operation pro
    rata from the start month in that year and whole years after (no start: 1 January of the
    first budget year)."""
    year, month = (p.start.year, p.start.month) if p.start else (first_year, 1)
    start, run = [], []
    for y in range(first_year, first_year + BUDGET_YEARS):
        start.append(p.cost_start if y == year else Decimal(0))
        if y == year:
            with localcontext() as context:   # an amount of any size keeps its digits
                context.prec = max(28, p.cost_yearly.adjusted() + 6)
                share = (p.cost_yearly * (13 - month) / 12).quantize(Decimal(1), ROUND_HALF_UP)
        else:
            share = p.cost_yearly if y > year else Decimal(0)
        run.append(share)
    return start, run


def _row(label: str, values: list[Decimal], bold: bool = False) -> dict[str, Any]:
    return {"label": label, "amounts": [figure(v) for v in values], "bold": bold}


def budget(items: Iterable[Item], first_year: int, by_financing: bool = True,
           financing_order: Sequence[str] = ()) -> dict[str, Any]:
    """Resources per budget year: rows Opstart, Drift, (per financing) and I alt, the years as
    headers, and the rule printed under the table."""
    items = list(items)
    zero = [Decimal(0)] * BUDGET_YEARS
    start, run = list(zero), list(zero)
    financing: dict[str, list[Decimal]] = {}
    earlier = []
    for item in items:
        s, r = per_year(item.proposal, first_year)
        start = [a + b for a, b in zip(start, s)]
        run = [a + b for a, b in zip(run, r)]
        per = financing.setdefault(item.proposal.financing, list(zero))
        financing[item.proposal.financing] = [a + b + c for a, b, c in zip(per, s, r)]
        if item.proposal.start and item.proposal.start.year < first_year:
            earlier.append(item)
    total = [a + b for a, b in zip(start, run)]
    rows = [_row("Opstart", start), _row("Drift", run)]
    financing_rows = []
    if by_financing:
        order = {name: i for i, name in enumerate(financing_order)}
        for name in sorted(financing, key=lambda n: (order.get(n, 99), sort_key(n))):
            financing_rows.append(_row(name, financing[name]))
    years = [str(first_year + k) for k in range(BUDGET_YEARS)]
    rule = BUDGET_RULE
    if earlier:
        rule += (f" Indsatser med opstart før {first_year} regnes med hele års drift; deres "
                 "opstartsudgift ligger før budgetperioden.")
    return {"years": years, "heading": f"Budgetår {years[0]} og overslagsår {years[1]}–{years[-1]}",
            "rows": rows, "financing": financing_rows,
            "total": _row("I alt", total, bold=True), "rule": rule,
            "unit": f"Beløb i kr.{NBSP}(løbende priser)"}


def totals(items: Iterable[Item]) -> dict[str, Any]:
    items = list(items)
    start = sum((i.proposal.cost_start for i in items), Decimal(0))
    yearly = sum((i.proposal.cost_yearly for i in items), Decimal(0))
    return {"cost_start": amount(start), "cost_yearly": amount(yearly),
            "cost_first_year": amount(start + yearly), "start_kr": figure(start),
            "yearly_kr": figure(yearly), "count": len(items)}


DEVELOPMENT = "Udviklingsforslag"


def kind_line(p: Proposal) -> str:
    """'Handlingsforslag – bygger på forebyggelsespakken »Tobak«'; a development proposal
    names its package's area without claiming to build on it."""
    if p.package and p.kind == DEVELOPMENT:
        return f"{p.kind} – på området for forebyggelsespakken »{p.package}«"
    if p.package:
        return f"{p.kind} – bygger på Sundhedsstyrelsens forebyggelsespakke »{p.package}«"
    return p.kind


def group_phrase(item: Item) -> str:
    """'arbejdsgruppen Børn og unge'."""
    return f"arbejdsgruppen {item.group}"


def background(item: Item) -> str:
    """The opening of Baggrund: what kind of proposal, from whom, building on what. The
    sentence follows the type: only an action proposal builds on a prevention package."""
    p = item.proposal
    who = group_phrase(item)
    if p.kind == DEVELOPMENT:
        text = (f"Forslaget er et udviklingsforslag fra {who}. Der findes endnu ikke solid viden "
                "om, hvilke indsatser der virker på området. Indsatsen afprøves derfor og "
                "evalueres, så udvalget derefter kan tage stilling til, om den skal videreføres.")
        if p.package:
            text += (f" Forslaget ligger på området for Sundhedsstyrelsens forebyggelsespakke "
                     f"»{p.package}«, men bygger ikke på pakkens anbefalinger.")
        return text
    text = f"Forslaget er et {p.kind.lower()} fra {who}."
    if p.package:
        text += (" Det bygger på konkrete anbefalinger i Sundhedsstyrelsens forebyggelsespakke "
                 f"»{p.package}«, tilpasset forholdene i kommunen.")
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
        text += f" med opstart {unbreakable(p.start.danish)}"
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


def start_text(p: Proposal) -> str:
    return unbreakable(p.start.danish) if p.start else NOT_SET


# Inside `remembered_fields()`: id(item) -> (item, its fields), so that the documents of a
# batch (catalogue, plan, follow-up, committee cases) format each proposal once.
_REMEMBERED: dict[int, tuple[Item, dict[str, Any]]] | None = None


@contextlib.contextmanager
def remembered_fields() -> Iterator[None]:
    """While the block runs, `proposal_fields` formats each item once (then copies)."""
    global _REMEMBERED
    outer, _REMEMBERED = _REMEMBERED, (_REMEMBERED if _REMEMBERED is not None else {})
    try:
        yield
    finally:
        _REMEMBERED = outer


def proposal_fields(item: Item) -> dict[str, Any]:
    """Every field of a proposal as display text ('' when empty); long texts also as
    paragraphs (`*_paragraphs`: one per Alt+Enter line). A new dict each call (callers add
    to it)."""
    if _REMEMBERED is None:
        return _proposal_fields(item)
    hit = _REMEMBERED.get(id(item))
    if hit is None or hit[0] is not item:
        hit = _REMEMBERED[id(item)] = (item, _proposal_fields(item))
    return dict(hit[1])


def _proposal_fields(item: Item) -> dict[str, Any]:
    p = item.proposal
    return {
        "number": p.number,
        "nr": item.display_number,
        "sheet_nr": str(p.number),
        "title": p.title,
        "kind": p.kind,
        "kind_line": kind_line(p),
        "package": p.package or "",
        "theme": p.theme or "",
        "area": one_line(p.area),
        "goal": one_line(p.goal),
        "purpose": p.purpose,
        "purpose_paragraphs": paragraphs_of(p.purpose),
        "target_group": p.target_group,
        "target_group_paragraphs": paragraphs_of(p.target_group),
        "problem_size": p.problem_size,
        "problem_size_paragraphs": paragraphs_of(p.problem_size),
        "content": p.content,
        "content_paragraphs": paragraphs_of(p.content),
        "centre": p.centre,
        "partners": one_line(p.partners or ""),
        "monitoring": p.monitoring,
        "monitoring_paragraphs": paragraphs_of(p.monitoring),
        "indicators": list(p.indicators) or ["Ingen angivet"],
        "start": start_text(p),
        "follow_up": follow_up_text(p),
        "cost_start": amount(p.cost_start),
        "cost_yearly": amount(p.cost_yearly),
        "cost_first_year": amount(p.cost_start + p.cost_yearly),
        "start_kr": figure(p.cost_start),
        "yearly_kr": figure(p.cost_yearly),
        "financing": p.financing,
        "summary": p.summary,
        "summary_paragraphs": paragraphs_of(p.summary),
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
        "meeting_date": date_text(meeting) if meeting else TO_BE_FILLED,
        "case_number": case_number or BLANK_LINE,
        "agenda_item": BLANK_LINE,
        "header_text": f"{config.municipality} · {config.administration}",
    }


def same_name(group: str, area: str) -> bool:
    """A working group named after its focus area ('Børn og unge' in 'Børn og unge')."""
    return " ".join(group.split()).casefold() == " ".join(area.split()).casefold()


def count_text(n: int, noun: str = "forslag") -> str:
    """'fem forslag', 'ét forslag', '14 forslag'."""
    return f"{number_word(n)} {noun}"


def plan_period(items: Iterable[Item], config: Config) -> str:
    """The plan's period: the configuration's (`period`, when it has one), else the years of
    the proposals' starts and follow-ups ('2026–2028')."""
    configured = getattr(config, "period", None)
    if configured:
        return str(configured).replace("-", "–")
    items = list(items)
    years = [i.proposal.start.year for i in items if i.proposal.start]
    years += [i.proposal.follow_up.period.year for i in items
              if i.proposal.follow_up and i.proposal.follow_up.period]
    if not years:
        return NOT_SET
    first, last = min(years), max(years)
    return str(first) if first == last else f"{first}–{last}"


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
