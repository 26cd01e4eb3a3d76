"""Generate a corpus of bad inputs and what `sagsgenerator` must tell the user about each.

Every input is made here, so no binary is committed. Each `Case` holds the files, the command
line, the exit status and the exact lines of output; tests/test_corpus.py runs them all.
Run `python scripts/make_corpus.py FOLDER` to write the inputs and list the cases.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import shutil
import struct
import sys
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import openpyxl

ROOT = Path(__file__).resolve().parents[1]

# --- what a case is ------------------------------------------------------------------------


@dataclass
class Case:
    """One bad input: run `sagsgenerator *argv`, expect `exit` and exactly `lines`
    (or, where a line depends on the machine, lines holding each of `contains`)."""

    name: str
    files: list[Path]                  # inputs whose bytes must not change
    argv: list[str]
    exit: int
    lines: list[str] | None = None
    contains: list[str] = field(default_factory=list)
    limit: float = 10.0                # seconds before the run counts as hung
    skip: str | None = None            # why this case cannot run on this machine
    pending: str | None = None         # a change outside reader.py this case waits for
    lock: Path | None = None           # made immutable while the case runs (chattr +i)
    note: str = ""
    make: Callable[[], Any] | None = field(default=None, repr=False)


# --- a valid workbook, made by hand ------------------------------------------------------------

GROUP = {"Arbejdsgruppe": "Børn og unge", "Fokusområde": "Børn og unge",
         "Tovholder": "Mette Hansen", "E-mail": "mette.hansen@kommune.dk",
         "Udvalg": "Børne- og Undervisningsudvalget", "Dato": dt.date(2026, 1, 15)}


def proposal(nr: int = 1, **changes: Any) -> dict[str, Any]:
    """A valid proposal row keyed by header text."""
    row = {
        "Nr.": nr, "Titel": f"Røgfri skoletid {nr}", "Forslagstype": "Handlingsforslag",
        "Forebyggelsespakke": "Tobak", "Tema": "Borgernes mulighed for et sundt hverdagsliv",
        "Indsatsområde": "Tobak (rygning)", "Mål": "Færre borgere, der ryger dagligt",
        "Formål og forventet effekt": "Færre unge begynder at ryge.",
        "Målgruppe": "Elever i 7.-10. klasse.",
        "Problemets omfang": "12 % af de 15-årige ryger dagligt.",
        "Indhold og rammer": "Røgfri skoletid på alle skoler.",
        "Ansvarligt center": "Børn og Forebyggelse",
        "Udførende og samarbejdspartnere": "Skolerne og SSP.",
        "Monitorering og evaluering": "Ungeprofilundersøgelsen hvert andet år.",
        "Målindikatorer": "Andel unge, der ryger\nAntal skoler med røgfri skoletid",
        "Opstart": "marts 2026", "Opfølgning": "Slut-evaluering april 2027",
        "Ressourcer opstart (kr.)": 75000, "Ressourcer drift pr. år (kr.)": "250.000 kr.",
        "Finansiering": "Inden for eget budget",
        "Resumé (ca. ½ side)": "Røgfri skoletid skal forebygge, at unge begynder at ryge.",
        "Prioritet": nr, "Projektejer": "Centerchef", "Status": "Prioriteret",
    }
    row.update(changes)
    return row


HEADERS = list(proposal())
COL = {h: openpyxl.utils.get_column_letter(i) for i, h in enumerate(HEADERS, start=1)}


def book(path: Path, rows: list[dict] | None = None, *, headers: list[str] = HEADERS,
         offset: int = 0, title: str = "Forslag", group: bool = True,
         edit: Callable[[Any], None] | None = None) -> Path:
    """A plain workbook as another tool writes it: headers in row 1 + offset, then rows."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = title
    if offset:
        sheet["A1"] = "Forslag fra arbejdsgruppen"
    for c, header in enumerate(headers, start=1):
        sheet.cell(row=1 + offset, column=c, value=header)
    for r, row in enumerate([proposal(n) for n in (1, 2, 3)] if rows is None else rows,
                            start=2 + offset):
        for c, header in enumerate(HEADERS, start=1):
            sheet.cell(row=r, column=c, value=row.get(header))
    if group:
        info = workbook.create_sheet("Arbejdsgruppe")
        for r, (label, value) in enumerate(GROUP.items(), start=1):
            info.cell(row=r, column=1, value=label)
            info.cell(row=r, column=2, value=value)
    if edit:
        edit(sheet)
    workbook.save(path)
    return excel_strings(path)


