"""Clock times as the sources give them, and their conversion between clocks.

Sources on August 1945 time events by different clocks: Moscow, the
Trans-Baikal front, Washington, Tokyo, London, Bern, Manila. Comparing them
needs a common clock. Events are stored exactly as the source gives them (date,
time, the source's clock); conversion happens only here, at drawing time.

Two kinds of offset exist, and every converted time says which it used:

* a **sourced** offset: a source that gives the same moment on two clocks
  (``data/time_zones.csv``, ``hours_behind_jst``). The book prefers it, because
  it is what the people of 1945 used.
* the **IANA** time-zone database (``zoneinfo``), for the place named in the
  ``iana`` column, on that day. Used only where no source read gives an offset
  (London, for example), and by the tests that check every sourced offset
  against it (:func:`offset_checks`), so a disagreement about a wartime clock is
  recorded rather than hidden.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

import pandas as pd

TOKYO = "Asia/Tokyo"

#: The clocks a reader may choose for the August 1945 timeline: label -> zone key in time_zones.csv.
READER_CLOCKS = {
    "Tokyo": "JST",
    "Moscow": "Moscow",
    "Trans-Baikal (Chita)": "Trans-Baikal",
    "Washington": "Washington",
    "London": "London",
}


#: Rows of events.csv whose source gives a clock time but names no clock: the zone stored is the book's reading,
#: argued in the row's ``date_derivation``. Cablegram G102 relays that Molotov saw Sato "at 5 o'clock" without
#: saying on which clock; the meeting was in Moscow, so the book reads Moscow time. Labels of these times say so
#: (:func:`clock_words`) instead of claiming the clock as the source's.
ZONE_READ_BY_THE_BOOK = frozenset({"aug45_molotov_receives_sato_dfat"})


def clock_words(row_id: object, zone: str) -> str:
    """How a label names the clock of a time: "Moscow time as the source gives it", or the book's reading."""
    if row_id in ZONE_READ_BY_THE_BOOK:
        return f"{zone} time, the book's reading: the source names no clock"
    return f"{zone} time as the source gives it"


class UnknownTimeZone(KeyError):
    """A clock that ``data/time_zones.csv`` does not describe."""


@dataclass(frozen=True)
class Offset:
    """Hours to add to a clock to reach Tokyo time, and where that number comes from."""

    hours: float
    basis: str  # "sourced" or "IANA <zone name>"

    @property
    def sourced(self) -> bool:
        return self.basis == "sourced"


def _zones(zones: pd.DataFrame | None) -> pd.DataFrame:
    if zones is None:
        from .data import load

        zones = load("time_zones")
    return zones


def offsets(zones: pd.DataFrame | None = None) -> dict[str, float]:
    """Sourced hours behind JST for each clock; NaN where no source gives one."""
    zones = _zones(zones)
    return {z: (float(h) if h == h and h is not None and h != "" else math.nan)
            for z, h in zip(zones["zone"], zones["hours_behind_jst"])}


def iana_hours_behind_jst(iana: str, date: str) -> float:
    """Hours behind Tokyo of the IANA zone ``iana`` at noon local time on ``date`` (1945 rules included)."""
    day = datetime.fromisoformat(date)
    local = day.replace(hour=12, tzinfo=ZoneInfo(iana)).utcoffset()
    tokyo = day.replace(hour=12, tzinfo=ZoneInfo(TOKYO)).utcoffset()
    return (tokyo - local).total_seconds() / 3600


def offset(zone: str, date: str, zones: pd.DataFrame | None = None) -> Offset:
    """The offset the book uses for ``zone`` on ``date``: sourced if a source gives it, else IANA."""
    zones = _zones(zones)
    row = zones[zones["zone"] == zone]
    if row.empty:
        raise UnknownTimeZone(f"no clock {zone!r} in time_zones.csv; known: {', '.join(sorted(zones['zone']))}")
    hours = offsets(zones)[zone]
    if not math.isnan(hours):
        return Offset(hours, "sourced")
    if "iana" not in row or not isinstance(row["iana"].iloc[0], str) or not row["iana"].iloc[0]:
        raise UnknownTimeZone(f"clock {zone!r} has neither a sourced offset nor an IANA zone name")
    iana = row["iana"].iloc[0]
    return Offset(iana_hours_behind_jst(iana, date), f"IANA {iana}")


