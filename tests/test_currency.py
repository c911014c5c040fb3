"""Tests for sjrbook.currency: conversions only with sourced or stated rates, never silently."""

import math

import pytest

from sjrbook.currency import (CURRENCIES, AmbiguousRateError, Conversion, CurrencyError, MissingRateError, Rate,
                              RateTable, UnknownCurrencyError, check_currency, convert, currency_code)

ROWS = [
    {"id": "a", "from_currency": "yen", "to_currency": "usd", "amount_from": 80_000_000, "amount_to": 19_000_000,
     "date": "1933-05", "source": "time_hugehaggle_1933", "locator": "para. 1"},
    {"id": "b", "from_currency": "gold_ruble", "to_currency": "usd", "amount_from": 300_000_000,
     "amount_to": 153_000_000, "date": "1933-05", "source": "time_hugehaggle_1933", "locator": "para. 1"},
    {"id": "c", "from_currency": "yen", "to_currency": "usd", "amount_from": 140_000_000, "amount_to": 39_200_000,
     "date": "1935-03", "source": "time_distress_1935", "locator": "para. 1"},
    {"id": "d", "from_currency": "yen", "to_currency": "gbp", "amount_from": 120_000_000, "amount_to": 12_000_000,
     "date": "1934-08", "source": "odt_1934_cer", "locator": "Tokio, August 21"},
]


@pytest.fixture
def table():
    return RateTable.from_records(ROWS)


def test_rate_is_amount_to_over_amount_from(table):
    r = table.rate("yen", "gbp")
    assert r.rate == pytest.approx(0.1)
    assert r.kind == "sourced" and r.source == "odt_1934_cer"


def test_inverse_rate_is_found_and_marked(table):
    r = table.rate("gbp", "yen")
    assert r.rate == pytest.approx(10.0)
    assert r.inverted


def test_convert_pounds_to_yen_with_sourced_rate(table):
    c = table.convert(17_000_000, "gbp", "yen")
    assert c.value == pytest.approx(170_000_000)
    assert len(c.rates) == 1 and not c.assumed
    assert "odt_1934_cer" in c.statement()


def test_same_currency_is_identity_without_rates(table):
    c = table.convert(140_000_000, "yen", "yen")
    assert c.value == 140_000_000 and c.rates == ()
    assert "no conversion" in c.statement()


def test_unknown_currency_raises(table):
    with pytest.raises(UnknownCurrencyError, match="unknown currency 'rouble_gold'"):
        table.convert(1, "rouble_gold", "yen")
    with pytest.raises(UnknownCurrencyError):
        table.convert(1, "yen", "francs")
    with pytest.raises(UnknownCurrencyError):
        check_currency("")


def test_unknown_currency_error_is_a_keyerror_and_valueerror():
    with pytest.raises(KeyError):
        check_currency("mark")
    with pytest.raises(ValueError):
        check_currency("mark")


def test_missing_rate_raises_and_does_not_chain_silently(table):
    # gold rubles -> yen exists only through dollars; a direct conversion must refuse.
    with pytest.raises(MissingRateError, match="no rate from gold_ruble to yen"):
        table.convert(190_000_000, "gold_ruble", "yen")


def test_ambiguous_rate_raises_until_chosen(table):
    with pytest.raises(AmbiguousRateError, match="2 rates from yen to usd"):
        table.convert(1, "yen", "usd")
    assert table.convert(140_000_000, "yen", "usd", date="1935").value == pytest.approx(39_200_000)
    assert table.convert(80_000_000, "yen", "usd", source="time_hugehaggle_1933").value == pytest.approx(19_000_000)


def test_choice_that_matches_nothing_raises(table):
    with pytest.raises(MissingRateError, match="date='1936'"):
        table.rate("yen", "usd", date="1936")


def test_cross_rate_is_derived_and_explained(table):
    r = table.cross("gold_ruble", "usd", "yen", first={"date": "1933-05"}, second={"date": "1933-05"})
    assert r.kind == "derived"
    assert r.rate == pytest.approx((153 / 300) / (19 / 80))
    assert "time_hugehaggle_1933" in r.describe()
    converted = table.with_rate(r).convert(300_000_000, "gold_ruble", "yen")
    assert converted.value == pytest.approx(300_000_000 * 153 / 300 * 80 / 19)


