"""The annotated copy made by editing the workbook's XML, not through openpyxl.

openpyxl loads every cell into an object and writes every one back: for a 10,000-row
workbook that is most of a minute. Here the package's parts are copied as they are and only
what the copy changes is edited: the marked cells' style (a copy of their own style with the
red or yellow fill), a comments part and its VML drawing for each marked sheet (written by
openpyxl's own comment writer), a merged range split where a finding points inside it, the
"Fejl" sheet, the workbook's sheet list, and the custom property that records the marks.

`annotated_package` returns None for a package this path does not handle (a sheet that
already has comments or drawings for comments, a copy the tool marked before, prefixed
or strict XML, a cell without its reference): workbook.annotate then uses openpyxl.
"""

from __future__ import annotations

import json
import posixpath
import re
import zipfile
from collections import defaultdict
from pathlib import Path
from typing import Any

from lxml import etree

from ..findings import Finding, Report, Severity

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
CT = "http://schemas.openxmlformats.org/package/2006/content-types"
M = f"{{{MAIN}}}"
WORKSHEET_TYPE = f"{REL}/worksheet"
COMMENTS_TYPE = f"{REL}/comments"
VML_TYPE = f"{REL}/vmlDrawing"
STRINGS_TYPE = f"{REL}/sharedStrings"
STYLES_TYPE = f"{REL}/styles"
CUSTOM_TYPE = f"{REL}/custom-properties"
SHEET_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
COMMENTS_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml.comments+xml"
VML_CT = "application/vnd.openxmlformats-officedocument.vmlDrawing"
CUSTOM_CT = "application/vnd.openxmlformats-officedocument.custom-properties+xml"
STRINGS_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
CUSTOM_NS = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
VT_NS = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
PROPERTY_FMTID = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"
PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                         huge_tree=True, remove_blank_text=False)
CELL_REF = re.compile(r"^([A-Z]{1,3})(\d+)$")
# A cell with an inline string: its other attributes, and what its <is> holds. Possessive
# (`*+`): each byte is looked at once, twice as fast as lazy `*?` on a sheet of 10,000 rows.
INLINE_CELL = re.compile(rb'<c ((?:[^>t]++|t(?!="inlineStr"))*+)t="inlineStr"([^>]*+)><is>'
                         rb'((?:[^<]++|<(?!/is></c>))*+)</is></c>')
INLINE_CHUNK = 1 << 20
EMPTY_INLINE = re.compile(rb'<c ([^>]*?) ?t="inlineStr"([^>/]*)(?:></c>|/>)')


class NotHandled(Exception):
    """This package needs the openpyxl path."""


