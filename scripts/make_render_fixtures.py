"""Write the Word-like templates the renderer's fidelity tests use (tests/data/templates/).

    PYTHONPATH=src python scripts/make_render_fixtures.py

Each is made the way Word makes such a document (python-docx plus the XML Word writes), as a
municipality restyling its templates would: a letterhead with the logo in the header, a
first-page header and a second section with other headers; footnotes and endnotes with
tags and tagged document properties; a text box, content controls, a table with merged
cells and row loops, and tags Word split across runs. docxtpl's own test templates are in
tests/data/templates/docxtpl/ (copied from github.com/elapouya/python-docx-template).
"""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

from docx import Document
from docx.enum.section import WD_SECTION
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from docx.shared import Mm

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "tests" / "data" / "templates"
NS = nsdecls("w", "wp", "a", "pic", "r") + (
    ' xmlns:v="urn:schemas-microsoft-com:vml"'
    ' xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"'
    ' xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"'
    ' xmlns:w14="http://schemas.microsoft.com/office/word/2010/wordml"'
    ' xmlns:o="urn:schemas-microsoft-com:office:office"'
    ' xmlns:w10="urn:schemas-microsoft-com:office:word"')
WORD_DECLARATION = b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'


def png(width: int, height: int, rgb: tuple[int, int, int]) -> bytes:
    """A small one-colour PNG (the logo and seal the contexts show)."""
    row = b"\x00" + bytes(rgb) * width
    raw = zlib.compress(row * height)

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data)))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", raw) + chunk(b"IEND", b"")


LOGO = png(120, 40, (0, 70, 140))
SEAL = png(30, 30, (150, 20, 20))


def split(paragraph, *pieces: str) -> None:
    """Runs as Word leaves them after a format change mid-tag, with a proofing mark
    between two of them (docxtpl must join them)."""
    for i, piece in enumerate(pieces):
        run = paragraph.add_run(piece)
        run.bold = bool(i % 2)
        if i == 0:
            paragraph._p.append(parse_xml(f'<w:proofErr {NS} w:type="spellStart"/>'))


def a4(section) -> None:
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Mm(25)


def page_field(paragraph) -> None:
    paragraph._p.append(parse_xml(
        f'<w:fldSimple {NS} w:instr=" PAGE "><w:r><w:t>1</w:t></w:r></w:fldSimple>'))


def letterhead() -> Document:
    """Logo in the header, another first-page header, a second section with its own."""
    document = Document()
    first = document.sections[0]
    a4(first)
    first.different_first_page_header_footer = True
    cover = first.first_page_header.paragraphs[0]
    cover.text = "{{ logo }} "
    cover.add_run().add_picture(io.BytesIO(LOGO), width=Mm(30))   # the same logo, pasted
    first.first_page_header.add_paragraph("{{ municipality }} – forside")
    header = first.header.paragraphs[0]
    split(header, "{{ munic", "ipality }}", " · {{ administration }}")
    first.header.add_paragraph("{{ logo }} {{ illegal }}")
    footer = first.footer.paragraphs[0]
    footer.text = "Sag {{ case_number }} · side "
    page_field(footer)
    first.first_page_footer.paragraphs[0].text = "Første side af {{ title }}"
    document.add_heading("{{ title }}", level=1)
    split(document.add_paragraph(), "Til {{ com", "mittee", " }} fra {{ municipality }}")
    document.add_paragraph("{{ text }}")
    document.add_page_break()                       # page 2 shows the ordinary header
    document.add_paragraph("Tegn, der ikke kan stå i XML: {{ illegal }}.")
    second = document.add_section(WD_SECTION.NEW_PAGE)
    second.different_first_page_header_footer = False
    second.header.is_linked_to_previous = False
    second.header.paragraphs[0].text = "Bilag til {{ title }} {{ seal }}"
    second.footer.is_linked_to_previous = False
    second.footer.paragraphs[0].text = "{{ seal }} {{ municipality }}"
    document.add_heading("Bilag", level=1)
    document.add_paragraph("{{ logo }} og {{ seal }} i brødteksten.")
    return document


def notes_part(kind: str, notes: list[str]) -> bytes:
    """footnotes.xml or endnotes.xml as Word writes it: two separators, then the notes."""
    tag = kind[:-1]                                  # footnote / endnote
    items = [f'<w:{tag} w:type="separator" w:id="-1"><w:p><w:pPr><w:spacing w:after="0"/>'
             f'</w:pPr><w:r><w:separator/></w:r></w:p></w:{tag}>',
             f'<w:{tag} w:type="continuationSeparator" w:id="0"><w:p><w:r>'
             f'<w:continuationSeparator/></w:r></w:p></w:{tag}>']
    for number, text in enumerate(notes, start=1):
        ref = "footnoteRef" if tag == "footnote" else "endnoteRef"
        items.append(f'<w:{tag} w:id="{number}"><w:p><w:r><w:rPr><w:vertAlign '
                     f'w:val="superscript"/></w:rPr><w:{ref}/></w:r><w:r><w:t '
                     f'xml:space="preserve"> {text}</w:t></w:r></w:p></w:{tag}>')
    return (WORD_DECLARATION + f'<w:{kind} {NS} mc:Ignorable="w14">'.encode()
            + "".join(items).encode() + f"</w:{kind}>".encode())


