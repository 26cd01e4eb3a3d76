"""The pages over the register (issue 15): Forslag, Ændringer, Kalender, Opfølgning and
Beslutninger, and the upload -> generate flow recording its round in the register."""

from __future__ import annotations

import datetime as dt
import html
import io
import re
import time
import zipfile
from pathlib import Path

import openpyxl
import pytest

pytest.importorskip("fastapi.testclient")
from fastapi.testclient import TestClient  # noqa: E402

from sagsgenerator.model import KEY_HEADER  # noqa: E402
from sagsgenerator.register import Register  # noqa: E402
from sagsgenerator.config_file import load_config  # noqa: E402
from sagsgenerator.web import create_app  # noqa: E402

INPUT = Path(__file__).resolve().parents[1] / "input"
BASE = "http://127.0.0.1"
TODAY = dt.date(2026, 12, 2)
CONFIG = """\
[kommune]
navn = "Prøve Kommune"
sagsnummer = "{aar}-{nr:03d}"

[frister]
centerchef_dage = 21
direktion_dage = 14
naer_dage = 7

[[moede]]
udvalg = "Børne- og Undervisningsudvalget"
datoer = [2026-12-10, 2027-01-14]

[[moede]]
udvalg = "Social- og Sundhedsudvalget"
datoer = [2026-12-30, 2027-03-03]
"""


def text(response) -> str:
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", response.text, flags=re.S)
    words = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).split())
    return re.sub(r" (?=[:.,;)])", "", words)


@pytest.fixture
def paths(tmp_path):
    config = tmp_path / "proeve.toml"
    config.write_text(CONFIG, encoding="utf-8")
    return config, tmp_path / "register.db"


def client_for(config: Path, register: Path | None, today: dt.date = TODAY) -> TestClient:
    app = create_app(config_path=config, register=register, today=today)
    return TestClient(app, base_url=BASE, headers={"origin": BASE})


def generate(client, *names: str) -> str:
    files = [("filer", (n, (INPUT / n).read_bytes(), "application/octet-stream")) for n in names]
    session = client.post("/upload", files=files, follow_redirects=False).headers["location"]
    client.post(session + "/dokumenter", data={"type": ["sagsfremstilling", "handleplan",
                                                        "udvalgssag"]})
    deadline = time.monotonic() + 120
    while client.get(session + "/dokumenter/status").json()["state"] not in ("faerdig", "fejl"):
        assert time.monotonic() < deadline
        time.sleep(0.1)
    assert client.get(session + "/dokumenter/status").json()["state"] == "faerdig"
    return session


def test_pages_say_when_there_is_no_register(paths):
    config, _ = paths
    with client_for(config, None) as client:
        for path in ("/forslag", "/aendringer", "/kalender", "/opfoelgning", "/beslutninger"):
            response = client.get(path)
            assert response.status_code == 200
            assert "Der er ikke valgt noget register." in text(response)


def test_generate_records_the_round_and_the_forslag_page_shows_it(paths):
    config, register = paths
    with client_for(config, register) as client:
        assert "Ingen forslag i registret endnu" in text(client.get("/forslag"))
        generate(client, "boern-og-unge.xlsx", "kronisk-sygdom.xlsx")
        page = text(client.get("/forslag"))
        assert "9 af 9 forslag." in page
        assert "Nr. 1 Røgfri skoletid – Bliv en vinder uden tobak" in page
        # Case numbers as the register gave them: the same the command line reads.
        with Register.open(register, load_config(config)) as store:
            numbers = [e.case_number for e in store.entries()]
            assert len(store.rounds()) == 1
        assert all(n and n in page for n in numbers)
        # The traffic light is a colour and a text.
        response = client.get("/forslag")
        assert re.search(r'class="light (roed|gul|groen)">(Rød|Gul|Grøn): ', response.text)

        filtered = text(client.get("/forslag", params={"arbejdsgruppe": "Børn og unge"}))
        assert "5 af 9 forslag." in filtered
        by_committee = text(client.get("/forslag", params={"udvalg": "Social- og Sundhedsudvalget"}))
        assert "4 af 9 forslag." in by_committee
        assert "0 af 9 forslag." in text(client.get("/forslag", params={"status": "Afsluttet"}))

        key = re.search(r'href="(/forslag/vis\?noegle=[^"]+)"', response.text).group(1)
        detail = text(client.get(html.unescape(key)))
        assert "Udgaver" in detail and "kronisk-sygdom.xlsx" in detail
        assert client.get("/forslag/vis", params={"noegle": "x|y|1"}).status_code == 404


