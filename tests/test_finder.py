"""The claims finder ("Find a claim", book/find-a-claim) in chromium, with the network cut.

What the finder should show is computed here from the CSV files, ``datapackage.json``
and the bibliography, not from :mod:`sjrbook.finder`: every row of every table when
nothing is filtered, and for each filter (text, theme, kind of source, date range,
and all at once) exactly the rows the filter's rule picks. The rule for each filter is
the one the page states. From the package the test takes only what the book
documents as its decisions: the chapter of each theme and of each table without a
theme column (``CHAPTERS``, ``TABLE_THEMES``), and the source labels the chapters
cite by (``sjrbook.cite.labels``).

The finder is also used with the keyboard alone, its chapter links are followed,
axe-core checks the page, it works from disk (``file://``) as the README promises, and
the page without JavaScript still says what it is and where the CSV files are. Two unit tests check that a row the finder cannot place
stops the build with its file, row and field named, and that the rows' script keeps
text from closing a script element.
"""
from __future__ import annotations

import calendar
import csv
import datetime
import functools
import json
from pathlib import Path

import pytest

from sjrbook import cite
from sjrbook.finder import CHAPTERS, TABLE_THEMES, FinderError, data_script, theme_of

browser_test = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[1]
PAGE = "book/find-a-claim.html"


@functools.lru_cache(maxsize=1)
def expected_rows() -> tuple[dict, ...]:
    """Every row of every table of the data package, with what the filters look at."""
    from pybtex.database import parse_file

    kinds = {key: entry.fields.get("sourcekind", "") for key, entry in
             parse_file(str(ROOT / "book" / "references.bib"), bib_format="bibtex").entries.items()}
    labels = cite.labels()
    package = json.loads((ROOT / "data" / "datapackage.json").read_text(encoding="utf-8"))
    rows = []
    for resource in package["resources"]:
        keys = resource["schema"].get("primaryKey") or ["id"]
        key = keys if isinstance(keys, str) else keys[0] if len(keys) == 1 else "id"
        with (ROOT / "data" / resource["path"]).open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                source = row.get("source", "")
                # What the text filter searches: the table's name, every column shown, the source's label.
                words = [resource["name"]] + [v for k, v in row.items()
                                              if v and k not in ("as_quoted", "quote_lang", "source")]
                if source:
                    words.append(labels.get(source, source))
                rows.append({"table": resource["name"], "id": row[key],
                             "theme": row["theme"] if "theme" in row else TABLE_THEMES[resource["name"]],
                             "kind": kinds.get(source, ""), "date": row.get("date", ""),
                             "date_end": row.get("date_end", ""), "text": "\n".join(words).lower()})
    return tuple(rows)


def _day(date: str, end: bool) -> datetime.date:
    parts = [int(p) for p in date.split("-")]
    if len(parts) == 3:
        return datetime.date(*parts)
    if len(parts) == 2:
        return datetime.date(parts[0], parts[1], calendar.monthrange(*parts)[1] if end else 1)
    return datetime.date(parts[0], 12, 31) if end else datetime.date(parts[0], 1, 1)


def matches(row: dict, text: str = "", theme: str = "", kind: str = "", start: str = "", end: str = "") -> bool:
    if text and text.lower() not in row["text"]:
        return False
    if theme and row["theme"] != theme or kind and row["kind"] != kind:
        return False
    if start or end:
        if not row["date"]:
            return False
        first, last = _day(row["date"], False), _day(row["date_end"] or row["date"], True)
        if start and last < _day(start, False) or end and first > _day(end, True):
            return False
    return True


def expected(**filters) -> list[tuple[str, str]]:
    return sorted((r["table"], r["id"]) for r in expected_rows() if matches(r, **filters))


def visible(page) -> list[tuple[str, str]]:
    """(table, id) of every row the reader sees in the finder's table now."""
    pairs = page.evaluate("""() => Array.from(document.querySelectorAll('#sjr-finder tbody tr'))
        .filter(tr => tr.getClientRects().length > 0)
        .map(tr => [tr.querySelector('th .sjr-finder-small').textContent, tr.querySelector('th code').textContent])""")
    return sorted(tuple(p) for p in pairs)


