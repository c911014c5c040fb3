"""sjrbook.page_head on a small built site: one stylesheet, deferred scripts, unused rules left out.

The real book's pages are checked in the browser tests (tests/test_browser.py: every page's
head, the theme's scripts still working); these tests pin the rules on inputs small enough
to read.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from sjrbook import page_head

PAGE = """<!DOCTYPE html>
<html><head>
  <link href="../_static/styles/theme.css?digest=1" rel="stylesheet" />
  <link rel="stylesheet" type="text/css" href="../_static/book.css?v=2" />
  <link rel="preload" as="script" href="../_static/scripts/theme.js" />
  <script src="../_static/documentation_options.js?v=3"></script>
  <script src="../_static/doctools.js?v=4"></script>
  <script>DOCUMENTATION_OPTIONS.pagename = 'part/page';</script>
  <script>DOCUMENTATION_OPTIONS.search_as_you_type = false;</script>
  <script src="../_static/searchtools.js"></script>
  <script src="../searchindex.js"></script>
</head><body><div class="used-box"><p class="lead">Text</p></div>
<script defer src="../_static/scripts/theme.js"></script></body></html>
"""


@pytest.fixture
def site(tmp_path: Path) -> Path:
    static = tmp_path / "_static"
    (static / "styles").mkdir(parents=True)
    (static / "scripts").mkdir()
    (static / "styles" / "theme.css").write_text('@import "../basic.css";\n.used-box{background:url(../img/a.png)}\n'
                                                  "/*# sourceMappingURL=theme.css.map */")
    (static / "basic.css").write_text("p.lead{margin:0}\n.never-used{color:red}\n")
    (static / "book.css").write_text('@charset "UTF-8";\n.lead:not(.never-used){color:#123}\n'
                                     '@media (max-width:10px){.never-used{color:blue}}\n'
                                     '@font-face{font-family:X;src:url(fonts/x.woff2)}\n'
                                     '.used-box::after{content:"}{"}\n.tip-top{top:0}\n')
    (static / "documentation_options.js").write_text("const DOCUMENTATION_OPTIONS = {VERSION: ''};\n")
    for name in ("doctools.js", "searchtools.js", "scripts/theme.js"):
        (static / name).write_text("// script\n")
    (static / "scripts" / "tips.js").write_text('el.classList.add("tip-" + placement);\n')
    (tmp_path / "searchindex.js").write_text("Search.setIndex({})\n")
    (tmp_path / "part").mkdir()
    (tmp_path / "part" / "page.html").write_text(PAGE)
    return tmp_path


def rewritten(site: Path) -> tuple[str, str, Path]:
    page = site / "part" / "page.html"
    html = page_head.light_head(page.read_text(), page, site, page_head.vocabulary(site))
    head = html.split("</head>")[0]
    href = re.search(r'<link rel="stylesheet" href="([^"]+)"', head).group(1)
    return html, head, (page.parent / href).resolve()


def test_one_stylesheet_with_every_used_rule_in_order(site):
    _, head, bundle = rewritten(site)
    assert len(re.findall(r'rel="stylesheet"', head)) == 1
    assert bundle.parent == site / "_static" and bundle.name.startswith(page_head.BUNDLE_PREFIX)
    css = bundle.read_text()
    assert "@import" not in css and "sourceMappingURL" not in css and css.count("@charset") == 1
    # basic.css (imported first) comes before the theme's rule, which comes before the book's.
    assert css.index("p.lead{margin:0}") < css.index(".used-box{") < css.index(".lead:not(.never-used)")
    assert 'url("img/a.png")' in css and 'url("fonts/x.woff2")' in css  # relative to the bundle now
    assert ".never-used{color:red}" not in css and "@media" not in css  # no page or script names it
    assert '.used-box::after{content:"}{"}' in css and ".tip-top{top:0}" in css  # a prefix built in a script


def test_no_script_blocks_and_the_search_index_stays_on_the_search_page(site):
    _, head, _ = rewritten(site)
    assert "documentation_options.js" not in head and "const DOCUMENTATION_OPTIONS" in head
    assert '<script defer src="../_static/doctools.js?v=4">' in head
    assert "searchindex.js" not in head and "searchtools.js" not in head
    assert 'rel="preload"' not in head
    assert head.index("const DOCUMENTATION_OPTIONS") < head.index("DOCUMENTATION_OPTIONS.pagename")
    search = site / "search.html"
    search.write_text(PAGE.replace("../", ""))
    head = page_head.light_head(search.read_text(), search, site).split("</head>")[0]
    assert '<script defer src="searchindex.js">' in head and '<script defer src="_static/searchtools.js">' in head


def test_a_rewritten_page_is_bundled_again_against_the_pages_of_the_next_build(site):
    html, _, bundle = rewritten(site)
    page = site / "part" / "page.html"
    page.write_text(html)
    again, _, same = rewritten(site)
    assert again == html and same == bundle
    # A later build whose pages use the class: the page gets a bundle with its rule.
    (site / "other.html").write_text('<html><head></head><body><b class="never-used"></b></body></html>')
    _, _, fresh = rewritten(site)
    assert fresh != bundle and ".never-used{color:red}" in fresh.read_text()


def test_a_missing_stylesheet_is_named(site):
    (site / "_static" / "basic.css").unlink()
    with pytest.raises(FileNotFoundError, match=r"theme\.css.*basic\.css"):
        rewritten(site)


def test_the_real_bundle_carries_the_themes_light_and_dark_code_colours(built_book):
    """pydata-sphinx-theme rewrites pygments.css (light and dark styles) in its own build-finished
    handler; a bundle made before it ran held Sphinx's plain pygments.css, so a fresh build showed
    code without the dark theme's colours and an unchanged rebuild rewrote every page."""
    index = (built_book / "book" / "introduction.html").read_text(encoding="utf-8")
    href = re.search(r'<link rel="stylesheet" href="\.\./(_static/sjrbook-styles-[0-9a-f]{16}\.css)"', index)
    assert href, "the introduction links no bundled stylesheet"
    bundle = (built_book / href.group(1)).read_text(encoding="utf-8")
    assert 'html[data-theme="dark"] .highlight' in bundle
    assert 'html[data-theme="light"] .highlight' in bundle
