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
import re
import sys
import zipfile
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from sagsgenerator.config import DEFAULT_CONFIG
from sagsgenerator.render.engine import FIXED_TIME, LANGUAGE, fixed_zip

ROOT = Path(__file__).resolve().parent.parent
ACCENT = RGBColor(0x1F, 0x3A, 0x5F)
HEADER_FILL = "DCE3EC"
GROUP_FILL = "EEF2F6"
NBSP = "\u00a0"
BODY_FONT = "Calibri"  # LibreOffice shows it with Carlito, which has the same metrics
HEADING_FONT = "Cambria"  # ... and this one with Caladea
TABLE_PT = 8.5  # the large tables (plan, catalogue overview, follow-up)
BODY_PT = 11.0  # body text, and the small tables of the case papers
A4_CM = (21.0, 29.7)


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
    doc._text_width_cm = (A4_CM[1] if landscape else A4_CM[0]) - 2 * margin_cm
    set_styles(doc)
    set_settings(doc)
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

    fonts = r_pr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        r_pr.insert(0, fonts)
    for attribute in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attribute), BODY_FONT)
    for attribute in ("w:asciiTheme", "w:hAnsiTheme", "w:cstheme", "w:eastAsiaTheme"):
        fonts.attrib.pop(qn(attribute), None)

    normal = styles["Normal"]
    normal.font.name, normal.font.size = BODY_FONT, Pt(BODY_PT)
    normal.paragraph_format.space_after = Pt(6)
    normal.paragraph_format.line_spacing = 1.1
    for name, size, before in (("Heading 1", 15, 18), ("Heading 2", 12.5, 12),
                               ("Heading 3", 11.5, 10)):
        style = styles[name]
        style.font.name, style.font.size, style.font.bold = BODY_FONT, Pt(size), True
        style.font.color.rgb = ACCENT
        style.paragraph_format.space_before = Pt(before)
        style.paragraph_format.space_after = Pt(4)
        style.paragraph_format.keep_with_next = True
    title = styles["Title"]
    title.font.name, title.font.size, title.font.color.rgb = HEADING_FONT, Pt(24), ACCENT
    title.paragraph_format.space_after = Pt(12)
    subtitle = styles["Subtitle"]
    subtitle.font.name, subtitle.font.size = HEADING_FONT, Pt(14)
    caption = styles["Caption"]
    caption.font.size, caption.font.bold, caption.font.italic = Pt(9.5), False, True
    caption.font.color.rgb = RGBColor(0x40, 0x40, 0x40)
    for name in ("Header", "Footer"):
        styles[name].font.size = Pt(9)
        styles[name].font.color.rgb = RGBColor(0x59, 0x59, 0x59)
    styles["List Bullet"].paragraph_format.space_after = Pt(2)

    table_text = styles.add_style("Tabeltekst", WD_STYLE_TYPE.PARAGRAPH)
    table_text.base_style = normal
    table_text.font.size = Pt(TABLE_PT)
    table_text.paragraph_format.space_after = Pt(2)
    table_text.paragraph_format.line_spacing = 1.0
    table_head = styles.add_style("Tabeloverskrift", WD_STYLE_TYPE.PARAGRAPH)
    table_head.base_style = table_text
    table_head.font.bold = True
    table_head.paragraph_format.keep_with_next = True
    table_bullet = styles.add_style("Tabelpunkt", WD_STYLE_TYPE.PARAGRAPH)
    table_bullet.base_style = styles["List Bullet"]
    table_bullet.font.size = Pt(TABLE_PT)
    table_bullet.paragraph_format.space_after = Pt(0)
    table_bullet.paragraph_format.left_indent = Cm(0.35)
    table_bullet.paragraph_format.first_line_indent = Cm(-0.3)
    table_bullet.paragraph_format.line_spacing = 1.0
    # Body-size table text: the case papers' small tables (Økonomi) read like the text.
    large_text = styles.add_style("Tabeltekst stor", WD_STYLE_TYPE.PARAGRAPH)
    large_text.base_style = table_text
    large_text.font.size = Pt(BODY_PT)
    large_head = styles.add_style("Tabeloverskrift stor", WD_STYLE_TYPE.PARAGRAPH)
    large_head.base_style = large_text
    large_head.font.bold = True
    large_head.paragraph_format.keep_with_next = True
    note = styles.add_style("Tabelnote", WD_STYLE_TYPE.PARAGRAPH)
    note.base_style = normal
    note.font.size, note.font.italic = Pt(9), True
    note.paragraph_format.space_before = Pt(3)
    for level in (1, 2, 3):
        # Word knows these built-in names; it uses them when it updates the table of contents.
        toc = styles.add_style(f"toc {level}", WD_STYLE_TYPE.PARAGRAPH)
        toc.base_style = normal
        toc.paragraph_format.left_indent = Cm(0.6 * (level - 1))
        toc.paragraph_format.space_after = Pt(2 if level > 1 else 4)
        toc.font.bold = level == 1


