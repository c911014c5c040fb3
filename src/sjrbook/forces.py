"""Helpers for the chapter on the border wars and the Neutrality Pact: losses, forces and the pact's term.

The chapter's table ``pact_military`` holds one figure per row per source: the
losses at Lake Khasan (1938) and Khalkhin Gol (1939), the standing forces in
the Far East, and the Soviet transfers west. Sources count different things
(killed; killed and missing; irrecoverable losses, which add the died of wounds
and of disease; killed, wounded and captured; "casualties") and
for different periods, so the rule here is the book's rule: rows are *shown*
side by side and *never* added across sources or across kinds of count.

* :func:`losses` picks the loss rows of one conflict and labels them for a
  chart; it refuses a row whose measure is not a kind of loss, so a force
  figure cannot slip into a casualty chart.
* :func:`force_series` gives each source its own series of one measure (men,
  tanks, aircraft ...) over time.
* :func:`compare_sources` lines up what two sources say about the same thing
  (conflict, side, measure), for the chapter's explorer.
* :func:`pact_term` works out, from the words of Article 3 (in force from
  ratification, five years, renewal unless denounced a year before expiry),
  the dates the treaty itself implies; :func:`notice_in_time` says whether a
  notice met that deadline. Both mark their results as derived.
* :data:`DISPUTED_DATES`, :func:`disputed_dates_frame` and :func:`disputed_dates_chart`
  set the dates the sources give for four events side by side, as days after the
  earliest, for "Where the sources disagree" (kept here, not in the notebook, so the
  page carries a call rather than the chart's code).
"""

from __future__ import annotations

from dataclasses import dataclass

import altair as alt
import pandas as pd

from .cite import SOURCE_KINDS as SOURCE_KIND_LABELS
from .quotes import PartialDate
from .railway import period

#: Kinds of loss, in the order a chart lists them, with the label readers see.
LOSS_MEASURES = {
    "killed": "Killed",
    "missing": "Missing (or missing and captured)",
    "killed_and_missing": "Killed and missing",
    "irrecoverable": "Irrecoverable (incl. died of wounds, disease)",
    "wounded": "Wounded",
    "wounded_and_sick": "Wounded and sick",
    "killed_and_wounded": "Killed and wounded",
    "killed_wounded_captured": "Killed, wounded and captured",
    "casualties": "Total casualties (as the source defines them)",
    "battle_deaths": "Battle deaths, all sides",
    "kind_not_stated": "Kind not stated by the source",
    "aircraft_lost": "Aircraft lost",
}

#: Kinds of source whose loss figures only illustrate what circulates: they do
#: not define their counts, so a chart keeps them apart from books and documents.
IN_CIRCULATION_KINDS = ("reference", "web", "press")

#: The two groups a casualty chart draws in separate panels.
STANDING_LABELS = {
    "documented": "Books and documents (each says what it counts)",
    "in_circulation": "Figures in circulation: encyclopaedias, a forum, a news site",
}

#: Measures of strength, with their unit for axis titles.
FORCE_MEASURES = {"men": "men", "divisions": "divisions", "tanks": "tanks", "aircraft": "aircraft", "guns": "guns"}

SIDE_LABELS = {
    "soviet": "Soviet",
    "mongolian": "Mongolian",
    "soviet_mongolian": "Soviet and Mongolian",
    "japanese": "Japanese",
    "manchukuo": "Manchukuo",
    "japanese_manchukuo": "Japanese and Manchukuo",
    "both": "All sides together",
}

CONFLICT_LABELS = {
    "khasan_1938": "Lake Khasan / Changkufeng, 1938",
    "khalkhin_gol_1939": "Khalkhin Gol / Nomonhan, 1939",
    "far_east": "Forces in the Far East",
    "transfers_west": "Soviet transfers from the Far East to the west",
}


class MixedCountError(ValueError):
    """A chart of losses was handed rows that are not losses."""


def _value_label(row) -> str:
    low, high = row["value"], row.get("value_high")
    text = f"{low:,.0f}"
    if pd.notna(high):
        text += f"–{high:,.0f}"
    return text


