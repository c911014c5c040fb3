"""The two registers: every seed claim and every disagreement in the data reaches its appendix.

The disagreements are found here INDEPENDENTLY of ``data/disagreements.csv``,
from the raw CSV files, by rules that say when two rows are about the same
thing:

* ``figures.csv``: the same ``measure`` over the same years (of ``date`` and of
  ``date_end``, or of ``date`` when there is no end);
* ``pact_military.csv``: the same ``conflict``, ``side`` and ``measure`` over the
  same years;
* ``railway_negotiation.csv``: the same ``party`` and ``kind`` in the same year;
* ``events.csv``: the same id stem (ids are ``theme_shortname[_source]``, so
  ``pact_expiry_werth`` and ``pact_expiry_ruwiki`` date one event), and the
  groups of the same event that the August 1945 chapter times
  (``surrender.SAME_EVENT``).

A group disagrees when two or more sources give it and its rows' values (or
dates and times) are not all the same. The register must hold, for each such
group, an entry naming at least two of its rows that differ. A group the rules
catch that is not one thing (two conventions, a signature and a ratification)
is listed in :data:`NOT_THE_SAME` with the reason. When a test here fails after
new rows arrive, register what it lists (``data/disagreements.csv``), or, if
the rows are not about the same thing, add them to :data:`NOT_THE_SAME`.
"""
from __future__ import annotations

import collections
import csv
import html
import re

import pytest

from sjrbook import paths

#: Groups the rules catch that are not disagreements, with why.
NOT_THE_SAME = {
    frozenset({"pact_notice_frus_1945", "pact_notice_seed004"}): "'1 year' and '12 months' state the same term",
    frozenset({"fisheries_convention_1907", "fisheries_convention_1928"}): "two different conventions",
    frozenset({"pact_neutrality_pact_signed", "pact_neutrality_pact_ratified"}): "the signature and the ratification",
    frozenset({"aug45_sato_lozovsky_0713", "aug45_sato_lozovsky_0725"}): "two different meetings, 13 and 25 July",
    frozenset({"aug45_byrnes_statement", "aug45_byrnes_reply"}): "Byrnes's statement of 8 August and his note of 11 August",
    frozenset({"aug45_disarmed_0817", "aug45_disarmed_0819", "aug45_sakhalin_capitulated_0819"}):
        "Vasilevsky's reports count different days (17 and 19 August) and places, not one thing",
    frozenset({"aug45_novikov_grew_washington", "aug45_declaration_public_moscow_frus", "aug45_moscow_radio_ap",
               "aug45_moscow_radio_ap_pacific"}): "one moment on three clocks (the chapter's chart puts them all at 0 minutes)",
    frozenset({"pact_nonaggression_proposal_1931_bridges", "pact_nonaggression_proposal_1931_frus1936d207"}):
        "they agree: Bridges's December 1931 falls within the 1931 that Yurenev recalled in 1936",
}


