"""The simulator cannot flatter the policy: the served code, its own stop rule, fitted parameters,
learners unlike the policy's model; and the adaptive policy meets its goal on it."""

from __future__ import annotations

import itertools
import json
import math
import statistics

import pytest

from jupyter_adaptive.cli import main
from jupyter_adaptive.curriculum import Course
from jupyter_adaptive.recommend.policy import PolicySettings
from jupyter_adaptive.recommend.simulation import (
    SUBGROUPS,
    FittedPolicy,
    Truth,
    draw_learners,
    draw_truth,
    fit_policy,
    identical,
    simulate,
    summarize,
)

COLUMNS = {"items_mean", "items_median", "minutes_mean", "known_at_stop", "all_known_share"}


@pytest.fixture(scope="module")
def truth(course: Course) -> Truth:
    return draw_truth(course, seed=0)


@pytest.fixture(scope="module")
def fitted(course: Course, truth: Truth) -> FittedPolicy:
    return fit_policy(course, truth, draw_learners(course, truth, 90, seed=1))


def test_every_group_needs_at_most_half_the_fixed_orders_items_and_knows_95_percent_at_stop(
    course: Course, truth: Truth, fitted: FittedPolicy
) -> None:
    learners = draw_learners(course, truth, 36, seed=0)
    fixed = summarize(simulate(course, truth, learners, "fixed", "oracle", fitted=fitted))
    adaptive = summarize(simulate(course, truth, learners, "adaptive", fitted=fitted))
    for group in SUBGROUPS:
        ours, baseline = adaptive["subgroups"][group.name], fixed["subgroups"][group.name]
        assert ours["items_mean"] <= 0.5 * baseline["items_mean"], group.name
        assert ours["known_at_stop"] >= 0.95, group.name


def test_slow_learners_learn_at_half_the_typical_rate() -> None:
    rates = {group.name: group.learn for group in SUBGROUPS}
    assert rates["slow"] == 0.5 * rates["typical"] < rates["fast"]


def test_the_policy_is_the_products_own_fitted_on_simulated_data(
    truth: Truth, fitted: FittedPolicy
) -> None:
    assert fitted.policy.settings == PolicySettings()
    assert fitted.policy.settings.threshold == 0.95
    skill = next(iter(truth.params))
    assert fitted.params(skill, None) != truth.params[skill]
    assert fitted.model.n_users_ == 90


def test_the_fixed_order_by_its_own_rule_takes_the_whole_course(
    course: Course, truth: Truth
) -> None:
    learners = draw_learners(course, truth, 6, seed=2)
    outcomes = simulate(course, truth, learners, "fixed")
    assert {o.items for o in outcomes} == {len(course.items)}
    assert all(0.0 <= o.known_share <= 1.0 for o in outcomes)


def test_stopped_by_the_truth_the_fixed_order_ends_when_every_skill_is_known(
    course: Course, truth: Truth
) -> None:
    learners = draw_learners(course, truth, 6, seed=2)
    outcomes = simulate(course, truth, learners, "fixed", "oracle", budget=3000)
    assert all(o.all_known for o in outcomes)


def test_identical_subgroups_show_no_gap(course: Course, truth: Truth) -> None:
    """Every gap between subgroups is within three standard errors of zero."""
    same = identical(SUBGROUPS)
    learners = draw_learners(course, truth, 60, seed=5, subgroups=same)
    outcomes = simulate(course, truth, learners, "fixed", "oracle")
    groups = [[o.items for o in outcomes if o.subgroup == g.name] for g in same]
    for a, b in itertools.combinations(groups, 2):
        error = math.sqrt(statistics.variance(a) / len(a) + statistics.variance(b) / len(b))
        assert abs(statistics.mean(a) - statistics.mean(b)) < 3 * error


def test_simulate_prints_the_documented_json(capsys: pytest.CaptureFixture[str]) -> None:
    arguments = ["simulate", "--learners", "3", "--train", "30", "--budget", "200", "--json"]
    assert main(arguments) == 0
    output = json.loads(capsys.readouterr().out)
    assert set(output) == {"runs", "adaptive_share_of_fixed"}
    assert set(output["runs"]) == {"fixed/own", "fixed/oracle", "adaptive/own", "random/own"}
    for figures in output["runs"].values():
        assert set(figures) == COLUMNS | {"subgroups"}
        assert set(figures["subgroups"]) == {g.name for g in SUBGROUPS}
    assert set(output["adaptive_share_of_fixed"]) == {"all"} | {g.name for g in SUBGROUPS}


def test_simulate_refuses_no_learners(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["simulate", "--learners", "0"]) == 1
    assert "at least 1" in capsys.readouterr().err
