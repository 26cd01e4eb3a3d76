"""Row rules: checks across the fields of one proposal. Every rule runs on every row.

A rule looks only at fields whose cells could be used (`place.failed` holds the others), so
a row with a bad centre is still told that its prevention package is missing: the group
gets all of its errors at once, each at its own cell.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ..config import Config
from ..danish import format_count
from ..findings import Finding
from .cells import Place

TEXT_FIELDS = ("title", "goal", "purpose", "target_group", "problem_size", "content",
               "partners", "monitoring", "summary")


def check_row(values: dict[str, Any], config: Config, place: Place) -> Iterator[Finding]:
    """A finding for each rule the row breaks, at the cell the rule is about."""
    usable = {k: v for k, v in values.items() if k not in place.failed}
    kind, package = usable.get("kind"), usable.get("package")
    if kind == "Handlingsforslag" and package is None and "package" not in place.failed:
        yield place.finding("package", "package-missing")
    follow_up, start = usable.get("follow_up"), usable.get("start")
    if follow_up is not None:
        if follow_up.period is None:
            yield place.warning("follow_up", "followup-undated", value=follow_up.text)
        elif start is not None and follow_up.period.last_day < start.first_day:
            yield place.finding("follow_up", "followup-before-start", follow_up=follow_up.text,
                                start=start.danish)
    summary = usable.get("summary") or ""
    if len(summary) > config.max_summary_chars:
        yield place.warning("summary", "summary-too-long", length=format_count(len(summary)),
                            limit=format_count(config.max_summary_chars))
    pages = estimated_pages(usable, config)
    if pages > config.max_pages:
        yield place.warning("summary", "proposal-too-long", pages=pages, limit=config.max_pages)
    if usable.get("theme") is None and "theme" not in place.failed:
        yield place.warning("theme", "theme-missing")
    if usable.get("priority") is not None and start is None and "start" not in place.failed:
        yield place.warning("start", "start-missing-prioritised")


def estimated_pages(values: dict[str, Any], config: Config) -> int:
    """Pages the proposal's text fills in a case paper (text plus about one page of frame)."""
    chars = sum(len(values.get(name) or "") for name in TEXT_FIELDS)
    chars += sum(len(line) for line in values.get("indicators") or [])
    return 1 + -(-chars // config.chars_per_page)
