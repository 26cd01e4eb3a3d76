"""The five documents: content read back with python-docx, Danish formats, template hygiene,
reproducible bytes, and the steering workbook."""

from __future__ import annotations

import re
import zipfile
from decimal import Decimal
from pathlib import Path

import docx
import openpyxl
import pytest
from docx.enum.section import WD_ORIENT

from sagsgenerator.config import DEFAULT_CONFIG
from sagsgenerator.danish import format_amount
from sagsgenerator.documents import KINDS, TEMPLATE_DIR, render_documents
from sagsgenerator.documents.sagsfremstilling import file_name
from sagsgenerator.errors import TemplateError
from sagsgenerator.render.context import batch_items, financing_phrase, follow_up_text, slug
from sagsgenerator.validation.validate import validate_paths

from conftest import GROUP, proposal

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "input"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


# --- helpers ----------------------------------------------------------------------------------

NBSP = "\u00a0"


def plain(text: str) -> str:
    """Text with its no-break spaces (dates, amounts) read as spaces."""
    return text.replace(NBSP, " ")


def paragraphs(path: Path) -> list[tuple[str, str]]:
    """(style name, text) of every body paragraph outside tables, in order (no-break spaces
    read as spaces; test_layout checks where they are)."""
    return [(p.style.name, plain(p.text)) for p in docx.Document(str(path)).paragraphs]


def headings(path: Path) -> list[tuple[str, str]]:
    return [(s, t) for s, t in paragraphs(path) if s.startswith("Heading") or s == "Title"]


def sections(path: Path) -> dict[str, str]:
    """Heading text -> the text of the paragraphs after it, up to the next heading."""
    result: dict[str, str] = {}
    current = None
    for style, text in paragraphs(path):
        if style.startswith("Heading") or style == "Title":
            current = text
            result.setdefault(current, "")
        elif current is not None:
            result[current] += text + "\n"
    return result


def full_text(path: Path) -> str:
    document = docx.Document(str(path))
    texts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                texts += [p.text for p in cell.paragraphs]
    return plain("\n".join(texts))


def table_rows(table) -> list[list[str]]:
    rows = []
    for row in table.rows:
        cells = []
        for tc in row._tr.findall(f"{W}tc"):  # merged cells once, not once per grid column
            cells.append(plain("\n".join("".join(t.text or "" for t in p.iter(f"{W}t"))
                                         for p in tc.iter(f"{W}p"))))
        rows.append(cells)
    return rows


def xml_parts(path: Path) -> dict[str, str]:
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n).decode("utf-8") for n in z.namelist() if n.endswith(".xml")}


def figure(value) -> str:
    return format_amount(Decimal(value)).removesuffix(" kr.")


# --- the bundled example ----------------------------------------------------------------------

@pytest.fixture(scope="module")
def example(tmp_path_factory):
    _, intakes = validate_paths([EXAMPLES])
    out = tmp_path_factory.mktemp("dokumenter")
    written = render_documents(intakes, out)
    return intakes, out, written


@pytest.fixture(scope="module")
def items(example):
    return batch_items(example[0], DEFAULT_CONFIG)


def test_example_renders_every_kind(example, items):
    intakes, out, written = example
    names = [p.name for p in written]
    cases = [n for n in names if n.startswith("sagsfremstilling-")]
    assert len(cases) == sum(len(i.proposals) for i in intakes) == len(items) == 11
    assert names[len(cases):] == ["idekatalog.docx", "handleplan.docx", "handleplan.xlsx",
                                  "opfoelgning.docx",
                                  "udvalgssag-social-og-sundhedsudvalget.docx",
                                  "udvalgssag-boerne-og-undervisningsudvalget.docx"]
    assert all(p.parent == out and p.is_file() for p in written)
    assert not list(out.glob(".*"))  # no temporary files left behind


def test_file_names_are_stable_slugs(items):
    assert slug("Røgfri skoletid – Bliv en vinder") == "roegfri-skoletid-bliv-en-vinder"
    assert slug("Ældre & Sundhed på Tværs") == "aeldre-sundhed-paa-tvaers"
    assert slug("Café élan") == "cafe-elan"
    assert len(slug("ord " * 40)) <= 60 and not slug("ord " * 40).endswith("-")
    names = [file_name(i) for i in items]
    assert len(set(names)) == len(names)
    assert ("sagsfremstilling-boern-og-unge-01-roegfri-skoletid-bliv-en-vinder-uden-tobak.docx"
            in names)


