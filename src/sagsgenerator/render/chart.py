"""The action plan's bar chart: resources per focus area, at start-up and per year."""

from __future__ import annotations

import io
from decimal import Decimal

from ..danish import format_amount


def _thousands(value: float, _pos: int) -> str:
    return format_amount(Decimal(int(round(value)))).removesuffix(" kr.")


def resources_chart(labels: list[str], start: list[Decimal], yearly: list[Decimal]) -> bytes:
    """A PNG bar chart, the same bytes for the same numbers (no timestamp, no software tag)."""
    # matplotlib's object API: no pyplot state (safe in the web server's threads), and
    # imported only when a chart is drawn (it is the slowest import of the package).
    from matplotlib.figure import Figure
    from matplotlib.ticker import FuncFormatter

    figure = Figure(figsize=(7.5, 3.6), dpi=150)
    axes = figure.subplots()
    positions = range(len(labels))
    width = 0.38
    axes.bar([x - width / 2 for x in positions], [float(v) for v in start], width,
             label="Ressourcer opstart", color="#1F3A5F")
    axes.bar([x + width / 2 for x in positions], [float(v) for v in yearly], width,
             label="Ressourcer drift pr. år", color="#7FA7C9")
    axes.set_xticks(list(positions), labels)
    axes.set_ylabel("kr.")
    axes.yaxis.set_major_formatter(FuncFormatter(_thousands))
    axes.spines[["top", "right"]].set_visible(False)
    axes.legend(frameon=False)
    axes.set_title("Ressourcer pr. fokusområde")
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", metadata={"Software": None})
    return buffer.getvalue()

