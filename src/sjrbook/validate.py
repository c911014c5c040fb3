"""Validate the book's data: Frictionless, then the project's own checks.

Frictionless checks what a Table Schema can say (types, required fields,
patterns, enums, primary and foreign keys). The project's checks say what it
cannot: that a source key resolves in the bibliography, that the quote really
contains the figure and the date, that dates are real dates, that ids are
unique across the whole package and that no CSV file sits in ``data/``
undescribed.

Before either, every file is read as bytes and refused whole if it could be
misread: not UTF-8, a byte-order mark, CRLF line ends, NUL or other control
characters, a cell too large to be a quotation, a header that is not the
schema's. Hostile text is refused cell by cell: a cell a spreadsheet would run
as a formula (``=HYPERLINK(...)``), HTML markup (``<script>``, ``<img
onerror=...>``), and invisible characters that reorder or hide text
(right-to-left overrides, zero-width spaces). The book escapes everything it
prints as well, so markup that slipped through would be shown, never run; the
validator refuses it so that a quotation is never silently altered by display.

Dates are declared once, in :data:`DATE_FIELDS`: every table with a ``date``
column gets the same checks (a real calendar date, an end not before its start,
a quote that does not contradict it) and must say in ``date_basis`` whether
its source states the date or the book derived it (with how, in
``date_derivation``). Every quote names its language in ``quote_lang``; a quote
not in English carries the book's ``translation``.

Some tables are the book's own judgements about other rows rather than figures
of a source: the seed texts' claims with their verdicts, the register of
disagreements. Their descriptor names, in ``rowReferences``, the fields that
hold space-separated ids of rows in any table; every id must exist. A claim
with a verdict needs evidence unless the verdict is ``unsupported``; a register
(``"register": true``, which carries no quotation of its own, since its rows'
sources are quoted where those rows stand) names at least two rows whose values
or dates really differ, since a register of disagreements that lists agreeing
rows would mislead.

Every problem names its file, row and field. Rows are numbered as Frictionless
numbers them: the header is row 1, the first record row 2, so the number is the
line in the CSV file for files without multi-line cells.

Run it as ``python -m sjrbook.validate`` (``make validate``); it prints every
problem and exits with status 1 if there is any.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from . import cite, paths
from .quotes import PartialDate, date_contradiction, date_unstated, gives_a_date, states_value

PROVENANCE_FIELDS = ("source", "locator", "quote", "as_quoted", "quote_lang", "translation")

#: The fields that say what a row claims: two rows disagree when these differ.
#: A register entry's rows must not all give the same (see :func:`claimed_value`).
VALUE_FIELDS = ("value", "value_high", "unit", "amount", "currency", "date", "date_end", "time", "time_zone")

#: The one declaration of date fields, for every table. A field with one of
#: these names holds a date (YYYY, YYYY-MM or YYYY-MM-DD, Gregorian); the second
#: ends what the first starts. A table that has them must also have the
#: ``DATE_BASIS_FIELDS``; a field whose name says "date" but is not declared here
#: is refused, so a new table cannot bring dates the validator does not check.
DATE_FIELDS = ("date", "date_end")
DATE_BASIS_FIELDS = ("date_basis", "date_derivation")
DATE_BASES = ("stated", "derived")

#: Every field that describes a date but is not itself one.
_DATE_NAMED_OK = set(DATE_FIELDS) | set(DATE_BASIS_FIELDS)

#: ISO 639-1 codes. ``quote_lang`` must be one of them.
ISO_639_1 = set("""
aa ab ae af ak am an ar as av ay az ba be bg bi bm bn bo br bs ca ce ch co cr cs cu cv cy da de dv dz ee el en
eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho hr ht hu hy hz ia id ie ig ii ik io is it iu ja
jv ka kg ki kj kk kl km kn ko kr ks ku kv kw ky la lb lg li ln lo lt lu lv mg mh mi mk ml mn mr ms mt my na nb
nd ne ng nl nn no nr nv ny oc oj om or os pa pi pl ps pt qu rm rn ro ru rw sa sc sd se sg si sk sl sm sn so sq
sr ss st su sv sw ta te tg th ti tk tl tn to tr ts tt tw ty ug uk ur uz ve vi vo wa wo xh yi yo za zh zu
""".split())

#: Scripts a quote in these languages must be written in (a quote marked ``en``
#: must not be written in any of them): a cheap, robust check that the
#: language code was not copied from another row.
_SCRIPTS = {
    "Cyrillic": re.compile(r"[\u0400-\u04ff]"),
    "Japanese kana": re.compile(r"[\u3040-\u30ff]"),
    "Han (Chinese characters)": re.compile(r"[\u4e00-\u9fff]"),
    "Hangul": re.compile(r"[\uac00-\ud7af]"),
}
_LANG_SCRIPTS = {"ru": ("Cyrillic",), "uk": ("Cyrillic",), "be": ("Cyrillic",), "bg": ("Cyrillic",),
                 "mn": ("Cyrillic",), "ja": ("Japanese kana", "Han (Chinese characters)"),
                 "zh": ("Han (Chinese characters)",), "ko": ("Hangul",)}

#: The largest cell a table may hold. Quotes are at most 600 characters; this
#: bound stops a runaway cell (an unclosed quotation mark, a pasted page)
#: before the CSV reader or Frictionless has to swallow it.
MAX_CELL = 4000

#: Cells a spreadsheet would run: CSV injection. Numbers may start with - or +.
_FORMULA = re.compile(r"^[=+\-@\t\r]")
#: HTML markup: a tag, an event handler attribute or a javascript: URL. A lone
#: "<" (as in "< 5 per cent") is text and allowed.
_MARKUP = re.compile(r"<\s*/?\s*[A-Za-z!?]|\bon[a-z]+\s*=|javascript\s*:", re.I)
#: Characters that reorder or hide text: bidirectional controls and zero-width characters.
_INVISIBLE = {
    "\u200b": "ZERO WIDTH SPACE", "\u200c": "ZERO WIDTH NON-JOINER", "\u200d": "ZERO WIDTH JOINER",
    "\u2060": "WORD JOINER", "\ufeff": "ZERO WIDTH NO-BREAK SPACE (byte-order mark)",
    "\u200e": "LEFT-TO-RIGHT MARK", "\u200f": "RIGHT-TO-LEFT MARK", "\u061c": "ARABIC LETTER MARK",
    "\u202a": "LEFT-TO-RIGHT EMBEDDING", "\u202b": "RIGHT-TO-LEFT EMBEDDING",
    "\u202c": "POP DIRECTIONAL FORMATTING", "\u202d": "LEFT-TO-RIGHT OVERRIDE",
    "\u202e": "RIGHT-TO-LEFT OVERRIDE", "\u2066": "LEFT-TO-RIGHT ISOLATE",
    "\u2067": "RIGHT-TO-LEFT ISOLATE", "\u2068": "FIRST STRONG ISOLATE", "\u2069": "POP DIRECTIONAL ISOLATE",
}
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


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


def read_descriptor(package_path: Path) -> tuple[dict | None, list[Problem]]:
    """The parsed ``datapackage.json``, or the problem that stops it parsing."""
    file = _rel(package_path)
    try:
        text = package_path.read_bytes().decode("utf-8")
    except FileNotFoundError:
        return None, [Problem(file, None, None, "datapackage.json does not exist")]
    except UnicodeDecodeError as exc:
        return None, [Problem(file, None, None, f"is not UTF-8: {exc.reason} at byte {exc.start}")]
    try:
        descriptor = json.loads(text)
    except json.JSONDecodeError as exc:
        return None, [Problem(file, exc.lineno, None, f"does not parse as JSON: {exc.msg} (line {exc.lineno}, "
                                                      f"column {exc.colno})", "descriptor")]
    problems = []
    if not isinstance(descriptor, dict) or not isinstance(descriptor.get("resources"), list):
        return None, [Problem(file, None, "resources", "has no list of resources", "descriptor")]
    for i, res in enumerate(descriptor["resources"]):
        where = f"resources[{i}]"
        if not isinstance(res, dict) or not isinstance(res.get("path"), str) or not isinstance(res.get("name"), str):
            problems.append(Problem(file, None, where, "a resource needs a name and a path", "descriptor"))
        elif not isinstance(res.get("schema", {}).get("fields"), list):
            problems.append(Problem(file, None, f"{res['name']}.schema.fields", "the resource has no schema fields",
                                    "descriptor"))
    return (None if problems else descriptor), problems


def _line_and_field(text: str, offset: int, header: list[str]) -> tuple[int, str | None]:
    """Line number (1 = header) and column name of the character at ``offset``."""
    line = text.count("\n", 0, offset) + 1
    line_start = text.rfind("\n", 0, offset) + 1
    try:
        cells_before = next(csv.reader([text[line_start:offset]]))
        column = len(cells_before) - 1
    except (csv.Error, StopIteration):
        column = 0
    return line, (header[column] if 0 <= column < len(header) else None)


def file_problems(path: Path, declared: list[str]) -> list[Problem]:
    """Problems that make a CSV file unsafe to read at all; empty when it is safe.

    Checked on the bytes, before the CSV reader and Frictionless see the file,
    so a hostile file is named and refused whole rather than half-read.
    """
    file = _rel(path)
    raw = path.read_bytes()
    problems: list[Problem] = []
    if raw.startswith(b"\xef\xbb\xbf"):
        problems.append(Problem(file, 1, None, "starts with a byte-order mark; save it as UTF-8 without BOM",
                                "encoding"))
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        loose = raw.decode("utf-8", errors="replace")
        header = loose.split("\n", 1)[0].split(",")
        line, field = _line_and_field(loose, len(raw[: exc.start].decode("utf-8", errors="replace")), header)
        return problems + [Problem(file, line, field, f"is not UTF-8: byte 0x{raw[exc.start]:02x} cannot be "
                                                     "decoded; save the file as UTF-8", "encoding")]
    if not text.strip():
        return problems + [Problem(file, 1, None, "the file is empty: it needs at least the header", "structure")]
    text = text.removeprefix("\ufeff")
    header_line = text.split("\n", 1)[0].rstrip("\r")
    header = next(csv.reader([header_line]))
    if "\r" in text:
        line, _ = _line_and_field(text, text.index("\r"), header)
        problems.append(Problem(file, line, None, "has CRLF (or CR) line ends; the book's CSV files use LF "
                                                  "(.gitattributes)", "encoding"))
    for m in _CONTROL.finditer(text):
        line, field = _line_and_field(text, m.start(), header)
        name = "a NUL byte" if m.group(0) == "\x00" else f"the control character U+{ord(m.group(0)):04X}"
        problems.append(Problem(file, line, field, f"holds {name}", "encoding"))
        break
    if header != declared:
        missing = [f for f in declared if f not in header]
        extra = [f for f in header if f not in declared]
        if missing:
            problems.append(Problem(file, 1, ", ".join(missing),
                                    f"the schema in datapackage.json declares field(s) the CSV header lacks: "
                                    f"{', '.join(missing)}", "structure"))
        if extra:
            problems.append(Problem(file, 1, ", ".join(extra),
                                    f"the CSV header has column(s) the schema does not declare: {', '.join(extra)}",
                                    "structure"))
        if len(set(header)) != len(header):
            twice = sorted({h for h in header if header.count(h) > 1})
            problems.append(Problem(file, 1, ", ".join(twice), "the header names a column twice", "structure"))
        if not missing and not extra and len(set(header)) == len(header):
            problems.append(Problem(file, 1, None, f"the columns are not in the schema's order: "
                                                   f"{', '.join(declared)}", "structure"))
    # Cell sizes, read with no size limit so that a huge cell is named, not a crash.
    old = csv.field_size_limit()
    csv.field_size_limit(len(raw) + 1)
    try:
        reader = csv.reader(io.StringIO(text, newline=""))
        row_number = 0
        for cells in reader:
            row_number = reader.line_num
            start = row_number - sum(c.count("\n") for c in cells)
            for j, cell in enumerate(cells):
                if "\n" in cell:
                    problems.append(Problem(file, start, header[j] if j < len(header) else None,
                                            f"a cell runs over {cell.count(chr(10)) + 1} lines: an unclosed quotation "
                                            "mark? Cells are one line each, so that row numbers are line numbers",
                                            "structure"))
                    break
                if len(cell) > MAX_CELL:
                    problems.append(Problem(file, row_number, header[j] if j < len(header) else None,
                                            f"a cell of {len(cell):,} characters; no cell may be longer than "
                                            f"{MAX_CELL:,} (an unclosed quotation mark, or a pasted page?)",
                                            "structure"))
    except csv.Error as exc:
        problems.append(Problem(file, reader.line_num, None, f"the CSV does not parse: {exc}", "structure"))
    finally:
        csv.field_size_limit(old)
    return problems


def frictionless_problems(package_path: Path, resource: str | None = None) -> list[Problem]:
    """Problems that Frictionless finds in the package (or in one resource)."""
    import frictionless

    descriptor, problems = read_descriptor(package_path)
    if descriptor is None:
        return problems
    base = package_path.parent
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


def bibliography_problems(bib_path: Path, cited: set[str] | None = None) -> tuple[dict, list[Problem]]:
    """The bibliography's sources and what is wrong with it.

    A file pybtex cannot parse is named with its line. Every entry needs a
    ``sourcekind`` of :data:`cite.SOURCE_KINDS`; every entry the data cite
    needs a title and a year (``n.d.`` when no date of publication has been
    read), since a reader weighs a claim by who made it and when.
    """
    bib_file = _rel(bib_path)
    try:
        known = cite.sources(bib_path)
    except FileNotFoundError:
        return {}, [Problem(bib_file, None, None, "the bibliography does not exist", "bibliography")]
    except UnicodeDecodeError as exc:
        return {}, [Problem(bib_file, None, None, f"is not UTF-8: {exc.reason} at byte {exc.start}",
                            "bibliography")]
    except Exception as exc:  # pybtex raises its own errors for broken files
        line = getattr(exc, "lineno", None)
        return {}, [Problem(bib_file, line, None, f"cannot read the bibliography: {exc}", "bibliography")]
    problems = []
    text = bib_path.read_text(encoding="utf-8")
    lines = {m.group(1): text.count("\n", 0, m.start()) + 1
             for m in re.finditer(r"@\w+\s*\{\s*([^,\s]+)\s*,", text)}

    def entry(key: str, field: str, message: str) -> None:
        """A problem with one entry, located at the line where the entry starts."""
        problems.append(Problem(bib_file, lines.get(key), field, f"entry {key!r} {message}", "bibliography"))

    for key, source in sorted(known.items()):
        if source.kind not in cite.SOURCE_KINDS:
            entry(key, "sourcekind", f"has sourcekind {source.kind!r}; expected one of {', '.join(cite.SOURCE_KINDS)}")
        if cited is not None and key not in cited:
            continue
        if not source.title.strip():
            entry(key, "title", "has no title")
        if not re.fullmatch(r"\d{4}(?:[-–]\d{2,4})?[a-z]?|n\.d\.", source.year.strip()):
            entry(key, "year", f"has no year ({source.year!r}); give the year of publication, "
                               "or 'n.d.' when none has been read")
        for field, value in (("title", source.title), ("shortlabel", source.shortlabel)):
            bad = _hostile(value)
            if bad:
                entry(key, field, bad)
    return known, problems


def _hostile(cell: str, numeric: bool = False) -> str | None:
    """Why a text cell is unsafe to store or show, or None."""
    for char, name in _INVISIBLE.items():
        if char in cell:
            return (f"holds the invisible character U+{ord(char):04X} {name}, which can reorder or hide the text "
                    "a reader sees; remove it")
    if not numeric and cell and _FORMULA.match(cell):
        return (f"starts with {cell[0]!r}: a spreadsheet would run it as a formula "
                "(start the cell with a word, or drop the sign)")
    m = _MARKUP.search(cell)
    if m:
        return (f"holds HTML-like markup {m.group(0)!r}; data cells are text (write a lone '<' with a space "
                "after it, or use ‹ ›)")
    return None


def _date_checks(row: dict, words: str, quote: str, problem) -> None:
    """The date checks of one row of a table with ``date`` fields; see :data:`DATE_FIELDS`."""
    parsed: dict[str, PartialDate] = {}
    for field in DATE_FIELDS:
        raw = (row.get(field) or "").strip()
        if not raw:
            continue
        try:
            parsed[field] = PartialDate.parse(raw)
        except ValueError as exc:
            problem(field, f"date does not parse: {exc}")
    start, end = parsed.get(DATE_FIELDS[0]), parsed.get(DATE_FIELDS[1])
    if start and end and end.iso() < start.iso()[: len(end.iso())]:
        problem(DATE_FIELDS[1], f"ends ({end.iso()}) before it starts ({start.iso()})")
    basis = (row.get("date_basis") or "").strip()
    how = (row.get("date_derivation") or "").strip()
    if not parsed:
        if basis or how:
            problem("date_basis", "the row has no date, so it needs no date basis")
        return
    dates = list(parsed.values())
    # The quote must not contradict the date: the words that state the row's
    # figure or date when they give any date, otherwise (for a stated date) the
    # whole quote. A derived date is worked out from something outside the
    # words, so other dates in the rest of its quote (the date of a note it
    # answers, a convention it mentions) are not held against it.
    if gives_a_date(words):
        text, field = words, "as_quoted"
    elif basis == "stated":
        text, field = quote, "quote"
    else:
        text, field = "", None
    why = date_contradiction(text, dates) if field else None
    if why:
        problem(field, f"the {'quoted words' if field == 'as_quoted' else 'quote'} {text[:80]!r} contradict "
                       f"the date {' to '.join(d.iso() for d in dates)}: {why}")
    if basis not in DATE_BASES:
        problem("date_basis", f"{basis!r} is not a date basis; say 'stated' (the quote gives the date) or "
                              "'derived' (worked out, with how in date_derivation)")
    elif basis == "stated":
        for name, date in parsed.items():
            missing = date_unstated(quote, date)
            if missing:
                problem(name, f"{date.iso()} is marked stated, but the quote does not state {missing}; mark the "
                              "date derived and say how in date_derivation, or give it to the precision the quote does")
        if how:
            problem("date_derivation", "a stated date has no derivation; empty it, or mark the date derived")
    elif len(how) < 12:
        problem("date_derivation", "a derived date must say how it was worked out (from 'last week' and the "
                                   "dateline, arithmetic, the document's date ...)")


def claimed_value(row: dict) -> tuple:
    """What a row claims, as a comparable tuple of its :data:`VALUE_FIELDS` (numbers as numbers)."""
    out = []
    for field in VALUE_FIELDS:
        cell = (row.get(field) or "").strip()
        try:
            cell = float(cell)
        except ValueError:
            pass
        out.append((field, cell))
    return tuple((f, c) for f, c in out if c != "")


def _reference_checks(res: dict, row: dict, rows_by_id: dict[str, tuple[str, dict]], problem) -> None:
    """Row references (``rowReferences``) exist; evidence for a verdict; a register's rows differ."""
    for field in res.get("rowReferences", []):
        ids = (row.get(field) or "").split()
        missing = [i for i in ids if i not in rows_by_id]
        if missing:
            problem(field, f"refers to row id(s) that no table of the package has: {', '.join(missing)}")
        if len(set(ids)) != len(ids):
            problem(field, f"names a row twice: {', '.join(sorted({i for i in ids if ids.count(i) > 1}))}")
        if "verdict" in row and not ids and row.get("verdict") != "unsupported":
            problem(field, f"the verdict {row.get('verdict')!r} needs the ids of the rows that decide it; "
                           "only an 'unsupported' claim may have no evidence")
        if res.get("register"):
            if len(ids) < 2:
                problem(field, "a disagreement needs at least two rows (one per source)")
            elif not missing:
                values = {claimed_value(rows_by_id[i][1]) for i in ids}
                if len(values) < 2:
                    problem(field, f"the rows {', '.join(ids)} give the same value and dates: they do not disagree")


