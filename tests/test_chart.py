"""The action plan's chart, drawn with Pillow: bars in proportion, the same bytes every time."""

from __future__ import annotations

import io
from decimal import Decimal

from PIL import Image

from sagsgenerator.render.chart import START_COLOUR, YEARLY_COLOUR, nice_step, resources_chart


def bar_heights(png: bytes, colour: tuple[int, int, int]) -> list[int]:
    """The height in pixels of each run of columns in `colour`, left to right."""
    image = Image.open(io.BytesIO(png)).convert("RGB")
    width, height = image.size
    pixels = image.load()
    heights, inside = [], False
    for x in range(width):
        column = sum(1 for y in range(0, height, 2) if pixels[x, y] == colour) * 2
        if column > 40 and not inside:
            heights.append(column)
        inside = column > 40
    return heights


def test_bars_are_in_proportion_to_the_amounts():
    png = resources_chart(["Børn og unge", "Borgere med kronisk sygdom", "Ældre"],
                          [Decimal(1_600_000), Decimal(400_000), Decimal(0)],
                          [Decimal(800_000), Decimal(1_200_000), Decimal(200_000)])
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG" and image.size == (2250, 1080)
    assert round(image.info["dpi"][0]) == 300
    start, yearly = bar_heights(png, START_COLOUR), bar_heights(png, YEARLY_COLOUR)
    # The legend's swatches are short runs (below 40 pixels), not bars.
    assert len(start) == 2 and len(yearly) == 3           # no bar for an amount of 0
    assert abs(start[0] / start[1] - 4) < 0.05
    assert abs(yearly[1] / yearly[0] - 1.5) < 0.05 and abs(yearly[0] / yearly[2] - 4) < 0.1
    assert abs(start[0] / yearly[0] - 2) < 0.05


def test_the_same_numbers_give_the_same_bytes():
    args = (["Børn og unge"], [Decimal("1250000.50")], [Decimal(300_000)])
    assert resources_chart(*args) == resources_chart(*args)
    assert resources_chart(*args) != resources_chart(["Børn og unge"], [Decimal(1)],
                                                     [Decimal(300_000)])


def test_no_resources_gives_an_empty_chart_without_bars():
    png = resources_chart(["Børn og unge"], [Decimal(0)], [Decimal(0)])
    assert bar_heights(png, START_COLOUR) == [] and bar_heights(png, YEARLY_COLOUR) == []


def test_the_value_axis_steps_are_round():
    assert nice_step(1_675_000) == 500_000
    assert nice_step(2_500_000) == 500_000
    assert nice_step(999) == 200
    assert nice_step(12) == 2.5
    assert nice_step(0) == 1.0


def test_an_amount_too_large_to_print_still_gives_a_chart_with_its_bars():
    """Found by the property tests: 8e95 kr. made tick labels wider than the chart."""
    png = resources_chart(["Børn og unge", "Ældre"], [Decimal("8e95"), Decimal(0)],
                          [Decimal("2e95"), Decimal(0)])
    start, yearly = bar_heights(png, START_COLOUR), bar_heights(png, YEARLY_COLOUR)
    assert len(start) == 1 and len(yearly) == 1 and abs(start[0] / yearly[0] - 4) < 0.1


def test_per_year_keeps_an_amount_of_any_size():
    """Found by the property tests: 4e31 kr. a year overflowed the budget's rounding."""
    from sagsgenerator.danish import Period
    from sagsgenerator.render.context import per_year

    class Proposal:
        start, cost_start, cost_yearly = Period(2026, 7), Decimal(0), Decimal("4.2e31")

    _, run = per_year(Proposal(), 2026)
    assert run == [Decimal("2.1e31"), Decimal("4.2e31"), Decimal("4.2e31"), Decimal("4.2e31")]