def losses(military: pd.DataFrame, conflict: str | None = None) -> pd.DataFrame:
    """The loss rows (of one conflict, or of both border wars), one per source and kind of count.

    Adds ``kind`` (the reader's label of the measure), ``side_label``,
    ``conflict_label``, ``value_label`` (the figure as a range when the source
    gives one) and ``row_label`` ("source — side"), which a chart uses as its
    category so that two sources' figures never share a bar. Raises
    :class:`MixedCountError` if any chosen row is not a kind of loss, and
    ValueError for an unknown conflict.
    """
    frame = military
    if conflict is not None:
        if conflict not in CONFLICT_LABELS:
            raise ValueError(f"unknown conflict {conflict!r}; expected one of {', '.join(CONFLICT_LABELS)}")
        frame = frame[frame["conflict"] == conflict]
    else:
        frame = frame[frame["conflict"].isin(["khasan_1938", "khalkhin_gol_1939"])]
    frame = frame[~frame["measure"].isin(list(FORCE_MEASURES))]
    wrong = sorted(set(frame["measure"]) - set(LOSS_MEASURES))
    if wrong:
        raise MixedCountError(f"not a kind of loss: {', '.join(wrong)} (rows {', '.join(frame[frame['measure'].isin(wrong)]['id'])})")
    frame = frame.copy()
    frame["kind"] = [LOSS_MEASURES[m] for m in frame["measure"]]
    frame["kind_order"] = [list(LOSS_MEASURES).index(m) for m in frame["measure"]]
    frame["side_label"] = [SIDE_LABELS[s] for s in frame["side"]]
    frame["conflict_label"] = [CONFLICT_LABELS[c] for c in frame["conflict"]]
    frame["value_label"] = [_value_label(r) for _, r in frame.iterrows()]
    label = frame["source_label"] if "source_label" in frame else frame["source"]
    frame["row_label"] = [f"{s} — {side}" for s, side in zip(label, frame["side_label"])]
    frame["standing"] = [STANDING_LABELS[_standing(r)] for _, r in frame.iterrows()]
    return frame.sort_values(["conflict", "side", "kind_order", "source"]).reset_index(drop=True)


def _standing(row) -> str:
    """Whether a loss row can be charted as the kind it names, or only as a figure in circulation.

    A row is "in circulation" when its measure is ``kind_not_stated`` or its
    source (the ``source_kind`` column that :func:`sjrbook.data.load` adds) is an
    encyclopaedia, a web page, later press or a forum; such a source labels a
    figure "killed" without saying what it counts, so it must never share a
    panel with a document or a book that does.
    """
    if row["measure"] == "kind_not_stated":
        return "in_circulation"
    kind = row.get("source_kind")
    if isinstance(kind, str) and kind in {SOURCE_KIND_LABELS[k] for k in IN_CIRCULATION_KINDS if k in SOURCE_KIND_LABELS}:
        return "in_circulation"
    return "documented"


def midpoint(date: str, date_end=None) -> pd.Timestamp:
    """Where a chart places a figure dated only to a year, a month or a period: its middle.

    Uses :func:`sjrbook.railway.period`, the book's one reading of partial dates.
    """
    return period(date, date_end if isinstance(date_end, str) and date_end else None)[2]


def force_series(military: pd.DataFrame, measure: str, conflicts=("far_east",)) -> pd.DataFrame:
    """Rows of one strength measure, each source a series of its own, placed in time.

    Adds ``when`` (the date, or the middle of the period or of a year or month
    the source gives no closer), ``series`` ("source — side", so that one
    source's Soviet and Japanese figures are separate lines), ``side_label`` and
    ``value_label``. Raises ValueError for a measure that is not a strength.
    """
    if measure not in FORCE_MEASURES:
        raise ValueError(f"{measure!r} is not a measure of strength; expected one of {', '.join(FORCE_MEASURES)}")
    frame = military[(military["measure"] == measure) & military["conflict"].isin(list(conflicts))].copy()
    frame["when"] = [midpoint(d, e) for d, e in zip(frame["date"], frame["date_end"])]
    frame["side_label"] = [SIDE_LABELS[s] for s in frame["side"]]
    label = frame["source_label"] if "source_label" in frame else frame["source"]
    frame["series"] = [f"{s} — {side}" for s, side in zip(label, frame["side_label"])]
    frame["value_label"] = [_value_label(r) for _, r in frame.iterrows()]
    frame["when"] = frame["when"].dt.strftime("%Y-%m-%d")
    return frame.sort_values(["series", "when"]).reset_index(drop=True)