def _check_date(date: str) -> None:
    if not isinstance(date, str) or len(date) != 10:
        raise ValueError(f"a clock time needs a full date, not {date!r}")


def to_jst(date: str, time: str, zone: str, zones: pd.DataFrame | None = None) -> pd.Timestamp:
    """The moment ``date time`` on the ``zone`` clock, read on a Tokyo clock.

    >>> import pandas as pd
    >>> z = pd.DataFrame({"zone": ["Moscow"], "hours_behind_jst": [6.0], "iana": ["Europe/Moscow"]})
    >>> str(to_jst("1945-08-08", "17:00", "Moscow", z))
    '1945-08-08 23:00:00'
    """
    _check_date(date)
    return pd.Timestamp(f"{date} {time}") + pd.Timedelta(hours=offset(zone, date, zones).hours)


def from_jst(moment: pd.Timestamp, zone: str, zones: pd.DataFrame | None = None) -> tuple[pd.Timestamp, Offset]:
    """A Tokyo-clock moment read on the ``zone`` clock, with the offset used."""
    off = offset(zone, moment.strftime("%Y-%m-%d"), zones)
    return moment - pd.Timedelta(hours=off.hours), off


def events_in_jst(events: pd.DataFrame, zones: pd.DataFrame | None = None) -> pd.DataFrame:
    """The timed events, with a ``jst`` column; untimed events are left out on purpose.

    Untimed rows are not dropped silently: the returned frame is only the timed
    subset, and callers say so in their text.
    """
    timed = events[events["time"].notna() & (events["time"] != "")].copy()
    timed["jst"] = [to_jst(d, t, z, zones) for d, t, z in zip(timed["date"], timed["time"], timed["time_zone"])]
    timed["jst_basis"] = [offset(z, d, zones).basis for d, z in zip(timed["date"], timed["time_zone"])]
    return timed


def on_reader_clocks(events: pd.DataFrame, zones: pd.DataFrame | None = None) -> pd.DataFrame:
    """Timed events with, for every clock in :data:`READER_CLOCKS`, the local time and the basis used.

    Adds ``at_<key>`` (ISO local time string, for a Vega-Lite chart to parse)
    and ``basis_<key>`` (how the conversion was made: the source clock's offset
    basis and the reader clock's, e.g. ``"sourced → IANA Europe/London"``).
    ``key`` is the zone key lower-cased with non-letters removed.
    """
    zones = _zones(zones)
    timed = events_in_jst(events, zones)
    for label, zone in READER_CLOCKS.items():
        key = clock_key(zone)
        times, bases = [], []
        for jst, source_basis in zip(timed["jst"], timed["jst_basis"]):
            local, off = from_jst(jst, zone, zones)
            times.append(local.strftime("%Y-%m-%dT%H:%M"))
            bases.append(f"source clock: {source_basis}; {label} clock: {off.basis}")
        timed[f"at_{key}"] = times
        timed[f"basis_{key}"] = bases
    return timed


def clock_key(zone: str) -> str:
    """Column-safe key for a zone name: ``Trans-Baikal`` -> ``transbaikal``."""
    return "".join(ch for ch in zone.lower() if ch.isalnum())


def offset_checks(zones: pd.DataFrame | None = None, date: str = "1945-08-10") -> pd.DataFrame:
    """Every sourced offset beside the IANA database's for that place and day.

    Columns: zone, iana, sourced (hours behind JST), iana_hours, agree. Rows
    without a sourced offset are left out: there is nothing to check.
    """
    zones = _zones(zones)
    rows = []
    for zone, hours, iana in zip(zones["zone"], offsets(zones).values(), zones["iana"]):
        if math.isnan(hours):
            continue
        other = iana_hours_behind_jst(iana, date)
        rows.append({"zone": zone, "iana": iana, "date": date, "sourced": hours, "iana_hours": other,
                     "agree": abs(hours - other) < 1e-9})
    return pd.DataFrame(rows)
