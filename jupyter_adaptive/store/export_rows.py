"""Every learner's estimates and evidence of a course (or of all courses) as plain rows, for
``jupyter-adaptive export``; learners appear by pseudonym only, as they are stored."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from .models import Evidence, MasteryState
from .repository import evidence_dict, mastery_dict

__all__ = ["EVIDENCE_FIELDS", "MASTERY_FIELDS", "evidence_rows", "mastery_rows"]

#: The fields of a mastery row, in the order a CSV export writes them.
MASTERY_FIELDS = ("learner", "course", "skill", "p_mastery", "n_observations", "updated_at")
#: The fields of an evidence row, in the order a CSV export writes them.
EVIDENCE_FIELDS = (
    "learner",
    "course",
    "skill",
    "event_id",
    "prior",
    "posterior",
    "reason",
    "params",
    "created_at",
)

_BATCH = 1000


def mastery_rows(session: Session, course: str | None = None) -> Iterator[dict[str, Any]]:
    """Each learner's estimate of each skill, by course, learner and skill."""
    query = select(MasteryState).order_by(
        MasteryState.course, MasteryState.learner_id, MasteryState.skill
    )
    if course is not None:
        query = query.where(MasteryState.course == course)
    for state in session.scalars(query.execution_options(yield_per=_BATCH)):
        yield {"learner": state.learner_id, **mastery_dict(state)}


def evidence_rows(session: Session, course: str | None = None) -> Iterator[dict[str, Any]]:
    """Every change of an estimate (answers, grades, teachers' overrides), oldest first."""
    query = select(Evidence).order_by(Evidence.id)
    if course is not None:
        query = query.where(Evidence.course == course)
    for row in session.scalars(query.execution_options(yield_per=_BATCH)):
        yield {"learner": row.learner_id, **evidence_dict(row)}
