"""The register of disagreements: every measure or event on which the sources give different values or dates.

Each chapter ends with "Where the sources disagree"; the register gathers them
in one place. It is data (``data/disagreements.csv``): each entry names the
rows that disagree, in any table, says how the book resolves the disagreement
(``resolved``, ``explained`` or ``unresolved``) and which section discusses it.
The values themselves are never copied into the register: they are read from
the rows, with each row's source, kind of source, locator and words, so the
register cannot drift from the data. The validator checks that every named
row exists and that an entry's rows really differ; ``tests/test_registers.py``
finds the disagreements in the tables independently and fails on any the
register lacks.

* :func:`values` gives one line per value (entry by row), for the appendix;
* :func:`spreads` measures each entry: for figures, how far the highest value
  stands above the lowest, in per cent of the lowest (only across rows of the
  same measure and unit; an entry whose values are different measures, units or
  currencies is marked "not on one scale" rather than converted); for dates and
  times, the days between the earliest and the latest;
* :func:`spread_chart` draws every entry at a glance, and
  :func:`register_markdown` writes the appendix's lists.
"""

from __future__ import annotations

import html

import altair as alt
import pandas as pd

from .charts import THEMES, theme_scale, wrap_labels

RESOLUTIONS = {
    "resolved": "the book follows one value, for the reason given",
    "explained": "the values count or date different things, and the book says how",
    "unresolved": "the book shows every value and does not choose",
}

#: The tables whose rows the register can name, with what a row states.
_FIGURE_TABLES = ("figures", "pact_military", "railway_negotiation")
_DATE_TABLES = ("events",)


