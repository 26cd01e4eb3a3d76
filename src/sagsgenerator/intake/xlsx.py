"""The .xlsx packages we write, and the annotated copy, without loading openpyxl.

Every workbook goes out through `pack`: text in a shared-strings table (as Excel writes it,
so Excel does not rewrite the file on its first save), the modified date of the run (`today`
or SOURCE_DATE_EPOCH) and fixed zip entry times, so a rerun on the same date gives the same
bytes. An annotated copy carries a custom document property (`sagsgenerator-markeret`)
saying which cells the tool marked and what they held before, so that a corrected copy sent
back is recognised and its old marks removed.

The annotated copy is made by editing the package's XML (marking.py); only a copy that path
does not handle goes through openpyxl (workbook.annotate_with_openpyxl). A run that marks
copies and writes no workbook of its own never imports openpyxl.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import re
import zipfile
from pathlib import Path

from .. import __version__
from ..findings import Finding, Report, Severity
from ..output import write_bytes

# Two custom document properties: a short record (Excel keeps text properties of up to 255
# characters when it saves) and the earlier fill and comment of the cells that had one.
MARK_PROPERTY = "sagsgenerator-markeret"
ORIGINALS_PROPERTY = "sagsgenerator-markeret-celler"
MARK_VERSION = 1
MARK_AUTHOR = "sagsgenerator"
MARKED_SUFFIX = "-markeret"
# The fills of marked cells (ARGB, as openpyxl reads them back).
ERROR_RGB = "00FFC7CE"
WARNING_RGB = "00FFEB9C"


# --- packaging: shared strings, the run's date, fixed zip times -------------------------------

def run_time(today: dt.date | dt.datetime | None = None) -> dt.datetime:
    """The time stamped into a workbook: `today` (midnight), else SOURCE_DATE_EPOCH, else
    today's date at midnight UTC (reruns on one day give the same bytes)."""
    if isinstance(today, dt.datetime):
        return today.replace(tzinfo=None, microsecond=0)
    if isinstance(today, dt.date):
        return dt.datetime(today.year, today.month, today.day)
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc).replace(tzinfo=None)
    now = dt.datetime.now(dt.timezone.utc)
    return dt.datetime(now.year, now.month, now.day)


INLINE_CELL = re.compile(rb'<c ([^>]*?)t="inlineStr"([^>]*)><is>(.*?)</is></c>', re.S)
EMPTY_INLINE = re.compile(rb'<c ([^>]*?) ?t="inlineStr"([^>/]*)(?:></c>|/>)')
CORE_DATE = re.compile(rb"(<dcterms:(created|modified)\b[^>]*>)[^<]*(</dcterms:\2>)")
MAIN_NS = b"http://schemas.openxmlformats.org/"
STRINGS_TYPE = (b"application/vnd.openxmlformats-officedocument.spreadsheetml."
                b"sharedStrings+xml")


def shared_strings(parts: dict[str, bytes]) -> None:
    """Move openpyxl's inline strings into a shared-strings table (in place)."""
    table: dict[bytes, int] = {}
    count = 0

    def shared(match: re.Match) -> bytes:
        nonlocal count
        count += 1
        index = table.setdefault(match[3], len(table))
        return b'<c %st="s"%s><v>%d</v></c>' % (match[1], match[2], index)

    for name in list(parts):
        if name.startswith("xl/worksheets/") and name.endswith(".xml"):
            parts[name] = EMPTY_INLINE.sub(rb"<c \1\2/>", INLINE_CELL.sub(shared, parts[name]))
    if not table or "xl/sharedStrings.xml" in parts:
        return
    parts["xl/sharedStrings.xml"] = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="' + MAIN_NS
        + b'spreadsheetml/2006/main" count="%d" uniqueCount="%d">' % (count, len(table))
        + b"".join(b"<si>%s</si>" % text for text in table) + b"</sst>")
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
        b"</Types>", b'<Override PartName="/xl/sharedStrings.xml" ContentType="'
        + STRINGS_TYPE + b'"/></Types>')
    rels = "xl/_rels/workbook.xml.rels"
    parts[rels] = parts[rels].replace(b"</Relationships>", (
        b'<Relationship Id="rIdSharedStrings" Type="' + MAIN_NS + b'officeDocument/2006/'
        b'relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>'))


FAST_FROM = 1 << 20   # bytes of a part compressed for speed


