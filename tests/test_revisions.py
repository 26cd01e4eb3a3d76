"""Word tracked changes between two renderings of the same template (render/revisions.py)."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn
from lxml import etree

from sagsgenerator.errors import SagsgeneratorError
from sagsgenerator.render.revisions import accept_all, reject_all, track_changes

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}
DATE = dt.datetime(2026, 11, 3)
ISO = "2026-11-03T00:00:00Z"


# --- helpers -------------------------------------------------------------------------


def save(doc) -> bytes:
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def body(docx: bytes) -> etree._Element:
    xml = zipfile.ZipFile(io.BytesIO(docx)).read("word/document.xml")
    return etree.fromstring(xml).find(qn("w:body"))


def texts(docx: bytes) -> list[str]:
    """Visible (not deleted) text of every paragraph, body and table cells, in order."""
    out = []
    for p in body(docx).iter(qn("w:p")):
        parts = []
        for el in p.iter(qn("w:t"), qn("w:tab"), qn("w:br")):
            parts.append(el.text or "" if el.tag == qn("w:t") else
                         "\t" if el.tag == qn("w:tab") else "\n")
        out.append("".join(parts))
    return out


def revisions(docx: bytes, kind: str) -> list[etree._Element]:
    """Run-level w:ins/w:del (those holding text, not paragraph or row marks)."""
    return [el for el in body(docx).iter(qn(f"w:{kind}"))
            if el.getparent().tag not in (qn("w:rPr"), qn("w:trPr"))]


def revision_text(el: etree._Element) -> str:
    return "".join(t.text or "" for t in el.iter(qn("w:t"), qn("w:delText")))


def make_case(word: str = "7.", extra: bool = False, amount: str = "75.000 kr.",
              dropped: bool = False) -> bytes:
    """A small case paper: heading, a paragraph with a bold run, a table, Danish text."""
    doc = Document()
    doc.add_heading("Røgfri skoletid", 1)
    p = doc.add_paragraph("Formålet er, at ")
    p.add_run("færre unge").bold = True
    p.add_run(f" begynder at ryge i {word} klasse.")
    doc.add_paragraph("Økonomien afholdes inden for eget budget.")
    if extra:
        doc.add_paragraph("Et helt nyt afsnit om evaluering.")
    if not dropped:
        doc.add_paragraph("Målgruppen er elever i udskolingen.")
    doc.add_paragraph("Sidste afsnit.")
    table = doc.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "Opstart"
    table.cell(0, 1).text = "marts 2026"
    table.cell(1, 0).text = "Ressourcer"
    table.cell(1, 1).text = amount
    return save(doc)


@pytest.fixture(scope="module")
def pair() -> tuple[bytes, bytes, bytes]:
    """(old, new, tracked): a word changed, a paragraph added, a table cell changed."""
    old = make_case()
    new = make_case(word="8.", extra=True, amount="90.000 kr.")
    return old, new, track_changes(old, new, date=DATE)


# --- the three changes ---------------------------------------------------------------


def test_changed_word_is_deleted_and_inserted(pair):
    _, _, result = pair
    assert [revision_text(d) for d in revisions(result, "del")] == ["7", "75.000"]
    assert [revision_text(i) for i in revisions(result, "ins")] == [
        "8", "Et helt nyt afsnit om evaluering.", "90.000"]
    deleted = revisions(result, "del")[0]
    assert deleted.find("w:r/w:delText", NS).get(
        "{http://www.w3.org/XML/1998/namespace}space") == "preserve"
    assert deleted.find("w:r/w:t", NS) is None     # deleted text is w:delText only


def test_revisions_carry_author_date_and_unique_ids(pair):
    _, _, result = pair
    root = body(result)
    marks = list(root.iter(qn("w:ins"), qn("w:del")))
    assert len(marks) == 6   # 5 run-level + the new paragraph's mark
    assert {m.get(qn("w:author")) for m in marks} == {"sagsgenerator"}
    assert {m.get(qn("w:date")) for m in marks} == {ISO}
    ids = [el.get(qn("w:id")) for el in root.iter() if el.get(qn("w:id")) is not None]
    assert len(ids) == len(set(ids))


def test_added_paragraph_has_its_mark_inserted(pair):
    _, _, result = pair
    p = next(p for p in body(result).iter(qn("w:p")) if "evaluering" in "".join(p.itertext()))
    mark = p.find("w:pPr/w:rPr/w:ins", NS)
    assert mark is not None and mark.get(qn("w:author")) == "sagsgenerator"
    assert p.find("w:r", NS) is None                 # every run is inside the w:ins
    assert revision_text(p.find("w:ins", NS)) == "Et helt nyt afsnit om evaluering."


def test_changed_cell_is_diffed_inside_the_table(pair):
    _, _, result = pair
    cell = body(result).findall("w:tbl/w:tr", NS)[1].findall("w:tc", NS)[1]
    assert revision_text(cell.find(".//w:del", NS)) == "75.000"
    assert revision_text(cell.find(".//w:ins", NS)) == "90.000"
    assert texts(accept_all(result))[-1] == "90.000 kr."
    assert len(body(result).findall("w:tbl/w:tr", NS)) == 2   # no rows added or deleted


def test_formatting_of_the_source_run_is_kept():
    old_doc, new_doc = Document(), Document()
    old_doc.add_paragraph("Indsatsen gælder ").add_run("alle skoler").bold = True
    p = new_doc.add_paragraph("Indsatsen gælder ")
    p.add_run("alle folkeskoler").bold = True
    result = track_changes(save(old_doc), save(new_doc), date=DATE)
    (ins,) = revisions(result, "ins")
    (deleted,) = revisions(result, "del")
    assert revision_text(ins) == "folkeskoler" and revision_text(deleted) == "skoler"
    assert ins.find("w:r/w:rPr/w:b", NS) is not None
    assert deleted.find("w:r/w:rPr/w:b", NS) is not None
    # The unchanged words around it keep their runs and their formatting too.
    bold_plain = [r for r in body(result).iter(qn("w:r"))
                  if r.getparent().tag == qn("w:p") and r.find("w:rPr/w:b", NS) is not None]
    assert ["".join(r.itertext()) for r in bold_plain] == ["alle "]


def test_unchanged_paragraphs_are_identical_xml(pair):
    _, new, result = pair
    changed = ("ryge i", "evaluering", "90.000")
    expected = [etree.tostring(p) for p in body(new).iter(qn("w:p"))
                if not any(c in "".join(p.itertext()) for c in changed)]
    untouched = [etree.tostring(p) for p in body(result).iter(qn("w:p"))
                 if p.find(".//w:ins", NS) is None and p.find(".//w:del", NS) is None]
    assert untouched == expected
    assert len(expected) == 7
    # And the table's unchanged row too.
    assert etree.tostring(body(result).findall("w:tbl/w:tr", NS)[0]) == \
        etree.tostring(body(new).findall("w:tbl/w:tr", NS)[0])


def test_accept_gives_new_text_and_reject_gives_old_text(pair):
    old, new, result = pair
    assert texts(accept_all(result)) == texts(new)
    assert texts(reject_all(result)) == texts(old)
    for resolved in (accept_all(result), reject_all(result)):
        root = body(resolved)
        assert not list(root.iter(qn("w:ins"), qn("w:del"), qn("w:delText")))


def test_deleted_paragraph_is_copied_in_and_marked_deleted():
    old, new = make_case(), make_case(dropped=True)
    result = track_changes(old, new, date=DATE)
    p = next(p for p in body(result).iter(qn("w:p")) if "Målgruppen" in "".join(p.itertext()))
    assert p.find("w:pPr/w:rPr/w:del", NS) is not None
    assert revision_text(p.find("w:del", NS)) == "Målgruppen er elever i udskolingen."
    assert p.find("w:r", NS) is None and not list(p.iter(qn("w:t")))
    # It stands where it stood: between the same neighbours as in the old document.
    order = ["".join(p.itertext()) for p in body(result).findall("w:p", NS)]
    assert order.index("Målgruppen er elever i udskolingen.") == \
        order.index("Økonomien afholdes inden for eget budget.") + 1
    assert texts(accept_all(result)) == texts(new)
    assert texts(reject_all(result)) == texts(old)


def test_identical_inputs_give_no_revisions():
    doc = make_case()
    result = track_changes(doc, doc, date=DATE)
    root = body(result)
    assert not list(root.iter(qn("w:ins"), qn("w:del"), qn("w:delText")))
    a, b = zipfile.ZipFile(io.BytesIO(doc)), zipfile.ZipFile(io.BytesIO(result))
    assert [i.filename for i in a.infolist()] == [i.filename for i in b.infolist()]
    assert all(a.read(n) == b.read(n) for n in a.namelist())


def test_other_members_copied_in_order_and_compression(pair):
    _, new, result = pair
    a, b = zipfile.ZipFile(io.BytesIO(new)), zipfile.ZipFile(io.BytesIO(result))
    assert [(i.filename, i.compress_type) for i in a.infolist()] == \
        [(i.filename, i.compress_type) for i in b.infolist()]
    for name in a.namelist():
        if name != "word/document.xml":
            assert a.read(name) == b.read(name), name
    assert b"<w:trackRevisions" not in b.read("word/settings.xml")


# --- structure -----------------------------------------------------------------------


def table_doc(rows: list[tuple[str, str]], cols: int = 2) -> bytes:
    doc = Document()
    doc.add_paragraph("Idékatalog")
    table = doc.add_table(rows=len(rows), cols=cols)
    for r, row in enumerate(rows):
        for c, value in enumerate(row[:cols]):
            table.cell(r, c).text = value
    doc.add_paragraph("Slut.")
    return save(doc)


def test_added_and_removed_table_rows_are_row_revisions():
    old = table_doc([("Nr.", "Titel"), ("1", "Røgfri skoletid"), ("2", "Motion for alle")])
    new = table_doc([("Nr.", "Titel"), ("1", "Røgfri skoletid"), ("3", "Sund kantine")])
    result = track_changes(old, new, date=DATE)
    rows = body(result).findall("w:tbl/w:tr", NS)
    assert len(rows) == 3
    # "2 Motion" and "3 Sund kantine" are paired (same slot): cell-level word diff.
    assert [revision_text(d) for d in revisions(result, "del")] == ["2", "Motion for alle"]
    assert [revision_text(i) for i in revisions(result, "ins")] == ["3", "Sund kantine"]

    longer = table_doc([("Nr.", "Titel"), ("1", "Røgfri skoletid"), ("2", "Motion for alle"),
                        ("3", "Sund kantine")])
    result = track_changes(old, longer, date=DATE)
    rows = body(result).findall("w:tbl/w:tr", NS)
    assert len(rows) == 4
    assert rows[3].find("w:trPr/w:ins", NS) is not None
    assert [r.find("w:trPr/w:ins", NS) is not None for r in rows] == [False, False, False, True]
    assert texts(accept_all(result)) == texts(longer)
    assert texts(reject_all(result)) == texts(old)

    result = track_changes(longer, old, date=DATE)    # and the row removed again
    rows = body(result).findall("w:tbl/w:tr", NS)
    assert [r.find("w:trPr/w:del", NS) is not None for r in rows] == [False, False, False, True]
    assert revision_text(rows[3]) == "3Sund kantine"
    assert texts(accept_all(result)) == texts(old)
    assert texts(reject_all(result)) == texts(longer)


def test_tables_that_cannot_be_aligned_become_delete_and_insert():
    old = table_doc([("Nr.", "Titel"), ("1", "Røgfri skoletid")], cols=2)
    new = table_doc([("Nr.", "Titel", "Beløb"), ("1", "Røgfri skoletid", "75.000")], cols=3)
    result = track_changes(old, new, date=DATE)
    tables = body(result).findall("w:tbl", NS)
    assert len(tables) == 2
    assert all(r.find("w:trPr/w:del", NS) is not None for r in tables[0].findall("w:tr", NS))
    assert all(r.find("w:trPr/w:ins", NS) is not None for r in tables[1].findall("w:tr", NS))
    assert not list(tables[0].iter(qn("w:t")))         # all old text is w:delText
    assert texts(accept_all(result)) == texts(new)
    assert texts(reject_all(result)) == texts(old)


def test_tabs_breaks_and_preserved_spaces():
    def doc(amount: str) -> bytes:
        d = Document()
        run = d.add_paragraph().add_run("Beløb:")
        run.add_tab()
        run.add_text(f"  {amount}  ")
        run.add_break()
        run.add_text("næste linje")
        return save(d)

    old, new = doc("75.000 kr."), doc("1,5 mio. kr.")
    result = track_changes(old, new, date=DATE)
    assert [revision_text(d) for d in revisions(result, "del")] == ["75.000"]
    assert [revision_text(i) for i in revisions(result, "ins")] == ["1,5 mio."]
    p = body(result).find("w:p", NS)
    assert len(p.findall(".//w:tab", NS)) == 1 and len(p.findall(".//w:br", NS)) == 1
    assert texts(accept_all(result)) == texts(new) == ["Beløb:\t  1,5 mio. kr.  \nnæste linje"]
    assert texts(reject_all(result)) == texts(old)


def add_hyperlink(paragraph, url: str, text: str) -> None:
    part = paragraph.part
    rid = part.relate_to(url, "http://schemas.openxmlformats.org/officeDocument/2006/"
                              "relationships/hyperlink", is_external=True)
    link = paragraph._p.makeelement(qn("w:hyperlink"), {qn("r:id"): rid})
    run = link.makeelement(qn("w:r"), {})
    t = run.makeelement(qn("w:t"), {})
    t.text = text
    run.append(t)
    link.append(run)
    paragraph._p.append(link)


def test_hyperlink_is_one_unit():
    def doc(url: str, text: str) -> bytes:
        d = Document()
        p = d.add_paragraph("Læs mere på ")
        add_hyperlink(p, url, text)
        p.add_run(" inden mødet.")
        return save(d)

    same = track_changes(doc("https://a.dk", "a.dk"), doc("https://a.dk", "a.dk"), date=DATE)
    assert not revisions(same, "ins") and not revisions(same, "del")

    old, new = doc("https://a.dk/gl", "sundhed.dk"), doc("https://b.dk/ny", "kommune.dk")
    result = track_changes(old, new, date=DATE)
    p = body(result).find("w:p", NS)
    link = p.find("w:hyperlink", NS)
    assert link is not None and link.get(qn("r:id"))           # the new link is kept
    assert revision_text(link.find("w:ins", NS)) == "kommune.dk"
    (deleted,) = revisions(result, "del")
    assert revision_text(deleted) == "sundhed.dk"
    assert deleted.getparent().tag == qn("w:p")   # deleted text, not a dangling old link
    assert texts(accept_all(result)) == texts(new)
    assert texts(reject_all(result)) == texts(old)


def test_revision_ids_do_not_clash_with_bookmarks():
    def doc(word: str) -> bytes:
        d = Document()
        p = d.add_paragraph(f"Status: {word}")
        p._p.insert(0, p._p.makeelement(qn("w:bookmarkStart"), {qn("w:id"): "7",
                                                                   qn("w:name"): "status"}))
        p._p.append(p._p.makeelement(qn("w:bookmarkEnd"), {qn("w:id"): "7"}))
        return save(d)

    result = track_changes(doc("Forslag"), doc("Godkendt"), date=DATE)
    root = body(result)
    rev_ids = [int(m.get(qn("w:id"))) for m in root.iter(qn("w:ins"), qn("w:del"))]
    assert rev_ids and min(rev_ids) > 7
    assert root.find(".//w:bookmarkStart", NS).get(qn("w:id")) == "7"
    assert root.find(".//w:bookmarkEnd", NS) is not None


def test_date_with_timezone_is_written_in_utc():
    when = dt.datetime(2026, 11, 3, 1, 30, tzinfo=dt.timezone(dt.timedelta(hours=1)))
    result = track_changes(make_case(), make_case(word="9."), author="Sekretariatet", date=when)
    (mark,) = revisions(result, "ins")
    assert mark.get(qn("w:date")) == "2026-11-03T00:30:00Z"
    assert mark.get(qn("w:author")) == "Sekretariatet"


@pytest.mark.parametrize("data", [b"", b"not a zip", b"PK\x03\x04 broken"])
def test_bad_input_is_a_danish_error(data):
    with pytest.raises(SagsgeneratorError) as caught:
        track_changes(data, make_case(), date=DATE)
    assert "Den tidligere version er ikke et Word-dokument" in caught.value.danish
    with pytest.raises(SagsgeneratorError, match="Den nye version"):
        track_changes(make_case(), data, date=DATE)


def test_zip_without_document_is_a_danish_error():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("xl/workbook.xml", "<workbook/>")
    with pytest.raises(SagsgeneratorError, match="word/document.xml mangler"):
        accept_all(out.getvalue())


# --- real docxtpl output ---------------------------------------------------------------


def test_docxtpl_renderings_of_one_template(tmp_path):
    docxtpl = pytest.importorskip("docxtpl")
    doc = Document()
    doc.add_heading("{{ title }}", 1)
    doc.add_paragraph("{{ body }}")
    doc.add_paragraph("Fast tekst fra skabelonen.")
    table = doc.add_table(rows=3, cols=2)
    table.cell(0, 0).text = "{%tr for r in rows %}"
    table.cell(1, 0).text = "{{ r.name }}"
    table.cell(1, 1).text = "{{ r.amount }}"
    table.cell(2, 0).text = "{%tr endfor %}"
    template = tmp_path / "skabelon.docx"
    doc.save(template)

    def render(context: dict) -> bytes:
        tpl = docxtpl.DocxTemplate(str(template))
        tpl.render(context)
        out = io.BytesIO()
        tpl.save(out)
        return out.getvalue()

    old = render({"title": "Røgfri skoletid", "body": "Udvalget godkender indsatsen.",
                  "rows": [{"name": "Opstart", "amount": "75.000 kr."}]})
    new = render({"title": "Røgfri skoletid og fritid",
                  "body": "Udvalget godkender indsatsen med ændringer.",
                  "rows": [{"name": "Opstart", "amount": "90.000 kr."},
                           {"name": "Drift pr. år", "amount": "250.000 kr."}]})
    result = track_changes(old, new, date=DATE)
    assert [revision_text(d) for d in revisions(result, "del")] == ["75.000"]
    assert [revision_text(i) for i in revisions(result, "ins")] == [
        " og fritid", " med ændringer", "90.000", "Drift pr. år", "250.000 kr."]
    rows = body(result).findall("w:tbl/w:tr", NS)
    assert [r.find("w:trPr/w:ins", NS) is not None for r in rows] == [False, True]
    fixed = next(p for p in body(result).iter(qn("w:p")) if "Fast tekst" in "".join(p.itertext()))
    assert fixed.find(".//w:ins", NS) is None
    assert texts(accept_all(result)) == texts(new)
    assert texts(reject_all(result)) == texts(old)


# --- LibreOffice ---------------------------------------------------------------------


def soffice(tmp_path: Path, target: str, *files: Path) -> None:
    profile = tmp_path / "profile"
    subprocess.run(["soffice", f"-env:UserInstallation=file://{profile}", "--headless",
                    "--convert-to", target, "--outdir", str(tmp_path / "out"),
                    *map(str, files)], check=True, capture_output=True, timeout=180)


@pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdftotext") is None,
                    reason="LibreOffice (soffice) and pdftotext are not installed")
def test_libreoffice_reads_the_revisions(pair, tmp_path):
    _, _, result = pair
    tracked, accepted = tmp_path / "sag.docx", tmp_path / "sag-accepteret.docx"
    tracked.write_bytes(result)
    accepted.write_bytes(accept_all(result))
    soffice(tmp_path, "pdf", tracked, accepted)

    def pdf_text(name: str) -> str:
        return subprocess.run(["pdftotext", str(tmp_path / "out" / name), "-"], check=True,
                              capture_output=True, text=True).stdout

    # LibreOffice shows the changes inline: deleted and inserted text both on the page.
    shown = pdf_text("sag.pdf")
    assert "Et helt nyt afsnit om evaluering." in shown
    assert "75.00090.000 kr." in shown and "78. klasse" in shown
    # With the changes accepted, only the new text.
    final = pdf_text("sag-accepteret.pdf")
    assert "90.000 kr." in final and "75.000" not in final and "i 8. klasse" in final

    # Saved again by LibreOffice, the revisions are still revisions (it parsed them as such).
    (tmp_path / "again").mkdir()
    soffice(tmp_path, "docx:MS Word 2007 XML", tracked)
    again = (tmp_path / "out" / "sag.docx").read_bytes()
    inserted = [revision_text(i) for i in revisions(again, "ins")]
    deleted = [revision_text(d) for d in revisions(again, "del")]
    assert "Et helt nyt afsnit om evaluering." in "".join(inserted)
    assert "90.000" in "".join(inserted) and "75.000" in "".join(deleted)
    authors = {m.get(qn("w:author")) for m in body(again).iter(qn("w:ins"), qn("w:del"))}
    assert authors == {"sagsgenerator"}


def add_field(paragraph, instruction: str, shown: str) -> None:
    """A complex field (fldChar begin/instrText/separate/result/end), as Word writes it."""
    def run(child_tag: str, **attrs):
        r = paragraph._p.makeelement(qn("w:r"), {})
        child = r.makeelement(qn(child_tag), {qn(f"w:{k}"): v for k, v in attrs.items()})
        r.append(child)
        paragraph._p.append(r)
        return child

    run("w:fldChar", fldCharType="begin")
    run("w:instrText").text = f" {instruction} "
    run("w:fldChar", fldCharType="separate")
    run("w:t").text = shown
    run("w:fldChar", fldCharType="end")


def test_fields_are_kept_and_deleted_fields_use_delinstrtext():
    def doc(version: str, with_date: bool) -> bytes:
        d = Document()
        p = d.add_paragraph("Side ")
        add_field(p, "PAGE", "1")
        p.add_run(f", version {version}")
        if with_date:
            add_field(d.add_paragraph("Udskrevet "), "DATE", "3-11-2026")
        return save(d)

    old, new = doc("1", True), doc("2", False)
    result = track_changes(old, new, date=DATE)
    first, second = body(result).findall("w:p", NS)[:2]
    # The unchanged PAGE field is untouched inside the changed paragraph.
    assert [f.get(qn("w:fldCharType")) for f in first.findall("w:r/w:fldChar", NS)] == [
        "begin", "separate", "end"]
    assert first.find("w:r/w:instrText", NS).text == " PAGE "
    assert [revision_text(d) for d in first.findall("w:del", NS)] == ["1"]
    assert [revision_text(i) for i in first.findall("w:ins", NS)] == ["2"]
    # The removed paragraph's DATE field is deleted as a whole field.
    assert second.find("w:pPr/w:rPr/w:del", NS) is not None
    assert second.find(".//w:delInstrText", NS).text == " DATE "
    assert second.find(".//w:instrText", NS) is None
    assert texts(accept_all(result)) == texts(new)
    assert texts(reject_all(result)) == texts(old)
    rejected = body(reject_all(result))
    assert [i.text for i in rejected.iter(qn("w:instrText"))] == [" PAGE ", " DATE "]


def test_header_is_diffed_only_when_asked():
    def doc(version: str) -> bytes:
        d = Document()
        d.sections[0].header.paragraphs[0].text = f"Sagsfremstilling, version {version}"
        d.add_paragraph("Brødtekst.")
        return save(d)

    old, new = doc("1"), doc("2")
    header = next(n for n in zipfile.ZipFile(io.BytesIO(new)).namelist()
                  if n.startswith("word/header"))
    plain = track_changes(old, new, date=DATE)
    assert zipfile.ZipFile(io.BytesIO(plain)).read(header) == \
        zipfile.ZipFile(io.BytesIO(new)).read(header)
    both = track_changes(old, new, date=DATE, parts=("word/document.xml", header))
    hdr = etree.fromstring(zipfile.ZipFile(io.BytesIO(both)).read(header))
    assert [revision_text(d) for d in hdr.iter(qn("w:del"))] == ["1"]
    assert [revision_text(i) for i in hdr.iter(qn("w:ins"))] == ["2"]
    accepted = etree.fromstring(zipfile.ZipFile(io.BytesIO(accept_all(both))).read(header))
    assert "".join(t.text for t in accepted.iter(qn("w:t"))) == "Sagsfremstilling, version 2"


def test_deleted_copies_bring_no_old_ids_or_section_breaks():
    def doc(with_old: bool) -> bytes:
        d = Document()
        first = d.add_paragraph("Første afsnit.")._p
        first.append(first.makeelement(qn("w:bookmarkStart"), {qn("w:id"): "5", qn("w:name"): "a"}))
        first.append(first.makeelement(qn("w:bookmarkEnd"), {qn("w:id"): "5"}))
        if with_old:
            p = d.add_paragraph("Gammelt afsnit med indholdskontrol.")
            sdt = etree.SubElement(p._p, qn("w:sdt"))
            etree.SubElement(etree.SubElement(sdt, qn("w:sdtPr")), qn("w:id")).set(qn("w:val"), "1")
            run = etree.SubElement(etree.SubElement(sdt, qn("w:sdtContent")), qn("w:r"))
            etree.SubElement(run, qn("w:t")).text = " Udfyldt."
            ppr = p._p.get_or_add_pPr()
            etree.SubElement(ppr, qn("w:sectPr"))
        d.add_paragraph("Sidste afsnit.")
        return save(d)

    old, new = doc(True), doc(False)
    result = track_changes(old, new, date=DATE)
    root = body(result)
    ids = [el.get(qn("w:id")) for el in root.iter()
           if el.get(qn("w:id")) is not None and el.tag != qn("w:bookmarkEnd")]
    assert len(ids) == len(set(ids)) == 4      # the bookmark and three revisions
    assert root.find("w:p/w:pPr/w:sectPr", NS) is None
    assert len(root.findall("w:sectPr", NS)) == 1
    assert "".join(revision_text(d) for d in revisions(result, "del")) == \
        "Gammelt afsnit med indholdskontrol. Udfyldt."
    sdt_ids = [i.get(qn("w:val")) for i in root.iter(qn("w:id"))]
    assert len(sdt_ids) == 1 and int(sdt_ids[0]) > 5      # renumbered after the new ids
    assert not set(sdt_ids) & set(ids)
    assert texts(accept_all(result)) == texts(new)
    assert texts(reject_all(result)) == texts(old)
