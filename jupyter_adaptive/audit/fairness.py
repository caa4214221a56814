"""Fairness per subgroup: the early-warning model's AUC, calibration and error rates, mastery gain
and time to mastery, and the gap between the best and the worst group with its bootstrap standard
error.

Mastery gain and answers to mastery are the dashboard's own figures (:mod:`..dashboard.success`:
the Success tab's group bars and gaps), read with the same functions. The early-warning figures
are over the learners that reached the model's horizon and have enough attempts after it to be
labelled (:mod:`..risk.horizon`). The scores are the deployment's model when one is given (the
dashboard's ``--risk-model``: :func:`~..dashboard.at_risk.model_risks`); otherwise the model is
fitted on this class in :data:`FOLDS` folds by learner, each learner scored by the model fitted on
the other folds, so no learner is scored by a model that saw their own outcome.

Standard errors: :data:`RESAMPLES` bootstrap resamples of the learners within each of the two
groups (with all their rows: skills for mastery, one row each for early warning), from a seeded
generator; the standard error is the spread (``ddof=1``) of the resampled gaps.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from ..dashboard.success import Progress, group_gaps, grouped, intervals
from ..errors import InvalidRequestError
from ..mastery.responses import stored_responses, validate
from ..store import Store

if TYPE_CHECKING:
    from ..risk.model import RiskModel

__all__ = [
    "FOLDS",
    "METRICS",
    "RESAMPLES",
    "EarlyWarning",
    "LearnerRisk",
    "early_warning",
    "risk_row",
    "subgroup_fairness",
]

#: Folds by learner of the early-warning model fitted on the class.
FOLDS = 5
#: Bootstrap resamples of learners behind each gap's standard error.
RESAMPLES = 200

_Row = tuple[float, ...]
_Metric = Callable[[list[_Row]], float | None]


@dataclass(frozen=True)
class LearnerRisk:
    """One labelled learner: the model's risk, whether it flags them, and whether they were in
    fact at risk after the horizon."""

    learner: str
    risk: float
    flagged: bool
    at_risk: bool


@dataclass(frozen=True)
class EarlyWarning:
    """The early-warning scores of the class, which model made them, or why there are none."""

    source: str
    horizon: int
    learners: list[LearnerRisk] = field(default_factory=list)
    not_measured: str = ""


def _out_of_fold(data: Any, folds: int, seed: int) -> tuple[dict[str, tuple[float, bool]], int]:
    from ..risk.model import RiskModel

    users = np.array(sorted(data["user_id"].unique()))
    np.random.RandomState(seed).shuffle(users)
    scores: dict[str, tuple[float, bool]] = {}
    horizon = RiskModel().horizon
    for part in np.array_split(users, folds):
        held = data["user_id"].isin(set(part))
        model = RiskModel().fit(data[~held])
        for learner, risk in model.risk(data[held]).items():
            scores[str(learner)] = (float(risk), bool(risk >= model.flag_threshold))
    return scores, horizon


def early_warning(
    store: Store,
    course: str,
    risk_model: RiskModel | None = None,
    *,
    folds: int = FOLDS,
    seed: int = 0,
) -> EarlyWarning:
    """The early-warning model's risk and flag for every labelled learner of the course."""
    from ..dashboard.at_risk import model_risks
    from ..risk.horizon import DEFAULT_HORIZON, at_risk_labels

    if risk_model is not None:
        source = "the deployment's early-warning model (the dashboard's --risk-model)"
        horizon = risk_model.horizon
    else:
        source = (
            f"an early-warning model fitted on this class in {folds} folds by learner (each "
            "learner scored by the model fitted on the other folds)"
        )
        horizon = DEFAULT_HORIZON
    try:
        data = validate(stored_responses(store, course), f"course {course}")
        labels = at_risk_labels(data, horizon)
        if risk_model is not None:
            scores = {
                r.learner: (r.score, r.flagged) for r in model_risks(store, course, risk_model)
            }
        else:
            scores, horizon = _out_of_fold(data, folds, seed)
    except (InvalidRequestError, ValueError) as exc:
        return EarlyWarning(source, horizon, not_measured=str(exc))
    learners = [
        LearnerRisk(str(learner), *scores[str(learner)], bool(label))
        for learner, label in labels.items()
        if str(learner) in scores
    ]
    return EarlyWarning(source, horizon, learners)


def _auc(rows: list[_Row]) -> float | None:
    from sklearn.metrics import roc_auc_score

    labels = [row[2] for row in rows]
    if not 0 < sum(labels) < len(labels):
        return None
    return float(roc_auc_score(labels, [row[0] for row in rows]))


def _calibration(rows: list[_Row]) -> float | None:
    if not rows:
        return None
    return sum(row[0] - row[2] for row in rows) / len(rows)


def _rate(flag_is: bool, among: bool) -> _Metric:
    def rate(rows: list[_Row]) -> float | None:
        chosen = [row for row in rows if bool(row[2]) is among]
        return sum(bool(row[1]) is flag_is for row in chosen) / len(chosen) if chosen else None

    return rate


def _mean(rows: list[_Row]) -> float | None:
    return sum(row[0] for row in rows) / len(rows) if rows else None


