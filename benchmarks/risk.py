"""At-risk benchmark: our AUC next to the baseline "proportion correct in the first half".

For each data set (pyBKT's columns), the protocol of ``jupyter-adaptive risk evaluate``: an 80/20
split by learner (sorted ids shuffled with ``numpy.random.RandomState(0)``), the model fitted on
the training learners' whole histories, both scores read from the test learners' first halves,
the label from their second halves (proportion correct below 0.6).

With ``--compare``, also a logistic regression over the same features (standardized), the
alternative the gradient boosting was chosen over, and both in 5-fold cross-validation by learner.

Usage::

    python benchmarks/risk.py --data /work/shared/data/ct.csv.gz
    python benchmarks/risk.py --all                 # every *.csv.gz in --data-dir
    python benchmarks/risk.py --all --compare
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
from jupyter_adaptive.risk.evaluation import baseline_risk, evaluate
from jupyter_adaptive.risk.halves import at_risk_labels
from jupyter_adaptive.risk.model import RiskModel

DATA_DIR = Path("/work/shared/data")


def _folds(data: pd.DataFrame, k: int) -> list[tuple[pd.DataFrame, pd.DataFrame]]:
    users = np.array(sorted(data["user_id"].unique()))
    np.random.RandomState(0).shuffle(users)
    result = []
    for part in np.array_split(users, k):
        is_test = data["user_id"].isin(set(part))
        result.append((data[~is_test], data[is_test]))
    return result


def compare(data: pd.DataFrame, k: int = 5) -> dict[str, float]:
    """Mean AUC over k folds by learner: ours, logistic regression on our features, baseline.

    Folds whose test learners are all of one kind have no AUC and are skipped.
    """
    scores: dict[str, list[float]] = {"ours": [], "logistic": [], "baseline": []}
    for train, test in _folds(data, k):
        model = RiskModel().fit(train)
        labels_train = at_risk_labels(train)
        features_train = model.features(train).reindex(labels_train.index)
        fill = features_train.median()
        linear = make_pipeline(StandardScaler(), LogisticRegression(max_iter=5000))
        linear.fit(features_train.fillna(fill), labels_train)
        labels = at_risk_labels(test)
        if labels.nunique() < 2:
            continue
        features = model.features(test).reindex(labels.index)
        scores["ours"].append(roc_auc_score(labels, model.decision_function(features)))
        scores["logistic"].append(
            roc_auc_score(labels, linear.predict_proba(features.fillna(fill))[:, 1])
        )
        scores["baseline"].append(roc_auc_score(labels, baseline_risk(test).reindex(labels.index)))
    return {name: float(np.mean(values)) for name, values in scores.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, help="one data set")
    parser.add_argument("--all", action="store_true", help="every *.csv.gz in --data-dir")
    parser.add_argument("--data-dir", type=Path, default=DATA_DIR)
    parser.add_argument("--compare", action="store_true", help="also LR and 5-fold CV")
    args = parser.parse_args()
    paths = sorted(args.data_dir.glob("*.csv.gz")) if args.all else [args.data]
    if not paths or paths == [None]:
        parser.error("give --data FILE or --all")
    header = "| data set | test learners | at risk | ours AUC | baseline AUC | gain | fit s |"
    if args.compare:
        header += " CV ours | CV logistic | CV baseline |"
    print(header)
    print("|" + " --- |" * (header.count("|") - 1))
    for path in paths:
        data = sort_responses(read_responses(path))
        started = time.perf_counter()
        result = evaluate(data)
        row = (
            f"| {path.name.removesuffix('.csv.gz')} | {result['test_learners']} "
            f"| {100 * result['test_at_risk_share']:.0f}% | {result['auc']:.4f} "
            f"| {result['baseline_auc']:.4f} | {result['gain']:+.4f} "
            f"| {time.perf_counter() - started:.1f} |"
        )
        if args.compare:
            cv = compare(data)
            row += f" {cv['ours']:.4f} | {cv['logistic']:.4f} | {cv['baseline']:.4f} |"
        print(row, flush=True)


if __name__ == "__main__":
    main()
