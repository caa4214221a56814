"""Fairness audit: do the mastery and at-risk models work as well for every group of learners?

On the 80/20 split by learner of :mod:`.evaluation`, both models are fitted on the training
learners and judged on the test learners, per subgroup (fairlearn's ``MetricFrame``):

- the mastery model's AUC and calibration (mean predicted minus observed P(right)) over answers;
- the at-risk model's false-positive and false-negative rates over learners;
- the mean mastery gain of the learners (:mod:`.success`).

Subgroups come from a roster (``user_id`` plus one column per attribute) or, without one, from
quartiles of learners' activity (number of attempts), so there is always a report. A gap
between the best and worst group is *highlighted* when it is both large
(:data:`MIN_GAPS`) and clearly beyond sampling noise: learners are resampled within each group
(bootstrap) and the gap must exceed :data:`Z_HIGHLIGHT` standard errors.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from ..errors import InvalidRequestError
from ..mastery.responses import sort_responses, validate
from .evaluation import split_by_learner
from .horizon import at_risk_labels
from .model import RiskModel
from .success import learner_gain, skill_progress

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "ACTIVITY",
    "METRICS",
    "MIN_GAPS",
    "Z_HIGHLIGHT",
    "FairnessReport",
    "Gap",
    "activity_quartiles",
    "fairness_report",
    "read_roster",
]

#: Name of the attribute audited without a roster.
ACTIVITY = "activity"
#: Metric name -> what it is.
METRICS: dict[str, str] = {
    "mastery_auc": "mastery model's AUC over answers",
    "mastery_calibration": "mastery model's mean predicted minus observed P(right)",
    "risk_fpr": "at-risk model's false-positive rate (flagged, yet on track)",
    "risk_fnr": "at-risk model's false-negative rate (at risk, yet not flagged)",
    "mastery_gain": "mean rise of P(mastered) per skill",
}
#: Smallest gap between groups worth highlighting, per metric.
MIN_GAPS: dict[str, float] = {
    "mastery_auc": 0.05,
    "mastery_calibration": 0.05,
    "risk_fpr": 0.10,
    "risk_fnr": 0.10,
    "mastery_gain": 0.10,
}
#: Standard errors a gap must exceed to be highlighted (strict, as several gaps are tested).
Z_HIGHLIGHT = 3.0
#: Bootstrap resamples of learners.
N_BOOT = 100
#: Groups smaller than this (test learners) are reported but not compared.
MIN_GROUP = 5


@dataclass(frozen=True)
class Gap:
    """The largest difference of one metric between two groups."""

    metric: str
    high_group: str
    low_group: str
    difference: float
    standard_error: float
    highlighted: bool

    def sentence(self, attribute: str) -> str:
        """The gap in words."""
        verdict = "GAP" if self.highlighted else "no clear gap"
        return (
            f"{verdict}: {METRICS[self.metric]} differs by {self.difference:.3f} between "
            f"{attribute} `{self.high_group}` and `{self.low_group}` "
            f"(standard error {self.standard_error:.3f})"
        )


@dataclass
class FairnessReport:
    """Per-group metrics of one attribute and the largest gap of each metric."""

    attribute: str
    by_group: pd.DataFrame
    gaps: list[Gap] = field(default_factory=list)

    @property
    def highlighted(self) -> list[Gap]:
        """Gaps large and clear enough to act on, largest relative to their threshold first."""
        found = [gap for gap in self.gaps if gap.highlighted]
        return sorted(found, key=lambda gap: -gap.difference / MIN_GAPS[gap.metric])

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready data."""
        table = self.by_group.astype(object).where(self.by_group.notna(), None)
        return {
            "attribute": self.attribute,
            "groups": {str(g): row for g, row in table.to_dict(orient="index").items()},
            "gaps": [gap.__dict__ for gap in self.gaps],
            "highlighted": [gap.sentence(self.attribute) for gap in self.highlighted],
        }