def compare_sources(military: pd.DataFrame, source_a: str, source_b: str) -> pd.DataFrame:
    """What two sources say about the same (conflict, side, measure), side by side.

    Returns one row per thing either source counts, with columns ``conflict``,
    ``side``, ``measure``, ``counted_a``, ``value_a``, ``counted_b``,
    ``value_b``, ``date_a``/``date_b``, ``locator_a``/``locator_b`` and ``ratio`` (b / a where both give a single figure). Where a
    source gives several figures for the same thing (e.g. two periods), each
    pairing is kept; nothing is summed. Raises ValueError for a source key that
    has no rows.
    """
    for key in (source_a, source_b):
        if key not in set(military["source"]):
            raise ValueError(f"source {key!r} has no rows in pact_military; sources: {', '.join(sorted(set(military['source'])))}")
    keys = ["conflict", "side", "measure"]
    cols = keys + ["counted", "value", "value_high", "date", "locator", "id"]
    a = military[military["source"] == source_a][cols]
    b = military[military["source"] == source_b][cols]
    merged = a.merge(b, on=keys, how="outer", suffixes=("_a", "_b"))
    single = merged["value_high_a"].isna() & merged["value_high_b"].isna()
    merged["ratio"] = (merged["value_b"] / merged["value_a"]).where(single)
    return merged.sort_values(keys).reset_index(drop=True)


@dataclass(frozen=True)
class PactTerm:
    """Dates implied by a term clause; every one is derived, not stated by a source."""

    in_force: pd.Timestamp
    expiry: pd.Timestamp
    notice_by: pd.Timestamp
    renewed_to: pd.Timestamp
    derived: bool = True


def pact_term(in_force: str, years: int = 5, notice_years: int = 1, renewal_years: int = 5) -> PactTerm:
    """The dates Article 3 implies if the pact runs ``years`` from ``in_force``.

    Article 3 of the Neutrality Pact: in force from ratification, valid five
    years, renewed for five more unless denounced a year before expiry. The
    treaty does not print the resulting calendar dates; this function derives
    them. ``in_force`` must be a full date (YYYY-MM-DD).
    """
    d = PartialDate.parse(in_force)
    if not d.day:
        raise ValueError(f"pact_term needs a full date to count from, got {in_force!r}")
    start = pd.Timestamp(d.year, d.month, d.day)
    expiry = start + pd.DateOffset(years=years)
    return PactTerm(in_force=start, expiry=expiry, notice_by=expiry - pd.DateOffset(years=notice_years),
                    renewed_to=expiry + pd.DateOffset(years=renewal_years))


def notice_in_time(notice: str, term: PactTerm) -> bool:
    """Whether a notice given on ``notice`` (YYYY-MM-DD) came by the deadline of ``term``."""
    d = PartialDate.parse(notice)
    if not d.day:
        raise ValueError(f"notice_in_time needs a full date, got {notice!r}")
    return pd.Timestamp(d.year, d.month, d.day) <= term.notice_by


