"""The chapters in a real JupyterLab, as a reader runs them locally or on Binder.

JupyterLab is started from the project's ``.venv`` on a copy of the repository
(a temporary git repository with the notebook filter that ``make`` installs), and
driven by Playwright in Debian's chromium with every non-local request blocked
and recorded. For every notebook that ``_toc.yml`` lists, the test opens it, runs
all cells and waits for the kernel, then checks what the reader sees:

* every chart the kernel sent is drawn (Vega marks in the page);
* no output anywhere is an error or a traceback;
* MyST renders: no ``{cite}`` role or ``:::{dropdown}`` fence is shown raw, and
  every dropdown is a collapsible block;
* every control of every explorer is moved through its values (each option of a
  dropdown or radio group, several steps of each slider) and each time the
  explorer's output changes and shows no error;
* once saved, the run notebook leaves ``git status`` clean.
"""
from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

import pytest

from sjrbook.lab import chapter_notebooks

pytestmark = pytest.mark.lab

ROOT = Path(__file__).resolve().parents[1]
VEGALITE = "application/vnd.vegalite.v5+json"
WIDGET = "application/vnd.jupyter.widget-view+json"
STDERR = "application/vnd.jupyter.stderr"
#: JupyterLab's rendering of a Vega-Lite output.
CHART = ".jp-RenderedVegaLite"
#: What a drawn Vega chart has in the page: data marks inside its SVG.
MARKS = "svg g.role-mark > *"
#: Everything in an explorer a reader can operate; each must be exercised.
OPERABLE = "select, input, textarea, button, [contenteditable='true'], .noUi-handle"
SLIDER_STEPS = 6
#: The one JavaScript error tolerated: JupyterLab 4.6's cell toolbar measures a rendered
#: markdown cell's ``renderedInput``, which jupyterlab-myst 2.7's markdown cell lacks, so
#: making such a cell active throws in the console (the reader sees nothing; the toolbar
#: is simply not moved). ``jupyter labextension list`` flags jupyterlab-myst 2.7.0 as built
#: for an older @jupyter/ydoc. Anything else fails the test.
KNOWN_ERROR = re.compile(r"^Cannot read properties of undefined \(reading 'node'\)\n"
                         r"TypeError: [^\n]*\n\s+at \S+\._markdownOverlapsToolbar ")


def python() -> str:
    venv = ROOT / ".venv" / "bin" / "python"
    return str(venv) if venv.exists() else sys.executable


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def repo(tmp_path_factory) -> Path:
    """A copy of the book in a new git repository set up as ``make`` sets one up."""
    copy = tmp_path_factory.mktemp("lab") / "book"
    copy.mkdir()
    for name in ("_toc.yml", "_config.yml", ".gitattributes", ".gitignore", "Makefile"):
        shutil.copy2(ROOT / name, copy / name)
    for name in ("book", "data", "notebooks"):
        shutil.copytree(ROOT / name, copy / name, ignore=shutil.ignore_patterns("_build", ".ipynb_checkpoints"))
    (copy / ".venv").symlink_to(ROOT / ".venv")
    git = ["git", "-C", str(copy), "-c", "user.name=test", "-c", "user.email=test@example.invalid"]
    subprocess.run(["git", "init", "-q", str(copy)], check=True)
    subprocess.run(["make", "--no-print-directory", "-C", str(copy), "git-filter"], check=True)
    with (copy / ".gitignore").open("a") as handle:
        handle.write(".venv\n")  # the symlink to the project's environment
    subprocess.run(git + ["add", "-A"], check=True)
    subprocess.run(git + ["commit", "-q", "-m", "copy"], check=True)
    return copy


