"""Danish values and formats: periods (a month or a day), amounts, dates and sorting."""

from __future__ import annotations

import calendar
import difflib
import datetime as dt
import functools
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, localcontext

from babel.dates import format_date as _babel_format_date
from babel.numbers import format_decimal

LOCALE = "da_DK"


@dataclass(frozen=True, order=True)
class Period:
    """A month, or a single day when `day` is set ("marts 2026", "14. december 2023")."""

    year: int
    month: int
    day: int | None = None

    def __post_init__(self) -> None:
        dt.date(self.year, self.month, self.day or 1)  # ValueError for 2026-02-31, month 13 ...

    def __str__(self) -> str:
        return self.danish

    @property
    def first_day(self) -> dt.date:
        return dt.date(self.year, self.month, self.day or 1)

    @property
    def last_day(self) -> dt.date:
        """The day itself, or the last day of the month for a month."""
        if self.day is not None:
            return self.first_day
        return dt.date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])

    @property
    def danish(self) -> str:
        """'marts 2026' or '14. december 2023'."""
        if self.day is None:
            return format_month(self.year, self.month)
        return format_date(self.first_day)

    @property
    def iso(self) -> str:
        """'2026-03' or '2026-03-14'."""
        if self.day is None:
            return f"{self.year:04d}-{self.month:02d}"
        return self.first_day.isoformat()


@functools.lru_cache(maxsize=4096)
def format_amount(value: Decimal | int | float | None) -> str:
    """Kroner the Danish way: '1.250.000 kr.', '1.250,50 kr.'; '' for None. Cached: a
    batch formats the same few amounts thousands of times (equal values, as 1, 1.0 and
    Decimal('1.00'), give the same text)."""
    if value is None:
        return ""
    amount = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
    with localcontext() as context:   # a very large amount keeps its øre (no overflow)
        context.prec = max(28, amount.adjusted() + 6)
        return _format_kroner(amount.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


@functools.lru_cache(maxsize=4096)
def _format_kroner(amount: Decimal) -> str:
    # Cached: a batch repeats the same few amounts thousands of times, and Babel's
    # pattern formatting is the slowest step of building a document's context.
    pattern = "#,##0" if amount == amount.to_integral_value() else "#,##0.00"
    return f"{format_decimal(amount, format=pattern, locale=LOCALE)} kr."


def format_count(n: int) -> str:
    """'40.000': a whole number with Danish thousands dots."""
    return f"{n:,}".replace(",", ".")


@functools.lru_cache(maxsize=4096)
def format_date(d: dt.date) -> str:
    """'14. december 2023'."""
    return _babel_format_date(d, "d. MMMM y", locale=LOCALE)


@functools.lru_cache(maxsize=1024)
def format_month(year: int, month: int) -> str:
    """'oktober 2018'."""
    return _babel_format_date(dt.date(year, month, 1), "MMMM y", locale=LOCALE)


# Danish alphabet: ... x y z æ ø å. Letters get weight 4*codepoint so æ, ø, å fit
# between z and the next codepoint. ä/ö/ü sort as æ/ø/y (Danish dictionary practice);
# "aa" stays two a's, as the brief for this project asks.
_LAST_LETTERS = {"æ": 1, "ä": 1, "ø": 2, "ö": 2, "å": 3}
_Z_WEIGHT = ord("z") * 4


@functools.lru_cache(maxsize=4096)
def _weights(ch: str) -> tuple[int, ...]:
    # Cached: a text has few distinct letters, and a batch sorts thousands of names.
    if ch in _LAST_LETTERS:
        return (_Z_WEIGHT + _LAST_LETTERS[ch],)
    if ch == "ü":
        ch = "y"
    base = "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))
    return tuple(ord(c) * 4 for c in base or ch)


def sort_key(text: str) -> tuple[tuple[int, ...], str]:
    """Danish collation key for sorted(): case-insensitive, é as e, Æ < Ø < Å after Z."""
    folded = unicodedata.normalize("NFC", text).casefold()
    weights = _weights
    return tuple(w for ch in folded for w in weights(ch)), text


# Excel stores characters XML cannot hold as _xHHHH_; "_x005F_" escapes a literal "_".
_EXCEL_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")
# Not allowed in XML 1.0: C0 controls except tab/newline, U+FFFE/U+FFFF, lone surrogates.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


_NEEDS_CLEANING = re.compile("[\x00-\x08\x0b-\x1f\ufffe\uffff\ud800-\udfff]")


def clean_text(value: str) -> tuple[str, list[str]]:
    """Normalise cell text for XML/Word; returns the text and the removed characters ('U+0001')."""
    # The common case, on the hot path of every cell: one character class, and a substring
    # test before the escape pattern (an alternation of the two takes twice as long).
    if not _NEEDS_CLEANING.search(value) and ("_x" not in value
                                              or not _EXCEL_ESCAPE.search(value)):
        return value.strip(), []
    text = _EXCEL_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), value)
    # Escaped surrogate pairs (_xD83D__xDE00_) become one character; lone halves stay lone.
    text = text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "surrogatepass")
    # Excel uses vertical tab for Alt+Enter line breaks in some exports.
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x0b", "\n")
    removed = list(dict.fromkeys(f"U+{ord(c):04X}" for c in _XML_ILLEGAL.findall(text)))
    return _XML_ILLEGAL.sub("", text).strip(), removed


