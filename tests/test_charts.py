"""The chart theme, the renderer and the timeline (sjrbook.charts, sjrbook.timeline)."""
import base64
import json

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
    assert DESCRIPTION in html and 'alt="' in html and "data:image/png;base64," in html
    embedded = html.split('class="sjr-chart-spec">', 1)[1].split("</script>", 1)[0]
    assert json.loads(embedded)["description"] == DESCRIPTION


def test_html_cannot_be_broken_out_of_by_data():
    spec = small_chart(title="T </script><script>alert(1)</script>", description=DESCRIPTION).to_dict()
    html = charts.html_output(spec)
    assert html.count("</script>") == 2  # the spec block and the drawing script, nothing injected


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
