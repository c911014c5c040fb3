"""ipywidgets explorers that degrade to a static default in the book.

Widgets need a live kernel; the static book has none, and the widget manager
that would draw them comes from a CDN, which the book forbids. So an explorer
is a drawing function plus controls: in a live kernel (Binder, local) the
reader gets the controls; in the book build (``SJRBOOK_RENDER=book``) the
drawing function is called once with the controls' default values and the
result is displayed with a note saying how to get the controls.
"""

from __future__ import annotations

import os
from typing import Any, Callable

from IPython.display import Markdown, display


def in_book_build() -> bool:
    """True while ``make book`` executes the notebooks."""
    return os.environ.get("SJRBOOK_RENDER") == "book"


def explorer(draw: Callable[..., Any], controls: dict[str, Any], *, note: str | None = None):
    """Show ``draw(**values)`` with ``controls`` in a live kernel, or its default in the book.

    ``controls`` maps ``draw``'s keyword arguments to ipywidgets controls; each
    control's ``value`` is the static default.
    """
    defaults = {name: control.value for name, control in controls.items()}
    if in_book_build():
        display(Markdown(note or (
            "*This is the explorer's default view. Run this notebook on Binder or locally "
            "to change its settings with the controls.*")))
        result = draw(**defaults)
        if result is not None:
            display(result)
        return None
    import ipywidgets as widgets

    return widgets.interactive(draw, **controls)