#: Metric -> (what it is, its function over rows, which rows: early warning or mastery).
METRICS: dict[str, tuple[str, _Metric, str]] = {
    "early_warning_auc": ("early-warning AUC (at risk vs not)", _auc, "risk"),
    "early_warning_calibration": (
        "early-warning calibration (mean risk minus share at risk)",
        _calibration,
        "risk",
    ),
    "false_positive_rate": ("flagged, yet on track", _rate(True, False), "risk"),
    "false_negative_rate": ("at risk, yet not flagged", _rate(False, True), "risk"),
    "mastery_gain": ("mean mastery gain per skill", _mean, "gain"),
    "answers_to_mastery": ("mean answers to mastery", _mean, "answers"),
}


def risk_row(risk: LearnerRisk) -> tuple[float, ...]:
    """One learner's row of the early-warning metrics: risk, flagged, at risk."""
    return (risk.risk, float(risk.flagged), float(risk.at_risk))


def _rows_by_learner(
    progress: Sequence[Progress], warning: EarlyWarning
) -> dict[str, dict[str, list[_Row]]]:
    rows: dict[str, dict[str, list[_Row]]] = {"risk": {}, "gain": {}, "answers": {}}
    for r in warning.learners:
        rows["risk"][r.learner] = [risk_row(r)]
    for row in progress:
        rows["gain"].setdefault(row.learner, []).append((row.gain,))
        if row.time_to_mastery:
            rows["answers"].setdefault(row.learner, []).append((float(row.time_to_mastery),))
    return rows


def _bootstrap_se(
    metric: _Metric,
    rows: Mapping[str, list[_Row]],
    high: list[str],
    low: list[str],
    rng: np.random.Generator,
    resamples: int,
) -> float | None:
    gaps = []
    for _ in range(resamples):
        values = []
        for members in (high, low):
            chosen = rng.integers(0, len(members), len(members))
            values.append(metric([row for i in chosen for row in rows.get(members[i], [])]))
        if values[0] is not None and values[1] is not None:
            gaps.append(values[0] - values[1])
    return float(np.std(gaps, ddof=1)) if len(gaps) > 1 else None


def subgroup_fairness(
    progress: list[Progress],
    roster: Mapping[str, Mapping[str, str]],
    warning: EarlyWarning,
    *,
    seed: int = 0,
    resamples: int = RESAMPLES,
) -> list[dict[str, Any]]:
    """Per roster column with two groups or more (:func:`~..dashboard.success.group_gaps`): each
    group's figures and, per metric, the gap between its best and worst group with the bootstrap
    standard error. JSON-ready."""
    rng = np.random.default_rng(seed)
    rows = _rows_by_learner(progress, warning)
    found = []
    for gap in group_gaps(progress, roster):
        column = gap.attribute
        members: dict[str, list[str]] = {}
        for learner in sorted({row.learner for row in progress} | set(rows["risk"])):
            group = roster.get(learner, {}).get(column)
            if group:
                members.setdefault(group, []).append(learner)
        groups = grouped(progress, column, roster)
        gains = {i.name: i for i in intervals(groups, "gain")}
        answers = {i.name: i for i in intervals(groups, "answers")}
        figures: dict[str, dict[str, float | None]] = {}
        table = []
        for summary in gap.groups:
            name = summary.name
            risk_rows = [row for who in members.get(name, []) for row in rows["risk"].get(who, [])]
            figures[name] = {
                metric: function(risk_rows)
                for metric, (_, function, kind) in METRICS.items()
                if kind == "risk"
            }
            figures[name]["mastery_gain"] = gains[name].mean if name in gains else None
            figures[name]["answers_to_mastery"] = answers[name].mean if name in answers else None
            table.append(
                {
                    "group": name,
                    "learners": summary.learners,
                    "labelled_learners": len(risk_rows),
                    **figures[name],
                    "mastery_gain_interval": _bounds(gains.get(name)),
                    "answers_to_mastery_interval": _bounds(answers.get(name)),
                    "mastered_share": summary.mastered_share,
                    "median_answers_to_mastery": summary.median_time_to_mastery,
                    "median_minutes_to_mastery": summary.median_minutes_to_mastery,
                }
            )
        gaps = []
        for metric, (meaning, function, kind) in METRICS.items():
            known = {g: v[metric] for g, v in figures.items() if v[metric] is not None}
            if len(known) < 2:
                continue
            high = max(known, key=lambda g: (known[g], g))
            low = min(known, key=lambda g: (known[g], g))
            difference = float(known[high] or 0.0) - float(known[low] or 0.0)
            error = _bootstrap_se(function, rows[kind], members[high], members[low], rng, resamples)
            gaps.append(
                {
                    "metric": metric,
                    "meaning": meaning,
                    "high_group": high,
                    "low_group": low,
                    "gap": difference,
                    "standard_error": error,
                    "z": difference / error if error else None,
                }
            )
        found.append({"attribute": column, "groups": table, "gaps": gaps})
    return found


def _bounds(interval: Any) -> list[float] | None:
    return None if interval is None else [interval.low, interval.high]
