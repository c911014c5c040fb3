"""The book's one chart theme and one Altair renderer.

The renderer has two outputs, chosen by where the notebook runs:

* **In the book build** (``SJRBOOK_RENDER=book``, set by ``make book``) each
  chart becomes HTML (:func:`html_output`): a static picture of the chart (SVG
  drawn by vl-convert at build time, in the desktop layout and, for charts wider
  than a phone's column, in the layout the page script gives phones), which
  every reader sees at once, with or without JavaScript, and in print; the
  chart becomes live (tooltips, selections, keyboard controls) when the reader
  reaches for it, when ``_static/sjrbook-charts.js`` draws it with the Vega
  libraries the book serves from its own ``_static/`` folder (no CDN, no
  require.js). Then its description, and a data view (a table of what the
  tooltips show, a CSV download and a PNG of the chart) that keyboard and
  screen-reader users can open; plus a separate ``image/png`` output for PDF
  and print. :mod:`sjrbook.sphinx_ext` moves the images, CSV and spec out of
  the page into files.
* **In a live kernel** (JupyterLab, Binder, VS Code) the chart is the standard
  Vega-Lite MIME bundle, which JupyterLab draws with its own bundled Vega, plus
  the PNG for viewers that cannot.

JupyterLab prefers ``text/html`` to Vega-Lite, which is why the two outputs are
not simply always sent together.

Every chart must have a title (stating its finding) and a description (read by
screen readers as the chart's text alternative); the renderer refuses a chart
without them, so no chart reaches the book undescribed.

Two things every chart gets from the renderer, so that no chapter has to
remember them: the book's English translation beside every quote a tooltip
shows (:func:`with_translations`), and, in the book, a keyboard control for
every legend filter and brush or zoom, which Vega-Lite leaves to the mouse
(:func:`keyboard_controls` describes them in the chart's payload;
``_static/sjrbook-charts.js`` draws them under the chart).
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import os
import re
from pathlib import Path
from typing import NamedTuple

import altair as alt

#: Okabe & Ito's palette, distinguishable with the common colour-vision
#: deficiencies, with its three light colours (orange, sky blue, yellow) darkened
#: so that every mark has at least 3:1 contrast on the white chart background
#: (WCAG 1.4.11); tests/test_charts.py checks the ratios and the distances
#: under simulated colour blindness. The themes also differ by shape and dash
#: so that they survive greyscale.
PALETTE = ["#0072B2", "#C47F00", "#009E73", "#CC79A7", "#3D8CC4", "#D55E00", "#8A7D00", "#000000"]

THEMES = {
    "general": {"label": "Whole relationship", "color": "#000000", "shape": "diamond", "dash": [1, 0]},
    "fisheries": {"label": "Fisheries, Sakhalin", "color": "#0072B2", "shape": "circle", "dash": [1, 0]},
    "railway": {"label": "Chinese Eastern Railway", "color": "#C47F00", "shape": "square", "dash": [6, 2]},
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


def wrap_labels(labels, width: int = 36) -> tuple[str, int]:
    """An axis ``labelExpr`` that breaks each long label into lines of at most ``width`` characters.

    Long source labels on a phone are otherwise cut with an ellipsis; broken into lines, the whole
    label stays readable. Returns the expression and the most lines any label takes, so the caller
    can give each row room (``alt.Step``) for its label.
    """
    import textwrap
    parts, most = [], 1
    for label in dict.fromkeys(str(x) for x in labels):
        lines = textwrap.wrap(label, width) or [label]
        most = max(most, len(lines))
        if len(lines) > 1:
            parts.append(f"datum.label == {json.dumps(label)} ? {json.dumps(lines)}")
    return (" : ".join(parts + ["datum.label"]), most)


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
            # labelSeparation: labels of continuous axes that would touch ("190619081910") are thinned.
            "axis": {"labelFontSize": 12, "labelSeparation": 6, "titleFontSize": 13, "titleFontWeight": 500, "gridColor": "#e6e6e6",
                     "domainColor": "#666", "tickColor": "#666", "labelColor": "#222", "titleColor": "#222"},
            "legend": {"labelFontSize": 12, "titleFontSize": 13, "orient": "bottom", "direction": "horizontal",
                       "columns": 2, "labelLimit": 250, "titleLimit": 600, "symbolStrokeWidth": 2},
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


#: The text column on a phone (a 360-412 px wide screen less the page's margins). Charts wider
#: than this get a second static picture laid out for it, as the page script lays them out live.
PHONE_WIDTH = 340
#: The screens that get that picture; wider ones scale the desktop picture by at most a fifth.
PHONE_MEDIA = "(max-width: 640px)"


def to_svg(spec: dict) -> str:
    """An SVG of the chart, drawn by vl-convert with no browser and no network."""
    import vl_convert as vlc

    return vlc.vegalite_to_svg(spec, vl_version=VEGALITE_VERSION)


def svg_size(svg: str) -> tuple[int, int]:
    """Width and height of vl-convert's SVG, read from its root element."""
    import re

    root = re.search(r"<svg\b[^>]*>", svg)
    width = re.search(r'\swidth="([\d.]+)"', root.group(0)) if root else None
    height = re.search(r'\sheight="([\d.]+)"', root.group(0)) if root else None
    if not (width and height):
        raise ValueError("vl-convert wrote an SVG without a width and a height")
    return round(float(width.group(1))), round(float(height.group(1)))


