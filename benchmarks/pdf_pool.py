"""Benchmark: 200 case papers to PDF, one LibreOffice call against the pool.

    python benchmarks/pdf_pool.py [--n 200] [--repeat 3] [--workers N]

1. Renders N case papers from the bundled examples (the prepared-once renderer).
2. One LibreOffice process for all of them in one call: `soffice --convert-to pdf` with a
   fresh profile (what render/office.py did before the pool), same PDF options (tagged).
3. The pool, one LibreOffice per core: its uno engine (when python3-uno is there), its cli
   engine (one `--convert-to` call per worker), and "produkt": `convert_to_pdf` as the
   pipeline calls it for documents without a table of contents (it picks cli).
4. "one-tuned": the one call again, with the malloc settings the pool gives LibreOffice
   (render/uno_convert.py), to tell that gain from the gain of running two.
Each is run --repeat times, alternating; the medians and the ratio pool / one call are
printed. Wall time, whole conversion including LibreOffice's start with a fresh profile.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

TAGGED = "pdf:writer_pdf_Export:" + json.dumps(
    {"UseTaggedPDF": {"type": "boolean", "value": "true"},
     "DisplayPDFDocumentTitle": {"type": "boolean", "value": "true"},
     "ExportBookmarks": {"type": "boolean", "value": "true"}}, separators=(",", ":"))


def make_case_papers(folder: Path, n: int) -> list[Path]:
    from sagsgenerator.config import DEFAULT_CONFIG
    from sagsgenerator.documents import MODULES, TEMPLATE_DIR
    from sagsgenerator.render.context import batch_items
    from sagsgenerator.render.engine import PreparedTemplate
    from sagsgenerator.validation.validate import validate_paths

    _, intakes = validate_paths([ROOT / "input" / "boern-og-unge.xlsx",
                                 ROOT / "input" / "kronisk-sygdom.xlsx"])
    plans = MODULES["sagsfremstilling"].plan(batch_items(intakes, DEFAULT_CONFIG),
                                             DEFAULT_CONFIG)
    prepared = PreparedTemplate(TEMPLATE_DIR / "sagsfremstilling.docx", "sagsfremstilling")
    paths = []
    for i in range(n):
        planned = plans[i % len(plans)]
        path = folder / f"sagsfremstilling-{i:03d}.docx"
        path.write_bytes(prepared.render(planned.context, planned.properties))
        paths.append(path)
    return paths


def one_call(documents: list[Path], out: Path, tuned: bool = False) -> float:
    """One `soffice --convert-to` for all documents; `tuned`: with the malloc settings the
    pool gives its LibreOffice processes (render/uno_convert.py), to tell what the pool
    gains by them from what it gains by running two."""
    from sagsgenerator.render.office import find_soffice
    from sagsgenerator.render.uno_convert import MALLOC_SETTINGS

    with tempfile.TemporaryDirectory(prefix="bench-profile-") as profile:
        start = time.perf_counter()
        subprocess.run([find_soffice(), f"-env:UserInstallation={Path(profile).as_uri()}",
                        "--headless", "--norestore", "--convert-to", TAGGED, "--outdir",
                        str(out), *map(str, documents)], capture_output=True, check=True,
                       env={**os.environ, "HOME": profile, **(MALLOC_SETTINGS if tuned else {})})
        seconds = time.perf_counter() - start
    assert len(list(out.glob("*.pdf"))) == len(documents)
    return seconds


def product(documents: list[Path], out: Path) -> float:
    """`convert_to_pdf` as the pipeline calls it for documents without a table of contents
    (its own pool: one LibreOffice per core, each one `--convert-to` call)."""
    from sagsgenerator.render.office import convert_to_pdf

    start = time.perf_counter()
    convert_to_pdf(documents, out, tagged=True)
    seconds = time.perf_counter() - start
    assert len(list(out.glob("*.pdf"))) == len(documents)
    return seconds


def pool(documents: list[Path], out: Path, workers: int | None, engine: str) -> float:
    from sagsgenerator.render.office import OfficePool, convert_to_pdf

    start = time.perf_counter()
    with OfficePool(workers, engine=engine) as office:
        convert_to_pdf(documents, out, pool=office, tagged=True)
    seconds = time.perf_counter() - start
    assert len(list(out.glob("*.pdf"))) == len(documents)
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--engines", default="uno,cli")
    args = parser.parse_args()
    from sagsgenerator.render.office import find_uno_python, find_soffice

    engines = [e for e in args.engines.split(",")
               if e != "uno" or find_uno_python(find_soffice())]
    engines.append("produkt")          # convert_to_pdf's own choice (cli without indexes)
    engines.append("one-tuned")        # one call, with the pool's malloc settings
    times: dict[str, list[float]] = {"one": [], **{e: [] for e in engines}}
    with tempfile.TemporaryDirectory(prefix="bench-pdf-") as tmp:
        documents = make_case_papers(Path(tmp), args.n)
        cpu: dict[str, list[float]] = {name: [] for name in times}
        ratios: dict[str, list[float]] = {e: [] for e in engines}
        for r in range(args.repeat):
            # Alternate the order: a shared machine's load drifts.
            order = list(times) if r % 2 == 0 else list(times)[::-1]
            for name in order:
                out = Path(tmp) / f"ud-{name}-{r}"
                out.mkdir()
                before = resource.getrusage(resource.RUSAGE_CHILDREN)
                seconds = (one_call(documents, out) if name == "one"
                           else one_call(documents, out, tuned=True) if name == "one-tuned"
                           else product(documents, out) if name == "produkt"
                           else pool(documents, out, args.workers, name))
                after = resource.getrusage(resource.RUSAGE_CHILDREN)
                used = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
                times[name].append(seconds)
                cpu[name].append(used)
                print(f"  {name}: {seconds:.1f} s wall, {used:.1f} s CPU; load "
                      f"{os.getloadavg()[0]:.1f}", flush=True)
            for engine in engines:
                ratios[engine].append(times[engine][-1] / times["one"][-1])
    one = statistics.median(times["one"])
    print(f"PDF af {args.n} sagsfremstillinger (mærket PDF), {os.cpu_count()} kerner, "
          f"median af {args.repeat}:")
    print(f"  én LibreOffice, ét kald:          {one:6.1f} s (CPU "
          f"{statistics.median(cpu['one']):.1f} s)")
    for engine in engines:
        seconds = statistics.median(times[engine])
        label = ("én LibreOffice, ét kald, med puljens malloc" if engine == "one-tuned"
                 else f"puljen ({engine}, {args.workers or os.cpu_count()} processer)")
        print(f"  {label}: "
              f"{seconds:6.1f} s (CPU {statistics.median(cpu[engine]):.1f} s) = "
              f"{seconds / one:.2f} x ét kald; forhold pr. runde: "
              + ", ".join(f"{x:.2f}" for x in ratios[engine]))


if __name__ == "__main__":
    main()
