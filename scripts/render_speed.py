"""Case paper: the prepared renderer against plain docxtpl, in one run (ms per document).

    PYTHONPATH=src python scripts/render_speed.py [--n 300]

Plain docxtpl is its documented use (load + render + save per document, in the sandbox like
ours); the context is the bundled example input/boern-og-unge.xlsx. Wall and CPU time (the
machine is shared), best and median of five runs each.
"""

from __future__ import annotations

import argparse
import io
import statistics
import time
from pathlib import Path

from docxtpl import DocxTemplate

from sagsgenerator.config import DEFAULT_CONFIG
from sagsgenerator.documents import MODULES, TEMPLATE_DIR
from sagsgenerator.render.context import batch_items
from sagsgenerator.render.engine import PreparedTemplate, images_for, make_env
from sagsgenerator.validation.validate import validate_paths

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=300)
    args = parser.parse_args()
    _, intakes = validate_paths([ROOT / "input" / "boern-og-unge.xlsx"])
    plans = MODULES["sagsfremstilling"].plan(batch_items(intakes, DEFAULT_CONFIG), DEFAULT_CONFIG)
    template = TEMPLATE_DIR / "sagsfremstilling.docx"

    def plain(planned) -> bytes:
        tpl = DocxTemplate(str(template))
        with images_for(tpl):
            tpl.render(planned.context, jinja_env=make_env())
        buffer = io.BytesIO()
        tpl.save(buffer)
        return buffer.getvalue()

    prepared = PreparedTemplate(template, "sagsfremstilling")

    def fast(planned) -> bytes:
        return prepared.render(planned.context, planned.properties)

    def per_document(render, n: int, clock=time.perf_counter) -> tuple[float, float]:
        """Best and median of five runs (ms per document)."""
        runs = []
        for _ in range(5):
            start = clock()
            for i in range(n):
                render(plans[i % len(plans)])
            runs.append((clock() - start) * 1000 / n)
        return min(runs), statistics.median(runs)

    fast(plans[0]), plain(plans[0])
    for label, clock in (("wall", time.perf_counter), ("cpu", time.process_time)):
        plain_ms = per_document(plain, max(20, args.n // 10), clock)
        fast_ms = per_document(fast, args.n, clock)
        for which, a, b in (("best", plain_ms[0], fast_ms[0]), ("median", plain_ms[1], fast_ms[1])):
            print(f"{label:4s} {which:6s}: plain docxtpl {a:6.2f} ms, prepared {b:5.2f} ms per "
                  f"case paper: {a / b:5.1f}x")


if __name__ == "__main__":
    main()
