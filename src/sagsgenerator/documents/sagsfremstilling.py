"""Sagsfremstilling: the committee case paper, one per proposal."""

from __future__ import annotations

from ..config import Config
from ..render.context import (Item, background, header_block, proposal_fields, recommendation,
                              slug)
from ..render.engine import Properties
from .base import Planned, author


def file_name(item: Item) -> str:
    """Stable in any batch: group, number and title, e.g.
    'sagsfremstilling-boern-og-unge-03-roegfri-skoletid.docx'."""
    p = item.proposal
    return f"sagsfremstilling-{item.group_slug}-{p.number:02d}-{slug(p.title)}.docx"


def context(item: Item, config: Config) -> dict:
    p = item.proposal
    return {
        **header_block(config, item.committee, item.meeting, item.case_number),
        "p": proposal_fields(item),
        "recommendation": recommendation(item),
        "background": background(item),
        "owner": p.owner or "Udpeges af chefgruppen",
        "attachments": [],
    }


def plan(items: list[Item], config: Config) -> list[Planned]:
    return [Planned(name=file_name(item), template="sagsfremstilling",
                    properties=Properties(title=item.proposal.title,
                                          subject=f"Sagsfremstilling – arbejdsgruppen {item.group}",
                                          author=author(config),
                                          keywords="sagsfremstilling; indsatsforslag"),
                    context=context(item, config))
            for item in items]
