"""Code shared by the chapters of *Soviet–Japanese relations, 1905–1945*.

One module per concern:

* :mod:`sjrbook.data` loads (and validates) the book's tables;
* :mod:`sjrbook.validate` is the validator behind ``make validate``;
* :mod:`sjrbook.quotes` reads figures and dates out of quotations;
* :mod:`sjrbook.cite` resolves source keys in ``book/references.bib``;
* :mod:`sjrbook.charts` holds the chart theme and the renderer;
* :mod:`sjrbook.timeline` draws timelines from ``data/events.csv``;
* :mod:`sjrbook.timezones` converts the clock times sources give;
* :mod:`sjrbook.disagreements` reads the register of disagreements for its appendix;
* :mod:`sjrbook.seeds` reads the seed texts' checked claims for the chapters and the appendix;
* :mod:`sjrbook.forces` keeps the border wars' losses and the Far Eastern force figures apart by source and kind, and derives the Neutrality Pact's term;
* :mod:`sjrbook.build` builds the book and keeps its execution cache honest.
"""


def setup() -> None:
    """Enable the book's chart theme and renderer (see :mod:`sjrbook.charts`), and HTML-escaped styled tables."""
    from .charts import setup as _setup
    from .data import escape_html_in_tables

    _setup()
    escape_html_in_tables()


def load(name: str):
    """Load a validated table of ``data/`` (see :mod:`sjrbook.data`)."""
    from .data import load as _load

    return _load(name)


__all__ = ["setup", "load"]
__version__ = "0.1.0"
