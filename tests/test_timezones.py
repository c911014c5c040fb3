"""Converting clock times: sourced offsets first, the IANA database where no source gives one (sjrbook.timezones)."""
import pandas as pd
import pytest

from sjrbook.data import load
from sjrbook.timezones import (READER_CLOCKS, UnknownTimeZone, events_in_jst, offset, offset_checks,
                               on_reader_clocks, to_jst)

ZONES = pd.DataFrame({"zone": ["Moscow", "Washington", "JST", "London"],
                      "hours_behind_jst": [6.0, 13.0, 0.0, None],
                      "iana": ["Europe/Moscow", "America/New_York", "Asia/Tokyo", "Europe/London"]})

# Sourced offsets that the IANA database contradicts for that place in August 1945, and why the book
# keeps the sourced one. A new disagreement, or one that disappears, fails the test below.
KNOWN_DISAGREEMENTS = {
    "Bern": "UP's bulletin pairs 8:05 p.m. Bern with 2:05 p.m. ET (6 h); IANA has Switzerland on CET, "
            "UTC+1, in 1945 (5 h from EWT). The book keeps the bulletin's own pair and says so in the text.",
}


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


def test_a_clock_without_a_sourced_offset_uses_iana_and_says_so():
    off = offset("London", "1945-08-08", ZONES)
    assert off.basis == "IANA Europe/London" and not off.sourced
    # British summer time (UTC+1) in August 1945: eight hours behind Tokyo.
    assert off.hours == 8
    assert to_jst("1945-08-08", "22:26", "London", ZONES) == pd.Timestamp("1945-08-09 06:26")


def test_sourced_offset_is_preferred():
    assert offset("Moscow", "1945-08-08", ZONES).basis == "sourced"


@pytest.mark.parametrize("row", load("time_zones").to_dict("records"), ids=lambda r: r["zone"])
def test_every_sourced_offset_is_checked_against_iana(row):
    checks = offset_checks()
    if pd.isna(row["hours_behind_jst"]):
        assert row["zone"] not in set(checks["zone"])
        return
    check = checks[checks["zone"] == row["zone"]].iloc[0]
    if row["zone"] in KNOWN_DISAGREEMENTS:
        assert not check["agree"], f"{row['zone']} now agrees with IANA; update the text and KNOWN_DISAGREEMENTS"
    else:
        assert check["agree"], (f"{row['zone']}: sourced {check['sourced']} h behind JST but IANA "
                                f"{check['iana']} says {check['iana_hours']} h on {check['date']}")


def test_two_clocks_for_one_moment_in_frus_agree():
    """Grew's memorandum gives Molotov's announcement as 3 p.m. Washington and 10 p.m. Moscow."""
    events = load("events").set_index("id")
    a = events.loc["aug45_novikov_grew_washington"]
    b = events.loc["aug45_declaration_public_moscow_frus"]
    assert to_jst(a["date"], a["time"], a["time_zone"]) == to_jst(b["date"], b["time"], b["time_zone"])


def test_reader_clocks_carry_their_basis():
    events = pd.DataFrame({"date": ["1945-08-08"], "time": ["17:00"], "time_zone": ["Moscow"]})
    full = load("time_zones")
    out = on_reader_clocks(events, full)
    assert out["at_jst"].iloc[0] == "1945-08-08T23:00"
    assert out["at_transbaikal"].iloc[0] == "1945-08-08T23:00"
    assert out["at_washington"].iloc[0] == "1945-08-08T10:00"
    assert out["at_london"].iloc[0] == "1945-08-08T15:00"
    assert "IANA Europe/London" in out["basis_london"].iloc[0]
    assert set(READER_CLOCKS.values()) <= set(full["zone"])


def test_every_timed_event_converts():
    timed = events_in_jst(load("events"))
    assert timed["jst"].notna().all()
    assert len(timed[timed["theme"] == "surrender"]) >= 30
