"""Privacy in practice: whether retention is applied, consent per level, exports and deletions,
appeals with the time to answer them, and teachers' overrides, counted in the store."""

from __future__ import annotations

import statistics
from datetime import datetime
from typing import Any

from ..dashboard.learner_detail import APPEAL_ANSWER, appeal_tag
from ..store import Store
from ..store.privacy_queries import (
    EXPORT,
    action_counts,
    appeal_answers,
    consent_counts,
    oldest_event,
    override_counts,
)

__all__ = ["DELETION", "privacy_facts"]

#: Audit-log action of a learner's deletion of their data.
DELETION = "delete_learner_data"


def privacy_facts(store: Store, course: str, retention_days: int, now: datetime) -> dict[str, Any]:
    """The course's privacy figures on ``now`` (JSON-ready). Retention counts as applied when
    no stored event is older than ``retention_days`` plus one day (the purge runs periodically);
    0 days means no limit."""
    with store.transaction() as session:
        consent = consent_counts(session, course)
        oldest = oldest_event(session, course)
        actions = action_counts(session, (EXPORT, DELETION))
        appeals = appeal_answers(session, course, APPEAL_ANSWER, appeal_tag("{}"))
        overrides = override_counts(session, course)
    age = (now - oldest).days if oldest else None
    applied = retention_days <= 0 or age is None or age <= retention_days + 1
    hours = [(answered - asked).total_seconds() / 3600 for asked, answered in appeals if answered]
    return {
        "retention_days": retention_days,
        "oldest_record_days": age,
        "retention_applied": applied,
        "consent": consent,
        "exports": actions[EXPORT],
        "deletions": actions[DELETION],
        "appeals": len(appeals),
        "appeals_answered": len(hours),
        "appeals_open": len(appeals) - len(hours),
        "median_hours_to_answer": statistics.median(hours) if hours else None,
        "longest_hours_to_answer": max(hours) if hours else None,
        "overrides": sum(overrides.values()),
        "overrides_by_teacher": overrides,
    }
