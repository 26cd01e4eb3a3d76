"""Status over the years and the traffic light of the follow-up overview (seed 003)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from ..danish import Period, format_date

FINISHED = ("Afsluttet", "Afvist")
# Follow-ups due within this many months are yellow (`opfoelgning --maaneder` changes it).
DEFAULT_MONTHS = 3


class Light(StrEnum):
    """The colour of a traffic light; the value is the Danish word."""

    RED = "rød"
    YELLOW = "gul"
    GREEN = "grøn"


@dataclass(frozen=True)
class StatusEntry:
    """A status an intervention got on a date, and where it came from."""

    status: str
    on: dt.date
    source: str = ""


@dataclass(frozen=True)
class TrafficLight:
    """The light of one intervention, as colour and as Danish text."""

    light: Light
    text: str

    @property
    def fill(self) -> str:
        """A pale cell shading for the colour, dark text stays readable on it (hex RGB)."""
        return FILLS[self.light]


FILLS = {Light.RED: "F4C7C3", Light.YELLOW: "FCE8B2", Light.GREEN: "D5E8D4"}


def _add_months(date: dt.date, months: int) -> dt.date:
    month = date.month - 1 + months
    year, month = date.year + month // 12, month % 12 + 1
    last = Period(year, month).last_day.day
    return dt.date(year, month, min(date.day, last))


def _months_text(months: int) -> str:
    return "1 måned" if months == 1 else f"{months} måneder"


def traffic_light(history: list[StatusEntry], follow_up: Period | None, today: dt.date,
                  months: int = DEFAULT_MONTHS) -> TrafficLight:
    """Red: the follow-up has passed without a status given on or after it; yellow: it falls
    within `months`; green: on track, followed up, or finished (Afsluttet/Afvist)."""
    current = history[-1] if history else None
    if current is not None and current.status in FINISHED:
        return TrafficLight(Light.GREEN, f"Grøn: {current.status.lower()} "
                                         f"{format_date(current.on)}")
    if follow_up is None:
        return TrafficLight(Light.YELLOW, "Gul: der er ingen opfølgningsdato")
    when = f"i {follow_up.danish}" if follow_up.day is None else f"den {follow_up.danish}"
    followed = current is not None and current.on >= follow_up.first_day
    if followed:
        return TrafficLight(Light.GREEN, f"Grøn: fulgt op med status »{current.status}« "
                                         f"{format_date(current.on)}")
    if follow_up.last_day < today:
        return TrafficLight(Light.RED, f"Rød: opfølgningen {when} er overskredet")
    if follow_up.first_day <= _add_months(today, months):
        return TrafficLight(Light.YELLOW, f"Gul: opfølgningen {when} er inden for "
                                          f"{_months_text(months)}")
    return TrafficLight(Light.GREEN, f"Grøn: næste opfølgning {when}")


def light_without_history(status: str, follow_up: Period | None, today: dt.date,
                          months: int = DEFAULT_MONTHS) -> TrafficLight:
    """The light from the workbook alone (a run without the register): its Status column has
    no date, so a finished intervention is green and every other is judged by its
    follow-up date."""
    if status in FINISHED:
        return TrafficLight(Light.GREEN, f"Grøn: {status.lower()}")
    return traffic_light([], follow_up, today, months)