def read_roster(path: str) -> pd.DataFrame:
    """A roster: ``user_id`` plus one column per attribute (strings); index ``user_id``.

    Raises
    ------
    InvalidRequestError
        The file is missing, unreadable, lacks ``user_id`` or has no attribute column.
    """
    import pandas as pd

    name = path.rsplit("/", 1)[-1]
    try:
        roster = pd.read_csv(path, dtype=str, keep_default_na=False)
    except FileNotFoundError:
        raise InvalidRequestError(f"roster {name} does not exist.") from None
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise InvalidRequestError(f"roster {name} is not a readable CSV file ({exc}).") from None
    if "user_id" not in roster:
        raise InvalidRequestError(f"roster {name} lacks the column `user_id`.")
    if len(roster.columns) < 2:
        raise InvalidRequestError(
            f"roster {name} has no group column: add one or more columns next to `user_id`."
        )
    duplicated = roster["user_id"].duplicated()
    if duplicated.any():
        first = roster.loc[duplicated, "user_id"].iloc[0]
        raise InvalidRequestError(f"roster {name} lists learner `{first}` more than once.")
    return roster.set_index("user_id")


def activity_quartiles(data: pd.DataFrame) -> pd.Series:
    """Each learner's quartile of number of attempts (``Q1`` = fewest), index ``user_id``."""
    import pandas as pd

    attempts = data.groupby("user_id", sort=True).size()
    ranks = attempts.rank(method="first")
    labels = ["Q1 fewest", "Q2", "Q3", "Q4 most"]
    quartile = pd.qcut(ranks, q=min(4, len(attempts)), labels=labels[: min(4, len(attempts))])
    return quartile.astype(str).rename(ACTIVITY)


def _auc(y: np.ndarray, p: np.ndarray) -> float:
    from sklearn.metrics import roc_auc_score

    return float(roc_auc_score(y, p)) if 0 < y.sum() < len(y) else math.nan


def _calibration(y: np.ndarray, p: np.ndarray) -> float:
    return float(np.mean(p) - np.mean(y)) if len(y) else math.nan


def _fpr(y: np.ndarray, flagged: np.ndarray) -> float:
    negatives = y == 0
    return float(flagged[negatives].mean()) if negatives.any() else math.nan


def _fnr(y: np.ndarray, flagged: np.ndarray) -> float:
    positives = y == 1
    return float(1.0 - flagged[positives].mean()) if positives.any() else math.nan


def _mean(y: np.ndarray, _: np.ndarray) -> float:
    return float(np.mean(y)) if len(y) else math.nan


#: Metric -> (function of (y, p), whether its rows are answers rather than learners).
_FUNCTIONS: dict[str, tuple[Callable[[np.ndarray, np.ndarray], float], bool]] = {
    "mastery_auc": (_auc, True),
    "mastery_calibration": (_calibration, True),
    "risk_fpr": (_fpr, False),
    "risk_fnr": (_fnr, False),
    "mastery_gain": (_mean, False),
}


def _bootstrap(
    function: Callable[[np.ndarray, np.ndarray], float],
    y: np.ndarray,
    p: np.ndarray,
    learners: np.ndarray,
    rng: np.random.RandomState,
) -> float:
    """Standard error of ``function`` over resamples of the learners (with all their rows)."""
    ids, inverse = np.unique(learners, return_inverse=True)
    rows = [np.flatnonzero(inverse == i) for i in range(len(ids))]
    values = []
    for _ in range(N_BOOT):
        chosen = rng.randint(0, len(ids), len(ids))
        index = np.concatenate([rows[i] for i in chosen])
        values.append(function(y[index], p[index]))
    finite = np.asarray(values)[np.isfinite(values)]
    return float(finite.std(ddof=1)) if len(finite) > 1 else math.nan


