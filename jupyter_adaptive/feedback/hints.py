"""When help is offered: a hint after repeated failures or a long idle time, never before the first
try. Idle time is judged against the learner's pace: the peers' median time on the item times the
learner's pace ratio, times a margin."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..translation import _, ngettext

__all__ = ["DEFAULT_IDLE_MS", "HintTiming", "next_hint"]

#: The idle limit when no peer has timed the item yet: five minutes.
DEFAULT_IDLE_MS = 5 * 60 * 1000


@dataclass(frozen=True)
class HintTiming:
    """The rule: after ``failures`` failed tries on an item, or after one failed try that took
    longer than ``idle_margin`` times what the learner usually needs."""

    failures: int = 2
    idle_margin: float = 2.0

    def idle_limit_ms(self, peer_median_ms: float | None, pace_ratio: float = 1.0) -> float:
        """How long an attempt may take before it counts as idle, for this learner."""
        base = peer_median_ms if peer_median_ms else DEFAULT_IDLE_MS / self.idle_margin
        return base * pace_ratio * self.idle_margin

    def why_due(
        self,
        failed_tries: int,
        duration_ms: int | None,
        peer_median_ms: float | None = None,
        pace_ratio: float = 1.0,
    ) -> str | None:
        """Why a hint is due now, in plain words (the current language's), or None when it is not.

        ``failed_tries`` counts the failed tries on the item, the current one included: zero
        means the learner has not tried and failed yet, so no hint.
        """
        if failed_tries < 1:
            return None
        if failed_tries >= self.failures:
            return _("this is failed try {n} on this exercise", n=failed_tries)
        limit = self.idle_limit_ms(peer_median_ms, pace_ratio)
        if duration_ms is not None and duration_ms > limit:
            minutes = round(duration_ms / 60000)
            return ngettext(
                "this try took {n} minute, longer than usual for you",
                "this try took {n} minutes, longer than usual for you",
                minutes,
            )
        return None


def next_hint(hints: Sequence[str], hints_used: int) -> tuple[int, str] | None:
    """The first hint the learner has not seen (index from 0), if any is left."""
    if 0 <= hints_used < len(hints):
        return hints_used, hints[hints_used]
    return None
