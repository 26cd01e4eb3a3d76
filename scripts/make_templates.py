"""Write the docxtpl templates in templates/docx/ (commit the result).

Each template is an ordinary Word document with real styles (Title, Heading 1-3, List Bullet,
two table styles of our own: "Tabeltekst" and "Tabeloverskrift"), a header, a footer with
"Side X af Y", tables whose header row repeats, and Jinja tags typed as plain text, each tag in
a single run. A municipality can restyle them in Word (fonts, colours, logo in the header)
without touching code, as long as the tags are left as they are.

Run: .venv/bin/python scripts/make_templates.py [FOLDER]   (default templates/docx)
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from sagsgenerator.render.engine import FIXED_TIME, LANGUAGE, fixed_zip

ROOT = Path(__file__).resolve().parent.parent
ACCENT = RGBColor(0x1F, 0x3A, 0x5F)
HEADER_FILL = "DCE3EC"
GROUP_FILL = "EEF2F6"


# --- document, styles, header and footer ------------------------------------------------------

def new_document(title: str, landscape: bool = False, margin_cm: float = 2.5) -> Document:
    doc = Document()
    section = doc.sections[0]
    width, height = Cm(21.0), Cm(29.7)  # A4, not python-docx's US Letter
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        width, height = height, width
    section.page_width, section.page_height = width, height
    section.left_margin = section.right_margin = Cm(margin_cm)
    section.top_margin, section.bottom_margin = Cm(2.0), Cm(2.0)
    section.header_distance = section.footer_distance = Cm(1.0)
    set_styles(doc)
    set_header_footer(section)
    core = doc.core_properties
    core.title, core.language, core.author = title, LANGUAGE, ""
    core.created = core.modified = core.last_printed = FIXED_TIME
    core.revision = 1
    return doc


def set_styles(doc: Document) -> None:
    styles = doc.styles
    r_pr = styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    lang = r_pr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        r_pr.append(lang)
    lang.set(qn("w:val"), LANGUAGE)
    lang.set(qn("w:eastAsia"), LANGUAGE)

    normal = styles["Normal"]
    normal.font.name, normal.font.size = "Calibri", Pt(11)
    normal.paragraph_format.space_after = Pt(6)
    normal.paragraph_format.line_spacing = 1.1
    for name, size, before in (("Heading 1", 15, 18), ("Heading 2", 12.5, 12),
                               ("Heading 3", 11.5, 10)):
        style = styles[name]
        style.font.name, style.font.size, style.font.bold = "Calibri", Pt(size), True
        style.font.color.rgb = ACCENT
        style.paragraph_format.space_before = Pt(before)
        style.paragraph_format.space_after = Pt(4)
        style.paragraph_format.keep_with_next = True
    title = styles["Title"]
    title.font.name, title.font.size, title.font.color.rgb = "Calibri", Pt(24), ACCENT
    title.paragraph_format.space_after = Pt(12)
    subtitle = styles["Subtitle"]
    subtitle.font.name, subtitle.font.size = "Calibri", Pt(14)
    for name in ("Header", "Footer"):
        styles[name].font.size = Pt(9)
        styles[name].font.color.rgb = RGBColor(0x59, 0x59, 0x59)
    styles["List Bullet"].paragraph_format.space_after = Pt(2)

    table_text = styles.add_style("Tabeltekst", WD_STYLE_TYPE.PARAGRAPH)
    table_text.base_style = normal
    table_text.font.size = Pt(8.5)
    table_text.paragraph_format.space_after = Pt(2)
    table_text.paragraph_format.line_spacing = 1.0
    table_head = styles.add_style("Tabeloverskrift", WD_STYLE_TYPE.PARAGRAPH)
    table_head.base_style = table_text
    table_head.font.bold = True
    table_head.paragraph_format.keep_with_next = True
    table_bullet = styles.add_style("Tabelpunkt", WD_STYLE_TYPE.PARAGRAPH)
    table_bullet.base_style = styles["List Bullet"]
    table_bullet.font.size = Pt(8.5)
    table_bullet.paragraph_format.space_after = Pt(0)
    table_bullet.paragraph_format.left_indent = Cm(0.35)
    table_bullet.paragraph_format.first_line_indent = Cm(-0.3)
    table_bullet.paragraph_format.line_spacing = 1.0
    for level in (1, 2, 3):
        # Word knows these built-in names; it uses them when it updates the table of contents.
        toc = styles.add_style(f"toc {level}", WD_STYLE_TYPE.PARAGRAPH)
        toc.base_style = normal
        toc.paragraph_format.left_indent = Cm(0.6 * (level - 1))
        toc.paragraph_format.space_after = Pt(2 if level > 1 else 4)
        toc.font.bold = level == 1


def add_field(paragraph, instruction: str, shown: str) -> None:
    """A complex field (PAGE, NUMPAGES, TOC): begin, instruction, separate, shown text, end."""
    field_char(paragraph, "begin")
    run = paragraph.add_run()
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    run._r.append(instr)
    field_char(paragraph, "separate")
    paragraph.add_run(shown)
    field_char(paragraph, "end")


def field_char(paragraph, kind: str) -> None:
    char = OxmlElement("w:fldChar")
    char.set(qn("w:fldCharType"), kind)
    paragraph.add_run()._r.append(char)


def set_header_footer(section) -> None:
    header = section.header.paragraphs[0]
    header.text = "{{ header_text }}"
    header.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run("Side ")
    add_field(footer, "PAGE", "1")
    footer.add_run(" af ")
    add_field(footer, "NUMPAGES", "1")


# --- paragraphs and tags ----------------------------------------------------------------------

def para(container, text: str = "", style: str | None = None, bold: bool = False,
         italic: bool = False):
    paragraph = container.add_paragraph(style=style)
    if text:
        run = paragraph.add_run(text)
        run.bold, run.italic = bold or None, italic or None
    return paragraph


def tag(container, text: str):
    """A paragraph holding only a docxtpl paragraph tag ({%p ... %}); removed on render."""
    return para(container, text)


def labelled(container, label: str, value: str, style: str | None = None):
    """'Label: value' with the label in bold."""
    paragraph = container.add_paragraph(style=style)
    paragraph.add_run(f"{label}: ").bold = True
    paragraph.add_run(value)
    return paragraph


def logo(doc: Document) -> None:
    """The municipality's logo (from the configuration), right-aligned, when there is one."""
    tag(doc, "{%p if logo %}")
    paragraph = para(doc, "{{ logo }}")
    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    tag(doc, "{%p endif %}")