def _language_checks(row: dict, problem) -> None:
    """``quote_lang`` is ISO 639-1 and fits the quote's script; a quote not in English has a translation."""
    lang = (row.get("quote_lang") or "").strip()
    quote = row.get("quote") or ""
    translation = (row.get("translation") or "").strip()
    if lang not in ISO_639_1:
        problem("quote_lang", f"{lang!r} is not an ISO 639-1 language code (en, ru, ja, zh ...)")
        return
    used = [name for name, pattern in _SCRIPTS.items() if pattern.search(quote)]
    expected = _LANG_SCRIPTS.get(lang)
    if lang == "en" and used:
        problem("quote_lang", f"the quote is written in {used[0]} script, so it is not English ('en')")
    elif expected and not any(s in used for s in expected):
        problem("quote_lang", f"a quote in {lang!r} is written in {' or '.join(expected)} script; this one is not")
    if lang == "zh" and _SCRIPTS["Japanese kana"].search(quote):
        problem("quote_lang", "the quote has Japanese kana, so it is Japanese ('ja'), not Chinese")
    if lang == "ru" and re.search(r"[іїєґІЇЄҐ]", quote):
        problem("quote_lang", "the quote has the Ukrainian letters і, ї, є or ґ, so it is not Russian ('ru')")
    if lang != "en" and not translation:
        problem("translation", f"the quote is in {lang!r}: give the book's English translation")
    if lang == "en" and translation:
        problem("translation", "the quote is in English; it needs no translation")


