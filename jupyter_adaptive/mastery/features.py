"""Interpretable practice features of each answer, computed only from the learner's earlier answers.

Every feature is a count a teacher can read ("2 right and 3 wrong on this skill before", "1 try
of this item before", "4 tries of this skill in the last hour"). :func:`practice_features` computes
them for a whole response log at once; :class:`LearnerHistory` keeps the same counts for one
learner and updates them in constant time per answer, so the server and the batch path agree.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["COUNT_COLUMNS", "WINDOWS", "LearnerHistory", "practice_features"]

#: Time windows (name, seconds) in which recent tries and right answers on the skill are counted.
WINDOWS: tuple[tuple[str, float], ...] = (
    ("hour", 3600.0),
    ("day", 86400.0),
    ("week", 7 * 86400.0),
    ("month", 30 * 86400.0),
)

#: Count columns of :func:`practice_features`, in a fixed order.
COUNT_COLUMNS: tuple[str, ...] = (
    "skill_right",
    "skill_wrong",
    "total_right",
    "total_wrong",
    "item_right",
    "item_wrong",
    "last_right",
    "last_wrong",
    *(f"{name}_{kind}" for name, _ in WINDOWS for kind in ("tries", "right")),
)


def _prior_counts(data: pd.DataFrame, keys: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Right and wrong answers in the same group before each row (rows sorted by user, order)."""
    groups = data.groupby(keys, sort=False)
    right = groups["correct"].cumsum().to_numpy() - data["correct"].to_numpy()
    tries = groups.cumcount().to_numpy()
    return right.astype(np.float64), (tries - right).astype(np.float64)


def _clock(data: pd.DataFrame) -> np.ndarray:
    """Each row's time, never earlier than the learner's previous row (missing → previous)."""
    stamps = data["timestamp"].astype("float64").groupby(data["user_id"], sort=False).ffill()
    stamps = stamps.fillna(0.0).groupby(data["user_id"], sort=False).cummax()
    return stamps.to_numpy()


def _window_counts(data: pd.DataFrame, clock: np.ndarray) -> dict[str, np.ndarray]:
    """Tries and right answers on the same skill within each window before each row."""
    group = data.groupby(["user_id", "skill_name"], sort=False).ngroup().to_numpy()
    order = np.lexsort((np.arange(len(data)), group))
    relative = clock - clock.min()
    span = relative.max() + max(seconds for _, seconds in WINDOWS) + 1.0
    key = group[order] * span + relative[order]
    correct = data["correct"].to_numpy()[order]
    cumulative = np.concatenate([[0], np.cumsum(correct)])
    position = np.arange(len(data))
    result: dict[str, np.ndarray] = {}
    for name, seconds in WINDOWS:
        start = np.searchsorted(key, key - seconds, side="left")
        tries = np.empty(len(data))
        right = np.empty(len(data))
        tries[order] = position - start
        right[order] = cumulative[position] - cumulative[start]
        result[f"{name}_tries"] = tries
        result[f"{name}_right"] = right
    return result


def practice_features(data: pd.DataFrame) -> dict[str, np.ndarray]:
    """Counts of each row's earlier practice, for a validated log sorted by user then ``order_id``.

    Parameters
    ----------
    data : pandas.DataFrame
        Rows sorted by :func:`~jupyter_adaptive.mastery.responses.sort_responses`.

    Returns
    -------
    dict of str to numpy.ndarray
        One array per name in :data:`COUNT_COLUMNS`, aligned with the rows. Item counts are zero
        without a ``problem_id`` column, window counts zero without a ``timestamp`` column.
    """
    n = len(data)
    result: dict[str, np.ndarray] = {}
    result["skill_right"], result["skill_wrong"] = _prior_counts(data, ["user_id", "skill_name"])
    result["total_right"], result["total_wrong"] = _prior_counts(data, ["user_id"])
    if "problem_id" in data:
        result["item_right"], result["item_wrong"] = _prior_counts(data, ["user_id", "problem_id"])
    else:
        result["item_right"], result["item_wrong"] = np.zeros(n), np.zeros(n)
    last = data.groupby(["user_id", "skill_name"], sort=False)["correct"].shift(1)
    result["last_right"] = (last == 1).to_numpy(dtype=np.float64)
    result["last_wrong"] = (last == 0).to_numpy(dtype=np.float64)
    if "timestamp" in data and n:
        result.update(_window_counts(data, _clock(data)))
    else:
        result.update({name: np.zeros(n) for name in COUNT_COLUMNS if name not in result})
    return result