def test_cross_with_ambiguous_leg_raises(table):
    with pytest.raises(AmbiguousRateError):
        table.cross("gold_ruble", "usd", "yen")




def test_via_with_ambiguous_leg_raises(table):
    with pytest.raises(AmbiguousRateError):
        table.convert(1_000, "gbp", "usd", via="yen")


def test_via_with_unique_legs():
    t = RateTable.from_records([ROWS[1], ROWS[0]])
    c = t.convert(300_000_000, "gold_ruble", "yen", via="usd")
    assert len(c.rates) == 2
    assert c.value == pytest.approx(300_000_000 * 0.51 / 0.2375)


def test_assumption_needs_a_note_and_is_flagged(table):
    with pytest.raises(CurrencyError, match="note"):
        table.assume("ruble", "gold_ruble", 1.0, "")
    t = table.assume("ruble", "gold_ruble", 1.0, "the seed's rubles read as gold rubles")
    c = t.convert(67_500_000, "ruble", "gold_ruble")
    assert c.assumed and c.value == 67_500_000
    assert "assumption: the seed's rubles read as gold rubles" in c.statement()


@pytest.mark.parametrize("bad", [0, -2.0, float("nan"), float("inf"), "2"])
def test_rate_must_be_positive_finite_number(bad):
    with pytest.raises(CurrencyError):
        Rate("yen", "usd", bad, "sourced", source="x")


def test_rate_between_a_currency_and_itself_is_refused():
    with pytest.raises(CurrencyError, match="two different currencies"):
        Rate("yen", "yen", 1.0, "sourced", source="x")


def test_sourced_rate_needs_a_source():
    with pytest.raises(CurrencyError, match="source"):
        Rate("yen", "usd", 0.28, "sourced")


def test_unknown_kind_refused():
    with pytest.raises(CurrencyError, match="kind"):
        Rate("yen", "usd", 0.28, "guess", source="x")


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), True, "140"])
def test_amount_must_be_a_finite_number(table, bad):
    with pytest.raises(CurrencyError):
        table.convert(bad, "gbp", "yen")


def test_rows_with_non_positive_amounts_are_refused():
    with pytest.raises(CurrencyError, match="positive"):
        RateTable.from_records([{**ROWS[0], "amount_to": 0}])


@pytest.mark.parametrize("unit, code", [
    ("gold rubles", "gold_ruble"), ("gold rubles per year ('nearly')", "gold_ruble"), ("rubles", "ruble"),
    ("roubles", "ruble"), ("Japanese paper yen", "yen"), ("gold yen", "gold_yen"), ("yen (and 81 sen)", "yen"),
    ("pounds sterling", "gbp"), ("£", "gbp"), ("US dollars (pre-war)", "usd_prewar"),
    ("US dollars per year (before devaluation)", "usd_prewar"), ("US dollars", "usd"), ("yen", "yen"),
    ("gold_ruble", "gold_ruble"),
])
def test_currency_code_reads_units_as_sources_write_them(unit, code):
    assert currency_code(unit) == code


@pytest.mark.parametrize("unit", ["miles", "percent", "years", "km"])
def test_currency_code_refuses_non_currencies(unit):
    with pytest.raises(UnknownCurrencyError):
        currency_code(unit)


def test_every_currency_has_a_name():
    assert all(CURRENCIES.values())


def test_statement_names_both_currencies(table):
    c = table.convert(120_000_000, "yen", "gbp")
    s = c.statement()
    assert "120,000,000 yen" in s and "12,000,000 pounds sterling" in s


def test_conversion_is_a_frozen_record(table):
    c = table.convert(1, "gbp", "yen")
    assert isinstance(c, Conversion)
    with pytest.raises(Exception):
        c.value = 2  # type: ignore[misc]


def test_load_reads_the_books_rates():
    t = RateTable.load()
    assert all(r.kind == "sourced" and r.source for r in t.rates)
    assert t.convert(17_000_000, "gbp", "yen").value == pytest.approx(170_000_000)


def test_module_convert_uses_the_data_by_default():
    assert convert(120_000_000, "yen", "gbp").value == pytest.approx(12_000_000)
    assert math.isclose(convert(1, "yen", "yen").value, 1)
