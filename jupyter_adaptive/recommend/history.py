"""A learner's past attempts as plain data, and the facts about them that the policy reads.

:class:`LearnerHistory` keeps running summaries of the attempts (per item, per skill, the latest
few per skill), not the attempts themselves: adding an attempt and answering any question the
policy asks cost the same after the first attempt as after the thousandth, and the memory it holds
is bounded by the course (its items, skills and error names), not by the learner's history.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, NamedTuple

__all__ = ["RECENT_PER_SKILL", "Attempt", "LearnerHistory", "Try"]

#: How many of the latest attempts on each skill a history keeps by default: enough for the last
#: five misses that reasons quote and for ``PolicySettings.stuck_after`` misses in a row.
RECENT_PER_SKILL = 10


@dataclass(frozen=True)
class Attempt:
    """One attempt of one learner on one item, oldest first in a history."""

    item: str
    skills: tuple[str, ...]
    correct: bool
    error: str | None = None
    duration_ms: int | None = None
    hints_used: int = 0
    learner: str = ""
    days_ago: float = 0.0

    @classmethod
    def from_event(cls, event: Mapping[str, Any], *, learner: str = "") -> Attempt:
        """The attempt an attempt event (as stored or as received) describes."""
        error = event.get("error") or {}
        return cls(
            item=str(event.get("item") or ""),
            skills=tuple(event.get("skills") or ()),
            correct=event.get("outcome") == "correct",
            error=error.get("ename") if event.get("outcome") == "error" else None,
            duration_ms=event.get("duration_ms"),
            hints_used=int(event.get("hints_used") or 0),
            learner=learner,
        )


class Try(NamedTuple):
    """What a history keeps of a recent attempt on a skill: its position in the history (0 for
    the first attempt), whether it passed, and its error name."""

    position: int
    correct: bool
    error: str | None


class LearnerHistory:
    """What the policy knows of one learner in one course: estimates, and summaries of the
    attempts in the order they were added (oldest first).

    Parameters
    ----------
    mastery
        The learner's P(mastered) per skill; replace ``mastery`` when the estimates change.
    recent
        How many of the latest attempts on each skill are kept (see :meth:`recent`).
    """

    def __init__(
        self, mastery: Mapping[str, float] | None = None, *, recent: int = RECENT_PER_SKILL
    ) -> None:
        self.mastery: dict[str, float] = dict(mastery or {})
        self.keep = recent
        self.count = 0
        self._just_failed: str | None = None
        self._first: dict[str, bool] = {}
        self._passed: set[str] = set()
        self._failures: Counter[str] = Counter()
        self._misses: dict[str, Counter[str]] = {}
        self._recent: dict[str, list[Try]] = {}
        self._log_durations: dict[str, tuple[float, int]] = {}

    @classmethod
    def of(
        cls,
        mastery: Mapping[str, float],
        attempts: Iterable[Attempt],
        *,
        recent: int = RECENT_PER_SKILL,
    ) -> LearnerHistory:
        """A history from plain estimates and attempts (oldest first)."""
        history = cls(mastery, recent=recent)
        for attempt in attempts:
            history.add(attempt)
        return history

    def add(self, attempt: Attempt) -> None:
        """Add the learner's latest attempt."""
        item, error = attempt.item, attempt.error
        self._first.setdefault(item, attempt.correct)
        if attempt.correct:
            self._passed.add(item)
        else:
            self._failures[item] += 1
        for skill in attempt.skills:
            if not attempt.correct:
                self._misses.setdefault(skill, Counter())[error or "incorrect"] += 1
            # A short list, not a deque: a deque's first block alone is larger than ten slots.
            latest = self._recent.setdefault(skill, [])
            latest.append(Try(self.count, attempt.correct, error))
            if len(latest) > self.keep:
                del latest[0]
        if attempt.duration_ms and attempt.duration_ms > 0:
            total, n = self._log_durations.get(item, (0.0, 0))
            self._log_durations[item] = (total + math.log(attempt.duration_ms), n + 1)
        self._just_failed = None if attempt.correct else item
        self.count += 1

    def estimate(self, skill: str, prior: float) -> float:
        """The learner's P(mastered) of a skill; ``prior`` when never observed."""
        return self.mastery.get(skill, prior)

    def passed(self) -> set[str]:
        """Items the learner has passed at least once."""
        return set(self._passed)

    def seen(self) -> set[str]:
        """Items the learner has attempted at least once."""
        return set(self._first)

    def first_outcomes(self) -> Mapping[str, bool]:
        """Whether the first attempt on each item passed, in the order the items were tried."""
        return self._first

    def failures(self, item: str) -> int:
        """How many attempts on the item did not pass."""
        return self._failures[item]

    def just_failed(self) -> str | None:
        """The item of the latest attempt when it failed: the variant not to repeat right away."""
        return self._just_failed

    def misses(self, skill: str) -> Counter[str]:
        """Every miss on a skill by its error name (``incorrect`` when the tests failed)."""
        return Counter(self._misses.get(skill, ()))

    def recent(self, skill: str, window: int) -> list[Try]:
        """The last ``window`` attempts on a skill, oldest first.

        Raises
        ------
        ValueError
            When ``window`` exceeds the attempts per skill this history keeps.
        """
        if window > self.keep:
            raise ValueError(
                f"This history keeps the last {self.keep} attempts per skill, not {window}."
            )
        return self._recent.get(skill, [])[-window:] if window > 0 else []

    def recent_misses(self, skill: str, window: int = 5) -> tuple[int, Counter[str]]:
        """How many of the last ``window`` attempts on a skill failed, and with which errors."""
        missed = [t for t in self.recent(skill, window) if not t.correct]
        return len(missed), Counter(t.error for t in missed if t.error)

    def last_practised(self, skill: str) -> int:
        """The position of the latest attempt on a skill; -1 when never practised."""
        latest = self._recent.get(skill)
        return latest[-1].position if latest else -1

    def log_durations(self) -> Mapping[str, tuple[float, int]]:
        """Per item, the sum of the natural logs of the attempts' durations (ms) and how many
        attempts had a duration: what the learner's pace rests on."""
        return self._log_durations
