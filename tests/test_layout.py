"""What a committee secretary sees (issue 14 B, issue 17 items 4-9): case numbers, budget
years, Danish dates, fitted tables, page facts from LibreOffice's PDF, accessibility."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
import zipfile
from decimal import Decimal
from pathlib import Path

import docx
import openpyxl
import pytest
from lxml import etree

from sagsgenerator.config import DEFAULT_CONFIG, Config
from sagsgenerator.danish import Period, number_word, paragraphs_of, with_danish_period
from sagsgenerator.documents import TEMPLATE_DIR, render_documents
from sagsgenerator.documents import handleplan, udvalgssag
from sagsgenerator.documents.handleplan import decision_key
from sagsgenerator.render.context import (BUDGET_RULE, batch_items, group_prefixes, per_year,
                                          slug)
from sagsgenerator.validation.validate import validate_paths

from accessibility import accessibility_problems
from conftest import GROUP, proposal

ROOT = Path(__file__).resolve().parent.parent
INPUTS = [ROOT / "input" / "boern-og-unge.xlsx", ROOT / "input" / "kronisk-sygdom.xlsx"]
TODAY = dt.date(2026, 12, 2)
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
NBSP = "\u00a0"


@pytest.fixture(scope="module")
def intakes():
    _, found = validate_paths(INPUTS)
    return found


@pytest.fixture(scope="module")
def out(intakes, tmp_path_factory):
    folder = tmp_path_factory.mktemp("layout")
    render_documents(intakes, folder, today=TODAY)
    return folder


def docx_paths(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.docx"))


def text(path: Path) -> str:
    document = docx.Document(str(path))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                parts += [p.text for p in cell.paragraphs]
    return "\n".join(parts)


def part(path: Path, name: str) -> etree._Element:
    with zipfile.ZipFile(path) as package:
        return etree.fromstring(package.read(name))


# --- every document ---------------------------------------------------------------------------

def test_every_document_is_accessible(out):
    for path in docx_paths(out):
        assert accessibility_problems(path) == [], path.name


def test_no_stale_word2010_styles_part(out):
    """Issue 17.9: python-docx's stylesWithEffects.xml disagreed with styles.xml."""
    for path in sorted(TEMPLATE_DIR.glob("*.docx")) + docx_paths(out):
        with zipfile.ZipFile(path) as package:
            names = package.namelist()
            assert "word/stylesWithEffects.xml" not in names, path.name
            assert b"stylesWithEffects" not in package.read("word/_rels/document.xml.rels")
            assert b"stylesWithEffects" not in package.read("[Content_Types].xml")


STYLE_REFERENCES = ("pStyle", "rStyle", "tblStyle", "numStyleLink", "styleLink", "basedOn",
                    "next", "link")


def test_templates_define_the_styles_they_use_and_few_more(out):
    """Issue 16: the templates and documents carry the styles their text, headers, footers
    and lists use (and those a municipality restyles), not python-docx's 164 (340 KB of XML
    parsed for every template and copied into every document); every style named is there."""
    for path in sorted(TEMPLATE_DIR.glob("*.docx")) + docx_paths(out):
        with zipfile.ZipFile(path) as package:
            data = package.read("word/styles.xml")
            defined = {s.get(f"{W}styleId") for s in etree.fromstring(data).iter(f"{W}style")}
            named = {e.get(f"{W}val")
                     for name in package.namelist()
                     if name.startswith("word/") and name.endswith(".xml")
                     for e in etree.fromstring(package.read(name)).iter(
                         *(f"{W}{tag}" for tag in STYLE_REFERENCES))}
        assert named <= defined, (path.name, named - defined)
        assert {"Heading1", "Title", "Caption", "Tabeltekst", "TableGrid"} <= defined, path.name
        assert len(defined) < 50 and len(data) < 40_000, (path.name, len(defined), len(data))


def test_danish_hyphenation_and_fonts(out):
    for path in docx_paths(out):
        settings = part(path, "word/settings.xml")
        assert settings.find(f"{W}autoHyphenation") is not None, path.name
        styles = part(path, "word/styles.xml")
        lang = styles.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}lang")
        assert lang.get(f"{W}val") == "da-DK"
        fonts = {e.get(f"{W}ascii") for e in styles.iter(f"{W}rFonts")} - {None}
        assert "Calibri" in fonts and not fonts & {"Carlito", "Caladea"}


