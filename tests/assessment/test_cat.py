"""The check-in's item selection: most informative first, stop rule, no repeats, exposure
control, content balance; and its simulation against a fixed form."""

from __future__ import annotations

import numpy as np
import pytest

from jupyter_adaptive.assessment.cat import CatSettings, select_next
from jupyter_adaptive.assessment.irt import estimate_ability, information, probability
from jupyter_adaptive.assessment.item_bank import ItemParameters
from jupyter_adaptive.assessment.simulation import simulate_check


def make_pool(size: int = 60, seed: int = 0, skills: int = 4) -> list[ItemParameters]:
    rng = np.random.default_rng(seed)
    return [
        ItemParameters(
            f"i{j:02d}",
            (f"s{j % skills}",),
            float(rng.uniform(0.8, 2.2)),
            float(rng.normal(0.0, 1.2)),
            0.1,
            0.1,
            500,
            "fit",
        )
        for j in range(size)
    ]


def run(
    pool: list[ItemParameters], theta: float, settings: CatSettings, seed: int
) -> tuple[list[tuple[str, bool]], object]:
    rng = np.random.default_rng(seed)
    by_id = {p.item: p for p in pool}
    answers: list[tuple[str, bool]] = []
    while True:
        step = select_next(pool, answers, settings)
        if step.item is None:
            return answers, step
        p = float(probability(theta, by_id[step.item.item].a, by_id[step.item.item].b))
        answers.append((step.item.item, bool(rng.random() < p)))


def test_the_first_item_is_the_most_informative_at_the_prior() -> None:
    pool = make_pool()
    step = select_next(pool, [])
    gains = information(0.0, [p.a for p in pool], [p.b for p in pool])
    assert step.item is not None and step.item.item == pool[int(np.argmax(gains))].item
    assert step.information == pytest.approx(float(gains.max()))
    assert (step.ability.theta, step.ability.se) == pytest.approx((0.0, 1.0), abs=1e-3)


def test_each_next_item_is_the_most_informative_of_the_least_asked_skills() -> None:
    pool = make_pool()
    answers = [("i00", True), ("i01", False)]  # skills s0 and s1 asked once
    step = select_next(pool, answers)
    ability = estimate_ability([pool[0].a, pool[1].a], [pool[0].b, pool[1].b], [True, False])
    candidates = [p for p in pool[2:] if p.skills[0] in ("s2", "s3")]
    gains = information(ability.theta, [p.a for p in candidates], [p.b for p in candidates])
    assert step.item == candidates[int(np.argmax(gains))]
    assert step.ability == ability


@pytest.mark.parametrize("theta", [-2.0, 0.0, 1.5])
def test_the_stop_rule_holds_and_no_item_repeats(theta: float) -> None:
    pool = make_pool()
    settings = CatSettings(se_target=0.3, max_items=30, max_exposure=1.0)
    answers, step = run(pool, theta, settings, seed=int(theta * 10) + 25)
    items = [item for item, _right in answers]
    assert len(items) == len(set(items))
    assert step.stop in ("precision", "length")  # type: ignore[attr-defined]
    if step.stop == "precision":  # type: ignore[attr-defined]
        assert step.ability.se <= 0.3  # type: ignore[attr-defined]
        shorter = select_next(pool, answers[:-1], settings)
        assert shorter.ability.se > 0.3 and not shorter.done
    else:
        assert len(items) == 30


def test_a_check_stops_at_its_maximum_and_when_the_pool_is_used_up() -> None:
    pool = make_pool(size=8)
    answers, step = run(pool, 0.0, CatSettings(max_items=5, se_target=0.01), seed=1)
    assert len(answers) == 5 and step.stop == "length"  # type: ignore[attr-defined]
    answers, step = run(pool, 0.0, CatSettings(max_items=50, se_target=0.01), seed=1)
    assert len(answers) == 8 and step.stop == "pool"  # type: ignore[attr-defined]


def test_exposure_control_keeps_every_item_under_the_rate_in_500_learners() -> None:
    pool = make_pool(size=60)
    settings = CatSettings(max_items=15, max_exposure=0.25)  # 15 items <= 0.25 x 60
    result = simulate_check(pool, 500, seed=3, settings=settings)
    assert result["cat"]["max_exposure"] <= 0.25
    free = simulate_check(pool, 500, seed=3, settings=CatSettings(max_items=15, max_exposure=1))
    assert free["cat"]["max_exposure"] > 0.5  # without control the best items go to everyone


def test_the_check_in_needs_fewer_items_than_a_fixed_form_at_equal_precision() -> None:
    result = simulate_check(make_pool(size=60), 300, seed=4)
    cat, fixed = result["cat"], result["fixed"]
    assert cat["reached"] <= fixed["reached"] and fixed["se_mean"] <= cat["se_mean"]
    assert cat["items_mean"] < fixed["items_mean"]
    assert cat["corr_theta"] >= 0.9
    assert result["items_share"] == pytest.approx(cat["items_mean"] / fixed["items_mean"], 1e-2)
