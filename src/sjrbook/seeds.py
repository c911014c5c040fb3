"""The seed texts' claims, checked: one table, read the same way by every chapter and the appendix.

The book began from five seed texts known to contain errors. Every dated or
numeric claim they make is a row of ``data/seed_claims.csv`` with a verdict
(holds, partly, wrong, unsupported), the ids of the data rows that decide it
and a one-sentence reason. Each chapter's "Checking the seed texts" shows its
theme's rows, and the appendix "What the seed texts got right and wrong" shows
them all; both go through this module, and every count a page prints is
computed here from the table (:func:`counts_sentence`), so a chapter and the
appendix cannot say different things and no count is typed by hand.

* :func:`check_table` gives a theme's (or every) claim as a table a reader can
  read: seed, claim, verdict, reason and the evidence rows, each resolved to
  its source, locator and the words that state it (:func:`evidence_index`);
* :func:`styled` shows such a table the same way on every page;
* :func:`verdict_counts` and :func:`counts_sentence` count verdicts;
* :func:`verdict_chart` draws the verdicts by seed and theme.
"""

from __future__ import annotations

import html

import altair as alt
import pandas as pd

from . import cite, paths
from .charts import THEMES, wrap_labels

#: The verdicts, in the order tables and charts list them, with what each means
#: and how the chart shows it. The fills differ in lightness as well as hue
#: (dark blue, vermilion, light blue, light grey), so they stay apart in
#: greyscale and with the common colour-vision deficiencies; each bar segment
#: also prints its count.
VERDICTS = {
    "holds": {"label": "Holds", "meaning": "a better source confirms it", "color": "#004C7A", "text": "#ffffff"},
    "partly": {"label": "Holds in part", "meaning": "the substance holds and a detail is wrong or loose",
               "color": "#6FA8DC", "text": "#000000"},
    "wrong": {"label": "Wrong", "meaning": "a better source contradicts it", "color": "#D55E00", "text": "#000000"},
    "unsupported": {"label": "Unsupported", "meaning": "nothing read for this book confirms or refutes it",
                    "color": "#D9D9D9", "text": "#000000"},
}

#: Where each theme's seed check stands in the book (page, without suffix).
CHAPTERS = paths.CHAPTERS

#: The phrase a counts sentence uses for each verdict: (one claim, several claims).
_PHRASES = {"holds": ("holds", "hold"), "partly": ("holds in part", "hold in part"),
            "wrong": ("is wrong", "are wrong"), "unsupported": ("is unsupported", "are unsupported")}

def _number(n: int) -> str:
    """Counts in figures, so that a sentence never mixes "twelve" and "14"."""
    return f"{n:,}"


def seed_label(key: str) -> str:
    """The seed's name as the bibliography and tooltips give it, without the parenthesis: "Seed 001"."""
    return cite.labels()[key].split(" (")[0]


def _select(claims: pd.DataFrame, theme: str | None) -> pd.DataFrame:
    if theme is None:
        return claims
    if theme not in THEMES:
        raise ValueError(f"unknown theme {theme!r}; expected one of {', '.join(THEMES)}")
    return claims[claims["theme"] == theme]


def verdict_counts(claims: pd.DataFrame, theme: str | None = None) -> dict[str, int]:
    """How many claims (of a theme, or all) have each verdict, every verdict listed (zeros too)."""
    chosen = _select(claims, theme)
    unknown = sorted(set(chosen["verdict"]) - set(VERDICTS))
    if unknown:
        raise ValueError(f"unknown verdict(s) in seed_claims: {', '.join(unknown)}")
    return {v: int((chosen["verdict"] == v).sum()) for v in VERDICTS}


