"""Which items helped learners with similar error histories pass the next step (from the store).

For every attempt made after a miss on a skill, the context is the skill and the learner's most
frequent error on it so far (``incorrect`` when the tests failed without an exception). The model
counts, per context and item, how often the learner's *next* attempt on that skill passed. An item's
signal is its smoothed pass rate minus the pooled rate of the context: positive when learners like
this one did better after it than after the other items. It says nothing until enough data exist.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from .history import Attempt

__all__ = ["CollaborativeModel", "Signal"]

_Context = tuple[str, str]


@dataclass(frozen=True)
class Signal:
    """The collaborative evidence for one item in one context: ``passed`` of ``followed``."""

    lift: float
    passed: int
    followed: int


def _context(skill: str, misses: Counter[str]) -> _Context:
    return skill, misses.most_common(1)[0][0]


@dataclass
class CollaborativeModel:
    """Counts of "next attempt passed" after each item, per (skill, typical error) context.

    Parameters
    ----------
    min_learners
        Learners the histories must hold before any signal is given.
    min_support
        Follow-ups an (context, item) pair needs before its signal counts.
    """

    min_learners: int = 20
    min_support: int = 5
    counts_: dict[_Context, dict[str, list[int]]] = field(default_factory=dict)
    n_learners_: int = 0

    def fit(self, histories: Mapping[str, Sequence[Attempt]]) -> CollaborativeModel:
        """Learn from every learner's attempts (oldest first) in one course."""
        counts: dict[_Context, dict[str, list[int]]] = defaultdict(
            lambda: defaultdict(lambda: [0, 0])
        )
        for attempts in histories.values():
            misses: dict[str, Counter[str]] = defaultdict(Counter)
            pending: dict[str, tuple[_Context, str]] = {}
            for attempt in attempts:
                for skill in attempt.skills:
                    if skill in pending:
                        context, item = pending.pop(skill)
                        cell = counts[context][item]
                        cell[0] += int(attempt.correct)
                        cell[1] += 1
                    if misses[skill]:
                        pending[skill] = (_context(skill, misses[skill]), attempt.item)
                    if not attempt.correct:
                        misses[skill][attempt.error or "incorrect"] += 1
        self.counts_ = {context: dict(items) for context, items in counts.items()}
        self.n_learners_ = len(histories)
        return self

    @property
    def ready(self) -> bool:
        """Whether enough learners are known for the signal to mean anything."""
        return self.n_learners_ >= self.min_learners

    def signal(self, skill: str, misses: Counter[str], item: str) -> Signal | None:
        """The item's signal for a learner with these misses on the skill; None without data."""
        if not self.ready or not misses:
            return None
        items = self.counts_.get(_context(skill, misses))
        if not items or item not in items or items[item][1] < self.min_support:
            return None
        passed, followed = items[item]
        pooled = sum(c[0] for c in items.values()) / max(1, sum(c[1] for c in items.values()))
        return Signal((passed + 1) / (followed + 2) - pooled, passed, followed)
