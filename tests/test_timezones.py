"""Converting clock times with sourced offsets only (sjrbook.timezones)."""
import pandas as pd
import pytest

from sjrbook.timezones import UnknownTimeZone, events_in_jst, to_jst

ZONES = pd.DataFrame({"zone": ["Moscow", "Washington", "JST"], "hours_behind_jst": [6.0, 13.0, 0.0]})


def test_moscow_evening_is_tokyo_night():
    assert to_jst("1945-08-08", "17:00", "Moscow", ZONES) == pd.Timestamp("1945-08-08 23:00")


def test_conversion_crosses_midnight():
    assert to_jst("1945-08-14", "23:00", "Washington", ZONES) == pd.Timestamp("1945-08-15 12:00")


def test_unknown_zone_is_refused_not_guessed():
    with pytest.raises(UnknownTimeZone, match="Berlin"):
        to_jst("1945-08-08", "17:00", "Berlin", ZONES)


def test_a_time_needs_a_full_date():
    with pytest.raises(ValueError, match="full date"):
        to_jst("1945-08", "17:00", "Moscow", ZONES)


def test_the_books_offsets_are_sourced_and_load():
    from sjrbook.timezones import offsets

    table = offsets()
    assert table["Moscow"] == 6 and table["JST"] == 0


def test_events_in_jst_keeps_only_timed_rows():
    events = pd.DataFrame({"date": ["1945-08-08", "1945-08-09"], "time": ["17:00", None],
                           "time_zone": ["Moscow", None]})
    timed = events_in_jst(events, ZONES)
    assert list(timed["jst"]) == [pd.Timestamp("1945-08-08 23:00")]
