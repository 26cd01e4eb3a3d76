"""Samlet udvalgssag: one case per committee that puts the prioritised plan before it."""

from __future__ import annotations

from ..config import Config
from ..danish import sort_key
from ..render.context import (NO_COMMITTEE, Item, group_by, header_block, join_danish,
                              priority_order, proposal_fields, slug, totals)
from ..render.engine import Properties
from .base import Planned, author

TITLE = "Prioriteret handleplan for sundhedsindsatser"
ATTACHMENTS = ["1. Idékatalog", "2. Handleplan"]


def committees(items: list[Item], config: Config) -> list[tuple[str | None, list[Item]]]:
    """Committees in configured order, others alphabetically, proposals without one last."""
    def order(entry):
        name = entry[0]
        if name in config.committees:
            return (0, config.committees.index(name), sort_key(""))
        return (1 if name else 2, 0, sort_key(name or ""))
    return sorted(group_by(items, lambda i: i.committee), key=order)


def file_name(committee: str | None) -> str:
    return f"udvalgssag-{slug(committee) if committee else 'uden-udvalg'}.docx"


def context(committee: str | None, items: list[Item], config: Config) -> dict:
    prioritised = sorted((i for i in items if i.proposal.priority is not None), key=priority_order)
    chosen = prioritised or sorted(items, key=priority_order)
    total = totals(chosen)
    groups = group_by(items, lambda i: i.group)
    names = join_danish([name for name, _ in groups])
    who = f"Arbejdsgruppen {names}" if len(groups) == 1 else f"Arbejdsgrupperne {names}"
    addressee = committee or NO_COMMITTEE.lower()
    economy = f"{total['cost_start']} i opstart og {total['cost_yearly']} årligt i drift"
    if prioritised:
        summary = (f"{who} har udarbejdet {len(items)} indsatsforslag, som er samlet i et "
                   f"idékatalog (bilag 1). Efter dialog med chefgrupperne er {len(prioritised)} "
                   f"af forslagene prioriteret i en handleplan (bilag 2). De prioriterede "
                   f"indsatser kræver samlet {economy}.")
        recommendation = (f"Administrationen indstiller, at {addressee} godkender handleplanen "
                          f"med de {len(prioritised)} prioriterede indsatser, og at "
                          f"opstartsudgifterne på i alt {total['cost_start']} og "
                          f"driftsudgifterne på i alt {total['cost_yearly']} årligt finansieres "
                          "som angivet i handleplanen.")
        table_heading = "Prioriterede indsatser"
    else:
        summary = (f"{who} har udarbejdet {len(items)} indsatsforslag, som er samlet i et "
                   "idékatalog (bilag 1). Forslagene er endnu ikke prioriteret. Tilsammen "
                   f"kræver de {economy}.")
        recommendation = (f"Administrationen indstiller, at {addressee} drøfter de "
                          f"{len(items)} forslag og prioriterer dem til handleplanen.")
        table_heading = "Forslag"
    case_text = [
        "Kommunens sundhedspolitik omsættes til praksis gennem handleplaner med forslag til "
        "indsatser på udvalgte fokusområder. Arbejdsgrupper med medarbejdere fra "
        "forvaltningerne har beskrevet forslagene, og chefgrupperne har drøftet ansvar, "
        "økonomi og tidspunkt for opstart.",
    ]
    for name, group_items in groups:
        count = sum(1 for i in group_items if i.proposal.priority is not None)
        case_text.append(f"Arbejdsgruppen {name} (fokusområde: {group_items[0].focus_area}) har "
                         f"udarbejdet {len(group_items)} forslag, hvoraf {count} er prioriteret.")
    case_text.append("Tabellen viser indsatserne i prioriteret rækkefølge. Hver indsats er "
                     "beskrevet i idékataloget, og handleplanen angiver formål, ansvar, opstart "
                     "og finansiering.")
    financing = []
    for name, group in sorted(group_by(chosen, lambda i: i.proposal.financing),
                              key=lambda e: (config.financing_types.index(e[0])
                                             if e[0] in config.financing_types else 99,
                                             sort_key(e[0]))):
        financing.append({"name": name, **totals(group)})
    return {
        **header_block(config, committee, _meeting(items), items[0].committee_case_number),
        "title": TITLE,
        "summary": summary,
        "recommendation": recommendation,
        "case_text": case_text,
        "table_heading": table_heading,
        "proposals": [proposal_fields(i) for i in chosen],
        "total": total,
        "economy_text": (f"Indsatserne i tabellen ovenfor kræver i alt {economy}. Tabellen "
                         "viser fordelingen på finansieringskilder."),
        "financing": financing,
        "attachments": ATTACHMENTS,
    }


def plan(items: list[Item], config: Config) -> list[Planned]:
    return [Planned(name=file_name(committee), template="udvalgssag",
                    properties=Properties(title=f"{TITLE} – {committee or NO_COMMITTEE}",
                                          subject="Samlet udvalgssag", author=author(config),
                                          keywords="udvalgssag; handleplan"),
                    context=context(committee, group, config))
            for committee, group in committees(items, config)]


def _meeting(members: list[Item]):
    """The committee's meeting: the one most of its proposals go to."""
    dates = [item.meeting for item in members if item.meeting]
    return max(set(dates), key=lambda d: (dates.count(d), -d.toordinal())) if dates else None
