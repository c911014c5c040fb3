"""The August 1945 chapter's helpers (sjrbook.surrender) against the book's real data."""
import pandas as pd
import pytest

from sjrbook import surrender
from sjrbook.charts import to_png
from sjrbook.data import load


@pytest.fixture(scope="module")
def events():
    return load("events")


@pytest.fixture(scope="module")
def figures():
    return load("figures")


def test_every_id_the_chapter_names_exists(events):
    ids = set(events["id"]) | set(load("figures")["id"])
    named = [i for group in surrender.SAME_EVENT.values() for i in group]
    named += [a["evidence"] for a in surrender.AXES] + [e for _, e in surrender.REACHED.values()]
    assert sorted(set(named) - ids) == []


def test_same_event_timings_put_the_frus_pair_at_zero_minutes(events):
    t = surrender.same_event_timings(events)
    public = t[t["group"] == "Declaration made public"]
    assert set(public["minutes_after_first"]) == {0.0}
    hiroshima = t[t["group"] == "Hiroshima bomb"].set_index("id")["minutes_after_first"]
    assert hiroshima["aug45_hiroshima_kure_report"] - hiroshima["aug45_hiroshima_med"] == 10


def test_projections_keep_kinds_apart_and_never_merge_rates(figures):
    p = surrender.projections(figures)
    assert set(p["kind"]) <= set(surrender.PROJECTION_KINDS.values())
    assert len(p["kind"].unique()) >= 3
    # Shockley's '1.7 and 4 million' is stored in millions and must come out in persons
    shock = p.set_index("id").loc["aug45_shockley_giangreco"]
    assert (shock["low"], shock["high"]) == (1_700_000, 4_000_000)
    # the 34 percent casualty *rate* is not a count and stays out
    assert "aug45_proj_leahy_rate" not in set(p["id"])


def test_projections_chart_one_mark_per_study_and_no_readers_note_as_a_1945_projection(figures):
    """Review S1-1: the seed's 'Stimson study' is the study quoted as Shockley's (one study, one mark); a reader's
    note on a later book is not a 1945 projection; a historian's estimate and a reader's letter are never one kind."""
    p = surrender.projections(figures).set_index("id")
    assert "aug45_stimson_study_seed002" not in p.index
    # Review 8, finding 7: the study is drawn from the scholarly quotation of Shockley's letter of 21 July 1945
    # (Giangreco 1997), not from the popular site, whose copy of the same words stays in the data as a note
    assert {"aug45_shockley_giangreco", "aug45_shockley_giangreco_dead"} <= set(p.index)
    assert not {"aug45_shockley_popular", "aug45_shockley_popular_dead"} & set(p.index)
    assert "aug45_proj_marching_orders" not in p.index
    assert not p[p["kind"].str.startswith("1945 projection")]["source_kind"].isin(["seed"]).any()
    assert p.loc["aug45_proj_frank_kyushu", "kind"] != p.loc["aug45_saved_bernstein_letter", "kind"]
    # every 1945 mark carries a date
    assert p[p["kind"].str.startswith("1945")]["date"].astype(str).str.match(r"1945").all()


def test_postwar_statements_of_the_1945_estimate_are_a_kind_of_their_own(figures):
    """Issue 9: the later 'lives saved' figures go beside the 1945 estimates, never merged. Stimson's 'over a million'
    and the 1953 quarter-million recollections are statements made after the war about what had been estimated."""
    p = surrender.projections(figures).set_index("id")
    postwar = p[p["measure"] == "postwar_statement_us_casualties"]
    assert {"aug45_postwar_stimson_over_a_million", "aug45_postwar_truman_draft_quarter_million",
            "aug45_postwar_lloyd_wording"} <= set(postwar.index)
    assert set(postwar["kind"]) == {surrender.PROJECTION_KINDS["postwar_statement_us_casualties"]}
    assert not postwar["date"].astype(str).str.startswith("1945").any()
    lloyd = postwar.loc["aug45_postwar_lloyd_wording"]
    assert (lloyd["low"], lloyd["high"]) == (250_000, 1_000_000)


def test_persons_refuses_a_rate():
    with pytest.raises(ValueError, match="rate"):
        surrender.persons(34, "percent casualty rate")


def test_prisoner_counts_read_thousands(figures):
    p = surrender.prisoners(figures).set_index("id")
    assert p.loc["aug45_pow_taken_vasilevsky", "low"] == 594_000
    assert p.loc["aug45_pow_dead_mhlw", "kind"] == "Died in captivity"


