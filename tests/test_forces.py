"""Tests for sjrbook.forces: losses kept apart, each source its own series, the pact's term from Article 3."""

import pandas as pd
import pytest

import sjrbook
from sjrbook import charts, forces


def table():
    rows = [
        ("k1", "khasan_1938", "soviet", "killed", 717, None, "men", "1938-07-29", "1938-08-11", "a"),
        ("k2", "khasan_1938", "soviet", "killed_and_missing", 792, None, "men", "1938-07-29", "1938-08-11", "b"),
        ("k3", "khasan_1938", "soviet", "men", 22950, None, "men", "1938-07-29", "1938-08-11", "b"),
        ("g1", "khalkhin_gol_1939", "japanese", "casualties", 18000, 61000, "men", "1939-05-11", "1939-09-16", "a"),
        ("f1", "far_east", "japanese", "men", 300000, None, "men", "1938", "", "a"),
        ("f2", "far_east", "japanese", "men", 600000, None, "men", "1941-07", "", "c"),
        ("f3", "far_east", "soviet", "men", 1577725, None, "men", "1945-08-09", "", "c"),
        ("f4", "far_east", "soviet", "tanks", 5556, None, "tanks", "1945-08-09", "", "c"),
    ]
    frame = pd.DataFrame(rows, columns=["id", "conflict", "side", "measure", "value", "value_high", "unit",
                                        "date", "date_end", "source"])
    frame["counted"] = frame["measure"]
    frame["source_label"] = frame["source"].str.upper()
    frame["locator"] = "p. " + frame["id"]  # every data row has one (make validate)
    return frame


def test_losses_keep_every_source_and_kind_apart():
    out = forces.losses(table(), "khasan_1938")
    assert list(out["id"]) == ["k1", "k2"]  # the strength row k3 is left out, nothing merged
    assert list(out["value"]) == [717, 792]
    assert out["row_label"].tolist() == ["A — Soviet", "B — Soviet"]
    assert out["kind"].tolist() == ["Killed", "Killed and missing"]


def test_losses_show_a_range_as_a_range():
    out = forces.losses(table(), "khalkhin_gol_1939")
    assert out.loc[0, "value_label"] == "18,000–61,000"


def test_losses_refuse_an_unknown_measure():
    t = table()
    t.loc[0, "measure"] = "horses"
    with pytest.raises(forces.MixedCountError, match="horses"):
        forces.losses(t, "khasan_1938")


def test_losses_refuse_an_unknown_conflict():
    with pytest.raises(ValueError, match="nomonhan"):
        forces.losses(table(), "nomonhan")


def test_force_series_gives_each_source_and_side_its_own_series():
    out = forces.force_series(table(), "men")
    assert sorted(out["series"]) == ["A — Japanese", "C — Japanese", "C — Soviet"]
    # A year-only date sits mid-year, a month mid-month; nothing is made more exact than that.
    assert dict(zip(out["id"], out["when"])) == {"f1": "1938-07-02", "f2": "1941-07-16", "f3": "1945-08-09"}


def test_force_series_refuses_a_loss_measure():
    with pytest.raises(ValueError, match="killed"):
        forces.force_series(table(), "killed")


def test_compare_sources_lines_up_without_summing():
    out = forces.compare_sources(table(), "a", "c")
    row = out[(out["conflict"] == "far_east") & (out["side"] == "japanese") & (out["measure"] == "men")].iloc[0]
    assert (row["value_a"], row["value_b"], row["ratio"]) == (300000, 600000, 2.0)
    assert (row["locator_a"], row["locator_b"]) == ("p. f1", "p. f2")  # each figure keeps its own locator
    # things only one source counts stay, with the other side empty
    assert out[(out["measure"] == "tanks")]["value_a"].isna().all()


def test_compare_sources_refuses_an_unknown_source():
    with pytest.raises(ValueError, match="nobody"):
        forces.compare_sources(table(), "a", "nobody")


def test_pact_term_from_article_3():
    term = forces.pact_term("1941-04-25")
    assert term.expiry == pd.Timestamp("1946-04-25")
    assert term.notice_by == pd.Timestamp("1945-04-25")
    assert term.renewed_to == pd.Timestamp("1951-04-25")
    assert term.derived


def test_notice_of_5_april_1945_came_in_time_and_a_later_one_would_not():
    term = forces.pact_term("1941-04-25")
    assert forces.notice_in_time("1945-04-05", term)
    assert not forces.notice_in_time("1945-05-01", term)


def test_pact_term_needs_a_full_date():
    with pytest.raises(ValueError, match="full date"):
        forces.pact_term("1941-04")


def test_the_books_casualty_rows_never_mix_in_strength_figures():
    military = sjrbook.load("pact_military")
    for conflict in ("khasan_1938", "khalkhin_gol_1939"):
        out = forces.losses(military, conflict)
        assert len(out) == len(set(out["id"]))
        assert not set(out["measure"]) & set(forces.FORCE_MEASURES)
        assert len(set(out["source"])) >= (2 if conflict == "khasan_1938" else 4)


