"""A teacher's decisions from the dashboard: set an estimate, mark a skill mastered, answer an
appeal, record an observation scored on a rubric. Each lands in the audit log (overrides through
:meth:`Recorder.override`, observations through :meth:`Recorder.record_observation`)."""

from __future__ import annotations

from typing import Any

from ..errors import InvalidRequestError, NotFoundError
from ..recommend.advisor import Advisor
from ..recording import Recorder
from ..risk.trajectory import MASTERED
from ..store.appeals import appeal_of, audit
from .learner_detail import APPEAL_ANSWER, appeal_tag

__all__ = [
    "DEFAULT_RUBRIC",
    "OBSERVATION_KINDS",
    "answer_appeal",
    "mark_mastered",
    "observe",
    "rule_item",
    "set_estimate",
]

#: The rubric a teacher scores an observation on: level -> what the learner shows at that level.
DEFAULT_RUBRIC: dict[int, str] = {
    0: "no evidence of the skill",
    1: "beginning: explains or does it only with substantial help",
    2: "developing: does it with some prompting, with errors",
    3: "secure: does it alone, explains why it works",
    4: "advanced: does it alone, explains it, and applies it to a new case",
}
#: What a teacher can have observed, and how the form names it.
OBSERVATION_KINDS = {"oral_defense": "oral defense", "observation": "work seen in class"}


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
    with recorder.store.transaction() as session:
        found = appeal_of(session, appeal_id)
        if found is None:
            raise NotFoundError(f"There is no appeal {appeal_id}.")
        learner, course, skill = found
        audit(
            session,
            actor=teacher,
            action=APPEAL_ANSWER,
            learner_id=learner,
            course=course,
            skill=skill,
            reason=appeal_tag(appeal_id) + answer,
        )
    result: dict[str, Any] = {"appeal": appeal_id, "answer": answer}
    if value is not None and skill is not None:
        result["override"] = recorder.override(learner, course, skill, value, answer, teacher)
    return result


def observe(
    recorder: Recorder,
    learner: str,
    course: str,
    skill: str,
    kind: str,
    level: int,
    note: str,
    teacher: str,
) -> dict[str, Any]:
    """Record what a teacher observed of a skill, scored at ``level`` of :data:`DEFAULT_RUBRIC`
    (its top level the maximum); the estimate moves as the recorder's observation weight in
    answers would, and the learner sees the note.

    Raises
    ------
    InvalidRequestError
        When the level is not one of the rubric's, or the kind or note is not accepted.
    """
    if level not in DEFAULT_RUBRIC:
        raise InvalidRequestError(
            f"The level is one of {', '.join(map(str, DEFAULT_RUBRIC))}, not {level!r}."
        )
    return recorder.record_observation(
        learner,
        course,
        skill,
        {"kind": kind, "score": level, "max_score": max(DEFAULT_RUBRIC), "note": note},
        teacher,
    )


def rule_item(
    advisor: Advisor,
    course: str,
    item: str,
    action: str,
    learner: str | None,
    reason: str,
    teacher: str,
) -> None:
    """Pin (recommend first) or exclude (never recommend) an item for one learner or, with
    ``learner`` None, the whole class; the audit log records it as ``pin_item`` or
    ``exclude_item`` with the reason.

    Raises
    ------
    InvalidRequestError
        When the action is not ``pin`` or ``exclude``, or the reason is empty.
    NotFoundError
        When the course has no such practice item.
    """
    if not reason.strip():
        raise InvalidRequestError("Pinning or excluding an item needs a reason.")
    advisor.set_rule(course, item, action, learner_id=learner, teacher=teacher, reason=reason)
    with advisor.store.transaction() as session:
        audit(
            session,
            actor=teacher,
            action=f"{action}_item",
            learner_id=learner,
            course=course,
            skill=None,
            reason=f"{item}: {reason}",
        )