@dataclass
class _Window:
    """Answers on one skill within one time window, with running sums."""

    seconds: float
    answers: deque[tuple[float, int]] = field(default_factory=deque)
    tries: int = 0
    right: int = 0

    def advance(self, now: float) -> None:
        while self.answers and self.answers[0][0] < now - self.seconds:
            _, correct = self.answers.popleft()
            self.tries -= 1
            self.right -= correct


@dataclass
class LearnerHistory:
    """One learner's practice counts, updated in amortized constant time per answer.

    ``counts(skill, item, timestamp)`` gives the same values as :func:`practice_features` gives the
    next row of that learner; ``record(...)`` adds an answer. Without a timestamp (``None``) the
    window counts are zero, as in a log without a ``timestamp`` column; a missing time (NaN) counts
    as the time of the learner's previous answer, as in the batch path.
    """

    skills: dict[str, list[int]] = field(default_factory=dict)
    items: dict[str, list[int]] = field(default_factory=dict)
    last: dict[str, int] = field(default_factory=dict)
    windows: dict[str, list[_Window]] = field(default_factory=dict)
    total: list[int] = field(default_factory=lambda: [0, 0])
    #: P(mastered) per skill as a BKT model sees it, kept by the model that reads it.
    mastery: dict[str, float] = field(default_factory=dict)
    clock: float = 0.0

    def _now(self, timestamp: float | None) -> float:
        if timestamp is None or timestamp != timestamp:
            return self.clock
        return max(self.clock, float(timestamp))

    def counts(
        self, skill: str, item: str | None = None, timestamp: float | None = None
    ) -> dict[str, float]:
        """The practice counts before an answer on ``skill`` (and ``item``) at ``timestamp``."""
        right, wrong = self.skills.get(skill, (0, 0))
        item_right, item_wrong = self.items.get(item, (0, 0)) if item is not None else (0, 0)
        last = self.last.get(skill)
        result = {
            "skill_right": float(right),
            "skill_wrong": float(wrong),
            "total_right": float(self.total[0]),
            "total_wrong": float(self.total[1]),
            "item_right": float(item_right),
            "item_wrong": float(item_wrong),
            "last_right": float(last == 1),
            "last_wrong": float(last == 0),
        }
        windows = self.windows.get(skill, []) if timestamp is not None else []
        now = self._now(timestamp)
        for (name, _), window in zip(WINDOWS, windows, strict=False):
            window.advance(now)
            result[f"{name}_tries"] = float(window.tries)
            result[f"{name}_right"] = float(window.right)
        for name in COUNT_COLUMNS:
            result.setdefault(name, 0.0)
        return result

    def record(
        self, skill: str, correct: bool, item: str | None = None, timestamp: float | None = None
    ) -> None:
        """Add one answer to the history."""
        outcome = int(bool(correct))
        self.skills.setdefault(skill, [0, 0])[1 - outcome] += 1
        if item is not None:
            self.items.setdefault(item, [0, 0])[1 - outcome] += 1
        self.total[1 - outcome] += 1
        self.last[skill] = outcome
        now = self._now(timestamp)
        self.clock = now
        windows = self.windows.setdefault(skill, [_Window(seconds) for _, seconds in WINDOWS])
        for window in windows:
            window.advance(now)
            window.answers.append((now, outcome))
            window.tries += 1
            window.right += outcome
