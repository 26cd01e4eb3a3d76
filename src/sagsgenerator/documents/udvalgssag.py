"""Samlet udvalgssag: one case per committee that puts the prioritised plan before it."""

from __future__ import annotations

from ..config import Config
from ..danish import number_word, sort_key
from ..render.context import (BLANK_LINE, NO_COMMITTEE, NOT_SET, Item, budget, budget_first_year,
                              date_text, group_by, header_block, join_danish, priority_order,
                              proposal_fields, same_name, slug, totals)
from ..render.values import Properties
from .base import Planned, author

TITLE = "Prioriteret handleplan for sundhedsindsatser"
UNPRIORITISED_TITLE = "Forslag til handleplan for sundhedsindsatser"


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


def counted(n: int, singular: str, plural: str, neuter: bool = True) -> str:
    """'fem forslag', 'én indsats', 'tre indsatser'."""
    return f"{number_word(n, neuter)} {singular if n == 1 else plural}"


def _group_sentence(name: str, area: str, group_items: list[Item]) -> str:
    chosen = sorted((i for i in group_items if i.prioritised), key=priority_order)
    where = "" if same_name(name, area) else f" under fokusområdet {area}"
    text = (f"Arbejdsgruppen {name}{where} har udarbejdet "
            f"{counted(len(group_items), 'forslag', 'forslag')}")
    if not chosen:
        return text + ". Ingen af dem er prioriteret endnu."
    if len(chosen) == len(group_items):
        return text + (", som alle er prioriteret." if len(chosen) > 1 else ", som er prioriteret.")
    numbers = join_danish([i.display_number for i in chosen])
    return text + f", og chefgrupperne har prioriteret forslag {numbers}."


def held_back_lines(held_back, items: list[Item], all_items: list[Item]) -> list[str]:
    """'5 forslag fra Arbejdsgruppen Ældre afventer rettelser …' for the groups of this
    committee (and groups whose committee the batch does not know)."""
    own = {i.group for i in items}
    known = {i.group for i in all_items}
    lines = []
    for group, count in held_back:
        if count <= 0 or (group in known and group not in own):
            continue
        lines.append(f"{counted(count, 'forslag', 'forslag').capitalize()} fra arbejdsgruppen "
                     f"{group} afventer rettelser og er ikke med i sagen.")
    return lines


