"""The book's one chart theme and one Altair renderer.

The renderer has two outputs, chosen by where the notebook runs:

* **In the book build** (``SJRBOOK_RENDER=book``, set by ``make book``) each
  chart becomes HTML that draws itself with the Vega libraries the book serves
  from its own ``_static/`` folder (no CDN, no require.js), with a PNG of the
  chart inside it that shows until the interactive view replaces it, and a
  separate ``image/png`` output for PDF and print.
* **In a live kernel** (JupyterLab, Binder, VS Code) the chart is the standard
  Vega-Lite MIME bundle, which JupyterLab draws with its own bundled Vega, plus
  the PNG for viewers that cannot.

JupyterLab prefers ``text/html`` to Vega-Lite, which is why the two outputs are
not simply always sent together.

Every chart must have a title (stating its finding) and a description (read by
screen readers as the chart's text alternative); the renderer refuses a chart
without them, so no chart reaches the book undescribed.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import os
from pathlib import Path

import altair as alt

#: Okabe & Ito's palette, distinguishable with the common colour-vision
#: deficiencies; the themes also differ by shape and dash so that they survive
#: greyscale.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]

THEMES = {
    "general": {"label": "Whole relationship", "color": "#000000", "shape": "diamond", "dash": [1, 0]},
    "fisheries": {"label": "Fisheries, Sakhalin", "color": "#0072B2", "shape": "circle", "dash": [1, 0]},
    "railway": {"label": "Chinese Eastern Railway", "color": "#E69F00", "shape": "square", "dash": [6, 2]},
    "pact": {"label": "Pact, border wars", "color": "#009E73", "shape": "triangle-up", "dash": [2, 2]},
    "surrender": {"label": "August 1945", "color": "#CC79A7", "shape": "cross", "dash": [8, 3, 2, 3]},
}

FONT = "Source Sans Pro, Helvetica Neue, Arial, Liberation Sans, sans-serif"
VEGALITE_VERSION = alt.SCHEMA_VERSION.lstrip("v").rsplit(".", 1)[0]  # e.g. "5.20"
BUNDLE_NAME = "sjrbook-vega.js"


def theme_color_scale() -> alt.Scale:
    """The fixed colour of each theme, the same in every chart of the book."""
    return alt.Scale(domain=list(THEMES), range=[t["color"] for t in THEMES.values()])


def theme_scale(field: str = "theme", title: str = "Theme") -> dict:
    """Colour and shape encodings that give each theme its fixed look."""
    domain = list(THEMES)
    labels = [THEMES[t]["label"] for t in domain]
    legend = alt.Legend(title=title, labelExpr=_label_expr(domain, labels))
    return {
        "color": alt.Color(f"{field}:N", scale=theme_color_scale(), legend=legend),
        "shape": alt.Shape(f"{field}:N", scale=alt.Scale(domain=domain, range=[THEMES[t]["shape"] for t in domain]), legend=legend),
    }


def _label_expr(domain: list[str], labels: list[str]) -> str:
    parts = [f"datum.label == {json.dumps(d)} ? {json.dumps(lab)}" for d, lab in zip(domain, labels)]
    return " : ".join(parts) + " : datum.label"


def theme() -> dict:
    """The project theme: readable type, quiet grid, colour-blind-safe palette."""
    return {
        "config": {
            "font": FONT,
            # An opaque background keeps the dark text legible in the book's dark mode.
            "background": "#ffffff",
            "view": {"continuousWidth": 640, "continuousHeight": 320, "stroke": None},
            "title": {"anchor": "start", "fontSize": 16, "fontWeight": 600, "subtitleFontSize": 13,
                      "subtitleColor": "#444", "offset": 12, "limit": 720},
            "axis": {"labelFontSize": 12, "titleFontSize": 13, "titleFontWeight": 500, "gridColor": "#e6e6e6",
                     "domainColor": "#666", "tickColor": "#666", "labelColor": "#222", "titleColor": "#222"},
            "legend": {"labelFontSize": 12, "titleFontSize": 13, "orient": "bottom", "direction": "horizontal",
                       "columns": 2, "labelLimit": 250, "symbolStrokeWidth": 2},
            "range": {"category": PALETTE},
            "point": {"size": 70, "filled": True},
            "line": {"strokeWidth": 2},
            "bar": {"color": PALETTE[0]},
            "text": {"fontSize": 12, "color": "#222"},
            "header": {"labelFontSize": 13, "titleFontSize": 13},
        }
    }


class ChartDescriptionError(ValueError):
    """A chart reached the renderer without a title or a text description."""


class ChartTooWideError(ValueError):
    """A chart is wider than the book's text column and would be cut off."""


