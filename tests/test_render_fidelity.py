"""The prepared renderer gives what docxtpl gives, for every part docxtpl renders, on templates
made the way Word and municipalities make them and on docxtpl's own test templates.

Compared part by part: the same part names, every XML part the same in canonical form (C14N)
and every other part byte for byte; most are byte-identical as a whole file (asserted where
they are). Each output is also opened in LibreOffice, whose text must show what was rendered.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from docxtpl import DocxTemplate
from lxml import etree

from sagsgenerator.render import engine
from sagsgenerator.render.engine import Image, PreparedTemplate, Properties

DATA = Path(__file__).parent / "data" / "templates"
DOCXTPL = DATA / "docxtpl"
PROPS = Properties(title="Titel fra sagsgenerator", subject="Emne", author="Ishøj Kommune")
LOGO = Image((DATA / "logo.png").read_bytes(), 30, "Kommunens logo")
SEAL = Image((DATA / "segl.png").read_bytes(), 8, "Segl")
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

COMMON = {
    "municipality": "Ishøj Kommune", "administration": "Sundhed & Omsorg",
    "title": "Sund start <for alle>", "case_number": "2026-001",
    "committee": "Social- og Sundhedsudvalget", "logo": LOGO, "seal": SEAL,
    "text": "Første linje\nAnden linje med «citat» & {_{ ikke et mærke }_}",
    "illegal": "lodret\x0btab og nul\x00tegn",
}
OURS = {
    "brevpapir": COMMON,
    "noter": {**COMMON, "source": "Sundhedsprofilen 2025",
              "user_text": "Skriv {{ navn }} her, tegnet som brugeren skrev det"},
    "felter": {**COMMON, "box": "Boks-tekst\nlinje 2", "meeting_date": "10. februar 2026",
               "show": True, "year": 2026, "financing": "Forebyggelsespuljen",
               "total": "1.250.000 kr.", "extra": "Tillægsbevilling",
               "rows": [{"name": "Opstart", "start": "75.000 kr.", "yearly": "0 kr."},
                        {"name": "Drift", "start": "0 kr.", "yearly": "450.000 kr."}],
               "indicators": ["Trivsel", "Fravær", "Vægt"]},
}
# What LibreOffice must show of each (header, footer, notes, text box, control, table).
SHOWN = {
    "brevpapir": ["Ishøj Kommune – forside", "Ishøj Kommune · Sundhed & Omsorg",
                  "Sag 2026-001", "Første side af Sund start <for alle>", "Anden linje",
                  "Til Social- og Sundhedsudvalget fra Ishøj Kommune",
                  "Bilag til Sund start <for alle>", "lodrettab og nultegn",
                  "{_{ ikke et mærke }_}"],
    "noter": ["Kilde: Sundhedsprofilen 2025.", "Skriv {{ navn }} her",
              "Slutnote til sag 2026-001"],
    "felter": ["Boks: Boks-tekst", "Udvalg: Social- og Sundhedsudvalget",
               "Mødet holdes 10. februar 2026.", "Vist, fordi True er sand.", "Økonomi 2026",
               "450.000 kr.", "Ekstra: Tillægsbevilling", "Finansiering"],
}
# docxtpl's own test templates, with contexts from its tests/*.py (plain data and pictures).
DOCXTPL_CONTEXTS = {
    "header_footer_tpl": {"title": "Header and footer test", "company_name": "The World Wide "
                          "company", "date": "2016-03-17", "mysubdoc": ""},
    "header_footer_tpl_utf8": {"title": "헤더와 푸터", "company_name": "세계적 회사",
                               "date": "2016-03-17", "mysubdoc": ""},
    "header_footer_entities_tpl": {"title": "Header and footer test"},
    "header_footer_inline_image_tpl": {
        "inline_image": Image((DOCXTPL / "django.png").read_bytes(), 20, "django"),
        "images": [Image((DOCXTPL / "python.png").read_bytes(), 15, "python")] * 3},
    "footnotes_tpl": {"a_jinja_variable": "A Jinja variable!"},
    "dynamic_table_tpl": {
        "col_labels": ["fruit", "vegetable", "stone", "thing"],
        "tbl_contents": [{"label": "yellow", "cols": ["banana", "capsicum", "pyrite", "taxi"]},
                         {"label": "red", "cols": ["apple", "tomato", "cinnabar", "bus"]},
                         {"label": "green", "cols": ["guava", "cucumber", "aventurine", "card"]}]},
    "horizontal_merge_tpl": {},
    "vertical_merge_tpl": {"items": [{"desc": "Python interpreters", "qty": 2, "price": "FREE"},
                                     {"desc": "Django projects", "qty": 5403, "price": "FREE"},
                                     {"desc": "Guido", "qty": 1, "price": "100,000,000.00"}],
                           "total_price": "100,000,000.00", "category": "Book"},
    "vertical_merge_nested_tpl": {},
    "nested_for_tpl": {
        "dishes": [{"name": "Pizza", "ingredients": ["bread", "tomato", "ham", "cheese"]},
                   {"name": "Apple pie", "ingredients": ["flour", "apples", "quince jelly"]}],
        "authors": [{"name": "Saint-Exupery", "books": [{"title": "Le petit prince"},
                                                        {"title": "Vol de nuit"}]},
                    {"name": "Barjavel", "books": [{"title": "Ravage"}]}]},
    "order_tpl": {"customer_name": "Eric", "items": [
        {"desc": "Python interpreters", "qty": 2, "price": "FREE"},
        {"desc": "Guido", "qty": 1, "price": "100,000,000.00"}], "in_europe": True,
        "is_paid": False, "company_name": "The World Wide company",
        "total_price": "100,000,000.00"},
    "preserve_spaces_tpl": {"tag_1": "looking", "tag_2": "too"},
    "inline_image_tpl": {
        "myimage": Image((DOCXTPL / "python_logo.png").read_bytes(), 20, "logo"),
        "myimageratio": Image((DOCXTPL / "python_jpeg.jpg").read_bytes(), 30, "jpeg"),
        "frameworks": [{"image": Image((DOCXTPL / "django.png").read_bytes(), 25, "django"),
                        "desc": "The web framework for perfectionists with deadlines"},
                       {"image": Image((DOCXTPL / "zope.png").read_bytes(), 25, "zope"),
                        "desc": "Zope is a leading Open Source Application Server"}]},
    "less_cells_after_loop_tpl": {},
    "cellbg_tpl": {"alerts": [{"date": "2015-03-10", "desc": "Very critical alert",
                               "type": "CRITICAL", "bg": "FF0000"},
                              {"date": "2015-03-11", "desc": "Just a warning", "type": "WARNING",
                               "bg": "FFDD00"}]},
    "merge_paragraph_tpl": {"living_in_town": True},
    "doc_properties_tpl": {"test": "HelloWorld"},
    "word2016_tpl": {"test_space": "          ", "test_tabs": 5 * "\t",
                     "test_space_r": "  ", "test_tabs_r": "\t\t"},
}
CASES = {**{name: (DATA / f"{name}.docx", context) for name, context in OURS.items()},
         **{name: (DOCXTPL / f"{name}.docx", context)
            for name, context in DOCXTPL_CONTEXTS.items()}}


def parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def canonical(xml: bytes) -> bytes:
    return etree.tostring(etree.fromstring(xml), method="c14n")


def differences(a: bytes, b: bytes) -> list[str]:
    """The parts that differ: names missing on one side, XML not C14N-equal, binaries not
    byte-equal. Empty when the documents are the same."""
    pa, pb = parts(a), parts(b)
    found = [f"only in one: {name}" for name in sorted(set(pa) ^ set(pb))]
    for name in sorted(set(pa) & set(pb)):
        if pa[name] == pb[name]:
            continue
        if name.endswith((".xml", ".rels")) and canonical(pa[name]) == canonical(pb[name]):
            continue
        found.append(name)
    return found


@pytest.fixture(scope="module")
def rendered() -> dict[str, tuple[bytes, bytes]]:
    """(prepared, reference) of every case, rendered once for all tests."""
    return {name: (PreparedTemplate(path, "test").render(context, PROPS),
                   engine.render(path, context, PROPS, "test"))
            for name, (path, context) in CASES.items()}


@pytest.mark.parametrize("name", CASES)
def test_every_part_equals_the_reference(rendered, name):
    fast, reference = rendered[name]
    assert differences(fast, reference) == []


@pytest.mark.parametrize("name", CASES)
def test_whole_file_is_byte_identical(rendered, name):
    fast, reference = rendered[name]
    assert fast == reference


def plain_docxtpl(path: Path, context: dict) -> bytes:
    """docxtpl unchanged (its own notes and properties code) in our sandbox, then our
    properties and language, as engine.render sets them."""
    tpl = DocxTemplate(str(path))
    with engine.images_for(tpl):
        tpl.render(context, jinja_env=engine.make_env())
    engine._set_properties(tpl.docx, PROPS, set())
    engine._set_default_language(tpl.docx)
    buffer = io.BytesIO()
    tpl.docx.save(buffer)
    return engine.fixed_zip(buffer.getvalue())


# The reference corrects docxtpl where it renders notes once per section, does not render
# endnotes, or renders tagged properties with autoescape; elsewhere it is docxtpl itself.
CORRECTED = {"noter", "doc_properties_tpl"}


@pytest.mark.parametrize("name", [n for n in CASES if n not in CORRECTED])
def test_reference_is_docxtpl_itself(rendered, name):
    path, context = CASES[name]
    assert plain_docxtpl(path, context) == rendered[name][1]


def test_what_the_reference_corrects_in_docxtpl(rendered):
    path, context = CASES["noter"]
    plain = parts(plain_docxtpl(path, {**context, "seal": ""}))   # docxtpl: no note pictures
    ours = parts(rendered["noter"][0])
    # docxtpl leaves endnotes as template and renders footnotes once per section, so user
    # text that looks like a tag was rendered as one.
    assert b"{{ case_number }}" in plain["word/endnotes.xml"]
    assert b"Slutnote til sag 2026-001" in ours["word/endnotes.xml"]
    assert "Skriv {{ navn }} her".encode() in ours["word/footnotes.xml"]
    assert "Skriv {{ navn }} her".encode() not in plain["word/footnotes.xml"]


def story_pictures(files: dict[str, bytes], story: str) -> list[str]:
    """The media each picture in a part points at, through that part's own relationships."""
    xml = etree.fromstring(files[story])
    embeds = xml.xpath("//a:blip/@r:embed", namespaces={
        "a": "http://schemas.openxmlformats.org/drawingml/2006/main", "r": R_NS})
    rels_name = re.sub(r"word/(.*)", r"word/_rels/\1.rels", story)
    if not embeds:
        return []
    rels = {r.get("Id"): r.get("Target") for r in etree.fromstring(files[rels_name])}
    return [rels[e] for e in embeds]