def test_changes_since_a_round_and_a_date(paths, tmp_path):
    config, register = paths
    with client_for(config, register) as client:
        generate(client, "boern-og-unge.xlsx")
    changed = tmp_path / "boern-og-unge.xlsx"
    workbook = openpyxl.load_workbook(INPUT / "boern-og-unge.xlsx")
    sheet = workbook["Forslag"]
    column = next(c.column for c in sheet[1] if c.value == "Målgruppe")
    sheet.cell(row=2, column=column).value = "Alle elever i 7.-9. klasse"
    workbook.save(changed)
    with client_for(config, register, TODAY + dt.timedelta(days=7)) as client:
        files = [("filer", ("boern-og-unge.xlsx", changed.read_bytes(), "application/octet-stream"))]
        session = client.post("/upload", files=files, follow_redirects=False).headers["location"]
        client.post(session + "/dokumenter", data={"type": "idekatalog"})
        while client.get(session + "/dokumenter/status").json()["state"] not in ("faerdig", "fejl"):
            time.sleep(0.1)
        default = text(client.get("/aendringer"))
        assert "Ændringer siden runde 1" in default
        assert "Alle elever i 7.-9. klasse" in default
        assert "Alle elever i 7.-9. klasse" in text(client.get("/aendringer",
                                                              params={"siden": TODAY.isoformat()}))
        assert "Ingen ændringer siden runde 2" in text(client.get("/aendringer",
                                                                 params={"runde": "2"}))
        bad = client.get("/aendringer", params={"siden": "i går"})
        assert bad.status_code == 400 and "er ikke en dato" in text(bad)


def test_calendar_highlights_missed_and_close_deadlines(paths):
    config, register = paths
    with client_for(config, register) as client:
        generate(client, "boern-og-unge.xlsx", "kronisk-sygdom.xlsx")
        response = client.get("/kalender")
        page = text(response)
    assert "Udvalgskalender pr. 2. december 2026" in page
    # Meeting 10 December: both deadlines (21 and 14 days before) have passed.
    assert "✖ overskredet" in page and 'tr class="missed"' in response.text
    assert "Første møde, hvor fristerne kan nås: 14. januar 2027" in page
    assert "Social- og Sundhedsudvalget" in page and "30. december 2026" in page


def test_follow_up_by_centre_with_traffic_lights(paths):
    config, register = paths
    with client_for(config, register) as client:
        generate(client, "boern-og-unge.xlsx", "kronisk-sygdom.xlsx")
        page = text(client.get("/opfoelgning", params={"maaneder": 3}))
        assert re.search(r"\d+ opfølgninger: \d+ overskredne", page)
        assert "Tryghed og Kriminalitet" in page
        assert "Gul: opfølgningen" in page or "Rød: opfølgningen" in page
        assert "120" in client.get("/opfoelgning", params={"maaneder": 500}).text


def _plan_with_keys(plan: bytes, register: Path, config: Path) -> openpyxl.Workbook:
    """handleplan.xlsx with its hidden key column; added here when the writer has none yet."""
    workbook = openpyxl.load_workbook(io.BytesIO(plan))
    sheet = workbook.worksheets[0]
    headers = {c.value: c.column for c in sheet[1]}
    if KEY_HEADER not in headers:
        with Register.open(register, load_config(config)) as store:
            keys = {(e.group_name, e.number): e.key.text for e in store.entries()}
        column = sheet.max_column + 1
        sheet.cell(row=1, column=column).value = KEY_HEADER
        for row in range(2, sheet.max_row + 1):
            group = sheet.cell(row=row, column=headers["Arbejdsgruppe"]).value
            number = sheet.cell(row=row, column=headers["Nr."]).value
            sheet.cell(row=row, column=column).value = keys.get((group, number))
    return workbook


