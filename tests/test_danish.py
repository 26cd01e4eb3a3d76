import datetime as dt
from decimal import Decimal

import pytest

from sagsgenerator.danish import (
    Period,
    clean_text,
    format_amount,
    format_date,
    format_month,
    sort_key,
)

MONTHS = ["januar", "februar", "marts", "april", "maj", "juni", "juli", "august",
          "september", "oktober", "november", "december"]


@pytest.mark.parametrize(
    ("period", "danish", "iso"),
    [
        (Period(2026, 3), "marts 2026", "2026-03"),
        (Period(2023, 12, 14), "14. december 2023", "2023-12-14"),
        (Period(2018, 10, 1), "1. oktober 2018", "2018-10-01"),
    ],
)
def test_period_formats(period, danish, iso):
    assert (period.danish, str(period), period.iso) == (danish, danish, iso)


@pytest.mark.parametrize(
    ("period", "first", "last"),
    [
        (Period(2024, 2), dt.date(2024, 2, 1), dt.date(2024, 2, 29)),
        (Period(2025, 2), dt.date(2025, 2, 1), dt.date(2025, 2, 28)),
        (Period(2026, 12), dt.date(2026, 12, 1), dt.date(2026, 12, 31)),
        (Period(2026, 3, 14), dt.date(2026, 3, 14), dt.date(2026, 3, 14)),
    ],
)
def test_period_first_and_last_day(period, first, last):
    assert (period.first_day, period.last_day) == (first, last)


@pytest.mark.parametrize(("year", "month", "day"), [(2026, 13, None), (2026, 2, 30), (2026, 0, None)])
def test_period_rejects_impossible_dates(year, month, day):
    with pytest.raises(ValueError):
        Period(year, month, day)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (1250000, "1.250.000 kr."),
        (Decimal("1250000"), "1.250.000 kr."),
        (Decimal("1250000.00"), "1.250.000 kr."),
        (0, "0 kr."),
        (Decimal("0"), "0 kr."),
        (Decimal("1250.50"), "1.250,50 kr."),
        (Decimal("1250.5"), "1.250,50 kr."),
        (1250.5, "1.250,50 kr."),
        (0.1 + 0.2, "0,30 kr."),
        (50000.0, "50.000 kr."),
        (999, "999 kr."),
        (None, ""),
    ],
)
def test_format_amount(value, expected):
    assert format_amount(value) == expected


def test_format_date():
    assert format_date(dt.date(2023, 12, 14)) == "14. december 2023"
    assert format_date(dt.date(2018, 10, 1)) == "1. oktober 2018"


def test_format_month():
    assert format_month(2018, 10) == "oktober 2018"


@pytest.mark.parametrize("month", range(1, 13))
def test_month_names_are_lowercase_danish(month):
    # The format-context names ("MMMM"), lowercase, as used in running text.
    name = MONTHS[month - 1]
    assert format_month(2026, month) == f"{name} 2026"
    assert format_date(dt.date(2026, month, 5)) == f"5. {name} 2026"


def test_sort_key_danish_order():
    words = ["Ørsted", "Aalborg", "Zebra", "Æble", "Åben", "abe", "Éclair"]
    # "aa" is two a's, so Aalborg comes before abe.
    assert sorted(words, key=sort_key) == ["Aalborg", "abe", "Éclair", "Zebra", "Æble", "Ørsted", "Åben"]


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("z", "æ"), ("æ", "ø"), ("ø", "å"), ("Z", "æ"), ("zzz", "Æ"),
        ("abe", "Abf"), ("ABE", "abf"), ("ed", "éf"), ("é", "f"),
        ("1 plan", "2 plan"), ("10", "9"), ("2 plan", "a plan"),
        ("Zoo", "Ärø"), ("Åben", "Åbenrå"), ("Øst", "Østerbro"),
        ("Sundhed", "Sundhedsområdets midler"),
    ],
)
def test_sort_key_pairs(before, after):
    assert sort_key(before) < sort_key(after)


def test_sort_key_is_case_insensitive_but_deterministic():
    assert sort_key("abe")[0] == sort_key("ABE")[0] == sort_key("Abe")[0]
    assert sorted(["abe", "Abe", "ABE"], key=sort_key) == sorted(["ABE", "abe", "Abe"], key=sort_key)


def test_sort_key_decomposed_input():
    assert sort_key("A\u030aben")[0] == sort_key("Åben")[0]


@pytest.mark.parametrize(
    ("value", "expected", "removed"),
    [
        ("Godt 👍 nyt", "Godt 👍 nyt", []),
        ("linje 1_x000B_linje 2", "linje 1\nlinje 2", []),
        ("linje 1\x0blinje 2", "linje 1\nlinje 2", []),
        ("a\x01b", "ab", ["U+0001"]),
        ("a\x01b\x01c\x1f", "abc", ["U+0001", "U+001F"]),
        ("a_x0001_b", "ab", ["U+0001"]),
        ("linje 1\r\nlinje 2\rlinje 3", "linje 1\nlinje 2\nlinje 3", []),
        ("a_x000D__x000A_b", "a\nb", []),
        ("{{ x }} og {% if y %}", "{{ x }} og {% if y %}", []),
        ("A & B < C > D \"citat\" 'x'", "A & B < C > D \"citat\" 'x'", []),
        ("a\tb", "a\tb", []),
        ("  tekst \n ", "tekst", []),
        ("\n\nafsnit 1\n\nafsnit 2\n", "afsnit 1\n\nafsnit 2", []),
        ("a\ufffeb\uffff", "ab", ["U+FFFE", "U+FFFF"]),
        ("a\ud800b", "ab", ["U+D800"]),
        ("_xD83D__xDE00_", "😀", []),
        ("_x005F_x000B_", "_x000B_", []),
        ("snake_case_x_", "snake_case_x_", []),
        ("", "", []),
    ],
)
def test_clean_text(value, expected, removed):
    assert clean_text(value) == (expected, removed)