def test_pictures_in_headers_footers_and_notes_are_related_from_their_own_part(rendered):
    files = parts(rendered["brevpapir"][0])
    headers = {n: story_pictures(files, n) for n in files
               if re.fullmatch(r"word/(header|footer)\d\.xml", n)}
    shown = sorted(t for targets in headers.values() for t in targets)
    # The pasted logo and {{ logo }} are the same picture: one media part, related twice.
    assert shown.count("media/image1.png") == 3 and shown.count("media/image2.png") == 2
    assert story_pictures(files, "word/document.xml") == ["media/image1.png", "media/image2.png"]
    assert files["word/media/image2.png"] == SEAL.png
    notes = parts(rendered["noter"][0])
    assert story_pictures(notes, "word/footnotes.xml") == ["media/image1.png"]
    assert b"image1.png" not in notes["word/_rels/document.xml.rels"]


def test_the_letterhead_logo_in_the_case_paper_header(rendered):
    from sagsgenerator.documents import MODULES
    from sagsgenerator.render.context import batch_items
    from sagsgenerator.validation.validate import validate_paths
    from sagsgenerator.config import DEFAULT_CONFIG

    root = Path(__file__).resolve().parents[1]
    _, intakes = validate_paths([root / "input" / "boern-og-unge.xlsx"])
    planned = MODULES["sagsfremstilling"].plan(batch_items(intakes, DEFAULT_CONFIG),
                                                DEFAULT_CONFIG)[0]
    context = {**planned.context, "logo": LOGO}
    path = DATA / "sagsfremstilling-logo.docx"
    fast = PreparedTemplate(path, "sagsfremstilling").render(context, planned.properties)
    assert fast == engine.render(path, context, planned.properties, "sagsfremstilling")
    files = parts(fast)
    assert story_pictures(files, "word/header1.xml") == ["media/image1.png"]
    assert files["word/media/image1.png"] == LOGO.png