def header_block(doc: Document, rows: list[tuple[str, str]]) -> None:
    logo(doc)
    for label, value in rows:
        paragraph = doc.add_paragraph()
        paragraph.paragraph_format.space_after = Pt(0)
        paragraph.paragraph_format.tab_stops.add_tab_stop(Cm(4.0), WD_TAB_ALIGNMENT.LEFT)
        paragraph.add_run(f"{label}:").bold = True
        paragraph.add_run("\t" + value)
    doc.add_paragraph()


def page_break(doc: Document) -> None:
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


# --- tables -----------------------------------------------------------------------------------

def cell_text(cell, text: str, style: str = "Tabeltekst", bold: bool = False):
    paragraph = cell.paragraphs[0]
    paragraph.style = style
    if text:
        paragraph.add_run(text).bold = bold or None
    return paragraph


def shade(cell, fill: str) -> None:
    tc_pr = cell._tc.get_or_add_tcPr()
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    tc_pr.append(shd)


def narrow_cell_margins(table, twips: int = 70) -> None:
    """Narrower left/right cell padding than Word's 0.19 cm: more room for amounts."""
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        element = OxmlElement(f"w:{side}")
        element.set(qn("w:w"), str(twips))
        element.set(qn("w:type"), "dxa")
        margins.append(element)
    tbl_pr = table._tbl.tblPr
    tbl_pr.insert(list(tbl_pr).index(tbl_pr.find(qn("w:tblLook"))), margins)


def repeat_header(row) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    tr_pr.append(OxmlElement("w:tblHeader"))