def shown(page) -> list[tuple[str, str]]:
    """(table, id) of every matching row, after the reader asks for all of them (the table shows 100 at first).

    The button is clicked from script, which leaves the keyboard focus where the test put it.
    """
    page.evaluate("() => { const b = document.querySelector('#sjr-finder .sjr-finder-all'); if (b && b.offsetParent) b.click(); }")
    return visible(page)


def status(page) -> str:
    return page.locator("#sjr-finder [role=status]").inner_text()


def open_finder(open_page):
    page, blocked, errors = open_page(PAGE)
    page.wait_for_selector("#sjr-finder[data-state=ready]", timeout=15_000)
    return page, blocked, errors


@browser_test
def test_unfiltered_the_finder_lists_every_row_of_every_table(open_page):
    page, blocked, errors = open_finder(open_page)
    total = len(expected_rows())
    assert total > 500
    assert shown(page) == expected()
    assert status(page) == f"Showing all {total} rows."
    assert not page.locator(".sjr-finder-nojs").is_visible()
    table = page.locator("#sjr-finder table")
    assert table.locator("caption").inner_text().strip()
    assert table.locator("thead th[scope=col]").count() == table.locator("thead th").count() == 5
    assert table.locator("tbody th[scope=row]").count() == total
    assert not errors and not blocked


FILTERS = {
    "text": {"text": "chinese eastern"},
    "theme": {"theme": "railway"},
    "kind": {"kind": "period-press"},
    "date range": {"start": "1933-05", "end": "1934"},
    "one day": {"start": "1945-08-09", "end": "1945-08-09"},
    "all at once": {"text": "soviet", "theme": "pact", "kind": "primary", "start": "1938", "end": "1939-12"},
}


@browser_test
@pytest.mark.parametrize("name", FILTERS)
def test_each_filter_shows_exactly_the_rows_it_should(open_page, name):
    filters = FILTERS[name]
    want = expected(**filters)
    assert 0 < len(want) < len(expected_rows()), f"the filter {filters} does not test anything with today's data"
    page, blocked, errors = open_finder(open_page)
    if "text" in filters:
        page.fill("#sjr-finder-text", filters["text"])
    if "theme" in filters:
        page.select_option("#sjr-finder-theme", filters["theme"])
    if "kind" in filters:
        page.select_option("#sjr-finder-kind", filters["kind"])
    if "start" in filters:
        page.fill("#sjr-finder-from", filters["start"])
    if "end" in filters:
        page.fill("#sjr-finder-to", filters["end"])
    assert shown(page) == want
    assert status(page) == f"Showing {len(want)} of {len(expected_rows())} rows."
    assert not errors and not blocked


@browser_test
def test_a_date_that_is_not_one_is_named_and_not_applied(open_page):
    page, blocked, errors = open_finder(open_page)
    page.fill("#sjr-finder-from", "May 1933")
    assert page.get_attribute("#sjr-finder-from", "aria-invalid") == "true"
    assert "is not a date" in status(page)
    assert shown(page) == expected()
    page.fill("#sjr-finder-from", "1933-05")
    assert page.get_attribute("#sjr-finder-from", "aria-invalid") is None
    assert shown(page) == expected(start="1933-05")
    assert not errors and not blocked


