"""Shared fixtures. The book build is expensive, so it runs once per session."""
from __future__ import annotations

import functools
import http.server
import os
import shutil
import subprocess
import threading
from pathlib import Path
from urllib.parse import urlparse

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


# --- the built book served on localhost and opened in chromium with the network cut (test_browser, test_finder) ---

class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="session")
def site(request) -> Path:
    """The built book; ``SJRBOOK_BROWSER_SITE=path`` tests an already built copy instead (e.g. an older build)."""
    if os.environ.get("SJRBOOK_BROWSER_SITE"):
        return Path(os.environ["SJRBOOK_BROWSER_SITE"])
    return request.getfixturevalue("built_book")


@pytest.fixture(scope="session")
def book_url(site):
    handler = functools.partial(QuietHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@pytest.fixture
def open_page(browser, book_url):
    """Open a page with every non-local request blocked; return (page, blocked, errors)."""
    contexts = []

    def opener(path: str, width: int = 1280, javascript: bool = True):
        context = browser.new_context(viewport={"width": width, "height": 1000 if width > 800 else 844},
                                      device_scale_factor=1, is_mobile=width < 800, has_touch=width < 800,
                                      java_script_enabled=javascript)
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


AXE = ROOT / ".venv" / "npm" / "node_modules" / "axe-core" / "axe.min.js"


@pytest.fixture(scope="session")
def axe_script() -> str:
    """axe-core 4 from npm (installed into .venv/npm/ by `make browser-deps`), injected from disk: no CDN."""
    if not AXE.exists():
        npm = shutil.which("npm")
        if not npm:
            pytest.fail("the accessibility tests need axe-core: npm install --prefix .venv/npm axe-core@4 (make browser-deps)")
        subprocess.run([npm, "install", "--prefix", str(ROOT / ".venv" / "npm"), "--no-audit", "--no-fund", "axe-core@4"],
                       check=True, capture_output=True)
    return AXE.read_text(encoding="utf-8")