def new_table(doc: Document, headers: list[str], widths_cm: list[float],
              right: set[int] = frozenset()):
    """A table with a repeating header row; returns it for the body rows to be added."""
    table = doc.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for i, width in enumerate(widths_cm):
        table.columns[i].width = Cm(width)
    for i, (cell, text) in enumerate(zip(table.rows[0].cells, headers)):
        cell.width = Cm(widths_cm[i])
        paragraph = cell_text(cell, text, "Tabeloverskrift")
        if i in right:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        shade(cell, HEADER_FILL)
    repeat_header(table.rows[0])
    narrow_cell_margins(table)
    table._widths = widths_cm
    table._right = right
    return table


def add_row(table, texts: list, bold: bool = False, fill: str | None = None):
    """A row of cells: a string is one paragraph; a callable fills the cell itself."""
    row = table.add_row()
    for i, (cell, value) in enumerate(zip(row.cells, texts)):
        cell.width = Cm(table._widths[i])
        if callable(value):
            value(cell)
        else:
            paragraph = cell_text(cell, value, bold=bold)
            if i in table._right:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        if fill:
            shade(cell, fill)
    return row


def cant_split(row) -> None:
    # First child: the schema puts cantSplit before tblHeader in w:trPr.
    row._tr.get_or_add_trPr().insert(0, OxmlElement("w:cantSplit"))


def keep_together(table) -> None:
    """Small tables stay on one page: rows do not split and each keeps with the next."""
    for index, row in enumerate(table.rows):
        cant_split(row)
        if index < len(table.rows) - 1:
            for cell in row.cells:
                for paragraph in cell.paragraphs:
                    paragraph.paragraph_format.keep_with_next = True


def tag_row(table, text: str) -> None:
    """A row holding a docxtpl row tag ({%tr ... %}); the whole row is replaced on render."""
    add_row(table, [text] + [""] * (len(table.columns) - 1))


def merged_row(table, text: str, fill: str = GROUP_FILL) -> None:
    row = table.add_row()
    first = row.cells[0].merge(row.cells[-1])
    first.width = Cm(sum(table._widths))
    cell_text(first, text, "Tabeloverskrift")
    shade(first, fill)


def loop_rows(table, loop: str, cells: list) -> None:
    tag_row(table, "{%tr for " + loop + " %}")
    add_row(table, cells)
    tag_row(table, "{%tr endfor %}")


def lines_cell(loop: str, expr: str, style: str = "Tabelpunkt"):
    """A cell with one bulleted paragraph per element of a list."""
    def fill(cell):
        cell_text(cell, "{%p for " + loop + " %}")
        para(cell, expr, style)
        para(cell, "{%p endfor %}", "Tabeltekst")
    return fill


def two_lines_cell(first: str, second: str, vm: bool = False):
    """A bold first line and a plain second line (Mål: area + goal; Indsats: title + text)."""
    def fill(cell):
        cell_text(cell, first, bold=True)
        para(cell, second + ("{% vm %}" if vm else ""), "Tabeltekst")
    return fill


# --- the five templates -----------------------------------------------------------------------