def reference(paragraph, tag: str, number: int) -> None:
    paragraph._p.append(parse_xml(
        f'<w:r {NS}><w:rPr><w:vertAlign w:val="superscript"/></w:rPr>'
        f'<w:{tag}Reference w:id="{number}"/></w:r>'))


def notes() -> Document:
    """Footnotes and endnotes with tags (one with a picture), tagged core properties, two
    sections (docxtpl renders notes once per section)."""
    document = Document()
    a4(document.sections[0])
    paragraph = document.add_paragraph("Sagen bygger på en undersøgelse")
    reference(paragraph, "footnote", 1)
    paragraph.add_run(" og på brugernes ord")
    reference(paragraph, "footnote", 2)
    paragraph.add_run(".")
    paragraph = document.add_paragraph("Se også slutnoten")
    reference(paragraph, "endnote", 1)
    document.add_section(WD_SECTION.NEW_PAGE)
    paragraph = document.add_paragraph("Afsnit 2 med en fodnote")
    reference(paragraph, "footnote", 3)
    package = document.part.package
    for name, content_type, rel, blob in (
            ("footnotes", CT.WML_FOOTNOTES, RT.FOOTNOTES, notes_part("footnotes", [
                "Kilde: {{ source }}.", "{{ user_text }}", "Segl: {{ seal }}"])),
            ("endnotes", CT.WML_ENDNOTES, RT.ENDNOTES, notes_part("endnotes", [
                "Slutnote til sag {{ case_number }}: {{ text }}"]))):
        part = Part(PackURI(f"/word/{name}.xml"), content_type, blob, package)
        document.part.relate_to(part, rel)
    core = document.core_properties
    core.title = "{{ title }}"
    core.subject = "Sag {{ case_number }}"
    core.identifier = "{{ case_number }}"
    core.comments = "Udarbejdet af {{ municipality }}"
    core.author = "Skabelon"
    return document


TEXT_BOX = """<w:r {ns}><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing>
<wp:anchor distT="0" distB="0" distL="114300" distR="114300" simplePos="0" relativeHeight="2"
 behindDoc="0" locked="0" layoutInCell="1" allowOverlap="1"><wp:simplePos x="0" y="0"/>
<wp:positionH relativeFrom="column"><wp:posOffset>0</wp:posOffset></wp:positionH>
<wp:positionV relativeFrom="paragraph"><wp:posOffset>0</wp:posOffset></wp:positionV>
<wp:extent cx="2700000" cy="720000"/><wp:effectExtent l="0" t="0" r="0" b="0"/>
<wp:wrapTopAndBottom/><wp:docPr id="7" name="Tekstboks 7"/><wp:cNvGraphicFramePr/>
<a:graphic><a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">
<wps:wsp><wps:cNvSpPr txBox="1"/><wps:spPr><a:xfrm><a:off x="0" y="0"/>
<a:ext cx="2700000" cy="720000"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom>
<a:ln w="6350"><a:solidFill><a:srgbClr val="000000"/></a:solidFill></a:ln></wps:spPr>
<wps:txbx><w:txbxContent><w:p><w:r><w:t>Boks: {{{{ box }}}}</w:t></w:r></w:p></w:txbxContent>
</wps:txbx><wps:bodyPr rot="0" vert="horz" wrap="square" lIns="91440" tIns="45720" rIns="91440"
 bIns="45720" anchor="t" anchorCtr="0"><a:noAutofit/></wps:bodyPr></wps:wsp></a:graphicData>
</a:graphic></wp:anchor></w:drawing></mc:Choice><mc:Fallback><w:pict>
<v:shapetype id="_x0000_t202" coordsize="21600,21600" o:spt="202" path="m,l,21600r21600,l21600,xe">
<v:stroke joinstyle="miter"/><v:path gradientshapeok="t" o:connecttype="rect"/></v:shapetype>
<v:shape id="Tekstboks 7" o:spid="_x0000_s1026" type="#_x0000_t202"
 style="position:absolute;margin-left:0;margin-top:0;width:212.6pt;height:56.7pt;z-index:2"
 strokeweight=".5pt"><v:textbox><w:txbxContent><w:p><w:r><w:t>Boks: {{{{ box }}}}</w:t></w:r>
</w:p></w:txbxContent></v:textbox><w10:wrap type="topAndBottom"/></v:shape></w:pict>
</mc:Fallback></mc:AlternateContent></w:r>"""

BLOCK_CONTROL = """<w:sdt {ns}><w:sdtPr><w:alias w:val="Udvalg"/><w:tag w:val="udvalg"/>
<w:id w:val="-1207305"/></w:sdtPr><w:sdtContent><w:p><w:r><w:t xml:space="preserve">Udvalg: </w:t>
</w:r><w:r><w:rPr><w:b/></w:rPr><w:t>{{{{ committee }}}}</w:t></w:r></w:p></w:sdtContent></w:sdt>"""

