"""The dashboard's widgets over the hand-computed class: what a teacher sees and does."""

from __future__ import annotations

from jupyter_adaptive.dashboard.widgets import Dashboard, draft_html
from jupyter_adaptive.recording import Recorder

from .conftest import COURSE


def test_a_draft_with_script_and_html_is_shown_as_text() -> None:
    shown = draft_html("<script>alert('x')</script><img src=x onerror=alert(1)>")
    assert "<script" not in shown and "<img" not in shown
    assert "&lt;" in shown and "script" in shown and "onerror" in shown


def test_the_heat_map_shows_every_learner_and_skill(recorder: Recorder) -> None:
    dashboard = Dashboard(recorder, COURSE, "teacher")
    assert "adaptive-class-heatmap" in dashboard.figure._dom_classes
    assert list(dashboard.heatmap.row) == ["ana", "ben", "cy", "dee"]
    assert list(dashboard.heatmap.column) == ["a", "b"]
    dashboard.skill_filter.value = "b"
    assert list(dashboard.heatmap.column) == ["b", " "]
    dashboard.unit_filter.value = "u1"
    assert dashboard.skill_filter.options == ("(all)", "a")
    assert list(dashboard.heatmap.column) == ["a", " "]
    assert "learner,attempts,last_activity" in _decoded(dashboard.class_export.value)


def test_at_risk_panel_names_rules_and_weights(recorder: Recorder) -> None:
    dashboard = Dashboard(recorder, COURSE, "teacher")
    dashboard.tabs.selected_index = 1
    text = dashboard.risk_box.value
    assert "1 learners flagged by transparent rules" in text
    assert "the last 5 attempts on `i1` all failed (weight 0.15)" in text


def test_drill_down_escapes_drafts_and_an_override_reaches_the_audit_log(
    recorder: Recorder,
) -> None:
    dashboard = Dashboard(recorder, COURSE, "teacher")
    dashboard.open_learner("ana")
    assert dashboard.tabs.selected_index == 2
    detail = dashboard.detail.value
    assert "<script" not in detail and "&lt;" in detail
    assert "passed `i1` on the first try: 0.30 → 0.71" in detail
    dashboard.skill_pick.value = "b"
    dashboard.value.value = 0.4
    dashboard.reason.value = "Copied from a neighbour."
    dashboard.set_button.click()
    assert "b set to 0.40." in dashboard.status.value
    assert "Copied from a neighbour." in dashboard.audit.value
    with recorder.store.transaction() as session:
        [state] = [s for s in recorder.store.mastery(session, "ana", COURSE) if s.skill == "b"]
    assert state.p_mastery == 0.4
    dashboard.reason.value = " "
    dashboard.mastered_button.click()
    assert "adaptive-error" in dashboard.status.value
    dashboard.answer.value = "Fair point."
    dashboard.answer_button.click()
    assert "Appeal answered." in dashboard.status.value
    assert dashboard.appeal_pick.options == ()


def _decoded(link: str) -> str:
    import base64

    return base64.b64decode(link.split("base64,", 1)[1].split('"', 1)[0]).decode()
