"""Which events are evidence of mastery, and whether each counts as a correct answer."""

from __future__ import annotations

from typing import Any

__all__ = ["OBSERVATION_TYPES", "is_correct"]

#: Event types that are evidence of mastery: the learner's own test runs and nbgrader's grades.
OBSERVATION_TYPES = ("attempt", "grade")


def is_correct(event: dict[str, Any]) -> bool:
    """An attempt is correct when its tests ran clean; a grade when it has full marks."""
    if event["type"] == "grade":
        return bool(event["score"] >= event["max_score"])
    return bool(event.get("outcome") == "correct")
