"""Spaced review under forgetting rates per day fitted from timestamps."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest

from jupyter_adaptive.curriculum import Course
from jupyter_adaptive.mastery.bkt import BKT
from jupyter_adaptive.mastery.forgetting import DEFAULT_FORGET_PER_DAY, days_until_review
from jupyter_adaptive.mastery.responses import read_responses
from jupyter_adaptive.recommend.history import LearnerHistory
from jupyter_adaptive.recommend.policy import Policy, PolicySettings
from jupyter_adaptive.recording import Recorder, RecordingPolicy
from jupyter_adaptive.store import Store
from tests.fixtures.api import attempt_event

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


def test_the_learner_sees_when_a_mastered_skill_comes_back(tmp_path: Path) -> None:
    recorder = Recorder(
        Store.open(f"sqlite:///{tmp_path / 'store.sqlite'}"),
        RecordingPolicy(consent_default="outcomes"),
    )
    recorder.record("learner", [attempt_event(attempt=n + 1) for n in range(12)])
    [row] = recorder.mastery("learner")["mastery"]
    assert row["p_mastery"] >= SETTINGS.threshold
    wait = days_until_review(row["p_mastery"], DEFAULT_FORGET_PER_DAY, SETTINGS.review_below)
    assert wait is not None and wait > 7
    due = datetime.fromisoformat(row["updated_at"]) + timedelta(days=wait)
    assert row["review_on"] == due.date().isoformat()
    recorder.record("beginner", [attempt_event()])
    [row] = recorder.mastery("beginner")["mastery"]
    assert row["p_mastery"] < SETTINGS.threshold and row["review_on"] is None
    recorder.store.close()
