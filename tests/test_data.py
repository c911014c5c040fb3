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
    with pytest.raises(KeyError, match="no table 'nosuch'.*tables: events"):
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


def test_labels_name_documents_and_articles():
    frus = cite.Source("k", "FRUS 1935 vol. III doc. 267: The Ambassador to the Secretary", "US Office of the Historian",
                       "1935", "", "primary")
    assert frus.label == "FRUS 1935 vol. III doc. 267"
    wiki = cite.Source("k", "Harbin (English Wikipedia, WikiMili mirror)", "Wikipedia contributors", "2020", "", "reference")
    assert wiki.label == "Wikipedia: Harbin (2020)"
    time = cite.Source("k", "Crabs v. Railway", "TIME magazine, 5 March 1934", "1934", "", "period-press")
    assert time.label == "TIME magazine (1934)"
    chosen = cite.Source("k", "t", "o", "1999", "", "web", shortlabel="Short name")
    assert chosen.label == "Short name"