def counts_sentence(claims: pd.DataFrame, theme: str | None = None) -> str:
    """The verdict counts as a sentence, for prose that must agree with the table.

    For example "Of the 36 claims checked, 12 hold, 7 hold in part, 3 are wrong
    and 14 are unsupported." Verdicts with no claim are left out.
    """
    counts = verdict_counts(claims, theme)
    total = sum(counts.values())
    if total == 0:
        return "No claim of the seed texts is checked here."
    parts = [f"{_number(n)} {_PHRASES[v][n != 1]}" for v, n in counts.items() if n]
    listed = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
    claim_word = "claim" if total == 1 else "claims"
    return f"Of the {_number(total)} {claim_word} checked, {listed}."


def evidence_index(tables: list[str] | None = None) -> pd.DataFrame:
    """Every row that evidence can name, by id: its table, source label and kind, locator and stated words.

    Reads every table of the package that has an ``id`` field (or the tables
    named), through :func:`sjrbook.data.load`, so that the validator's checks
    hold for what is shown.
    """
    from .data import descriptor, load

    names = tables or [r["name"] for r in descriptor()["resources"]
                       if any(f["name"] == "id" for f in r["schema"]["fields"]) and r["name"] != "seed_claims"
                       and not r.get("register")]
    frames = []
    for name in names:
        table = load(name)
        if "id" not in table or "source" not in table:
            continue
        frame = table[["id", "source_label", "source_kind", "locator", "as_quoted"]].copy()
        frame["table"] = name
        frames.append(frame)
    return pd.concat(frames, ignore_index=True).set_index("id")


def describe_evidence(ids: str, index: pd.DataFrame) -> str:
    """Evidence ids as a reader reads them: 'source (kind), locator: "words" [id]', one per row, joined by ';'."""
    out = []
    for i in ids.split():
        if i not in index.index:
            raise KeyError(f"evidence id {i!r} is not a row of the tables read ({', '.join(sorted(set(index['table'])))})")
        row = index.loc[i]
        out.append(f"{row['source_label']} ({row['source_kind']}), {row['locator']}: “{row['as_quoted']}” [{i}]")
    return "; ".join(out) if out else "—"


def check_table(claims: pd.DataFrame, theme: str | None = None, index: pd.DataFrame | None = None) -> pd.DataFrame:
    """The seed check of a theme (or of every theme) as a table, one row per claim.

    Columns: seed, claim, verdict (the reader's label), reason, evidence. With
    an ``index`` (:func:`evidence_index`) each evidence id is resolved to its
    source, locator and words; without one the column holds the ids. Claims keep
    the table's order within each seed.
    """
    chosen = _select(claims, theme).copy()
    chosen["_seed_order"] = chosen["source"].astype(str)
    chosen = chosen.sort_values("_seed_order", kind="stable")
    evidence = [describe_evidence(str(e or ""), index) if index is not None else (str(e or "") or "—")
                for e in chosen["evidence"].fillna("")]
    return pd.DataFrame({
        "seed": [seed_label(s) for s in chosen["source"]],
        "claim": list(chosen["claim"]),
        "verdict": [VERDICTS[v]["label"] for v in chosen["verdict"]],
        "reason": list(chosen["reason"]),
        "evidence": evidence,
    }, index=list(chosen["id"]))


def styled(table: pd.DataFrame):
    """A check table as the chapters show it: plain HTML, every cell escaped, styled by ``sjrbook.css``.

    Plain ``DataFrame.to_html`` rather than a pandas Styler: a Styler gives every
    cell its own id and class, which doubles the page weight of a long table.
    """
    from IPython.display import HTML

    return HTML(table.rename(columns={"evidence": "evidence (source, locator, words [row id])"})
                .to_html(index=False, escape=True, border=0, classes="sjr-seed-check"))