# --- Sagsfremstilling -------------------------------------------------------------------------

CASE_HEADINGS = [
    ("Heading 1", "Resumé"), ("Heading 1", "Indstilling"), ("Heading 1", "Sagsfremstilling"),
    ("Heading 2", "Baggrund"), ("Heading 2", "Formål og forventet effekt"),
    ("Heading 2", "Målgruppe og problemets omfang"), ("Heading 3", "Målgruppe"),
    ("Heading 3", "Problemets omfang"), ("Heading 2", "Indhold og rammer"),
    ("Heading 2", "Ansvar og organisering"), ("Heading 2", "Monitorering og evaluering"),
    ("Heading 1", "Økonomi"), ("Heading 1", "Tidsplan"), ("Heading 1", "Beslutning"),
]


def test_case_paper_has_every_section_in_order(example, items):
    out = example[1]
    for item in items:
        path = out / file_name(item)
        assert headings(path) == [("Title", item.proposal.title)] + CASE_HEADINGS


def test_case_paper_has_every_field_where_it_belongs(example, items):
    out = example[1]
    for item in items:
        p = item.proposal
        path = out / file_name(item)
        text = full_text(path)
        part = sections(path)
        # Free text fields: exactly once in the document, in their own section.
        for field, section in [("summary", "Resumé"), ("purpose", "Formål og forventet effekt"),
                               ("target_group", "Målgruppe"), ("problem_size", "Problemets omfang"),
                               ("content", "Indhold og rammer"),
                               ("monitoring", "Monitorering og evaluering"),
                               ("goal", "Baggrund"), ("partners", "Ansvar og organisering")]:
            value = getattr(p, field)
            if value is None:
                continue
            assert text.count(value) == 1, (p.title, field)
            assert value in part[section], (p.title, field)
        assert f"Indsatsområde: {p.area}" in part["Baggrund"]
        if p.theme:
            assert f"Tema i sundhedsstrategien: {p.theme}" in part["Baggrund"]
        if p.package:
            assert f"»{p.package}«" in part["Baggrund"]
        assert p.kind.lower() in part["Baggrund"]
        assert f"Ansvarligt center: {p.centre}" in part["Ansvar og organisering"]
        owner = p.owner or "Udpeges af chefgruppen"
        assert f"Projektejer: {owner}" in part["Ansvar og organisering"]
        bullets = [t for s, t in paragraphs(path) if s == "List Bullet"]
        assert bullets == p.indicators
        follow_up = plain(follow_up_text(p))
        start = p.start.danish if p.start else "Ikke fastlagt"
        assert f"Opfølgning: {follow_up}" in part["Monitorering og evaluering"]
        assert part["Tidsplan"] == f"Opstart: {start}\nOpfølgning: {follow_up}\n"
        assert part["Beslutning"].strip() == "______________"  # room for the decision
        assert f"»{p.title}«" in part["Indstilling"] and item.committee in part["Indstilling"]
        economy = table_rows(docx.Document(str(path)).tables[0])
        first_year = p.start.year if p.start else None
        assert economy[0][0] == "Beløb i kr." and len(economy[0]) == 5
        if first_year is not None and economy[0][1] == str(first_year):
            assert economy[1][1] == figure(p.cost_start)
        assert economy[-1][0] == "I alt"
        assert financing_phrase(p.financing) in part["Økonomi"]
        header = [t for s, t in paragraphs(path)[:5]]
        assert header[0] == f"Udvalg:\t{item.committee}"
        assert header[1] == "Mødedato:\tUdfyldes af sekretariatet"
        assert header[4] == f"Arbejdsgruppe:\t{item.group}"


def test_case_paper_recommendation_and_danish_formats(example, items):
    out = example[1]
    first = next(i for i in items if i.proposal.title.startswith("Røgfri skoletid"))
    part = sections(out / file_name(first))
    assert part["Indstilling"] == (
        "Administrationen indstiller, at Børne- og Undervisningsudvalget godkender indsatsen "
        "»Røgfri skoletid – Bliv en vinder uden tobak« med opstart 10. august 2026, og at "
        "opstartsudgiften på 75.000 kr. og driftsudgiften på 120.000 kr. årligt finansieres af "
        "sundhedsområdets midler.\n")
    astma = next(i for i in items if "astma" in i.proposal.title)
    path = out / file_name(astma)
    assert "Opstart: januar 2027" in sections(path)["Tidsplan"]
    assert "Opfølgning: Slut-evaluering juni 2028" in sections(path)["Tidsplan"]
    assert "1.200.000 kr." in full_text(path)
    # A proposal without a start-up cost only mentions the operating cost.
    minisport = next(i for i in items if i.proposal.title.startswith("Minisport"))
    indstilling = sections(out / file_name(minisport))["Indstilling"]
    assert "opstartsudgiften" not in indstilling
    assert "driftsudgiften på 60.000 kr. årligt" in indstilling


