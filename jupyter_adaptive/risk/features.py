"""Features of a learner's history, read from their first ``K`` attempts only (the horizon).

Every feature is one number per learner that a teacher can read: how often they answered right
(overall, lately, and compared with what the questions they met usually get), what the mastery
model makes of them, how hard their current skills are, how learners who stood at the same point of
the course did afterwards, and, where the log has the columns, how they work (hints, repeated
tries, response time, long breaks). Every learner is read over the same number of attempts (the
horizon), so their count is no feature. A feature whose columns are absent
is NaN; the model then leaves it out or, at prediction time, reads it as the class average.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from ..mastery.online import predict_correct
from .trajectory import mastery_trajectory

if TYPE_CHECKING:
    import pandas as pd

    from ..mastery.bkt import BKT

__all__ = ["FEATURES", "Difficulty", "learner_features"]

#: Feature name -> what it measures, in words (used by explanations and ``--help``).
FEATURES: dict[str, str] = {
    "accuracy": "proportion correct so far",
    "accuracy_trend": "proportion correct over the latest third of the attempts minus overall",
    "relative_accuracy": "proportion correct above what the same questions usually get",
    "recent_relative_accuracy": "the same over the latest third of the attempts",
    "mastery": "mean P(mastered) over the skills practised",
    "predicted_accuracy": "P(right) the mastery model predicts for the next tries on recent skills",
    "recent_difficulty": "how often other learners answer the recent skills right",
    "chance_below": "chance of under 60% right over as many attempts again, from the accuracy "
    "so far and how learners usually differ (beta-binomial)",
    "ahead": "proportion correct of earlier learners after the horizon, when they stood at the "
    "same latest skill",
    "wrong_streak": "longest run of wrong answers (log scale)",
    "hints": "hints asked per attempt (log scale)",
    "retries": "extra tries per attempt (log scale)",
    "response_time": "median seconds to first response (log scale)",
    "long_breaks": "share of gaps between attempts longer than a day",
}

#: Answers a question needs in training before its own success rate is trusted over its skill's.
_SHRINK = 10.0
#: Learners a skill's rate of what follows needs before it is trusted over all learners' rate.
_AHEAD_SHRINK = 20.0
#: Columns holding seconds (or milliseconds) to respond, in order of preference.
_RESPONSE_TIME = (("ms_first_response", 1e-3), ("step_duration_sec", 1.0))
_DAY = 86400.0


@dataclass
class Difficulty:
    """How often answers are right per skill and per question in the training data."""

    overall: float = 0.5
    skills: dict[str, float] = field(default_factory=dict)
    items: dict[str, float] = field(default_factory=dict)
    #: Beta prior (a, b) of a learner's proportion correct, fitted over the training learners.
    learner_prior: tuple[float, float] = (1.0, 1.0)
    #: Per skill, (sum, count) of the proportions correct after the horizon of the training
    #: learners whose latest skill at the horizon it was; and their mean over all learners.
    ahead: dict[str, tuple[float, int]] = field(default_factory=dict)
    ahead_overall: float = 0.5

    @classmethod
    def fit(
        cls,
        data: pd.DataFrame,
        early: pd.DataFrame | None = None,
        later: pd.Series | None = None,
    ) -> Difficulty:
        """Success rates of a response log; a question's rate is shrunk toward its skill's.

        With ``early`` (the training learners' attempts up to the horizon) and ``later`` (per
        learner, the proportion correct after it), also the rates of what follows each skill.
        """
        overall = float(data["correct"].mean())
        by_skill = data.groupby("skill_name")["correct"].agg(["sum", "count"])
        skills = (by_skill["sum"] + _SHRINK * overall) / (by_skill["count"] + _SHRINK)
        items: dict[str, float] = {}
        if "problem_id" in data:
            by_item = data.groupby(["skill_name", "problem_id"])["correct"].agg(["sum", "count"])
            base = skills.reindex(by_item.index.get_level_values(0)).to_numpy()
            rates = (by_item["sum"].to_numpy() + _SHRINK * base) / (
                by_item["count"].to_numpy() + _SHRINK
            )
            items = {
                f"{skill}\x1f{item}": float(rate)
                for (skill, item), rate in zip(by_item.index, rates, strict=True)
            }
        ahead: dict[str, tuple[float, int]] = {}
        ahead_overall = overall
        if early is not None and later is not None and len(later):
            last = early.groupby("user_id", sort=True)["skill_name"].last().reindex(later.index)
            grouped = later.groupby(last.to_numpy(), sort=True).agg(["sum", "count"])
            ahead = {str(k): (float(s), int(n)) for k, (s, n) in grouped.iterrows()}
            ahead_overall = float(later.mean())
        return cls(
            overall,
            {str(k): float(v) for k, v in skills.items()},
            items,
            _beta_prior(data),
            ahead,
            ahead_overall,
        )

    def ahead_of(self, skills: pd.Series, own: pd.Series | None = None) -> np.ndarray:
        """How learners did after the horizon when their latest skill was each of ``skills``,
        shrunk toward all learners' rate; ``own`` (a training learner's own later proportion
        correct, aligned) is left out of their own rate."""
        sums = skills.map({k: s for k, (s, _) in self.ahead.items()}).fillna(0.0)
        counts = skills.map({k: n for k, (_, n) in self.ahead.items()}).fillna(0)
        if own is not None:
            sums, counts = sums - own, counts - 1
        rates = (sums + _AHEAD_SHRINK * self.ahead_overall) / (counts + _AHEAD_SHRINK)
        return rates.to_numpy(dtype=np.float64)

    def expected(self, data: pd.DataFrame) -> np.ndarray:
        """Per row, how often its question (else its skill, else any question) is answered right."""
        skill = data["skill_name"].map(self.skills).astype("float64")
        if self.items and "problem_id" in data:
            key = data["skill_name"] + "\x1f" + data["problem_id"]
            skill = key.map(self.items).astype("float64").fillna(skill)
        return skill.fillna(self.overall).to_numpy()

    def expected_without_own(self, early: pd.DataFrame, data: pd.DataFrame) -> np.ndarray:
        """:meth:`expected` for the rows of ``early`` (training learners' attempts up to the
        horizon), with each learner's own answers in ``data`` (the training log :meth:`fit`
        read) taken out of their questions' rates, as a new learner's are never in them."""
        expected = self.expected(early)
        if not self.items or "problem_id" not in data:
            return expected
        keys = ["user_id", "skill_name", "problem_id"]
        own = data.groupby(keys)["correct"].agg(["sum", "count"])
        total = data.groupby(keys[1:])["correct"].agg(["sum", "count"])
        index = early.set_index(keys).index
        own_sum = own["sum"].reindex(index).to_numpy(dtype=np.float64)
        own_count = own["count"].reindex(index).to_numpy(dtype=np.float64)
        item_index = early.set_index(keys[1:]).index
        sums = total["sum"].reindex(item_index).to_numpy(dtype=np.float64) - own_sum
        counts = total["count"].reindex(item_index).to_numpy(dtype=np.float64) - own_count
        skill = early["skill_name"].map(self.skills).astype("float64").fillna(self.overall)
        rates = (sums + _SHRINK * skill.to_numpy()) / (counts + _SHRINK)
        return np.where(np.isnan(rates), expected, rates)

    def to_params(self) -> dict[str, Any]:
        """JSON-ready data."""
        return {
            "overall": self.overall,
            "skills": self.skills,
            "items": self.items,
            "learner_prior": list(self.learner_prior),
            "ahead": {k: list(v) for k, v in self.ahead.items()},
            "ahead_overall": self.ahead_overall,
        }

    @classmethod
    def from_params(cls, params: dict[str, Any]) -> Difficulty:
        """Rebuild from :meth:`to_params` output."""
        a, b = params["learner_prior"]
        return cls(
            float(params["overall"]),
            dict(params["skills"]),
            dict(params["items"]),
            (float(a), float(b)),
            {str(k): (float(s), int(n)) for k, (s, n) in params["ahead"].items()},
            float(params["ahead_overall"]),
        )


def _beta_prior(data: pd.DataFrame) -> tuple[float, float]:
    """Beta prior of learners' proportion correct, by the method of moments: the spread of the
    learners' proportions beyond what their number of answers alone would give."""
    per_learner = data.groupby("user_id")["correct"].agg(["mean", "count"])
    mean = float(per_learner["mean"].mean())
    noise = float((mean * (1.0 - mean) / per_learner["count"]).mean())
    spread = max(float(per_learner["mean"].var(ddof=0)) - noise, 1e-6)
    strength = float(np.clip(mean * (1.0 - mean) / spread - 1.0, 1.0, 1000.0))
    mean = float(np.clip(mean, 0.01, 0.99))
    return mean * strength, (1.0 - mean) * strength


