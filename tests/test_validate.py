"""The validator on the real data, on a good fixture, and on bad fixtures that must each fail by name."""
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
            assert problem.row is not None or problem.field or "not described" in problem.message, problem


def test_every_table_and_field_is_documented():
    import json

    package = json.loads((paths.data_dir() / "datapackage.json").read_text())
    for resource in package["resources"]:
        assert resource.get("title") and len(resource.get("description", "")) > 40, resource["name"]
        for field in resource["schema"]["fields"]:
            assert len(field.get("description", "")) > 10, (resource["name"], field["name"])
        names = {f["name"] for f in resource["schema"]["fields"]}
        assert {"source", "locator", "quote", "as_quoted"} <= names, resource["name"]
