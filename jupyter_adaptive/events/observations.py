"""Which events are evidence of mastery, and whether each counts as a correct answer.

A run of an exercise whose answer is still blank (the released ``raise NotImplementedError()``
left in place) is recorded with the outcome ``skipped``: it says nothing about the learner's
mastery, so it is no observation.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = [
    "BLANK_ANSWER_ERROR",
    "OBSERVATION_TYPES",
    "is_correct",
    "is_observation",
    "with_outcome",
]

#: Event types that are evidence of mastery: the learner's own test runs and nbgrader's grades.
OBSERVATION_TYPES = ("attempt", "grade")

#: The exception a released answer cell raises until the learner writes their answer.
BLANK_ANSWER_ERROR = "NotImplementedError"


def _ename(error: Any) -> str | None:
    return error.get("ename") if isinstance(error, dict) else None


def with_outcome(event: dict[str, Any]) -> dict[str, Any]:
    """The event with the outcome ``skipped`` when its answer or its tests stopped at the blank
    answer's ``NotImplementedError`` (whatever the client called it); other events unchanged."""
    if event.get("type") not in OBSERVATION_TYPES or event.get("outcome") == "skipped":
        return event
    errors = (_ename(event.get("answer_error")), _ename(event.get("error")))
    if BLANK_ANSWER_ERROR in errors:
        return {**event, "outcome": "skipped"}
    return event


def is_observation(event: Mapping[str, Any]) -> bool:
    """Whether the event is evidence of mastery: an attempt or grade that was not skipped."""
    return event["type"] in OBSERVATION_TYPES and event.get("outcome") != "skipped"


def is_correct(event: Mapping[str, Any]) -> bool:
    """An attempt is correct when its tests ran clean; a grade when it has full marks."""
    if event["type"] == "grade":
        return bool(event["score"] >= event["max_score"])
    return bool(event.get("outcome") == "correct")
