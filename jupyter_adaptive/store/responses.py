"""Stored observations as a response log in pyBKT's columns, the input of every mastery model."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy.orm import Session

from ..events import is_correct, is_observation
from .repository import Store, event_dict

__all__ = ["RESPONSE_COLUMNS", "responses"]

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
)


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
            )
