"""Stored observations as a response log in pyBKT's columns, the input of every mastery model.

The server's online path reads the same rows (:func:`learner_responses`) as ``mastery refit`` and
``export --format pybkt`` (:func:`responses`): ``order_id`` is the row id, ``problem_id`` the
event's item and ``timestamp`` the time the server stored it, so a model scores a learner's
answers the same way online and in batch.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any, NamedTuple

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..events import OBSERVATION_TYPES, is_correct, is_observation
from .models import Event
from .repository import Store, event_dict

__all__ = [
    "RESPONSE_COLUMNS",
    "Response",
    "learner_responses",
    "observation_courses",
    "responses",
    "timestamp",
]

#: One row per skill of each attempt or grade; the first four are the columns pyBKT requires.
RESPONSE_COLUMNS = (
    "order_id",
    "user_id",
    "skill_name",
    "correct",
    "problem_id",
    "attempt_count",
    "hint_count",
    "ms_first_response",
    "course",
    "timestamp",
)


def timestamp(moment: datetime) -> float:
    """Seconds since the epoch of a stored time (SQLite gives it back without its UTC zone)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.timestamp()


class Response(NamedTuple):
    """One skill of one stored attempt or grade, as the online path reads it."""

    row_id: int
    event_id: str
    skill: str
    correct: bool
    item: str | None
    timestamp: float


def learner_responses(
    session: Session, learner_id: str, course: str, after: int = 0
) -> list[Response]:
    """The learner's attempts and grades in a course stored after row ``after``, in arrival
    order, one per skill (the rows :func:`responses` gives for them)."""
    query = (
        select(Event)
        .where(
            Event.learner_id == learner_id,
            Event.course == course,
            Event.id > after,
            Event.type.in_(OBSERVATION_TYPES),
        )
        .order_by(Event.id)
    )
    found: list[Response] = []
    for row in session.scalars(query):
        event = event_dict(row)
        if is_observation(event):
            correct = is_correct(event)
            stamp = timestamp(row.server_time)
            found.extend(
                Response(row.id, row.event_id, skill, correct, row.item, stamp)
                for skill in row.skills
            )
    return found


def observation_courses(session: Session) -> list[str]:
    """The courses with stored attempts or grades."""
    query = select(Event.course).where(Event.type.in_(OBSERVATION_TYPES)).distinct()
    return sorted(str(course) for course in session.scalars(query))


def responses(
    store: Store, session: Session, course: str | None = None
) -> Iterator[tuple[Any, ...]]:
    """The stored attempts and grades (of one course, when given), in arrival order."""
    for row in store.events(session, course=course):
        event = event_dict(row)
        if not is_observation(event):
            continue
        correct = int(is_correct(event))
        for skill in row.skills:
            yield (
                row.id,
                row.learner_id,
                skill,
                correct,
                row.item,
                row.attempt or 1,
                row.hints_used or 0,
                "" if row.duration_ms is None else row.duration_ms,
                row.course,
                timestamp(row.server_time),
            )
