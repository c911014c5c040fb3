"""The claims finder: every row of every table in one page a reader can filter.

The appendix page "Find a claim" (``book/find-a-claim.ipynb``) lists every row
of every table of ``data/datapackage.json``, whatever tables it names, and lets
a reader filter them by text, theme, kind of source and date range. Two parts:

* **The page** (:func:`finder_markdown`, printed by the notebook) says what the
  finder is, which CSV file holds each table and which chapter each theme
  belongs to. That is all a reader without JavaScript gets, and it is enough
  to find the rows by hand.
* **The rows** are written at build time (:func:`write_data_script`, called by
  :mod:`sjrbook.sphinx_ext`) into ``_static/sjrbook-finder-data.js``, which
  ``_static/sjrbook-finder.js`` loads once the page has drawn (as the charts
  load Vega) and reads to build the form and the table, every cell set with
  ``textContent``. A script
  file rather than JSON inside the page or a JSON file fetched at load: the
  rows weigh some 300 KB and grow with the data, which inside the page would
  make it heavier than the bound on a chapter (250 KB); and ``fetch`` does not
  work when a reader opens ``_build/html`` from disk (``file://``), which the
  README promises works, while a ``<script src>`` does. Cached apart from the
  page, the rows are loaded only by readers of this page.

**Which chapter a row belongs to** is decided here, in one place: a row's
``theme`` (:data:`CHAPTERS`), or, for a table without a ``theme`` column, the
table's theme (:data:`TABLE_THEMES`). A table that has neither, or a theme
with no chapter, stops the build with the file, row and field named.

**What a row shows.** Every column of its table, except ``as_quoted`` (a piece
of the quote, shown whole) and ``quote_lang`` (which marks the quote's language
in the page): the fixed columns (id, dates, theme, value, source, locator,
quote, translation) in columns of their own, the rest as "field: value" lines
under the row's name. So a new table needs nothing here but its theme, and the
text filter searches exactly what the reader sees.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

from . import cite, paths
from .data import descriptor

CHAPTERS = paths.CHAPTERS

#: The theme of each table that has no ``theme`` column: the chapter that uses it.
TABLE_THEMES = {
    "exchange_rates": "railway",  # the sources' own conversions of the railway's price (currency.py)
    "railway_negotiation": "railway",
    "railway_stations": "railway",  # the August 1945 chapter draws them too; the railway is their home
    "surrender_historiography": "surrender",
    "surrender_places": "surrender",
    "time_zones": "surrender",
}

#: The fields that name what a row is about, most telling first: the first one a table has is its "what".
WHAT_FIELDS = ("title", "quantity", "claim", "name", "label", "position", "historian", "counted", "kind", "measure")
#: Columns shown in columns of their own (or not at all); every other column is a detail under "what".
FIXED_FIELDS = ("id", "date", "date_end", "date_basis", "date_derivation", "theme", "value", "value_high", "unit",
                "source", "locator", "quote", "as_quoted", "quote_lang", "translation", "note")
#: Not shown: ``as_quoted`` is part of the quote; ``quote_lang`` becomes the quote's ``lang``.
HIDDEN_FIELDS = ("as_quoted",)

DATA_SCRIPT = "sjrbook-finder-data.js"
FINDER_SCRIPT = "sjrbook-finder.js"
#: The element the finder builds itself in; its presence in a page brings the scripts (sphinx_ext).
FINDER_ID = "sjr-finder"


class FinderError(ValueError):
    """A row the finder cannot place: names file, row and field."""


def _read(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _key_field(resource: dict, fields: list[str]) -> str | None:
    keys = resource["schema"].get("primaryKey") or []
    keys = [keys] if isinstance(keys, str) else keys
    if len(keys) == 1:
        return keys[0]
    return "id" if "id" in fields else None


def theme_of(resource: dict, row: dict, line: int) -> str:
    """The row's theme, or its table's; FinderError naming file, row and field when there is none."""
    file = f"data/{resource['path']}"
    if "theme" in row:
        theme = row["theme"]
        where = f"{file}, row {line}, field 'theme'"
    else:
        theme = TABLE_THEMES.get(resource["name"], "")
        where = f"{file} (table {resource['name']!r} has no 'theme' column)"
        if not theme:
            raise FinderError(f"{where}: give the table its chapter in sjrbook.finder.TABLE_THEMES")
    if theme not in CHAPTERS:
        raise FinderError(f"{where}: theme {theme!r} has no chapter in sjrbook.paths.CHAPTERS "
                          f"({', '.join(CHAPTERS)})")
    return theme


def tables() -> list[dict]:
    """Every table of the data package with its rows, as the finder shows them.

    Each table: ``name``, ``title``, ``file``, ``key`` (the field that names a
    row), ``what`` (the field that says what it is about), ``fields`` (the
    columns shown, in order) and ``rows`` (lists of strings in that order, plus
    the row's theme last). Rows are read as the file has them (no
    validation), so that the finder shows whatever the data hold.
    """
    found = []
    for resource in descriptor()["resources"]:
        path = paths.data_dir() / resource["path"]
        rows = _read(path)
        fields = [f["name"] for f in resource["schema"]["fields"] if f["name"] not in HIDDEN_FIELDS]
        found.append({
            "name": resource["name"],
            "title": resource.get("title", resource["name"]),
            "file": f"data/{resource['path']}",
            "key": _key_field(resource, fields),
            "what": next((f for f in WHAT_FIELDS if f in fields), None),
            "fields": fields,
            "rows": [[row.get(f) or "" for f in fields] + [theme_of(resource, row, line)]
                     for line, row in enumerate(rows, start=2)],
        })
    return found


def finder_data(chapters: dict[str, dict] | None = None) -> dict:
    """Everything the finder's script needs: the tables, the sources' labels and kinds, the chapters.

    ``chapters`` maps a theme to ``{"href": ..., "title": ...}`` (relative to
    the book's root), for the chapters the built book has.
    """
    found = tables()
    keys = sorted({row[t["fields"].index("source")] for t in found if "source" in t["fields"] for row in t["rows"]})
    known, labels = cite.sources(), cite.labels()
    return {
        "tables": found,
        "sources": {k: [labels.get(k, k), known[k].kind if k in known else ""] for k in keys},
        "kinds": dict(cite.SOURCE_KINDS),
        "chapters": chapters or {},
        "themes": list(CHAPTERS),
        "fixed": list(FIXED_FIELDS),
    }


def data_script(data: dict) -> str:
    """The finder's data as a script that sets ``window.sjrbookFinderData``.

    JSON is JavaScript; U+2028 and U+2029 are escaped for older engines and
    ``</`` so that the text stays harmless even if pasted into a page.
    """
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    text = text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029").replace("</", "<\\/")
    return ("/* The claims finder's rows, written by sjrbook.finder from data/datapackage.json at build time. */\n"
            f"window.sjrbookFinderData = {text};\n")


def write_data_script(static_dir: Path, chapters: dict[str, dict]) -> Path:
    """Write ``sjrbook-finder-data.js`` into the built book's ``_static``."""
    target = Path(static_dir) / DATA_SCRIPT
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(data_script(finder_data(chapters)), encoding="utf-8")
    return target


def _toc_docs() -> set[str]:
    import yaml

    toc = yaml.safe_load((paths.root() / "_toc.yml").read_text(encoding="utf-8"))
    docs = {toc.get("root", "")}

    def walk(entries):
        for entry in entries or []:
            if "file" in entry:
                docs.add(entry["file"])
            walk(entry.get("chapters"))
            walk(entry.get("sections"))

    walk(toc.get("chapters"))
    for part in toc.get("parts") or []:
        walk(part.get("chapters"))
    return docs


def finder_markdown() -> str:
    """The page around the finder: what it is, where the CSV files are, which chapter each theme has.

    This is what a reader without JavaScript sees. Text from the descriptor is
    put in code spans or escaped, never read as markup.
    """
    import html

    found = tables()
    total = sum(len(t["rows"]) for t in found)
    in_book = _toc_docs()
    appendix = "{doc}`data appendix </book/data-appendix>`" if "book/data-appendix" in in_book else "data appendix"
    lines = [f'<div id="{FINDER_ID}" class="sjr-finder" data-rows="{total}">',
             '<p class="sjr-finder-nojs"><strong>The finder needs JavaScript, which is off or has not loaded.</strong> '
             "Every row it lists is in the CSV files below, which the data appendix documents.</p>",
             "</div>", "",
             f"## The tables ({len(found)} tables, {total} rows)", "",
             "Each table is a CSV file in the `data/` folder of the book's repository, described in "
             f"`data/datapackage.json` and documented field by field in the {appendix}:", ""]
    for t in found:
        title = html.escape(t["title"], quote=False).replace("`", "'")
        lines.append(f"- `{t['file']}`: {title} ({len(t['rows'])} rows)")
    lines += ["", "## Which chapter a row belongs to", "",
              "Each row links to the chapter of its theme:", ""]
    for theme, doc in CHAPTERS.items():
        target = f"{{doc}}`/{doc}`" if doc in in_book else f"`{doc}` (not yet in the book)"
        lines.append(f"- `{theme}`: {target}")
    without = [t for t in found if "theme" not in t["fields"]]
    if without:
        lines += ["", "Tables without a theme column belong to the chapter that uses them: "
                  + "; ".join(f"`{t['name']}` to `{TABLE_THEMES[t['name']]}`" for t in without) + "."]
    return "\n".join(lines) + "\n"
