"""A learner's past attempts as plain data, and the facts about them that the policy reads."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Attempt", "LearnerHistory"]


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


@dataclass(frozen=True)
class LearnerHistory:
    """What the policy knows of one learner in one course: estimates and attempts (oldest first)."""

    mastery: Mapping[str, float] = field(default_factory=dict)
    attempts: tuple[Attempt, ...] = ()

    @classmethod
    def of(cls, mastery: Mapping[str, float], attempts: Iterable[Attempt]) -> LearnerHistory:
        """A history from plain estimates and attempts."""
        return cls(dict(mastery), tuple(attempts))

    def estimate(self, skill: str, prior: float) -> float:
        """The learner's P(mastered) of a skill; ``prior`` when never observed."""
        return self.mastery.get(skill, prior)

    def passed(self) -> set[str]:
        """Items the learner has passed at least once."""
        return {a.item for a in self.attempts if a.correct}

    def seen(self) -> set[str]:
        """Items the learner has attempted at least once."""
        return {a.item for a in self.attempts}

    def just_failed(self) -> str | None:
        """The item of the latest attempt when it failed: the variant not to repeat right away."""
        if self.attempts and not self.attempts[-1].correct:
            return self.attempts[-1].item
        return None

    def misses(self, skill: str) -> Counter[str]:
        """Every miss on a skill by its error name (``incorrect`` when the tests failed)."""
        return Counter(
            a.error or "incorrect" for a in self.attempts if skill in a.skills and not a.correct
        )

    def recent_misses(self, skill: str, window: int = 5) -> tuple[int, Counter[str]]:
        """How many of the last ``window`` attempts on a skill failed, and with which errors."""
        recent = [a for a in self.attempts if skill in a.skills][-window:]
        missed = [a for a in recent if not a.correct]
        return len(missed), Counter(a.error for a in missed if a.error)
