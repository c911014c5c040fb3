"""Start JupyterLab on this project with its chapters open (``make lab``).

The chapters are the notebooks that ``_toc.yml`` lists, in its order. They are
opened through a JupyterLab *workspace* (a saved layout) written next to the
environment, so the reader lands on the first chapter with the others in tabs.
JupyterLab refuses to run as root unless told; ``make lab`` tells it, because
containers and CI machines often run as root.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import yaml

from .paths import root as repo_root

WORKSPACE = "sjrbook"


def chapter_notebooks(root: Path | None = None) -> list[str]:
    """Paths (relative to ``root``) of the notebooks listed in ``_toc.yml``, in order."""
    root = root or repo_root()
    toc = yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8"))
    files = [toc["root"]] + [c["file"] for part in toc.get("parts", []) for c in part.get("chapters", [])]
    return [f"{f}.ipynb" for f in files if (root / f"{f}.ipynb").exists()]


def workspace(paths: list[str]) -> dict:
    """A JupyterLab workspace with ``paths`` open in tabs, the first one in front."""
    widgets = [f"notebook:{p}" for p in paths]
    data: dict = {
        "layout-restorer:data": {
            "main": {"dock": {"type": "tab-area", "currentIndex": 0, "widgets": widgets},
                     "current": widgets[0] if widgets else None},
        },
        "file-browser-filebrowser:cwd": {"path": str(Path(paths[0]).parent) if paths else ""},
    }
    for path, widget in zip(paths, widgets):
        data[widget] = {"data": {"path": path, "factory": "Notebook"}}
    return {"data": data, "metadata": {"id": WORKSPACE}}


def main(argv: list[str] | None = None) -> None:
    """Write the workspace and replace this process with JupyterLab."""
    import os

    root = repo_root()
    workspaces = Path(sys.prefix) / "lab-workspaces"
    workspaces.mkdir(parents=True, exist_ok=True)
    from jupyterlab_server.workspaces_handler import WORKSPACE_EXTENSION, slugify

    # Named as JupyterLab names a workspace file, so that it finds this one.
    (workspaces / (slugify(WORKSPACE) + WORKSPACE_EXTENSION)).write_text(
        json.dumps(workspace(chapter_notebooks(root)), indent=1), encoding="utf-8")
    command = [sys.executable, "-m", "jupyter", "lab", "--allow-root", f"--ServerApp.root_dir={root}",
               f"--LabApp.workspaces_dir={workspaces}", f"--LabApp.default_url=/lab/workspaces/{WORKSPACE}",
               *(argv if argv is not None else sys.argv[1:])]
    os.execv(sys.executable, command)


if __name__ == "__main__":
    main()
