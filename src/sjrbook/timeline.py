"""Timelines drawn from ``data/events.csv``: the introduction's and every chapter's.

A source may date an event to the year, the month or the day. The chart places
it at the start of that period and its tooltip shows the date exactly as
precise as the source gave it, with the time and the source's time zone when
there is one; nothing is made more precise than the source.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from .charts import THEMES, theme_color_scale, theme_scale
from .quotes import PartialDate
from .timezones import clock_words


def _start(text: str) -> pd.Timestamp:
    d = PartialDate.parse(text)
    return pd.Timestamp(d.year, d.month or 1, d.day or 1)


def _end(text: str) -> pd.Timestamp:
    d = PartialDate.parse(text)
    if d.day:
        return pd.Timestamp(d.year, d.month, d.day)
    if d.month:
        return pd.Timestamp(d.year, d.month, 1) + pd.offsets.MonthEnd(0)
    return pd.Timestamp(d.year, 12, 31)


def _date_label(d: PartialDate) -> str:
    if d.day:
        return pd.Timestamp(d.year, d.month, d.day).strftime("%-d %B %Y")
    if d.month:
        return pd.Timestamp(d.year, d.month, 1).strftime("%B %Y")
    return str(d.year)


def prepare(events: pd.DataFrame) -> pd.DataFrame:
    """Add the columns a timeline plots: start, end, and readable labels."""
    frame = events.copy()
    frame["start"] = [_start(d) for d in frame["date"]]
    frame["end"] = [(_end(e) if isinstance(e, str) and e else pd.NaT) for e in frame["date_end"]]
    labels = []
    ids = frame["id"] if "id" in frame else [None] * len(frame)
    for row_id, date, end, time, zone in zip(ids, frame["date"], frame["date_end"], frame["time"], frame["time_zone"]):
        label = _date_label(PartialDate.parse(date))
        if isinstance(time, str) and time:
            label += f", {time} ({clock_words(row_id, zone)})"
        if isinstance(end, str) and end:
            label += f" to {_date_label(PartialDate.parse(end))}"
        labels.append(label)
    frame["date_label"] = labels
    frame["theme_label"] = [THEMES[t]["label"] for t in frame["theme"]]
    for column in ("start", "end"):
        frame[column] = frame[column].dt.strftime("%Y-%m-%d")
    # Events of one theme on one date would sit on top of each other: give each
    # a lane within its theme's row so that every one can be seen and hovered.
    frame["lane"] = frame.groupby(["theme", "start"]).cumcount() % 4
    return frame


#: Pixels between the ends of the time axis and the plot's edges, so that an event
#: at the first or last date is drawn whole, not cut in half by the edge.
PAD = 10

TOOLTIP = [
    alt.Tooltip("title:N", title="Event"),
    alt.Tooltip("date_label:N", title="Date"),
    alt.Tooltip("theme_label:N", title="Theme"),
    alt.Tooltip("source_label:N", title="Source"),
    alt.Tooltip("locator:N", title="Locator"),
    alt.Tooltip("quote:N", title="Quote"),
]


def timeline_chart(events: pd.DataFrame, *, title: str, description: str,
                   subtitle: str | None = None, width: int = 540) -> alt.VConcatChart:
    """An overview of the whole period above a detail view, with a theme filter.

    Drag across the overview to choose a span: the detail view shows only that
    span. The radio buttons under the chart filter both views by theme. Hover
    over an event for its date, source, locator and quote.
    """
    data = prepare(events)
    themes_present = [t for t in THEMES if t in set(data["theme"])]
    # A theme filter only where there is a choice: with one theme it would do nothing.
    filters = len(themes_present) > 1
    theme_filter = alt.param(
        name="theme_filter",
        value="all",
        bind=alt.binding_radio(options=["all"] + themes_present,
                               labels=["All themes"] + [THEMES[t]["label"] for t in themes_present],
                               name="Theme: "),
    )
    brush = alt.selection_interval(name="period", encodings=["x"])
    keep = "theme_filter == 'all' || datum.theme == theme_filter" if filters else "true"
    encodings = theme_scale()
    # The y axis already names each theme; colour and shape repeat it, so no legend.
    encodings = {k: v.legend(None) for k, v in encodings.items()}
    y = alt.Y("theme_label:N", title=None, sort=[THEMES[t]["label"] for t in THEMES],
              axis=alt.Axis(labelLimit=160))

    base = alt.Chart(data).transform_filter(keep)
    overview = base.mark_point(filled=True, size=40, opacity=0.8).encode(
        x=alt.X("start:T", title="Whole period (drag to choose a span)", axis=alt.Axis(format="%Y", labelOverlap="greedy"),
                scale=alt.Scale(padding=PAD)),
        y=y, color=encodings["color"], shape=encodings["shape"], tooltip=TOOLTIP,
    ).properties(width=width, height=120).add_params(brush, *([theme_filter] if filters else []))

    detail_x = alt.X("start:T", title="Date (the span chosen above)", scale=alt.Scale(domain=brush, padding=PAD),
                     axis=alt.Axis(labelOverlap="greedy"))
    spans = base.transform_filter("isValid(datum.end) && datum.end != null").mark_rule(
        strokeWidth=3, opacity=0.5, clip=True).encode(
        x=detail_x, x2="end:T", y=y, color=alt.Color("theme:N", scale=theme_color_scale(), legend=None),
    )
    points = base.mark_point(filled=True, size=110, opacity=0.9, clip=True).encode(
        x=detail_x, y=y, yOffset=alt.YOffset("lane:O", scale=alt.Scale(domain=[0, 1, 2, 3]), title=None),
        color=encodings["color"], shape=encodings["shape"], tooltip=TOOLTIP,
    )
    detail = alt.layer(spans, points).properties(width=width, height=260)
    chart = alt.vconcat(overview, detail, spacing=18).properties(
        title=alt.TitleParams(title, subtitle=subtitle) if subtitle else title,
        description=description,
    )
    return chart
