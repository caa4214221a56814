"""Forgetting in time: daily rates fitted from timestamps give a review schedule teachers accept."""

from __future__ import annotations

import statistics

import numpy as np
import pandas as pd
import pytest

from jupyter_adaptive.mastery.bkt import BKT
from jupyter_adaptive.mastery.forgetting import (
    DEFAULT_FORGET_PER_DAY,
    days_until_review,
    estimate_in_time,
)
from jupyter_adaptive.recommend.policy import PolicySettings

DAY = 86400.0
SETTINGS = PolicySettings()


@pytest.fixture(scope="module")
def fitted(algebra: pd.DataFrame) -> BKT:
    return BKT().fit(algebra)


def test_rates_per_day_are_fitted_from_timestamps(fitted: BKT, ct: pd.DataFrame) -> None:
    rates = [p.forget_per_day for p in fitted.params_.values()]
    assert all(0.0 <= r < 0.3 for r in rates)
    assert len(set(rates)) > 1  # per skill, not one number
    assert {p.forget_per_day for p in BKT().fit(ct).params_.values()} == {DEFAULT_FORGET_PER_DAY}


def test_a_skill_mastered_today_is_not_due_tomorrow(fitted: BKT) -> None:
    waits = []
    for params in fitted.params_.values():
        mastered = SETTINGS.threshold
        tomorrow = estimate_in_time(
            mastered, params.forget_per_day, 1.0, SETTINGS.threshold, SETTINGS.review_below
        )
        assert tomorrow >= SETTINGS.threshold
        wait = days_until_review(mastered, params.forget_per_day, SETTINGS.review_below)
        assert wait is None or wait > 1.0
        waits.append(wait if wait is not None else float("inf"))
    assert statistics.median(waits) >= 5.0


def test_a_known_daily_rate_is_recovered() -> None:
    """Learners who master a skill, then pause for days between sessions: the fitted rate is
    close to the one that made them forget."""
    rng = np.random.default_rng(0)
    rate, rows = 0.05, []
    for learner in range(400):
        known, clock = False, 0.0
        for _session in range(6):
            gap = float(rng.uniform(1, 20))
            clock += gap * DAY
            if known and rng.random() > (1 - rate) ** gap:
                known = False
            for _answer in range(4):
                p = 0.9 if known else 0.2
                rows.append((len(rows), f"u{learner}", "s", int(rng.random() < p), clock))
                known = known or rng.random() < 0.3
                clock += 60.0
    data = pd.DataFrame(rows, columns=["order_id", "user_id", "skill_name", "correct", "timestamp"])
    fitted = BKT(forgets=False).fit(data).params_["s"].forget_per_day
    assert rate / 2 < fitted < rate * 2
