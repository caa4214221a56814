"""The teacher's actions on the selected learner: set an estimate, mark a skill mastered, answer
an appeal, record an observation on a rubric; each lands in the audit log shown below them."""

from __future__ import annotations

import html
from collections.abc import Callable

import ipywidgets as widgets

from ...errors import AdaptiveError
from ..decisions import (
    DEFAULT_RUBRIC,
    OBSERVATION_KINDS,
    answer_appeal,
    mark_mastered,
    observe,
    rule_item,
    set_estimate,
)
from ..learner_detail import LearnerDetail
from ..rendering import html_table
from .context import ViewContext
from .layout import row

__all__ = ["ActionsPanel"]


class ActionsPanel:
    """Forms acting on the learner last shown; ``done`` is called after each action."""

    def __init__(self, context: ViewContext, done: Callable[[], None]) -> None:
        self.context = context
        self.done = done
        self.learner: str | None = None
        self.skill_pick = widgets.Dropdown(description="Skill")
        # A number field rather than a slider: ipywidgets' slider handle has no accessible name
        # (its label names nothing a screen reader can reach), and a field takes typed values.
        self.value = widgets.BoundedFloatText(
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
        self.kind = widgets.Dropdown(
            options=[(label, kind) for kind, label in OBSERVATION_KINDS.items()],
            description="Kind",
        )
        self.level = widgets.RadioButtons(
            options=[(f"{level}: {text}", level) for level, text in DEFAULT_RUBRIC.items()],
            value=max(DEFAULT_RUBRIC) // 2 + 1,
            description="Level",
            layout=widgets.Layout(width="auto"),
        )
        self.note = widgets.Textarea(
            description="Note", placeholder="what you saw or heard, for the learner"
        )
        self.observe_button = widgets.Button(description="Record observation")
        items = sorted(context.curriculum.items) if context.curriculum is not None else []
        self.item_pick = widgets.Dropdown(
            options=[(context.names.item(item), item) for item in items], description="Item"
        )
        self.rule = widgets.Dropdown(
            options=[("pin (recommend first)", "pin"), ("exclude (never recommend)", "exclude")],
            description="Action",
        )
        self.scope = widgets.Dropdown(
            options=[("this learner", "learner"), ("the whole class", "class")], description="For"
        )
        self.rule_button = widgets.Button(description="Pin or exclude")
        self.status = widgets.HTML()
        self.audit = widgets.HTML(layout=widgets.Layout(overflow="auto"))
        self.audit.add_class("adaptive-audit")
        self.set_button.on_click(lambda _b: self._decide("set"))
        self.mastered_button.on_click(lambda _b: self._decide("mastered"))
        self.answer_button.on_click(lambda _b: self._decide("answer"))
        self.observe_button.on_click(lambda _b: self._decide("observe"))
        self.rule_button.on_click(lambda _b: self._decide("rule"))
        rules: list[widgets.Widget] = []
        if context.advisor is not None:
            rules = [
                widgets.HTML(
                    "<h3>Items</h3><p>Pin or exclude a practice item (the reason above is "
                    "kept in the audit log).</p>"
                ),
                self.item_pick,
                self.rule,
                self.scope,
                self.rule_button,
            ]
        weight = context.recorder.policy.observation_weight
        self.widget = widgets.VBox(
            [
                widgets.HTML("<h3>Override</h3>"),
                self.skill_pick,
                self.value,
                self.reason,
                row(self.set_button, self.mastered_button),
                *rules,
                widgets.HTML("<h3>Appeals</h3>"),
                self.appeal_pick,
                self.answer,
                self.answer_button,
                widgets.HTML(
                    "<h3>Observation</h3><p>Evidence no cell gives (an oral defense, work seen "
                    f"in class), scored on the rubric: it weighs as {weight} answers on the "
                    "skill, and the learner reads your note and can appeal it.</p>"
                ),
                self.kind,
                self.level,
                self.note,
                self.observe_button,
                self.status,
                widgets.HTML("<h3>Audit log</h3>"),
                self.audit,
            ],
            layout=widgets.Layout(flex="2 1 24em"),
        )
        self.widget.add_class("adaptive-override")

    def show(self, detail: LearnerDetail) -> None:
        """Aim the forms at this learner: their skills, open appeals and audit trail."""
        names = self.context.names
        self.learner = detail.learner
        known = set(detail.mastery)
        if self.context.curriculum is not None:
            known |= set(self.context.curriculum.skills)
        skills = sorted(known, key=names.skill)
        current = self.skill_pick.value
        self.skill_pick.options = names.skill_options(skills)
        self.skill_pick.value = current if current in skills else (skills[0] if skills else None)
        appeals = [
            (f"{', '.join(map(names.skill, a.skills))}: {a.message[:40]}", a.event_id)
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
                    names.skill(e["skill"]) if e["skill"] else "",
                    e["old_value"],
                    e["new_value"],
                    e["reason"],
                ]
                for e in detail.audit
            ],
        )

    def _decide(self, action: str) -> None:
        learner, skill = self.learner, self.skill_pick.value
        needed = {"answer": self.appeal_pick.value, "rule": self.item_pick.value}.get(action, skill)
        if learner is None or needed is None:
            self.status.value = "<p>Pick a learner and a skill or an appeal first.</p>"
            return
        context = self.context
        name = context.names.skill(skill) if skill else ""
        try:
            if action == "answer":
                answer_appeal(
                    context.recorder, self.appeal_pick.value, self.answer.value, context.teacher
                )
                done = "Appeal answered."
            elif action == "mastered":
                mark_mastered(
                    context.recorder,
                    learner,
                    context.course,
                    skill,
                    self.reason.value,
                    context.teacher,
                )
                done = f"{name} marked mastered."
            elif action == "rule" and context.advisor is not None:
                whole_class = self.scope.value == "class"
                rule_item(
                    context.advisor,
                    context.course,
                    self.item_pick.value,
                    self.rule.value,
                    None if whole_class else learner,
                    self.reason.value,
                    context.teacher,
                )
                who = "the whole class" if whole_class else learner
                done = f"{context.names.item(self.item_pick.value)}: {self.rule.value} for {who}."
            elif action == "observe":
                result = observe(
                    context.recorder,
                    learner,
                    context.course,
                    skill,
                    self.kind.value,
                    self.level.value,
                    self.note.value,
                    context.teacher,
                )
                done = (
                    f"Observation of {name} recorded: {result['before']:.2f} → "
                    f"{result['after']:.2f}."
                )
            else:
                set_estimate(
                    context.recorder,
                    learner,
                    context.course,
                    skill,
                    self.value.value,
                    self.reason.value,
                    context.teacher,
                )
                done = f"{name} set to {self.value.value:.2f}."
        except AdaptiveError as exc:
            self.status.value = f'<p class="adaptive-error">{html.escape(exc.message)}</p>'
            return
        self.done()
        self.status.value = f'<p class="adaptive-done">{html.escape(done)}</p>'
