"""The Success tab: mastery gain and answers to mastery per unit (bars with 95% intervals), the
class's progress over the term, tables per unit and skill, and gaps between roster groups."""

from __future__ import annotations

import csv
import html
import io
from collections.abc import Callable, Sequence
from typing import Any

import bqplot
import ipywidgets as widgets
import numpy as np

from ...audit.schedule import audit_status
from ..rendering import html_table
from ..success import (
    Interval,
    Progress,
    SuccessSummary,
    group_gaps,
    grouped,
    intervals,
    stored_subgroups,
    success,
    success_figures,
    target_checks,
)
from .context import ViewContext
from .layout import row

__all__ = ["SuccessTab", "interval_bars"]

_HEADER = [
    "learners",
    "mean gain",
    "mastered share",
    "median answers to mastery",
    "median minutes to mastery",
]


def interval_bars(
    found: Sequence[Interval], title: str, label: Callable[[str], str] = str
) -> bqplot.Figure:
    """Bars of the means with a vertical line over each 95% interval."""
    x_scale, y_scale = bqplot.OrdinalScale(), bqplot.LinearScale(min=0.0)
    names = [label(interval.name) for interval in found]
    bars = bqplot.Bars(
        x=names,
        y=[interval.mean for interval in found],
        scales={"x": x_scale, "y": y_scale},
        colors=["#90caf9"],
    )
    whiskers = bqplot.Lines(
        x=[[name, name] for name in names],
        y=[[interval.low, interval.high] for interval in found],
        scales={"x": x_scale, "y": y_scale},
        colors=["#0d47a1"],
        stroke_width=2,
    )
    figure = bqplot.Figure(
        marks=[bars, whiskers],
        axes=[
            bqplot.Axis(scale=x_scale, tick_rotate=-25),
            bqplot.Axis(scale=y_scale, orientation="vertical"),
        ],
        title=title,
        fig_margin={"top": 40, "bottom": 110, "left": 50, "right": 20},
        layout=widgets.Layout(width="480px", height="340px"),
    )
    return figure


class SuccessTab:
    """Success metrics; a roster CSV (``user_id`` and group columns) adds the groups."""

    def __init__(self, context: ViewContext) -> None:
        self.context = context
        self.widget = widgets.VBox()
        self.widget.add_class("adaptive-success")
        self.upload = widgets.FileUpload(accept=".csv", description="Roster CSV")
        self.upload.observe(lambda change: self.load_roster(change["new"]), names="value")

    def refresh(self, roster: dict[str, dict[str, str]] | None = None) -> None:
        """Read the figures again, per roster group too: the roster given, else the subgroups
        stored with the course's roster."""
        context = self.context
        names = context.names
        progress, weeks = success_figures(context.store, context.course)
        roster = roster or stored_subgroups(context.store, context.course) or None
        units = grouped(progress, "unit")
        plots: list[widgets.Widget] = [
            interval_bars(intervals(units, "gain"), "Mean mastery gain per unit", names.unit_short),
            interval_bars(
                intervals(units, "answers"), "Mean answers to mastery per unit", names.unit_short
            ),
        ]
        if weeks:
            x_scale, y_scale = bqplot.DateScale(), bqplot.LinearScale(min=0.0, max=1.0)
            line = bqplot.Lines(
                x=np.array([np.datetime64(week, "D") for week, _ in weeks]),
                y=[share for _, share in weeks],
                scales={"x": x_scale, "y": y_scale},
                marker="circle",
            )
            plots.append(
                bqplot.Figure(
                    marks=[line],
                    axes=[
                        bqplot.Axis(scale=x_scale, label="week", tick_format="%d %b"),
                        bqplot.Axis(scale=y_scale, orientation="vertical", tick_format=".0%"),
                    ],
                    title="Share of skills mastered, by week",
                    fig_margin={"top": 40, "bottom": 50, "left": 50, "right": 20},
                    layout=widgets.Layout(width="480px", height="340px"),
                )
            )
        gaps: list[widgets.Widget] = []
        for gap in group_gaps(progress, roster or {}):
            groups = grouped(progress, gap.attribute, roster)
            gaps.append(
                widgets.HTML(
                    f"<p><b>{html.escape(gap.sentence())}</b></p>"
                    + html_table([gap.attribute, *_HEADER], _rows(gap.groups))
                )
            )
            gaps.append(
                interval_bars(intervals(groups, "gain"), f"Mean mastery gain by {gap.attribute}")
            )
        tables = widgets.HTML(
            _audit_and_targets(context, progress, roster)
            + "<h3>Per unit</h3>"
            + html_table(["unit", *_HEADER], _rows(success(progress, "unit"), names.unit))
            + "<h3>Per skill</h3>"
            + html_table(["skill", *_HEADER], _rows(success(progress, "skill"), names.skill))
        )
        self.widget.children = [
            row(*plots),
            tables,
            self.upload,
            *gaps,
        ]

    def load_roster(self, files: Sequence[Any]) -> None:
        """Read an uploaded roster CSV and show the groups."""
        if not files:
            return
        content = files[0]["content"]
        reader = csv.DictReader(io.StringIO(bytes(content).decode("utf-8")))
        roster = {
            row["user_id"]: {k: v for k, v in row.items() if k != "user_id" and v}
            for row in reader
            if row.get("user_id")
        }
        self.refresh(roster)


def _audit_and_targets(
    context: ViewContext, progress: list[Progress], roster: dict[str, dict[str, str]] | None
) -> str:
    """When the last audit ran (a warning when the quarterly one is due), and the course's
    targets against the class's figures."""
    status = audit_status(context.store, context.course)
    due = " adaptive-audit-due" if status.due else ""
    shown = f'<p class="adaptive-audit-status{due}">'
    shown += "<b>Audit due.</b> " if status.due else ""
    shown += f"{html.escape(status.sentence())}</p>"
    if context.curriculum is None:
        return shown
    checks = target_checks(progress, context.curriculum.targets, roster)
    verdicts = {True: "met", False: "not met", None: "no figure yet"}
    rows = [[f"{c.label} {c.detail}".strip(), c.target, c.actual, verdicts[c.met]] for c in checks]
    if rows:
        shown += "<h3>Targets</h3>" + html_table(
            ["target", "wanted", "actual", "met"],
            rows,
            caption="The course's targets (course.yaml) against the class's figures",
            row_headers=True,
        )
    return shown


def _rows(summaries: list[SuccessSummary], label: Callable[[str], str] = str) -> list[list[object]]:
    return [
        [
            label(s.name),
            s.learners,
            s.mean_gain,
            s.mastered_share,
            s.median_time_to_mastery,
            s.median_minutes_to_mastery,
        ]
        for s in summaries
    ]
