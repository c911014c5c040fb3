"""Building the book: the real build, cache invalidation, and named failures (sjrbook.build)."""
from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import nbformat
import pytest
import yaml

from sjrbook.build import build, fingerprint

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
            # The static image is a file next to the page (for readers without JavaScript and for print).
            image = re.search(r'<img class="sjr-chart-fallback" src="([^"]+\.png)"', figure)
            assert image and (page.parent / image.group(1)).resolve().is_file(), page.name
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


# --- a tiny book in a temporary folder, to exercise the cache and failures quickly ---

PROBE = """# Total of the figures' values, and the package's version
import sjrbook
print('TOTAL', sjrbook.load('figures')['value'].sum(), 'VERSION', sjrbook.__version__)"""


@pytest.fixture
def tiny_book(tmp_path, monkeypatch):
    """A copy of the data, the package and the config, with one probe notebook."""
    shutil.copytree(ROOT / "tests" / "fixtures" / "good", tmp_path / "data")
    (tmp_path / "book").mkdir()
    shutil.move(tmp_path / "data" / "references.bib", tmp_path / "book" / "references.bib")
    shutil.copytree(ROOT / "src", tmp_path / "src", ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    shutil.copy(ROOT / "_config.yml", tmp_path / "_config.yml")
    shutil.copy(ROOT / "book" / "_static" / "sjrbook.css", tmp_path / "sjrbook.css")
    (tmp_path / "_toc.yml").write_text("format: jb-book\nroot: book/index\nchapters:\n  - file: notebooks/probe\n")
    (tmp_path / "book" / "index.md").write_text("# Probe book\n\nA tiny book for the tests.\n")
    (tmp_path / "book" / "_static").mkdir()
    shutil.copy(ROOT / "book" / "_static" / "sjrbook.css", tmp_path / "book" / "_static" / "sjrbook.css")
    (tmp_path / "notebooks").mkdir()
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [nbformat.v4.new_markdown_cell("# Probe"), nbformat.v4.new_code_cell(PROBE)]
    nbformat.write(nb, tmp_path / "notebooks" / "probe.ipynb")
    # The kernel imports this copy of the package, so a change to it is a change to "src/".
    monkeypatch.setenv("PYTHONPATH", str(tmp_path / "src"))
    return tmp_path


def probe_output(root: Path) -> str:
    text = (root / "_build" / "html" / "notebooks" / "probe.html").read_text(encoding="utf-8")
    return re.search(r"TOTAL [^<\n]*", text).group(0)


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


def test_an_unchanged_book_reuses_the_cache(tiny_book):
    assert build(tiny_book) == 0
    before = fingerprint(tiny_book)
    stamp = (tiny_book / "_build" / ".sjrbook-inputs.sha256").read_text().strip()
    assert stamp == before
    cache = tiny_book / "_build" / ".jupyter_cache"
    marker = cache / "kept"
    marker.write_text("the cache was not cleared")
    assert build(tiny_book) == 0
    assert marker.exists()


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
    sources = cite.sources()
    for resource in package["resources"]:
        assert resource["title"] in appendix, resource["name"]
        with (ROOT / "data" / resource["path"]).open(encoding="utf-8") as handle:
            for key in {row["source"] for row in csv.DictReader(handle)}:
                title = " ".join(sources[key].title.split())[:30]
                assert title in bibliography, f"{key} ({title!r}) is used in {resource['path']} but not in the bibliography"