def escape(text: str) -> str:
    """Text for XML content, as xml.sax.saxutils.escape (which imports urllib and http)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def quoteattr(text: str) -> str:
    """An XML attribute value with its quotes, as xml.sax.saxutils.quoteattr writes it."""
    value = escape(text).replace("\n", "&#10;").replace("\r", "&#13;").replace("\t", "&#9;")
    if '"' not in value:
        return f'"{value}"'
    if "'" not in value:
        return f"'{value}'"
    return '"' + value.replace('"', "&quot;") + '"'


def _xml(data: bytes) -> Any:
    if b"<!DOCTYPE" in data[:4096]:
        raise NotHandled("DOCTYPE")
    return etree.fromstring(data, PARSER)


def _bytes(root: Any) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _column(letters: str) -> int:
    number = 0
    for ch in letters:
        number = number * 26 + ord(ch) - 64
    return number


def _letters(number: int) -> str:
    text = ""
    while number:
        number, rest = divmod(number - 1, 26)
        text = chr(65 + rest) + text
    return text


def _split(ref: str) -> tuple[int, int]:
    match = CELL_REF.match(ref)
    if not match:
        raise NotHandled(f"cell {ref}")
    return _column(match[1]), int(match[2])


def _target(base: str, target: str) -> str:
    return target.lstrip("/") if target.startswith("/") else \
        posixpath.normpath(posixpath.join(posixpath.dirname(base), target))


def _rels_path(part: str) -> str:
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", f"{name}.rels")


class Styles:
    """styles.xml, to which the copy adds fills, fonts and cell formats."""

    def __init__(self, data: bytes):
        self.root = _xml(data)
        if self.root.tag != f"{M}styleSheet":
            raise NotHandled("styles")
        self.fills = self._list("fills")
        self.fonts = self._list("fonts")
        self.xfs = self._list("cellXfs")
        self.cache: dict[tuple, int] = {}

    def _list(self, tag: str) -> Any:
        element = self.root.find(f"{M}{tag}")
        if element is None:
            raise NotHandled(tag)
        return element

    def _append(self, parent: Any, xml: str) -> int:
        parent.append(etree.fromstring(xml))
        parent.set("count", str(len(parent)))
        return len(parent) - 1

    def fill(self, rgb: str) -> int:
        key = ("fill", rgb)
        if key not in self.cache:
            self.cache[key] = self._append(self.fills, (
                f'<fill xmlns="{MAIN}"><patternFill patternType="solid"><fgColor rgb="{rgb}"/>'
                f'<bgColor indexed="64"/></patternFill></fill>'))
        return self.cache[key]

    def font(self, bold: bool = False, size: float = 11, rgb: str | None = None,
             underline: bool = False) -> int:
        key = ("font", bold, size, rgb, underline)
        if key not in self.cache:
            self.cache[key] = self._append(self.fonts, (
                f'<font xmlns="{MAIN}">{"<b/>" if bold else ""}{"<u/>" if underline else ""}'
                f'<sz val="{size:g}"/>' + (f'<color rgb="{rgb}"/>' if rgb else "")
                + '<name val="Calibri"/><family val="2"/></font>'))
        return self.cache[key]

    def xf(self, base: int = 0, fill: int | None = None, font: int | None = None,
           wrap: bool = False) -> int:
        """A cell format: format `base` with another fill, font or wrapping."""
        key = ("xf", base, fill, font, wrap)
        if key in self.cache:
            return self.cache[key]
        if base >= len(self.xfs):
            base = 0
        element = etree.fromstring(etree.tostring(self.xfs[base])) if len(self.xfs) else \
            etree.fromstring(f'<xf xmlns="{MAIN}" numFmtId="0" fontId="0" fillId="0" '
                             'borderId="0" xfId="0"/>')
        if fill is not None:
            element.set("fillId", str(fill))
            element.set("applyFill", "1")
        if font is not None:
            element.set("fontId", str(font))
            element.set("applyFont", "1")
        if wrap:
            alignment = element.find(f"{M}alignment")
            if alignment is None:
                alignment = etree.SubElement(element, f"{M}alignment")
                element.insert(0, alignment)
            alignment.set("wrapText", "1")
            alignment.set("vertical", "top")
            element.set("applyAlignment", "1")
        self.xfs.append(element)
        self.xfs.set("count", str(len(self.xfs)))
        self.cache[key] = len(self.xfs) - 1
        return self.cache[key]


class Strings:
    """The shared-strings table: the copy's new texts are appended (old indexes stay)."""

    def __init__(self, data: bytes | None):
        self.data = data
        self.added: list[bytes] = []
        self.index: dict[bytes, int] = {}
        if data is None:
            self.base = 0
        else:
            head = data[:2048]
            if re.search(rb"<\w+:sst\b", head) or b"<sst" not in head:
                raise NotHandled("prefixed sharedStrings")
            self.base = len(re.findall(rb"<si\b", data))
            self.count = int(m[1]) if (m := re.search(rb'\bcount="(\d+)"', head)) else self.base

    def __call__(self, text: str) -> int:
        return self.raw(f'<t xml:space="preserve">{escape(text)}</t>'.encode())

    def raw(self, inner: bytes) -> int:
        """The index of an <si> holding `inner` (XML: <t>, or rich-text runs)."""
        if inner not in self.index:
            self.index[inner] = self.base + len(self.added)
            self.added.append(inner)
        return self.index[inner]

    def inline_to_shared(self, xml: bytes) -> tuple[bytes, int]:
        """A sheet's inline strings (what openpyxl and some tools write) moved into the
        table; returns the sheet and how many cells now refer to it. A megabyte of rows at
        a time (a cell never spans a `</row>`), so that only that much is held in pieces."""
        out, used, start = [], 0, 0
        while start < len(xml):
            end = xml.find(b"</row>", start + INLINE_CHUNK)
            end = len(xml) if end < 0 else end + len(b"</row>")
            moved, count = self._inline_to_shared(xml[start:end])
            out.append(moved)
            used += count
            start = end
        xml = b"".join(out)
        if b'"inlineStr"' in xml:     # an empty one (rare): a search of the whole sheet
            xml = EMPTY_INLINE.sub(rb"<c \1\2/>", xml)
        return xml, used

    def _inline_to_shared(self, xml: bytes) -> tuple[bytes, int]:
        # split, not sub with a function: a sheet of 10,000 rows has 200,000 such cells.
        pieces = INLINE_CELL.split(xml)   # text, (before, after, inner, text) per cell
        index, added = self.index, self.added
        for at in range(1, len(pieces), 4):
            inner = pieces[at + 2]
            number = index.get(inner)
            if number is None:
                number = index[inner] = self.base + len(added)
                added.append(inner)
            pieces[at] = b'<c %st="s"%s><v>%d</v></c>' % (pieces[at], pieces[at + 1], number)
            pieces[at + 1] = pieces[at + 2] = b""
        return b"".join(pieces), (len(pieces) - 1) // 4

    def part(self, used: int) -> bytes:
        items = b"".join(b"<si>%s</si>" % inner for inner in self.added)
        if self.data is None:
            return (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="'
                    + MAIN.encode() + b'" count="%d" uniqueCount="%d">' % (used, len(self.added))
                    + items + b"</sst>")
        data = re.sub(rb'(<sst\b[^>]*?)\s+uniqueCount="\d+"', rb"\1", self.data, count=1)
        data = re.sub(rb'(<sst\b[^>]*?)\s+count="\d+"', rb"\1", data, count=1)
        data = data.replace(b"<sst", b'<sst count="%d" uniqueCount="%d"'
                            % (self.count + used, self.base + len(self.added)), 1)
        if data.rstrip().endswith(b"/>"):  # <sst .../> with no strings at all
            data = data.rstrip()[:-2] + b">" + items + b"</sst>"
        else:
            at = data.rindex(b"</sst>")
            data = data[:at] + items + data[at:]
        return data


