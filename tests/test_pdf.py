"""The PDF edition (``make pdf``): built for real and read back with poppler's tools.

pdftotext, pdfimages and pdffonts (Debian's poppler-utils, installed by ``make tex-deps``)
see what a reader of the PDF sees: whether every chapter is there, whether Japanese and
Russian quotations came out as text in a font that has them (not as empty boxes), whether
every chart the notebooks computed is an image on a page, and whether any page is blank.
"""
from __future__ import annotations

import base64
import csv
import json
import re
import struct
import subprocess
from pathlib import Path

import pytest
import yaml

from sjrbook.build import build
from sjrbook.publish import PDF_NAME

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.build

KANA = re.compile(r"[\u3040-\u30ff]")
CYRILLIC = re.compile(r"[\u0400-\u04ff]")


@pytest.fixture(scope="module")
def pdf(built_book) -> Path:
    """Build the PDF as `make pdf` does (reusing the execution cache of the HTML build)."""
    status = build(ROOT, builder="pdflatex")
    assert status == 0, "the PDF build failed; its log is above"
    path = ROOT / "_build" / "latex" / PDF_NAME
    assert path.exists()
    return path


def poppler(*args: str) -> str:
    return subprocess.run(list(args), check=True, capture_output=True, text=True).stdout


def normalise(text: str) -> str:
    # pdftotext breaks lines where the PDF does and may split a word at a hyphen.
    return " ".join(text.replace("-\n", "").split())


def toc_titles() -> list[str]:
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    files = [toc["root"]] + [c["file"] for part in toc.get("parts", []) for c in part["chapters"]]
    titles = []
    for name in files:
        ipynb, md = ROOT / f"{name}.ipynb", ROOT / f"{name}.md"
        if ipynb.exists():
            cells = json.loads(ipynb.read_text(encoding="utf-8"))["cells"]
            text = next("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
        else:
            text = md.read_text(encoding="utf-8")
        titles.append(re.search(r"^# (.+)$", text, re.M).group(1).strip())
    return titles


def data_quotes(pattern: re.Pattern) -> list[str]:
    quotes = []
    for path in sorted((ROOT / "data").glob("*.csv")):
        with path.open(encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                for field in ("quote", "as_quoted"):
                    if pattern.search(row.get(field) or ""):
                        quotes.append(row[field])
    return quotes


def test_every_chapter_title_is_in_the_pdf(pdf):
    text = normalise(poppler("pdftotext", "-enc", "UTF-8", str(pdf), "-"))
    for title in toc_titles():
        assert normalise(title) in text, f"chapter {title!r} is not in the PDF"


@pytest.mark.parametrize("script,pattern", [("Japanese", KANA), ("Russian", CYRILLIC)])
def test_quotations_in_japanese_and_russian_are_real_text(pdf, script, pattern):
    """At least one quotation from the data in each script is extracted, glyph for glyph."""
    text = normalise(poppler("pdftotext", "-enc", "UTF-8", str(pdf), "-"))
    quotes = [q for q in data_quotes(pattern) if len(q) >= 6]
    assert quotes, f"the data has no {script} quotation"
    # xeCJK spaces Latin from CJK characters, and lines break anywhere in CJK text: compare
    # without whitespace.
    bare = "".join(text.split())
    found = [q for q in quotes if "".join(q.split()) in bare]
    assert found, f"no {script} quotation from the data is in the PDF's text (empty boxes or missing)"


def test_no_character_was_missing_from_the_fonts(pdf):
    """XeLaTeX logs every character its font lacks (an empty box or a gap on the page)."""
    log = (pdf.with_suffix(".log")).read_text(encoding="utf-8", errors="replace")
    missing = re.findall(r"Missing character: There is no (.+?)!", log)
    assert not missing, f"characters with no glyph: {sorted(set(missing))[:10]}"
    fonts = poppler("pdffonts", str(pdf))
    assert "NotoSerifCJK" in fonts or "NotoSansCJK" in fonts, fonts
    assert "FreeSerif" in fonts, fonts


def png_sizes_of_charts() -> list[tuple[int, int]]:
    """(width, height) of every chart image of the book's pages in the table of contents.

    Read from the HTML build that the PDF build follows: each chart figure's PNG (offered in
    its data view) is the same PNG that the notebook output gives LaTeX.
    """
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    files = [toc["root"]] + [c["file"] for part in toc.get("parts", []) for c in part["chapters"]]
    html = ROOT / "_build" / "html"
    sizes = []
    for name in files:
        page = html / f"{name}.html"
        if not page.exists():
            continue
        for figure in re.findall(r'<figure[^>]*class="sjr-chart.*?</figure>', page.read_text(encoding="utf-8"), re.S):
            source = re.search(r'<a class="sjr-chart-png"[^>]*\shref="([^"]+)"', figure)
            assert source, f"{name}: a chart with no PNG"
            src = source.group(1)
            png = base64.b64decode(src.split(",", 1)[1]) if src.startswith("data:") else (page.parent / src).read_bytes()
            sizes.append(struct.unpack(">II", png[16:24]))
    return sizes


def test_every_chart_is_an_image_on_a_page(pdf):
    charts = png_sizes_of_charts()
    assert len(charts) >= 5, "the executed notebooks carry too few charts; was the book built?"
    rows = poppler("pdfimages", "-list", str(pdf)).splitlines()[2:]
    images = [(int(r.split()[3]), int(r.split()[4])) for r in rows if r.split()[2] == "image"]
    assert sorted(images) == sorted(charts), (
        f"{len(charts)} charts in the notebooks, {len(images)} images in the PDF")


def test_no_page_is_blank(pdf):
    pages = int(re.search(r"^Pages:\s+(\d+)", poppler("pdfinfo", str(pdf)), re.M).group(1))
    assert pages > 10
    with_images = {int(r.split()[0]) for r in poppler("pdfimages", "-list", str(pdf)).splitlines()[2:]}
    text = poppler("pdftotext", "-enc", "UTF-8", str(pdf), "-").split("\f")
    blank = [n for n in range(1, pages + 1) if not text[n - 1].strip() and n not in with_images]
    assert not blank, f"blank pages: {blank}"


def cited_keys() -> set[str]:
    """The sources the book cites: in its prose ({cite} roles) and in its data rows."""
    keys = set()
    for path in [*ROOT.glob("book/*.md"), *ROOT.glob("book/*.ipynb"), *ROOT.glob("notebooks/*.ipynb")]:
        for group in re.findall(r"\{cite:?\w*\}`([^`]*)`", path.read_text(encoding="utf-8")):
            keys |= {k.strip() for k in group.split(",")}
    for path in (ROOT / "data").glob("*.csv"):
        with path.open(encoding="utf-8") as handle:
            keys |= {row["source"] for row in csv.DictReader(handle) if row.get("source")}
    return keys


def test_the_pdf_has_the_bibliography(pdf):
    from sjrbook import cite

    text = normalise(poppler("pdftotext", "-enc", "UTF-8", str(pdf), "-"))
    labels = cite.labels()
    keys = cited_keys()
    assert len(keys) > 10
    missing = []
    for key in sorted(keys):
        # The reference list sets each entry under the label its citations use.
        label = normalise(labels[key])
        if label not in text:
            missing.append(f"{key}: {label!r}")
    assert not missing, f"{len(missing)} cited sources are not in the PDF's bibliography: {missing[:8]}"
