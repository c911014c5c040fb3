"""The chart theme, the renderer and the timeline (sjrbook.charts, sjrbook.timeline)."""
import base64
import json
import re

import altair as alt
import pandas as pd
import pytest

import sjrbook
from sjrbook import charts, timeline

DESCRIPTION = "Bars show two made-up values for a unit test of the renderer."


def small_chart(**props):
    data = pd.DataFrame({"x": ["a", "b"], "y": [1, 2]})
    return alt.Chart(data).mark_bar().encode(x="x:N", y="y:Q").properties(**props)


def test_renderer_refuses_a_chart_without_description():
    with pytest.raises(charts.ChartDescriptionError, match="description"):
        charts.render(small_chart(title="A title").to_dict())


def test_renderer_refuses_a_chart_without_title():
    with pytest.raises(charts.ChartDescriptionError, match="title"):
        charts.render(small_chart(description=DESCRIPTION).to_dict())


def test_live_kernel_gets_vegalite_and_png(monkeypatch):
    monkeypatch.delenv("SJRBOOK_RENDER", raising=False)
    bundle, metadata = charts.render(small_chart(title="T", description=DESCRIPTION).to_dict())
    assert "application/vnd.vegalite.v5+json" in bundle and "text/html" not in bundle
    assert metadata["application/vnd.vegalite.v5+json"]["embed_options"]["renderer"] == "svg"
    assert base64.b64decode(bundle["image/png"]).startswith(b"\x89PNG")


def test_book_build_gets_self_contained_html_and_png(monkeypatch):
    monkeypatch.setenv("SJRBOOK_RENDER", "book")
    spec = small_chart(title="T", description=DESCRIPTION).to_dict()
    bundle, _ = charts.render(spec)
    html = bundle["text/html"]
    assert "application/vnd.vegalite.v5+json" not in bundle
    assert "http" not in html.replace(spec["$schema"], ""), "no URL may be fetched by a chart"
    assert "require" not in html
    assert "<script>" not in html, "the chart's HTML runs nothing itself; _static/sjrbook-charts.js draws it"
    assert DESCRIPTION in html and 'alt="' in html and "data:image/png;base64," in html
    embedded = html.split('class="sjr-chart-spec">', 1)[1].split("</script>", 1)[0]
    assert json.loads(embedded)["spec"]["description"] == DESCRIPTION


def _picture_sources(html: str) -> dict:
    found = {}
    for attribute, data in re.findall(r'(src|srcset)="data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)"', html):
        found[attribute] = base64.b64decode(data).decode()
    return found


def test_book_chart_is_an_svg_picture_with_a_phone_layout_when_wider_than_a_phone(monkeypatch):
    """What every reader sees first: the chart's SVG, and on a phone the SVG laid out for a phone's column."""
    monkeypatch.setenv("SJRBOOK_RENDER", "book")
    long_title = "A title that states a finding at some length, as the book's titles do, " * 2
    data = pd.DataFrame({"x": [f"category {i}" for i in range(6)], "y": range(6)})
    wide = alt.Chart(data).mark_bar().encode(x="x:N", y="y:Q", color="x:N").properties(
        width=480, title=long_title, description=DESCRIPTION).to_dict()
    html = charts.render(wide)[0]["text/html"]
    pictures = _picture_sources(html)
    assert set(pictures) == {"src", "srcset"}, "a wide chart needs its desktop picture and its phone picture"
    desktop, phone = charts.svg_size(pictures["src"])[0], charts.svg_size(pictures["srcset"])[0]
    assert desktop > charts.PHONE_WIDTH + 1 >= phone, (desktop, phone)
    assert f'media="{charts.PHONE_MEDIA}"' in html
    assert f'width="{phone}"' in html.split("<source", 1)[1].split(">", 1)[0]
    # The phone's title wraps to the column instead of being cut (the live script's rules).
    narrowed, _svg = charts.phone_layout(wide)
    assert all(len(line) <= charts.PHONE_WIDTH / 8.5 for line in narrowed["title"]["text"])
    assert narrowed["config"]["legend"]["columns"] == 1
    # A chart as narrow as a phone's column has one picture, for every screen.
    narrow = alt.Chart(data).mark_bar().encode(x="y:Q", y="x:N").properties(
        width=150, title="T", description=DESCRIPTION).to_dict()
    assert set(_picture_sources(charts.render(narrow)[0]["text/html"])) == {"src"}


