"""The Items tab's picture: each item's difficulty against its discrimination, and one item's
attempts when the teacher clicks it.

With the course's calibrated item bank the axes are the 2PL parameters (difficulty ``b`` on the
logit scale, discrimination ``a``); without one, the classical figures (difficulty: the share of
attempts failed; discrimination: the point-biserial correlation of
:mod:`~jupyter_adaptive.dashboard.item_analysis`), and the axes say which.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from ..store import Store
from ..store.attempts import course_attempts
from .item_analysis import ItemStats

__all__ = ["ItemAttempts", "ItemMap", "ItemPoint", "item_attempts", "item_map"]


@dataclass(frozen=True)
class ItemPoint:
    """One item on the map."""

    item: str
    difficulty: float
    discrimination: float
    flagged: bool


@dataclass(frozen=True)
class ItemMap:
    """The points and what their axes mean (``2PL`` or ``classical``)."""

    scale: str
    points: list[ItemPoint]

    @property
    def difficulty_label(self) -> str:
        """The x axis's label."""
        if self.scale == "2PL":
            return "difficulty b (2PL, logits)"
        return "difficulty (share of attempts failed)"

    @property
    def discrimination_label(self) -> str:
        """The y axis's label."""
        if self.scale == "2PL":
            return "discrimination a (2PL)"
        return "discrimination (point-biserial)"


def item_map(stats: list[ItemStats]) -> ItemMap:
    """The items of an item analysis as points: 2PL parameters when any item has them (the
    others left out), else the classical figures (items without a discrimination left out)."""
    fitted = [s for s in stats if s.irt is not None]
    if fitted:
        return ItemMap(
            "2PL",
            [
                ItemPoint(s.item, s.irt.b, s.irt.a, bool(s.flags))
                for s in fitted
                if s.irt is not None
            ],
        )
    return ItemMap(
        "classical",
        [
            ItemPoint(s.item, 1.0 - s.proportion_correct, s.discrimination, bool(s.flags))
            for s in stats
            if s.discrimination is not None
        ],
    )


@dataclass(frozen=True)
class ItemAttempts:
    """One item's attempts, newest first, and its errors by name, most frequent first."""

    item: str
    attempts: list[tuple[datetime | None, str, str, str]]
    errors: list[tuple[str, int]]


def item_attempts(store: Store, course: str, item: str, limit: int = 50) -> ItemAttempts:
    """The newest ``limit`` attempts at ``item`` as ``(time, learner, outcome, error)`` and the
    errors of all its attempts."""
    with store.transaction() as session:
        rows = course_attempts(session, course, item=item, limit=10_000_000)
    errors = Counter(str(row["error_name"]) for row in rows if row["error_name"])
    shown = [
        (
            row["server_time"],
            str(row["learner_id"]),
            str(row["outcome"] or ""),
            f"{row['error_name']}: {row['error_value'] or ''}" if row["error_name"] else "",
        )
        for row in reversed(rows[-limit:])
    ]
    return ItemAttempts(item, shown, errors.most_common())