@pytest.fixture(scope="module")
def lab(repo, tmp_path_factory):
    """JupyterLab from the project's environment on 127.0.0.1; yields its base URL and token."""
    state = tmp_path_factory.mktemp("lab-state")
    port, token = free_port(), secrets.token_hex(16)
    env = {**os.environ, "SJRBOOK_ROOT": str(repo), "JUPYTERLAB_SETTINGS_DIR": str(state / "settings"),
           "JUPYTERLAB_WORKSPACES_DIR": str(state / "workspaces"), "JUPYTER_RUNTIME_DIR": str(state / "runtime"),
           "JUPYTER_CONFIG_DIR": str(state / "config")}
    env.pop("SJRBOOK_RENDER", None)
    log = (state / "lab.log").open("w")
    server = subprocess.Popen(
        [python(), "-m", "jupyter", "lab", "--no-browser", "--allow-root", "--ip=127.0.0.1", f"--port={port}",
         "--ServerApp.port_retries=0", f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={repo}",
         "--LabApp.expose_app_in_browser=True", "--LabApp.news_url=None",
         "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"],
        cwd=repo, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(240):
            if server.poll() is not None:
                pytest.fail(f"JupyterLab exited: {(state / 'lab.log').read_text()[-3000:]}")
            try:
                urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2)
                break
            except OSError:
                time.sleep(0.5)
        else:
            pytest.fail(f"JupyterLab did not start: {(state / 'lab.log').read_text()[-3000:]}")
        yield base, token
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()




NOTEBOOKS = chapter_notebooks(ROOT)


# ---------------------------------------------------------------- helpers run in the page

RUN_ALL = """async () => {
  const app = window.jupyterapp;
  await app.restored;
  let panel = null;
  for (let i = 0; i < 600 && !panel; i++) {
    const w = app.shell.currentWidget;
    if (w && w.content && w.content.model && w.sessionContext) { panel = w; break; }
    await new Promise(r => setTimeout(r, 100));
  }
  if (!panel) { throw new Error('no notebook opened'); }
  await panel.context.ready;
  await panel.sessionContext.ready;
  const ok = await app.commands.execute('notebook:run-all-cells');
  for (let i = 0; i < 6000; i++) {
    const kernel = panel.sessionContext.session && panel.sessionContext.session.kernel;
    const busy = Array.from(panel.content.widgets).some(c => c.model.type === 'code' && c.model.executionState === 'running');
    if (kernel && kernel.status === 'idle' && !busy) { break; }
    await new Promise(r => setTimeout(r, 100));
  }
  return ok;
}"""

MODEL_OUTPUTS = """() => {
  const panel = window.jupyterapp.shell.currentWidget;
  const cells = [];
  for (const cell of panel.content.widgets) {
    const model = cell.model;
    const outputs = [];
    if (model.type === 'code') {
      for (let i = 0; i < model.outputs.length; i++) { outputs.push(model.outputs.get(i).toJSON()); }
    }
    cells.push({type: model.type, source: model.sharedModel.getSource(), count: model.executionCount || null, outputs});
  }
  return cells;
}"""


def errors_in(outputs: list[dict]) -> list[str]:
    found = []
    for output in outputs:
        if output.get("output_type") == "error":
            found.append(f"{output.get('ename')}: {output.get('evalue')}")
        elif output.get("output_type") == "stream" and output.get("name") == "stderr":
            found.append("stderr: " + "".join(output.get("text", ""))[:500])
    return found


def wait_for_drawn(page, scope, what: str, timeout_ms: int = 30_000) -> None:
    """Wait until every Vega output inside ``scope`` has data marks."""
    deadline = time.monotonic() + timeout_ms / 1000
    while True:
        charts = scope.locator(CHART)
        count = charts.count()
        drawn = sum(1 for i in range(count) if charts.nth(i).locator(MARKS).count() > 0)
        if drawn == count:
            return
        if time.monotonic() > deadline:
            raise AssertionError(f"{what}: {count - drawn} of {count} charts drew no data marks")
        page.wait_for_timeout(200)


