"""Routes of the web interface (sagsgenerator web), through FastAPI's TestClient.

Every bad upload gets a 4xx page with the Danish message the CLI would give; none gets a
500 or a traceback. Messages are compared after HTML unescaping.
"""

from __future__ import annotations

import html
import io
import re
import socket
import time
import zipfile
from pathlib import Path

import openpyxl
import pytest

pytest.importorskip("fastapi")
pytest.importorskip("fastapi.testclient")  # needs httpx2 (or httpx)
from fastapi.testclient import TestClient  # noqa: E402

from conftest import proposal  # noqa: E402
from sagsgenerator.web import jobs, routes  # noqa: E402
from sagsgenerator.web.app import MB, Limits, ServerError, create_app, serve  # noqa: E402
from sagsgenerator.web.findings_view import split_message  # noqa: E402
from sagsgenerator.web.sessions import safe_name  # noqa: E402

INPUT = Path(__file__).resolve().parents[1] / "input"
BASE = "http://127.0.0.1"
LIMITS = Limits(max_file_bytes=300 * 1024, max_inflated_bytes=2 * MB, max_files=4)


@pytest.fixture
def app():
    return create_app(limits=LIMITS)


@pytest.fixture
def client(app):
    # A browser sends Origin on every form POST; the guard refuses a POST without it.
    with TestClient(app, base_url=BASE, headers={"origin": BASE}) as client:
        yield client


def text(response) -> str:
    """The page as a user reads it: tags removed, entities decoded, blanks folded."""
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", response.text, flags=re.S)
    words = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).split())
    return re.sub(r" (?=[:.,;)])", "", words)


def upload(client, *files: tuple[str, bytes], follow: bool = False, **data):
    parts = [("filer", (name, content, "application/octet-stream")) for name, content in files]
    return client.post("/upload", files=parts, data=data, follow_redirects=follow)


def example(name: str) -> tuple[str, bytes]:
    return name, (INPUT / name).read_bytes()


def assert_clean_error(response, status: int, *messages: str) -> None:
    assert response.status_code == status, text(response)
    assert response.headers["content-type"].startswith("text/html")
    page = text(response)
    for message in messages:
        assert message in page
    assert "Traceback" not in response.text


def wait_for_job(client, session_url: str, timeout: float = 120) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        status = client.get(session_url + "/dokumenter/status").json()
        if status["state"] in ("faerdig", "fejl"):
            return status
        time.sleep(0.2)
    raise AssertionError("dokumenterne blev ikke færdige")