INLINE_CONTROL = """<w:sdt {ns}><w:sdtPr><w:alias w:val="Mødedato"/><w:id w:val="5512"/>
<w:date><w:dateFormat w:val="d. MMMM yyyy"/><w:lid w:val="da-DK"/></w:date></w:sdtPr>
<w:sdtContent><w:r><w:t>{{{{ meeting_date }}}}</w:t></w:r></w:sdtContent></w:sdt>"""


def cell_xml(text: str, width: int, *, span: int = 1, vmerge: str | None = None) -> str:
    props = f'<w:tcW w:w="{width}" w:type="dxa"/>'
    if span > 1:
        props += f'<w:gridSpan w:val="{span}"/>'
    if vmerge is not None:
        props += f'<w:vMerge w:val="{vmerge}"/>' if vmerge else "<w:vMerge/>"
    runs = "".join(f'<w:r>{"<w:rPr><w:b/></w:rPr>" if i % 2 else ""}<w:t xml:space="preserve">'
                   f"{piece}</w:t></w:r>" for i, piece in enumerate(text.split("|")))
    return f"<w:tc><w:tcPr>{props}</w:tcPr><w:p>{runs}</w:p></w:tc>"


def row_xml(*cells: str, header: bool = False) -> str:
    props = "<w:trPr><w:tblHeader/><w:cantSplit/></w:trPr>" if header else ""
    return f"<w:tr>{props}{''.join(cells)}</w:tr>"


def table_xml() -> str:
    """Merged cells (gridSpan, vMerge) and {%tr %} rows; "|" splits a text into runs."""
    w = (3000, 2500, 2500)
    rows = [
        row_xml(cell_xml("Økonomi {{ ye|ar }}", w[0] + w[1], span=2), cell_xml("I alt", w[2]),
                header=True),
        row_xml(cell_xml("{%tr for r in rows %}", w[0]), cell_xml("", w[1]), cell_xml("", w[2])),
        row_xml(cell_xml("{{ r.name }}", w[0]), cell_xml("{{ r.start }}", w[1]),
                cell_xml("{{ r.yearly }}", w[2])),
        row_xml(cell_xml("{%tr endfor %}", w[0]), cell_xml("", w[1]), cell_xml("", w[2])),
        row_xml(cell_xml("Finansiering", w[0], vmerge="restart"), cell_xml("{{ financing }}", w[1]),
                cell_xml("{{ total }}", w[2])),
        row_xml(cell_xml("", w[0], vmerge=""), cell_xml("{%tr if extra %}", w[1]),
                cell_xml("", w[2])),
        row_xml(cell_xml("", w[0], vmerge=""), cell_xml("Ekstra: {{ extra }}", w[1] + w[2], span=2)),
        row_xml(cell_xml("", w[0], vmerge=""), cell_xml("{%tr endif %}", w[1]), cell_xml("", w[2])),
    ]
    grid = "".join(f'<w:gridCol w:w="{x}"/>' for x in w)
    return (f'<w:tbl {NS}><w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:w="8000" '
            f'w:type="dxa"/><w:tblLook w:val="04A0"/></w:tblPr><w:tblGrid>{grid}</w:tblGrid>'
            f'{"".join(rows)}</w:tbl>')


def fields() -> Document:
    """A text box, content controls, a merged table with row loops, split tags."""
    document = Document()
    a4(document.sections[0])
    document.add_heading("{{ title }}", level=1)
    paragraph = document.add_paragraph("Tekstboksen: ")
    paragraph._p.append(parse_xml(TEXT_BOX.format(ns=NS)))
    body = document.element.body
    body.insert(len(body) - 1, parse_xml(BLOCK_CONTROL.format(ns=NS)))
    paragraph = document.add_paragraph("Mødet holdes ")
    paragraph._p.append(parse_xml(INLINE_CONTROL.format(ns=NS)))
    paragraph.add_run(".")
    document.add_paragraph("{%p if show %}")
    split(document.add_paragraph(), "Vist, fordi {{ sh", "ow }}", " er sand.")
    document.add_paragraph("{%p endif %}")
    body.insert(len(body) - 1, parse_xml(table_xml()))
    document.add_paragraph("{% for i in indicators %}• {{ i }}{% if not loop.last %}\t{% endif %}"
                           "{% endfor %}")
    return document


def letterhead_case_paper() -> Document:
    """The built-in case paper with the logo in its header, the usual letterhead."""
    document = Document(ROOT / "templates" / "docx" / "sagsfremstilling.docx")
    header = document.sections[0].header
    header.paragraphs[0].insert_paragraph_before("{{ logo }}")
    return document


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for name, make in (("brevpapir", letterhead), ("noter", notes), ("felter", fields),
                       ("sagsfremstilling-logo", letterhead_case_paper)):
        make().save(OUT / f"{name}.docx")
        print(OUT / f"{name}.docx")
    (OUT / "logo.png").write_bytes(LOGO)
    (OUT / "segl.png").write_bytes(SEAL)


if __name__ == "__main__":
    main()
