"""Knowledge tracing benchmark: our models next to pyBKT's default and a PFA logistic baseline.

For each data set (pyBKT's columns, see /work/shared/data/README.md for the protocol):

- an 80/20 split by student (sorted ids shuffled with ``numpy.random.RandomState(0)``; test rows of
  skills never seen in training dropped): AUC, RMSE, fit and predict wall time;
- 5-fold cross-validated AUC by student (same shuffling), mean ± sd;
- the cost of one online update (per answer) next to a full refit.

Models: ``ours`` (the default, :class:`~jupyter_adaptive.mastery.logistic.LogisticKT`), ``ours-bkt``
(:class:`~jupyter_adaptive.mastery.bkt.BKT`, what the server shows), ``pyBKT`` (``Model(seed=42,
num_fits=5)``, ``fit`` then ``evaluate``) and ``PFA-LR`` (skill one-hot plus per-skill
``log(1 + earlier right / wrong)``). pyBKT and PFA read the four core columns only; ours also read
``problem_id``, ``template_id`` and ``timestamp`` when the file has them.

Usage::

    python benchmarks/mastery.py --data /work/shared/data/ct.csv.gz
    python benchmarks/mastery.py --all            # every *.csv.gz in --data-dir
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.metrics import roc_auc_score

from jupyter_adaptive.mastery.bkt import BKT, pybkt_core_is_compiled
from jupyter_adaptive.mastery.features import LearnerHistory
from jupyter_adaptive.mastery.logistic import PFA_FEATURES, LogisticKT
from jupyter_adaptive.mastery.online import posterior_after
from jupyter_adaptive.mastery.responses import (
    OPTIONAL_COLUMNS,
    REQUIRED_COLUMNS,
    read_responses,
    sort_responses,
)

DATA_DIR = Path("/work/shared/data")
CORE = list(REQUIRED_COLUMNS)

Predictor = Callable[[pd.DataFrame], np.ndarray]


def _fit_estimator(make: Callable[[], LogisticKT | BKT]) -> Callable[[pd.DataFrame], Predictor]:
    def fit(train: pd.DataFrame) -> Predictor:
        model = make().fit(train)
        return lambda test: model.predict_proba(test)[:, 1]

    return fit


def _fit_pybkt(train: pd.DataFrame) -> Predictor:
    from pyBKT.models import Model

    model = Model(seed=42, num_fits=5)
    model.fit(data=train[CORE])

    def predict(test: pd.DataFrame) -> np.ndarray:
        predicted = model.predict(data=test[CORE])
        return predicted["correct_predictions"].reindex(test.index).to_numpy()

    return predict


#: name -> (fit(train) returning a predictor, whether the model reads the optional columns)
MODELS: dict[str, tuple[Callable[[pd.DataFrame], Predictor], bool]] = {
    "ours": (_fit_estimator(LogisticKT), True),
    "ours-bkt": (_fit_estimator(BKT), True),
    "pyBKT": (_fit_pybkt, False),
    "PFA-LR": (_fit_estimator(lambda: LogisticKT(features=PFA_FEATURES)), False),
}


def load(path: Path) -> pd.DataFrame:
    """The file's core and optional columns, sorted by student then ``order_id``."""
    data = read_responses(path)
    columns = CORE + [c for c in OPTIONAL_COLUMNS if c in data]
    return sort_responses(data[columns]).reset_index(drop=True)


def _shuffled_users(data: pd.DataFrame) -> np.ndarray:
    users = np.array(sorted(data["user_id"].unique()))
    np.random.RandomState(0).shuffle(users)
    return users


def _split(data: pd.DataFrame, test_users: np.ndarray) -> tuple[pd.DataFrame, pd.DataFrame]:
    is_test = data["user_id"].isin(set(test_users))
    train, test = data[~is_test], data[is_test]
    test = test[test["skill_name"].isin(set(train["skill_name"]))]
    return train.reset_index(drop=True), test.reset_index(drop=True)