W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
# CT_Settings: the elements that may come before w:autoHyphenation, in schema order.
BEFORE_HYPHENATION = ("writeProtection", "view", "zoom", "removePersonalInformation",
                      "removeDateAndTime", "doNotDisplayPageBoundaries", "displayBackgroundShape",
                      "printPostScriptOverText", "printFractionalCharacterWidth",
                      "printFormsData", "embedTrueTypeFonts", "embedSystemFonts",
                      "saveSubsetFonts", "saveFormsData", "mirrorMargins",
                      "alignBordersAndEdges", "bordersDoNotSurroundHeader",
                      "bordersDoNotSurroundFooter", "gutterAtTop", "hideSpellingErrors",
                      "hideGrammaticalErrors", "activeWritingStyle", "proofState",
                      "formsDesign", "attachedTemplate", "linkStyles", "stylePaneFormatFilter",
                      "stylePaneSortMethod", "documentType", "mailMerge", "revisionView",
                      "trackRevisions", "doNotTrackMoves", "doNotTrackFormatting",
                      "documentProtection", "autoFormatOverride", "styleLockTheme",
                      "styleLockQFSet", "defaultTabStop")


def set_settings(doc: Document) -> None:
    """Danish hyphenation on (Word and LibreOffice hyphenate with the da-DK dictionary), and
    Danish as the theme's language."""
    settings = doc.settings.element
    after = [e for e in settings if etree_name(e) in BEFORE_HYPHENATION]
    hyphenation = OxmlElement("w:autoHyphenation")
    if after:
        after[-1].addnext(hyphenation)
    else:
        settings.insert(0, hyphenation)
    zone = OxmlElement("w:hyphenationZone")
    zone.set(qn("w:val"), "357")  # 0.63 cm, Word's default
    hyphenation.addnext(zone)
    caps = OxmlElement("w:doNotHyphenateCaps")
    zone.addnext(caps)
    theme_lang = settings.find(qn("w:themeFontLang"))
    if theme_lang is None:
        theme_lang = OxmlElement("w:themeFontLang")
        anchor = settings.find(qn("w:rsids"))
        (anchor.addnext if anchor is not None else settings.append)(theme_lang)
    theme_lang.set(qn("w:val"), LANGUAGE)


def etree_name(element) -> str:
    return element.tag.rsplit("}", 1)[-1]


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

FONT_FILES = {False: "Carlito-Regular.ttf", True: "Carlito-Bold.ttf"}
FONT_DIRS = [Path("/usr/share/fonts/truetype/crosextra"), Path("/usr/share/fonts/crosextra")]
CELL_PADDING_CM = 2 * 70 / 1440 * 2.54  # narrow_cell_margins: 70 twips left and right
SLACK_CM = 0.15  # rounding in the layout engines; a word that just fits may still wrap


def text_cm(text: str, size_pt: float, bold: bool = False) -> float:
    """The width of a text in Calibri (measured with Carlito, the same metrics; estimated
    when the font is not installed)."""
    for folder in FONT_DIRS:
        path = folder / FONT_FILES[bold]
        if path.is_file():
            from PIL import ImageFont  # installed with the project (the chart)
            font = ImageFont.truetype(str(path), 100)
            return font.getlength(text) / 100 * size_pt / 72 * 2.54
    return len(text) * size_pt * (0.55 if bold else 0.5) / 72 * 2.54


