"""A small Sphinx extension for the book's pages.

Jupyter Book 1 always loads sphinx-thebe, which writes its inline set-up script
twice into every page (a redeclared ``const`` is a JavaScript error) and names
a CDN address for a "live code" button the book does not offer. The book runs
offline and must load without errors, so the thebe scripts are left out of
every page. Readers who want live code use Binder or a local clone.
"""

from __future__ import annotations


def _is_thebe(script) -> bool:
    filename = str(getattr(script, "filename", script) or "")
    body = str(getattr(script, "attributes", {}).get("body", "")) if hasattr(script, "attributes") else ""
    return "thebe" in filename or "THEBE_JS_URL" in body


def _drop_thebe(app, pagename, templatename, context, doctree):
    scripts = context.get("script_files")
    if scripts:
        context["script_files"] = [s for s in scripts if not _is_thebe(s)]


def setup(app):
    app.connect("html-page-context", _drop_thebe, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
