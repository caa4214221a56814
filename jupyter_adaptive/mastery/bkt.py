"""Bayesian Knowledge Tracing per skill, fitted with pyBKT's compiled EM core.

This is the model whose estimates are shown to people: P(mastered) per skill, updated answer by
answer with :func:`~jupyter_adaptive.mastery.online.posterior_after`. Fitting adds forgetting and,
where an item (``template_id``, else ``problem_id``) has enough answers on a skill, its own guess
and slip.
"""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import numpy as np
from sklearn.base import BaseEstimator

from .calibration import Calibrated
from .forgetting import fit_forget_per_day
from .online import DEFAULT_PARAMS, SkillParams, posterior_after, predict_correct
from .responses import ordered_log

if TYPE_CHECKING:
    import pandas as pd

    from .features import LearnerHistory

__all__ = ["BKT", "pybkt_core_is_compiled"]

#: Guess/slip class of the answers on items too rare to get their own.
_POOLED = ""


def pybkt_core_is_compiled() -> bool:
    """Whether pyBKT's E-step is the C++ extension module (not the slow pure-Python fallback)."""
    import importlib.machinery

    from pyBKT.fit import E_step

    suffixes = tuple(importlib.machinery.EXTENSION_SUFFIXES)
    return str(getattr(E_step, "__file__", "")).endswith(suffixes)