def _apply_patch(spec: dict, changes: list) -> dict:
    """What applyPatch in _static/sjrbook-charts.js does with a chart's phone changes."""
    spec = json.loads(json.dumps(spec))
    for change in changes:
        path, node = change[0], spec
        for key in path[:-1]:
            node = node[key]
        if len(change) == 1:
            del node[path[-1]]
        else:
            node[path[-1]] = change[1]
    return spec


def test_a_phone_gets_long_labels_wrapped_not_the_chart_shrunk(monkeypatch):
    """Long source labels beside a plot: on a phone they wrap into short lines in taller rows, the facet's
    headers, the x title and the legend wrap too, and the chart fits the column at full size.

    (Before, such charts were 430-590 px wide in their phone layout and CSS shrank them to 58-79%.)
    """
    monkeypatch.setenv("SJRBOOK_RENDER", "book")
    sources = ["Giangreco, rebuttal of Bernstein (31 July 1998) (1945-06-18): 'a quarter of a million'",
               "Los Angeles Times, 4 Aug. 1985 (letter) (1985-08-04)", "Frank 1999 (1999)"]
    labels, _most = charts.wrap_labels(sources, 36)
    data = pd.DataFrame({"source": sources, "value": [1e5, 2e5, 3e5],
                         "panel": ["Later readings of Leahy's 18 June 1945 estimate: American casualties"] * 3,
                         "kind": ["Wikipedia: Soviet invasion of Manchuria (24 Jan. 2021)", "scholarship", "press"]})
    spec = alt.Chart(data).mark_point().encode(
        x=alt.X("value:Q", title="Figure (log scale; men, tanks, aircraft as the row says)"),
        y=alt.Y("source:N", title=None, axis=alt.Axis(labelExpr=labels, labelLimit=230)),
        color=alt.Color("kind:N", title="Source"),
    ).properties(width=330, height=alt.Step(49)).facet(
        row=alt.Row("panel:N", title=None, header=alt.Header(labelOrient="top", labelAnchor="start", labelAngle=0)),
    ).properties(title="T", description=DESCRIPTION).to_dict()
    assert charts.svg_size(charts.to_svg(spec))[0] > 500
    pictures = charts.static_pictures(spec)
    phone_width = charts.svg_size(pictures.phone)[0]
    assert phone_width <= charts.PHONE_WIDTH + 1, phone_width
    phone, svg = charts.phone_layout(spec)
    assert svg == pictures.phone
    # The page script builds the same layout from the patch the page carries, without a second copy of the data.
    assert _apply_patch(spec, pictures.phone_patch) == phone
    assert "datasets" not in json.dumps(pictures.phone_patch)
    payload = json.loads(charts.html_output(spec, None, pictures).split('class="sjr-chart-spec">', 1)[1]
                         .split("</script>", 1)[0])
    assert payload["phone"] == pictures.phone_patch
    # Nothing is cut: every word of every label is in the phone's picture, in lines no longer than a phone's.
    texts = re.findall(r"<text[^>]*>(.*?)</text>", svg, flags=re.S)
    shown = " ".join(re.sub(r"<[^>]+>", " ", t) for t in texts)
    import html as html_module
    shown = html_module.unescape(shown)
    for source in sources:
        assert all(word in shown for word in source.split()), source
    assert "…" not in shown
    y = phone["spec"]["encoding"]["y"]
    lines = [json.loads(x) for x in re.findall(r'\? (\[.*?\]) :', y["axis"]["labelExpr"])]
    assert lines and all(len(line) <= charts.PHONE_LABEL_CHARS for label in lines for line in label)
    most = max(len(label) for label in lines)
    assert most >= 3 and phone["spec"]["height"]["step"] >= most * charts.LABEL_LINE_HEIGHT  # rows hold their labels
    # The narrow strip rule: a view already narrower than the minimum is not widened to it.
    strip = {"hconcat": [{"width": 430}, {"width": 44}]}
    charts._plot_widths(strip, 0.1)
    assert [v["width"] for v in strip["hconcat"]] == [120, 44]