def test_tables_fit_the_text_area(out):
    """Issue 14 B3: the grid never sticks out of the margins; fixed layout; rows stay whole
    in the large tables; the header row repeats."""
    for path in docx_paths(out):
        document = docx.Document(str(path))
        section = document.sections[0]
        text_width = section.page_width - section.left_margin - section.right_margin
        text_twips = text_width / 635  # EMU -> twips
        for table in part(path, "word/document.xml").iter(f"{W}tbl"):
            grid = sum(int(c.get(f"{W}w")) for c in table.find(f"{W}tblGrid"))
            assert grid <= text_twips + 1, (path.name, grid, text_twips)
            assert table.find(f"{W}tblPr/{W}tblLayout").get(f"{W}type") == "fixed"
            rows = table.findall(f"{W}tr")
            assert rows[0].find(f"{W}trPr/{W}tblHeader") is not None
            assert all(r.find(f"{W}trPr/{W}cantSplit") is not None for r in rows), path.name


def test_dates_and_amounts_never_wrap(out):
    """Issue 17.7: no-break spaces inside dates and amounts, and the column headers say
    '(kr.)' with their words."""
    plan = text(out / "handleplan.docx")
    assert f"10.{NBSP}august{NBSP}2026" in plan
    assert f"Drift pr.{NBSP}år{NBSP}(kr.)" in plan
    case = next(out.glob("sagsfremstilling-boern-og-unge-01-*.docx"))
    body = text(case)
    recommendation = next(p.text for p in docx.Document(str(case)).paragraphs
                          if p.text.startswith("Administrationen indstiller"))
    assert f"75.000{NBSP}kr." in recommendation and "75.000 kr." not in recommendation
    assert f"10.{NBSP}august{NBSP}2026" in recommendation
    assert f"2.{NBSP}december{NBSP}2026" in body


def test_follow_up_dates_are_danish(out):
    """Issue 14 B4: 'Jan. 2027' is written 'januar 2027'."""
    for path in docx_paths(out):
        body = text(path).replace(NBSP, " ")
        assert "Jan. 2027" not in body and "feb. 2027" not in body, path.name
    follow_up = text(out / "opfoelgning.docx").replace(NBSP, " ")
    assert "januar 2027" in follow_up and "Årsrapport februar 2027" in follow_up


def test_danish_period_rewrite():
    assert with_danish_period("Jan. 2027", Period(2027, 1)) == "januar 2027"
    assert with_danish_period("Årsrapport feb. 2027", Period(2027, 2)) == \
        "Årsrapport februar 2027"
    assert with_danish_period("Evaluering 2027-03-15", Period(2027, 3, 15)) == \
        "Evaluering 15. marts 2027"
    assert with_danish_period("Slut-evaluering følger", None) == "Slut-evaluering følger"
    assert paragraphs_of("Første\n\n Anden \nTredje") == ["Første", "Anden", "Tredje"]
    assert number_word(5) == "fem" and number_word(1) == "ét" and number_word(1, False) == "én"
    assert number_word(40) == "40"


def test_economy_table_in_body_size(out):
    case = next(out.glob("sagsfremstilling-*.docx"))
    document = docx.Document(str(case))
    economy = document.tables[0]
    style = economy.rows[1].cells[0].paragraphs[0].style
    assert style.name == "Tabeltekst stor" and style.font.size.pt == 11


def test_headings_keep_with_what_follows(out):
    """'Beslutning' comes with Tidsplan, the chart with its caption, the indicators with
    their label and the follow-up line."""
    case = next(out.glob("sagsfremstilling-*.docx"))
    paragraphs = docx.Document(str(case)).paragraphs
    names = [p.text for p in paragraphs]
    i = names.index("Tidsplan")
    for paragraph in paragraphs[i + 1:names.index("Beslutning") + 1]:
        if paragraph.style.name.startswith("Heading"):
            assert paragraph.style.paragraph_format.keep_with_next
        else:
            assert paragraph.paragraph_format.keep_with_next, paragraph.text
    label = names.index("Målindikatorer:")
    assert paragraphs[label].paragraph_format.keep_with_next
    plan = docx.Document(str(out / "handleplan.docx")).paragraphs
    chart = next(p for p in plan if p._p.xpath(".//w:drawing"))
    assert chart.paragraph_format.keep_with_next


