"""Idékatalog: every proposal on about half a page, by focus area and working group."""

from __future__ import annotations

from ..config import Config
from ..render.context import logo, Item, group_by, join_danish, proposal_fields, totals
from ..render.engine import Properties
from .base import Planned, author

TITLE = "Idékatalog"


def _card(item: Item) -> dict:
    fields = proposal_fields(item)
    fields["resources"] = (f"opstart {fields['cost_start']}, drift {fields['cost_yearly']} pr. år"
                           f" – {fields['financing']}")
    return fields


def _group_intro(items: list[Item]) -> str:
    group = items[0].working_group
    count = f"{len(items)} forslag" if len(items) != 1 else "1 forslag"
    if group is None:
        return count
    return f"Tovholder: {group.coordinator} · Udvalg: {group.committee} · {count}"


def context(items: list[Item], config: Config) -> dict:
    groups = [g for _, g in group_by(items, lambda i: i.group)]
    areas = []
    toc = [{"level": 1, "text": "Oversigt over forslagene"}]
    for area, area_items in group_by(items, lambda i: i.focus_area):
        area_groups = []
        toc.append({"level": 1, "text": area})
        for name, group_items in group_by(area_items, lambda i: i.group):
            heading = f"Arbejdsgruppen {name}"
            toc.append({"level": 2, "text": heading})
            cards = [_card(i) for i in group_items]
            toc += [{"level": 3, "text": f"{c['nr']}. {c['title']}"} for c in cards]
            area_groups.append({"heading": heading, "intro": _group_intro(group_items),
                                "proposals": cards})
        areas.append({"name": area, "groups": area_groups})
    names = [g[0].group for g in groups]
    noun = "arbejdsgruppen" if len(names) == 1 else "arbejdsgrupperne"
    return {
        "header_text": f"{config.municipality} · {TITLE}",
        "municipality": config.municipality,
        "logo": logo(config),
        "administration": config.administration,
        "title": TITLE,
        "subtitle": "Forslag til sundhedsindsatser fra arbejdsgrupperne",
        "intro": (f"Kataloget samler {len(items)} indsatsforslag fra {noun} "
                  f"{join_danish(names)}. Hvert forslag er beskrevet på cirka en halv side til "
                  "dialog og prioritering i chefgrupperne. Oversigten først i kataloget viser "
                  "ressourcer og finansiering for alle forslag."),
        "toc": toc,
        "overview": [{"name": f"{g[0].focus_area} – arbejdsgruppen {g[0].group}",
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
