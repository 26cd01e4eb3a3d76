"""Sagsfremstilling: the committee case paper, one per proposal."""

from __future__ import annotations

import datetime as dt

from ..config import Config
from ..render.context import (BLANK_LINE, NOT_SET, Item, amount, background, budget, budget_first_year,
                              date_text, financing_phrase, header_block, proposal_fields,
                              recommendation, slug)
from ..render.values import Properties
from .base import Planned, author


def file_name(item: Item) -> str:
    """Stable in any batch: group, number and title, e.g.
    'sagsfremstilling-boern-og-unge-03-roegfri-skoletid.docx'."""
    p = item.proposal
    return f"sagsfremstilling-{item.group_slug}-{p.number:02d}-{slug(p.title)}.docx"


def economy_text(item: Item) -> str:
    """The economy in one sentence, before the table per budget year."""
    p = item.proposal
    if not p.cost_start and not p.cost_yearly:
        return "Indsatsen gennemføres uden ekstra udgifter."
    parts = []
    if p.cost_start:
        parts.append(f"en opstartsudgift på {amount(p.cost_start)}")
    if p.cost_yearly:
        parts.append(f"en driftsudgift på {amount(p.cost_yearly)} om året")
    start = f" fra {p.start.danish}" if p.start else ""
    return (f"Indsatsen har {' og '.join(parts)}{start}, som {financing_phrase(p.financing)}. "
            "Tabellen viser udgifterne fordelt på budgetår.")


def context(item: Item, config: Config, today: dt.date | None = None) -> dict:
    p = item.proposal
    return {
        **header_block(config, item.committee, item.meeting, item.case_number),
        "p": proposal_fields(item),
        "date": date_text(today) if today else NOT_SET,
        "recommendation": recommendation(item),
        "background": background(item),
        "owner": p.owner or "Udpeges af chefgruppen",
        "economy_text": economy_text(item),
        "budget": budget([item], budget_first_year([item], today), by_financing=False),
        "decision": BLANK_LINE,  # left for the committee
        "attachments": [],
    }


def plan(items: list[Item], config: Config) -> list[Planned]:
    today = getattr(items, "today", None)
    return [Planned(name=file_name(item), template="sagsfremstilling",
                    properties=Properties(title=item.proposal.title,
                                          subject=f"Sagsfremstilling – arbejdsgruppen {item.group}",
                                          author=author(config),
                                          keywords="sagsfremstilling; indsatsforslag"),
                    context=context(item, config, today))
            for item in items]
