"""Each rule of the intake standard: a failing and a passing case, as (code, cell) tuples."""

from __future__ import annotations

import pytest

from sagsgenerator.findings import Severity
from sagsgenerator.validation.validate import validate_file

from conftest import GROUP, proposal


def found(path, strict=False):
    intake = validate_file(path, strict=strict)
    return intake, [(f.code, f.location.cell) for f in intake.report.findings]


def test_valid_workbook_has_no_findings(make_intake):
    intake, findings = found(make_intake())
    assert findings == []
    assert [p.number for p in intake.proposals] == [1, 2, 3]
    assert intake.report.exit_code == 0


# (changes to row 2, expected (code, cell) findings); column letters follow the standard's order.
ROW_RULES = [
    ({"Nr.": None}, [("required-missing", "A2")]),
    ({"Nr.": "to"}, [("number-not-whole", "A2")]),
    ({"Nr.": 1000}, [("number-range", "A2")]),
    ({"Nr.": 0}, [("number-range", "A2")]),
    ({"Titel": "x" * 121}, [("title-too-long", "B2")]),
    ({"Titel": "x" * 120}, []),
    ({"Forslagstype": "Projektforslag"}, [("choice-invalid", "C2")]),
    ({"Forslagstype": " handlingsforslag "}, []),
    ({"Forebyggelsespakke": None}, [("package-missing", "D2")]),
    ({"Forebyggelsespakke": None, "Forslagstype": "Udviklingsforslag"}, []),
    ({"Forebyggelsespakke": "Rygning"}, [("choice-invalid", "D2")]),
    ({"Tema": "Sundhed"}, [("choice-invalid", "E2")]),
    ({"Tema": None}, [("theme-missing", "E2")]),
    ({"Indsatsområde": "  "}, [("required-missing", "F2")]),
    ({"Mål": None}, [("required-missing", "G2")]),
    ({"Formål og forventet effekt": None}, [("required-missing", "H2")]),
    ({"Målgruppe": None}, [("required-missing", "I2")]),
    ({"Problemets omfang": None}, [("required-missing", "J2")]),
    ({"Indhold og rammer": None}, [("required-missing", "K2")]),
    ({"Ansvarligt center": "Center for Ældre"}, [("choice-invalid", "L2")]),
    ({"Ansvarligt center": None}, [("required-missing", "L2")]),
    ({"Udførende og samarbejdspartnere": None}, []),
    ({"Monitorering og evaluering": None}, [("required-missing", "N2")]),
    ({"Målindikatorer": "\n \n"}, [("required-missing", "O2")]),
    ({"Opstart": "snart"}, [("period-invalid", "P2")]),
    ({"Opstart": "okt. 26"}, [("period-two-digit-year", "P2")]),
    ({"Opstart": None, "Prioritet": None}, []),
    ({"Opstart": None}, [("start-missing-prioritised", "P2")]),
    ({"Opfølgning": "Slut-evaluering følger"}, [("followup-undated", "Q2")]),
    ({"Opfølgning": None}, []),
    ({"Opfølgning": "Status januar 2026"}, [("followup-before-start", "Q2")]),
    ({"Opfølgning": "Status marts 2026"}, []),
    ({"Ressourcer opstart (kr.)": "1.5"}, [("amount-ambiguous", "R2")]),
    ({"Ressourcer opstart (kr.)": "gratis"}, [("amount-invalid", "R2")]),
    ({"Ressourcer opstart (kr.)": -1}, [("amount-negative", "R2")]),
    ({"Ressourcer opstart (kr.)": 0}, []),
    ({"Ressourcer opstart (kr.)": None}, [("required-missing", "R2")]),
    ({"Ressourcer drift pr. år (kr.)": "ca. 50.000"}, [("amount-invalid", "S2")]),
    ({"Finansiering": "Puljemidler"}, [("choice-invalid", "T2")]),
    ({"Resumé (ca. ½ side)": None}, [("required-missing", "U2")]),
    ({"Resumé (ca. ½ side)": "x" * 1801}, [("summary-too-long", "U2")]),
    ({"Resumé (ca. ½ side)": "x" * 1800}, []),
    ({"Indhold og rammer": "x" * 16000}, [("proposal-too-long", "U2")]),
    ({"Prioritet": 1.5}, [("number-not-whole", "V2")]),
    ({"Prioritet": 0}, [("priority-range", "V2")]),
    ({"Status": "Vedtaget"}, [("choice-invalid", "X2")]),
    ({"Status": None}, []),
    ({"Indhold og rammer": "Tekst_x0001_med styretegn"}, [("control-removed", "K2")]),
]


@pytest.mark.parametrize("changes, expected", ROW_RULES)
def test_row_rule(make_intake, changes, expected):
    rows = [proposal(1, **changes), proposal(2), proposal(3)]
    intake, findings = found(make_intake(rows))
    assert findings == expected
    errors = [f for f in intake.report.findings if f.severity is Severity.ERROR]
    assert (1 in [p.number for p in intake.proposals]) == (not errors)


def test_workbook_rules_duplicates(make_intake):
    rows = [proposal(1), proposal(1, Titel="Røgfri skoletid 1", Prioritet=3), proposal(3)]
    intake, findings = found(make_intake(rows))
    assert findings == [("number-duplicate", "A3"), ("title-duplicate", "B3"),
                        ("priority-duplicate", "V4")]
    assert [p.number for p in intake.proposals] == [1]


