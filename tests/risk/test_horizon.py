"""The at-risk definition at a fixed horizon: a prediction reads each learner's first K attempts and
nothing after them, not even how many follow; the label reads only what follows."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from jupyter_adaptive.errors import InvalidRequestError
from jupyter_adaptive.risk.evaluation import baseline_risk
from jupyter_adaptive.risk.horizon import (
    MIN_FOLLOWING,
    at_risk_labels,
    early_attempts,
    split_at_horizon,
)
from jupyter_adaptive.risk.model import RiskModel

from .conftest import synthetic_log

HORIZON = 5


def _later(data: pd.DataFrame, horizon: int = HORIZON) -> np.ndarray:
    """Rows after each learner's first ``horizon`` attempts."""
    position = data.sort_values(["user_id", "order_id"]).groupby("user_id").cumcount()
    return (position.reindex(data.index) >= horizon).to_numpy()


def test_the_horizon_splits_each_learner_after_k_attempts_by_order_id() -> None:
    data = pd.DataFrame(
        {
            "order_id": [9, 1, 3, 2, 5, 4, 7, 8, 6, 11, 10],
            "user_id": ["a"] * 9 + ["b"] * 2,
            "skill_name": ["s"] * 11,
            "correct": [1, 0, 1, 0, 1, 1, 0, 1, 1, 1, 0],
        }
    )
    early, later = split_at_horizon(data, 3)
    assert early["order_id"].tolist() == [1, 2, 3]
    assert later["order_id"].tolist() == [4, 5, 6, 7, 8, 9]
    assert early_attempts(data, 3)["order_id"].tolist() == [1, 2, 3]
    assert early_attempts(data, 2)["order_id"].tolist() == [1, 2, 10, 11]


def test_a_learner_needs_enough_attempts_after_the_horizon_to_be_labelled() -> None:
    data = synthetic_log(learners=4, attempts=HORIZON + MIN_FOLLOWING)
    short = data[~((data["user_id"] == "u0000") & (data["order_id"] % 10 == 9))]
    assert at_risk_labels(short, HORIZON).index.tolist() == ["u0001", "u0002", "u0003"]


def test_label_is_the_proportion_correct_after_the_horizon_below_0_6() -> None:
    data = pd.DataFrame(
        {
            "order_id": range(20),
            "user_id": ["a"] * 10 + ["b"] * 10,
            "skill_name": ["s"] * 20,
            # a: 0/5 then 3/5 right (on track); b: 5/5 then 2/5 right (at risk)
            "correct": [0] * 5 + [1, 1, 1, 0, 0] + [1] * 5 + [1, 1, 0, 0, 0],
        }
    )
    assert at_risk_labels(data, 5).to_dict() == {"a": 0, "b": 1}


def test_label_ignores_the_attempts_before_the_horizon(ct: pd.DataFrame) -> None:
    perturbed = ct.copy()
    early = ~_later(ct)
    perturbed.loc[early, "correct"] = 1 - perturbed.loc[early, "correct"]
    pd.testing.assert_series_equal(at_risk_labels(perturbed, HORIZON), at_risk_labels(ct, HORIZON))


def test_features_and_risk_are_the_same_whatever_the_future(ct: pd.DataFrame) -> None:
    """Change everything after the horizon, drop most of it or add more: nothing read changes."""
    model = RiskModel(horizon=HORIZON).fit(ct)
    later = _later(ct)
    changed = ct.copy()
    rng = np.random.RandomState(1)
    changed.loc[later, "correct"] = rng.randint(0, 2, int(later.sum())).astype("int8")
    changed.loc[later, "skill_name"] = "a skill never seen"
    changed.loc[later, "hint_count"] = "9"
    changed.loc[later, "step_duration_sec"] = "1000"
    shorter = ct[~later | (rng.rand(len(ct)) < 0.2)]
    more = ct[later]
    longer = pd.concat([ct, more.assign(order_id=ct["order_id"].max() + 1 + np.arange(len(more)))])
    for future in (changed, shorter, longer):
        pd.testing.assert_frame_equal(model.features(future), model.features(ct))
        pd.testing.assert_series_equal(model.risk(future), model.risk(ct))
        pd.testing.assert_series_equal(baseline_risk(future, HORIZON), baseline_risk(ct, HORIZON))


def test_learners_short_of_the_horizon_are_not_scored_yet(ct: pd.DataFrame) -> None:
    model = RiskModel(horizon=HORIZON).fit(ct)
    sizes = ct.groupby("user_id").size()
    assert set(model.risk(ct).index) == set(sizes[sizes >= HORIZON].index)


def test_a_log_where_nobody_reaches_the_horizon_and_beyond_is_refused() -> None:
    data = synthetic_log(learners=3, attempts=HORIZON + MIN_FOLLOWING - 1)
    with pytest.raises(InvalidRequestError, match=f"{HORIZON + MIN_FOLLOWING} or more attempts"):
        split_at_horizon(data, HORIZON)


def test_a_horizon_below_one_attempt_is_refused() -> None:
    with pytest.raises(InvalidRequestError, match="at least 1 attempt"):
        early_attempts(synthetic_log(learners=2, attempts=3), 0)