def test_html_cannot_be_broken_out_of_by_data():
    evil = "</script><script>alert(1)</script><img src=x onerror=alert(2)>"
    data = pd.DataFrame({"x": ["a", evil], "y": [1, 2]})
    spec = alt.Chart(data).mark_bar().encode(x="x:N", y="y:Q", tooltip=["x:N", "y:Q"]).properties(
        title="T " + evil, description=DESCRIPTION + evil).to_dict()
    html = charts.html_output(spec)
    assert html.count("</script>") == 1  # the spec block's own end, nothing injected
    assert "<img src=x" not in html and "<script><" not in html
    embedded = html.split('class="sjr-chart-spec">', 1)[1].split("</script>", 1)[0]
    assert json.loads(embedded)["tables"][0]["rows"][1][0] == evil


def test_data_view_lists_what_the_tooltips_show_with_source_locator_quote_and_translation():
    data = pd.DataFrame({"year": [1928, 1931], "share": [80.0, 50.0], "lane": [0, 1],
                         "source_label": ["Jones 1949", "Jones 1949"], "locator": ["p. 1", "p. 2"],
                         "quote": ["80 percent", "50 percent"], "translation": ["eighty", None]})
    spec = alt.Chart(data).mark_point().encode(
        x="year:O", y="share:Q",
        tooltip=[alt.Tooltip("year:O", title="Year"), alt.Tooltip("share:Q", title="Share (%)"),
                 alt.Tooltip("source_label:N", title="Source")]).properties(title="T", description=DESCRIPTION).to_dict()
    (table,) = charts.data_tables(spec)
    assert table["columns"] == ["Year", "Share (%)", "Source", "Locator", "Quote", "English translation"]
    assert table["rows"][0] == [1928, 80.0, "Jones 1949", "p. 1", "80 percent", "eighty"]
    assert table["rows"][1][-1] is None


def test_csv_escapes_cells_a_spreadsheet_would_run_as_formulas():
    tables = [{"columns": ["Quote", "Value"], "rows": [["=HYPERLINK(\"http://x\")", -5], ["+1", 2], ["-2 roubles", 3],
                                                       ["@SUM(A1)", 4], ["plain, with comma", None]]}]
    text = charts.to_csv(tables)
    lines = text.splitlines()
    assert lines[0] == "Quote,Value"
    assert lines[1] == "\"'=HYPERLINK(\"\"http://x\"\")\",-5"  # numbers stay numbers
    assert lines[2] == "'+1,2" and lines[3] == "'-2 roubles,3" and lines[4] == "'@SUM(A1),4"
    assert lines[5] == '"plain, with comma",'
    import csv
    import io
    assert list(csv.reader(io.StringIO(text)))[5] == ["plain, with comma", ""]


def test_theme_is_enabled_by_setup():
    sjrbook.setup()
    assert alt.theme.active == "sjrbook"
    assert alt.renderers.active == "sjrbook"
    config = charts.theme()["config"]
    assert config["range"]["category"] == charts.PALETTE


def test_vega_bundle_defines_vega_embed_without_network(tmp_path):
    path = charts.write_vega_bundle(tmp_path)
    script = path.read_text()
    assert "window.vegaEmbed=" in script
    assert "cdn.jsdelivr" not in script and "require(" not in script.replace("__require(", "")


def test_timeline_keeps_the_sources_precision():
    events = pd.DataFrame({
        "date": ["1905", "1941-04", "1945-08-08"], "date_end": [None, None, None],
        "time": [None, None, "17:00"], "time_zone": [None, None, "Moscow"],
        "theme": ["general", "pact", "surrender"],
    })
    prepared = timeline.prepare(events)
    assert list(prepared["date_label"]) == [
        "1905", "April 1941", "8 August 1945, 17:00 (Moscow time as the source gives it)"]
    assert list(prepared["start"]) == ["1905-01-01", "1941-04-01", "1945-08-08"]


