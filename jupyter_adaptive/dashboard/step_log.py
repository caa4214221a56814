"""How an answer was reached: one learner's runs in one unit, step by step, for the teacher.

Each run of an exercise (a draft run of the answer cell, a run of its tests) with what changed in
the code since the previous run of the same exercise (a unified diff), the error it stopped at,
the hints open and the time since the previous run. Drafts are there only where the learner's
consent allowed them; whoever renders them escapes them.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from .learner_detail import LearnerDetail, TimelineEntry

__all__ = ["RUN_KINDS", "Step", "step_log", "units_worked"]

#: Timeline entries that are runs of an exercise.
RUN_KINDS = ("draft", "attempt")


@dataclass(frozen=True)
class Step:
    """One run: when, of which exercise, how it ended, and the code's change since the last run.

    ``diff`` is empty for the first run of an exercise with a draft (``first_draft`` holds it
    then) and for runs recorded without drafts (``draft_kept`` False).
    """

    time: datetime | None
    item: str
    kind: str
    attempt: int | None
    outcome: str | None
    error: str | None
    hints_used: int | None
    seconds_since_previous: float | None
    draft_kept: bool
    first_draft: str | None
    diff: tuple[str, ...]


def _diff(before: str, after: str) -> tuple[str, ...]:
    lines = difflib.unified_diff(
        before.splitlines(), after.splitlines(), "previous run", "this run", n=1, lineterm=""
    )
    return tuple(lines)


def units_worked(detail: LearnerDetail) -> list[str]:
    """The units in which the learner ran anything, in the order they first did."""
    return list(dict.fromkeys(e.unit for e in detail.timeline if e.kind in RUN_KINDS and e.unit))


def step_log(detail: LearnerDetail, unit: str) -> list[Step]:
    """The learner's runs in ``unit``, oldest first (see :class:`Step`)."""
    runs: Iterable[TimelineEntry] = (
        e for e in detail.timeline if e.kind in RUN_KINDS and e.unit == unit and e.item
    )
    last_source: dict[str, str] = {}
    last_time: datetime | None = None
    steps = []
    for entry in runs:
        item = str(entry.item)
        previous = last_source.get(item)
        kept = entry.draft is not None
        if kept:
            last_source[item] = str(entry.draft)
        since = (
            (entry.time - last_time).total_seconds()
            if entry.time is not None and last_time is not None
            else None
        )
        last_time = entry.time or last_time
        steps.append(
            Step(
                time=entry.time,
                item=item,
                kind=entry.kind,
                attempt=entry.attempt,
                outcome=entry.outcome,
                error=entry.error,
                hints_used=entry.hints_used,
                seconds_since_previous=since,
                draft_kept=kept,
                first_draft=entry.draft if kept and previous is None else None,
                diff=_diff(previous, str(entry.draft)) if kept and previous is not None else (),
            )
        )
    return steps
