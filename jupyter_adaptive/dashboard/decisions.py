"""A teacher's decisions from the dashboard: set an estimate, mark a skill mastered, answer an
appeal. Each lands in the audit log (overrides through :meth:`Recorder.override`)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from ..errors import InvalidRequestError, NotFoundError
from ..recording import Recorder
from ..risk.trajectory import MASTERED
from ..store.models import AuditEntry, Event
from .learner_detail import APPEAL_ANSWER, appeal_tag

__all__ = ["answer_appeal", "mark_mastered", "set_estimate"]


def set_estimate(
    recorder: Recorder,
    learner: str,
    course: str,
    skill: str,
    value: float,
    reason: str,
    teacher: str,
) -> dict[str, Any]:
    """Set a learner's estimate of a skill with a reason; later answers continue from it."""
    return recorder.override(learner, course, skill, value, reason, teacher)


def mark_mastered(
    recorder: Recorder, learner: str, course: str, skill: str, reason: str, teacher: str
) -> dict[str, Any]:
    """Mark a skill mastered: the estimate becomes the mastery threshold, not 1, so later wrong
    answers can still lower it."""
    return recorder.override(learner, course, skill, MASTERED, reason, teacher)


def answer_appeal(
    recorder: Recorder,
    appeal_id: str,
    answer: str,
    teacher: str,
    value: float | None = None,
) -> dict[str, Any]:
    """Answer a learner's appeal; with ``value``, also set the appealed skill's estimate.

    Raises
    ------
    NotFoundError
        When no appeal has this event id.
    InvalidRequestError
        When the answer is empty.
    """
    if not answer.strip():
        raise InvalidRequestError("An answer to an appeal needs words the learner can read.")
    store = recorder.store
    with store.transaction() as session:
        appeal = session.scalar(
            select(Event).where(Event.event_id == appeal_id, Event.type == "appeal")
        )
        if appeal is None:
            raise NotFoundError(f"There is no appeal {appeal_id}.")
        skill = appeal.skills[0] if appeal.skills else None
        learner, course = appeal.learner_id, appeal.course
        session.add(
            AuditEntry(
                actor=teacher,
                action=APPEAL_ANSWER,
                learner_id=learner,
                course=course,
                skill=skill,
                reason=appeal_tag(appeal_id) + answer,
            )
        )
    result: dict[str, Any] = {"appeal": appeal_id, "answer": answer}
    if value is not None and skill is not None:
        result["override"] = recorder.override(learner, course, skill, value, answer, teacher)
    return result