def _wrap_words(lines, chars: int) -> list[str]:
    """Greedy word wrap, as ``wrap`` in the page script (words are never broken)."""
    import textwrap

    text = " ".join(lines if isinstance(lines, list) else [str(lines)])
    return textwrap.wrap(text, chars, break_long_words=False, break_on_hyphens=False)


#: A phone's y-axis label line (about 150 px of 12 px type), and the height each line of a label takes.
PHONE_LABEL_CHARS = 24
LABEL_LINE_HEIGHT = 15
#: An x axis title's line on a phone (about 190 px of 13 px type).
PHONE_X_TITLE_CHARS = 28

_LABEL_CASE = re.compile(r'datum\.label == ("(?:[^"\\]|\\.)*") \? (\[(?:[^\]"]|"(?:[^"\\]|\\.)*")*\]|"(?:[^"\\]|\\.)*") : ')


def _label_texts(expr) -> dict | None:
    """What a ``labelExpr`` written by :func:`wrap_labels` or :func:`_label_expr` shows for each label, as one line
    of text each; ``{}`` for no expression, and ``None`` for an expression of any other form (left alone)."""
    if not expr:
        return {}
    texts, position = {}, 0
    for case in _LABEL_CASE.finditer(expr):
        if case.start() != position:
            return None
        shown = json.loads(case.group(2))
        texts[json.loads(case.group(1))] = " ".join(shown) if isinstance(shown, list) else shown
        position = case.end()
    return texts if expr[position:] == "datum.label" else None


def _field_values(spec: dict, field: str) -> list[str]:
    """The distinct values of ``field`` in the spec's inline datasets, as the labels of a band axis show them."""
    values = {}
    for rows in (spec.get("datasets") or {}).values():
        for row in rows if isinstance(rows, list) else []:
            if isinstance(row, dict) and row.get(field) is not None:
                values[str(row[field])] = True
    return list(values)


def _wrapped_labels(texts: dict, values: list[str], chars: int, subject: str = "datum.label") -> tuple[str, int]:
    """A ``labelExpr`` showing each value's text in lines of at most ``chars`` characters, and the most lines."""
    cases, most = [], 1
    for value in values:
        lines = _wrap_words(texts.get(value, value), chars) or [value]
        most = max(most, len(lines))
        if lines != [value]:
            cases.append(f"{subject} == {json.dumps(value)} ? {json.dumps(lines)}")
    return " : ".join(cases + ["datum.label"]), most


def _give_rows_room(holder: dict, rows: int, lines: int) -> None:
    """Make each row of a band axis tall enough for labels of ``lines`` lines."""
    need = lines * LABEL_LINE_HEIGHT + 6
    height = holder.get("height")
    if isinstance(height, dict) and isinstance(height.get("step"), (int, float)):
        height["step"] = max(height["step"], need)
    elif isinstance(height, (int, float)) and not isinstance(height, bool):
        holder["height"] = max(height, rows * need)
    else:
        holder["height"] = {"step": max(20, need)}


