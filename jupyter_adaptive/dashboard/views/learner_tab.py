"""The Learner tab: one learner's story - estimates over time (a line per skill, the mastery
threshold dashed), the evidence behind each change with drafts, the step log of a unit, appeals
and the audit trail - beside the teacher's actions on that learner."""

from __future__ import annotations

import html
from collections.abc import Callable, Mapping
from datetime import datetime

import bqplot
import ipywidgets as widgets
import numpy as np

from ...errors import AdaptiveError
from ...risk.trajectory import MASTERED
from ..at_risk import at_risk
from ..export import to_csv
from ..learner_detail import LearnerDetail, learner_detail
from ..mastery_history import mastery_history
from ..rendering import diff_html, download_link, draft_html, html_table
from ..step_log import step_log, units_worked
from .actions import ActionsPanel
from .context import ViewContext
from .layout import row

__all__ = ["LearnerTab"]


def _naive(when: datetime) -> np.datetime64:
    """A stored time (UTC) as the numpy datetime bqplot's date scale takes."""
    return np.datetime64(when.replace(tzinfo=None), "ms")


class LearnerTab:
    """The selected learner's story; ``show`` draws a learner (the first one at start)."""

    def __init__(
        self,
        context: ViewContext,
        learners: list[str],
        units: Mapping[str, list[str]],
        changed: Callable[[], None],
    ) -> None:
        self.context = context
        self.units = units
        self.detail_data: LearnerDetail | None = None
        self.pick = widgets.Dropdown(options=learners, value=None, description="Learner")
        self.pick.observe(lambda change: self.show(change["new"]), names="value")
        self.export = widgets.HTML()
        self.x_scale = bqplot.DateScale()
        self.y_scale = bqplot.LinearScale(min=0.0, max=1.0)
        self.lines = bqplot.Lines(
            x=[], y=[], scales={"x": self.x_scale, "y": self.y_scale}, display_legend=True
        )
        self.threshold = bqplot.Lines(
            x=[],
            y=[],
            scales={"x": self.x_scale, "y": self.y_scale},
            colors=["#888888"],
            line_style="dashed",
            labels=[f"mastered ({MASTERED:.2f})"],
            display_legend=True,
        )
        self.history = bqplot.Figure(
            marks=[self.lines, self.threshold],
            axes=[
                bqplot.Axis(scale=self.x_scale, label="time", tick_format="%d %b"),
                bqplot.Axis(scale=self.y_scale, orientation="vertical", label="P(mastered)"),
            ],
            legend_location="top-left",
            fig_margin={"top": 20, "bottom": 50, "left": 60, "right": 20},
            layout=widgets.Layout(width="100%", height="360px"),
        )
        self.history.add_class("adaptive-mastery-history")
        self.detail = widgets.HTML()
        self.detail.add_class("adaptive-student-detail")
        self.unit_pick = widgets.Dropdown(description="Unit")
        self.unit_pick.observe(lambda change: self._draw_unit(change["new"]), names="value")
        self.steps = widgets.HTML()
        self.steps.add_class("adaptive-step-log")
        self.next_step = widgets.HTML()
        self.next_step.add_class("adaptive-next-step")
        self.actions = ActionsPanel(context, self._after_action)
        self._changed = changed
        story = widgets.VBox(
            [
                self.unit_pick,
                self.history,
                self.next_step,
                widgets.HTML("<h4>Step log of the unit: how each answer was reached</h4>"),
                self.steps,
                self.detail,
            ],
            layout=widgets.Layout(flex="3 1 30em"),
        )
        self.widget = widgets.VBox(
            [
                row(self.pick, self.export),
                row(story, self.actions.widget),
            ]
        )

    @property
    def learner(self) -> str | None:
        """The learner shown."""
        return self.pick.value

    def show(self, learner: str | None) -> None:
        """Draw ``learner``'s story (adding them to the picker if new)."""
        if learner is None:
            return
        if learner not in self.pick.options:
            self.pick.options = [*self.pick.options, learner]
        if self.pick.value != learner:
            self.pick.value = learner  # observed: draws through here again
            return
        context = self.context
        self._draw(learner_detail(context.store, learner, context.course, context.names.skill))

    def _after_action(self) -> None:
        if self.learner is not None:
            self._draw(
                learner_detail(
                    self.context.store, self.learner, self.context.course, self.context.names.skill
                )
            )
        self._changed()

    def _draw(self, detail: LearnerDetail) -> None:
        self.detail_data = detail
        names = self.context.names
        mastery = html_table(
            ["skill", "P(mastered)"],
            [[names.skill(skill), p] for skill, p in sorted(detail.mastery.items())],
        )
        self.detail.value = (
            f"<h3>{html.escape(detail.learner)}</h3>{self._flags(detail.learner)}"
            f"<h4>Estimates</h4>{mastery}"
            f"<h4>Timeline: what they did and the evidence behind each change</h4>"
            f"{self._timeline(detail)}"
        )
        units = units_worked(detail) or list(self.units)
        self.unit_pick.options = [(names.unit(unit), unit) for unit in units]
        self.unit_pick.value = units[0] if units else None
        self._draw_unit(self.unit_pick.value)
        self.actions.show(detail)
        self.export.value = download_link(
            "Export this learner (CSV)", f"{detail.learner}.csv", to_csv(detail)
        )

    def _flags(self, learner: str) -> str:
        """The learner's at-risk flag with its reasons (transparent rules), if flagged."""
        found = at_risk(self.context.store, self.context.course, learner=learner)
        if not found or not found[0].flagged:
            return "<p>Not flagged at risk.</p>"
        reasons = "".join(
            f"<li>{html.escape(reason.sentence)} (weight {reason.weight:.2f})</li>"
            for reason in found[0].reasons
        )
        return (
            f'<div class="adaptive-flags"><b>Flagged at risk</b> (rules, score '
            f"{found[0].score:.2f}):<ul>{reasons}</ul></div>"
        )

    def _timeline(self, detail: LearnerDetail) -> str:
        names = self.context.names
        rows = []
        for entry in detail.timeline:
            what = entry.outcome or ""
            if entry.error:
                what += f" ({entry.error})"
            text = draft_html(entry.draft)
            if entry.message:
                text += f"<p>“{html.escape(entry.message)}”</p>"
            rows.append(
                [
                    entry.time.strftime("%Y-%m-%d %H:%M:%S") if entry.time else "",
                    entry.kind,
                    names.item(entry.item) if entry.item else "",
                    f"{what} try {entry.attempt}" if entry.attempt else what,
                    "" if entry.duration_s is None else f"{entry.duration_s:.0f} s",
                    "" if entry.hints_used is None else str(entry.hints_used),
                    "<br>".join(
                        html.escape(f"{names.skill(change[0])}: {change[3]}")
                        for change in entry.changes
                    ),
                    text,
                ]
            )
        return html_table(
            ["time", "kind", "item", "outcome", "time spent", "hints", "evidence", "draft"],
            rows,
            raw={6, 7},
        )

    def _draw_unit(self, unit: str | None) -> None:
        self._draw_lines(unit)
        self._draw_steps(unit)
        self._draw_next(unit)

    def _draw_next(self, unit: str | None) -> None:
        """What the policy recommends the learner next in ``unit``, and why."""
        advisor, learner = self.context.advisor, self.learner
        if advisor is None or learner is None:
            self.next_step.value = (
                "<p><i>Next step: open the dashboard with the course's folder to see what the "
                "policy recommends.</i></p>"
            )
            return
        course = self.context.course
        try:
            found = advisor.next(
                learner, course, unit if advisor.course(course).unit(unit or "") else None
            )
        except AdaptiveError as exc:
            self.next_step.value = f"<p><i>Next step: {html.escape(exc.message)}</i></p>"
            return
        if found["item"] is None:
            self.next_step.value = (
                f"<p><b>Next:</b> nothing to practise: {html.escape(found['reason'])}</p>"
            )
            return
        item = html.escape(self.context.names.item(found["item"]))
        self.next_step.value = (
            f"<p><b>Next, the policy recommends</b> {item}: {html.escape(found['reason'])}</p>"
        )

    def _draw_lines(self, unit: str | None) -> None:
        """A line per skill of ``unit`` (of every skill when the unit's skills are unknown)."""
        if self.detail_data is None:
            return
        history = mastery_history(self.detail_data)
        shown = self.units.get(unit or "")
        if shown:
            history = {skill: points for skill, points in history.items() if skill in shown}
        # bqplot takes lines of one length: a shorter line repeats its last point.
        longest = max((len(points) for points in history.values()), default=0)
        padded = [points + points[-1:] * (longest - len(points)) for points in history.values()]
        with self.lines.hold_sync():
            self.lines.x = np.array([[_naive(when) for when, _ in line] for line in padded])
            self.lines.y = np.array([[p for _, p in line] for line in padded])
            self.lines.labels = [self.context.names.skill(skill) for skill in history]
        times = [_naive(when) for points in history.values() for when, _ in points]
        with self.threshold.hold_sync():
            self.threshold.x = np.array([min(times), max(times)] if times else [])
            self.threshold.y = [MASTERED, MASTERED] if times else []

    def _draw_steps(self, unit: str | None) -> None:
        if self.detail_data is None or unit is None:
            self.steps.value = "<p>No runs recorded yet.</p>"
            return
        names = self.context.names
        rows = []
        for step in step_log(self.detail_data, unit):
            if step.diff:
                code = diff_html(step.diff)
            elif step.first_draft is not None:
                code = draft_html(step.first_draft)
            else:
                code = "" if step.draft_kept else "<i>draft not kept (consent)</i>"
            since = step.seconds_since_previous
            rows.append(
                [
                    step.time.strftime("%m-%d %H:%M:%S") if step.time else "",
                    names.item(step.item),
                    step.kind if step.attempt is None else f"{step.kind} {step.attempt}",
                    step.outcome or "",
                    step.error or "",
                    "" if step.hints_used is None else step.hints_used,
                    "" if since is None else f"{since:.0f} s",
                    code,
                ]
            )
        self.steps.value = html_table(
            ["time", "item", "run", "outcome", "error", "hints", "since last run", "code"],
            rows,
            raw={7},
        )