def test_core_properties_with_tags(rendered):
    from docx import Document
    document = Document(io.BytesIO(rendered["noter"][0]))
    core = document.core_properties
    assert (core.title, core.subject, core.identifier) == ("Sund start <for alle>",
                                                           "Sag 2026-001", "2026-001")
    assert core.comments == "Udarbejdet af Ishøj Kommune"
    assert core.author == "Ishøj Kommune" and core.language == "da-DK"
    plain = Document(io.BytesIO(rendered["brevpapir"][0])).core_properties
    assert plain.title == "Titel fra sagsgenerator"


@pytest.mark.parametrize("name", OURS)
def test_no_template_syntax_and_no_illegal_character_left(rendered, name):
    for part, data in parts(rendered[name][0]).items():
        if part.endswith(".xml"):
            text = "".join(etree.fromstring(data).itertext())
            assert not re.search(r"\{[{%]|[%}]\}", text.replace("{{ navn }}", "")
                                 .replace("{_{ ikke et mærke }_}", "")), part
            assert "\x0b" not in text and "\x00" not in text


def test_illegal_characters_in_a_header_value(tmp_path):
    for value in ("a\x0bb", "a\x00b", "a\x1fb\ufffe"):
        context = {**COMMON, "illegal": value}
        fast = PreparedTemplate(DATA / "brevpapir.docx", "t").render(context, PROPS)
        assert fast == engine.render(DATA / "brevpapir.docx", context, PROPS, "t")


