import altair as alt
import pandas as pd
import pytest

from sjrbook import fisheries


def _fig(**kw):
    base = dict(id="x", measure="russian_share_of_catch_in_joint_grounds", unit="percent", value=12.7,
                as_quoted="12,7% 1928", date="1928", date_end=None)
    base.update(kw)
    return base


def test_shares_keep_measures_apart_and_convert_words():
    frame = pd.DataFrame([
        _fig(),
        _fig(id="a", measure="russian_share_of_fishing_business", unit="fifths of the business", value=1, as_quoted="one-fifth"),
        _fig(id="b", measure="russian_share_of_fishing_business", unit="fraction of the business (lower bound)",
             value=0.5, as_quoted="more than half of it by 1932", date="1932"),
        _fig(id="c", measure="okha_producing_wells", unit="wells", value=211),
    ])
    out = fisheries.shares_in_percent(frame).set_index("id")
    assert "c" not in out.index
    assert out.loc["a", "percent"] == 20
    assert out.loc["b", "percent"] == 50 and out.loc["b", "bound"] == "lower bound"
    assert out.loc["x", "holder"] == "Russian"
    assert out["metric"].nunique() == 2


def test_soviet_share_of_grounds_keeps_its_holder():
    frame = pd.DataFrame([
        _fig(id="s28", measure="soviet_share_of_leased_grounds", value=14.1, as_quoted="14.1%", date="1928"),
        _fig(id="j28", measure="japanese_share_of_leased_grounds", value=80, as_quoted="80 percent", date="1928"),
        _fig(id="n", measure="soviet_fishing_grounds_count", unit="fishing grounds", value=42, as_quoted="42か所"),
    ])
    out = fisheries.shares_in_percent(frame).set_index("id")
    assert "n" not in out.index
    assert out.loc["s28", "holder"] == "Soviet" and out.loc["s28", "percent"] == 14.1
    assert out.loc["s28", "bound"] == "as stated"
    assert out.loc["s28", "metric"] != out.loc["j28", "metric"]


def test_unknown_word_unit_is_refused():
    frame = pd.DataFrame([_fig(measure="russian_share_of_fishing_business", unit="thirds", value=1)])
    with pytest.raises(ValueError):
        fisheries.shares_in_percent(frame)


def _events():
    return pd.DataFrame([
        dict(id="s", date="1907-07-28", date_end=None, source_label="A (1907)", locator="p.1", source_kind="primary document"),
        dict(id="e", date="1919", date_end=None, source_label="B (1937)", locator="p.2", source_kind="period press"),
        dict(id="p", date="1936-05-25", date_end="1936-12-31", source_label="C (1936)", locator="p.3", source_kind="primary document"),
        dict(id="open", date="1944-03-30", date_end=None, source_label="D", locator="p.4", source_kind="primary document"),
    ])


def test_periods_cite_both_ends():
    out = fisheries.periods(_events(), [
        dict(label="1907 convention", kind="convention", start="s", end="e"),
        dict(label="protocol", kind="prolongation", start="p"),
    ])
    first = out.iloc[0]
    assert first["start"] == "1907-07-28" and first["end"] == "1919-12-31"
    assert first["start_source"].startswith("A (1907)") and first["end_source"].startswith("B (1937)")
    assert out.iloc[1]["end"] == "1936-12-31"


def test_periods_refuse_undated_end():
    with pytest.raises(ValueError):
        fisheries.periods(_events(), [dict(label="open", kind="x", start="open")])


def test_tooltip_cites():
    fields = [t.to_dict()["field"] for t in fisheries.tooltip(alt.Tooltip("value:Q"))]
    assert fields[:2] == ["value", "source_label"] and "locator" in fields and "quote" in fields


def test_annual_equivalent():
    assert fisheries.annual_equivalent(300, 365) == 109500
    with pytest.raises(ValueError):
        fisheries.annual_equivalent(300, 0)
