"""The default model: online predictions without leakage, readable evidence, batch = online."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from jupyter_adaptive.mastery.bkt import BKT
from jupyter_adaptive.mastery.features import COUNT_COLUMNS, LearnerHistory, practice_features
from jupyter_adaptive.mastery.logistic import PFA_FEATURES, LogisticKT
from jupyter_adaptive.mastery.responses import sort_responses


def _flip(data: pd.DataFrame, row: int) -> pd.DataFrame:
    flipped = data.copy()
    flipped.loc[row, "correct"] = 1 - flipped.loc[row, "correct"]
    return flipped


@pytest.mark.parametrize("model_fixture", ["ct_logistic", "ct_bkt"])
def test_changing_an_answer_changes_only_the_later_predictions_of_that_learner(
    model_fixture: str, ct: pd.DataFrame, request: pytest.FixtureRequest
) -> None:
    model = request.getfixturevalue(model_fixture)
    before = model.predict_proba(ct)[:, 1]
    rng = np.random.default_rng(0)
    for row in rng.choice(len(ct), size=5, replace=False):
        after = model.predict_proba(_flip(ct, row))[:, 1]
        user, order = ct.loc[row, "user_id"], ct.loc[row, "order_id"]
        later = ((ct["user_id"] == user) & (ct["order_id"] > order)).to_numpy()
        assert after[row] == before[row]
        assert np.array_equal(after[~later], before[~later])
        if later.any():
            assert not np.array_equal(after[later], before[later])


def test_predictions_are_in_input_row_order_whatever_the_file_order(
    ct_logistic: LogisticKT, ct: pd.DataFrame
) -> None:
    shuffled = ct.sample(frac=1.0, random_state=0)
    p = ct_logistic.predict_proba(shuffled)[:, 1]
    expected = pd.Series(ct_logistic.predict_proba(ct)[:, 1], index=ct.index)
    np.testing.assert_allclose(p, expected.loc[shuffled.index].to_numpy())


def test_the_contributions_of_each_prediction_sum_to_its_log_odds(
    ct_logistic: LogisticKT, ct: pd.DataFrame
) -> None:
    terms = ct_logistic.contributions(ct)
    p = ct_logistic.predict_proba(ct)[:, 1]
    np.testing.assert_allclose(terms.sum(axis=1), np.log(p / (1 - p)), rtol=1e-9, atol=1e-9)
    assert {"intercept", "skill", "item", "skill_counts", "bkt"} <= set(terms.columns)


def test_practice_counts_kept_online_equal_the_batch_counts(algebra: pd.DataFrame) -> None:
    data = sort_responses(algebra).reset_index(drop=True)
    batch = practice_features(data)
    histories: dict[str, LearnerHistory] = {}
    for i, row in enumerate(data.itertuples(index=False)):
        history = histories.setdefault(row.user_id, LearnerHistory())
        online = history.counts(row.skill_name, row.problem_id, row.timestamp)
        assert online == {c: batch[c][i] for c in COUNT_COLUMNS}, i
        history.record(row.skill_name, bool(row.correct), row.problem_id, row.timestamp)
    assert batch["hour_tries"].max() > 0


@pytest.mark.parametrize("log", ["algebra", "assist"])
def test_online_predictions_equal_batch_predictions(
    log: str, request: pytest.FixtureRequest
) -> None:
    data = sort_responses(request.getfixturevalue(log)).reset_index(drop=True)
    model = LogisticKT().fit(data)
    batch = model.predict_proba(data)[:, 1]
    histories: dict[str, LearnerHistory] = {}
    for i, row in enumerate(data.to_dict("records")):
        history = histories.setdefault(row["user_id"], LearnerHistory())
        args = (row["skill_name"], row["problem_id"], row.get("timestamp"), row.get("template_id"))
        assert model.predict_next(history, *args) == pytest.approx(batch[i], abs=1e-9), i
        skill, item, stamp, template = args
        model.record(history, skill, bool(row["correct"]), item, stamp, template)


def test_explain_next_gives_sentences_a_teacher_can_read(ct_logistic: LogisticKT) -> None:
    history = LearnerHistory()
    skill = ct_logistic.skills_[0]
    for correct in (True, True, False):
        ct_logistic.record(history, skill, correct, item="X-1")
    terms = ct_logistic.explain_next(history, skill, item="X-1")
    text = {t.group: t.description for t in terms}
    assert text["skill_counts"] == f"2 right and 1 wrong on `{skill}` before"
    assert text["last_answer"] == f"last answer on `{skill}` was wrong"
    assert text["bkt"].startswith(f"BKT puts P(mastered `{skill}`) at 0.")
    p = 1 / (1 + math.exp(-sum(t.logit for t in terms)))
    assert ct_logistic.predict_next(history, skill, item="X-1") == pytest.approx(p)


def test_unseen_learners_skills_and_items_get_a_prediction(ct_logistic: LogisticKT) -> None:
    new = pd.DataFrame(
        {
            "order_id": [1, 2, 3],
            "user_id": ["newcomer"] * 3,
            "skill_name": ["a skill nobody practised", ct_logistic.skills_[0], "other"],
            "correct": [1, 0, 1],
            "problem_id": ["new item", "new item", "X"],
        }
    )
    p = ct_logistic.predict_proba(new)[:, 1]
    assert np.all((p > 0) & (p < 1))


def test_pfa_features_give_the_pfa_baseline(ct: pd.DataFrame) -> None:
    pfa = LogisticKT(features=PFA_FEATURES).fit(ct)
    assert pfa.groups_ == ["skill", "skill_counts"]
    assert pfa.bkt_ is None
    assert len(pfa.coef_) == 3 * len(pfa.skills_)


def test_the_default_model_beats_bkt_on_held_out_learners(ct: pd.DataFrame) -> None:
    from sklearn.metrics import roc_auc_score

    users = sorted(ct["user_id"].unique())
    test = ct["user_id"].isin(users[::5])
    train, held_out = ct[~test], ct[test]
    y = held_out["correct"]
    ours = roc_auc_score(y, LogisticKT().fit(train).predict_proba(held_out)[:, 1])
    bkt = roc_auc_score(
        y, BKT(forgets=False, item_guess_slip=False).fit(train).predict_proba(held_out)[:, 1]
    )
    assert ours > bkt
