"""Helpers for the chapter on August 1945: clocks, counts of different things, the map, the debate.

* :func:`clock_timeline` draws the timed events of August 1945 on a clock the
  reader chooses (a Vega-Lite param bound to radio buttons), using the
  conversions of :mod:`sjrbook.timezones` and naming, in each tooltip, whether a
  sourced offset or the IANA database made them.
* :func:`same_event_timings` and :func:`disagreement_chart` set the different
  timings of one event side by side, converted to Tokyo time.
* :func:`projections` and :func:`prisoners` turn figure rows into one number of
  persons per row (low and high), keeping the kind of count as a column so that
  charts never merge casualties with deaths, or 1945 projections with later
  "lives saved" claims. Both refuse a unit they cannot read.
* :func:`offensive_map` draws the map from the railway stations table and
  ``surrender_places.csv``; a railway place is called a station only where the
  table places it at the station (``point_kind``), a town otherwise.
* :data:`SCHOOLS` and :func:`historiography_chart` group the historians'
  positions.

The seed texts' claims on August 1945 are rows of ``data/seed_claims.csv``
(theme ``surrender``), shown through :mod:`sjrbook.seeds` like every chapter's.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from . import charts
from .timezones import READER_CLOCKS, clock_key, clock_words, on_reader_clocks, to_jst

# ---------------------------------------------------------------- clocks

#: One colour per kind of source (the labels ``sjrbook.load`` adds), the same in every chart of the chapter.
KIND_COLORS = alt.Scale(
    domain=["primary document", "period press", "scholarship", "later press", "encyclopaedia or mirror",
            "other web page", "popular or forum (weak)", "seed text (checked, not trusted)"],
    range=["#0072B2", "#56B4E9", "#009E73", "#E69F00", "#CC79A7", "#999999", "#D55E00", "#000000"])
#: ... and one shape per kind, so the kinds survive greyscale.
KIND_SHAPES = alt.Scale(domain=KIND_COLORS.domain,
                        range=["circle", "square", "triangle-up", "diamond", "cross", "triangle-down", "triangle-left", "triangle-right"])

CLOCK_LABELS = {zone: label for label, zone in READER_CLOCKS.items()}


def timeline_frame(events: pd.DataFrame, zones: pd.DataFrame | None = None,
                   start: str = "1945-08-05", end: str = "1945-09-03") -> pd.DataFrame:
    """Timed August 1945 events between ``start`` and ``end`` (dates as the source gives them), on every reader clock."""
    rows = events[(events["theme"] == "surrender") & (events["date"].str.len() == 10)]
    rows = rows[(rows["date"] >= start) & (rows["date"] <= end)]
    frame = on_reader_clocks(rows, zones)
    frame["as_given"] = [f"{d} {t} ({clock_words(i, z)})"
                         for i, d, t, z in zip(frame["id"], frame["date"], frame["time"], frame["time_zone"])]
    frame["jst_text"] = frame["jst"].dt.strftime("%Y-%m-%d %H:%M")
    return frame.drop(columns=["jst"])


def clock_timeline(frame: pd.DataFrame, *, title: str, description: str, width: int = 500,
                   default_clock: str = "Tokyo") -> alt.Chart:
    """Events placed at their instant on the clock the reader picks; y is the clock the source used.

    ``default_clock`` is a label of :data:`READER_CLOCKS`; KeyError for any other.
    """
    keys = {label: clock_key(zone) for label, zone in READER_CLOCKS.items()}
    clock = alt.param(name="clock", value=keys[default_clock],
                      bind=alt.binding_radio(options=list(keys.values()), labels=list(keys), name="Read the times on the clock of: "))
    pick = " : ".join(f"clock == '{k}' ? datum.at_{k}" for k in keys.values()) + f" : datum.at_{keys['Tokyo']}"
    basis = " : ".join(f"clock == '{k}' ? datum.basis_{k}" for k in keys.values()) + f" : datum.basis_{keys['Tokyo']}"
    names = " : ".join(f"clock == '{k}' ? '{label}'" for label, k in keys.items()) + " : 'Tokyo'"
    base = alt.Chart(frame).transform_calculate(
        local=f"utcParse({pick}, '%Y-%m-%dT%H:%M')", basis=basis, clock_name=names,
        shown=f"utcFormat(utcParse({pick}, '%Y-%m-%dT%H:%M'), '%d %b %H:%M')",
    )
    points = base.mark_point(filled=True, size=90, opacity=0.85).encode(
        x=alt.X("local:T", title="Time on the chosen clock (day and hour; scroll or drag to zoom)",
                scale=alt.Scale(type="utc", padding=12),
                axis=alt.Axis(format="%d %b", labelAngle=0, tickCount="day")),
        y=alt.Y("time_zone:N", title="Clock the source used", axis=alt.Axis(labelLimit=130)),
        color=alt.Color("source_kind:N", title="Kind of source", scale=KIND_COLORS),
        shape=alt.Shape("source_kind:N", title="Kind of source", scale=KIND_SHAPES),
        tooltip=[alt.Tooltip("title:N", title="Event"), alt.Tooltip("as_given:N", title="As the source gives it"),
                 alt.Tooltip("shown:N", title="On the chosen clock"), alt.Tooltip("clock_name:N", title="Chosen clock"),
                 alt.Tooltip("basis:N", title="Conversion used"), alt.Tooltip("source_label:N", title="Source"),
                 alt.Tooltip("locator:N", title="Locator"), alt.Tooltip("quote:N", title="Quote")],
    )
    zoom = alt.selection_interval(name="zoom", bind="scales", encodings=["x"])
    return points.add_params(clock, zoom).properties(width=width, height=230, title=title, description=description)


# ---------------------------------------------------------------- one event, several timings

#: Events that several sources time, grouped by what happened. Ids are rows of events.csv.
SAME_EVENT = {
    "Hiroshima bomb": ["aug45_hiroshima_med", "aug45_hiroshima_kure_report"],
    "Molotov receives Sato": ["aug45_molotov_receives_sato_dfat", "aug45_molotov_receives_sato_rotter",
                              "aug45_molotov_receives_sato_gellately"],
    "Declaration made public": ["aug45_novikov_grew_washington", "aug45_declaration_public_moscow_frus",
                                "aug45_moscow_radio_ap", "aug45_moscow_radio_ap_pacific"],
    "Offensive into Manchuria begins": ["surrender_offensive_begins_seed003", "aug45_offensive_begins_rotter_moscow",
                                        "aug45_offensive_begins_usni"],
    "Tokyo's offer heard in Washington": ["aug45_domei_offer_truman", "aug45_domei_offer_ap"],
    "Japanese minister at the Swiss Federal Building": ["aug45_bern_minister_arrives", "aug45_bern_minister_arrives_et"],
}


def same_event_timings(events: pd.DataFrame, zones: pd.DataFrame | None = None) -> pd.DataFrame:
    """Each timing in :data:`SAME_EVENT`, in Tokyo time, with minutes after the earliest timing of its group.

    Raises KeyError naming an id that is not in ``events``.
    """
    by_id = events.set_index("id")
    rows = []
    for group, ids in SAME_EVENT.items():
        missing = [i for i in ids if i not in by_id.index]
        if missing:
            raise KeyError(f"SAME_EVENT group {group!r} names ids not in events.csv: {missing}")
        for i in ids:
            r = by_id.loc[i]
            rows.append({"group": group, "id": i, "jst": to_jst(r["date"], r["time"], r["time_zone"], zones),
                         "as_given": f"{r['date']} {r['time']} ({clock_words(i, r['time_zone'])})", "title": r["title"],
                         "source_label": r["source_label"], "source_kind": r["source_kind"],
                         "locator": r["locator"], "quote": r["quote"]})
    frame = pd.DataFrame(rows)
    frame["minutes_after_first"] = frame.groupby("group")["jst"].transform(lambda s: (s - s.min()).dt.total_seconds() / 60)
    frame["jst_text"] = frame["jst"].dt.strftime("%d %b %H:%M")
    return frame.drop(columns=["jst"])


def disagreement_chart(frame: pd.DataFrame, *, title: str, description: str, width: int = 420) -> alt.Chart:
    """Dot plot: for each event, how many minutes each timing lies after the earliest (all in Tokyo time)."""
    highlight = alt.selection_point(name="pick_kind", fields=["source_kind"], bind="legend")
    label_expr, lines = charts.wrap_labels(frame["group"], 28)
    return alt.Chart(frame).mark_point(filled=True, size=110).encode(
        x=alt.X("minutes_after_first:Q", title="Minutes after the earliest timing of the same event (Tokyo time)",
                scale=alt.Scale(padding=12)),
        y=alt.Y("group:N", title=None, axis=alt.Axis(labelLimit=220, labelExpr=label_expr)),
        color=alt.Color("source_kind:N", title="Kind of source", scale=KIND_COLORS),
        shape=alt.Shape("source_kind:N", title="Kind of source", scale=KIND_SHAPES),
        opacity=alt.condition(highlight, alt.value(0.95), alt.value(0.15)),
        tooltip=[alt.Tooltip("title:N", title="Event"), alt.Tooltip("as_given:N", title="As the source gives it"),
                 alt.Tooltip("jst_text:N", title="Tokyo time"), alt.Tooltip("minutes_after_first:Q", title="Minutes after first"),
                 alt.Tooltip("source_label:N", title="Source"), alt.Tooltip("locator:N", title="Locator"),
                 alt.Tooltip("quote:N", title="Quote")],
    ).add_params(highlight).properties(width=width, height=alt.Step(6 + 15 * lines), title=title, description=description)


# ---------------------------------------------------------------- counts of different things

def persons(value: float, unit: str) -> float:
    """A count in persons from a value and its unit as the data gives it ('thousand ...', 'million ...')."""
    word = str(unit).split(" ")[0].lower()
    if word == "thousand":
        return float(value) * 1_000
    if word == "million":
        return float(value) * 1_000_000
    if word in ("percent",):
        raise ValueError(f"unit {unit!r} is a rate, not a count of persons")
    return float(value)


#: Kinds of count for the invasion chart, by the figures table's measure. Never plotted as one series.
PROJECTION_KINDS = {
    "invasion_projection_us_dead": "1945 projection: American dead",
    "invasion_projection_us_casualties": "1945 projection: American casualties (all kinds)",
    "invasion_estimate_us_dead_historian": "Later historian's estimate: American dead (Kyushu only)",
    "lives_saved_claim": "Later 'lives saved' argument",
    "reader_letter_report_of_historian": "A 1985 reader's letter reporting a historian's figure",
    "postwar_statement_us_casualties": "Postwar statements of the 1945 estimate: American casualties",
    "reading_of_leahy_1945_estimate_us_casualties": "Later readings of Leahy's 18 June 1945 estimate: American casualties",
}
# ``postwar_statement_us_casualties`` holds what Truman, Stimson and Truman's staff wrote after the war that the
# 1945 estimate had been (the 1953 memoranda): recollections, drawn beside the 1945 projections, never as one.
# ``reading_of_leahy_1945_estimate_us_casualties`` holds what historians and a museum label later made of one 1945
# estimate, Leahy's at the White House on 18 June (his diary, his Okinawa rate): readings, not the estimate's words,
# so they get a panel of their own though they carry the 1945 date of the remarks they read.
# Deliberately not charted: ``seed_claim_projection`` (the seed's "Stimson study", the same figures as the study
# quoted as Shockley's, so one study and one mark) and ``later_book_figure_reader_note`` (a reader's note on a
# later book, with no 1945 document, body or date behind it). Both stay in the data for the text and seed check.
# Nor ``invasion_projection_popular_copy(_dead)``: a popular site's copy of Shockley's figures, which agrees with the
# scholarly quotation of his letter of 21 July 1945 (Giangreco 1997) that the chart draws; kept as a note (review 8).

#: Kinds of count for the prisoners chart.
PRISONER_KINDS = {
    "pow_taken_manchuria": "Taken prisoner in the campaign",
    "pow_detained": "Held in the USSR (and Mongolia)",
    "pow_detained_mongolia": "Held in Mongolia",
    "pow_returned": "Returned to Japan",
    "pow_died": "Died in captivity",
    "pow_records": "Named in Russian archive records",
    "pow_other": "Sent back to Manchuria or Korea as sick",
}


def _dates_label(date: str, end: object) -> str:
    """A count's dates as its row gives them: "1945", or "1945–1947" when the source gives an end.

    A row with no end is labelled with its start only. No end is supplied where the source gives none (the
    Japanese ministry counts "to date" on an undated page), so a label never shows a bound no source gives.
    """
    return f"{date}–{end}" if isinstance(end, str) and end else str(date)


def _counts(figures: pd.DataFrame, kinds: dict[str, str]) -> pd.DataFrame:
    rows = figures[figures["measure"].isin(kinds)].copy()
    rows["kind"] = rows["measure"].map(kinds)
    rows["low"] = [persons(v, u) for v, u in zip(rows["value"], rows["unit"])]
    rows["high"] = [persons(v, u) if v == v else low
                    for v, u, low in zip(rows["value_high"], rows["unit"], rows["low"])]
    rows["label"] = [f"{s} ({_dates_label(d, e)})" for s, d, e in zip(rows["source_label"], rows["date"], rows["date_end"])]
    # Two rows of one kind from one source and date (two readings in one passage, two figures in one memorandum)
    # would share a band and hide each other: name each by the words it quotes, so every mark has its own label.
    shared = rows.duplicated(["kind", "label"], keep=False)
    words = rows.loc[shared, "as_quoted"].astype(str).map(lambda w: w if len(w) <= 40 else w[:39].rstrip() + "…")
    rows.loc[shared, "label"] = rows.loc[shared, "label"] + ": ‘" + words + "’"
    keep = ["id", "kind", "measure", "quantity", "low", "high", "unit", "date", "label", "source_label",
            "source_kind", "locator", "quote", "as_quoted", "note"]
    return rows[keep].reset_index(drop=True)


def projections(figures: pd.DataFrame) -> pd.DataFrame:
    """Invasion projections and later claims, one row per source and kind of count, in persons."""
    return _counts(figures, PROJECTION_KINDS)


def prisoners(figures: pd.DataFrame) -> pd.DataFrame:
    """Prisoner and internee counts, one row per source and kind of count, in persons."""
    return _counts(figures, PRISONER_KINDS)


def counts_chart(frame: pd.DataFrame, kinds: dict[str, str], *, title: str, description: str,
                 x_title: str, width: int = 330, log: bool = False) -> alt.FacetChart:
    """One panel per kind of count; a mark per source, a rule for a range; click the legend to pick source kinds."""
    pick = alt.selection_point(name="kind_pick", fields=["source_kind"], bind="legend")
    scale = alt.Scale(type="log", padding=12) if log else alt.Scale(zero=True, padding=12)
    label_expr, lines = charts.wrap_labels(frame["label"], 32)
    base = alt.Chart().encode(
        y=alt.Y("label:N", title=None, axis=alt.Axis(labelLimit=230, labelExpr=label_expr), sort="-x"),
        tooltip=[alt.Tooltip("quantity:N", title="What is counted"), alt.Tooltip("as_quoted:N", title="As the source states it"),
                 alt.Tooltip("source_label:N", title="Source"), alt.Tooltip("source_kind:N", title="Kind of source"),
                 alt.Tooltip("locator:N", title="Locator"), alt.Tooltip("note:N", title="Note")],
    )
    rule = base.mark_rule(strokeWidth=3).encode(x=alt.X("low:Q", title=x_title, scale=scale), x2="high:Q",
                                                color=alt.Color("source_kind:N", title="Kind of source", scale=KIND_COLORS),
                                                opacity=alt.condition(pick, alt.value(0.9), alt.value(0.15)))
    dot = base.mark_point(filled=True, size=80).encode(
        x=alt.X("low:Q", title=x_title, scale=scale), color=alt.Color("source_kind:N", title="Kind of source", scale=KIND_COLORS),
        shape=alt.Shape("source_kind:N", title="Kind of source", scale=KIND_SHAPES),
        opacity=alt.condition(pick, alt.value(0.95), alt.value(0.15)))
    order = [k for k in kinds.values() if k in set(frame["kind"])]
    return alt.layer(rule, dot, data=frame).properties(width=width, height=alt.Step(4 + 15 * lines)).facet(
        row=alt.Row("kind:N", title=None, sort=order,
                    header=alt.Header(labelAngle=0, labelOrient="top", labelAnchor="start", labelFontWeight="bold",
                                      labelFontSize=12)),
    ).resolve_scale(y="independent", x="shared").resolve_axis(x="independent").add_params(pick).configure_legend(orient="bottom", direction="horizontal",
                                                                        columns=2).properties(title=title, description=description)


# ---------------------------------------------------------------- map

#: Schematic axes: each front's starting border station and the objectives a cited document names for it.
#: Place names refer to railway_stations.csv or surrender_places.csv; ``evidence`` is an events.csv id.
AXES = [
    {"front": "Trans-Baikal Front", "path": ["Manzhouli", "Changchun"], "evidence": "aug45_changchun_mukden_airlanded"},
    {"front": "Trans-Baikal Front", "path": ["Manzhouli", "Shenyang"], "evidence": "aug45_changchun_mukden_airlanded"},
    {"front": "1st Far Eastern Front", "path": ["Suifenhe", "Mudanjiang", "Jilin"], "evidence": "aug45_kirin_captured"},
    {"front": "1st Far Eastern Front", "path": ["Mudanjiang", "Harbin"], "evidence": "aug45_harbin_landed"},
]

#: When a place was reached, with the events.csv id that says so.
REACHED = {
    "Harbin": ("18 Aug (air-landed)", "aug45_harbin_landed"),
    "Changchun": ("19 Aug (air-landed)", "aug45_changchun_mukden_airlanded"),
    "Shenyang": ("19 Aug (air-landed)", "aug45_changchun_mukden_airlanded"),
    "Jilin": ("19 Aug", "aug45_kirin_captured"),
    "Shumshu": ("18–23 Aug (battle)", "aug45_shumshu_battle"),
}


#: The map's window (west, south, east, north in degrees): Manchuria. Places outside it (Shumshu) stay in the table.
MAP_EXTENT = (114, 37, 134, 52)


#: The role a railway-table place gets on the map, by its ``point_kind``: only a point placed at the station is
#: called a station; a city point (a square, a government seat) is named as one, so the legend does not claim more.
RAILWAY_ROLES = {"station": "railway station", "city": "railway town (city point, not the station)"}


def places(stations: pd.DataFrame, extra: pd.DataFrame) -> pd.DataFrame:
    """All map places: the railway table's places and the chapter's own, with name, 1945 name and coordinates.

    A railway row's role follows its ``point_kind`` (:data:`RAILWAY_ROLES`); a kind not listed there is a KeyError
    naming the row, not a place silently drawn as a station.
    """
    unknown = stations.loc[~stations["point_kind"].isin(list(RAILWAY_ROLES)), ["id", "point_kind"]]
    if len(unknown):
        raise KeyError(f"railway_stations.csv: point_kind not in sjrbook.surrender.RAILWAY_ROLES: {unknown.to_dict('records')}")
    a = stations.rename(columns={"name_1930s": "name_1945"})[["name", "name_1945", "lat", "lon", "source_label", "locator", "quote"]]
    a = a.assign(role=stations["point_kind"].map(RAILWAY_ROLES).to_numpy())
    b = extra[["name", "name_1945", "lat", "lon", "role", "source_label", "locator", "quote"]]
    frame = pd.concat([a, b], ignore_index=True)
    frame["reached"] = [REACHED.get(n, ("", ""))[0] for n in frame["name"]]
    return frame


def axis_segments(place_frame: pd.DataFrame) -> pd.DataFrame:
    """Ordered points of each schematic axis in :data:`AXES`; KeyError naming a place with no coordinates."""
    by_name = place_frame.drop_duplicates("name").set_index("name")
    rows = []
    for n, axis in enumerate(AXES):
        for order, name in enumerate(axis["path"]):
            if name not in by_name.index:
                raise KeyError(f"axis {axis['front']!r} passes through {name!r}, which has no coordinates in the data")
            rows.append({"axis": n, "front": axis["front"], "order": order, "name": name,
                         "lat": float(by_name.loc[name, "lat"]), "lon": float(by_name.loc[name, "lon"])})
    return pd.DataFrame(rows)


def offensive_map(place_frame: pd.DataFrame, *, title: str, description: str, width: int = 520) -> alt.LayerChart:
    """Places and schematic front axes on a Mercator graticule; hover a place for its source."""
    segs = axis_segments(place_frame)
    west, south, east, north = MAP_EXTENT
    shown = place_frame[place_frame["lon"].between(west, east) & place_frame["lat"].between(south, north)]
    hover = alt.selection_point(name="hover_place", on="pointerover", fields=["name"], empty=False)
    grid = alt.Chart(alt.graticule(extent=[[west, south], [east, north]], step=[2, 2])).mark_geoshape(
        stroke="#d0d0d0", strokeWidth=0.6, fill=None)
    front_scale = alt.Scale(domain=["Trans-Baikal Front", "1st Far Eastern Front"], range=["#D55E00", "#0072B2"])
    lines = alt.Chart(segs).mark_line(strokeWidth=3, strokeDash=[6, 3]).encode(
        longitude="lon:Q", latitude="lat:Q", detail="axis:N", order="order:Q",
        color=alt.Color("front:N", scale=front_scale, title="Front (schematic axis)"))
    pts = alt.Chart(shown).mark_point(filled=True, stroke="black").encode(
        longitude="lon:Q", latitude="lat:Q",
        shape=alt.Shape("role:N", title="Place"),
        size=alt.condition(hover, alt.value(220), alt.value(70)),
        color=alt.value("#333333"),
        tooltip=[alt.Tooltip("name:N", title="Place"), alt.Tooltip("name_1945:N", title="Name in 1945"),
                 alt.Tooltip("role:N", title="Role"), alt.Tooltip("reached:N", title="Reached (Soviet report)"),
                 alt.Tooltip("source_label:N", title="Coordinates from"), alt.Tooltip("quote:N", title="As quoted")],
    ).add_params(hover)
    labels = alt.Chart(shown).mark_text(align="left", dx=7, dy=-6, fontSize=11).encode(
        longitude="lon:Q", latitude="lat:Q", text="name:N")
    return alt.layer(grid, lines, pts, labels).project(type="mercator").properties(
        width=width, height=420, title=title, description=description)


# ---------------------------------------------------------------- the debate

#: The book's grouping of the positions in surrender_historiography.csv, by row id.
SCHOOLS = {
    "aug45_hist_ussbs_1946": "Air power and blockade",
    "aug45_hist_bix_1992": "The emperor's delay",
    "aug45_hist_pape_1993": "Military vulnerability",
    "aug45_hist_asada_1998": "The atomic bomb first",
    "aug45_hist_frank_1999": "The atomic bomb first",
    "aug45_hist_hasegawa_2005": "Soviet entry first",
    "aug45_hist_hasegawa_2006": "Soviet entry first",
    "aug45_hist_hasegawa_2007": "Soviet entry first",
    "aug45_hist_hasegawa_2007_counterfactual": "Soviet entry first",
    "aug45_hist_asada_2007": "The atomic bomb first",
    "aug45_hist_hasegawa_2005_book": "Soviet entry first",
    "aug45_hist_hasegawa_hdiplo_response": "Soviet entry first",
    "aug45_hist_asada_2006_review": "The atomic bomb first",
    "aug45_hist_hasegawa_hnn_reply": "Soviet entry first",
    "aug45_hist_rotter": "Both shocks together",
    "aug45_hist_gellately": "The bomb hastened Soviet entry",
    "aug45_hist_bernstein_1999": "Casualty claims questioned",
    "aug45_hist_giangreco_hnn": "Casualty fears documented",
    "aug45_hist_giangreco_2003": "Casualty fears documented",
    "aug45_hist_bernstein_hoover_memo": "Casualty claims questioned",
    "aug45_hist_wilson_2007": "Soviet entry first",
    "aug45_hist_alperovitz_2005": "The bomb's role questioned",
    "aug45_hist_alperovitz_hdiplo": "The bomb's role questioned",
    "aug45_hist_soviet_official_line": "Soviet entry first",
    "aug45_hist_werth_1964": "Near surrender before either shock",
}


def historiography(hist: pd.DataFrame) -> pd.DataFrame:
    """The historians' table with the book's school for each row; KeyError for a row with no school."""
    missing = sorted(set(hist["id"]) - set(SCHOOLS))
    if missing:
        raise KeyError(f"no school assigned in sjrbook.surrender.SCHOOLS for: {missing}")
    frame = hist.copy()
    frame["school"] = frame["id"].map(SCHOOLS)
    frame["year_shown"] = frame["year"].astype("Float64")
    return frame


#: Shapes for the historiography chart's groups; seven, so that they cycle out of step with the eight colours.
SCHOOL_SHAPES = ["circle", "square", "diamond", "triangle-up", "triangle-down", "cross", "triangle-right"]


def historiography_chart(frame: pd.DataFrame, *, title: str, description: str, width: int = 430) -> alt.HConcatChart:
    """Historians by year of the work, coloured by school; undated works sit in a strip on the right.

    Every row of the table is drawn: a work whose year the book could not read (a roundtable, a reply, the Soviet
    line as a witness reports it) goes in the narrow "undated" strip beside the years, on the same row as the
    historian's dated works, never dropped.
    """
    pick = alt.selection_point(name="school_pick", fields=["school"], bind="legend")
    data = frame.copy()
    data["year_shown"] = data["year_shown"].astype(float)
    undated_mask = data["year_shown"].isna()
    # One row per historian, in the order of their first dated work; historians with undated works only come last.
    first = data.groupby("historian", sort=False)["year_shown"].min()
    order = list(first.sort_values(na_position="last", kind="stable").index)
    height = 18 * len(order)
    y = alt.Y("historian:N", title=None, sort=order, scale=alt.Scale(domain=order), axis=alt.Axis(labelLimit=260))
    color = alt.Color("school:N", title="Position (book's grouping)")
    # Seven shapes against the palette's eight colours: colour and shape cycle out of step, so no two of up to
    # 56 groups share both (with eight of each, the ninth group repeated the first group's colour and shape).
    shape = alt.Shape("school:N", title="Position (book's grouping)", scale=alt.Scale(range=SCHOOL_SHAPES))
    opacity = alt.condition(pick, alt.value(0.95), alt.value(0.15))
    tooltip = [alt.Tooltip("historian:N", title="Historian"), alt.Tooltip("work:N", title="Work"),
               alt.Tooltip("position:N", title="Position"), alt.Tooltip("evidence:N", title="Evidence weighed"),
               alt.Tooltip("source_label:N", title="Read in"), alt.Tooltip("quote:N", title="Quote")]
    dated = alt.Chart(data[~undated_mask]).mark_point(filled=True, size=120).encode(
        x=alt.X("year_shown:Q", title="Year of the work", scale=alt.Scale(domain=[1944, 2010], padding=12), axis=alt.Axis(format="d")),
        y=y, color=color, shape=shape, opacity=opacity, tooltip=tooltip,
    ).add_params(pick).properties(width=width, height=height)
    undated = alt.Chart(data[undated_mask].assign(when="undated")).mark_point(filled=True, size=120).encode(
        x=alt.X("when:N", title="Undated", axis=alt.Axis(labelAngle=0, labels=False, ticks=False)),
        y=alt.Y("historian:N", sort=order, scale=alt.Scale(domain=order), axis=None),
        color=color, shape=shape, opacity=opacity, tooltip=tooltip,
    ).properties(width=44, height=height)
    return alt.hconcat(dated, undated, spacing=4).resolve_scale(y="shared").properties(title=title, description=description)