class BKT(Calibrated, BaseEstimator):
    """Bayesian Knowledge Tracing (prior, learn, guess, slip, forget per skill).

    With a ``timestamp`` column, each skill also gets a forgetting rate per day
    (:func:`~jupyter_adaptive.mastery.forgetting.fit_forget_per_day`).

    Parameters
    ----------
    forgets : bool
        Fit a forgetting probability per skill (else it is 0).
    item_guess_slip : bool
        Give an item its own guess and slip when it has at least ``min_item_rows`` answers on a
        skill; the items come from ``template_id``, else ``problem_id``.
    min_item_rows : int
        Answers an item needs on a skill to get its own guess and slip.
    num_fits : int
        Random restarts of EM per skill; the best likelihood wins.
    seed : int
        Seed of pyBKT's random initializations.

    Attributes
    ----------
    params_ : dict of str to SkillParams
        Per skill; guess and slip are those of the pooled (rare-item) class.
    item_params_ : dict of str to dict of str to tuple of float
        Per skill, per item with its own class: ``(guess, slip)``.
    default_params_ : SkillParams
        For skills never seen in training: the median of each parameter over skills.
    item_column_ : str or None
        The column that named items in training.
    fitted_at_ : str
    n_rows_, n_users_ : int
    """

    def __init__(
        self,
        forgets: bool = True,
        item_guess_slip: bool = True,
        min_item_rows: int = 50,
        num_fits: int = 5,
        seed: int = 42,
    ) -> None:
        self.forgets = forgets
        self.item_guess_slip = item_guess_slip
        self.min_item_rows = min_item_rows
        self.num_fits = num_fits
        self.seed = seed

    def _item_classes(self, data: pd.DataFrame) -> pd.Series:
        """Each row's guess/slip class: its item if frequent on the skill, else the pooled class."""
        item = data[self.item_column_]
        size = data.groupby(["skill_name", self.item_column_])["correct"].transform("size")
        return item.where(size >= self.min_item_rows, _POOLED)

    def fit(self, X: pd.DataFrame, y: Any = None) -> BKT:
        """Fit every skill of a response log with pyBKT.

        ``X`` is a response log (see :func:`~jupyter_adaptive.mastery.responses.ordered_log`);
        ``y``, if given, replaces its ``correct`` column.
        """
        from pyBKT.models import Model

        data = ordered_log(X, y)
        columns = ["order_id", "user_id", "skill_name", "correct"]
        frame = data[columns].copy()
        self.item_column_ = None
        if self.item_guess_slip:
            self.item_column_ = next((c for c in ("template_id", "problem_id") if c in data), None)
        options: dict[str, Any] = {"forgets": self.forgets}
        if self.item_column_ is not None:
            frame["gs_class"] = self._item_classes(data)
            options["multigs"] = "gs_class"
        # pyBKT sorts by order_id over all users; a running index keeps each learner's own order.
        frame["order_id"] = np.arange(len(frame))
        model = Model(seed=self.seed, num_fits=self.num_fits, parallel=False)
        model.fit(data=frame, **options)
        self.params_: dict[str, SkillParams] = {}
        self.item_params_: dict[str, dict[str, tuple[float, float]]] = {}
        for skill, fitted in model.fit_model.items():
            names = {str(name): int(index) for name, index in fitted["gs_names"].items()}
            guesses, slips = np.asarray(fitted["guesses"]), np.asarray(fitted["slips"])
            pooled = names.get(_POOLED)
            if len(names) == 1:
                guess, slip = float(guesses[0]), float(slips[0])
            elif pooled is not None:
                guess, slip = float(guesses[pooled]), float(slips[pooled])
            else:
                weights = frame.loc[frame["skill_name"] == skill, "gs_class"].value_counts()
                w = np.array([weights.get(name, 0) for name in names], dtype=np.float64)
                order = list(names.values())
                guess = float(np.average(guesses[order], weights=w))
                slip = float(np.average(slips[order], weights=w))
            self.params_[str(skill)] = SkillParams(
                prior=float(fitted["prior"]),
                learn=float(np.asarray(fitted["learns"])[0]),
                guess=guess,
                slip=slip,
                forget=float(np.asarray(fitted["forgets"])[0]),
            )
            if self.item_column_ is not None:
                self.item_params_[str(skill)] = {
                    name: (float(guesses[i]), float(slips[i]))
                    for name, i in names.items()
                    if name != _POOLED
                }
        self.default_params_ = self._median_params()
        if "timestamp" in data:
            self._fit_forgetting(data)
            self.default_params_ = self._median_params()
        self.fitted_at_ = datetime.now(UTC).isoformat(timespec="seconds")
        self.n_rows_ = len(data)
        self.n_users_ = int(data["user_id"].nunique())
        return self

    def _fit_forgetting(self, data: pd.DataFrame) -> None:
        """Daily forgetting rates from the answers given after a pause."""
        _, mastery, guess, slip = self._walk(data)
        per_skill, course = fit_forget_per_day(data, mastery, guess, slip)
        self.params_ = {
            skill: dataclasses.replace(p, forget_per_day=per_skill.get(skill, course))
            for skill, p in self.params_.items()
        }

    def _median_params(self) -> SkillParams:
        if not self.params_:
            return DEFAULT_PARAMS
        fields = [f.name for f in dataclasses.fields(SkillParams)]
        values = {
            f: float(np.median([getattr(p, f) for p in self.params_.values()])) for f in fields
        }
        return SkillParams(**values)

    def params_for(self, skill: str, item: str | None = None) -> SkillParams:
        """The parameters to use for an answer on ``skill`` (and ``item``); never raises.

        A skill unseen in training gets ``default_params_``; an item without its own class gets the
        skill's pooled guess and slip.
        """
        params = self.params_.get(skill, self.default_params_)
        if item is not None:
            own = self.item_params_.get(skill, {}).get(item)
            if own is not None:
                return dataclasses.replace(params, guess=own[0], slip=own[1])
        return params

    def _walk(self, data: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """:meth:`trace`, plus the guess and slip that applied to each row."""
        column = self.item_column_
        items = (
            data[column].tolist() if column is not None and column in data else [None] * len(data)
        )
        state: dict[tuple[str, str], float] = {}
        p_correct, mastery = np.empty(len(data)), np.empty(len(data))
        guess, slip = np.empty(len(data)), np.empty(len(data))
        rows = zip(data["user_id"], data["skill_name"], items, data["correct"], strict=True)
        for position, (user, skill, item, correct) in enumerate(rows):
            params = self.params_for(skill, item)
            key = (user, skill)
            before = state.get(key, params.prior)
            mastery[position] = before
            guess[position], slip[position] = params.guess, params.slip
            p_correct[position] = predict_correct(before, params)
            state[key] = posterior_after(before, bool(correct), params)
        return p_correct, mastery, guess, slip

    def trace(self, data: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
        """Follow each learner through a validated log already sorted by user, then ``order_id``.

        Returns
        -------
        p_correct, mastery : numpy.ndarray
            Aligned with the rows: P(right) predicted before each row (before calibration), and
            P(mastered) of the row's skill before it. Estimates start at the skill's prior and are
            updated with :func:`~jupyter_adaptive.mastery.online.posterior_after` after each row.
        """
        p_correct, mastery, _, _ = self._walk(data)
        return p_correct, mastery

    def predict_proba(self, X: pd.DataFrame) -> np.ndarray:
        """P(wrong), P(right) of each row, predicted before the row is seen, in input row order."""
        data = ordered_log(X)
        p = np.empty(len(data))
        p[data.index.to_numpy()] = self.calibration_.apply(self.trace(data)[0])
        return np.column_stack([1.0 - p, p])

    # Online ------------------------------------------------------------------------------------

    def online_item(self, item: str | None, template: str | None) -> str | None:
        """The guess/slip class of an answer: its template when fitted on templates."""
        return template if self.item_column_ == "template_id" else item

    def mastery_params(self, skill: str, item: str | None = None) -> SkillParams:
        """The parameters of the estimate people see for ``skill`` after an answer on ``item``."""
        return self.params_for(skill, item)

    def predict_next(
        self,
        history: LearnerHistory,
        skill: str,
        item: str | None = None,
        timestamp: float | None = None,
        template: str | None = None,
    ) -> float:
        """P(right) of the next answer, as :meth:`predict_proba` gives it (constant time)."""
        params = self.params_for(skill, self.online_item(item, template))
        before = history.mastery.get(skill, params.prior)
        return self.calibration_.apply_one(predict_correct(before, params))

    def record(
        self,
        history: LearnerHistory,
        skill: str,
        correct: bool,
        item: str | None = None,
        timestamp: float | None = None,
        template: str | None = None,
    ) -> None:
        """Update the learner's P(mastered) of ``skill`` after an answer, in constant time."""
        params = self.params_for(skill, self.online_item(item, template))
        before = history.mastery.get(skill, params.prior)
        history.mastery[skill] = posterior_after(before, correct, params)

    def to_params(self) -> dict[str, Any]:
        """The fitted model as JSON-ready data (see :mod:`~jupyter_adaptive.mastery.model_file`)."""
        return {
            "hyperparameters": self.get_params(),
            "item_column": self.item_column_,
            "skills": {skill: p.as_dict() for skill, p in self.params_.items()},
            "items": {
                skill: {i: list(gs) for i, gs in d.items()}
                for skill, d in self.item_params_.items()
            },
            "default": self.default_params_.as_dict(),
            "fitted_at": self.fitted_at_,
            "data": {"rows": self.n_rows_, "users": self.n_users_, "skills": len(self.params_)},
            **self._calibration_params(),
        }

    @classmethod
    def from_params(cls, params: dict[str, Any]) -> BKT:
        """Rebuild a fitted model from :meth:`to_params` output."""
        model = cls(**params["hyperparameters"])
        model.item_column_ = params["item_column"]
        model.params_ = {s: SkillParams(**p) for s, p in params["skills"].items()}
        model.item_params_ = {
            s: {i: (float(gs[0]), float(gs[1])) for i, gs in d.items()}
            for s, d in params["items"].items()
        }
        model.default_params_ = SkillParams(**params["default"])
        model.fitted_at_ = params["fitted_at"]
        model.n_rows_ = int(params["data"]["rows"])
        model.n_users_ = int(params["data"]["users"])
        model._read_calibration(params)
        return model
