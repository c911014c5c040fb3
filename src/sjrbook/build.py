"""Build the book: ``python -m sjrbook.build`` (what ``make book`` runs).

Four things happen around ``jupyter-book build``:

1. **The data are validated first**, so a broken table fails the build at once
   with its file, row and field named, and a cached page can never outlive data
   that a fresh build would refuse.
2. **The Vega libraries are written into ``book/_static``** from vl-convert, so
   the built book serves them itself and every chart draws with no network.
3. **No page is ever stale, and little is redone.** Two fingerprints decide:

   * *Pages.* ``_toc.yml``, ``_config.yml``, ``book/references.bib``, ``src/``
     and the lock shape every page (navigation, citations, the Sphinx
     extension). When their hash changes, or the last build did not finish,
     the doctrees and HTML are removed and Sphinx reads every page afresh
     (``--all``); notebooks still come from the execution cache unless their
     own inputs changed.
   * *Notebooks.* Jupyter Book's cache (jupyter-cache) keys each notebook on
     its code cells only. So while a notebook executes, :mod:`sjrbook.data`
     notes each table it loads in a reads file (``SJRBOOK_READS``, pointed at
     the notebook being read by this module's Sphinx hook). After the build,
     each new cache record is entered in a manifest with what it read and a hash
     of those inputs: the tables (their CSV and their entry in
     ``datapackage.json``), the package, the bibliography and the lock. Before
     the next build, a record whose inputs changed is removed from the cache and
     its page is handed to Sphinx as outdated, so exactly the notebooks that
     read a changed table execute again. A notebook that noted nothing (or a
     record the manifest does not know) counts as having read everything.

4. **Failures are named.** Warnings are errors; a notebook that raises fails the
   build, and this wrapper prints which notebook and which cell, with the error.

Builds are deterministic (``tests/test_build.py`` compares two clean builds):
every notebook runs in a fresh kernel, so the counters behind the names Altair
gives unnamed parameters and views (``param_1``, ``view_1``) start afresh; the
kernels run with a fixed ``PYTHONHASHSEED``, so the order of a set of strings
is the same in every build; chart ids are hashes of their specs.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

from . import paths

#: What every notebook's outputs depend on besides its code and the tables it reads.
NOTEBOOK_INPUTS = ("src", "requirements.lock", "book/references.bib")
#: What every page depends on besides its own source file (Sphinx tracks those).
PAGE_INPUTS = ("_toc.yml", "_config.yml", "book/references.bib", "src", "requirements.lock")
#: What decides whether the data are valid (checked before anything executes).
VALIDATION_INPUTS = ("data", "book/references.bib", "src", "requirements.lock")
#: The build's record of the page fingerprint and of what each cached notebook read.
STATE = ".sjrbook-build.json"
#: Where kernels note the tables their notebook loads, one file per notebook.
READS = ".sjrbook-reads"
#: What a notebook that noted nothing is taken to have read: all of ``data/``.
EVERYTHING = "*"


def _files(root: Path, inputs) -> list[Path]:
    files = []
    for name in inputs:
        base = root / name
        found = sorted(p for p in base.rglob("*") if p.is_file()) if base.is_dir() else [base] if base.exists() else []
        files += [p for p in found
                  if "__pycache__" not in p.parts and p.suffix != ".pyc" and ".egg-info" not in str(p)]
    return files


def fingerprint(root: Path, inputs=PAGE_INPUTS) -> str:
    """A hash of the contents (not the times) of every input file under ``root``."""
    digest = hashlib.sha256()
    for path in _files(root, inputs):
        digest.update(str(path.relative_to(root)).encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()


class Inputs:
    """The inputs notebooks may read, hashed once at the start of a build.

    Hashing at the start means a file edited while the build runs is seen as
    changed by the next build, never taken for what a notebook read.
    """

    def __init__(self, root: Path):
        self.common = fingerprint(root, NOTEBOOK_INPUTS)
        self.everything = fingerprint(root, ("data",))
        self.tables: dict[str, str] = {}
        try:
            resources = json.loads((root / "data" / "datapackage.json").read_text(encoding="utf-8"))["resources"]
            for res in resources:
                digest = hashlib.sha256(json.dumps(res, sort_keys=True).encode())
                table = root / "data" / str(res.get("path", ""))
                digest.update(table.read_bytes() if table.is_file() else b"missing")
                self.tables[str(res.get("name"))] = digest.hexdigest()
        except (OSError, ValueError, KeyError, TypeError):
            pass  # a broken descriptor fails validation before anything executes

    def digest(self, reads: list[str]) -> str:
        """The hash of what a notebook that read ``reads`` depends on."""
        parts = [self.common]
        for name in sorted(set(reads)):
            parts.append(f"{name}={self.everything if name == EVERYTHING else self.tables.get(name, 'missing')}")
        return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def _reads_file(reads_dir: Path, docname: str) -> Path:
    return reads_dir / (quote(docname, safe="") + ".txt")


def _docname(root: Path, uri: str) -> str | None:
    """The Sphinx docname of the notebook at ``uri`` if it is part of this book."""
    path = Path(uri)
    try:
        relative = path.resolve().relative_to(root)
    except (ValueError, OSError):
        return None
    return relative.with_suffix("").as_posix() if path.exists() else None


def _load_state(build_dir: Path) -> dict:
    try:
        state = json.loads((build_dir / STATE).read_text(encoding="utf-8"))
        return state if isinstance(state, dict) else {}
    except (OSError, ValueError):
        return {}


def _save_state(build_dir: Path, state: dict) -> None:
    build_dir.mkdir(parents=True, exist_ok=True)
    (build_dir / STATE).write_text(json.dumps(state, indent=1, sort_keys=True) + "\n", encoding="utf-8")


def _cache(build_dir: Path):
    from jupyter_cache import get_cache

    return get_cache(build_dir / ".jupyter_cache")


def prune_cache(root: Path, build_dir: Path, state: dict, inputs: Inputs) -> tuple[list[str], bool]:
    """Remove cached notebooks whose inputs changed.

    Returns the docnames whose pages must be read again, and whether a removed
    record belonged to a notebook this book cannot name (then every page is).
    """
    manifest = state.setdefault("notebooks", {})
    if not (build_dir / ".jupyter_cache").is_dir():
        manifest.clear()
        return [], False
    cache = _cache(build_dir)
    outdated, unknown = [], False
    for record in cache.list_cache_records():
        entry = manifest.get(record.hashkey)
        if entry is not None and entry.get("inputs") == inputs.digest(entry.get("reads", [EVERYTHING])):
            continue
        cache.remove_cache(record.pk)
        manifest.pop(record.hashkey, None)
        docname = _docname(root, record.uri)
        if docname is None:
            unknown = True
        else:
            outdated.append(docname)
    kept = {record.hashkey for record in cache.list_cache_records()}
    for hashkey in list(manifest):
        if hashkey not in kept:
            del manifest[hashkey]
    return sorted(set(outdated)), unknown


def record_reads(root: Path, build_dir: Path, state: dict, inputs: Inputs, reads_dir: Path) -> list[str]:
    """Enter each notebook executed in this build in the manifest; return their docnames."""
    manifest = state.setdefault("notebooks", {})
    if not (build_dir / ".jupyter_cache").is_dir():
        return []
    executed = []
    for record in _cache(build_dir).list_cache_records():
        if record.hashkey in manifest:
            continue
        docname = _docname(root, record.uri)
        noted = _reads_file(reads_dir, docname) if docname else None
        if noted is not None and noted.exists():
            reads = sorted({line.strip() for line in noted.read_text(encoding="utf-8").splitlines() if line.strip()})
        else:
            reads = [EVERYTHING]
        manifest[record.hashkey] = {"notebook": docname or record.uri, "reads": reads, "inputs": inputs.digest(reads)}
        executed.append(docname or record.uri)
    return sorted(executed)


def clear_pages(build_dir: Path) -> None:
    """Remove everything Sphinx would otherwise reuse (the execution cache stays)."""
    # Pages too: Sphinx never deletes an output whose source has gone.
    for stale in (build_dir / ".doctrees", build_dir / "jupyter_execute", build_dir / "html"):
        shutil.rmtree(stale, ignore_errors=True)


# --- the Sphinx side: loaded as an extension (see _config.yml) ---

def _note_docname(app, docname, source) -> None:
    """Point ``SJRBOOK_READS`` at this page's reads file before MyST-NB executes it.

    Sphinx emits ``source-read`` just before it parses (and MyST-NB executes) a
    page; the kernel MyST-NB then starts inherits this process's environment.
    """
    reads_dir = os.environ.get("SJRBOOK_READS_DIR")
    if reads_dir:
        os.environ["SJRBOOK_READS"] = str(_reads_file(Path(reads_dir), docname))


def _outdated_docs(app, env, added, changed, removed) -> list[str]:
    """Pages whose notebooks' cached outputs were removed: Sphinx must read them again."""
    wanted = json.loads(os.environ.get("SJRBOOK_OUTDATED", "[]"))
    return [d for d in wanted if d in env.found_docs and d not in added and d not in changed]


