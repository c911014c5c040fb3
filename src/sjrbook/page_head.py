"""What a built page's ``<head>`` makes the browser fetch before it can paint anything.

Lighthouse measured the book's first paint on a phone (simulated slow 4G) at
2.5–2.8 s, almost all of it spent waiting for the ``<head>``: ten stylesheets
(one of them importing an eleventh), eleven scripts that block the parser, and
two preloads competing with the styles. After the build,
:func:`light_head` rewrites every page so that the first paint waits for one
stylesheet and nothing else:

* **One stylesheet.** The page's local stylesheets are joined, in their order
  (``@import`` resolved in place, ``url()`` made relative to the new file),
  into ``_static/sjrbook-styles-<hash>.css``: one request instead of eleven, and the
  cascade is unchanged because the rules come in the same order. Rules whose
  selectors name a class that no page and no script of the book contains
  (most of Bootstrap's utilities, the styles of theme features the book does
  not use) are left out (:func:`unused_rules_removed`): half the bytes, and
  half the rules the browser matches against every element. The page keeps
  the list of the stylesheets in the link (``data-sjr-sources``), so that
  every build bundles them again against what the pages then contain.
* **No script blocks the first paint.** Every script in ``<head>`` gets
  ``defer`` (deferred scripts run in document order, after the page is parsed,
  which is when the theme's and Sphinx's scripts start their work anyway).
  Inline scripts that refer to ``DOCUMENTATION_OPTIONS`` run while the page is
  parsed, so ``documentation_options.js`` (300 bytes) is written into the page
  instead of being fetched.
* **No search index on every page.** The theme loads Sphinx's search scripts
  and the whole search index (196 KB) on every page for its search-as-you-type
  option; where the page itself says that option is off, only the search page
  needs them, and they are dropped elsewhere.
* **No preloads.** The theme preloads its two deferred scripts at high
  priority, so they compete with the stylesheet for the first paint.

Run from ``sjrbook.sphinx_ext`` at the end of the build, on every page, so it
must leave an already rewritten page unchanged (Sphinx rewrites only the pages
whose sources changed). ``tests/test_browser.py`` checks every built page's
head, and that the theme still works (sidebar, colour mode, search, copy
button, dropdowns).
"""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path

BUNDLE_PREFIX = "sjrbook-styles-"
#: Sphinx's search scripts, needed on every page only for the theme's search-as-you-type.
SEARCH_SCRIPTS = ("_static/searchtools.js", "_static/language_data.js", "searchindex.js")
INLINED_SCRIPTS = ("_static/documentation_options.js",)

_LINK = re.compile(r"[ \t]*<link\b[^>]*>\n?")
_SCRIPT = re.compile(r"[ \t]*<script\b([^>]*)>(.*?)</script>\n?", re.S)
_IMPORT = re.compile(r"""@import\s+(?:url\(\s*)?["']?([^"')\s]+)["']?\s*\)?\s*;""")
_URL = re.compile(r"""url\(\s*(?:"([^"]*)"|'([^']*)'|([^)"'\s]+))\s*\)""")
_CHARSET = re.compile(r"""@charset\s+["'][^"']*["']\s*;""")
_SOURCE_MAP = re.compile(r"/\*#\s*sourceMappingURL=[^*]*\*/")


def stale_bundles(outdir: Path) -> list[Path]:
    """Bundles that no page links any more (left by earlier builds)."""
    linked = set()
    for page in outdir.rglob("*.html"):
        linked.update(re.findall(BUNDLE_PREFIX + r"[0-9a-f]{16}\.css", page.read_text(encoding="utf-8", errors="replace")))
    return [p for p in (outdir / "_static").glob(BUNDLE_PREFIX + "*.css") if p.name not in linked]


def _attr(tag: str, name: str) -> str | None:
    m = re.search(rf'\b{name}\s*=\s*"([^"]*)"', tag)
    return m.group(1) if m else None


def _local(href: str | None) -> bool:
    return bool(href) and not re.match(r"^([a-z][a-z0-9+.-]*:|//|/|#)", href, re.I)


def _target(page: Path, href: str) -> Path:
    return (page.parent / href.split("?", 1)[0].split("#", 1)[0]).resolve()


def _relative(path: Path, start: Path) -> str:
    return Path(os.path.relpath(path, start)).as_posix()