def unbreakable_parts(text: str) -> list[str]:
    """What a layout engine cannot break: the words (no-break spaces keep words together)."""
    return [w for w in re.split(r"[ \t\n-]+", text) if w]


def fit_widths(total_cm: float, columns: list[tuple[str, list[str], float]],
               size_pt: float = TABLE_PT) -> list[float]:
    """Column widths (cm) that sum to the text width: each column at least as wide as its
    longest unbreakable word (the header in bold, the samples of what it will hold), the rest
    shared by weight. No word is then broken inside a cell."""
    minimum = []
    for header, samples, _weight in columns:
        need = [text_cm(w, size_pt, bold=True) for w in unbreakable_parts(header)]
        # Samples break only at spaces: "BKS-12" must not wrap at its hyphen.
        need += [text_cm(w, size_pt) for s in samples for w in s.split(" ")]
        minimum.append(max(need, default=0.5) + CELL_PADDING_CM + SLACK_CM)
    spare = total_cm - sum(minimum)
    if spare < 0:
        raise ValueError(f"Kolonnerne {[c[0] for c in columns]} kræver {sum(minimum):.2f} cm; "
                         f"der er {total_cm:.2f} cm.")
    weights = sum(c[2] for c in columns) or 1
    widths = [m + spare * c[2] / weights for m, c in zip(minimum, columns)]
    # Whole twips, summing exactly to the text width (Word and LibreOffice round to twips).
    twips = [round(w / 2.54 * 1440) for w in widths]
    twips[max(range(len(twips)), key=lambda i: twips[i])] += round(total_cm / 2.54 * 1440) - sum(twips)
    return [t / 1440 * 2.54 for t in twips]


def _longest_words(values) -> list[str]:
    return sorted({w for v in values for w in unbreakable_parts(v)}, key=len)[-3:]


# Samples of what the columns hold: the configured vocabularies and the longest dates/amounts.
CENTRES = _longest_words(DEFAULT_CONFIG.centres)
FINANCING = _longest_words(DEFAULT_CONFIG.financing_types)
KINDS = list(DEFAULT_CONFIG.proposal_kinds)
DATE = f"30.{NBSP}september{NBSP}2026"
MONTH = f"september{NBSP}2026"
AMOUNT = "12.500.000"
AMOUNT_KR = f"12.500.000{NBSP}kr."
NUMBER = "BKS-12"

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


def set_table_width(table, width_cm: float) -> None:
    """w:tblW in twips and a fixed layout: Word and LibreOffice keep the columns as given."""
    tbl_pr = table._tbl.tblPr
    width = tbl_pr.find(qn("w:tblW"))
    if width is None:
        width = OxmlElement("w:tblW")
        tbl_pr.append(width)
    width.set(qn("w:w"), str(round(width_cm / 2.54 * 1440)))
    width.set(qn("w:type"), "dxa")
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    # CT_TblPr order: ... tblW, jc, tblCellSpacing, tblInd, tblBorders, shd, tblLayout, tblCellMar, tblLook
    anchor = tbl_pr.find(qn("w:tblCellMar"))
    if anchor is None:
        anchor = tbl_pr.find(qn("w:tblLook"))
    if anchor is not None:
        anchor.addprevious(layout)
    else:
        tbl_pr.append(layout)


def repeat_header(row) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    tr_pr.append(OxmlElement("w:tblHeader"))


def new_table(doc: Document, headers: list[str], widths_cm: list[float],
              right: set[int] = frozenset(), large: bool = False):
    """A table with a repeating header row whose columns sum to no more than the text width;
    returns it for the body rows to be added. `large`: body-size text (case papers)."""
    assert sum(widths_cm) <= doc._text_width_cm + 0.01, (headers, sum(widths_cm))
    table = doc.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    table._text_style = "Tabeltekst stor" if large else "Tabeltekst"
    head_style = "Tabeloverskrift stor" if large else "Tabeloverskrift"
    for i, width in enumerate(widths_cm):
        table.columns[i].width = Cm(width)
    set_table_width(table, sum(widths_cm))
    for i, (cell, text) in enumerate(zip(table.rows[0].cells, headers)):
        cell.width = Cm(widths_cm[i])
        paragraph = cell_text(cell, text, head_style)
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
            paragraph = cell_text(cell, value, table._text_style, bold=bold)
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
    return row