def _squash(text: str) -> str:
    return " ".join(text.split()).casefold()


# "Center for Dagtilbud og Skoler" is the official name of the choice "Dagtilbud og Skoler".
_CENTRE_PREFIX = re.compile(r"^(?:center|centret|centeret)\s+for\s+")


@functools.lru_cache(maxsize=4096)
def _choice_key(text: str) -> str:
    # Cached: every row compares its choice cells with the same few configured choices.
    return "".join(_CENTRE_PREFIX.sub("", _squash(text)).split())


def match_choice(value: str, choices: Sequence[str],
                 aliases: Mapping[str, str] | None = None) -> str | None:
    """The configured choice a typed value means, or None. Case, blanks and a leading
    "Center for"/"Centret for"/"Centeret for" do not matter; an alias (configured as
    `[lister.aliaser]`) means its choice."""
    wanted = _choice_key(value)
    chosen = next((c for c in choices if _choice_key(c) == wanted), None)
    if chosen is None and aliases:
        meant = next((v for k, v in aliases.items() if _choice_key(k) == wanted), None)
        chosen = next((c for c in choices if meant is not None and _choice_key(c) == _choice_key(meant)), None)
    return chosen


# Words that say nothing about which choice was meant ("Center for Ældre" -> "Ældre ...").
FILLER_WORDS = {"center", "centret", "centeret", "for", "og", "i", "staben", "stab", "afdeling"}


def suggestion(value: str, candidates: Sequence[str]) -> str:
    """' Mente du 'X'?' for the nearest candidate, or '' when nothing is near."""
    lowered = {_squash(c): c for c in candidates}
    near = difflib.get_close_matches(_squash(value), list(lowered), n=1, cutoff=0.6)
    if not near:
        words = set(_squash(value).split()) - FILLER_WORDS
        sharing = [key for key in lowered if words & set(key.split())]
        near = sharing if len(sharing) == 1 else []
    return f" Mente du '{lowered[near[0]]}'?" if near else ""


# --- text for documents (appended: documents and others use these) -----------------------------

NBSP = "\u00a0"


def unbreakable(text: str) -> str:
    """The text with no-break spaces, so a date or an amount never wraps in a narrow column:
    '1. september 2026', '50.000 kr.'."""
    return text.replace(" ", NBSP)


_NUMBER_WORDS = ("nul", "ét", "to", "tre", "fire", "fem", "seks", "syv", "otte", "ni", "ti",
                 "elleve", "tolv")


def number_word(n: int, neuter: bool = True) -> str:
    """Small counts in words, as case papers write them ('fem forslag'), others as digits;
    1 is 'ét' (et forslag) or 'én' (en indsats)."""
    if n == 1:
        return "ét" if neuter else "én"
    return _NUMBER_WORDS[n] if 0 <= n < len(_NUMBER_WORDS) else format_count(n)


def paragraphs_of(text: str) -> list[str]:
    """User text split at its line breaks (Alt+Enter in Excel) into paragraphs; blank lines
    between them are dropped."""
    return [line.strip() for line in text.splitlines() if line.strip()]


_MONTH_WORD = (r"(?:jan(?:uar)?|feb(?:ruar)?|mar(?:ts)?|apr(?:il)?|maj|jun(?:i)?|jul(?:i)?|"
               r"aug(?:ust)?|sep(?:t(?:ember)?)?|okt(?:ober)?|nov(?:ember)?|dec(?:ember)?)")
_WRITTEN_PERIOD = re.compile(
    rf"(?<!\w)(?:\d{{1,2}}\.?\s*)?{_MONTH_WORD}\.?\s*\d{{4}}(?!\d)"
    r"|(?<![\d./-])\d{4}-\d{1,2}(?:-\d{1,2})?(?![\d-])"
    r"|(?<![\d./-])\d{1,2}[./-]\d{1,2}[./-]\s*\d{4}(?!\d)"
    r"|(?<![\d./-])\d{1,2}[./-]\d{4}(?!\d)", re.IGNORECASE)


def with_danish_period(text: str, period: Period | None) -> str:
    """The text with its date written the Danish way: 'Årsrapport feb. 2027' ->
    'Årsrapport februar 2027', 'Jan. 2027' -> 'januar 2027'; unchanged without a period."""
    if period is None:
        return text
    match = _WRITTEN_PERIOD.search(text)
    if match is None:
        return text
    return text[:match.start()] + period.danish + text[match.end():]
