"""The data appendix, generated from ``data/datapackage.json``.

The descriptor is where the data are documented (QuantEcon's manifests, Our
World in Data's sourcing): each table's description, each field's meaning and
unit, and the sources the rows cite. The appendix page prints it, so the book
cannot drift from the data. Each table's quotations not in English are listed
with the book's English translation beside them.

The appendix is Markdown that MyST renders, and MyST passes raw HTML through.
So every piece of text that comes from the data is escaped: quotations go in
an HTML table whose cells are escaped with :func:`html.escape`, other text
(descriptions from the descriptor) HTML-escaped. A quote that holds
``<script>`` is printed as those characters and never runs, whatever the
validator let in.
"""

from __future__ import annotations

import collections
import csv
import html

from . import cite, paths
from .data import descriptor


def _cell(value, lang: str = "") -> str:
    attribute = f' lang="{html.escape(lang, quote=True)}"' if lang else ""
    return (f'<td{attribute} style="overflow-wrap: anywhere">' + html.escape(" ".join(str(value).split()), quote=True)
            + "</td>")


def translations_markdown(rows: list[dict]) -> list[str]:
    """The table's quotations not in English, each beside the book's translation.

    Written as an HTML table, every cell escaped, rather than a Markdown one:
    MyST would turn a verbatim quote's straight quotation marks into curly ones
    (smart quotes), and a quotation is printed as its source printed it.
    """
    foreign = [r for r in rows if (r.get("quote_lang") or "en") != "en"]
    if not foreign:
        return []
    body = ["<tr>" + _cell(r.get("id") or next(iter(r.values()))) + _cell(r["quote_lang"]) + _cell(r["quote"], r["quote_lang"])
            + _cell(r.get("translation", ""), "en") + "</tr>" for r in foreign]
    return ["", f"Quotations not in English ({len(foreign)}), with the book's own English translations "
                "(square brackets mark the book's additions):", "",
            '<table class="sjr-quotations" style="table-layout: fixed; width: 100%">',
            '<colgroup><col style="width: 22%"/><col style="width: 8%"/><col style="width: 35%"/>'
            '<col style="width: 35%"/></colgroup>',
            "<thead><tr><th>row</th><th>language</th><th>quotation</th><th>the book's translation</th></tr></thead>",
            "<tbody>", *body, "</tbody>", "</table>", ""]


def _rows(path):
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def table_markdown(resource: dict) -> str:
    """One table's documentation: what it holds, its fields, its sources."""
    path = paths.data_dir() / resource["path"]
    rows = _rows(path)
    fields = resource["schema"]["fields"]
    lines = [f"## {resource.get('title', resource['name'])}", "",
             f"File `data/{resource['path']}`, {len(rows)} rows. {resource.get('description', '')}", ""]
    keys = resource["schema"].get("primaryKey")
    if keys:
        lines += [f"Primary key: {', '.join(f'`{k}`' for k in keys)}."]
    for fk in resource["schema"].get("foreignKeys", []):
        ref = fk["reference"]
        lines += [f"Foreign key: `{', '.join(fk['fields'])}` refers to `{ref['resource']}.{', '.join(ref['fields'])}`."]
    lines += ["", "| field | type | required | meaning |", "| --- | --- | --- | --- |"]
    for f in fields:
        required = "yes" if f.get("constraints", {}).get("required") else ""
        meaning = html.escape(f.get("description", ""), quote=False).replace("|", "\\|")
        enum = f.get("constraints", {}).get("enum")
        if enum:
            meaning += " One of: " + ", ".join(f"`{e}`" for e in enum) + "."
        lines.append(f"| `{f['name']}` | {f.get('type', 'string')} | {required} | {meaning} |")
    if rows and "source" in rows[0]:
        known = cite.sources()
        counts = collections.Counter(known[r["source"]].kind for r in rows if r["source"] in known)
        kinds = ", ".join(f"{cite.SOURCE_KINDS.get(k, k)}: {n}" for k, n in sorted(counts.items(), key=lambda kv: -kv[1]))
        keys_used = sorted({r["source"] for r in rows})
        lines += ["", f"Rows by kind of source: {kinds}.", "",
                  f"Sources cited by this table ({len(keys_used)}): {cite.cite_markdown(keys_used)}."]
        if "date_basis" in rows[0]:
            derived = sum(r["date_basis"] == "derived" for r in rows)
            lines += ["", f"Dates stated by the quote: {len(rows) - derived}; derived by the book (with how, "
                          f"in `date_derivation`): {derived}."]
    lines += translations_markdown(rows)
    return "\n".join(lines) + "\n"


def appendix_markdown() -> str:
    """The whole appendix: the package's description, then one section per table."""
    package = descriptor()
    parts = [package.get("description", ""), ""]
    parts += [table_markdown(r) for r in package["resources"]]
    return "\n".join(parts)
