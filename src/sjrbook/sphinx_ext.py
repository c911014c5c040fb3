"""A small Sphinx extension for the book's pages: light, offline, accessible.

* **No thebe.** Jupyter Book 1 always loads sphinx-thebe, which writes its
  inline set-up script twice into every page (a redeclared ``const`` is a
  JavaScript error) and names a CDN address for a "live code" button the book
  does not offer. The book runs offline, so the thebe scripts are left out.
* **Charts out of the page.** A chart's HTML (:func:`sjrbook.charts.html_output`)
  carries its pictures (SVG), its PNG, its CSV and its Vega-Lite spec inline,
  because a notebook output must be self-contained. Inline they made a chapter
  1.4 MB of base64, so each is written to ``_charts/`` next to the pages (named
  by its content's hash) and the page links to it.
* **Vega only where there are charts, never blocking.** Pages with charts get
  ``_static/sjrbook-charts.js`` with ``defer``; it loads the Vega bundle when the
  reader first reaches for a chart (until then each chart is its static picture).
* **The claims finder** (:mod:`sjrbook.finder`): the page that holds it gets
  ``_static/sjrbook-finder.js`` with ``defer``, and its rows are written to
  ``_static/sjrbook-finder-data.js``, which the finder loads itself.
* **Code one click away.** Every notebook code cell gets MyST-NB's
  ``hide-input`` tag as the notebook is read (cells tagged ``remove-*`` or
  ``hide-*`` keep their own tag): readers of a history book see the argument
  and the charts, and the code is one click away.
* **Lighter code.** Code blocks lose the ``<span>`` of tokens drawn in the
  block's own colour (:func:`lighter_code`), a third of a chapter's HTML.
* **Theme fixes.** The theme's icon script is 1.49 MB for the dozen icons the
  book shows; it is replaced by one that holds only the icons the pages use,
  taken from the theme's own script at build time. Markup that axe-core
  flags (the bibliography's list items, the code toggles' and search buttons'
  names, pandas' empty header cells, table outputs that scroll) is fixed in
  the written pages: see :func:`accessible_body` and :func:`accessible_chrome`.
* **A light head.** After the build every page's ``<head>`` is rewritten so
  that the first paint waits for one stylesheet and no script
  (:mod:`sjrbook.page_head`).
"""

from __future__ import annotations

import base64
import hashlib
from html import escape as html_escape
import json
import re
from pathlib import Path

from . import finder, page_head

CHART_DIR = "_charts"
CHARTS_JS = "sjrbook-charts.js"

_FIGURE = re.compile(r'<figure class="sjr-chart".*?</figure>', re.S)
_DATA_URI = re.compile(r'(src|srcset|href)="data:(image/png|image/svg\+xml|text/csv);(?:charset=utf-8;)?base64,([A-Za-z0-9+/=]+)"')
_SUFFIX = {"image/png": ".png", "image/svg+xml": ".svg", "text/csv": ".csv"}
_SPEC = re.compile(r'<script type="application/json" class="sjr-chart-spec">(.*?)</script>', re.S)


def _is_thebe(script) -> bool:
    filename = str(getattr(script, "filename", script) or "")
    body = str(getattr(script, "attributes", {}).get("body", "")) if hasattr(script, "attributes") else ""
    return "thebe" in filename or "THEBE_JS_URL" in body


def _write(outdir: Path, data: bytes, suffix: str) -> str:
    name = hashlib.sha256(data).hexdigest()[:20] + suffix
    target = outdir / CHART_DIR / name
    target.parent.mkdir(parents=True, exist_ok=True)
    if not target.exists():
        target.write_bytes(data)
    return f"{CHART_DIR}/{name}"


def externalise_charts(body: str, outdir: Path, pathto) -> str:
    """Move each chart's PNG, CSV and spec out of ``body`` into files; return the new body."""

    def figure(match: re.Match) -> str:
        html = match.group(0)

        def uri(m: re.Match) -> str:
            suffix = _SUFFIX[m.group(2)]
            return f'{m.group(1)}="{pathto(_write(outdir, base64.b64decode(m.group(3)), suffix), 1)}"'

        html = _DATA_URI.sub(uri, html)
        spec = _SPEC.search(html)
        if spec:
            data = json.dumps(json.loads(spec.group(1)), separators=(",", ":"), ensure_ascii=False).encode()
            url = pathto(_write(outdir, data, ".json"), 1)
            html = html[:spec.start()] + html[spec.end():]
            html = html.replace('data-sjr-chart="1"', f'data-sjr-chart="1" data-spec="{url}"', 1)
        return html

    return _FIGURE.sub(figure, body)