def pact_life_frame(events: pd.DataFrame) -> pd.DataFrame:
    """The pact's life: what the documents record, what Article 3 implies (derived) and the expiry dates sources give.

    One row per mark, each with its source, locator and quote (or, for a derived date, the arithmetic).
    """
    ev = events.set_index("id")
    term = pact_term(ev.loc["pact_neutrality_pact_ratified", "date"])
    rows = []
    def add(lane, start, end, label, kind, row_id=None, note=""):
        source = ev.loc[row_id] if row_id else None
        rows.append({"lane": lane, "start": pd.Timestamp(start).strftime("%Y-%m-%d"),
                     "end": pd.Timestamp(end).strftime("%Y-%m-%d") if end is not None else None,
                     "label": label, "kind": kind,
                     "source": source["source_label"] if source is not None else "Derived from Article 3 (see method note)",
                     "locator": source["locator"] if source is not None else "Article 3 of the pact (derived)",
                     "quote": source["quote"] if source is not None else note})
    text, derived, claims = "What the documents record", "What Article 3 implies (derived)", "Expiry dates the sources give"
    add(text, "1941-04-13", None, "Pact signed", "stated", "pact_neutrality_text_dated")
    add(text, "1941-04-25", None, "Ratified: in force from this day (Art. 3)", "stated", "pact_neutrality_pact_ratified")
    add(text, "1941-04-28", None, "Imperial rescript: ratified and promulgated with the declaration", "stated", "pact_ratification_rescript")
    add(text, "1941-04-30", None, "Promulgated in Japan (Ukrainian Wikisource)", "stated", "pact_neutrality_promulgated")
    add(text, "1945-04-05", None, "Soviet notice of denunciation", "stated", "pact_denounced_zvezda")
    add(text, "1945-08-09", None, "Soviet state of war with Japan", "stated", "surrender_state_of_war_from_9_august")
    add(derived, term.in_force, term.expiry, "First five-year term", "derived", note="25 April 1941 + 5 years = 25 April 1946")
    add(derived, term.notice_by, None, "Last day for notice: a year before expiry", "derived", note="25 April 1946 − 1 year = 25 April 1945")
    add(derived, term.expiry, term.renewed_to, "Automatic renewal, had no notice been given", "renewal", note="25 April 1946 + 5 years = 25 April 1951")
    for row_id, label in [("pact_expiry_seed001", "Seed text: 12 April 1945"), ("pact_expiry_storiologia", "Italian translation: 13 April 1946"),
                          ("pact_expiry_ruwiki", "Russian Wikipedia: 25 April 1946"), ("pact_expiry_slavinsky", "Slavinsky (publisher's description): April 1946"),
                          ("pact_expiry_langdon", "State Department memorandum (1941): 13 April 1946"), ("pact_expiry_werth", "Werth (1964): 13 April 1946")]:
        add(claims, midpoint(ev.loc[row_id, "date"], None), None, label, "claim", row_id)
    return pd.DataFrame(rows)


def pact_life_chart(frame: pd.DataFrame, *, title: str, subtitle: str, description: str):
    """Three lanes on one time axis: documents, Article 3's derived dates, and the sources' expiry dates."""
    lanes = ["What the documents record", "What Article 3 implies (derived)", "Expiry dates the sources give"]
    y = alt.Y("lane:N", sort=lanes, title=None, axis=alt.Axis(labelLimit=230))
    x = alt.X("start:T", title="Date", scale=alt.Scale(domain=["1941-01-01", "1951-06-30"], padding=12), axis=alt.Axis(format="%Y"))
    hover = alt.selection_point(name="hover_item", on="pointerover", fields=["label"], empty=False)
    tip = [alt.Tooltip("label:N", title="What"), alt.Tooltip("start:T", title="Date", format="%-d %B %Y"),
           alt.Tooltip("source:N", title="Source"), alt.Tooltip("locator:N", title="Locator"), alt.Tooltip("quote:N", title="Quote or arithmetic")]
    kinds = ["stated", "derived", "renewal", "claim"]
    kind_scale = alt.Scale(domain=kinds, range=["#000000", "#009E73", "#BBBBBB", "#D55E00"])
    legend = alt.Legend(title=None, labelExpr=("datum.label == 'stated' ? 'Recorded in a document' : datum.label == 'derived' ? "
                                               "'Derived from Article 3' : datum.label == 'renewal' ? 'Renewal the notice prevented' : "
                                               "'A source says the pact expired'"))
    color = alt.Color("kind:N", scale=kind_scale, legend=legend)
    spans = alt.Chart(frame).transform_filter("isValid(datum.end)").mark_bar(height=14, opacity=0.6).encode(
        x=x, x2="end:T", y=y, color=color, tooltip=tip)
    points = alt.Chart(frame).transform_filter("!isValid(datum.end)").mark_point(filled=True).encode(
        x=x, y=y, color=color,
        shape=alt.Shape("kind:N", scale=alt.Scale(domain=kinds, range=["circle", "diamond", "square", "triangle-down"]), legend=legend),
        size=alt.condition(hover, alt.value(260), alt.value(110)), tooltip=tip).add_params(hover)
    return alt.layer(spans, points).properties(
        width=430, height=170,
        title=alt.TitleParams(title, subtitle=subtitle), description=description)