def members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def rezip(path: Path, parts: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return path


def patch(path: Path, member: str, change: Callable[[bytes], bytes]) -> Path:
    """Rewrite one part of a workbook (the sheet XML, the shared strings ...)."""
    parts = members(path)
    parts[member] = change(parts[member])
    return rezip(path, parts)


SHEET = "xl/worksheets/sheet1.xml"
STRINGS = "xl/sharedStrings.xml"
INLINE = re.compile(rb'<c r="([A-Z]+[0-9]+)"([^>]*?) t="inlineStr"><is>(.*?)</is></c>', re.S)


def excel_strings(path: Path) -> Path:
    """Move the text of every cell into a shared-strings table, as Excel stores it
    (openpyxl writes inline strings)."""
    parts, table = members(path), {}

    def shared(match: re.Match) -> bytes:
        index = table.setdefault(match[3], len(table))
        return b'<c r="%s"%s t="s"><v>%d</v></c>' % (match[1], match[2], index)
    for name in parts:
        if name.startswith("xl/worksheets/"):
            parts[name] = INLINE.sub(shared, parts[name])
    main = b"http://schemas.openxmlformats.org/"
    parts[STRINGS] = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="'
                      + main + b'spreadsheetml/2006/main" count="%d" uniqueCount="%d">'
                      % (len(table), len(table))
                      + b"".join(b"<si>%s</si>" % text for text in table) + b"</sst>")
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(b"</Types>", (
        b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats'
        b'-officedocument.spreadsheetml.sharedStrings+xml"/></Types>'))
    rels = "xl/_rels/workbook.xml.rels"
    parts[rels] = parts[rels].replace(b"</Relationships>", (
        b'<Relationship Id="rIdStrings" Type="' + main + b'officeDocument/2006/relationships/'
        b'sharedStrings" Target="sharedStrings.xml"/></Relationships>'))
    return rezip(path, parts)


# --- packages openpyxl would not write -------------------------------------------------------

def raw_zip(path: Path, parts: list[tuple[str, bytes, int, int, int]]) -> Path:
    """A zip from already deflated parts: (name, deflated, crc, declared size, method)."""
    out, central = io.BytesIO(), io.BytesIO()
    for name, data, crc, size, method in parts:
        offset, encoded = out.tell(), name.encode()
        fields = (20, 0, method, 0, 0x21, crc, len(data), size, len(encoded))
        out.write(struct.pack("<IHHHHHIIIHH", 0x04034B50, *fields, 0) + encoded + data)
        central.write(struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, *fields, 0, 0, 0, 0,
                                  0, offset) + encoded)
    directory = central.getvalue()
    out.write(directory + struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(parts), len(parts),
                                      len(directory), out.tell(), 0))
    path.write_bytes(out.getvalue())
    return path


def deflated(data: bytes) -> tuple[bytes, int, int]:
    c = zlib.compressobj(6, zlib.DEFLATED, -15)
    return c.compress(data) + c.flush(), zlib.crc32(data), len(data)


def bomb_parts(base: Path, inflated_mb: int, declared: int | None) -> list[tuple]:
    """The parts of `base`, the sheet replaced by XML padded with blanks to `inflated_mb`.
    The padding is compressed once: after a full flush deflate starts afresh, so the same
    compressed block repeats. `declared` overrides the size the headers claim."""
    head, tail = b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">', \
        b"<sheetData/></worksheet>"
    block = b" " * (1 << 20)
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    first = c.compress(head) + c.flush(zlib.Z_FULL_FLUSH)
    repeat = c.compress(block) + c.flush(zlib.Z_FULL_FLUSH)
    data = first + repeat * inflated_mb + c.compress(tail) + c.flush()
    crc = zlib.crc32(head)
    for _ in range(inflated_mb):
        crc = zlib.crc32(block, crc)
    crc = zlib.crc32(tail, crc)
    size = len(head) + len(block) * inflated_mb + len(tail)
    parts = []
    for name, content in members(base).items():
        if name == SHEET:
            parts.append((name, data, crc, size if declared is None else declared, 8))
        else:
            parts.append((name, *deflated(content), 8))
    return parts


def ole(streams: dict[str, bytes]) -> bytes:
    """A minimal OLE compound file (what .xls and password-protected .xlsx files are):
    sector 0 the FAT, sector 1 the directory, then each stream padded to 4,096 bytes so it
    lives in regular sectors."""
    free, end, fat_sector = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD
    fat, body, entries = [fat_sector, end], b"", []
    names = sorted(streams, key=lambda n: (len(n), n.upper()))
    for i, name in enumerate(names):
        data = streams[name].ljust(4096, b"\0")
        data += b"\0" * (-len(data) % 512)
        start, count = len(fat), len(data) // 512
        fat += list(range(start + 1, start + count)) + [end]
        right = i + 2 if i + 1 < len(names) else free
        entries.append((name, 2, free, right, free, start, len(data)))
        body += data
    root = ("Root Entry", 5, free, free, 1 if names else free, end, 0)
    directory = b""
    for name, kind, left, right, child, start, size in [root, *entries]:
        encoded = (name + "\0").encode("utf-16-le")
        directory += (encoded.ljust(64, b"\0") + struct.pack("<HBB3I", len(encoded), kind, 1,
                                                             left, right, child)
                      + b"\0" * 36 + struct.pack("<IQ", start, size))
    directory = directory.ljust(512, b"\0")
    header = (bytes.fromhex("d0cf11e0a1b11ae1") + b"\0" * 16
              + struct.pack("<HHHHH6xIIIIIIIII", 0x3E, 3, 0xFFFE, 9, 6, 0, 1, 1, 0, 0x1000,
                            end, 0, end, 0)
              + struct.pack("<109I", 0, *[free] * 108))
    fat_bytes = struct.pack(f"<{len(fat)}I", *fat).ljust(512, b"\xff")
    return header + fat_bytes + directory + body


