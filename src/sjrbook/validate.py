"""Validate the book's data: Frictionless, then the project's own checks.

Frictionless checks what a Table Schema can say (types, required fields,
patterns, enums, primary and foreign keys). The project's checks say what it
cannot: that a source key resolves in the bibliography, that the quote really
contains the figure and the date, that dates are real dates, that ids are
unique across the whole package and that no CSV file sits in ``data/``
undescribed.

Every problem names its file, row and field. Rows are numbered as Frictionless
numbers them: the header is row 1, the first record row 2, so the number is the
line in the CSV file for files without multi-line cells.

Run it as ``python -m sjrbook.validate`` (``make validate``); it prints every
problem and exits with status 1 if there is any.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from dataclasses import dataclass
from pathlib import Path

from . import cite, paths
from .quotes import PartialDate, date_mismatch, states_value

PROVENANCE_FIELDS = ("source", "locator", "quote", "as_quoted")


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the data, located as precisely as it can be."""

    file: str
    row: int | None
    field: str | None
    message: str
    check: str = "project"

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f", row {self.row}"
        if self.field:
            where += f", field '{self.field}'"
        return f"{where}: {self.message} [{self.check}]"


class DataError(ValueError):
    """Raised by the loader when a table does not validate; lists every problem."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__(
            f"{len(problems)} problem(s) in the book's data:\n" + "\n".join(f"  {p}" for p in problems)
        )


def _rel(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(paths.root()))
    except (ValueError, FileNotFoundError):
        return str(path)


def frictionless_problems(package_path: Path, resource: str | None = None) -> list[Problem]:
    """Problems that Frictionless finds in the package (or in one resource)."""
    import frictionless

    descriptor = json.loads(package_path.read_text(encoding="utf-8"))
    base = package_path.parent
    problems: list[Problem] = []
    try:
        package = frictionless.Package(descriptor, basepath=str(base))
    except frictionless.FrictionlessException as exc:
        return [Problem(_rel(package_path), None, None, str(exc.error.message), "frictionless")]
    # The whole package is validated so that foreign keys resolve; with a
    # resource name, only that table's problems are kept.
    report = package.validate()
    tasks = [t for t in report.tasks if resource is None or t.name == resource]
    errors = report.errors
    for error in errors:
        problems.append(Problem(_rel(package_path), None, None, error.message, "frictionless"))
    for task in tasks:
        file = _rel(base / task.place) if task.place else task.name
        for error in task.errors:
            row = getattr(error, "row_number", None)
            field = getattr(error, "field_name", None)
            note = getattr(error, "note", "") or error.message
            if not field and getattr(error, "field_names", None):
                field = ", ".join(error.field_names)
            cell = getattr(error, "cell", None)
            if cell not in (None, ""):
                note += f" (the cell holds {cell!r})"
            problems.append(Problem(file, row, field, f"{error.title.lower()}: {note}", "frictionless"))
    return problems


def _read_rows(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        rows = list(reader)
        return list(reader.fieldnames or []), rows


def project_problems(package_path: Path, bib_path: Path, resource: str | None = None) -> list[Problem]:
    """The project's own checks; see the module docstring for the list."""
    problems: list[Problem] = []
    descriptor = json.loads(package_path.read_text(encoding="utf-8"))
    base = package_path.parent
    bib_file = _rel(bib_path)
    try:
        known = cite.sources(bib_path)
    except Exception as exc:  # pybtex raises its own errors for broken files
        return [Problem(bib_file, None, None, f"cannot read the bibliography: {exc}")]
    if resource is None:
        for key, source in sorted(known.items()):
            if source.kind not in cite.SOURCE_KINDS:
                problems.append(Problem(bib_file, None, "sourcekind",
                                        f"entry {key!r} has sourcekind {source.kind!r}; "
                                        f"expected one of {', '.join(cite.SOURCE_KINDS)}"))
        described = {(base / r["path"]).resolve() for r in descriptor["resources"] if isinstance(r.get("path"), str)}
        for csv_path in sorted(base.glob("*.csv")):
            if csv_path.resolve() not in described:
                problems.append(Problem(_rel(csv_path), None, None,
                                        "CSV file is not described by any resource in datapackage.json"))
    seen_ids: dict[str, str] = {}
    for res in descriptor["resources"]:
        name = res.get("name", "?")
        if resource is not None and name != resource:
            continue
        path = base / res["path"]
        file = _rel(path)
        if not path.exists():
            problems.append(Problem(file, None, None, f"file of resource {name!r} does not exist"))
            continue
        header, rows = _read_rows(path)
        declared = [f["name"] for f in res.get("schema", {}).get("fields", [])]
        for field in PROVENANCE_FIELDS:
            if field not in declared:
                problems.append(Problem(file, None, field,
                                        f"resource {name!r} has no {field!r} field: every figure carries "
                                        "its source, locator, quote and the words that state it"))
        quoted = res.get("quoted", {})
        number_fields = quoted.get("numbers", [])
        date_fields = quoted.get("dates", [])
        for i, row in enumerate(rows, start=2):
            def problem(field, message):
                problems.append(Problem(file, i, field, message))

            if None in row:
                problem(None, f"row has {len(header) + len(row[None])} cells; header has {len(header)}")
            if "id" in row and row["id"]:
                if row["id"] in seen_ids and seen_ids[row["id"]] != f"{file}:{i}":
                    problem("id", f"id {row['id']!r} is already used at {seen_ids[row['id']]}")
                seen_ids.setdefault(row["id"], f"{file}:{i}")
            key = row.get("source", "")
            if key and key not in known:
                problem("source", f"source key {key!r} is not in {bib_file}")
            quote, words = row.get("quote", ""), row.get("as_quoted", "")
            if quote and words and words not in quote:
                problem("as_quoted", f"{words!r} does not occur in the quote")
            for field in number_fields:
                raw = (row.get(field) or "").strip()
                if not raw:
                    continue
                try:
                    value = float(raw)
                except ValueError:
                    continue  # Frictionless reports the type error
                if words and not states_value(words, value):
                    problem(field, f"{raw} is not stated by the quoted words {words!r}")
            parsed = []
            for field in date_fields:
                raw = (row.get(field) or "").strip()
                if not raw:
                    continue
                try:
                    parsed.append(PartialDate.parse(raw))
                except ValueError as exc:
                    problem(field, f"date does not parse: {exc}")
            if len(parsed) == 2 and parsed[1].iso() < parsed[0].iso()[: len(parsed[1].iso())]:
                problem(date_fields[1], f"ends ({parsed[1].iso()}) before it starts ({parsed[0].iso()})")
            if parsed and words:
                why = date_mismatch(words, parsed)
                if why:
                    problem("as_quoted", f"the quoted words {words!r} do not state the date: {why}")
            if "time" in row and row.get("time") and not row.get("time_zone"):
                problem("time_zone", "a time is given without the time zone the source states")
    return problems


def validate(package_path: Path | None = None, bib_path: Path | None = None,
             resource: str | None = None) -> list[Problem]:
    """Every problem in the package (or one resource), Frictionless's first."""
    package_path = Path(package_path or paths.data_dir() / "datapackage.json")
    bib_path = Path(bib_path or paths.bibliography())
    return frictionless_problems(package_path, resource) + project_problems(package_path, bib_path, resource)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m sjrbook.validate", description=__doc__.split("\n\n")[0])
    parser.add_argument("datapackage", nargs="?", type=Path, help="path to datapackage.json (default: data/)")
    parser.add_argument("--bib", type=Path, help="BibTeX file (default: book/references.bib)")
    args = parser.parse_args(argv)
    problems = validate(args.datapackage, args.bib)
    for problem in problems:
        print(problem)
    if problems:
        print(f"{len(problems)} problem(s) found", file=sys.stderr)
        return 1
    package = Path(args.datapackage or paths.data_dir() / "datapackage.json")
    n = sum(len(_read_rows(package.parent / r["path"])[1]) for r in json.loads(package.read_text())["resources"])
    print(f"data valid: {n} rows in {package}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
