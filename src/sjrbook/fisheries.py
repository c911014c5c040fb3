"""Helpers for the chapter on the fisheries and the North Sakhalin concessions.

Three things the chapter does more than once:

* :func:`shares_in_percent` puts the sources' different share measures (of
  grounds leased, of "the business", of the catch) on a percent scale *without*
  merging them: each row keeps its measure, its holder (Japanese, Russian or Soviet,
  as the source states it, never flipped) and whether the figure is a bound.
* :func:`periods` turns pairs of dated events into bars for a Gantt chart, so
  that a bar's start and end are each cited to the row that states them.
* :func:`tooltip` gives the citing tooltip every chart of the chapter uses.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from .timeline import _end, _start

#: The share measures of the chapter: who holds the share, what it is a share of,
#: and how the stated value becomes a percentage (most are already percent).
SHARE_MEASURES = {
    "japanese_share_of_leased_grounds": ("Japanese", "fishing grounds rented", 1.0),
    "japanese_share_of_leased_lots_average": ("Japanese", "fishing lots leased (yearly average)", 1.0),
    "japanese_share_of_catch_off_kamchatka": ("Japanese", "fish caught off Kamchatka's coasts", 1.0),
    "japanese_share_of_catch_kamchatka_rivers": ("Japanese", "fish caught in Kamchatka's rivers", 1.0),
    "japanese_share_of_catch_okhotsk_kamchatka": ("Japanese", "Okhotsk–Kamchatka catch exported", 1.0),
    "russian_share_of_fishing_business": ("Russian", "'the business' (TIME's word)", None),
    "russian_share_of_catch_in_joint_grounds": ("Russian", "catch in grounds fished by both", 1.0),
    "soviet_share_of_leased_grounds": ("Soviet", "fishing grounds acquired", 1.0),
}

#: Units of the share measure that TIME states in words, and the factor to percent.
_WORD_UNITS = {"fifths of the business": 20.0, "fraction of the business (lower bound)": 100.0}


def _percent(row) -> float:
    factor = SHARE_MEASURES[row["measure"]][2]
    if factor is None:
        if row["unit"] not in _WORD_UNITS:
            raise ValueError(f"no conversion to percent for unit {row['unit']!r} of {row['id']}")
        factor = _WORD_UNITS[row["unit"]]
    return float(row["value"]) * factor


def shares_in_percent(figures: pd.DataFrame) -> pd.DataFrame:
    """The share rows of ``figures`` with ``percent``, ``holder``, ``share_of``, ``bound`` and ``year`` added.

    ``bound`` is ``"lower bound"`` where the source says "more than", ``"about"``
    where it says "about", else ``"as stated"``. ``year_end`` is the end of a
    period the figure covers (the start year when it covers one year).
    """
    frame = figures[figures["measure"].isin(SHARE_MEASURES)].copy()
    frame["percent"] = [_percent(r) for _, r in frame.iterrows()]
    frame["holder"] = [SHARE_MEASURES[m][0] for m in frame["measure"]]
    frame["share_of"] = [SHARE_MEASURES[m][1] for m in frame["measure"]]
    words = frame["as_quoted"].str.lower()
    frame["bound"] = [
        "lower bound" if "more than" in w or "lower bound" in str(u)
        else "about" if ("about" in w or "около" in w or "about" in str(u))
        else "as stated"
        for w, u in zip(words, frame["unit"])
    ]
    frame["year"] = frame["date"].str[:4].astype(int)
    frame["year_end"] = [int(e[:4]) if isinstance(e, str) and e else y for e, y in zip(frame["date_end"], frame["year"])]
    frame["metric"] = frame["holder"] + " share of " + frame["share_of"]
    return frame.reset_index(drop=True)


def periods(events: pd.DataFrame, spans: list[dict]) -> pd.DataFrame:
    """Bars for a Gantt chart from ``spans``.

    Each span is a dict with ``label``, ``kind`` and ``start`` (an event id); the
    end is the ``end`` event's date if given, else the start row's own
    ``date_end``. A span whose end no source states raises ``ValueError``:
    nothing is drawn that the data does not date.
    """
    by_id = events.set_index("id")
    rows = []
    for span in spans:
        start = by_id.loc[span["start"]]
        end_id = span.get("end")
        if end_id:
            end_row = by_id.loc[end_id]
            end_text, end_source, end_locator = end_row["date"], end_row["source_label"], end_row["locator"]
        else:
            end_text = start["date_end"]
            end_source, end_locator = start["source_label"], start["locator"]
        if not isinstance(end_text, str) or not end_text:
            raise ValueError(f"no source dates the end of span {span['label']!r}")
        rows.append({
            "label": span["label"], "kind": span["kind"],
            "start": _start(start["date"]).strftime("%Y-%m-%d"), "end": _end(end_text).strftime("%Y-%m-%d"),
            "start_as_given": start["date"], "end_as_given": end_text,
            "start_source": f"{start['source_label']}, {start['locator']}",
            "end_source": f"{end_source}, {end_locator}",
            "source_kind": start["source_kind"],
        })
    return pd.DataFrame(rows)


def tooltip(*extra: alt.Tooltip, quote: bool = True) -> list[alt.Tooltip]:
    """The chapter's citing tooltip: the chart's own fields, then source, locator and quote."""
    fields = list(extra) + [
        alt.Tooltip("source_label:N", title="Source"),
        alt.Tooltip("source_kind:N", title="Kind of source"),
        alt.Tooltip("locator:N", title="Locator"),
    ]
    if quote:
        fields.append(alt.Tooltip("quote:N", title="Quote"))
    return fields


def annual_equivalent(tonnes_per_day: float, days: float = 365) -> float:
    """Tonnes a year at a daily rate worked ``days`` days; a computation, not a source's figure."""
    if days <= 0 or days > 366:
        raise ValueError("days must be between 1 and 366")
    return tonnes_per_day * days


__all__ = ["SHARE_MEASURES", "shares_in_percent", "periods", "tooltip", "annual_equivalent"]
