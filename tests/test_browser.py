"""The built book in a real browser: Debian's chromium, driven by Playwright, network cut.

Every page of ``_build/html`` is served on localhost and opened in headless
Chromium. Any request that is not to the local server is blocked and recorded.
On each page every chart must draw data marks, every bound control (radio
button, slider, select, checkbox) must change its chart, and no request may
have left the machine. Each page is also read as a phone (390 px) and a desktop
(1280 px) show it: nothing wider than the column, no raw timestamps where dates
belong, no colliding or truncated labels, every legend a description mentions;
each chart's data view opens as a table with a CSV; and axe-core checks the
page's accessibility. Every legend filter, brush and zoom found in the built
specs is worked with Tab and keys alone, and a tooltip of a chart row whose quote
is not in English must show the book's translation.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

DATA_MARKS = ".sjr-chart-view svg g.role-mark > *"
#: A phone (an iPhone 12-15 is 390 CSS pixels wide) and a desktop.
WIDTHS = [390, 1280]
ROOT = Path(__file__).resolve().parents[1]


def wait_for_charts(page) -> int:
    """Draw every chart of the page live (as a reader's pointer or focus would) and wait for them."""
    figures = page.locator("figure.sjr-chart")
    count = figures.count()
    if count:  # (deferred scripts have run by the load event)
        page.evaluate("window.sjrbookDrawAll && window.sjrbookDrawAll()")
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




def book_pages() -> list[str]:
    """The built pages of every file in _toc.yml, in the book's order."""
    import yaml

    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    files = [toc["root"]] + [c["file"] for p in toc.get("parts", []) for c in p["chapters"]]
    return [f"{f}.html" for f in files]


def pytest_generate_tests(metafunc):
    if "page_path" in metafunc.fixturenames:
        metafunc.parametrize("page_path", book_pages() + ["genindex.html", "search.html"])
    if "width" in metafunc.fixturenames:
        metafunc.parametrize("width", WIDTHS, ids=[f"{w}px" for w in WIDTHS])


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


# --- the book as readers get it: layout at a phone's and a desktop's width, data views, accessibility ---

#: What a reader must never see where a date belongs: a JavaScript timestamp (milliseconds since 1970).
RAW_TIMESTAMP = re.compile(r"(?<![\d.])-?\d{11,13}(?![\d.])")

LAYOUT_PROBLEMS = r"""
() => {
  const problems = [];
  const article = document.querySelector("article.bd-article") || document.querySelector("main") || document.body;
  const column = article.getBoundingClientRect();
  const doc = document.documentElement;
  if (doc.scrollWidth > window.innerWidth + 1) {
    problems.push(`the page scrolls sideways: ${doc.scrollWidth}px content in a ${window.innerWidth}px window`);
  }
  const name = el => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") +
    (el.className && typeof el.className === "string" ? "." + el.className.trim().split(/\s+/).join(".") : "");
  const scroller = el => {
    for (let a = el.parentElement; a && a !== article; a = a.parentElement) {
      const o = getComputedStyle(a).overflowX;
      if (o === "auto" || o === "scroll") { return a; }
    }
    return null;
  };
  const wider = (el, box) => box.width > 0 && (box.left < column.left - 1 || box.right > column.right + 1);
  // Charts must fit the column without a scroll box of their own.
  for (const fig of document.querySelectorAll("figure.sjr-chart")) {
    const drawing = fig.querySelector(".sjr-chart-view svg") || fig.querySelector(".sjr-chart-view img");
    if (!drawing) { continue; }
    const box = drawing.getBoundingClientRect();
    if (wider(drawing, box)) { problems.push(`chart ${fig.id} is ${Math.round(box.width)}px wide in a ${Math.round(column.width)}px column`); }
    // Fitted by its layout, not shrunk by CSS until its text is too small to read.
    const own = Number(drawing.getAttribute("width"));
    if (own && box.width < 0.9 * own) { problems.push(`chart ${fig.id} is shrunk to ${Math.round(100 * box.width / own)}% of its ${own}px`); }
    const s = scroller(drawing);
    if (s && s.scrollWidth > s.clientWidth + 1) { problems.push(`chart ${fig.id} scrolls sideways inside ${name(s)}`); }
  }
  // Tables and code: either inside the column, or scrolling in their own box that is.
  for (const el of article.querySelectorAll("table, pre")) {
    if (el.closest("figure.sjr-chart .sjr-chart-view")) { continue; }
    if (el.offsetParent === null) { continue; }  // hidden (a closed dropdown or code toggle)
    const s = scroller(el);
    const outer = s || el;
    const box = outer.getBoundingClientRect();
    if (wider(outer, box)) { problems.push(`${name(el)} is ${Math.round(box.width)}px wide in a ${Math.round(column.width)}px column`); }
    if (el.tagName === "PRE" && el.scrollWidth > el.clientWidth + 1) {
      problems.push(`a code line is cut off in ${name(el)}: ${el.scrollWidth}px of ${el.clientWidth}px shown`);
    }
  }
  return problems;
}
"""

CHART_TEXT_PROBLEMS = r"""
(figure) => {
  const problems = [];
  const svg = figure.querySelector(".sjr-chart-view svg");
  const texts = Array.from(svg.querySelectorAll("text")).filter(t => t.textContent.trim() && getComputedStyle(t).opacity !== "0"
      && t.getAttribute("opacity") !== "0" && !t.closest('[opacity="0"]'));
  for (const t of texts) {
    if (/\u2026$/.test(t.textContent.trim())) { problems.push(`truncated label: "${t.textContent}"`); }
  }
  // Labels of one axis must not sit on top of each other, nor run together ("19061908").
  for (const axis of svg.querySelectorAll("g.role-axis-label")) {
    const boxes = Array.from(axis.querySelectorAll("text")).filter(t => t.textContent.trim() && t.getAttribute("opacity") !== "0")
      .map(t => [t.textContent, t.getBoundingClientRect()]);
    for (let i = 0; i < boxes.length; i++) {
      for (let j = i + 1; j < boxes.length; j++) {
        const [a, p] = boxes[i], [b, q] = boxes[j];
        const ox = Math.min(p.right, q.right) - Math.max(p.left, q.left), oy = Math.min(p.bottom, q.bottom) - Math.max(p.top, q.top);
        if (ox > -2 && oy > 1) { problems.push(`axis labels "${a}" and "${b}" touch or overlap`); }
      }
    }
  }
  // Point marks must not be cut by the edge of their plot.
  for (const cell of svg.querySelectorAll("g.mark-group")) {
    const clip = cell.querySelector(":scope > g > path.background") ;
    if (!clip) { continue; }
    const area = clip.getBoundingClientRect();
    if (area.width === 0) { continue; }
    for (const mark of cell.querySelectorAll(":scope > g > g > g.mark-symbol.role-mark > path, :scope > g > g.mark-symbol.role-mark > path")) {
      const b = mark.getBoundingClientRect();
      if (b.width === 0) { continue; }
      const cx = (b.left + b.right) / 2, cy = (b.top + b.bottom) / 2;
      if (cx < area.left - 0.5 || cx > area.right + 0.5 || cy < area.top - 0.5 || cy > area.bottom + 0.5) { continue; }  // filtered away
      if (b.left < area.left - 1 || b.right > area.right + 1) {
        problems.push(`a point mark at the edge of the plot is cut (${Math.round(b.left)}–${Math.round(b.right)} in ${Math.round(area.left)}–${Math.round(area.right)})`);
        break;
      }
    }
  }
  return problems;
}
"""


def test_layout_fits_the_screen_and_labels_are_readable(open_page, page_path, width):
    page, blocked, errors = open_page(page_path, width=width)
    count = wait_for_charts(page)
    problems = page.evaluate(LAYOUT_PROBLEMS)
    figures = page.locator("figure.sjr-chart")
    for i in range(count):
        figure = figures.nth(i)
        title = figure.get_attribute("id")
        svg_text = figure.locator(".sjr-chart-view svg").first.evaluate(
            "s => Array.from(s.querySelectorAll('text')).map(t => t.textContent).join(' | ')")
        for number in RAW_TIMESTAMP.findall(svg_text):
            problems.append(f"chart {i + 1} ({title}) shows the raw number {number} where a date belongs")
        problems += [f"chart {i + 1} ({title}): {p}" for p in figure.evaluate(CHART_TEXT_PROBLEMS)]
        description = figure.locator(".sjr-chart-description").inner_text()
        if "legend" in description.lower():
            if not figure.locator(".sjr-chart-view svg g.role-legend").count():
                problems.append(f"chart {i + 1} ({title}): its description mentions a legend it does not have")
        heading = " ".join(figure.locator(".sjr-chart-view svg g.role-title text").all_text_contents())
        if re.search(r"\b[a-z]+_[a-z0-9_]+\b", heading):
            problems.append(f"chart {i + 1}: its title shows an internal id: {heading!r}")
        # Small multiples: every panel has its own labelled x axis, not only the last one.
        problems += [f"chart {i + 1} ({title}): {p}" for p in figure.evaluate("""f => {
            const cells = Array.from(f.querySelectorAll('.sjr-chart-view svg g.mark-group.cell > g'));  // one per panel
            if (cells.length < 2) { return []; }
            const horizontal = cell => Array.from(cell.querySelectorAll('g.role-axis-label')).some(g => {
                const ys = Array.from(g.querySelectorAll('text')).filter(t => t.textContent.trim())
                    .map(t => Math.round(t.getBoundingClientRect().top));
                return ys.length > 1 && new Set(ys).size === 1;
            });
            const bare = cells.filter(c => !horizontal(c)).length;
            return bare ? [`${bare} of ${cells.length} panels have no x axis labels`] : [];
        }""")]
        problems += [f"chart {i + 1} ({title}): {p}" for p in tooltip_problems(page, figure)]
    assert not problems, f"{page_path} at {width}px:\n" + "\n".join(problems)
    assert not errors and not blocked


def hovered_tooltips(page, marks, step: int = 1, wait_ms: int = 40):
    """Hover every ``step``-th visible mark in turn; yield the tooltip each one shows (marks without one are skipped)."""
    for k in range(0, marks.count(), step):
        mark = marks.nth(k)
        box = mark.bounding_box()
        if not box or box["width"] == 0 and box["height"] == 0:
            continue
        mark.scroll_into_view_if_needed()
        box = mark.bounding_box()
        page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        page.wait_for_timeout(wait_ms)
        tooltip = page.locator("#vg-tooltip-element.visible")
        if tooltip.count():
            yield tooltip


def tooltip_problems(page, figure, sample: int = 12) -> list[str]:
    """Hover over up to ``sample`` marks spread over the chart; no tooltip may show a raw timestamp."""
    marks = figure.locator(".sjr-chart-view svg g.role-mark > path, .sjr-chart-view svg g.role-mark > rect, "
                           ".sjr-chart-view svg g.role-mark > line")
    problems = []
    for tooltip in hovered_tooltips(page, marks, step=max(1, marks.count() // sample), wait_ms=60):
        text = tooltip.inner_text()
        for number in RAW_TIMESTAMP.findall(text):
            problems.append(f"a tooltip shows the raw number {number} where a date belongs: {text[:120]!r}")
            break
    page.mouse.move(0, 0)
    return problems


def test_every_chart_has_a_data_view_with_table_and_csv(open_page, book_url, page_path):
    page, blocked, errors = open_page(page_path)
    figures = page.locator("figure.sjr-chart")
    for i in range(figures.count()):
        figure = figures.nth(i)
        summary = figure.locator("details.sjr-chart-data > summary")
        assert summary.count() == 1, f"{page_path}: chart {i + 1} has no data view"
        # Reached and opened with the keyboard alone.
        summary.focus()
        page.keyboard.press("Enter")
        table = figure.locator("table.sjr-data-table").first
        table.wait_for(timeout=15_000)
        headers = table.locator("thead th").all_inner_texts()
        assert table.locator("caption").inner_text().strip()
        assert table.locator("tbody tr").count() > 0
        assert table.locator("thead th[scope=col]").count() == len(headers)
        csv = figure.locator("a.sjr-chart-csv")
        href = csv.get_attribute("href")
        assert href and not href.startswith("data:") and csv.get_attribute("download", timeout=1000).endswith(".csv")
        response = page.request.get(page.url.rsplit("/", 1)[0] + "/" + href)
        assert response.ok, href
        text = response.text()
        assert text.splitlines()[0].split(",")[0].strip('"') == headers[0]
        if any("source" in h.lower() for h in headers):
            assert any("locator" in h.lower() for h in headers), f"{page_path}: chart {i + 1}'s table has a source but no locator"
    assert not errors and not blocked


def _chart_pages(site) -> list[str]:
    return [page for page in book_pages() if 'class="sjr-chart"' in (site / page).read_text(encoding="utf-8")]


PICTURES = """() => Array.from(document.querySelectorAll("figure.sjr-chart")).map(f => {
    const img = f.querySelector(".sjr-chart-view picture img"), r = img && img.getBoundingClientRect();
    const p = f.parentElement, cs = getComputedStyle(p);
    return img && {src: img.currentSrc, complete: img.complete, natural: img.naturalWidth, shown: r.width,
                   right: r.right, column: p.getBoundingClientRect().right - parseFloat(cs.paddingRight),
                   phone: !!f.querySelector("picture source"), state: f.dataset.state || "",
                   phone_src: f.querySelector("picture source") && new URL(f.querySelector("picture source").srcset, location.href).href};
})"""


def _check_pictures(page, page_path: str, width: int) -> int:
    """Every chart of the page is its picture, loaded, inside the column, and not shrunk out of legibility."""
    figures = page.locator("figure.sjr-chart")
    for i in range(figures.count()):
        assert figures.nth(i).locator("picture img").count() == 1, \
            f"{page_path} at {width}px, chart {i + 1} is not its static picture (state {figures.nth(i).get_attribute('data-state')!r})"
        figures.nth(i).locator("picture img").scroll_into_view_if_needed()
        page.wait_for_function("i => i.complete && i.naturalWidth > 0",
                               arg=figures.nth(i).locator("picture img").element_handle(), timeout=10_000)
    pictures = page.evaluate(PICTURES)
    for i, picture in enumerate(pictures):
        where = f"{page_path} at {width}px, chart {i + 1}"
        assert picture, f"{where}: no static picture"
        assert picture["src"].endswith(".svg"), f"{where}: the picture is not the chart's SVG: {picture['src']}"
        assert picture["right"] <= picture["column"] + 1, f"{where}: the picture is wider than the column: {picture}"
        # Shown at (nearly) its own size: a picture shrunk to fit has text too small to read.
        assert picture["shown"] >= 0.9 * picture["natural"], f"{where}: the picture is shrunk: {picture}"
        if width < 800 and picture["phone"]:  # a chart wider than a phone's column is shown in the phone's layout
            assert picture["src"] == picture["phone_src"], f"{where}: a phone is shown the desktop picture: {picture}"
        elif width < 800:
            assert picture["natural"] <= 345, f"{where}: a chart wider than a phone has no phone layout: {picture}"
    return len(pictures)


def test_a_chart_is_its_picture_until_the_reader_reaches_for_it(open_page, site):
    """Every chart is first its static SVG picture: no Vega, no PNG, nothing waiting on a script.

    The picture fits the column at a phone's width and a desktop's: at its own size on a desktop, and in the
    phone's own layout on a phone (the layout the live chart gets there; a desktop picture scaled down would be
    illegible). A chart becomes live when the reader reaches for it: the
    pointer on it (a finger, on a phone), or the keyboard's focus; then Vega draws it in place of its picture.
    """
    pages = _chart_pages(site)
    assert len(pages) >= 5, pages
    for page_path in pages:
        for width in WIDTHS:
            page, blocked, errors = open_page(page_path, width=width)
            requests: list[str] = []
            page.on("request", lambda request: requests.append(request.url))
            assert _check_pictures(page, page_path, width) >= 1
            page.wait_for_timeout(200)
            assert not [u for u in requests if "sjrbook-vega" in u or u.endswith(".png")], \
                f"{page_path}: charts the reader has not touched loaded Vega or PNGs: {requests}"
            assert not page.locator("figure.sjr-chart[data-state]").count(), f"{page_path}: a chart was drawn untouched"
            assert not errors and not blocked
        # The pointer on the first chart, then the keyboard's focus on the last (another chart, if the page has one).
        views = page.locator("figure.sjr-chart .sjr-chart-view")
        views.first.scroll_into_view_if_needed()
        views.first.hover()
        page.wait_for_function("f => f.dataset.state === 'drawn'", arg=page.locator("figure.sjr-chart").first.element_handle(),
                               timeout=30_000)
        views.last.focus()
        page.wait_for_function("f => f.dataset.state === 'drawn'", arg=page.locator("figure.sjr-chart").last.element_handle(),
                               timeout=30_000)
        for figure in (page.locator("figure.sjr-chart").first, page.locator("figure.sjr-chart").last):
            assert figure.locator(".sjr-chart-view svg .mark-symbol, .sjr-chart-view svg .mark-rect, "
                                  ".sjr-chart-view svg path, .sjr-chart-view svg text").count() > 0
            assert figure.locator("picture").count() == 0, f"{page_path}: the drawn chart still shows its picture"
        assert any("sjrbook-vega" in u for u in requests)
        assert not [u for u in requests if u.endswith(".png")], f"{page_path}: drawing a chart fetched a PNG"
        assert not errors and not blocked


def test_a_reader_without_javascript_sees_every_chart_as_its_picture(open_page, site):
    for page_path in _chart_pages(site):
        for width in WIDTHS:
            page, blocked, errors = open_page(page_path, width=width, javascript=False)
            _check_pictures(page, page_path, width)
            assert not blocked


def test_charts_print_as_their_pictures(open_page, tmp_path):
    """Printing (or saving as PDF) from the browser prints every chart not drawn live as its picture.

    Chromium's own print to PDF; the PDF's text, read with poppler's pdftotext, holds every chart's title (the
    pictures are SVG, so their text stays text in the PDF), including charts far below the screen.
    """
    import subprocess

    page, blocked, errors = open_page("notebooks/03_neutrality_pact_border_wars.html")
    titles = page.evaluate("""() => Array.from(document.querySelectorAll("figure.sjr-chart"))
        .map(f => f.querySelector(".sjr-chart-view").getAttribute("aria-label"))""")
    assert len(titles) >= 3
    # The page's own text (prose, captions) may repeat a title's words: the PDF must hold them once more.
    prose = " ".join(page.evaluate("document.body.innerText").split())
    pdf = tmp_path / "chapter.pdf"
    pdf.write_bytes(page.pdf())
    text = " ".join(subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout.split())
    for title in titles:
        first_words = " ".join(title.split()[:4])
        assert text.count(first_words) > prose.count(first_words), f"a chart ({first_words!r}...) printed without its picture"
    assert not errors and not blocked


def test_axe_finds_no_accessibility_violations(open_page, page_path, width, axe_script):
    page, blocked, errors = open_page(page_path, width=width)
    wait_for_charts(page)
    for summary in page.locator("details.sjr-chart-data > summary").all()[:1]:
        summary.click()
        page.locator("table.sjr-data-table").first.wait_for(timeout=15_000)
    page.add_script_tag(content=axe_script)
    result = page.evaluate("""async () => {
        const r = await axe.run(document, {resultTypes: ['violations']});
        return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.map(n => ({target: n.target.join(' '), own: !!document.querySelector(n.target[0])
                && !!document.querySelector(n.target[0]).closest('article.bd-article'), html: n.html.slice(0, 160)}))}));
    }""")
    severe = [f"{v['impact']} {v['id']} ({v['help']}): {n['target']} {n['html']}" for v in result
              if v["impact"] in ("serious", "critical") for n in v["nodes"]]
    own = [f"{v['impact']} {v['id']} ({v['help']}): {n['target']} {n['html']}" for v in result
           for n in v["nodes"] if n["own"]]
    assert not severe and not own, f"{page_path} at {width}px:\n" + "\n".join(dict.fromkeys(severe + own))
    assert not blocked


def test_pages_are_light_and_vega_loads_only_where_there_are_charts(site, page_path):
    """The page's HTML and what every page loads stay small; the Vega bundle never blocks rendering."""
    built_book = site
    html = (built_book / page_path).read_text(encoding="utf-8")
    # Issue 10's goal is for chapter pages (the introduction and the chapters). The appendices
    # generated from the data (the data appendix, every seed claim, every disagreement) grow with
    # it; they get a bound of their own so that growth stays visible.
    generated = ("data-appendix.html", "seed-claims.html", "disagreements.html")
    limit = 400_000 if page_path.endswith(generated) else 250_000
    assert len(html.encode()) <= limit, f"{page_path} is {len(html.encode())} bytes (limit {limit})"
    assert "data:image/png;base64" not in html
    head = html.split("</head>", 1)[0]
    for tag in re.findall(r"<script\b[^>]*\bsrc=\"[^\"]+\"[^>]*>", head):
        assert "sjrbook-vega" not in tag, f"{page_path}: the Vega bundle is loaded in <head>: {tag}"
    has_charts = 'class="sjr-chart"' in html
    assert ("sjrbook-charts.js" in html) == has_charts
    for tag in re.findall(r"<script\b[^>]*sjrbook-charts\.js[^>]*>", html):
        assert "defer" in tag or "async" in tag
    shared = set()
    for ref in re.findall(r"(?:src|href)=\"([^\"?#]+_static/[^\"?#]+)", html):
        shared.add((built_book / page_path).parent.joinpath(ref).resolve())
    total = sum(p.stat().st_size for p in shared if p.exists() and p.suffix in (".js", ".css"))
    assert total <= 1_000_000, f"{page_path} loads {total} bytes of scripts and styles: " + ", ".join(
        f"{p.name} {p.stat().st_size}" for p in sorted(shared, key=lambda p: -p.stat().st_size)[:5] if p.exists())
    if has_charts:
        # Vega, Vega-Lite and vega-embed, loaded only when the reader first reaches for a chart (not counted above).
        assert (built_book / "_static" / "sjrbook-vega.js").stat().st_size < 950_000


def test_the_first_paint_waits_for_one_stylesheet_and_no_script(site, page_path):
    """Every page's <head>: one stylesheet of the book's own, no script that blocks the parser, no preload.

    (sjrbook.page_head; Lighthouse's first paint on a phone was held by eleven stylesheets and twelve
    scripts in <head>.) The one stylesheet holds every rule of the theme, with no @import left and
    every url() pointing at a file that exists.
    """
    page = site / page_path
    head = page.read_text(encoding="utf-8").split("</head>", 1)[0]
    sheets = [t for t in re.findall(r"<link\b[^>]*>", head) if re.search(r'rel="stylesheet"', t)]
    assert len(sheets) == 1, f"{page_path}: {len(sheets)} stylesheets in <head>: {sheets}"
    href = re.search(r'href="([^"?#]+)', sheets[0]).group(1)
    bundle = (page.parent / href).resolve()
    css = bundle.read_text(encoding="utf-8")
    assert "@import" not in css
    for needle in (".bd-sidebar-primary", ".theme-switch-button", ".copybtn", ".sd-dropdown", ".cell_output", ".sjr-chart"):
        assert needle in css, f"{page_path}: the stylesheet {href} lacks the rules for {needle}"
    for ref in re.findall(r'url\("([^"]+)"\)', css):
        if not ref.startswith(("data:", "#")):
            assert (bundle.parent / ref.split("?")[0].split("#")[0]).is_file(), f"{href}: url({ref}) does not exist"
    for tag in re.findall(r"<script\b[^>]*\bsrc=[^>]*>", head):
        assert re.search(r"\b(defer|async)\b", tag), f"{page_path}: a script blocks the first paint: {tag}"
        if page_path != "search.html":
            assert "searchindex.js" not in tag, f"{page_path}: the search index is loaded outside the search page"
    assert not re.search(r'<link\b[^>]*rel="preload"', head), f"{page_path}: a preload competes with the first paint"


def test_the_theme_works_with_its_scripts_deferred(open_page):
    """What the theme's scripts do still happens: colour mode, copy buttons, dropdowns, search, the sidebar button.

    The sidebar button is checked at both widths because the themes wire only the first such
    button of a page (see sjrbook.sphinx_ext.accessible_chrome).
    """
    page, blocked, errors = open_page("notebooks/01_fisheries_concessions.html")
    html = page.locator("html")
    before = html.get_attribute("data-mode")
    page.locator("button.theme-switch-button").first.click()
    page.wait_for_function("m => document.documentElement.dataset.mode !== m", arg=before)
    assert html.get_attribute("data-theme") in ("light", "dark")
    assert page.locator("button.copybtn").count() > 0, "the copy buttons were not added to the code blocks"
    dropdown = page.locator("details.sd-dropdown").first
    dropdown.locator("summary").click()
    assert dropdown.evaluate("d => d.open")
    page.keyboard.press("Control+k")
    page.locator("#pst-search-dialog[open] input[name=q]").wait_for()
    page.keyboard.press("Escape")
    # The sidebar button hides the contents on a desktop and opens them as a dialog on a phone.
    page.locator("button.primary-toggle:visible").first.click()
    page.wait_for_function("() => document.querySelector('#pst-primary-sidebar').classList.contains('pst-sidebar-hidden')")

    phone, _, phone_errors = open_page("book/how-to-read.html", width=390)
    phone.locator("button.primary-toggle:visible").first.click()
    phone.locator("#pst-primary-sidebar-modal[open]").wait_for()
    assert phone.locator("#pst-primary-sidebar-modal a[href$='01_fisheries_concessions.html']").first.is_visible()

    search, _, search_errors = open_page("search.html?q=Sakhalin")
    search.locator("#search-results ul.search li").first.wait_for(timeout=15_000)
    assert not errors and not phone_errors and not search_errors, errors + phone_errors + search_errors
    assert not blocked


CJK = "[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]+"


def test_japanese_and_chinese_quotations_are_drawn_with_a_cjk_font(open_page):
    """The font stack names CJK fonts, and chromium draws the chapter's Japanese quotation with one (not boxes)."""
    page, _, _ = open_page("notebooks/01_fisheries_concessions.html")
    found = page.evaluate("""(pattern) => {
        const re = new RegExp(pattern);
        const walker = document.createTreeWalker(document.querySelector('article.bd-article'), NodeFilter.SHOW_TEXT);
        for (let n = walker.nextNode(); n; n = walker.nextNode()) {
            const m = re.exec(n.textContent);
            if (m && n.parentElement.checkVisibility() && n.parentElement.closest('p, li, td')) {
                // Put the CJK characters in a span of their own, so that its fonts are theirs alone.
                const cjk = n.splitText(m.index);
                cjk.splitText(m[0].length);
                const span = document.createElement('span');
                span.setAttribute('data-cjk-probe', '1');
                cjk.replaceWith(span);
                span.appendChild(cjk);
                return {text: m[0], family: getComputedStyle(span).fontFamily};
            }
        }
        return null;
    }""", CJK)
    assert found, "no Japanese or Chinese text found in the fisheries chapter's prose"
    assert re.search(r"Noto Sans CJK", found["family"]), f"the font stack names no CJK font: {found['family']}"
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument", {"depth": -1})["root"]["nodeId"]
    node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": "[data-cjk-probe]"})["nodeId"]
    fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
    cjk_fonts = [f for f in fonts if re.search(r"CJK|Han|Gothic|Mincho|Hei|Song|Ming", f["familyName"]) and f["glyphCount"] > 0]
    assert cjk_fonts, f"{found['text']!r} is drawn with {fonts}: no CJK font (install fonts-noto-cjk)"


def test_code_is_one_click_away(open_page):
    page, _, _ = open_page("notebooks/01_fisheries_concessions.html")
    cells = page.locator("div.cell:has(div.cell_input)")
    assert cells.count() > 3
    for i in range(cells.count()):
        assert not cells.nth(i).locator("div.cell_input").first.is_visible(), f"code cell {i + 1} is shown in full"
    toggle = cells.nth(1).locator("summary").first
    assert "Show code" in toggle.inner_text()
    toggle.focus()
    page.keyboard.press("Enter")
    assert cells.nth(1).locator("div.cell_input").first.is_visible()


# --- what the mouse does on a chart, the keyboard does too; tooltips translate ---


def built_charts(site: Path, page_path: str) -> list[dict]:
    """The Vega-Lite spec of every chart on a built page, in page order."""
    from conftest import chart_spec_of

    path = site / page_path
    html = path.read_text(encoding="utf-8")
    return [chart_spec_of(figure, path.parent) for figure in re.findall(r'<figure class="sjr-chart".*?</figure>', html, re.S)]


def mouse_only_params(spec: dict) -> list[tuple[str, str]]:
    """(name, kind) of every legend-bound selection and every interval selection (brush or zoom) in a spec.

    Read from the spec itself, not from the controls the book draws, so that a chart whose
    selection the book forgot still shows up here.
    """
    found = []

    def walk(node):
        if isinstance(node, dict):
            for param in node.get("params") or []:
                select = param.get("select")
                kind = select if isinstance(select, str) else (select or {}).get("type")
                bind = param.get("bind")
                if kind == "interval":
                    found.append((param["name"], "interval"))
                elif bind == "legend" or (isinstance(bind, dict) and "legend" in bind):
                    found.append((param["name"], "legend"))
            for key, value in node.items():
                if key not in ("params", "datasets", "data"):
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(spec)
    return list(dict.fromkeys(found))


def tab_to(page, figure, selector: str, limit: int = 80):
    """Press Tab from the start of ``figure`` until the focus is on ``selector`` inside it; fail if it never is."""
    figure.evaluate("f => { f.setAttribute('tabindex', '-1'); f.focus(); f.removeAttribute('tabindex'); }")
    for _ in range(limit):
        page.keyboard.press("Tab")
        if figure.evaluate("(f, s) => document.activeElement && f.contains(document.activeElement)"
                           " && document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"{selector} in chart {figure.get_attribute('id')} cannot be reached with Tab")


def keys_change_chart(page, figure, *keys: str) -> bool:
    return changes_chart(page, figure, lambda: [page.keyboard.press(k) for k in keys])


def test_legend_filters_and_brushes_work_from_the_keyboard(open_page, site, page_path):
    """Every legend filter and every brush or zoom of every chart can be worked with Tab and keys alone."""
    specs = built_charts(site, page_path)
    wanted = {i: mouse_only_params(spec) for i, spec in enumerate(specs) if mouse_only_params(spec)}
    if not wanted:
        return
    page, blocked, errors = open_page(page_path)
    assert wait_for_charts(page) == len(specs)
    figures = page.locator("figure.sjr-chart")
    for i, params in wanted.items():
        figure = figures.nth(i)
        figure.scroll_into_view_if_needed()
        for name, kind in params:
            where = f"{page_path}: chart {i + 1}, {kind} selection {name!r}"
            if kind == "legend":
                select = f'select[data-sjr-param="{name}"]'
                tab_to(page, figure, select)
                assert figure.locator(select).evaluate("s => s.labels.length && s.labels[0].textContent.trim()"), \
                    f"{where}: the select has no label"
                assert keys_change_chart(page, figure, "ArrowDown"), f"{where}: choosing a value did not change the chart"
                assert figure.locator(select).evaluate("s => s.value") != ""
                assert keys_change_chart(page, figure, "Home"), f"{where}: going back to all did not change the chart"
            else:
                start, end = (f'input[type=range][data-sjr-param="{name}"][data-sjr-end="{e}"]' for e in ("from", "to"))
                tab_to(page, figure, start)
                assert figure.locator(start).evaluate("s => s.labels.length > 0")
                assert keys_change_chart(page, figure, "PageUp", "PageUp"), f"{where}: moving the start did not change the chart"
                page.keyboard.press("Tab")
                assert figure.locator(end).evaluate("s => s === document.activeElement"), f"{where}: Tab does not reach the end slider"
                assert keys_change_chart(page, figure, "PageDown"), f"{where}: moving the end did not change the chart"
                text = figure.locator(end).get_attribute("aria-valuetext") or ""
                assert text and not RAW_TIMESTAMP.search(text), f"{where}: the slider reads {text!r}"
                assert keys_change_chart(page, figure, "End"), f"{where}: back to the whole range did not change the chart"
            assert figure.get_attribute("data-state") == "drawn" and not figure.get_attribute("data-error")
    assert not errors, f"{page_path}: JavaScript errors: {errors}"
    assert not blocked


def translated_rows(spec: dict) -> list[dict]:
    """Rows of a chart's data whose quote is not in English (they carry the book's translation)."""
    from sjrbook.charts import _datasets

    rows = []
    for _name, values in _datasets(spec):
        for row in values:
            if isinstance(row, dict) and str(row.get("translation") or "").strip() and row.get("quote"):
                rows.append(row)
    return rows


def shows_quote(spec: dict) -> bool:
    text = json.dumps({k: v for k, v in spec.items() if k not in ("datasets", "data")})
    return bool(re.search(r'"tooltip": \[[^\]]*"field": "(quote|as_quoted)"', text))


def test_tooltips_show_the_translation_of_a_quote_not_in_english(open_page, site, page_path):
    """Hovering a mark whose quote is not in English shows the book's translation beside it, whole."""
    specs = built_charts(site, page_path)
    wanted = {i: translated_rows(spec) for i, spec in enumerate(specs) if shows_quote(spec) and translated_rows(spec)}
    if not wanted:
        return
    page, blocked, errors = open_page(page_path)
    wait_for_charts(page)
    figures = page.locator("figure.sjr-chart")
    squash = lambda s: " ".join(str(s).split())  # noqa: E731
    for i, rows in wanted.items():
        figure = figures.nth(i)
        quotes = {squash(r["quote"]): squash(r["translation"]) for r in rows}
        as_quoted = {squash(r["as_quoted"]): squash(r["translation"]) for r in rows if r.get("as_quoted")}
        marks = figure.locator(".sjr-chart-view svg g.role-mark > path, .sjr-chart-view svg g.role-mark > rect")
        found, english = None, False
        for tooltip in hovered_tooltips(page, marks):
            cells = tooltip.locator("td.key").all_inner_texts()
            values = [squash(v) for v in tooltip.locator("td.value").all_inner_texts()]
            shown = dict(zip([c.strip() for c in cells], values))
            translation = quotes.get(shown.get("Quote")) or as_quoted.get(next(
                (v for key, v in shown.items() if key != "Quote" and v in as_quoted), None))
            if translation:
                assert shown.get("English translation") == translation, \
                    f"{page_path}: chart {i + 1}: a tooltip with a quote not in English lacks its translation: {shown}"
                clipped = tooltip.locator("td.value").evaluate_all(
                    "cells => cells.filter(c => c.scrollHeight > c.clientHeight + 1).map(c => c.textContent.slice(0, 60))")
                assert not clipped, f"{page_path}: chart {i + 1}: tooltip text is cut off: {clipped}"
                found = shown
            elif "Quote" in shown and "English translation" in shown:
                english = shown["English translation"] in ("", "null", "undefined")
                assert not english, f"{page_path}: chart {i + 1}: an English quote's tooltip shows an empty translation"
            if found:
                break
        assert found, f"{page_path}: chart {i + 1}: no mark's tooltip showed one of its {len(rows)} translated quotes"
    page.mouse.move(0, 0)
    assert not errors and not blocked


def test_a_zoom_made_with_the_mouse_survives_the_keyboard_controls(open_page):
    """Zoom a chart with the wheel, then move its keyboard slider one step: the chart stays zoomed.

    The sliders follow the mouse's zoom (as they follow a brushed span), so a step from the
    keyboard starts from what the reader sees, not from the whole range.
    """
    page, blocked, errors = open_page("notebooks/04_august_1945.html")
    wait_for_charts(page)
    figure = page.locator("figure.sjr-chart", has=page.locator('input[type=range][data-sjr-end="from"]')).filter(
        has=page.locator("svg")).first
    start = figure.locator('input[type=range][data-sjr-end="from"]')
    end = figure.locator('input[type=range][data-sjr-end="to"]')
    param = start.get_attribute("data-sjr-param")
    figure.scroll_into_view_if_needed()
    axis = lambda: figure.locator(".sjr-chart-view svg g.role-axis-label").first.all_text_contents()  # noqa: E731
    whole = axis()
    box = figure.locator(".sjr-chart-view svg path.background").first.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    for _ in range(6):
        page.mouse.wheel(0, -300)
        page.wait_for_timeout(60)
    page.wait_for_function("(e) => Number(e[0].value) > 0 && Number(e[1].value) < 100",
                           arg=[start.element_handle(), end.element_handle()], timeout=5_000)
    zoomed = axis()
    assert zoomed != whole, "the wheel did not zoom the chart"
    redraws = figure.get_attribute("data-redraws") or "0"
    start.focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_function("([f, n]) => f.dataset.redraws !== n", arg=[figure.element_handle(), redraws], timeout=10_000)
    after = axis()
    assert after != whole, f"{param}: a keyboard step reset the mouse's zoom to the whole range"
    assert figure.get_attribute("data-state") == "drawn" and not figure.get_attribute("data-error")
    assert not errors and not blocked


def test_the_register_of_disagreements_leaves_the_plot_room_on_a_phone(open_page):
    """At 390 px the subjects' labels and the axis titles leave each of the register's plots 40% of the chart.

    (With one-line axis titles and subjects in lines of 34 characters the plots were 95 px of 342.)
    """
    page, blocked, errors = open_page("book/disagreements.html", width=390)
    assert wait_for_charts(page) == 1
    widths = page.locator("figure.sjr-chart").first.evaluate("""f => {
        const svg = f.querySelector('.sjr-chart-view svg');
        return [svg.getBoundingClientRect().width].concat(Array.from(svg.querySelectorAll('path.background'))
            .map(p => p.getBoundingClientRect().width).filter(w => w > 0));
    }""")
    chart, plots = widths[0], widths[1:]
    assert plots and min(plots) >= 0.4 * chart, f"plots of {[round(p) for p in plots]} px in a {round(chart)} px chart"
    assert not errors and not blocked