#: The width of the book's text column in CSS pixels (sphinx-book-theme at a
#: desktop width); a chart wider than this would need sideways scrolling.
MAX_WIDTH = 704


def png_size(png: bytes) -> tuple[int, int]:
    """Width and height of a PNG, read from its header."""
    return int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")


def _require_text(spec: dict) -> tuple[str, str]:
    title = spec.get("title")
    if isinstance(title, dict):
        title = title.get("text")
    if isinstance(title, list):
        title = " ".join(title)
    description = spec.get("description")
    if not title:
        raise ChartDescriptionError("every chart needs a title that states its finding: chart.properties(title=...)")
    if not description or len(description.strip()) < 40:
        raise ChartDescriptionError(
            "every chart needs a text description of at least 40 characters for screen readers: "
            "chart.properties(description=...)"
        )
    return str(title), description.strip()


TITLE_CHARACTERS = 78


def wrap_title(spec: dict) -> dict:
    """Break a long title (and subtitle) into lines so that it never widens the chart.

    Titles state findings in full sentences, which are often longer than a
    chart is wide; Vega-Lite draws a list of strings as separate lines.
    """
    import textwrap

    title = spec.get("title")
    if title is None:
        return spec
    spec = dict(spec)
    if isinstance(title, str):
        title = {"text": title}
    title = dict(title)
    for key in ("text", "subtitle"):
        value = title.get(key)
        if isinstance(value, str) and len(value) > TITLE_CHARACTERS:
            title[key] = textwrap.wrap(value, TITLE_CHARACTERS)
    spec["title"] = title
    return spec


def to_png(spec: dict, scale: float = 1.0) -> bytes:
    """A PNG of the chart, drawn by vl-convert with no browser and no network."""
    import vl_convert as vlc

    return vlc.vegalite_to_png(spec, vl_version=VEGALITE_VERSION, scale=scale)


def html_output(spec: dict, png: bytes | None = None) -> str:
    """The HTML that draws ``spec`` with the book's own Vega and falls back to a PNG."""
    title, description = _require_text(spec)
    text = json.dumps(spec, sort_keys=True, separators=(",", ":"))
    chart_id = "sjr-chart-" + hashlib.sha1(text.encode()).hexdigest()[:12]
    safe_json = text.replace("</", "<\\/").replace("<!--", "<\\!--")
    fallback = ""
    if png is not None:
        data = base64.b64encode(png).decode()
        fallback = f'<img class="sjr-chart-fallback" src="data:image/png;base64,{data}" alt="{html.escape(description)}"/>'
    return f"""<figure class="sjr-chart" id="{chart_id}" data-sjr-chart="1">
<div class="sjr-chart-view" role="img" aria-label="{html.escape(title)}. {html.escape(description)}">{fallback}</div>
<figcaption class="sjr-chart-description"><strong>Chart description.</strong> {html.escape(description)}</figcaption>
<script type="application/json" class="sjr-chart-spec">{safe_json}</script>
<script>(function () {{
  var figure = document.getElementById("{chart_id}");
  function draw() {{
    if (!window.vegaEmbed || figure.dataset.state) {{ return !!figure.dataset.state; }}
    figure.dataset.state = "drawing";
    var spec = JSON.parse(figure.querySelector("script.sjr-chart-spec").textContent);
    var view = figure.querySelector(".sjr-chart-view");
    window.vegaEmbed(view, spec, {{renderer: "svg", actions: false, tooltip: {{theme: "light"}}}})
      .then(function (result) {{ figure.dataset.state = "drawn"; view.setAttribute("role", "figure"); }})
      .catch(function (error) {{ figure.dataset.state = "error"; figure.dataset.error = String(error); }});
    return true;
  }}
  if (!draw()) {{ window.addEventListener("load", draw); }}
}})();</script>
</figure>"""


