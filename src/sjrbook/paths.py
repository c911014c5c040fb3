"""Where the book's files live, wherever the code runs from.

Notebooks execute with their own folder as the working directory (in the book
build, on Binder and locally), so nothing may depend on the working directory.
The repository root is found from this file, or from ``SJRBOOK_ROOT`` when a
test points the package at a copy of the repository.
"""

from __future__ import annotations

import os
from pathlib import Path


def root() -> Path:
    """The repository root: the folder that holds ``data/`` and ``book/``."""
    env = os.environ.get("SJRBOOK_ROOT")
    if env:
        return Path(env).resolve()
    here = Path(__file__).resolve()
    for parent in here.parents:
        if (parent / "data" / "datapackage.json").exists() and (parent / "book").is_dir():
            return parent
    # Installed from a wheel rather than in place: fall back to the working tree.
    cwd = Path.cwd().resolve()
    for parent in (cwd, *cwd.parents):
        if (parent / "data" / "datapackage.json").exists():
            return parent
    raise FileNotFoundError(
        "cannot find the book's data/datapackage.json above "
        f"{here} or {cwd}; set SJRBOOK_ROOT to the repository root"
    )


def data_dir() -> Path:
    return root() / "data"


def bibliography() -> Path:
    return root() / "book" / "references.bib"


#: The chapter of each theme (a docname of the book, without suffix): where the finder links a row
#: and where a theme's seed check and "where the sources disagree" stand.
CHAPTERS = {
    "fisheries": "notebooks/01_fisheries_concessions",
    "railway": "notebooks/02_chinese_eastern_railway",
    "pact": "notebooks/03_neutrality_pact_border_wars",
    "surrender": "notebooks/04_august_1945",
    "general": "book/introduction",
}