ESCAPE_LOOKALIKE = re.compile(r"_(?=x[0-9A-Fa-f]{4}_)")
NOT_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
NEEDS_ESCAPE = re.compile("_x[0-9A-Fa-f]{4}_|[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _excel_text(text: str) -> str:
    """XML cannot hold most control characters: Excel's _xHHHH_ escape (a literal '_x'
    sequence is escaped as '_x005F_')."""
    if not NEEDS_ESCAPE.search(text):  # the common case: every message of the Fejl sheet
        return text
    text = ESCAPE_LOOKALIKE.sub("_x005F_", text)
    return NOT_IN_XML.sub(lambda m: f"_x{ord(m[0]):04X}_", text)


def annotated_package(source: Path, findings: list[Finding], report: Report,
                      comment_text, record: dict, fills: dict[Severity, str],
                      title: str) -> tuple[dict[str, bytes], list[str]] | None:
    """The parts of the annotated copy and their order, or None (use openpyxl). `record`
    gets the summary sheet's title; `comment_text(findings)` is a cell's comment."""
    try:
        return _annotate(source, findings, report, comment_text, record, fills, title)
    except (NotHandled, KeyError, ValueError, IndexError, StopIteration,
            etree.XMLSyntaxError):
        return None


def _annotate(source, findings, report, comment_text, record, fills, title):
    with zipfile.ZipFile(source) as archive:
        order = archive.namelist()
        parts = {name: archive.read(name) for name in order}
    if "docProps/custom.xml" in parts and b"sagsgenerator-markeret" in parts["docProps/custom.xml"]:
        raise NotHandled("marked before")
    workbook_part = "xl/workbook.xml"
    workbook = _xml(parts[workbook_part])
    if workbook.tag != f"{M}workbook":
        raise NotHandled("workbook")
    rels_part = _rels_path(workbook_part)
    rels = _xml(parts[rels_part])
    targets = {r.get("Id"): (r.get("Type"), _target(workbook_part, r.get("Target", "")))
               for r in rels}
    sheets_element = workbook.find(f"{M}sheets")
    sheets = [(s.get("name"), targets[s.get(f"{{{REL}}}id")][1]) for s in sheets_element]
    style_part = next(t for k, t in targets.values() if k == STYLES_TYPE)
    styles = Styles(parts[style_part])
    strings_part = next((t for k, t in targets.values() if k == STRINGS_TYPE), None)
    strings = Strings(parts.get(strings_part) if strings_part else None)
    content_types = _xml(parts["[Content_Types].xml"])

    by_cell: dict[tuple[str, str], list[Finding]] = defaultdict(list)
    for finding in findings:
        if finding.location.sheet and finding.location.cell:
            by_cell[(finding.location.sheet, finding.location.cell)].append(finding)
    by_sheet: dict[str, dict[str, list[Finding]]] = defaultdict(dict)
    for (sheet, ref), found in by_cell.items():
        by_sheet[sheet][ref] = found
    names = {name for name, _ in sheets}
    folded = {name.casefold() for name in names}
    summary_name, n = "Fejl", 2
    while summary_name.casefold() in folded:
        summary_name, n = f"Fejl {n}", n + 1
    record["sheet"] = summary_name
    originals: dict[str, dict] = {}
    fill_ids = {severity: styles.fill(rgb) for severity, rgb in fills.items()}
    used_comments = 0
    for sheet_name, cells in by_sheet.items():
        if sheet_name not in names:
            continue
        part = next(p for n, p in sheets if n == sheet_name)
        sheet = SheetBytes(parts[part])
        sheet_rels_part = _rels_path(part)
        sheet_rels = _xml(parts[sheet_rels_part]) if sheet_rels_part in parts else \
            etree.Element(f"{{{PKG}}}Relationships", nsmap={None: PKG})
        if any(r.get("Type") in (COMMENTS_TYPE, VML_TYPE) for r in sheet_rels):
            raise NotHandled("comments already")
        notes = sheet.unmerge(cells)
        sheet.locate(cells)
        comments, styled = [], {}
        for ref, found in cells.items():
            base = sheet.style(ref)
            old_fill = int(styles.xfs[base].get("fillId", "0")) if base < len(styles.xfs) else 0
            if 1 < old_fill < len(styles.fills):  # 0 and 1 are Excel's "none" and "gray125"
                originals[f"{sheet_name}!{ref}"] = {
                    "fill": etree.tostring(styles.fills[old_fill]).decode(), "comment": None}
            severity = Severity.ERROR if any(f.severity is Severity.ERROR for f in found) \
                else Severity.WARNING
            styled[ref] = styles.xf(base, fill=fill_ids[severity])
            comments.append((ref, comment_text(found) + notes.get(ref, "")))
        comments.sort(key=lambda item: _split(item[0])[::-1])
        used_comments += 1
        vml_id = _add_comments(parts, order, part, sheet_rels, sheet_rels_part, comments,
                               content_types, used_comments)
        parts[part] = sheet.edited(styled, vml_id)
    for name, part in sheets:
        if name not in by_sheet and part in parts and b"tabSelected" in parts[part][:16384]:
            parts[part] = UNSELECT.sub(rb"\1", parts[part], count=4)

    # The summary sheet, first in the workbook.
    number = 1
    while f"xl/worksheets/sheet{number}.xml" in parts:
        number += 1
    summary_part = f"xl/worksheets/sheet{number}.xml"
    used_strings = 0

    def text_cell(ref: str, text: str, style: int) -> str:
        nonlocal used_strings
        used_strings += 1
        return f'<c r="{ref}" s="{style}" t="s"><v>{strings(_excel_text(text))}</v></c>'

    title_style = styles.xf(0, font=styles.font(bold=True, size=14))
    header_style = styles.xf(0, fill=styles.fill("001F4E79"),
                             font=styles.font(bold=True, rgb="00FFFFFF"))
    wrap_style = styles.xf(0, wrap=True)
    severity_style = {s: styles.xf(0, fill=fill_ids[s], wrap=True) for s in fill_ids}
    link_style = styles.xf(0, font=styles.font(rgb="000563C1", underline=True), wrap=True)
    rows = [f'<row r="1">{text_cell("A1", title, title_style)}</row>',
            f'<row r="2">{text_cell("A2", report.summary(), 0)}</row>']
    heads = ("Alvor", "Ark", "Celle", "Kolonne", "Hvad er galt, og hvad skal der stå")
    rows.append('<row r="4">' + "".join(text_cell(f"{_letters(i)}4", h, header_style)
                                        for i, h in enumerate(heads, start=1)) + "</row>")
    links = []
    for r, finding in enumerate(findings, start=5):
        location = finding.location
        linked = location.sheet in names and location.cell
        values = (finding.severity.capitalize(), location.sheet or "", location.cell or "",
                  finding.params.get("header", ""), finding.message)
        styles_row = (severity_style[finding.severity], wrap_style,
                      link_style if linked else wrap_style, wrap_style, wrap_style)
        rows.append(f'<row r="{r}">' + "".join(
            text_cell(f"{_letters(i)}{r}", v, st) for i, (v, st) in
            enumerate(zip(values, styles_row), start=1) if v != "") + "</row>")
        if linked:
            where = f"'{location.sheet.replace(chr(39), chr(39) * 2)}'!{location.cell}"
            links.append(f'<hyperlink ref="C{r}" location={quoteattr(where)} '
                         f'display={quoteattr(location.cell)}/>')
    widths = (10, 16, 8, 28, 90)
    cols = "".join(f'<col min="{i}" max="{i}" width="{w}" customWidth="1"/>'
                   for i, w in enumerate(widths, start=1))
    parts[summary_part] = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<worksheet xmlns="{MAIN}" xmlns:r="{REL}"><sheetViews><sheetView tabSelected="1" '
        'workbookViewId="0"><pane ySplit="4" topLeftCell="A5" activePane="bottomLeft" '
        'state="frozen"/><selection pane="bottomLeft" activeCell="A5" sqref="A5"/>'
        f'</sheetView></sheetViews><sheetFormatPr defaultRowHeight="15"/><cols>{cols}</cols>'
        f'<sheetData>{"".join(rows)}</sheetData>'
        + (f'<hyperlinks>{"".join(links)}</hyperlinks>' if links else "")
        + '<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" '
        'footer="0.3"/></worksheet>').encode()
    order.append(summary_part)
    rid = _new_id(rels, "rIdMarked")
    etree.SubElement(rels, f"{{{PKG}}}Relationship", Id=rid, Type=WORKSHEET_TYPE,
                     Target=posixpath.relpath(summary_part, "xl"))
    sheet_id = max(int(s.get("sheetId", "0")) for s in sheets_element) + 1
    # The "r" prefix as Excel writes it, declared here: else lxml names it by what it was
    # told before in this process (python-docx registers "r"; without it, "ns1").
    new = etree.SubElement(sheets_element, f"{M}sheet", nsmap={"r": REL}, name=summary_name,
                           sheetId=str(sheet_id))
    new.set(f"{{{REL}}}id", rid)
    sheets_element.insert(0, new)
    for view in workbook.iter(f"{M}workbookView"):
        view.set("activeTab", "0")
        view.attrib.pop("firstSheet", None)
    for name in workbook.iter(f"{M}definedName"):  # indexes of sheets move one on
        if name.get("localSheetId") is not None:
            name.set("localSheetId", str(int(name.get("localSheetId")) + 1))
    _override(content_types, f"/{summary_part}", SHEET_CT)
    if strings_part is None:
        strings_part = "xl/sharedStrings.xml"
        etree.SubElement(rels, f"{{{PKG}}}Relationship", Id=_new_id(rels, "rIdStrings"),
                         Type=STRINGS_TYPE, Target="sharedStrings.xml")
        _override(content_types, f"/{strings_part}", STRINGS_CT)
        order.append(strings_part)
    for _, part in sheets:  # the group's inline strings too: Excel would rewrite them all
        if part in parts and b"inlineStr" in parts[part]:
            if re.search(rb"<\w+:c\b", parts[part]):
                raise NotHandled("prefixed sheet")
            parts[part], used = strings.inline_to_shared(parts[part])
            used_strings += used
    parts[strings_part] = strings.part(used_strings)
    parts[style_part] = _bytes(styles.root)
    parts[workbook_part] = _bytes(workbook)
    parts[rels_part] = _bytes(rels)
    properties = {"sagsgenerator-markeret": record}
    if originals:
        properties["sagsgenerator-markeret-celler"] = originals
    _custom_properties(parts, order, content_types, properties)
    parts["[Content_Types].xml"] = _bytes(content_types)
    return parts, order