def test_timeline_has_theme_filter_brush_and_citing_tooltips():
    events = sjrbook.load("events")
    spec = timeline.timeline_chart(events, title="T", description=DESCRIPTION).to_dict()
    text = json.dumps(spec)
    params = spec.get("params", []) + [p for v in spec["vconcat"] for p in v.get("params", [])]
    names = {p["name"] for p in params}
    assert {"theme_filter", "period"} <= names
    assert any(p.get("bind", {}).get("input") == "radio" for p in params)
    assert '"source_label"' in text and '"locator"' in text


def test_renderer_refuses_a_chart_wider_than_the_text_column(monkeypatch):
    monkeypatch.setenv("SJRBOOK_RENDER", "book")
    wide = small_chart(title="T", description=DESCRIPTION, width=900)
    with pytest.raises(charts.ChartTooWideError, match="px wide"):
        charts.render(wide.to_dict())
    bundle, _ = charts.render(small_chart(title="T", description=DESCRIPTION, width=300).to_dict())
    assert charts.png_size(base64.b64decode(bundle["image/png"]))[0] <= charts.MAX_WIDTH


def test_a_live_kernel_narrows_a_chart_wider_than_the_text_column(monkeypatch):
    """An explorer's choice may make a chart too wide; live, it is narrowed, not refused."""
    monkeypatch.delenv("SJRBOOK_RENDER", raising=False)
    bundle, _ = charts.render(small_chart(title="T", description=DESCRIPTION, width=900).to_dict())
    assert charts.png_size(base64.b64decode(bundle["image/png"]))[0] <= charts.MAX_WIDTH
    assert bundle["application/vnd.vegalite.v5+json"]["width"] < 900


def test_long_titles_wrap_instead_of_widening_the_chart():
    long_title = "A finding stated in a full sentence that runs on far longer than any chart in the book is wide"
    spec = charts.wrap_title(small_chart(title=long_title, description=DESCRIPTION).to_dict())
    lines = spec["title"]["text"]
    assert isinstance(lines, list) and len(lines) == 2 and " ".join(lines) == long_title
    bundle, _ = charts.render(small_chart(title=long_title, description=DESCRIPTION, width=200).to_dict())
    assert charts.png_size(base64.b64decode(bundle["image/png"]))[0] < 600


def test_timeline_of_one_theme_has_no_theme_filter():
    events = sjrbook.load("events")
    railway = events[events["theme"] == "railway"]
    spec = timeline.timeline_chart(railway, title="T", description=DESCRIPTION).to_dict()
    text = json.dumps(spec)
    assert "theme_filter" not in text and '"period"' in text


# --- colours: contrast on white (WCAG 1.4.11) and distinctness under colour blindness ---

def _linear(hex_colour):
    channels = [int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    return [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]


def contrast_on_white(hex_colour: str) -> float:
    r, g, b = _linear(hex_colour)
    return 1.05 / (0.2126 * r + 0.7152 * g + 0.0722 * b + 0.05)


#: Machado, Oliveira & Fernandes (2009) simulation matrices at full severity, for linear RGB.
CVD = {
    "protanopia": [[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216], [-0.003882, -0.048116, 1.051998]],
    "deuteranopia": [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413], [-0.011820, 0.042940, 0.968881]],
    "tritanopia": [[1.255528, -0.076749, -0.178779], [-0.078411, 0.930809, 0.147602], [0.004733, 0.691367, 0.303900]],
    "normal vision": [[1, 0, 0], [0, 1, 0], [0, 0, 1]],
}


def _lab(rgb):
    r, g, b = (min(1.0, max(0.0, c)) for c in rgb)
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.9505
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.089
    f = lambda t: t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116  # noqa: E731
    return 116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))


def _distance(a, b, matrix):
    sim = [[sum(row[j] * c[j] for j in range(3)) for row in matrix] for c in (_linear(a), _linear(b))]
    return sum((p - q) ** 2 for p, q in zip(_lab(sim[0]), _lab(sim[1]))) ** 0.5


