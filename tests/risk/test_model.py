"""The at-risk model: beats the baseline on held-out learners, degrades gracefully, explains."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from jupyter_adaptive.errors import InvalidRequestError
from jupyter_adaptive.risk.evaluation import baseline_risk, evaluate
from jupyter_adaptive.risk.explain import contributions, explain, feature_sentence
from jupyter_adaptive.risk.features import FEATURES, Difficulty
from jupyter_adaptive.risk.horizon import DEFAULT_HORIZON, early_attempts
from jupyter_adaptive.risk.model import RiskModel

from .conftest import synthetic_log


def test_risk_is_a_probability_per_learner_who_reached_the_horizon(
    ct: pd.DataFrame, ct_risk: RiskModel
) -> None:
    risk = ct_risk.risk(ct)
    sizes = ct.groupby("user_id").size()
    assert risk.index.tolist() == sorted(sizes[sizes >= ct_risk.horizon].index)
    assert risk.between(0, 1).all()
    assert ct_risk.predict_proba(ct).shape == (len(risk), 2)


def test_features_of_absent_columns_are_left_out() -> None:
    model = RiskModel().fit(synthetic_log(learners=120, attempts=20))
    assert "hints" not in model.feature_names_
    assert "response_time" not in model.feature_names_
    assert set(model.feature_names_) <= set(FEATURES)


def test_prediction_without_a_column_used_in_training_still_scores(
    ct: pd.DataFrame, ct_risk: RiskModel
) -> None:
    assert "hints" in ct_risk.feature_names_
    risk = ct_risk.risk(ct.drop(columns=["hint_count", "attempt_count", "step_duration_sec"]))
    assert risk.notna().all()


def test_training_learners_all_of_one_kind_are_refused() -> None:
    data = synthetic_log(learners=20, attempts=20)
    data["correct"] = 1
    with pytest.raises(InvalidRequestError, match="on track"):
        RiskModel().fit(data)


def test_ranks_held_out_synthetic_learners_well_above_chance() -> None:
    result = evaluate(synthetic_log(learners=400, attempts=24))
    assert result["test_learners"] == 80
    assert result["auc"] > 0.75
    assert result["baseline_auc"] is not None


def test_baseline_is_one_minus_the_accuracy_over_the_same_first_attempts(ct: pd.DataFrame) -> None:
    early = early_attempts(ct, DEFAULT_HORIZON)
    expected = 1 - early.groupby("user_id")["correct"].mean()
    np.testing.assert_allclose(baseline_risk(ct).to_numpy(), expected.to_numpy())
    assert early.groupby("user_id").size().eq(DEFAULT_HORIZON).all()


def test_contributions_sum_to_the_decision(ct: pd.DataFrame, ct_risk: RiskModel) -> None:
    features = ct_risk.features(ct)
    table, baseline = contributions(ct_risk, features)
    np.testing.assert_allclose(
        baseline + table.sum(axis=1).to_numpy(), ct_risk.decision_function(features), atol=1e-9
    )
    for explanation in explain(ct_risk, ct)[:5]:
        total = explanation.baseline + sum(explanation.contributions.values())
        assert math.isclose(total, explanation.decision, abs_tol=1e-9)
        assert math.isclose(explanation.risk, 1 / (1 + math.exp(-explanation.decision)))


def test_contributions_change_when_a_feature_changes(ct: pd.DataFrame, ct_risk: RiskModel) -> None:
    features = ct_risk.features(ct)
    before, _ = contributions(ct_risk, features)
    changed = features.copy()
    changed["accuracy"] = 0.05
    changed["relative_accuracy"] = -0.4
    after, _ = contributions(ct_risk, changed)
    moved = (after - before).abs()
    assert (moved[["accuracy", "relative_accuracy"]].sum(axis=1) > 1e-6).any()
    assert ct_risk.decision_function(changed).mean() > ct_risk.decision_function(features).mean()


def test_flagged_learners_get_what_raised_their_risk_and_their_weakest_skills(
    ct: pd.DataFrame, ct_risk: RiskModel
) -> None:
    flagged = [e for e in explain(ct_risk, ct) if e.flagged]
    assert flagged
    for explanation in flagged:
        assert "raises the risk score" in explanation.sentences[0]
        feature, contribution, sentence = explanation.reasons[0]
        assert sentence == explanation.sentences[0]
        assert contribution == explanation.contributions[feature] > 0
        assert explanation.sentences[-1].startswith("Weakest skills by P(mastered): `")


def test_a_sentence_names_an_action_that_fits_the_direction() -> None:
    slow = feature_sentence("response_time", math.log1p(90.0), math.log1p(20.0), 0.4)
    assert slow == (
        "takes 90 s to a first response (typical learner 20 s): raises the risk score by "
        "0.40; check whether they are stuck."
    )
    assert "too fast" in feature_sentence("response_time", math.log1p(2.0), math.log1p(20.0), 0.4)
    low = feature_sentence("accuracy", 0.45, 0.7, 0.61)
    assert low.startswith("answered 45% right (typical learner 70%): raises the risk score by")
    assert low.endswith("; go over the weakest skills.")
    assert feature_sentence("accuracy", 0.9, 0.7, -0.5).endswith("lowers the risk score by 0.50.")


def test_timestamps_give_the_long_breaks_feature() -> None:
    data = synthetic_log(learners=60, attempts=20)
    data["timestamp"] = data["order_id"] * 3600.0 * np.where(data["order_id"] % 2, 30, 1)
    model = RiskModel().fit(data)
    assert "long_breaks" in model.feature_names_
    breaks = model.features(data)["long_breaks"]
    assert breaks.between(0.3, 0.7).all()


def test_a_training_learners_own_answers_are_left_out_of_their_questions_rates() -> None:
    log = pd.DataFrame(
        {
            "order_id": range(1, 7),
            "user_id": ["a", "a", "b", "b", "b", "b"],
            "skill_name": ["s"] * 6,
            "problem_id": ["p", "q", "p", "p", "p", "q"],
            "correct": [1, 1, 0, 0, 0, 1],
        }
    )
    difficulty = Difficulty.fit(log)
    early = log[log["user_id"] == "a"]
    skill = difficulty.skills["s"]
    # a's p is read from b's three wrong answers only, a's q from b's one right answer.
    expected = [(0 + 10 * skill) / (3 + 10), (1 + 10 * skill) / (1 + 10)]
    assert difficulty.expected_without_own(early, log) == pytest.approx(expected)
    assert difficulty.expected(early)[0] > expected[0]
    no_items = log.drop(columns="problem_id")
    assert difficulty.expected_without_own(early.drop(columns="problem_id"), no_items) == (
        pytest.approx(difficulty.expected(early.drop(columns="problem_id")))
    )
