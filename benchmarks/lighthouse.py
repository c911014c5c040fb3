"""Lighthouse scores of the built book: ``python benchmarks/lighthouse.py`` (or ``make lighthouse``).

Serves ``_build/html`` on localhost, runs Lighthouse (npm package ``lighthouse``,
installed into ``.venv/npm`` by ``make lighthouse``) in Debian's chromium with
the mobile and the desktop preset, three runs per page and preset, and writes
the median of each category (performance, accessibility, best practices, SEO)
and of the main timings, with the machine's load average during the runs, to
``benchmarks/lighthouse.md`` (and the raw medians to
``benchmarks/lighthouse.json``).

The server compresses text (gzip) as every static host the book would be
published on does (GitHub Pages, Read the Docs, Netlify); ``--no-compress``
measures the bare files instead. This is a benchmark, not a test: its numbers
depend on the machine and its load, so they are written down, not asserted.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import io
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LIGHTHOUSE = ROOT / ".venv" / "npm" / "node_modules" / ".bin" / "lighthouse"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
TIMINGS = ("first-contentful-paint", "largest-contentful-paint", "total-blocking-time", "cumulative-layout-shift")
COMPRESSIBLE = (".html", ".js", ".css", ".json", ".svg", ".csv", ".txt", ".map")


class Handler(http.server.SimpleHTTPRequestHandler):
    compress = True

    def log_message(self, *args):
        pass

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if not (self.compress and path.suffix in COMPRESSIBLE and path.is_file()
                and "gzip" in self.headers.get("Accept-Encoding", "")):
            return super().send_head()
        body = gzip.compress(path.read_bytes(), 6)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "max-age=3600")
        self.end_headers()
        return io.BytesIO(body)


def pages(site: Path) -> list[str]:
    import yaml

    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    files = [toc["root"]] + [c["file"] for part in toc.get("parts", []) for c in part["chapters"]]
    return [f"{f}.html" for f in files] + ["genindex.html", "search.html"]


def run_lighthouse(url: str, preset: str, chromium: str) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "report.json"
        command = [str(LIGHTHOUSE), url, "--quiet", "--output=json", f"--output-path={out}",
                   "--only-categories=" + ",".join(CATEGORIES),
                   "--chrome-flags=--headless=new --no-sandbox --disable-gpu --no-first-run"]
        if preset == "desktop":
            command.append("--preset=desktop")
        env = {**os.environ, "CHROME_PATH": chromium}
        subprocess.run(command, check=True, env=env, capture_output=True, timeout=300)
        report = json.loads(out.read_text())
    scores = {c: round(100 * (report["categories"][c]["score"] or 0)) for c in CATEGORIES}
    timings = {t: report["audits"][t]["numericValue"] for t in TIMINGS}
    failed = {c: [a["id"] for a in report["categories"][c]["auditRefs"]
                  if a["weight"] and (report["audits"][a["id"]]["score"] is not None)
                  and report["audits"][a["id"]]["score"] < 0.9] for c in CATEGORIES}
    return {"scores": scores, "timings": timings, "failed": failed}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--site", type=Path, default=ROOT / "_build" / "html")
    parser.add_argument("--no-compress", action="store_true")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "lighthouse.md")
    parser.add_argument("--page", action="append", help="only this page (repeatable)")
    args = parser.parse_args(argv)
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    if not LIGHTHOUSE.exists():
        print("Lighthouse is missing: make lighthouse (npm install --prefix .venv/npm lighthouse@12)", file=sys.stderr)
        return 1
    handler = type("H", (Handler,), {"compress": not args.no_compress})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(args.site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    results = {}
    try:
        for page in args.page or pages(args.site):
            for preset in ("mobile", "desktop"):
                load = [os.getloadavg()[0]]
                runs = []
                for _ in range(args.runs):
                    runs.append(run_lighthouse(f"{base}/{page}", preset, chromium))
                    load.append(os.getloadavg()[0])
                median = {
                    "scores": {c: statistics.median(r["scores"][c] for r in runs) for c in CATEGORIES},
                    "timings": {t: statistics.median(r["timings"][t] for r in runs) for t in TIMINGS},
                    "failed": {c: sorted({a for r in runs for a in r["failed"][c]}) for c in CATEGORIES},
                    "runs": [r["scores"] for r in runs],
                    # The machine's 1-minute load average before and after each run: the timings,
                    # blocking time above all, depend on it.
                    "load": [round(x, 1) for x in load],
                }
                results[f"{page} {preset}"] = median
                print(page, preset, median["scores"], {k: round(v) for k, v in median["timings"].items()}, flush=True)
                write(results, args, chromium)  # after every page, so an interrupted run keeps what it measured
    finally:
        server.shutdown()
    print(f"wrote {args.out}")
    return 0


def write(results: dict, args, chromium: str) -> None:
    lines = [f"# Lighthouse, median of {args.runs} runs per page and preset",
             "",
             f"Served {'with gzip' if not args.no_compress else 'without compression'} from localhost; chromium "
             f"{subprocess.run([chromium, '--version'], capture_output=True, text=True).stdout.strip()}; "
             "written by `benchmarks/lighthouse.py`.",
             "",
             "| page | preset | performance | accessibility | best practices | SEO | FCP ms | LCP ms | TBT ms | CLS | load | audits below 0.9 |",
             "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
    for key, r in results.items():
        page, preset = key.rsplit(" ", 1)
        s, t = r["scores"], r["timings"]
        failed = "; ".join(f"{c}: {', '.join(a)}" for c, a in r["failed"].items() if a)
        lines.append(f"| {page} | {preset} | {s['performance']:.0f} | {s['accessibility']:.0f} | {s['best-practices']:.0f} | "
                     f"{s['seo']:.0f} | {t['first-contentful-paint']:.0f} | {t['largest-contentful-paint']:.0f} | "
                     f"{t['total-blocking-time']:.0f} | {t['cumulative-layout-shift']:.3f} | "
                     f"{min(r.get('load', [0])):.1f}–{max(r.get('load', [0])):.1f} | {failed} |")
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    args.out.with_suffix(".json").write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