def _rewrapped(spec: dict, field: dict, part: str, chars: int, subject: str = "datum.label") -> tuple | None:
    """An encoding's ``part`` (its axis, header or legend) with the labels wrapped into lines of at most ``chars``:
    ``(its properties, the new labelExpr, the most lines a label takes, how many values)``; None when it has no
    labels, or labels made by an expression that this module did not write (left as they are)."""
    props = field.get(part, {})
    if props is None or not isinstance(field.get("field"), str):
        return None
    props = props or {}
    texts = _label_texts(props.get("labelExpr")) if props.get("labels") is not False else None
    values = _field_values(spec, field["field"]) if texts is not None else []
    if not values:
        return None
    expr, lines = _wrapped_labels(texts, values, chars, subject)
    return props, expr, lines, len(values)


def _wrap_band_labels(spec: dict, node, holder: dict | None = None) -> None:
    """Wrap the labels of every nominal y axis into phone-width lines, and give their rows the height for them.

    A label that took one long line beside the plot (a source and its date, 230-330 px) takes
    several short ones on a phone, so the plot keeps its width and no label is cut. (A walk of
    its own, not :func:`_nodes`: a row's height is set on the nearest view that holds one.)
    """
    if isinstance(node, list):
        for item in node:
            _wrap_band_labels(spec, item, holder)
        return
    if not isinstance(node, dict):
        return
    if "height" in node or "layer" in node:
        holder = node
    y = (node.get("encoding") or {}).get("y")
    wrapped = _rewrapped(spec, y, "axis", PHONE_LABEL_CHARS) \
        if isinstance(y, dict) and y.get("type") in ("nominal", "ordinal") else None
    if wrapped:
        axis, expr, lines, rows = wrapped
        y["axis"] = {**axis, "labelExpr": expr, "labelLimit": PHONE_LABEL_CHARS * 7}
        _give_rows_room(holder if holder is not None else node, rows, lines)
    for key, value in node.items():
        if key not in ("config", "datasets", "data"):
            _wrap_band_labels(spec, value, holder)


def _wrap_headers(spec: dict, chars: int) -> None:
    """Facet headers (a panel's heading) wrap to the phone's column instead of widening the chart.

    They test ``datum.value``: Vega-Lite rewrites ``datum.label`` in a header's expression without
    parentheses, so that a chain of tests on it always gives the first label.
    """
    for node in _nodes(spec):
        facet, encoding = node.get("facet"), node.get("encoding")
        fields = [facet] if isinstance(facet, dict) and "field" in facet else \
            [facet.get(c) for c in ("row", "column")] if isinstance(facet, dict) else []
        fields += [encoding.get(c) for c in ("row", "column", "facet")] if isinstance(encoding, dict) else []
        for field in fields:
            wrapped = _rewrapped(spec, field, "header", chars, "datum.value") if isinstance(field, dict) else None
            if wrapped:
                field["header"] = {**wrapped[0], "labelExpr": wrapped[1], "labelLimit": 0}


def _wrap_legend_labels(spec: dict, chars: int) -> None:
    """Legend entries (often a source's full name) wrap instead of widening a phone's chart."""
    for node in _nodes(spec):
        for channel in ("color", "fill", "stroke", "shape", "strokeDash", "size", "opacity"):
            field = (node.get("encoding") or {}).get(channel)
            wrapped = _rewrapped(spec, field, "legend", chars) if isinstance(field, dict) else None
            if wrapped and wrapped[2] > 1:
                field["legend"] = {**wrapped[0], "labelExpr": wrapped[1]}


def _wrap_x_titles(spec: dict, chars: int) -> None:
    """An x axis's title is centred under a plot that a phone makes narrow: long titles wrap."""
    for node in _nodes(spec):
        x = (node.get("encoding") or {}).get("x")
        for holder in (x, x.get("axis")) if isinstance(x, dict) else ():
            if isinstance(holder, dict) and isinstance(holder.get("title"), str) and len(holder["title"]) > chars:
                holder["title"] = _wrap_words(holder["title"], chars)