def sagsfremstilling() -> Document:
    doc = new_document("Sagsfremstilling")
    header_block(doc, [("Udvalg", "{{ committee }}"), ("Mødedato", "{{ meeting_date }}"),
                       ("Sagsnr.", "{{ case_number }}"), ("Punkt nr.", "{{ agenda_item }}"),
                       ("Arbejdsgruppe", "{{ p.group }}")])
    para(doc, "{{ p.title }}", "Title")
    para(doc, "Resumé", "Heading 1")
    para(doc, "{{ p.summary }}")
    para(doc, "Indstilling", "Heading 1")
    para(doc, "{{ recommendation }}")
    para(doc, "Sagsfremstilling", "Heading 1")
    para(doc, "Baggrund", "Heading 2")
    para(doc, "{{ background }}")
    labelled(doc, "Indsatsområde", "{{ p.area }}")
    labelled(doc, "Mål", "{{ p.goal }}")
    tag(doc, "{%p if p.theme %}")
    labelled(doc, "Tema i sundhedsstrategien", "{{ p.theme }}")
    tag(doc, "{%p endif %}")
    para(doc, "Formål og forventet effekt", "Heading 2")
    para(doc, "{{ p.purpose }}")
    para(doc, "Målgruppe og problemets omfang", "Heading 2")
    para(doc, "Målgruppe", "Heading 3")
    para(doc, "{{ p.target_group }}")
    para(doc, "Problemets omfang", "Heading 3")
    para(doc, "{{ p.problem_size }}")
    para(doc, "Indhold og rammer", "Heading 2")
    para(doc, "{{ p.content }}")
    para(doc, "Ansvar og organisering", "Heading 2")
    labelled(doc, "Ansvarligt center", "{{ p.centre }}")
    tag(doc, "{%p if p.partners %}")
    labelled(doc, "Udførende og samarbejdspartnere", "{{ p.partners }}")
    tag(doc, "{%p endif %}")
    labelled(doc, "Projektejer", "{{ owner }}")
    para(doc, "Monitorering og evaluering", "Heading 2")
    para(doc, "{{ p.monitoring }}")
    para(doc, "Målindikatorer:", bold=True)
    tag(doc, "{%p for i in p.indicators %}")
    para(doc, "{{ i }}", "List Bullet")
    tag(doc, "{%p endfor %}")
    labelled(doc, "Opfølgning", "{{ p.follow_up }}")
    para(doc, "Økonomi", "Heading 1")
    table = new_table(doc, ["Ressourcer", "Beløb"], [10.0, 6.0], right={1})
    add_row(table, ["Opstart", "{{ p.cost_start }}"])
    add_row(table, ["Drift pr. år", "{{ p.cost_yearly }}"])
    add_row(table, ["I alt første år", "{{ p.cost_first_year }}"], bold=True)
    add_row(table, ["Finansiering", "{{ p.financing }}"])
    keep_together(table)
    para(doc)
    para(doc, "Tidsplan", "Heading 1")
    labelled(doc, "Opstart", "{{ p.start }}")
    labelled(doc, "Opfølgning", "{{ p.follow_up }}")
    para(doc, "Beslutning", "Heading 1")
    para(doc)
    tag(doc, "{%p if attachments %}")
    para(doc, "Bilag", "Heading 1")
    tag(doc, "{%p for a in attachments %}")
    para(doc, "{{ a }}")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p endif %}")
    return doc


def idekatalog() -> Document:
    doc = new_document("Idékatalog", margin_cm=2.0)
    logo(doc)
    for _ in range(6):
        para(doc)
    para(doc, "{{ title }}", "Title")
    para(doc, "{{ subtitle }}", "Subtitle")
    para(doc, "{{ municipality }}", bold=True)
    para(doc, "{{ administration }}")
    para(doc)
    para(doc, "{{ intro }}")
    page_break(doc)
    para(doc, "Indhold", "TOC Heading")
    # A TOC field whose shown result is the static list of headings: readable as is, and
    # Word adds page numbers when the field is updated (F9).
    start = doc.add_paragraph(style="toc 1")
    field_char(start, "begin")
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = ' TOC \\o "1-3" \\h \\z \\u '
    start.add_run()._r.append(instr)
    field_char(start, "separate")
    tag(doc, "{%p for e in toc %}")
    tag(doc, "{%p if e.level == 1 %}")
    para(doc, "{{ e.text }}", "toc 1")
    tag(doc, "{%p elif e.level == 2 %}")
    para(doc, "{{ e.text }}", "toc 2")
    tag(doc, "{%p else %}")
    para(doc, "{{ e.text }}", "toc 3")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p endfor %}")
    field_char(doc.add_paragraph(style="toc 1"), "end")
    page_break(doc)

    para(doc, "Oversigt over forslagene", "Heading 1")
    table = new_table(doc, ["Nr.", "Titel", "Type", "Ansvarligt center", "Opstart kr.",
                            "Drift pr. år kr.", "Finansiering"],
                      [0.8, 3.5, 3.0, 2.6, 2.1, 2.1, 2.9], right={0, 4, 5})
    tag_row(table, "{%tr for g in overview %}")
    merged_row(table, "{{ g.name }}")
    loop_rows(table, "p in g.proposals", ["{{ p.nr }}", "{{ p.title }}", "{{ p.kind }}",
                                      "{{ p.centre }}", "{{ p.start_kr }}",
                                      "{{ p.yearly_kr }}", "{{ p.financing }}"])
    tag_row(table, "{%tr endfor %}")
    add_row(table, ["", "I alt", "", "", "{{ total.start_kr }}", "{{ total.yearly_kr }}", ""],
            bold=True, fill=GROUP_FILL)
    for row in table.rows:
        cant_split(row)

    tag(doc, "{%p for fa in areas %}")
    para(doc, "{{ fa.name }}", "Heading 1")
    tag(doc, "{%p for g in fa.groups %}")
    para(doc, "{{ g.heading }}", "Heading 2")
    para(doc, "{{ g.intro }}", italic=True)
    tag(doc, "{%p for p in g.proposals %}")
    para(doc, "{{ p.nr }}. {{ p.title }}", "Heading 3")
    para(doc, "{{ p.kind_line }}", italic=True)
    para(doc, "{{ p.summary }}")
    labelled(doc, "Målgruppe", "{{ p.target_group }}")
    labelled(doc, "Ansvarligt center", "{{ p.centre }}")
    labelled(doc, "Ressourcer", "{{ p.resources }}")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p endfor %}")
    return doc


