"""The pages over the register: Forslag, Ændringer, Kalender, Opfølgning, Beslutninger."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