def _new_id(rels: Any, stem: str) -> str:
    ids = {r.get("Id") for r in rels}
    n, candidate = 1, stem
    while candidate in ids:
        n, candidate = n + 1, f"{stem}{n}"
    return candidate


def _override(types: Any, name: str, content_type: str) -> None:
    for element in types:
        if element.get("PartName") == name:
            element.set("ContentType", content_type)
            return
    etree.SubElement(types, f"{{{CT}}}Override", PartName=name, ContentType=content_type)


def _default(types: Any, extension: str, content_type: str) -> None:
    if not any(e.get("Extension", "").lower() == extension for e in types):
        types.insert(0, etree.Element(f"{{{CT}}}Default", Extension=extension,
                                      ContentType=content_type))


ROW_TAG = re.compile(rb"<row\b([^>]*)>")
ROW_NUMBER = re.compile(rb'\sr="(\d+)"')
CELL_OPEN = re.compile(rb"<c\b")
# A cell's start tag with its reference and style, when it has them, in one match.
CELL_TAG = re.compile(rb'<c\b(?=[^>]*?\sr="([A-Z]+\d+)")?(?=[^>]*?\ss="(\d+)")?[^>]*>')
CELL_S = re.compile(rb'\ss="(\d+)"')
MERGE = re.compile(rb'<mergeCell\b[^>]*?\sref="([A-Z]+\d+:[A-Z]+\d+)"[^>]*/>')
MERGES = re.compile(rb"<mergeCells\b[^>]*>(.*?)</mergeCells>", re.S)
UNSELECT = re.compile(rb'(<sheetView\b[^>]*?)\s+tabSelected="(?:1|true)"')
# Elements that follow <legacyDrawing> in a worksheet (ECMA-376, CT_Worksheet).
AFTER_LEGACY_TAG = re.compile(rb"<(?:legacyDrawingHF|drawingHF|picture|oleObjects|controls|"
                              rb"webPublishItems|tableParts|extLst)\b")