def test_no_attachment_heading_without_attachments(example, items):
    assert all("Bilag" not in dict(headings(example[1] / file_name(i))).values() for i in items)


# --- Idékatalog -------------------------------------------------------------------------------

def test_catalogue_structure_and_overview(example, items):
    path = example[1] / "idekatalog.docx"
    found = headings(path)
    assert found[0] == ("Title", "Idékatalog")
    expected = [("Heading 1", "Oversigt over forslagene")]
    for area in ("Børn og unge", "Ældre", "Borgere med kronisk sygdom"):
        expected.append(("Heading 1", area))
        for group in dict.fromkeys(i.group for i in items if i.focus_area == area):
            # Each group is named after its focus area: no heading of its own (issue 17.5).
            assert group == area
            expected += [("Heading 2", f"{i.display_number} {i.proposal.title}")
                         for i in items if i.group == group]
    assert found[1:] == expected
    # The static table of contents lists the same headings.
    toc = [t for s, t in paragraphs(path) if s.startswith("toc ")]
    assert [t for t in toc if t] == [t for _, t in expected]
    assert 'TOC \\o "1-3"' in xml_parts(path)["word/document.xml"]  # Word adds page numbers

    rows = table_rows(docx.Document(str(path)).tables[0])
    assert rows[0] == ["Nr.", "Titel", "Type", "Ansvarligt center", "Opstart (kr.)",
                       "Drift pr. år (kr.)", "Finansiering"]
    body = [r for r in rows[1:-1] if len(r) == 7]
    assert [r[1] for r in body] == [i.proposal.title for i in items]
    assert [r[0] for r in body] == [i.display_number for i in items]
    assert len(set(r[0] for r in body)) == len(body)  # unique across groups (issue 14 B6)
    assert [r[0] for r in rows if len(r) == 1] == ["Børn og unge", "Ældre",
                                                   "Borgere med kronisk sygdom"]
    assert [r[4] for r in body] == [figure(i.proposal.cost_start) for i in items]
    assert len([r for r in rows if len(r) == 1]) == 3  # one merged row per working group
    total_start = sum(i.proposal.cost_start for i in items)
    total_yearly = sum(i.proposal.cost_yearly for i in items)
    assert rows[-1] == ["", "I alt", "", "", figure(total_start), figure(total_yearly), ""]
    assert figure(total_start) == "2.555.000"


def test_catalogue_card_has_summary_target_group_centre_resources(example, items):
    part = sections(example[1] / "idekatalog.docx")
    for item in items:
        p = item.proposal
        card = part[f"{item.display_number} {p.title}"]
        assert p.summary in card and f"Målgruppe: {p.target_group}" in card
        assert f"Ansvarligt center: {p.centre}" in card
        assert (f"Ressourcer: opstart {format_amount(p.cost_start)}, drift "
                f"{format_amount(p.cost_yearly)} pr. år – {p.financing}") in card
        assert card.startswith(p.kind)


# --- Handleplan -------------------------------------------------------------------------------

