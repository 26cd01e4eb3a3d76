"""CI: build the wheel, install it into a fresh virtual environment outside the checkout, and
run skabelon, valider and generer on the bundled examples from a folder that is not the
checkout. Every document kind must be written from the wheel's own templates.

    python scripts/check_wheel.py        # exit 0 when the installed wheel works
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
KINDS = ("sagsfremstilling", "idekatalog", "handleplan", "opfoelgning", "udvalgssag")


def run(*command: str | Path, cwd: Path | None = None, ok: tuple[int, ...] = (0,)) -> str:
    result = subprocess.run([str(c) for c in command], cwd=cwd, capture_output=True, text=True)
    if result.returncode not in ok:
        sys.exit(f"{' '.join(map(str, command))} -> {result.returncode}\n{result.stdout}\n"
                 f"{result.stderr}")
    return result.stdout


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="sagsgenerator-wheel-") as tmp:
        tmp_dir = Path(tmp)
        run(sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", tmp_dir / "dist",
            ROOT)
        (wheel,) = (tmp_dir / "dist").glob("sagsgenerator-*.whl")
        names = zipfile.ZipFile(wheel).namelist()
        missing = [k for k in KINDS if f"sagsgenerator/templates/docx/{k}.docx" not in names]
        if missing:
            sys.exit(f"The wheel has no template for: {', '.join(missing)}")
        if "sagsgenerator/render/fonts/Carlito-Regular.ttf" not in names:
            sys.exit("The wheel has no font for the action plan's chart")
        run(sys.executable, "-m", "venv", tmp_dir / "venv")
        bin_dir = tmp_dir / "venv" / ("Scripts" if sys.platform == "win32" else "bin")
        run(bin_dir / "python", "-m", "pip", "install", "--quiet", wheel)
        work = tmp_dir / "arbejde"
        work.mkdir()
        for example in ("boern-og-unge.xlsx", "kronisk-sygdom.xlsx", "med-fejl.xlsx"):
            shutil.copy(ROOT / "input" / example, work)
        tool = bin_dir / "sagsgenerator"
        located = run(bin_dir / "python", "-c",
                      "import sagsgenerator.documents as d; print(d.TEMPLATE_DIR)", cwd=work)
        if str(ROOT) in located:
            sys.exit(f"The installed package reads templates from the checkout: {located}")
        run(tool, "skabelon", "--ud", "skabelon.xlsx", cwd=work)
        run(tool, "valider", "med-fejl.xlsx", "--marker", "markeret", cwd=work, ok=(1,))
        run(tool, "skabeloner", "eksporter", "egne", cwd=work)
        out = run(tool, "generer", "boern-og-unge.xlsx", "kronisk-sygdom.xlsx", "--ud", "ud",
                  "--dato", "2026-12-02", cwd=work)
        written = {p.name for p in (work / "ud").iterdir()}
        absent = [k for k in KINDS if not any(n.startswith(k) and n.endswith(".docx")
                                              for n in written)]
        if absent or "handleplan.xlsx" not in written or not (work / "skabelon.xlsx").is_file() \
                or not (work / "markeret" / "med-fejl-markeret.xlsx").is_file():
            sys.exit(f"Missing after generer: {absent}; written: {sorted(written)}\n{out}")
        print(f"Wheel {wheel.name}: installed outside the checkout; skabelon, valider and "
              f"generer wrote {len(written)} files, every kind ({', '.join(KINDS)}).")


if __name__ == "__main__":
    main()