class SheetBytes:
    """A worksheet edited as bytes (a 10,000-row sheet is never built as a tree): the style
    of the marked cells, cells made where none exist, merged ranges split, and the
    reference to the comments' drawing. Unprefixed SpreadsheetML, as Excel writes it."""

    def __init__(self, data: bytes):
        head = data[:4096]
        if re.search(rb"<\w+:worksheet\b", head) or b"<legacyDrawing" in data \
                or b"<sheetData" not in data:
            raise NotHandled("sheet")
        self.data = data
        self.start = data.index(b"<sheetData")
        self.end = data.find(b"</sheetData>")
        self.rows: dict[int, tuple[int, int]] = {}   # row number -> span of its XML
        # The marked cells' tags (start, end, style) by reference, found by `locate`.
        self.found: dict[str, list[tuple[int, int, int | None]]] = {}
        if self.end < 0:  # <sheetData/>
            self.end = self.start
        # Each row's start tag, then its end found as bytes (a pattern spanning the row
        # would test every byte of a 16 MB sheet for "</row>").
        at = self.start
        while match := ROW_TAG.search(data, at, self.end):
            attributes = match[1]
            if attributes.endswith(b"/"):  # <row r="5"/>
                span = match.span()
            else:
                close = data.find(b"</row>", match.end(), self.end)
                if close < 0:  # not a row: look further
                    at = match.start() + 1
                    continue
                span = (match.start(), close + len(b"</row>"))
            number = ROW_NUMBER.search(attributes)
            if not number:
                raise NotHandled("row without r")
            self.rows[int(number[1])] = span
            at = span[1]

    def _row_cells(self, number: int) -> list[tuple[str, int, int, int | None]]:
        """(ref, start, end, style) of each cell of a row."""
        span = self.rows.get(number)
        if span is None:
            return []
        found = []
        for match in CELL_TAG.finditer(self.data, *span):
            ref, style = match.group(1, 2)
            if not ref:
                raise NotHandled("cell without r")
            found.append((ref.decode(), match.start(), match.end(),
                          int(style) if style else None))
        return found

    def locate(self, refs: Any) -> None:
        """Find the cells to be marked (`style` asks for each cell, `edited` for each row);
        only the marked cells' tags are kept. In a row whose every cell starts `<c r="`,
        as Excel and openpyxl write them, a marked cell is found by its reference; any
        other row is read cell by cell."""
        by_row: dict[int, list[str]] = defaultdict(list)
        for ref in dict.fromkeys(refs):
            by_row[_split(ref)[1]].append(ref)
        data = self.data
        for number, wanted in by_row.items():
            span = self.rows.get(number)
            if span is None:
                continue
            start, end = span
            if len(CELL_OPEN.findall(data, start, end)) != data.count(b'<c r="', start, end):
                marked = set(wanted)
                for ref, begin, stop, style in self._row_cells(number):
                    if ref in marked:
                        self.found.setdefault(ref, []).append((begin, stop, style))
                continue
            for ref in wanted:
                needle = b'<c r="%s"' % ref.encode()
                at = data.find(needle, start, end)
                while at >= 0:
                    tag = CELL_TAG.match(data, at, end)
                    style = tag[2]
                    self.found.setdefault(ref, []).append(
                        (at, tag.end(), int(style) if style else None))
                    at = data.find(needle, tag.end(), end)

    def style(self, ref: str) -> int:
        """The style index a located cell has now (0 for a cell that does not exist)."""
        found = self.found.get(ref)
        return found[0][2] or 0 if found else 0

    def unmerge(self, cells: dict[str, Any]) -> dict[str, str]:
        """Split the merged ranges a marked cell lies inside (not their top-left cell)."""
        self.split: set[bytes] = set()
        notes: dict[str, str] = {}
        for match in MERGE.finditer(self.data):
            ref = match[1].decode()
            first, _, last = ref.partition(":")
            (c1, r1), (c2, r2) = _split(first), _split(last)
            for cell in cells:
                c, r = _split(cell)
                if c1 <= c <= c2 and r1 <= r <= r2 and (c, r) != (c1, r1):
                    notes[cell] = f"\n\n(Den flettede celle {ref} er delt op i denne kopi.)"
                    self.split.add(match[0])
        return notes

    def edited(self, styled: dict[str, int], vml_id: str) -> bytes:
        data = self.data
        edits: list[tuple[int, int, bytes]] = []   # (start, end, replacement)
        by_row: dict[int, dict[str, int]] = defaultdict(dict)
        for ref, style in styled.items():
            by_row[_split(ref)[1]][ref] = style
        new_rows: list[tuple[int, bytes]] = []
        for number, wanted in by_row.items():
            located = sorted((start, end, ref) for ref in wanted
                             for start, end, _ in self.found.get(ref, ()))
            for start, end, ref in located:
                tag = data[start:end]
                tag = CELL_S.sub(b"", tag, count=1)
                tag = tag.replace(b"<c", b'<c s="%d"' % wanted[ref], 1)
                edits.append((start, end, tag))
            missing = sorted((r for r in wanted if r not in self.found),
                             key=lambda r: _split(r)[0])
            if not missing:
                continue
            if number not in self.rows:
                new_rows.append((number, b'<row r="%d">%s</row>' % (number, b"".join(
                    b'<c r="%s" s="%d"/>' % (r.encode(), wanted[r]) for r in missing))))
                continue
            row_start, row_end = self.rows[number]
            if data[row_start:row_end].endswith(b"/>"):  # <row r="5"/>: open it
                edits.append((row_end - 2, row_end, b">" + b"".join(
                    b'<c r="%s" s="%d"/>' % (r.encode(), wanted[r]) for r in missing)
                    + b"</row>"))
                continue
            cells = self._row_cells(number)
            for ref in missing:
                column = _split(ref)[0]
                after = next((start for r, start, _, _ in cells if _split(r)[0] > column), None)
                new = b'<c r="%s" s="%d"/>' % (ref.encode(), wanted[ref])
                if after is None:
                    after = row_end - len(b"</row>")
                edits.append((after, after, new))
        for number, xml in sorted(new_rows):
            later = [n for n in self.rows if n > number]
            at = self.rows[min(later)][0] if later else self.end
            if not later and self.end == self.start:  # <sheetData/>
                raise NotHandled("empty sheetData")
            edits.append((at, at, xml))
        tail_from = self.end
        edits.sort(key=lambda e: (e[0], e[1]))
        out, pos = [], 0
        for start, end, replacement in edits:
            out.append(data[pos:start])
            out.append(replacement)
            pos = end
        out.append(data[pos:tail_from])
        tail = data[tail_from:]
        if self.split:
            def merges(match: re.Match) -> bytes:
                kept = [m[0] for m in MERGE.finditer(match[1]) if m[0] not in self.split]
                return (b'<mergeCells count="%d">%s</mergeCells>' % (len(kept), b"".join(kept))
                        if kept else b"")
            tail = MERGES.sub(merges, tail, count=1)
        legacy = b'<legacyDrawing xmlns:r="%s" r:id="%s"/>' % (REL.encode(), vml_id.encode())
        at = AFTER_LEGACY_TAG.search(tail)
        at = at.start() if at else tail.rindex(b"</worksheet>")
        tail = tail[:at] + legacy + tail[at:]
        head = b"".join(out)
        head = UNSELECT.sub(rb"\1", head[:self.start], count=4) + head[self.start:]
        return head + tail