def test_action_plan_is_landscape_sorted_with_totals(example, items):
    path = example[1] / "handleplan.docx"
    document = docx.Document(str(path))
    section = document.sections[0]
    assert section.orientation == WD_ORIENT.LANDSCAPE and section.page_width > section.page_height
    areas = ["Børn og unge", "Ældre", "Borgere med kronisk sygdom"]
    assert [t for s, t in headings(path) if s == "Heading 1"] == areas + [
        "Samlede ressourcer", "Økonomi i budgetperioden"]
    tables = document.tables
    for table, area in zip(tables, areas):
        rows = table_rows(table)
        assert rows[0] == ["Prioritet", "Nr.", "Indsats", "Formål", "Ansvar", "Opstart",
                           "Finansiering", "Opstart (kr.)", "Drift pr. år (kr.)"]
        chosen = [i for i in items if i.focus_area == area]
        ordered = sorted(chosen, key=lambda i: (not i.prioritised, i.proposal.priority is None,
                                                i.proposal.priority or 0, i.proposal.number))
        assert [r[2] for r in rows[1:-1]] == [i.proposal.title for i in ordered]
        assert [r[1] for r in rows[1:-1]] == [i.display_number for i in ordered]
        assert [r[0] for r in rows[1:-1]] == [str(i.proposal.priority) if i.proposal.priority
                                              else "–" for i in ordered]
        assert rows[-1][2] == f"I alt {area}"
        assert rows[-1][7:] == [figure(sum(i.proposal.cost_start for i in chosen)),
                                figure(sum(i.proposal.cost_yearly for i in chosen))]
    summary = table_rows(tables[3])
    assert summary[-1] == ["I alt", "11", "2.555.000 kr.", "2.495.000 kr."]
    # The chart, with alt text.
    doc_pr = [e for e in document.element.body.iter()
              if e.tag.endswith("}docPr")]
    assert len(doc_pr) == 1 and doc_pr[0].get("descr").startswith("Søjlediagram")
    assert "Børn og unge: opstart 1.675.000 kr." in doc_pr[0].get("descr")


def test_action_plan_workbook(example, items):
    book = openpyxl.load_workbook(example[1] / "handleplan.xlsx")
    sheet = book["Handleplan"]
    headers = [c.value for c in sheet[1]]
    assert headers[-2:] == ["Status", "Nøgle"] and "Ressourcer opstart (kr.)" in headers
    start_col = headers.index("Ressourcer opstart (kr.)") + 1
    rows = list(sheet.iter_rows(min_row=2, max_row=len(items) + 1, values_only=True))
    titles = sorted(r[headers.index("Indsats")] for r in rows)
    assert titles == sorted(i.proposal.title for i in items)
    cell = sheet.cell(row=2, column=start_col)
    assert isinstance(cell.value, (int, float, Decimal)) and "kr." in cell.number_format
    total = sheet.cell(row=len(items) + 2, column=start_col)
    assert total.value == f"=SUM(L2:L{len(items) + 1})"
    validation = sheet.data_validations.dataValidation[0]
    assert validation.formula1 == '"' + ",".join(DEFAULT_CONFIG.statuses) + '"'
    assert f"N2:N{len(items) + 1}" in str(validation.sqref)
    assert book.properties.title == "Handleplan"


# --- Opfølgning -------------------------------------------------------------------------------

def test_follow_up_by_theme_with_merged_goal_cells(example, items):
    path = example[1] / "opfoelgning.docx"
    level1 = [t for s, t in headings(path) if s == "Heading 1"]
    used = [t for t in DEFAULT_CONFIG.themes if any(i.proposal.theme == t.name for i in items)]
    assert level1 == [f"Tema {DEFAULT_CONFIG.themes.index(t) + 1}: {t.name}" for t in used]
    bullets = [t for s, t in paragraphs(path) if s == "List Bullet"]
    assert bullets == [g for t in used for g in t.goals]
    document = docx.Document(str(path))
    rows = [r for table in document.tables for r in table_rows(table)[1:]]
    assert len(rows) == len(items)
    assert table_rows(document.tables[0])[0] == ["Mål", "Projekter/Indsatser", "Ansvarlig",
                                                 "Målindikatorer", "Opfølgning"]
    # Two proposals share Indsatsområde "Inaktive børn" and its goal: one merged Mål cell.
    xml = xml_parts(path)["word/document.xml"]
    assert xml.count('w:vMerge w:val="restart"') == len(
        {(i.proposal.theme, i.proposal.area, i.proposal.goal) for i in items})
    assert xml.count('w:vMerge w:val="continue"') >= 1
    inactive = [r for r in rows if r[0].startswith("Inaktive børn")]
    assert len(inactive) == 1
    following = rows[rows.index(inactive[0]) + 1]
    assert following[0] == "" and following[1].startswith("Minisport")


# --- Samlet udvalgssag ------------------------------------------------------------------------