# --- numbers, names and wording ---------------------------------------------------------------

def test_case_numbers_from_the_register_and_for_the_committee(intakes):
    """Issue 14 B1: the combined case has its case number; the register's numbers win."""
    items = batch_items(intakes, DEFAULT_CONFIG, TODAY,
                        case_numbers={("Børn og unge", 1): "27.00.00-A00-7-26"},
                        committee_case_numbers={"Social- og Sundhedsudvalget": "SSU-2026-9"})
    first = next(i for i in items if i.group == "Børn og unge" and i.proposal.number == 1)
    assert first.case_number == "27.00.00-A00-7-26"
    other = next(i for i in items if i.group == "Børn og unge" and i.proposal.number == 2)
    # With the register's numbers, only they count: a stateless number would be a second series.
    assert other.case_number is None
    planned = {p.name: p for p in udvalgssag.plan(items, DEFAULT_CONFIG)}
    assert planned["udvalgssag-social-og-sundhedsudvalget.docx"].context["case_number"] == \
        "SSU-2026-9"
    # Without a mapping: the configured pattern, never blank.
    fallback = batch_items(intakes, DEFAULT_CONFIG, TODAY)
    for p in udvalgssag.plan(fallback, DEFAULT_CONFIG):
        assert re.fullmatch(r"2026-\d{3}", p.context["case_number"]), p.name
    numbers = [i.case_number for i in fallback] + list(fallback.committee_case_numbers.values())
    assert len(set(numbers)) == len(numbers)


def test_committee_case_counts_only_prioritised_and_lists_held_back(intakes):
    """Issue 14 B5."""
    items = batch_items(intakes, DEFAULT_CONFIG, TODAY,
                        held_back=[("Ældre", 5), ("Børn og unge", 0)])
    social = next(p for p in udvalgssag.plan(items, DEFAULT_CONFIG)
                  if p.name == "udvalgssag-social-og-sundhedsudvalget.docx").context
    statuses = {i.proposal.number: i.proposal.status for i in items
                if i.group == "Borgere med kronisk sygdom"}
    prioritised = [n for n, s in statuses.items() if s != "Forslag"]
    assert [p["sheet_nr"] for p in social["proposals"]] == [str(n) for n in prioritised]
    assert "prioriteret tre indsatser" in social["summary"]
    assert social["held_back"] == ["Fem forslag fra arbejdsgruppen Ældre afventer rettelser og "
                                   "er ikke med i sagen."]
    assert social["title"] == "Prioriteret handleplan for sundhedsindsatser"
    assert all("Borgere med kronisk sygdom" not in a or "BKS" in a or "Bilag" in a
               for a in social["attachments"])
    assert not any("BU-" in a for a in social["attachments"])  # only its own committee's


def test_unprioritised_plan_is_not_called_prioritised(make_intake, tmp_path):
    rows = [proposal(n, **{"Status": "Forslag"}) for n in (1, 2, 3)]
    path = make_intake(rows, group=GROUP)
    _, found = validate_paths([path])
    items = batch_items(found, DEFAULT_CONFIG, TODAY)
    case = udvalgssag.plan(items, DEFAULT_CONFIG)[0]
    assert "Prioriteret" not in case.context["title"]
    assert "Prioriteret" not in case.properties.title
    assert "Prioriteret" not in handleplan.plan(items, DEFAULT_CONFIG)[0].properties.subject
    assert case.context["attachments"][:1] == ["Bilag 1: Idékatalog"]
    assert "Bilag 2: Handleplan" not in case.context["attachments"]


def test_numbers_unique_across_groups():
    assert group_prefixes(["Børn og unge", "Borgere med kronisk sygdom", "Ældre",
                           "Bevægelse og unge"]) == {
        "Børn og unge": "BU", "Borgere med kronisk sygdom": "BKS", "Ældre": "ÆLD",
        "Bevægelse og unge": "BU2"}


def test_group_named_once(out):
    """Issue 17.5: no 'Børn og unge – arbejdsgruppen Børn og unge'; the plan does not repeat
    the group under every title."""
    catalogue = text(out / "idekatalog.docx")
    assert "Børn og unge – arbejdsgruppen Børn og unge" not in catalogue
    assert "Arbejdsgruppen Børn og unge" in catalogue  # named once, in the group's line
    plan = docx.Document(str(out / "handleplan.docx"))
    titles = [row.cells[2].text for row in plan.tables[0].rows[1:-1]]
    assert titles and not any("Børn og unge" in t for t in titles)


