"""Read an intake workbook: find sheets and headers, and every value with its cell.

Tolerant as the standard says: sheet names and headers match regardless of case, blanks and
a missing full stop; headers may stand lower than row 1; empty rows are skipped. Files that
cannot be used at all raise `IntakeUnusable` with a finding code.
"""

from __future__ import annotations

import errno
import posixpath
import re
import struct
import unicodedata
import warnings
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import openpyxl
from defusedxml import DefusedXmlException
from openpyxl.utils import get_column_letter, range_boundaries
from openpyxl.worksheet.worksheet import Worksheet

from ..errors import IntakeUnusable
from .formula import Formula
from ..model import GROUP_COLUMNS, GROUP_SHEET, PROPOSAL_COLUMNS, PROPOSAL_SHEET, Column
from ..findings import Finding, Location, Severity
from ..danish import suggestion

HEADER_SEARCH_ROWS = 10
MIN_HEADER_MATCHES = 3
MAX_ROWS = 50_000
MAX_INFLATED_BYTES = 300 * 1024 * 1024
MAX_PARTS = 10_000
CHUNK = 1 << 16
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
ENCRYPTED_MARK = "EncryptionInfo".encode("utf-16-le")
DOCTYPE = b"<!DOCTYPE"
# Formats people save instead of .xlsx, told apart by their first bytes.
OTHER_FORMATS = (("urn:schemas-microsoft-com:office:spreadsheet", "Excel 2003 XML"),
                 ("<html", "HTML (webside)"), ("<table", "HTML (webside)"))


@dataclass
class RawRow:
    """The values of one data row of "Forslag", by field, with their cells."""

    row: int
    values: dict[str, Any]
    cells: dict[str, str]
    hidden: bool = False
    merged: dict[str, str] = field(default_factory=dict)


@dataclass
class RawIntake:
    """What was read from one workbook, before validation."""

    path: Path
    name: str
    sheet: str
    rows: list[RawRow]
    group_values: dict[str, Any] | None
    group_cells: dict[str, str]
    group_sheet: str | None
    findings: list[Finding]


def unusable(name: str, code: str, sheet: str | None = None, cell: str | None = None,
             **params: str) -> IntakeUnusable:
    finding = Finding(code=code, severity=Severity.ERROR, params=params,
                      location=Location(file=name, sheet=sheet, cell=cell))
    return IntakeUnusable(f"{finding.location}: {finding.message}", finding)


def header_key(text: str) -> str:
    """A header as compared: no case, no parenthesis, no punctuation, blanks folded."""
    text = unicodedata.normalize("NFC", str(text)).casefold()
    text = re.sub(r"\([^)]*\)", " ", text)
    text = re.sub(r"[.,:;*?!]", " ", text)
    return " ".join(text.split())


def _keys(columns: tuple[Column, ...]) -> dict[str, Column]:
    keys: dict[str, Column] = {}
    for column in columns:
        for text in (column.header, *column.variants):
            keys[header_key(text)] = column
    return keys


PROPOSAL_KEYS = _keys(PROPOSAL_COLUMNS)
GROUP_KEYS = _keys(GROUP_COLUMNS)


def check_file(path: Path, name: str) -> None:
    """Raise IntakeUnusable when the file is not an .xlsx workbook we can open safely."""
    if not path.exists():
        raise unusable(name, "file-missing")
    if not path.is_file():  # a folder, a pipe (would block) or a device
        raise unusable(name, "file-not-regular")
    try:
        with path.open("rb") as handle:
            head = handle.read(4096)
            if head.startswith(OLE_MAGIC):
                raise unusable(name, "file-encrypted" if _ole_encrypted(handle, head)
                               else "file-xls")
    except OSError as exc:
        raise unusable(name, "file-unreadable", reason=_read_error(exc)) from exc
    if not head:
        raise unusable(name, "file-empty")
    if not zipfile.is_zipfile(path):
        if head.startswith(ZIP_MAGIC):  # a zip without its directory: cut off while copying
            raise unusable(name, "file-damaged")
        if path.suffix.lower() == ".csv":
            raise unusable(name, "file-other-format", format="CSV")
        text = head.decode("utf-16" if head[:2] in (b"\xff\xfe", b"\xfe\xff") else "utf-8",
                           "replace").casefold()
        for mark, kind in OTHER_FORMATS:
            if mark in text:
                raise unusable(name, "file-other-format", format=kind)
        raise unusable(name, "file-not-workbook")
    try:
        with zipfile.ZipFile(path) as archive, path.open("rb") as raw:
            _check_archive(archive, raw, name)
    except (zipfile.BadZipFile, zlib.error, EOFError, struct.error) as exc:
        raise unusable(name, "file-damaged") from exc
    except OSError as exc:
        raise unusable(name, "file-unreadable", reason=_read_error(exc)) from exc


