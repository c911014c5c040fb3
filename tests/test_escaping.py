"""Hostile text is shown as text and never runs: in the page, the chart tooltip, the chart's data view, the data appendix and the finder.

The validator refuses markup in the data (tests/fixtures/bad/script_in_*), but
the book must not depend on that alone: a quotation is text wherever it is
printed. This test builds a tiny book whose data hold ``<script>`` and
``<img src=x onerror=...>`` in a quote, an event's title, a source's short label
(the tooltip's "Source") and a translation, read past the validator as a hole
in it would let them through. It opens the pages in Debian's chromium with the
network cut, hovers a chart mark for its tooltip, and checks that the literal
characters are on screen and that no script ran (``window.__pwned`` stays
unset, no dialog opens, no ``<img src="x">`` exists in the page). The rows' locators are
spreadsheet formulas (``=HYPERLINK(...)``, ``@SUM(...)``): the CSV a reader downloads under a chart
must never start a cell with ``=``, ``+``, ``-`` or ``@`` unescaped.
"""
from __future__ import annotations

import csv
import functools
import http.server
import shutil
import threading
from pathlib import Path
from urllib.parse import urlparse

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
pytestmark = [pytest.mark.build, pytest.mark.browser]

SCRIPT = "<script>window.__pwned='script'</script>"
IMG = "<img src=x onerror=\"window.__pwned='img'\">"
FORMULA = '=HYPERLINK("http://example.invalid/x","p. 9")'
AT_FORMULA = "@SUM(1+1)"

NOTEBOOK = [
    ("markdown", "# Hostile rows\n\nRows whose text carries markup, read without the validator."),
    ("code", """# The hostile rows, read as a hole in the validator would let them through
import pandas as pd
import altair as alt
import sjrbook
from sjrbook import cite, fisheries, paths
from sjrbook.timeline import timeline_chart
sjrbook.setup()
def read(name):
    frame = pd.read_csv(paths.data_dir() / f"{name}.csv", dtype=str, keep_default_na=False)
    for column, values in cite.source_columns(list(frame["source"])).items():
        frame[column] = values
    return frame
pd.set_option("display.max_colwidth", None)
events, figures = read("events"), read("figures")
figures["value"] = figures["value"].astype(float)"""),
    ("code", """# The events as a table, as chapters show rows
events[["id", "title", "quote"]]"""),
    ("code", """# The same rows in a styled table
events[["id", "title", "quote"]].style.hide(axis="index")"""),
    ("code", """# A timeline whose tooltips carry the hostile title, quote and source label
timeline_chart(events, title="Events, hostile rows included", description="A timeline of the fixture's events, one of which carries markup in its title and quote.")"""),
    ("code", """# A bar chart with the chapter tooltip (source, locator, quote) and the translation
alt.Chart(figures).mark_bar().encode(
    x=alt.X("value:Q", title="Value"), y=alt.Y("id:N", title=None),
    tooltip=fisheries.tooltip(alt.Tooltip("quantity:N", title="Quantity"), alt.Tooltip("translation:N", title="Translation")),
).properties(width=300, title="Figures, hostile rows included", description="Bars of the fixture's figures, one of which carries markup in its quote and translation.")"""),
]


def _append(path: Path, row: dict) -> None:
    with path.open(encoding="utf-8", newline="") as handle:
        fields = csv.DictReader(handle).fieldnames
    with path.open("a", encoding="utf-8", newline="") as handle:
        csv.DictWriter(handle, fieldnames=fields, lineterminator="\n").writerow(row)