def test_committee_case_per_committee(example, items):
    out = example[1]
    path = out / "udvalgssag-boerne-og-undervisningsudvalget.docx"
    assert headings(path) == [("Title", "Prioriteret handleplan for sundhedsindsatser"),
                              ("Heading 1", "Resumé"), ("Heading 1", "Indstilling"),
                              ("Heading 1", "Sagsfremstilling"),
                              ("Heading 2", "Prioriterede indsatser"), ("Heading 1", "Økonomi"),
                              ("Heading 1", "Beslutning"), ("Heading 1", "Bilag")]
    part = sections(path)
    chosen = [i for i in items if i.committee == "Børne- og Undervisningsudvalget"
              and i.prioritised]
    assert part["Bilag"] == "Bilag 1: Idékatalog\nBilag 2: Handleplan\n" + "".join(
        f"Bilag {n}: Sagsfremstilling {i.display_number} »{i.proposal.title}«\n"
        for n, i in enumerate(chosen, start=3))
    rows = table_rows(docx.Document(str(path)).tables[0])
    assert [r[2] for r in rows[1:-1]] == [i.proposal.title for i in chosen]
    start = figure(sum(i.proposal.cost_start for i in chosen))
    assert rows[-1] == ["", "", "I alt", "", start,
                        figure(sum(i.proposal.cost_yearly for i in chosen))]
    assert "fem indsatsforslag" in part["Resumé"] and f"{start} kr." in part["Resumé"]
    assert part["Indstilling"].startswith(
        "Administrationen indstiller, at Børne- og Undervisningsudvalget godkender handleplanen")
    social = sections(out / "udvalgssag-social-og-sundhedsudvalget.docx")
    assert "Arbejdsgrupperne Ældre og Borgere med kronisk sygdom" in social["Resumé"]


# --- every document ---------------------------------------------------------------------------

def docx_files(out: Path) -> list[Path]:
    return sorted(out.glob("*.docx"))


def test_every_document_is_clean_danish_and_paged(example):
    for path in docx_files(example[1]):
        parts = xml_parts(path)
        for name, xml in parts.items():
            text = re.sub(r"<[^>]+>", "", xml)
            for token in ("{{", "}}", "{%", "%}", "{#"):
                assert token not in text, (path.name, name, token)
        document = docx.Document(str(path))
        core = document.core_properties
        assert core.language == "da-DK" and core.title and core.subject
        assert core.created.year == 2000 and core.modified.year == 2000
        assert '<w:lang w:val="da-DK"' in parts["word/styles.xml"].split("</w:docDefaults>")[0]
        footer = "".join(x for n, x in parts.items() if n.startswith("word/footer"))
        assert "PAGE" in footer and "NUMPAGES" in footer and "Side " in footer
        for table in document.tables:
            first = table.rows[0]._tr
            assert first.find(f"{W}trPr/{W}tblHeader") is not None, path.name
        styles = {s for s, _ in paragraphs(path)}
        assert "Title" in styles and "Heading 1" in styles


def test_same_input_gives_identical_bytes(example, tmp_path):
    _, intakes = validate_paths([EXAMPLES])
    again = render_documents(intakes, tmp_path / "igen")
    for path in again:
        assert path.read_bytes() == (example[1] / path.name).read_bytes(), path.name


# --- user text --------------------------------------------------------------------------------

TRICKY_TITLE = "Sund & glad <3 {{ x }} 💪"
TRICKY_SUMMARY = "Første linje med {% if %} og {{ x }}\nAnden linje: A & B < C > D\nTredje 😀"


@pytest.fixture
def tricky(make_intake, tmp_path):
    rows = [proposal(1, **{"Titel": TRICKY_TITLE, "Resumé (ca. ½ side)": TRICKY_SUMMARY,
                           "Udførende og samarbejdspartnere": None, "Tema": None,
                           "Prioritet": None, "Opstart": None, "Projektejer": None,
                           "Status": None}),
            proposal(2), proposal(3, **{"Titel": "Ugyldig", "Forslagstype": "Forkert"})]
    path = make_intake(rows, group={**GROUP, "Arbejdsgruppe": "Æblegruppen"})
    _, intakes = validate_paths([path])
    assert [p.number for p in intakes[0].proposals] == [1, 2]
    written = render_documents(intakes, tmp_path / "ud")
    return intakes, tmp_path / "ud", written