def _read_error(exc: OSError) -> str:
    """Why a file could not be read, in Danish (strerror is English)."""
    if exc.errno in (errno.EACCES, errno.EPERM):
        return ("du har ikke adgang til den. Bed om adgang, eller kopiér filen til en mappe, "
                "du kan læse")
    code = errno.errorcode.get(exc.errno or 0, "ukendt")
    return (f"der opstod en fejl under læsningen (fejlkode {code}). Kopiér filen til din egen "
            "computer, og prøv igen")


def _ole_encrypted(handle: IO[bytes], head: bytes) -> bool:
    """An OLE file is a password-protected .xlsx when it holds an EncryptionInfo stream, else
    an old .xls. The stream's name may stand anywhere in the file's directory."""
    tail, data = b"", head
    for _ in range(MAX_INFLATED_BYTES // (1 << 20)):
        if ENCRYPTED_MARK in tail + data:
            return True
        tail, data = data[-len(ENCRYPTED_MARK):], handle.read(1 << 20)
        if not data:
            return False
    return False


def _check_archive(archive: zipfile.ZipFile, raw: IO[bytes], name: str) -> None:
    """The package must be a workbook whose parts unpack to what they declare, within our
    limits, with no XML DOCTYPE (entity expansion). openpyxl reads some parts whole, and
    zipfile inflates such a read in one go before cutting it at the declared size: a part
    whose header lies about its size must be stopped here, while streaming with a cap."""
    infos = archive.infolist()
    names = {info.filename for info in infos}
    if "content.xml" in names and "xl/workbook.xml" not in names:
        raise unusable(name, "file-other-format", format="OpenDocument (.ods)")
    if "xl/workbook.xml" not in names:
        raise unusable(name, "file-not-workbook")
    inflated = sum(info.file_size for info in infos)
    if inflated > MAX_INFLATED_BYTES or len(infos) > MAX_PARTS:
        reason = (f"{inflated // (1024 * 1024)} MB udpakket" if inflated > MAX_INFLATED_BYTES
                  else f"{len(infos)} dele i pakken")
        raise unusable(name, "file-too-large", reason=reason)
    for target in _sheet_targets(archive.read("xl/_rels/workbook.xml.rels")
                                 if "xl/_rels/workbook.xml.rels" in names else b""):
        if target not in names:  # openpyxl would silently drop the sheet
            raise unusable(name, "file-damaged")
    for info in infos:
        xml = info.filename.endswith((".xml", ".rels", ".vml")) \
            and not info.filename.startswith("customXml/")
        size, crc, tail = 0, 0, b""
        for chunk in _inflate(raw, info):
            size += len(chunk)
            if size > info.file_size:
                raise unusable(name, "file-unsafe",
                               reason="en pakket del fylder mere udpakket, end filen angiver")
            if xml and DOCTYPE in tail + chunk:
                raise unusable(name, "file-unsafe", reason="XML-entiteter (DOCTYPE)")
            crc, tail = zlib.crc32(chunk, crc), chunk[-len(DOCTYPE):]
        if size != info.file_size or crc != info.CRC:
            raise unusable(name, "file-damaged")


SHEET_RELATION = re.compile(rb"<(?:\w+:)?Relationship\b[^>]*/worksheet\"[^>]*>")
TARGET = re.compile(rb'\bTarget="([^"]+)"')


def _sheet_targets(rels: bytes) -> Iterator[str]:
    """The package paths of the worksheets the workbook lists."""
    for tag in SHEET_RELATION.finditer(rels):
        if match := TARGET.search(tag.group(0)):
            target = match.group(1).decode("utf-8", "replace")
            yield target.lstrip("/") if target.startswith("/") else \
                posixpath.normpath(posixpath.join("xl", target))


def _inflate(raw: IO[bytes], info: zipfile.ZipInfo) -> Iterator[bytes]:
    """A part's content in chunks of at most CHUNK bytes, read from its local header on."""
    if info.flag_bits & 1 or info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        raise zipfile.BadZipFile(f"{info.filename}: encrypted or unusual compression")
    raw.seek(info.header_offset)
    header = raw.read(30)
    if not header.startswith(ZIP_MAGIC):
        raise zipfile.BadZipFile(f"{info.filename}: no local header")
    raw.seek(info.header_offset + 30 + sum(struct.unpack_from("<HH", header, 26)))
    inflater = zlib.decompressobj(-15) if info.compress_type == zipfile.ZIP_DEFLATED else None
    left = info.compress_size
    while left > 0:
        data = raw.read(min(left, CHUNK))
        if not data:
            raise EOFError(info.filename)
        left -= len(data)
        while data:
            if inflater is None:
                yield data
                break
            yield inflater.decompress(data, CHUNK)
            data = inflater.unconsumed_tail


def _damaged(name: str, exc: Exception) -> IntakeUnusable:
    """What openpyxl raised for a part it could not parse, as a finding. openpyxl wraps
    the parser's error in a ValueError: look down the chain."""
    cause: BaseException | None = exc
    while cause is not None:
        if isinstance(cause, DefusedXmlException):
            return unusable(name, "file-unsafe", reason="XML-entiteter (DOCTYPE)")
        cause = cause.__cause__ or cause.__context__
    return unusable(name, "file-damaged")


def open_workbook(path: Path, name: str) -> openpyxl.Workbook:
    check_file(path, name)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about unsupported extensions
            # Read-only mode streams the sheet: a 10,000-row workbook reads in about two
            # seconds instead of four. It knows no merged cells or hidden rows: see
            # _sheet_layout.
            return openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged package
        raise _damaged(name, exc) from exc


def find_sheet(workbook: openpyxl.Workbook, wanted: str) -> Worksheet | None:
    key = wanted.casefold()
    return next((ws for ws in workbook.worksheets if ws.title.strip().casefold() == key), None)


def read_intake(path: Path, name: str | None = None) -> RawIntake:
    """Read one workbook; raise IntakeUnusable when it cannot be used at all."""
    name = name or str(path)
    workbook = open_workbook(path, name)
    try:
        return _read(workbook, path, name)
    except IntakeUnusable:
        raise
    except Exception as exc:  # read-only sheets are parsed as they are read: damage shows here
        raise _damaged(name, exc) from exc
    finally:
        workbook.close()


def _read(workbook: openpyxl.Workbook, path: Path, name: str) -> RawIntake:
    sheet = find_sheet(workbook, PROPOSAL_SHEET)
    if sheet is None:
        names = ", ".join(f"'{ws.title}'" for ws in workbook.worksheets) or "(ingen)"
        raise unusable(name, "sheet-missing", sheets=names)
    findings: list[Finding] = []
    header_row, columns = _read_headers(sheet, name, findings)
    rows = list(_read_rows(sheet, header_row, columns, name))
    group_values, group_cells, group_sheet = _read_group(workbook, name, findings)
    return RawIntake(path=path, name=name, sheet=sheet.title, rows=rows,
                     group_values=group_values, group_cells=group_cells,
                     group_sheet=group_sheet, findings=findings)


def _read_headers(sheet: Worksheet, name: str,
                  findings: list[Finding]) -> tuple[int, dict[int, Column]]:
    best: tuple[int, int] | None = None
    for r, row in enumerate(sheet.iter_rows(min_row=1, max_row=HEADER_SEARCH_ROWS,
                                            values_only=True), start=1):
        hits = sum(1 for v in row if v is not None and header_key(v) in PROPOSAL_KEYS)
        if hits >= MIN_HEADER_MATCHES and (best is None or hits > best[1]):
            best = (r, hits)
    if best is None:
        raise unusable(name, "header-row-missing", sheet=sheet.title)
    header_row = best[0]
    columns: dict[int, Column] = {}
    seen: dict[str, list[str]] = {}
    header_cells = next(sheet.iter_rows(min_row=header_row, max_row=header_row, values_only=True))
    for index, value in enumerate(header_cells, start=1):
        if value is None or not str(value).strip():
            continue
        ref = f"{get_column_letter(index)}{header_row}"
        column = PROPOSAL_KEYS.get(header_key(value))
        if column is None:
            findings.append(Finding(
                code="header-unknown", severity=Severity.WARNING,
                location=Location(file=name, sheet=sheet.title, cell=ref),
                params={"header": str(value).strip(),
                        "suggestion": suggestion(str(value),
                                                 [c.header for c in PROPOSAL_COLUMNS])}))
            continue
        seen.setdefault(column.header, []).append(ref)
        columns[index] = column
    for header, refs in seen.items():
        if len(refs) > 1:
            raise unusable(name, "column-duplicate", sheet=sheet.title, header=header,
                           cells=" og ".join(refs))
    for column in PROPOSAL_COLUMNS:
        if column.required and column.header not in seen:
            raise unusable(name, "column-missing", sheet=sheet.title, header=column.header,
                           row=str(header_row))
    return header_row, columns


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


ROW = re.compile(rb"<(?:\w+:)?row\b([^>]*?)(?:/>|>(.*?)</(?:\w+:)?row>)", re.S)
CELL_CONTENT = re.compile(rb"<(?:\w+:)?(?:v|is|f)\b")
ROW_NUMBER = re.compile(rb'\br="(\d+)"')
ROW_HIDDEN = re.compile(rb'\bhidden="(?:1|true)"')
MERGE_REF = re.compile(rb'<(?:\w+:)?mergeCell\b[^>]*\bref="([A-Z]+\d+:[A-Z]+\d+)"')


CELL_WITH_FORMULA = re.compile(rb'<(?:\w+:)?c\b[^>]*\br="([A-Z]+\d+)"[^>]*>((?:(?!</(?:\w+:)?c>).)*?'
                               rb'<(?:\w+:)?f\b(?:(?!</(?:\w+:)?c>).)*?)</(?:\w+:)?c>', re.S)
FORMULA_TEXT = re.compile(rb"<(?:\w+:)?f\b[^>]*>(.*?)</(?:\w+:)?f>", re.S)
HAS_VALUE = re.compile(rb"<(?:\w+:)?(?:v|is)\b[^>]*>.+?</(?:\w+:)?(?:v|is)>", re.S)


@dataclass
class SheetLayout:
    """What read-only mode does not expose, read from the sheet's XML."""

    hidden_rows: set[int] = field(default_factory=set)
    merged: dict[tuple[int, int], str] = field(default_factory=dict)
    formulas_without_value: dict[str, Formula] = field(default_factory=dict)
    value_rows: list[int] | None = None  # rows holding a value or formula; None: not known


def _sheet_layout(sheet: Any) -> SheetLayout:
    """Hidden rows; cells covered by a merged range (not its top-left cell) -> the range
    ('C2:C4'); formula cells with no saved result; and the rows that hold anything, counted
    before openpyxl reads a single one (check_file has made sure the XML is safe to read)."""
    layout = SheetLayout()
    try:
        xml = sheet.parent._archive.read(sheet._worksheet_path)
    except (AttributeError, KeyError):
        return layout
    if b"<f" in xml or b":f" in xml:
        for match in CELL_WITH_FORMULA.finditer(xml):
            body = match.group(2)
            if not HAS_VALUE.search(body):
                text = FORMULA_TEXT.search(body)
                formula = text.group(1).decode("utf-8", "replace") if text else ""
                layout.formulas_without_value[match.group(1).decode()] = Formula(f"={formula}")
    layout.value_rows, number = [], 0
    for row in ROW.finditer(xml):
        attributes, body = row.group(1), row.group(2)
        explicit = ROW_NUMBER.search(attributes)
        number = int(explicit.group(1)) if explicit else number + 1  # r= may be left out
        if ROW_HIDDEN.search(attributes):
            layout.hidden_rows.add(number)
        if body and CELL_CONTENT.search(body):
            layout.value_rows.append(number)
    for match in MERGE_REF.finditer(xml):
        coord = match.group(1).decode()
        min_col, min_row, max_col, max_row = range_boundaries(coord)
        for r in range(min_row, max_row + 1):
            for c in range(min_col, max_col + 1):
                if (r, c) != (min_row, min_col):
                    layout.merged[(r, c)] = coord
    return layout


def _danish_count(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def _too_many_rows(name: str, sheet: Worksheet, rows: str) -> IntakeUnusable:
    return unusable(name, "too-many-rows", sheet=sheet.title, rows=rows,
                    limit=_danish_count(MAX_ROWS))


def _read_rows(sheet: Worksheet, header_row: int, columns: dict[int, Column], name: str):
    layout = _sheet_layout(sheet)
    last = None
    if layout.value_rows is None:  # no XML to count in: trust the dimension tag
        count = (sheet.max_row or 0) - header_row
    else:  # stray formatting below the data is not counted, and not read
        below = [r for r in layout.value_rows if r > header_row]
        count, last = len(below), max(below, default=header_row)
    if count > MAX_ROWS:
        raise _too_many_rows(name, sheet, _danish_count(count))
    formulas = layout.formulas_without_value
    letters = {c: get_column_letter(c) for c in columns}
    for r, row in enumerate(sheet.iter_rows(min_row=header_row + 1, max_row=last,
                                            values_only=True), start=header_row + 1):
        values = {col.field: row[c - 1] if c - 1 < len(row) else None
                  for c, col in columns.items()}
        if formulas:
            for c, col in columns.items():
                values[col.field] = formulas.get(f"{letters[c]}{r}", values[col.field])
        if all(_blank(v) for v in values.values()):
            continue
        if r - header_row > MAX_ROWS:
            raise _too_many_rows(name, sheet, f"over {_danish_count(MAX_ROWS)}")
        yield RawRow(
            row=r,
            values=values,
            cells={col.field: f"{letters[c]}{r}" for c, col in columns.items()},
            hidden=r in layout.hidden_rows,
            merged={col.field: layout.merged[(r, c)] for c, col in columns.items()
                    if (r, c) in layout.merged},
        )


def _read_group(workbook: openpyxl.Workbook, name: str, findings: list[Finding]):
    sheet = find_sheet(workbook, GROUP_SHEET)
    if sheet is None:
        findings.append(Finding(code="group-sheet-missing", severity=Severity.ERROR,
                                location=Location(file=name)))
        return None, {}, None
    values: dict[str, Any] = {}
    cells: dict[str, str] = {}
    for r, (label, value) in enumerate(
            sheet.iter_rows(min_row=1, max_row=50, max_col=2, values_only=True), start=1):
        column = GROUP_KEYS.get(header_key(label)) if label is not None else None
        if column is not None and column.field not in values:
            values[column.field] = value
            cells[column.field] = f"B{r}"
    for column in GROUP_COLUMNS:
        if column.field not in values and column.required:
            findings.append(Finding(code="group-label-absent", severity=Severity.ERROR,
                                    location=Location(file=name, sheet=sheet.title),
                                    params={"header": column.header}))
    return values, cells, sheet.title