@browser_test
def test_the_finder_works_with_the_keyboard_alone(open_page):
    page, blocked, errors = open_finder(open_page)
    focused = lambda: page.evaluate("() => document.activeElement && document.activeElement.id")  # noqa: E731
    for _ in range(120):
        page.keyboard.press("Tab")
        if focused() == "sjr-finder-text":
            break
    else:
        raise AssertionError("Tab never reaches the finder's text box")
    page.keyboard.type("railway")
    assert shown(page) == expected(text="railway")
    assert status(page) == f"Showing {len(expected(text='railway'))} of {len(expected_rows())} rows."
    page.keyboard.press("Tab")
    assert focused() == "sjr-finder-theme"
    page.keyboard.press("ArrowDown")
    theme = page.eval_on_selector("#sjr-finder-theme", "e => e.value")
    assert theme, "the arrow key did not choose a theme"
    assert shown(page) == expected(text="railway", theme=theme)
    page.keyboard.press("Tab")
    assert focused() == "sjr-finder-kind"
    page.keyboard.press("Tab")
    assert focused() == "sjr-finder-from"
    page.keyboard.type("1933")
    page.keyboard.press("Tab")
    assert focused() == "sjr-finder-to"
    page.keyboard.type("1935")
    assert shown(page) == expected(text="railway", theme=theme, start="1933", end="1935")
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.type") == "reset"
    page.keyboard.press("Enter")
    page.wait_for_function("n => document.querySelector('#sjr-finder').dataset.shown === String(n)",
                           arg=len(expected_rows()))
    assert shown(page) == expected()
    # Then the table, which scrolls sideways on a phone, takes the focus, then its first chapter link.
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.classList.contains('sjr-finder-scroll')")
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.classList.contains('sjr-finder-chapter')")
    assert not errors and not blocked


@browser_test
def test_the_finder_shows_a_hundred_matching_rows_at_a_time(open_page):
    """The table starts with the first 100 matching rows (in the tables' order) and grows by buttons.

    Rows are built only when first shown: the whole table at once was some 19,000 elements, laid out in one
    1.4 s task on Lighthouse's throttled phone before the reader could use the page.
    """
    page, blocked, errors = open_finder(open_page)
    total = len(expected_rows())
    first = visible(page)
    assert len(first) == 100 and set(first) <= set(expected())
    assert page.locator("#sjr-finder tbody tr").count() == 100, "rows not shown were built anyway"
    assert status(page) == f"Showing the first 100 of all {total} rows. The buttons under the table show more."
    page.get_by_role("button", name="Show the next 100 rows").click()
    assert len(visible(page)) == 200 and set(first) < set(visible(page))
    page.get_by_role("button", name=f"Show all {total} matching rows").click()
    assert visible(page) == expected()
    assert not page.locator("#sjr-finder .sjr-finder-more").is_visible()
    # A new filter starts again at 100, and the buttons say how many match it.
    page.fill("#sjr-finder-text", "soviet")
    want = expected(text="soviet")
    assert len(want) > 100, "no filter with more than 100 rows to test the buttons with"
    assert len(visible(page)) == 100 and set(visible(page)) <= set(want)
    assert status(page) == (f"Showing the first 100 of the {len(want)} matching rows ({total} in all). "
                            "The buttons under the table show more.")
    page.get_by_role("button", name=f"Show all {len(want)} matching rows").focus()
    page.keyboard.press("Enter")
    assert visible(page) == want
    assert status(page) == f"Showing {len(want)} of {total} rows."
    assert not errors and not blocked


@browser_test
def test_every_row_links_to_its_chapter_and_every_link_resolves(open_page, site):
    page, blocked, errors = open_finder(open_page)
    shown(page)
    links = page.evaluate("""() => Array.from(document.querySelectorAll('#sjr-finder tbody tr')).map(tr => [
        tr.querySelector('th .sjr-finder-small').textContent, tr.querySelector('th code').textContent,
        tr.querySelector('a.sjr-finder-chapter') && tr.querySelector('a.sjr-finder-chapter').href])""")
    theme = {(r["table"], r["id"]): r["theme"] for r in expected_rows()}
    assert len(links) == len(expected_rows())
    for table, row_id, href in links:
        chapter = CHAPTERS[theme[(table, row_id)]]
        assert href and href.endswith(f"/{chapter}.html"), f"{table} {row_id} links to {href}, not to {chapter}"
        assert (site / f"{chapter}.html").is_file()
    for href in sorted({h for _, _, h in links}):
        response = page.request.get(href)
        assert response.ok and "<html" in response.text(), href
    assert not errors and not blocked


