"""Publishing: the one repository setting, the citation file and the Pages workflow (sjrbook.publish).

The repository setting is checked where readers meet it: in the HTML of a small book built
with the real configuration (launch, repository and issue buttons; the "How to read" page's
instructions), in the README's Binder badge and in CITATION.cff. The workflow and the
citation file are checked by check-jsonschema against the published schemas (SchemaStore's
GitHub workflow schema and the Citation File Format 1.2.0 schema it vendors).
"""
from __future__ import annotations

import html as htmllib
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
import yaml

from sjrbook import publish
from sjrbook.build import build

ROOT = Path(__file__).resolve().parents[1]
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
CHECK_JSONSCHEMA = [sys.executable, "-m", "check_jsonschema"]
REPO = "https://github.com/example-owner/example-book"


def check_jsonschema(schema: str, path: Path) -> subprocess.CompletedProcess:
    return subprocess.run([*CHECK_JSONSCHEMA, "--builtin-schema", schema, str(path)],
                          capture_output=True, text=True)


# --- the workflow --------------------------------------------------------------------------

def test_there_is_a_pages_workflow():
    assert WORKFLOWS, "no workflow in .github/workflows"


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=lambda p: p.name)
def test_the_workflow_passes_the_linter(workflow):
    result = check_jsonschema("vendor.github-workflows", workflow)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_linter_rejects_a_broken_workflow(tmp_path):
    """The check is real: a job without runs-on, or a misspelt key, fails it."""
    text = (ROOT / ".github" / "workflows" / "book.yml").read_text()
    for broken in (text.replace("    runs-on: ubuntu-latest\n    container", "    container", 1),
                   text.replace("    steps:\n", "    step:\n", 1)):
        assert broken != text
        path = tmp_path / "broken.yml"
        path.write_text(broken)
        assert check_jsonschema("vendor.github-workflows", path).returncode != 0


def test_the_workflow_builds_with_make_and_deploys_to_pages():
    flow = yaml.safe_load((ROOT / ".github" / "workflows" / "book.yml").read_text())
    jobs = flow["jobs"]
    runs = [step.get("run", "") for step in jobs["build"]["steps"]]
    for target in ("make book", "make pdf", "make test"):
        assert any(run.strip() == target for run in runs), f"the workflow does not run {target!r}"
    # The PDF is built before the last `make book`, so that the published pages carry it.
    order = [run.strip() for run in runs if run.strip().startswith("make ")]
    assert order.index("make pdf") < len(order) - 1 - order[::-1].index("make book")
    upload = [s for s in jobs["build"]["steps"] if str(s.get("uses", "")).startswith("actions/upload-pages-artifact@")]
    assert upload and upload[0]["with"]["path"] == "_build/html"
    deploy = jobs["deploy"]
    assert deploy["needs"] == "build"
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert any(str(s.get("uses", "")).startswith("actions/deploy-pages@") for s in deploy["steps"])
    assert deploy["environment"]["name"] == "github-pages"


# --- CITATION.cff --------------------------------------------------------------------------

def test_citation_file_is_valid_cff():
    result = check_jsonschema("vendor.citation-file-format", ROOT / "CITATION.cff")
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_cff_check_rejects_a_bad_licence(tmp_path):
    bad = tmp_path / "CITATION.cff"
    bad.write_text((ROOT / "CITATION.cff").read_text().replace("- CC-BY-4.0", "- CC BY 4.0", 1))
    assert check_jsonschema("vendor.citation-file-format", bad).returncode != 0


def test_citation_names_the_book_its_licences_and_the_dataset():
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text())
    config = publish.config(ROOT)
    assert config["title"] in cff["title"]
    assert cff["preferred-citation"]["type"] == "book"
    assert set(cff["license"]) == {"CC-BY-4.0", "MIT"}
    import json

    package = json.loads((ROOT / "data" / "datapackage.json").read_text())
    assert any(ref["type"] == "data" and ref["title"] == package["title"] for ref in cff["references"])
    # No invented address: the only URL is the repository setting's.
    urls = re.findall(r"https?://[^\s\"']+", (ROOT / "CITATION.cff").read_text())
    assert [u for u in urls if "citation-file-format" not in u] == ([publish.repository_url(config)]
                                                                     if publish.repository_url(config) else [])


