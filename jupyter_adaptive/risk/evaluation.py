"""The 80/20 evaluation by learner at a fixed horizon: our at-risk AUC next to the baseline, the
proportion correct over the same first ``K`` attempts.

The split is the shared data protocol: sorted learner ids shuffled with
``numpy.random.RandomState(0)``, the first 20% are the test learners.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

import numpy as np

from ..errors import InvalidRequestError
from ..mastery.responses import sort_responses, validate
from .horizon import DEFAULT_HORIZON, at_risk_labels, early_attempts
from .model import RiskModel

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["TEST_SHARE", "baseline_risk", "evaluate", "split_by_learner"]

#: Share of learners held out for testing.
TEST_SHARE = 0.2


def split_by_learner(data: pd.DataFrame, seed: int = 0) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Train and test logs: whole learners, 20% of them (shuffled with ``seed``) in test."""
    users = np.array(sorted(data["user_id"].unique()))
    np.random.RandomState(seed).shuffle(users)
    is_test = data["user_id"].isin(set(users[: round(TEST_SHARE * len(users))]))
    return data[~is_test], data[is_test]


def baseline_risk(data: pd.DataFrame, horizon: int = DEFAULT_HORIZON) -> pd.Series:
    """The baseline: one minus the proportion correct over each learner's first ``horizon``
    attempts."""
    early = early_attempts(data, horizon)
    return (1.0 - early.groupby("user_id", sort=True)["correct"].mean()).rename("risk")


def _auc(labels: pd.Series, scores: pd.Series) -> float | None:
    from sklearn.metrics import roc_auc_score

    if labels.nunique() < 2:
        return None
    return float(roc_auc_score(labels, scores.reindex(labels.index)))


def evaluate(data: pd.DataFrame, seed: int = 0, horizon: int = DEFAULT_HORIZON) -> dict[str, Any]:
    """Fit on the training learners' whole histories, score the test learners' first ``horizon``
    attempts, label them from what follows.

    Returns
    -------
    dict
        ``auc`` (ours), ``baseline_auc``, ``gain``, learner counts, the share at risk among test
        learners and the fit time; AUCs are ``None`` when the test learners are all of one kind.

    Raises
    ------
    InvalidRequestError
        Too few learners to split, or the training learners are all of one kind.
    """
    data = sort_responses(validate(data))
    train, test = split_by_learner(data, seed)
    if test.empty or train.empty:
        raise InvalidRequestError(
            f"{data['user_id'].nunique()} learner(s) are too few for an 80/20 split by learner; "
            "the data needs at least 3."
        )
    started = time.perf_counter()
    model = RiskModel(horizon=horizon).fit(train)
    fit_seconds = time.perf_counter() - started
    labels = at_risk_labels(test, horizon)
    ours = _auc(labels, model.risk(test))
    baseline = _auc(labels, baseline_risk(test, horizon))
    return {
        "auc": ours,
        "baseline_auc": baseline,
        "gain": None if ours is None or baseline is None else ours - baseline,
        "horizon": horizon,
        "train_learners": int(train["user_id"].nunique()),
        "test_learners": len(labels),
        "test_at_risk_share": float(labels.mean()),
        "features": list(model.feature_names_),
        "fit_seconds": round(fit_seconds, 2),
    }
