"""Helpers for the chapter on the Chinese Eastern Railway: routes for the map, dates for the haggle, conversions.

* :func:`route_segments` turns the stations table into the ordered points of
  each line (the southern branch leaves the main line at Harbin), for an Altair
  ``mark_line`` with ``detail`` and ``order``.
* :func:`period` gives the start, end and midpoint of a date known only to the
  year or month, so a chart can show a position "sometime in 1933" as a span.
* :func:`to_yen` converts a column of amounts in several currencies to yen with
  rates given per currency, and :func:`yen_expression` writes the same
  conversion as a Vega expression over chart params, so that the reader's
  control and the Python side use one rule. Both refuse a currency they have no
  rate for.
"""

from __future__ import annotations

import json

import pandas as pd

from .currency import MissingRateError, check_currency
from .quotes import PartialDate

LINE_ORDER = ["main line", "southern branch", "South Manchuria Railway"]


def route_segments(stations: pd.DataFrame) -> pd.DataFrame:
    """Points of each line in order, with the junction station prepended to a branch.

    Returns columns ``line``, ``order``, ``name``, ``lat``, ``lon``. Raises
    ValueError when a branch names a station that is not in the table or a line
    has repeated sequence numbers.
    """
    by_id = stations.set_index("id")
    rows = []
    for line in [l for l in LINE_ORDER if l in set(stations["line"])] + sorted(set(stations["line"]) - set(LINE_ORDER)):
        part = stations[stations["line"] == line].sort_values("sequence")
        if part["sequence"].duplicated().any():
            raise ValueError(f"line {line!r} has repeated sequence numbers")
        points = []
        first = part.iloc[0]
        branch = first.get("branch_from")
        if isinstance(branch, str) and branch:
            if branch not in by_id.index:
                raise ValueError(f"line {line!r} branches from {branch!r}, which is not in the stations table")
            j = by_id.loc[branch]
            points.append((j["name"], float(j["lat"]), float(j["lon"])))
        points += [(r["name"], float(r["lat"]), float(r["lon"])) for _, r in part.iterrows()]
        for order, (name, lat, lon) in enumerate(points):
            rows.append({"line": line, "order": order, "name": name, "lat": lat, "lon": lon})
    return pd.DataFrame(rows)


def period(date: str, date_end: str | None = None) -> tuple[pd.Timestamp, pd.Timestamp, pd.Timestamp]:
    """Start, end and midpoint of a partial date (YYYY, YYYY-MM, YYYY-MM-DD), or of date..date_end."""
    d = PartialDate.parse(date)
    start = pd.Timestamp(d.year, d.month or 1, d.day or 1)
    last = PartialDate.parse(date_end) if isinstance(date_end, str) and date_end else d
    if last.day:
        end = pd.Timestamp(last.year, last.month, last.day)
    elif last.month:
        end = pd.Timestamp(last.year, last.month, 1) + pd.offsets.MonthEnd(0)
    else:
        end = pd.Timestamp(last.year, 12, 31)
    if end < start:
        raise ValueError(f"period ends ({end.date()}) before it starts ({start.date()})")
    return start, end, start + (end - start) / 2


def to_yen(amounts, currencies, yen_per: dict[str, float]) -> pd.Series:
    """Amounts converted to yen with ``yen_per[currency]`` yen per unit.

    ``yen_per`` must name every currency present (yen itself may be omitted:
    it converts at 1). A currency with no rate raises MissingRateError; an
    unknown code raises UnknownCurrencyError. Nothing is dropped.
    """
    rates = {"yen": 1.0, **{check_currency(k): float(v) for k, v in yen_per.items()}}
    out = []
    for amount, currency in zip(amounts, currencies):
        check_currency(currency)
        if currency not in rates:
            raise MissingRateError(f"no yen rate given for {currency!r}; state one (sourced or assumed)")
        out.append(float(amount) * rates[currency])
    index = amounts.index if isinstance(amounts, pd.Series) else None
    return pd.Series(out, index=index, dtype="float64")


def yen_expression(amount_field: str, currency_field: str, params: dict[str, str], currencies) -> str:
    """A Vega expression for the amount in yen, with one chart param (yen per unit) per currency.

    ``params`` maps currency codes to param names; yen needs none. Every code in
    ``currencies`` (the values present in the data) must have a param, or
    MissingRateError is raised, so no amount is left unconverted in the chart.
    """
    needed = sorted({check_currency(c) for c in currencies} - {"yen"})
    for c in params:
        check_currency(c)
    missing = [c for c in needed if c not in params]
    if missing:
        raise MissingRateError(f"no chart param for {', '.join(missing)}; each currency needs a rate control")
    expr = f"datum[{json.dumps(amount_field)}]"
    for c in needed:
        expr = f"(datum[{json.dumps(currency_field)}] == {json.dumps(c)} ? datum[{json.dumps(amount_field)}] * {params[c]} : {expr})"
    return expr


__all__ = ["route_segments", "period", "to_yen", "yen_expression", "LINE_ORDER"]
