"""The attempts of a course as plain rows, oldest first: what recommendations and feedback read."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session, aliased

from .models import Event

__all__ = ["ANSWERED_ATTEMPT", "course_attempts", "stored_attempts"]

#: An attempt row that is evidence: not the run of a still blank answer (outcome ``skipped``).
ANSWERED_ATTEMPT = and_(
    Event.type == "attempt", or_(Event.outcome.is_(None), Event.outcome != "skipped")
)

_COLUMNS = (
    Event.id,
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
    after: int = 0,
    item: str | None = None,
) -> list[dict[str, Any]]:
    """Attempt events of a course (of one learner, of one item when given), oldest first, at
    most the newest ``limit`` of those stored after row ``after`` (a row's ``id``); drafts
    (``source``) and the fields kept in ``extra`` (e.g. ``answer_error``) only when asked for."""
    columns = (*_COLUMNS, Event.source, Event.extra) if with_source else _COLUMNS
    query = select(*columns).where(Event.course == course, ANSWERED_ATTEMPT)
    if learner_id is not None:
        query = query.where(Event.learner_id == learner_id)
    if item is not None:
        query = query.where(Event.item == item)
    if after:
        query = query.where(Event.id > after)
    rows = session.execute(query.order_by(Event.id.desc()).limit(limit)).mappings().all()
    return [dict(row) for row in reversed(rows)]


def stored_attempts(
    session: Session, course: str, learner_id: str, event_ids: Collection[str]
) -> list[dict[str, Any]]:
    """The learner's stored attempts with these event ids, drafts included, each with
    ``failures_before``: how many of the learner's attempts on the same item before it failed."""
    earlier = aliased(Event)
    failures_before = (
        select(func.count())
        .where(
            earlier.learner_id == Event.learner_id,
            earlier.course == Event.course,
            earlier.type == "attempt",
            earlier.item == Event.item,
            earlier.id < Event.id,
            or_(earlier.outcome.is_(None), earlier.outcome.not_in(("correct", "skipped"))),
        )
        .correlate(Event)
        .scalar_subquery()
    )
    query = select(
        *_COLUMNS, Event.source, Event.extra, failures_before.label("failures_before")
    ).where(
        Event.course == course,
        Event.learner_id == learner_id,
        ANSWERED_ATTEMPT,
        Event.event_id.in_(list(event_ids)),
    )
    return [dict(row) for row in session.execute(query.order_by(Event.id)).mappings()]