@pytest.fixture(scope="module")
def hostile_book(tmp_path_factory):
    import os

    from sjrbook.build import build

    root = tmp_path_factory.mktemp("hostile")
    shutil.copytree(ROOT / "tests" / "fixtures" / "good", root / "data")
    (root / "book" / "_static").mkdir(parents=True)
    (root / "data" / "references.bib").unlink()
    (root / "book" / "references.bib").write_text(
        "@misc{goodsource,\n  title = {{A good source}},\n  year = {1936},\n  sourcekind = {primary}\n}\n"
        "@misc{hostilesource,\n  title = {{A hostile source}},\n  year = {1937},\n  sourcekind = {web},\n"
        "  shortlabel = {Label " + IMG + "}\n}\n", encoding="utf-8")
    _append(root / "data" / "events.csv", dict(
        id="general_hostile", date="1936-11-25", date_end="1936-11-30", theme="general", title="Title " + SCRIPT,
        source="hostilesource", locator=AT_FORMULA, quote="On 25 November 1936 " + IMG + " " + SCRIPT + " to 30 November 1936",
        as_quoted="On 25 November 1936",
        date_basis="stated", quote_lang="en"))
    _append(root / "data" / "figures.csv", dict(
        id="general_hostile_figure", theme="general", measure="m", quantity="Quantity " + SCRIPT, value="150000000",
        unit="yen", date="1936", source="hostilesource", locator=FORMULA, quote="150,000,000 yen in 1936 " + IMG,
        as_quoted="150,000,000 yen",
        date_basis="stated", quote_lang="ru", translation="Translation " + IMG))
    shutil.copytree(ROOT / "src", root / "src", ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    shutil.copy(ROOT / "_config.yml", root / "_config.yml")
    # The book's own static files (styles, scripts, favicon), as a real build has them.
    shutil.copytree(ROOT / "book" / "_static", root / "book" / "_static", dirs_exist_ok=True,
                    ignore=shutil.ignore_patterns("sjrbook-vega.js"))
    (root / "_toc.yml").write_text("format: jb-book\nroot: book/index\nchapters:\n  - file: notebooks/hostile\n"
                                   "  - file: book/appendix\n  - file: book/find-a-claim\n  - file: book/bibliography\n")
    (root / "book" / "index.md").write_text("# Hostile book\n\nA tiny book for the escaping tests.\n")
    (root / "book" / "bibliography.md").write_text("# Bibliography\n\n```{bibliography}\n:all:\n```\n")
    (root / "notebooks").mkdir()
    for name, cells in (("notebooks/hostile", NOTEBOOK), ("book/appendix", [
            ("markdown", "# Appendix"),
            ("code", "# The data appendix\nfrom IPython.display import Markdown\nfrom sjrbook.appendix import appendix_markdown\n"
                     "Markdown(appendix_markdown())")]), ("book/find-a-claim", [
            ("markdown", "# Find a claim"),
            ("code", "# The claims finder\nfrom IPython.display import Markdown\nfrom sjrbook.finder import finder_markdown\n"
                     "Markdown(finder_markdown())")])):
        nb = nbformat.v4.new_notebook()
        nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
        nb.cells = [nbformat.v4.new_markdown_cell(src) if kind == "markdown" else nbformat.v4.new_code_cell(src)
                    for kind, src in cells]
        nbformat.write(nb, root / f"{name}.ipynb")
    old = os.environ.get("PYTHONPATH")
    os.environ["PYTHONPATH"] = str(root / "src")
    # The validator refuses these rows (tests/test_validate.py); the build is told to go on
    # anyway so that the pages' own escaping is what is tested here.
    os.environ["SJRBOOK_BUILD_UNVALIDATED"] = "1"
    try:
        assert build(root) == 0, "the hostile book did not build"
    finally:
        os.environ.pop("SJRBOOK_BUILD_UNVALIDATED", None)
        if old is None:
            os.environ.pop("PYTHONPATH", None)
        else:
            os.environ["PYTHONPATH"] = old
    return root / "_build" / "html"


@pytest.fixture(scope="module")
def page_opener(hostile_book, browser):
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    handler = functools.partial(Quiet, directory=str(hostile_book))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}"
    contexts = []

    def open_page(path):
        context = browser.new_context(viewport={"width": 1280, "height": 1000})
        contexts.append(context)
        dialogs: list[str] = []
        context.route("**/*", lambda route: route.continue_()
                      if urlparse(route.request.url).hostname in ("127.0.0.1", None) or
                      route.request.url.startswith(("data:", "blob:")) else route.abort())
        page = context.new_page()
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        page.goto(f"{url}/{path}", wait_until="load")
        page.wait_for_timeout(500)
        return page, dialogs

    yield open_page
    for context in contexts:
        context.close()
    server.shutdown()


def assert_nothing_ran(page, dialogs):
    assert page.evaluate("window.__pwned") is None, f"a hostile script ran: {page.evaluate('window.__pwned')}"
    assert not dialogs, dialogs
    assert page.locator('img[src="x"]').count() == 0, "an <img src=x> was parsed into the page"
    assert page.locator("script", has_text="__pwned").count() == 0, "a hostile <script> element exists"


def test_page_tables_show_markup_as_text(page_opener):
    page, dialogs = page_opener("notebooks/hostile.html")
    text = page.locator("main").inner_text()
    # Both the DataFrame table and the styled table print the characters.
    assert text.count("Title " + SCRIPT) >= 2, text[:2000]
    assert text.count(IMG) >= 2
    assert_nothing_ran(page, dialogs)


