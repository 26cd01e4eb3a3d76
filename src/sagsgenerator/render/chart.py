"""The action plan's bar chart: resources per focus area, at start-up and per year.

Drawn with Pillow: bars, a value axis with round steps and light grid lines, a legend and the
focus areas wrapped under their bars. Pillow imports in a few milliseconds where matplotlib
took about a second, and the chart needs nothing more than rectangles and text. The font is
Carlito (metrically Calibri, the templates' font), shipped unmodified with the package under
its licence (fonts/OFL.txt), so the same numbers give the same bytes on every machine.
"""

from __future__ import annotations

import functools
import io
import math
from decimal import Decimal
from importlib.resources import files

from ..danish import format_amount

DPI = 300
WIDTH, HEIGHT = 2250, 1080          # 7.5 x 3.6 inches at 300 dpi
START_COLOUR, YEARLY_COLOUR = (31, 58, 95), (127, 167, 201)   # #1F3A5F, #7FA7C9
TEXT, AXIS, GRID = (38, 38, 38), (89, 89, 89), (217, 217, 217)
TITLE_PX, TEXT_PX = 50, 38
MARGIN = 40


@functools.lru_cache(maxsize=4)
def _font(size: int):
    from PIL import ImageFont

    with (files(__package__) / "fonts" / "Carlito-Regular.ttf").open("rb") as handle:
        return ImageFont.truetype(io.BytesIO(handle.read()), size)


def load_fonts() -> None:
    """Load Pillow and the chart's fonts now (a worker does it while the inputs are read)."""
    from PIL import Image, ImageDraw  # noqa: F401  (their import is the point)

    _font(TITLE_PX), _font(TEXT_PX)


def nice_step(top: float, steps: int = 5) -> float:
    """A round step (1, 2, 2.5 or 5 times a power of ten) giving about `steps` steps to `top`."""
    if top <= 0:
        return 1.0
    raw = top / steps
    power = 10 ** math.floor(math.log10(raw))
    return next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)


def _kroner(value: float) -> str:
    return format_amount(Decimal(int(round(value)))).removesuffix(" kr.")


def _wrap(text: str, font, width: float) -> list[str]:
    """Words in lines no wider than `width` (a single long word keeps its own line)."""
    lines: list[str] = []
    for word in text.split():
        if lines and font.getlength(f"{lines[-1]} {word}") <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines or [""]


def resources_chart(labels: list[str], start: list[Decimal], yearly: list[Decimal]) -> bytes:
    """A PNG bar chart, the same bytes for the same numbers (no timestamp, no software tag)."""
    from PIL import Image, ImageDraw

    title_font, font = _font(TITLE_PX), _font(TEXT_PX)
    image = Image.new("RGB", (WIDTH, HEIGHT), "white")
    draw = ImageDraw.Draw(image)
    line = TEXT_PX + 10

    draw.text((WIDTH / 2, MARGIN), "Ressourcer pr. fokusområde", font=title_font, fill=TEXT,
              anchor="mt")
    # The legend, one row under the title, centred: it never covers a bar.
    entries = [("Ressourcer opstart", START_COLOUR), ("Ressourcer drift pr. år", YEARLY_COLOUR)]
    swatch, gap = 44, 70
    legend_width = sum(swatch + 16 + font.getlength(t) for t, _ in entries) + gap
    x, y = (WIDTH - legend_width) / 2, MARGIN + TITLE_PX + 30
    for text, colour in entries:
        draw.rectangle([x, y + 6, x + swatch, y + TEXT_PX - 6], fill=colour)
        draw.text((x + swatch + 16, y + TEXT_PX / 2), text, font=font, fill=TEXT, anchor="lm")
        x += swatch + 16 + font.getlength(text) + gap

    values = [float(v) for v in (*start, *yearly)]
    step = nice_step(max(values, default=0)) if any(values) else 250_000
    top = max(step, math.ceil(max(values, default=0) / step) * step)
    ticks = [i * step for i in range(int(round(top / step)) + 1)]
    tick_labels = [_kroner(t) for t in ticks]
    if max(font.getlength(t) for t in tick_labels) > WIDTH / 4:
        # An amount too large to print in full (nobody's budget, but typed): 8,0e+95.
        tick_labels = [f"{t:.1e}".replace(".", ",") if t else "0" for t in ticks]
    tick_width = max(font.getlength(t) for t in tick_labels)

    left = MARGIN + tick_width + 24
    right = WIDTH - MARGIN
    slot = (right - left) / max(len(labels), 1)
    wrapped = [_wrap(label, font, slot * 0.92) for label in labels]
    label_lines = max((len(w) for w in wrapped), default=1)
    plot_top = y + TEXT_PX + 70
    bottom = HEIGHT - MARGIN - label_lines * line - 12

    def height_of(value: float) -> float:
        return bottom - (bottom - plot_top) * value / top

    draw.text((left - 24, plot_top - 40), "kr.", font=font, fill=AXIS, anchor="rb")
    for tick, text in zip(ticks, tick_labels):
        y_tick = height_of(tick)
        if tick:
            draw.line([(left, y_tick), (right, y_tick)], fill=GRID, width=2)
        draw.text((left - 24, y_tick), text, font=font, fill=AXIS, anchor="rm")

    bar = slot * 0.36
    for i, lines in enumerate(wrapped):
        centre = left + slot * (i + 0.5)
        for offset, value, colour in ((-bar, start[i], START_COLOUR),
                                      (0.0, yearly[i], YEARLY_COLOUR)):
            if value > 0:
                draw.rectangle([round(centre + offset), round(height_of(float(value))),
                                round(centre + offset + bar), bottom], fill=colour)
        for n, text in enumerate(lines):
            draw.text((centre, bottom + 16 + n * line), text, font=font, fill=TEXT, anchor="mt")
    draw.line([(left, bottom), (right, bottom)], fill=AXIS, width=3)
    if not any(values):
        draw.text(((left + right) / 2, (plot_top + bottom) / 2), "Ingen ressourcer er angivet",
                  font=font, fill=AXIS, anchor="mm")

    buffer = io.BytesIO()
    image.save(buffer, format="PNG", dpi=(DPI, DPI), optimize=False, compress_level=6)
    return buffer.getvalue()
