"""Queries over a whole class, for the teacher dashboard: plain rows, no HTTP, no widgets."""

from __future__ import annotations

from collections.abc import Collection
from datetime import UTC, date, datetime
from typing import Any, cast

from sqlalchemy import String, func, select, type_coerce
from sqlalchemy.orm import Session

from .attempts import ANSWERED_ATTEMPT
from .models import AuditEntry, Event, Evidence, MasteryState

__all__ = [
    "attempt_days",
    "attempt_durations",
    "attempt_outcomes",
    "audit_entries",
    "class_activity",
    "class_mastery",
    "class_states",
    "course_days",
    "course_evidence",
    "courses",
    "evidence_steps",
    "item_skills",
    "latest_event_id",
    "learner_events",
    "skill_units",
]


def _utc(value: datetime | None) -> datetime | None:
    """SQLite hands back naive datetimes; the store only ever writes UTC."""
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value


def class_mastery(session: Session, course: str) -> list[tuple[str, str, float, int]]:
    """Every ``(learner, skill, p_mastery, n_observations)`` of the course."""
    return [(learner, skill, p, n) for learner, skill, p, n, _ in class_states(session, course)]


def class_states(
    session: Session, course: str
) -> list[tuple[str, str, float, int, datetime | None]]:
    """Every ``(learner, skill, p_mastery, n_observations, updated_at)`` of the course, ordered
    by learner and skill."""
    rows = session.execute(
        select(
            MasteryState.learner_id,
            MasteryState.skill,
            MasteryState.p_mastery,
            MasteryState.n_observations,
            MasteryState.updated_at,
        )
        .where(MasteryState.course == course)
        .order_by(MasteryState.learner_id, MasteryState.skill)
    )
    return [(learner, skill, p, n, _utc(when)) for learner, skill, p, n, when in rows]


def class_activity(session: Session, course: str) -> dict[str, tuple[int, datetime | None]]:
    """Per learner with any event in the course: attempts made and the time of the latest event."""
    attempts = func.count(Event.id).filter(ANSWERED_ATTEMPT)
    rows = session.execute(
        select(Event.learner_id, attempts, func.max(Event.server_time))
        .where(Event.course == course)
        .group_by(Event.learner_id)
    )
    return {learner: (int(count or 0), _utc(last)) for learner, count, last in rows}


def skill_units(session: Session, course: str) -> dict[str, str]:
    """The unit of each skill, as the course's attempts name them (first attempt of each item)."""
    first = (
        select(func.min(Event.id))
        .where(Event.course == course, Event.type == "attempt", Event.unit.is_not(None))
        .group_by(Event.item)
    )
    units: dict[str, str] = {}
    for unit, skills in session.execute(
        select(Event.unit, Event.skills).where(Event.id.in_(first)).order_by(Event.id)
    ):
        for skill in skills or []:
            units.setdefault(skill, unit or "")
    return units


def attempt_durations(session: Session, course: str) -> dict[str, int]:
    """Time spent on each timed attempt of the course (ms), by event id."""
    rows = session.execute(
        select(Event.event_id, Event.duration_ms).where(
            Event.course == course, ANSWERED_ATTEMPT, Event.duration_ms.is_not(None)
        )
    )
    return cast(dict[str, int], dict(rows.tuples().all()))  # None excluded by the query


def learner_events(session: Session, learner_id: str, course: str) -> list[dict[str, Any]]:
    """The learner's events in the course, oldest first, with drafts and appeal messages."""
    rows = session.execute(
        select(
            Event.event_id,
            Event.type,
            Event.unit,
            Event.item,
            Event.skills,
            Event.attempt,
            Event.outcome,
            Event.error_name,
            Event.error_value,
            Event.duration_ms,
            Event.hints_used,
            Event.source,
            Event.extra,
            Event.server_time,
        )
        .where(Event.learner_id == learner_id, Event.course == course)
        .order_by(Event.id)
    ).mappings()
    return [{**row, "server_time": _utc(row["server_time"])} for row in rows]


def course_evidence(
    session: Session, course: str, learner_id: str | None = None
) -> list[dict[str, Any]]:
    """Evidence rows of the course (of one learner when given), oldest first."""
    query = select(
        Evidence.learner_id,
        Evidence.skill,
        Evidence.event_id,
        Evidence.prior,
        Evidence.posterior,
        Evidence.reason,
        Evidence.message,
        Evidence.created_at,
    ).where(Evidence.course == course)
    if learner_id is not None:
        query = query.where(Evidence.learner_id == learner_id)
    rows = session.execute(query.order_by(Evidence.id)).mappings()
    return [{**row, "created_at": _utc(row["created_at"])} for row in rows]