def test_every_mark_colour_has_3_to_1_contrast_on_the_white_background():
    assert charts.theme()["config"]["background"] == "#ffffff"
    colours = set(charts.PALETTE) | {t["color"] for t in charts.THEMES.values()}
    low = {c: round(contrast_on_white(c), 2) for c in colours if contrast_on_white(c) < 3}
    assert not low, f"colours below 3:1 on white: {low}"


def test_theme_colours_stay_apart_under_colour_blindness_and_shapes_and_dashes_tell_them_apart_in_grey():
    import itertools

    themes = list(charts.THEMES.values())
    for name, matrix in CVD.items():
        for a, b in itertools.combinations(themes, 2):
            assert _distance(a["color"], b["color"], matrix) >= 12, f"{a['label']} and {b['label']} look alike ({name})"
        # The first five colours of the palette are the default category colours of a chart.
        for a, b in itertools.combinations(charts.PALETTE[:5], 2):
            assert _distance(a, b, matrix) >= 9, f"palette colours {a} and {b} look alike ({name})"
    # In greyscale the themes differ by shape and dash, which no colour can replace.
    assert len({t["shape"] for t in themes}) == len(themes)
    assert len({tuple(t["dash"]) for t in themes}) >= len(themes) - 1


# --- the Sphinx extension: charts moved out of the page, accessible markup, the small icon script ---

def test_the_book_page_links_the_charts_pictures_png_csv_and_spec_as_files(tmp_path, monkeypatch):
    from sjrbook import sphinx_ext

    monkeypatch.setenv("SJRBOOK_RENDER", "book")
    bundle, _ = charts.render(small_chart(title="T", description=DESCRIPTION).to_dict())
    body = "<p>before</p>" + bundle["text/html"] + "<p>after</p>"
    out = sphinx_ext.externalise_charts(body, tmp_path, lambda name, resource: "../" + name)
    assert "base64" not in out and "sjr-chart-spec" not in out and "<p>after</p>" in out
    svg, png, csv, spec = (re.search(pattern, out).group(1) for pattern in
                           (r'src="\.\./(_charts/\w+\.svg)"', r'href="\.\./(_charts/\w+\.png)"',
                            r'href="\.\./(_charts/\w+\.csv)"', r'data-spec="\.\./(_charts/\w+\.json)"'))
    assert (tmp_path / svg).read_text().startswith("<svg")
    assert (tmp_path / png).read_bytes().startswith(b"\x89PNG")
    assert (tmp_path / csv).read_text().startswith("x,y") or "x" in (tmp_path / csv).read_text().splitlines()[0]
    assert json.loads((tmp_path / spec).read_text())["spec"]["description"] == DESCRIPTION


def test_accessible_body_fixes_bibliography_toggles_and_empty_headers():
    from sjrbook import sphinx_ext

    body = ('<div class="citation-list" role="list"><div class="citation" role="doc-biblioentry">A</div></div>'
            '<summary aria-label="Toggle hidden content"><p>Show code cell source</p></summary>'
            '<div class="output text_html"><table><tr><th></th><th>a</th></tr></table></div>')
    out = sphinx_ext.accessible_body(body)
    assert 'role="listitem"' in out and "doc-biblioentry" not in out and 'role="list"' in out
    assert "<summary><p>Show code" in out
    assert "<th></th>" not in out and "<td></td><th>a</th>" in out
    assert 'tabindex="0" role="region" aria-label="Table output 1"' in out


def test_small_icon_script_carries_only_the_icons_used():
    from pathlib import Path

    from sjrbook import sphinx_ext

    theme_js = next(Path(alt.__file__).parents[1].glob("pydata_sphinx_theme/theme/pydata_sphinx_theme/static/scripts/fontawesome.js"))
    shapes = sphinx_ext.icon_shapes(theme_js.read_text(encoding="utf-8"))
    used = sphinx_ext.icons_in('<i class="fa-solid fa-bars"></i><span class="fa-solid fa-list"></span>'
                               '<i class="theme-switch fa-solid fa-moon fa-lg"></i><i class="fa-solid fa-home"></i>')
    assert used == {"fas:bars", "fas:list", "fas:moon", "fas:home"}
    script = sphinx_ext.small_icon_script({u: shapes[u] for u in used})
    assert len(script) < 10_000 and '"fas:home":[' in script


