"""Pace: how long a learner takes per attempt compared with peers on the same items.

Pace sets the difficulty that comes next (a slower learner gets the easier step first), how much
comes at once (a faster one gets two exercises) and when a hint is offered (a long idle time is
judged against the learner's own pace).
"""

from __future__ import annotations

import math
import statistics
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from .history import Attempt, LearnerHistory

__all__ = ["Pace", "learner_pace", "peer_medians"]

#: Ratios beyond these count as clearly slower or faster than peers.
SLOW, FAST = 1.3, 1 / 1.3


@dataclass(frozen=True)
class Pace:
    """A learner's time per attempt relative to peers on the same items (1.0: like them).

    ``comparisons`` is how many items the ratio rests on; below three it stays neutral.
    """

    ratio: float = 1.0
    comparisons: int = 0

    @property
    def words(self) -> str:
        """The pace in plain words, e.g. "slower than most learners"."""
        if self.ratio > SLOW:
            return "slower than most learners"
        if self.ratio < FAST:
            return "faster than most learners"
        return "at about the pace of most learners"

    @property
    def batch(self) -> int:
        """How many exercises come at once: two for a learner clearly faster than peers."""
        return 2 if self.ratio < FAST else 1

    @property
    def step(self) -> int:
        """How the pace shifts the difficulty that fits: -1 slower, +1 faster, 0 otherwise."""
        return -1 if self.ratio > SLOW else 1 if self.ratio < FAST else 0


def peer_medians(attempts: Iterable[Attempt]) -> dict[str, float]:
    """The median duration of the attempts on each item, in milliseconds."""
    durations: dict[str, list[int]] = defaultdict(list)
    for attempt in attempts:
        if attempt.duration_ms and attempt.duration_ms > 0:
            durations[attempt.item].append(attempt.duration_ms)
    return {item: float(statistics.median(values)) for item, values in durations.items()}


def learner_pace(
    history: LearnerHistory, medians: Mapping[str, float], *, min_comparisons: int = 3
) -> Pace:
    """The geometric mean of the learner's duration over the peer median, item by item."""
    total, n = 0.0, 0
    for item, (log_durations, count) in history.log_durations().items():
        median = medians.get(item, 0)
        if median > 0:
            total += log_durations - count * math.log(median)
            n += count
    if n < min_comparisons:
        return Pace(1.0, n)
    ratio = math.exp(total / n)
    return Pace(min(4.0, max(0.25, ratio)), n)
