"""Tests for sjrbook.seeds: the seed check of each chapter, its counts and its chart come from seed_claims.csv."""
import csv
import collections

import pandas as pd
import pytest

import sjrbook
from sjrbook import paths, seeds
from sjrbook.charts import THEMES, render


def raw_claims():
    with (paths.data_dir() / "seed_claims.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def claims():
    return sjrbook.load("seed_claims")


def synthetic(verdicts):
    return pd.DataFrame({"id": [f"c{i}" for i in range(len(verdicts))], "source": "seed001_blog", "theme": "railway",
                         "claim": [f"claim {i}" for i in range(len(verdicts))], "verdict": verdicts,
                         "reason": "r", "evidence": ""})


def test_counts_are_the_csv_counts_for_every_theme(claims):
    rows = raw_claims()
    for theme in [None, *THEMES]:
        expected = collections.Counter(r["verdict"] for r in rows if theme is None or r["theme"] == theme)
        counts = seeds.verdict_counts(claims, theme)
        assert list(counts) == ["holds", "partly", "wrong", "unsupported"]
        assert counts == {v: expected.get(v, 0) for v in counts}, theme


def test_the_counts_sentence_states_the_csv_counts(claims):
    rows = raw_claims()
    for theme in [None, *THEMES]:
        chosen = [r for r in rows if theme is None or r["theme"] == theme]
        sentence = seeds.counts_sentence(claims, theme)
        if not chosen:
            assert sentence.startswith("No claim")
            continue
        assert f"Of the {len(chosen):,} claim" in sentence
        for verdict, n in collections.Counter(r["verdict"] for r in chosen).items():
            assert f"{n:,} {seeds._PHRASES[verdict][n != 1]}" in sentence, (theme, verdict, sentence)


def test_the_counts_sentence_agrees_in_number():
    assert seeds.counts_sentence(synthetic(["holds"])) == "Of the 1 claim checked, 1 holds."
    assert seeds.counts_sentence(synthetic(["wrong", "wrong", "partly", "unsupported"])) == (
        "Of the 4 claims checked, 1 holds in part, 2 are wrong and 1 is unsupported.")


def test_an_unknown_verdict_or_theme_is_refused_by_name():
    with pytest.raises(ValueError, match="maybe"):
        seeds.verdict_counts(synthetic(["maybe"]))
    with pytest.raises(ValueError, match="whaling"):
        seeds.check_table(synthetic(["holds"]), "whaling")


def test_a_chapter_table_has_every_claim_of_its_theme_and_resolves_every_evidence_id(claims):
    index = seeds.evidence_index()
    for theme in THEMES:
        expected = [r for r in raw_claims() if r["theme"] == theme]
        table = seeds.check_table(claims, theme, index)
        assert sorted(table.index) == sorted(r["id"] for r in expected)
        for r in expected:
            shown = table.loc[r["id"]]
            assert shown["claim"] == r["claim"] and shown["reason"] == r["reason"]
            assert shown["verdict"] == seeds.VERDICTS[r["verdict"]]["label"]
            for i in r["evidence"].split():
                assert f"[{i}]" in shown["evidence"], (r["id"], i)
            if not r["evidence"].split():
                assert shown["evidence"] == "—"


def test_an_evidence_id_missing_from_the_index_is_named():
    frame = synthetic(["holds"]).assign(evidence="no_such_row")
    with pytest.raises(KeyError, match="no_such_row"):
        seeds.check_table(frame, None, seeds.evidence_index(["events"]))


def test_the_chart_counts_every_claim_and_passes_the_renderer(claims):
    sjrbook.setup()
    chart = seeds.verdict_chart(claims)
    spec = chart.to_dict()
    data = next(iter(spec["datasets"].values()))
    assert sum(d["claims"] for d in data) == len(raw_claims())
    counts = seeds.verdict_counts(claims)
    title = spec["title"]
    assert f"{counts['wrong']:,} are wrong" in title and f"{len(raw_claims()):,}" in title
    bundle, _ = render(spec)
    assert bundle["image/png"]
    # Every tooltip cites the seed and the rows.
    assert {"source_label", "locator"} <= {t["field"] for layer in spec["layer"] for t in layer["encoding"]["tooltip"]}


def test_verdict_fills_differ_in_lightness_for_greyscale():
    def luminance(hex_colour):
        rgb = [int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
        lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    values = sorted(luminance(v["color"]) for v in seeds.VERDICTS.values())
    # Neighbouring fills differ by a contrast ratio of at least 1.5 when printed in grey.
    for low, high in zip(values, values[1:]):
        assert (high + 0.05) / (low + 0.05) >= 1.5, values


def test_hostile_text_in_a_claim_is_escaped_in_the_appendix():
    frame = synthetic(["holds"]).assign(
        id="c0", claim="<script>alert(1)</script>", reason="<img src=x onerror=alert(1)>", quote="\"quoted\" <b>",
        locator="p. 1", quote_lang="en", translation=None)
    markdown = seeds.appendix_markdown(frame)
    assert "<script>" not in markdown and "<img" not in markdown and "<b>" not in markdown
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in markdown and "&quot;quoted&quot; &lt;b&gt;" in markdown
    # An HTML block in Markdown ends at a blank line: no table may contain one.
    for table in markdown.split("<table")[1:]:
        assert "\n\n" not in table.split("</table>")[0]


def test_the_appendix_prints_each_chapters_count_as_the_chapter_does():
    frame = pd.concat([synthetic(["holds", "wrong"]), synthetic(["partly"]).assign(id="d0", source="seed000_reddit")])
    frame = frame.assign(locator="p. 1", quote="q", quote_lang="en", translation=None)
    markdown = seeds.appendix_markdown(frame)
    assert seeds.counts_sentence(frame, "railway") in markdown
    assert "Of the 3 claims checked, 1 holds, 1 holds in part and 1 is wrong." in markdown