def test_generated_danish_reads_well(out):
    """Issue 17.6 and 14 B7: the rewritten sentences."""
    for path in docx_paths(out):
        body = text(path)
        for clumsy in ("hvoraf", "af forslagene er prioriteret", "så forslaget beskrives",
                       "i forvejen, så"):
            assert clumsy not in body, (path.name, clumsy)
    development = next(out.glob("sagsfremstilling-borgere-med-kronisk-sygdom-01-*.docx"))
    background = text(development)
    assert "udviklingsforslag" in background
    assert "bygger på konkrete anbefalinger" not in background  # kronisk-01 names a package
    assert "bygger ikke på pakkens anbefalinger" in background


def test_follow_up_overview_lists_title_and_period(out):
    """Issue 17.4: the Projekter/Indsatser column as in seed 003, not the Målgruppe text."""
    document = docx.Document(str(out / "opfoelgning.docx"))
    cells = [row.cells[1].text for table in document.tables for row in table.rows[1:]]
    assert cells and not any("Målgruppe" in c for c in cells)
    assert any(re.search(r"Handlingsforslag 2026–2027$", c) for c in cells)


def test_dates_and_municipality_on_front_pages(out):
    """Issue 14 B8."""
    for name in ("idekatalog.docx", "handleplan.docx", "opfoelgning.docx"):
        body = text(out / name).replace(NBSP, " ")
        assert "2. december 2026" in body and "Ishøj Kommune" in body, name
    assert "Periode 2026–2029" in text(out / "handleplan.docx").replace(NBSP, " ")


def test_plan_period_from_the_configuration(intakes):
    class WithPeriod(Config):
        period: str = "2026–2029"

    config = WithPeriod(**DEFAULT_CONFIG.model_dump())
    items = batch_items(intakes, config, TODAY)
    context = handleplan.plan(items, config)[0].context
    assert context["period"] == "2026–2029" and "perioden 2026–2029" in context["intro"]


def test_economy_per_budget_year(out, intakes):
    """Issue 14 B9: start-up in the start year, operation pro rata from the start month."""
    items = batch_items(intakes, DEFAULT_CONFIG, TODAY)
    first = next(i for i in items if i.group == "Børn og unge" and i.proposal.number == 1)
    assert first.proposal.start == Period(2026, 8, 10)
    start, run = per_year(first.proposal, 2026)
    assert start == [Decimal(75000), 0, 0, 0]
    assert run == [Decimal(50000), Decimal(120000), Decimal(120000), Decimal(120000)]
    for name in ("handleplan.docx", "udvalgssag-social-og-sundhedsudvalget.docx",
                 next(out.glob("sagsfremstilling-*.docx")).name):
        document = docx.Document(str(out / name))
        tables = [t for t in document.tables if t.rows[0].cells[0].text == "Beløb i kr."]
        assert tables, name
        assert [c.text for c in tables[0].rows[0].cells[1:]] == ["2026", "2027", "2028", "2029"]
        assert BUDGET_RULE in text(out / name), name


def test_file_names_cut_at_a_word_boundary():
    """Issue 17.8."""
    assert slug("Rådgivning om alkoholproblemer hos ældre i eget hjem", 42) == \
        "raadgivning-om-alkoholproblemer-hos-aeldre"
    assert not slug("Rådgivning om alkoholproblemer hos ældre i eget hjem", 44).endswith("-i")
    assert slug("Kort titel") == "kort-titel"


# --- the steering workbook --------------------------------------------------------------------