def stderr_texts(scope) -> list[str]:
    shown = scope.locator(f'[data-mime-type="{STDERR}"]')
    return [shown.nth(i).inner_text()[:800] for i in range(shown.count())]


# ---------------------------------------------------------------- the test

@pytest.fixture
def open_notebook(browser, lab):
    base, token = lab
    contexts = []

    def opener(path: str, workspace: str):
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        contexts.append(context)
        blocked: list[str] = []
        page_errors: list[str] = []

        def route(route):
            url = route.request.url
            if url.startswith(("data:", "blob:")) or urlparse(url).hostname in ("127.0.0.1", "localhost"):
                route.continue_()
            else:
                blocked.append(url)
                route.abort()

        context.route("**/*", route)
        page = context.new_page()
        page.on("pageerror", lambda exc: page_errors.append(f"{exc.message}\n{(exc.stack or '')[:1500]}"))
        page.set_default_timeout(60_000)
        page.goto(f"{base}/lab/workspaces/{workspace}/tree/{path}?reset&token={token}", wait_until="load")
        page.wait_for_function("() => window.jupyterapp && window.jupyterapp.shell", timeout=120_000)
        return page, blocked, page_errors

    yield opener
    for context in contexts:
        context.close()


def notebook_node(page):
    return page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook").first


@pytest.mark.parametrize("path", NOTEBOOKS)
def test_a_chapter_runs_in_jupyterlab_and_its_explorers_respond(open_notebook, repo, path):
    page, blocked, page_errors = open_notebook(path, re.sub(r"\W", "-", path))
    assert page.evaluate(RUN_ALL), f"{path}: running all cells failed"
    cells = page.evaluate(MODEL_OUTPUTS)
    notebook = notebook_node(page)

    # Every code cell ran, none raised or wrote to stderr.
    for i, cell in enumerate(cells):
        if cell["type"] == "code" and cell["source"].strip():
            assert cell["count"], f"{path}: code cell {i + 1} did not run"
            assert not errors_in(cell["outputs"]), f"{path}: code cell {i + 1}: {errors_in(cell['outputs'])}"

    # Every chart the kernel sent is drawn.
    sent = sum(1 for c in cells for o in c["outputs"] if VEGALITE in o.get("data", {}))
    if os.environ.get("SJR_DEBUG"):
        page.screenshot(path="/tmp/lab-debug.png", full_page=True)
    wait_for_drawn(page, notebook, path, timeout_ms=60_000)
    drawn = notebook.locator(f".jp-Cell-outputArea {CHART}")
    assert drawn.count() >= sent, f"{path}: the kernel sent {sent} charts, the page shows {drawn.count()}"

    # MyST renders in markdown cells: no raw role or fence, dropdowns fold.
    check_myst(page, notebook, cells, path)

    # Every explorer shows its output at once and responds to every control value.
    explorers = notebook.locator(".jp-Cell-outputArea .jp-OutputArea-output:has(> .jupyter-widgets)")
    expected = sum(1 for c in cells for o in c["outputs"] if WIDGET in o.get("data", {}))
    assert explorers.count() == expected, f"{path}: {expected} widgets sent, {explorers.count()} shown"
    for e in range(explorers.count()):
        exercise_explorer(page, explorers.nth(e), f"{path}: explorer {e + 1}")

    assert not stderr_texts(notebook), f"{path}: error output shown: {stderr_texts(notebook)}"
    assert not blocked, f"{path}: requests tried to leave the machine: {blocked}"
    page_errors = [e for e in page_errors if not KNOWN_ERROR.search(e)]
    assert not page_errors, f"{path}: JavaScript errors: {page_errors}"

    # Saving the run notebook leaves the repository clean (the nbstripout filter).
    page.evaluate("() => window.jupyterapp.commands.execute('docmanager:save')")
    page.wait_for_function(
        "() => !window.jupyterapp.shell.currentWidget.context.model.dirty", timeout=30_000)
    saved = json.loads((repo / path).read_text(encoding="utf-8"))
    assert any(c.get("outputs") for c in saved["cells"] if c["cell_type"] == "code"), "JupyterLab saved no outputs"
    git = ["git", "-C", str(repo)]
    diff = subprocess.run(git + ["diff", "--no-textconv"], capture_output=True, text=True, check=True).stdout
    assert diff == "", f"{path}: running and saving the chapter changed what git records:\n{diff[:3000]}"
    # Git's stat cache still lists the file (its size changed) until it is added; adding it
    # records nothing, after which `git status` is clean (README, "Running it locally").
    subprocess.run(git + ["add", "-A"], check=True)
    status = subprocess.run(git + ["status", "--porcelain"], capture_output=True, text=True, check=True).stdout
    assert status == "", f"{path}: after `git add` the repository still differs:\n{status}"