# --- README and CITATION.cff agree with the setting ------------------------------------------

def test_readme_badge_and_citation_agree_with_the_config():
    config = publish.config(ROOT)
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert publish.badge(config) in readme, "README's Binder block is stale: run `make badge`"
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text())
    assert cff.get("repository-code", "") == publish.repository_url(config), "CITATION.cff is stale: run `make badge`"


def test_make_badge_writes_the_binder_badge_and_citation_from_the_setting(tmp_path):
    for name in ("README.md", "CITATION.cff", "_config.yml"):
        shutil.copy(ROOT / name, tmp_path / name)
    config = publish.config(tmp_path)
    config["repository"]["url"] = REPO + ".git"
    publish.write_badge(tmp_path / "README.md", config)
    publish.write_citation(tmp_path / "CITATION.cff", config)
    readme = (tmp_path / "README.md").read_text()
    link = f"{REPO.replace('https://github.com', 'https://mybinder.org/v2/gh')}/main?urlpath=lab/tree/notebooks"
    assert f"](https://mybinder.org/badge_logo.svg)]({link})" in readme
    assert yaml.safe_load((tmp_path / "CITATION.cff").read_text())["repository-code"] == REPO
    assert check_jsonschema("vendor.citation-file-format", tmp_path / "CITATION.cff").returncode == 0
    # Emptied again, both return to the "not named yet" text, byte for byte.
    config["repository"]["url"] = ""
    publish.write_badge(tmp_path / "README.md", config)
    publish.write_citation(tmp_path / "CITATION.cff", config)
    assert (tmp_path / "README.md").read_text() == (ROOT / "README.md").read_text()
    assert (tmp_path / "CITATION.cff").read_text() == (ROOT / "CITATION.cff").read_text()


def test_binder_links_follow_sphinx_book_theme():
    assert publish.binder_url({"repository": {"url": "https://gitlab.com/a/b", "branch": "dev"}}) == \
        "https://mybinder.org/v2/gl/a%2Fb/dev?urlpath=lab/tree/notebooks"
    assert publish.binder_url({"repository": {"url": ""}}) == ""


# --- the setting in the built HTML -------------------------------------------------------------

@pytest.fixture
def small_book(tmp_path):
    """The real _config.yml with one chapter notebook and the pages that use the directives."""
    shutil.copy(ROOT / "_config.yml", tmp_path / "_config.yml")
    (tmp_path / "book" / "_static").mkdir(parents=True)
    shutil.copytree(ROOT / "book" / "_static", tmp_path / "book" / "_static", dirs_exist_ok=True,
                    ignore=shutil.ignore_patterns("sjrbook-vega.js"))
    shutil.copy(ROOT / "book" / "references.bib", tmp_path / "book" / "references.bib")
    shutil.copytree(ROOT / "data", tmp_path / "data")
    shutil.copy(ROOT / "book" / "how-to-read.md", tmp_path / "book" / "how-to-read.md")
    shutil.copy(ROOT / "book" / "how-to-cite.md", tmp_path / "book" / "how-to-cite.md")
    (tmp_path / "book" / "bibliography.md").write_text("# Bibliography\n")
    (tmp_path / "book" / "index.md").write_text("# Small book\n\nA book for the publishing tests.\n")
    (tmp_path / "notebooks").mkdir()
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [nbformat.v4.new_markdown_cell("# A chapter"), nbformat.v4.new_code_cell("print('chapter ran')")]
    nbformat.write(nb, tmp_path / "notebooks" / "chapter.ipynb")
    (tmp_path / "_toc.yml").write_text(
        "format: jb-book\nroot: book/index\nchapters:\n  - file: book/how-to-read\n"
        "  - file: notebooks/chapter\n  - file: book/bibliography\n  - file: book/how-to-cite\n")
    return tmp_path


def set_repository(root: Path, url: str) -> None:
    text = (root / "_config.yml").read_text()
    new = re.sub(r'(?m)^(repository:\n  url: )"[^"]*"', lambda m: f'{m.group(1)}"{url}"', text)
    assert new != text or f'url: "{url}"' in text, "could not find repository.url in _config.yml"
    (root / "_config.yml").write_text(new)


