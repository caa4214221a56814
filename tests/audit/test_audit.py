"""The audit on a seeded class: its figures are the dashboard's for the same data; targets, the
last audit and the next due date, drift and privacy counts."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from jupyter_adaptive.audit import run_audit
from jupyter_adaptive.audit.fairness import early_warning
from jupyter_adaptive.audit.report import report_html, write_report
from jupyter_adaptive.audit.schedule import QUARTER_DAYS, audit_status
from jupyter_adaptive.curriculum import Course, Targets
from jupyter_adaptive.dashboard.at_risk import model_risks
from jupyter_adaptive.dashboard.decisions import answer_appeal
from jupyter_adaptive.dashboard.model_panel import model_summary
from jupyter_adaptive.dashboard.success import (
    ACTIVITY,
    activity_roster,
    class_summary,
    group_gaps,
    grouped,
    intervals,
    learner_progress,
    target_checks,
)
from jupyter_adaptive.dashboard.widgets import Dashboard
from jupyter_adaptive.mastery.course_models import CourseModels
from jupyter_adaptive.recording import Recorder
from jupyter_adaptive.store import Store, lms
from jupyter_adaptive.store.models import Event
from jupyter_adaptive.store.privacy_queries import record_audit_run

NOW = datetime(2026, 12, 2, 12, tzinfo=UTC)


def audit(store: Store, course: Course, tmp_path: Path, **options: object) -> dict[str, object]:
    return run_audit(
        store,
        course,
        CourseModels(str(tmp_path / "models")),
        retention_days=365,
        accessibility=False,
        now=NOW,
        **options,  # type: ignore[arg-type]
    )


def test_the_audits_figures_are_the_dashboards(
    store: Store, course: Course, tmp_path: Path
) -> None:
    report = audit(store, course, tmp_path)
    progress = learner_progress(store, course.id)
    roster = activity_roster(progress)

    summary = class_summary(progress)
    assert summary is not None and report["success"] == summary.__dict__
    assert report["targets"] == [
        {**check.__dict__, "met": check.met} for check in target_checks(progress, course.targets)
    ]
    [by_activity] = report["fairness"]  # type: ignore[misc]
    [gap] = group_gaps(progress, roster)
    assert by_activity["attribute"] == ACTIVITY
    gains = intervals(grouped(progress, ACTIVITY, roster), "gain")
    answers = intervals(grouped(progress, ACTIVITY, roster), "answers")
    for row, summary_of, gain, answer in zip(
        by_activity["groups"], gap.groups, gains, answers, strict=True
    ):
        assert row["group"] == summary_of.name == gain.name
        assert row["learners"] == summary_of.learners
        assert row["mastered_share"] == summary_of.mastered_share
        assert row["median_minutes_to_mastery"] == summary_of.median_minutes_to_mastery
        assert row["mastery_gain"] == gain.mean
        assert row["mastery_gain_interval"] == [gain.low, gain.high]
        assert row["answers_to_mastery"] == answer.mean
    gaps = {g["metric"]: g for g in by_activity["gaps"]}
    assert gaps["mastery_gain"]["gap"] == pytest.approx(gap.gain_gap, abs=1e-12)
    assert set(gaps) >= {"early_warning_auc", "false_positive_rate", "false_negative_rate"}
    for found in gaps.values():
        assert found["standard_error"] is None or found["standard_error"] >= 0
    assert gaps["mastery_gain"]["standard_error"] > 0

    health = report["model_health"]
    shown = model_summary(CourseModels(str(tmp_path / "models")), course.id)
    assert health["mastery_model"] == shown.model  # type: ignore[index]
    assert health["mastery_ece"] == shown.ece  # type: ignore[index]
    assert health["labelled_learners"] > 20  # type: ignore[index]
    assert report["privacy"]["consent"] == {"drafts": 40}  # type: ignore[index]

    assert report == audit(store, course, tmp_path) | {"seconds": report["seconds"]}
    page = report_html(report)  # type: ignore[arg-type]
    assert '<svg role="img"' in page and "Mean mastery gain by activity" in page
    assert "not run: skipped with --no-accessibility" in page


def test_with_the_deployments_model_the_flags_are_the_at_risk_tabs(
    store: Store, course: Course
) -> None:
    from jupyter_adaptive.mastery.responses import stored_responses, validate
    from jupyter_adaptive.risk import RiskModel

    model = RiskModel().fit(validate(stored_responses(store, course.id)))
    warning = early_warning(store, course.id, model)
    shown = {
        risk.learner: (risk.score, risk.flagged) for risk in model_risks(store, course.id, model)
    }
    assert warning.learners and "deployment's" in warning.source
    for learner in warning.learners:
        assert (learner.risk, learner.flagged) == shown[learner.learner]


def test_a_roster_gives_the_subgroups(store: Store, course: Course, tmp_path: Path) -> None:
    learners = sorted({row.learner for row in learner_progress(store, course.id)})
    roster = {who: {"section": "A" if i % 2 else "B"} for i, who in enumerate(learners)}
    report = audit(store, course, tmp_path, roster=roster)
    [section] = report["fairness"]  # type: ignore[misc]
    assert section["attribute"] == "section"
    assert [g["group"] for g in section["groups"]] == ["A", "B"]
    assert report["subgroups"] == "the roster given"


def test_the_stored_roster_gives_the_audit_and_the_success_tab_their_subgroups(
    store: Store, course: Course, tmp_path: Path
) -> None:
    learners = sorted({row.learner for row in learner_progress(store, course.id)})
    with store.transaction() as session:
        lms.save_subgroups(
            session, course.id, {who: {"section": "AB"[i % 2]} for i, who in enumerate(learners)}
        )
    report = audit(store, course, tmp_path)
    [section] = report["fairness"]  # type: ignore[misc]
    assert section["attribute"] == "section"
    assert report["subgroups"] == "the course's stored roster"
    dashboard = Dashboard(Recorder(store), course.id, "teacher", curriculum=course)
    dashboard.tabs.selected_index = 4
    shown = [getattr(child, "value", "") for child in dashboard.success_tab.widget.children]
    assert any("by section: mean gain" in text for text in shown), shown


def test_the_success_tab_shows_targets_and_the_audit_status(
    store: Store, course: Course, tmp_path: Path
) -> None:
    dashboard = Dashboard(Recorder(store), course.id, "teacher", curriculum=course)
    dashboard.tabs.selected_index = 4
    tables = dashboard.success_tab.widget.children[1].value
    assert "Audit due." in tables and "No audit of this course has run yet" in tables
    progress = learner_progress(store, course.id)
    [gain, *_rest] = target_checks(progress, course.targets)
    assert gain.measure == "mastery_gain" and gain.target == course.targets.mastery_gain
    assert f"<td>{gain.target:.2f}</td><td>{gain.actual:.2f}</td>" in tables
    assert "largest gap in mean gain between groups (at most) by activity" in tables

    with store.transaction() as session:
        record_audit_run(session, course.id, "teacher", str(tmp_path / "report.json"))
    dashboard.success_tab.refresh()
    tables = dashboard.success_tab.widget.children[1].value
    assert "Audit due." not in tables and "the next is due by" in tables


def test_targets_against_figures() -> None:
    from jupyter_adaptive.dashboard.success import Progress

    progress = [
        Progress("a", "s", "u", 3, 0.6, 3, 2.0),
        Progress("b", "s", "u", 5, 0.2, None, None),
    ]
    checks = target_checks(
        progress, Targets(mastery_gain=0.5, answers_to_mastery=3, subgroup_gap=0.5)
    )
    assert [(c.measure, c.actual, c.met) for c in checks] == [
        ("mastery_gain", pytest.approx(0.4), False),
        ("answers_to_mastery", 3.0, True),
        ("subgroup_gap", pytest.approx(0.4), True),
    ]
    assert checks[2].detail == "by activity"
    assert target_checks([], Targets(mastery_gain=0.5))[0].met is None


def test_the_next_audit_is_due_a_quarter_after_the_last(store: Store) -> None:
    course = "data-science-foundations"
    never = audit_status(store, course, NOW.date())
    assert never.due and never.next_due is None
    assert "jupyter-adaptive audit --course data-science-foundations" in never.sentence()
    with store.transaction() as session:
        record_audit_run(session, course, "teacher", "/reports/a.json")
    ran = audit_status(store, course).last
    assert ran is not None
    fresh = audit_status(store, course, ran.date() + timedelta(days=QUARTER_DAYS - 1))
    late = audit_status(store, course, ran.date() + timedelta(days=QUARTER_DAYS))
    assert not fresh.due and fresh.report == "/reports/a.json"
    assert late.due and "the quarterly audit is due" in late.sentence()


def test_drift_is_measured_against_the_previous_report(
    store: Store, course: Course, tmp_path: Path
) -> None:
    first = audit(store, course, tmp_path)
    json_path, html_path = write_report(first, tmp_path / "out")  # type: ignore[arg-type]
    assert json_path.name == f"{course.id}-audit-2026-12-02.json" and html_path.is_file()
    with store.transaction() as session:
        record_audit_run(session, course.id, "teacher", str(json_path))
    previous = json.loads(json_path.read_text())["model_health"]
    second = audit(store, course, tmp_path)
    drift = {d["figure"]: d for d in second["drift"]["figures"]}  # type: ignore[index]
    assert second["drift"]["previous_report"] == str(json_path)  # type: ignore[index]
    auc = drift["early_warning_auc"]
    assert auc["previous"] == previous["early_warning_auc"] and auc["change"] == 0


def test_privacy_counts_exports_deletions_appeals_and_overrides(
    store: Store, course: Course, tmp_path: Path
) -> None:
    recorder = Recorder(store)
    skill = next(iter(course.skills))
    recorder.override("learner-0002", course.id, skill, 0.9, "oral exam", "ada")
    with store.transaction() as session:
        store.export_learner(session, "learner-0003")
        store.delete_learner(session, "learner-0004", "learner-0004")
        appeal = session.scalars(select(Event.event_id).where(Event.type == "appeal")).first()
    assert appeal is not None
    answer_appeal(recorder, appeal, "Looked again: it stands.", "ada")
    privacy = audit(store, course, tmp_path)["privacy"]
    assert privacy["exports"] >= 1 and privacy["deletions"] == 1  # type: ignore[index]
    assert privacy["overrides"] == 1 and privacy["overrides_by_teacher"] == {"ada": 1}  # type: ignore[index]
    assert privacy["appeals_answered"] == 1 and privacy["median_hours_to_answer"] > 0  # type: ignore[index]
    assert privacy["retention_applied"] is True  # type: ignore[index]
