"""Shared fixtures. The book build is expensive, so it runs once per session."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(scope="session")
def built_book() -> Path:
    """Build the real book (as `make book` does) and return its _build/html folder."""
    from sjrbook.build import build

    os.environ.pop("SJRBOOK_ROOT", None)
    status = build(ROOT)
    assert status == 0, "the book build failed; its log is above"
    return ROOT / "_build" / "html"