VML_HEAD = (
    '<xml xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:'
    'office" xmlns:x="urn:schemas-microsoft-com:office:excel"><o:shapelayout v:ext="edit">'
    '<o:idmap v:ext="edit" data="1"/></o:shapelayout><v:shapetype id="_x0000_t202" '
    'coordsize="21600,21600" o:spt="202" path="m,l,21600r21600,l21600,xe"><v:stroke '
    'joinstyle="miter"/><v:path gradientshapeok="t" o:connecttype="rect"/></v:shapetype>')
VML_SHAPE = (
    '<v:shape id="_x0000_s{id:04d}" type="#_x0000_t202" style="position:absolute; '
    'margin-left:59.25pt;margin-top:1.5pt;width:320px;height:{height}px;z-index:1;'
    'visibility:hidden" fillcolor="#ffffe1" o:insetmode="auto"><v:fill color2="#ffffe1"/>'
    '<v:shadow color="black" obscured="t"/><v:path o:connecttype="none"/><v:textbox '
    'style="mso-direction-alt:auto"><div style="text-align:left"/></v:textbox><x:ClientData '
    'ObjectType="Note"><x:MoveWithCells/><x:SizeWithCells/><x:AutoFill>False</x:AutoFill>'
    '<x:Row>{row}</x:Row><x:Column>{column}</x:Column></x:ClientData></v:shape>')