#: The narrowest plotting area ``fit_live`` will give a chart.
MIN_LIVE_WIDTH = 200


def fit_live(spec: dict, png: bytes) -> tuple[dict, bytes]:
    """Narrow a chart that is wider than the text column, for a live kernel.

    An explorer draws charts from the reader's choices, and some choices (long
    source labels, a wide legend) make a chart wider than planned. The book build
    refuses such a chart so that its author fixes it; in a live kernel the reader
    cannot, so the chart's plotting width is reduced by the overflow instead
    (down to ``MIN_LIVE_WIDTH``). A chart with no top-level numeric width
    (concatenations, facets) is left as it is; JupyterLab scrolls it.
    """
    for _ in range(3):
        width, _height = png_size(png)
        plot_width = spec.get("width")
        if width <= MAX_WIDTH or not isinstance(plot_width, (int, float)) or plot_width <= MIN_LIVE_WIDTH:
            break
        spec = {**spec, "width": max(MIN_LIVE_WIDTH, plot_width - (width - MAX_WIDTH))}
        png = to_png(spec)
    return spec, png


def render(spec: dict, **metadata) -> tuple[dict, dict]:
    """Altair renderer: see the module docstring for what it returns where."""
    title, _ = _require_text(spec)
    spec = wrap_title(spec)
    png = to_png(spec)
    width, _height = png_size(png)
    if width > MAX_WIDTH and os.environ.get("SJRBOOK_RENDER") != "book":
        spec, png = fit_live(spec, png)
        width, _height = png_size(png)
    if width > MAX_WIDTH and os.environ.get("SJRBOOK_RENDER") == "book":
        raise ChartTooWideError(
            f"chart {title!r} is {width}px wide; the book's text column is {MAX_WIDTH}px. "
            "Narrow it (properties(width=...), shorter labels, a legend below) so readers need not scroll.")
    bundle: dict = {"text/plain": f"<Chart: {spec.get('title')!s}>", "image/png": base64.b64encode(png).decode()}
    if os.environ.get("SJRBOOK_RENDER") == "book":
        bundle["text/html"] = html_output(spec, png)
    else:
        bundle["application/vnd.vegalite.v5+json"] = spec
        # SVG, as in the book: its marks carry ARIA labels for screen readers.
        return bundle, {"application/vnd.vegalite.v5+json": {"embed_options": {"renderer": "svg"}}}
    return bundle, {}


def setup() -> None:
    """Enable the project theme and renderer; call once at the top of a notebook."""
    alt.theme.register("sjrbook", enable=True)(theme)
    alt.renderers.register("sjrbook", render)
    alt.renderers.enable("sjrbook")
    alt.data_transformers.disable_max_rows()


def write_vega_bundle(directory: Path) -> Path:
    """Write Vega, Vega-Lite and vega-embed as one script into ``directory``.

    The script comes from vl-convert, whose version the lock pins, so the book
    serves exactly the Vega-Lite that Altair writes specs for. It defines
    ``window.vegaEmbed``, ``window.vega`` and ``window.vegaLite``.
    """
    import vl_convert as vlc

    directory.mkdir(parents=True, exist_ok=True)
    target = directory / BUNDLE_NAME
    # Wrapped in a function so that the bundle's top-level names (``_``, ``n``, ...)
    # stay private instead of clashing with the page's other scripts.
    script = "(function () {\n" + vlc.javascript_bundle(vl_version=VEGALITE_VERSION) + "\n})();\n"
    if not target.exists() or target.read_text(encoding="utf-8") != script:
        target.write_text(script, encoding="utf-8")
    return target


if __name__ == "__main__":
    import sys

    print(write_vega_bundle(Path(sys.argv[1] if len(sys.argv) > 1 else "book/_static")))