def handleplan() -> Document:
    doc = new_document("Handleplan", landscape=True, margin_cm=2.0)
    para(doc, "{{ title }}", "Title")
    para(doc, "{{ intro }}")
    headers = ["Prioritet", "Indsats", "Formål", "Ansvar", "Opstart", "Finansiering",
               "Ressourcer opstart kr.", "Ressourcer drift pr. år kr."]
    widths = [1.9, 4.3, 7.5, 3.6, 2.2, 2.7, 2.25, 2.25]
    tag(doc, "{%p for fa in areas %}")
    para(doc, "{{ fa.name }}", "Heading 1")
    table = new_table(doc, headers, widths, right={0, 6, 7})

    def responsible(cell):
        cell_text(cell, "{{ p.centre }}")
        para(cell, "{%p if p.owner %}", "Tabeltekst")
        para(cell, "Projektejer: {{ p.owner }}", "Tabeltekst")
        para(cell, "{%p endif %}", "Tabeltekst")

    loop_rows(table, "p in fa.proposals", ["{{ p.priority }}", two_lines_cell("{{ p.title }}",
                                                                          "{{ p.group }}"),
                                       "{{ p.purpose }}", responsible, "{{ p.start }}",
                                       "{{ p.financing }}", "{{ p.start_kr }}",
                                       "{{ p.yearly_kr }}"])
    add_row(table, ["", "I alt {{ fa.name }}", "", "", "", "", "{{ fa.total.start_kr }}",
                    "{{ fa.total.yearly_kr }}"], bold=True, fill=GROUP_FILL)
    tag(doc, "{%p endfor %}")

    para(doc, "Samlede ressourcer", "Heading 1")
    table = new_table(doc, ["Fokusområde", "Antal indsatser", "Ressourcer opstart",
                            "Ressourcer drift pr. år"], [9.0, 3.5, 4.5, 4.5], right={1, 2, 3})
    loop_rows(table, "fa in areas", ["{{ fa.name }}", "{{ fa.total.count }}",
                                     "{{ fa.total.cost_start }}", "{{ fa.total.cost_yearly }}"])
    add_row(table, ["I alt", "{{ total.count }}", "{{ total.cost_start }}",
                    "{{ total.cost_yearly }}"], bold=True, fill=GROUP_FILL)
    keep_together(table)
    para(doc)
    chart = para(doc, "{{ chart }}")
    chart.alignment = WD_ALIGN_PARAGRAPH.CENTER
    para(doc, "{{ chart_caption }}", "Caption").alignment = WD_ALIGN_PARAGRAPH.CENTER
    return doc


