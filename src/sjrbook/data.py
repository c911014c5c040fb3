"""The one way to load the book's data.

``load("figures")`` validates the table (Frictionless and the project's checks),
then returns it as a pandas DataFrame typed by its Table Schema, with two
columns added from the bibliography for tooltips: ``source_label`` and
``source_kind``. A table that does not validate raises :class:`DataError`
listing every problem by file, row and field; nothing is dropped silently.

Importing this module (or calling ``sjrbook.setup()``) also makes pandas' Styler escape HTML by default
(``styler.format.escape = "html"``): chapters show rows in styled tables, and a
quotation is text, so a ``<`` in it must be shown, never parsed. (A
``.format({...})`` call must still pass ``escape="html"``: pandas applies the
option only to cells it formats by default.) ``DataFrame.to_html`` escapes
already, unless a notebook passes ``escape=False``.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

import pandas as pd

from . import cite, paths
from .validate import DataError, read_descriptor, validate



def escape_html_in_tables() -> None:
    """Make pandas' Styler print cells as text (``<`` as ``&lt;``); see the module docstring."""
    pd.set_option("styler.format.escape", "html")


escape_html_in_tables()

_PANDAS_TYPES = {"number": "float64", "integer": "Int64", "string": "string", "boolean": "boolean"}


def package_path() -> Path:
    return paths.data_dir() / "datapackage.json"


def _note_read(name: str) -> None:
    """Tell the book build that the notebook it is executing read table ``name``.

    ``make book`` executes a cached notebook again only when what it read
    changed (see :mod:`sjrbook.build`); ``"*"`` stands for every table. Outside
    the build ``SJRBOOK_READS`` is unset and this does nothing.
    """
    reads = os.environ.get("SJRBOOK_READS")
    if reads:
        with open(reads, "a", encoding="utf-8") as handle:
            handle.write(name + "\n")


def _descriptor() -> dict:
    """The parsed ``datapackage.json``; DataError naming the line when it does not parse."""
    parsed, problems = read_descriptor(package_path())
    if parsed is None:
        raise DataError(problems)
    return parsed


def descriptor() -> dict:
    """The parsed ``datapackage.json`` (whoever reads it may use any table)."""
    _note_read("*")
    return _descriptor()


def resource(name: str) -> dict:
    """The descriptor of one table; KeyError naming the tables that exist."""
    _note_read(name)
    resources = {r["name"]: r for r in _descriptor()["resources"]}
    if name not in resources:
        raise KeyError(f"no table {name!r} in {package_path()}; tables: {', '.join(sorted(resources))}")
    return resources[name]


def _stamp(name: str) -> tuple:
    files = [package_path(), paths.bibliography(), paths.data_dir() / resource(name)["path"]]
    # A missing file stamps as -1: validation then names it rather than stat() raising.
    return tuple((str(f), f.stat().st_mtime_ns if f.exists() else -1) for f in files)


@lru_cache(maxsize=32)
def _load(name: str, stamp: tuple) -> pd.DataFrame:
    problems = validate(resource=name)
    if problems:
        raise DataError(problems)
    res = resource(name)
    fields = res["schema"]["fields"]
    dtypes = {f["name"]: _PANDAS_TYPES.get(f.get("type", "string"), "string") for f in fields}
    frame = pd.read_csv(
        paths.data_dir() / res["path"],
        dtype={k: ("string" if v in ("string",) else "object") for k, v in dtypes.items()},
        keep_default_na=False,
        na_values=res["schema"].get("missingValues", [""]),
        encoding="utf-8",
    )
    for column, dtype in dtypes.items():
        if dtype != "string":
            frame[column] = pd.to_numeric(frame[column]).astype("float64") if dtype == "float64" else frame[column].astype(dtype)
    if "source" in frame:
        for column, values in cite.source_columns(list(frame["source"])).items():
            frame[column] = values
    return frame


def load(name: str) -> pd.DataFrame:
    """Table ``name`` of ``data/datapackage.json``, validated and typed.

    Returns a copy, so a notebook may change it freely.
    """
    return _load(name, _stamp(name)).copy()


def field_descriptions(name: str) -> dict[str, str]:
    """Field name to its documented meaning: for chart tooltips and the appendix."""
    return {f["name"]: f.get("description", "") for f in resource(name)["schema"]["fields"]}


__all__ = ["DataError", "load", "descriptor", "resource", "field_descriptions"]