def loop_rows(table, loop: str, cells: list) -> None:
    tag_row(table, "{%tr for " + loop + " %}")
    add_row(table, cells)
    tag_row(table, "{%tr endfor %}")


def paragraphs_cell(values: str, style: str = "Tabeltekst", bold_first: str | None = None):
    """A cell with one paragraph per element of a list (user text split at Alt+Enter);
    `bold_first`: a bold line before them."""
    def fill(cell):
        if bold_first:
            cell_text(cell, bold_first, style, bold=True)
            para(cell, "{%p for t in " + values + " %}", style)
        else:
            cell_text(cell, "{%p for t in " + values + " %}", style)
        para(cell, "{{ t }}", style)
        para(cell, "{%p endfor %}", style)
    return fill


def lines_cell(loop: str, expr: str, style: str = "Tabelpunkt"):
    """A cell with one bulleted paragraph per element of a list."""
    def fill(cell):
        cell_text(cell, "{%p for " + loop + " %}")
        para(cell, expr, style)
        para(cell, "{%p endfor %}", "Tabeltekst")
    return fill


def light_cell(when: str, light: str, fill: str):
    """The follow-up date, then the traffic light as text on a cell shaded in its colour
    (docxtpl's {% cellbg %}: a municipality can move or drop it in Word)."""
    def fill_cell(cell):
        cell_text(cell, when)
        para(cell, "{% cellbg " + fill + " %}" + light, "Tabeltekst", bold=True)
    return fill_cell


def two_lines_cell(first: str, second: str, vm: bool = False):
    """A bold first line and a plain second line (Mål: area + goal; Indsats: title + text)."""
    def fill(cell):
        cell_text(cell, first, bold=True)
        para(cell, second + ("{% vm %}" if vm else ""), "Tabeltekst")
    return fill


# --- the five templates -----------------------------------------------------------------------

def keep_next(paragraph):
    paragraph.paragraph_format.keep_with_next = True
    return paragraph


def text_loop(doc: Document, values: str, style: str | None = None, keep: bool = False):
    """One paragraph per element of a list: user text with Alt+Enter becomes real paragraphs
    (docxtpl's "\\n" would only be a line break inside one paragraph)."""
    tag(doc, "{%p for t in " + values + " %}")
    paragraph = para(doc, "{{ t }}", style)
    if keep:
        keep_next(paragraph)
    tag(doc, "{%p endfor %}")
    return paragraph


def budget_table(doc: Document, large: bool, financing: bool, name: str = "budget"):
    """Resources per budget year (the budget year and three overslagsår): Opstart, Drift,
    (per financing,) I alt; the rule under the table."""
    size = BODY_PT if large else TABLE_PT
    label_samples = ["Finansiering"] + (FINANCING if financing else [])
    columns = [("Beløb i kr.", label_samples, 3.0)] + [("2026", [AMOUNT], 1.0)] * 4
    total = min(doc._text_width_cm, 16.0)
    widths = fit_widths(total, columns, size)
    years = [f"{{{{ {name}.years[{k}] }}}}" for k in range(4)]
    table = new_table(doc, ["Beløb i kr."] + years, widths, right={1, 2, 3, 4}, large=large)
    loop_rows(table, f"r in {name}.rows", ["{{ r.label }}"] +
              [f"{{{{ r.amounts[{k}] }}}}" for k in range(4)])
    add_row(table, ["I alt"] + [f"{{{{ {name}.total.amounts[{k}] }}}}" for k in range(4)],
            bold=True, fill=GROUP_FILL)
    if financing:
        tag_row(table, "{%tr if " + name + ".financing %}")
        row = merged_row(table, "Finansiering")
        tag_row(table, "{%tr endif %}")
        loop_rows(table, f"f in {name}.financing", ["{{ f.label }}"] +
                  [f"{{{{ f.amounts[{k}] }}}}" for k in range(4)])
    keep_together(table)
    para(doc, "{{ " + name + ".rule }}", "Tabelnote")
    return table