def opfoelgning() -> Document:
    doc = new_document("Opfølgning", margin_cm=2.0)
    para(doc, "{{ title }}", "Title")
    para(doc, "{{ intro }}")
    tag(doc, "{%p for t in themes %}")
    para(doc, "{{ t.heading }}", "Heading 1")
    tag(doc, "{%p if t.goals %}")
    para(doc, "Overordnede mål", "Heading 2")
    tag(doc, "{%p for g in t.goals %}")
    para(doc, "{{ g }}", "List Bullet")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p endif %}")
    para(doc, "Projekter og indsatser", "Heading 2")
    table = new_table(doc, ["Mål", "Projekter/Indsatser", "Ansvarlig", "Målindikatorer",
                            "Opfølgning"], [3.3, 4.7, 2.7, 3.9, 2.4])
    tag_row(table, "{%tr for m in t.rows %}")
    # {% vm %}: docxtpl merges this cell vertically over the rows of the inner loop.
    loop_rows(table, "p in m.proposals", [two_lines_cell("{{ m.area }}", "{{ m.goal }}", vm=True),
                                      two_lines_cell("{{ p.title }}", "{{ p.description }}"),
                                      "{{ p.centre }}", lines_cell("i in p.indicators", "{{ i }}"),
                                      "{{ p.follow_up }}"])
    tag_row(table, "{%tr endfor %}")
    tag(doc, "{%p endfor %}")
    return doc


def udvalgssag() -> Document:
    doc = new_document("Samlet udvalgssag")
    header_block(doc, [("Udvalg", "{{ committee }}"), ("Mødedato", "{{ meeting_date }}"),
                       ("Sagsnr.", "{{ case_number }}"), ("Punkt nr.", "{{ agenda_item }}")])
    para(doc, "{{ title }}", "Title")
    para(doc, "Resumé", "Heading 1")
    para(doc, "{{ summary }}")
    para(doc, "Indstilling", "Heading 1")
    para(doc, "{{ recommendation }}")
    para(doc, "Sagsfremstilling", "Heading 1")
    tag(doc, "{%p for t in case_text %}")
    para(doc, "{{ t }}")
    tag(doc, "{%p endfor %}")
    para(doc, "{{ table_heading }}", "Heading 2")
    table = new_table(doc, ["Prioritet", "Titel", "Ansvarligt center", "Opstart kr.",
                            "Drift pr. år kr."], [1.9, 6.1, 3.6, 2.2, 2.2], right={0, 3, 4})
    loop_rows(table, "p in proposals", ["{{ p.priority }}", "{{ p.title }}", "{{ p.centre }}",
                                        "{{ p.start_kr }}", "{{ p.yearly_kr }}"])
    add_row(table, ["", "I alt", "", "{{ total.start_kr }}", "{{ total.yearly_kr }}"],
            bold=True, fill=GROUP_FILL)
    for row in table.rows:
        cant_split(row)
    para(doc)
    para(doc, "Økonomi", "Heading 1")
    para(doc, "{{ economy_text }}")
    table = new_table(doc, ["Finansiering", "Antal", "Opstart kr.", "Drift pr. år kr."],
                      [7.6, 2.0, 3.2, 3.2], right={1, 2, 3})
    loop_rows(table, "f in financing", ["{{ f.name }}", "{{ f.count }}", "{{ f.start_kr }}",
                                        "{{ f.yearly_kr }}"])
    add_row(table, ["I alt", "{{ total.count }}", "{{ total.start_kr }}",
                    "{{ total.yearly_kr }}"], bold=True, fill=GROUP_FILL)
    keep_together(table)
    para(doc)
    para(doc, "Beslutning", "Heading 1")
    para(doc)
    para(doc, "Bilag", "Heading 1")
    tag(doc, "{%p for a in attachments %}")
    para(doc, "{{ a }}")
    tag(doc, "{%p endfor %}")
    return doc


TEMPLATES = {
    "sagsfremstilling": sagsfremstilling,
    "idekatalog": idekatalog,
    "handleplan": handleplan,
    "opfoelgning": opfoelgning,
    "udvalgssag": udvalgssag,
}


def main(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, build in TEMPLATES.items():
        buffer = io.BytesIO()
        build().save(buffer)
        target = folder / f"{name}.docx"
        target.write_bytes(fixed_zip(buffer.getvalue()))
        print(target)


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "templates" / "docx")