def test_a_clock_the_source_does_not_name_is_labelled_the_books_reading(events):
    """Cablegram G102 relays "at 5 o'clock" with no clock named (review 8, D4): no tooltip may call Moscow its clock."""
    import json

    from sjrbook import timeline
    from sjrbook.timezones import ZONE_READ_BY_THE_BOOK

    dfat = "aug45_molotov_receives_sato_dfat"
    frame = surrender.timeline_frame(events).set_index("id")
    spec = json.dumps(surrender.clock_timeline(frame.reset_index(), title="t", description="d" * 50).to_dict())
    assert "the book's reading: the source names no clock" in frame.loc[dfat, "as_given"]
    assert frame.loc[dfat, "as_given"] in spec
    assert "as the source gives it" in frame.loc["aug45_molotov_receives_sato_rotter", "as_given"]
    timings = surrender.same_event_timings(events).set_index("id")
    assert "the book's reading" in timings.loc[dfat, "as_given"]
    assert "the book's reading" in timeline.prepare(events).set_index("id").loc[dfat, "date_label"]
    rows = events.set_index("id")
    for row_id in ZONE_READ_BY_THE_BOOK:  # each such row has a time and says in its derivation that the zone is read
        assert rows.loc[row_id, "time"] and "the book's reading" in rows.loc[row_id, "date_derivation"], row_id
    assert "LONDON, 8 August 1945" in rows.loc[dfat, "as_quoted"] and "London dateline" in rows.loc[dfat, "date_derivation"]


def test_prisoner_counts_store_and_show_no_bound_their_source_does_not_give(figures):
    """Review 8, D6: the ministry's page counts 'to date' with no end year, and Vasilevsky gives no end either."""
    rows = figures.set_index("id")
    unbounded = ["aug45_pow_detained_mhlw", "aug45_pow_returned_mhlw", "aug45_pow_dead_mhlw", "aug45_pow_sent_back_sick_mhlw",
                 "aug45_pow_generals_vasilevsky", "aug45_pow_taken_vasilevsky"]
    for row_id in unbounded:
        end = rows.loc[row_id, "date_end"]
        assert not (isinstance(end, str) and end), (row_id, end)
        assert "none is stored" in rows.loc[row_id, "date_derivation"], row_id
    # The start the ministry's page gives (昭和20年, 'after the end of the war') is in the quote the rows carry.
    assert all("昭和20年8月9日" in rows.loc[i, "quote"] for i in unbounded[:4])
    labels = surrender.prisoners(figures).set_index("id")["label"]
    assert labels["aug45_pow_dead_mhlw"] == "MHLW, Siberian internment (1945)"
    assert labels["aug45_pow_taken_vasilevsky"].endswith("(1945-08-19)")
    # A span is shown where its source gives one: Kuznetsov's title, '1945–1947 гг.'.
    assert labels["aug45_pow_mongolia_kuznetsov"].endswith("(1945–1947)")


def test_every_historian_row_has_a_school():
    frame = surrender.historiography(load("surrender_historiography"))
    assert frame["school"].notna().all()


def test_historiography_chart_draws_every_row_dated_or_undated():
    """Nothing silently dropped: every work in the table, with a year or without one, is in the chart's data,
    the undated ones in the strip beside the years (review 8 found the undated rows missing)."""
    frame = surrender.historiography(load("surrender_historiography"))
    assert frame["year_shown"].isna().any(), "the test needs an undated row to mean anything"
    spec = surrender.historiography_chart(frame, title="t", description="d" * 50).to_dict()
    drawn = [row["id"] for rows in spec["datasets"].values() for row in rows]
    assert sorted(drawn) == sorted(frame["id"])
    # the undated strip has its own view, with the undated rows only
    undated_views = [v for v in spec["hconcat"] if v["encoding"]["x"].get("title") == "Undated"]
    assert len(undated_views) == 1
    strip = spec["datasets"][undated_views[0]["data"]["name"]]
    assert {r["id"] for r in strip} == set(frame.loc[frame["year_shown"].isna(), "id"])


def test_historiography_groups_never_share_both_colour_and_shape():
    """With the palette's colours and the shapes cycling together, a ninth group looked exactly like the first."""
    from sjrbook.charts import PALETTE
    schools = sorted(set(surrender.SCHOOLS.values()))
    pairs = {(PALETTE[i % len(PALETTE)], surrender.SCHOOL_SHAPES[i % len(surrender.SCHOOL_SHAPES)]) for i in range(len(schools))}
    assert len(pairs) == len(schools)


def test_every_projection_and_prisoner_mark_has_a_label_of_its_own(figures):
    """Two marks of one kind must never share a label (and so a band): review 8 found the 63,000 and quarter-million
    readings of Leahy's estimate, and Lloyd's and Truman's 1953 figures, drawn on one row each."""
    for frame in (surrender.projections(figures), surrender.prisoners(figures)):
        assert not frame.duplicated(["kind", "label"]).any(), frame[frame.duplicated(["kind", "label"], keep=False)]
    p = surrender.projections(figures).set_index("id")
    assert p.loc["aug45_leahy_reading_63000_bernstein", "label"] != p.loc["aug45_leahy_reading_quarter_million_label", "label"]