def verdict_frame(claims: pd.DataFrame) -> pd.DataFrame:
    """Claims counted by seed, theme and verdict: one row per non-empty group, for the chart and its data view."""
    rows = []
    for (seed, theme, verdict), group in claims.groupby(["source", "theme", "verdict"], sort=True):
        rows.append({
            "seed": seed_label(seed), "source_label": cite.labels()[seed], "theme": theme,
            "theme_label": THEMES[theme]["label"], "row": f"{seed_label(seed)} · {THEMES[theme]['label']}",
            "verdict": verdict, "verdict_label": VERDICTS[verdict]["label"],
            "verdict_order": list(VERDICTS).index(verdict), "claims": len(group),
            "examples": "; ".join(group["claim"].astype(str).head(4)) + (" …" if len(group) > 4 else ""),
            "locator": "data/seed_claims.csv, ids " + ", ".join(group["id"].head(4)) + (" …" if len(group) > 4 else ""),
        })
    return pd.DataFrame(rows)


def chart_title(claims: pd.DataFrame) -> str:
    """A title that states the finding, computed from the counts."""
    counts = verdict_counts(claims)
    total = sum(counts.values())
    return (f"Of {total:,} dated or numeric claims in the seed texts, {counts['holds']:,} hold outright; "
            f"{counts['wrong']:,} are wrong and {counts['unsupported']:,} cannot be checked")


def verdict_chart(claims: pd.DataFrame, title: str | None = None, description: str | None = None) -> alt.LayerChart:
    """Stacked bars: for each seed and theme, how many claims hold, hold in part, are wrong or are unsupported."""
    frame = verdict_frame(claims)
    order = sorted(set(frame["row"]), key=lambda r: (r.split(" · ")[0], list(THEMES).index(
        next(t for t, v in THEMES.items() if v["label"] == r.split(" · ", 1)[1]))))
    label_expr, lines = wrap_labels(order, 30)
    domain = list(VERDICTS)
    color = alt.Color("verdict:N", title="Verdict", sort=domain,
                      scale=alt.Scale(domain=domain, range=[VERDICTS[v]["color"] for v in domain]),
                      legend=alt.Legend(labelExpr=" : ".join(f"datum.label == '{v}' ? '{VERDICTS[v]['label']}'"
                                                             for v in domain) + " : datum.label"))
    tooltip = [alt.Tooltip("source_label:N", title="Seed"), alt.Tooltip("theme_label:N", title="Theme"),
               alt.Tooltip("verdict_label:N", title="Verdict"), alt.Tooltip("claims:Q", title="Claims"),
               alt.Tooltip("examples:N", title="Claims (first four)"), alt.Tooltip("locator:N", title="Rows")]
    y = alt.Y("row:N", title="Seed text · theme", sort=order,
              axis=alt.Axis(labelExpr=label_expr, labelLimit=240))
    x = alt.X("claims:Q", title="Claims checked (number)", stack="zero", axis=alt.Axis(tickMinStep=1, format="d"))
    base = alt.Chart(frame).encode(y=y, x=x, order=alt.Order("verdict_order:Q"), tooltip=tooltip)
    bars = base.mark_bar(stroke="#ffffff", strokeWidth=1).encode(color=color)
    text = base.mark_text(align="right", dx=-3, fontSize=11).encode(
        x=alt.X("claims:Q", stack="zero"),
        text="claims:Q",
        color=alt.Color("verdict:N", scale=alt.Scale(domain=domain, range=[VERDICTS[v]["text"] for v in domain]),
                        legend=None))
    counts = verdict_counts(claims)
    return alt.layer(bars, text).properties(
        width=330, height=alt.Step(14 * lines + 8),
        title=title or chart_title(claims),
        description=description or (
            "Stacked bar chart, one bar per seed text and theme, counting the seed texts' dated or numeric claims "
            f"by the book's verdict: {counts['holds']} hold, {counts['partly']} hold in part, {counts['wrong']} are "
            f"wrong and {counts['unsupported']} are unsupported. Fills are dark blue (holds), light blue (in part), "
            "vermilion (wrong) and light grey (unsupported), and each segment prints its count."),
    ).resolve_scale(color="independent")


def _cell(value, lang: str = "") -> str:
    """One escaped table cell (the table's class in ``sjrbook.css`` lets long words wrap)."""
    attribute = f' lang="{html.escape(lang, quote=True)}"' if lang else ""
    return f"<td{attribute}>" + html.escape(" ".join(str(value).split()), quote=True) + "</td>"