def _add_comments(parts, order, part, sheet_rels, sheet_rels_part, comments,
                  content_types, number) -> str:
    """A comments part and its VML drawing for one sheet (the VML as openpyxl's
    ShapeWriter writes it: Excel draws comments from it)."""
    while f"xl/comments/comment{number}.xml" in parts or \
            f"xl/drawings/commentsDrawing{number}.vml" in parts:
        number += 1
    comments_part = f"xl/comments/comment{number}.xml"
    vml_part = f"xl/drawings/commentsDrawing{number}.vml"
    parts[comments_part] = (
        f'<comments xmlns="{MAIN}"><authors><author>sagsgenerator</author></authors>'
        "<commentList>" + "".join(
            f'<comment ref="{ref}" authorId="0"><text><t xml:space="preserve">'
            f"{escape(_excel_text(text))}</t></text></comment>" for ref, text in comments)
        + "</commentList></comments>").encode()
    shapes = []
    for index, (ref, text) in enumerate(comments, start=1026):
        column, row = _split(ref)
        height = min(60 + 15 * len(text) // 40, 400)
        shapes.append(VML_SHAPE.format(id=index, row=row - 1, column=column - 1, height=height))
    parts[vml_part] = (VML_HEAD + "".join(shapes) + "</xml>").encode()
    order += [comments_part, vml_part]
    base = posixpath.dirname(part)
    vml_id = _new_id(sheet_rels, "rIdMarkedVml")
    etree.SubElement(sheet_rels, f"{{{PKG}}}Relationship", Id=vml_id, Type=VML_TYPE,
                     Target=posixpath.relpath(vml_part, base))
    etree.SubElement(sheet_rels, f"{{{PKG}}}Relationship", Id=_new_id(sheet_rels, "rIdMarkedNotes"),
                     Type=COMMENTS_TYPE, Target=posixpath.relpath(comments_part, base))
    if sheet_rels_part not in parts:
        order.append(sheet_rels_part)
    parts[sheet_rels_part] = _bytes(sheet_rels)
    _override(content_types, f"/{comments_part}", COMMENTS_CT)
    _default(content_types, "vml", VML_CT)
    return vml_id


def _custom_properties(parts, order, content_types, properties: dict[str, Any]) -> None:
    part = "docProps/custom.xml"
    existing = parts.get(part)
    pids = [int(p) for p in re.findall(rb'\bpid="(\d+)"', existing or b"")] or [1]
    items = "".join(
        f'<property fmtid="{PROPERTY_FMTID}" pid="{max(pids) + i}" name={quoteattr(name)}>'
        f"<vt:lpwstr>{escape(json.dumps(value, ensure_ascii=False))}</vt:lpwstr></property>"
        for i, (name, value) in enumerate(properties.items(), start=1))
    if existing is not None:
        if f'xmlns:vt="{VT_NS}"'.encode() not in existing or existing.rstrip().endswith(b"/>"):
            raise NotHandled("custom properties")
        at = existing.rindex(b"</")
        parts[part] = existing[:at] + items.encode() + existing[at:]
        return
    parts[part] = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                   f'<Properties xmlns="{CUSTOM_NS}" xmlns:vt="{VT_NS}">{items}'
                   "</Properties>").encode()
    order.append(part)
    root_rels = _xml(parts["_rels/.rels"])
    etree.SubElement(root_rels, f"{{{PKG}}}Relationship", Id=_new_id(root_rels, "rIdCustom"),
                     Type=CUSTOM_TYPE, Target=part)
    parts["_rels/.rels"] = _bytes(root_rels)
    _override(content_types, f"/{part}", CUSTOM_CT)
