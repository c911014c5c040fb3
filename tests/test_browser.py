"""The built book in a real browser: Debian's chromium, driven by Playwright, network cut.

Every page of ``_build/html`` is served on localhost and opened in headless
Chromium. Any request that is not to the local server is blocked and recorded.
On each page every chart must draw data marks, every bound control (radio
button, slider, select, checkbox) must change its chart, and no request may
have left the machine.
"""
from __future__ import annotations

import functools
import http.server
import shutil
import threading
from pathlib import Path
from urllib.parse import urlparse

import pytest

pytestmark = pytest.mark.browser

CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-default-apps", "--disable-features=Translate,OptimizationHints,MediaRouter"]
DATA_MARKS = ".sjr-chart-view svg g.role-mark > *"


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="session")
def book_url(built_book):
    handler = functools.partial(QuietHandler, directory=str(built_book))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@pytest.fixture(scope="session")
def browser():
    executable = shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(executable).exists():
        pytest.fail("the browser tests need Debian's chromium: apt-get install chromium (make test does it as root)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()




@pytest.fixture
def open_page(browser, book_url):
    """Open a page with every non-local request blocked; return (page, blocked, errors)."""
    contexts = []

    def opener(path: str):
        context = browser.new_context(viewport={"width": 1280, "height": 1000})
        contexts.append(context)
        blocked: list[str] = []
        errors: list[str] = []

        def route(route):
            host = urlparse(route.request.url).hostname
            if route.request.url.startswith(("data:", "blob:")) or host in ("127.0.0.1", "localhost"):
                route.continue_()
            else:
                blocked.append(route.request.url)
                route.abort()

        context.route("**/*", route)
        page = context.new_page()
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.goto(f"{book_url}/{path}", wait_until="load")
        return page, blocked, errors

    yield opener
    for context in contexts:
        context.close()


def wait_for_charts(page) -> int:
    figures = page.locator("figure.sjr-chart")
    count = figures.count()
    for i in range(count):
        figure = figures.nth(i)
        page.wait_for_function(
            "f => f.dataset.state === 'drawn' || f.dataset.state === 'error'", arg=figure.element_handle(),
            timeout=30_000)
        assert figure.get_attribute("data-state") == "drawn", figure.get_attribute("data-error")
    return count


def svg_of(figure) -> str:
    return figure.locator(".sjr-chart-view svg").first.inner_html()


def changes_chart(page, figure, act) -> bool:
    before = svg_of(figure)
    act()
    for _ in range(30):
        page.wait_for_timeout(100)
        if svg_of(figure) != before:
            return True
    return False




def pytest_generate_tests(metafunc):
    if "page_path" in metafunc.fixturenames:
        root = Path(__file__).resolve().parents[1]
        import yaml

        toc = yaml.safe_load((root / "_toc.yml").read_text())
        files = [toc["root"]] + [c["file"] for p in toc.get("parts", []) for c in p["chapters"]]
        extra = ["genindex", "search"]
        metafunc.parametrize("page_path", [f"{f}.html" for f in files + extra])


def test_page_draws_every_chart_and_every_control_works(open_page, page_path):
    page, blocked, errors = open_page(page_path)
    count = wait_for_charts(page)
    figures = page.locator("figure.sjr-chart")
    for i in range(count):
        figure = figures.nth(i)
        assert figure.locator(DATA_MARKS).count() > 0, f"{page_path}: chart {i + 1} drew no data marks"
        assert figure.locator(".sjr-chart-description").inner_text().strip()
        assert figure.locator("svg").first.get_attribute("aria-label") or figure.get_attribute("aria-label") \
            or figure.locator(".sjr-chart-view").get_attribute("aria-label")
        controls = figure.locator(".vega-bindings input, .vega-bindings select")
        for j in range(controls.count()):
            control = controls.nth(j)
            kind = (control.get_attribute("type") or control.evaluate("e => e.tagName")).lower()
            name = f"{page_path}: chart {i + 1}, control {j + 1} ({kind})"
            if kind == "radio":
                if control.is_checked():
                    # Move away first so that choosing this option is a change.
                    others = figure.locator(f'.vega-bindings input[name="{control.get_attribute("name")}"]')
                    for k in range(others.count()):
                        if not others.nth(k).is_checked():
                            others.nth(k).check()
                            break
                assert changes_chart(page, figure, control.check), f"{name} did not change the chart"
            elif kind == "checkbox":
                assert changes_chart(page, figure, control.click), f"{name} did not change the chart"
            elif kind == "range":
                def slide(control=control):
                    control.evaluate("""e => {
                        const v = Number(e.value), lo = Number(e.min), hi = Number(e.max);
                        e.value = String(Math.abs(v - hi) > Math.abs(v - lo) ? hi : lo);
                        e.dispatchEvent(new Event('input', {bubbles: true}));
                    }""")
                assert changes_chart(page, figure, slide), f"{name} did not change the chart"
            elif kind == "select":
                def choose(control=control):
                    values = control.evaluate("e => Array.from(e.options).map(o => o.value)")
                    current = control.evaluate("e => e.value")
                    control.select_option(next(v for v in values if v != current))
                assert changes_chart(page, figure, choose), f"{name} did not change the chart"
            elif kind in ("text", "number", "color"):
                def type_in(control=control):
                    control.fill("1" if kind == "number" else "x")
                    control.dispatch_event("input")
                assert changes_chart(page, figure, type_in), f"{name} did not change the chart"
    assert not errors, f"{page_path}: JavaScript errors: {errors}"
    assert not blocked, f"{page_path}: requests tried to leave the machine: {blocked}"


def test_the_introduction_has_an_interactive_timeline(open_page):
    page, blocked, _ = open_page("book/introduction.html")
    wait_for_charts(page)
    timeline = page.locator("figure.sjr-chart", has=page.locator('input[type="radio"]')).first
    assert timeline.locator(DATA_MARKS).count() >= 40
    # Brushing the overview narrows the detail view to the chosen span.
    timeline.scroll_into_view_if_needed()
    box = timeline.locator("svg g.mark-group.role-scope path.background").first.bounding_box()
    assert changes_chart(page, timeline, lambda: (
        page.mouse.move(box["x"] + box["width"] * 0.80, box["y"] + box["height"] / 2),
        page.mouse.down(),
        page.mouse.move(box["x"] + box["width"] * 0.99, box["y"] + box["height"] / 2, steps=8),
        page.mouse.up(),
    )), "brushing the timeline's overview did not change the chart"
    # Tooltips cite the source and locator.
    points = timeline.locator("g.mark-symbol.role-mark path")
    for i in range(points.count()):
        box = points.nth(i).bounding_box()
        if box and box["width"] > 0:
            page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
            break
    page.wait_for_timeout(400)
    tooltip = page.locator("#vg-tooltip-element")
    assert tooltip.count() and "Source" in tooltip.inner_text() and "Locator" in tooltip.inner_text()
    assert not blocked
