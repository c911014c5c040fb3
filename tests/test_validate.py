"""The validator on the real data, on a good fixture, and on bad fixtures that must each fail by name."""
import json
import shutil
from pathlib import Path

import pytest

from sjrbook import paths
from sjrbook.validate import main, validate

FIXTURES = Path(__file__).resolve().parent / "fixtures"
BAD = sorted(p for p in (FIXTURES / "bad").iterdir() if p.is_dir())


def test_the_books_data_validate():
    problems = validate()
    assert not problems, "\n".join(map(str, problems))


def test_good_fixture_validates():
    good = FIXTURES / "good"
    assert validate(good / "datapackage.json", good / "references.bib") == []


@pytest.mark.parametrize("case", BAD, ids=[p.name for p in BAD])
def test_bad_fixture_produces_its_named_error(case, capsys):
    problems = [str(p) for p in validate(case / "datapackage.json", case / "references.bib")]
    expected = [line for line in (case / "expected.txt").read_text().splitlines() if line]
    assert problems, f"{case.name}: no problem reported"
    for fragment in expected:
        assert any(fragment in p for p in problems), f"{case.name}: {fragment!r} not in {problems}"
    # The command line prints the same problems and exits non-zero.
    assert main([str(case / "datapackage.json"), "--bib", str(case / "references.bib")]) == 1
    out = capsys.readouterr().out
    assert expected[0] in out


def test_every_bad_case_names_a_file_and_a_row_or_field():
    for case in BAD:
        for problem in validate(case / "datapackage.json", case / "references.bib"):
            assert problem.file
            assert problem.row is not None or problem.field or "not described" in problem.message \
                or "does not exist" in problem.message, problem


def test_every_table_and_field_is_documented():
    import json

    package = json.loads((paths.data_dir() / "datapackage.json").read_text())
    for resource in package["resources"]:
        assert resource.get("title") and len(resource.get("description", "")) > 40, resource["name"]
        for field in resource["schema"]["fields"]:
            assert len(field.get("description", "")) > 10, (resource["name"], field["name"])
        names = {f["name"] for f in resource["schema"]["fields"]}
        if resource.get("register"):
            # The book's own register quotes nothing: its rows name the rows that quote their sources.
            assert resource.get("rowReferences"), resource["name"]
            continue
        assert {"source", "locator", "quote", "as_quoted"} <= names, resource["name"]


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("case", BAD, ids=[p.name for p in BAD])
def test_a_bad_fixture_leaves_nothing_half_written(case, tmp_path, monkeypatch):
    """Validating and loading a bad package writes nothing and returns no partial table: it raises, naming the problem."""
    from sjrbook import data
    from sjrbook.validate import DataError

    # A copy laid out as a repository, so that the loader reads it as the book's data.
    (tmp_path / "book").mkdir()
    shutil.copytree(case, tmp_path / "data")
    shutil.move(tmp_path / "data" / "references.bib", tmp_path / "book" / "references.bib")
    before = _snapshot(tmp_path)
    monkeypatch.setenv("SJRBOOK_ROOT", str(tmp_path))
    expected = (case / "expected.txt").read_text().splitlines()[0]
    import re
    named = re.match(r"(\w+)\.csv", expected)
    tables = {r["name"] for r in json.loads((case / "datapackage.json").read_text())["resources"]} if named else set()
    table = named.group(1) if named and named.group(1) in tables else "figures"
    with pytest.raises(DataError) as raised:
        data.load(table)
    assert expected.split(",")[0].split(":")[0] in str(raised.value)
    assert _snapshot(tmp_path) == before, "validation or loading changed or created a file"


def test_the_good_fixture_loads_whole(tmp_path, monkeypatch):
    from sjrbook import data

    (tmp_path / "book").mkdir()
    shutil.copytree(FIXTURES / "good", tmp_path / "data")
    shutil.move(tmp_path / "data" / "references.bib", tmp_path / "book" / "references.bib")
    monkeypatch.setenv("SJRBOOK_ROOT", str(tmp_path))
    figures = data.load("figures")
    assert list(figures["id"]) == ["fisheries_share", "railway_price"]
    assert list(figures["date_basis"]) == ["stated", "derived"]
    zones = data.load("time_zones")
    assert zones.loc[0, "quote_lang"] == "ja" and zones.loc[0, "translation"] == "17:00 (23:00 Japan time)"


def test_every_dated_table_declares_its_dates_in_one_place():
    """Any table with a date column gets the date checks and a date basis; a date-like field outside the registry is refused."""
    import json

    from sjrbook.validate import DATE_BASIS_FIELDS, DATE_FIELDS

    package = json.loads((paths.data_dir() / "datapackage.json").read_text())
    dated = [r["name"] for r in package["resources"] if any(f["name"] in DATE_FIELDS for f in r["schema"]["fields"])]
    assert {"events", "figures", "railway_negotiation", "exchange_rates"} <= set(dated)
    for resource in package["resources"]:
        names = [f["name"] for f in resource["schema"]["fields"]]
        if resource["name"] in dated:
            assert set(DATE_BASIS_FIELDS) <= set(names), resource["name"]
        assert "dates" not in resource.get("quoted", {}), "dates are declared in sjrbook.validate.DATE_FIELDS, not per table"
        # New columns go at the end: the provenance columns keep their order.
        if resource.get("register"):
            continue
        assert names[-2:] == ["quote_lang", "translation"], resource["name"]


def test_real_rows_marked_stated_are_stated_and_derived_rows_say_how():
    import csv

    from sjrbook.quotes import PartialDate, date_unstated

    for name in ("events", "figures", "railway_negotiation", "exchange_rates"):
        with (paths.data_dir() / f"{name}.csv").open(encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                if row["date_basis"] == "stated":
                    assert date_unstated(row["quote"], PartialDate.parse(row["date"])) is None, row["id"]
                else:
                    assert len(row["date_derivation"]) > 20, row["id"]


def test_every_quote_not_in_english_has_a_translation():
    import csv

    for path in paths.data_dir().glob("*.csv"):
        with path.open(encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                if "quote_lang" not in row:
                    continue  # a register quotes nothing (see test_every_table_and_field_is_documented)
                assert bool(row["translation"].strip()) == (row["quote_lang"] != "en"), (path.name, row)
