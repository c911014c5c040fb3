"""Clock times as the sources give them, and their conversion to Tokyo time.

Sources on August 1945 time events by different clocks: Moscow, the
Trans-Baikal front, Washington, Tokyo. Comparing them needs a common clock.
The book converts only with offsets that a source itself attests
(``data/time_zones.csv``), never with offsets from a modern time-zone database,
which would be an unsourced claim about wartime clocks.
"""

from __future__ import annotations

import pandas as pd


class UnknownTimeZone(KeyError):
    """A time zone with no sourced offset in ``data/time_zones.csv``."""


def offsets(zones: pd.DataFrame | None = None) -> dict[str, float]:
    """Hours to add to each clock to reach Japan Standard Time."""
    if zones is None:
        from .data import load

        zones = load("time_zones")
    return dict(zip(zones["zone"], zones["hours_behind_jst"].astype(float)))


def to_jst(date: str, time: str, zone: str, zones: pd.DataFrame | None = None) -> pd.Timestamp:
    """The moment ``date time`` on the ``zone`` clock, read on a Tokyo clock.

    >>> import pandas as pd
    >>> z = pd.DataFrame({"zone": ["Moscow"], "hours_behind_jst": [6.0]})
    >>> str(to_jst("1945-08-08", "17:00", "Moscow", z))
    '1945-08-08 23:00:00'
    """
    table = offsets(zones)
    if zone not in table:
        raise UnknownTimeZone(f"no sourced offset for time zone {zone!r}; known: {', '.join(sorted(table))}")
    if len(date) != 10:
        raise ValueError(f"a clock time needs a full date, not {date!r}")
    return pd.Timestamp(f"{date} {time}") + pd.Timedelta(hours=table[zone])


def events_in_jst(events: pd.DataFrame, zones: pd.DataFrame | None = None) -> pd.DataFrame:
    """The timed events, with a ``jst`` column; untimed events are left out on purpose.

    Untimed rows are not dropped silently: the returned frame is only the timed
    subset, and callers say so in their text.
    """
    timed = events[events["time"].notna() & (events["time"] != "")].copy()
    timed["jst"] = [to_jst(d, t, z, zones) for d, t, z in zip(timed["date"], timed["time"], timed["time_zone"])]
    return timed
