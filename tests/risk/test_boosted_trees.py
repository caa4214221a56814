"""Boosted trees as plain numbers: scikit-learn's decisions, to the last bit, and back from JSON."""

from __future__ import annotations

import json

import numpy as np
import pytest
from sklearn.ensemble import HistGradientBoostingClassifier
from threadpoolctl import threadpool_limits

from jupyter_adaptive.risk.boosted_trees import BoostedTrees


@pytest.fixture(scope="module")
def fitted() -> tuple[HistGradientBoostingClassifier, np.ndarray]:
    """A classifier fitted where a missing value says something (so some splits send missing
    values left, some right, and some split on missing values alone), and rows to score."""
    rng = np.random.RandomState(0)
    X = rng.normal(size=(1000, 5))
    X[rng.rand(1000) < 0.3, 1] = np.nan
    X[rng.rand(1000, 5) < 0.05] = np.nan
    signal = np.nan_to_num(X[:, 0]) + np.where(np.isnan(X[:, 1]), 1.5, 0.0)
    y = (signal + rng.normal(size=1000) > 0.5).astype(int)
    estimator = HistGradientBoostingClassifier(max_depth=3, max_iter=50, random_state=0)
    rows = rng.normal(size=(3000, 5))
    rows[rng.rand(3000, 5) < 0.2] = np.nan
    rows[:10, 2] = [np.inf, -np.inf] * 5
    with threadpool_limits(1, user_api="openmp"):
        return estimator.fit(X, y), rows


def test_the_trees_decide_as_scikit_learn_does(
    fitted: tuple[HistGradientBoostingClassifier, np.ndarray],
) -> None:
    estimator, rows = fitted
    trees = BoostedTrees.from_estimator(estimator)
    inner = ~trees.is_leaf
    assert trees.missing_go_to_left[inner].any() and not trees.missing_go_to_left[inner].all()
    assert np.isposinf(trees.threshold[inner]).any()
    with threadpool_limits(1, user_api="openmp"):
        expected = estimator.decision_function(rows)
    np.testing.assert_array_equal(trees.decision_function(rows), expected)


def test_trees_read_back_from_json_decide_the_same(
    fitted: tuple[HistGradientBoostingClassifier, np.ndarray],
) -> None:
    estimator, rows = fitted
    trees = BoostedTrees.from_estimator(estimator)
    text = json.dumps(trees.to_params())
    assert "Infinity" not in text and "NaN" not in text
    again = BoostedTrees.from_params(json.loads(text))
    np.testing.assert_array_equal(again.decision_function(rows), trees.decision_function(rows))


@pytest.mark.parametrize(
    ("field", "value", "problem"),
    [
        ("left", 0, "a split's child does not come after it"),
        ("feature", 5, "a split names a feature beyond the 5 of a row"),
    ],
)
def test_inconsistent_trees_are_refused(
    fitted: tuple[HistGradientBoostingClassifier, np.ndarray], field: str, value: int, problem: str
) -> None:
    params = BoostedTrees.from_estimator(fitted[0]).to_params()
    params[field][0] = value
    with pytest.raises(ValueError, match=problem):
        BoostedTrees.from_params(params)
