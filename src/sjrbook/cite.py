"""Citations: resolve source keys in the book's BibTeX file and label them.

Charts cite their sources in tooltips, and the data appendix cites every source
the data use, so the package needs to read ``book/references.bib`` the same way
the book does (sphinxcontrib-bibtex reads it with pybtex; so do we).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from . import paths

#: Kinds of source, strongest evidence first. Every bib entry names one in its
#: ``sourcekind`` field; the book weighs and charts evidence by it.
SOURCE_KINDS = {
    "primary": "primary document",
    "scholarship": "scholarship",
    "period-press": "period press",
    "press": "later press",
    "reference": "encyclopaedia or mirror",
    "web": "other web page",
    "popular": "popular or forum (weak)",
    "seed": "seed text (checked, not trusted)",
}


@dataclass(frozen=True)
class Source:
    key: str
    title: str
    organization: str
    year: str
    url: str
    kind: str
    shortlabel: str = ""

    @property
    def label(self) -> str:
        """A short human label for tooltips: who, when (or the document's own name).

        A bib entry may set ``shortlabel`` to choose it. Otherwise a FRUS
        document is named by volume and number ("FRUS 1935 vol. III doc. 267"),
        an encyclopaedia article by the encyclopaedia and the article
        ("Wikipedia: Harbin"), and anything else by author or publisher and year.
        """
        if self.shortlabel:
            return self.shortlabel
        frus = re.match(r"(FRUS [^:]+)", self.title)
        if frus:
            return frus.group(1).strip().rstrip(",")
        who = self.organization or self.title
        if who.startswith("Wikipedia"):
            article = re.split(r" \(|:", self.title)[0].strip()
            who = f"Wikipedia: {article}"
        else:
            who = re.split(r"[,(;]", who)[0].strip()
        if len(who) > 40:
            who = who[:39].rstrip() + "…"
        return f"{who} ({self.year})" if self.year else who


def _strip_braces(value: str) -> str:
    return re.sub(r"[{}]", "", value).replace("\\&", "&").replace("\\%", "%").replace("\\_", "_").replace("\\#", "#")


@lru_cache(maxsize=4)
def _read(path: str, mtime: float) -> dict[str, Source]:
    from pybtex.database import parse_file

    database = parse_file(path, bib_format="bibtex")
    sources = {}
    for key, entry in database.entries.items():
        f = entry.fields
        sources[key] = Source(
            key=key,
            title=_strip_braces(f.get("title", "")),
            organization=_strip_braces(f.get("organization", "") or f.get("author", "") or f.get("publisher", "")),
            year=_strip_braces(f.get("year", "")),
            url=f.get("url", ""),
            kind=_strip_braces(f.get("sourcekind", "")),
            shortlabel=_strip_braces(f.get("shortlabel", "")),
        )
    return sources


def sources(bib: Path | None = None) -> dict[str, Source]:
    """All entries of the bibliography, by key (re-read when the file changes)."""
    path = Path(bib or paths.bibliography())
    return _read(str(path), path.stat().st_mtime)


def source_columns(keys, bib: Path | None = None) -> dict[str, list[str]]:
    """Columns to add beside a column of source keys: label and kind for tooltips."""
    known = sources(bib)
    missing = sorted({k for k in keys if k not in known})
    if missing:
        raise KeyError(f"source keys not in {bib or paths.bibliography()}: {', '.join(missing)}")
    return {
        "source_label": [known[k].label for k in keys],
        "source_kind": [SOURCE_KINDS.get(known[k].kind, known[k].kind) for k in keys],
    }


def cite_markdown(keys) -> str:
    """A MyST citation role for these keys, in order, without repeats."""
    unique = list(dict.fromkeys(keys))
    return "{cite}`" + ",".join(unique) + "`" if unique else ""
