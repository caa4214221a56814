"""The dashboard's widgets (ipywidgets + bqplot) over the view-models; no SQL here.

Everything a learner typed (drafts, appeal messages) is escaped before it reaches an HTML widget,
so it shows as text and never runs.
"""

from __future__ import annotations

import base64
import html
from collections.abc import Callable, Collection, Sequence
from typing import Any

import bqplot
import ipywidgets as widgets
import numpy as np
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import PythonLexer

from ..assessment.item_bank import BankFiles
from ..curriculum import Course
from ..errors import AdaptiveError
from ..mastery.course_models import CourseModels
from ..recording import Recorder
from ..risk.model import RiskModel
from .at_risk import FLAG_AT, at_risk, model_risks
from .class_view import SORT_KEYS, ClassView, class_view
from .decisions import answer_appeal, mark_mastered, set_estimate
from .export import to_csv
from .item_analysis import item_analysis
from .learner_detail import LearnerDetail, learner_detail
from .model_panel import model_summary
from .success import SuccessSummary, group_gaps, learner_progress, success

__all__ = ["Dashboard", "draft_html", "html_table", "open_dashboard"]

#: Learners per page of the heat map (an SVG cell per learner and skill stays light).
PAGE_SIZE = 40
_ALL = "(all)"
_FORMATTER = HtmlFormatter(noclasses=True, nowrap=True)
_STYLE = (
    "<style>.adaptive-draft{white-space:pre;overflow-x:auto;max-width:36em;margin:0}"
    ".adaptive-table td{vertical-align:top;padding:2px 8px}"
    ".adaptive-table th{text-align:left;padding:2px 8px}"
    ".adaptive-audit{font-size:0.85em}"
    ".adaptive-error{color:#b00020}.adaptive-done{color:#1b5e20}</style>"
)


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.2f}"
    return html.escape(str(value))


def html_table(
    header: Sequence[str], rows: Sequence[Sequence[object]], *, raw: Collection[int] = ()
) -> str:
    """An HTML table with every cell escaped, except the columns in ``raw`` (already safe HTML)."""
    head = "".join(f"<th>{html.escape(name)}</th>" for name in header)
    body = "".join(
        "<tr>"
        + "".join(
            f"<td>{value if index in raw else _cell(value)}</td>" for index, value in enumerate(row)
        )
        + "</tr>"
        for row in rows
    )
    return (
        f'<table class="adaptive-table"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'
    )


def draft_html(source: str | None) -> str:
    """A draft as syntax-highlighted, escaped text: markup in it is shown, never interpreted."""
    if not source:
        return ""
    return f'<pre class="adaptive-draft">{highlight(source, PythonLexer(), _FORMATTER)}</pre>'


def _download(label: str, filename: str, text: str) -> str:
    payload = base64.b64encode(text.encode("utf-8")).decode("ascii")
    return (
        f'<a download="{html.escape(filename)}" href="data:text/csv;base64,{payload}">'
        f"{html.escape(label)}</a>"
    )