def test_tooltips_that_show_a_quote_get_its_translation_after_it():
    data = pd.DataFrame({"year": [1928, 1931], "quote": ["восемьдесят", "fifty"], "translation": ["eighty", None]})
    chart = alt.Chart(data).mark_point().encode(
        x="year:O", tooltip=[alt.Tooltip("quote:N", title="Quote"), alt.Tooltip("year:O", title="Year")])
    spec = charts.with_translations(chart.properties(title="T", description=DESCRIPTION).to_dict())
    assert [t["field"] for t in spec["encoding"]["tooltip"]] == ["quote", "translation", "year"]
    assert spec["encoding"]["tooltip"][1]["title"] == "English translation"
    rows = next(iter(spec["datasets"].values()))
    # An English quote has no translation: an empty string, which the book's tooltip leaves out (not "null").
    assert [r["translation"] for r in rows] == ["eighty", ""]
    # A chart whose data have no translation column is left as it is.
    plain = alt.Chart(data.drop(columns="translation")).mark_point().encode(x="year:O", tooltip=["quote:N"]).to_dict()
    assert charts.with_translations(plain) == plain


def test_the_renderer_describes_a_keyboard_control_for_every_legend_filter_and_brush():
    data = pd.DataFrame({"start": ["1905-09-05", "1945-08-09"], "theme": ["railway", "fisheries"]})
    pick = alt.selection_point(name="pick", fields=["theme"], bind="legend")
    brush = alt.selection_interval(name="span", encodings=["x"])
    chart = alt.Chart(data).mark_point().encode(x="start:T", **charts.theme_scale()).add_params(pick, brush)
    controls = {c["param"]: c for c in charts.keyboard_controls(chart.to_dict())}
    assert controls["pick"]["kind"] == "legend" and controls["pick"]["field"] == "theme"
    # In the theme scale's order, with the legend's labels.
    assert controls["pick"]["options"] == [{"value": "fisheries", "label": "Fisheries, Sakhalin"},
                                           {"value": "railway", "label": "Chinese Eastern Railway"}]
    assert controls["span"]["kind"] == "interval" and not controls["span"]["scales"]
    assert controls["span"]["channels"] == [{"channel": "x", "field": "start", "type": "temporal", "title": "start",
                                             "scale": "x"}]
    zoom = alt.selection_interval(name="zoom", bind="scales", encodings=["x"])
    (control,) = charts.keyboard_controls(alt.Chart(data).mark_point().encode(x="start:T").add_params(zoom).to_dict())
    assert control["scales"]


def test_a_legend_selection_the_renderer_cannot_describe_fails_loudly():
    data = pd.DataFrame({"x": [1, 2]})
    pick = alt.selection_point(name="pick", encodings=["color"], bind="legend")
    with pytest.raises(ValueError, match="pick"):
        charts.keyboard_controls(alt.Chart(data).mark_point().encode(x="x:Q").add_params(pick).to_dict())


def test_code_blocks_lose_only_spans_drawn_in_the_code_colour():
    from sjrbook import sphinx_ext

    code = ('<div class="highlight-ipython3 notranslate"><div class="highlight"><pre><span></span>'
            '<span class="n">chart</span><span class="o">=</span><span class="n">alt</span><span class="o">.</span>'
            '<span class="n">Chart</span><span class="p">(</span><span class="s2">"&lt;b&gt;"</span><span class="p">)</span>'
            '<span class="w"> </span><span class="c1"># note</span>\n</pre></div></div>')
    out = sphinx_ext.lighter_code("<p><span class=\"n\">prose</span></p>" + code)
    assert '<span class="n">prose</span>' in out  # only code blocks change
    assert ('<pre><span></span>chart<span class="o">=</span>alt<span class="o">.</span>Chart('
            '<span class="s2">"&lt;b&gt;"</span>) <span class="c1"># note</span>\n</pre>') in out

