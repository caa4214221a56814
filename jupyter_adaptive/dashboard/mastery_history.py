"""A learner's estimate of each skill over time, for the Learner view's lines."""

from __future__ import annotations

from datetime import datetime

from .learner_detail import LearnerDetail

__all__ = ["mastery_history"]


def mastery_history(detail: LearnerDetail) -> dict[str, list[tuple[datetime, float]]]:
    """Per skill (in name order), ``(time, estimate)`` from the first prior, then after every
    change (answers, overrides, observations), oldest first; steps without a time are left out."""
    history: dict[str, list[tuple[datetime, float]]] = {}
    for entry in detail.timeline:
        if entry.time is None:
            continue
        for skill, prior, posterior, _reason in entry.changes:
            points = history.setdefault(skill, [(entry.time, prior)])
            points.append((entry.time, posterior))
    return dict(sorted(history.items()))
