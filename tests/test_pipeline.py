"""One pipeline: the same input through `sagsgenerator generer` and through the web page
(upload -> generate), with the same date and configuration, gives byte-identical documents
(issue 11). Compared entry by entry inside each .docx/.xlsx, so a difference names its part.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import time
import zipfile
from pathlib import Path

import pytest

pytest.importorskip("fastapi.testclient")
from fastapi.testclient import TestClient  # noqa: E402

from sagsgenerator.cli import cli  # noqa: E402
from sagsgenerator.web import create_app  # noqa: E402

INPUT = Path(__file__).resolve().parents[1] / "input"
BASE = "http://127.0.0.1"
TODAY = dt.date(2026, 12, 2)
EXAMPLES = ["boern-og-unge.xlsx", "kronisk-sygdom.xlsx"]
# A municipality with its own name, case-number pattern and meeting calendar, so the case
# papers carry meeting dates and case numbers (the web page used to write "______").
CONFIG = """\
[kommune]
navn = "Prøve Kommune"
forvaltning = "Sundhed og Omsorg"
sagsnummer = "{aar}-{nr:03d}"

[[moede]]
udvalg = "Børne- og Undervisningsudvalget"
datoer = [2027-01-14, 2027-02-11]

[[moede]]
udvalg = "Social- og Sundhedsudvalget"
datoer = [2027-01-20, 2027-03-03]
"""


def entries(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def cli_documents(runner, config: Path, out: Path, register: Path | None) -> dict[str, bytes]:
    store = ["--register", str(register)] if register else ["--uden-register"]
    result = runner.invoke(cli, ["generer", *[str(INPUT / n) for n in EXAMPLES], "--ud", str(out),
                                 "--dato", TODAY.isoformat(), "--konfig", str(config), *store])
    assert result.exit_code == 0, result.output
    return {p.name: p.read_bytes() for p in sorted(out.iterdir())
            if p.suffix in (".docx", ".xlsx") and "-markeret" not in p.stem}


def web_documents(config: Path, register: Path | None) -> dict[str, bytes]:
    app = create_app(config_path=config, today=TODAY, register=register)
    with TestClient(app, base_url=BASE, headers={"origin": BASE}) as client:
        files = [("filer", (n, (INPUT / n).read_bytes(), "application/octet-stream"))
                 for n in EXAMPLES]
        session = client.post("/upload", files=files, follow_redirects=False).headers["location"]
        assert client.post(session + "/dokumenter",
                           data={"type": ["sagsfremstilling", "idekatalog", "handleplan",
                                          "opfoelgning", "udvalgssag"]},
                           follow_redirects=False).status_code == 303
        deadline = time.monotonic() + 120
        while client.get(session + "/dokumenter/status").json()["state"] not in ("faerdig", "fejl"):
            assert time.monotonic() < deadline
            time.sleep(0.1)
        bundle = client.get(session + "/sagsgenerator-dokumenter.zip")
        assert bundle.status_code == 200
        return entries(bundle.content)


@pytest.mark.parametrize("registers", ["none", "separate", "shared"])
def test_cli_and_web_write_the_same_bytes(runner, tmp_path, registers):
    """Without a register; each with a new register of its own; and the web page after the
    command line on the same register (the case numbers the CLI gave are kept)."""
    config = tmp_path / "proeve.toml"
    config.write_text(CONFIG, encoding="utf-8")
    cli_register = None if registers == "none" else tmp_path / "cli.db"
    web_register = {"none": None, "separate": tmp_path / "web.db", "shared": cli_register}[registers]
    from_cli = cli_documents(runner, config, tmp_path / "cli", cli_register)
    from_web = web_documents(config, web_register)
    assert sorted(from_cli) == sorted(from_web)
    assert len(from_cli) >= 9
    for name in from_cli:
        cli_parts, web_parts = entries(from_cli[name]), entries(from_web[name])
        assert sorted(cli_parts) == sorted(web_parts), name
        for part in cli_parts:
            assert cli_parts[part] == web_parts[part], f"{name}: {part} differs"
        assert from_cli[name] == from_web[name], name
    # The case number comes from the configured pattern and date, not a blank line.
    import docx
    paper = next(n for n in from_web if n.startswith("sagsfremstilling"))
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(from_web[paper])).paragraphs)
    text = text.replace("\xa0", " ")
    assert "Mødedato:\t14. januar 2027" in text
    assert re.search(r"Sagsnr.:\t20(26|27)-0\d\d\n", text) and "Sagsnr.:\t______________" not in text