def decision(doc: Document) -> None:
    """'Beslutning' and room for the committee's decision: one paragraph, so the heading is
    never left alone at a page's foot (LibreOffice lets an empty last paragraph go)."""
    para(doc, "Beslutning", "Heading 1")
    room = para(doc, "{{ decision }}")
    room.paragraph_format.space_after = Pt(48)


def sagsfremstilling() -> Document:
    doc = new_document("Sagsfremstilling")
    header_block(doc, [("Udvalg", "{{ committee }}"), ("Mødedato", "{{ meeting_date }}"),
                       ("Sagsnr.", "{{ case_number }}"), ("Punkt nr.", "{{ agenda_item }}"),
                       ("Arbejdsgruppe", "{{ p.group }}"), ("Forslag nr.", "{{ p.nr }}"),
                       ("Dato", "{{ date }}")])
    para(doc, "{{ p.title }}", "Title")
    para(doc, "Resumé", "Heading 1")
    text_loop(doc, "p.summary_paragraphs")
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
    text_loop(doc, "p.purpose_paragraphs")
    para(doc, "Målgruppe og problemets omfang", "Heading 2")
    para(doc, "Målgruppe", "Heading 3")
    text_loop(doc, "p.target_group_paragraphs")
    para(doc, "Problemets omfang", "Heading 3")
    text_loop(doc, "p.problem_size_paragraphs")
    para(doc, "Indhold og rammer", "Heading 2")
    text_loop(doc, "p.content_paragraphs")
    para(doc, "Ansvar og organisering", "Heading 2")
    labelled(doc, "Ansvarligt center", "{{ p.centre }}")
    tag(doc, "{%p if p.partners %}")
    labelled(doc, "Udførende og samarbejdspartnere", "{{ p.partners }}")
    tag(doc, "{%p endif %}")
    labelled(doc, "Projektejer", "{{ owner }}")
    para(doc, "Monitorering og evaluering", "Heading 2")
    text_loop(doc, "p.monitoring_paragraphs")
    # The indicators and the follow-up line stay with their label (no "Opfølgning:" alone).
    keep_next(para(doc, "Målindikatorer:", bold=True))
    tag(doc, "{%p for i in p.indicators %}")
    keep_next(para(doc, "{{ i }}", "List Bullet"))
    tag(doc, "{%p endfor %}")
    labelled(doc, "Opfølgning", "{{ p.follow_up }}")
    para(doc, "Økonomi", "Heading 1")
    keep_next(para(doc, "{{ economy_text }}"))
    budget_table(doc, large=True, financing=False)
    para(doc, "Tidsplan", "Heading 1")
    keep_next(labelled(doc, "Opstart", "{{ p.start }}"))
    # Tidsplan, Beslutning and its empty lines stay together: Beslutning never stands alone.
    keep_next(labelled(doc, "Opfølgning", "{{ p.follow_up }}"))
    decision(doc)
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
    para(doc, "{{ date }}")
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
    headers = ["Nr.", "Titel", "Type", "Ansvarligt center", f"Opstart{NBSP}(kr.)",
               f"Drift pr.{NBSP}år{NBSP}(kr.)", "Finansiering"]
    widths = fit_widths(doc._text_width_cm, [
        (headers[0], [NUMBER], 0), (headers[1], [], 5), (headers[2], KINDS, 0.5),
        (headers[3], CENTRES, 2), (headers[4], [AMOUNT], 0), (headers[5], [AMOUNT], 0),
        (headers[6], FINANCING, 1.5)])
    table = new_table(doc, headers, widths, right={4, 5})
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
    # A group named after its focus area gets no heading of its own: the name once.
    tag(doc, "{%p if g.heading %}")
    para(doc, "{{ g.heading }}", "Heading 2")
    tag(doc, "{%p endif %}")
    para(doc, "{{ g.intro }}", italic=True)
    tag(doc, "{%p for p in g.proposals %}")
    tag(doc, "{%p if g.heading %}")
    para(doc, "{{ p.nr }} {{ p.title }}", "Heading 3")
    tag(doc, "{%p else %}")
    para(doc, "{{ p.nr }} {{ p.title }}", "Heading 2")
    tag(doc, "{%p endif %}")
    keep_next(para(doc, "{{ p.kind_line }}", italic=True))
    text_loop(doc, "p.summary_paragraphs")
    labelled(doc, "Målgruppe", "{{ p.target_group_line }}")
    labelled(doc, "Ansvarligt center", "{{ p.centre }}")
    labelled(doc, "Ressourcer", "{{ p.resources }}")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p endfor %}")
    return doc