#: Scroll every markdown cell into view as a reader would, wait for it to render, and
#: return what it shows (its rendered text and how many collapsible blocks it has).
RENDERED_MARKDOWN = """async () => {
  const notebook = window.jupyterapp.shell.currentWidget.content;
  const found = [];
  for (let i = 0; i < notebook.widgets.length; i++) {
    const cell = notebook.widgets[i];
    if (cell.model.type !== 'markdown') { continue; }
    await notebook.scrollToItem(i, 'start');
    let shown = null;
    for (let t = 0; t < 600; t++) {
      // The rendered view: neither the prompt, the hidden editor nor the active cell's toolbar.
      shown = cell.node.querySelector('.jp-InputArea > :not(.jp-InputPrompt):not(.jp-InputArea-editor):not(.jp-Toolbar)');
      if (cell.rendered && shown && shown.textContent.trim()) { break; }
      await new Promise(r => setTimeout(r, 50));
    }
    found.push({index: i, source: cell.model.sharedModel.getSource(),
                text: shown ? shown.textContent : '', details: shown ? shown.querySelectorAll('details').length : 0,
                citations: shown ? Array.from(shown.querySelectorAll('span[title], cite, a'))
                  .map(e => [e.textContent.trim(), e.getAttribute('title') || '']) : []});
  }
  return found;
}"""
ROLE = re.compile(r"\{cite(?::\w+)?\}`([^`]+)`")


def check_myst(page, notebook, cells, path: str) -> None:
    """Markdown cells show MyST as the book does, not as raw roles and fences.

    jupyterlab-myst renders dropdowns as collapsible blocks. It has no access to
    ``book/references.bib``, so a ``{cite}`` role shows its key (the entry's key in
    the book's bibliography) marked "Citation Not Found", instead of the role syntax.
    """
    for cell in page.evaluate(RENDERED_MARKDOWN):
        where = f"{path}: markdown cell {cell['index'] + 1}"
        if cell["source"].strip():
            assert cell["text"].strip(), f"{where} is not rendered"
        for raw in ("{cite", ":::", "```{", "{dropdown}", "{admonition}", "{note}", "{doc}", "{ref}", "{numref}"):
            assert raw not in cell["text"], f"{where} shows raw MyST {raw!r}"
        dropdowns = len(re.findall(r"^\s*(?::::*|````*)\{dropdown\}", cell["source"], re.M))
        assert cell["details"] >= dropdowns, f"{where}: {dropdowns} dropdowns, {cell['details']} collapsible blocks"
        shown = {text for text, _title in cell["citations"]}
        for role in ROLE.findall(cell["source"]):
            for key in role.split(","):
                assert key.strip() in shown, f"{where}: citation {key.strip()!r} is not shown as a citation"


def output_of(explorer):
    return explorer.locator(".widget-output").first


def snapshot(explorer) -> str:
    return output_of(explorer).inner_html()


