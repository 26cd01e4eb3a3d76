"""The command line: exit status 0/1/2, one exact line each, JSON, and no traceback."""

from __future__ import annotations

import json
import zipfile

import openpyxl
import pytest

from sagsgenerator.cli import cli

from conftest import proposal


def test_valid_workbook_exits_0(runner, make_intake):
    path = make_intake(name="gyldig.xlsx")
    result = runner.invoke(cli, ["valider", str(path)])
    assert result.exit_code == 0
    assert result.output.splitlines() == ["3 rækker læst: 3 gyldige, 0 med fejl"]


def test_data_errors_exit_1_and_name_file_sheet_cell(runner, make_intake):
    path = make_intake([proposal(1, Titel=None), proposal(2), proposal(3)], name="fejl.xlsx")
    result = runner.invoke(cli, ["valider", str(path), "--ingen-markering"])
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        f"{path}, Forslag!B2: fejl: 'Titel' er tom, men skal udfyldes. "
        "Forslagets titel, højst 120 tegn.",
        "3 rækker læst: 2 gyldige, 1 med fejl (1 fejl)",
    ]


def test_json_report(runner, make_intake):
    path = make_intake([proposal(1, **{"Ressourcer opstart (kr.)": "1.5"}), proposal(2),
                        proposal(3)])
    result = runner.invoke(cli, ["valider", str(path), "--json", "--ingen-markering"])
    assert result.exit_code == 1
    report = json.loads(result.output)
    assert report["rækker_læst"] == 3 and report["gyldige"] == 2 and report["exitkode"] == 1
    (finding,) = report["fund"]
    assert (finding["kode"], finding["ark"], finding["celle"], finding["alvor"]) == (
        "amount-ambiguous", "Forslag", "R2", "fejl")
    assert "1.5" in finding["besked"]


def test_folder_of_workbooks(runner, make_intake, tmp_path):
    make_intake(name="a.xlsx")
    from conftest import GROUP
    make_intake([proposal(1, Titel=None), proposal(2), proposal(3)], name="b.xlsx",
                group={**GROUP, "Arbejdsgruppe": "Skolesundhed", "Fokusområde": "Ældre"})
    (tmp_path / "~$a.xlsx").write_bytes(b"lock")        # Excel's lock file is skipped
    result = runner.invoke(cli, ["valider", str(tmp_path), "--ingen-markering"])
    assert result.exit_code == 1
    assert result.output.splitlines()[-1] == "6 rækker læst: 5 gyldige, 1 med fejl (1 fejl)"


def _text_as_xlsx(path):
    path.write_text("Nr.;Titel\n1;Røgfri skoletid\n", encoding="utf-8")


def _old_xls(path):
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 2000)


def _encrypted(path):
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100
                     + "EncryptionInfo".encode("utf-16-le") + b"\0" * 100)


def _no_forslag_sheet(path):
    workbook = openpyxl.Workbook()
    workbook.active.title = "Ark1"
    workbook.create_sheet("Indsatser")
    workbook.save(path)


def _ods(path):
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", "<office:document-content/>")


def _zip_not_workbook(path):
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("hej.txt", "hej")


@pytest.mark.parametrize("make, name, message", [
    (_text_as_xlsx, "tekst.xlsx", "Filen er ikke en Excel-projektmappe (.xlsx). Gem den i Excel "
                                  "som 'Excel-projektmappe (*.xlsx)'."),
    (_old_xls, "gammel.xls", "Filen er i det gamle Excel-format (.xls). Åbn den i Excel og gem "
                             "den som 'Excel-projektmappe (*.xlsx)'."),
    (_encrypted, "hemmelig.xlsx", "Filen er beskyttet med adgangskode. Fjern adgangskoden i Excel "
                                  "(Filer > Oplysninger > Beskyt projektmappe) og gem igen."),
    (_no_forslag_sheet, "ark.xlsx", "Arket 'Forslag' findes ikke. Arkene i filen hedder: 'Ark1', "
                                    "'Indsatser'. Omdøb arket med forslagene til 'Forslag'."),
    (_ods, "calc.ods", "Filen er en OpenDocument (.ods)-fil, ikke en Excel-projektmappe. Åbn "
                       "den i Excel eller LibreOffice og gem den som 'Excel-projektmappe "
                       "(*.xlsx)'."),
    (_zip_not_workbook, "zip.xlsx", "Filen er ikke en Excel-projektmappe (.xlsx). Gem den i "
                                    "Excel som 'Excel-projektmappe (*.xlsx)'."),
])
def test_unusable_file_exits_2_with_one_danish_line(runner, tmp_path, make, name, message):
    path = tmp_path / name
    make(path)
    result = runner.invoke(cli, ["valider", str(path)])
    assert result.exit_code == 2
    assert result.output.splitlines()[0] == f"{path}: kan ikke bruges: {message}"
    assert "Traceback" not in result.output and result.exception is None or \
        isinstance(result.exception, SystemExit)


def test_missing_required_column_exits_2(runner, tmp_path, make_intake):
    path = make_intake()
    workbook = openpyxl.load_workbook(path)
    workbook["Forslag"].delete_cols(9)           # Målgruppe
    workbook.save(path)
    result = runner.invoke(cli, ["valider", str(path)])
    assert result.exit_code == 2
    assert result.output.splitlines()[0] == (
        f"{path}, Forslag: kan ikke bruges: Den obligatoriske kolonne 'Målgruppe' mangler i "
        "arket 'Forslag'. Tilføj den i overskriftsrækken (række 1).")


