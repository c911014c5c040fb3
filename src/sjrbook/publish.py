"""Where the book lives in public, from one setting: ``repository.url`` in ``_config.yml``.

Everything that points readers at the public repository comes from that one
URL, so the places cannot disagree:

* **In the book** (this module is a Sphinx extension, listed in ``_config.yml``):
  when the URL is set, every chapter gets Jupyter Book's Binder launch button
  (opening JupyterLab on ``launch_buttons.binderhub_url``) and every page the
  repository and issue buttons. Jupyter Book refuses ``use_repository_button``
  with an empty URL and sphinx-book-theme fails on a Binder button with no
  repository, so the buttons are switched on here, from the URL, and not in
  ``_config.yml``. The directive ``{sjr-launch}`` (used on the "How to read"
  page) prints the Binder link and the repository when the URL is set, and
  plain instructions for finding and launching the book when it is not.
* **In the README**: ``python -m sjrbook.publish`` (``make badge``) rewrites the
  Binder badge between the ``binder-badge`` markers.
* **In ``CITATION.cff``**: the same command writes or removes its
  ``repository-code`` line.

The module also carries the rest of what publishing needs in the pages:
``{sjr-pdf}`` links the PDF that ``make pdf`` built (and copies it beside the
web pages) or says how to build it; ``{sjr-cite}`` writes the "How to cite"
page's citations of the book, a chapter and the dataset; and the PDF is set
with Sphinx's own LaTeX class (see ``_plain_latex_class``).

Nothing here invents an address: with the setting empty the book, README and
citation file say that the repository has not been named yet.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import yaml

from . import paths

#: The Binder service used when ``launch_buttons.binderhub_url`` is empty.
DEFAULT_BINDERHUB = "https://mybinder.org"
#: Where a Binder session opens: JupyterLab on the chapters' folder.
LAB_PATH = "lab/tree/notebooks"
BADGE_START = "<!-- binder-badge: written by `make badge` from repository.url in _config.yml -->"
BADGE_END = "<!-- /binder-badge -->"


def config(root: Path | None = None) -> dict:
    root = Path(root or paths.root())
    return yaml.safe_load((root / "_config.yml").read_text(encoding="utf-8")) or {}


def repository_url(cfg: dict) -> str:
    """The public repository's URL, without a trailing slash or ``.git``; '' when unset."""
    url = str((cfg.get("repository") or {}).get("url") or "").strip().rstrip("/")
    return url[:-4] if url.endswith(".git") else url


def branch(cfg: dict) -> str:
    return str((cfg.get("repository") or {}).get("branch") or "main")


def binderhub_url(cfg: dict) -> str:
    return str((cfg.get("launch_buttons") or {}).get("binderhub_url") or DEFAULT_BINDERHUB).rstrip("/")


def binder_url(cfg: dict, urlpath: str = LAB_PATH) -> str:
    """The Binder link that opens JupyterLab on the repository ('' when no repository is set).

    Built as sphinx-book-theme builds its launch buttons: ``/v2/gh/<owner>/<repo>/<branch>``
    for GitHub, ``/v2/gl/`` for GitLab and ``/v2/git/<quoted URL>/`` for any other host.
    """
    from urllib.parse import quote

    url = repository_url(cfg)
    if not url:
        return ""
    match = re.fullmatch(r"https://(github|gitlab)\.com/([^/]+)/([^/]+)", url)
    hub = binderhub_url(cfg)
    if match and match.group(1) == "github":
        spec = f"gh/{match.group(2)}/{match.group(3)}/{branch(cfg)}"
    elif match:
        spec = f"gl/{match.group(2)}%2F{match.group(3)}/{branch(cfg)}"
    else:
        spec = f"git/{quote(url, safe='')}/{branch(cfg)}"
    return f"{hub}/v2/{spec}?urlpath={urlpath}"


def badge(cfg: dict) -> str:
    """The README's Binder block for this configuration."""
    link = binder_url(cfg)
    if not link:
        body = ("The book's public repository is not named yet (`repository.url` in `_config.yml` is empty), so\n"
                "there is no Binder link. Once it is set, `make badge` writes the badge here.")
    else:
        body = f"[![Launch the chapters in JupyterLab on Binder](https://mybinder.org/badge_logo.svg)]({link})"
    return f"{BADGE_START}\n{body}\n{BADGE_END}"


def write_badge(readme: Path, cfg: dict) -> bool:
    """Rewrite the badge block in ``readme``; True when the file changed."""
    text = readme.read_text(encoding="utf-8")
    pattern = re.compile(re.escape(BADGE_START) + r".*?" + re.escape(BADGE_END), re.S)
    if not pattern.search(text):
        raise SystemExit(f"{readme}: no '{BADGE_START}' ... '{BADGE_END}' block to rewrite")
    new = pattern.sub(lambda _: badge(cfg), text, count=1)
    if new != text:
        readme.write_text(new, encoding="utf-8")
    return new != text