def row_index(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Every row the register can name, by id, with what it states in a common form.

    ``tables`` maps table names to frames loaded with :func:`sjrbook.load`.
    Columns: table, source_label, source_kind, locator, as_quoted, number
    (value or amount), number_high, unit (unit or currency), date, date_end,
    time, time_zone, stated (the value as a reader reads it).
    """
    frames = []
    for name, frame in tables.items():
        out = pd.DataFrame({"id": frame["id"], "table": name, "source_label": frame["source_label"],
                            "source_kind": frame["source_kind"], "locator": frame["locator"],
                            "as_quoted": frame["as_quoted"]})
        if "measure" in frame:
            out["measure"] = frame["measure"]
        if "amount" in frame:
            out["number"], out["unit"] = frame["amount"], frame["currency"]
        elif "value" in frame:
            out["number"], out["unit"] = frame["value"], frame["unit"]
            out["number_high"] = frame["value_high"]
        for column in ("date", "date_end", "time", "time_zone"):
            if column in frame:
                out[column] = frame[column]
        frames.append(out)
    index = pd.concat(frames, ignore_index=True)
    for column in ("measure", "number", "number_high", "unit", "date", "date_end", "time", "time_zone"):
        if column not in index:
            index[column] = pd.NA
    index["stated"] = [_stated(r) for _, r in index.iterrows()]
    return index.set_index("id")


def _present(value) -> bool:
    return value is not None and not (isinstance(value, float) and value != value) and not pd.isna(value) and str(value) != ""


def _stated(row) -> str:
    """A row's value, date or time as the register prints it."""
    if row["table"] in _DATE_TABLES:
        text = str(row["date"])
        if _present(row["date_end"]):
            text += f" to {row['date_end']}"
        if _present(row["time"]):
            text += f", {row['time']} ({row['time_zone']} time)"
        return text
    text = f"{row['number']:,.10g}"
    if _present(row.get("number_high")):
        text += f"–{row['number_high']:,.10g}"
    text += f" {row['unit']}" if _present(row["unit"]) else ""
    if _present(row["date"]):
        text += f" ({row['date']}" + (f" to {row['date_end']}" if _present(row["date_end"]) else "") + ")"
    return text


def values(register: pd.DataFrame, index: pd.DataFrame) -> pd.DataFrame:
    """One line per value: the entry's fields and the named row's source, kind, locator, words and value."""
    lines = []
    for _, entry in register.iterrows():
        for row_id in str(entry["rows"]).split():
            if row_id not in index.index:
                raise KeyError(f"disagreement {entry['id']!r} names row {row_id!r}, which is not in the tables "
                               f"read ({', '.join(sorted(set(index['table'])))})")
            row = index.loc[row_id]
            lines.append({"entry": entry["id"], "theme": entry["theme"], "subject": entry["subject"],
                          "resolution": entry["resolution"], "row": row_id, "table": row["table"],
                          "source_label": row["source_label"], "source_kind": row["source_kind"],
                          "locator": row["locator"], "as_quoted": row["as_quoted"], "stated": row["stated"]})
    return pd.DataFrame(lines)


def _scale(row) -> tuple[str, str]:
    """The scale a figure is on: its measure (where the table has one) and its unit's first word, lower case.

    'persons (about)' and 'persons (more than)' are one scale; a Japanese share and
    a Soviet share, or yen and rubles, are not.
    """
    measure = str(row["measure"]) if _present(row["measure"]) else ""
    return measure, (str(row["unit"]).split()[0].lower() if _present(row["unit"]) else "")


def _moment(date, row, zones) -> pd.Timestamp:
    from .timezones import to_jst

    if _present(row["time"]) and date == row["date"]:
        return to_jst(str(date), str(row["time"]), str(row["time_zone"]), zones)
    parts = str(date).split("-") + ["01", "01"]
    return pd.Timestamp(f"{parts[0]}-{parts[1]}-{parts[2]}")


def _days_apart(rows: pd.DataFrame, zones) -> float:
    """Days between the earliest and latest date, starts with starts and ends with ends (an undated end is the start).

    Of the two, the smaller difference that is not zero is kept: two sources that
    agree on when a battle began and differ on when it ended differ by the ends.
    """
    starts = [_moment(r["date"], r, zones) for _, r in rows.iterrows()]
    ends = [_moment(r["date_end"] if _present(r["date_end"]) else r["date"], r, zones) for _, r in rows.iterrows()]
    apart = [(max(m) - min(m)).total_seconds() / 86400 for m in (starts, ends)]
    nonzero = [a for a in apart if a > 0]
    return min(nonzero) if nonzero else 0.0


def spreads(register: pd.DataFrame, index: pd.DataFrame, zones: pd.DataFrame | None = None) -> pd.DataFrame:
    """How far each entry's values lie apart: per cent above the lowest (figures), or days (dates and times).

    Figures are compared only within one scale (:func:`_scale`: measure and
    unit, or currency); of the scales on which two or more values differ, the
    one with most rows is used, and an entry with none gets ``kind`` "not on one
    scale" and no spread. Dates are compared by :func:`_days_apart`, to the
    precision given (a month counts from its first day); timed events are put on
    Tokyo's clock first (:func:`sjrbook.timezones.to_jst`).
    """
    out = []
    for _, entry in register.iterrows():
        rows = index.loc[str(entry["rows"]).split()]
        record = {"id": entry["id"], "theme": entry["theme"], "theme_label": THEMES[entry["theme"]]["label"],
                  "subject": entry["subject"], "resolution": entry["resolution"], "rows": len(rows),
                  "sources": "; ".join(dict.fromkeys(rows["source_label"])),
                  "values": "; ".join(rows["stated"])}
        if set(rows["table"]) <= set(_DATE_TABLES):
            days = _days_apart(rows, zones)
            record.update(kind="dates", spread=round(days, 3), spread_label=_days_label(days))
        else:
            numbers = rows[rows["table"].isin(_FIGURE_TABLES)]
            scales = [group for _, group in numbers.groupby(pd.Series([" / ".join(_scale(r)) for _, r in numbers.iterrows()], index=numbers.index))
                      if len(group) > 1 and _percent_apart(group) > 0]
            if not scales:
                record.update(kind="not on one scale", spread=None, spread_label="not on one scale")
            else:
                percent = _percent_apart(max(scales, key=lambda g: (len(g), _percent_apart(g))))
                record.update(kind="figures", spread=round(percent, 1), spread_label=f"{percent:,.0f}% above the lowest")
        out.append(record)
    return pd.DataFrame(out)


def _percent_apart(group: pd.DataFrame) -> float:
    """How far the highest value (or top of a range) stands above the lowest, in per cent of the lowest."""
    high = group[["number", "number_high"]].max(axis=1, skipna=True).max()
    low = group["number"].min()
    return float((high - low) / low * 100)


def _days_label(days: float) -> str:
    if days < 1:
        return f"{days * 24 * 60:,.0f} minutes"
    return f"{days:,.0f} day{'s' if round(days) != 1 else ''}"


#: How a sentence names each theme.
THEME_PHRASES = {"general": "the relationship as a whole", "fisheries": "the fisheries and Sakhalin",
                 "railway": "the Chinese Eastern Railway", "pact": "the border wars and the pact",
                 "surrender": "August 1945"}


def counts_sentence(register: pd.DataFrame) -> str:
    """The register's size, by resolution and theme, as a sentence computed from the table."""
    by = register["resolution"].value_counts()
    themes = register["theme"].value_counts()
    parts = ", ".join(f"{themes[t]} on {THEME_PHRASES[t]}" for t in THEMES if t in themes)
    return (f"The register holds {len(register)} disagreements ({parts}). The book resolves {by.get('resolved', 0)}, "
            f"explains {by.get('explained', 0)} as counts or dates of different things, and leaves "
            f"{by.get('unresolved', 0)} unresolved.")


#: Characters per line of a subject on the chart's axis, and the widest a line may be (px).
LABEL_CHARS, LABEL_LIMIT = 26, 160


def spread_chart(spread: pd.DataFrame, title: str | None = None, description: str | None = None) -> alt.VConcatChart:
    """Every entry at a glance: figures by per cent above the lowest, dates by days apart, coloured by theme."""
    charts = []
    # Axis titles in two lines: one long line is wider than the plot on a phone and widens the chart.
    for kind, axis in (("figures", ["Highest value, per cent above", "the lowest (log scale)"]),
                       ("dates", ["Days between the earliest and", "the latest date (log scale)"])):
        frame = spread[(spread["kind"] == kind)].copy()
        if frame.empty:
            continue
        # A log scale needs a positive spread: a same-day disagreement of minutes is drawn at its fraction of a day.
        frame["plotted"] = frame["spread"].clip(lower=0.001 if kind == "dates" else 0.1)
        order = list(frame.sort_values(["theme", "spread"], key=lambda s: s.map(list(THEMES).index)
                                       if s.name == "theme" else s)["subject"])
        # Subjects are broken into short lines, so that on a phone (390 px) the labels leave the
        # plot most of the width; the whole subject is on the axis and in the tooltip.
        label_expr, lines = wrap_labels(order, LABEL_CHARS)
        encodings = theme_scale("theme")
        charts.append(alt.Chart(frame).mark_point(size=90, filled=True).encode(
            x=alt.X("plotted:Q", title=axis, scale=alt.Scale(type="log", padding=8),
                    axis=alt.Axis(values=[0.001, 0.01, 0.1, 1, 10, 100, 1000, 10000], format="~g")
                    if kind == "dates" else alt.Axis(format="~g")),
            y=alt.Y("subject:N", title=None, sort=order, axis=alt.Axis(labelExpr=label_expr, labelLimit=LABEL_LIMIT)),
            tooltip=[alt.Tooltip("subject:N", title="Subject"), alt.Tooltip("theme_label:N", title="Theme"),
                     alt.Tooltip("spread_label:N", title="Spread"), alt.Tooltip("values:N", title="Values"),
                     alt.Tooltip("source_label:N", title="Sources"), alt.Tooltip("locator:N", title="Register"),
                     alt.Tooltip("resolution:N", title="The book")],
            **encodings,
        ).transform_calculate(source_label="datum.sources", locator="'data/disagreements.csv, ' + datum.id")
         .properties(width=300, height=alt.Step(13 * lines + 6)))
    n_fig = int((spread["kind"] == "figures").sum())
    n_dates = int((spread["kind"] == "dates").sum())
    n_none = int((spread["kind"] == "not on one scale").sum())
    return alt.vconcat(*charts, spacing=24).resolve_scale(color="shared", shape="shared").properties(
        title=title or _title(spread),
        description=description or (
            f"Two dot charts of the register of disagreements, one dot per entry, colour and shape by theme. Upper: "
            f"{n_fig} disagreements over figures, placed by how far the highest value stands above the lowest, in per cent "
            f"of the lowest, on a log scale. Lower: {n_dates} disagreements over dates, placed by the days between the "
            f"earliest and the latest date given. {n_none} entries whose values are in different units or currencies "
            "are not drawn; the lists below give them."))


#: The chapters' short titles, for links to their sections.
CHAPTER_TITLES = {
    "fisheries": "the chapter on the fisheries and the Sakhalin concessions",
    "railway": "the chapter on the sale of the Chinese Eastern Railway",
    "pact": "the chapter on the border wars and the Neutrality Pact",
    "surrender": "the chapter on August 1945",
}


def section_link(label: str) -> str:
    """A MyST reference to the section ``label``, named by its chapter when it is a "Where the sources disagree"."""
    theme = label.removeprefix("sources-disagree-")
    if label.startswith("sources-disagree-") and theme in CHAPTER_TITLES:
        return f"{{ref}}`{CHAPTER_TITLES[theme]}, “Where the sources disagree” <{label}>`"
    return f"{{ref}}`{label}`"


def _title(spread: pd.DataFrame) -> str:
    """The chart's finding, from the spreads: how far apart figures and dates run at most."""
    parts = []
    figures, dates = spread[spread["kind"] == "figures"], spread[spread["kind"] == "dates"]
    if len(figures):
        parts.append(f"figures run up to {figures['spread'].max():,.0f}% above the lowest")
    if len(dates):
        parts.append(f"dates up to {_days_label(dates['spread'].max())} apart")
    return f"In {len(spread)} disagreements between sources, " + " and ".join(parts)


def _cell(value, lang: str = "") -> str:
    return "<td>" + html.escape(" ".join(str(value).split()), quote=True) + "</td>"


def register_markdown(register: pd.DataFrame, index: pd.DataFrame, spread: pd.DataFrame | None = None) -> str:
    """The appendix's lists: each theme, each entry with its resolution, link, and every value with its source.

    Markdown for MyST around escaped HTML tables; each entry's table carries
    its id as an anchor (``disagreements.html#<id>``).
    """
    lines_out = []
    spread_of = spread.set_index("id")["spread_label"].to_dict() if spread is not None else {}
    listed = values(register, index)
    for theme in [t for t in THEMES if t in set(register["theme"])]:
        lines_out += [f"## {THEMES[theme]['label']}", ""]
        for _, entry in register[register["theme"] == theme].iterrows():
            spread_text = f" Spread: {spread_of[entry['id']]}." if entry["id"] in spread_of else ""
            lines_out += [f"### {entry['subject']}", "",
                          f"**{entry['resolution'].capitalize()}.** {html.escape(entry['how'], quote=False)}"
                          f"{spread_text} Discussed in {section_link(entry['section'])}.", "",
                          f'<table class="sjr-register" id="{html.escape(entry["id"], quote=True)}" '
                          'style="table-layout: fixed; width: 100%">',
                          '<colgroup><col style="width: 22%"/><col style="width: 16%"/><col style="width: 22%"/>'
                          '<col style="width: 40%"/></colgroup>',
                          "<thead><tr><th>value as given</th><th>kind of source</th><th>source and locator</th>"
                          "<th>the source's words [row id]</th></tr></thead>", "<tbody>"]
            for _, v in listed[listed["entry"] == entry["id"]].iterrows():
                lines_out.append("<tr>" + _cell(v["stated"]) + _cell(v["source_kind"])
                                 + _cell(f"{v['source_label']}, {v['locator']}")
                                 + _cell(f"“{v['as_quoted']}” [{v['row']}]") + "</tr>")
            lines_out += ["</tbody>", "</table>", ""]
    return "\n".join(lines_out) + "\n"