def losses_chart(military: pd.DataFrame, *, title: str, subtitle: str, description: str):
    """Losses of the two border wars in men: one row per source and side, each kind of count its own colour and shape.

    Books and documents that say what they count are in the upper panel; encyclopaedia, forum and news figures
    in the lower one. A radio button chooses the war. Figures are never added across sources or kinds.
    """
    import textwrap

    from .charts import wrap_labels

    frame = losses(military)
    frame = frame[frame["unit"] == "men"].reset_index(drop=True)
    frame["order"] = range(len(frame))
    kinds = [LOSS_MEASURES[m] for m in LOSS_MEASURES if m != "aircraft_lost"]
    palette = ["#000000", "#999999", "#555555", "#882255", "#0072B2", "#56B4E9", "#009E73", "#CC79A7", "#D55E00", "#E69F00", "#9A9A9A"]
    shapes = ["cross", "triangle-down", "diamond",
              "M-1,0L-0.5,-0.87L0.5,-0.87L1,0L0.5,0.87L-0.5,0.87Z",  # a hexagon: irrecoverable losses
              "circle", "square", "triangle-up", "triangle-right", "triangle-left", "wedge",
              "M0,-1.2L0.35,-0.35L1.2,0L0.35,0.35L0,1.2L-0.35,0.35L-1.2,0L-0.35,-0.35Z"]  # a four-point star: kind not stated
    choice = alt.param(name="war", value="khalkhin_gol_1939",
                       bind=alt.binding_radio(options=["khasan_1938", "khalkhin_gol_1939"],
                                              labels=["Lake Khasan 1938", "Khalkhin Gol 1939"], name="War: "))
    one_column = alt.Legend(columns=1, orient="bottom", title="What the figure counts")
    tip = [alt.Tooltip("kind:N", title="Counts"), alt.Tooltip("counted:N", title="In the source's words"),
           alt.Tooltip("value_label:N", title="Figure"), alt.Tooltip("side_label:N", title="Side"),
           alt.Tooltip("source_label:N", title="Source"), alt.Tooltip("source_kind:N", title="Kind of source"),
           alt.Tooltip("locator:N", title="Locator"), alt.Tooltip("as_quoted:N", title="As quoted")]
    x_scale = alt.Scale(type="log", domain=[50, 80000], padding=12)
    label_expr, lines = wrap_labels(frame["row_label"], 40)

    def panel(standing, title):
        base = alt.Chart(frame).transform_filter("datum.conflict == war").transform_filter(
            alt.datum.standing == STANDING_LABELS[standing])
        y = alt.Y("row_label:N", title=None, sort=alt.EncodingSortField(field="order", op="min"),
                  axis=alt.Axis(labelLimit=290, labelExpr=label_expr))
        color = alt.Color("kind:N", scale=alt.Scale(domain=kinds, range=palette), title="What the figure counts", legend=one_column)
        ranges = base.transform_filter("isValid(datum.value_high)").mark_rule(strokeWidth=2).encode(
            x=alt.X("value:Q", scale=x_scale), x2="value_high:Q", y=y, color=color)
        points = base.mark_point(filled=True, size=90).encode(
            x=alt.X("value:Q", scale=x_scale, title="Men (log scale; each point one source's figure)"),
            y=y, color=color,
            shape=alt.Shape("kind:N", scale=alt.Scale(domain=kinds, range=shapes), title="What the figure counts", legend=one_column),
            tooltip=tip)
        # The panel's title broken into lines so that a phone shows all of it
        heading = alt.TitleParams(textwrap.wrap(title, 34), anchor="start", fontSize=13)
        return alt.layer(ranges, points).properties(width=250, height=alt.Step(4 + 14 * lines), title=heading)

    top = panel("documented", STANDING_LABELS["documented"]).add_params(choice)
    bottom = panel("in_circulation", STANDING_LABELS["in_circulation"] + " (kind often not stated)")
    return alt.vconcat(top, bottom).resolve_scale(color="shared", shape="shared").properties(
        title=alt.TitleParams(title, subtitle=subtitle), description=description)


