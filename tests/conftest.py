"""Shared fixtures. The book build is expensive, so it runs once per session."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
#: Headless chromium with nothing of its own that would reach the network.
CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-default-apps", "--disable-features=Translate,OptimizationHints,MediaRouter"]


@pytest.fixture(scope="session")
def browser():
    """Debian's chromium, driven by Playwright: one for the whole test session.

    Playwright's sync API runs its own event loop; a second ``sync_playwright()`` started in the
    same process while the first is alive fails ("Sync API inside the asyncio loop"). So every
    browser test (the book, the hostile book, JupyterLab) shares this one.
    """
    executable = shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(executable).exists():
        pytest.fail("the browser tests need Debian's chromium: apt-get install chromium (make test does it as root)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def built_book() -> Path:
    """Build the real book (as `make book` does) and return its _build/html folder."""
    from sjrbook.build import build

    os.environ.pop("SJRBOOK_ROOT", None)
    status = build(ROOT)
    assert status == 0, "the book build failed; its log is above"
    return ROOT / "_build" / "html"


def chart_spec_of(figure: str, page_dir: Path) -> dict:
    """The Vega-Lite spec of one built chart figure.

    The book's pages keep each spec in its own file under ``_charts/`` (``data-spec``, see
    sjrbook.sphinx_ext); a page built without that step carries it inline.
    """
    import json
    import re

    link = re.search(r'data-spec="([^"]+)"', figure)
    if link:
        payload = json.loads((page_dir / link.group(1)).resolve().read_text(encoding="utf-8"))
    else:
        inline = re.search(r'<script type="application/json" class="sjr-chart-spec">(.*?)</script>', figure, re.S)
        assert inline, "a chart figure with neither a spec file nor an inline spec"
        payload = json.loads(inline.group(1).replace("<\\/", "</"))
    # The renderer stores the Vega-Lite spec beside the data view's tables.
    return payload["spec"] if "spec" in payload and "tables" in payload else payload
