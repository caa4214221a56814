"""Why a learner is flagged: an additive split of the at-risk model's decision, in sentences.

The decision (log-odds of being at risk) is split over the features with baseline Shapley
values: starting from a typical learner (the median of each feature in training), the features
are switched to this learner's values one at a time in several random orders, and each switch's
change of the decision is credited to its feature. The credits sum exactly to the decision minus
the typical learner's decision, whatever the model.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from ..mastery.responses import validate
from .features import FEATURES
from .horizon import early_attempts
from .trajectory import mastery_trajectory

if TYPE_CHECKING:
    import pandas as pd

    from .model import RiskModel

__all__ = ["RiskExplanation", "contributions", "explain", "feature_sentence"]

#: Random feature orders averaged over (fixed seed, so explanations are reproducible).
N_ORDERS = 16
#: Contributions smaller than this (log-odds) are not worth a sentence.
MIN_CONTRIBUTION = 0.05
#: Sentences per learner at most.
MAX_SENTENCES = 3
#: Learners evaluated per batch, to bound memory.
_BATCH = 256


@dataclass(frozen=True)
class RiskExplanation:
    """One learner's risk and why.

    ``baseline + sum(contributions.values()) == decision`` (log-odds), and
    ``risk == 1 / (1 + exp(-decision))``.
    """

    user_id: str
    risk: float
    flagged: bool
    decision: float
    baseline: float
    contributions: dict[str, float]
    sentences: list[str] = field(default_factory=list)
    weakest_skills: list[tuple[str, float]] = field(default_factory=list)
    #: ``(feature, contribution, sentence)`` behind each sentence but the weakest-skills one.
    reasons: list[tuple[str, float, str]] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        """JSON-ready data."""
        return {
            "user_id": self.user_id,
            "risk": self.risk,
            "flagged": self.flagged,
            "decision": self.decision,
            "baseline": self.baseline,
            "contributions": self.contributions,
            "sentences": self.sentences,
            "weakest_skills": [list(pair) for pair in self.weakest_skills],
            "reasons": [list(reason) for reason in self.reasons],
        }


def contributions(model: RiskModel, features: pd.DataFrame) -> tuple[pd.DataFrame, float]:
    """Per learner and feature, its share of the decision; and the typical learner's decision.

    Parameters
    ----------
    model : RiskModel
        Fitted.
    features : pandas.DataFrame
        From :meth:`RiskModel.features`.

    Returns
    -------
    (pandas.DataFrame, float)
        Same index and columns as ``features``; each row sums to that learner's decision minus
        the baseline (the second value).
    """
    import pandas as pd

    values = features[model.feature_names_].to_numpy(dtype=np.float64)
    reference = model.reference_
    n, d = values.shape
    orders = [np.random.RandomState(seed).permutation(d) for seed in range(N_ORDERS)]
    # Step j of an order has its first j features switched to the learner's values.
    masks = np.zeros((N_ORDERS, d + 1, d), dtype=bool)
    for k, order in enumerate(orders):
        for j in range(1, d + 1):
            masks[k, j, order[:j]] = True
    result = np.zeros((n, d))
    for start in range(0, n, _BATCH):
        batch = values[start : start + _BATCH]
        rows = np.where(masks[None], batch[:, None, None, :], reference[None, None, None, :])
        decisions = model.decision_.decision_function(rows.reshape(-1, d))
        steps = np.diff(decisions.reshape(len(batch), N_ORDERS, d + 1), axis=2)
        for k, order in enumerate(orders):
            result[start : start + len(batch), order] += steps[:, k, :]
    result /= N_ORDERS
    baseline = float(model.decision_.decision_function(reference[None, :])[0])
    return pd.DataFrame(result, index=features.index, columns=model.feature_names_), baseline


def _percent(value: float) -> str:
    return f"{100 * value:.0f}%"


def _points(value: float) -> str:
    return f"{abs(100 * value):.0f} points {'above' if value >= 0 else 'below'}"


def _count(value: float) -> str:
    return f"{math.expm1(value):.0f}"


def _rate(value: float) -> str:
    return f"{math.expm1(value):.1f}"


def _seconds(value: float) -> str:
    return f"{math.expm1(value):.0f} s"


#: Per feature: how to write a value, the phrase, and what a teacher can do when the feature
#: raises the risk while above (first) or below (second) the typical learner's value.
_PHRASES: dict[str, tuple[Callable[[float], str], str, str | None, str | None]] = {
    "accuracy": (
        _percent,
        "answered {v} right (typical learner {t})",
        None,
        "go over the weakest skills",
    ),
    "accuracy_trend": (
        _points,
        "lately answers right {v} their own average (typical learner {t})",
        None,
        "ask what changed recently",
    ),
    "relative_accuracy": (
        _points,
        "answers right {v} what others get on the same questions (typical learner {t})",
        None,
        "go over the weakest skills",
    ),
    "recent_relative_accuracy": (
        _points,
        "lately answers right {v} what others get on the same questions (typical learner {t})",
        None,
        "check the skills of the latest exercises",
    ),
    "mastery": (
        "{:.2f}".format,
        "has a mean P(mastered) of {v} over their skills (typical learner {t})",
        None,
        "give practice on the skills not yet mastered",
    ),
    "predicted_accuracy": (
        _percent,
        "is expected to answer {v} right on their current skills (typical learner {t})",
        None,
        "give easier practice on the current skills first",
    ),
    "recent_difficulty": (
        _percent,
        "is working on skills others answer right {v} of the time (typical learner {t})",
        None,
        "check that the prerequisites of the current skills are in place",
    ),
    "chance_below": (
        _percent,
        "at this accuracy, has a {v} chance of under 60% right over the coming attempts "
        "(typical learner {t})",
        "go over the weakest skills before moving on",
        None,
    ),
    "ahead": (
        _percent,
        "stands where earlier learners went on to answer {v} right (typical learner {t})",
        None,
        "prepare them for what comes next in the course",
    ),
    "wrong_streak": (
        _count,
        "had up to {v} wrong answers in a row (typical learner {t})",
        "step in when a learner keeps failing: a worked example may help",
        None,
    ),
    "hints": (
        _rate,
        "asks for {v} hints per attempt (typical learner {t})",
        "check whether hints replace trying",
        "remind them that hints are there",
    ),
    "retries": (
        _rate,
        "needs {v} extra tries per attempt (typical learner {t})",
        "look at the wrong answers for a shared misconception",
        None,
    ),
    "response_time": (
        _seconds,
        "takes {v} to a first response (typical learner {t})",
        "check whether they are stuck",
        "check whether they answer too fast to think it through",
    ),
    "long_breaks": (
        _percent,
        "took a break of over a day before {v} of attempts (typical learner {t})",
        "check in about the breaks",
        None,
    ),
}


def feature_sentence(name: str, value: float, typical: float, contribution: float) -> str:
    """E.g. "answered 45% right (typical learner 70%): raises the risk score by 0.61; go over
    the weakest skills." An action is named only for a feature that raises the risk."""
    write, phrase, when_higher, when_lower = _PHRASES[name]
    if math.isnan(value):
        said, action = f"has no data on {FEATURES[name]}", None
    else:
        said = phrase.format(v=write(value), t=write(typical))
        action = when_higher if value > typical else when_lower
    direction = "raises" if contribution > 0 else "lowers"
    text = f"{said}: {direction} the risk score by {abs(contribution):.2f}"
    return f"{text}; {action}." if contribution > 0 and action else f"{text}."


