"""The at-risk definition and the features read each learner's halves, and only those."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from jupyter_adaptive.errors import InvalidRequestError
from jupyter_adaptive.risk.halves import at_risk_labels, split_halves
from jupyter_adaptive.risk.model import RiskModel


def _second_half_mask(data: pd.DataFrame) -> pd.Series:
    _, second = split_halves(data)
    return data.index.isin(second.index)


def test_first_half_is_the_first_n_over_2_attempts_by_order_id() -> None:
    data = pd.DataFrame(
        {
            "order_id": [5, 1, 3, 2, 4, 9, 8, 7],
            "user_id": ["a", "a", "a", "a", "a", "b", "b", "c"],
            "skill_name": ["s"] * 8,
            "correct": [1, 0, 1, 0, 1, 1, 0, 1],
        }
    )
    first, second = split_halves(data)
    assert first.loc[first["user_id"] == "a", "order_id"].tolist() == [1, 2]
    assert second.loc[second["user_id"] == "a", "order_id"].tolist() == [3, 4, 5]
    assert first.loc[first["user_id"] == "b", "order_id"].tolist() == [8]
    assert "c" not in set(first["user_id"]) | set(second["user_id"])


def test_label_is_second_half_proportion_correct_below_0_6() -> None:
    data = pd.DataFrame(
        {
            "order_id": range(12),
            "user_id": ["a"] * 6 + ["b"] * 6,
            "skill_name": ["s"] * 12,
            # a: 0/3 then 2/3 right (0.67, on track); b: 3/3 then 1/3 right (0.33, at risk)
            "correct": [0, 0, 0, 1, 1, 0, 1, 1, 1, 1, 0, 0],
        }
    )
    assert at_risk_labels(data).to_dict() == {"a": 0, "b": 1}


def test_label_ignores_the_first_half(ct: pd.DataFrame) -> None:
    perturbed = ct.copy()
    first = ~_second_half_mask(ct)
    perturbed.loc[first, "correct"] = 1 - perturbed.loc[first, "correct"]
    pd.testing.assert_series_equal(at_risk_labels(perturbed), at_risk_labels(ct))


def test_features_and_risk_ignore_the_second_half(ct: pd.DataFrame, ct_risk: RiskModel) -> None:
    perturbed = ct.copy()
    second = _second_half_mask(ct)
    rng = np.random.RandomState(1)
    perturbed.loc[second, "correct"] = rng.randint(0, 2, int(second.sum())).astype("int8")
    perturbed.loc[second, "skill_name"] = "a skill never seen"
    perturbed.loc[second, "hint_count"] = "9"
    perturbed.loc[second, "step_duration_sec"] = "1000"
    pd.testing.assert_frame_equal(ct_risk.features(perturbed), ct_risk.features(ct))
    pd.testing.assert_series_equal(ct_risk.risk(perturbed), ct_risk.risk(ct))


def test_a_log_where_nobody_has_two_attempts_is_refused() -> None:
    data = pd.DataFrame(
        {"order_id": [1, 2], "user_id": ["a", "b"], "skill_name": ["s", "s"], "correct": [1, 0]}
    )
    with pytest.raises(InvalidRequestError, match="2 or more attempts"):
        split_halves(data)