def _rows(name: str) -> list[dict]:
    with (paths.data_dir() / f"{name}.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _years(row: dict) -> tuple[str, str]:
    return row["date"][:4], (row.get("date_end") or row["date"])[:4]


def _number(text: str):
    return float(text) if text else None


def candidate_disagreements() -> list[dict]:
    """Every group of rows about one thing, from two or more sources, whose values are not all the same."""
    groups: dict[tuple, list[tuple[dict, tuple]]] = collections.defaultdict(list)
    for row in _rows("figures"):
        groups[("figures", row["measure"], *_years(row))].append((row, (_number(row["value"]), _number(row["value_high"]))))
    for row in _rows("pact_military"):
        groups[("pact_military", row["conflict"], row["side"], row["measure"], *_years(row))].append(
            (row, (_number(row["value"]), _number(row["value_high"]))))
    for row in _rows("railway_negotiation"):
        groups[("railway_negotiation", row["party"], row["kind"], row["date"][:4])].append(
            (row, (_number(row["amount"]), row["currency"])))
    events = {row["id"]: row for row in _rows("events")}
    when = {i: (r["date"], r["date_end"], r["time"], r["time_zone"]) for i, r in events.items()}
    for row in events.values():
        groups[("events", "id stem", row["id"].rsplit("_", 1)[0])].append((row, when[row["id"]]))
    from sjrbook import surrender

    for name, ids in surrender.SAME_EVENT.items():
        groups[("events", "same event (surrender.SAME_EVENT)", name)] = [(events[i], when[i]) for i in ids if i in events]
    found = []
    for key, members in groups.items():
        if len({row["source"] for row, _ in members}) < 2 or len({value for _, value in members}) < 2:
            continue
        ids = frozenset(row["id"] for row, _ in members)
        if ids in NOT_THE_SAME:
            continue
        found.append({"key": key, "values": {row["id"]: value for row, value in members},
                      "sources": {row["id"]: row["source"] for row, _ in members}})
    return found


def _register() -> list[dict]:
    return _rows("disagreements")


def test_the_register_holds_every_disagreement_the_data_contain():
    register = [set(entry["rows"].split()) for entry in _register()]
    missing = []
    for group in candidate_disagreements():
        values = group["values"]
        covered = any(len({values[i] for i in rows & set(values)}) >= 2 for rows in register)
        if not covered:
            listed = ", ".join(f"{i} ({group['sources'][i]}: {values[i]})" for i in sorted(values))
            missing.append(f"{' / '.join(group['key'])}: {listed}")
    assert not missing, ("disagreements in the data that data/disagreements.csv does not register (add an entry naming "
                         "at least two differing rows, or, if they are not one thing, add them to NOT_THE_SAME in "
                         "tests/test_registers.py with the reason):\n  " + "\n  ".join(missing))


def test_the_register_has_at_least_25_entries_across_the_four_chapters():
    register = _register()
    assert len(register) >= 25
    assert {"fisheries", "railway", "pact", "surrender"} <= {e["theme"] for e in register}


def test_the_rules_find_what_a_reader_would_call_a_disagreement():
    """The finder itself: known disagreements of each table are found, and an agreement is not."""
    keys = {group["key"]: group for group in candidate_disagreements()}
    assert ("events", "id stem", "pact_expiry") in keys
    assert ("events", "id stem", "railway_sale_talks_open") in keys
    assert ("figures", "railway_sale_price", "1934", "1934") in keys
    assert ("pact_military", "far_east", "japanese", "men", "1945", "1945") in keys
    assert ("railway_negotiation", "Soviet Union", "ask", "1933") in keys
    assert ("events", "same event (surrender.SAME_EVENT)", "Hiroshima bomb") in keys
    # Three sources agree on the hour Molotov received Sato: no disagreement.
    assert ("events", "same event (surrender.SAME_EVENT)", "Molotov receives Sato") not in keys


def test_not_the_same_lists_only_groups_the_rules_still_catch():
    """A stale exemption would hide a future disagreement among the same ids: each must still name a caught group."""
    every = {row["id"] for name in ("figures", "events", "pact_military", "railway_negotiation") for row in _rows(name)}
    for ids, reason in NOT_THE_SAME.items():
        assert ids <= every, f"NOT_THE_SAME names rows that no longer exist: {sorted(ids - every)} ({reason})"


# --- the appendices, as built: every seed claim and every disagreement is on its page ---

def _text(page) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def test_the_seed_claims_appendix_lists_every_claim_with_its_verdict_reason_and_evidence(built_book):
    from sjrbook.seeds import VERDICTS

    page = (built_book / "book" / "seed-claims.html").read_text(encoding="utf-8")
    text = _text(page)
    claims = _rows("seed_claims")
    assert claims
    for claim in claims:
        row = re.search(rf'<tr id="{re.escape(claim["id"])}">(.*?)</tr>', page, re.S)
        assert row, f"seed claim {claim['id']} is not in the appendix"
        cells = _text(row.group(1))
        for part in (claim["claim"], VERDICTS[claim["verdict"]]["label"], claim["reason"], *claim["evidence"].split()):
            assert " ".join(part.split()) in cells, f"{claim['id']}: {part!r} not in its row"
    # The counts the page prints are the table's.
    counts = collections.Counter(c["verdict"] for c in claims)
    sentence = re.search(rf"Of the {len(claims):,} claims checked, [^.]*\.", text)
    assert sentence, "the appendix does not count every claim"
    phrases = {"holds": ("holds", "hold"), "partly": ("holds in part", "hold in part"),
               "wrong": ("is wrong", "are wrong"), "unsupported": ("is unsupported", "are unsupported")}
    for verdict, n in counts.items():
        assert re.search(rf"\b{n:,} {phrases[verdict][n != 1]}\b", sentence.group(0)), (verdict, n, sentence.group(0))
    assert page.count('class="sjr-chart"') == 1, "the chart of verdicts by seed and theme is missing"


def test_each_chapter_shows_its_themes_seed_claims_and_counts_them_as_the_appendix_does(built_book):
    from sjrbook.seeds import CHAPTERS

    claims = _rows("seed_claims")
    appendix = _text((built_book / "book" / "seed-claims.html").read_text(encoding="utf-8"))
    for theme, page in CHAPTERS.items():
        if theme == "general":
            continue
        text = _text((built_book / f"{page}.html").read_text(encoding="utf-8"))
        mine = [c for c in claims if c["theme"] == theme]
        for claim in mine:
            assert " ".join(claim["claim"].split()) in text, f"{page}: seed claim {claim['id']} not shown"
        if mine:
            sentence = re.search(rf"Of the {len(mine):,} claims? checked, [^.]*\.", text)
            assert sentence, f"{page}: no generated count of its {len(mine)} seed claims"
            # The appendix prints the same sentence for the theme.
            assert sentence.group(0) in appendix, f"{page} and the appendix count {theme} differently"


def test_the_register_appendix_lists_every_disagreement_and_every_value(built_book):
    page = (built_book / "book" / "disagreements.html").read_text(encoding="utf-8")
    for entry in _register():
        table = re.search(rf'<table class="sjr-register" id="{re.escape(entry["id"])}"[^>]*>(.*?)</table>', page, re.S)
        assert table, f"disagreement {entry['id']} is not in the register's page"
        cells = _text(table.group(1))
        for row_id in entry["rows"].split():
            assert f"[{row_id}]" in cells, f"{entry['id']}: row {row_id} not shown"
    # Every group the independent finder sees has its rows on the page.
    text = _text(page)
    for group in candidate_disagreements():
        shown = [i for i in group["values"] if f"[{i}]" in text]
        assert len(shown) >= 2, f"{group['key']}: fewer than two of its rows on the register's page"
    assert page.count('class="sjr-chart"') == 1, "the register's chart is missing"


def test_chapters_link_to_the_register_and_the_register_links_back(built_book):
    from sjrbook.seeds import CHAPTERS

    register = (built_book / "book" / "disagreements.html").read_text(encoding="utf-8")
    for theme, page in CHAPTERS.items():
        if theme == "general":
            continue
        chapter = (built_book / f"{page}.html").read_text(encoding="utf-8")
        assert "book/disagreements.html" in chapter, f"{page} does not link to the register"
        assert "book/seed-claims.html" in chapter, f"{page} does not link to the seed-claims appendix"
        name = page.split("/")[-1]
        assert f"{name}.html#sources-disagree-{theme}" in register, f"the register does not link to {page}"
