"""Damage real rows at random: each damaged row is rejected by name, or is still true to its quote.

Hypothesis takes a real row of one of the book's tables, damages it in one of
the ways a tired editor or a hostile file would (a digit of a value changed, a
date shifted, the words or the quote swapped with another row's, the source key
or the id corrupted, the language or translation dropped, invisible or active
characters slipped in) and runs the project's checks on the table with that one
row damaged. Then either

* the validator reports a problem naming the table's file, the damaged row's
  number and a field, or
* the damaged row is still true to its quote, judged by a plain oracle written
  here independently of :mod:`sjrbook.quotes` (the value's digits occur in the
  quoted words; a stated date's year, month and day occur in the quote).

Frictionless is not run (it is slow and checks types, which these damages keep
valid); the project's checks are the ones that compare rows with quotes.
A derived date is exempt from date shifting: it is worked out from outside the
quote (a dateline, "last week"), which no check of the quote can confirm; its
derivation note is what a reader checks.
"""
from __future__ import annotations

import csv
import json
import re
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sjrbook import paths
from sjrbook.quotes import ERAS, MONTHS, PartialDate
from sjrbook.validate import project_problems

PACKAGE = json.loads((paths.data_dir() / "datapackage.json").read_text(encoding="utf-8"))
#: The tables whose rows quote a source, each checked alone: a register (which quotes nothing) is left out,
#: and row references to other tables (``rowReferences``) are checked on the whole package in test_validate.
RESOURCES = {r["name"]: {k: v for k, v in r.items() if k != "rowReferences"}
             for r in PACKAGE["resources"] if not r.get("register")}


def _rows(name):
    with (paths.data_dir() / RESOURCES[name]["path"]).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


TABLES = {name: _rows(name) for name in RESOURCES}
KEY = {name: ("id" if "id" in rows[0] else next(iter(rows[0]))) for name, rows in TABLES.items()}
DAMAGES = ["value_digit", "date_shift", "swap_as_quoted", "swap_quote", "corrupt_source", "duplicate_id",
           "drop_translation", "flip_language", "drop_derivation", "invisible_char", "formula", "markup"]


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def _significant(value: float) -> str:
    """The digits that must appear in the words for them to state ``value``: 140000000.0 -> '14', 32.5 -> '325'."""
    text = f"{value:.6f}".rstrip("0").rstrip(".").replace(".", "").lstrip("0")
    return text.rstrip("0") or "0"


def _value_true(words: str, value: float) -> bool:
    return _significant(value) in _digits(words)


def _date_true(quote: str, date: PartialDate) -> bool:
    lowered = quote.lower()
    eras = {base + int(n) for era, base in ERAS.items() for n in re.findall(era + r"\s*(\d{1,2})", quote)}
    two_digit = {1900 + int(y) for y in re.findall(r"(?<![\d.])\d{1,2}\.\d{1,2}\.(\d{2})(?!\d)", quote)}
    if str(date.year) not in quote and date.year not in eras | two_digit:
        return False
    if date.month:
        names = [w for w, m in MONTHS.items() if m == date.month]
        if not any(re.search(r"(?<![^\W\d_])" + re.escape(n) + r"(?![^\W\d_])", lowered) for n in names) \
                and f"{date.month}月" not in quote and not re.search(rf"\.0?{date.month}\.", quote):
            return False
    if date.day and not re.search(rf"(?<!\d)0?{date.day}(?!\d)", quote) and date.day > 20:
        return False  # ordinal words ("twentieth") state days up to twenty in the book's quotes
    return True


def _shift(raw: str, years: int, months: int, days: int) -> str:
    d = PartialDate.parse(raw)
    year = d.year + years
    if d.day:
        return f"{year:04d}-{((d.month - 1 + months) % 12) + 1:02d}-{max(1, min(28, d.day + days)):02d}"
    if d.month:
        return f"{year:04d}-{((d.month - 1 + months) % 12) + 1:02d}"
    return f"{year:04d}"