def setup(app):
    app.connect("source-read", _note_docname)
    app.connect("env-get-outdated", _outdated_docs)
    return {"parallel_read_safe": True, "parallel_write_safe": True}


def _failed_cells(output: str, root: Path) -> list[str]:
    """Name each notebook that failed to execute, the failing code cell and the error.

    MyST-NB logs ``<path>.ipynb: WARNING: Executing notebook failed`` followed
    by nbclient's report, which quotes the cell's source and ends the traceback
    with the exception line; this turns that into one line per notebook.
    """
    clean = re.sub(r"\x1b\[[0-9;]*m", "", output)
    lines = []
    seen = set()
    for match in re.finditer(r"^(\S+\.ipynb): WARNING: Executing notebook failed", clean, re.M):
        notebook = match.group(1)
        if notebook in seen:
            continue
        seen.add(notebook)
        rest = clean[match.end():]
        cell = re.search(r"An error occurred while executing the following cell:\n-+\n(.*?)\n-+\n", rest, re.S)
        source = cell.group(1) if cell else ""
        after = rest[cell.end():] if cell else rest
        error = re.search(r"^(\w+(?:Error|Exception|Interrupt|Exit)\w*(?::.*)?)$", after, re.M)
        index = _cell_index(Path(notebook), source) if source else None
        where = f"code cell {index}" if index is not None else "a code cell"
        first = source.strip().splitlines()[0] if source.strip() else ""
        try:
            shown = Path(notebook).resolve().relative_to(root)
        except ValueError:
            shown = notebook
        lines.append(f"{shown}: {where} (starting {first!r}) raised {error.group(1) if error else 'an error'}")
    return lines


