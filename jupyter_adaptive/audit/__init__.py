"""The quarterly audit of a course: success against its targets, fairness by subgroup, model
health and its drift since the last audit, accessibility (axe in chromium) and privacy.

:func:`run_audit` gathers the figures as JSON-ready data, reading them with the functions the
dashboard's views use, so the report and the dashboard agree on the same data;
:func:`~.report.write_report` writes the dated JSON and HTML; each run is logged in the store
(:mod:`.schedule`), which is how the dashboard knows when the next one is due.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from ..dashboard.success import (
    activity_roster,
    class_summary,
    learner_progress,
    stored_subgroups,
    target_checks,
)
from ..store import Store
from .fairness import RESAMPLES, early_warning, subgroup_fairness
from .health import drift, model_health, previous_health
from .privacy import privacy_facts
from .schedule import QUARTER_DAYS, AuditStatus, audit_status

if TYPE_CHECKING:
    from ..curriculum import Course
    from ..mastery.course_models import CourseModels
    from ..risk.model import RiskModel

__all__ = ["QUARTER_DAYS", "AuditStatus", "audit_status", "run_audit"]

#: The version of the report's JSON layout.
REPORT_VERSION = 1


def run_audit(
    store: Store,
    course: Course,
    models: CourseModels,
    *,
    retention_days: int,
    roster: Mapping[str, Mapping[str, str]] | None = None,
    risk_model: RiskModel | None = None,
    accessibility: bool = True,
    now: datetime | None = None,
    seed: int = 0,
    resamples: int = RESAMPLES,
) -> dict[str, Any]:
    """Every figure of the course's audit (JSON-ready).

    ``roster`` maps learners to their group per column (without one: the subgroups stored with
    the course's roster, else quartiles of activity, as the dashboard shows); ``risk_model`` is
    the deployment's early-warning model (without one, a model is fitted on the class out of
    fold); ``accessibility`` False records the axe check as not run, saying so.
    """
    started = time.perf_counter()
    now = now or datetime.now(UTC)
    progress = learner_progress(store, course.id)
    stored = {} if roster else stored_subgroups(store, course.id)
    groups = roster or stored or activity_roster(progress)
    warning = early_warning(store, course.id, risk_model, seed=seed)
    summary = class_summary(progress)
    health = model_health(models, course.id, warning)
    before = audit_status(store, course.id, now.date())
    previous, note = previous_health(before.report)
    if accessibility:
        from .axe_check import check_accessibility

        access = check_accessibility(course)
    else:
        access = {
            "status": "not run",
            "reason": "skipped with --no-accessibility",
            "pages": [],
            "violations": 0,
        }
    return {
        "report_version": REPORT_VERSION,
        "course": course.id,
        "title": course.title,
        "ran_at": now.isoformat(timespec="seconds"),
        "next_due": (now.date() + timedelta(days=QUARTER_DAYS)).isoformat(),
        "subgroups": (
            "the roster given"
            if roster
            else "the course's stored roster"
            if stored
            else "quartiles of activity (no roster)"
        ),
        "targets": [
            {**check.__dict__, "met": check.met}
            for check in target_checks(progress, course.targets, groups)
        ],
        "success": None if summary is None else summary.__dict__,
        "fairness": subgroup_fairness(progress, groups, warning, seed=seed, resamples=resamples),
        "model_health": health,
        "drift": {
            "previous_run": before.last.isoformat(timespec="seconds") if before.last else None,
            "previous_report": before.report,
            "note": note,
            "figures": drift(health, previous),
        },
        "accessibility": access,
        "privacy": privacy_facts(store, course.id, retention_days, now),
        "bootstrap": {"resamples": resamples, "seed": seed, "unit": "learners within each group"},
        "seconds": round(time.perf_counter() - started, 1),
    }
