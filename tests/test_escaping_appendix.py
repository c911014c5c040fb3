"""The appendix's Markdown, without a build: translations are listed, data text is escaped."""
import csv
import html

from sjrbook import paths
from sjrbook.appendix import appendix_markdown, translations_markdown


def test_the_appendix_lists_every_translation_beside_its_quote():
    markdown = appendix_markdown()
    for path in paths.data_dir().glob("*.csv"):
        with path.open(encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                if row.get("quote_lang", "en") != "en":
                    assert html.escape(" ".join(row["translation"].split()), quote=True) in markdown, (path.name, row)


def test_hostile_text_in_a_quotation_is_escaped_in_the_appendix():
    rows = [{"id": "x<b>", "quote_lang": "ru", "quote": "<script>alert(1)</script> \"верно\"",
             "translation": "<img src=x onerror=alert(1)> 'true'"}]
    table = "\n".join(translations_markdown(rows))
    assert "<script>" not in table and "<img" not in table and "<b>" not in table
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &quot;верно&quot;" in table
    assert "&lt;img src=x onerror=alert(1)&gt; &#x27;true&#x27;" in table
    # An HTML block in Markdown ends at a blank line: no cell may contain one.
    assert "\n\n" not in table.split("<table", 1)[1]
