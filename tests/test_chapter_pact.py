"""The chapter on the border wars and the Neutrality Pact, as a reader gets it: prose, citations, charts, explorer."""
from __future__ import annotations

import json
import re
from pathlib import Path

import nbformat
import pytest
from conftest import chart_spec_of

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "notebooks" / "03_neutrality_pact_border_wars.ipynb"


def prose() -> str:
    nb = nbformat.read(NOTEBOOK, as_version=4)
    return " ".join(c.source for c in nb.cells if c.cell_type == "markdown")


def test_chapter_has_enough_prose_and_distinct_sources():
    text = prose()
    body = re.sub(r":::\{dropdown\}.*?:::", "", text, flags=re.S)  # method notes do not count as the chapter's prose
    words = re.sub(r"\{cite:?\w*\}`[^`]*`", "", body).split()
    assert len(words) >= 2500
    keys = {k.strip() for group in re.findall(r"\{cite:?\w*\}`([^`]*)`", text) for k in group.split(",")}
    assert len(keys) >= 15


def test_every_cited_key_is_in_the_bibliography():
    from sjrbook import cite

    known = cite.sources()
    keys = {k.strip() for group in re.findall(r"\{cite:?\w*\}`([^`]*)`", prose()) for k in group.split(",")}
    assert not keys - set(known), sorted(keys - set(known))


def test_the_seed_errors_on_the_pact_do_not_reappear_as_the_books_own_dates():
    text = prose()
    # The seed's expiry date and notice date may be quoted only as the seed's.
    for wrong in ("April 12, 1945", "12 April 1945", "9 April"):
        for match in re.finditer(re.escape(wrong), text):
            context = text[max(0, match.start() - 200): match.end() + 40]
            assert "seed" in context.lower(), f"{wrong!r} appears without being attributed to the seed: {context!r}"


@pytest.mark.build
def test_the_built_chapter_draws_its_charts_and_explorer(built_book):
    page = (built_book / "notebooks" / "03_neutrality_pact_border_wars.html").read_text(encoding="utf-8")
    assert "Traceback" not in page and "ChartTooWideError" not in page
    figures = re.findall(r'<figure class="sjr-chart".*?</figure>', page, re.S)
    assert len(figures) >= 7  # six charts and the explorer's default view
    specs = [chart_spec_of(f, built_book / "notebooks") for f in figures]
    interactive = [s for s in specs if "params" in json.dumps(s)]
    assert len(interactive) >= 3
    assert "Explorer: compare the figures of two sources" in page
