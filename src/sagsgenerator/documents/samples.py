"""A sample batch and a real context of every document kind, for the template checker and
the Danish variable reference: what a template may use is taken from the code itself."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

from ..config import DEFAULT_CONFIG, Config
from ..findings import Report
from ..model import PROPOSAL_COLUMNS, Intake, Proposal, RowSource, WorkingGroup
from ..validation.cells import Place
from ..validation.validate import validate_values


def sample_intake(config: Config = DEFAULT_CONFIG) -> Intake:
    """Two valid proposals of one working group, built through the validator, as a batch."""
    group, found = validate_values(WorkingGroup, {
        "name": "Eksempelgruppe", "focus_area": config.focus_areas[0], "coordinator": "Tovholder",
        "committee": config.committees[0], "date": dt.date(2026, 1, 1)}, config,
        Place(WorkingGroup, "eksempel.xlsx", "Arbejdsgruppe", {}))
    assert group is not None, found
    proposals = []
    for number in (1, 2):
        values: dict[str, Any] = {c.field: c.example or "Tekst" for c in PROPOSAL_COLUMNS}
        values.update(number=number, title=f"Eksempel {number}", kind=config.proposal_kinds[0],
                      package=config.prevention_packages[0], theme=config.theme_names[0],
                      centre=config.centres[0], financing=config.financing_types[0],
                      status=config.statuses[0], indicators="Indikator", start="marts 2026",
                      follow_up="april 2027", cost_start=Decimal(1000), cost_yearly=Decimal(0),
                      priority=number)
        proposal, found = validate_values(Proposal, values, config,
                                          Place(Proposal, "eksempel.xlsx", "Forslag", {}, number + 1))
        assert proposal is not None, found
        proposal.source = RowSource(file="eksempel.xlsx", sheet="Forslag", row=number + 1)
        proposal.group = group
        proposals.append(proposal)
    return Intake(path=Path("eksempel.xlsx"), name="eksempel.xlsx", group=group,
                  proposals=proposals, report=Report())


def sample_contexts(config: Config = DEFAULT_CONFIG) -> dict[str, dict[str, Any]]:
    """A real context of every document kind, for the sample batch."""
    from . import KINDS, MODULES
    from ..render.context import batch_items

    items = batch_items([sample_intake(config)], config, today=None)
    return {kind: MODULES[kind].plan(items, config)[0].context for kind in KINDS}
