"""The municipality's configuration: a second municipality's lists reach the blank workbook
and the validator; a bad file is named by key and line."""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pytest

from sagsgenerator.cli import cli
from sagsgenerator.config_file import ConfigError, load_config
from sagsgenerator.validation.validate import validate_file

from conftest import GROUP, proposal

KOEGE = Path(__file__).resolve().parents[1] / "eksempler" / "koege"


@pytest.fixture
def koege(tmp_path: Path) -> Path:
    folder = tmp_path / "koege"
    shutil.copytree(KOEGE, folder)
    return folder / "sagsgenerator.toml"


def test_second_municipality_blank_workbook_has_its_own_dropdowns(runner, koege, tmp_path):
    target = tmp_path / "blank.xlsx"
    result = runner.invoke(cli, ["skabelon", "--konfig", str(koege), "--ud", str(target)])
    assert result.exit_code == 0, result.output
    workbook = openpyxl.load_workbook(target)
    lists = workbook["Lister"]
    columns = {lists.cell(row=1, column=c).value: [lists.cell(row=r, column=c).value
                                                   for r in range(2, lists.max_row + 1)]
               for c in range(1, lists.max_column + 1)}
    assert [v for v in columns["Centre"] if v] == list(load_config(koege).centres)
    assert "Sundhedstjenesten" in columns["Centre"]
    assert "Socialservice" not in columns["Centre"]
    assert [v for v in columns["Udvalg"] if v][1] == "Børne- og Ungeudvalget"
    assert workbook["Vejledning"]["A2"].value.startswith("Køge Kommune:")


def test_validator_follows_the_configuration(runner, koege, make_intake):
    group = {**GROUP, "Udvalg": "Børne- og Ungeudvalget"}
    rows = [proposal(1, **{"Ansvarligt center": "Sundhedstjenesten", "Tema": "Sund start på livet"}),
            proposal(2, **{"Ansvarligt center": "Socialservice", "Tema": "Sund start på livet"}),
            proposal(3, **{"Tema": "Borgernes mestring af eget liv"})]
    path = make_intake(rows, group=group)
    intake = validate_file(path, load_config(koege))
    assert [(f.code, f.location.cell) for f in intake.report.findings] == [
        ("choice-invalid", "L3"), ("choice-invalid", "E4"), ("choice-invalid", "L4")]
    # The same file under the built-in default: the Køge committee and theme are unknown.
    result = runner.invoke(cli, ["valider", str(path), "--ingen-markering"])
    assert "'Børne- og Ungeudvalget' er ikke en mulighed under 'Udvalg'" in result.output


def test_config_found_in_working_folder(runner, koege, monkeypatch):
    monkeypatch.chdir(koege.parent)
    result = runner.invoke(cli, ["konfig"])
    assert result.exit_code == 0
    assert "kommune.navn = Køge Kommune    [sagsgenerator.toml, linje 5]" in result.output
    assert "kommune.forvaltning = Sundhedsområdet    [sagsgenerator.toml, linje 6]" in result.output
    assert "lister.forebyggelsespakker = Alkohol" in result.output
    assert "[indbygget standard]" in result.output
    assert "Social- og Sundhedsudvalget: 12. februar 2026" in result.output


@pytest.mark.parametrize("text, message", [
    ('[kommune]\nnavn = "Køge\n', "linje 2, kolonne 13: teksten er ikke gyldig TOML"),
    ('[kommune]\nnvan = "Køge Kommune"\n', "linje 2: nøglen 'kommune.nvan' kendes ikke. Mente du 'navn'?"),
    ('[lister]\ncentre = "Sundhed"\n', "linje 2: nøglen 'lister.centre' skal være en liste med tekster"),
    ('[lister]\nudvalg = ["A", "a"]\n', "linje 2: nøglen 'lister.udvalg' indeholder den samme værdi to gange."),
    ('[frister]\ncenterchef_dage = -3\n', "linje 2: nøglen 'frister.centerchef_dage' skal være et helt antal dage"),
    ('[kommune]\nlogo = "mangler.png"\n', "linje 2: nøglen 'kommune.logo' peger på 'mangler.png'"),
    ('[kommune]\nsagsnummer = "{aar}-{sag}"\n', "linje 2: nøglen 'kommune.sagsnummer' kan ikke bruges: feltet »{sag}« kendes ikke"),
    ('[listerne]\n', "linje 1: nøglen 'listerne' kendes ikke. Mente du 'lister'?"),
    ('[[moede]]\nudvalg = "Byrådet"\ndatoer = ["12. marts"]\n',
     "linje 3: nøglen 'moede.datoer' skal være en liste af datoer"),
])
def test_bad_configuration_names_key_and_line(runner, tmp_path, text, message):
    path = tmp_path / "sagsgenerator.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_config(path)
    assert info.value.danish.startswith(str(path))
    assert message in info.value.danish
    result = runner.invoke(cli, ["konfig", "--konfig", str(path)])
    assert result.exit_code == 2
    assert result.output.startswith(f"Fejl: {path}")
    assert "Traceback" not in result.output


def test_second_municipality_documents_have_its_name_and_logo(runner, koege, make_intake,
                                                              tmp_path, monkeypatch):
    import io
    import zipfile

    from docx import Document

    from sagsgenerator.config_file import load_config
    from sagsgenerator.documents import MODULES, TEMPLATE_DIR
    from sagsgenerator.render import engine
    from sagsgenerator.render.context import batch_items
    from sagsgenerator.render.engine import PreparedTemplate

    group = {**GROUP, "Udvalg": "Børne- og Ungeudvalget"}
    rows = [proposal(n, **{"Ansvarligt center": "Sundhedstjenesten",
                           "Tema": "Sund start på livet"}) for n in (1, 2, 3)]
    path = make_intake(rows, group=group)
    out = tmp_path / "ud"
    result = runner.invoke(cli, ["generer", str(path), "--konfig", str(koege), "--ud", str(out),
                                 "--dato", "2026-01-05"])
    assert result.exit_code == 0, result.output
    paper = next(out.glob("sagsfremstilling-*-01-*.docx"))
    document = Document(paper)
    assert document.core_properties.author == "Køge Kommune, Sundhedsområdet"
    assert "Køge Kommune" in document.sections[0].header.paragraphs[0].text
    with zipfile.ZipFile(paper) as archive:
        body = archive.read("word/document.xml").decode()
        logo = next(n for n in archive.namelist() if n.startswith("word/media/"))
        assert archive.read(logo) == (koege.parent / "logo.png").read_bytes()
    assert 'descr="Køge Kommunes logo"' in body
    text = "\n".join(p.text for p in document.paragraphs).replace("\xa0", " ")
    assert "10. februar 2026" in text and "29.30.00-P20-1-2026" in text
    # The fast renderer equals docxtpl's with the logo too.
    config = load_config(koege)
    _, intakes = __import__("sagsgenerator").validate_paths([path], config)
    planned = MODULES["sagsfremstilling"].plan(batch_items(intakes, config), config)[0]
    template = TEMPLATE_DIR / "sagsfremstilling.docx"
    from test_fast_render import same_content
    assert same_content(PreparedTemplate(template, "s").render(planned.context, planned.properties),
                        engine.render(template, planned.context, planned.properties, "s"))