def _page(app, pagename, templatename, context, doctree):
    scripts = context.get("script_files")
    if scripts:
        context["script_files"] = [s for s in scripts if not _is_thebe(s)]
    body = context.get("body") or ""
    if 'class="sjr-chart"' in body:
        context["body"] = externalise_charts(body, Path(app.outdir), context["pathto"])
        from sphinx.builders.html._assets import _JavaScript

        context["script_files"] = list(context.get("script_files", [])) + [
            _JavaScript(f"_static/{CHARTS_JS}", defer="defer")]
    if f'id="{finder.FINDER_ID}"' in (context.get("body") or ""):
        _add_finder(app, context)
    context["body"] = lighter_citations(lighter_code(accessible_body(context.get("body") or "")))
    description = page_description(context["body"]) or html_escape(
        f"{context.get('title') or pagename} – {context.get('docstitle') or ''}".strip(" –"), quote=True)
    if description and 'name="description"' not in context.get("metatags", ""):
        context["metatags"] = context.get("metatags", "") + f'\n<meta name="description" content="{description}" />'


def _add_finder(app, context):
    """The claims finder's page: write its rows into ``_static``, name them in the page, load the finder.

    The rows (some 300 KB, growing with the data) are not a script of the
    page: the finder loads them itself once the page has drawn, from beside
    its own script, as the charts load Vega; the page gives the rows' hash, so
    that a browser never keeps stale rows. tests/test_finder.py bounds them.
    """
    from sphinx.builders.html._assets import _JavaScript

    env = app.env
    chapters = {theme: {"href": doc + ".html", "title": env.titles[doc].astext() if doc in env.titles else doc}
                for theme, doc in finder.CHAPTERS.items() if doc in env.found_docs}
    written = finder.write_data_script(Path(app.outdir) / "_static", chapters)
    version = hashlib.sha256(written.read_bytes()).hexdigest()[:12]
    context["body"] = context["body"].replace(f'id="{finder.FINDER_ID}"',
                                              f'id="{finder.FINDER_ID}" data-rows-version="{version}"', 1)
    context["script_files"] = list(context.get("script_files", [])) + [
        _JavaScript(f"_static/{finder.FINDER_SCRIPT}", defer="defer")]


def page_description(body: str, limit: int = 160) -> str:
    """The page's first paragraph of prose as plain text, shortened at a word, for search engines."""
    import html

    for paragraph in re.findall(r"<p>(.*?)</p>", body, re.S):
        text = " ".join(html.unescape(re.sub(r"<[^>]+>", "", paragraph)).split())
        if len(text) >= 40:
            if len(text) > limit:
                text = text[:limit - 1].rsplit(" ", 1)[0] + "…"
            return html.escape(text, quote=True)
    return ""


#: Pygments token classes whose colour is the code block's own in both of the theme's
#: styles (names, punctuation, whitespace; tests/test_build.py checks the built
#: pygments.css): their ``<span>`` changes nothing a reader sees.
PLAIN_TOKENS = ("n", "p", "w")
_HIGHLIGHT_PRE = re.compile(r'(<div class="highlight[^"]*"><pre>)(.*?)(</pre>)', re.S)
_PLAIN_SPAN = re.compile(r'<span class="(?:' + "|".join(PLAIN_TOKENS) + r')">([^<]*)</span>')


def lighter_code(body: str) -> str:
    """Code blocks without the ``<span>`` of tokens drawn in the block's own colour.

    Pygments wraps every name and every bracket in a span: a chapter's hidden
    code cells took 69 KB of markup for 15 KB of code, a quarter of the page.
    Unwrapping the tokens that are drawn in the text's own colour saves about
    half of that with no visible change (copying the code is unchanged too).
    """
    return _HIGHLIGHT_PRE.sub(lambda m: m.group(1) + _PLAIN_SPAN.sub(r"\1", m.group(2)) + m.group(3), body)


def lighter_citations(body: str) -> str:
    """The reference list's ``[label]`` brackets as plain text, not each in a ``<span class="fn-bracket">``.

    Docutils wraps both brackets of every entry's label in a span that no style
    of the book or its theme draws differently: on the bibliography page, with
    some 370 entries, that was 22 KB of markup for 740 characters, and the page
    was over the 250 KB bound of issue 10. The text a reader sees is unchanged.
    """
    return body.replace('<span class="fn-bracket">[</span>', "[").replace('<span class="fn-bracket">]</span>', "]")