def test_user_text_comes_out_exactly_as_typed(tricky):
    _, out, written = tricky
    case = next(p for p in written if "-01-" in p.name)
    assert case.name == "sagsfremstilling-aeblegruppen-01-sund-glad-3-x.docx"
    document = docx.Document(str(case))
    assert document.paragraphs[[p.style.name for p in document.paragraphs].index("Title")].text \
        == TRICKY_TITLE
    # Alt+Enter lines are real paragraphs (issue 14 B4), not line breaks in one paragraph.
    assert sections(case)["Resumé"] == TRICKY_SUMMARY + "\n"
    xml = xml_parts(case)["word/document.xml"]
    assert "Sund &amp; glad &lt;3 {{ x }}" in xml
    assert "A &amp; B &lt; C &gt; D" in xml
    assert "Første linje med {% if %} og {{ x }}</w:t></w:r></w:p>" in xml
    assert "<w:br/>" not in xml
    assert "Ugyldig" not in full_text(case)
    for path in (p for p in written if p.suffix == ".docx"):
        assert "Ugyldig" not in full_text(path), path.name  # only valid rows
        text = full_text(path)
        if "Sund & glad" in text:
            assert TRICKY_TITLE in text, path.name


def test_empty_optional_fields_leave_no_dangling_headings(tricky):
    _, out, written = tricky
    case = next(p for p in written if "-01-" in p.name)
    part = sections(case)
    assert "Udførende og samarbejdspartnere" not in part["Ansvar og organisering"]
    assert "Projektejer: Udpeges af chefgruppen" in part["Ansvar og organisering"]
    assert "Tema i sundhedsstrategien" not in part["Baggrund"]
    assert "Opstart: Ikke fastlagt" in part["Tidsplan"]
    assert "med opstart" not in part["Indstilling"]
    follow_up = headings(out / "opfoelgning.docx")
    assert follow_up[-2:] == [("Heading 1", "Uden tema"), ("Heading 2", "Projekter og indsatser")]
    assert ("Heading 2", "Overordnede mål") in follow_up[:-2]
    # The unprioritised proposal comes last in the action plan, shown with a dash.
    rows = table_rows(docx.Document(str(out / "handleplan.docx")).tables[0])
    assert rows[-2][0] == "–" and rows[-2][2].startswith(TRICKY_TITLE)


# --- options and errors -----------------------------------------------------------------------

def test_chosen_kinds_only_and_nothing_without_valid_rows(example, tmp_path):
    intakes = example[0]
    written = render_documents(intakes, tmp_path / "a", kinds=["idekatalog"])
    assert [p.name for p in written] == ["idekatalog.docx"]
    assert render_documents([], tmp_path / "b") == []
    with pytest.raises(ValueError):
        render_documents(intakes, tmp_path / "c", kinds=["referat"])
    assert set(KINDS) == {"sagsfremstilling", "idekatalog", "handleplan", "opfoelgning",
                          "udvalgssag"}


def test_broken_template_names_template_and_kind(example, tmp_path):
    templates = tmp_path / "skabeloner"
    templates.mkdir()
    broken = docx.Document()
    broken.add_paragraph("{% for x in %}")
    broken.save(str(templates / "idekatalog.docx"))
    with pytest.raises(TemplateError) as error:
        render_documents(example[0], tmp_path / "ud", kinds=["idekatalog"],
                         template_dir=templates)
    assert "idekatalog.docx" in error.value.danish and "til idekatalog" in error.value.danish
    # A kind the folder has no template for uses the built-in one.
    written = render_documents(example[0], tmp_path / "ud", kinds=["handleplan"],
                               template_dir=templates)
    assert [p.name for p in written] == ["handleplan.docx", "handleplan.xlsx"]


def test_bundled_templates_exist():
    assert sorted(p.stem for p in TEMPLATE_DIR.glob("*.docx")) == sorted(KINDS)


def test_workbook_without_usable_group_sheet_still_renders(make_intake, tmp_path):
    path = make_intake(group={**GROUP, "Udvalg": None}, name="uden-gruppe.xlsx")
    _, intakes = validate_paths([path])
    assert intakes[0].group is None and len(intakes[0].proposals) == 3
    written = [p.name for p in render_documents(intakes, tmp_path / "ud")]
    assert "udvalgssag-uden-udvalg.docx" in written
    assert "sagsfremstilling-uden-gruppe-01-roegfri-skoletid-1.docx" in written
    case = paragraphs(tmp_path / "ud" / "sagsfremstilling-uden-gruppe-01-roegfri-skoletid-1.docx")
    assert case[0][1] == "Udvalg:\tUdfyldes af sekretariatet"
    assert ("Heading 1", "Uden fokusområde") in headings(tmp_path / "ud" / "idekatalog.docx")