def _chance_below(right: np.ndarray, size: np.ndarray, prior: tuple[float, float]) -> np.ndarray:
    """P(under :data:`~jupyter_adaptive.risk.horizon.AT_RISK_THRESHOLD` right over as many
    attempts again), from ``right`` of ``size`` so far and the population's beta prior
    (beta-binomial); ``size`` and ``size + 1`` later attempts both count."""
    from scipy.stats import betabinom

    a, b = prior[0] + right, prior[1] + size - right
    chances = []
    for later in (size, size + 1):
        # fewer than 60% right: 5 * right < 3 * later, in integers
        chances.append(betabinom.cdf((3 * later - 1) // 5, later, a, b))
    return np.mean(chances, axis=0)


def _numeric(data: pd.DataFrame, column: str) -> pd.Series | None:
    import pandas as pd

    if column not in data:
        return None
    values = pd.to_numeric(data[column], errors="coerce").astype("float64")
    return None if values.isna().all() else values


def _longest_run(wrong: pd.Series, users: pd.Series) -> pd.Series:
    """Per user, the longest run of consecutive ``True`` in ``wrong``."""
    run_id = (~wrong).groupby(users, sort=False).cumsum()
    runs = wrong.groupby([users, run_id], sort=False).sum()
    return runs.groupby(level=0, sort=False).max()


def learner_features(
    data: pd.DataFrame,
    mastery: BKT,
    difficulty: Difficulty,
    expected: np.ndarray | None = None,
) -> pd.DataFrame:
    """One row of :data:`FEATURES` per learner, from everything in ``data``.

    Parameters
    ----------
    data : pandas.DataFrame
        A validated response log sorted by user, then ``order_id``; pass the first ``K``
        attempts of each learner (:func:`~jupyter_adaptive.risk.horizon.early_attempts`) so that
        nothing later is read.
    mastery : BKT
        Fitted mastery model whose trajectories the ``mastery*`` features summarize.
    difficulty : Difficulty
        Success rates of skills and questions in the training data.
    expected : numpy.ndarray, optional
        Per row, how often its question is answered right (default
        :meth:`Difficulty.expected`; training learners pass
        :meth:`Difficulty.expected_without_own`).

    Returns
    -------
    pandas.DataFrame
        Index ``user_id`` (sorted), one column per name in :data:`FEATURES`.
    """
    import pandas as pd

    users = data["user_id"]
    correct = data["correct"].astype("float64")
    groups = correct.groupby(users, sort=False)
    size = groups.transform("size").to_numpy()
    position = groups.cumcount().to_numpy()
    recent = position >= size - np.maximum(1, np.ceil(size / 3))
    if expected is None:
        expected = difficulty.expected(data)
    residual = correct - expected

    trajectory = mastery_trajectory(mastery, data)
    final = trajectory["after"].groupby([users, data["skill_name"]], sort=False).last()

    # P(right) on the skills of the recent attempts, at the mastery each skill has reached.
    reached = pd.Series(list(zip(users, data["skill_name"], strict=True)), index=data.index).map(
        final
    )
    column = mastery.item_column_
    items = data[column].tolist() if column is not None and column in data else [None] * len(data)
    next_right = np.fromiter(
        (
            predict_correct(p, mastery.params_for(skill, item))
            for p, skill, item in zip(reached, data["skill_name"], items, strict=True)
        ),
        dtype=np.float64,
        count=len(data),
    )

    frame = pd.DataFrame(
        {
            "user_id": users,
            "correct": correct,
            "recent": np.where(recent, correct, np.nan),
            "residual": residual,
            "recent_residual": np.where(recent, residual, np.nan),
            "next_right": np.where(recent, next_right, np.nan),
            "recent_rate": np.where(recent, expected, np.nan),
        },
        index=data.index,
    ).groupby("user_id", sort=True)
    means = frame.mean()
    result = pd.DataFrame(index=means.index)
    result["accuracy"] = means["correct"]
    result["accuracy_trend"] = means["recent"] - means["correct"]
    # Shrunk toward zero for short histories, where a few lucky or unlucky answers weigh a lot.
    result["relative_accuracy"] = means["residual"] * frame.size() / (frame.size() + _SHRINK)
    result["recent_relative_accuracy"] = means["recent_residual"]
    result["mastery"] = final.groupby(level=0).mean()
    result["predicted_accuracy"] = means["next_right"]
    result["recent_difficulty"] = means["recent_rate"]
    result["chance_below"] = _chance_below(
        (means["correct"] * frame.size()).round().to_numpy(),
        frame.size().to_numpy(),
        difficulty.learner_prior,
    )
    result["ahead"] = difficulty.ahead_of(data.groupby(users, sort=True)["skill_name"].last())
    result["wrong_streak"] = np.log1p(_longest_run(correct == 0, users))

    hints = _numeric(data, "hint_count")
    result["hints"] = np.log1p(hints.groupby(users).mean()) if hints is not None else np.nan
    tries = _numeric(data, "attempt_count")
    result["retries"] = (
        np.log1p((tries - 1).clip(lower=0).groupby(users).mean()) if tries is not None else np.nan
    )
    result["response_time"] = np.nan
    for column, scale in _RESPONSE_TIME:
        seconds = _numeric(data, column)
        if seconds is not None:
            positive = (seconds * scale).where(seconds > 0)
            result["response_time"] = np.log1p(positive.groupby(users).median())
            break
    stamps = _numeric(data, "timestamp")
    if stamps is not None:
        gaps = stamps.groupby(users, sort=False).diff()
        result["long_breaks"] = (gaps > _DAY).groupby(users).mean()
    else:
        result["long_breaks"] = np.nan
    return result[list(FEATURES)].astype("float64")
