"""The attempts of a course as plain rows, oldest first: what recommendations and feedback read."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from .models import Event

__all__ = ["course_attempts"]

_COLUMNS = (
    Event.event_id,
    Event.learner_id,
    Event.item,
    Event.skills,
    Event.outcome,
    Event.error_name,
    Event.error_value,
    Event.duration_ms,
    Event.hints_used,
    Event.server_time,
)


def course_attempts(
    session: Session,
    course: str,
    learner_id: str | None = None,
    *,
    with_source: bool = False,
    limit: int = 200_000,
) -> list[dict[str, Any]]:
    """Attempt events of a course (of one learner when given), oldest first, at most the newest
    ``limit``; drafts (``source``) only when asked for."""
    columns = (*_COLUMNS, Event.source) if with_source else _COLUMNS
    query = select(*columns).where(Event.course == course, Event.type == "attempt")
    if learner_id is not None:
        query = query.where(Event.learner_id == learner_id)
    rows = session.execute(query.order_by(Event.id.desc()).limit(limit)).mappings().all()
    return [dict(row) for row in reversed(rows)]
