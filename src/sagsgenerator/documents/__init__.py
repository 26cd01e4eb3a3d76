"""The documents sagsgenerator writes from the valid proposals of a batch.

    render_documents(intakes, Path("output"))  # every kind, .docx (+ handleplan.xlsx)
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from ..config import DEFAULT_CONFIG, Config
from ..output import atomic_write
from ..render import engine
from ..render.context import batch_items
from ..render.office import convert_to_pdf
from ..validation.validate import Intake
from . import handleplan, idekatalog, opfoelgning, sagsfremstilling, udvalgssag

KINDS = ("sagsfremstilling", "idekatalog", "handleplan", "opfoelgning", "udvalgssag")
MODULES = {
    "sagsfremstilling": sagsfremstilling,
    "idekatalog": idekatalog,
    "handleplan": handleplan,
    "opfoelgning": opfoelgning,
    "udvalgssag": udvalgssag,
}
# templates/docx in the project folder (src/sagsgenerator/documents -> project root).
TEMPLATE_DIR = Path(__file__).resolve().parents[3] / "templates" / "docx"

__all__ = ["KINDS", "TEMPLATE_DIR", "render_documents"]


def render_documents(intakes: list[Intake], out_dir: Path, kinds: Iterable[str] = KINDS,
                     config: Config = DEFAULT_CONFIG, pdf: bool = False,
                     template_dir: Path | None = None) -> list[Path]:
    """Render the chosen kinds from the valid proposals; the paths written, in order.

    Nothing is written when the batch has no valid proposal. With pdf=True every .docx is
    also converted to PDF by one LibreOffice process."""
    wanted = set(kinds)
    unknown = wanted - set(KINDS)
    if unknown:
        raise ValueError(f"Ukendt dokumenttype: {', '.join(sorted(unknown))}. "
                         f"Vælg mellem {', '.join(KINDS)}.")
    items = batch_items(intakes, config)
    if not items:
        return []
    template_dir = template_dir or TEMPLATE_DIR
    written: list[Path] = []
    for kind in (k for k in KINDS if k in wanted):
        for planned in MODULES[kind].plan(items, config):
            data = engine.render(template_dir / f"{planned.template}.docx", planned.context,
                                 planned.properties, kind)
            written.append(atomic_write(out_dir / planned.name,
                                        lambda target, data=data: target.write_bytes(data)))
        if kind == "handleplan":
            data = handleplan.workbook_bytes(items, config)
            written.append(atomic_write(out_dir / handleplan.WORKBOOK_NAME,
                                        lambda target, data=data: target.write_bytes(data)))
    if pdf:
        written += convert_to_pdf([p for p in written if p.suffix == ".docx"], out_dir)
    return written