@pytest.fixture(scope="module")
def pdf_text(rendered, tmp_path_factory) -> dict[str, str]:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None or shutil.which("pdftotext") is None:
        pytest.skip("LibreOffice or pdftotext is not installed")
    folder = tmp_path_factory.mktemp("lo")
    for name, (fast, _) in rendered.items():
        (folder / f"{name}.docx").write_bytes(fast)
    subprocess.run([soffice, f"-env:UserInstallation=file://{folder}/profile", "--headless",
                    "--convert-to", "pdf", "--outdir", str(folder),
                    *sorted(str(p) for p in folder.glob("*.docx"))],
                   check=True, capture_output=True, timeout=300)
    return {name: subprocess.run(["pdftotext", "-layout", str(folder / f"{name}.pdf"), "-"],
                                 check=True, capture_output=True, text=True).stdout
            for name in rendered}


@pytest.mark.parametrize("name", CASES)
def test_libreoffice_opens_it_and_shows_the_rendered_text(pdf_text, name):
    text = " ".join(pdf_text[name].split())
    assert text.strip(), f"{name}: LibreOffice shows no text"
    for expected in SHOWN.get(name, []):
        assert expected in text, (name, expected)
    literal = {"doc_properties_tpl": "{{ test }}", "noter": "{{ navn }}"}.get(name, "")
    assert "{{" not in text.replace(literal, "").replace("{_{", "")


def table_template(tmp_path: Path, rows: str) -> Path:
    from docx import Document
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    document = Document()
    body = document.element.body
    body.insert(len(body) - 1, parse_xml(
        f'<w:tbl {nsdecls("w")}><w:tblPr/><w:tblGrid><w:gridCol w:w="3000"/>'
        f'<w:gridCol w:w="3000"/></w:tblGrid>{rows}</w:tbl>'))
    path = tmp_path / "tabel.docx"
    document.save(path)
    return path


def tr(*cells: str) -> str:
    return "<w:tr>" + "".join(f"<w:tc><w:p><w:r><w:t>{c}</w:t></w:r></w:p></w:tc>"
                              for c in cells) + "</w:tr>"


@pytest.mark.parametrize("rows, needed", [
    # The only row spanning the grid may be left out: fix_tables then narrows the grid.
    (tr("{%tr if show %}") + tr("a", "b") + tr("{%tr endif %}") + tr("smal"), True),
    # A row spanning the grid always stays: fix_tables cannot change anything.
    (tr("Overskrift", "Beløb") + tr("{%tr for r in rows %}") + tr("{{ r }}", "x")
     + tr("{%tr endfor %}"), False),
    # A block opened in one cell and closed in another removes cells.
    (tr("Overskrift", "Beløb") + tr("{% if show %}a", "b{% endif %}"), True),
    # More cells than grid columns.
    (tr("a", "b", "c"), True),
])
def test_fix_tables_is_skipped_only_when_it_cannot_change_the_table(tmp_path, rows, needed):
    path = table_template(tmp_path, rows)
    prepared = PreparedTemplate(path, "t")
    assert prepared.fix_tables is needed
    for show in (True, False):
        context = {"show": show, "rows": [] if not show else ["1", "2"]}
        assert prepared.render(context, PROPS) == engine.render(path, context, PROPS, "t")