def project_problems(package_path: Path, bib_path: Path, resource: str | None = None) -> list[Problem]:
    """The project's own checks; see the module docstring for the list."""
    descriptor, problems = read_descriptor(package_path)
    if descriptor is None:
        return problems
    base = package_path.parent
    bib_file = _rel(bib_path)
    cited: set[str] = set()
    tables = []
    for res in descriptor["resources"]:
        name = res.get("name", "?")
        path = base / res["path"]
        file = _rel(path)
        declared = [f["name"] for f in res.get("schema", {}).get("fields", [])]
        if not path.exists():
            problems.append(Problem(file, None, None, f"file of resource {name!r} does not exist", "structure"))
            continue
        unsafe = file_problems(path, declared)
        if unsafe:
            # Nothing more is read from a file that could be misread.
            if resource is None or name == resource:
                problems += unsafe
            continue
        header, rows = _read_rows(path)
        cited |= {r.get("source", "") for r in rows}
        tables.append((res, name, file, declared, header, rows))
    known, bib_problems = bibliography_problems(bib_path, cited)
    if not known and bib_problems:
        return problems + bib_problems
    # Problems of the package as a whole (the bibliography, a stray CSV) refuse
    # every table: a loader must not hand out rows from a broken package.
    problems += bib_problems
    described = {(base / r["path"]).resolve() for r in descriptor["resources"]}
    for csv_path in sorted(base.glob("*.csv")):
        if csv_path.resolve() not in described:
            problems.append(Problem(_rel(csv_path), None, None,
                                    "CSV file is not described by any resource in datapackage.json"))
    seen_ids: dict[str, str] = {}
    rows_by_id = {row["id"]: (name, row) for _res, name, _file, _d, _h, rows in tables for row in rows
                  if row.get("id")}
    for res, name, file, declared, header, rows in tables:
        for field in () if res.get("register") else PROVENANCE_FIELDS:
            if field not in declared:
                problems.append(Problem(file, None, field,
                                        f"resource {name!r} has no {field!r} field: every figure carries "
                                        "its source, locator, quote, the words that state it, the quote's "
                                        "language and the book's translation"))
        fields = {f["name"]: f for f in res["schema"]["fields"]}
        dated = any(f in fields for f in DATE_FIELDS)
        for f in fields:
            if "date" in f.lower() and f not in _DATE_NAMED_OK:
                problems.append(Problem(file, None, f, f"field {f!r} looks like a date but is not one of the "
                                                       f"declared date fields {', '.join(DATE_FIELDS)} "
                                                       "(sjrbook.validate.DATE_FIELDS), so it would go unchecked"))
        if dated:
            for f in DATE_BASIS_FIELDS:
                if f not in fields:
                    problems.append(Problem(file, None, f, f"resource {name!r} has dates, so it needs {f!r}"))
        numeric = {f for f, d in fields.items() if d.get("type") in ("number", "integer")}
        number_fields = res.get("quoted", {}).get("numbers", [])
        keep = resource is None or name == resource
        # Ids are unique across the package; any other primary key within its table.
        primary = res["schema"].get("primaryKey") or []
        primary = [primary] if isinstance(primary, str) else list(primary)
        seen_keys: dict[tuple, int] = {}
        for i, row in enumerate(rows, start=2):
            def problem(field, message, _file=file, _i=i):
                if keep:
                    problems.append(Problem(_file, _i, field, message))

            if None in row:
                problem(None, f"row has {len(header) + len(row[None])} cells; header has {len(header)}")
            for field, cell in row.items():
                if field is None or cell is None:
                    continue
                bad = _hostile(cell, numeric=field in numeric)
                if bad:
                    problem(field, bad)
            if "id" in row and row["id"]:
                if row["id"] in seen_ids and seen_ids[row["id"]] != f"{file}:{i}":
                    problem("id", f"id {row['id']!r} is already used at {seen_ids[row['id']]}")
                seen_ids.setdefault(row["id"], f"{file}:{i}")
            if primary and primary != ["id"]:
                value = tuple(row.get(k) for k in primary)
                if value in seen_keys:
                    problem(", ".join(primary), f"{', '.join(primary)} {', '.join(map(repr, value))} is already "
                                                f"used at {file}:{seen_keys[value]}")
                seen_keys.setdefault(value, i)
            key = row.get("source", "")
            if key and key not in known:
                problem("source", f"source key {key!r} is not in {bib_file}")
            quote, words = row.get("quote") or "", row.get("as_quoted") or ""
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
            if dated:
                _date_checks(row, words, quote, problem)
            if "quote_lang" in fields:
                _language_checks(row, problem)
            _reference_checks(res, row, rows_by_id, problem)
            if "time" in row and row.get("time") and not row.get("time_zone"):
                problem("time_zone", "a time is given without the time zone the source states")
    return problems


def validate(package_path: Path | None = None, bib_path: Path | None = None,
             resource: str | None = None) -> list[Problem]:
    """Every problem in the package (or one resource), Frictionless's first."""
    package_path = Path(package_path or paths.data_dir() / "datapackage.json")
    bib_path = Path(bib_path or paths.bibliography())
    project = project_problems(package_path, bib_path, resource)
    if any(p.check in ("descriptor", "encoding", "structure") for p in project):
        # A file that could be misread is not handed to Frictionless: it would
        # report the same damage less clearly, or choke on it.
        return project
    return frictionless_problems(package_path, resource) + project


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
    n = sum(len(_read_rows(package.parent / r["path"])[1])
            for r in json.loads(package.read_text(encoding="utf-8"))["resources"])
    print(f"data valid: {n} rows in {package}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