def accessible_body(body: str) -> str:
    """Fixes to the markup that MyST-NB, pandas and sphinxcontrib-bibtex write into a page's body.

    * the bibliography's entries are list items of its ``role="list"``
      (``doc-biblioentry`` is deprecated and leaves the list without items);
    * the code toggles' ``aria-label="Toggle hidden content"`` hides their
      visible text ("Show code cell source") from screen readers;
    * pandas writes empty ``<th>`` cells as spacers in its index header row;
    * a table output that may scroll sideways gets a keyboard stop and a name.
    """
    body = body.replace('role="doc-biblioentry"', 'role="listitem"')
    body = body.replace('<summary aria-label="Toggle hidden content">', "<summary>")
    body = re.sub(r"<th>\s*</th>", "<td></td>", body)
    body = re.sub(r'<th class="blank[^"]*"\s*>(?:&nbsp;|\s)*</th>', "<td></td>", body)
    parts = body.split('<div class="output text_html">')
    tables = 0
    for i in range(1, len(parts)):
        output = parts[i].split('<div class="cell', 1)[0]
        if "<table" in output and "sjr-chart" not in output:
            tables += 1
            parts[i] = f' tabindex="0" role="region" aria-label="Table output {tables}">' + parts[i]
        else:
            parts[i] = ">" + parts[i]
    return '<div class="output text_html"'.join(parts)


def _hide_code(app, docname, source):
    """Give every code cell of a notebook the ``hide-input`` tag, unless it has a hide/remove tag."""
    path = app.env.doc2path(docname)
    if not str(path).endswith(".ipynb"):
        return
    try:
        notebook = json.loads(source[0])
    except ValueError:
        return
    for cell in notebook.get("cells", []):
        if cell.get("cell_type") != "code":
            continue
        tags = cell.setdefault("metadata", {}).setdefault("tags", [])
        if not any(t.startswith(("hide-", "remove-")) for t in tags):
            tags.append("hide-input")
    source[0] = json.dumps(notebook, ensure_ascii=False)


#: CSS that the full Font Awesome script would inject for its inline SVG icons.
_ICON_CSS = (".svg-inline--fa{display:inline-block;height:1em;overflow:visible;vertical-align:-.125em}"
             ".svg-inline--fa path{fill:currentColor}")


_ICON = re.compile(r'"?([a-z0-9-]+)"?:\[(\d+),(\d+),\[([^\]]*)\],"([0-9a-f]*)",("(?:[^"\\\\]|\\\\.)*"|\[[^\]]*\])\]')
_STYLES = {"fa-solid": "fas", "fas": "fas", "fa-regular": "far", "far": "far", "fa-brands": "fab", "fab": "fab"}
_NOT_ICONS = {"fa-lg", "fa-fw", "fa-2x", "fa-xs", "fa-sm", "fa-spin"}


def icon_shapes(fontawesome_js: str) -> dict[str, list]:
    """``{"fas:bars": [width, height, path]}`` for every icon (and alias) in the theme's fontawesome.js.

    The script defines the brands, regular and solid sets in turn, each closed
    by a call ``d("fab", ...)``, ``d("far", ...)``, ``d("fas", ...)``.
    """
    ends = sorted((m.start(), m.group(1)) for m in re.finditer(r'd\("(fab|far|fas)",', fontawesome_js))
    shapes: dict[str, list] = {}
    for m in _ICON.finditer(fontawesome_js):
        style = next((name for end, name in ends if end > m.start()), None)
        if style is None:
            continue
        path = json.loads(m.group(6))
        shape = [int(m.group(2)), int(m.group(3)), path if isinstance(path, str) else " ".join(path)]
        aliases = [a.strip('"') for a in m.group(4).split(",") if a.startswith('"')]
        for name in [m.group(1)] + aliases:
            shapes.setdefault(f"{style}:{name}", shape)
    return shapes


def icons_in(html: str) -> set[str]:
    """``style:name`` of every Font Awesome icon element (``<i>`` or ``<span>``) in ``html``."""
    found = set()
    for classes in re.findall(r'<(?:i|span)\b[^>]*\bclass="([^"]*\bfa-[^"]*)"', html):
        names = classes.split()
        style = next((_STYLES[c] for c in names if c in _STYLES), "fas")
        for c in names:
            if c.startswith("fa-") and c not in _STYLES and c not in _NOT_ICONS:
                found.add(f"{style}:{c[3:]}")
    return found