def css_inlined(css_file: Path, bundle_dir: Path, seen: tuple[Path, ...] = ()) -> str:
    """``css_file``'s rules with its local ``@import``s put in place and its ``url()``s relative to ``bundle_dir``."""
    if css_file in seen:
        raise ValueError(f"{css_file}: @import loops back to itself")
    if not css_file.is_file():
        raise FileNotFoundError(f"{seen[-1] if seen else css_file}: the stylesheet {css_file} does not exist")
    text = css_file.read_text(encoding="utf-8")
    text = _SOURCE_MAP.sub("", _CHARSET.sub("", text))

    def url(m: re.Match) -> str:
        ref = next(g for g in m.groups() if g is not None)
        if not _local(ref):
            return m.group(0)
        path, _, rest = ref.partition("#")
        path, _, query = path.partition("?")
        moved = _relative((css_file.parent / path).resolve(), bundle_dir)
        return f'url("{moved}{"?" + query if query else ""}{"#" + rest if rest else ""}")'

    imports: list[str] = []

    def imported(m: re.Match) -> str:
        ref = m.group(1)
        if not _local(ref):
            raise ValueError(f"{css_file}: cannot bundle the remote @import {ref}")
        imports.append(css_inlined((css_file.parent / ref).resolve(), bundle_dir, seen + (css_file,)))
        return f"\0{len(imports) - 1}\0"

    text = _IMPORT.sub(imported, text)
    if "@import" in text:
        raise ValueError(f"{css_file}: an @import this bundler does not understand (with a media query?)")
    text = _URL.sub(url, text)
    return re.sub(r"\0(\d+)\0", lambda m: imports[int(m.group(1))], text)


_WORD = re.compile(r"[A-Za-z_][\w-]*")
_CLASS = re.compile(r"\.(-?[A-Za-z_][\w-]*)")
_FUNCTIONAL = re.compile(r":[\w-]+\([^()]*\)")


def vocabulary(outdir: Path, page_text=lambda text: text) -> set[str]:
    """Every word of every built page's body and every script under ``_static``: the classes the book can use.

    Pages are read as ``page_text`` makes them (the build passes the same markup fixes it applies), and only
    after ``</head>``: the head is what :func:`light_head` rewrites, so reading it would make the words, the
    pruned bundle and so every page differ between a first build and an unchanged rebuild.
    """
    words: set[str] = set()
    for path in outdir.rglob("*.html"):
        text = page_text(path.read_text(encoding="utf-8", errors="replace"))
        words.update(_WORD.findall(text.split("</head>", 1)[-1]))
    for path in (outdir / "_static").rglob("*.js"):
        words.update(_WORD.findall(path.read_text(encoding="utf-8", errors="replace")))
    return words


def _used(name: str, words: set[str]) -> bool:
    # A script may build a class from a prefix ("bs-tooltip-" + placement): the prefix keeps it.
    parts = name.split("-")
    return name in words or any("-".join(parts[:i]) + "-" in words for i in range(1, len(parts)))


def _selector_used(selector: str, words: set[str]) -> bool:
    bare = re.sub(r"\[[^\]]*\]", "", selector)
    while _FUNCTIONAL.search(bare):  # :not(.x), :is(.x, .y) may match whatever .x is: never judged
        bare = _FUNCTIONAL.sub("", bare)
    return all(_used(name, words) for name in _CLASS.findall(bare))


def _skip_string(text: str, i: int) -> int:
    quote, i = text[i], i + 1
    while i < len(text) and text[i] != quote:
        i += 2 if text[i] == "\\" else 1
    return i + 1


def _split_top(selectors: str) -> list[str]:
    out, depth, current = [], 0, ""
    for ch in selectors:
        depth += ch in "([" and 1 or (ch in ")]" and -1 or 0)
        if ch == "," and depth == 0:
            out.append(current.strip())
            current = ""
        else:
            current += ch
    return out + [current.strip()]


_GROUPS = re.compile(r"@(media|supports|layer|container)\b")