class Dashboard:
    """The teacher's dashboard for one course: tabs for the class, risk, one learner, items and
    success metrics. ``widget`` is what the notebook displays."""

    def __init__(
        self,
        recorder: Recorder,
        course: str,
        teacher: str,
        risk_model: RiskModel | None = None,
        curriculum: Course | None = None,
        models: CourseModels | None = None,
    ) -> None:
        self.recorder = recorder
        self.models = models or recorder.models
        self.risk_model = risk_model
        self.curriculum = curriculum
        self.store = recorder.store
        self.course = course
        self.teacher = teacher
        self.view: ClassView = class_view(self.store, course)
        self.page = 0
        self._build_class_tab()
        self.risk_box = widgets.HTML()
        self.risk_box.add_class("adaptive-at-risk")
        self._build_learner_tab()
        self.items_box = widgets.HTML()
        self.items_box.add_class("adaptive-items")
        self.success_box = widgets.VBox()
        self.success_box.add_class("adaptive-success")
        self.model_box = widgets.HTML()
        self.model_box.add_class("adaptive-model")
        self.tabs = widgets.Tab(
            children=[
                self.class_box,
                self.risk_box,
                self.learner_box,
                self.items_box,
                self.success_box,
                self.model_box,
            ]
        )
        titles = ("Class", "At risk", "Learner", "Items", "Success", "Model")
        for index, title in enumerate(titles):
            self.tabs.set_title(index, title)
        self._loaded: set[int] = {0}
        self.tabs.observe(self._on_tab, names="selected_index")
        self.widget = widgets.VBox(
            [widgets.HTML(_STYLE + f"<h2>Course {html.escape(course)}</h2>"), self.tabs]
        )
        self.refresh_class()

    # Class view ----------------------------------------------------------------------------

    def _build_class_tab(self) -> None:
        self.units = dict(self.view.units)
        units = [_ALL, *self.units]
        self.unit_filter = widgets.Dropdown(options=units, description="Unit")
        self.skill_filter = widgets.Dropdown(options=[_ALL, *self.view.skills], description="Skill")
        self.sort = widgets.Dropdown(options=SORT_KEYS, value="learner", description="Sort by")
        self.descending = widgets.Checkbox(value=False, description="descending")
        self.previous = widgets.Button(description="◀ previous")
        self.next = widgets.Button(description="next ▶")
        self.page_label = widgets.Label()
        self.unit_filter.observe(lambda change: self._narrow_skills(change["new"]), names="value")
        for control in (self.unit_filter, self.skill_filter, self.sort, self.descending):
            control.observe(lambda _change: self.refresh_class(reset_page=True), names="value")
        self.previous.on_click(lambda _button: self._turn(-1))
        self.next.on_click(lambda _button: self._turn(1))
        self.row_scale = bqplot.OrdinalScale(reverse=True)
        self.column_scale = bqplot.OrdinalScale()
        self.heatmap = bqplot.GridHeatMap(
            color=np.full((2, 2), np.nan),
            scales={
                "row": self.row_scale,
                "column": self.column_scale,
                "color": bqplot.ColorScale(min=0, max=1, scheme="RdYlGn"),
            },
            interactions={"click": "select"},
            tooltip=bqplot.Tooltip(fields=["row", "column", "color"], formats=["", "", ".2f"]),
        )
        self.heatmap.on_element_click(self._on_cell_click)
        axes = [
            bqplot.Axis(scale=self.row_scale, orientation="vertical"),
            bqplot.Axis(scale=self.column_scale, label="skill", tick_rotate=-45),
            bqplot.ColorAxis(scale=self.heatmap.scales["color"], label="P(mastered)"),
        ]
        self.figure = bqplot.Figure(
            marks=[self.heatmap],
            axes=axes,
            fig_margin={"top": 20, "bottom": 90, "left": 110, "right": 60},
            layout=widgets.Layout(width="100%", height="720px"),
        )
        self.figure.add_class("adaptive-class-heatmap")
        self.class_table = widgets.HTML()
        self.class_export = widgets.HTML()
        self.class_box = widgets.VBox(
            [
                widgets.HBox([self.unit_filter, self.skill_filter, self.sort, self.descending]),
                widgets.HBox([self.previous, self.page_label, self.next, self.class_export]),
                widgets.HTML(
                    "<p>Colour: P(mastered), red 0 to green 1; black: not practised yet. "
                    "Click a cell to open that learner.</p>"
                ),
                self.figure,
                self.class_table,
            ]
        )

    def _narrow_skills(self, unit: str) -> None:
        """Offer only the chosen unit's skills in the skill filter."""
        skills = self.units.get(unit) or [s for group in self.units.values() for s in group]
        with self.skill_filter.hold_trait_notifications():
            self.skill_filter.options = [_ALL, *skills]
            self.skill_filter.value = _ALL

    def _turn(self, step: int) -> None:
        pages = max(1, -(-len(self.view.rows) // PAGE_SIZE))
        self.page = min(max(0, self.page + step), pages - 1)
        self._draw_class()

    def refresh_class(self, reset_page: bool = False) -> None:
        """Read the class view again with the current filters and sort."""
        unit = self.unit_filter.value
        skill = self.skill_filter.value
        self.view = class_view(
            self.store,
            self.course,
            units=() if unit == _ALL else (unit,),
            skills=() if skill == _ALL else (skill,),
            sort=self.sort.value,
            descending=self.descending.value,
        )
        if reset_page:
            self.page = 0
        self._draw_class()

    def _draw_class(self) -> None:
        rows = self.view.rows[self.page * PAGE_SIZE : (self.page + 1) * PAGE_SIZE]
        pages = max(1, -(-len(self.view.rows) // PAGE_SIZE))
        self.page_label.value = (
            f"page {self.page + 1} of {pages} ({len(self.view.rows)} learners, "
            f"{len(self.view.skills)} skills)"
        )
        if rows and self.view.skills:
            learners = [row.learner for row in rows]
            skills = list(self.view.skills)
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
            with self.heatmap.hold_sync():
                self.heatmap.row = None
                self.heatmap.column = None
                self.heatmap.color = color
                self.heatmap.row = learners
                self.heatmap.column = skills
        else:
            with self.heatmap.hold_sync():
                self.heatmap.row = None
                self.heatmap.column = None
                self.heatmap.color = np.full((2, 2), np.nan)
        self.class_table.value = html_table(
            ["learner", "attempts", "last activity", "mean mastery"],
            [
                [
                    row.learner,
                    row.attempts,
                    row.last_activity.strftime("%Y-%m-%d %H:%M") if row.last_activity else "",
                    row.mean_mastery,
                ]
                for row in rows
            ],
        )
        self.class_export.value = _download(
            "Export class view (CSV)", f"{self.course}-class.csv", to_csv(self.view)
        )

    def _on_cell_click(self, _mark: Any, event: dict[str, Any]) -> None:
        row = event.get("data", {}).get("row")
        learners = [str(name) for name in self.heatmap.row]
        if isinstance(row, int) and 0 <= row < len(learners):
            row = learners[row]
        if isinstance(row, str) and row.strip() and row in learners:
            self.open_learner(row)

    # Other tabs ------------------------------------------------------------------------------

    def _on_tab(self, change: dict[str, Any]) -> None:
        index = change["new"]
        if index in self._loaded:
            return
        self._loaded.add(index)
        loaders: dict[int, Callable[[], None]] = {
            1: self.refresh_risk,
            3: self.refresh_items,
            4: self.refresh_success,
            5: self.refresh_model,
        }
        if index in loaders:
            loaders[index]()

    def refresh_risk(self) -> None:
        """Flagged learners with the reasons and their weights (the model's, else the rules')."""
        if self.risk_model is None:
            risks = at_risk(self.store, self.course)
            source = (
                "by transparent rules</b> (not a fitted model): a rule that holds adds its "
                f"weight; {FLAG_AT:.2f} or more flags the learner."
            )
        else:
            risks = model_risks(self.store, self.course, self.risk_model)
            source = (
                "by the early-warning model</b> (score: its risk from the first half of each "
                "learner's attempts; weight: the feature's share of the decision in log-odds)."
            )
        flagged = [risk for risk in risks if risk.flagged]
        rows = [
            [
                risk.learner,
                risk.score,
                "<br>".join(
                    f"{html.escape(reason.sentence)} (weight {reason.weight:.2f})"
                    for reason in risk.reasons
                ),
            ]
            for risk in flagged
        ]
        self.risk_box.value = f"<p><b>{len(flagged)} learners flagged {source}</p>" + html_table(
            ["learner", "score", "reasons (weight)"], rows, raw={2}
        )

    def refresh_model(self) -> None:
        """The served model, what it was fitted on, and its calibration on held-out learners."""
        summary = model_summary(self.models, self.course)
        if not summary.fitted:
            source = (
                "No fitted model yet: estimates come from the course's declared item difficulty "
                "and skill graph until enough answers are stored for a refit."
            )
        else:
            source = (
                f"Fitted on {summary.answers:,} answers of {summary.learners:,} learners; refitted "
                "in the background as new answers arrive."
            )
        rows: list[list[object]] = [["model", summary.model], ["kind", summary.kind]]
        if summary.ece is not None:
            rows += [
                ["calibration map", summary.calibration],
                ["expected calibration error", f"{summary.ece:.3f}"],
                ["before the map", f"{summary.ece_before:.3f}"],
                ["held-out answers", f"{summary.held_out_answers:,}"],
            ]
            meaning = (
                "<p>Calibration, on learners held out of the fit: among answers predicted right "
                "with probability about p, the share actually right should be p. The expected "
                "calibration error is the average gap, weighted by answers.</p>"
            )
        else:
            meaning = "<p>Calibration not measured: too few learners when the model was fitted.</p>"
        diagram = ""
        if summary.diagram is not None:
            payload = base64.b64encode(summary.diagram).decode("ascii")
            diagram = (
                f'<img alt="reliability diagram" src="data:image/png;base64,{payload}" '
                'style="max-width:26em">'
            )
        elif summary.bins:
            diagram = html_table(
                ["predicted", "observed", "answers"],
                [[b["predicted"], b["observed"], int(b["n"])] for b in summary.bins],
            )
        self.model_box.value = (
            f"<p>{html.escape(source)}</p>" + html_table(["", ""], rows) + meaning + diagram
        )

    def refresh_items(self) -> None:
        """Item analysis, items that look broken first, with their calibrated 2PL parameters."""
        bank = BankFiles(self.recorder.models.model_dir).get(self.course)
        rows = [
            [
                stats.item,
                " ".join(stats.skills),
                stats.attempts,
                stats.learners,
                stats.proportion_correct,
                stats.first_try,
                stats.discrimination,
                stats.irt_summary,
                ", ".join(f"{name} ×{count}" for name, count in stats.errors),
                "; ".join(f"{title} ×{count}" for title, count in stats.misconceptions),
                "; ".join(stats.flags),
            ]
            for stats in item_analysis(self.store, self.course, self.curriculum, bank)
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
        self.items_box.value = html_table(header, rows)

    def refresh_success(self, roster: dict[str, dict[str, str]] | None = None) -> None:
        """Mastery gain and time to mastery per skill and unit; gaps between roster groups."""
        progress = learner_progress(self.store, self.course)
        header = [
            "learners",
            "mean gain",
            "mastered share",
            "median answers to mastery",
            "median minutes to mastery",
        ]

        def rows(summaries: list[SuccessSummary]) -> list[list[object]]:
            return [
                [
                    s.name,
                    s.learners,
                    s.mean_gain,
                    s.mastered_share,
                    s.median_time_to_mastery,
                    s.median_minutes_to_mastery,
                ]
                for s in summaries
            ]

        def table(by: str) -> str:
            return html_table([by, *header], rows(success(progress, by)))

        upload = widgets.FileUpload(accept=".csv", description="Roster CSV")
        upload.observe(lambda change: self._load_roster(change["new"]), names="value")
        gaps = ""
        if roster:
            gaps = "".join(
                f"<p><b>{html.escape(gap.sentence())}</b></p>"
                + html_table([gap.attribute, *header], rows(gap.groups))
                for gap in group_gaps(progress, roster)
            )
        self.success_box.children = [
            widgets.HTML(
                "<h3>Per unit</h3>" + table("unit") + "<h3>Per skill</h3>" + table("skill")
            ),
            upload,
            widgets.HTML(gaps),
        ]

    def _load_roster(self, files: Sequence[Any]) -> None:
        import csv
        import io

        if not files:
            return
        content = files[0]["content"]
        reader = csv.DictReader(io.StringIO(bytes(content).decode("utf-8")))
        roster = {
            row["user_id"]: {k: v for k, v in row.items() if k != "user_id" and v}
            for row in reader
            if row.get("user_id")
        }
        self.refresh_success(roster)

    # Learner drill-down and decisions -------------------------------------------------------

    def _build_learner_tab(self) -> None:
        self.learner_pick = widgets.Dropdown(
            options=[row.learner for row in self.view.rows], description="Learner"
        )
        self.learner_pick.observe(lambda change: self.open_learner(change["new"]), names="value")
        self.detail = widgets.HTML()
        self.detail.add_class("adaptive-student-detail")
        self.skill_pick = widgets.Dropdown(description="Skill")
        self.value = widgets.FloatSlider(
            value=0.5, min=0.0, max=1.0, step=0.01, description="Value"
        )
        self.reason = widgets.Text(
            description="Reason", placeholder="why, in words the learner reads"
        )
        self.set_button = widgets.Button(description="Set estimate", button_style="warning")
        self.mastered_button = widgets.Button(description="Mark mastered")
        self.appeal_pick = widgets.Dropdown(description="Appeal")
        self.answer = widgets.Text(description="Answer")
        self.answer_button = widgets.Button(description="Answer appeal")
        self.status = widgets.HTML()
        self.audit = widgets.HTML(layout=widgets.Layout(overflow_x="auto"))
        self.audit.add_class("adaptive-audit")
        self.learner_export = widgets.HTML()
        self.set_button.on_click(lambda _b: self._decide("set"))
        self.mastered_button.on_click(lambda _b: self._decide("mastered"))
        self.answer_button.on_click(lambda _b: self._decide("answer"))
        override = widgets.VBox(
            [
                widgets.HTML("<h3>Override</h3>"),
                self.skill_pick,
                self.value,
                self.reason,
                widgets.HBox([self.set_button, self.mastered_button]),
                widgets.HTML("<h3>Appeals</h3>"),
                self.appeal_pick,
                self.answer,
                self.answer_button,
                self.status,
                widgets.HTML("<h3>Audit log</h3>"),
                self.audit,
            ],
            layout=widgets.Layout(width="40%", min_width="24em"),
        )
        override.add_class("adaptive-override")
        self.learner_box = widgets.VBox(
            [
                widgets.HBox([self.learner_pick, self.learner_export]),
                widgets.HBox([self.detail, override]),
            ]
        )

    def open_learner(self, learner: str) -> None:
        """Show one learner's drill-down (and switch to its tab)."""
        if learner not in self.learner_pick.options:
            self.learner_pick.options = [*self.learner_pick.options, learner]
        if self.learner_pick.value != learner:
            self.learner_pick.value = learner
            return
        self._draw_learner(learner_detail(self.store, learner, self.course))
        self.tabs.selected_index = 2

    def _draw_learner(self, detail: LearnerDetail) -> None:
        mastery = html_table(
            ["skill", "P(mastered)"], [[skill, p] for skill, p in sorted(detail.mastery.items())]
        )
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
                    entry.item or "",
                    f"{what} try {entry.attempt}" if entry.attempt else what,
                    "" if entry.duration_s is None else f"{entry.duration_s:.0f} s",
                    "" if entry.hints_used is None else str(entry.hints_used),
                    "<br>".join(html.escape(change[3]) for change in entry.changes),
                    text,
                ]
            )
        timeline = html_table(
            ["time", "kind", "item", "outcome", "time spent", "hints", "evidence", "draft"],
            rows,
            raw={6, 7},
        )
        self.detail.value = (
            f"<h3>{html.escape(detail.learner)}</h3><h4>Estimates</h4>{mastery}"
            f"<h4>Timeline</h4>{timeline}"
        )
        skills = sorted(detail.mastery)
        self.skill_pick.options = skills
        self.skill_pick.value = skills[0] if skills else None
        appeals = [
            (f"{', '.join(a.skills)}: {a.message[:40]}", a.event_id)
            for a in detail.appeals
            if a.answer is None
        ]
        self.appeal_pick.options = appeals
        self.appeal_pick.value = appeals[0][1] if appeals else None
        self.audit.value = html_table(
            ["when", "who", "action", "skill", "from", "to", "reason"],
            [
                [
                    e["created_at"].strftime("%m-%d %H:%M") if e["created_at"] else "",
                    e["actor"],
                    e["action"],
                    e["skill"],
                    e["old_value"],
                    e["new_value"],
                    e["reason"],
                ]
                for e in detail.audit
            ],
        )
        self.learner_export.value = _download(
            "Export this learner (CSV)", f"{detail.learner}.csv", to_csv(detail)
        )

    def _decide(self, action: str) -> None:
        learner = self.learner_pick.value
        missing = self.appeal_pick.value if action == "answer" else self.skill_pick.value
        if learner is None or missing is None:
            self.status.value = "<p>Pick a learner and a skill or an appeal first.</p>"
            return
        try:
            if action == "answer":
                answer_appeal(
                    self.recorder, self.appeal_pick.value, self.answer.value, self.teacher
                )
                done = "Appeal answered."
            elif action == "mastered":
                mark_mastered(
                    self.recorder,
                    learner,
                    self.course,
                    self.skill_pick.value,
                    self.reason.value,
                    self.teacher,
                )
                done = f"{self.skill_pick.value} marked mastered."
            else:
                set_estimate(
                    self.recorder,
                    learner,
                    self.course,
                    self.skill_pick.value,
                    self.value.value,
                    self.reason.value,
                    self.teacher,
                )
                done = f"{self.skill_pick.value} set to {self.value.value:.2f}."
        except AdaptiveError as exc:
            self.status.value = f'<p class="adaptive-error">{html.escape(exc.message)}</p>'
            return
        self._draw_learner(learner_detail(self.store, learner, self.course))
        self.status.value = f'<p class="adaptive-done">{html.escape(done)}</p>'
        self.refresh_class()


def open_dashboard(
    db_url: str | None = None,
    course: str | None = None,
    teacher: str | None = None,
    risk_model: str | None = None,
    course_dir: str | None = None,
    model_dir: str | None = None,
) -> Dashboard:
    """The dashboard of ``course`` (default: the course with the most events) in the store at
    ``db_url`` (default: the Jupyter server's ``c.AdaptiveApp.db_url``), acting as ``teacher``
    (default: the account running the kernel, the server's owner); ``risk_model`` is the path of
    a model from ``jupyter-adaptive risk fit`` (default: transparent rules); ``course_dir`` the
    course's folder, whose misconception catalogue item analysis then uses; ``model_dir`` the
    folder of the courses' served models (default: ``c.AdaptiveApp.model_dir``)."""
    import getpass

    from ..cli.options import configured_db_url, configured_model_dir
    from ..store import Store
    from ..store.class_queries import courses

    store = Store.open(db_url or configured_db_url())
    if course is None:
        with store.transaction() as session:
            known = courses(session)
        course = known[0] if known else "demo-course"
    model = None
    if risk_model:
        from ..risk.model_file import load_risk_model

        model = load_risk_model(risk_model)
    curriculum = None
    if course_dir:
        from ..curriculum import load_course

        curriculum = load_course(course_dir)
    models = CourseModels(model_dir or configured_model_dir())
    recorder = Recorder(store, models=models)
    return Dashboard(recorder, course, teacher or getpass.getuser(), model, curriculum)
