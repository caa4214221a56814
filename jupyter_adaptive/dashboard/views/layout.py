"""Layout every view shares: rows of controls that wrap rather than run off a narrow window (a
teacher reading at 200 % zoom, a small screen)."""

from __future__ import annotations

import ipywidgets as widgets

__all__ = ["row"]


def row(*children: widgets.Widget) -> widgets.HBox:
    """Widgets side by side, wrapping onto the next line when the window is too narrow."""
    return widgets.HBox(list(children), layout=widgets.Layout(flex_flow="row wrap"))
