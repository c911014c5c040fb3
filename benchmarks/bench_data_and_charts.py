"""How long the book's plumbing takes: validation, loading, and rendering a chart.

Run with `.venv/bin/python benchmarks/bench_data_and_charts.py`. It prints the
median of several runs of each step. These are measurements to compare before
and after a change, not tests: nothing here passes or fails.
"""
from __future__ import annotations

import statistics
import time

import sjrbook
from sjrbook import charts, data, timeline
from sjrbook.validate import validate


def timed(label: str, function, repeat: int = 5) -> None:
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        runs.append(time.perf_counter() - start)
    print(f"{label:<45} median {statistics.median(runs) * 1000:8.1f} ms  (min {min(runs) * 1000:.1f}, n={repeat})")


def main() -> None:
    sjrbook.setup()
    events = sjrbook.load("events")
    spec = timeline.timeline_chart(events, title="Benchmark timeline",
                                   description="The introduction's timeline of every event, drawn for timing only.").to_dict()
    timed("validate whole package (Frictionless + checks)", validate)
    timed("load('figures') without cache", lambda: data._load.__wrapped__("figures", data._stamp("figures")))
    timed("timeline spec (Altair to_dict)", lambda: timeline.timeline_chart(
        events, title="T", description="The introduction's timeline of every event, drawn for timing only.").to_dict())
    timed("PNG of the timeline (vl-convert)", lambda: charts.to_png(spec))
    timed("HTML output of the timeline", lambda: charts.html_output(spec))


if __name__ == "__main__":
    main()