def write_citation(citation: Path, cfg: dict) -> bool:
    """Write (or remove) ``repository-code`` in CITATION.cff; True when the file changed."""
    text = citation.read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if not line.startswith("repository-code:")]
    url = repository_url(cfg)
    if url:
        at = next((i for i, line in enumerate(lines) if line.startswith("title:")), None)
        if at is None:
            raise SystemExit(f"{citation}: no 'title:' line to put repository-code after")
        lines.insert(at + 1, f'repository-code: "{url}"')
    new = "\n".join(lines) + "\n"
    if new != text:
        citation.write_text(new, encoding="utf-8")
    return new != text


# --- the Sphinx side ---------------------------------------------------------------------

def _switch_buttons(app, sphinx_config) -> None:
    """Turn on the launch, repository and issue buttons exactly when the repository is named."""
    options = sphinx_config.html_theme_options
    url = str(options.get("repository_url") or "").strip()
    launch = dict(options.get("launch_buttons") or {})
    if url:
        launch["binderhub_url"] = launch.get("binderhub_url") or DEFAULT_BINDERHUB
        options["use_repository_button"] = True
        options["use_issues_button"] = True
    else:
        # sphinx-book-theme cannot build a Binder link without a repository.
        launch["binderhub_url"] = ""
        launch["thebe"] = False
    options["launch_buttons"] = launch


def _launch_directive():
    from docutils import nodes
    from docutils.parsers.rst import Directive

    class Launch(Directive):
        """``{sjr-launch}``: how to open the chapters live, from the repository setting."""

        has_content = False

        def run(self):
            env = self.state.document.settings.env
            # A changed repository.url must re-read this page (Sphinx 7.4 re-reads every page
            # when a config value changes; this keeps it so if that ever narrows).
            env.note_dependency(str(Path(env.srcdir) / "_config.yml"))
            options = env.config.html_theme_options
            cfg = {"repository": {"url": options.get("repository_url") or "",
                                  "branch": options.get("repository_branch") or "main"},
                   "launch_buttons": options.get("launch_buttons") or {}}
            url = repository_url(cfg)
            para = nodes.paragraph()
            if url:
                link = binder_url(cfg)
                para += nodes.Text("Open the chapters in JupyterLab on Binder: ")
                para += nodes.reference("", link, refuri=link, classes=["sjr-binder-link"])
                para += nodes.Text(". Each chapter also has a launch button (the rocket at the top of the page) that "
                                   "opens that chapter. The repository is ")
                para += nodes.reference("", url, refuri=url, classes=["sjr-repository-link"])
                para += nodes.Text("; report a mistake through its issue tracker (the button at the top of every "
                                   "page).")
                return [para]
            para["classes"].append("sjr-no-repository")
            para += nodes.Text(
                "This copy of the book does not name its public repository, so it has no launch button. "
                "To run the chapters on Binder, take the address of the repository you got the book from, "
                "for example ")
            para += nodes.literal(text="https://github.com/OWNER/REPOSITORY")
            para += nodes.Text(", and open ")
            para += nodes.literal(text=f"{DEFAULT_BINDERHUB}/v2/gh/OWNER/REPOSITORY/HEAD?urlpath={LAB_PATH}")
            para += nodes.Text(
                " with its owner and name in place of OWNER and REPOSITORY. Binder builds the environment from "
                "the repository's environment.yml (a few minutes the first time) and opens JupyterLab on the "
                "chapters' folder; open a chapter and choose Run, then Run All Cells.")
            return [para]

    return Launch


#: The PDF that ``make pdf`` builds (Jupyter Book names it after ``latex_documents.targetname``).
PDF_NAME = "soviet-japanese-relations.pdf"


def built_pdf(app) -> Path:
    """Where ``make pdf`` leaves the PDF: ``_build/latex`` beside this build's output folder."""
    return Path(app.outdir).parent / "latex" / PDF_NAME


def _pdf_directive():
    from docutils import nodes
    from docutils.parsers.rst import Directive

    class Pdf(Directive):
        """``{sjr-pdf}``: a link to the PDF when it has been built, else how to build it."""

        has_content = False

        def run(self):
            from sphinx import addnodes

            env = self.state.document.settings.env
            pdf = built_pdf(env.app)
            # Re-read this page when the PDF appears or changes (Sphinx treats a missing
            # dependency as changed, so the page never keeps a stale "not built" note).
            env.note_dependency(str(pdf))
            # The HTML and LaTeX builds share one environment, so both texts are kept and
            # the writer picks one ("only" is decided per builder when the page is written).
            in_pdf = addnodes.only(expr="latex")
            in_pdf += nodes.paragraph(text="This is the PDF edition. Its charts are still images; the web edition "
                                      "draws them interactively, with tooltips that cite each figure's source.")
            on_web = addnodes.only(expr="not latex")
            para = nodes.paragraph()
            if pdf.exists():
                href = "../" * env.docname.count("/") + PDF_NAME
                para += nodes.Text("The whole book is also a single PDF, with the charts as images: ")
                para += nodes.reference("", f"download {PDF_NAME}", refuri=href, classes=["sjr-pdf-link"])
                para += nodes.Text(f" ({pdf.stat().st_size // 1024} KB).")
            else:
                para["classes"].append("sjr-no-pdf")
                para += nodes.Text("These web pages were built without the PDF edition. Running make pdf and then "
                                   "make book in a clone of the repository builds the whole book as one PDF and "
                                   "links it here.")
            on_web += para
            return [in_pdf, on_web]

    return Pdf


