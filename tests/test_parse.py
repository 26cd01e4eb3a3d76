import datetime as dt
from decimal import Decimal

import pytest

from sagsgenerator.danish import Period
from sagsgenerator.intake.parse import (
    ParseError,
    find_period,
    parse_amount,
    parse_period,
    parse_whole_number,
)


def error_code(func, value) -> str:
    with pytest.raises(ParseError) as info:
        func(value)
    return info.value.code


@pytest.mark.parametrize("value", [None, "", "   ", "\n\t"])
@pytest.mark.parametrize("func", [parse_amount, parse_period, parse_whole_number, find_period])
def test_blank_is_none(func, value):
    assert func(value) is None


# --- amounts -----------------------------------------------------------------

@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (50000, "50000"),
        (50000.0, "50000"),
        ("50000", "50000"),
        ("50.000", "50000"),
        ("50.000 kr.", "50000"),
        ("kr. 50.000,-", "50000"),
        ("50.000,-", "50000"),
        ("50.000,- kr.", "50000"),
        ("DKK 50.000", "50000"),
        ("50.000 DKK", "50000"),
        ("Kr 50.000", "50000"),
        ("1,5 mio.", "1500000"),
        ("1,5 mio. kr.", "1500000"),
        ("1,5 Mio.", "1500000"),
        ("2 mio", "2000000"),
        ("1,125 mio.", "1125000"),
        ("1.250.000", "1250000"),
        ("1.250,50", "1250.5"),
        ("1.250,50 kr.", "1250.5"),
        ("50,5", "50.5"),
        ("50000,00", "50000"),
        ("250 t.kr.", "250000"),
        ("250 tkr.", "250000"),
        ("250 tkr", "250000"),
        ("50 000", "50000"),
        ("50\u00a0000", "50000"),
        ("50\u00a0000 kr.", "50000"),
        ("  50.000  ", "50000"),
        ("0", "0"),
        ("0 kr.", "0"),
        (0, "0"),
        (0.1 + 0.2, "0.3"),
        (1250.5, "1250.5"),
        (Decimal("50000.00"), "50000"),
    ],
)
def test_parse_amount(value, expected):
    result = parse_amount(value)
    assert result == Decimal(expected)
    assert str(result) == expected  # normalised: Decimal('50000'), not 5E+4 or 50000.00


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("1.5", "amount-ambiguous"),
        ("1.50", "amount-ambiguous"),
        ("1,500", "amount-ambiguous"),
        ("50.000.00", "amount-ambiguous"),
        ("1,000,000", "amount-ambiguous"),
        ("1,250.50", "amount-ambiguous"),
        ("12.34.567", "amount-ambiguous"),
        ("1234.567", "amount-ambiguous"),
        ("ca. 50.000", "amount-invalid"),
        ("gratis", "amount-invalid"),
        ("50.000-75.000", "amount-range"),
        ("50.000 til 75.000 kr.", "amount-range"),
        ("se bilag", "amount-invalid"),
        ("5 0000", "amount-invalid"),
        ("50,", "amount-invalid"),
        ("1,001 kr. og lidt", "amount-invalid"),
        ("0,005", "amount-ambiguous"),
        ("1,234567891 mio.", "amount-invalid"),
        (True, "amount-invalid"),
        (False, "amount-invalid"),
        (float("nan"), "amount-invalid"),
        (dt.date(2026, 3, 1), "amount-invalid"),
        (-5000, "amount-negative"),
        (-5000.0, "amount-negative"),
        ("-5.000", "amount-negative"),
        ("-5.000 kr.", "amount-negative"),
        ("\u22125.000", "amount-negative"),
    ],
)
def test_parse_amount_errors(value, code):
    assert error_code(parse_amount, value) == code


@pytest.mark.parametrize(
    ("value", "typed"),
    [("1.5", "1.5"), (" 1,500 ", "1,500"), (-5000.0, "-5000"), (-5000, "-5000")],
)
def test_amount_error_carries_typed_value(value, typed):
    with pytest.raises(ParseError) as info:
        parse_amount(value)
    assert info.value.params == {"value": typed}


def test_parse_error_is_value_error():
    error = ParseError("amount-ambiguous", value="1.5")
    assert isinstance(error, ValueError)
    assert (error.code, error.params) == ("amount-ambiguous", {"value": "1.5"})


# --- periods -----------------------------------------------------------------

