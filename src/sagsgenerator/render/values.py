"""What the documents' plans hand the engine besides plain data: pictures and core properties.

Kept apart from engine.py so that planning a document (and the process that only plans, reads
or writes workbooks) does not load docx, docxtpl and Jinja.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

# Fixed timestamps make the same input give the same bytes (zip entries and core properties).
FIXED_TIME = dt.datetime(2000, 1, 1, 0, 0, 0)


@dataclass(frozen=True)
class Image:
    """A PNG picture for the context; the engine turns it into an inline image with alt text."""

    png: bytes
    width_mm: float
    descr: str


@dataclass(frozen=True)
class Properties:
    """The document's core properties (File > Info in Word)."""

    title: str
    subject: str
    author: str = ""
    keywords: str = ""
    when: dt.datetime = FIXED_TIME   # created and modified: the run's date (--dato)


__all__ = ["FIXED_TIME", "Image", "Properties"]
