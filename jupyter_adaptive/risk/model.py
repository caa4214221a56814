"""The at-risk model: gradient boosting over :data:`~jupyter_adaptive.risk.features.FEATURES`,
blended with the beta-binomial chance of falling below 60%.

Chosen by measurement (``benchmarks/risk.py --compare``): shallow gradient boosting ranked
learners better than a logistic regression over the same features on the larger data sets, in
5-fold cross-validation by learner as well as on the 80/20 split, because the features interact
(a low accuracy over 8 attempts says less than over 300). With few training learners (about a
hundred) boosting alone overfits, while the ``chance_below`` feature alone (the first-half
accuracy read through a beta-binomial model of the second half) stays reliable. So the decision
is a logistic blend of the two, its weights fitted on out-of-fold boosting decisions: the blend
leans on boosting where the data support it and on ``chance_below`` where they do not. The
decision is explained additively with :mod:`~jupyter_adaptive.risk.explain`.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import numpy as np
from sklearn.base import BaseEstimator

from ..errors import InvalidRequestError
from ..mastery.responses import validate
from .boosted_trees import BoostedTrees
from .features import FEATURES, Difficulty, learner_features
from .halves import at_risk_labels, split_halves

if TYPE_CHECKING:
    import pandas as pd
    from sklearn.ensemble import HistGradientBoostingClassifier

    from ..mastery.bkt import BKT

__all__ = ["BlendedDecision", "RiskModel"]

#: Folds of the out-of-fold boosting decisions the blend is fitted on.
_BLEND_FOLDS = 5


def _logit(p: np.ndarray) -> np.ndarray:
    from scipy.special import logit

    return np.asarray(logit(np.clip(p, 1e-4, 1.0 - 1e-4)), dtype=np.float64)


class BlendedDecision:
    """``intercept + weights[0] * logit(chance_below) + weights[1] * boosting decision``.

    Parameters
    ----------
    boosting : BoostedTrees
        Fitted on all the features.
    chance_column : int
        Position of ``chance_below`` among the features.
    intercept : float
    weights : tuple of float
    """

    def __init__(
        self,
        boosting: BoostedTrees,
        chance_column: int,
        intercept: float,
        weights: tuple[float, float],
    ) -> None:
        self.boosting = boosting
        self.chance_column = chance_column
        self.intercept = intercept
        self.weights = weights

    def decision_function(self, X: np.ndarray) -> np.ndarray:
        """Log-odds of being at risk for rows of feature values."""
        boosted = self.boosting.decision_function(X)
        chance = _logit(X[:, self.chance_column])
        return self.intercept + self.weights[0] * chance + self.weights[1] * boosted

    def to_params(self) -> dict[str, Any]:
        """JSON-ready data."""
        return {
            "chance_column": self.chance_column,
            "intercept": self.intercept,
            "weights": list(self.weights),
            "boosting": self.boosting.to_params(),
        }

    @classmethod
    def from_params(cls, params: dict[str, Any], n_features: int) -> BlendedDecision:
        """Rebuild from :meth:`to_params` output, for rows of ``n_features`` values."""
        boosting = BoostedTrees.from_params(params["boosting"])
        chance_column = int(params["chance_column"])
        if boosting.n_features != n_features or not 0 <= chance_column < n_features:
            raise ValueError(f"the blend does not read the model's {n_features} features")
        first, second = params["weights"]
        return cls(
            boosting,
            chance_column,
            float(params["intercept"]),
            (float(first), float(second)),
        )


class RiskModel(BaseEstimator):
    """Predicts which learners will answer under 60% right over the second half of their attempts.

    ``fit`` reads whole histories: features from each learner's first half, the label from the
    second half. ``predict_proba``, ``risk`` and ``features`` read only the first half of each
    learner's attempts in the log they are given, so they can be applied to learners whose
    second half has not happened yet.

    Parameters
    ----------
    max_depth, max_iter, learning_rate, min_samples_leaf : int, int, float, int
        Of the :class:`~sklearn.ensemble.HistGradientBoostingClassifier`.
    flag_threshold : float
        Risk at or above which a learner is flagged.

    Attributes
    ----------
    mastery_ : BKT
        Mastery model fitted on the first halves; its trajectories are features.
    difficulty_ : Difficulty
        Success rates of skills and questions in the first halves.
    feature_names_ : list of str
        Features the training log had data for.
    reference_ : numpy.ndarray
        A typical learner (the median of each feature): explanations start from here.
    classifier_ : BlendedDecision
    base_rate_ : float
        Share of training learners at risk.
    fitted_at_ : str
    n_users_ : int
    """

    def __init__(
        self,
        max_depth: int = 2,
        max_iter: int = 200,
        learning_rate: float = 0.05,
        min_samples_leaf: int = 20,
        flag_threshold: float = 0.5,
    ) -> None:
        self.max_depth = max_depth
        self.max_iter = max_iter
        self.learning_rate = learning_rate
        self.min_samples_leaf = min_samples_leaf
        self.flag_threshold = flag_threshold

    def fit(self, X: pd.DataFrame, y: Any = None) -> RiskModel:
        """Fit on whole histories (a response log in pyBKT's columns); ``y`` is ignored."""
        from ..mastery.bkt import BKT

        data = validate(X)
        first, _ = split_halves(data)
        labels = at_risk_labels(data)
        if labels.nunique() < 2:
            state = "at risk" if labels.iloc[0] else "on track"
            raise InvalidRequestError(
                f"every one of the {len(labels):,} learners is {state} in the training data, so "
                "there is nothing to tell apart; train on learners of both kinds."
            )
        self.mastery_: BKT = BKT().fit(first)
        self.difficulty_ = Difficulty.fit(first)
        features = learner_features(first, self.mastery_, self.difficulty_)
        self.feature_names_ = [name for name in FEATURES if features[name].notna().any()]
        table = features[self.feature_names_]
        self.reference_ = np.asarray(table.median(), dtype=np.float64)
        self.classifier_ = self._fit_blend(table.to_numpy(), labels.reindex(table.index).to_numpy())
        self.base_rate_ = float(labels.mean())
        self.fitted_at_ = datetime.now(UTC).isoformat(timespec="seconds")
        self.n_users_ = len(labels)
        return self

    def _boosting(self) -> HistGradientBoostingClassifier:
        from sklearn.ensemble import HistGradientBoostingClassifier

        return HistGradientBoostingClassifier(
            max_depth=self.max_depth,
            max_iter=self.max_iter,
            learning_rate=self.learning_rate,
            min_samples_leaf=self.min_samples_leaf,
            random_state=0,
        )

    def _fit_blend(self, values: np.ndarray, labels: np.ndarray) -> BlendedDecision:
        from threadpoolctl import threadpool_limits

        # A few thousand learners at most: one thread is faster than waking several, above all
        # on a shared machine.
        with threadpool_limits(1, user_api="openmp"):
            return self._fit_blend_serially(values, labels)

    def _fit_blend_serially(self, values: np.ndarray, labels: np.ndarray) -> BlendedDecision:
        from sklearn.linear_model import LogisticRegression
        from sklearn.model_selection import StratifiedKFold, cross_val_predict

        boosting = BoostedTrees.from_estimator(self._boosting().fit(values, labels))
        chance_column = self.feature_names_.index("chance_below")
        positives = int(labels.sum())
        folds = min(_BLEND_FOLDS, positives, len(labels) - positives)
        if folds < 2:
            return BlendedDecision(boosting, chance_column, 0.0, (0.0, 1.0))
        out_of_fold = cross_val_predict(
            self._boosting(),
            values,
            labels,
            cv=StratifiedKFold(folds, shuffle=True, random_state=0),
            method="decision_function",
        )
        inputs = np.column_stack([_logit(values[:, chance_column]), out_of_fold])
        blend = LogisticRegression().fit(inputs, labels)
        weights = (float(blend.coef_[0][0]), float(blend.coef_[0][1]))
        return BlendedDecision(boosting, chance_column, float(blend.intercept_[0]), weights)

    def to_params(self) -> dict[str, Any]:
        """The fitted model as JSON-ready data (see :mod:`~jupyter_adaptive.risk.model_file`)."""
        return {
            "hyperparameters": self.get_params(),
            "feature_names": self.feature_names_,
            "reference": self.reference_.tolist(),
            "classifier": self.classifier_.to_params(),
            "mastery": self.mastery_.to_params(),
            "difficulty": self.difficulty_.to_params(),
            "base_rate": self.base_rate_,
            "fitted_at": self.fitted_at_,
            "learners": self.n_users_,
        }

    @classmethod
    def from_params(cls, params: dict[str, Any]) -> RiskModel:
        """Rebuild a fitted model from :meth:`to_params` output.

        Raises
        ------
        KeyError, TypeError, ValueError
            Something is missing or does not fit the rest.
        """
        from ..mastery.bkt import BKT

        model = cls(**params["hyperparameters"])
        names = [str(name) for name in params["feature_names"]]
        if not set(names) <= set(FEATURES):
            raise ValueError(f"the features {names} are not all features this version knows")
        model.feature_names_ = names
        model.reference_ = np.asarray(params["reference"], dtype=np.float64)
        if model.reference_.shape != (len(names),):
            raise ValueError("the reference learner does not have one value per feature")
        model.classifier_ = BlendedDecision.from_params(params["classifier"], len(names))
        model.mastery_ = BKT.from_params(params["mastery"])
        model.difficulty_ = Difficulty.from_params(params["difficulty"])
        model.base_rate_ = float(params["base_rate"])
        model.fitted_at_ = str(params["fitted_at"])
        model.n_users_ = int(params["learners"])
        return model

    def features(self, X: pd.DataFrame) -> pd.DataFrame:
        """The model's features per learner (index ``user_id``), from the first half of each
        learner's attempts in ``X`` only."""
        first, _ = split_halves(validate(X))
        features = learner_features(first, self.mastery_, self.difficulty_)
        return features[self.feature_names_]

    def decision_function(self, features: pd.DataFrame) -> np.ndarray:
        """Log-odds of being at risk, from a table made by :meth:`features`."""
        return np.asarray(
            self.classifier_.decision_function(features[self.feature_names_].to_numpy()),
            dtype=np.float64,
        )

    def risk(self, X: pd.DataFrame) -> pd.Series:
        """P(at risk) per learner (index ``user_id``), reading only each learner's first half."""
        import pandas as pd

        features = self.features(X)
        decision = self.decision_function(features)
        return pd.Series(1.0 / (1.0 + np.exp(-decision)), index=features.index, name="risk")

    def predict_proba(self, X: pd.DataFrame) -> np.ndarray:
        """P(on track), P(at risk) per learner, in the order of sorted ``user_id``."""
        risk = self.risk(X).to_numpy()
        return np.column_stack([1.0 - risk, risk])

    def predict(self, X: pd.DataFrame) -> np.ndarray:
        """1 for learners flagged at risk (risk at or above ``flag_threshold``), else 0."""
        return (self.predict_proba(X)[:, 1] >= self.flag_threshold).astype(np.int8)
