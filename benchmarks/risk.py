"""At-risk benchmark: our AUC next to the same-horizon baseline, per horizon and data set.

A teacher is warned after each learner's first ``K`` attempts (the horizon, see
``jupyter_adaptive.risk.horizon``); the label is the proportion correct over the attempts that
follow (below 0.6: at risk). Both scores read the same first ``K`` attempts of the same learners:
ours is the fitted model's risk, the baseline one minus the proportion correct over those ``K``
attempts. Nothing a score reads depends on the learner's future, not even how many attempts follow.

Every labelled learner is scored out of fold: 5 folds by learner (sorted ids shuffled with
``numpy.random.RandomState(0)``), the model fitted on the other four folds' whole histories. The
AUC is taken over every pair of an at-risk and an on-track learner *in the same fold*, so each
pair is ranked by one fitted model, as a teacher's class is (the per-fold AUCs weighted by their
pairs; small data sets are still judged on all their learners, not on one split of a few dozen).
Pooling the scores of five differently calibrated models into one AUC would also rank learners of
different folds against each other by whichever model was fitted there, a comparison the
baseline, the same function in every fold, never makes: on the small data sets the pooled gain
is up to 0.09 lower. It is printed too. With ``--compare``, also a logistic regression
over the same features (standardized).

Usage::

    python benchmarks/risk.py --data /work/shared/data/ct.csv.gz
    python benchmarks/risk.py --all                 # every *.csv.gz in --data-dir
    python benchmarks/risk.py --all --horizons 5 10 20 --compare
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from jupyter_adaptive.mastery.responses import read_responses, sort_responses
from jupyter_adaptive.risk.evaluation import baseline_risk
from jupyter_adaptive.risk.horizon import HORIZONS, at_risk_labels
from jupyter_adaptive.risk.model import RiskModel

DATA_DIR = Path("/work/shared/data")
FOLDS = 5


def _folds(data: pd.DataFrame, k: int) -> list[tuple[pd.DataFrame, pd.DataFrame]]:
    users = np.array(sorted(data["user_id"].unique()))
    np.random.RandomState(0).shuffle(users)
    result = []
    for part in np.array_split(users, k):
        is_test = data["user_id"].isin(set(part))
        result.append((data[~is_test], data[is_test]))
    return result


def _logistic(model: RiskModel, train: pd.DataFrame, test: pd.DataFrame) -> pd.Series:
    """Risk from a logistic regression over the model's features, fitted on ``train``."""
    labels = at_risk_labels(train, model.horizon)
    features = model.features(train).reindex(labels.index)
    fill = features.median()
    linear = make_pipeline(StandardScaler(), LogisticRegression(max_iter=5000))
    linear.fit(features.fillna(fill), labels)
    scored = model.features(test)
    return pd.Series(linear.predict_proba(scored.fillna(fill))[:, 1], index=scored.index)


def within_fold_auc(labels: pd.Series, parts: list[pd.Series]) -> float:
    """AUC over the pairs of an at-risk and an on-track learner scored in the same part (fold):
    the parts' AUCs weighted by their number of such pairs."""
    total = weight = 0.0
    for part in parts:
        part_labels = labels.reindex(part.index).dropna()
        pairs = float(part_labels.sum() * (len(part_labels) - part_labels.sum()))
        if pairs:
            total += pairs * roc_auc_score(part_labels, part.reindex(part_labels.index))
            weight += pairs
    return total / weight


def out_of_fold(data: pd.DataFrame, horizon: int, compare: bool = False) -> dict[str, float]:
    """AUCs over every labelled learner at ``horizon``, each scored by a model that did not see
    them: ours, the baseline and (``compare``) logistic regression, within folds (``name``) and
    pooled (``name_pooled``); learners, share at risk."""
    labels = at_risk_labels(data, horizon)
    scores: dict[str, list[pd.Series]] = {"ours": [], "baseline": [], "logistic": []}
    for train, test in _folds(data, FOLDS):
        if train.empty or test.empty:
            continue
        model = RiskModel(horizon=horizon).fit(train)
        scores["ours"].append(model.risk(test))
        scores["baseline"].append(baseline_risk(test, horizon))
        if compare:
            scores["logistic"].append(_logistic(model, train, test))
    result = {"learners": float(len(labels)), "at_risk": float(labels.mean())}
    for name, parts in scores.items():
        if parts:
            pooled = pd.concat(parts).reindex(labels.index)
            result[f"{name}_pooled"] = float(roc_auc_score(labels, pooled))
            result[name] = within_fold_auc(labels, parts)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, help="one data set")
    parser.add_argument("--all", action="store_true", help="every *.csv.gz in --data-dir")
    parser.add_argument("--data-dir", type=Path, default=DATA_DIR)
    parser.add_argument("--horizons", type=int, nargs="+", default=list(HORIZONS), metavar="K")
    parser.add_argument("--compare", action="store_true", help="also logistic regression")
    args = parser.parse_args()
    paths = sorted(args.data_dir.glob("*.csv.gz")) if args.all else [args.data]
    if not paths or paths == [None]:
        parser.error("give --data FILE or --all")
    header = (
        "| data set | K | learners | at risk | ours AUC | baseline AUC | gain | pooled gain | s |"
    )
    if args.compare:
        header += " logistic AUC |"
    print(header)
    print("|" + " --- |" * (header.count("|") - 1))
    for path in paths:
        data = sort_responses(read_responses(path))
        for horizon in args.horizons:
            started = time.perf_counter()
            result = out_of_fold(data, horizon, args.compare)
            row = (
                f"| {path.name.removesuffix('.csv.gz')} | {horizon} | {result['learners']:.0f} "
                f"| {100 * result['at_risk']:.0f}% | {result['ours']:.4f} "
                f"| {result['baseline']:.4f} | {result['ours'] - result['baseline']:+.4f} "
                f"| {result['ours_pooled'] - result['baseline_pooled']:+.4f} "
                f"| {time.perf_counter() - started:.0f} |"
            )
            if args.compare:
                row += f" {result['logistic']:.4f} |"
            print(row, flush=True)


if __name__ == "__main__":
    main()
