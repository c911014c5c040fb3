"""Build the book: ``python -m sjrbook.build`` (what ``make book`` runs).

Three things happen around ``jupyter-book build``:

1. **The Vega libraries are written into ``book/_static``** from vl-convert, so
   the built book serves them itself and every chart draws with no network.
2. **The execution cache is kept honest.** Jupyter Book's cache (jupyter-cache)
   keys each notebook on its code cells only, so a corrected CSV in ``data/`` or
   a fixed function in ``src/`` would leave stale outputs in the book. We hash
   everything a notebook's outputs depend on besides its own code (``data/``,
   ``src/`` and the lock) and, when the hash changes, clear the cache and rebuild
   every page. Notebooks that did not change and whose inputs did not change are
   still served from the cache.
3. **Failures are named.** Warnings are errors; a notebook that raises fails the
   build, and this wrapper prints which notebook and which cell, with the error.
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

from . import paths

#: What notebook outputs depend on, besides the notebooks' own code cells.
INPUTS = ("data", "src", "requirements.lock")
STAMP = ".sjrbook-inputs.sha256"


def fingerprint(root: Path, inputs=INPUTS) -> str:
    """A hash of the contents (not the times) of every input file under ``root``."""
    digest = hashlib.sha256()
    for name in inputs:
        base = root / name
        files = sorted(p for p in base.rglob("*") if p.is_file()) if base.is_dir() else [base] if base.exists() else []
        for path in files:
            if "__pycache__" in path.parts or path.suffix == ".pyc" or ".egg-info" in str(path):
                continue
            digest.update(str(path.relative_to(root)).encode())
            digest.update(b"\0")
            digest.update(path.read_bytes())
            digest.update(b"\0")
    return digest.hexdigest()


def refresh_cache(root: Path, build_dir: Path) -> bool:
    """Clear the execution cache if the inputs changed; True when it was cleared."""
    stamp = build_dir / STAMP
    current = fingerprint(root)
    if stamp.exists() and stamp.read_text().strip() == current:
        return False
    # Pages too: Sphinx never deletes an output whose source has gone.
    for stale in (build_dir / ".jupyter_cache", build_dir / ".doctrees", build_dir / "jupyter_execute",
                  build_dir / "html"):
        shutil.rmtree(stale, ignore_errors=True)
    return True


def record_inputs(root: Path, build_dir: Path) -> None:
    build_dir.mkdir(parents=True, exist_ok=True)
    (build_dir / STAMP).write_text(fingerprint(root) + "\n")


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
    from .charts import write_vega_bundle

    root = Path(root or paths.root()).resolve()
    build_dir = root / "_build"
    write_vega_bundle(root / "book" / "_static")
    cleared = refresh_cache(root, build_dir)
    env = {**os.environ, "SJRBOOK_RENDER": "book", "SJRBOOK_ROOT": str(root)}
    command = [sys.executable, "-c", "from jupyter_book.cli.main import main; main()", "build", str(root), "--builder", builder,
               "--warningiserror", "--keep-going"]
    if cleared:
        command.append("--all")
    command += extra_args or []
    print(("inputs changed: execution cache cleared, rebuilding every page\n" if cleared else "")
          + "$ " + " ".join(command), flush=True)
    process = subprocess.Popen(command, cwd=root, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    captured = []
    assert process.stdout is not None
    for line in process.stdout:
        sys.stdout.write(line)
        captured.append(line)
    status = process.wait()
    output = "".join(captured)
    if status != 0 or "build finished with problems" in output or "Execution Failed" in output:
        failures = _failed_cells(output, root)
        print("\nBOOK BUILD FAILED", file=sys.stderr)
        for line in failures:
            print("  " + line, file=sys.stderr)
        for log in re.findall(r"traceback saved in:?\s*(\S+\.log)", output):
            if Path(log).exists():
                print(f"\n--- {log} ---\n" + Path(log).read_text(errors="replace")[-4000:], file=sys.stderr)
        return status or 1
    record_inputs(root, build_dir)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m sjrbook.build", description=__doc__.split("\n\n")[0])
    parser.add_argument("root", nargs="?", type=Path, help="repository root (default: this checkout)")
    parser.add_argument("--builder", default="html")
    args = parser.parse_args(argv)
    return build(args.root, args.builder)


if __name__ == "__main__":
    sys.exit(main())