def pack(parts: dict[str, bytes], names: list[str], stamp: dt.datetime,
          created: dt.datetime | None) -> bytes:
    """A zip of `parts` in the order of `names` (then the rest), core.xml dated `stamp`
    (and `created`, when given), every entry with the same fixed time."""
    iso = stamp.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    if "docProps/core.xml" in parts:
        made = created.strftime("%Y-%m-%dT%H:%M:%SZ").encode() if created else None
        parts["docProps/core.xml"] = CORE_DATE.sub(
            lambda m: m[1] + (iso if m[2] == b"modified" else made or m[0][len(m[1]):-len(m[3])])
            + m[3], parts["docProps/core.xml"])
    order = list(dict.fromkeys(names + [n for n in parts if n not in names]))
    when = max(stamp, dt.datetime(1980, 1, 1)).timetuple()[:6]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in order:
            if name not in parts:
                continue
            info = zipfile.ZipInfo(name, date_time=when)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16
            data = parts[name]
            # A sheet of thousands of rows: level 3 is three times as fast as the default
            # 6, for some 8 % more bytes.
            archive.writestr(info, data, compresslevel=3 if len(data) > FAST_FROM else None)
    return out.getvalue()


# --- the annotated copy -------------------------------------------------------------------------

def read_mark(path: Path) -> dict | None:
    """The `sagsgenerator-markeret` record of a workbook the tool annotated, else None
    (also for a file that is not a workbook or cannot be read)."""
    from .reader import _xml_events  # the reader's safe parser
    try:
        with zipfile.ZipFile(path) as archive:
            info = archive.NameToInfo.get("docProps/custom.xml")
            if info is None or info.file_size > 16 * 1024 * 1024:
                return None
            with archive.open(info) as stream:
                for _, element in _xml_events(stream, str(path), "{*}property"):
                    if element.get("name") == MARK_PROPERTY:
                        mark = json.loads("".join(element.itertext()))
                        return mark if isinstance(mark, dict) \
                            and mark.get("version") == MARK_VERSION else None
    except Exception:  # not a workbook, damaged, unreadable: not one of ours
        return None
    return None


def is_annotated(path: Path) -> bool:
    """True when `path` is an annotated copy written by sagsgenerator (its document
    property says so; the name does not matter)."""
    return read_mark(path) is not None


def original_stem(path: Path) -> str:
    """The name stem of the workbook a copy was annotated from: 'med-fejl' for
    'med-fejl-markeret.xlsx' (also when that copy was annotated again), else the stem with
    any '-markeret' ending taken off."""
    mark = read_mark(path)
    if mark and isinstance(mark.get("stem"), str) and mark["stem"].strip():
        return mark["stem"]
    stem = path.stem
    while stem.endswith(MARKED_SUFFIX) and len(stem) > len(MARKED_SUFFIX):
        stem = stem[:-len(MARKED_SUFFIX)]
    return stem


def annotated_name(path: Path) -> str:
    """The file name of the annotated copy of `path`: never '-markeret-markeret'."""
    return f"{original_stem(path)}{MARKED_SUFFIX}.xlsx"


def comment_text(findings: list[Finding]) -> str:
    return "\n\n".join(f"{f.severity.capitalize()}: {f.message}" for f in findings)


def annotate(source: Path, findings: list[Finding], report: Report, target: Path,
             today: dt.date | dt.datetime | None = None) -> Path:
    """Copy `source` to `target` with bad cells filled red/yellow, explained in comments,
    and a sheet "Fejl" listing every finding with a link to its cell. Source is only read.
    When `source` is itself an annotated copy, its old marks are removed first.

    The copy is made by editing the package's XML (marking.py), which keeps every part of
    the group's file as it was and takes a second for 10,000 rows; openpyxl (which rewrites
    the whole workbook) is used for what that path does not handle, such as a copy sent
    back with the tool's old marks or a sheet that already has comments."""
    from .marking import annotated_package
    record = {"version": MARK_VERSION, "tool": __version__, "stem": original_stem(source),
              "sheet": "Fejl", "cells": len({(f.location.sheet, f.location.cell)
                                               for f in findings if f.location.cell})}
    title = f"Fund i {report.files[0] if report.files else source.name}"
    fast = annotated_package(source, findings, report, comment_text, record,
                             {Severity.ERROR: ERROR_RGB, Severity.WARNING: WARNING_RGB}, title)
    if fast is not None:
        parts, order = fast
        return write_bytes(target, pack(parts, order, run_time(today), None))
    from .workbook import annotate_with_openpyxl    # loaded only for such a copy

    return annotate_with_openpyxl(source, findings, report, target, today, record, title)
