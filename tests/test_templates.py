"""Templates a municipality edits: export, check (each kind of error with its place), use, and
the variable reference that cannot drift from the code."""

from __future__ import annotations

from pathlib import Path

import pytest
from docx import Document

from sagsgenerator.cli import cli
from sagsgenerator.documents import KINDS, TEMPLATE_DIR
from sagsgenerator.render.prepare import check_template, sample_contexts, shape, variable_reference

ROOT = Path(__file__).resolve().parents[1]


def edited(tmp_path: Path, *paragraphs, kind: str = "sagsfremstilling") -> Path:
    """The built-in template with paragraphs added at the end; a paragraph given as a tuple
    is written as several runs, the odd ones bold (as Word does after a format change)."""
    document = Document(TEMPLATE_DIR / f"{kind}.docx")
    for text in paragraphs:
        paragraph = document.add_paragraph()
        for i, run in enumerate(text if isinstance(text, tuple) else (text,)):
            paragraph.add_run(run).bold = bool(i % 2)
    path = tmp_path / f"{kind}.docx"
    document.save(path)
    return path


def problems(path: Path, kind: str = "sagsfremstilling"):
    return [(p.error, p.place, p.message) for p in check_template(path, kind)]


def test_built_in_templates_are_clean():
    for kind in KINDS:
        assert check_template(TEMPLATE_DIR / f"{kind}.docx", kind) == []


def test_jinja_syntax_error_names_its_paragraph(tmp_path):
    (found,) = problems(edited(tmp_path, "Før", "{% if p.owner %}Projektejer: {{ p.owner }}"))
    error, place, message = found
    assert error and "»{% if p.owner %}Projektejer: {{ p.owner }}«" in place
    assert message.startswith("Skabelonen kan ikke læses: ")


def test_unknown_variables_get_the_nearest_valid_name(tmp_path):
    found = problems(edited(tmp_path, "Titel: {{ p.titel }}", "Kommune: {{ municipalty }}",
                            "{%p for x in p.indicator %}", "{{ x }}", "{%p endfor %}"))
    messages = [(place.split("»")[1].rstrip("«"), message.split(" Se listen")[0])
                for _, place, message in found]
    # docxtpl joins a {%p %} paragraph to its neighbour, so its place shows both.
    assert [(place.split(" }}")[0], message) for place, message in messages] == [
        ("Titel: {{ p.titel", "Feltet 'titel' findes ikke. Mente du 'title'?"),
        ("Kommune: {{ municipalty", "Variablen 'municipalty' findes ikke. Mente du "
                                    "'municipality'?"),
        ("Kommune: {{ municipalty", "Feltet 'indicator' findes ikke. Mente du 'indicators'?"),
    ]
    assert "{% for x in p.indicator %}" in messages[2][0]


def test_tag_split_across_paragraphs_is_an_error(tmp_path):
    found = problems(edited(tmp_path, "{% for i in p.indicators", "%}{{ i }}{% endfor %}"))
    assert found[0][0] and "begynder i ét afsnit" in found[0][2]
    assert "»{% for i in p.indicators«" in found[0][1]


def test_tag_split_across_runs_is_a_warning(tmp_path):
    found = problems(edited(tmp_path, ("Titel: {{ p.", "title }}")))
    assert found == [(False, "afsnit " + found[0][1].split(" ")[1] + " »Titel: {{ p.title }}«",
                      "Mærket »{{ p.title }}« er delt over 2 tekstbidder med hver sin "
                      "formatering. docxtpl samler det, men skriv det helst igen i ét stræk "
                      "uden at ændre formatering midt i.")]


def test_row_tag_outside_a_table_and_paragraph_tag_with_text(tmp_path):
    found = problems(edited(tmp_path, "{%tr for i in p.indicators %}", "{{ i }}", "{%tr endfor %}",
                            "Bemærk {%p if p.owner %}", "{%p endif %}"))
    assert [(e, m.split(",")[0].split(".")[0]) for e, _, m in found if "tr " in m or "{%p" in m][:3] == [
        (True, "Mærket »{%tr for i in p"), (True, "Mærket »{%tr endfor %}« gentager en tabelrække"),
        (False, "Mærket »{%p if p")]


def test_skabeloner_commands(runner, tmp_path, make_intake):
    folder = tmp_path / "skabeloner"
    result = runner.invoke(cli, ["skabeloner", "eksporter", str(folder)])
    assert result.exit_code == 0
    assert sorted(p.name for p in folder.iterdir()) == sorted(f"{k}.docx" for k in KINDS)
    again = runner.invoke(cli, ["skabeloner", "eksporter", str(folder)])
    assert again.exit_code == 2 and "--overskriv" in again.output
    result = runner.invoke(cli, ["skabeloner", "tjek", str(folder)])
    assert result.exit_code == 0
    assert result.output.splitlines() == ["5 skabeloner tjekket: 0 fejl, 0 advarsler."]

    edited(folder, "Ansvarlig: {{ p.center }}")          # a municipality's mistake
    result = runner.invoke(cli, ["skabeloner", "tjek", str(folder)])
    assert result.exit_code == 1
    assert "sagsfremstilling.docx, afsnit" in result.output
    assert "Feltet 'center' findes ikke. Mente du 'centre'?" in result.output
    generated = runner.invoke(cli, ["generer", str(make_intake()), "--skabeloner", str(folder),
                                    "--ud", str(tmp_path / "ud")])
    assert generated.exit_code == 2 and "har fejl" in generated.output

    document = Document(folder / "idekatalog.docx")     # a restyled catalogue is used
    document.add_paragraph("Kommunens egen tekst: {{ municipality }}")
    document.save(folder / "idekatalog.docx")
    (folder / "sagsfremstilling.docx").unlink()          # missing: the built-in is used
    generated = runner.invoke(cli, ["generer", str(make_intake()), "--skabeloner", str(folder),
                                    "--ud", str(tmp_path / "ud")])
    assert generated.exit_code == 0, generated.output
    text = "\n".join(p.text for p in Document(tmp_path / "ud" / "idekatalog.docx").paragraphs)
    assert "Kommunens egen tekst: Ishøj Kommune" in text
    assert len(list((tmp_path / "ud").glob("sagsfremstilling-*.docx"))) == 3


def test_variable_reference_is_current_and_complete():
    text = variable_reference()
    assert (ROOT / "docs" / "skabelonvariabler.md").read_text(encoding="utf-8") == text + "\n", \
        "docs/skabelonvariabler.md is stale: run 'sagsgenerator skabeloner variabler --ud " \
        "docs/skabelonvariabler.md'"
    rows = [line for line in text.splitlines() if line.startswith("| `")]
    assert rows and all(not line.endswith("|  |") and "|  (" not in line for line in rows)
    for kind, context in sample_contexts().items():
        for key in shape(context):
            assert f"| `{key}` |" in text
