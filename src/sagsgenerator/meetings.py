"""The committee calendar (seed 002) and follow-up tracking (seed 003).

Each proposal goes to the next meeting of its working group's committee. Its deadlines are
counted back from the meeting: the case approved by the centre chief, then the case to the
executive board. A deadline is missed when it lies before "today", close when it lies within
`close_days`. "Today" is always given, so that the same input gives the same answer.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from .casenumber import committee_abbreviation, format_case_number
from .config import Config, Meeting
from .danish import Period, sort_key
from .model import Proposal


class DeadlineState(StrEnum):
    OK = "ok"
    CLOSE = "tæt på"
    MISSED = "overskredet"


@dataclass(frozen=True)
class Deadline:
    """One deadline before a meeting and how it stands today."""

    what: str
    date: dt.date
    state: DeadlineState


@dataclass(frozen=True)
class Booking:
    """The meeting a proposal goes to, its deadlines, and the first meeting it can still reach."""

    proposal: Proposal
    committee: str
    meeting: Meeting | None
    deadlines: tuple[Deadline, ...]
    first_reachable: Meeting | None
    case_number: str

    @property
    def state(self) -> DeadlineState:
        states = [d.state for d in self.deadlines]
        for state in (DeadlineState.MISSED, DeadlineState.CLOSE):
            if state in states:
                return state
        return DeadlineState.OK


def deadlines_for(meeting: Meeting, config: Config, today: dt.date) -> tuple[Deadline, ...]:
    rules = config.deadlines
    result = []
    for what, days in (("centerchefgodkendt sag", rules.centre_chief_days),
                       ("sag til direktionen", rules.executive_board_days)):
        date = meeting.date - dt.timedelta(days=days)
        if date < today:
            state = DeadlineState.MISSED
        elif (date - today).days <= rules.close_days:
            state = DeadlineState.CLOSE
        else:
            state = DeadlineState.OK
        result.append(Deadline(what=what, date=date, state=state))
    return tuple(result)


def book(proposals: list[Proposal], config: Config, today: dt.date) -> list[Booking]:
    """The meeting, deadlines and case number of every proposal (stable order)."""
    ordered = sorted(proposals, key=lambda p: (sort_key(p.group.name if p.group else ""),
                                               p.number))
    bookings = []
    for index, proposal in enumerate(ordered, start=1):
        committee = proposal.group.committee if proposal.group else ""
        upcoming = [m for m in config.meetings if m.committee == committee and m.date >= today]
        meeting = upcoming[0] if upcoming else None
        deadlines = deadlines_for(meeting, config, today) if meeting else ()
        reachable = next((m for m in upcoming if all(
            d.state is not DeadlineState.MISSED for d in deadlines_for(m, config, today))), None)
        year = (meeting.date if meeting else today).year
        number = format_case_number(config.case_number_pattern, {
            "aar": year, "nr": index, "periode": config.period,
            "udvalg": committee_abbreviation(committee)})
        bookings.append(Booking(proposal=proposal, committee=committee, meeting=meeting,
                                deadlines=deadlines, first_reachable=reachable,
                                case_number=number))
    return bookings


def add_months(date: dt.date, months: int) -> dt.date:
    month = date.month - 1 + months
    year, month = date.year + month // 12, month % 12 + 1
    last = Period(year, month).last_day.day
    return dt.date(year, month, min(date.day, last))


@dataclass(frozen=True)
class FollowUpDue:
    """An intervention whose follow-up has passed or is near."""

    proposal: Proposal
    period: Period
    overdue: bool


def follow_ups_due(proposals: list[Proposal], today: dt.date, months: int) -> list[FollowUpDue]:
    """Follow-ups that have passed (their last day before today) or fall within `months`,
    sorted by responsible centre (Danish order) and date."""
    horizon = add_months(today, months)
    due = []
    for proposal in proposals:
        period = proposal.follow_up.period if proposal.follow_up else None
        if period is None or period.first_day > horizon:
            continue
        due.append(FollowUpDue(proposal=proposal, period=period, overdue=period.last_day < today))
    return sorted(due, key=lambda d: (sort_key(d.proposal.centre), d.period.first_day,
                                      d.proposal.number))