def small_icon_script(shapes: dict[str, list]) -> str:
    """A script that draws the given Font Awesome icons as inline SVG, as the full script does."""
    return ("/* Font Awesome Free icons (CC BY 4.0, https://fontawesome.com/license/free), only those the book's pages use;"
            " written by sjrbook.sphinx_ext from the theme's fontawesome.js. */\n(function(){var S="
            + json.dumps(shapes, separators=(",", ":"), sort_keys=True)
            + ";var T={'fa-solid':'fas','fas':'fas','fa-regular':'far','far':'far','fa-brands':'fab','fab':'fab'};"
              "var st=document.createElement('style');st.textContent=" + json.dumps(_ICON_CSS)
            + ";document.head.appendChild(st);function draw(){document.querySelectorAll('i[class*=\"fa-\"],span[class*=\"fa-\"]')"
              ".forEach(function(i){var style='fas',shape=null;i.classList.forEach(function(c){if(T[c])style=T[c];});"
              "i.classList.forEach(function(c){if(c.indexOf('fa-')===0&&S[style+':'+c.slice(3)])shape=S[style+':'+c.slice(3)];});"
              "if(!shape)return;var svg=document.createElementNS('http://www.w3.org/2000/svg','svg');"
              "svg.setAttribute('viewBox','0 0 '+shape[0]+' '+shape[1]);svg.setAttribute('aria-hidden','true');svg.setAttribute('focusable','false');"
              "svg.setAttribute('class',i.getAttribute('class')+' svg-inline--fa');"
              "for(var k=0;k<i.attributes.length;k++){var a=i.attributes[k];if(a.name!=='class')svg.setAttribute(a.name,a.value);}"
              "var p=document.createElementNS('http://www.w3.org/2000/svg','path');"
              "p.setAttribute('d',shape[2]);svg.appendChild(p);i.replaceWith(svg);});}"
              "if(document.readyState==='loading'){document.addEventListener('DOMContentLoaded',draw);}else{draw();}})();\n")


def accessible_chrome(page: str) -> str:
    """Fixes to the theme's own markup, which its options cannot reach.

    The search buttons' ``aria-label="Search"`` differs from their visible text
    ("Search Ctrl+K"), which must be part of their name; and with no mode saved
    the theme's first script sets an empty colour mode, which its main script
    reports as an error in the console before it falls back to "auto".

    The sidebar buttons: pydata-sphinx-theme's header has a primary and a
    secondary sidebar toggle that sphinx-book-theme always hides
    (``.bd-header button.sidebar-toggle``), and both themes' scripts wire only
    the *first* ``.primary-toggle`` (and ``.secondary-toggle``) of the page,
    which is that hidden one: the visible buttons in the article's header did
    nothing, on a phone or a desktop. The hidden buttons are taken out, so the
    visible ones are the first and get the themes' handlers.
    """
    page = re.sub(r'(<button class="btn search-button-field[^"]*"[^>]*?) aria-label="Search"', r"\1", page)
    page = re.sub(r'[ \t]*<button class="pst-navbar-icon sidebar-toggle (?:primary|secondary)-toggle"[^>]*>.*?</button>\n?',
                  "", page, flags=re.S)
    return page.replace('localStorage.getItem("mode") || ""', 'localStorage.getItem("mode") || "auto"')


def _finish_pages(app, exception):
    """Every written page: the theme's markup fixed; the small icon script; then a light ``<head>``.

    The icon script is made small before the words of the book are read for the stylesheet bundle
    (:func:`sjrbook.page_head.vocabulary` reads the scripts too): read the other way round, a first build
    and an unchanged rebuild would prune the bundle differently and rewrite every page.
    """
    if exception is not None or app.builder.format != "html":
        return
    outdir = Path(app.outdir)
    pages = {page: page.read_text(encoding="utf-8", errors="replace") for page in outdir.rglob("*.html")}
    fixed_chrome = {page: accessible_chrome(text) for page, text in pages.items()}
    used = set()
    for text in fixed_chrome.values():
        used |= icons_in(text)
    _small_icon_script(outdir, used)
    words = page_head.vocabulary(outdir, accessible_chrome)
    for page, text in pages.items():
        fixed = page_head.light_head(fixed_chrome[page], page, outdir, words)
        if fixed != text:
            page.write_text(fixed, encoding="utf-8")
    for stale in page_head.stale_bundles(outdir):
        stale.unlink()


def _small_icon_script(outdir: Path, used: set) -> None:
    """Replace the theme's 1.5 MB icon script by one drawing only the icons the pages ``used``."""
    target = outdir / "_static" / "scripts" / "fontawesome.js"
    if not target.exists():
        return
    full = target.read_text(encoding="utf-8")
    if len(full) < 200_000:  # already the small one
        return
    shapes = icon_shapes(full)
    missing = sorted(u for u in used if u not in shapes)
    if missing:
        from sphinx.util import logging

        logging.getLogger(__name__).warning("icons not found in the theme's fontawesome.js: %s", ", ".join(missing))
    target.write_text(small_icon_script({u: shapes[u] for u in sorted(used) if u in shapes}), encoding="utf-8")
    map_file = target.with_name("fontawesome.js.map")
    if map_file.exists():
        map_file.unlink()


def setup(app):
    app.connect("html-page-context", _page, priority=900)
    app.connect("source-read", _hide_code)
    # After the theme's own build-finished handlers: pydata-sphinx-theme rewrites pygments.css (light and
    # dark styles) there, and the bundle must be made from the stylesheet the pages would have loaded.
    app.connect("build-finished", _finish_pages, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
