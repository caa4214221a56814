"""The simulator recovers known truths, and the adaptive policy meets its goal on it."""

from __future__ import annotations

import itertools
import json
import math
import statistics
from dataclasses import replace

import pytest

from jupyter_adaptive.cli import main
from jupyter_adaptive.curriculum import Course
from jupyter_adaptive.recommend.simulation import (
    SUBGROUPS,
    Subgroup,
    draw_learners,
    identical,
    simulate,
    summarize,
)

KEYS = {"items_mean", "items_median", "minutes_mean", "mastered_share"}


def test_an_oracle_needs_exactly_one_item_per_unknown_skill_when_learning_is_certain(
    course: Course,
) -> None:
    certain = tuple(replace(group, learn=1.0) for group in SUBGROUPS)
    learners = draw_learners(course, 12, seed=3, subgroups=certain)
    outcomes = simulate(course, learners, "oracle", subgroups=certain)
    assert [o.items for o in outcomes] == [len(course.skills) - len(one.known) for one in learners]
    assert all(o.mastered for o in outcomes)


@pytest.mark.parametrize("policy", ["fixed", "adaptive"])
def test_identical_subgroups_show_no_gap(course: Course, policy: str) -> None:
    """Every gap between subgroups is within three standard errors of zero."""
    same = identical((SUBGROUPS[2], SUBGROUPS[0], SUBGROUPS[1]))
    learners = draw_learners(course, 90, seed=5, subgroups=same)
    outcomes = simulate(course, learners, policy, subgroups=same)
    groups = [[o.items for o in outcomes if o.subgroup == g.name] for g in same]
    for a, b in itertools.combinations(groups, 2):
        error = math.sqrt(statistics.variance(a) / len(a) + statistics.variance(b) / len(b))
        assert abs(statistics.mean(a) - statistics.mean(b)) < 3 * error


def test_subgroups_differ_in_prior_knowledge_and_learning_rate() -> None:
    assert len(SUBGROUPS) >= 3
    assert len({g.prior for g in SUBGROUPS}) == len({g.learn for g in SUBGROUPS}) == len(SUBGROUPS)


def test_adaptive_needs_30_percent_fewer_items_and_leaves_no_subgroup_worse_off(
    course: Course,
) -> None:
    learners = draw_learners(course, 45, seed=0)
    fixed = summarize(simulate(course, learners, "fixed"))
    adaptive = summarize(simulate(course, learners, "adaptive"))
    assert adaptive["items_mean"] <= 0.7 * fixed["items_mean"]
    for name, group in adaptive["subgroups"].items():
        assert group["items_mean"] <= fixed["subgroups"][name]["items_mean"], name
        assert group["mastered_share"] >= fixed["subgroups"][name]["mastered_share"], name


def test_simulate_prints_the_documented_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["simulate", "--learners", "6", "--seed", "1", "--budget", "150", "--json"]) == 0
    output = json.loads(capsys.readouterr().out)
    assert set(output) == {"policies"}
    assert set(output["policies"]) == {"fixed", "adaptive", "random"}
    for figures in output["policies"].values():
        assert set(figures) == KEYS | {"subgroups"}
        assert set(figures["subgroups"]) == {g.name for g in SUBGROUPS}
        assert all(set(group) == KEYS for group in figures["subgroups"].values())


def test_simulate_prints_a_table(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["simulate", "--learners", "3", "--seed", "2", "--budget", "60"]) == 0
    table = capsys.readouterr().out
    assert "items_mean" in table and "novices" in table and "fewer items than fixed" in table


def test_simulate_refuses_no_learners(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["simulate", "--learners", "0"]) == 1
    assert "at least 1" in capsys.readouterr().err


def test_a_subgroup_is_plain_data() -> None:
    assert Subgroup("x", prior=0.1, learn=0.2, pace=1.0).guess == 0.2