@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (dt.datetime(2026, 3, 15, 0, 0), Period(2026, 3, 15)),
        (dt.date(2026, 3, 15), Period(2026, 3, 15)),
        (45000, Period(2023, 3, 15)),
        (45000.0, Period(2023, 3, 15)),
        ("2026-03", Period(2026, 3)),
        ("2026-03-15", Period(2026, 3, 15)),
        ("marts 2026", Period(2026, 3)),
        ("Marts 2026", Period(2026, 3)),
        ("Mar. 2026", Period(2026, 3)),
        ("mar 2026", Period(2026, 3)),
        ("okt. 2018", Period(2018, 10)),
        ("Okt. 2018", Period(2018, 10)),
        ("oktober 2018.", Period(2018, 10)),
        ("sept. 2018", Period(2018, 9)),
        ("sep. 2018", Period(2018, 9)),
        ("juni 2018", Period(2018, 6)),
        ("April 2018", Period(2018, 4)),
        ("feb. 2018", Period(2018, 2)),
        ("maj 2018", Period(2018, 5)),
        ("Jan 2018", Period(2018, 1)),
        ("Apr. 2018", Period(2018, 4)),
        ("May 2018", Period(2018, 5)),
        ("Oct 2018", Period(2018, 10)),
        ("DEC. 2018", Period(2018, 12)),
        ("  juni   2018  ", Period(2018, 6)),
        ("1.10.2018", Period(2018, 10, 1)),
        ("1/10-2018", Period(2018, 10, 1)),
        ("1/10 2018", Period(2018, 10, 1)),
        ("01-10-2018", Period(2018, 10, 1)),
        ("15. marts 2026", Period(2026, 3, 15)),
        ("15 marts 2026", Period(2026, 3, 15)),
        ("3/2026", Period(2026, 3)),
        ("03.2026", Period(2026, 3)),
        ("29.02.2024", Period(2024, 2, 29)),
    ],
)
def test_parse_period(value, expected):
    assert parse_period(value) == expected


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("31.02.2026", "period-invalid"),
        ("29.02.2025", "period-invalid"),
        ("13/2026", "period-invalid"),
        ("2026-13", "period-invalid"),
        ("32. marts 2026", "period-invalid"),
        ("okt. 18", "period-two-digit-year"),
        ("1.10.18", "period-two-digit-year"),
        ("marts 1989", "period-invalid"),
        ("2101-01", "period-invalid"),
        (dt.date(1900, 1, 1), "period-invalid"),
        ("2026", "period-invalid"),
        ("marts", "period-invalid"),
        ("foråret 2026", "period-invalid"),
        ("Slut-evaluering april 2018", "period-invalid"),
        ("snarest", "period-invalid"),
        ("1/10", "period-invalid"),
        (2026, "period-invalid"),
        (7, "period-invalid"),
        (45000.5, "period-invalid"),
        (19999, "period-invalid"),
        (80001, "period-invalid"),
        (True, "period-invalid"),
        (dt.time(12, 0), "period-invalid"),
    ],
)
def test_parse_period_errors(value, code):
    assert error_code(parse_period, value) == code


def test_period_error_carries_typed_value():
    with pytest.raises(ParseError) as info:
        parse_period(" okt. 18 ")
    assert info.value.params == {"value": "okt. 18"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Slut-evaluering april 2018", Period(2018, 4)),
        ("Årsrapport feb. 2018", Period(2018, 2)),
        ("Slut-evaluering af projekt April 2018", Period(2018, 4)),
        ("April 2018 (i forhold til fremmøde-statistik)", Period(2018, 4)),
        ("Jan. 2018", Period(2018, 1)),
        ("Status 1.10.2018", Period(2018, 10, 1)),
        ("Status 2026-03-15 og igen senere", Period(2026, 3, 15)),
        ("Midtvejsstatus 15. marts 2026, slutrapport 2027-01", Period(2026, 3, 15)),
        ("Evaluering okt. 18, rapport marts 2019", Period(2019, 3)),
        ("Slut-evaluering følger", None),
        ("Evaluering i 2. kvartal", None),
        ("Evaluering okt. 18", None),
        ("Decentral opfølgning 2018", None),
        ("Status 31.02.2026", None),
    ],
)
def test_find_period(text, expected):
    assert find_period(text) == expected


# --- whole numbers -----------------------------------------------------------

@pytest.mark.parametrize(
    ("value", "expected"),
    [(7, 7), (7.0, 7), ("7", 7), (" 7 ", 7), ("7.", 7), (Decimal("3"), 3), ("12", 12)],
)
def test_parse_whole_number(value, expected):
    result = parse_whole_number(value)
    assert result == expected and type(result) is int


@pytest.mark.parametrize("value", ["7,5", 7.5, "syv", True, "7.5", "1.000", float("inf")])
def test_parse_whole_number_errors(value):
    assert error_code(parse_whole_number, value) == "number-not-whole"
