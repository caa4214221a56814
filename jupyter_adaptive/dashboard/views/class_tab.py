"""The Class tab: the learners × skills heat map with filters, pages and a CSV export."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import bqplot
import ipywidgets as widgets
import numpy as np

from ..class_view import SORT_KEYS, ClassView, LearnerRow, class_view
from ..export import to_csv
from ..names import Names
from ..rendering import NOT_PRACTISED_FILL, download_link, html_table
from .context import ALL, ViewContext
from .layout import row

__all__ = [
    "NOT_PRACTISED",
    "PAGE_SIZE",
    "SCHEME",
    "ClassTab",
    "mastery_table",
]

#: Learners per page of the heat map (an SVG cell per learner and skill stays light).
PAGE_SIZE = 40
#: The heat map's colours: viridis, dark purple at 0 to yellow at 1, is read the same with any
#: colour vision (its lightness rises steadily, so it survives greyscale printing too); the
#: red-to-green scheme it replaces is the pair that colour-blind teachers confuse most.
SCHEME = "viridis"
#: What the table says where the heat map shows a not-practised cell.
NOT_PRACTISED = "not practised"


def _swatch(colour: str) -> str:
    """A small square of ``colour`` beside the word that names it."""
    return f'<span class="adaptive-swatch" style="background:{colour}" aria-hidden="true"></span>'


def mastery_table(view: ClassView, rows: Sequence[LearnerRow], names: Names, caption: str) -> str:
    """The heat map as a table, its accessible alternative: a row per learner (their name the
    row's header), their mean, attempts and last activity, then P(mastered) per skill by name,
    ``not practised`` where the heat map is grey."""
    header = [
        "learner",
        "mean mastery",
        "attempts",
        "last activity",
        *(names.skill(skill) for skill in view.skills),
    ]
    body = [
        [
            row.learner,
            row.mean_mastery,
            row.attempts,
            row.last_activity.strftime("%Y-%m-%d %H:%M") if row.last_activity else "",
            *(NOT_PRACTISED if p is None else p for p in row.mastery),
        ]
        for row in rows
    ]
    return html_table(header, body, caption=caption, row_headers=True)


class ClassTab:
    """Heat map of P(mastered); a click on a cell calls ``open_learner`` with that learner."""

    def __init__(self, context: ViewContext, open_learner: Callable[[str], None]) -> None:
        self.context = context
        self.open_learner = open_learner
        self.view: ClassView = class_view(context.store, context.course)
        self.page = 0
        names = context.names
        self.units = dict(self.view.units)
        self.unit_filter = widgets.Dropdown(
            options=[(ALL, ALL), *((names.unit(u), u) for u in self.units)], description="Unit"
        )
        self.skill_filter = widgets.Dropdown(
            options=[(ALL, ALL), *names.skill_options(self.view.skills)], description="Skill"
        )
        self.sort = widgets.Dropdown(options=SORT_KEYS, value="learner", description="Sort by")
        self.descending = widgets.Checkbox(value=False, description="descending")
        self.previous = widgets.Button(description="◀ previous")
        self.next = widgets.Button(description="next ▶")
        self.page_label = widgets.HTML()
        self.unit_filter.observe(lambda change: self._narrow_skills(change["new"]), names="value")
        for control in (self.unit_filter, self.skill_filter, self.sort, self.descending):
            control.observe(lambda _change: self.refresh(reset_page=True), names="value")
        self.previous.on_click(lambda _button: self._turn(-1))
        self.next.on_click(lambda _button: self._turn(1))
        self.row_scale = bqplot.OrdinalScale(reverse=True)
        self.column_scale = bqplot.OrdinalScale()
        self.heatmap = bqplot.GridHeatMap(
            color=np.full((2, 2), np.nan),
            scales={
                "row": self.row_scale,
                "column": self.column_scale,
                "color": bqplot.ColorScale(min=0, max=1, scheme=SCHEME),
            },
            stroke="white",
            interactions={"click": "select"},
            tooltip=bqplot.Tooltip(fields=["row", "column", "color"], formats=["", "", ".2f"]),
        )
        self.heatmap.on_element_click(self._on_cell_click)
        axes = [
            bqplot.Axis(scale=self.row_scale, orientation="vertical"),
            bqplot.Axis(
                scale=self.column_scale,
                side="top",
                tick_rotate=-40,
                tick_style={"text-anchor": "start"},
            ),
            bqplot.ColorAxis(scale=self.heatmap.scales["color"], label="P(mastered)"),
        ]
        self.figure = bqplot.Figure(
            marks=[self.heatmap],
            axes=axes,
            fig_margin={"top": 200, "bottom": 70, "left": 110, "right": 220},
            layout=widgets.Layout(width="100%", height="720px"),
        )
        self.figure.add_class("adaptive-class-heatmap")
        self.table = widgets.HTML()
        self.export = widgets.HTML()
        self.widget = widgets.VBox(
            [
                row(self.unit_filter, self.skill_filter, self.sort, self.descending),
                row(self.previous, self.page_label, self.next, self.export),
                widgets.HTML(
                    f"<p>Colour: P(mastered), from dark purple {_swatch('#440154')} (0) to "
                    f"yellow {_swatch('#fde725')} (1); light grey "
                    f"{_swatch(NOT_PRACTISED_FILL)}: not practised yet. Click a cell to open "
                    "that learner. The table below the map gives the same numbers.</p>"
                ),
                self.figure,
                self.table,
            ]
        )
        self.widget.add_class("adaptive-class")
        self._draw()

    def _narrow_skills(self, unit: str) -> None:
        """Offer only the chosen unit's skills in the skill filter."""
        skills = self.units.get(unit) or [s for group in self.units.values() for s in group]
        with self.skill_filter.hold_trait_notifications():
            self.skill_filter.options = [(ALL, ALL), *self.context.names.skill_options(skills)]
            self.skill_filter.value = ALL

    def _turn(self, step: int) -> None:
        pages = max(1, -(-len(self.view.rows) // PAGE_SIZE))
        self.page = min(max(0, self.page + step), pages - 1)
        self._draw()

    def refresh(self, reset_page: bool = False) -> None:
        """Read the class view again with the current filters and sort; the heat map's cells
        change in place (its shape only when learners or skills were added)."""
        unit = self.unit_filter.value
        skill = self.skill_filter.value
        self.view = class_view(
            self.context.store,
            self.context.course,
            units=() if unit == ALL else (unit,),
            skills=() if skill == ALL else (skill,),
            sort=self.sort.value,
            descending=self.descending.value,
        )
        if reset_page:
            self.page = 0
        self._draw()

    def _draw(self) -> None:
        rows = self.view.rows[self.page * PAGE_SIZE : (self.page + 1) * PAGE_SIZE]
        pages = max(1, -(-len(self.view.rows) // PAGE_SIZE))
        self.page_label.value = (
            f"page {self.page + 1} of {pages} ({len(self.view.rows)} learners, "
            f"{len(self.view.skills)} skills)"
        )
        if rows and self.view.skills:
            learners = [row.learner for row in rows]
            skills = [self.context.names.skill(skill) for skill in self.view.skills]
            color = np.array(
                [[np.nan if p is None else p for p in row.mastery] for row in rows], dtype=float
            )
            # bqplot squeezes a single row or column away; pad with a blank one.
            if len(learners) == 1:
                learners.append(" ")
                color = np.vstack([color, np.full((1, len(skills)), np.nan)])
            if len(skills) == 1:
                skills.append(" ")
                color = np.hstack([color, np.full((len(learners), 1), np.nan)])
            same_shape = (
                list(self.heatmap.row if self.heatmap.row is not None else []) == (learners)
                and list(self.heatmap.column if self.heatmap.column is not None else []) == skills
            )
            with self.heatmap.hold_sync():
                if same_shape:
                    self.heatmap.color = color
                else:
                    self.heatmap.row = None
                    self.heatmap.column = None
                    self.heatmap.color = color
                    self.heatmap.row = learners
                    self.heatmap.column = skills
            self.figure.layout.height = f"{max(400, 290 + 20 * len(learners))}px"
            # A narrow window (200 % zoom) scrolls the map sideways rather than squeeze its
            # columns below what their names need.
            self.figure.layout.min_width = f"{360 + 24 * len(skills)}px"
        else:
            with self.heatmap.hold_sync():
                self.heatmap.row = None
                self.heatmap.column = None
                self.heatmap.color = np.full((2, 2), np.nan)
        self.table.value = mastery_table(
            self.view,
            rows,
            self.context.names,
            f"P(mastered) per learner and skill, {self.page_label.value}",
        )
        self.export.value = download_link(
            "Export class view (CSV)", f"{self.context.course}-class.csv", to_csv(self.view)
        )

    def _on_cell_click(self, _mark: Any, event: dict[str, Any]) -> None:
        row = event.get("data", {}).get("row")
        learners = [str(name) for name in self.heatmap.row]
        if isinstance(row, int) and 0 <= row < len(learners):
            row = learners[row]
        if isinstance(row, str) and row.strip() and row in learners:
            self.open_learner(row)