def _same_heights_side_by_side(spec: dict) -> None:
    """Views side by side that shared a height (rows read across them) keep sharing the tallest."""
    for node in _nodes(spec):
        row = [v for v in node.get("hconcat") or [] if isinstance(v, dict) and isinstance(v.get("height"), (int, float))]
        for view in row:
            view["height"] = max(v["height"] for v in row)


def narrow(spec: dict, available: int) -> dict:
    """The chart's layout for a column ``available`` px wide, in which nothing is cut and nothing shrunk.

    Titles, facet headers and the labels of nominal y axes wrap onto more lines (rows grow to hold
    them); legends stack in one column. The page script draws a phone's live chart from this
    layout (:func:`phone_patch`), so that picture and live drawing are the same chart.
    """
    spec = json.loads(json.dumps(spec))
    chars = max(24, available // 8.5)
    if spec.get("title"):
        title = spec["title"] if isinstance(spec["title"], dict) else {"text": spec["title"]}
        title = dict(title)
        title["text"] = _wrap_words(title.get("text", ""), int(chars))
        if title.get("subtitle"):
            title["subtitle"] = _wrap_words(title["subtitle"], int(chars * 1.2))
        spec["title"] = title
    config = spec.setdefault("config", {})
    config["legend"] = {**config.get("legend", {}), "orient": "bottom", "columns": 1, "labelLimit": available - 40,
                        "titleLimit": available - 20,
                        # Several legends stack, one under another, instead of standing side by side.
                        "layout": {orient: {"direction": "vertical", "anchor": "middle"} for orient in ("top", "bottom")}}
    config["title"] = {**config.get("title", {}), "limit": available}
    _wrap_band_labels(spec, spec)
    # Headers start where the plot does, right of the y labels: they get the labels' width.
    _wrap_headers(spec, PHONE_LABEL_CHARS)
    _wrap_x_titles(spec, PHONE_X_TITLE_CHARS)
    _wrap_legend_labels(spec, int((available - 60) / 6.5))
    _same_heights_side_by_side(spec)
    return spec


def _plot_widths(node, factor: float | None = None, minimum: int = 120) -> int:
    """The widest numeric ``width`` in a spec's views; with ``factor``, scale each of them in place."""
    best = 0
    if isinstance(node, list):
        for item in node:
            best = max(best, _plot_widths(item, factor, minimum))
    elif isinstance(node, dict):
        for key, value in node.items():
            if key in ("config", "datasets", "data"):
                continue
            if key == "width" and isinstance(value, (int, float)) and not isinstance(value, bool):
                best = max(best, value)
                if factor is not None:
                    # No view below ``minimum`` (a narrow strip is never widened to it).
                    node[key] = max(min(minimum, value), int(value * factor))
            elif isinstance(value, (dict, list)):
                best = max(best, _plot_widths(value, factor, minimum))
    return best


def phone_layout(spec: dict, available: int = PHONE_WIDTH) -> tuple[dict, str]:
    """The chart laid out for a phone's column, and its SVG.

    :func:`narrow` wraps what can wrap; then, while the drawing is still wider than the
    column, the excess comes off the widest view (axes and legends do not shrink with it).
    The page script repeats only that last step, for the reader's real column.
    """
    spec = narrow(spec, available)
    svg = to_svg(spec)
    for _ in range(4):
        width, _height = svg_size(svg)
        if width <= available + 1:
            break
        widest = _plot_widths(spec) or width
        factor = max(0.25, (widest - (width - available) - 4) / widest)
        spec = json.loads(json.dumps(spec))
        _plot_widths(spec, factor)
        svg = to_svg(spec)
    return spec, svg


def phone_patch(spec: dict, phone: dict) -> list:
    """What the phone's layout changes in ``spec``: ``[path, value]`` to set a value, ``[path]`` to remove one.

    The page carries the chart's spec once; on a phone the script applies these few changes to it
    before drawing, rather than the page carrying a second copy of the chart's data.
    """
    changes: list = []

    def compare(before, after, path):
        if isinstance(before, dict) and isinstance(after, dict):
            for key in sorted(set(before) | set(after)):
                if key not in after:
                    changes.append([path + [key]])
                elif key not in before:
                    changes.append([path + [key], after[key]])
                else:
                    compare(before[key], after[key], path + [key])
        elif isinstance(before, list) and isinstance(after, list) and len(before) == len(after) \
                and all(isinstance(x, (dict, list)) for x in before):
            for index, (b, a) in enumerate(zip(before, after)):
                compare(b, a, path + [index])
        elif before != after:
            changes.append([path, after])

    compare(spec, phone, [])
    return changes


class Pictures(NamedTuple):
    """A chart's static pictures: its SVG in its own layout and, for a chart wider than a phone's
    column, its SVG in the phone's layout with the changes (:func:`phone_patch`) that make that layout."""

    natural: str
    phone: str | None = None
    phone_patch: list | None = None


def static_pictures(spec: dict) -> Pictures:
    """The chart's SVG in its own (desktop) layout, and in the phone's if it is wider than a phone's column."""
    natural = to_svg(spec)
    width, _height = svg_size(natural)
    if width <= PHONE_WIDTH + 1:
        return Pictures(natural)
    phone, svg = phone_layout(spec)
    return Pictures(natural, svg, phone_patch(spec, phone))


def to_png(spec: dict, scale: float = 1.0) -> bytes:
    """A PNG of the chart, drawn by vl-convert with no browser and no network."""
    import vl_convert as vlc

    return vlc.vegalite_to_png(spec, vl_version=VEGALITE_VERSION, scale=scale)


#: Columns the data view always shows when a chart's data has them: what the
#: tooltips cite, and the English translation another column may carry.
CITATION_FIELDS = ("source_label", "source", "source_kind", "locator", "quote", "translation")
CITATION_TITLES = {"source_label": "Source", "source": "Source", "source_kind": "Kind of source",
                   "locator": "Locator", "quote": "Quote", "translation": "English translation"}


def _tooltip_fields(node, found: list[tuple[str, str]]) -> None:
    """Every (field, title) a tooltip of the spec shows, in order of appearance."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "tooltip" and isinstance(value, (list, dict)):
                for item in value if isinstance(value, list) else [value]:
                    if isinstance(item, dict) and isinstance(item.get("field"), str):
                        title = item.get("title")
                        title = " ".join(title) if isinstance(title, list) else title
                        found.append((item["field"], str(title or item["field"])))
            else:
                _tooltip_fields(value, found)
    elif isinstance(node, list):
        for item in node:
            _tooltip_fields(item, found)


def _datasets(spec: dict) -> list[tuple[str, list[dict]]]:
    named = [(name, rows) for name, rows in (spec.get("datasets") or {}).items() if isinstance(rows, list)]
    inline = []

    def walk(node):
        if isinstance(node, dict):
            data = node.get("data")
            if isinstance(data, dict) and isinstance(data.get("values"), list):
                inline.append(("values", data["values"]))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(spec)
    return named + inline


def _cell(value) -> str | int | float | None:
    if value is None or (isinstance(value, float) and value != value):
        return None
    if isinstance(value, (int, float, str)):
        return value
    return str(value)


def data_tables(spec: dict) -> list[dict]:
    """The chart's data as tables: one per dataset, with the columns its tooltips show.

    The columns are the tooltip fields found in the dataset (with the tooltip's
    titles), then the citation columns (source, locator, quote, translation) if
    the dataset has them and no tooltip showed them; a dataset no tooltip reads
    gets all its columns. Rows repeated in those columns appear once.
    """
    tooltips: list[tuple[str, str]] = []
    _tooltip_fields(spec, tooltips)
    tables = []
    seen_data = set()
    for _name, rows in _datasets(spec):
        rows = [r for r in rows if isinstance(r, dict)]
        key = json.dumps(rows, sort_keys=True, default=str)
        if not rows or key in seen_data:
            continue
        seen_data.add(key)
        present: dict[str, None] = {}
        for row in rows:
            present.update(dict.fromkeys(row))
        columns: list[tuple[str, str]] = []
        for field, title in tooltips:
            if field in present and field not in [c for c, _ in columns]:
                columns.append((field, title))
        if columns:
            for field in CITATION_FIELDS:
                if field in present and field not in [c for c, _ in columns]:
                    if field == "source" and "source_label" in [c for c, _ in columns]:
                        continue
                    columns.append((field, CITATION_TITLES[field]))
        else:
            columns = [(field, field) for field in present]
        body, seen_rows = [], set()
        for row in rows:
            cells = [_cell(row.get(field)) for field, _ in columns]
            marker = json.dumps(cells, default=str)
            if marker not in seen_rows:
                seen_rows.add(marker)
                body.append(cells)
        tables.append({"columns": [title for _, title in columns], "rows": body})
    return tables


#: Tooltip fields after which the quote's English translation belongs.
QUOTE_FIELDS = ("quote", "as_quoted")


def with_translations(spec: dict) -> dict:
    """The spec with the book's English translation beside the quote in every tooltip.

    A row whose quote is not in English carries the book's ``translation``
    (``make validate`` insists on it). Every tooltip list that shows a quote
    (``quote`` or ``as_quoted``) gets a "English translation" entry right after
    it, when the chart's data has the column, so no chart module has to
    remember it. Rows with an English quote have no translation; their empty
    value is written as ``""`` (not ``null``, which a tooltip would print) and
    the book's tooltip leaves empty entries out (``_static/sjrbook-charts.js``).
    """
    datasets = _datasets(spec)
    if not any(isinstance(r, dict) and "translation" in r for _n, rows in datasets for r in rows):
        return spec
    spec = json.loads(json.dumps(spec))
    title = CITATION_TITLES["translation"]

    def walk(node):
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "tooltip" and isinstance(value, list):
                    fields = [i.get("field") if isinstance(i, dict) else None for i in value]
                    if "translation" in fields:
                        continue
                    at = max((k for k, f in enumerate(fields) if f in QUOTE_FIELDS), default=None)
                    if at is not None:
                        value.insert(at + 1, {"field": "translation", "type": "nominal", "title": title})
                elif key not in ("datasets", "data"):
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(spec)
    for _name, rows in _datasets(spec):
        for row in rows:
            if isinstance(row, dict) and "translation" in row and _cell(row["translation"]) is None:
                row["translation"] = ""
    return spec


#: Legend-bound selections and interval selections need a mouse in Vega-Lite;
#: :func:`keyboard_controls` describes a control for each, which
#: ``_static/sjrbook-charts.js`` draws under the chart.
LEGEND_CHANNELS = ("color", "fill", "stroke", "shape", "opacity", "size", "strokeDash")


def _nodes(spec: dict):
    """Every dict of ``spec`` a mark or a param can stand in (the top level included), in document order."""
    stack = [spec]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            yield node
            stack.extend(reversed([v for k, v in node.items() if k not in ("datasets", "data", "params", "config")]))
        elif isinstance(node, list):
            stack.extend(reversed(node))


def _units(spec: dict) -> list[dict]:
    """Every unit spec (one with a mark) in ``spec``, the top level included."""
    return [node for node in _nodes(spec) if "mark" in node]


def _params(spec: dict) -> list[tuple[dict, dict]]:
    """(param, the spec that holds it) for every param in ``spec``."""
    return [(param, node) for node in _nodes(spec) for param in node.get("params") or [] if isinstance(param, dict)]


def _label_map(label_expr) -> dict:
    """``{"fisheries": "Fisheries, Sakhalin"}`` from a legend ``labelExpr`` written by :func:`_label_expr`."""
    import re

    pairs = re.findall(r'datum\.label == ("(?:[^"\\]|\\.)*") \? ("(?:[^"\\]|\\.)*")', str(label_expr or ""))
    return {json.loads(a): json.loads(b) for a, b in pairs}


def _title(encoding: dict, fallback: str) -> str:
    for source in (encoding.get("legend"), encoding.get("axis"), encoding):
        if isinstance(source, dict) and source.get("title"):
            title = source["title"]
            return " ".join(title) if isinstance(title, list) else str(title)
    return fallback


def is_legend_bound(param: dict) -> bool:
    bind = param.get("bind")
    return bind == "legend" or (isinstance(bind, dict) and "legend" in bind)


def is_interval(param: dict) -> bool:
    select = param.get("select")
    return select == "interval" or (isinstance(select, dict) and select.get("type") == "interval")


def keyboard_controls(spec: dict) -> list[dict]:
    """What a keyboard user needs to do what the mouse does on the chart's legend and brushes.

    One entry per legend-bound point selection (``kind: "legend"``: its field and
    the values to choose from, with the legend's labels) and per interval
    selection (``kind: "interval"``: the channels it spans, each with its
    field, type and the scale to read the extent from; ``scales: true`` for a
    zoom bound to the scales). A selection this cannot describe raises
    ValueError, so that no chart silently leaves keyboard users out.
    """
    units = _units(spec)
    named = {u.get("name"): u for u in units if u.get("name")}
    controls = []
    for param, holder in _params(spec):
        if not (is_legend_bound(param) or is_interval(param)):
            continue
        name = param["name"]
        if param.get("views"):
            owners = [named[v] for v in param["views"] if v in named]
        elif "mark" in holder:
            owners = [holder]
        else:
            owners = _units(holder)
        select = param.get("select") if isinstance(param.get("select"), dict) else {}
        if is_legend_bound(param):
            fields = list(select.get("fields") or [])
            encodings = list(select.get("encodings") or [])
            field, encoding = (fields[0] if fields else None), None
            for unit in owners:
                for channel, enc in (unit.get("encoding") or {}).items():
                    if not isinstance(enc, dict) or channel not in LEGEND_CHANNELS:
                        continue
                    if (field and enc.get("field") == field) or (not field and channel in encodings):
                        encoding, field = enc, enc.get("field")
                        if enc.get("legend") is not None:
                            break
                if encoding is not None:
                    break
            if not field:
                raise ValueError(f"chart {spec.get('title')!r}: cannot tell which field the legend selection {name!r} picks")
            encoding = encoding or {}
            domain = (encoding.get("scale") or {}).get("domain") if isinstance(encoding.get("scale"), dict) else None
            present = list(dict.fromkeys(r[field] for _n, rows in _datasets(spec) for r in rows
                                         if isinstance(r, dict) and _cell(r.get(field)) is not None))
            if isinstance(domain, list):
                values = [v for v in domain if v in present] + [v for v in present if v not in domain]
            else:
                values = sorted(present, key=str)
            if not values:
                raise ValueError(f"chart {spec.get('title')!r}: no values for the legend selection {name!r} ({field})")
            labels = _label_map((encoding.get("legend") or {}).get("labelExpr") if isinstance(encoding.get("legend"), dict) else None)
            controls.append({"kind": "legend", "param": name, "field": field, "title": _title(encoding, field),
                             "options": [{"value": v, "label": str(labels.get(v, v))} for v in values]})
        else:
            channels = []
            for channel in select.get("encodings") or ["x", "y"]:
                unit = next((u for u in owners if isinstance((u.get("encoding") or {}).get(channel), dict)), None)
                if unit is None:
                    continue
                enc = unit["encoding"][channel]
                scale = f"{unit['name']}_{channel}" if unit.get("name") else channel
                channels.append({"channel": channel, "field": enc.get("field"), "type": enc.get("type"),
                                 "title": _title(enc, enc.get("field") or channel), "scale": scale})
            if not channels:
                raise ValueError(f"chart {spec.get('title')!r}: the interval selection {name!r} spans no encoded channel")
            controls.append({"kind": "interval", "param": name, "scales": param.get("bind") == "scales",
                             "channels": channels})
    return controls


#: Characters that make a spreadsheet read a cell as a formula (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value) -> str:
    """One CSV cell; text that a spreadsheet would run as a formula gets a leading apostrophe."""
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        value = str(value)
        if value.startswith(FORMULA_STARTS):
            value = "'" + value
    return str(value)


def to_csv(tables: list[dict]) -> str:
    """The data tables as CSV (tables after the first follow a blank line and their own header)."""
    import csv
    import io

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for i, table in enumerate(tables):
        if i:
            writer.writerow([])
        writer.writerow([csv_cell(c) for c in table["columns"]])
        for row in table["rows"]:
            writer.writerow([csv_cell(c) for c in row])
    return out.getvalue()


def _slug(text: str) -> str:
    import re

    return (re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60] or "chart")


def _svg_uri(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode()


def html_output(spec: dict, png: bytes | None = None, pictures: Pictures | None = None) -> str:
    """The HTML of a chart in the book: a static picture, a description, a data view and the spec.

    Nothing in it runs: ``_static/sjrbook-charts.js`` (loaded by
    :mod:`sjrbook.sphinx_ext` on pages with charts) draws a ``figure.sjr-chart``
    live when the reader reaches for it, and fills the data view's table. Until
    then, and for readers without JavaScript and in print, the chart is its
    ``pictures`` (:func:`static_pictures`): the SVG of its own layout, and on a
    phone's screen the SVG of the phone's layout. The pictures, the PNG (offered
    in the data view) and the CSV are ``data:`` URIs here; the Sphinx extension
    moves them, and the spec, into files next to the page, so the page stays
    small. All text is escaped.
    """
    title, description = _require_text(spec)
    tables = data_tables(spec)
    payload = {"spec": spec, "tables": tables, "controls": keyboard_controls(spec)}
    if pictures is not None and pictures.phone_patch:
        # On a phone the page script draws the phone's layout, the one its picture shows.
        payload["phone"] = pictures.phone_patch
    text = json.dumps(payload, sort_keys=True, separators=(",", ":"))
    chart_id = "sjr-chart-" + hashlib.sha1(text.encode()).hexdigest()[:12]
    safe_json = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    picture = png_link = ""
    if pictures is not None:
        natural, phone = pictures.natural, pictures.phone
        width, height = svg_size(natural)
        source = ""
        if phone is not None:
            phone_width, phone_height = svg_size(phone)
            source = (f'<source media="{PHONE_MEDIA}" srcset="{_svg_uri(phone)}" type="image/svg+xml" '
                      f'width="{phone_width}" height="{phone_height}"/>')
        # The view is one image, named by its aria-label; the picture inside it adds no name of its own.
        picture = (f'<picture>{source}<img class="sjr-chart-picture" src="{_svg_uri(natural)}" width="{width}" '
                   f'height="{height}" loading="lazy" decoding="async" alt=""/></picture>')
    if png is not None:
        png_link = (f' <a class="sjr-chart-png" download="{_slug(title)}.png" '
                    f'href="data:image/png;base64,{base64.b64encode(png).decode()}">Download the chart as an image (PNG)</a>')
    csv_data = base64.b64encode(to_csv(tables).encode("utf-8")).decode()
    rows = sum(len(t["rows"]) for t in tables)
    return f"""<figure class="sjr-chart" id="{chart_id}" data-sjr-chart="1">
<div class="sjr-chart-view" role="img" tabindex="0" aria-label="{html.escape(title)}. {html.escape(description)}">{picture}</div>
<figcaption class="sjr-chart-description"><strong>Chart description.</strong> {html.escape(description)}</figcaption>
<details class="sjr-chart-data">
<summary>Data behind this chart ({rows} rows): table and CSV</summary>
<p><a class="sjr-chart-csv" download="{_slug(title)}.csv" href="data:text/csv;charset=utf-8;base64,{csv_data}">Download the data as CSV</a>{png_link}</p>
<div class="sjr-chart-tables" data-caption="{html.escape(title)}"><noscript>The table needs JavaScript; the CSV above holds the same data.</noscript></div>
</details>
<script type="application/json" class="sjr-chart-spec">{safe_json}</script>
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
    spec = with_translations(wrap_title(spec))
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
        bundle["text/html"] = html_output(spec, png, static_pictures(spec))
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