def wait_for_previews(client, session_url: str, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while client.get(session_url + "/dokumenter/status").json()["previews"] != "faerdig":
        assert time.monotonic() < deadline, "forhåndsvisningerne blev ikke færdige"
        time.sleep(0.1)


# Pages ----------------------------------------------------------------------------------

def test_front_page_is_danish_and_uses_only_local_assets(client):
    response = client.get("/")
    assert response.status_code == 200
    assert '<html lang="da">' in response.text
    assert 'enctype="multipart/form-data"' in response.text
    assert '<label for="filer">' in response.text
    links = re.findall(r'(?:src|href|action)="([^"]*)"', response.text)
    assert links and all(link.startswith(("/", "#")) for link in links), links
    for asset in ("/static/style.css", "/static/app.js", "/static/favicon.svg"):
        assert client.get(asset).status_code == 200


def test_blank_workbook_download(client):
    response = client.get("/skabelon.xlsx")
    assert response.status_code == 200
    assert "indsatsforslag-skabelon.xlsx" in response.headers["content-disposition"]
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    assert {"Forslag", "Arbejdsgruppe"} <= set(workbook.sheetnames)


def test_unknown_page_is_a_danish_404(client):
    assert_clean_error(client.get("/findes-ikke"), 404, "Siden findes ikke")


# Happy path -----------------------------------------------------------------------------

def test_upload_findings_annotated_copy_and_documents(client, app):
    response = upload(client, example("boern-og-unge.xlsx"), example("med-fejl.xlsx"))
    assert response.status_code == 303
    session_url = response.headers["location"]
    assert re.fullmatch(r"/session/[\w-]{20,}", session_url)

    result = client.get(session_url)
    assert result.status_code == 200
    page = text(result)
    assert "12 rækker læst: 7 gyldige, 5 med fejl (5 fejl)" in page
    cells = re.findall(r'<td class="cell"[^>]*>([^<]+)', result.text)
    assert cells == ["Forslag!R2", "Forslag!D4", "Forslag!L5", "Forslag!Q6", "Forslag!I8"]
    # Columns: what is wrong, and what to write, from the library's message.
    assert "Beløbet '1.5' kan læses på flere måder. Skriv fx 50.000 eller 1,5 mio." in page
    assert "<caption>" in result.text and "✖" in result.text and "Fejl" in page
    # The user's file names, never our temporary folder.
    assert str(app.state.store.root) not in result.text
    assert "med-fejl.xlsx" in page

    descending = client.get(session_url, params={"sorter": "celle", "orden": "faldende"})
    assert re.findall(r'<td class="cell"[^>]*>([^<]+)', descending.text)[0] == "Forslag!I8"

    marked = client.get(session_url + "/markeret/2")
    assert marked.status_code == 200
    assert "med-fejl-markeret.xlsx" in marked.headers["content-disposition"]
    workbook = openpyxl.load_workbook(io.BytesIO(marked.content))
    assert workbook["Fejl"]["A1"].value == "Fund i med-fejl.xlsx"
    assert client.get(session_url + "/markeret/1").status_code == 404   # no findings, no copy

    started = client.post(session_url + "/dokumenter",
                          data={"type": ["sagsfremstilling", "idekatalog"]},
                          follow_redirects=False)
    assert started.status_code == 303
    assert wait_for_job(client, session_url)["state"] == "faerdig"
    documents = client.get(session_url + "/dokumenter")
    assert documents.status_code == 200
    assert "Dokumenterne er klar" in text(documents)
    wait_for_previews(client, session_url)
    documents = client.get(session_url + "/dokumenter")
    assert documents.text.count("Første side af") == 7 or documents.text.count("<img") == 7

    archive = client.get(session_url + "/sagsgenerator-dokumenter.zip")
    assert archive.status_code == 200
    import docx
    with zipfile.ZipFile(io.BytesIO(archive.content)) as bundle:
        names = bundle.namelist()
        assert "idekatalog.docx" in names and "handleplan.docx" not in names
        papers = [n for n in names if n.startswith("sagsfremstilling")]
        assert len(papers) == 7
        for name in papers:
            assert docx.Document(io.BytesIO(bundle.read(name))).paragraphs
    first = client.get(session_url + "/dokumenter/0")
    assert first.status_code == 200 and first.content[:2] == b"PK"
    assert client.get(session_url + "/dokumenter/99").status_code == 404


def test_strict_turns_warnings_into_errors(client):
    response = upload(client, example("kronisk-sygdom.xlsx"), streng="1")
    page = text(client.get(response.headers["location"]))
    assert "4 rækker læst: 3 gyldige, 1 med fejl (1 fejl)" in page
    lenient = text(client.get(upload(client, example("kronisk-sygdom.xlsx")).headers["location"]))
    assert "4 rækker læst: 4 gyldige, 0 med fejl (1 advarsel)" in lenient
    assert "⚠ Advarsel" in lenient


def test_html_preview_when_libreoffice_is_missing(client, monkeypatch):
    monkeypatch.setattr(jobs.preview, "png_tools", lambda: False)
    session_url = upload(client, example("boern-og-unge.xlsx")).headers["location"]
    client.post(session_url + "/dokumenter", data={"type": "sagsfremstilling"})
    assert wait_for_job(client, session_url)["state"] == "faerdig"
    wait_for_previews(client, session_url)
    page = client.get(session_url + "/dokumenter").text
    assert page.count('class="page"') == 5
    large = client.get(session_url + "/forhaandsvisning/0")
    assert large.status_code == 200 and 'class="page"' in large.text
    assert "Røgfri skoletid – Bliv en vinder uden tobak" in html.unescape(large.text)
    assert "<img" not in page
    assert "Røgfri skoletid – Bliv en vinder uden tobak" in html.unescape(page)


def test_documents_are_ready_before_their_previews(client, monkeypatch):
    """Issue 15.3: the download list and the zip come as soon as the documents are written;
    the previews fill in afterwards."""
    import threading
    gate, real = threading.Event(), jobs.make_previews

    def slow(job, folder):
        gate.wait(30)
        real(job, folder)

    monkeypatch.setattr(jobs, "make_previews", slow)
    session_url = upload(client, example("boern-og-unge.xlsx")).headers["location"]
    client.post(session_url + "/dokumenter", data={"type": ["sagsfremstilling", "idekatalog"]})
    status = wait_for_job(client, session_url)
    assert status["state"] == "faerdig" and status["previews"] == "koerer"
    page = client.get(session_url + "/dokumenter")
    assert "6 filer dannet." in text(page) and "Forhåndsvisningerne laves" in text(page)
    assert client.get(session_url + "/sagsgenerator-dokumenter.zip").status_code == 200
    assert client.get(session_url + "/dokumenter/0").status_code == 200
    gate.set()
    wait_for_previews(client, session_url)
    assert "Forhåndsvisningerne laves" not in text(client.get(session_url + "/dokumenter"))


# Bad uploads ----------------------------------------------------------------------------

def _zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _workbook_without_forslag() -> bytes:
    workbook = openpyxl.Workbook()
    workbook.active.title = "Ark1"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 1024

BAD_UPLOADS = {
    "not-xlsx-text": (("noter.txt", b"bare tekst"), 415,
                      ["noter.txt: Filen er ikke en Excel-projektmappe (.xlsx). Gem den i "
                       "Excel som 'Excel-projektmappe (*.xlsx)'."]),
    "not-xlsx-old-excel": (("budget.xls", OLE), 415,
                           ["Filen er i det gamle Excel-format (.xls). Åbn den i Excel og gem "
                            "den som 'Excel-projektmappe (*.xlsx)'."]),
    "not-xlsx-csv": (("forslag.csv", b"Nr.;Titel\n1;Test\n"), 415,
                     ["Filen er en CSV-fil, ikke en Excel-projektmappe."]),
    "too-large": (("stor.xlsx", b"\0" * 400_000), 413,
                  ["stor.xlsx: Filen er for stor til at blive læst (over 300 kB; der kan "
                   "højst uploades 300 kB pr. fil)."]),
    "zip-bomb": (("bombe.xlsx", _zip({"xl/workbook.xml": b"<workbook/>",
                                      "xl/worksheets/sheet1.xml": b"0" * (3 * MB)})), 413,
                 ["bombe.xlsx: Filen er for stor til at blive læst (3 MB udpakket; højst "
                  "2 MB)."]),
    "not-a-workbook": (("forklædt.xlsx", b"Dette er ikke en projektmappe"), 422,
                       ["forklædt.xlsx: Filen er ikke en Excel-projektmappe (.xlsx)."]),
    "zip-not-workbook": (("arkiv.xlsx", _zip({"ppt/presentation.xml": b"<x/>"})), 422,
                         ["arkiv.xlsx: Filen er ikke en Excel-projektmappe (.xlsx)."]),
    "word-renamed": (("forslag.xlsx", _zip({"word/document.xml": b"<x/>"})), 415,
                     ["forslag.xlsx: Filen er et Word-dokument, ikke en Excel-projektmappe."]),
    "missing-forslag": (("uden-forslag.xlsx", _workbook_without_forslag()), 422,
                        ["uden-forslag.xlsx: Arket 'Forslag' findes ikke. Arkene i filen "
                         "hedder: 'Ark1'. Omdøb arket med forslagene til 'Forslag'."]),
    "empty-file": (("tom.xlsx", b""), 400, ["tom.xlsx: Filen er tom (0 byte)."]),
}


@pytest.mark.parametrize("case", BAD_UPLOADS, ids=list(BAD_UPLOADS))
def test_bad_upload_gets_a_danish_4xx_page(client, app, case):
    file, status, messages = BAD_UPLOADS[case]
    response = upload(client, file)
    assert_clean_error(response, status, *messages)
    assert str(app.state.store.root) not in response.text
    assert len(app.state.store) == 0, "a rejected upload leaves no session behind"


def test_bad_upload_message_is_the_cli_message(client, runner, tmp_path):
    from sagsgenerator.cli import cli
    path = tmp_path / "uden-forslag.xlsx"
    path.write_bytes(_workbook_without_forslag())
    cli_line = runner.invoke(cli, ["valider", str(path)]).output
    message = cli_line.split("kan ikke bruges: ", 1)[1].splitlines()[0].strip()
    assert message in text(upload(client, ("uden-forslag.xlsx", path.read_bytes())))


def test_no_file_chosen(client):
    # What a browser sends when the form is submitted without choosing a file.
    response = client.post("/upload", files=[("filer", ("", b"", "application/octet-stream"))])
    assert_clean_error(response, 400, "Du har ikke valgt nogen fil.")
    assert_clean_error(client.post("/upload", data={"streng": "1"}), 400,
                       "Du har ikke valgt nogen fil.")


@pytest.mark.parametrize("count", [LIMITS.max_files + 1, LIMITS.max_files + 10])
def test_too_many_files(client, count):
    files = [("lille.xlsx", b"PK")] * count
    assert_clean_error(upload(client, *files), 413, "Der kan højst uploades 4 filer ad gangen.")


def test_broken_form_data(client):
    response = client.post("/upload", content=b"--abc\r\nContent-Disposition: form-data; name",
                           headers={"content-type": "multipart/form-data; boundary=abc"})
    assert response.status_code == 400
    assert "Traceback" not in response.text


def test_request_larger_than_the_limit_is_refused_before_parsing(client):
    body = b"x" * (LIMITS.max_request_bytes + 1)
    response = client.post("/upload", content=body,
                           headers={"content-type": "multipart/form-data; boundary=abc"})
    assert_clean_error(response, 413, "Der kan højst uploades")


def test_streamed_request_larger_than_the_limit(client):
    def chunks():
        for _ in range(LIMITS.max_request_bytes // 65536 + 2):
            yield b"x" * 65536
    response = client.post("/upload", content=chunks(),
                           headers={"content-type": "multipart/form-data; boundary=abc"})
    assert_clean_error(response, 413, "Der kan højst uploades")


@pytest.mark.parametrize("name", ["../../evil.xlsx", "..\\..\\evil.xlsx", "/etc/evil.xlsx",
                                  "C:\\Windows\\evil.xlsx"])
def test_path_traversal_file_name_is_never_trusted(client, app, name, tmp_path):
    response = upload(client, (name, (INPUT / "boern-og-unge.xlsx").read_bytes()))
    assert response.status_code == 303
    page = text(client.get(response.headers["location"]))
    assert "evil.xlsx" in page and ".." not in page.split("evil.xlsx")[0][-5:]
    stored = list(app.state.store.root.rglob("evil.xlsx"))
    assert len(stored) == 1
    assert stored[0].resolve().is_relative_to(app.state.store.root.resolve())
    assert not (tmp_path.parent / "evil.xlsx").exists()


def test_same_name_twice_overwrites_nothing(client, app):
    response = upload(client, example("boern-og-unge.xlsx"), example("boern-og-unge.xlsx"))
    page = text(client.get(response.headers["location"]))
    # The second file of the same name takes the place of the first in the batch.
    assert "5 rækker læst: 5 gyldige, 0 med fejl" in page
    assert len(list(app.state.store.root.rglob("boern-og-unge.xlsx"))) == 1


def test_same_proposals_in_two_files_are_reported(client):
    response = upload(client, example("boern-og-unge.xlsx"),
                      ("kopi.xlsx", (INPUT / "boern-og-unge.xlsx").read_bytes()))
    page = text(client.get(response.headers["location"]))
    # Both files were read; the second copy of each proposal is reported, not rendered twice.
    assert "10 rækker læst: 5 gyldige, 5 med fejl" in page
    assert "er allerede læst fra boern-og-unge.xlsx, Forslag!B2" in page


def test_good_and_unusable_file_together(client):
    response = upload(client, example("kronisk-sygdom.xlsx"),
                      ("forklædt.xlsx", b"ikke en projektmappe"))
    assert_clean_error(response, 422, "Filen kan ikke bruges",
                       "forklædt.xlsx: Filen er ikke en Excel-projektmappe (.xlsx).",
                       "4 rækker læst: 4 gyldige, 0 med fejl (1 advarsel, 1 fil kunne ikke bruges)")
    assert "Dan dokumenterne" in text(response)


def _word_document() -> bytes:
    import docx
    buffer = io.BytesIO()
    document = docx.Document()
    document.add_paragraph("Vores forslag")
    document.save(buffer)
    return buffer.getvalue()


def test_every_usable_file_is_checked_beside_refused_ones(client):
    """Issue 15.2: an empty, an oversized and a renamed Word file each get their own line;
    the good file next to them is still checked and can be made into documents."""
    response = upload(client, example("kronisk-sygdom.xlsx"), ("tom.xlsx", b""),
                      ("stor.xlsx", b"\0" * 400_000), ("forslag.xlsx", _word_document()))
    assert response.status_code == 413
    page = text(response)
    assert "4 rækker læst: 4 gyldige, 0 med fejl (1 advarsel, 3 filer kunne ikke bruges)" in page
    assert "tom.xlsx: Filen er tom (0 byte)." in page
    assert "stor.xlsx: Filen er for stor til at blive læst (over 300 kB" in page
    assert "forslag.xlsx: Filen er et Word-dokument, ikke en Excel-projektmappe." in page
    word_line = page.split("forslag.xlsx: ", 1)[1].split("•")[0]
    assert "Gem den i Excel" not in word_line.split("tom.xlsx")[0]
    assert "Dan dokumenterne" in page and "Forslag!Q4" in page


def test_word_document_alone_is_told_it_is_word(client):
    for name in ("forslag.docx", "forslag.xlsx"):
        response = upload(client, (name, _word_document()))
        assert_clean_error(response, 415, f"{name}: Filen er et Word-dokument")
        assert "Gem den i Excel" not in text(response)


def test_batch_grows_and_a_corrected_file_replaces_its_original(client, tmp_path):
    """Issue 15.1: add a file to the batch, then send the corrected marked copy back: it
    replaces the original, the findings are new, and the first file stays."""
    session = upload(client, example("med-fejl.xlsx")).headers["location"]
    assert "7 rækker læst: 2 gyldige, 5 med fejl" in text(client.get(session))
    added = client.post(session + "/tilfoej", files=[("filer", example("kronisk-sygdom.xlsx"))],
                        follow_redirects=True)
    assert "11 rækker læst: 6 gyldige, 5 med fejl" in text(added)

    marked = tmp_path / "med-fejl-markeret.xlsx"
    marked.write_bytes(client.get(session + "/markeret/1").content)
    workbook = openpyxl.load_workbook(marked)
    sheet = workbook["Forslag"]
    sheet["R2"] = 1_500_000
    workbook.save(marked)
    again = client.post(session + "/tilfoej",
                        files=[("filer", ("med-fejl-markeret.xlsx", marked.read_bytes()))],
                        follow_redirects=True)
    page = text(again)
    assert "11 rækker læst: 7 gyldige, 4 med fejl" in page
    assert "Forslag!R2" not in page
    names = re.findall(r'<th scope="row">([^<]+)</th>', again.text)
    assert names == ["kronisk-sygdom.xlsx", "med-fejl-markeret.xlsx"]

    removed = client.post(session + "/fjern/2", follow_redirects=True)
    assert "7 rækker læst: 3 gyldige, 4 med fejl" in text(removed)


def test_strict_mode_is_shown_on_the_result_page(client):
    page = text(client.get(upload(client, example("kronisk-sygdom.xlsx"), streng="1")
                           .headers["location"]))
    assert "Advarsler tæller som fejl i denne kørsel." in page
    assert "Streng" not in page


def test_findings_name_the_proposal(client):
    page = text(client.get(upload(client, example("med-fejl.xlsx")).headers["location"]))
    assert "Nr. 3 »Seniorvenner og Cykling uden alder i alle bydele«" in page


def test_send_to_the_working_group_is_a_mailto_link(client):
    response = client.get(upload(client, example("med-fejl.xlsx")).headers["location"])
    link = html.unescape(re.search(r'href="(mailto:[^"]+)"', response.text).group(1))
    from urllib.parse import unquote
    assert link.startswith("mailto:hanne.sorensen@ishoj.dk?subject=")
    assert "med-fejl-markeret.xlsx" in unquote(link)
    assert "Siden kan ikke vedhæfte filer" in text(response)


def test_header_names_municipality_and_configuration(tmp_path):
    config = tmp_path / "proeve.toml"
    config.write_text('[kommune]\nnavn = "Prøve Kommune"\n', encoding="utf-8")
    app = create_app(config_path=config, limits=LIMITS)
    with TestClient(app, base_url=BASE) as client:
        for path in ("/", "/forslag", "/kalender", "/findes-ikke"):
            page = text(client.get(path))
            assert "Prøve Kommune" in page and f"Konfiguration: {config}" in page, path
    with TestClient(create_app(limits=LIMITS), base_url=BASE) as client:
        assert "Konfiguration: den indbyggede standard" in text(client.get("/"))


# Sessions -------------------------------------------------------------------------------

@pytest.mark.parametrize("path", [
    "/session/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
    "/session/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA/dokumenter",
    "/session/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA/dokumenter/status",
    "/session/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA/dokumenter/0",
    "/session/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA/markeret/1",
    "/session/kort",
    "/session/AAAAAAAAAAAAAAAAAAAAAAA..AAAAAAAAAAAAAAA",
])
def test_unknown_session(client, path):
    response = client.get(path)
    assert_clean_error(response, 404, "Filerne findes ikke længere")
    assert "Session" not in text(response) and "Fejlkode" not in text(response)


def test_generate_in_unknown_session(client):
    response = client.post("/session/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA/dokumenter",
                           data={"type": "idekatalog"})
    assert_clean_error(response, 404, "Filerne findes ikke længere")


def test_session_expires_and_its_folder_is_removed():
    app = create_app(limits=Limits(ttl_seconds=0.2))
    with TestClient(app, base_url=BASE, headers={"origin": BASE}) as client:
        session_url = upload(client, example("boern-og-unge.xlsx")).headers["location"]
        folder = app.state.store.root / session_url.rsplit("/", 1)[1]
        assert folder.is_dir()
        time.sleep(0.5)
        assert not folder.exists(), "the sweeper removes it without waiting for a request"
        assert_clean_error(client.get(session_url), 404, "Filerne findes ikke længere")
    assert not app.state.store.root.exists(), "stopping the server removes every upload"


def test_delete_session_now(client, app):
    session_url = upload(client, example("boern-og-unge.xlsx")).headers["location"]
    response = client.post(session_url + "/slet")
    assert response.status_code == 200 and "Filerne er slettet" in text(response)
    assert list(app.state.store.root.iterdir()) == [app.state.store.root / ".sagsgenerator-web"]
    assert client.get(session_url).status_code == 404


# Generating -----------------------------------------------------------------------------

@pytest.mark.parametrize("data, message", [
    ({}, "Vælg mindst én dokumenttype"),
    ({"type": "brev"}, "Ukendt dokumenttype. Vælg mellem: Sagsfremstillinger"),
])
def test_generate_needs_known_kinds(client, data, message):
    session_url = upload(client, example("boern-og-unge.xlsx")).headers["location"]
    assert_clean_error(client.post(session_url + "/dokumenter", data=data), 400, message)


def test_pdf_without_libreoffice(client, monkeypatch):
    monkeypatch.setattr(routes, "find_soffice", lambda: None)
    session_url = upload(client, example("boern-og-unge.xlsx")).headers["location"]
    assert "Lav også PDF" not in client.get(session_url).text
    response = client.post(session_url + "/dokumenter", data={"type": "idekatalog", "pdf": "1"})
    assert_clean_error(response, 400, "PDF kræver LibreOffice")


def test_no_valid_rows_offers_no_documents(client, make_intake):
    path = make_intake([proposal(1, **{"Målgruppe": ""})], name="alt-galt.xlsx")
    page = text(upload(client, ("alt-galt.xlsx", path.read_bytes()), follow=True))
    assert "1 række læst: 0 gyldige, 1 med fejl (1 fejl, 1 advarsel)" in page
    assert "Der er ingen gyldige forslag at danne dokumenter ud fra." in page
    assert "Forslag!I2" in page


# Safety ---------------------------------------------------------------------------------

def test_other_host_names_are_not_answered(app):
    with TestClient(app, base_url="http://angriber.example") as client:
        assert_clean_error(client.get("/"), 400, "ikke sendt til denne computer")


@pytest.mark.parametrize("origin", ["http://angriber.example", "null", None, "",
                                    "http://127.0.0.1:8791", "http://127.0.0.1.evil.example",
                                    "http://127.0.0.1, http://angriber.example"])
def test_post_without_our_origin_is_refused(app, origin):
    """Issue 12.8: a sandboxed iframe sends `Origin: null`; a missing or foreign Origin is
    refused too, for every state-changing request, before anything is stored."""
    headers = {} if origin is None else {"origin": origin}
    with TestClient(app, base_url=BASE, headers=headers) as client:
        for path in ("/upload", "/session/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA/slet",
                     "/beslutninger"):
            response = client.post(path, files=[("filer", example("boern-og-unge.xlsx"))])
            assert_clean_error(response, 403, "Forespørgslen kom ikke fra sagsgenerators egen side")
    assert len(app.state.store) == 0


@pytest.mark.parametrize("host", ["127.0.0.1:8791, evil.example", "evil.example",
                                  "127.0.0.1:8792", "127.0.0.1.evil.example:8791",
                                  "localhost:80, 127.0.0.1:8791", ""])
def test_host_must_be_exactly_ours_port_included(host):
    app = create_app(limits=LIMITS, port=8791)
    with TestClient(app, base_url="http://127.0.0.1:8791") as client:
        assert client.get("/").status_code == 200
        response = client.get("/", headers={"host": host})
        assert_clean_error(response, 400, "ikke sendt til denne computer")
        assert client.get("/", headers={"host": "localhost:8791"}).status_code == 200


def test_two_host_headers_are_refused(app):
    from starlette.testclient import TestClient as Raw
    with Raw(app, base_url=BASE) as client:
        request = client.build_request("GET", "/")
        request.headers = [("host", "127.0.0.1"), ("host", "evil.example")]
        # httpx folds the list into one header per name; send both through the ASGI scope.
    import asyncio

    async def call():
        sent = []

        async def receive():
            return {"type": "http.request", "body": b""}

        async def send(message):
            sent.append(message)
        scope = {"type": "http", "method": "GET", "path": "/", "raw_path": b"/",
                 "query_string": b"", "headers": [(b"host", b"127.0.0.1"),
                                                  (b"host", b"evil.example")],
                 "scheme": "http", "server": ("127.0.0.1", 80), "client": ("127.0.0.1", 1),
                 "root_path": "", "http_version": "1.1", "app": app}
        await app.middleware_stack(scope, receive, send) if app.middleware_stack else None
        return sent
    app.middleware_stack = app.build_middleware_stack()
    sent = asyncio.run(call())
    assert sent[0]["status"] == 400


def test_same_origin_post_is_accepted(client):
    response = client.post("/upload", files=[("filer", example("boern-og-unge.xlsx"))],
                           headers={"origin": BASE}, follow_redirects=False)
    assert response.status_code == 303


def test_serve_on_a_taken_port_says_so_in_danish():
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        with pytest.raises(ServerError, match=f"Porten {port} er optaget"):
            serve("127.0.0.1", port, open_browser=False)


def test_serve_on_another_interface_warns(capsys):
    with socket.create_server(("0.0.0.0", 0)) as taken:
        port = taken.getsockname()[1]
        with pytest.raises(ServerError):
            serve("0.0.0.0", port, open_browser=False)
    assert "Advarsel: sagsgenerator lytter på 0.0.0.0, så andre på netværket" in \
        capsys.readouterr().err


# Helpers --------------------------------------------------------------------------------

@pytest.mark.parametrize("given, expected", [
    ("boern-og-unge.xlsx", "boern-og-unge.xlsx"),
    ("Ældre og rehabilitering.xlsx", "Ældre og rehabilitering.xlsx"),
    ("../../evil.xlsx", "evil.xlsx"),
    ("..\\..\\evil.xlsx", "evil.xlsx"),
    ("a<b>:c|d?.xlsx", "a_b__c_d_.xlsx"),
    ("navn\x00.xlsx", "navn.xlsx"),
    ("..", ""),
    ("", ""),
    (".skjult.xlsx", "skjult.xlsx"),
    ("x" * 300 + ".xlsx", "x" * 95 + ".xlsx"),
])
def test_safe_name(given, expected):
    assert safe_name(given) == expected


@pytest.mark.parametrize("message, wrong, write", [
    ("Beløbet '1.5' kan læses på flere måder. Skriv fx 50.000 eller 1,5 mio.",
     "Beløbet '1.5' kan læses på flere måder.", "Skriv fx 50.000 eller 1,5 mio."),
    ("'Mål. Test' er tom, men skal udfyldes. Målet.",
     "'Mål. Test' er tom, men skal udfyldes.", "Målet."),
    ("Nr. 3 er brugt flere gange (også i Forslag!A2). Giv hvert forslag sit eget nummer.",
     "Nr. 3 er brugt flere gange (også i Forslag!A2).", "Giv hvert forslag sit eget nummer."),
    ("Kun én sætning.", "Kun én sætning.", ""),
])
def test_split_message(message, wrong, write):
    assert split_message(message) == (wrong, write)


@pytest.mark.skipif(routes.find_soffice() is None or not jobs.preview.png_tools(),
                    reason="LibreOffice (soffice) og pdftoppm er ikke installeret")
def test_pdf_and_png_preview_with_libreoffice(client):
    session_url = upload(client, example("kronisk-sygdom.xlsx")).headers["location"]
    assert "Lav også PDF" in client.get(session_url).text
    client.post(session_url + "/dokumenter", data={"type": "sagsfremstilling", "pdf": "1"})
    assert wait_for_job(client, session_url)["state"] == "faerdig"
    wait_for_previews(client, session_url)
    page = client.get(session_url + "/dokumenter").text
    assert page.count("<img") == 4
    png = client.get(session_url + "/forhaandsvisning/0.png")
    assert png.status_code == 200 and png.content[:8] == b"\x89PNG\r\n\x1a\n"
    with zipfile.ZipFile(io.BytesIO(client.get(session_url + "/sagsgenerator-dokumenter.zip")
                                    .content)) as bundle:
        names = bundle.namelist()
    assert sum(n.endswith(".pdf") for n in names) == sum(n.endswith(".docx") for n in names) == 4


def test_security_headers(client):
    front = client.get("/")
    assert "default-src 'self'" in front.headers["content-security-policy"]
    assert front.headers["x-content-type-options"] == "nosniff"
    session_url = upload(client, example("boern-og-unge.xlsx")).headers["location"]
    assert client.get(session_url).headers["cache-control"] == "no-store"


def test_danish_file_name_round_trip(client):
    response = upload(client, ("Ældre og rehabilitering.xlsx", (INPUT / "med-fejl.xlsx").read_bytes()))
    page = text(client.get(response.headers["location"]))
    assert "Ældre og rehabilitering.xlsx" in page
    marked = client.get(response.headers["location"] + "/markeret/1")
    assert marked.status_code == 200
    assert "filename*=utf-8''%C3%86ldre%20og%20rehabilitering-markeret.xlsx" in \
        marked.headers["content-disposition"]
