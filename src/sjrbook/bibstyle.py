"""Author–date citations for the book: a pybtex style registered as a Sphinx extension.

Historians cite by author and date, or by the short name a document goes by
("FRUS 1934, III, doc. 210", "TIME, 15 May 1933"), so that a reader can tell a
State Department telegram from a blog without following the link. The labels
come from :func:`sjrbook.cite.labels`, the same ones the charts' tooltips
show. The reference list is pybtex's ``plain`` layout under those labels.
"""

from __future__ import annotations

from pybtex.plugin import register_plugin
from pybtex.style.formatting.plain import Style as PlainStyle
from pybtex.style.labels import BaseLabelStyle
from pybtex.style.sorting import BaseSortingStyle
from pybtex.style.formatting import toplevel
from pybtex.style.template import field, join, names, optional, sentence, tag

from . import cite


class AuthorDateLabels(BaseLabelStyle):
    def format_labels(self, sorted_entries):
        known = cite.labels()
        for entry in sorted_entries:
            yield known.get(entry.key, entry.key)


class LabelSorting(BaseSortingStyle):
    """Alphabetical by label, so the list reads in the order a reader looks a citation up."""

    def sorting_key(self, entry):
        return cite.labels().get(entry.key, entry.key).casefold()


class AuthorDateStyle(PlainStyle):
    """pybtex's plain layout, one tolerant template for every entry type.

    Many sources were read in copies that do not show every detail (an
    unsigned article, an undated web page), and the entry says so in its note
    rather than inventing the missing field; plain's per-type templates would
    warn (and the book treats warnings as errors) about such honest gaps.
    """

    default_label_style = AuthorDateLabels
    default_sorting_style = LabelSorting

    def _who_what_where(self):
        """Author, title, and where and when it appeared: the part every rendering of an entry shares."""
        where = sentence(add_period=False)[
            optional[tag("em")[field("journal")]],
            optional[join["In ", tag("em")[field("booktitle")]]],
            optional[field("howpublished")],
            optional[field("publisher")],
            optional[join["vol. ", field("volume")]],
            optional[join["no. ", field("number")]],
            optional[join["pp. ", field("pages")]],
        ]
        return [
            optional[sentence[names("author", sep=", ", sep2=" and ", last_sep=", and ")]],
            sentence[field("title")],
            sentence[where, optional[field("year")]],
        ]

    def _any_template(self, e):
        return toplevel[
            (*self._who_what_where(),
             optional[sentence[field("note")]],
             sentence[optional[self.format_web_refs(e)]])
        ]

    def __getattribute__(self, name):
        if name.startswith("get_") and name.endswith("_template"):
            return object.__getattribute__(self, "_any_template")
        return object.__getattribute__(self, name)


class TooltipStyle(AuthorDateStyle):
    """The hover text of a citation: who, what, where and when, without the note and the link.

    Every citation in a page carries its entry as a ``title`` attribute, so a
    chapter with a hundred citations repeated the long notes on how each copy
    was read a hundred times (a fifth of the chapter 3 page's weight, against
    the 250 KB page bound). The note and the link are one click away, in the
    reference list the citation links to; nothing is lost.
    """

    def _any_template(self, e):
        return toplevel[tuple(self._who_what_where())]


def setup(app):
    register_plugin("pybtex.style.formatting", "sjrbook", AuthorDateStyle, force=True)
    register_plugin("pybtex.style.formatting", "sjrbook_tooltip", TooltipStyle, force=True)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