def audit_entries(
    session: Session, course: str | None = None, learner_id: str | None = None
) -> list[dict[str, Any]]:
    """Audit log entries, newest first, of one course and one learner when given."""
    query = select(AuditEntry)
    if course is not None:
        query = query.where(AuditEntry.course == course)
    if learner_id is not None:
        query = query.where(AuditEntry.learner_id == learner_id)
    return [
        {
            "actor": entry.actor,
            "action": entry.action,
            "learner": entry.learner_id,
            "course": entry.course,
            "skill": entry.skill,
            "old_value": entry.old_value,
            "new_value": entry.new_value,
            "reason": entry.reason,
            "created_at": _utc(entry.created_at),
        }
        for entry in session.scalars(query.order_by(AuditEntry.id.desc()))
    ]


def courses(session: Session) -> list[str]:
    """Every course with events, the busiest first."""
    rows = session.execute(
        select(Event.course, func.count(Event.id))
        .group_by(Event.course)
        .order_by(func.count(Event.id).desc(), Event.course)
    )
    return [course for course, _ in rows]


def latest_event_id(session: Session, course: str) -> int:
    """The row id of the course's newest event (0 when it has none): one indexed look-up, what
    the dashboard polls to tell whether anything happened."""
    return int(session.scalar(select(func.max(Event.id)).where(Event.course == course)) or 0)


def attempt_outcomes(
    session: Session, course: str, learner_id: str | None = None
) -> list[tuple[str, str | None, str | None, str | None]]:
    """``(learner, item, outcome, error name)`` of every answered attempt of the course (of one
    learner when given), oldest first: four plain columns, so a whole class's attempts load in a
    fraction of a second."""
    query = select(Event.learner_id, Event.item, Event.outcome, Event.error_name).where(
        Event.course == course, ANSWERED_ATTEMPT
    )
    if learner_id is not None:
        query = query.where(Event.learner_id == learner_id)
    query = query.order_by(Event.id)
    return [(row[0], row[1], row[2], row[3]) for row in session.execute(query)]


def item_skills(session: Session, course: str) -> dict[str, tuple[str, ...]]:
    """The skills each attempted item of the course practises (as its first attempt said)."""
    first = (
        select(func.min(Event.id))
        .where(Event.course == course, ANSWERED_ATTEMPT)
        .group_by(Event.item)
        .scalar_subquery()
    )
    rows = session.execute(select(Event.item, Event.skills).where(Event.id.in_(first)))
    return {item: tuple(skills or ()) for item, skills in rows if item is not None}


def evidence_steps(
    session: Session,
    course: str,
    *,
    with_day: bool = False,
    learners: Collection[str] | None = None,
) -> list[tuple[str, str, str | None, float, float, date | None]]:
    """``(learner, skill, event id, prior, posterior, day)`` of every evidence row of the
    course (of these ``learners`` when given), oldest first: the columns success metrics read,
    without the reasons' text; the day (UTC) only ``with_day`` (None otherwise)."""
    columns: list[Any] = [
        Evidence.learner_id,
        Evidence.skill,
        Evidence.event_id,
        Evidence.prior,
        Evidence.posterior,
    ]
    if with_day:
        # As stored (SQLite: ISO text in UTC, whose first ten characters are the day;
        # PostgreSQL: a datetime already).
        columns.append(type_coerce(Evidence.created_at, String))
    query = select(*columns).where(Evidence.course == course)
    if learners is not None:
        query = query.where(Evidence.learner_id.in_(list(learners)))
    rows: Any = session.execute(query.order_by(Evidence.id))
    return [(r[0], r[1], r[2], r[3], r[4], _day(r[5]) if with_day else None) for r in rows]


def _day(value: str | datetime | None) -> date | None:
    if isinstance(value, str):
        return date.fromisoformat(value[:10])
    return value.astimezone(UTC).date() if value is not None else None


def attempt_days(
    session: Session, course: str, learners: Collection[str]
) -> list[tuple[str, str | None, str | None, date | None]]:
    """``(learner, item, outcome, day)`` of the answered attempts of these learners, oldest
    first (the day in UTC)."""
    query = (
        select(
            Event.learner_id,
            Event.item,
            Event.outcome,
            type_coerce(Event.server_time, String),
        )
        .where(Event.course == course, ANSWERED_ATTEMPT, Event.learner_id.in_(list(learners)))
        .order_by(Event.id)
    )
    rows: Any = session.execute(query)
    return [(r[0], r[1], r[2], _day(r[3])) for r in rows]


def course_days(session: Session, course: str) -> tuple[date | None, date | None]:
    """The days (UTC) of the course's first and latest evidence."""
    first, latest = session.execute(
        select(
            type_coerce(func.min(Evidence.created_at), String),
            type_coerce(func.max(Evidence.created_at), String),
        ).where(Evidence.course == course)
    ).one()
    return _day(first), _day(latest)
