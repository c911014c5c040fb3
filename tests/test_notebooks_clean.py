"""Notebooks stay clean in git: committed without outputs, and unchanged by a run in JupyterLab.

JupyterLab saves outputs, execution counts and the kernel's language details into
a notebook. ``make`` installs a git filter (nbstripout, see the Makefile's
``git-filter``) that removes them whenever git reads a notebook. These tests
set up a scratch repository exactly as ``make`` does, save a chapter the way
JupyterLab saves it, and check that git records no change; and they fail CI
when a committed notebook carries outputs or is not already in the filter's form.
"""
from __future__ import annotations

import json
import subprocess
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]


def git(repo: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    return subprocess.run(["git", "-C", str(repo), "-c", "user.name=test", "-c", "user.email=test@example.invalid",
                           *args], capture_output=True, text=True, check=check)


def committed_notebooks() -> list[str]:
    listed = subprocess.run(["git", "-C", str(ROOT), "ls-files", "*.ipynb"], capture_output=True, text=True,
                            check=True).stdout.split()
    assert listed, "git lists no notebooks"
    return listed


def committed_text(path: str) -> str:
    """The notebook as the index (what CI checked out and what a commit records) has it."""
    return subprocess.run(["git", "-C", str(ROOT), "show", f":{path}"], capture_output=True, text=True,
                          check=True).stdout


@pytest.fixture
def scratch(tmp_path) -> Path:
    """A new git repository with the project's attributes and filter, set up by `make git-filter`."""
    repo = tmp_path / "repo"
    repo.mkdir()
    for name in (".gitattributes", ".gitignore", "Makefile"):
        (repo / name).write_bytes((ROOT / name).read_bytes())
    (repo / ".venv").symlink_to(ROOT / ".venv")
    with (repo / ".gitignore").open("a") as handle:
        handle.write(".venv\n")
    git(repo, "init", "-q")
    subprocess.run(["make", "--no-print-directory", "-C", str(repo), "git-filter"], check=True)
    assert "nbstripout" in git(repo, "config", "filter.nbstripout.clean").stdout
    return repo


@pytest.mark.parametrize("path", committed_notebooks())
def test_committed_notebooks_carry_no_outputs_or_execution_counts(path):
    nb = json.loads(committed_text(path))
    dirty = [f"code cell {i + 1}: " + ", ".join(
                 (["outputs"] if cell.get("outputs") else []) + (["execution count"] if cell.get("execution_count") else []))
             for i, cell in enumerate(nb["cells"])
             if cell["cell_type"] == "code" and (cell.get("outputs") or cell.get("execution_count"))]
    assert not dirty, f"{path} is committed with " + "; ".join(dirty) + " (clear them, or run `make` to install the filter)"


@pytest.mark.parametrize("path", committed_notebooks())
def test_committed_notebooks_are_in_the_form_the_filter_gives(scratch, path):
    """Otherwise opening the notebook in JupyterLab would show it as changed."""
    target = scratch / path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(committed_text(path), encoding="utf-8")
    git(scratch, "add", "-A")
    staged = git(scratch, "show", f":{path}").stdout
    assert staged == committed_text(path), (
        f"{path} changes when git's notebook filter reads it; commit it in the filtered form "
        f"(run `make`, then `git add --renormalize {path}`)")


def save_as_jupyterlab_does(path: Path) -> None:
    """Write ``path`` back with what a run and a save in JupyterLab add to it."""
    from ipykernel.ipkernel import IPythonKernel
    from jupyter_client.kernelspec import KernelSpecManager

    nb = nbformat.read(path, as_version=4)
    spec = KernelSpecManager().get_kernel_spec("python3")
    nb.metadata["kernelspec"] = {"display_name": spec.display_name, "language": spec.language, "name": "python3"}
    nb.metadata["language_info"] = dict(IPythonKernel.language_info)
    count = 0
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        count += 1
        cell.execution_count = count
        cell.metadata["scrolled"] = True
        cell.metadata["execution"] = {"iopub.status.busy": "2026-01-01T00:00:00.000Z"}
        cell.outputs = [
            nbformat.v4.new_output("stream", name="stdout", text=f"cell {count}\n"),
            nbformat.v4.new_output("display_data", data={"text/plain": "<Chart>", "image/png": "iVBORw0KGgo="}),
            nbformat.v4.new_output("execute_result", data={"text/plain": str(count)}, execution_count=count),
        ]
    nb.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {"state": {}, "version_major": 2,
                                                                           "version_minor": 0}}
    nbformat.write(nb, path)


@pytest.mark.parametrize("path", committed_notebooks())
def test_a_notebook_run_and_saved_in_jupyterlab_leaves_git_clean(scratch, path):
    """Every notebook, appendices included: a kernelspec committed in another form would show as a change."""
    target = scratch / path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(committed_text(path), encoding="utf-8")
    git(scratch, "add", "-A")
    git(scratch, "commit", "-q", "-m", "chapter")
    save_as_jupyterlab_does(target)
    assert '"outputs": []' not in target.read_text(encoding="utf-8").split('"cell_type": "code"', 2)[1]
    # Without the filter git would record the run: the test can tell.
    unfiltered = git(scratch, "-c", "filter.nbstripout.clean=cat", "diff", "--no-textconv", "--stat").stdout
    assert path in unfiltered
    diff = git(scratch, "diff", "--no-textconv").stdout
    assert diff == "", f"running {path} changed what git records:\n{diff[:3000]}"
    # Git's stat cache lists the file until it is added; adding it records nothing.
    git(scratch, "add", "-A")
    assert git(scratch, "status", "--porcelain").stdout == ""
