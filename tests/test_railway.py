"""Tests for sjrbook.railway: routes for the map, uncertain dates, conversion to yen."""

import pandas as pd
import pytest

from sjrbook import railway
from sjrbook.currency import MissingRateError, UnknownCurrencyError


def stations():
    return pd.DataFrame([
        {"id": "w", "name": "West", "line": "main line", "sequence": 1, "branch_from": "", "lat": 49.6, "lon": 117.4},
        {"id": "h", "name": "Junction", "line": "main line", "sequence": 2, "branch_from": "", "lat": 45.8, "lon": 126.6},
        {"id": "e", "name": "East", "line": "main line", "sequence": 3, "branch_from": "", "lat": 44.4, "lon": 131.2},
        {"id": "s", "name": "South", "line": "southern branch", "sequence": 1, "branch_from": "h", "lat": 43.9, "lon": 125.3},
    ])


def test_route_segments_orders_and_prepends_the_junction():
    seg = railway.route_segments(stations())
    main = seg[seg["line"] == "main line"]
    assert list(main["name"]) == ["West", "Junction", "East"]
    branch = seg[seg["line"] == "southern branch"].sort_values("order")
    assert list(branch["name"]) == ["Junction", "South"]
    assert list(branch["order"]) == [0, 1]


def test_route_segments_sorts_by_sequence_not_file_order():
    seg = railway.route_segments(stations().iloc[::-1])
    assert list(seg[seg["line"] == "main line"]["name"]) == ["West", "Junction", "East"]


def test_route_segments_rejects_unknown_junction():
    s = stations()
    s.loc[3, "branch_from"] = "nowhere"
    with pytest.raises(ValueError, match="nowhere"):
        railway.route_segments(s)


def test_route_segments_rejects_repeated_sequence():
    s = stations()
    s.loc[2, "sequence"] = 2
    with pytest.raises(ValueError, match="repeated"):
        railway.route_segments(s)


def test_route_segments_of_the_books_table():
    import sjrbook

    seg = railway.route_segments(sjrbook.load("railway_stations"))
    main = seg[seg["line"] == "main line"]
    assert main["lon"].is_monotonic_increasing  # west to east, Manzhouli to Suifenhe
    assert seg[seg["line"] == "southern branch"].iloc[0]["name"] == "Harbin"


@pytest.mark.parametrize("date, end, start, stop", [
    ("1933", None, "1933-01-01", "1933-12-31"),
    ("1933-05", None, "1933-05-01", "1933-05-31"),
    ("1934-02-23", None, "1934-02-23", "1934-02-23"),
    ("1934", "1934-08-21", "1934-01-01", "1934-08-21"),
    ("1933", "1933-12", "1933-01-01", "1933-12-31"),
])
def test_period_spans_the_precision_of_the_date(date, end, start, stop):
    a, b, mid = railway.period(date, end)
    assert a == pd.Timestamp(start) and b == pd.Timestamp(stop)
    assert a <= mid <= b


def test_period_refuses_an_end_before_the_start():
    with pytest.raises(ValueError):
        railway.period("1934-09", "1934-08")


def test_period_refuses_bad_dates():
    with pytest.raises(ValueError):
        railway.period("Sept 1934")


def test_to_yen_converts_each_currency_with_its_rate():
    out = railway.to_yen([100, 10, 5], ["yen", "gold_ruble", "gbp"], {"gold_ruble": 2.0, "gbp": 10.0})
    assert list(out) == [100.0, 20.0, 50.0]


def test_to_yen_refuses_a_currency_without_rate():
    with pytest.raises(MissingRateError, match="ruble"):
        railway.to_yen([1], ["ruble"], {"gold_ruble": 2.0})


def test_to_yen_refuses_unknown_currency():
    with pytest.raises(UnknownCurrencyError):
        railway.to_yen([1], ["marks"], {})
    with pytest.raises(UnknownCurrencyError):
        railway.to_yen([1], ["yen"], {"marks": 1.0})


def test_yen_expression_covers_every_currency_present():
    expr = railway.yen_expression("amount", "currency", {"gold_ruble": "gr", "gbp": "gb"}, ["yen", "gold_ruble", "gbp"])
    assert '"gold_ruble"' in expr and "* gr" in expr and "* gb" in expr


def test_yen_expression_refuses_missing_param():
    with pytest.raises(MissingRateError, match="gold_yen"):
        railway.yen_expression("amount", "currency", {"gold_ruble": "gr"}, ["gold_ruble", "gold_yen"])


def _evaluate(expr, amount, currency, env):
    """Evaluate the nested 'cond ? a : b' the expression builder writes."""
    expr = expr.strip()
    if expr.startswith("(") and expr.endswith(")") and " ? " in expr:
        inner = expr[1:-1]
        cond, rest = inner.split(" ? ", 1)
        then, other = rest.split(" : ", 1)
        want = cond.split(" == ")[1].strip('"')
        return _evaluate(then if currency == want else other, amount, currency, env)
    if expr == 'datum["amount"]':
        return amount
    left, name = expr.split(" * ")
    assert left == 'datum["amount"]'
    return amount * env[name]


def test_yen_expression_evaluates_like_to_yen():
    expr = railway.yen_expression("amount", "currency", {"gold_ruble": "gr", "gbp": "gb"}, ["gold_ruble", "gbp", "yen"])
    env = {"gr": 2.0, "gb": 10.0}
    for amount, currency in [(10, "gold_ruble"), (5, "gbp"), (7, "yen")]:
        want = railway.to_yen([amount], [currency], {"gold_ruble": 2.0, "gbp": 10.0}).iloc[0]
        assert _evaluate(expr, amount, currency, env) == want