def handleplan() -> Document:
    doc = new_document("Handleplan", landscape=True, margin_cm=2.0)
    para(doc, "{{ title }}", "Title")
    para(doc, "{{ subtitle }}", "Subtitle")
    para(doc, "{{ intro }}")
    headers = ["Prioritet", "Nr.", "Indsats", "Formål", "Ansvar", "Opstart", "Finansiering",
               f"Opstart{NBSP}(kr.)", f"Drift pr.{NBSP}år{NBSP}(kr.)"]
    widths = fit_widths(doc._text_width_cm, [
        (headers[0], [], 0), (headers[1], [NUMBER], 0), (headers[2], [], 3),
        (headers[3], [], 7), (headers[4], CENTRES, 2), (headers[5], [DATE], 0),
        (headers[6], FINANCING, 0.5), (headers[7], [AMOUNT], 0), (headers[8], [AMOUNT], 0)])
    tag(doc, "{%p for fa in areas %}")
    para(doc, "{{ fa.name }}", "Heading 1")
    keep_next(para(doc, "{{ fa.intro }}"))
    table = new_table(doc, headers, widths, right={0, 7, 8})

    def responsible(cell):
        cell_text(cell, "{{ p.centre }}")
        para(cell, "{%p if p.owner %}", "Tabeltekst")
        para(cell, "Projektejer: {{ p.owner }}", "Tabeltekst")
        para(cell, "{%p endif %}", "Tabeltekst")

    loop_rows(table, "p in fa.proposals", [
        "{{ p.priority }}", "{{ p.nr }}", "{{ p.title }}",
        paragraphs_cell("p.purpose_paragraphs"), responsible, "{{ p.start }}",
        "{{ p.financing }}", "{{ p.start_kr }}", "{{ p.yearly_kr }}"])
    for index, cell in enumerate(table.rows[-2].cells):
        if index == 2:
            for paragraph in cell.paragraphs:
                for run in paragraph.runs:
                    run.bold = True
    add_row(table, ["", "", "I alt {{ fa.name }}", "", "", "", "", "{{ fa.total.start_kr }}",
                    "{{ fa.total.yearly_kr }}"], bold=True, fill=GROUP_FILL)
    for row in table.rows:
        cant_split(row)
    tag(doc, "{%p endfor %}")

    para(doc, "Samlede ressourcer", "Heading 1")
    headers = ["Fokusområde", "Antal indsatser", "Ressourcer opstart",
               f"Ressourcer drift pr.{NBSP}år"]
    widths = fit_widths(min(doc._text_width_cm, 21.5), [
        (headers[0], [], 3), (headers[1], [], 0.5), (headers[2], [AMOUNT_KR], 1),
        (headers[3], [AMOUNT_KR], 1)])
    table = new_table(doc, headers, widths, right={1, 2, 3})
    loop_rows(table, "fa in areas", ["{{ fa.name }}", "{{ fa.total.count }}",
                                     "{{ fa.total.cost_start }}", "{{ fa.total.cost_yearly }}"])
    add_row(table, ["I alt", "{{ total.count }}", "{{ total.cost_start }}",
                    "{{ total.cost_yearly }}"], bold=True, fill=GROUP_FILL)
    keep_together(table)
    para(doc)
    para(doc, "Økonomi i budgetperioden", "Heading 1")
    keep_next(para(doc, "{{ budget.heading }}. Alle indsatser i handleplanen, fordelt på "
                        "budgetår og finansiering."))
    budget_table(doc, large=False, financing=True)
    # The chart keeps with its caption: the caption never stands alone on a page.
    chart = keep_next(para(doc, "{{ chart }}"))
    chart.alignment = WD_ALIGN_PARAGRAPH.CENTER
    para(doc, "{{ chart_caption }}", "Caption").alignment = WD_ALIGN_PARAGRAPH.CENTER
    return doc