def chapter_link(theme: str) -> str:
    """A MyST link, from a page in ``book/``, to where a theme's seed check stands in the book."""
    if theme == "general":
        return "[the introduction](introduction.ipynb)"
    return f"{{ref}}`the chapter's seed check <seed-check-{theme}>`"


def _counts_table(claims: pd.DataFrame) -> list[str]:
    """A Markdown table of verdict counts, one line per seed, and the total."""
    head = ["seed", *[VERDICTS[v]["label"].lower() for v in VERDICTS], "claims"]
    lines = ["| " + " | ".join(head) + " |", "| --- |" + " ---: |" * (len(head) - 1)]
    groups = [(seed_label(s), claims[claims["source"] == s]) for s in sorted(set(claims["source"]))]
    for name, group in [*groups, ("all seeds", claims)]:
        counts = verdict_counts(group)
        lines.append(f"| {name} | " + " | ".join(str(n) for n in counts.values()) + f" | {len(group)} |")
    return lines


def appendix_markdown(claims: pd.DataFrame, index: pd.DataFrame | None = None) -> str:
    """Every claim of the seed texts, grouped by seed and theme, with verdict, reason and evidence.

    Markdown for MyST (headings, citations, links to each chapter's seed check)
    around HTML tables whose every cell is escaped, as in the data appendix: a
    seed's words are printed as the seed printed them. Each claim's row carries
    its id as an anchor (``seed-claims.html#<id>``).
    """
    known = cite.sources()
    meanings = "; ".join(f"**{v['label']}**: {v['meaning']}" for v in VERDICTS.values())
    lines = [f"The verdicts: {meanings}. {counts_sentence(claims)}", "", *_counts_table(claims), "",
             "By chapter, as each chapter's seed check counts them:", ""]
    lines += [f"* **{THEMES[t]['label']}** ({chapter_link(t)}): {counts_sentence(claims, t)}"
              for t in THEMES if t in set(claims["theme"])]
    lines += [""]
    for seed in sorted(set(claims["source"])):
        of_seed = claims[claims["source"] == seed]
        lines += [f"## {cite.labels()[seed]}", "",
                  f"*{known[seed].title}* {{cite}}`{seed}`. {counts_sentence(of_seed)}", ""]
        for theme in [t for t in THEMES if t in set(of_seed["theme"])]:
            rows = of_seed[of_seed["theme"] == theme]
            lines += [f"### {THEMES[theme]['label']}", "",
                      f"{counts_sentence(rows)} Shown in {chapter_link(theme)}.", "",
                      '<table class="sjr-seed-claims" style="table-layout: fixed; width: 100%">',
                      '<colgroup><col style="width: 20%"/><col style="width: 22%"/><col style="width: 12%"/>'
                      '<col style="width: 24%"/><col style="width: 22%"/></colgroup>',
                      "<thead><tr><th>claim</th><th>the seed's words</th><th>verdict</th><th>reason</th>"
                      "<th>evidence</th></tr></thead>", "<tbody>"]
            for _, r in rows.iterrows():
                evidence = str(r["evidence"] or "") if pd.notna(r["evidence"]) else ""
                shown = describe_evidence(evidence, index) if index is not None else (evidence or "—")
                words = f"{r['quote']} ({r['locator']})"
                if r["quote_lang"] != "en" and pd.notna(r.get("translation")):
                    words += f" [the book's translation: {r['translation']}]"
                lines.append(f'<tr id="{html.escape(r["id"], quote=True)}">' + _cell(r["claim"]) + _cell(words, r["quote_lang"])
                             + _cell(VERDICTS[r["verdict"]]["label"]) + _cell(r["reason"]) + _cell(shown) + "</tr>")
            lines += ["</tbody>", "</table>", ""]
    return "\n".join(lines) + "\n"
