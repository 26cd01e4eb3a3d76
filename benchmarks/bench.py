"""Benchmark: sagsgenerator's renderer against plain docxtpl, side by side in one run.

    python benchmarks/bench.py [--n 200] [--batch 1000] [--rows 10000]

1. Renders the same N case papers with plain docxtpl (load + render + save per document, its
   documented use) and with sagsgenerator's prepared-once renderer; checks that both give the
   same text; prints ms per document and the ratio.
2. Writes a batch of --batch proposals from many working groups (case papers, catalogue,
   action plan, follow-up, committee cases) with `sagsgenerator generer` over a folder, on all
   cores, and prints the time.
3. Validates one workbook with --rows rows and prints the time.
Peak memory (max RSS) is printed for each step run in its own process.
Ratios are what to compare: machines are shared and noisy.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "scripts"))


def case_papers(n: int) -> None:
    from docx import Document
    from docxtpl import DocxTemplate
    from jinja2 import Environment

    from sagsgenerator.config import DEFAULT_CONFIG
    from sagsgenerator.documents import MODULES, TEMPLATE_DIR
    from sagsgenerator.render.context import batch_items
    from sagsgenerator.render.engine import PreparedTemplate
    from sagsgenerator.validation.validate import validate_paths

    _, intakes = validate_paths([ROOT / "input" / "boern-og-unge.xlsx",
                                 ROOT / "input" / "kronisk-sygdom.xlsx"])
    plans = MODULES["sagsfremstilling"].plan(batch_items(intakes, DEFAULT_CONFIG), DEFAULT_CONFIG)
    plans = [plans[i % len(plans)] for i in range(n)]
    template = TEMPLATE_DIR / "sagsfremstilling.docx"

    def text(data: bytes) -> str:
        return "\n".join(p.text for p in Document(io.BytesIO(data)).paragraphs)

    start = time.perf_counter()
    plain = []
    for planned in plans:
        tpl = DocxTemplate(str(template))
        tpl.render(planned.context, jinja_env=Environment(autoescape=True))
        buffer = io.BytesIO()
        tpl.save(buffer)
        plain.append(buffer.getvalue())
    plain_ms = (time.perf_counter() - start) * 1000 / n

    start = time.perf_counter()
    prepared = PreparedTemplate(template, "sagsfremstilling")
    fast = [prepared.render(planned.context, planned.properties) for planned in plans]
    fast_ms = (time.perf_counter() - start) * 1000 / n

    same = all(text(a) == text(b) for a, b in zip(plain, fast))
    print(f"Sagsfremstillinger: {n} stk., samme skabelon og kontekst")
    print(f"  docxtpl (indlæs + render + gem pr. dokument): {plain_ms:6.1f} ms pr. dokument")
    print(f"  sagsgenerator (skabelon forberedt én gang):   {fast_ms:6.1f} ms pr. dokument")
    print(f"  forhold: {plain_ms / fast_ms:.1f} gange hurtigere; samme tekst: "
          f"{'ja' if same else 'NEJ'}")
    if not same:
        raise SystemExit(1)


def make_batch(folder: Path, proposals: int) -> None:
    import datetime as dt

    from conftest import GROUP, proposal, write_intake
    from sagsgenerator.config import DEFAULT_CONFIG

    areas = DEFAULT_CONFIG.focus_areas
    committees = DEFAULT_CONFIG.committees[:2]
    per_group = 8
    for g in range(-(-proposals // per_group)):
        group = {**GROUP, "Arbejdsgruppe": f"Arbejdsgruppe {g + 1:03d}",
                 "Fokusområde": areas[g % len(areas)], "Udvalg": committees[g % 2],
                 "Dato": dt.date(2026, 1, 15)}
        count = min(per_group, proposals - g * per_group)
        rows = [proposal(n, Titel=f"Indsats {g + 1}-{n}", Prioritet=None)
                for n in range(1, count + 1)]
        write_intake(folder / f"gruppe-{g + 1:03d}.xlsx", rows, group)


# Started from a small launcher: a child forked from this (large) benchmark process would
# count this process's memory in its own peak until it execs.
LAUNCHER = """
import resource, subprocess, sys, time
start = time.perf_counter()
subprocess.run(sys.argv[1:], stdout=sys.stdout, stderr=subprocess.STDOUT)
seconds = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(f"@@ {seconds} {peak}")
"""


def timed(argv: list[str]) -> tuple[float, float, str]:
    """Seconds and peak memory (MB, the largest process) of a command in its own process."""
    result = subprocess.run([sys.executable, "-c", LAUNCHER, *argv], capture_output=True,
                            text=True)
    output, _, last = result.stdout.rstrip().rpartition("\n")
    _, seconds, peak = last.split()
    return float(seconds), int(peak) / 1024, output


def batch(proposals: int) -> None:
    exe = str(Path(sys.executable).with_name("sagsgenerator"))
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "ind"
        folder.mkdir()
        make_batch(folder, proposals)
        seconds, peak, output = timed([exe, "generer", str(folder), "--ud", str(Path(tmp) / "ud")])
        written = len(list((Path(tmp) / "ud").glob("*.docx")))
        print(f"Samlet kørsel: {proposals} forslag i {len(list(folder.glob('*.xlsx')))} "
              f"projektmapper, {os.cpu_count()} kerner")
        print(f"  {written} Word-dokumenter skrevet på {seconds:.1f} s; maks. hukommelse "
              f"{peak:.0f} MB")
        print("  " + output.strip().splitlines()[-1])


def validation(rows: int) -> None:
    from conftest import proposal, write_intake

    exe = str(Path(sys.executable).with_name("sagsgenerator"))
    with tempfile.TemporaryDirectory() as tmp:
        path = write_intake(Path(tmp) / "stor.xlsx",
                            [proposal(n % 999 + 1, Titel=f"Indsats {n}", Prioritet=None)
                             for n in range(rows)])
        seconds, peak, output = timed([exe, "valider", str(path), "--ingen-markering", "--json"])
        report = json.loads(output[output.index("{"):])
        print(f"Validering: {rows} rækker på {seconds:.1f} s (hele kommandoen); maks. "
              f"hukommelse {peak:.0f} MB; {report['opsummering']}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=200, help="sagsfremstillinger at sammenligne")
    parser.add_argument("--batch", type=int, default=1000, help="forslag i den samlede kørsel")
    parser.add_argument("--rows", type=int, default=10_000, help="rækker i valideringen")
    args = parser.parse_args()
    case_papers(args.n)
    batch(args.batch)
    validation(args.rows)


if __name__ == "__main__":
    main()
