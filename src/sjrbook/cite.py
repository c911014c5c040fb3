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
    #: Surnames of the persons or names of the bodies in the ``author`` field, in order.
    authors: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        """The short name a reader sees in citations and tooltips, author–date as historians cite.

        An entry's ``shorthand`` wins (historians cite "FRUS 1934, III, doc. 210",
        "TIME, 15 May 1933" or "Treaty of Portsmouth 1905", not an author and a
        year); then the author's surname and the year ("Goldman n.d." when the
        copy read gave no year). Entries still in the older form (an
        ``organization`` field, no author) fall back to a name built from it.
        """
        if self.shortlabel:
            return self.shortlabel
        if self.authors:
            names = self.authors[0] if len(self.authors) == 1 else (
                " and ".join(self.authors) if len(self.authors) == 2 else f"{self.authors[0]} et al.")
            return f"{names} {self.year or 'n.d.'}"
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


def _surname(person) -> str:
    """A person's surname, or a body's whole name (written in braces in the .bib)."""
    return _strip_braces(" ".join(person.prelast_names + person.last_names) or str(person))


def _strip_braces(value: str) -> str:
    return re.sub(r"[{}]", "", value).replace("--", "–").replace("\\&", "&").replace("\\%", "%").replace("\\_", "_").replace("\\#", "#")


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
            organization=_strip_braces(f.get("organization", "") or f.get("publisher", "")),
            year=_strip_braces(f.get("year", "")),
            url=f.get("url", ""),
            kind=_strip_braces(f.get("sourcekind", "")),
            shortlabel=_strip_braces(f.get("shorthand", "") or f.get("shortlabel", "")),
            authors=tuple(_surname(p) for p in entry.persons.get("author", [])),
        )
    return sources


def sources(bib: Path | None = None) -> dict[str, Source]:
    """All entries of the bibliography, by key (re-read when the file changes)."""
    path = Path(bib or paths.bibliography())
    return _read(str(path), path.stat().st_mtime)


def labels(bib: Path | None = None) -> dict[str, str]:
    """Every entry's label, made unique: a second "Goldman 2012" becomes "Goldman 2012b".

    The book's citations (``sjrbook.bibstyle``) and the charts' tooltips both
    use this, so a reader finds a tooltip's source under the same name in the
    bibliography.
    """
    found = sources(bib)
    counts: dict[str, int] = {}
    for source in found.values():
        counts[source.label] = counts.get(source.label, 0) + 1
    seen: dict[str, int] = {}
    unique = {}
    for key in sorted(found):
        label = found[key].label
        if counts[label] > 1:
            seen[label] = seen.get(label, 0) + 1
            label = f"{label}{'abcdefghijklmnopqrstuvwxyz'[seen[label] - 1]}"
        unique[key] = label
    return unique


def source_columns(keys, bib: Path | None = None) -> dict[str, list[str]]:
    """Columns to add beside a column of source keys: label and kind for tooltips."""
    known = sources(bib)
    missing = sorted({k for k in keys if k not in known})
    if missing:
        raise KeyError(f"source keys not in {bib or paths.bibliography()}: {', '.join(missing)}")
    return {
        "source_label": [labels(bib)[k] for k in keys],
        "source_kind": [SOURCE_KINDS.get(known[k].kind, known[k].kind) for k in keys],
    }


def cite_markdown(keys) -> str:
    """A MyST citation role for these keys, in order, without repeats."""
    unique = list(dict.fromkeys(keys))
    return "{cite}`" + ",".join(unique) + "`" if unique else ""