def test_decisions_upload_check_confirm_and_regenerate(paths, tmp_path):
    config, register = paths
    with client_for(config, register) as client:
        session = generate(client, "boern-og-unge.xlsx")
        with zipfile.ZipFile(io.BytesIO(client.get(session + "/sagsgenerator-dokumenter.zip")
                                        .content)) as bundle:
            plan = bundle.read("handleplan.xlsx")
        workbook = _plan_with_keys(plan, register, config)
        sheet = workbook.worksheets[0]
        headers = {c.value: c.column for c in sheet[1]}
        # The chief group prioritises the asthma screening first, smoke-free school time last.
        for row in range(2, sheet.max_row + 1):
            title = str(sheet.cell(row=row, column=headers["Indsats"]).value or "")
            if title.startswith("Tidlig opsporing af astma"):
                sheet.cell(row=row, column=headers["Prioritet"]).value = 1
                sheet.cell(row=row, column=headers["Status"]).value = "Prioriteret"
            elif title.startswith("Røgfri skoletid"):
                sheet.cell(row=row, column=headers["Prioritet"]).value = 5
        edited = tmp_path / "handleplan.xlsx"
        workbook.save(edited)

        checked = client.post("/beslutninger", files=[("fil", ("handleplan.xlsx",
                                                              edited.read_bytes()))])
        page = text(checked)
        assert checked.status_code == 200, page
        assert "3 beslutninger i handleplan.xlsx. Tjek dem, og gem dem." in page
        assert "Prioritet" in page
        with Register.open(register, load_config(config)) as store:
            assert not any(store.decision_history(k) for k in store.keys()), "a dry run first"
        token = re.search(r'name="noegle" value="([^"]+)"', checked.text).group(1)
        done = client.post("/beslutninger/bekraeft", data={"noegle": token})
        assert "3 beslutninger gemt i registret fra handleplan.xlsx." in text(done)
        assert "Prioritet" in text(client.get("/aendringer"))
        again = client.post("/beslutninger/bekraeft", data={"noegle": token})
        assert again.status_code == 404

        session = generate(client, "boern-og-unge.xlsx")
        with zipfile.ZipFile(io.BytesIO(client.get(session + "/sagsgenerator-dokumenter.zip")
                                        .content)) as bundle:
            import docx
            case = next(n for n in bundle.namelist() if n.startswith("udvalgssag"))
            document = docx.Document(io.BytesIO(bundle.read(case)))
            rows = [[c.text for c in r.cells] for r in document.tables[0].rows]
        assert rows[1][0] == "1" and "Tidlig opsporing af astma" in rows[1][2], rows


def test_decisions_with_errors_record_nothing(paths, tmp_path):
    config, register = paths
    with client_for(config, register) as client:
        session = generate(client, "boern-og-unge.xlsx")
        with zipfile.ZipFile(io.BytesIO(client.get(session + "/sagsgenerator-dokumenter.zip")
                                        .content)) as bundle:
            workbook = _plan_with_keys(bundle.read("handleplan.xlsx"), register, config)
        sheet = workbook.worksheets[0]
        headers = {c.value: c.column for c in sheet[1]}
        sheet.cell(row=2, column=headers["Status"]).value = "Måske"
        edited = tmp_path / "handleplan.xlsx"
        workbook.save(edited)
        checked = client.post("/beslutninger", files=[("fil", ("handleplan.xlsx",
                                                              edited.read_bytes()))])
        page = text(checked)
        assert "Der gemmes intet, før fejlene er rettet." in page
        assert "Handleplan!" in page and "Gem beslutningerne" not in page


def test_decisions_without_a_file(paths):
    config, register = paths
    with client_for(config, register) as client:
        response = client.post("/beslutninger", files=[("fil", ("", b""))])
        assert response.status_code == 400 and "Vælg den rettede handleplan.xlsx" in text(response)