def _report(
    attribute: str,
    groups: pd.Series,
    answers: pd.DataFrame,
    learners: pd.DataFrame,
) -> FairnessReport:
    import pandas as pd
    from fairlearn.metrics import MetricFrame

    answer_groups = answers["user_id"].map(groups).fillna("unknown").to_numpy()
    learner_groups = learners.index.map(groups).fillna("unknown").to_numpy()
    frames = {
        "answers": MetricFrame(
            metrics={"mastery_auc": _auc, "mastery_calibration": _calibration},
            y_true=answers["correct"].to_numpy(),
            y_pred=answers["p_correct"].to_numpy(),
            sensitive_features=pd.Series(answer_groups, name=attribute),
        ),
        "learners": MetricFrame(
            metrics={"risk_fpr": _fpr, "risk_fnr": _fnr},
            y_true=learners["at_risk"].to_numpy(),
            y_pred=learners["flagged"].to_numpy(),
            sensitive_features=pd.Series(learner_groups, name=attribute),
        ),
        "gain": MetricFrame(
            metrics={"mastery_gain": _mean},
            y_true=learners["mastery_gain"].to_numpy(),
            y_pred=learners["mastery_gain"].to_numpy(),
            sensitive_features=pd.Series(learner_groups, name=attribute),
        ),
    }
    sizes = pd.Series(learner_groups).value_counts().rename("learners")
    by_group = pd.concat([sizes, *(frame.by_group for frame in frames.values())], axis=1)
    by_group.index.name = attribute
    by_group = by_group.sort_index()

    rng = np.random.RandomState(0)
    gaps = []
    comparable = by_group.index[by_group["learners"] >= MIN_GROUP]
    for metric, (function, per_answer) in _FUNCTIONS.items():
        values = by_group.loc[comparable, metric].dropna()
        if len(values) < 2:
            continue
        high, low = str(values.idxmax()), str(values.idxmin())
        if metric == "mastery_gain":
            y_all = learners["mastery_gain"].to_numpy()
            p_all, who, where = y_all, learners.index.to_numpy(), learner_groups
        elif per_answer:
            y_all = answers["correct"].to_numpy()
            p_all, who = answers["p_correct"].to_numpy(), answers["user_id"].to_numpy()
            where = answer_groups
        else:
            y_all, p_all = learners["at_risk"].to_numpy(), learners["flagged"].to_numpy()
            who, where = learners.index.to_numpy(), learner_groups
        errors = [
            _bootstrap(function, y_all[where == g], p_all[where == g], who[where == g], rng)
            for g in (high, low)
        ]
        difference = float(values[high] - values[low])
        error = math.sqrt(sum(e * e for e in errors)) if all(map(math.isfinite, errors)) else 0.0
        highlighted = difference >= MIN_GAPS[metric] and (
            error > 0 and difference > Z_HIGHLIGHT * error
        )
        gaps.append(Gap(metric, high, low, difference, error, highlighted))
    return FairnessReport(attribute, by_group, gaps)


def fairness_report(
    data: pd.DataFrame, roster: pd.DataFrame | None = None, seed: int = 0
) -> list[FairnessReport]:
    """One report per roster column (or per activity quartile without a roster).

    Parameters
    ----------
    data : pandas.DataFrame
        A response log in pyBKT's columns.
    roster : pandas.DataFrame, optional
        From :func:`read_roster`: index ``user_id``, one column per attribute.
    seed : int
        Of the 80/20 split by learner.

    Raises
    ------
    InvalidRequestError
        Too few learners, or no learner of the test split is in the roster.
    """
    from ..mastery.bkt import BKT

    data = sort_responses(validate(data))
    train, test = split_by_learner(data, seed)
    if train.empty or test.empty:
        raise InvalidRequestError(
            f"{data['user_id'].nunique()} learner(s) are too few for an 80/20 split by learner."
        )
    mastery = BKT().fit(train)
    answers = test[["user_id", "correct"]].assign(p_correct=mastery.predict_proba(test)[:, 1])
    risk_model = RiskModel().fit(train)
    learners = at_risk_labels(test, risk_model.horizon).to_frame()
    learners["flagged"] = (
        risk_model.risk(test).reindex(learners.index) >= risk_model.flag_threshold
    ).astype("int8")
    learners["mastery_gain"] = learner_gain(skill_progress(mastery, test)).reindex(learners.index)
    answers = answers[answers["user_id"].isin(learners.index)]
    if roster is None:
        audited = test[test["user_id"].isin(learners.index)]
        return [_report(ACTIVITY, activity_quartiles(audited), answers, learners)]
    known = learners.index.isin(roster.index)
    if not known.any():
        raise InvalidRequestError(
            "no learner of the data is in the roster: its `user_id` values must be the data's."
        )
    return [_report(str(column), roster[column], answers, learners) for column in roster.columns]