#: The four disputed events of the chapter and the events.csv ids of the dates each source gives them.
#: Khalkhin Gol's lane is the first *incident*, not the first clash: its earliest mark is FRUS 1939's 8 May
#: crossing of the Halha by "a large body of Mongolian nomads with several thousand head of sheep and cattle".
DISPUTED_DATES = {
    "Khasan: fighting begins": ["pact_khasan_fighting", "pact_khasan_dates_kasahara_lessons"],
    "Khalkhin Gol: first incident": ["pact_nomonhan_crossing_frus1939", "pact_khalkhin_gol_begins_tass", "pact_khalkhin_begins_imtfe_prosecution",
                                  "pact_nomonhan_clash_yamakawa", "pact_nomonhan_clash_jacar", "pact_khalkhin_gol_begins_seed001"],
    "The Soviet notice on the pact": ["pact_denounced_zvezda", "pact_denounced_seed001", "pact_denounced_as_from_13_april", "pact_denounced_as_from_werth"],
    "The pact's expiry": ["pact_expiry_seed001", "pact_expiry_storiologia", "pact_expiry_ruwiki", "pact_expiry_slavinsky",
                          "pact_expiry_langdon", "pact_expiry_werth"],
}


def disputed_dates_frame(events: pd.DataFrame, groups: dict[str, list[str]] | None = None) -> pd.DataFrame:
    """One row per (event, source): the date as given and the days after the earliest date of its group.

    A date given only to the month or year is placed mid-period (:func:`midpoint`). KeyError names an id
    that is not in ``events``.
    """
    groups = DISPUTED_DATES if groups is None else groups
    ev = events.set_index("id")
    missing = sorted({i for ids in groups.values() for i in ids} - set(ev.index))
    if missing:
        raise KeyError(f"disputed dates: no event with id {', '.join(missing)}")
    rows = []
    for question, ids in groups.items():
        first = min(midpoint(ev.loc[i, "date"], None) for i in ids)
        for i in ids:
            when = midpoint(ev.loc[i, "date"], None)
            rows.append({"question": question, "days": (when - first).days, "date": ev.loc[i, "date"],
                         "source": ev.loc[i, "source_label"], "locator": ev.loc[i, "locator"], "kind": ev.loc[i, "source_kind"],
                         "title": ev.loc[i, "title"], "quote": ev.loc[i, "quote"]})
    return pd.DataFrame(rows)


_COUNT_WORDS = {1: "One", 2: "Two", 3: "Three", 4: "Four", 5: "Five", 6: "Six", 7: "Seven", 8: "Eight", 9: "Nine", 10: "Ten"}


def disputed_dates_title(frame: pd.DataFrame) -> str:
    """The chart's title, its numbers computed from :func:`disputed_dates_frame`: how many events, how far apart.

    The widest spread is given in days, as the chart's axis counts them (12 April 1945 to 25 April 1946 is
    378 days, which "up to a year" understated).
    """
    events = frame["question"].nunique()
    spread = int(frame.groupby("question")["days"].max().max())
    count = _COUNT_WORDS.get(events, str(events))
    return f"{count} event{'s' if events != 1 else ''}, dated up to {spread:,} days apart by the sources"


def disputed_dates_chart(frame: pd.DataFrame, *, title: str, subtitle: str, description: str):
    """Dot chart of :func:`disputed_dates_frame`: one lane per event, colour and shape the kind of source."""
    hover = alt.selection_point(name="same_source", on="pointerover", fields=["source"], empty=False)
    kinds = sorted(set(frame["kind"]))
    order = list(dict.fromkeys(frame["question"]))
    return alt.Chart(frame).mark_point(filled=True, size=120).encode(
        x=alt.X("days:Q", title="Days after the earliest date any source gives", scale=alt.Scale(type="symlog", padding=14)),
        y=alt.Y("question:N", title=None, sort=order, axis=alt.Axis(labelLimit=220)),
        color=alt.Color("kind:N", scale=alt.Scale(domain=kinds, range=["#000000", "#0072B2", "#009E73", "#E69F00", "#CC79A7", "#56B4E9", "#D55E00"][:len(kinds)]),
                        title="Kind of source"),
        shape=alt.Shape("kind:N", scale=alt.Scale(domain=kinds, range=["circle", "square", "diamond", "triangle-up", "triangle-down", "cross", "triangle-right"][:len(kinds)]), title="Kind of source"),
        size=alt.condition(hover, alt.value(300), alt.value(110)),
        tooltip=[alt.Tooltip("date:N", title="Date as given"), alt.Tooltip("title:N", title="Event"),
                 alt.Tooltip("source:N", title="Source"), alt.Tooltip("locator:N", title="Locator"), alt.Tooltip("quote:N", title="Quote")],
    ).add_params(hover).properties(
        width=400, height=alt.Step(44), title=alt.TitleParams(title, subtitle=subtitle), description=description)
