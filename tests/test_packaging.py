"""The wheel carries every subpackage and the built-in templates (pyproject.toml lists them)."""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_every_subpackage_and_the_templates_are_packaged():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    source = ROOT / "src"
    # Every folder that holds a file to ship (code or data) is listed.
    packages = {".".join(p.parent.relative_to(source).parts)
                for p in (source / "sagsgenerator").rglob("*")
                if p.is_file() and "__pycache__" not in p.parts}
    assert set(config["packages"]) == packages | {"sagsgenerator.templates",
                                                  "sagsgenerator.templates.docx"}
    assert config["package-dir"]["sagsgenerator.templates"] == "templates"
    assert sorted(p.name for p in (ROOT / "templates" / "docx").glob("*.docx")) == [
        "handleplan.docx", "idekatalog.docx", "opfoelgning.docx", "sagsfremstilling.docx",
        "udvalgssag.docx"]


def test_the_installed_package_finds_its_templates_through_importlib_resources():
    import importlib.resources

    from sagsgenerator.documents import TEMPLATE_DIR

    folder = importlib.resources.files("sagsgenerator.templates") / "docx"
    assert Path(str(folder)) == TEMPLATE_DIR
    assert (TEMPLATE_DIR / "sagsfremstilling.docx").is_file()


def test_the_light_kind_names_match_the_registry():
    from sagsgenerator.documents import KIND_INFO
    from sagsgenerator.kinds import KINDS

    assert tuple(KIND_INFO) == KINDS


def test_help_loads_no_heavy_library():
    """`sagsgenerator --help` must start at once: no pydantic, openpyxl, docx, babel or web."""
    import subprocess
    import sys

    code = ("import sys, sagsgenerator.cli as c\n"
            "heavy = [m for m in ('pydantic', 'openpyxl', 'docx', 'docxtpl', 'babel', 'fastapi',"
            " 'PIL', 'lxml', 'sqlite3') if m in sys.modules]\n"
            "print(','.join(heavy))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == ""
