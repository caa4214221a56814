"""The Items tab: difficulty against discrimination (flagged items marked; a click opens the
item's attempts and errors), then the item analysis table, items that look broken first."""

from __future__ import annotations

import html
from typing import Any

import bqplot
import ipywidgets as widgets

from ...assessment.item_bank import BankFiles
from ..item_analysis import ItemStats, item_analysis
from ..item_map import ItemMap, ItemPoint, item_attempts, item_map
from ..rendering import html_table
from .context import ViewContext
from .layout import row

__all__ = ["ItemsTab"]


class ItemsTab:
    """The item map and table; ``open_item`` shows one item's attempts."""

    def __init__(self, context: ViewContext) -> None:
        self.context = context
        self.map = ItemMap("classical", [])
        self.x_scale = bqplot.LinearScale()
        self.y_scale = bqplot.LinearScale()
        tooltip = bqplot.Tooltip(fields=["name", "x", "y"], formats=["", ".2f", ".2f"])
        scales = {"x": self.x_scale, "y": self.y_scale}
        self.ok = bqplot.Scatter(
            x=[], y=[], scales=scales, colors=["#1565c0"], tooltip=tooltip, display_names=False
        )
        self.flagged = bqplot.Scatter(
            x=[],
            y=[],
            scales=scales,
            colors=["#c62828"],
            marker="cross",
            default_size=90,
            tooltip=tooltip,
            display_names=False,
        )
        self._points: dict[int, list[ItemPoint]] = {id(self.ok): [], id(self.flagged): []}
        for mark in (self.ok, self.flagged):
            mark.on_element_click(self._on_click)
        self.x_axis = bqplot.Axis(scale=self.x_scale, label="difficulty")
        self.y_axis = bqplot.Axis(
            scale=self.y_scale, orientation="vertical", label="discrimination"
        )
        self.figure = bqplot.Figure(
            marks=[self.ok, self.flagged],
            axes=[self.x_axis, self.y_axis],
            fig_margin={"top": 20, "bottom": 50, "left": 70, "right": 20},
            layout=widgets.Layout(width="560px", height="420px"),
        )
        self.figure.add_class("adaptive-item-map")
        self.attempts = widgets.HTML("<p>Click an item to see its attempts and errors.</p>")
        self.attempts.add_class("adaptive-item-attempts")
        self.table = widgets.HTML()
        self.table.add_class("adaptive-items")
        self.widget = widgets.VBox(
            [
                widgets.HTML(
                    "<p>Each dot an item; red crosses are flagged items (see the table).</p>"
                ),
                row(self.figure, self.attempts),
                self.table,
            ]
        )

    def refresh(self) -> None:
        """Read the item analysis again (with the course's calibrated bank when there is one)."""
        context = self.context
        bank = BankFiles(context.models.model_dir).get(context.course)
        stats = item_analysis(context.store, context.course, context.curriculum, bank)
        self.map = item_map(stats)
        self.x_axis.label = self.map.difficulty_label
        self.y_axis.label = self.map.discrimination_label
        for mark, flagged in ((self.ok, False), (self.flagged, True)):
            points = [p for p in self.map.points if p.flagged == flagged]
            self._points[id(mark)] = points
            with mark.hold_sync():
                mark.x = [p.difficulty for p in points]
                mark.y = [p.discrimination for p in points]
                mark.names = [context.names.item(p.item) for p in points]
        self.table.value = self._table(stats)

    def _table(self, stats: list[ItemStats]) -> str:
        names = self.context.names
        rows = [
            [
                names.item(s.item),
                ", ".join(names.skill(skill) for skill in s.skills),
                s.attempts,
                s.learners,
                s.proportion_correct,
                s.first_try,
                s.discrimination,
                s.irt_summary,
                ", ".join(f"{name} ×{count}" for name, count in s.errors),
                "; ".join(f"{title} ×{count}" for title, count in s.misconceptions),
                "; ".join(s.flags),
            ]
            for s in stats
        ]
        header = [
            "item",
            "skills",
            "attempts",
            "learners",
            "proportion correct",
            "first try",
            "discrimination",
            "2PL (logistic)",
            "frequent errors",
            "misconceptions",
            "flags",
        ]
        return html_table(header, rows)

    def _on_click(self, mark: Any, event: dict[str, Any]) -> None:
        index = event.get("data", {}).get("index")
        points = self._points.get(id(mark), [])
        if isinstance(index, int) and 0 <= index < len(points):
            self.open_item(points[index].item)

    def open_item(self, item: str) -> None:
        """Show the item's newest attempts and its errors beside the map."""
        found = item_attempts(self.context.store, self.context.course, item)
        errors = ", ".join(f"{name} ×{count}" for name, count in found.errors) or "none"
        self.attempts.value = (
            f"<h4>{html.escape(self.context.names.item(item))}</h4>"
            f"<p>Errors: {html.escape(errors)}</p>"
            + html_table(
                ["time", "learner", "outcome", "error"],
                [
                    [when.strftime("%m-%d %H:%M") if when else "", who, outcome, error]
                    for when, who, outcome, error in found.attempts
                ],
            )
        )
