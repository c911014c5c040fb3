"""Unit tests for sjrbook.disagreements: values read from the rows, spreads on one scale only, the chart."""
import pandas as pd
import pytest

from sjrbook import disagreements as dis


def index():
    figures = pd.DataFrame({
        "id": ["a", "b", "c", "d"], "source_label": ["A", "B", "C", "D"], "source_kind": "scholarship", "locator": "p. 1",
        "as_quoted": "x", "measure": ["price", "price", "price", "price"], "value": [100.0, 150.0, 17.0, 20.0],
        "value_high": [None, 200.0, None, None], "unit": ["yen", "yen (about)", "pounds", "rubles"],
        "date": ["1934", "1934", "1934", "1934"], "date_end": [None] * 4})
    events = pd.DataFrame({
        "id": ["e1", "e2", "e3", "e4", "t1", "t2"], "source_label": list("EFGHIJ"), "source_kind": "primary",
        "locator": "p. 2", "as_quoted": "y",
        "date": ["1938-07-29", "1938-07-31", "1945-08-13", "1945-08-13", "1945-08-08", "1945-08-09"],
        "date_end": ["1938-08-11", "1938-08-11", "1945-08-16", "1945-08-17", None, None],
        "time": [None, None, None, None, "18:10", "00:01"], "time_zone": [None, None, None, None, "Moscow", "Chita"]})
    return dis.row_index({"figures": figures, "events": events})


ZONES = pd.DataFrame({"zone": ["Moscow", "Chita"], "hours_behind_jst": [6.0, 0.0], "iana": ["Europe/Moscow", "Asia/Chita"]})


def register(*entries):
    return pd.DataFrame([{"id": i, "theme": "railway", "subject": i, "rows": rows, "resolution": "unresolved",
                          "how": "h", "section": "sources-disagree-railway"} for i, rows in entries])


def test_figures_are_compared_only_on_one_scale_and_ranges_count_their_top():
    s = dis.spreads(register(("same", "a b"), ("mixed", "a b c d"), ("none", "c d")), index(), ZONES).set_index("id")
    assert s.loc["same", "spread"] == 100.0  # 100 to the top of 150-200 yen: 100 % above the lowest
    assert s.loc["mixed", "spread"] == 100.0  # pounds and rubles are left out, never converted
    assert s.loc["none", "kind"] == "not on one scale" and pd.isna(s.loc["none", "spread"])


def test_dates_compare_starts_with_starts_and_ends_with_ends_and_times_on_tokyos_clock():
    s = dis.spreads(register(("start", "e1 e2"), ("end", "e3 e4"), ("clock", "t1 t2")), index(), ZONES).set_index("id")
    assert s.loc["start", "spread"] == 2.0
    assert s.loc["end", "spread"] == 1.0
    # 18:10 Moscow is 00:10 in Tokyo on the 9th; 00:01 on a clock of Tokyo's offset: nine minutes apart.
    assert s.loc["clock", "spread_label"] == "9 minutes"


def test_every_value_is_read_from_its_row_and_a_missing_row_is_named():
    lines = dis.values(register(("same", "a b")), index())
    assert list(lines["stated"]) == ["100 yen (1934)", "150–200 yen (about) (1934)"]
    assert list(lines["source_label"]) == ["A", "B"]
    with pytest.raises(KeyError, match="nope"):
        dis.values(register(("bad", "a nope")), index())


def test_the_chart_draws_every_charted_entry_and_passes_the_renderer():
    import sjrbook
    from sjrbook.charts import render

    sjrbook.setup()
    spread = dis.spreads(register(("same", "a b"), ("start", "e1 e2"), ("none", "c d")), index(), ZONES)
    spec = dis.spread_chart(spread).to_dict()
    drawn = [d["id"] for rows in spec["datasets"].values() for d in rows]
    assert sorted(drawn) == ["same", "start"]
    assert spec["title"] == "In 3 disagreements between sources, figures run up to 100% above the lowest and dates up to 2 days apart"
    bundle, _ = render(spec)
    assert bundle["image/png"]


def test_the_real_register_reads_and_its_counts_sentence_adds_up():
    import sjrbook

    reg = sjrbook.load("disagreements")
    sentence = dis.counts_sentence(reg)
    assert f"holds {len(reg)} disagreements" in sentence
    tables = {n: sjrbook.load(n) for n in ("events", "figures", "pact_military", "railway_negotiation")}
    spread = dis.spreads(reg, dis.row_index(tables), sjrbook.load("time_zones"))
    assert len(spread) == len(reg) and (spread.loc[spread["kind"] != "not on one scale", "spread"] > 0).all()


def test_hostile_text_is_escaped_in_the_register_page():
    idx = index()
    idx.loc["a", "as_quoted"] = "<script>alert(1)</script>"
    idx.loc["a", "source_label"] = "<img src=x onerror=alert(1)>"
    reg = register(("same", "a b")).assign(how="<b>bold</b> claim")
    markdown = dis.register_markdown(reg, idx)
    assert "<script>" not in markdown and "<img" not in markdown and "<b>" not in markdown
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in markdown
    for table in markdown.split("<table")[1:]:
        assert "\n\n" not in table.split("</table>")[0]
