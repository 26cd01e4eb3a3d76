"""Opfølgning: the follow-up overview in the layout of the 2017 note (seed 003): a section per
Tema with its overall goals, then Mål / Projekter/Indsatser / Ansvarlig / Målindikatorer /
Opfølgning, the Mål cell merged over its interventions."""

from __future__ import annotations

from ..config import Config
from ..danish import sort_key
from ..render.context import Item, date_text, group_by, proposal_fields
from ..render.engine import Properties
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


def _rows(items: list[Item]) -> list[dict]:
    """One row group per Indsatsområde + Mål; its interventions follow each other."""
    ordered = sorted(items, key=lambda i: (sort_key(i.proposal.area), sort_key(i.proposal.goal)))
    rows = []
    for (area, goal), group in group_by(ordered, lambda i: (i.proposal.area, i.proposal.goal)):
        cards = []
        for item in group:
            fields = proposal_fields(item)
            fields["description"] = description(item)
            cards.append(fields)
        rows.append({"area": area, "goal": goal, "proposals": cards})
    return rows


def context(items: list[Item], config: Config) -> dict:
    themes = []
    for number, theme in enumerate(config.themes, start=1):
        chosen = [i for i in items if i.proposal.theme == theme.name]
        if chosen:
            themes.append({"heading": f"Tema {number}: {theme.name}", "goals": list(theme.goals),
                           "rows": _rows(chosen)})
    known = set(config.theme_names)
    without = [i for i in items if i.proposal.theme not in known]
    if without:
        themes.append({"heading": NO_THEME, "goals": [], "rows": _rows(without)})
    today = getattr(items, "today", None)
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
    }


def plan(items: list[Item], config: Config) -> list[Planned]:
    return [Planned(name="opfoelgning.docx", template="opfoelgning",
                    properties=Properties(title=TITLE, subject="Opfølgningsoversigt",
                                          author=author(config),
                                          keywords="opfølgning; sundhedsstrategi"),
                    context=context(items, config))]
