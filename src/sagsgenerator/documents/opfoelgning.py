"""Opfølgning: the follow-up overview in the layout of the 2017 note (seed 003): a section per
Tema with its overall goals, then Mål / Projekter/Indsatser / Ansvarlig / Målindikatorer /
Opfølgning, the Mål cell merged over its interventions."""

from __future__ import annotations

from ..config import Config
from ..danish import sort_key
from ..render.context import Item, date_text, group_by, proposal_fields
from ..render.values import Properties
from ..register.status import DEFAULT_MONTHS, Light, TrafficLight, light_without_history
from .base import Planned, author

TITLE = "Opfølgning på sundhedsstrategien"
NO_THEME = "Uden tema"


def description(item: Item) -> str:
    """One line under the title, as the 2017 note (seed 003) writes it: the kind and its
    period, 'Handlingsforslag 2026–2027'."""
    p = item.proposal
    years = [p.start.year] if p.start else []
    if p.follow_up and p.follow_up.period:
        years.append(p.follow_up.period.year)
    period = ""
    if years:
        first, last = min(years), max(years)
        period = f" {first}" if first == last else f" {first}–{last}"
    return f"{p.kind}{period}"


def light_of(item: Item, lights: dict, today) -> TrafficLight | None:
    """The register's light of the intervention; without the register, the light its
    workbook gives (Status and follow-up date); none without a run date."""
    light = lights.get((item.group, item.proposal.number))
    if light is None and today is not None:
        p = item.proposal
        light = light_without_history(p.status or "", p.follow_up.period if p.follow_up else None,
                                      today)
    return light


def _rows(items: list[Item], lights: dict, today) -> list[dict]:
    """One row group per Indsatsområde + Mål; its interventions follow each other."""
    ordered = sorted(items, key=lambda i: (sort_key(i.proposal.area), sort_key(i.proposal.goal)))
    rows = []
    for (area, goal), group in group_by(ordered, lambda i: (i.proposal.area, i.proposal.goal)):
        cards = []
        for item in group:
            fields = proposal_fields(item)
            fields["description"] = description(item)
            light = light_of(item, lights, today)
            # Colour and text: the text names the colour, for print in black and white and
            # for readers who do not see the colour.
            fields["light"] = light.light.value if light else ""
            fields["light_text"] = light.text if light else ""
            fields["light_fill"] = light.fill if light else "FFFFFF"
            cards.append(fields)
        rows.append({"area": area, "goal": goal, "proposals": cards})
    return rows


PLURAL = {Light.RED: "røde", Light.YELLOW: "gule", Light.GREEN: "grønne"}


def _count(n: int, colour: Light) -> str:
    return f"{n} {colour.value if n == 1 else PLURAL[colour]}"


def light_summary(lights: list[TrafficLight], today) -> str:
    """'Trafiklys pr. 2. december 2026: 1 rød, 2 gule og 6 grønne.'"""
    if not lights or today is None:
        return ""
    parts = [_count(sum(l.light == c for l in lights), c)
             for c in (Light.RED, Light.YELLOW, Light.GREEN)]
    return f"Trafiklys pr. {date_text(today)}: {parts[0]}, {parts[1]} og {parts[2]}."


LEGEND = ("Rød: opfølgningsdatoen er passeret, uden at der er givet en nyere status. "
          f"Gul: opfølgningen falder inden for de næste {DEFAULT_MONTHS} måneder, eller der "
          "mangler en opfølgningsdato. Grøn: indsatsen er på sporet, fulgt op eller afsluttet.")


def context(items: list[Item], config: Config) -> dict:
    today = getattr(items, "today", None)
    lights = dict(getattr(items, "traffic_lights", {}) or {})
    themes = []
    for number, theme in enumerate(config.themes, start=1):
        chosen = [i for i in items if i.proposal.theme == theme.name]
        if chosen:
            themes.append({"heading": f"Tema {number}: {theme.name}", "goals": list(theme.goals),
                           "rows": _rows(chosen, lights, today)})
    known = set(config.theme_names)
    without = [i for i in items if i.proposal.theme not in known]
    if without:
        themes.append({"heading": NO_THEME, "goals": [], "rows": _rows(without, lights, today)})
    shown = [light for item in items if (light := light_of(item, lights, today))]
    return {
        "header_text": f"{config.municipality} · Opfølgning",
        "municipality": config.municipality,
        "date": date_text(today) if today else "",
        "subtitle": f"{config.municipality}, {config.administration}"
                    + (f" · {date_text(today)}" if today else ""),
        "title": TITLE,
        "intro": ("Opfølgningen er inddelt efter sundhedsstrategiens temaer. Under hvert tema står "
                  "de overordnede mål, og tabellen viser for hvert indsatsområde og mål de "
                  "projekter og indsatser, der skal bidrage til målet, hvem der er ansvarlig, "
                  "hvilke målindikatorer der følges, og hvornår der følges op."),
        "themes": themes,
        "light_summary": light_summary(shown, today),
        "light_legend": LEGEND if shown else "",
    }


def plan(items: list[Item], config: Config) -> list[Planned]:
    return [Planned(name="opfoelgning.docx", template="opfoelgning",
                    properties=Properties(title=TITLE, subject="Opfølgningsoversigt",
                                          author=author(config),
                                          keywords="opfølgning; sundhedsstrategi"),
                    context=context(items, config))]