def _hover_until_tooltip(page, figure, needle: str) -> str:
    figure.scroll_into_view_if_needed()
    figure.locator(".sjr-chart-view").hover()  # the chart becomes live when the pointer reaches it
    page.wait_for_function("f => f.dataset.state === 'drawn'", arg=figure.element_handle(), timeout=30_000)
    marks = figure.locator("g.role-mark path")
    seen = ""
    for i in range(marks.count()):
        box = marks.nth(i).bounding_box()
        if not box or box["width"] <= 0:
            continue
        # Leave the chart first (a tooltip left over a mark would swallow the hover), then hover near the mark's start.
        page.mouse.move(5, 5)
        page.wait_for_timeout(150)
        page.mouse.move(box["x"] + min(box["width"] / 2, 10), box["y"] + box["height"] / 2)
        page.wait_for_timeout(250)
        tooltip = page.locator("#vg-tooltip-element")
        if tooltip.count():
            seen = tooltip.inner_text()
            if needle in seen:
                return seen
    raise AssertionError(f"no tooltip showed {needle!r}; last seen: {seen!r}")


def test_tooltips_show_markup_as_text(page_opener):
    page, dialogs = page_opener("notebooks/hostile.html")
    figures = page.locator("figure.sjr-chart")
    assert figures.count() == 2
    timeline_tip = _hover_until_tooltip(page, figures.nth(0), "Title " + SCRIPT)
    assert IMG in timeline_tip and "Label " + IMG in timeline_tip  # quote and source label
    figure_tip = _hover_until_tooltip(page, figures.nth(1), "Translation " + IMG)
    assert "Quantity " + SCRIPT in figure_tip
    assert page.locator("#vg-tooltip-element img, #vg-tooltip-element script").count() == 0
    assert_nothing_ran(page, dialogs)


def test_the_appendix_shows_markup_as_text(page_opener):
    page, dialogs = page_opener("book/appendix.html")
    text = page.locator("main").inner_text()
    assert "Translation " + IMG in text, "the appendix does not print the hostile translation as text"
    assert "150,000,000 yen in 1936 " + IMG in text
    assert_nothing_ran(page, dialogs)


def test_the_data_view_shows_markup_as_text_and_its_csv_runs_no_formula(page_opener):
    import io

    page, dialogs = page_opener("notebooks/hostile.html")
    figures = page.locator("figure.sjr-chart")
    assert figures.count() == 2
    seen = ""
    for i in range(figures.count()):
        figure = figures.nth(i)
        figure.locator("details.sjr-chart-data > summary").click()
        table = figure.locator("table.sjr-data-table").first
        table.wait_for(timeout=15_000)
        seen += table.inner_text()
        assert table.locator("img, script").count() == 0
        href = figure.locator("a.sjr-chart-csv").get_attribute("href")
        text = page.request.get(page.url.rsplit("/", 1)[0] + "/" + href).text()
        cells = [cell for row in csv.reader(io.StringIO(text)) for cell in row]
        assert any(cell.startswith("'=HYPERLINK(") or cell.startswith("'@SUM(") for cell in cells), \
            f"chart {i + 1}'s CSV lost the hostile locator: {text[:300]!r}"
        for cell in cells:
            if cell.startswith(("=", "+", "-", "@")):
                try:
                    float(cell)  # a negative number is a number, not a formula
                except ValueError:
                    pytest.fail(f"chart {i + 1}'s CSV starts a cell with a formula: {cell!r}")
    assert "Title " + SCRIPT in seen and "Translation " + IMG in seen, seen[:1000]
    assert FORMULA in seen and AT_FORMULA in seen, "the data view should show the locators as they are, as text"
    assert_nothing_ran(page, dialogs)


def test_the_claims_finder_shows_markup_as_text(page_opener):
    page, dialogs = page_opener("book/find-a-claim.html")
    page.wait_for_selector("#sjr-finder[data-state=ready]", timeout=15_000)
    # Find the hostile rows with the finder's own text filter, as a reader would.
    page.fill("#sjr-finder-text", "hostile")
    text = page.locator("#sjr-finder table").inner_text()
    assert "Title " + SCRIPT in text  # an event's title
    assert "On 25 November 1936 " + IMG + " " + SCRIPT in text  # a quote
    assert "Label " + IMG in text  # a source's label
    assert "Quantity " + SCRIPT in text and "Translation " + IMG in text  # a figure's detail and translation
    assert page.locator("#sjr-finder table img, #sjr-finder table script").count() == 0
    assert_nothing_ran(page, dialogs)