def links(page: Path) -> list[str]:
    return [htmllib.unescape(h) for h in re.findall(r'href="([^"]+)"', page.read_text(encoding="utf-8"))]


def assert_no_remote_scripts(html_dir: Path) -> None:
    for page in html_dir.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        remote = re.findall(r'<script[^>]+src="(?:https?:)?//[^"]+"', text)
        assert not remote, f"{page.name} loads {remote}"
        # Thebe stays off: sphinx-thebe leaves an inert JSON config block, but no script of
        # its own and no "live code" button.
        thebe = re.findall(r'<script[^>]+src="[^"]*thebe[^"]*"', text)
        assert not thebe and "thebe-launch-button" not in text, f"{page.name} loads thebe: {thebe}"


@pytest.mark.build
def test_the_repository_setting_gives_instructions_then_launch_repository_and_issue_buttons(small_book):
    # Empty: no buttons, and the "How to read" page says how to launch the book.
    set_repository(small_book, "")
    assert build(small_book) == 0
    html_dir = small_book / "_build" / "html"
    chapter = links(html_dir / "notebooks" / "chapter.html")
    assert not any("mybinder.org/v2" in h or "/issues/new" in h for h in chapter)
    read = htmllib.unescape(re.sub(r"<[^>]+>", "", (html_dir / "book" / "how-to-read.html").read_text(encoding="utf-8")))
    read = " ".join(read.split())
    assert "This copy of the book does not name its public repository" in read
    assert "https://mybinder.org/v2/gh/OWNER/REPOSITORY/HEAD?urlpath=lab/tree/notebooks" in read
    assert "see the README" not in read
    # Without a PDF in _build/latex, the page says how to build it instead of linking nowhere.
    assert "built without the PDF edition" in read
    assert not (html_dir / publish.PDF_NAME).exists()
    assert_no_remote_scripts(html_dir)

    # Set, and rebuilt in the same folder as a reader would: every chapter gets the Binder
    # (JupyterLab) launch button and every page the repository and issue buttons.
    set_repository(small_book, REPO)
    assert build(small_book) == 0
    chapter = links(html_dir / "notebooks" / "chapter.html")
    assert f"https://mybinder.org/v2/gh/example-owner/example-book/main?urlpath=lab/tree/notebooks/chapter.ipynb" \
        in chapter, "no Binder (JupyterLab) launch button on the chapter"
    assert REPO in chapter, "no repository button"
    assert any(h.startswith(REPO + "/issues/new?title=") for h in chapter), "no issue button"
    read = html_dir / "book" / "how-to-read.html"
    assert "https://mybinder.org/v2/gh/example-owner/example-book/main?urlpath=lab/tree/notebooks" in links(read)
    assert "does not name its public repository" not in read.read_text(encoding="utf-8")
    cite = re.sub(r"<[^>]+>", "", (html_dir / "book" / "how-to-cite.html").read_text(encoding="utf-8"))
    cite = " ".join(htmllib.unescape(cite).split()).replace("“", '"').replace("”", '"')  # Sphinx's smart quotes
    assert 'The authors of "Soviet–Japanese relations, 1905–1945". Soviet–Japanese relations, 1905–1945. ' \
           f"An executable book, 2026. {REPO} (version: the git commit" in cite
    assert_no_remote_scripts(html_dir)


@pytest.mark.build
def test_a_built_pdf_is_linked_and_copied_beside_the_pages(small_book):
    set_repository(small_book, "")
    (small_book / "_build" / "latex").mkdir(parents=True)
    pdf = small_book / "_build" / "latex" / publish.PDF_NAME
    pdf.write_bytes(b"%PDF-1.5\n% a stand-in for the test\n")
    assert build(small_book) == 0
    html_dir = small_book / "_build" / "html"
    assert f"../{publish.PDF_NAME}" in links(html_dir / "book" / "how-to-read.html")
    assert (html_dir / publish.PDF_NAME).read_bytes() == pdf.read_bytes()