def test_workbook_prints_and_guards_its_key(out, intakes):
    """Issue 14 B10."""
    book = openpyxl.load_workbook(out / "handleplan.xlsx")
    sheet = book["Handleplan"]
    setup = sheet.page_setup
    assert setup.orientation == "landscape" and str(setup.paperSize) == "9"
    assert setup.fitToWidth == 1 and setup.fitToHeight == 0
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.print_title_rows == "$1:$1"
    assert "Ishøj Kommune" in sheet.oddHeader.left.text
    assert "&P" in sheet.oddFooter.center.text and "&N" in sheet.oddFooter.center.text
    headers = [c.value for c in sheet[1]]
    start = sheet.cell(row=2, column=headers.index("Opstart") + 1)
    assert isinstance(start.value, dt.datetime) and "[$-406]" in start.number_format
    assert all(sheet.cell(row=2, column=c).font.name == "Calibri" for c in range(1, 15))
    assert all(sheet.row_dimensions[r].height for r in range(2, 11))
    key = headers.index("Nøgle") + 1
    letter = openpyxl.utils.get_column_letter(key)
    assert sheet.column_dimensions[letter].hidden
    assert sheet.protection.sheet
    assert sheet.cell(row=2, column=key).protection.locked
    assert not sheet.cell(row=2, column=headers.index("Status") + 1).protection.locked
    items = batch_items(intakes, DEFAULT_CONFIG, TODAY)
    keys = {sheet.cell(row=r, column=key).value for r in range(2, len(items) + 2)}
    assert keys == {decision_key(i, DEFAULT_CONFIG) for i in items}
    # The register's key: policy period, working group (as compared), Nr.
    assert decision_key(items[0], DEFAULT_CONFIG) == \
        f"2026-2029|{items[0].group.casefold()}|{items[0].proposal.number}"


# --- page facts from LibreOffice --------------------------------------------------------------

needs_office = pytest.mark.skipif(shutil.which("soffice") is None or
                                  shutil.which("pdftotext") is None,
                                  reason="LibreOffice and poppler-utils are not installed")


@pytest.fixture(scope="module")
def pdfs(out, tmp_path_factory):
    folder = tmp_path_factory.mktemp("pdf")
    profile = tmp_path_factory.mktemp("profil")
    subprocess.run(["soffice", f"-env:UserInstallation=file://{profile}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(folder),
                    *map(str, docx_paths(out))], check=True, capture_output=True, timeout=300)
    return {p.stem: p for p in folder.glob("*.pdf")}


def pages(pdf: Path) -> list[list[str]]:
    """The lines of each page, without the header line and the 'Side x af y' footer."""
    raw = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True,
                         capture_output=True, text=True).stdout
    result = []
    for page in raw.split("\f")[:-1] if raw.endswith("\f") else raw.split("\f"):
        lines = [" ".join(line.split()) for line in page.splitlines() if line.strip()]
        lines = [l for l in lines if not re.fullmatch(r"Side \d+ af \d+", l)
                 and not l.startswith("Ishøj Kommune · ")]
        result.append(lines)
    return result


def pages_with_pictures(pdf: Path) -> set[int]:
    if shutil.which("pdfimages") is None:
        return set()
    listing = subprocess.run(["pdfimages", "-list", str(pdf)], check=True,
                             capture_output=True, text=True).stdout.splitlines()[2:]
    return {int(line.split()[0]) for line in listing if line.strip()}


@needs_office
def test_no_page_holds_only_a_heading_or_a_caption(out, pdfs):
    for path in docx_paths(out):
        document = docx.Document(str(path))
        lonely = {" ".join(p.text.split()) for p in document.paragraphs
                  if p.style.name.startswith(("Heading", "Caption", "Title")) and p.text}
        pictures = pages_with_pictures(pdfs[path.stem])
        for number, lines in enumerate(pages(pdfs[path.stem]), start=1):
            assert lines or number in pictures, (path.name, number, "empty page")
            if number not in pictures:  # a chart with its caption is a page of its own
                assert not set(lines) <= lonely, (path.name, number, lines)


@needs_office
def test_no_word_is_broken_inside_a_cell(out, pdfs):
    """The long words of the vocabularies come out whole on the pages (not
    'Sundhedsområde|ts')."""
    words = {w for v in DEFAULT_CONFIG.centres + DEFAULT_CONFIG.financing_types
             for w in v.split() if len(w) >= 9}
    for path in docx_paths(out):
        body = text(path)
        page_text = "\n".join(l for page in pages(pdfs[path.stem]) for l in page)
        for word in words:
            assert page_text.count(word) == body.count(word), (path.name, word)
        for year in range(2026, 2030):
            for month in ("august", "september", "januar", "februar", "april", "oktober"):
                written = body.count(f"{month}{NBSP}{year}")
                if written:
                    assert len(re.findall(rf"{month} {year}", page_text)) >= written, \
                        (path.name, month, year)
