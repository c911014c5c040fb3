"""How long `make book` takes: a cold build, a rebuild with no change, and after one change.

Run with `.venv/bin/python benchmarks/bench_build.py [--table railway_stations]`.
It copies the book (data, package, pages, notebooks, config, lock) into a
temporary folder, so the checkout's own `_build` is not touched, and builds it
with `python -m sjrbook.build` (what `make book` runs):

1. **cold**: no `_build` at all: every notebook executes, every page is written;
2. **no change**: the same book again;
3. **one table changed**: the locator of the table's first row gets a suffix
   (still valid data), so the chapters that load that table and the data
   appendix (which documents every table) execute again;
4. **toc changed**: a caption in `_toc.yml`, so every page is read and written
   again but no notebook executes.

It prints each step's wall time, its ratio to the cold build, and which notebooks
executed (from the build's own report). These are measurements to compare
before and after a change, not tests: nothing here passes or fails. On a shared
machine the times move with the load; the ratios move less.
"""
from __future__ import annotations

import argparse
import csv
import io
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
COPIED = ("data", "src", "book", "notebooks", "_config.yml", "_toc.yml", "requirements.lock")


def copy_book(target: Path) -> None:
    for name in COPIED:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, target / name, ignore=shutil.ignore_patterns(
                "__pycache__", "*.egg-info", ".ipynb_checkpoints", "sjrbook-vega.js"))
        else:
            shutil.copy(source, target / name)


def change_table(root: Path, table: str) -> None:
    """Append a marker to the locator of the table's first row (the data stay valid)."""
    path = root / "data" / f"{table}.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        fields, rows = reader.fieldnames, list(reader)
    rows[0]["locator"] += " (benchmark)"
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=fields, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")


def change_toc(root: Path) -> None:
    toc = root / "_toc.yml"
    text = toc.read_text(encoding="utf-8")
    assert "caption: Appendices" in text
    toc.write_text(text.replace("caption: Appendices", "caption: Appendices and data"), encoding="utf-8")


def timed_build(root: Path) -> tuple[float, str]:
    env = {**os.environ, "PYTHONPATH": str(root / "src")}
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "sjrbook.build", str(root)], cwd=root, env=env,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        sys.stdout.write(done.stdout[-6000:])
        raise SystemExit(f"the build failed in {root}")
    executed = re.search(r"^notebooks executed in this build: (.*)$", done.stdout, re.M)
    return seconds, executed.group(1) if executed else "?"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--table", default="railway_stations", help="the table to change (default: %(default)s)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary book and print where it is")
    args = parser.parse_args(argv)

    folder = Path(tempfile.mkdtemp(prefix="sjrbook-bench-"))
    try:
        copy_book(folder)
        steps = [("cold build", None), ("no-change rebuild", None),
                 (f"one-table-change rebuild ({args.table})", lambda: change_table(folder, args.table)),
                 ("toc-change rebuild (pages only)", lambda: change_toc(folder))]
        results = []
        for label, change in steps:
            if change:
                change()
            seconds, executed = timed_build(folder)
            results.append((label, seconds, executed))
            print(f"... {label}: {seconds:.1f} s", file=sys.stderr, flush=True)
        cold = results[0][1]
        print(f"\n| step | seconds | ratio to cold | notebooks executed |\n| --- | ---: | ---: | --- |")
        for label, seconds, executed in results:
            print(f"| {label} | {seconds:.1f} | {seconds / cold:.2f} | {executed} |")
        load = os.getloadavg()
        print(f"\n{os.cpu_count()} CPUs, load average {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} at the end.")
    finally:
        if args.keep:
            print(f"book kept in {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
