"""Templates a municipality edits: export, check (each kind of error with its place, as
findings), use, and the variable reference that cannot drift from the code."""

from __future__ import annotations

import ast
import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from docx import Document

from sagsgenerator.config import DEFAULT_CONFIG
from sagsgenerator.documents import KINDS, TEMPLATE_DIR
from sagsgenerator.findings import Severity
from sagsgenerator.messages import MESSAGES
from sagsgenerator.render.check import check_folder, check_template, shape, variable_reference

ROOT = Path(__file__).resolve().parents[1]


from sagsgenerator.documents.samples import sample_contexts  # noqa: E402


CONTEXTS = sample_contexts()


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
    return [(f.severity is Severity.ERROR, f.location.place, f.message)
            for f in check_template(path, kind, CONTEXTS)]


def codes(path: Path, kind: str = "sagsfremstilling"):
    return [(f.code, f.severity is Severity.ERROR) for f in check_template(path, kind, CONTEXTS)]


def test_built_in_templates_are_clean():
    for kind in KINDS:
        assert check_template(TEMPLATE_DIR / f"{kind}.docx", kind, CONTEXTS) == []


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
    from sagsgenerator.cli import cli   # needs cli.py on the check.py API (see the render report)

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
    text = variable_reference(CONTEXTS)
    assert (ROOT / "docs" / "skabelonvariabler.md").read_text(encoding="utf-8") == text + "\n", \
        "docs/skabelonvariabler.md is stale: run 'sagsgenerator skabeloner variabler --ud " \
        "docs/skabelonvariabler.md'"
    rows = [line for line in text.splitlines() if line.startswith("| `")]
    assert rows and all(not line.endswith("|  |") and "|  (" not in line for line in rows)
    for kind, context in CONTEXTS.items():
        for key in shape(context):
            assert f"| `{key}` |" in text


@pytest.mark.parametrize("tag, forbidden", [
    ("{{ cycler.__init__.__globals__.os.popen('id').read() }}", "__init__"),
    ("{{ lipsum.__globals__['os'].popen('id').read() }}", "__globals__"),
    ("{{ ''.__class__.__mro__ }}", "__class__"),
    ("{{ p.title.mro() }}", "mro"),
    ("{{ municipality.os }}", "os"),
    ("{{ joiner().popen('id') }}", "popen"),
    ("{% for c in ().__class__.__base__.__subclasses__() %}{{ c }}{% endfor %}", "__class__"),
    ("{{ '{0.__class__}'.format(p) }}", "format"),
])
def test_what_the_sandbox_forbids_is_an_error_with_its_paragraph(tmp_path, tag, forbidden):
    (found,) = [f for f in check_template(edited(tmp_path, "Før", f"Hej {tag}"),
                                          "sagsfremstilling", CONTEXTS)
                if f.code == "template-forbidden"]
    assert found.severity is Severity.ERROR
    assert found.params["name"] == forbidden
    assert found.location.file == "sagsfremstilling.docx"
    assert f"»Hej {tag[:20]}" in found.location.place
    assert found.message.startswith(f"»{forbidden}« er ikke tilladt i en skabelon")


def test_unknown_names_filters_and_huge_ranges_are_errors(tmp_path):
    found = codes(edited(tmp_path, "{{ os }}", "{{ p.title | pprint }}",
                         "{% for i in range(10**8) %}{{ i }}{% endfor %}",
                         "{% for i in range(3) %}{{ i }}{% endfor %}"))
    assert found == [("template-forbidden", True), ("template-unknown-filter", True),
                     ("template-too-much-work", True)]


def test_headers_footers_notes_and_properties_are_checked(tmp_path):
    path = Path(__file__).parent / "data" / "templates" / "noter.docx"
    found = check_template(path, "sagsfremstilling", CONTEXTS)
    places = {(f.code, f.location.place.split(":")[0], f.params.get("name")) for f in found}
    assert ("template-unknown-variable", "fodnoter", "source") in places
    assert ("template-unknown-variable", "slutnoter", "case_number") not in places  # it exists
    assert ("template-unknown-variable", "egenskaben comments", "municipality") not in places
    header = edited(tmp_path, "x")
    document = Document(header)
    document.sections[0].header.paragraphs[0].text = "{{ kommune }} {{ x.__class__ }}"
    document.save(header)
    found = check_template(header, "sagsfremstilling", CONTEXTS)
    assert {(f.code, f.location.place.split(":")[0]) for f in found} >= {
        ("template-unknown-variable", "sidehoved"), ("template-forbidden", "sidehoved")}


def test_findings_have_messages_that_fill(tmp_path):
    found = check_template(edited(tmp_path, "{{ os.popen }}", "{% if x %}", ("{{ p.", "title }}"),
                                  "{%tr for x in p.indicators %}"), "sagsfremstilling", CONTEXTS)
    assert found and all(f.code in MESSAGES and f.message for f in found)
    assert all(str(f).startswith("sagsfremstilling.docx, ") for f in found)


def test_unreadable_template(tmp_path):
    path = tmp_path / "sagsfremstilling.docx"
    path.write_bytes(b"not a docx")
    (found,) = check_template(path, "sagsfremstilling", CONTEXTS)
    assert (found.code, found.location.place) == ("template-unreadable", "hele filen")


def test_check_folder_takes_kinds_and_contexts(tmp_path):
    edited(tmp_path, "{{ municipalty }}")
    found, missing = check_folder(tmp_path, KINDS, CONTEXTS)
    assert [f.params["name"] for f in found] == ["municipalty"]
    assert missing == [k for k in KINDS if k != "sagsfremstilling"]


def test_render_imports_no_layer_above_it():
    for path in (ROOT / "src" / "sagsgenerator" / "render").glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.level >= 2:
                top = (node.module or "").split(".")[0]
                assert top not in {"documents", "validation", "batch", "cli", "web"}, path
