"""Municipality vocabularies and defaults.

The built-in default is collected from the source documents (shared/seeds): the centres and
themes of Ishøj's 2017 follow-up note (seed 003), the focus areas of Køge's working groups
(seed 004), the committees of Ishøj's notes (seeds 001 and 002) and the eleven prevention
packages of the Danish Health Authority. Everything that differs between municipalities lives
here, in one place, so that a later configuration file can replace it.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from pydantic import BaseModel, Field


class Theme(BaseModel, frozen=True):
    """A theme of the health strategy with its overall goals (seed 003)."""

    name: str
    goals: tuple[str, ...] = ()


class Meeting(BaseModel, frozen=True):
    """A committee meeting in the calendar (seed 002)."""

    committee: str
    date: dt.date


class Deadlines(BaseModel, frozen=True):
    """Days before a committee meeting when a case is due (seed 002: "Frist for
    centerchefgodkendt sag ... til SSU-mødet")."""

    centre_chief_days: int = 20
    executive_board_days: int = 14
    close_days: int = 7


class Config(BaseModel, frozen=True):
    """What differs between municipalities."""

    municipality: str = "Ishøj Kommune"
    administration: str = "Sundhedsstaben"
    logo: Path | None = None
    case_number_pattern: str = "{aar}-{nr:03d}"
    period: str = "2026-2029"                  # the policy period: a proposal's identity is in it
    meetings: tuple[Meeting, ...] = ()
    deadlines: Deadlines = Deadlines()
    origins: dict[str, str] = Field(default_factory=dict, exclude=True)
    # Other names for a value of a closed list (`[lister.aliaser]`): alias -> the value.
    aliases: dict[str, str] = Field(default_factory=dict)
    centres: tuple[str, ...]
    committees: tuple[str, ...]
    themes: tuple[Theme, ...]
    focus_areas: tuple[str, ...]
    prevention_packages: tuple[str, ...]
    proposal_kinds: tuple[str, ...] = ("Handlingsforslag", "Udviklingsforslag")
    financing_types: tuple[str, ...] = (
        "Inden for eget budget",
        "Sundhedsområdets midler",
        "Ekstern finansiering",
    )
    statuses: tuple[str, ...] = (
        "Forslag",
        "Prioriteret",
        "Godkendt",
        "Afvist",
        "Igangsat",
        "Afsluttet",
    )
    # Workbook rules (seed 004): 3-8 proposals a group, a summary of about half a page,
    # the whole proposal in at most 5 pages.
    min_proposals: int = 3
    max_proposals: int = 8
    max_summary_chars: int = 1800
    max_pages: int = 5
    chars_per_page: int = Field(default=3000, description="Characters of running text on a page")

    @property
    def theme_names(self) -> tuple[str, ...]:
        return tuple(theme.name for theme in self.themes)

    def theme(self, name: str | None) -> Theme | None:
        return next((t for t in self.themes if t.name == name), None)


DEFAULT_CONFIG = Config(
    centres=(
        "Børn og Forebyggelse",
        "Dagtilbud og Skoler",
        "Kultur og Fritid",
        "Ledelse og HR",
        "Socialservice",
        "Tryghed og Kriminalitet",
        "Ældre og Rehabilitering",
    ),
    committees=(
        "Social- og Sundhedsudvalget",
        "Børne- og Undervisningsudvalget",
        "Byrådet",
    ),
    themes=(
        Theme(
            name="Borgernes mulighed for et sundt hverdagsliv",
            goals=(
                "Færre kronikere og livsstilssyge borgere",
                "Flere borgere er fysisk aktive",
                "Flere borgere oplever at have et godt mentalt helbred",
            ),
        ),
        Theme(
            name="Borgernes mestring af eget liv",
            goals=(
                "Flere syge og udsatte borgere mestrer eget liv",
                "Børn og unge med psykiske udfordringer og/eller misbrug fastholdes i uddannelsessystemet",
                "Borgere med kronisk sygdom lever bedst muligt med deres sygdom",
            ),
        ),
        Theme(
            name="Det borgernære kommunale sundhedsvæsen",
            goals=(
                "Øget sundhed for udsatte grupper",
                "Færre forebyggelige indlæggelser",
                "Færre ældre har et faldende funktionsniveau",
            ),
        ),
    ),
    # Seed 002: the Social- og Sundhedsudvalget meetings of autumn 2023.
    meetings=(
        Meeting(committee="Social- og Sundhedsudvalget", date=dt.date(2023, 10, 12)),
        Meeting(committee="Social- og Sundhedsudvalget", date=dt.date(2023, 12, 14)),
    ),
    focus_areas=("Børn og unge", "Ældre", "Sundt arbejdsliv", "Borgere med kronisk sygdom"),
    prevention_packages=(
        "Alkohol",
        "Fysisk aktivitet",
        "Hygiejne",
        "Indeklima i skoler",
        "Mad og måltider",
        "Mental sundhed",
        "Overvægt",
        "Seksuel sundhed",
        "Solbeskyttelse",
        "Stoffer",
        "Tobak",
    ),
)
