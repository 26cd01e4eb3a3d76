"""Read an intake workbook: find sheets and headers, and every value with its cell.

Tolerant as the standard says: sheet names and headers match regardless of case, blanks and
a missing full stop; headers may stand lower than row 1; empty rows are skipped. Files that
cannot be used at all raise `IntakeUnusable` with a finding code.
"""

from __future__ import annotations

import datetime as dt
import errno
import functools
import posixpath
import re
import struct
import unicodedata
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from lxml import etree

from ..danish import suggestion
from ..errors import IntakeUnusable
from ..findings import Finding, Location, Severity
from ..model import GROUP_COLUMNS, GROUP_SHEET, PROPOSAL_COLUMNS, PROPOSAL_SHEET, Column
from .formula import Formula

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


PARENTHESIS = re.compile(r"\([^)]*\)")
PUNCTUATION = re.compile(r"[.,:;*?!]")


@functools.lru_cache(maxsize=1024, typed=True)
def header_key(text: str) -> str:
    """A header as compared: no case, no parenthesis, no punctuation, blanks folded.
    Cached: the header search asks for every cell of a sheet's first rows, and every
    workbook of a batch has the same headers (a small cache: the other cells of those rows
    may be long texts)."""
    text = unicodedata.normalize("NFC", str(text)).casefold()
    text = PARENTHESIS.sub(" ", text)
    text = PUNCTUATION.sub(" ", text)
    return " ".join(text.split())


def _keys(columns: tuple[Column, ...]) -> dict[str, Column]:
    keys: dict[str, Column] = {}
    for column in columns:
        for text in (column.header, *column.variants):
            keys[header_key(text)] = column
    return keys


PROPOSAL_KEYS = _keys(PROPOSAL_COLUMNS)
GROUP_KEYS = _keys(GROUP_COLUMNS)


def check_file(path: Path, name: str) -> dict[str, int]:
    """Raise IntakeUnusable when the file is not an .xlsx workbook we can open safely.
    Returns, for each worksheet part, how many of its rows hold a cell with content: counted
    while the safety check inflates the part anyway, so that a sheet of 100,000 rows is
    refused before a single row is parsed."""
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
            return _check_archive(archive, raw, name)
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


def _check_archive(archive: zipfile.ZipFile, raw: IO[bytes], name: str) -> dict[str, int]:
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
    sheets = set(_sheet_targets(archive.read("xl/_rels/workbook.xml.rels")
                                if "xl/_rels/workbook.xml.rels" in names else b""))
    for target in sheets:
        if target not in names:  # the sheet would silently be dropped
            raise unusable(name, "file-damaged")
    rows: dict[str, int] = {}
    for info in infos:
        xml = info.filename.endswith((".xml", ".rels", ".vml")) \
            and not info.filename.startswith("customXml/")
        size, crc, tail = 0, 0, b""
        # A row with content takes at least MIN_ROW_BYTES: a smaller sheet cannot hold too
        # many, and is not counted. A larger one is counted exactly only when its row tags
        # (counted cheaply here, an upper bound) are too many.
        counter = _RowTagBound() if info.filename in sheets \
            and info.file_size > MIN_ROW_BYTES * MAX_ROWS else None
        for chunk in _inflate(raw, info):
            if counter:
                counter.feed(chunk)
            size += len(chunk)
            if size > info.file_size:
                raise unusable(name, "file-unsafe",
                               reason="en pakket del fylder mere udpakket, end filen angiver")
            if xml and DOCTYPE in tail + chunk:
                raise unusable(name, "file-unsafe", reason="XML-entiteter (DOCTYPE)")
            crc, tail = zlib.crc32(chunk, crc), chunk[-len(DOCTYPE):]
        if size != info.file_size or crc != info.CRC:
            raise unusable(name, "file-damaged")
        if counter and counter.tags > MAX_ROWS:
            exact = _RowCounter()
            for chunk in _inflate(raw, info):
                exact.feed(chunk)
            rows[info.filename] = exact.close()
    return rows


ROW_EDGE = re.compile(rb"<(?:\w+:)?row\b[^>]*?(/?)>|(</(?:\w+:)?row>)")
CELL_CONTENT = re.compile(rb"<(?:\w+:)?(?:v|is|f)\b")
LONGEST_TAG = 4096
MIN_ROW_BYTES = len(b"<row><c><v>1</v></c></row>")