def holdout(data: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The 80/20 split by student of the data README's protocol."""
    users = _shuffled_users(data)
    return _split(data, users[: round(0.2 * len(users))])


def folds(data: pd.DataFrame, k: int) -> Iterator[tuple[pd.DataFrame, pd.DataFrame]]:
    """k train/test splits by student."""
    for part in np.array_split(_shuffled_users(data), k):
        yield _split(data, part)


def _columns(data: pd.DataFrame, full: bool) -> pd.DataFrame:
    return data if full else data[CORE]


def evaluate(name: str, train: pd.DataFrame, test: pd.DataFrame) -> dict[str, float]:
    fit, full = MODELS[name]
    started = time.perf_counter()
    predict = fit(_columns(train, full))
    fitted = time.perf_counter()
    p = predict(_columns(test, full))
    done = time.perf_counter()
    y = test["correct"].to_numpy()
    return {
        "auc": roc_auc_score(y, p),
        "rmse": float(np.sqrt(np.mean((p - y) ** 2))),
        "fit_s": fitted - started,
        "predict_s": done - fitted,
    }


def online_costs(train: pd.DataFrame, test: pd.DataFrame) -> dict[str, float]:
    """Microseconds per answer of the online paths: BKT update, and ours' predict + record."""
    bkt = BKT().fit(train)
    rows = list(test[["skill_name", "correct"]].itertuples(index=False))[:20000]
    started = time.perf_counter()
    state: dict[str, float] = {}
    for skill, correct in rows:
        params = bkt.params_for(skill)
        state[skill] = posterior_after(state.get(skill, params.prior), bool(correct), params)
    bkt_us = (time.perf_counter() - started) / len(rows) * 1e6

    ours = LogisticKT().fit(train)
    items = test["problem_id"] if "problem_id" in test else pd.Series([None] * len(test))
    stamps = test["timestamp"] if "timestamp" in test else pd.Series([None] * len(test))
    history = LearnerHistory()
    started = time.perf_counter()
    for (skill, correct), item, stamp in zip(rows, items, stamps, strict=False):
        ours.predict_next(history, skill, item, stamp)
        ours.record(history, skill, bool(correct), item, stamp)
    ours_us = (time.perf_counter() - started) / len(rows) * 1e6
    return {"bkt_update_us": bkt_us, "ours_update_us": ours_us}


def run(path: Path, k: int) -> dict[str, object]:
    data = load(path)
    train, test = holdout(data)
    print(f"\n## {path.name}: {len(train):,} train rows, {len(test):,} test rows", flush=True)
    results: dict[str, dict[str, float]] = {}
    for name in MODELS:
        results[name] = evaluate(name, train, test)
        if k > 1:
            aucs = [evaluate(name, tr, te)["auc"] for tr, te in folds(data, k)]
            results[name]["cv_mean"], results[name]["cv_sd"] = (
                float(np.mean(aucs)),
                float(np.std(aucs)),
            )
        print(f"  {name}: {results[name]}", flush=True)
    costs = online_costs(train, test)

    header = "| model | AUC | RMSE | fit s | predict s |" + (f" {k}-fold CV AUC |" if k > 1 else "")
    print("\n" + header)
    print("| --- | ---: | ---: | ---: | ---: |" + (" ---: |" if k > 1 else ""))
    for name, r in results.items():
        cv = f" {r['cv_mean']:.4f} ± {r['cv_sd']:.4f} |" if k > 1 else ""
        print(
            f"| {name} | {r['auc']:.4f} | {r['rmse']:.4f} | {r['fit_s']:.2f} |"
            f" {r['predict_s']:.2f} |{cv}"
        )
    print(
        f"\nours − pyBKT: AUC {results['ours']['auc'] - results['pyBKT']['auc']:+.4f}; "
        f"ours − PFA-LR: {results['ours']['auc'] - results['PFA-LR']['auc']:+.4f}"
    )
    print(
        f"online update per answer: BKT {costs['bkt_update_us']:.1f} µs, ours (predict + record) "
        f"{costs['ours_update_us']:.1f} µs; full refit of ours {results['ours']['fit_s']:.2f} s"
    )
    return {"dataset": path.stem.removesuffix(".csv"), "results": results, "costs": costs}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, action="append", help="a response log (repeatable)")
    parser.add_argument("--all", action="store_true", help="every *.csv.gz in --data-dir")
    parser.add_argument("--data-dir", type=Path, default=DATA_DIR)
    parser.add_argument("--folds", type=int, default=5, help="cross-validation folds (1: none)")
    args = parser.parse_args()
    paths = list(args.data or [])
    if args.all or not paths:
        paths += sorted(args.data_dir.glob("*.csv.gz"))
    print(f"pyBKT C++ core in use: {pybkt_core_is_compiled()}")
    summary = [run(path, args.folds) for path in paths]
    if len(summary) > 1:
        print("\n## Summary (80/20 split AUC)\n")
        print("| dataset | ours | ours-bkt | pyBKT | PFA-LR | ours − pyBKT |")
        print("| --- | ---: | ---: | ---: | ---: | ---: |")
        gains = []
        for s in summary:
            r = s["results"]
            assert isinstance(r, dict)
            gain = r["ours"]["auc"] - r["pyBKT"]["auc"]
            gains.append(gain)
            cells = " | ".join(f"{r[m]['auc']:.4f}" for m in MODELS)
            print(f"| {s['dataset']} | {cells} | {gain:+.4f} |")
        print(
            f"\nmean AUC gain of ours over pyBKT: {np.mean(gains):+.4f};"
            f" smallest: {min(gains):+.4f}"
        )


if __name__ == "__main__":
    main()