def explain(model: RiskModel, X: pd.DataFrame, n_skills: int = 3) -> list[RiskExplanation]:
    """Risk, flag, contributions, sentences and weakest skills of every learner in ``X``.

    Reads only the first ``model.horizon`` attempts of each learner. Sentences name the features
    that moved the decision most (those raising risk first) and what a teacher can do about each.
    """
    features = model.features(X)
    table, baseline = contributions(model, features)
    decisions = model.decision_function(features)
    first = early_attempts(validate(X), model.horizon)
    after = mastery_trajectory(model.mastery_, first)["after"]
    final = after.groupby([first["user_id"], first["skill_name"]], sort=False).last()
    weakest = final.sort_values(kind="stable").groupby(level=0, sort=False).head(n_skills)
    by_user: dict[str, list[tuple[str, float]]] = {}
    for (user, skill), p in weakest.items():
        by_user.setdefault(str(user), []).append((str(skill), round(float(p), 3)))
    typical = dict(zip(model.feature_names_, model.reference_, strict=True))
    result = []
    for position, user in enumerate(features.index):
        row = table.loc[user]
        decision = float(decisions[position])
        risk = 1.0 / (1.0 + math.exp(-decision))
        ranked = sorted(row.items(), key=lambda item: (item[1] <= 0, -abs(item[1])))
        reasons = [
            (
                str(name),
                float(value),
                feature_sentence(
                    str(name), float(features.at[user, name]), typical[name], float(value)
                ),
            )
            for name, value in ranked
            if abs(value) >= MIN_CONTRIBUTION
        ][:MAX_SENTENCES]
        sentences = [sentence for _, _, sentence in reasons]
        skills = by_user.get(str(user), [])
        if skills and risk >= model.flag_threshold:
            listed = ", ".join(f"`{skill}` ({p:.2f})" for skill, p in skills)
            sentences.append(f"Weakest skills by P(mastered): {listed}.")
        result.append(
            RiskExplanation(
                user_id=str(user),
                risk=risk,
                flagged=risk >= model.flag_threshold,
                decision=decision,
                baseline=baseline,
                contributions={str(k): float(v) for k, v in row.items()},
                sentences=sentences,
                weakest_skills=skills,
                reasons=reasons,
            )
        )
    return result