def test_missing_path_exits_2(runner, tmp_path):
    result = runner.invoke(cli, ["valider", str(tmp_path / "findes-ikke.xlsx")])
    assert result.exit_code == 2
    assert "Filen findes ikke" in result.output


def test_every_command_has_danish_help(runner):
    for command in cli.commands.values():
        result = runner.invoke(cli, [command.name, "--help"])
        assert result.exit_code == 0
        assert command.help and result.output.startswith("Brug: ")
        assert "Tilvalg:" in result.output and "Show this" not in result.output


def test_batch_reports_a_proposal_handed_in_twice_and_conflicting_priorities(runner, make_intake):
    from conftest import GROUP
    first = make_intake(name="a.xlsx")
    second = make_intake(name="b.xlsx")                           # the same file again
    other_group = {**GROUP, "Arbejdsgruppe": "Skolesundhed"}
    third = make_intake([proposal(n, Titel=f"Andet forslag {n}") for n in (1, 2, 3)],
                        group=other_group, name="c.xlsx")
    result = runner.invoke(cli, ["valider", str(first), str(second), str(third),
                                 "--ingen-markering"])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    duplicates = [line for line in lines if "er allerede læst fra" in line]
    assert [line.split(": ")[0] for line in duplicates] == [
        f"{second}, Forslag!B{r}" for r in (2, 3, 4)]
    conflicts = [line for line in lines if "Prioritet 1 er også givet til" in line]
    assert conflicts == [
        f"{third}, Forslag!V2: advarsel: Prioritet 1 er også givet til 'Røgfri skoletid 1' fra "
        f"arbejdsgruppen Børn og unge ({first}, Forslag!V2) under fokusområdet Børn og unge. "
        "Giv hvert forslag sin egen prioritet."]
    assert lines[-1] == "9 rækker læst: 6 gyldige, 3 med fejl (3 fejl, 3 advarsler)"


def test_an_unexpected_fault_is_said_in_danish_without_traceback(runner, make_intake,
                                                                 monkeypatch):
    import sagsgenerator.cli as cli_module

    def broken(*args, **kwargs):
        raise RuntimeError("noget gik galt")
    monkeypatch.setattr("sagsgenerator.batch.validate_batch", broken)
    monkeypatch.delenv("SAGSGENERATOR_FEJLSOEGNING", raising=False)
    result = runner.invoke(cli, ["valider", str(make_intake())])
    assert result.exit_code == 3
    assert result.output.startswith("Intern fejl i sagsgenerator: RuntimeError: noget gik galt.")
    assert "Traceback" not in result.output


@pytest.mark.parametrize("argv, line", [
    (["generer", "x.xlsx", "--u"], "Fejl: Tilvalget '--u' findes ikke. Mente du '--ud'?"),
    (["generer", "x.xlsx", "--registr", "r.db"], "Fejl: Tilvalget '--registr' findes ikke. "
     "(Mente du en af: '--processer', '--register', '--uden-register'?)"),
    (["generer", "x.xlsx", "--dokumenter", "referat"], None),
    (["generer", "x.xlsx", "--dato", "i morgen"], None),
])
def test_click_speaks_danish_also_in_its_suggestions(runner, argv, line):
    result = runner.invoke(cli, argv)
    assert result.exit_code == 2
    if line is not None:
        assert line in result.output.splitlines()
    for english in ("Did you mean", "is not one of", "does not match", "Usage:", "Error:"):
        assert english not in result.output


def test_the_blank_workbook_never_replaces_a_file(runner, make_intake, tmp_path):
    filled = make_intake()
    before = filled.read_bytes()
    result = runner.invoke(cli, ["skabelon", "--ud", str(filled)])
    assert result.exit_code == 2
    assert "findes allerede og bliver ikke overskrevet" in result.output
    assert filled.read_bytes() == before
    assert runner.invoke(cli, ["skabelon", "--ud", str(filled), "--overskriv"]).exit_code == 0
    assert filled.read_bytes() != before


def test_validating_imports_neither_documents_nor_openpyxl(make_intake, tmp_path):
    """`valider` starts without docx, Jinja, Pillow or openpyxl (a third of a second), also
    when it writes a marked copy: only rendering and writing our own workbooks need them."""
    import subprocess
    import sys

    path = make_intake([proposal(1, **{"Ansvarligt center": ""}), proposal(2), proposal(3)])
    marks = tmp_path / "marker"
    script = ("import sys; from pathlib import Path\n"
              "from sagsgenerator.batch import validate_batch\n"
              f"result = validate_batch([Path({str(path)!r})], marks_dir=Path({str(marks)!r}))\n"
              "assert result.report.rows_read == 3, result.report\n"
              "assert len(result.annotated) == 1, result.annotated\n"
              "print(sorted(m for m in ('openpyxl', 'docx', 'docxtpl', 'jinja2', 'PIL')"
              " if m in sys.modules))")
    import os
    from pathlib import Path

    import sagsgenerator
    source = str(Path(sagsgenerator.__file__).parents[1])
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": source})
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_valider_gives_the_objects_it_froze_back_to_the_collector(runner, make_intake):
    import gc

    before = gc.get_freeze_count()
    result = runner.invoke(cli, ["valider", str(make_intake()), "--ingen-markering"])
    assert result.exit_code == 0, result.output
    assert gc.get_freeze_count() == before