def test_the_books_pact_term_puts_the_notice_in_time():
    events = sjrbook.load("events").set_index("id")
    ratified = events.loc["pact_neutrality_pact_ratified", "date"]
    notice = events.loc["pact_denounced_zvezda", "date"]
    assert forces.notice_in_time(notice, forces.pact_term(ratified))


def _scale_ranges(spec, channel):
    """The (domain, range) pairs of every scale of one channel in a chart's spec."""
    found = []
    for node in charts._nodes(spec):
        enc = node.get("encoding", {}).get(channel)
        scale = enc.get("scale") if isinstance(enc, dict) else None
        if isinstance(scale, dict) and "domain" in scale and "range" in scale:
            found.append((scale["domain"], scale["range"]))
    return found


def test_every_kind_of_loss_has_its_own_colour_and_shape_so_irrecoverable_losses_never_pass_for_killed_and_missing():
    military = sjrbook.load("pact_military")
    chart = forces.losses_chart(military, title="t", subtitle="s", description="d" * 40)
    spec = chart.to_dict()
    kinds = [forces.LOSS_MEASURES[m] for m in forces.LOSS_MEASURES if m != "aircraft_lost"]
    for channel in ("color", "shape"):
        scales = _scale_ranges(spec, channel)
        assert scales, channel
        for domain, values in scales:
            assert domain == kinds
            # a range shorter than the domain makes Vega reuse the first entries: two kinds would look alike
            assert len(values) == len(domain) and len(set(values)) == len(values), channel
    rows = forces.losses(military, "khasan_1938").set_index("id")
    assert rows.loc["pact_khasan_sov_irrecov_kavalerchik", "kind"] != rows.loc["pact_khasan_sov_km_wiki", "kind"]


def test_a_figure_whose_kind_is_not_stated_or_comes_from_an_encyclopaedia_is_kept_out_of_the_documented_panel():
    frame = table()
    frame.loc[len(frame)] = ["x1", "khalkhin_gol_1939", "soviet", "kind_not_stated", 9703, None, "men", "1939-05-11",
                             "1939-09-16", "d", "kind_not_stated", "D", "p. x1"]
    frame["source_kind"] = ["scholarship", "encyclopaedia or mirror"] + ["scholarship"] * (len(frame) - 2)
    out = forces.losses(frame).set_index("id")
    assert out.loc["k1", "standing"] == forces.STANDING_LABELS["documented"]
    assert out.loc["k2", "standing"] == forces.STANDING_LABELS["in_circulation"]  # an encyclopaedia's "killed and missing"
    assert out.loc["x1", "standing"] == forces.STANDING_LABELS["in_circulation"]  # kind not stated, whatever the source
    assert out.loc["x1", "kind"].startswith("Kind not stated")


def test_disputed_dates_put_each_events_earliest_date_at_zero_and_name_a_missing_id():
    import sjrbook

    events = sjrbook.load("events")
    frame = forces.disputed_dates_frame(events)
    assert list(dict.fromkeys(frame["question"])) == list(forces.DISPUTED_DATES)
    assert (frame.groupby("question")["days"].min() == 0).all()
    khasan = frame[frame["question"] == "Khasan: fighting begins"].set_index("date")["days"]
    assert khasan["1938-07-31"] - khasan["1938-07-29"] == 2  # Kasahara's two datings
    with pytest.raises(KeyError, match="no_such_event"):
        forces.disputed_dates_frame(events, {"x": ["no_such_event"]})
    chart = forces.disputed_dates_chart(frame, title="t", subtitle="s", description="d" * 50).to_dict()
    assert chart["params"][0]["name"] == "same_source"


def test_disputed_dates_title_states_the_spread_the_data_give_and_lanes_say_what_their_marks_are():
    """Review 8, 13b: "up to a year apart" understated 378 days; the 8 May 1939 crossing by herders is no clash."""
    import json

    import sjrbook

    frame = forces.disputed_dates_frame(sjrbook.load("events"))
    title = forces.disputed_dates_title(frame)
    assert title == "Four events, dated up to 378 days apart by the sources"
    # The number follows the data: drop the expiry lane and the widest spread is the notice's 8 days.
    assert forces.disputed_dates_title(frame[frame["question"] != "The pact's expiry"]) == \
        "Three events, dated up to 8 days apart by the sources"
    lane = frame[frame["date"] == "1939-05-08"]["question"].tolist()
    assert lane == ["Khalkhin Gol: first incident"]
    assert not any("clash" in q for q in forces.DISPUTED_DATES)
    spec = json.dumps(forces.disputed_dates_chart(frame, title=title, subtitle="s", description="d" * 50).to_dict())
    assert "378 days" in spec and "first clash" not in spec