@pytest.mark.parametrize("count, expected", [
    (2, [("proposal-count", None)]), (3, []), (8, []), (9, [("proposal-count", None)]),
    (0, [("no-proposals", None)]),
])
def test_proposal_count(make_intake, count, expected):
    intake, findings = found(make_intake([proposal(n) for n in range(1, count + 1)]))
    assert findings == expected
    assert intake.report.exit_code == (1 if count == 0 else 0)


@pytest.mark.parametrize("changes, expected", [
    ({"Arbejdsgruppe": None}, [("required-missing", "B1")]),
    ({"Fokusområde": "Sundhed"}, [("choice-invalid", "B2")]),
    ({"E-mail": "mette.kommune.dk"}, [("email-invalid", "B4")]),
    ({"E-mail": None}, []),
    ({"Udvalg": "SSU"}, [("choice-invalid", "B5")]),
    ({"Dato": "i går"}, [("period-invalid", "B6")]),
])
def test_group_rules(make_intake, changes, expected):
    intake, findings = found(make_intake(group={**GROUP, **changes}))
    assert findings == expected
    assert (intake.group is None) == bool(expected)


def test_strict_turns_warnings_into_errors(make_intake):
    rows = [proposal(1, Tema=None), proposal(2), proposal(3)]
    intake, findings = found(make_intake(rows), strict=True)
    assert findings == [("theme-missing", "E2")]
    assert intake.report.findings[0].severity is Severity.ERROR
    assert intake.report.findings[0].strict
    assert ": fejl (advarsel, --streng): " in str(intake.report.findings[0])
    assert [p.number for p in intake.proposals] == [2, 3]
    assert intake.report.exit_code == 1
    relaxed, _ = found(make_intake(rows))
    assert not relaxed.report.findings[0].strict


def test_every_rule_of_a_row_is_reported_at_once(make_intake):
    """Issue 12.5: a Handlingsforslag without a package and with a bad centre is told both."""
    rows = [proposal(1, Forebyggelsespakke=None, **{"Ansvarligt center": "Centret for Månen"}),
            proposal(2), proposal(3)]
    _, findings = found(make_intake(rows))
    assert findings == [("package-missing", "D2"), ("choice-invalid", "L2")]


@pytest.mark.parametrize("typed", ["Center for Ældre og Rehabilitering",
                                   "centret for  ældre og rehabilitering ",
                                   "Centeret for Ældre og Rehabilitering", "ÆLDRE OG REHABILITERING"])
def test_official_centre_names_are_accepted_and_stored_canonically(make_intake, typed):
    rows = [proposal(1, **{"Ansvarligt center": typed}), proposal(2), proposal(3)]
    intake, findings = found(make_intake(rows))
    assert findings == []
    assert intake.proposals[0].centre == "Ældre og Rehabilitering"


def test_choice_suggests_nearest(make_intake):
    rows = [proposal(1, **{"Ansvarligt center": "Socialservise"}), proposal(2), proposal(3)]
    intake, _ = found(make_intake(rows))
    assert "Mente du 'Socialservice'?" in intake.report.findings[0].message


def test_every_row_is_rendered_or_reported(make_intake):
    rows = [proposal(1, Titel=None), proposal(2), proposal(3, Tema=None), proposal(4, **{"Nr.": None})]
    intake, _ = found(make_intake(rows))
    reported = {f.row for f in intake.report.findings if f.severity is Severity.ERROR}
    rendered = {p.source.row for p in intake.proposals}
    assert intake.report.rows_read == 4
    assert rendered | reported == {2, 3, 4, 5} and not rendered & reported
    assert intake.report.summary() == "4 rækker læst: 2 gyldige, 2 med fejl (2 fejl, 1 advarsel)"


def test_every_default_centre_by_its_official_full_name(make_intake):
    from sagsgenerator.config import DEFAULT_CONFIG

    for centre in DEFAULT_CONFIG.centres:
        rows = [proposal(1, **{"Ansvarligt center": f"Center for {centre}"}), proposal(2),
                proposal(3)]
        intake, findings = found(make_intake(rows))
        assert findings == [], centre
        assert intake.proposals[0].centre == centre


def test_a_configured_alias_means_its_value_and_a_real_mismatch_stays_an_error(make_intake):
    from sagsgenerator.config import DEFAULT_CONFIG
    from sagsgenerator.validation.validate import validate_file

    config = DEFAULT_CONFIG.model_copy(update={"aliases": {"Sundhedsplejen": "Børn og Forebyggelse"}})
    rows = [proposal(1, **{"Ansvarligt center": "sundhedsplejen"}),
            proposal(2, **{"Ansvarligt center": "Center for Sundhedsplejen og Månen"}), proposal(3)]
    intake = validate_file(make_intake(rows), config)
    assert [(f.code, f.location.cell) for f in intake.report.findings] == [("choice-invalid", "L3")]
    assert intake.proposals[0].centre == "Børn og Forebyggelse"


def test_cached_parsers_tell_equal_values_of_other_types_apart_and_raise_every_time():
    """The validation caches parsed values: 1 and True are equal keys to a plain cache."""
    from decimal import Decimal

    from sagsgenerator.intake.parse import ParseError
    from sagsgenerator.validation import cells

    assert cells._amount(1) == Decimal(1)
    for _ in range(2):
        with pytest.raises(ParseError):
            cells._amount(True)
        with pytest.raises(ParseError):
            cells._period("13/2026")
    assert cells._whole_number(7.0) == 7 and cells._whole_number("7") == 7