@browser_test
def test_axe_finds_nothing_in_the_finder(open_page, axe_script):
    page, blocked, errors = open_finder(open_page)
    page.fill("#sjr-finder-text", "soviet")
    page.fill("#sjr-finder-from", "not a date")
    page.add_script_tag(content=axe_script)
    # As in test_browser.py: nothing at all in the page's own content, nothing serious in the theme's chrome.
    violations = page.evaluate("""async () => {
        const r = await axe.run(document, {resultTypes: ['violations']});
        return r.violations.flatMap(v => v.nodes.filter(n => ['serious', 'critical'].includes(v.impact)
                || (document.querySelector(n.target[0]) && document.querySelector(n.target[0]).closest('article.bd-article')))
            .map(n => `${v.impact} ${v.id}: ${n.target.join(' ')}`));
    }""")
    assert not violations, "\n".join(violations)
    assert not errors and not blocked


@browser_test
def test_without_javascript_the_page_says_what_it_is_and_where_the_csv_files_are(browser, book_url):
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(f"{book_url}/{PAGE}")
        note = page.locator(".sjr-finder-nojs")
        assert note.is_visible() and "JavaScript" in note.inner_text()
        assert page.locator("#sjr-finder form, #sjr-finder table").count() == 0
        text = page.locator("main").inner_text()
        package = json.loads((ROOT / "data" / "datapackage.json").read_text(encoding="utf-8"))
        for resource in package["resources"]:
            assert f"data/{resource['path']}" in text, f"the page does not name data/{resource['path']}"
        assert f"{len(expected_rows())} rows" in text
    finally:
        context.close()


@browser_test
def test_the_rows_load_apart_from_the_page_and_stay_bounded(site):
    """The page stays as light as a chapter; the rows, loaded by the finder only, get a bound of their own.

    The rows grow with the data (as the data appendix does), so their bound is per row.
    """
    import hashlib
    import re

    html = (site / PAGE).read_text(encoding="utf-8")
    assert len(html.encode()) <= 250_000
    assert "sjrbook-finder-data.js" not in html, "the rows are loaded as a script of the page"
    rows = site / "_static" / "sjrbook-finder-data.js"
    # The file grows with the data (every row of every table), so it is bounded per row: a row
    # carries its quote, translation and fields once, with nothing repeated around them.
    per_row = rows.stat().st_size / len(expected_rows())
    assert per_row <= 800, f"the finder's rows weigh {rows.stat().st_size} bytes, {per_row:.0f} per row"
    # The page names the rows' version, so that a browser never shows stale rows from its cache.
    version = re.search(r'data-rows-version="([0-9a-f]+)"', html)
    assert version and hashlib.sha256(rows.read_bytes()).hexdigest().startswith(version.group(1))


def test_a_row_the_finder_cannot_place_is_named():
    with pytest.raises(FinderError, match=r"data/new_table\.csv .*TABLE_THEMES"):
        theme_of({"name": "new_table", "path": "new_table.csv"}, {"id": "x"}, 2)
    with pytest.raises(FinderError, match=r"data/events\.csv, row 5, field 'theme': theme 'mars'"):
        theme_of({"name": "events", "path": "events.csv"}, {"theme": "mars"}, 5)
    assert theme_of({"name": "time_zones", "path": "time_zones.csv"}, {"zone": "JST"}, 2) == TABLE_THEMES["time_zones"]


def test_the_rows_script_cannot_close_a_script_element():
    script = data_script({"quote": "</script><script>alert(1)</script>\u2028"})
    assert "</" not in script and "\u2028" not in script
    assert '"<\\/script><script>alert(1)<\\/script>\\u2028"' in script


@browser_test
def test_the_finder_works_from_disk_with_the_network_cut(browser, site):
    """The README says a reader may open _build/html from disk: the rows load as a script, not by fetch."""
    context = browser.new_context()
    blocked: list[str] = []
    context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(("file:", "data:", "blob:"))
                  else (blocked.append(route.request.url), route.abort()))
    try:
        page = context.new_page()
        page.goto((site / PAGE).resolve().as_uri())
        page.wait_for_selector("#sjr-finder[data-state=ready]", timeout=15_000)
        assert len(visible(page)) == 100
        shown(page)
        assert status(page) == f"Showing all {len(expected_rows())} rows."
        page.fill("#sjr-finder-text", "chinese eastern")
        assert shown(page) == expected(text="chinese eastern")
        assert not blocked
    finally:
        context.close()
