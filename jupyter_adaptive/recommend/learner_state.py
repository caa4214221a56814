"""What the advisor keeps of each learner between answers, so that the work of one answer does not
grow with the learner's history.

Design
------
A :class:`LearnerState` per (learner, course) holds what the next exercise and the attempt
feedback read: a :class:`~.history.LearnerHistory` (running summaries: items passed and seen, the
first try on each item, failures per item, misses per skill by error, the last few attempts per
skill, the durations pace rests on), the server time of the latest attempt on each skill (days
since, for spaced review), the learner's own learning rate as their answers tell it
(:class:`~jupyter_adaptive.mastery.learning_rate.LearningRate`: one estimate per rate multiplier
and skill), the id of the newest stored attempt folded in, and the teachers' item rules that apply
to the learner. Its memory is bounded by the course, not by the history: about
40 KB for a learner with 200 answers in the shipped course (121 items, 21 skills), 55 KB with 1000.

The advisor brings a state up to date at each request with one read: the learner's attempts in the
course stored after ``last_id`` (a range of the index on learner, course and id), normally the
answers of the batch just recorded, and folds them in, oldest first. That read sees every writer
(another worker thread, another tab, another process) and reads each answer as stored, its draft
there only if consent allowed it. On first use ``last_id`` is 0 and the same read loads the newest
``history_limit`` attempts, the window the advisor has always read: a cold state equals a warm one
while the learner has fewer attempts in the course than that (past it, a warm state also remembers
older attempts it saw; a read that fills the whole window starts the state afresh from it, as a
cold load would).

Not kept here: mastery estimates. The advisor re-reads them with each request (a read bounded by
the course's skills) because they are written outside the advisor too: teachers' overrides from
the dashboard's kernel, nbgrader grades imported by the CLI, concurrent batches. The ranking then
runs once per request over the course's items.

What the read cannot see is data going away. Hosts call :meth:`LearnerStates.forget` (through
``Advisor.forget``) after a learner's data are deleted and after a retention purge; the advisor
forgets the states an item rule applies to when it sets or deletes one.

:class:`LearnerStates` keeps at most ``max_learners`` states, dropping the least recently used.
Its map has a lock; each state has its own, which the advisor holds from the read to the last
recommendation, so that the batches of one learner fold in one after the other in id order while
other learners go on in parallel (PostgreSQL deployments call the advisor from worker threads).
"""

from __future__ import annotations

import sys
import threading
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import Any

from ..mastery import SkillParams
from ..mastery.learning_rate import LearningRate
from .history import RECENT_PER_SKILL, Attempt, LearnerHistory
from .policy import ItemRules

__all__ = ["LearnerState", "LearnerStates", "ParamsOf", "row_attempt"]

#: Gives the BKT parameters of (skill, item) that the stored estimates were updated with.
ParamsOf = Callable[[str, str | None], SkillParams]


def row_attempt(row: Mapping[str, Any]) -> Attempt:
    """The attempt a stored attempt row (``store.attempts.course_attempts``) describes.

    Its item, skill and error names are interned: the store gives a new copy of each per row, and
    the states of thousands of learners would keep them all.
    """
    error = row["error_name"] if row["outcome"] == "error" else None
    return Attempt(
        item=sys.intern(row["item"] or ""),
        skills=tuple(map(sys.intern, row["skills"] or ())),
        correct=row["outcome"] == "correct",
        error=sys.intern(error) if error else None,
        duration_ms=row["duration_ms"],
        hints_used=int(row["hints_used"] or 0),
        learner=row["learner_id"],
    )


class LearnerState:
    """One learner's attempts in one course, folded in as they are stored.

    Parameters
    ----------
    recent
        How many of the latest attempts per skill the history keeps.
    """

    def __init__(self, recent: int = RECENT_PER_SKILL) -> None:
        self.lock = threading.Lock()
        self.rules: ItemRules | None = None
        self._recent = recent
        self.reset()

    def reset(self) -> None:
        """Drop every attempt folded in (the next read starts again from the newest ones)."""
        self.history = LearnerHistory(recent=self._recent)
        self.last_id = 0
        self.practised: dict[str, datetime] = {}
        self.rate = LearningRate()

    def add(
        self, rows: Sequence[Mapping[str, Any]], params: ParamsOf | None = None
    ) -> dict[str, int]:
        """Fold in attempt rows stored after ``last_id``, oldest first; return, by event id, how
        many earlier attempts on the row's item had failed. With ``params``, the answers also
        tell the learner's own learning rate (:attr:`rate`)."""
        failed_before = {}
        for row in rows:
            attempt = row_attempt(row)
            failed_before[row["event_id"]] = self.history.failures(attempt.item)
            self.history.add(attempt)
            for skill in attempt.skills:
                self.practised[skill] = row["server_time"]
                if params is not None:
                    self.rate.add(skill, attempt.correct, params(skill, attempt.item or None))
            self.last_id = row["id"]
        return failed_before

    def days_since(self, now: datetime) -> dict[str, float]:
        """Days since each skill was last practised, for the forget model of spaced review."""
        return {
            skill: max(0.0, (now - _aware(when, now)).total_seconds() / 86_400)
            for skill, when in self.practised.items()
        }


def _aware(when: datetime, now: datetime) -> datetime:
    """SQLite gives naive datetimes back; the store writes UTC only."""
    return when if when.tzinfo is not None else when.replace(tzinfo=now.tzinfo)


class LearnerStates:
    """The states of the (learner, course) pairs that asked lately, at most ``max_learners``,
    the least recently used dropped first.

    Parameters
    ----------
    max_learners
        How many (learner, course) states are kept.
    recent
        How many of the latest attempts per skill each history keeps.
    """

    def __init__(self, max_learners: int = 5000, *, recent: int = RECENT_PER_SKILL) -> None:
        if max_learners < 1:
            raise ValueError(f"max_learners must be at least 1, not {max_learners}.")
        self.max_learners = max_learners
        self.recent = recent
        self._lock = threading.Lock()
        self._states: OrderedDict[tuple[str, str], LearnerState] = OrderedDict()

    def __len__(self) -> int:
        return len(self._states)

    def get(self, learner_id: str, course: str) -> LearnerState:
        """The learner's state in the course; a new, empty one when none is kept."""
        key = (learner_id, course)
        with self._lock:
            state = self._states.get(key)
            if state is not None:
                self._states.move_to_end(key)
                return state
            state = self._states[key] = LearnerState(self.recent)
            if len(self._states) > self.max_learners:
                self._states.popitem(last=False)
            return state

    def forget(self, learner_id: str | None = None, course: str | None = None) -> None:
        """Drop the states of a learner (every learner when None) in a course (every course when
        None); they are read afresh from the store on next use."""
        with self._lock:
            for key in [
                (learner, in_course)
                for learner, in_course in self._states
                if learner_id in (None, learner) and course in (None, in_course)
            ]:
                del self._states[key]
