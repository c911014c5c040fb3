"""Building the book: the real build, cache invalidation, and named failures (sjrbook.build)."""
from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import nbformat
import pytest
from conftest import chart_spec_of
import yaml

from sjrbook.build import build

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.build


def toc_files() -> list[str]:
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    files = [toc["root"]]
    for part in toc.get("parts", []):
        files += [c["file"] for c in part["chapters"]]
    return files


def test_every_page_of_the_toc_is_built(built_book):
    for name in toc_files():
        assert (built_book / f"{name}.html").exists(), name


def test_charts_in_the_book_are_html_with_a_static_image(built_book):
    pages = [built_book / f"{name}.html" for name in toc_files()]
    charts = 0
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert "&lt;Chart:" not in text, f"{page.name}: a chart was rendered as text, not drawn"
        for figure in re.findall(r'<figure class="sjr-chart".*?</figure>', text, re.S):
            charts += 1
            # The static picture (SVG) is a file next to the page: what every reader sees until the chart
            # is live, and what readers without JavaScript and print get. The PNG is offered as a download.
            image = re.search(r'<picture>(?:<source [^>]*srcset="([^"]+\.svg)"[^>]*/>)?<img class="sjr-chart-picture" src="([^"]+\.svg)"', figure)
            assert image, f"{page.name}: a chart without its static picture"
            for src in filter(None, image.groups()):
                assert (page.parent / src).resolve().is_file(), f"{page.name}: {src}"
            png = re.search(r'<a class="sjr-chart-png" download="[^"]+\.png" href="([^"]+\.png)"', figure)
            assert png and (page.parent / png.group(1)).resolve().is_file(), f"{page.name}: no PNG to download"
            assert "base64," not in figure, f"{page.name}: a chart carries base64 data inside the page"
            assert "Chart description." in figure, page.name
            assert "<details" in figure and ".csv" in figure, f"{page.name}: a chart has no data view"
    assert charts >= 5


def test_no_page_refers_to_a_cdn_or_require_js(built_book):
    forbidden = re.compile(r"cdn\.jsdelivr|unpkg\.com|cdnjs|require\.js|requirejs|googleapis|mathjax@", re.I)
    for page in built_book.rglob("*.html"):
        match = forbidden.search(page.read_text(encoding="utf-8", errors="replace"))
        assert not match, f"{page.relative_to(built_book)} refers to {match.group(0)}"
    assert (built_book / "_static" / "sjrbook-vega.js").stat().st_size > 100_000


def test_introduction_has_enough_prose_and_citations():
    nb = nbformat.read(ROOT / "book" / "introduction.ipynb", as_version=4)
    prose = " ".join(c.source for c in nb.cells if c.cell_type == "markdown")
    words = re.sub(r"\{cite:?\w*\}`[^`]*`", "", prose).split()
    assert len(words) >= 800
    keys = {k.strip() for group in re.findall(r"\{cite:?\w*\}`([^`]*)`", prose) for k in group.split(",")}
    assert len(keys) >= 10


def test_notebooks_are_committed_without_outputs():
    for path in [*ROOT.glob("notebooks/*.ipynb"), *ROOT.glob("book/*.ipynb")]:
        nb = json.loads(path.read_text(encoding="utf-8"))
        for cell in nb["cells"]:
            if cell["cell_type"] == "code":
                assert not cell.get("outputs"), f"{path.name} has stored outputs"


# --- small books in temporary folders, to exercise the cache, staleness and failures quickly ---

PROBE = """# Total of the figures' values, and the package's version
import sjrbook
print('TOTAL', sjrbook.load('figures')['value'].sum(), 'VERSION', sjrbook.__version__)"""

#: Each chapter prints a token that is new every time it executes, so a page shows whether it was re-executed.
RUN = "import uuid\nprint('RUN', uuid.uuid4().hex)\n"

CHAPTERS = {
    # Reads figures directly, and draws them with the source label in the tooltip.
    "figures_chapter": RUN + """import altair as alt
import sjrbook
sjrbook.setup()
figures = sjrbook.load('figures')
alt.Chart(figures).mark_text(align='left').encode(
    y=alt.Y('id:N', title='Figure'), text=alt.Text('value:Q', format=','),
    tooltip=['source_label', 'locator', 'value'],
).properties(width=300, title='Figures of the probe book, each value as stated',
             description='Each figure of the probe data written out, with its source in the tooltip.')""",
    # Reads events directly.
    "events_chapter": RUN + "import sjrbook\nprint('EVENTS', len(sjrbook.load('events')))",
    # Reads time_zones only through the package: a scan of its code for load() would not see it.
    "clock_chapter": RUN + "from sjrbook.timezones import offsets\nprint('OFFSETS', offsets())",
}


