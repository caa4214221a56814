"""The dashboard's widgets over the hand-computed class: what a teacher sees and does."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from jupyter_adaptive.dashboard.rendering import draft_html
from jupyter_adaptive.dashboard.widgets import Dashboard
from jupyter_adaptive.recording import Recorder

from .conftest import COURSE, attempt


def test_a_draft_with_script_and_html_is_shown_as_text() -> None:
    shown = draft_html("<script>alert('x')</script><img src=x onerror=alert(1)>")
    assert "<script" not in shown and "<img" not in shown
    assert "&lt;" in shown and "script" in shown and "onerror" in shown


def test_the_heat_map_shows_every_learner_and_skill(recorder: Recorder) -> None:
    dashboard = Dashboard(recorder, COURSE, "teacher")
    view = dashboard.class_tab
    assert "adaptive-class-heatmap" in view.figure._dom_classes
    assert list(view.heatmap.row) == ["ana", "ben", "cy", "dee"]
    assert list(view.heatmap.column) == ["a", "b"]
    view.skill_filter.value = "b"
    assert list(view.heatmap.column) == ["b", " "]
    view.unit_filter.value = "u1"
    assert [value for _, value in view.skill_filter.options] == ["(all)", "a"]
    assert list(view.heatmap.column) == ["a", " "]
    assert "learner,attempts,last_activity" in _decoded(view.export.value)


def test_at_risk_panel_names_rules_and_weights(recorder: Recorder) -> None:
    dashboard = Dashboard(recorder, COURSE, "teacher")
    dashboard.tabs.selected_index = 1
    text = dashboard.risk_tab.widget.value
    assert "1 learners flagged by transparent rules" in text
    assert "the last 5 attempts on `i1` all failed (weight 0.15)" in text
    assert "rule score by week" in text and "adaptive-sparkline" in text


def test_drill_down_escapes_drafts_and_an_override_reaches_the_audit_log(
    recorder: Recorder,
) -> None:
    dashboard = Dashboard(recorder, COURSE, "teacher")
    dashboard.open_learner("ana")
    assert dashboard.tabs.selected_index == 2
    detail = dashboard.learner_tab.detail.value
    actions = dashboard.learner_tab.actions
    assert "<script" not in detail and "&lt;" in detail
    assert "passed `i1` on the first try: 0.30 → 0.71" in detail
    actions.skill_pick.value = "b"
    actions.value.value = 0.4
    actions.reason.value = "Copied from a neighbour."
    actions.set_button.click()
    assert "b set to 0.40." in actions.status.value
    assert "Copied from a neighbour." in actions.audit.value
    with recorder.store.transaction() as session:
        [state] = [s for s in recorder.store.mastery(session, "ana", COURSE) if s.skill == "b"]
    assert state.p_mastery == 0.4
    actions.reason.value = " "
    actions.mastered_button.click()
    assert "adaptive-error" in actions.status.value
    actions.answer.value = "Fair point."
    actions.answer_button.click()
    assert "Appeal answered." in actions.status.value
    assert actions.appeal_pick.options == ()


def _decoded(link: str) -> str:
    import base64

    return base64.b64decode(link.split("base64,", 1)[1].split('"', 1)[0]).decode()


def test_the_learner_view_shows_the_first_learner_at_once(recorder: Recorder) -> None:
    dashboard = Dashboard(recorder, COURSE, "teacher")
    story = dashboard.learner_tab
    assert story.learner == "ana"
    assert "<h3>ana</h3>" in story.detail.value
    assert "Not flagged at risk." in story.detail.value
    dashboard.open_learner("ben")  # five failed attempts at i1
    # low mastery 0.35 + recent failures 0.30 + stuck 0.15
    assert "Flagged at risk</b> (rules, score 0.80)" in story.detail.value
    assert "the last 5 attempts on `i1` all failed (weight 0.15)" in story.detail.value
    dashboard.open_learner("ana")
    # A line per skill of the unit shown, from the first prior: a (unit u1) = 0.30 -> 0.71.
    assert story.unit_pick.value == "u1" and list(story.lines.labels) == ["a"]
    assert [round(p, 2) for p in np.ravel(story.lines.y)] == [0.3, 0.71]
    assert list(story.threshold.y) == [0.95, 0.95]
    # The step log of unit u2: a kept draft, then two runs of i2 whose code changed.
    assert [label for label, _ in story.unit_pick.options] == ["u1", "u2"]
    assert "since last run" in story.steps.value
    story.unit_pick.value = "u2"
    assert list(story.lines.labels) == ["b"]  # b = 0.30 -> 0.19 -> 0.59
    assert [round(p, 2) for p in np.ravel(story.lines.y)] == [0.3, 0.19, 0.59]
    assert "adaptive-diff" in story.steps.value and "&lt;script&gt;" in story.steps.value
    assert "<script" not in story.steps.value


def test_an_observation_on_the_rubric_moves_the_estimate_and_is_audited(
    recorder: Recorder,
) -> None:
    dashboard = Dashboard(recorder, COURSE, "teacher")
    actions = dashboard.learner_tab.actions
    texts = [getattr(child, "value", "") for child in actions.widget.children]
    assert any("weighs as 2 answers" in str(text) for text in texts)
    actions.skill_pick.value = "b"
    actions.kind.value = "oral_defense"
    actions.level.value = 4
    actions.note.value = "Explained <b>why</b> the loop stops."
    actions.observe_button.click()
    assert "Observation of b recorded: 0.59 →" in actions.status.value
    assert "Explained &lt;b&gt;why&lt;/b&gt; the loop stops." in actions.audit.value
    assert "observation" in dashboard.learner_tab.detail.value
    actions.level.value = 0
    actions.note.value = " "
    actions.observe_button.click()
    assert "adaptive-error" in actions.status.value


def test_the_class_view_follows_new_work_without_a_reload(recorder: Recorder) -> None:
    dashboard = Dashboard(recorder, COURSE, "teacher")
    heatmap = dashboard.class_tab.heatmap
    before = heatmap.color.copy()
    assert not dashboard.live.poll()
    recorder.record("ben", [attempt("i1", True, 6)])
    assert dashboard.live.poll()
    assert heatmap.color[1][0] > before[1][0]
    assert list(heatmap.row) == ["ana", "ben", "cy", "dee"]
    assert "last update" in dashboard.live.label.value


def test_items_and_success_tabs_draw_their_pictures(recorder: Recorder) -> None:
    dashboard = Dashboard(recorder, COURSE, "teacher")
    dashboard.tabs.selected_index = 3
    items = dashboard.items_tab
    assert list(items.ok.x) == pytest.approx([6 / 9, 0.5]) and list(items.flagged.x) == []
    assert items.x_axis.label == "difficulty (share of attempts failed)"
    items.ok._handle_custom_msg({"event": "element_click", "data": {"index": 1}}, [])
    assert "<h4>i2</h4>" in items.attempts.value
    dashboard.tabs.selected_index = 4
    [plots, tables, _upload] = dashboard.success_tab.widget.children
    gain, answers, weeks = plots.children
    assert list(gain.marks[0].x) == ["u1", "u2"] and len(gain.marks[1].y) == 2
    assert list(answers.marks[0].x) == []  # nobody reached mastery
    assert list(weeks.marks[0].y) == [0.0]
    assert "<h3>Per unit</h3>" in tables.value


def test_on_the_real_course_the_story_says_what_comes_next_and_items_can_be_pinned(
    tmp_path: Path,
) -> None:
    from jupyter_adaptive.curriculum import load_course
    from jupyter_adaptive.dashboard.seed import seed_class
    from jupyter_adaptive.store import Store

    course = load_course(
        Path(__file__).resolve().parents[2] / "courses" / "data-science-foundations"
    )
    store = Store.open(f"sqlite:///{tmp_path / 'course.sqlite'}")
    seed_class(store, learners=3, skills=0, events=120, curriculum=course)
    dashboard = Dashboard(Recorder(store), course.id, "teacher", curriculum=course)
    story = dashboard.learner_tab
    assert story.learner == "learner-0001"
    assert story.unit_pick.options[0][0] == "Unit 1 · Python basics for data work"
    assert "Next, the policy recommends" in story.next_step.value
    assert "Values, types and variables" in story.detail.value
    actions = story.actions
    actions.item_pick.value = "vt-average-price"
    actions.rule.value = "exclude"
    actions.reason.value = "Done in class already."
    actions.rule_button.click()
    assert (
        "vt-average-price (Values, types and variables): exclude for learner-0001."
        in actions.status.value
    )
    assert "exclude_item" in actions.audit.value
    assert "vt-average-price: Done in class already." in actions.audit.value
    actions.scope.value = "class"
    actions.reason.value = ""
    actions.rule_button.click()
    assert "adaptive-error" in actions.status.value
