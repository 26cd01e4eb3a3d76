"""Hypothesis strategies for intake rows, and the test's own model of what the product does
to cell text (an oracle written from the intake standard, not from the product's code).

What a user types (a Python str, any code points) reaches the documents like this:

1. Excel stores it: characters XML 1.0 cannot hold (C0 controls except tab and line feed,
   carriage return, U+FFFE, U+FFFF, lone surrogates) as `_xHHHH_`; a literal `_x` followed
   by four hex digits gets its underscore escaped as `_x005F_`. `excel_text` does the same,
   so that openpyxl can write the cell (it refuses raw control characters).
2. The product reads it (`normalise`): `_xHHHH_` decoded; a surrogate pair becomes one
   character; CR LF, CR and VT (Excel's Alt+Enter in some exports) become LF; the remaining
   XML-illegal characters are removed and reported ("control-removed", listing them as
   'U+0001' in order of first appearance); then leading and trailing whitespace is
   stripped (Python's str.strip: every Unicode White_Space character, e.g. NBSP, U+2028,
   U+3000, but not U+200B ZERO WIDTH SPACE or U+FEFF).
3. Nothing else changes: no Unicode normalisation, no case change, no collapsing of inner
   blanks. A "lines" cell (Målindikatorer) is split at LF, each line stripped, empty
   lines dropped. In Word a LF is a line break `<w:br/>` and a tab a `<w:tab/>`, which
   python-docx's paragraph.text shows as "\\n" and "\\t" again.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from hypothesis import strategies as st

from sagsgenerator.config import DEFAULT_CONFIG

# --- the oracle ---------------------------------------------------------------------------------

XML_ILLEGAL = re.compile("[\x00-\x08\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
# What Excel writes as _xHHHH_: XML-illegal characters and CR (a raw CR is read back as LF by
# any XML parser, so Excel escapes it).
EXCEL_ESCAPED = re.compile("[\x00-\x08\x0b-\x1f\ufffe\uffff\ud800-\udfff]")
LITERAL_ESCAPE = re.compile(r"_(?=x[0-9A-Fa-f]{4})")


def excel_text(typed: str) -> str:
    """The cell text as an .xlsx file holds it (ECMA-376 ST_Xstring escaping)."""
    return re.sub(f"{LITERAL_ESCAPE.pattern}|{EXCEL_ESCAPED.pattern}",
                  lambda m: "_x005F_" if m.group(0) == "_" else f"_x{ord(m.group(0)):04X}_",
                  typed)


def normalise(typed: str) -> tuple[str, list[str]]:
    """The text as it must appear in the documents, and the characters reported as removed."""
    text = typed.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "surrogatepass")
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x0b", "\n")
    removed = list(dict.fromkeys(f"U+{ord(c):04X}" for c in XML_ILLEGAL.findall(text)))
    return XML_ILLEGAL.sub("", text).strip(), removed


def lines(text: str) -> list[str]:
    return [line.strip() for line in text.split("\n") if line.strip()]


def squash(text: str) -> str:
    """How the product compares titles for duplicates: blanks folded, case ignored."""
    return " ".join(text.split()).casefold()


MONTHS = ["januar", "februar", "marts", "april", "maj", "juni", "juli", "august", "september",
          "oktober", "november", "december"]
ABBREVIATIONS = ["jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov",
                 "dec"]


def danish_period(year: int, month: int, day: int | None) -> str:
    """'marts 2026' or '14. december 2023'."""
    return f"{day}. {MONTHS[month - 1]} {year}" if day else f"{MONTHS[month - 1]} {year}"


def danish_amount(value: Decimal) -> str:
    """'1.250.000 kr.' or '1.250,50 kr.'."""
    value = value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    whole, cents = divmod(int(value * 100), 100)
    text = f"{whole:,}".replace(",", ".")
    return f"{text} kr." if cents == 0 else f"{text},{cents:02d} kr."


# --- text ---------------------------------------------------------------------------------------

NASTY = [
    # template syntax (Jinja and docxtpl's escaped forms)
    "{{", "}}", "{%", "%}", "{#", "#}", "{{ p.title }}", "{% if x %}", "{%p endfor %}",
    "{%tr for x in y %}", "{{ 7*7 }}", "{_{", "}_}", "{_%", "%_}", "{_", "_{", "}_", "_}",
    "%_", "_%", "{_{_%", "}_}_}",
    # XML and Word markup
    "&", "<", ">", '"', "'", "]]>", "<![CDATA[", "&amp;", "&#0;", "<w:t>", "</w:t>",
    "<w:p>", "<w:br/>", "\n<w:p ", "<?xml ?>",
    # formula-like
    "=", "=SUM(A1:A3)", "=HYPERLINK(\"http://x\";\"klik\")", "+45 12 34", "-1", "@SUM(1)",
    "=1+1",
    # blanks and breaks
    " ", "  ", "\n", "\n\n", "\t", "\r\n", "\r", "\x0b", "\u00a0", "\u202f", "\u2028",
    "\u2029", "\u3000", "\u200b", "\ufeff", "\x85",
    # control characters and what Excel escapes
    "\x00", "\x01", "\x07", "\x08", "\x0c", "\x1b", "\x1f", "\x7f", "\x9f", "\ufffe",
    "\uffff", "\ud800", "\udfff", "\ud83d", "\ude00", "_x0041_", "_x005F_", "_x000D_", "_x",
    # scripts, marks, emoji
    "æøå ÆØÅ", "Ærø", "e\u0301", "\u0301", "a\u0308\u0304", "Z\u0351\u0360\u0322",
    "مرحبا بالعالم", "שלום", "\u202e", "\u202d", "\u200f", "\u200e", "\u2067", "中文",
    "日本語", "한국어", "Ελληνικά", "кириллица", "😀", "👩\u200d👩\u200d👧", "🇩🇰", "🏳️\u200d🌈",
    "1\ufe0f\u20e3", "\U0001d538", "\U0010fffd", "\ufdd0",
]

characters = st.characters(exclude_categories=("Cs",))  # surrogates come from NASTY
fragment = st.one_of(st.text(characters, min_size=1, max_size=8), st.sampled_from(NASTY))


@st.composite
def typed_text(draw: st.DrawFn, max_fragments: int = 8, max_length: int | None = None,
               required: bool = True) -> str:
    """Text as a user might type or paste it; never empty after normalisation when
    required; at most max_length characters after normalisation."""
    text = "".join(draw(st.lists(fragment, max_size=max_fragments)))
    if draw(st.integers(0, 9)) == 0:  # what a spreadsheet would take for a formula
        text = draw(st.sampled_from(["=", "+", "-", "@", "=SUM(A1:A2)", "=1+1 "])) + text
    if max_length is not None:
        while len(normalise(text)[0]) > max_length:
            text = text[:len(text) * 3 // 4]
    if required and not normalise(text)[0]:
        text += draw(st.sampled_from(["x", "Æ", "😀", "{{", "=", "&"]))
    return text


# --- typed values -------------------------------------------------------------------------------

@st.composite
def choice(draw: st.DrawFn, values: tuple[str, ...]) -> tuple[str, str]:
    """(cell text, canonical value): a configured choice in another case, with blanks."""
    value = draw(st.sampled_from(values))
    typed = draw(st.sampled_from([value, value.upper(), value.lower(), value.casefold()]))
    if draw(st.booleans()):
        typed = " " + typed.replace(" ", "  ") + " \u00a0"
    return typed, value


@st.composite
def amount(draw: st.DrawFn) -> tuple[Any, Decimal]:
    """(cell value, kroner): numbers and the Danish ways of writing an amount."""
    kroner = draw(st.one_of(st.integers(0, 10**10), st.integers(0, 10**8).map(
        lambda c: Decimal(c) / 100)))
    kroner = Decimal(kroner)
    whole = int(kroner)
    cents = int((kroner - whole) * 100)
    grouped = f"{whole:,}".replace(",", ".")
    decimal = f"{grouped},{cents:02d}"
    forms: list[Any] = [float(kroner)]
    if cents == 0:
        forms += [whole, str(whole), grouped, f"{grouped} kr.", f"kr. {grouped},-",
                  f"{grouped},-", f"DKK {grouped}", f"{f'{whole:,}'.replace(',', ' ')} kr."]
        if whole % 100_000 == 0 and whole:
            millions = Decimal(whole) / 1_000_000
            text = f"{millions:f}".replace(".", ",")
            forms += [f"{text} mio.", f"{text} mio. kr."]
        if whole % 1000 == 0 and whole:
            forms.append(f"{whole // 1000} tkr.")
    else:
        forms += [decimal, f"{decimal} kr.", f"kr. {decimal}"]
    return draw(st.sampled_from(forms)), kroner


@st.composite
def period(draw: st.DrawFn, low: dt.date = dt.date(1990, 1, 1),
           high: dt.date = dt.date(2100, 12, 31)) -> tuple[Any, tuple[int, int, int | None]]:
    """(cell value, (year, month, day or None)): Excel dates and Danish month/date text."""
    day = draw(st.dates(low, high))
    y, m, d = day.year, day.month, day.day
    month_forms = [f"{y}-{m:02d}", f"{MONTHS[m - 1]} {y}", f"{MONTHS[m - 1].capitalize()} {y}",
                   f"{ABBREVIATIONS[m - 1]}. {y}", f"{ABBREVIATIONS[m - 1].capitalize()}. {y}",
                   f"{m}/{y}", f"{m:02d}.{y}"]
    day_forms: list[Any] = [day, dt.datetime(y, m, d, draw(st.integers(0, 23)), 30),
                            day.isoformat(), f"{d}.{m}.{y}", f"{d}/{m}-{y}",
                            f"{d}. {MONTHS[m - 1]} {y}", f"{d:02d}-{m:02d}-{y}"]
    if draw(st.booleans()):
        return draw(st.sampled_from(month_forms)), (y, m, None)
    return draw(st.sampled_from(day_forms)), (y, m, d)


def first_day(when: tuple[int, int, int | None]) -> dt.date:
    return dt.date(when[0], when[1], when[2] or 1)


def last_day(when: tuple[int, int, int | None]) -> dt.date:
    y, m, d = when
    if d:
        return dt.date(y, m, d)
    following = dt.date(y + (m == 12), m % 12 + 1, 1)
    return following - dt.timedelta(days=1)


@st.composite
def whole_number(draw: st.DrawFn, low: int, high: int) -> tuple[Any, int]:
    n = draw(st.integers(low, high))
    return draw(st.sampled_from([n, float(n), str(n), f"{n}.", f" {n} "])), n


# --- rows ---------------------------------------------------------------------------------------

FREE_TEXT = {  # header -> (model field, required)
    "Titel": "title", "Indsatsområde": "area", "Mål": "goal",
    "Formål og forventet effekt": "purpose", "Målgruppe": "target_group",
    "Problemets omfang": "problem_size", "Indhold og rammer": "content",
    "Udførende og samarbejdspartnere": "partners", "Monitorering og evaluering": "monitoring",
    "Resumé (ca. ½ side)": "summary", "Projektejer": "owner",
}
OPTIONAL = {"Udførende og samarbejdspartnere", "Projektejer"}
LONG = {"Formål og forventet effekt", "Indhold og rammer", "Resumé (ca. ½ side)"}
C = DEFAULT_CONFIG


@st.composite
def proposal_row(draw: st.DrawFn, number: int) -> tuple[dict[str, Any], dict[str, Any]]:
    """(row by header as the workbook holds it, what the documents must show). The row is
    valid by the intake standard, except that a date in the free follow-up text may lie
    before Opstart (`expected['followup_date_free']` says so; the test decides)."""
    row: dict[str, Any] = {}
    want: dict[str, Any] = {"removed": {}}

    def text(header: str, typed: str) -> str:
        row[header] = excel_text(typed)
        value, removed = normalise(typed)
        if removed:
            want["removed"][header] = ", ".join(removed)
        return value

    for header, field in FREE_TEXT.items():
        optional = header in OPTIONAL
        if optional and draw(st.booleans()):
            if draw(st.booleans()):  # a blank or whitespace-only cell
                row[header] = draw(st.sampled_from(["", " ", "\n", "\u00a0\t"]))
            want[field] = None
            continue
        typed = draw(typed_text(max_fragments=24 if header in LONG else 8,
                                max_length=120 if header == "Titel" else None))
        want[field] = text(header, typed) or None
    # Målindikatorer: one a line; at least one non-empty line
    typed = "\n".join(draw(st.lists(typed_text(max_fragments=4), min_size=1, max_size=4)))
    typed = draw(st.sampled_from([typed, typed.replace("\n", "\r\n"), typed + "\n\n"]))
    want["indicators"] = lines(text("Målindikatorer", typed))

    row["Nr."], want["number"] = draw(whole_number(number, number))
    kind_cell, want["kind"] = draw(choice(C.proposal_kinds))
    row["Forslagstype"] = kind_cell
    if want["kind"] == "Handlingsforslag" or draw(st.booleans()):
        row["Forebyggelsespakke"], want["package"] = draw(choice(C.prevention_packages))
    else:
        want["package"] = None
    if draw(st.booleans()):
        row["Tema"], want["theme"] = draw(choice(C.theme_names))
    else:
        want["theme"] = None
    row["Ansvarligt center"], want["centre"] = draw(choice(C.centres))
    row["Finansiering"], want["financing"] = draw(choice(C.financing_types))
    if draw(st.booleans()):
        row["Status"], want["status"] = draw(choice(C.statuses))
    else:
        want["status"] = "Forslag"
    row["Ressourcer opstart (kr.)"], want["cost_start"] = draw(amount())
    row["Ressourcer drift pr. år (kr.)"], want["cost_yearly"] = draw(amount())
    if draw(st.booleans()):
        row["Prioritet"], want["priority"] = draw(whole_number(1, 10**6))
    else:
        want["priority"] = None

    start = None
    if draw(st.booleans()):
        row["Opstart"], start = draw(period())
    want["start"] = danish_period(*start) if start else None
    want["followup_date_free"] = False
    how = draw(st.sampled_from(["none", "dated", "free"]))
    if how == "dated":  # words around a month or date on or after Opstart
        low = first_day(start) if start else dt.date(1990, 1, 1)
        cell, when = draw(period(low=max(low, dt.date(1990, 1, 1))))
        if not isinstance(cell, str):
            cell = danish_period(*when)
        before = draw(st.sampled_from(["", "Slut-evaluering ", "Årsrapport ", "Midtvejs: "]))
        after = draw(st.sampled_from(["", " (endelig)", "."]))
        want["follow_up"] = text("Opfølgning", f"{before}{cell}{after}")
    elif how == "free":
        want["follow_up"] = text("Opfølgning", draw(typed_text()))
        want["followup_date_free"] = start is not None
    else:
        want["follow_up"] = None
    want["start_period"] = start
    return row, want


@st.composite
def group_sheet(draw: st.DrawFn) -> tuple[dict[str, Any], dict[str, Any]]:
    """(Arbejdsgruppe sheet by label, what the documents must show); always valid."""
    sheet: dict[str, Any] = {}
    want: dict[str, Any] = {"removed": {}}
    for label, field in (("Arbejdsgruppe", "name"), ("Tovholder", "coordinator")):
        typed = draw(typed_text(max_fragments=6))
        sheet[label] = excel_text(typed)
        want[field], removed = normalise(typed)
        if removed:
            want["removed"][label] = ", ".join(removed)
    sheet["Fokusområde"], want["focus_area"] = draw(choice(C.focus_areas))
    sheet["Udvalg"], want["committee"] = draw(choice(C.committees))
    sheet["E-mail"] = draw(st.sampled_from([None, "mette.hansen@kommune.dk", " a.b@c.dk "]))
    sheet["Dato"] = draw(st.sampled_from([None, dt.date(2026, 1, 15), "15-01-2026",
                                          "januar 2026"]))
    return sheet, want


# --- anything at all, for row reconciliation ----------------------------------------------------

any_value = st.one_of(
    st.none(),
    typed_text(max_fragments=4, required=False).map(excel_text),
    st.integers(-10**6, 10**12),
    st.floats(allow_nan=False, allow_infinity=False, width=64),
    st.dates(dt.date(1900, 1, 1), dt.date(9999, 12, 31)),
    st.sampled_from(["", " ", "50.000", "1,500", "1.5", "50.000-75.000", "-5", "2026-02-31",
                     "marts 26", "13/2026", "Handlingsforslag", "Tobak", "Forslag",
                     "Udviklingsforslag", "Inden for eget budget", "Børn og Forebyggelse",
                     "=SUM(A1)", "0", "1000", "#REF!", "TRUE"]),
)