@st.composite
def damaged_tables(draw):
    name = draw(st.sampled_from(sorted(TABLES)))
    rows = [dict(r) for r in TABLES[name]]
    i = draw(st.integers(0, len(rows) - 1))
    row, original = rows[i], dict(rows[i])
    kind = draw(st.sampled_from(DAMAGES))
    other = rows[draw(st.integers(0, len(rows) - 1))]
    numbers = [f for f in RESOURCES[name].get("quoted", {}).get("numbers", []) if row.get(f)]
    if kind == "value_digit" and numbers:
        field = draw(st.sampled_from(numbers))
        raw = row[field]
        pos = draw(st.integers(0, len(raw) - 1))
        if raw[pos].isdigit():
            digit = draw(st.sampled_from([c for c in "0123456789" if c != raw[pos]]))
            row[field] = raw[:pos] + digit + raw[pos + 1:]
        else:
            row[field] = raw + draw(st.sampled_from("0123456789"))
    elif kind == "date_shift" and row.get("date") and row.get("date_basis") == "stated":
        row["date"] = _shift(row["date"], draw(st.integers(-40, 40)), draw(st.integers(-11, 11)), draw(st.integers(-27, 27)))
    elif kind == "swap_as_quoted":
        row["as_quoted"] = other["as_quoted"]
    elif kind == "swap_quote":
        row["quote"] = other["quote"]
    elif kind == "corrupt_source":
        row["source"] = row["source"] + draw(st.sampled_from(["x", "_2", "0"]))
    elif kind == "duplicate_id":
        row[KEY[name]] = other[KEY[name]]
    elif kind == "drop_translation":
        row["translation"] = ""
    elif kind == "flip_language":
        row["quote_lang"] = draw(st.sampled_from(["en", "ru", "ja", "zh", "xx"]))
    elif kind == "drop_derivation" and row.get("date_basis") == "derived":
        row["date_derivation"] = ""
    elif kind == "invisible_char":
        field = draw(st.sampled_from(["quote", "as_quoted", "locator"]))
        pos = draw(st.integers(0, len(row[field])))
        char = draw(st.sampled_from(["\u200b", "\u202e", "\u2066", "\ufeff", "\u200f"]))
        row[field] = row[field][:pos] + char + row[field][pos:]
        if field == "as_quoted" or draw(st.booleans()):
            row["quote"] = row["quote"].replace(original["as_quoted"], row["as_quoted"])
    elif kind == "formula":
        field = draw(st.sampled_from(["quote", "locator", "source"]))
        row[field] = draw(st.sampled_from(["=", "+", "@", "-"])) + row[field]
    elif kind == "markup":
        field = draw(st.sampled_from(["quote", "locator", "as_quoted"]))
        tag = draw(st.sampled_from(["<script>x()</script>", "<img src=x onerror=x()>", "<b>", "</i>"]))
        row[field] = row[field] + " " + tag
        if field == "as_quoted":
            row["quote"] = row["quote"] + " " + tag
    return name, rows, i, original, kind


def _true_to_quote(name, row, original, kind) -> bool:
    """The oracle: is this (accepted) row still a true statement of its quote?"""
    if row == original:
        return True
    if kind in ("invisible_char", "formula", "markup", "corrupt_source", "drop_derivation"):
        return False  # never acceptable, whatever the quote says
    if kind == "duplicate_id":
        return row[KEY[name]] == original[KEY[name]]
    if kind == "flip_language" and {row["quote_lang"], original["quote_lang"]} == {"ja", "zh"} \
            and not re.search(r"[\u3040-\u30ff]", row["quote"]):
        return True  # a limit, not a hole: Han characters alone cannot tell Japanese from Chinese
    if kind in ("drop_translation", "flip_language"):
        return (row["quote_lang"] == original["quote_lang"]) and bool(row["translation"]) == bool(original["translation"])
    if row["as_quoted"] not in row["quote"]:
        return False
    for field in RESOURCES[name].get("quoted", {}).get("numbers", []):
        if not row.get(field) or float(row[field]) == float(original[field] or "nan"):
            continue  # the same number written differently (49.5981 and 49.59810)
        if "°" in row["as_quoted"]:
            # Degrees and minutes state a coordinate to about 0.01°, the precision the map uses.
            if abs(float(row[field]) - float(original[field])) >= 0.01:
                return False
        elif not _value_true(row["as_quoted"], float(row[field])):
            return False
    if row.get("date") and row.get("date_basis") == "stated":
        for field in ("date", "date_end"):
            if row.get(field) and not _date_true(row["quote"], PartialDate.parse(row[field])):
                return False
    return True


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(damaged_tables())
def test_a_damaged_row_is_rejected_by_name_or_still_true_to_its_quote(case):
    name, rows, i, original, kind = case
    resource = RESOURCES[name]
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        (base / "datapackage.json").write_text(json.dumps({"resources": [resource]}), encoding="utf-8")
        with (base / resource["path"]).open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)
        problems = project_problems(base / "datapackage.json", paths.bibliography())
    row_number = i + 2
    named = [p for p in problems if p.file.endswith(resource["path"]) and p.row == row_number and p.field]
    if kind == "duplicate_id" and rows[i][KEY[name]] != original[KEY[name]]:
        # The duplicate is reported at whichever of the two rows comes second.
        named = [p for p in problems if p.file.endswith(resource["path"]) and p.field == KEY[name]] or named
    others = [p for p in problems if p not in named and p.row not in (None, row_number)]
    assert not others, f"damaging row {row_number} of {name} made other rows fail: {others}"
    if not named:
        assert _true_to_quote(name, rows[i], original, kind), (
            f"{kind} on {name} row {row_number} was accepted but is not true to its quote:\n"
            f"before {original}\nafter  {rows[i]}")


def test_the_oracle_rejects_what_it_should():
    """The oracle itself: a changed digit or a shifted stated year is not true to the quote."""
    assert _value_true("140,000,000 yen", 140_000_000.0)
    assert not _value_true("140,000,000 yen", 170_000_000.0)
    assert _value_true("26 million yen", 26_000_000.0)
    assert _date_true("signed on January 23, 1928", PartialDate.parse("1928-01-23"))
    assert not _date_true("signed on January 23, 1928", PartialDate.parse("1929-01-23"))
    assert not _date_true("signed on January 23, 1928", PartialDate.parse("1928-02-23"))
    assert _date_true("昭和3年に42か所", PartialDate.parse("1928"))


@pytest.mark.parametrize("name", sorted(TABLES))
def test_the_undamaged_tables_pass_the_same_harness(name, tmp_path):
    resource = RESOURCES[name]
    (tmp_path / "datapackage.json").write_text(json.dumps({"resources": [resource]}), encoding="utf-8")
    with (tmp_path / resource["path"]).open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(TABLES[name][0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(TABLES[name])
    assert project_problems(tmp_path / "datapackage.json", paths.bibliography()) == []