def opfoelgning() -> Document:
    doc = new_document("Opfølgning", margin_cm=2.0)
    para(doc, "{{ title }}", "Title")
    para(doc, "{{ subtitle }}", "Subtitle")
    para(doc, "{{ intro }}")
    tag(doc, "{%p if light_summary %}")
    para(doc, "{{ light_summary }}", bold=True)
    para(doc, "{{ light_legend }}")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p for t in themes %}")
    para(doc, "{{ t.heading }}", "Heading 1")
    tag(doc, "{%p if t.goals %}")
    para(doc, "Overordnede mål", "Heading 2")
    tag(doc, "{%p for g in t.goals %}")
    para(doc, "{{ g }}", "List Bullet")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p endif %}")
    para(doc, "Projekter og indsatser", "Heading 2")
    headers = ["Mål", "Projekter/Indsatser", "Ansvarlig", "Målindikatorer", "Opfølgning"]
    widths = fit_widths(doc._text_width_cm, [
        (headers[0], ["Overvægtige"], 2.5), (headers[1], [], 2.5), (headers[2], CENTRES, 0.3),
        (headers[3], ["indskolingsundersøgelsen"], 1.5), (headers[4], [MONTH], 0.3)])
    table = new_table(doc, headers, widths)
    tag_row(table, "{%tr for m in t.rows %}")
    # {% vm %}: docxtpl merges this cell vertically over the rows of the inner loop.
    loop_rows(table, "p in m.proposals", [two_lines_cell("{{ m.area }}", "{{ m.goal }}", vm=True),
                                      two_lines_cell("{{ p.title }}", "{{ p.description }}"),
                                      "{{ p.centre }}", lines_cell("i in p.indicators", "{{ i }}"),
                                      light_cell("{{ p.follow_up }}", "{{ p.light_text }}",
                                                 "p.light_fill")])
    tag_row(table, "{%tr endfor %}")
    for row in table.rows:
        cant_split(row)
    tag(doc, "{%p endfor %}")
    return doc


def udvalgssag() -> Document:
    doc = new_document("Samlet udvalgssag")
    header_block(doc, [("Udvalg", "{{ committee }}"), ("Mødedato", "{{ meeting_date }}"),
                       ("Sagsnr.", "{{ case_number }}"), ("Punkt nr.", "{{ agenda_item }}"),
                       ("Dato", "{{ date }}")])
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
    headers = ["Prioritet", "Nr.", "Titel", "Ansvarligt center", f"Opstart{NBSP}(kr.)",
               f"Drift pr.{NBSP}år{NBSP}(kr.)"]
    widths = fit_widths(doc._text_width_cm, [
        (headers[0], [], 0), (headers[1], [NUMBER], 0), (headers[2], [], 4),
        (headers[3], CENTRES, 1), (headers[4], [AMOUNT], 0), (headers[5], [AMOUNT], 0)])
    table = new_table(doc, headers, widths, right={0, 4, 5})
    loop_rows(table, "p in proposals", ["{{ p.priority }}", "{{ p.nr }}", "{{ p.title }}",
                                        "{{ p.centre }}", "{{ p.start_kr }}", "{{ p.yearly_kr }}"])
    add_row(table, ["", "", "I alt", "", "{{ total.start_kr }}", "{{ total.yearly_kr }}"],
            bold=True, fill=GROUP_FILL)
    for row in table.rows:
        cant_split(row)
    tag(doc, "{%p if held_back %}")
    para(doc, "Forslag, der afventer rettelser", "Heading 2")
    tag(doc, "{%p for h in held_back %}")
    para(doc, "{{ h }}", "List Bullet")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p endif %}")
    para(doc, "Økonomi", "Heading 1")
    keep_next(para(doc, "{{ economy_text }}"))
    headers = ["Finansiering", "Antal", f"Opstart{NBSP}(kr.)", f"Drift pr.{NBSP}år{NBSP}(kr.)"]
    widths = fit_widths(doc._text_width_cm, [
        (headers[0], FINANCING, 3), (headers[1], [], 0), (headers[2], [AMOUNT], 1),
        (headers[3], [AMOUNT], 1)])
    table = new_table(doc, headers, widths, right={1, 2, 3})
    loop_rows(table, "f in financing", ["{{ f.name }}", "{{ f.count }}", "{{ f.start_kr }}",
                                        "{{ f.yearly_kr }}"])
    add_row(table, ["I alt", "{{ total.count }}", "{{ total.start_kr }}",
                    "{{ total.yearly_kr }}"], bold=True, fill=GROUP_FILL)
    keep_together(table)
    para(doc)
    keep_next(para(doc, "{{ budget.heading }}:"))
    budget_table(doc, large=False, financing=True)
    decision(doc)
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