class _RowTagBound:
    """How many row tags a sheet's XML has at most, fed in chunks: every `<row` and `:row`
    (a prefixed `<x:row`; text cannot hold a `<`). Never fewer than `_RowCounter` counts,
    and a plain byte count, so a sheet is only parsed for its rows when it may be too long."""

    def __init__(self) -> None:
        self.tags, self.carry = 0, b""

    def feed(self, chunk: bytes) -> None:
        data = self.carry + chunk  # a tag cut between two chunks is counted once
        self.tags += data.count(b"<row") + data.count(b":row")
        self.carry = data[-3:]


class _RowCounter:
    """Counts the rows of a sheet's XML that hold a value, an inline string or a formula,
    fed in chunks (a tag may be cut between two). Linear: two matches a row, one search
    for content inside it, and only a cut tag is carried over."""

    def __init__(self) -> None:
        self.rows, self.carry = 0, b""
        self.in_row = self.content = False

    def feed(self, chunk: bytes) -> None:
        data, pos = self.carry + chunk, 0
        for match in ROW_EDGE.finditer(data):
            if match.group(2):
                if self.in_row and (self.content or CELL_CONTENT.search(data, pos, match.start())):
                    self.rows += 1
                self.in_row = False
            else:
                self.in_row, self.content = match.group(1) != b"/", False
            pos = match.end()
        if self.in_row and not self.content:
            self.content = CELL_CONTENT.search(data, pos) is not None
        self.carry = data[max(pos, len(data) - LONGEST_TAG):]

    def close(self) -> int:
        self.feed(b"")
        return self.rows


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
    """What a part we could not parse raised, as a finding."""
    cause: BaseException | None = exc
    while cause is not None:
        if isinstance(cause, IntakeUnusable):
            return cause
        cause = cause.__cause__ or cause.__context__
    return unusable(name, "file-damaged")


# --- one streaming pass over the package's XML ------------------------------------------------
#
# openpyxl's read-only mode read a sheet up to three times (values, then our scan for hidden
# rows, merged cells and formulas) through a pure-Python XML parser. Here each part is read
# once, in chunks, by lxml (only the elements asked for reach Python), and a sheet yields its
# values, hidden rows, merged ranges and formulas in that one pass.

REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PROLOG = re.compile(r"\s*(?:<\?.*?\?>|<!--.*?-->)", re.S)
# Excel's built-in number formats that show dates (14-22, 45-47); 46 is a duration.
DATE_FORMAT_IDS = frozenset(range(14, 23)) | {45, 46, 47}
DURATION_FORMAT_IDS = frozenset({46})
FORMAT_LITERALS = re.compile(r'".*?"|\[(?!hh?\]|mm?\]|ss?\])[^\]]*\]')
DURATION = re.compile(r"\[hh?\](:mm(:ss(\.0*)?)?)?|\[mm?\](:ss(\.0*)?)?|\[ss?\](\.0*)?", re.I)
EPOCH_1900 = dt.datetime(1899, 12, 30)
EPOCH_1904 = dt.datetime(1904, 1, 1)


def _is_date_format(code: str) -> bool:
    """As Excel (and openpyxl) decide it: a date/time letter outside quotes and brackets."""
    code = FORMAT_LITERALS.sub("", code.split(";")[0])
    return re.search(r"(?<![_\\])[dmhysDMHYS]", code) is not None


