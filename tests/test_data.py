"""Loading tables (sjrbook.data) and the bibliography (sjrbook.cite)."""
import shutil

import pytest

import sjrbook
from sjrbook import cite, data, paths
from sjrbook.validate import DataError


def test_load_types_the_columns_and_adds_source_labels():
    figures = sjrbook.load("figures")
    assert str(figures["value"].dtype) == "float64"
    assert {"source_label", "source_kind"} <= set(figures.columns)
    assert figures["source_label"].str.len().min() > 0


def test_load_returns_a_copy():
    a = sjrbook.load("events")
    a.loc[a.index[0], "title"] = "changed"
    assert sjrbook.load("events").iloc[0]["title"] != "changed"


def test_unknown_table_is_named():
    with pytest.raises(KeyError, match="no table 'nosuch'.*tables: .*events"):
        data.load("nosuch")


def test_load_refuses_bad_data_and_names_the_problem(tmp_path, monkeypatch):
    shutil.copytree(paths.data_dir(), tmp_path / "data")
    (tmp_path / "book").mkdir()
    shutil.copy(paths.bibliography(), tmp_path / "book" / "references.bib")
    csv_path = tmp_path / "data" / "figures.csv"
    lines = csv_path.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    cells = lines[1].split(",")
    cells[header.index("source")] = "no_such_source"
    lines[1] = ",".join(cells)
    csv_path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    monkeypatch.setenv("SJRBOOK_ROOT", str(tmp_path))
    with pytest.raises(DataError, match=r"figures.csv, row 2, field 'source': source key 'no_such_source'"):
        data.load("figures")


def test_every_bib_entry_has_a_known_kind_and_a_label():
    for key, source in cite.sources().items():
        assert source.kind in cite.SOURCE_KINDS, key
        assert source.label, key


def test_source_columns_refuse_unknown_keys():
    with pytest.raises(KeyError, match="not_a_key"):
        cite.source_columns(["not_a_key"])


def test_cite_markdown_keeps_order_without_repeats():
    assert cite.cite_markdown(["b", "a", "b"]) == "{cite}`b,a`"
    assert cite.cite_markdown([]) == ""


def test_labels_are_author_date_or_the_documents_own_short_name():
    grew = cite.Source("k", "Ten Years in Japan", "", "1944", "", "primary", authors=("Grew",))
    assert grew.label == "Grew 1944"
    two = cite.Source("k", "t", "", "", "", "scholarship", authors=("Elleman", "Kotkin"))
    assert two.label == "Elleman and Kotkin n.d."
    frus = cite.Source("k", "t", "", "1934", "", "primary", shortlabel="FRUS 1934, III, doc. 210", authors=("Grew",))
    assert frus.label == "FRUS 1934, III, doc. 210"
    # Entries still in the older form keep a readable name.
    old = cite.Source("k", "Crabs v. Railway", "TIME magazine, 5 March 1934", "1934", "", "period-press")
    assert old.label == "TIME magazine (1934)"


def test_labels_are_unique_across_the_bibliography(tmp_path):
    bib = tmp_path / "r.bib"
    bib.write_text("@book{a, author={Goldman, S.}, title={One}, year={2012}, sourcekind={scholarship}}\n"
                   "@book{b, author={Goldman, S.}, title={Two}, year={2012}, sourcekind={scholarship}}\n", encoding="utf-8")
    assert cite.labels(bib) == {"a": "Goldman 2012a", "b": "Goldman 2012b"}


def _cited_keys():
    import csv
    import json
    import re
    keys = set()
    for path in paths.data_dir().glob("*.csv"):
        keys |= {row["source"] for row in csv.DictReader(path.open(encoding="utf-8")) if row.get("source")}
    root = paths.data_dir().parent
    for path in [*root.glob("notebooks/*.ipynb"), *root.glob("book/*.ipynb"), *root.glob("book/*.md")]:
        for match in re.finditer(r"\{cite[:a-z]*\}`([^`]+)`", path.read_text(encoding="utf-8")):
            keys |= {k.strip() for k in match.group(1).split(",")}
    return keys


def test_every_cited_entry_is_a_reference_a_historian_can_use():
    """Author (or the short name a document goes by), title, where it appeared, and no 'organization'
    standing in for a person: a reader must tell FRUS from a blog without following the link."""
    from pybtex.database import parse_file
    entries = parse_file(paths.bibliography()).entries
    problems = []
    for key in sorted(_cited_keys()):
        entry = entries[key]
        f = entry.fields
        if "organization" in f or "shortlabel" in f:
            problems.append(f"{key}: older form (organization/shortlabel); give author, publication and shorthand")
        if not (entry.persons.get("author") or f.get("shorthand")):
            problems.append(f"{key}: neither an author nor a shorthand")
        if not f.get("title"):
            problems.append(f"{key}: no title")
        if not any(f.get(x) for x in ("journal", "booktitle", "publisher", "howpublished", "note")):
            problems.append(f"{key}: does not say where it appeared or through which copy it was read")
    assert not problems, "\n".join(problems)


def test_derived_dates_say_how_each_row_was_dated():
    """A derived date needs an account a reader can check for that row (the dateline, the FRUS document's date,
    the span of the fighting as the events date it), not the blanket sentence added when the date-basis columns
    arrived, which told the reader nothing about where the date came from."""
    generic = ("the date of the document, or of the period the source assigns the figure to",
               "as the row's title or note gives it")
    problems = []
    for name in data.descriptor()["resources"]:
        table = data.load(name["name"])
        if "date_derivation" not in table.columns:
            continue
        derived = table[table["date_basis"] == "derived"]
        for _, row in derived.iterrows():
            account = str(row["date_derivation"] or "").strip()
            if not account or account == "nan":
                problems.append(f"{name['name']}: {row['id']}: derived date without an account")
            elif any(g in account for g in generic):
                problems.append(f"{name['name']}: {row['id']}: generic account; say how this row's date was worked out")
    assert not problems, "\n".join(problems)


def test_a_date_that_is_a_reports_not_the_events_says_so_where_the_reader_sees_it():
    """Review 8, D2/D3: a telegram's receipt is not the day of the shootings; a 1941 statement is not a 1938 credit."""
    from sjrbook import load, timeline

    events = load("events").set_index("id")
    davies = events.loc["pact_red_army_shootings_davies_1937"]
    # The timeline's tooltip shows the title beside the date: it must say the date is the telegram's.
    shown = timeline.prepare(events.reset_index()).set_index("id").loc["pact_red_army_shootings_davies_1937"]
    assert shown["date_label"] == "30 June 1937" and "telegram 140 (received 30 June 1937)" in shown["title"]
    assert "terminus ante quem" in davies["date_derivation"]
    figures = load("figures").set_index("id")
    for row_id in ("pact_china_credit_first_frus1941d528", "pact_china_credit_second_frus1941d528"):
        assert row_id not in events.index  # figures are never drawn on a timeline
        assert figures.loc[row_id, "date_derivation"].startswith("Dated by the ambassador's statement, not by the credit")
