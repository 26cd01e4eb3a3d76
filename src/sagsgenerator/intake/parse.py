"""Parse what working groups type into Excel: Danish amounts, months, dates and whole numbers."""

from __future__ import annotations

import datetime as dt
import math
import re
from decimal import Decimal

from sagsgenerator.danish import Period


class ParseError(ValueError):
    """A cell value that cannot be read; `code` picks the Danish message, `params` fill it."""

    def __init__(self, code: str, **params: str) -> None:
        super().__init__(f"{code}: {params}")
        self.code = code
        self.params: dict[str, str] = params


def _typed(value: object) -> str:
    """The value as the user typed it, for messages."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


# --- amounts -----------------------------------------------------------------

_MULTIPLIERS = {"mio": 1_000_000, "mill": 1_000_000, "million": 1_000_000,
                "millioner": 1_000_000, "tkr": 1_000}
_AMOUNT = re.compile(
    r"""(?:(?:kr\.?|dkk)\s*)?                     # kr. 50.000 / DKK 50.000
        (?P<number>\d[\d.,\x20]*?)                # digits and separators, checked below
        \s*(?:,-)?                                # 50.000,-
        \s*(?P<unit>mio|mill|millioner|million|t\.?\s?kr)?\.?
        \s*(?:kr\.?|dkk)?\s*(?:,-)?""",
    re.VERBOSE | re.IGNORECASE,
)
_DOT_GROUPED = re.compile(r"\d{1,3}(?:\.\d{3})+")
_SPACE_GROUPED = re.compile(r"\d{1,3}(?: \d{3})+")


def _normalised(amount: Decimal) -> Decimal:
    """Whole amounts as Decimal('50000'), others without trailing zeros."""
    return Decimal(int(amount)) if amount == amount.to_integral_value() else amount.normalize()


def _checked(amount: Decimal, typed: str) -> Decimal:
    if not amount.is_finite():
        raise ParseError("amount-invalid", value=typed)
    if amount < 0:
        raise ParseError("amount-negative", value=typed)
    if amount.normalize().as_tuple().exponent < -2:  # a fraction of an øre
        raise ParseError("amount-invalid", value=typed)
    return _normalised(amount)


def _danish_number(number: str, typed: str, has_unit: bool) -> Decimal:
    """'1.250.000', '50 000', '1.250,50' -> Decimal; English-looking forms are ambiguous."""
    whole, comma, decimals = number.partition(",")
    if "," in decimals or "." in decimals:  # 1,000,000 / 1,250.50
        raise ParseError("amount-ambiguous", value=typed)
    if comma and not decimals:
        raise ParseError("amount-invalid", value=typed)
    if "." in whole and not _DOT_GROUPED.fullmatch(whole):  # 1.5, 50.000.00, 12.34.567
        raise ParseError("amount-ambiguous", value=typed)
    if " " in whole and not _SPACE_GROUPED.fullmatch(whole):
        raise ParseError("amount-invalid", value=typed)
    # "1,500" is 1,5 in Danish but 1500 in English; with "mio." it can only be Danish.
    if len(decimals) == 3 and not has_unit:
        raise ParseError("amount-ambiguous", value=typed)
    digits = whole.replace(".", "").replace(" ", "")
    return Decimal(f"{digits}.{decimals or 0}")


# "50.000-75.000", "50.000 – 75.000 kr.": an interval where one amount is wanted.
_RANGE = re.compile(r"\d\s*[-\u2013\u2014]\s*\d|\d\s+til\s+\d", re.I)


def parse_amount(value: object) -> Decimal | None:
    """Kroner from a number or Danish text ('50.000 kr.', '1,5 mio.', '250 tkr.'); None if blank."""
    if _is_blank(value):
        return None
    typed = _typed(value)
    if isinstance(value, bool):
        raise ParseError("amount-invalid", value=typed)
    if isinstance(value, int | Decimal):
        return _checked(Decimal(value), typed)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ParseError("amount-invalid", value=typed)
        return _checked(Decimal(str(round(value, 2))), typed)  # drop float noise (0.1 + 0.2)
    if not isinstance(value, str):
        raise ParseError("amount-invalid", value=typed)
    text = re.sub(r"\s+", " ", typed.replace("\u00a0", " ").replace("\u202f", " "))
    negative = text[:1] in "-\u2212"
    match = _AMOUNT.fullmatch(text.lstrip("-\u2212 "))
    if not match:
        if _RANGE.search(text):
            raise ParseError("amount-range", value=typed)
        raise ParseError("amount-invalid", value=typed)
    unit = match["unit"]
    multiplier = _MULTIPLIERS[re.sub(r"[.\s]", "", unit.lower())] if unit else 1
    amount = _danish_number(match["number"].strip(), typed, unit is not None) * multiplier
    return _checked(-amount if negative else amount, typed)


# --- periods -----------------------------------------------------------------

# One table for parsing: Danish names and abbreviations, plus English ones that
# cannot be mistaken for anything else (may, oct).
_MONTHS = {
    name: number
    for number, names in enumerate(
        ["januar jan", "februar feb", "marts mar", "april apr", "maj may", "juni jun",
         "juli jul", "august aug", "september sep sept", "oktober okt oct",
         "november nov", "december dec"],
        start=1,
    )
    for name in names.split()
}
_MONTH_NAMES = "|".join(sorted(_MONTHS, key=len, reverse=True))
_YEAR = r"(?P<y>\d{4}|\d{2})(?!\d)"
_PERIOD_PATTERNS = [
    re.compile(p, re.IGNORECASE)
    for p in (
        r"(?<![\d./-])(?P<y>\d{4})-(?P<m>\d{1,2})(?:-(?P<d>\d{1,2}))?(?![\d-])",  # 2026-03(-15)
        rf"(?<![\d./-])(?P<d>\d{{1,2}})[./-](?P<m>\d{{1,2}})(?:[./-]\s*|\s+){_YEAR}",  # 1/10-2018
        rf"(?<!\w)(?:(?P<d>\d{{1,2}})\.?\s*)?(?P<name>{_MONTH_NAMES})\.?\s*{_YEAR}",  # 15. marts 2026
        r"(?<![\d./-])(?P<m>\d{1,2})[./-](?P<y>\d{4})(?!\d)",  # 3/2026
    )
]
_FIRST_YEAR, _LAST_YEAR = 1990, 2100
_FIRST_SERIAL, _LAST_SERIAL = 20000, 80000  # 1954-10-03 .. 2119-01-11
EXCEL_EPOCH = dt.date(1899, 12, 30)


def _period(match: re.Match[str], typed: str) -> Period:
    """Period from a match of one of _PERIOD_PATTERNS."""
    if len(match["y"]) == 2:
        raise ParseError("period-two-digit-year", value=typed)
    fields = match.groupdict()
    month = _MONTHS[fields["name"].lower()] if fields.get("name") else int(fields["m"])
    day = int(fields["d"]) if fields.get("d") else None
    return _checked_period(int(match["y"]), month, day, typed)


def _checked_period(year: int, month: int, day: int | None, typed: str) -> Period:
    if not _FIRST_YEAR <= year <= _LAST_YEAR:
        raise ParseError("period-invalid", value=typed)
    try:
        return Period(year, month, day)
    except ValueError:  # 31.02.2026, 13/2026
        raise ParseError("period-invalid", value=typed) from None


def parse_period(value: object) -> Period | None:
    """A month or day from an Excel date, a serial number or Danish text; None if blank."""
    if _is_blank(value):
        return None
    typed = _typed(value)
    if isinstance(value, dt.date):  # datetime.datetime included
        return _checked_period(value.year, value.month, value.day, typed)
    if isinstance(value, int | float) and not isinstance(value, bool):
        if float(value).is_integer() and _FIRST_SERIAL <= value <= _LAST_SERIAL:
            # A whole serial number past Excel's 1900 leap-year bug: days since 1899-12-30.
            d = EXCEL_EPOCH + dt.timedelta(days=int(value))
            return _checked_period(d.year, d.month, d.day, typed)
        raise ParseError("period-invalid", value=typed)
    if not isinstance(value, str):
        raise ParseError("period-invalid", value=typed)
    text = re.sub(r"\s+", " ", typed).rstrip(".")
    for pattern in _PERIOD_PATTERNS:
        if match := pattern.fullmatch(text):
            return _period(match, typed)
    raise ParseError("period-invalid", value=typed)


def find_period(text: str) -> Period | None:
    """The first usable date or month inside free text ('Slut-evaluering april 2018'), else None."""
    if _is_blank(text):
        return None
    found: list[tuple[int, int, Period]] = []
    for rank, pattern in enumerate(_PERIOD_PATTERNS):
        for match in pattern.finditer(text):
            try:
                found.append((match.start(), rank, _period(match, text)))
                break
            except ParseError:  # two-digit year or impossible date: look further
                continue
    return min(found)[2] if found else None


# --- whole numbers -----------------------------------------------------------

_WHOLE = re.compile(r"[-+]?\d+\.?")


def parse_whole_number(value: object) -> int | None:
    """A whole number such as a priority: 7, 7.0, '7', '7.'; None if blank."""
    if _is_blank(value):
        return None
    typed = _typed(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, float | Decimal) and math.isfinite(value) and value == int(value):
        return int(value)
    if isinstance(value, str) and _WHOLE.fullmatch(typed):
        return int(typed.rstrip("."))
    raise ParseError("number-not-whole", value=typed)