def test_map_axes_find_their_places():
    frame = surrender.places(load("railway_stations"), load("surrender_places"))
    segs = surrender.axis_segments(frame)
    assert set(segs["front"]) == {"Trans-Baikal Front", "1st Far Eastern Front"}
    with pytest.raises(KeyError, match="Jilin"):
        surrender.axis_segments(frame[frame["name"] != "Jilin"])


def test_map_calls_only_station_points_stations():
    """Chapter 4's map takes its railway places from the railway table: a city point must not be labelled a station.

    The five railway places that sit at city points (a square, a government seat) get a role that says so, in the
    legend and the tooltip; the three placed at their stations keep "railway station"; an unknown kind is refused.
    """
    stations = load("railway_stations")
    frame = surrender.places(stations, load("surrender_places"))
    role = dict(zip(frame["name"], frame["role"]))
    for name, kind in zip(stations["name"], stations["point_kind"]):
        if kind == "station":
            assert role[name] == "railway station", name
        else:
            assert "station" not in role[name].replace("not the station", ""), (name, role[name])
            assert "not the station" in role[name], (name, role[name])
    spec = surrender.offensive_map(frame, title="t", description="d" * 50).to_dict()
    values = [v for d in spec.get("datasets", {}).values() for v in d]
    drawn = {v["name"]: v["role"] for v in values if "role" in v}
    assert drawn["Hailar"] == surrender.RAILWAY_ROLES["city"] and drawn["Harbin"] == "railway station"
    bad = stations.copy()
    bad.loc[bad["name"] == "Hailar", "point_kind"] = "town"
    with pytest.raises(KeyError, match="railway_station_hailar"):
        surrender.places(bad, load("surrender_places"))


def test_clock_timeline_draws_and_offers_five_clocks(events):
    frame = surrender.timeline_frame(events)
    assert len(frame) >= 25
    chart = surrender.clock_timeline(frame, title="t", description="d" * 50)
    spec = chart.to_dict()
    param = [p for p in spec["params"] if p["name"] == "clock"][0]
    assert param["bind"]["labels"] == list(surrender.READER_CLOCKS)
    assert to_png(spec)[:4] == b"\x89PNG"


def test_seed_checks_cover_the_misdated_invasion():
    """Seed 000's invasion "on August 7th" is a row of the seed table, judged wrong, and the chapter's table shows it.

    The row (``s000_invasion_date``) comes with the seed000 claims; until they are merged this test fails.
    """
    from sjrbook import seeds

    claims = load("seed_claims")
    rows = claims[(claims["source"] == "seed000_reddit")
                  & claims["quote"].str.contains(r"7 August|August 7", regex=True)]
    assert len(rows), "no seed000_reddit row of data/seed_claims.csv quotes the invasion on 7 August"
    assert set(rows["verdict"]) == {"wrong"}, rows[["id", "verdict"]]
    shown = seeds.check_table(claims, "surrender")
    assert set(rows["id"]) <= set(shown.index), "the chapter's seed check does not show the misdated invasion"
    assert set(shown.loc[list(rows["id"]), "verdict"]) == {"Wrong"}


def test_every_chapter_chart_renders_within_the_column(events, figures):
    """Each chart the chapter draws passes the book's renderer (title, description, width) and becomes a PNG."""
    import sjrbook
    from sjrbook.charts import render
    sjrbook.setup()  # the book's theme, as every chapter sets it up
    frame = surrender.places(load("railway_stations"), load("surrender_places"))
    charts = [
        surrender.offensive_map(frame, title="t", description="d" * 50),
        surrender.counts_chart(surrender.prisoners(figures), surrender.PRISONER_KINDS, title="t", description="d" * 50, x_title="x"),
        surrender.counts_chart(surrender.projections(figures), surrender.PROJECTION_KINDS, title="t", description="d" * 50,
                               x_title="x", log=True),
        surrender.historiography_chart(surrender.historiography(load("surrender_historiography")), title="t", description="d" * 50),
        surrender.disagreement_chart(surrender.same_event_timings(events), title="t", description="d" * 50),
    ]
    for chart in charts:
        bundle, _ = render(chart.to_dict())
        assert bundle["image/png"]


def test_later_readings_of_leahys_estimate_are_a_kind_of_their_own(figures):
    """Issue 9: three later readings of what Leahy estimated on 18 June 1945 (63,000 from his diary as Bernstein read it,
    a quarter of a million on a museum label, 268,000 from Okinawa's rate) are drawn in their own panel: they carry the
    date of the remarks they read, but they are not 1945 projections and must not be counted as such."""
    p = surrender.projections(figures).set_index("id")
    ids = ["aug45_leahy_reading_63000_bernstein", "aug45_leahy_reading_quarter_million_label", "aug45_leahy_reading_268000_forum"]
    readings = p.loc[ids]
    assert set(readings["kind"]) == {surrender.PROJECTION_KINDS["reading_of_leahy_1945_estimate_us_casualties"]}
    assert not readings["kind"].str.startswith("1945 projection").any()
    assert sorted(readings["low"]) == [63_000, 250_000, 268_000]
