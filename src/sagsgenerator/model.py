"""The proposal and the working group: one source of truth for headers, help, dropdowns and rules.

Every column of the intake standard is a pydantic field whose alias is the exact Danish header,
whose description is the help text shown in the blank workbook, and whose `json_schema_extra`
says how the reader parses it (`kind`), which configured list it must come from (`choices`)
and how wide the column is. The blank workbook, the reader and the validator all read
`PROPOSAL_COLUMNS` / `GROUP_COLUMNS`, derived from the models below.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from decimal import Decimal
from typing import Any, Literal

import datetime as dt
from pydantic import BaseModel, ConfigDict, Field

from .danish import Period
from .findings import Report

Kind = Literal["text", "longtext", "lines", "number", "amount", "period", "followup", "date", "email"]


def column(header: str, help: str, *, kind: Kind = "text", choices: str | None = None,
           width: int = 18, required: bool = True, variants: tuple[str, ...] = (),
           example: str = "", default: Any = None) -> Any:
    """A field that is a column (or label) of the intake workbook."""
    extra = {"kind": kind, "choices": choices, "width": width, "required": required,
             "variants": list(variants), "example": example}
    if required:
        return Field(alias=header, description=help, json_schema_extra=extra)
    return Field(default=default, alias=header, description=help, json_schema_extra=extra)



class FollowUp(BaseModel, frozen=True):
    """When the intervention is followed up: the text as written and the date found in it."""

    text: str
    period: Period | None = None

    def __str__(self) -> str:
        return self.text


class RowSource(BaseModel, frozen=True):
    """Where a proposal was read: file, sheet, row and the cell of each field."""

    file: str
    sheet: str
    row: int
    cells: dict[str, str] = {}
    hidden: bool = False


class WorkingGroup(BaseModel):
    """The sheet "Arbejdsgruppe": who hands in the proposals, and to which committee."""

    model_config = ConfigDict(populate_by_name=True)

    name: str = column("Arbejdsgruppe", "Arbejdsgruppens navn, fx »Børn og unge«.", width=40,
                       example="Børn og unge")
    focus_area: str = column("Fokusområde", "Vælg fokusområdet fra listen.", choices="focus_areas",
                             width=40, example="Børn og unge")
    coordinator: str = column("Tovholder", "Navn på arbejdsgruppens tovholder.", width=40,
                              example="Mette Hansen")
    email: str | None = column("E-mail", "Tovholderens e-mailadresse (frivillig).", kind="email",
                               required=False, width=40, variants=("Email", "Mail"),
                               example="mette.hansen@kommune.dk")
    committee: str = column("Udvalg", "Det udvalg, der skal behandle forslagene. Vælg fra listen.",
                            choices="committees", width=40, example="Social- og Sundhedsudvalget")
    date: dt.date | None = column("Dato", "Dato for udfyldelsen (frivillig).", kind="date",
                                  required=False, width=40, example="15-01-2026")


class Proposal(BaseModel):
    """One indsatsforslag: a row of the sheet "Forslag"."""

    model_config = ConfigDict(populate_by_name=True)

    number: int = column("Nr.", "Forslagets nummer: et helt tal fra 1 til 999, forskelligt for "
                         "hvert forslag i arket.", kind="number", width=6, variants=("Nr", "Nummer"),
                         example="1")
    title: str = column("Titel", "Forslagets titel, højst 120 tegn.", width=34,
                        example="Røgfri skoletid")
    kind: str = column("Forslagstype", "Handlingsforslag bygger på en forebyggelsespakke; "
                       "udviklingsforslag er nye idéer, hvor der ikke findes god viden i forvejen.",
                       choices="proposal_kinds", width=18, variants=("Type",),
                       example="Handlingsforslag")
    package: str | None = column("Forebyggelsespakke", "Sundhedsstyrelsens forebyggelsespakke, "
                                 "som forslaget bygger på. Skal udfyldes for handlingsforslag.",
                                 choices="prevention_packages", required=False, width=20,
                                 example="Tobak")
    theme: str | None = column("Tema", "Sundhedsstrategiens tema. Bruges i opfølgningsoversigten.",
                               choices="theme_names", required=False, width=30,
                               example="Borgernes mulighed for et sundt hverdagsliv")
    area: str = column("Indsatsområde", "Indsatsområdet, fx »Tobak (rygning)« eller "
                       "»Overvægtige børn«.", width=22, example="Tobak (rygning)")
    goal: str = column("Mål", "Det mål, forslaget skal bidrage til, fx »Færre borgere, der ryger "
                       "dagligt«.", kind="longtext", width=30,
                       example="Færre borgere, der ryger dagligt")
    purpose: str = column("Formål og forventet effekt", "Hvad skal indsatsen opnå, og hvilken "
                          "effekt forventes?", kind="longtext", width=45, variants=("Formål",))
    target_group: str = column("Målgruppe", "Målgruppens karakteristik og størrelse.",
                               kind="longtext", width=35)
    problem_size: str = column("Problemets omfang", "Problemets omfang, fx tal fra "
                               "sundhedsprofilen.", kind="longtext", width=35)
    content: str = column("Indhold og rammer", "Hvad gøres, hvordan, hvor og hvor ofte?",
                          kind="longtext", width=45)
    centre: str = column("Ansvarligt center", "Centret med ansvar for koordinationen. "
                         "Vælg fra listen.", choices="centres", width=24, variants=("Ansvarlig",))
    partners: str | None = column("Udførende og samarbejdspartnere", "Hvem udfører indsatsen, "
                                  "og hvem samarbejdes der med?", kind="longtext", required=False,
                                  width=35)
    monitoring: str = column("Monitorering og evaluering", "Hvordan følges og evalueres "
                             "indsatsen?", kind="longtext", width=35)
    indicators: list[str] = column("Målindikatorer", "Én målindikator pr. linje (Alt+Enter for "
                                   "ny linje i Excel).", kind="lines", width=30)
    start: Period | None = column("Opstart", "Hvornår indsatsen starter: en dato eller en måned, "
                                  "fx »marts 2026«. Skal udfyldes, når forslaget er prioriteret.",
                                  kind="period", required=False, width=14)
    follow_up: FollowUp | None = column("Opfølgning", "Hvornår der følges op, fx »Slut-evaluering "
                                        "april 2027« eller »Okt. 2027«.", kind="followup",
                                        required=False, width=22)
    cost_start: Decimal = column("Ressourcer opstart (kr.)", "Forventede ressourcer ved opstart i "
                                 "kroner, fx 50.000. Skriv 0, hvis der ingen er.", kind="amount",
                                 width=16)
    cost_yearly: Decimal = column("Ressourcer drift pr. år (kr.)", "Forventede ressourcer til "
                                  "drift pr. år i kroner. Skriv 0, hvis der ingen er.",
                                  kind="amount", width=16)
    financing: str = column("Finansiering", "Hvordan indsatsen finansieres. Vælg fra listen.",
                            choices="financing_types", width=24)
    summary: str = column("Resumé (ca. ½ side)", "Sammenfatning til politisk behandling, ca. en "
                          "halv side (højst 1.800 tegn).", kind="longtext", width=50,
                          variants=("Resumé", "Resume", "Sammenfatning"))
    priority: int | None = column("Prioritet", "Prioritet (1 er højest). Udfyldes af chefgruppen.",
                                  kind="number", required=False, width=10)
    owner: str | None = column("Projektejer", "Projektejer. Udfyldes af chefgruppen.",
                               required=False, width=24)
    status: str = column("Status", "Forslagets status. Tom betyder »Forslag«.", choices="statuses",
                         required=False, width=14, default="Forslag")

    # Not columns: filled in by the reader.
    source: RowSource | None = Field(default=None, exclude=True)
    group: WorkingGroup | None = Field(default=None, exclude=True)

    @property
    def total_first_year(self) -> Decimal:
        return self.cost_start + self.cost_yearly


@dataclass(frozen=True)
class Column:
    """A column of the intake workbook, derived from a model field."""

    field: str
    header: str
    help: str
    kind: Kind
    choices: str | None
    required: bool
    width: int
    variants: tuple[str, ...]
    example: str


def columns_of(model: type[BaseModel]) -> tuple[Column, ...]:
    """The workbook columns of a model, in field order."""
    result = []
    for name, info in model.model_fields.items():
        extra = info.json_schema_extra
        if not isinstance(extra, dict) or info.alias is None:
            continue
        result.append(Column(
            field=name, header=info.alias, help=info.description or "", kind=extra["kind"],
            choices=extra["choices"], required=extra["required"], width=extra["width"],
            variants=tuple(extra["variants"]), example=extra["example"],
        ))
    return tuple(result)


PROPOSAL_COLUMNS = columns_of(Proposal)
GROUP_COLUMNS = columns_of(WorkingGroup)
COLUMNS_BY_FIELD: dict[type[BaseModel], dict[str, Column]] = {
    Proposal: {c.field: c for c in PROPOSAL_COLUMNS},
    WorkingGroup: {c.field: c for c in GROUP_COLUMNS},
}
PROPOSAL_SHEET = "Forslag"
# The hidden column of handleplan.xlsx that maps each row to its proposal in the register.
KEY_HEADER = "Nøgle"
GROUP_SHEET = "Arbejdsgruppe"
GUIDE_SHEET = "Vejledning"
LISTS_SHEET = "Lister"


@dataclass
class Intake:
    """One validated workbook: its working group, its valid proposals and its report."""

    path: Path
    name: str
    group: WorkingGroup | None
    proposals: list[Proposal]
    report: Report
    numbers: list[int] = field(default_factory=list)    # every Nr. read, valid rows or not
