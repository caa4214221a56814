"""The fairness report finds a gap planted in synthetic data, and none where none was planted."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from jupyter_adaptive.errors import InvalidRequestError
from jupyter_adaptive.risk.fairness import ACTIVITY, fairness_report

from .conftest import synthetic_log

LEARNERS = 300


def _roster(groups: dict[str, str]) -> pd.DataFrame:
    return pd.DataFrame({"user_id": list(groups), "group": list(groups.values())}).set_index(
        "user_id"
    )


def test_a_planted_gap_in_the_mastery_model_is_highlighted() -> None:
    users = [f"u{u:04d}" for u in range(LEARNERS)]
    noisy = {u for i, u in enumerate(users) if i % 2}
    data = synthetic_log(learners=LEARNERS, noisy=noisy)
    roster = _roster({u: "B" if u in noisy else "A" for u in users})
    (report,) = fairness_report(data, roster)
    auc = report.by_group["mastery_auc"]
    assert auc["A"] > auc["B"] + 0.1
    highlighted = {gap.metric: gap for gap in report.highlighted}
    assert "mastery_auc" in highlighted
    assert (highlighted["mastery_auc"].high_group, highlighted["mastery_auc"].low_group) == (
        "A",
        "B",
    )
    assert any("GAP" in line for line in report.as_dict()["highlighted"])


def test_no_gap_is_highlighted_between_groups_drawn_at_random() -> None:
    users = [f"u{u:04d}" for u in range(LEARNERS)]
    rng = np.random.RandomState(3)
    roster = _roster({u: str(rng.choice(["A", "B"])) for u in users})
    (report,) = fairness_report(synthetic_log(learners=LEARNERS), roster)
    assert report.highlighted == []
    assert set(report.by_group.index) == {"A", "B"}


def test_without_a_roster_learners_are_audited_by_activity_quartile(ct: pd.DataFrame) -> None:
    (report,) = fairness_report(ct)
    assert report.attribute == ACTIVITY
    assert list(report.by_group.index) == ["Q1 fewest", "Q2", "Q3", "Q4 most"]
    assert set(report.by_group.columns) == {
        "learners",
        "mastery_auc",
        "mastery_calibration",
        "risk_fpr",
        "risk_fnr",
        "mastery_gain",
    }


def test_a_roster_naming_none_of_the_learners_is_refused(ct: pd.DataFrame) -> None:
    with pytest.raises(InvalidRequestError, match="no learner of the data is in the roster"):
        fairness_report(ct, _roster({"nobody": "A"}))