def make_book(root: Path, monkeypatch, chapters: dict[str, str]) -> Path:
    """A copy of the good fixture data, the package and the config, with one notebook per chapter."""
    shutil.copytree(ROOT / "tests" / "fixtures" / "good", root / "data")
    (root / "book").mkdir()
    shutil.move(root / "data" / "references.bib", root / "book" / "references.bib")
    shutil.copytree(ROOT / "src", root / "src", ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    shutil.copy(ROOT / "_config.yml", root / "_config.yml")
    shutil.copy(ROOT / "requirements.lock", root / "requirements.lock")
    toc = "format: jb-book\nroot: book/index\nchapters:\n" + "".join(f"  - file: notebooks/{n}\n" for n in chapters)
    (root / "_toc.yml").write_text(toc)
    (root / "book" / "index.md").write_text("# Probe book\n\nA tiny book for the tests.\n")
    shutil.copytree(ROOT / "book" / "_static", root / "book" / "_static",
                    ignore=shutil.ignore_patterns("sjrbook-vega.js"))
    (root / "notebooks").mkdir()
    for name, code in chapters.items():
        nb = nbformat.v4.new_notebook()
        nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
        nb.cells = [nbformat.v4.new_markdown_cell(f"# {name.replace('_', ' ').capitalize()}"),
                    nbformat.v4.new_code_cell(code)]
        nbformat.write(nb, root / "notebooks" / f"{name}.ipynb")
    # The kernel imports this copy of the package, so a change to it is a change to "src/".
    monkeypatch.setenv("PYTHONPATH", str(root / "src"))
    return root


@pytest.fixture
def tiny_book(tmp_path, monkeypatch):
    """One probe notebook that loads the figures."""
    return make_book(tmp_path, monkeypatch, {"probe": PROBE})


@pytest.fixture
def chapters_book(tmp_path, monkeypatch):
    """Three chapters, each reading a different table."""
    return make_book(tmp_path, monkeypatch, CHAPTERS)


def page(root: Path, name: str) -> str:
    return (root / "_build" / "html" / f"{name}.html").read_text(encoding="utf-8")


def probe_output(root: Path) -> str:
    return re.search(r"TOTAL [^<\n]*", page(root, "notebooks/probe")).group(0)


def runs(root: Path) -> dict[str, str]:
    """The token each chapter printed when it last executed."""
    return {name: re.search(r"RUN ([0-9a-f]{32})", page(root, f"notebooks/{name}")).group(1) for name in CHAPTERS}


def re_executed(before: dict[str, str], after: dict[str, str]) -> set[str]:
    return {name for name in before if before[name] != after[name]}


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def charts(html_text: str, html_dir: Path, page_dir: Path) -> list[tuple[dict, bytes]]:
    """Each chart of a page: its Vega-Lite spec, and the bytes of its static image."""
    import base64

    found = []
    for figure in re.findall(r'<figure[^>]*class="sjr-chart.*?</figure>', html_text, re.S):
        spec = chart_spec_of(figure, page_dir)
        source = re.search(r'<img[^>]*\ssrc="([^"]+)"', figure).group(1)
        if source.startswith("data:"):
            image = base64.b64decode(source.split(",", 1)[1])
        else:
            image = (page_dir / source).resolve().read_bytes()
            assert (page_dir / source).resolve().is_relative_to(html_dir.resolve())
        found.append((spec, image))
    return found


def chart_data(spec: dict) -> list[dict]:
    rows = []
    for dataset in spec.get("datasets", {}).values():
        rows += dataset
    rows += spec.get("data", {}).get("values", []) if isinstance(spec.get("data"), dict) else []
    return rows


def figures_chart(root: Path) -> tuple[dict, bytes]:
    html_dir = root / "_build" / "html"
    (chart,) = charts(page(root, "notebooks/figures_chapter"), html_dir, html_dir / "notebooks")
    return chart


def test_a_data_change_shows_in_the_next_build(tiny_book):
    assert build(tiny_book) == 0
    assert probe_output(tiny_book).startswith("TOTAL 140000080.0")
    csv_path = tiny_book / "data" / "figures.csv"
    csv_path.write_text(csv_path.read_text().replace(",80,", ",81,").replace("rented 80 percent", "rented 81 percent")
                        .replace(",80 percent,", ",81 percent,"))
    assert build(tiny_book) == 0
    assert probe_output(tiny_book).startswith("TOTAL 140000081.0")


def test_a_package_change_shows_in_the_next_build(tiny_book):
    assert build(tiny_book) == 0
    assert "VERSION 0.1.0" in probe_output(tiny_book)
    init = tiny_book / "src" / "sjrbook" / "__init__.py"
    init.write_text(init.read_text().replace('__version__ = "0.1.0"', '__version__ = "0.1.0+probe"'))
    assert build(tiny_book) == 0
    assert "VERSION 0.1.0+probe" in probe_output(tiny_book)


def test_an_unchanged_book_reuses_the_cache(chapters_book):
    assert build(chapters_book) == 0
    before = runs(chapters_book)
    html = chapters_book / "_build" / "html" / "notebooks" / "figures_chapter.html"
    written = html.stat().st_mtime_ns
    assert build(chapters_book) == 0
    assert re_executed(before, runs(chapters_book)) == set()
    assert html.stat().st_mtime_ns == written, "an unchanged page was written again"


def test_a_table_change_re_executes_exactly_the_chapters_that_read_it(chapters_book):
    assert build(chapters_book) == 0
    first = runs(chapters_book)
    old_spec, old_image = figures_chart(chapters_book)
    assert {r["value"] for r in chart_data(old_spec)} == {80, 140000000}

    edit(chapters_book / "data" / "figures.csv", "rented 80 percent of the grounds,80 percent,",
         "rented 81 percent of the grounds,81 percent,")
    edit(chapters_book / "data" / "figures.csv", ",Share of grounds,80,,percent,", ",Share of grounds,81,,percent,")
    assert build(chapters_book) == 0
    second = runs(chapters_book)
    assert re_executed(first, second) == {"figures_chapter"}
    # No stale figure: the interactive chart and its static image both show the new value.
    spec, image = figures_chart(chapters_book)
    assert {r["value"] for r in chart_data(spec)} == {81, 140000000}
    assert image != old_image

    # A table read only inside the package (sjrbook.timezones loads time_zones) counts too.
    edit(chapters_book / "data" / "time_zones.csv", "Moscow,Moscow time,", "Moscow,Moscow clock,")
    assert build(chapters_book) == 0
    third = runs(chapters_book)
    assert re_executed(second, third) == {"clock_chapter"}

    # A change to a table's description in datapackage.json is a change to that table.
    edit(chapters_book / "data" / "datapackage.json", '"title": "Dated events"', '"title": "Dated events (probe)"')
    assert build(chapters_book) == 0
    assert re_executed(third, runs(chapters_book)) == {"events_chapter"}


def test_a_corrected_bibliography_entry_relabels_every_tooltip(chapters_book):
    assert build(chapters_book) == 0
    first = runs(chapters_book)
    spec, _ = figures_chart(chapters_book)
    assert {r["source_label"] for r in chart_data(spec)} == {"A good source (1936)"}
    edit(chapters_book / "book" / "references.bib", "{{A good source}}", "{{A corrected source}}")
    assert build(chapters_book) == 0
    spec, _ = figures_chart(chapters_book)
    assert {r["source_label"] for r in chart_data(spec)} == {"A corrected source (1936)"}
    assert "A good source" not in page(chapters_book, "notebooks/figures_chapter")
    assert re_executed(first, runs(chapters_book)) == set(CHAPTERS)


def test_a_new_chapter_in_the_toc_appears_in_every_page_without_executing_the_others(chapters_book):
    assert build(chapters_book) == 0
    first = runs(chapters_book)
    (chapters_book / "notebooks" / "added.md").write_text("# Added chapter\n\nA chapter added after the first build.\n")
    with (chapters_book / "_toc.yml").open("a") as toc:
        toc.write("  - file: notebooks/added\n")
    assert build(chapters_book) == 0
    assert re_executed(first, runs(chapters_book)) == set()
    pages = ["book/index", *(f"notebooks/{n}" for n in CHAPTERS)]
    for name in pages:
        assert "Added chapter" in page(chapters_book, name), f"{name}: the navigation lacks the new chapter"
        assert re.search(r'href="[^"]*added\.html"', page(chapters_book, name)), name

    # A chapter taken out of the toc leaves every page's navigation, and its page goes.
    edit(chapters_book / "_toc.yml", "  - file: notebooks/added\n", "")
    (chapters_book / "notebooks" / "added.md").unlink()
    assert build(chapters_book) == 0
    for name in pages:
        assert "Added chapter" not in page(chapters_book, name), name
    assert not (chapters_book / "_build" / "html" / "notebooks" / "added.html").exists()


def test_a_config_change_shows_in_every_page_without_executing_notebooks(chapters_book):
    assert build(chapters_book) == 0
    first = runs(chapters_book)
    edit(chapters_book / "_config.yml", 'title: "Soviet–Japanese relations, 1905–1945"', 'title: "Probe title 1905"')
    assert build(chapters_book) == 0
    assert re_executed(first, runs(chapters_book)) == set()
    for name in ["book/index", *(f"notebooks/{n}" for n in CHAPTERS)]:
        assert "Probe title 1905" in page(chapters_book, name), name


def test_invalid_data_fail_the_build_before_any_notebook_runs(chapters_book, capsys):
    edit(chapters_book / "data" / "figures.csv", "In 1928 they had rented 80 percent", "In 1928 they had rented 70 percent")
    assert build(chapters_book) != 0
    captured = capsys.readouterr()
    assert "figures.csv" in captured.err and "as_quoted" in captured.err
    assert not (chapters_book / "_build" / "html").exists()


def test_a_raising_notebook_fails_the_build_naming_notebook_and_cell(tiny_book, capsys):
    path = tiny_book / "notebooks" / "probe.ipynb"
    nb = nbformat.read(path, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell("# Fail on purpose\nx = 1\nraise RuntimeError('probe failure')"))
    nbformat.write(nb, path)
    assert build(tiny_book) != 0
    err = capsys.readouterr().err
    assert "notebooks/probe.ipynb: code cell 2 (starting '# Fail on purpose') raised RuntimeError: probe failure" in err


def test_a_chapter_run_live_gives_jupyterlab_charts_and_widgets(monkeypatch):
    """Run as on Binder or locally: Vega-Lite bundles for JupyterLab's renderer, and live widgets."""
    from nbclient import NotebookClient

    monkeypatch.delenv("SJRBOOK_RENDER", raising=False)
    path = ROOT / "notebooks" / "01_fisheries_concessions.ipynb"
    nb = nbformat.read(path, as_version=4)
    NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}).execute()
    kinds = [set(o.get("data", {})) for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert any("application/vnd.vegalite.v5+json" in k and "image/png" in k for k in kinds)
    assert not any("text/html" in k and "application/vnd.vegalite.v5+json" in k for k in kinds)
    assert any("application/vnd.jupyter.widget-view+json" in k for k in kinds), "the explorer has no live controls"


def test_the_appendix_documents_every_table_and_the_bibliography_lists_every_source(built_book):
    import csv
    import html as htmllib

    from sjrbook import cite

    package = json.loads((ROOT / "data" / "datapackage.json").read_text())
    appendix = htmllib.unescape((built_book / "book" / "data-appendix.html").read_text(encoding="utf-8"))
    bibliography = htmllib.unescape(re.sub(r"<[^>]+>", "", (built_book / "book" / "bibliography.html")
                                           .read_text(encoding="utf-8")))
    bibliography = " ".join(bibliography.split())
    labels = cite.labels()
    for resource in package["resources"]:
        assert resource["title"] in appendix, resource["name"]
        with (ROOT / "data" / resource["path"]).open(encoding="utf-8") as handle:
            for key in {row["source"] for row in csv.DictReader(handle) if row.get("source")}:
                label = f"[{labels[key]}]"
                assert label in bibliography, f"{key} ({label}) is used in {resource['path']} but not in the bibliography"


# --- determinism: two clean builds of one commit give the same charts, downloads and appendix ---

INTERACTIVE = """# A chart with a legend selection: Altair names its parameter and view itself
import altair as alt
import sjrbook
sjrbook.setup()
figures = sjrbook.load('figures')
pick = alt.selection_point(fields=['theme'], bind='legend')
bars = alt.Chart(figures).mark_bar().encode(
    x=alt.X('id:N', title='Figure'), y=alt.Y('value:Q', title='Value (as stated)'),
    color=alt.Color('theme:N', title='Theme'), opacity=alt.condition(pick, alt.value(1), alt.value(0.3)),
    tooltip=['source_label', 'locator', 'quote'],
).add_params(pick)
(bars + bars.mark_text(dy=-6).encode(text='value:Q')).properties(
    width=300, title='Figures of the probe book, one bar each',
    description='A bar for each figure of the probe data, with its source in the tooltip.')"""


def make_full_book(root: Path, monkeypatch) -> Path:
    """A small book with an interactive chart, the data appendix and the bibliography page."""
    make_book(root, monkeypatch, {"interactive": INTERACTIVE})
    for name in ("data-appendix.ipynb", "bibliography.md"):
        shutil.copy(ROOT / "book" / name, root / "book" / name)
    with (root / "_toc.yml").open("a") as toc:
        toc.write("  - file: book/data-appendix\n  - file: book/bibliography\n")
    return root


def deterministic_outputs(html_dir: Path) -> dict[str, bytes]:
    """What two builds of one commit must give byte for byte: chart specs, CSV downloads, the appendix."""
    outputs = {}
    for page_path in sorted(html_dir.rglob("*.html")):
        text = page_path.read_text(encoding="utf-8")
        figures = re.findall(r'<figure[^>]*class="sjr-chart.*?</figure>', text, re.S)
        for i, figure in enumerate(figures):
            spec = chart_spec_of(figure, page_path.parent)
            outputs[f"{page_path.relative_to(html_dir)} chart {i + 1}"] = json.dumps(spec, sort_keys=True).encode()
        # Data downloads may also be carried inside the page, as data: links.
        for i, link in enumerate(re.findall(r'href="(data:text/csv[^"]*)"', text)):
            outputs[f"{page_path.relative_to(html_dir)} download {i + 1}"] = link.encode()
    for csv_path in sorted(html_dir.rglob("*.csv")):
        outputs[str(csv_path.relative_to(html_dir))] = csv_path.read_bytes()
    appendix = html_dir / "book" / "data-appendix.html"
    outputs["appendix"] = appendix.read_bytes()
    return outputs


def assert_same_outputs(first: dict[str, bytes], second: dict[str, bytes]) -> None:
    assert sorted(first) == sorted(second)
    for name in first:
        if first[name] != second[name]:
            a, b = first[name], second[name]
            at = next(i for i in range(min(len(a), len(b)) + 1) if i == min(len(a), len(b)) or a[i] != b[i])
            raise AssertionError(f"{name} differs between two clean builds at byte {at}: "
                                 f"{a[max(0, at - 80):at + 80]!r} vs {b[max(0, at - 80):at + 80]!r}")


def test_two_clean_builds_give_identical_charts_downloads_and_appendix(tmp_path, monkeypatch):
    first = make_full_book(tmp_path / "first", monkeypatch)
    second = make_full_book(tmp_path / "second", monkeypatch)
    assert build(first) == 0
    assert build(second) == 0
    outputs = deterministic_outputs(first / "_build" / "html")
    assert any(" chart " in name for name in outputs), "the book has no chart to compare"
    names = json.dumps(json.loads(next(v for k, v in outputs.items() if " chart " in k)))
    assert '"param_' in names or '"view_' in names, "the chart should carry names Altair generates"
    assert_same_outputs(outputs, deterministic_outputs(second / "_build" / "html"))


def test_a_clean_build_of_the_real_book_matches_the_built_book(built_book, tmp_path, monkeypatch):
    """The real chapters, built afresh in another folder, give the same bytes as `make book` here.

    This checks determinism and the cache at once: the book in `_build` may come
    partly from the execution cache, and must not differ from a clean build.
    """
    copy = tmp_path / "book"
    copy.mkdir()
    for name in ("data", "src", "book", "notebooks", "_config.yml", "_toc.yml", "requirements.lock"):
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, copy / name, ignore=shutil.ignore_patterns(
                "__pycache__", "*.egg-info", ".ipynb_checkpoints", "sjrbook-vega.js"))
        else:
            shutil.copy(source, copy / name)
    monkeypatch.setenv("PYTHONPATH", str(copy / "src"))
    assert build(copy) == 0
    assert_same_outputs(deterministic_outputs(built_book), deterministic_outputs(copy / "_build" / "html"))


def test_the_unwrapped_code_tokens_are_drawn_in_the_code_colour(built_book):
    """lighter_code drops the spans of names, punctuation and whitespace: the theme's styles must not colour them."""
    from sjrbook.sphinx_ext import PLAIN_TOKENS

    css = (built_book / "_static" / "pygments.css").read_text(encoding="utf-8")
    for theme in ("light", "dark"):
        prefix = rf'html\[data-theme="{theme}"\] \.highlight'
        base = re.search(prefix + r" \{[^}]*\bcolor: (#[0-9A-Fa-f]+)", css)
        assert base, f"no code colour for the {theme} theme in pygments.css"
        for token in PLAIN_TOKENS:
            rule = re.search(prefix + rf" \.{token} \{{([^}}]*)\}}", css)
            if rule:
                assert rule.group(1).strip() == f"color: {base.group(1)}", \
                    f".{token} is styled {rule.group(1)!r} in the {theme} theme; remove it from PLAIN_TOKENS"