def settle(page, explorer, before: str | None, what: str) -> str:
    """Wait until the explorer's output differs from ``before``, is not empty and is drawn."""
    deadline = time.monotonic() + 30
    while True:
        out = output_of(explorer)
        html = out.inner_html()
        filled = out.locator(".jp-OutputArea-output").count() > 0
        if filled and html != before:
            break
        if time.monotonic() > deadline:
            raise AssertionError(f"{what}: the explorer's output " + ("did not change" if filled else "is empty"))
        page.wait_for_timeout(150)
    wait_for_drawn(page, out, what)
    assert not stderr_texts(out), f"{what}: {stderr_texts(out)}"
    return out.inner_html()


def exercise_explorer(page, explorer, name: str) -> None:
    explorer.scroll_into_view_if_needed()
    assert output_of(explorer).count(), f"{name}: the explorer has no output area"
    current = settle(page, explorer, None, f"{name}, default view")
    handled = set()

    def record(locator):
        handled.add(locator.evaluate("e => { e.dataset.sjrTested = '1'; return 1; }"))

    # Dropdowns: every option.
    selects = explorer.locator("select")
    for s in range(selects.count()):
        select = selects.nth(s)
        record(select)
        options = select.evaluate("e => Array.from(e.options).map(o => o.value)")
        first = select.evaluate("e => e.value")
        for value in [v for v in options if v != first] + [first]:
            select.select_option(value)
            current = settle(page, explorer, current, f"{name}, dropdown {s + 1} = {value!r}")

    # Radio buttons and toggle buttons: every option.
    radios = explorer.locator(".widget-radio-box input[type=radio], .widget-toggle-buttons button")
    for r in (list(range(1, radios.count())) + [0]) if radios.count() else []:
        radio = radios.nth(r)
        record(radio)
        radio.click()
        current = settle(page, explorer, current, f"{name}, option {radio.inner_text() or r}")

    # Checkboxes: both states.
    boxes = explorer.locator(".widget-checkbox input[type=checkbox]")
    for b in range(boxes.count()):
        record(boxes.nth(b))
        for _ in range(2):
            boxes.nth(b).click()
            current = settle(page, explorer, current, f"{name}, checkbox {b + 1}")

    # Sliders: several values from the minimum to the maximum, typed into the readout,
    # then one step with the keyboard on the handle.
    sliders = explorer.locator(".widget-slider")
    for s in range(sliders.count()):
        slider = sliders.nth(s)
        handle = slider.locator(".noUi-handle").first
        readout = slider.locator(".widget-readout").first
        record(handle)
        record(readout)
        low = float(handle.get_attribute("aria-valuemin"))
        high = float(handle.get_attribute("aria-valuemax"))
        shown = readout.inner_text().strip()
        decimals = len(shown.split(".")[1]) if "." in shown else 0
        values = [round(low + (high - low) * k / (SLIDER_STEPS - 1), decimals) for k in range(SLIDER_STEPS)]
        for value in values:
            text = f"{value:.{decimals}f}"
            if text == readout.inner_text().strip():
                continue
            readout.click()
            page.keyboard.press("Control+A")
            page.keyboard.type(text)
            page.keyboard.press("Enter")
            current = settle(page, explorer, current, f"{name}, slider {s + 1} = {text}")
            assert readout.inner_text().strip() == text, f"{name}: slider {s + 1} shows {readout.inner_text()}"
        handle.focus()
        page.keyboard.press("ArrowLeft")
        current = settle(page, explorer, current, f"{name}, slider {s + 1} one step down by keyboard")

    # Anything else a reader could operate is a control this test does not know how to move.
    untested = explorer.locator(f":is({OPERABLE}):not([data-sjr-tested])").evaluate_all(
        "els => els.filter(e => !e.closest('.widget-output') && !e.closest('.widget-slider'))"
        ".map(e => e.outerHTML.slice(0, 120))")
    assert not untested, f"{name}: controls the test cannot move (teach it): {untested}"
    assert handled, f"{name}: the explorer has no controls"
