"""The at-risk model: a ridge regression of the proportion correct after the horizon on
:data:`~jupyter_adaptive.risk.features.FEATURES`, read as the chance of falling below 60%.

Chosen by measurement (``benchmarks/risk.py``, out-of-fold AUC at horizons of 5, 10 and 20
attempts). At a fixed horizon every learner has the same number of attempts, so the features that
count are few and the data sets small (a hundred to three thousand learners, some with a few dozen
at risk): a gradient-boosted classifier of the label (the model before the horizon, blended with
``chance_below``) ranked learners below the accuracy baseline on three of four data sets, and a
logistic regression of the label gained little. Regressing the proportion correct itself uses
every learner's outcome, not only which side of 60% it fell, and a linear model with a strong
ridge penalty does not overfit a few dozen positives. The regression's prediction ``mu`` and the
spread ``sigma`` of its residuals give the risk ``P(proportion < 0.6) = Phi((0.6 - mu) / sigma)``,
and its log-odds are the decision that :mod:`~jupyter_adaptive.risk.explain` splits over the
features. Choosing the penalty by cross-validation inside the training learners (with the accuracy
so far unpenalized, so that a strong penalty falls back to the baseline's ordering; by squared
error or by AUC) ranked worse than the fixed penalty on the two small data sets: with a few dozen
learners at risk the choice itself is noise.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import numpy as np
from sklearn.base import BaseEstimator

from ..errors import InvalidRequestError
from ..mastery.responses import validate
from .features import FEATURES, Difficulty, learner_features
from .horizon import (
    AT_RISK_THRESHOLD,
    DEFAULT_HORIZON,
    at_risk_labels,
    early_attempts,
    split_at_horizon,
)

if TYPE_CHECKING:
    import pandas as pd

    from ..mastery.bkt import BKT

__all__ = ["LinearDecision", "RiskModel"]

#: The smallest residual spread the risk is read with (a perfect fit would give certainties).
_MIN_SIGMA = 0.02


def _logit(p: np.ndarray) -> np.ndarray:
    from scipy.special import logit

    return np.asarray(logit(np.clip(p, 1e-9, 1.0 - 1e-9)), dtype=np.float64)


class LinearDecision:
    """The proportion correct after the horizon predicted as
    ``intercept + sum(coef * (x - mean) / scale)`` (a missing value read as ``fill``), and the
    log-odds of it falling below :data:`~jupyter_adaptive.risk.horizon.AT_RISK_THRESHOLD`.

    Parameters
    ----------
    mean, scale, fill, coef : numpy.ndarray
        One value per feature.
    intercept, sigma : float
        The prediction for a learner at the mean, and the spread of the residuals.
    """

    def __init__(
        self,
        mean: np.ndarray,
        scale: np.ndarray,
        fill: np.ndarray,
        coef: np.ndarray,
        intercept: float,
        sigma: float,
    ) -> None:
        self.mean = mean
        self.scale = scale
        self.fill = fill
        self.coef = coef
        self.intercept = intercept
        self.sigma = sigma

    @classmethod
    def fit(
        cls, values: np.ndarray, later: np.ndarray, fill: np.ndarray, alpha: float
    ) -> LinearDecision:
        """Ridge regression of ``later`` (proportions correct) on rows of feature values.

        (Shrinking toward the accuracy so far instead of toward a constant, by fitting the ridge
        on what the accuracy alone leaves, lost less where a data set has a handful of learners
        at risk but fell under +0.02 on the two large data sets at 20 attempts; measured with
        ``benchmarks/risk.py``.)"""
        from sklearn.linear_model import Ridge

        filled = np.where(np.isnan(values), fill, values)
        mean = filled.mean(axis=0)
        scale = filled.std(axis=0)
        scale = np.where(scale > 0, scale, 1.0)
        ridge = Ridge(alpha=alpha).fit((filled - mean) / scale, later)
        residuals = later - ridge.predict((filled - mean) / scale)
        sigma = max(_MIN_SIGMA, float(np.sqrt(np.mean(residuals**2))))
        return cls(mean, scale, fill, ridge.coef_, float(ridge.intercept_), sigma)

    def predicted_accuracy(self, X: np.ndarray) -> np.ndarray:
        """The proportion correct after the horizon predicted for rows of feature values."""
        filled = np.where(np.isnan(X), self.fill, X)
        return np.asarray(
            self.intercept + ((filled - self.mean) / self.scale) @ self.coef, dtype=np.float64
        )

    def decision_function(self, X: np.ndarray) -> np.ndarray:
        """Log-odds of being at risk for rows of feature values."""
        from scipy.special import ndtr

        gap = (AT_RISK_THRESHOLD - self.predicted_accuracy(X)) / self.sigma
        return _logit(ndtr(gap))

    def to_params(self) -> dict[str, Any]:
        """JSON-ready data."""
        return {
            "mean": self.mean.tolist(),
            "scale": self.scale.tolist(),
            "fill": self.fill.tolist(),
            "coef": self.coef.tolist(),
            "intercept": self.intercept,
            "sigma": self.sigma,
        }

    @classmethod
    def from_params(cls, params: dict[str, Any], n_features: int) -> LinearDecision:
        """Rebuild from :meth:`to_params` output, for rows of ``n_features`` values.

        Raises
        ------
        ValueError
            An array is not one finite number per feature, a scale or the spread is not
            positive.
        """
        arrays = [
            np.asarray(params[name], dtype=np.float64) for name in ("mean", "scale", "fill", "coef")
        ]
        if any(a.shape != (n_features,) or not np.isfinite(a).all() for a in arrays):
            raise ValueError(f"the linear decision does not read the model's {n_features} features")
        if not (arrays[1] > 0).all():
            raise ValueError("the linear decision's scales are not all positive")
        intercept, sigma = float(params["intercept"]), float(params["sigma"])
        if not (np.isfinite(intercept) and np.isfinite(sigma) and sigma > 0):
            raise ValueError("the linear decision's intercept or spread is not a usable number")
        mean, scale, fill, coef = arrays
        return cls(mean, scale, fill, coef, intercept, sigma)


class RiskModel(BaseEstimator):
    """Predicts which learners will answer under 60% right over their attempts after the first
    ``horizon`` (see :mod:`.horizon`).

    ``fit`` reads whole histories: features from each learner's first ``horizon`` attempts, the
    label from the attempts after them; the mastery model is fitted on the first ``horizon``
    attempts, the success rates of questions on the whole training log (a training learner's
    own answers left out of the rates their features are read with, as a new learner's are).
    ``predict_proba``, ``risk`` and ``features`` read only the first ``horizon`` attempts of each
    learner in the log they are given (learners with fewer are not scored yet), so what a learner
    does later never changes their score.

    Parameters
    ----------
    horizon : int
        Attempts after which the teacher is warned.
    alpha : float
        Ridge penalty of the regression (on standardized features).
    flag_threshold : float
        Risk at or above which a learner is flagged.

    Attributes
    ----------
    mastery_ : BKT
        Mastery model fitted on the training learners' first ``horizon`` attempts; its
        trajectories are features.
    difficulty_ : Difficulty
        Success rates of skills and questions in the training log.
    feature_names_ : list of str
        Features the training log had data for.
    reference_ : numpy.ndarray
        A typical learner (the median of each feature): explanations start from here.
    decision_ : LinearDecision
    base_rate_ : float
        Share of training learners at risk.
    fitted_at_ : str
    n_users_ : int
    """

    def __init__(
        self,
        horizon: int = DEFAULT_HORIZON,
        alpha: float = 100.0,
        flag_threshold: float = 0.5,
    ) -> None:
        self.horizon = horizon
        self.alpha = alpha
        self.flag_threshold = flag_threshold

    def fit(self, X: pd.DataFrame, y: Any = None) -> RiskModel:
        """Fit on whole histories (a response log in pyBKT's columns); ``y`` is ignored."""
        from ..mastery.bkt import BKT

        data = validate(X)
        first, after = split_at_horizon(data, self.horizon)
        labels = at_risk_labels(data, self.horizon)
        if labels.nunique() < 2:
            state = "at risk" if labels.iloc[0] else "on track"
            raise InvalidRequestError(
                f"every one of the {len(labels):,} learners is {state} in the training data, so "
                "there is nothing to tell apart; train on learners of both kinds."
            )
        later = after.groupby("user_id", sort=True)["correct"].mean().reindex(labels.index)
        self.mastery_: BKT = BKT().fit(first)
        self.difficulty_ = Difficulty.fit(data, first, later)
        features = learner_features(
            first,
            self.mastery_,
            self.difficulty_,
            self.difficulty_.expected_without_own(first, data),
        )
        # A training learner's own outcome must not be in the rate they are read with.
        latest = first.groupby("user_id", sort=True)["skill_name"].last()
        features["ahead"] = self.difficulty_.ahead_of(latest, own=later.reindex(latest.index))
        self.feature_names_ = [name for name in FEATURES if features[name].notna().any()]
        table = features[self.feature_names_]
        self.reference_ = np.asarray(table.median(), dtype=np.float64)
        self.decision_ = LinearDecision.fit(
            table.to_numpy(), later.reindex(table.index).to_numpy(), self.reference_, self.alpha
        )
        self.base_rate_ = float(labels.mean())
        self.fitted_at_ = datetime.now(UTC).isoformat(timespec="seconds")
        self.n_users_ = len(labels)
        return self

    def to_params(self) -> dict[str, Any]:
        """The fitted model as JSON-ready data (see :mod:`~jupyter_adaptive.risk.model_file`)."""
        return {
            "hyperparameters": self.get_params(),
            "feature_names": self.feature_names_,
            "reference": self.reference_.tolist(),
            "decision": self.decision_.to_params(),
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
        model.decision_ = LinearDecision.from_params(params["decision"], len(names))
        model.mastery_ = BKT.from_params(params["mastery"])
        model.difficulty_ = Difficulty.from_params(params["difficulty"])
        model.base_rate_ = float(params["base_rate"])
        model.fitted_at_ = str(params["fitted_at"])
        model.n_users_ = int(params["learners"])
        return model

    def features(self, X: pd.DataFrame) -> pd.DataFrame:
        """The model's features per learner (index ``user_id``), from the first ``horizon``
        attempts of each learner in ``X`` only (learners with fewer are left out)."""
        first = early_attempts(validate(X), self.horizon)
        features = learner_features(first, self.mastery_, self.difficulty_)
        return features[self.feature_names_]

    def decision_function(self, features: pd.DataFrame) -> np.ndarray:
        """Log-odds of being at risk, from a table made by :meth:`features`."""
        return np.asarray(
            self.decision_.decision_function(features[self.feature_names_].to_numpy()),
            dtype=np.float64,
        )

    def risk(self, X: pd.DataFrame) -> pd.Series:
        """P(at risk) per learner (index ``user_id``), reading only each learner's first
        ``horizon`` attempts."""
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
