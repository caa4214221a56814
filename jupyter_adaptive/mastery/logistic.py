"""Logistic knowledge tracing over interpretable practice features (the default model).

The model is Gervet et al.'s (2020) "Best-LR" family: a logistic regression whose features are
the skill, the item and its template (their difficulty), the learner's earlier right and wrong
answers on the skill (with a slope per skill and a shared one), overall and on the item, whether the
last answer on the skill was right, how much the skill was practised in the last hour, day, week
and month, and what a BKT model (:class:`~jupyter_adaptive.mastery.bkt.BKT`, fitted on the same
data) predicts. Each prediction is a sum of ``coefficient × feature`` terms, so it splits into
evidence a teacher can read.
With ``features=PFA_FEATURES`` the same class is the Performance Factors Analysis baseline.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import numpy as np
from sklearn.base import BaseEstimator

from ..errors import InvalidRequestError
from .bkt import BKT
from .calibration import Calibrated
from .features import COUNT_COLUMNS, WINDOWS, LearnerHistory, practice_features
from .online import DEFAULT_PARAMS, SkillParams, predict_correct
from .responses import ordered_log

if TYPE_CHECKING:
    import pandas as pd
    import scipy.sparse as sp

__all__ = ["DEFAULT_FEATURES", "FEATURE_GROUPS", "PFA_FEATURES", "Contribution", "LogisticKT"]

#: Feature groups and the count columns each one reads (the first two are one-hot).
FEATURE_GROUPS: dict[str, tuple[str, ...]] = {
    "skill": (),
    "item": (),
    "template": (),
    "skill_counts": ("skill_right", "skill_wrong"),
    "shared_counts": ("skill_right", "skill_wrong"),
    "total_counts": ("total_right", "total_wrong"),
    "item_counts": ("item_right", "item_wrong"),
    "last_answer": ("last_right", "last_wrong"),
    "bkt": ("bkt_logit",),
    "recent_practice": tuple(c for c in COUNT_COLUMNS if c.split("_")[0] in dict(WINDOWS)),
}
DEFAULT_FEATURES: tuple[str, ...] = tuple(FEATURE_GROUPS)
#: Performance Factors Analysis: skill difficulty plus per-skill slopes on earlier right/wrong.
PFA_FEATURES: tuple[str, ...] = ("skill", "skill_counts")

#: One-hot feature groups and the column naming their categories.
_ONE_HOT = {"skill": "skill_name", "item": "problem_id", "template": "template_id"}

#: Count columns that enter the model as ``log(1 + count)``; the others (0/1 flags) as they are.
_LOG_COLUMNS = frozenset(COUNT_COLUMNS) - {"last_right", "last_wrong"}


def _transform(column: str, values: np.ndarray) -> np.ndarray:
    return np.log1p(values) if column in _LOG_COLUMNS else values


def _logit(p: np.ndarray) -> np.ndarray:
    p = np.clip(p, 1e-4, 1.0 - 1e-4)
    return np.log(p / (1.0 - p))


@dataclass(frozen=True)
class Contribution:
    """One term of a prediction: a feature group, what it saw, and its push on the log-odds."""

    group: str
    description: str
    logit: float


def _describe(group: str, skill: str, item: str | None, counts: dict[str, float]) -> str:
    """Plain words for what a feature group saw before one answer."""
    c = {k: int(v) for k, v in counts.items() if not k.startswith("bkt")}
    if group == "intercept":
        return "a typical answer"
    if group == "skill":
        return f"difficulty of skill `{skill}`"
    if group == "item":
        return f"difficulty of item `{item}`"
    if group == "template":
        return "difficulty of the item's template"
    if group in ("skill_counts", "shared_counts"):
        return f"{c['skill_right']} right and {c['skill_wrong']} wrong on `{skill}` before"
    if group == "bkt":
        return f"BKT puts P(mastered `{skill}`) at {counts['bkt_mastery']:.2f}"
    if group == "total_counts":
        return f"{c['total_right']} right and {c['total_wrong']} wrong on all skills before"
    if group == "item_counts":
        return f"{c['item_right']} right and {c['item_wrong']} wrong on this item before"
    if group == "last_answer":
        if c["last_right"]:
            return f"last answer on `{skill}` was right"
        return (
            f"last answer on `{skill}` was wrong" if c["last_wrong"] else "first try of the skill"
        )
    recent = ", ".join(f"{c[f'{name}_tries']} in the last {name}" for name, _ in WINDOWS)
    return f"tries on `{skill}`: {recent}"


class LogisticKT(Calibrated, BaseEstimator):
    """Logistic knowledge tracing with readable, per-prediction evidence.

    Parameters
    ----------
    features : sequence of str
        Feature groups from :data:`FEATURE_GROUPS`. ``item`` and ``item_counts`` need a
        ``problem_id`` column, ``recent_practice`` a ``timestamp`` column; without them they are
        left out.
    C : float
        Inverse L2 regularization strength of the logistic regression.

    Attributes
    ----------
    groups_ : list of str
        The feature groups actually used.
    categories_ : dict of str to list of str
        Per one-hot group (``skill``, ``item``, ``template``), the values seen in training; other
        values get no term of that group.
    skills_ : list of str
        Skills seen in training (``categories_["skill"]``); others get no skill-specific slope.
    coef_ : numpy.ndarray
        Coefficients over the columns named by ``feature_names_``.
    intercept_ : float
    feature_names_ : list of str
    bkt_ : BKT or None
        The BKT model whose prediction is the ``bkt`` feature (fitted on the same data).
    fitted_at_ : str
        ISO 8601 time of the fit.
    n_rows_, n_users_ : int
        Size of the training data.
    """

    def __init__(self, features: Sequence[str] = DEFAULT_FEATURES, C: float = 1.0) -> None:
        self.features = features
        self.C = C

    # Design matrix -----------------------------------------------------------------------------

    def _slices(self) -> dict[str, slice]:
        """Where each feature group's coefficients sit in ``coef_``."""
        sizes = {group: len(values) for group, values in self.categories_.items()}
        sizes["skill_counts"] = 2 * len(self.skills_)
        result, start = {}, 0
        for group in self.groups_:
            size = sizes.get(group, len(FEATURE_GROUPS[group]))
            result[group] = slice(start, start + size)
            start += size
        return result

    def _design(self, data: pd.DataFrame, counts: dict[str, np.ndarray]) -> sp.csr_matrix:
        import scipy.sparse as sp

        n = len(data)
        rows = np.arange(n)
        skill_index = data["skill_name"].map(self._index["skill"]).to_numpy(dtype=np.float64)
        known = ~np.isnan(skill_index)
        blocks = []
        for group in self.groups_:
            if group in _ONE_HOT:
                vocab = self._index[group]
                column = _ONE_HOT[group]
                if column in data:
                    index = data[column].map(vocab).to_numpy(dtype=np.float64)
                else:
                    index = np.full(n, np.nan)
                ok = ~np.isnan(index)
                block = sp.csr_matrix(
                    (np.ones(ok.sum()), (rows[ok], index[ok].astype(np.int64))),
                    shape=(n, len(vocab)),
                )
            elif group == "skill_counts":
                k = len(self.skills_)
                columns = skill_index[known].astype(np.int64)
                values = [_transform(c, counts[c][known]) for c in FEATURE_GROUPS[group]]
                block = sp.csr_matrix(
                    (
                        np.concatenate(values),
                        (np.tile(rows[known], 2), np.concatenate([columns, columns + k])),
                    ),
                    shape=(n, 2 * k),
                )
            else:
                dense = [_transform(c, counts[c]) for c in FEATURE_GROUPS[group]]
                block = sp.csr_matrix(np.column_stack(dense))
            blocks.append(block)
        return sp.hstack(blocks, format="csr")

    # Estimator API -----------------------------------------------------------------------------

    def fit(self, X: pd.DataFrame, y: Any = None) -> LogisticKT:
        """Fit on a response log.

        ``X`` is a response log (see :func:`~jupyter_adaptive.mastery.responses.ordered_log`);
        ``y``, if given, replaces its ``correct`` column.
        """
        from sklearn.linear_model import LogisticRegression

        data = ordered_log(X, y)
        target = data["correct"].to_numpy()
        if len(np.unique(target)) < 2:
            raise InvalidRequestError(
                "column `correct` is the same on every row; fitting needs right and wrong answers."
            )
        unknown = set(self.features) - set(FEATURE_GROUPS)
        if unknown:
            raise ValueError(f"unknown feature groups: {sorted(unknown)}")
        needs = {**_ONE_HOT, "item_counts": "problem_id", "recent_practice": "timestamp"}
        self.groups_ = [
            g for g in FEATURE_GROUPS if g in self.features and (g not in needs or needs[g] in data)
        ]
        self.categories_ = {
            g: sorted(data[column].unique()) for g, column in _ONE_HOT.items() if g in self.groups_
        }
        self.categories_.setdefault("skill", sorted(data["skill_name"].unique()))
        self._index_categories()
        self.bkt_ = BKT().fit(data) if "bkt" in self.groups_ else None
        counts = self._counts(data)
        model = LogisticRegression(C=self.C, solver="liblinear", max_iter=1000)
        model.fit(self._design(data, counts), target)
        self.coef_ = model.coef_[0].astype(np.float64)
        self.intercept_ = float(model.intercept_[0])
        self._finish()
        self.fitted_at_ = datetime.now(UTC).isoformat(timespec="seconds")
        self.n_rows_ = len(data)
        self.n_users_ = int(data["user_id"].nunique())
        return self

    @property
    def skills_(self) -> list[str]:
        return self.categories_["skill"]

    def _index_categories(self) -> None:
        self._index = {g: {v: i for i, v in enumerate(vs)} for g, vs in self.categories_.items()}

    def _finish(self) -> None:
        """Derived lookups for the online path, once ``coef_`` is known."""
        self.feature_names_ = self._feature_names()
        self._group_coef = {g: self.coef_[where].tolist() for g, where in self._slices().items()}

    def _feature_names(self) -> list[str]:
        names: list[str] = []
        for group in self.groups_:
            if group in _ONE_HOT:
                names += [f"{group}={v}" for v in self.categories_[group]]
            elif group == "skill_counts":
                names += [f"skill_right|{s}" for s in self.skills_]
                names += [f"skill_wrong|{s}" for s in self.skills_]
            else:
                names += [f"{group}:{c}" for c in FEATURE_GROUPS[group]]
        return names

    def _counts(self, data: pd.DataFrame) -> dict[str, np.ndarray]:
        counts = practice_features(data)
        if self.bkt_ is not None:
            counts["bkt_logit"] = _logit(self.bkt_.trace(data)[0])
        return counts

    def _logits(self, X: pd.DataFrame) -> tuple[pd.DataFrame, sp.csr_matrix]:
        data = ordered_log(X)
        return data, self._design(data, self._counts(data))

    def predict_proba(self, X: pd.DataFrame) -> np.ndarray:
        """P(wrong), P(right) of each row, predicted online from the learner's earlier rows only.

        Returns
        -------
        numpy.ndarray of shape (n_rows, 2)
            In the input's row order.
        """
        data, design = self._logits(X)
        p = np.empty(len(data))
        raw = 1.0 / (1.0 + np.exp(-(design @ self.coef_ + self.intercept_)))
        p[data.index.to_numpy()] = self.calibration_.apply(raw)
        return np.column_stack([1.0 - p, p])

    def contributions(self, X: pd.DataFrame) -> pd.DataFrame:
        """Per row, each feature group's push on the log-odds (they sum to the prediction's logit).

        Returns
        -------
        pandas.DataFrame
            Columns ``intercept`` and one per group in ``groups_``, in the input's row order.
        """
        import pandas as pd

        data, design = self._logits(X)
        columns = {"intercept": np.full(len(data), self.intercept_)}
        for group, where in self._slices().items():
            columns[group] = design[:, where] @ self.coef_[where]
        return pd.DataFrame(columns, index=data.index).sort_index()

    # Online ------------------------------------------------------------------------------------

    def _online_terms(
        self,
        history: LearnerHistory,
        skill: str,
        item: str | None,
        timestamp: float | None,
        template: str | None,
    ) -> tuple[dict[str, float], list[tuple[str, float]]]:
        """The counts a learner's next answer sees and each group's push on the log-odds."""
        counts = history.counts(skill, item, timestamp)
        if self.bkt_ is not None:
            params = self.bkt_.params_for(skill, self.bkt_.online_item(item, template))
            counts["bkt_mastery"] = history.mastery.get(skill, params.prior)
            p = min(max(predict_correct(counts["bkt_mastery"], params), 1e-4), 1.0 - 1e-4)
            counts["bkt_logit"] = math.log(p / (1.0 - p))
        terms = [("intercept", self.intercept_)]
        category = {"skill": skill, "item": item, "template": template}
        skill_at = self._index["skill"].get(skill)
        for group in self.groups_:
            coef = self._group_coef[group]
            if group in _ONE_HOT:
                at = self._index[group].get(category[group])
                terms.append((group, coef[at] if at is not None else 0.0))
            elif group == "skill_counts":
                if skill_at is not None:
                    k = len(self.skills_)
                    right, wrong = (
                        math.log1p(counts["skill_right"]),
                        math.log1p(counts["skill_wrong"]),
                    )
                    terms.append((group, coef[skill_at] * right + coef[skill_at + k] * wrong))
            else:
                values = (
                    math.log1p(counts[c]) if c in _LOG_COLUMNS else counts[c]
                    for c in FEATURE_GROUPS[group]
                )
                terms.append((group, sum(w * v for w, v in zip(coef, values, strict=True))))
        return counts, terms

    def explain_next(
        self,
        history: LearnerHistory,
        skill: str,
        item: str | None = None,
        timestamp: float | None = None,
        template: str | None = None,
    ) -> list[Contribution]:
        """The terms of the prediction for a learner's next answer, in constant time.

        The probability is ``1 / (1 + exp(-sum(c.logit)))``; see :meth:`predict_next`.
        """
        counts, terms = self._online_terms(history, skill, item, timestamp, template)
        return [Contribution(g, _describe(g, skill, item, counts), logit) for g, logit in terms]

    def mastery_params(self, skill: str, item: str | None = None) -> SkillParams:
        """The parameters of the estimate people see for ``skill``: those of the BKT component
        (the defaults for a model without one)."""
        return self.bkt_.params_for(skill, item) if self.bkt_ is not None else DEFAULT_PARAMS

    def record(
        self,
        history: LearnerHistory,
        skill: str,
        correct: bool,
        item: str | None = None,
        timestamp: float | None = None,
        template: str | None = None,
    ) -> None:
        """Add a learner's answer to their history, in constant time."""
        if self.bkt_ is not None:
            self.bkt_.record(history, skill, correct, item, timestamp, template)
        history.record(skill, correct, item, timestamp)

    def predict_next(
        self,
        history: LearnerHistory,
        skill: str,
        item: str | None = None,
        timestamp: float | None = None,
        template: str | None = None,
    ) -> float:
        """P(right) of a learner's next answer on ``skill`` given their history (constant time), as
        :meth:`predict_proba` gives it for the next row of that learner."""
        _, terms = self._online_terms(history, skill, item, timestamp, template)
        raw = 1.0 / (1.0 + math.exp(-sum(logit for _, logit in terms)))
        return self.calibration_.apply_one(raw)

    # Model files -------------------------------------------------------------------------------

    def to_params(self) -> dict[str, Any]:
        """The fitted model as JSON-ready data (see :mod:`~jupyter_adaptive.mastery.model_file`)."""
        where = self._slices()
        coef: dict[str, Any] = {"intercept": self.intercept_}
        for group in self.groups_:
            values = self.coef_[where[group]].tolist()
            if group in _ONE_HOT:
                coef[group] = dict(zip(self.categories_[group], values, strict=True))
            elif group == "skill_counts":
                k = len(self.skills_)
                coef[group] = {s: [values[i], values[i + k]] for i, s in enumerate(self.skills_)}
            else:
                coef[group] = dict(zip(FEATURE_GROUPS[group], values, strict=True))
        return {
            "hyperparameters": {"features": list(self.features), "C": self.C},
            "groups": self.groups_,
            "categories": self.categories_,
            "coefficients": coef,
            "bkt": self.bkt_.to_params() if self.bkt_ is not None else None,
            "fitted_at": self.fitted_at_,
            "data": {"rows": self.n_rows_, "users": self.n_users_, "skills": len(self.skills_)},
            **self._calibration_params(),
        }

    @classmethod
    def from_params(cls, params: dict[str, Any]) -> LogisticKT:
        """Rebuild a fitted model from :meth:`to_params` output."""
        hyper = params["hyperparameters"]
        model = cls(features=tuple(hyper["features"]), C=float(hyper["C"]))
        model.groups_ = list(params["groups"])
        model.categories_ = {g: list(vs) for g, vs in params["categories"].items()}
        model._index_categories()
        model.bkt_ = BKT.from_params(params["bkt"]) if params.get("bkt") else None
        coef = params["coefficients"]
        parts: list[list[float]] = []
        for group in model.groups_:
            if group in _ONE_HOT:
                parts.append([coef[group][v] for v in model.categories_[group]])
            elif group == "skill_counts":
                pairs = [coef[group][s] for s in model.skills_]
                parts.append([p[0] for p in pairs] + [p[1] for p in pairs])
            else:
                parts.append([coef[group][c] for c in FEATURE_GROUPS[group]])
        model.coef_ = np.array([v for part in parts for v in part], dtype=np.float64)
        model.intercept_ = float(coef["intercept"])
        model._finish()
        model.fitted_at_ = params["fitted_at"]
        model.n_rows_ = int(params["data"]["rows"])
        model.n_users_ = int(params["data"]["users"])
        model._read_calibration(params)
        return model
