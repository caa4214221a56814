"""Spaced review under forgetting rates per day fitted from timestamps."""

from __future__ import annotations

from pathlib import Path

import pytest

from jupyter_adaptive.curriculum import Course
from jupyter_adaptive.mastery.bkt import BKT
from jupyter_adaptive.mastery.forgetting import days_until_review
from jupyter_adaptive.mastery.responses import read_responses
from jupyter_adaptive.recommend.history import LearnerHistory
from jupyter_adaptive.recommend.policy import Policy, PolicySettings

SETTINGS = PolicySettings()
DATA = Path(__file__).parents[1] / "mastery" / "data" / "algebra2005_sample.csv.gz"


@pytest.fixture(scope="module")
def fitted() -> BKT:
    return BKT().fit(read_responses(DATA))


def test_the_policy_reviews_a_mastered_skill_days_later_not_tomorrow(
    course: Course, fitted: BKT
) -> None:
    params = fitted.default_params_
    policy = Policy(course, lambda _skill: params)
    history = LearnerHistory(mastery={s: 0.97 for s in course.skills})
    tomorrow = policy.recommend(history, days_since={s: 1.0 for s in course.skills})
    assert tomorrow.item is None
    wait = days_until_review(0.97, params.forget_per_day, SETTINGS.review_below)
    assert wait is not None
    later = policy.recommend(history, days_since={s: wait + 1.0 for s in course.skills})
    assert later.item is not None and later.review
