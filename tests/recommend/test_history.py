"""A learner history keeps running summaries, and they answer what the attempts themselves would."""

from __future__ import annotations

import math
import random
from collections import Counter

import pytest

from jupyter_adaptive.recommend import Attempt, LearnerHistory, learner_pace

ITEMS = [f"item-{i}" for i in range(12)]
SKILLS = ["a", "b", "c", "d"]
ERRORS = [None, "TypeError", "KeyError"]


def random_attempts(seed: int, n: int) -> list[Attempt]:
    rng = random.Random(seed)
    return [
        Attempt(
            item=rng.choice(ITEMS),
            skills=tuple(rng.sample(SKILLS, rng.choice([1, 1, 2]))),
            correct=rng.random() < 0.5,
            error=rng.choice(ERRORS),
            duration_ms=rng.choice([None, 0, rng.randint(1_000, 300_000)]),
        )
        for _ in range(n)
    ]


@pytest.mark.parametrize("seed", range(5))
def test_the_summaries_answer_what_the_attempts_would(seed: int) -> None:
    attempts = random_attempts(seed, 300)
    history = LearnerHistory.of({}, attempts)
    assert history.count == len(attempts)
    assert history.passed() == {a.item for a in attempts if a.correct}
    assert history.seen() == {a.item for a in attempts}
    assert history.just_failed() == (None if attempts[-1].correct else attempts[-1].item)
    first: dict[str, bool] = {}
    for attempt in attempts:
        first.setdefault(attempt.item, attempt.correct)
    assert list(history.first_outcomes().items()) == list(first.items())
    for item in ITEMS:
        assert history.failures(item) == sum(
            1 for a in attempts if a.item == item and not a.correct
        )
    for skill in SKILLS:
        on_skill = [(i, a) for i, a in enumerate(attempts) if skill in a.skills]
        missed = [a.error or "incorrect" for _, a in on_skill if not a.correct]
        assert history.misses(skill) == Counter(missed)
        assert history.last_practised(skill) == on_skill[-1][0]
        for window in range(1, history.keep + 1):
            expected = [(i, a.correct, a.error) for i, a in on_skill[-window:]]
            assert history.recent(skill, window) == expected
            recent = [a for _, a in on_skill[-window:] if not a.correct]
            errors = Counter(a.error for a in recent if a.error)
            assert history.recent_misses(skill, window) == (len(recent), errors)


def test_a_skill_never_practised_has_no_position_and_no_misses() -> None:
    history = LearnerHistory.of({}, random_attempts(1, 20))
    assert history.last_practised("never") == -1
    assert history.misses("never") == Counter()
    assert history.recent("never", 3) == []


def test_a_history_says_how_many_attempts_per_skill_it_keeps() -> None:
    history = LearnerHistory(recent=4)
    with pytest.raises(ValueError, match="last 4 attempts per skill"):
        history.recent("a", 5)


def test_pace_is_the_geometric_mean_of_durations_over_peer_medians() -> None:
    attempts = random_attempts(3, 200)
    medians = {item: 60_000.0 for item in ITEMS[:8]}
    logs = [
        math.log(a.duration_ms / medians[a.item])
        for a in attempts
        if a.duration_ms and a.item in medians
    ]
    pace = learner_pace(LearnerHistory.of({}, attempts), medians)
    assert pace.comparisons == len(logs)
    assert pace.ratio == pytest.approx(min(4.0, max(0.25, math.exp(sum(logs) / len(logs)))))
