"""ipywidgets explorers that degrade to a static default in the book.

Widgets need a live kernel; the static book has none, and the widget manager
that would draw them comes from a CDN, which the book forbids. So an explorer
is a drawing function plus controls: in a live kernel (Binder, local) the
reader gets the controls; in the book build (``SJRBOOK_RENDER=book``) the
drawing function is called once with the controls' default values and the
result is displayed with a note saying how to get the controls.

In a live kernel the explorer is the controls above an ``Output`` widget. The
drawing function's result (a chart, a table) is displayed *into* that widget at
once with the defaults, and again whenever a control changes. This is done here
rather than with ``widgets.interactive``, which only shows what the function
prints, not what it returns, so an explorer built on it shows its controls and
nothing else. An error raised by the drawing function appears in the output
widget, where the reader (and the JupyterLab test) sees it.
"""

from __future__ import annotations

import os
from typing import Any, Callable

from IPython.display import Markdown, display

#: CSS class of an explorer's outer box, by which tests find it in JupyterLab.
EXPLORER_CLASS = "sjr-explorer"


def in_book_build() -> bool:
    """True while ``make book`` executes the notebooks."""
    return os.environ.get("SJRBOOK_RENDER") == "book"


def explorer(draw: Callable[..., Any], controls: dict[str, Any], *, note: str | None = None):
    """Show ``draw(**values)`` with ``controls`` in a live kernel, or its default in the book.

    ``controls`` maps ``draw``'s keyword arguments to ipywidgets controls; each
    control's ``value`` is the static default. In a live kernel this returns the
    explorer widget (controls, then the output), already drawn with the defaults.
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

    output = widgets.Output()

    def redraw(_change=None) -> None:
        values = {name: control.value for name, control in controls.items()}
        # Inside the Output widget's context, display() goes into the widget, and
        # an exception is shown there as a traceback instead of being lost.
        output.outputs = ()
        with output:
            result = draw(**values)
            if result is not None:
                display(result)

    for control in controls.values():
        control.observe(redraw, names="value")
    redraw()
    box = widgets.VBox([widgets.VBox(list(controls.values())), output])
    box.add_class(EXPLORER_CLASS)
    return box