STYLES_WITH_EFFECTS = "word/stylesWithEffects.xml"


def without_word2010_styles(data: bytes) -> bytes:
    """The package without python-docx's stale word/stylesWithEffects.xml (a Word 2010 copy of
    the default styles, out of step with styles.xml), its relationship and content type."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            if info.filename == STYLES_WITH_EFFECTS:
                continue
            content = source.read(info.filename)
            if info.filename == "word/_rels/document.xml.rels":
                content = re.sub(rb"<Relationship [^>]*Target=\"stylesWithEffects.xml\"[^>]*/>",
                                 b"", content)
            elif info.filename == "[Content_Types].xml":
                content = re.sub(rb"<Override [^>]*PartName=\"/word/stylesWithEffects.xml\"[^>]*/>",
                                 b"", content)
            target.writestr(info, content)
    return out.getvalue()


# Styles kept though a template does not use them: the ones set_styles sets (a municipality
# restyling a template in Word finds the same styles in every template). Word's own names,
# compared without case ("caption", "heading 1").
KEPT_STYLES = {"normal", "title", "subtitle", "heading 1", "heading 2", "heading 3", "caption",
               "header", "footer", "list bullet", "table grid", "toc heading", "toc 1", "toc 2",
               "toc 3", "tabeltekst", "tabeloverskrift", "tabelpunkt", "tabeltekst stor",
               "tabeloverskrift stor", "tabelnote"}
STYLE_REFERENCE = re.compile(rb'<w:(?:pStyle|rStyle|tblStyle|numStyleLink|styleLink) '
                             rb'w:val="([^"]+)"')


def without_unused_styles(data: bytes) -> bytes:
    """The package with only the styles it uses (and those they are based on, linked to or
    followed by), the defaults and KEPT_STYLES. python-docx's default template defines 164
    styles, every table style of Word 2010 among them: 340 KB of styles.xml, parsed when a
    template is prepared and copied into every document rendered from it."""
    from lxml import etree

    w = f"{{{W_NS}}}"
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        used = {m.decode() for info in source.infolist()
                if info.filename.startswith("word/") and info.filename != "word/styles.xml"
                for m in STYLE_REFERENCE.findall(source.read(info.filename))}
        root = etree.fromstring(source.read("word/styles.xml"))
    styles = {s.get(f"{w}styleId"): s for s in root.iter(f"{w}style")}
    for style in styles.values():
        name = style.find(f"{w}name")
        if style.get(f"{w}default") == "1" or (name is not None
                                              and name.get(f"{w}val").casefold() in KEPT_STYLES):
            used.add(style.get(f"{w}styleId"))
    todo = list(used)
    while todo:
        style = styles.get(todo.pop())
        for child in ("basedOn", "link", "next"):
            found = style.find(f"{w}{child}") if style is not None else None
            if found is not None and found.get(f"{w}val") not in used:
                used.add(found.get(f"{w}val"))
                todo.append(found.get(f"{w}val"))
    for style_id, style in styles.items():
        if style_id not in used:
            root.remove(style)
    pruned = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    return _replaced(data, {"word/styles.xml": pruned})


def _replaced(data: bytes, parts: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            target.writestr(info, parts.get(info.filename, source.read(info.filename)))
    return out.getvalue()


def main(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, build in TEMPLATES.items():
        buffer = io.BytesIO()
        build().save(buffer)
        target = folder / f"{name}.docx"
        data = without_unused_styles(without_word2010_styles(buffer.getvalue()))
        target.write_bytes(fixed_zip(data))
        print(target)


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "templates" / "docx")