def _from_excel(value: float, epoch: dt.datetime, duration: bool) -> Any:
    """An Excel serial number as a date, time or duration (Excel's 1900 leap-year bug kept)."""
    if duration:
        return dt.timedelta(days=value)
    day, fraction = divmod(value, 1)
    diff = dt.timedelta(milliseconds=round(fraction * 86_400_000))
    if 0 <= value < 1 and diff.days == 0:
        seconds = diff.seconds
        return dt.time(seconds // 3600, seconds // 60 % 60, seconds % 60, diff.microseconds)
    if 0 < value < 60 and epoch == EPOCH_1900:
        day += 1
    return epoch + dt.timedelta(days=day) + diff


def _number(text: str) -> int | float:
    return float(text) if ("." in text or "E" in text or "e" in text) else int(text)


def _iso(text: str) -> Any:
    try:
        return dt.datetime.fromisoformat(text.replace("Z", "+00:00")).replace(tzinfo=None)
    except ValueError:
        return dt.time.fromisoformat(text)


class _Replay:
    """A stream whose first bytes were already read (to look at the prolog)."""

    def __init__(self, head: bytes, stream: IO[bytes]):
        self.head, self.stream = head, stream

    def read(self, size: int = -1) -> bytes:
        if self.head:
            data, self.head = self.head, b""
            return data
        return self.stream.read(size if size and size > 0 else CHUNK)


def _xml_events(stream: IO[bytes], name: str, tag: str | tuple[str, ...] | None = None,
                events: tuple[str, ...] = ("end",)) -> Iterator[tuple[str, Any]]:
    """Parse events of one part (only the elements `tag` names, "{*}row"), read in
    chunks. A DTD, the only place entities can be declared, stands before the root
    element: it is refused there, whatever check_file saw; entities are never resolved
    and nothing is fetched."""
    head = b""
    while True:
        chunk = stream.read(CHUNK)
        head += chunk
        verdict = _prolog_verdict(head, final=not chunk)
        if verdict is not None:
            break
    if verdict:
        raise unusable(name, "file-unsafe", reason="XML-entiteter (DOCTYPE)")
    yield from etree.iterparse(_Replay(head, stream), events=events, tag=tag,
                               resolve_entities=False, no_network=True, load_dtd=False,
                               huge_tree=False, remove_comments=True, remove_pis=True)


def _prolog_verdict(head: bytes, final: bool) -> bool | None:
    """True when the prolog holds a DOCTYPE, False when the root element starts without
    one, None when more bytes are needed."""
    encoding = "utf-16" if head[:2] in (b"\xff\xfe", b"\xfe\xff") else \
        "utf-16-le" if head[:2] == b"<\0" else "utf-16-be" if head[:2] == b"\0<" else "utf-8-sig"
    text = head.decode(encoding, "ignore")
    at = 0
    while match := PROLOG.match(text, at):
        if match.end() == at:
            break
        at = match.end()
    rest = text[at:].lstrip()
    if rest.startswith("<!") and len(rest) >= 4 and not rest.startswith("<!--"):
        return True
    if rest.startswith("<") and len(rest) > 1 and rest[1] not in "!?":
        return False
    return False if final else None  # more bytes needed (or a part that is not XML)


@dataclass
class SheetRow:
    """One row of a sheet as streamed: its number, whether hidden, its cells' values by
    column (only the columns asked for), and whether any cell held anything at all."""

    number: int
    hidden: bool
    values: dict[int, Any]
    content: bool


class Package:
    """A checked workbook package: its worksheets, shared strings and date styles, read
    once each; sheets are streamed."""

    def __init__(self, path: Path, name: str):
        self.name = name
        self.row_counts: dict[str, int] = {}  # rows with content per sheet part (check_file)
        self.archive = zipfile.ZipFile(path)
        self._strings: list[str] | None = None
        rels = self._relations("xl/_rels/workbook.xml.rels", "xl")
        self.sheets: list[tuple[str, str]] = []   # (title, part) of each worksheet
        self.epoch = EPOCH_1900
        for _, element in self._parse("xl/workbook.xml"):
            tag = element.tag.rpartition("}")[2]
            if tag == "sheet":
                rid = element.get(f"{{{REL_NS}}}id") or next(
                    (v for k, v in element.attrib.items() if k.endswith("}id")), None)
                kind, target = rels.get(rid or "", ("", ""))
                if target and not kind.endswith("/chartsheet"):
                    self.sheets.append((element.get("name", ""), target))
            elif tag == "workbookPr" and element.get("date1904") in ("1", "true"):
                self.epoch = EPOCH_1904
        self._strings_part = next((t for k, t in rels.values() if k.endswith("/sharedStrings")),
                                  None)
        styles = next((t for k, t in rels.values() if k.endswith("/styles")), None)
        self.date_styles, self.duration_styles = self._date_styles(styles)

    def close(self) -> None:
        self.archive.close()

    def _parse(self, part: str, tag: str | tuple[str, ...] | None = None,
               events: tuple[str, ...] = ("end",)):
        with self.archive.open(part) as stream:
            yield from _xml_events(stream, self.name, tag, events)

    def _relations(self, part: str, base: str) -> dict[str, tuple[str, str]]:
        if part not in self.archive.NameToInfo:
            return {}
        found = {}
        for _, element in self._parse(part):
            if element.tag.endswith("Relationship"):
                target = element.get("Target", "")
                target = target.lstrip("/") if target.startswith("/") else \
                    posixpath.normpath(posixpath.join(base, target))
                found[element.get("Id", "")] = (element.get("Type", ""), target)
        return found

    def _date_styles(self, part: str | None) -> tuple[frozenset[int], frozenset[int]]:
        if part is None or part not in self.archive.NameToInfo:
            return frozenset(), frozenset()
        custom: dict[int, str] = {}
        formats: list[int] = []
        in_xfs = False
        for event, element in self._parse(part, ("{*}cellXfs", "{*}numFmt", "{*}xf"),
                                          ("start", "end")):
            tag = element.tag.rpartition("}")[2]
            if tag == "cellXfs":
                in_xfs = event == "start"
            elif event == "end" and tag == "numFmt":
                custom[int(element.get("numFmtId", "0"))] = element.get("formatCode", "")
            elif event == "end" and tag == "xf" and in_xfs:
                formats.append(int(element.get("numFmtId", "0")))
        dates, durations = set(), set()
        for index, format_id in enumerate(formats):
            code = custom.get(format_id)
            if code is None:
                if format_id in DATE_FORMAT_IDS:
                    dates.add(index)
                if format_id in DURATION_FORMAT_IDS:
                    durations.add(index)
            else:
                if _is_date_format(code):
                    dates.add(index)
                if DURATION.search(code.split(";")[0]):
                    durations.add(index)
        return frozenset(dates), frozenset(durations)

    @property
    def strings(self) -> list[str]:
        """The shared-strings table (openpyxl's reading: runs joined, phonetics left out,
        '_x005F_' undone; the other _xHHHH_ escapes are left to danish.clean_text)."""
        if self._strings is None:
            self._strings = []
            part = self._strings_part
            if part is not None and part in self.archive.NameToInfo:
                for _, element in self._parse(part, "{*}si"):
                    self._strings.append(_rich_text(element).replace("x005F_", ""))
                    _forget(element)
        return self._strings

    def find_sheet(self, wanted: str) -> tuple[str, str] | None:
        key = wanted.casefold()
        return next((s for s in self.sheets if s[0].strip().casefold() == key), None)

    def rows(self, part: str, columns: Callable[[], set[int] | None],
             merged: list[str] | None = None) -> Iterator[SheetRow]:
        """Every row of a worksheet holding a cell, in one pass. `columns()` says which
        columns' values are wanted (None: all); merged ranges, which stand after the rows,
        are appended to `merged` when the sheet has been read to its end."""
        strings = self.strings if self._strings_part else []
        dates, durations, epoch = self.date_styles, self.duration_styles, self.epoch
        letters = _COLUMN_INDEX
        number = 0
        ns = None
        for _, element in self._parse(part, ("{*}row", "{*}mergeCell")):
            if ns is None:
                ns = element.tag[:-len(etree.QName(element).localname)]
                ROW, CELL, VALUE, FORMULA, INLINE = (ns + t for t in ("row", "c", "v", "f", "is"))
                T, R = ns + "t", ns + "r"
            if element.tag != ROW:
                if merged is not None:
                    merged.append(element.get("ref", ""))
                continue
            given = element.get("r")
            number = int(given) if given else number + 1
            values: dict[int, Any] = {}
            content = False
            column = 0
            wanted = columns()
            for cell in element.iterchildren(CELL):
                ref = cell.get("r")
                if ref:
                    column = letters.get(ref.rstrip("0123456789")) or _column_number(ref)
                else:
                    column += 1
                if wanted is not None and column not in wanted:
                    if not content and len(cell):  # a <v>, <f> or <is>: the row holds something
                        content = True
                    continue
                text = formula = inline = None
                for sub in cell:
                    tag = sub.tag
                    if tag == VALUE:
                        text, content = sub.text, True
                    elif tag == INLINE:
                        inline, content = sub, True
                    elif tag == FORMULA:
                        formula, content = sub, True
                kind = cell.get("t", "n")
                if text:
                    if kind == "n":
                        value = _number(text)
                        style = cell.get("s")
                        if style and int(style) in dates:
                            try:
                                value = _from_excel(value, epoch, int(style) in durations)
                            except (OverflowError, ValueError):
                                value = "#VALUE!"
                    elif kind == "s":
                        value = strings[int(text)]
                    elif kind == "b":
                        value = bool(int(text))
                    elif kind == "d":
                        value = _iso(text)
                    else:  # "str" (a formula's text result), "e" (an error such as #N/A)
                        value = text
                elif formula is not None:
                    value = Formula(f"={formula.text or ''}")
                elif kind == "inlineStr" and inline is not None:
                    first = inline[0] if len(inline) == 1 else None
                    value = (first.text or "") if first is not None and first.tag == T \
                        else _rich_text(inline, T, R)
                else:
                    value = None
                if value is not None:
                    values[column] = value
            hidden = element.get("hidden") in ("1", "true")
            _forget(element)
            yield SheetRow(number, hidden, values, content)


def _forget(element: Any) -> None:
    """Drop a finished element and the ones before it: memory stays flat."""
    element.clear(keep_tail=False)
    parent = element.getparent()
    if parent is not None:
        while element.getprevious() is not None:
            del parent[0]


def _rich_text(element: Any, t: str | None = None, r: str | None = None) -> str:
    """The text of an <si> or <is>: its own <t>, then each run's <t>; phonetic runs
    (<rPh>, Japanese readings) are not part of the text."""
    if t is None:
        ns = element.tag[:element.tag.index("}") + 1] if element.tag[0] == "{" else ""
        t, r = ns + "t", ns + "r"
    parts = []
    for child in element:
        if child.tag == t:
            parts.append(child.text or "")
        elif child.tag == r:
            run = child.find(t)
            if run is not None:
                parts.append(run.text or "")
    return "".join(parts)


def _column_number(ref: str) -> int:
    letters = ref.rstrip("0123456789")
    number = 0
    for ch in letters:
        number = number * 26 + ord(ch.upper()) - 64
    if not letters or number > 16_384:
        raise ValueError(f"cell reference {ref!r}")
    return number


def get_column_letter(number: int) -> str:
    """1 -> 'A', 27 -> 'AA' (openpyxl's, without importing openpyxl to read)."""
    letters = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def range_boundaries(ref: str) -> tuple[int, int, int, int]:
    """'C2:D4' -> (min_col, min_row, max_col, max_row); 'C2' is a range of one cell."""
    first, _, last = ref.upper().partition(":")
    last = last or first
    cols = [_column_number(p) for p in (first, last)]
    rows = [int(p.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")) for p in (first, last)]
    return min(cols), min(rows), max(cols), max(rows)


_COLUMN_INDEX = {get_column_letter(c): c for c in range(1, 703)}  # A..ZZ


# --- the intake ---------------------------------------------------------------------------------

def open_package(path: Path, name: str) -> Package:
    """Check the file and open its package; raise IntakeUnusable when it cannot be used."""
    counts = check_file(path, name)
    try:
        package = Package(path, name)
        package.row_counts = counts or {}
        return package
    except IntakeUnusable:
        raise
    except Exception as exc:  # a damaged package raises many kinds
        raise _damaged(name, exc) from exc


def read_intake(path: Path, name: str | None = None) -> RawIntake:
    """Read one workbook; raise IntakeUnusable when it cannot be used at all."""
    name = name or str(path)
    package = open_package(path, name)
    try:
        return _read(package, path, name)
    except IntakeUnusable:
        raise
    except Exception as exc:  # sheets are parsed as they are read: damage shows here
        raise _damaged(name, exc) from exc
    finally:
        package.close()


def _read(package: Package, path: Path, name: str) -> RawIntake:
    sheet = package.find_sheet(PROPOSAL_SHEET)
    if sheet is None:
        names = ", ".join(f"'{title}'" for title, _ in package.sheets) or "(ingen)"
        raise unusable(name, "sheet-missing", sheets=names)
    findings: list[Finding] = []
    rows = _read_rows(package, sheet, name, findings)
    group_values, group_cells, group_sheet = _read_group(package, name, findings)
    return RawIntake(path=path, name=name, sheet=sheet[0], rows=rows,
                     group_values=group_values, group_cells=group_cells,
                     group_sheet=group_sheet, findings=findings)


def _find_headers(title: str, name: str, top: list[SheetRow],
                  findings: list[Finding]) -> tuple[int, dict[int, Column]]:
    best: tuple[int, int] | None = None
    for row in top:
        hits = sum(1 for v in row.values.values() if header_key(v) in PROPOSAL_KEYS)
        if hits >= MIN_HEADER_MATCHES and (best is None or hits > best[1]):
            best = (row.number, hits)
    if best is None:
        raise unusable(name, "header-row-missing", sheet=title)
    header_row = best[0]
    header_cells = next(row.values for row in top if row.number == header_row)
    columns: dict[int, Column] = {}
    seen: dict[str, list[str]] = {}
    for index in sorted(header_cells):
        value = header_cells[index]
        if not str(value).strip():
            continue
        ref = f"{get_column_letter(index)}{header_row}"
        column = PROPOSAL_KEYS.get(header_key(value))
        if column is None:
            findings.append(Finding(
                code="header-unknown", severity=Severity.WARNING,
                location=Location(file=name, sheet=title, cell=ref),
                params={"header": str(value).strip(),
                        "suggestion": suggestion(str(value),
                                                 [c.header for c in PROPOSAL_COLUMNS])}))
            continue
        seen.setdefault(column.header, []).append(ref)
        columns[index] = column
    for header, refs in seen.items():
        if len(refs) > 1:
            raise unusable(name, "column-duplicate", sheet=title, header=header,
                           cells=" og ".join(refs))
    for column in PROPOSAL_COLUMNS:
        if column.required and column.header not in seen:
            raise unusable(name, "column-missing", sheet=title, header=column.header,
                           row=str(header_row))
    return header_row, columns


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _danish_count(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def _read_rows(package: Package, sheet: tuple[str, str], name: str,
               findings: list[Finding]) -> list[RawRow]:
    """The data rows below the header row, counted as they stream: past MAX_ROWS rows with
    content the sheet is refused, after only counting the rest (no values converted)."""
    title, part = sheet
    wanted: set[int] | None = None
    counting = False
    merged: list[str] = []
    stream = package.rows(part, lambda: set() if counting else wanted, merged)
    top: list[SheetRow] = []
    for row in stream:
        if row.number > HEADER_SEARCH_ROWS:
            top.append(row)
            break
        top.append(row)
    later = top[-1] if top and top[-1].number > HEADER_SEARCH_ROWS else None
    if later is not None:
        top.pop()
    header_row, columns = _find_headers(title, name, top, findings)
    counted = package.row_counts.get(part)
    if counted is not None:
        counted -= sum(1 for row in top if row.number <= header_row and row.content)
        if counted > MAX_ROWS:
            raise unusable(name, "too-many-rows", sheet=title, rows=_danish_count(counted),
                           limit=_danish_count(MAX_ROWS))
    wanted = set(columns)
    fields = [(c, col.field) for c, col in columns.items()]
    field_letters = [(col.field, get_column_letter(c)) for c, col in columns.items()]
    result: list[RawRow] = []
    count = 0

    def data_rows() -> Iterator[SheetRow]:
        yield from (r for r in top if r.number > header_row)
        if later is not None:
            yield later
        yield from stream

    for row in data_rows():
        if row.content:
            count += 1
        if count > MAX_ROWS:
            counting = True
            continue
        if counting:
            continue
        values = {f: row.values.get(c) for c, f in fields}
        if all(_blank(v) for v in values.values()):
            continue
        number = str(row.number)
        result.append(RawRow(row=row.number, values=values,
                             cells={f: letter + number for f, letter in field_letters},
                             hidden=row.hidden))
    if count > MAX_ROWS:
        raise unusable(name, "too-many-rows", sheet=title, rows=_danish_count(count),
                       limit=_danish_count(MAX_ROWS))
    if merged:
        covered: dict[tuple[int, int], str] = {}
        for coord in merged:
            min_col, min_row, max_col, max_row = range_boundaries(coord)
            for r in range(max(min_row, header_row + 1), max_row + 1):
                for c in range(min_col, max_col + 1):
                    if (r, c) != (min_row, min_col) and c in columns:
                        covered[(r, c)] = coord
        for raw in result:
            raw.merged = {col.field: covered[(raw.row, c)] for c, col in columns.items()
                          if (raw.row, c) in covered}
    return result


GROUP_ROWS = 50


def _read_group(package: Package, name: str, findings: list[Finding]):
    sheet = package.find_sheet(GROUP_SHEET)
    if sheet is None:
        findings.append(Finding(code="group-sheet-missing", severity=Severity.ERROR,
                                location=Location(file=name)))
        return None, {}, None
    title, part = sheet
    values: dict[str, Any] = {}
    cells: dict[str, str] = {}
    for row in package.rows(part, lambda: {1, 2}):
        if row.number > GROUP_ROWS:
            break
        label = row.values.get(1)
        column = GROUP_KEYS.get(header_key(label)) if label is not None else None
        if column is not None and column.field not in values:
            values[column.field] = row.values.get(2)
            cells[column.field] = f"B{row.number}"
    for column in GROUP_COLUMNS:
        if column.field not in values and column.required:
            findings.append(Finding(code="group-label-absent", severity=Severity.ERROR,
                                    location=Location(file=name, sheet=title),
                                    params={"header": column.header}))
    return values, cells, title