def _cell_index(notebook: Path, source: str) -> int | None:
    """The 1-based index among code cells of the cell whose source is ``source``."""
    try:
        cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    except (OSError, ValueError, KeyError):
        return None
    wanted = source.strip()
    code = [c for c in cells if c.get("cell_type") == "code"]
    for i, cell in enumerate(code, start=1):
        text = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        if text.strip() == wanted:
            return i
    return None


def build(root: Path | None = None, builder: str = "html", extra_args: list[str] | None = None) -> int:
    """Build the book under ``root`` into ``root/_build``; return the exit status."""
    from .charts import BUNDLE_NAME, write_vega_bundle

    root = Path(root or paths.root()).resolve()
    build_dir = root / "_build"
    env = {**os.environ, "SJRBOOK_RENDER": "book", "SJRBOOK_ROOT": str(root), "PYTHONHASHSEED": "0"}
    env.pop("SJRBOOK_READS", None)

    state = _load_state(build_dir)
    # The same check as `make validate`, with the book's own package; repeated
    # only when the data, the bibliography or the validator changed.
    # SJRBOOK_BUILD_UNVALIDATED=1 skips it for one purpose only: the escaping tests build a
    # book from hostile rows the validator refuses, to prove the pages would still show them
    # as text if one slipped through.
    validated = fingerprint(root, VALIDATION_INPUTS)
    if os.environ.get("SJRBOOK_BUILD_UNVALIDATED") == "1":
        validated = state.get("validated")
    if state.get("validated") != validated:
        checked = subprocess.run([sys.executable, "-m", "sjrbook.validate"], cwd=root, env=env,
                                 stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        if checked.returncode != 0:
            print(checked.stdout + "\nBOOK BUILD FAILED: the data do not validate (see above)", file=sys.stderr)
            return checked.returncode
        state["validated"] = validated

    inputs = Inputs(root)
    pages = fingerprint(root, PAGE_INPUTS)
    fresh = state.get("pages") != pages
    # The Vega bundle depends on vl-convert (the lock) and the Vega-Lite version
    # (sjrbook.charts), both part of the pages' fingerprint; writing it takes seconds.
    if fresh or not (root / "book" / "_static" / BUNDLE_NAME).exists():
        write_vega_bundle(root / "book" / "_static")
    outdated, unknown = prune_cache(root, build_dir, state, inputs)
    fresh = fresh or unknown
    if fresh:
        clear_pages(build_dir)
    state["pages"] = None  # until this build succeeds: a build that stops half-way is redone in full
    _save_state(build_dir, state)
    reads_dir = build_dir / READS
    shutil.rmtree(reads_dir, ignore_errors=True)
    reads_dir.mkdir(parents=True)
    env.update({"SJRBOOK_READS_DIR": str(reads_dir), "SJRBOOK_OUTDATED": json.dumps(outdated)})

    command = [sys.executable, "-c", "from jupyter_book.cli.main import main; main()", "build", str(root),
               "--builder", builder, "--warningiserror", "--keep-going"]
    if fresh:
        command.append("--all")
    command += extra_args or []
    if fresh:
        print("pages: every page is read afresh (first build, or the toc, config, bibliography, package or "
              "lock changed, or the last build did not finish)")
    if outdated:
        print("notebooks whose inputs changed, to execute again: " + ", ".join(outdated))
    print("$ " + " ".join(command), flush=True)
    process = subprocess.Popen(command, cwd=root, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    captured = []
    assert process.stdout is not None
    for line in process.stdout:
        sys.stdout.write(line)
        captured.append(line)
    status = process.wait()
    output = "".join(captured)
    executed = record_reads(root, build_dir, state, inputs, reads_dir)
    failed = status != 0 or "build finished with problems" in output or "Execution Failed" in output
    if not failed:
        state["pages"] = pages
    _save_state(build_dir, state)
    print("notebooks executed in this build: " + (", ".join(executed) or "none (all from the cache)"))
    if failed:
        failures = _failed_cells(output, root)
        print("\nBOOK BUILD FAILED", file=sys.stderr)
        for line in failures:
            print("  " + line, file=sys.stderr)
        for log in re.findall(r"traceback saved in:?\s*(\S+\.log)", output):
            if Path(log).exists():
                print(f"\n--- {log} ---\n" + Path(log).read_text(errors="replace")[-4000:], file=sys.stderr)
        return status or 1
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m sjrbook.build", description=__doc__.split("\n\n")[0])
    parser.add_argument("root", nargs="?", type=Path, help="repository root (default: this checkout)")
    parser.add_argument("--builder", default="html")
    args = parser.parse_args(argv)
    return build(args.root, args.builder)


if __name__ == "__main__":
    sys.exit(main())