def encrypted(path: Path) -> str:
    """A password-protected workbook: really encrypted with msoffcrypto-tool when it is
    installed, else an OLE file with the EncryptionInfo and EncryptedPackage streams."""
    plain = book(path.with_suffix(".plain.xlsx"))
    try:
        from msoffcrypto.format.ooxml import OOXMLFile
        with plain.open("rb") as source, path.open("wb") as target:
            OOXMLFile(source).encrypt("hemmelig", target)
        how = "krypteret med msoffcrypto-tool (adgangskode 'hemmelig')"
    except ImportError:
        descriptor = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n<encryption '
                      b'xmlns="http://schemas.microsoft.com/office/2006/encryption"/>')
        path.write_bytes(ole({"EncryptionInfo": b"\x04\x00\x04\x00\x40\x00\x00\x00" + descriptor,
                              "EncryptedPackage": os.urandom(8192)}))  # agile, version 4.4
        how = "lavet OLE-fil med EncryptionInfo (msoffcrypto-tool er ikke installeret)"
    plain.unlink()
    return how


def billion_laughs(root: bytes) -> bytes:
    entities = b'<!ENTITY lol "lol">' + b"".join(
        b'<!ENTITY lol%d "%s">' % (i, (b"&lol%s;" % (str(i - 1).encode() if i > 1 else b"")) * 10)
        for i in range(1, 10))
    return (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<!DOCTYPE ' + root
            + b" [" + entities + b"]>\n")


def with_doctype(xml: bytes, payload: bytes) -> bytes:
    """Put a DOCTYPE before the root element of `xml`, and an entity use in its first text."""
    body = xml.split(b"?>", 1)[1] if xml.startswith(b"<?xml") else xml
    return payload + body.replace(b"<t>", b"<t>&lol9;", 1).replace(b"<v>", b"<v>&lol9;", 1)


def many_rows(count: int, dimension: bool) -> Callable[[bytes], bytes]:
    """Sheet XML with `count` data rows (Nr. and Titel filled); the dimension tag honest or
    left out, as some tools write it."""
    def change(xml: bytes) -> bytes:
        start = xml.index(b"<sheetData>") + len(b"<sheetData>")
        end = xml.index(b"</sheetData>")
        first_row = xml[start:xml.index(b"</row>", start) + len(b"</row>")]
        rows = b"".join(b'<row r="%d"><c r="A%d"><v>%d</v></c><c r="B%d" t="inlineStr"><is>'
                        b"<t>Forslag %d</t></is></c></row>" % (r, r, r - 1, r, r - 1)
                        for r in range(2, count + 2))
        xml = xml[:start] + first_row + rows + xml[end:]
        old = xml[xml.index(b"<dimension"):xml.index(b"/>", xml.index(b"<dimension")) + 2]
        new = b'<dimension ref="A1:X%d"/>' % (count + 1) if dimension else b""
        return xml.replace(old, new)
    return change


# --- what the user reads -----------------------------------------------------------------------

NOT_WORKBOOK = ("Filen er ikke en Excel-projektmappe (.xlsx). Gem den i Excel som "
                "'Excel-projektmappe (*.xlsx)'.")
SAVE_AS = "Åbn den i Excel eller LibreOffice og gem den som 'Excel-projektmappe (*.xlsx)'."
DAMAGED = ("Filen er beskadiget eller ufuldstændig og kan ikke læses. Åbn den i Excel (der "
           "tilbyder at reparere den), og gem den igen som 'Excel-projektmappe (*.xlsx)', "
           "eller bed om en ny kopi.")
UNSAFE = ("Filen er bygget på en måde, som Excel aldrig selv gør ({}), og som kan bruges til "
          "at overbelaste computeren; den læses derfor ikke. Bed afsenderen gemme den igen i "
          "Excel som 'Excel-projektmappe (*.xlsx)'.")
AMBIGUOUS = "Beløbet '{}' kan læses på flere måder. Skriv fx 50.000 eller 1,5 mio."
NOT_AMOUNT = ("'{}' er ikke et beløb. Skriv et beløb i kroner, fx 50.000 eller 1,5 mio. (0, "
              "hvis der ingen er).")
NEGATIVE = "Beløbet '{}' er negativt. Skriv et beløb på 0 kr. eller mere."
RANGE = ("'{}' er et interval. Skriv ét beløb, fx det forventede beløb, og forklar spændet i "
         "teksten.")
NOT_PERIOD = ("'{}' er ikke en dato eller måned. Skriv fx »marts 2026«, »2026-03« eller "
              "»1.3.2026«.")


def summary(read: int = 0, valid: int = 0, errors: int = 0, warnings: int = 0,
            unusable: int = 0) -> str:
    extras = [f"{errors} fejl"] if errors else []
    if warnings:
        extras.append(f"{warnings} advarsel" if warnings == 1 else f"{warnings} advarsler")
    if unusable:
        extras.append("1 fil kunne ikke bruges" if unusable == 1
                      else f"{unusable} filer kunne ikke bruges")
    text = f"{read} {'række' if read == 1 else 'rækker'} læst: {valid} gyldige, " \
           f"{read - valid} med fejl"
    return text + (f" ({', '.join(extras)})" if extras else "")