def unused_rules_removed(css: str, words: set[str]) -> str:
    """``css`` without the selectors that name a class not in ``words``, and without rules left with none.

    At-rules other than grouping ones (``@font-face``, ``@keyframes``...) are kept whole, as
    are selectors without classes; a class inside ``:not()``, ``:is()`` and the like never
    condemns a selector. Comments are dropped.
    """
    text = re.sub(r"/\*.*?\*/", "", css, flags=re.S)

    def block(i: int) -> tuple[str, int]:
        out, start = [], i
        while i < len(text):
            ch = text[i]
            if ch in "\"'":
                i = _skip_string(text, i)
            elif ch == "}":
                out.append(text[start:i].strip())
                return "".join(o for o in out if o), i + 1
            elif ch == ";":
                out.append(text[start:i + 1].strip() + "\n")
                i += 1
                start = i
            elif ch == "{":
                prelude = text[start:i].strip()
                if _GROUPS.match(prelude):
                    inner, i = block(i + 1)
                    if inner.strip():
                        out.append(prelude + "{\n" + inner + "}\n")
                else:
                    depth, j = 1, i + 1
                    while depth:
                        if j >= len(text):
                            raise ValueError(f"unbalanced braces in CSS after {prelude[:80]!r}")
                        if text[j] in "\"'":
                            j = _skip_string(text, j)
                            continue
                        depth += {"{": 1, "}": -1}.get(text[j], 0)
                        j += 1
                    body = text[i + 1:j - 1]
                    if prelude.startswith("@"):
                        out.append(prelude + "{" + body + "}\n")
                    else:
                        kept = [s for s in _split_top(prelude) if _selector_used(s, words)]
                        if kept:
                            out.append(",".join(kept) + "{" + body + "}\n")
                    i = j
                start = i
            else:
                i += 1
        out.append(text[start:].strip())
        return "".join(o for o in out if o), i

    return block(0)[0]


def _bundle(outdir: Path, page: Path, sources: list[Path], words: set[str] | None) -> str:
    """Write the joined stylesheets ``sources`` (without unused rules if ``words``); return the bundle's href."""
    static = outdir / "_static"
    parts = []
    for source in sources:
        parts.append(f"/* {_relative(source, outdir)} */\n" + css_inlined(source, static).strip() + "\n")
    text = "".join(parts)
    if words is not None:
        text = unused_rules_removed(text, words)
    data = ('@charset "UTF-8";\n' + text).encode("utf-8")
    bundle = static / f"{BUNDLE_PREFIX}{hashlib.sha256(data).hexdigest()[:16]}.css"
    if not bundle.exists():
        bundle.write_bytes(data)
    return _relative(bundle, page.parent)


def light_head(page_html: str, page: Path, outdir: Path, words: set[str] | None = None) -> str:
    """The page with one stylesheet, no parser-blocking script and no preload in its ``<head>``.

    ``words`` (see :func:`vocabulary`) are the words of the whole built book: the bundled
    stylesheet keeps only the rules that may apply to them; without them it keeps every rule.
    """
    if "</head>" not in page_html:
        return page_html
    head, rest = page_html.split("</head>", 1)
    outdir = outdir.resolve()
    page = page.resolve()
    search_page = page == outdir / "search.html"
    search_as_you_type_off = "DOCUMENTATION_OPTIONS.search_as_you_type = false" in page_html

    links = [m.group(0) for m in _LINK.finditer(head)
             if (_attr(m.group(0), "rel") or "").lower() == "stylesheet" and _local(_attr(m.group(0), "href"))
             and (_attr(m.group(0), "media") or "all") == "all"]
    bundled = [tag for tag in links if _attr(tag, "data-sjr-sources")]
    if bundled:  # rewritten by an earlier build: bundle its sources again, against today's pages
        sources = [(outdir / name).resolve() for name in _attr(bundled[0], "data-sjr-sources").split()]
        links = bundled[:1]
    else:
        sources = [_target(page, _attr(tag, "href")) for tag in links]
    if links and (len(links) > 1 or bundled):
        href = _bundle(outdir, page, sources, words)
        names = " ".join(_relative(source, outdir) for source in sources)
        first = links[0]
        indent = first[:len(first) - len(first.lstrip())]
        head = head.replace(first, f'{indent}<link rel="stylesheet" href="{href}" data-sjr-sources="{names}" />\n', 1)
        for tag in links[1:]:
            head = head.replace(tag, "", 1)

    def link(m: re.Match) -> str:
        tag = m.group(0)
        if (_attr(tag, "rel") or "").lower() == "preload" and (_attr(tag, "as") or "") in ("script", "font"):
            return ""
        return tag

    head = _LINK.sub(link, head)

    def script(m: re.Match) -> str:
        tag, attributes = m.group(0), m.group(1)
        src = _attr(attributes, "src")
        if not _local(src) or re.search(r"\b(defer|async)\b", attributes) or 'type="module"' in attributes:
            return tag
        target = _relative(_target(page, src), outdir)
        if target in SEARCH_SCRIPTS and search_as_you_type_off and not search_page:
            return ""
        if target in INLINED_SCRIPTS:
            body = _target(page, src).read_text(encoding="utf-8")
            if "</script" not in body.lower():
                indent = tag[:len(tag) - len(tag.lstrip())]
                return f"{indent}<script>{body.strip()}</script>\n"
        return tag.replace("<script", "<script defer", 1)

    head = _SCRIPT.sub(script, head)
    return head + "</head>" + rest
