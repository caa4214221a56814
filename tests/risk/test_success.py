"""Success metrics: mastery gain, time to mastery and completion per skill, unit and subgroup."""

from __future__ import annotations

import pandas as pd
import pytest

from jupyter_adaptive.errors import InvalidRequestError
from jupyter_adaptive.mastery.bkt import BKT
from jupyter_adaptive.mastery.online import SkillParams
from jupyter_adaptive.risk.success import skill_progress, success_metrics


def _model() -> BKT:
    model = BKT()
    model.params_ = {"s": SkillParams(prior=0.3, learn=0.3, guess=0.1, slip=0.05)}
    model.item_params_ = {}
    model.default_params_ = model.params_["s"]
    model.item_column_ = None
    return model


def _log() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "order_id": range(10),
            "user_id": ["fast"] * 5 + ["slow"] * 5,
            "skill_name": ["s"] * 10,
            "correct": [1, 1, 1, 1, 1, 0, 0, 0, 0, 0],
            "unit": ["u1"] * 10,
        }
    )


def test_a_learner_answering_right_masters_the_skill_and_one_answering_wrong_does_not() -> None:
    progress = skill_progress(_model(), _log()).set_index("user_id")
    assert progress.loc["fast", "completed"]
    assert progress.loc["fast", "mastery_gain"] > 0.5
    assert 1 <= progress.loc["fast", "time_to_mastery"] <= 5
    assert not progress.loc["slow", "completed"]
    assert pd.isna(progress.loc["slow", "time_to_mastery"])
    assert progress.loc["slow", "first"] == pytest.approx(0.3)


def test_metrics_per_skill_unit_and_subgroup() -> None:
    progress = skill_progress(_model(), _log())
    by_unit = success_metrics(progress, "unit")
    assert by_unit.loc["u1", "learners"] == 2
    assert by_unit.loc["u1", "completion"] == pytest.approx(0.5)
    groups = pd.Series({"fast": "morning"})
    by_group = success_metrics(progress, "group", groups)
    assert by_group.loc["morning", "completion"] == 1.0
    assert by_group.loc["unknown", "completion"] == 0.0
    assert success_metrics(progress).index.tolist() == ["s"]


def test_metrics_per_unit_need_a_unit_column() -> None:
    progress = skill_progress(_model(), _log().drop(columns=["unit"]))
    with pytest.raises(InvalidRequestError, match="no `unit` column"):
        success_metrics(progress, "unit")