def context(committee: str | None, items: list[Item], config: Config, today=None,
            case_number: str | None = None, held_back=(), all_items=None) -> dict:
    prioritised = sorted((i for i in items if i.prioritised), key=priority_order)
    chosen = prioritised or sorted(items, key=priority_order)
    total = totals(chosen)
    groups = group_by(items, lambda i: i.group)
    names = join_danish([name for name, _ in groups])
    who = f"Arbejdsgruppen {names}" if len(groups) == 1 else f"Arbejdsgrupperne {names}"
    addressee = committee or NO_COMMITTEE.lower()
    economy = f"{total['cost_start']} i opstart og {total['cost_yearly']} om året i drift"
    handed_in = counted(len(items), "indsatsforslag", "indsatsforslag")
    if prioritised:
        k = len(prioritised)
        summary = (f"{who} har udarbejdet {handed_in}, som er samlet i et idékatalog (bilag 1). "
                   f"Chefgrupperne har drøftet forslagene og prioriteret "
                   f"{counted(k, 'indsats', 'indsatser', neuter=False)} i en handleplan "
                   f"(bilag 2). {'Den prioriterede indsats koster' if k == 1 else 'De prioriterede indsatser koster tilsammen'} "
                   f"{economy}.")
        which = ("den prioriterede indsats" if k == 1
                 else f"de {number_word(k, neuter=False)} prioriterede indsatser")
        recommendation = (f"Administrationen indstiller, at {addressee} godkender handleplanen "
                          f"med {which}, og at opstartsudgifterne på i alt {total['cost_start']} "
                          f"og driftsudgifterne på i alt {total['cost_yearly']} om året "
                          "finansieres som angivet i handleplanen.")
        table_heading = "Prioriterede indsatser"
        title = TITLE
    else:
        summary = (f"{who} har udarbejdet {handed_in}, som er samlet i et idékatalog (bilag 1). "
                   "Forslagene er endnu ikke prioriteret. Tilsammen koster de "
                   f"{economy}.")
        recommendation = (f"Administrationen indstiller, at {addressee} drøfter "
                          f"{'forslaget' if len(items) == 1 else 'forslagene'} og giver "
                          "chefgrupperne sine prioriteringer med til handleplanen.")
        table_heading = "Forslagene"
        title = UNPRIORITISED_TITLE
    case_text = [
        "Kommunens sundhedspolitik omsættes til praksis gennem handleplaner med forslag til "
        "indsatser på udvalgte fokusområder. Arbejdsgrupper med medarbejdere fra "
        "forvaltningerne har beskrevet forslagene, og chefgrupperne har drøftet ansvar, "
        "økonomi og tidspunkt for opstart.",
    ]
    for name, group_items in groups:
        case_text.append(_group_sentence(name, group_items[0].focus_area, group_items))
    case_text.append(
        ("Tabellen viser de prioriterede indsatser i prioriteret rækkefølge. " if prioritised
         else "Tabellen viser forslagene i nummerorden. ")
        + "Hvert forslag er beskrevet i idékataloget og i sin egen sagsfremstilling"
        + (", og handleplanen angiver formål, ansvar, opstart og finansiering." if prioritised
           else "."))
    financing = []
    for name, group in sorted(group_by(chosen, lambda i: i.proposal.financing),
                              key=lambda e: (config.financing_types.index(e[0])
                                             if e[0] in config.financing_types else 99,
                                             sort_key(e[0]))):
        financing.append({"name": name, **totals(group)})
    meeting = _meeting(items)
    first_year = budget_first_year(items, today)
    attachments = ["Bilag 1: Idékatalog"]
    if prioritised:
        attachments.append("Bilag 2: Handleplan")
    attachments += [f"Bilag {n}: Sagsfremstilling {i.display_number} »{i.proposal.title}«"
                    for n, i in enumerate(chosen, start=len(attachments) + 1)]
    return {
        **header_block(config, committee, meeting, case_number),
        "date": date_text(today) if today else NOT_SET,
        "title": title,
        "summary": summary,
        "recommendation": recommendation,
        "case_text": case_text,
        "table_heading": table_heading,
        "proposals": [proposal_fields(i) for i in chosen],
        "held_back": held_back_lines(held_back, items, all_items or items),
        "total": total,
        "economy_text": (f"{'De prioriterede indsatser' if prioritised else 'Forslagene'} "
                         f"koster i alt {economy}. Tabellerne viser fordelingen på "
                         "finansieringskilder og på budgetår."),
        "financing": financing,
        "budget": budget(chosen, first_year, financing_order=config.financing_types),
        "decision": BLANK_LINE,  # left for the committee
        "attachments": attachments,
    }


def plan(items: list[Item], config: Config) -> list[Planned]:
    today = getattr(items, "today", None)
    numbers = getattr(items, "committee_case_numbers", {}) or {}
    held_back = getattr(items, "held_back", ())
    planned = []
    for committee, group in committees(items, config):
        ctx = context(committee, group, config, today, numbers.get(committee or ""),
                      held_back, list(items))
        planned.append(Planned(
            name=file_name(committee), template="udvalgssag",
            properties=Properties(title=f"{ctx['title']} – {committee or NO_COMMITTEE}",
                                  subject="Samlet udvalgssag", author=author(config),
                                  keywords="udvalgssag; handleplan"),
            context=ctx))
    return planned


def _meeting(members: list[Item]):
    """The committee's meeting: the one most of its proposals go to."""
    dates = [item.meeting for item in members if item.meeting]
    return max(set(dates), key=lambda d: (dates.count(d), -d.toordinal())) if dates else None