def refused(path: Path, message: str, place: str = "") -> list[str]:
    """The two lines for a file that cannot be used at all."""
    return [f"{path}{place}: kan ikke bruges: {message}", summary(unusable=1)]


# --- the corpus --------------------------------------------------------------------------------

def build_corpus(folder: Path, write: bool = True) -> list[Case]:
    """Write every bad input into `folder` and return the cases (write=False: only plan them,
    for listing their names)."""
    cases: list[Case] = []

    def add(name: str, path: Path, make: Callable[[Path], Any] | None, *, exit: int,
            argv: list[str] | None = None, files: list[Path] | None = None,
            **expected: Any) -> Case:
        """A case on `path`, made by make(path) (which may return a note); by default run as
        `valider PATH --ingen-markering`."""
        case = Case(name, [path] if files is None else files,
                    argv or ["valider", str(path), "--ingen-markering"], exit, **expected)
        case.make = (lambda: make(path)) if make else None
        cases.append(case)
        return case

    def refuse(name: str, filename: str, make: Callable[[Path], Any], message: str,
               place: str = "", **extra: Any) -> Case:
        """A file that cannot be used at all: exit 2 and one Danish line."""
        path = folder / filename
        return add(name, path, make, argv=["valider", str(path)], exit=2,
                   lines=refused(path, message, place), **extra)

    def rows_case(name: str, rows: list[dict], found: list[tuple[str, str, str]],
                  change: tuple[str, Callable[[bytes], bytes]] | None = None,
                  **book_args: Any) -> Case:
        """A workbook of `rows` (one part rewritten by `change`), that must give the
        (cell, severity, message) lines in `found`; a case breaks one row at most."""
        path = folder / f"{name}.xlsx"
        errors = sum(1 for _, severity, _ in found if severity == "fejl")
        lines = [f"{path}, Forslag!{cell}: {severity}: {text}" for cell, severity, text in found]

        def make(p: Path) -> None:
            book(p, rows, **book_args)
            if change:
                patch(p, *change)
        return add(name, path, make, exit=1 if errors else 0, lines=lines + [
            summary(len(rows), len(rows) - bool(errors), errors, len(found) - errors)])

    def three(**changes: Any) -> list[dict]:
        return [proposal(1, **changes), proposal(2), proposal(3)]

    # Not a workbook at all
    refuse("tekst-omdøbt-til-xlsx", "tekst.xlsx",
           lambda p: p.write_text("Nr.;Titel\n1;Røgfri skoletid\n", encoding="utf-8"),
           NOT_WORKBOOK)
    refuse("tom-fil", "tom.xlsx", lambda p: p.write_bytes(b""),
           "Filen er tom (0 byte). Den er måske ikke gemt færdig eller ikke hentet fra "
           "OneDrive/SharePoint; gem eller hent den igen.")
    refuse("zip-uden-projektmappe", "pakke.xlsx",
           lambda p: rezip(p, {"hej.txt": b"hej", "billede.png": b"\x89PNG"}), NOT_WORKBOOK)
    refuse("gammel-xls", "gammel.xls",
           lambda p: p.write_bytes(ole({"Workbook": b"\x09\x08\x10\x00\x00\x06\x05\x00"})),
           "Filen er i det gamle Excel-format (.xls). Åbn den i Excel og gem den som "
           "'Excel-projektmappe (*.xlsx)'.")
    refuse("ods", "calc.ods", lambda p: rezip(p, {
        "mimetype": b"application/vnd.oasis.opendocument.spreadsheet",
        "content.xml": b"<office:document-content/>"}),
        f"Filen er en OpenDocument (.ods)-fil, ikke en Excel-projektmappe. {SAVE_AS}")
    refuse("csv", "forslag.csv",
           lambda p: p.write_text("Nr.;Titel\n1;Røgfri skoletid\n", encoding="utf-8"),
           f"Filen er en CSV-fil, ikke en Excel-projektmappe. {SAVE_AS}")
    refuse("html-gemt-som-xls", "eksport.xls", lambda p: p.write_text(
        "<html><body><table><tr><td>Nr.</td><td>Titel</td></tr></table></body></html>"),
        f"Filen er en HTML (webside)-fil, ikke en Excel-projektmappe. {SAVE_AS}")
    refuse("excel-2003-xml", "regneark.xml", lambda p: p.write_text(
        '<?xml version="1.0"?>\n<?mso-application progid="Excel.Sheet"?>\n<Workbook xmlns='
        '"urn:schemas-microsoft-com:office:spreadsheet"></Workbook>'),
        f"Filen er en Excel 2003 XML-fil, ikke en Excel-projektmappe. {SAVE_AS}")
    refuse("adgangskode", "hemmelig.xlsx", encrypted,
           "Filen er beskyttet med adgangskode. Fjern adgangskoden i Excel (Filer > "
           "Oplysninger > Beskyt projektmappe) og gem igen.")
    refuse("afkortet-xlsx", "afkortet.xlsx",
           lambda p: p.write_bytes(book(p).read_bytes()[:3000]), DAMAGED)

    def bad_deflate(path: Path) -> None:
        data = bytearray(book(path).read_bytes())
        start = data.index(SHEET.encode()) + len(SHEET) + 40
        data[start:start + 200] = bytes(200)          # the sheet's compressed bytes, zeroed
        path.write_bytes(bytes(data))
    refuse("ødelagt-ark", "ødelagt.xlsx", bad_deflate, DAMAGED)
    refuse("arkdel-mangler", "uden-arkdel.xlsx",
           lambda p: rezip(p, {k: v for k, v in members(book(p)).items() if k != SHEET}),
           DAMAGED)

    # Hostile packages
    entities = UNSAFE.format("XML-entiteter (DOCTYPE)")
    refuse("billion-laughs-sharedstrings", "latter-strenge.xlsx",
           lambda p: patch(book(p), STRINGS, lambda x: with_doctype(x, billion_laughs(b"sst"))),
           entities, limit=5)
    refuse("billion-laughs-ark", "latter-ark.xlsx",
           lambda p: patch(book(p), SHEET,
                           lambda x: with_doctype(x, billion_laughs(b"worksheet"))),
           entities, limit=5)
    refuse("ekstern-entitet", "xxe.xlsx", lambda p: patch(book(p), STRINGS, lambda x: (
        x.replace(b"?>", b'?>\n<!DOCTYPE sst [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>', 1)
        .replace(b"<t>", b"<t>&xxe;", 1))), entities, limit=5)
    refuse("zip-bombe", "bombe.xlsx", lambda p: raw_zip(p, bomb_parts(book(p), 400, None)),
           "Filen er for stor til at blive læst (400 MB udpakket). En arbejdsgruppes "
           "projektmappe fylder normalt under 1 MB; tjek at det er den rigtige fil.", limit=5)
    refuse("zip-bombe-løgnagtig-størrelse", "bombe-løgn.xlsx",
           lambda p: raw_zip(p, bomb_parts(book(p), 400, 20_000)),
           UNSAFE.format("en pakket del fylder mere udpakket, end filen angiver"), limit=5)

    # Paths that are not files
    missing = folder / "findes-ikke.xlsx"
    add("sti-findes-ikke", missing, None, argv=["valider", str(missing)], files=[], exit=2,
        lines=refused(missing, "Filen findes ikke. Tjek stien og filnavnet."))
    notes = folder / "mappe-uden-xlsx" / "noter.txt"
    add("mappe-uden-xlsx", notes.parent, lambda p: (p.mkdir(exist_ok=True),
                                                    notes.write_text("ikke en projektmappe")),
        argv=["valider", str(notes.parent)], files=[notes], exit=2,
        lines=refused(notes.parent, "Mappen indeholder ingen Excel-projektmapper (.xlsx). Læg "
                                    "arbejdsgruppernes .xlsx-filer i mappen, eller angiv "
                                    "filerne direkte."))
    refuse("ingen-læseret", "ingen-adgang.xlsx",
           lambda p: (p.unlink(missing_ok=True), book(p).chmod(0)),
           "Filen kan ikke læses: du har ikke adgang til den. Bed om adgang, eller kopiér filen "
           "til en mappe, du kan læse.",
           skip="kører som root: chmod 000 forhindrer ikke root i at læse"
           if os.geteuid() == 0 else None)
    refuse("læsefejl", "læsefejl.xlsx",   # a regular file whose reading fails (EIO)
           lambda p: (p.unlink(missing_ok=True), p.symlink_to("/proc/self/mem")),
           "Filen kan ikke læses: der opstod en fejl under læsningen (fejlkode EIO). Kopiér "
           "filen til din egen computer, og prøv igen.", files=[],
           skip=None if Path("/proc/self/mem").exists() else "ingen /proc/self/mem her")
    refuse("pipe-i-stedet-for-fil", "pipe.xlsx", lambda p: p.exists() or os.mkfifo(p),
           "Stien peger ikke på en almindelig fil, men fx på en mappe, en pipe eller en enhed. "
           "Angiv en Excel-projektmappe (.xlsx).", files=[], limit=5)

    # Sheets and headers
    def sheets(*titles: str) -> Callable[[Path], Any]:
        def make(path: Path) -> None:
            workbook = openpyxl.Workbook()
            workbook.active.title = titles[0]
            for title in titles[1:]:
                workbook.create_sheet(title)
            workbook.save(path)
        return make
    no_sheet = ("Arket 'Forslag' findes ikke. Arkene i filen hedder: {}. Omdøb arket med "
                "forslagene til 'Forslag'.")
    refuse("ark-forslag-mangler", "uden-forslag.xlsx", sheets("Arbejdsgruppe", "Noter"),
           no_sheet.format("'Arbejdsgruppe', 'Noter'"))
    refuse("ark-omdøbt-forslag-2", "forslag-2.xlsx", lambda p: book(p, title="Forslag 2"),
           no_sheet.format("'Forslag 2', 'Arbejdsgruppe'"))
    refuse("ark-omdøbt-ark1", "ark1.xlsx", lambda p: book(p, title="Ark1"),
           no_sheet.format("'Ark1', 'Arbejdsgruppe'"))
    refuse("ark-forslag-tomt", "tomt-ark.xlsx", sheets("Forslag", "Arbejdsgruppe"),
           "Overskrifterne blev ikke fundet i de første 10 rækker af arket 'Forslag'. Skriv "
           "overskrifterne ('Nr.', 'Titel', 'Forslagstype' ...) i række 1, som i den tomme "
           "skabelon.", place=", Forslag")
    refuse("obligatorisk-kolonne-mangler", "uden-maalgruppe.xlsx",
           lambda p: book(p, headers=[h if h != "Målgruppe" else None for h in HEADERS]),
           "Den obligatoriske kolonne 'Målgruppe' mangler i arket 'Forslag'. Tilføj den i "
           "overskriftsrækken (række 1).", place=", Forslag")
    refuse("dobbelt-overskrift", "dobbelt.xlsx", lambda p: book(p, headers=HEADERS + ["titel "]),
           "Kolonnen 'Titel' står flere gange (B1 og Y1). Slet den ene.", place=", Forslag")
    path = folder / "kun-overskrifter.xlsx"
    add("kun-overskrifter", path, lambda p: book(p, rows=[]), exit=1, lines=[
        f"{path}, Forslag: fejl: Arket 'Forslag' har overskrifter, men ingen forslag. Udfyld "
        "mindst ét forslag (helst 3-8), én række pr. forslag.", summary(errors=1)])
    rows_case("overskrifter-i-række-3", three(Titel=None), [
        ("B4", "fejl", "'Titel' er tom, men skal udfyldes. Forslagets titel, højst 120 tegn.")],
        offset=2)

    # Rows: merged, hidden, formulas
    merged = ("L3", "fejl", "'Ansvarligt center' er tom, men skal udfyldes (cellen er en del "
                            "af den flettede celle L2:L3). Centret med ansvar for "
                            "koordinationen. Vælg fra listen.")
    rows_case("flettede-celler-over-rækker", three(), [merged],
              edit=lambda sheet: sheet.merge_cells("L2:L3"))
    path = folder / "flettet-markeret.xlsx"
    add("flettede-celler-markeret-kopi", path,
        lambda p: book(p, edit=lambda sheet: sheet.merge_cells("L2:L3")),
        argv=["valider", str(path)], exit=1, lines=[
            f"{path}, Forslag!{merged[0]}: {merged[1]}: {merged[2]}", summary(3, 2, errors=1),
            "Markeret kopi: output/flettet-markeret.xlsx"],
        )

    def hide(sheet: Any) -> None:
        sheet.row_dimensions[3].hidden = True
    rows_case("skjult-række", [proposal(1), proposal(2, Titel=None), proposal(3)], [
        ("B3 (skjult række)", "fejl", "'Titel' er tom, men skal udfyldes. Forslagets titel, "
                                      "højst 120 tegn.")], edit=hide)
    formula = three(**{"Ressourcer opstart (kr.)": "=1000*50"})
    rows_case("formel-uden-gemt-resultat", formula, [
        ("R2", "fejl", "Cellen indeholder en formel (=1000*50) uden gemt resultat. Åbn og gem "
                       "filen i Excel, eller skriv værdien direkte i cellen.")])
    rows_case("formel-med-gemt-resultat", formula, [], change=(SHEET, lambda x: x.replace(
        b"<f>1000*50</f><v></v>", b"<f>1000*50</f><v>50000</v>")))   # as Excel saves it

    # Dates as serial numbers and as text
    for name, value, message in [
        ("dato-som-serienummer", 46082, None),
        ("dato-som-dato", dt.datetime(2026, 3, 1), None),
        ("dato-som-tekst-dag", "1.3.2026", None),
        ("dato-som-tekst-iso", "2026-03", None),
        ("dato-som-tekst-forkortet", "Mar. 2026", None),
        ("dato-umulig", "31.02.2026", NOT_PERIOD.format("31.02.2026")),
        ("dato-tocifret-år", "okt. 26", "Årstallet i 'okt. 26' har kun to cifre. Skriv hele "
                                        "årstallet, fx »okt. 2026«."),
        ("dato-serienummer-for-lille", 12, NOT_PERIOD.format("12")),
    ]:
        rows_case(name, three(Opstart=value), [("P2", "fejl", message)] if message else [])

    # Amounts in every notation
    for n, (typed, problem) in enumerate([
        ("50.000", None), ("50.000 kr.", None), ("kr. 50.000,-", None), ("50.000,-", None),
        ("kr. 50.000", None), ("1,5 mio.", None), ("250 tkr.", None), ("50 000", None),
        ("DKK 50.000", None), ("1.250.000,50", None), ("0", None), (50000.0, None),
        ("1.5", AMBIGUOUS), ("1,500", AMBIGUOUS), ("50,000.00", AMBIGUOUS),
        ("1.5 mio.", AMBIGUOUS), ("50.000.00", AMBIGUOUS),
        ("-5000", NEGATIVE), (-5000, NEGATIVE),
        ("ca. 50.000", NOT_AMOUNT), ("50.000-75.000", RANGE), ("fem tusind", NOT_AMOUNT),
        ("50.000 €", NOT_AMOUNT), ("1e5", NOT_AMOUNT), ("50.000,", NOT_AMOUNT),
    ], start=1):
        shown = str(int(typed)) if isinstance(typed, float) else str(typed)
        case = rows_case(f"beløb-{n:02d}", three(**{"Ressourcer opstart (kr.)": typed}),
                         [("R2", "fejl", problem.format(shown))] if problem else [])
        case.name = f"beløb {typed!r}"

    # Long and strange text. Excel stops at 32,767 characters a cell (openpyxl cuts there
    # too), other tools do not: the text is read whole, and the length rules speak.
    rows_case("celle-med-40000-tegn", three(**{"Resumé (ca. ½ side)": "LANG"}), [
        ("U2", "advarsel", "Resuméet er 40.000 tegn; det skal være ca. en halv side (højst 1.800 "
                           "tegn). Forkort det."),
        ("U2", "advarsel", "Forslagets tekst fylder ca. 15 sider; det må højst fylde 5 sider. "
                           "Forkort teksterne.")],
        change=(STRINGS, lambda x: x.replace(b"<t>LANG</t>",
                                             b"<t>%s</t>" % (b"Ab. " * 9_999 + b"Slut"))))
    rows_case("styretegn-x000B-x0001", three(), [  # one shared string, used in three cells
        (f"O{r}", "advarsel", "Teksten indeholdt usynlige styretegn (U+0001), som ikke kan stå "
                              "i et Word-dokument; de er fjernet. Tjek at teksten ser rigtig ud.")
        for r in (2, 3, 4)],
        change=(STRINGS, lambda x: x.replace(b"<t>Andel unge, der ryger",
                                             b"<t>Andel unge,_x000B_der_x0001_ ryger", 1)))

    # Size
    for name, dimension in (("100000-rækker", True), ("100000-rækker-uden-dimension", False)):
        refuse(name, f"{name}.xlsx",
               lambda p, d=dimension: patch(book(p), SHEET, many_rows(100_000, d)),
               "Arket 'Forslag' har 100.000 rækker; der læses højst 50.000. Tjek at det er den "
               "rigtige fil.", place=", Forslag", limit=5)

    # Outputs that cannot be written
    blocker = folder / "en-fil.txt"
    marked = folder / "til-markering.xlsx"

    def with_blocker(path: Path) -> None:
        blocker.write_text("en almindelig fil, ikke en mappe")
        book(path, three(Titel=None))
    marks = blocker / "markeret"
    add("marker-mappe-under-en-fil", marked, with_blocker,
        argv=["valider", str(marked), "--marker", str(marks)], files=[marked, blocker], exit=2,
        contains=[f"{marked}, Forslag!B2: fejl: 'Titel' er tom", summary(3, 2, errors=1),
                  f"Fejl: Mappen '{marks}' kan ikke skrives i: ", "--marker"])
    add("skabelon-ud-under-en-fil", blocker, lambda p: with_blocker(marked),
        argv=["skabelon", "--ud", str(blocker / "skabelon.xlsx")], exit=2,
        contains=[f"Fejl: Mappen '{blocker}' kan ikke skrives i: ", "--ud"])
    locked = folder / "låst-skabelon.xlsx"
    add("skabelon-ud-fil-låst", locked, lambda p: p.write_bytes(b"den gamle skabelon"),
        argv=["skabelon", "--ud", str(locked), "--overskriv"], exit=2, lock=locked,
        lines=[f"Fejl: Filen '{locked}' kan ikke overskrives; den er måske åben i Word eller "
               "Excel. Luk den og prøv igen."],
        skip=None if shutil.which("chattr") else "chattr findes ikke: kan ikke låse en fil her")
    busy = folder / "optaget" / "til-markering-markeret.xlsx"
    add("marker-fil-optaget", marked, lambda p: (with_blocker(p), busy.mkdir(parents=True,
                                                                          exist_ok=True)),
        argv=["valider", str(marked), "--marker", str(busy.parent)], exit=2,
        contains=[f"Fejl: Filen '{busy}' kunne ikke skrives: der ligger en mappe med filens "
                  "navn."])  # the real cause (issue 17.3), not "måske åben i Word"

    # Issue 12 item 9: a 100,000-row workbook with every column filled, as Excel saves it
    # (shared strings), was refused only after 45 s. Rows are counted as the sheet streams.
    def full_rows(count: int) -> Callable[[bytes], bytes]:
        def change(xml: bytes) -> bytes:
            start = xml.index(b'<row r="2"')
            end = xml.index(b"</row>", start) + len(b"</row>")
            row = xml[start:end]
            rows = b"".join(re.sub(rb'(r="[A-Z]*)2"', b'\\g<1>%d"' % r, row)
                            for r in range(2, count + 2))
            xml = xml[:start] + rows + xml[xml.index(b"</sheetData>"):]
            return re.sub(rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1:X%d"/>'
                          % (count + 1), xml)
        return change
    refuse("100000-rækker-alle-kolonner", "100000-fulde-rækker.xlsx",
           lambda p: patch(book(p, [proposal(1)]), SHEET, full_rows(100_000)),
           "Arket 'Forslag' har 100.000 rækker; der læses højst 50.000. Tjek at det er den "
           "rigtige fil.", place=", Forslag", limit=8)


    # --- issue 12: safe by construction ------------------------------------------------------
    # 12.1 A template that would run a shell command is refused before anything is read.
    attack = "{{ cycler.__init__.__globals__.os.popen('touch /tmp/sagsgenerator-angreb').read() }}"
    own = folder / "farlige-skabeloner"
    def dangerous_templates(p: Path) -> None:
        book(p, three())
        own.mkdir(parents=True, exist_ok=True)
        source = ROOT / "templates" / "docx" / "sagsfremstilling.docx"
        with zipfile.ZipFile(source) as old, zipfile.ZipFile(own / source.name, "w") as new:
            for info in old.infolist():
                data = old.read(info.filename)
                if info.filename == "word/document.xml":
                    data = data.replace(b"{{ p.title }}", attack.encode(), 1)
                new.writestr(info, data)
    sandboxed = folder / "til-farlig-skabelon.xlsx"
    add("skabelon-kører-kommando", sandboxed, dangerous_templates, exit=2,
        argv=["generer", str(sandboxed), "--skabeloner", str(own), "--ud",
              str(folder / "ud-farlig"), "--uden-register"],
        contains=["er ikke tilladt i en skabelon", f"Fejl: Skabelonerne i '{own}' har fejl."])

    # 12.2 An output never replaces an input: generer handleplan.xlsx --ud <its own folder>.
    own_plan = folder / "plan" / "handleplan.xlsx"
    add("uddata-over-inddata", own_plan,
        lambda p: (p.parent.mkdir(parents=True, exist_ok=True), book(p, three())),
        exit=2, argv=["generer", str(own_plan), "--ud", str(own_plan.parent), "--uden-register"],
        contains=[f"Fejl: '{own_plan}' er en af de filer, der læses, og bliver ikke "
                  "overskrevet. Vælg en anden mappe til det, der skrives (--ud eller --marker)."])

    # 12.6 The official full name of a centre is the centre.
    official = folder / "officielt-centernavn.xlsx"
    add("officielt-centernavn", official,
        lambda p: book(p, [proposal(1, **{"Ansvarligt center": "Center for Dagtilbud og Skoler"}),
                           proposal(2, **{"Ansvarligt center": "centret for  kultur og fritid"}),
                           proposal(3)]),
        exit=0, lines=[summary(3, 3)])

    # 12.7 Configuration values that crashed: each a Danish line naming the key, exit 2.
    def config_case(name: str, toml: str | Callable[[Path], str], message: str) -> None:
        target = folder / f"{name}.xlsx"
        config = folder / f"{name}.toml"
        def make(p: Path) -> None:
            book(p, three())
            config.write_text(toml(folder) if callable(toml) else toml, encoding="utf-8")
        add(name, target, make, exit=2,
            argv=["valider", str(target), "--ingen-markering", "--konfig", str(config)],
            files=[target, config], contains=[message])
    config_case("konfig-sagsnummer-python", '[kommune]\nsagsnummer = "{nr.__class__.__mro__}"\n',
                "nøglen 'kommune.sagsnummer' kan ikke bruges: feltet »{nr.__class__.__mro__}« "
                "kendes ikke")
    config_case("konfig-sagsnummer-bredde", '[kommune]\nsagsnummer = "{nr:099999999d}"\n',
                "nøglen 'kommune.sagsnummer' kan ikke bruges: formatet »{nr:099999999d}« er "
                "ikke tilladt")
    config_case("konfig-langt-navn", '[kommune]\nnavn = "' + "K" * 200_000 + '"\n',
                "nøglen 'kommune.navn' er 200.000 tegn lang; højst 200 tegn.")
    config_case("konfig-dybe-lister", "[lister]\ncentre = " + "[" * 5000 + "]" * 5000 + "\n",
                "lister eller tabeller er lagt for dybt inden i hinanden")
    def logo(data: bytes, name: str) -> Callable[[Path], str]:
        def write(where: Path) -> str:
            (where / name).write_bytes(data)
            return f'[kommune]\nlogo = "{name}"\n'
        return write
    config_case("konfig-logo-tilfaeldige-bytes", logo(bytes(range(256)) * 40, "støj.png"),
                "nøglen 'kommune.logo' peger på 'støj.png', som ikke er et billede")
    config_case("konfig-logo-falsk-png", logo(b"\x89PNG\r\n\x1a\n" + b"\0" * 100, "falsk.png"),
                "nøglen 'kommune.logo' peger på 'falsk.png', som ikke er et billede")

    if write:
        folder.mkdir(parents=True, exist_ok=True)
        for case in cases:
            if case.make and not case.skip:
                note = case.make()
                case.note = note if isinstance(note, str) else ""
    return cases


def main() -> None:
    folder = Path(sys.argv[1] if len(sys.argv) > 1 else "korpus")
    for case in build_corpus(folder):
        state = (f"  [springes over: {case.skip}]" if case.skip
                 else f"  [afventer: {case.pending}]" if case.pending else "")
        print(f"{case.name:38} exit {case.exit}{state}{'  ' + case.note if case.note else ''}")


if __name__ == "__main__":
    main()