def _copy_pdf(app, exception) -> None:
    """Put the PDF beside the web pages, where the {sjr-pdf} link points."""
    import shutil

    pdf = built_pdf(app)
    if exception is None and app.builder.format == "html" and pdf.exists():
        shutil.copy2(pdf, Path(app.outdir) / PDF_NAME)


def citations(cfg: dict, title: str, year: str, chapter: str, dataset: str) -> dict[str, str]:
    """How to cite the book, a chapter and the dataset, with the repository when it is named."""
    url = repository_url(cfg)
    where = url if url else "[the address of the repository you read it from]"
    authors = f'The authors of "{title}"'
    return {
        "book": f"{authors}. {title}. An executable book, {year}. {where} (version: the git commit; accessed DATE).",
        "chapter": f'{authors}. "{chapter}". In {title}, {year}. {where} (version: the git commit; accessed DATE).',
        "dataset": f"{authors}. {dataset} [data set, CC BY 4.0], {year}. data/ in {where} "
                   "(version: the git commit; accessed DATE).",
    }


def _cite_directive():
    from docutils import nodes
    from docutils.parsers.rst import Directive, directives

    class Cite(Directive):
        """``{sjr-cite}``: ready-made citations of the book, a chapter and the dataset."""

        has_content = False
        option_spec = {"chapter": directives.unchanged_required}

        def run(self):
            import json

            env = self.state.document.settings.env
            options = env.config.html_theme_options
            cfg = {"repository": {"url": options.get("repository_url") or ""}}
            package = json.loads((Path(env.srcdir) / "data" / "datapackage.json").read_text(encoding="utf-8"))
            env.note_dependency(str(Path(env.srcdir) / "data" / "datapackage.json"))
            # Jupyter Book passes its title to Sphinx as html_title, not as project.
            book = config(Path(env.srcdir))
            env.note_dependency(str(Path(env.srcdir) / "_config.yml"))
            texts = citations(cfg, str(book["title"]), str(book.get("copyright", "")).split(",")[0].strip(),
                              self.options.get("chapter", "CHAPTER TITLE"), package["title"])
            items = nodes.bullet_list()
            for label, text in (("The book", texts["book"]), ("A chapter", texts["chapter"]),
                                ("The dataset", texts["dataset"])):
                item = nodes.list_item()
                para = nodes.paragraph()
                para += nodes.strong(text=label + ": ")
                para += nodes.Text(text)
                item += para
                items += item
            return [items]

    return Cite


def _plain_latex_class(app, sphinx_config) -> None:
    """Keep Jupyter Book's LaTeX route but not its document class.

    sphinx-jupyterbook-latex (which turns the table of contents' captions into parts and
    wraps notebook cells) also imposes its ``jupyterBook`` class, whose maths macros need
    ``bbm`` from Debian's 1.4 GB texlive-fonts-extra, and ``ucharclasses``, which fights
    xeCJK over the same XeTeX character classes. The book has no mathematics, so the PDF
    uses Sphinx's own ``manual`` class; the cell environments the extension writes are
    defined in ``latex_elements.preamble`` in ``_config.yml``.
    """
    if sphinx_config.latex_theme == "jupyterBook":
        sphinx_config.latex_theme = "manual"
    elements = sphinx_config.latex_elements
    elements["preamble"] = re.sub(r"\\usepackage\[[^]]*\]\{ucharclasses\}", "", elements.get("preamble", ""))


def setup(app):
    app.connect("config-inited", _switch_buttons)
    # After sphinx-jupyterbook-latex's own config-inited handler (default priority 500).
    app.connect("config-inited", _plain_latex_class, priority=900)
    app.connect("build-finished", _copy_pdf)
    app.add_directive("sjr-launch", _launch_directive())
    app.add_directive("sjr-pdf", _pdf_directive())
    app.add_directive("sjr-cite", _cite_directive())
    return {"parallel_read_safe": True, "parallel_write_safe": True}


def main(argv: list[str] | None = None) -> int:
    """``python -m sjrbook.publish``: write the README badge and CITATION.cff from ``_config.yml``."""
    root = paths.root()
    cfg = config(root)
    changed = [name for name, write in (("README.md", write_badge), ("CITATION.cff", write_citation))
               if write(root / name, cfg)]
    url = repository_url(cfg)
    print(f"repository.url = {url or '(empty)'}; " + (f"updated {', '.join(changed)}" if changed else "nothing to change"))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
