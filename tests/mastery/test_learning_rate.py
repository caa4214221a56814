"""A learner's own learning rate, from their answers: found, shrunk toward the class, and read
into the estimates only where the stored estimate is the answers' own."""

from __future__ import annotations

import math

import pytest

from jupyter_adaptive.mastery import SkillParams, posterior_after
from jupyter_adaptive.mastery.learning_rate import (
    MULTIPLIERS,
    LearningRate,
    class_rate_prior,
    default_rate_prior,
    fit_rate_prior,
)

PARAMS = SkillParams(prior=0.2, learn=0.2, guess=0.2, slip=0.1)


def answered(pattern: str, skills: int = 6, params: SkillParams = PARAMS) -> LearningRate:
    """The same pattern of answers ("0" wrong, "1" right) on each of a few skills."""
    rate = LearningRate()
    for skill in range(skills):
        for mark in pattern:
            rate.add(f"s{skill}", mark == "1", params)
    return rate


def stored(pattern: str, params: SkillParams = PARAMS) -> float:
    """What the recorder stores after the pattern (the course's rate)."""
    p = params.prior
    for mark in pattern:
        p = posterior_after(p, mark == "1", params)
    return p


def test_a_learner_who_gets_it_after_one_try_learns_faster_than_the_course() -> None:
    assert answered("0111").posterior().multiplier > 1.5


def test_a_learner_who_needs_many_tries_learns_slower_than_the_course() -> None:
    assert answered("000000000111").posterior().multiplier < 0.7


def test_few_answers_stay_near_the_course_rate() -> None:
    assert LearningRate().posterior().multiplier == pytest.approx(1.0, abs=1e-3)
    one = answered("01", skills=1).posterior().multiplier
    assert 0.8 < one < 1.25


def test_a_fast_learners_estimate_is_read_above_the_stored_one() -> None:
    own = answered("0111").posterior()
    assert own.estimate("s0", stored("0111")) > stored("0111") + 0.01


def test_an_estimate_set_elsewhere_stands() -> None:
    own = answered("0111").posterior()
    assert own.estimate("s0", 0.95) == 0.95  # a teacher's "mark mastered"
    assert own.estimate("never answered", 0.3) == 0.3


def test_forgetting_per_answer_does_not_cap_the_estimate() -> None:
    forgetful = SkillParams(prior=0.2, learn=0.2, guess=0.2, slip=0.1, forget=0.15)
    pattern = "0" + "1" * 8
    own = answered(pattern, params=forgetful).posterior()
    assert stored(pattern, forgetful) < 0.86
    assert own.estimate("s0", stored(pattern, forgetful)) >= 0.95


def test_the_class_prior_follows_the_class() -> None:
    slow = [answered("000000000111").log_likelihood() for _ in range(30)]
    prior = fit_rate_prior(slow)
    below = sum(w for w, m in zip(prior, MULTIPLIERS, strict=True) if m < 1.0)
    assert below > 0.8
    assert math.isclose(sum(prior), 1.0)


def test_an_empty_class_keeps_the_default_prior() -> None:
    assert class_rate_prior([]) == pytest.approx(default_rate_prior())
