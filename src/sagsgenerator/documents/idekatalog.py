"""Idékatalog: every proposal on about half a page, by focus area and working group."""

from __future__ import annotations

from ..config import Config
from ..danish import paragraphs_of
from ..render.context import (logo, Item, count_text, date_text, group_by, join_danish,
                              proposal_fields, same_name, totals)
from ..render.values import Properties
from .base import Planned, author

TITLE = "Idékatalog"


def _card(item: Item) -> dict:
    fields = proposal_fields(item)
    fields["resources"] = (f"opstart {fields['cost_start']}, drift {fields['cost_yearly']} pr. år"
                           f" – {fields['financing']}")
    fields["target_group_line"] = " ".join(paragraphs_of(item.proposal.target_group))
    return fields


def numbers_text(items: list[Item]) -> str:
    """'BU-1–BU-5 (Nr. 1–5 i arbejdsgruppens skema)': the catalogue's numbers and the
    workbook's, where the group is named."""
    first, last = items[0], items[-1]
    if len(items) == 1:
        return f"{first.display_number} (Nr. {first.proposal.number} i arbejdsgruppens skema)"
    return (f"{first.display_number}–{last.display_number} (Nr. {first.proposal.number}–"
            f"{last.proposal.number} i arbejdsgruppens skema)")


def _group_intro(items: list[Item], named: bool) -> str:
    """The line under a group: who, to which committee, how many, numbered how."""
    group = items[0].working_group
    parts = [] if named else [f"Arbejdsgruppen {items[0].group}"]
    if group is not None:
        parts += [f"Tovholder: {group.coordinator}", f"Udvalg: {group.committee}"]
    parts.append(f"{count_text(len(items))}, nr. {numbers_text(items)}")
    return " · ".join(parts)


def context(items: list[Item], config: Config) -> dict:
    today = getattr(items, "today", None)
    groups = [g for _, g in group_by(items, lambda i: i.group)]
    areas = []
    toc = [{"level": 1, "text": "Oversigt over forslagene"}]
    for area, area_items in group_by(items, lambda i: i.focus_area):
        area_groups = []
        toc.append({"level": 1, "text": area})
        for name, group_items in group_by(area_items, lambda i: i.group):
            # A group named after its focus area: its name once (the area's heading).
            heading = "" if same_name(name, area) else f"Arbejdsgruppen {name}"
            if heading:
                toc.append({"level": 2, "text": heading})
            cards = [_card(i) for i in group_items]
            toc += [{"level": 3 if heading else 2, "text": f"{c['nr']} {c['title']}"}
                    for c in cards]
            area_groups.append({"heading": heading,
                                "intro": _group_intro(group_items, named=bool(heading)),
                                "proposals": cards})
        areas.append({"name": area, "groups": area_groups})
    names = [g[0].group for g in groups]
    noun = "arbejdsgruppen" if len(names) == 1 else "arbejdsgrupperne"
    return {
        "header_text": f"{config.municipality} · {TITLE}",
        "municipality": config.municipality,
        "logo": logo(config),
        "administration": config.administration,
        "date": date_text(today) if today else "",
        "title": TITLE,
        "subtitle": "Forslag til sundhedsindsatser fra arbejdsgrupperne",
        "intro": (f"Kataloget samler {count_text(len(items), 'indsatsforslag')} fra {noun} "
                  f"{join_danish(names)}. Hvert forslag er beskrevet på cirka en halv side som "
                  "grundlag for dialog og prioritering i chefgrupperne. Forslagene er nummereret "
                  "med arbejdsgruppens forkortelse og nummeret i arbejdsgruppens skema, fx "
                  f"{items[0].display_number}. Oversigten forrest viser ressourcer og "
                  "finansiering for alle forslag."),
        "toc": toc,
        "overview": [{"name": (g[0].focus_area if same_name(g[0].group, g[0].focus_area)
                               else f"{g[0].focus_area} – arbejdsgruppen {g[0].group}"),
                      "proposals": [proposal_fields(i) for i in g]} for g in groups],
        "total": totals(items),
        "areas": areas,
    }


def plan(items: list[Item], config: Config) -> list[Planned]:
    return [Planned(name="idekatalog.docx", template="idekatalog",
                    properties=Properties(title=TITLE, subject="Idékatalog over indsatsforslag",
                                          author=author(config),
                                          keywords="idékatalog; indsatsforslag"),
                    context=context(items, config))]
