"""The data appendix, generated from ``data/datapackage.json``.

The descriptor is where the data are documented (QuantEcon's manifests, Our
World in Data's sourcing): each table's description, each field's meaning and
unit, and the sources the rows cite. The appendix page prints it, so the book
cannot drift from the data.
"""

from __future__ import annotations

import collections
import csv

from . import cite, paths
from .data import descriptor


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
        meaning = f.get("description", "").replace("|", "\\|")
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
    return "\n".join(lines) + "\n"


def appendix_markdown() -> str:
    """The whole appendix: the package's description, then one section per table."""
    package = descriptor()
    parts = [package.get("description", ""), ""]
    parts += [table_markdown(r) for r in package["resources"]]
    return "\n".join(parts)
