"""The at-risk benchmark's AUC ranks only learners scored by the same fitted model."""

import pandas as pd
import pytest
from sklearn.metrics import roc_auc_score

from benchmarks.risk import within_fold_auc


def test_within_fold_auc_ignores_how_each_fold_is_calibrated() -> None:
    labels = pd.Series([1, 0, 0, 1, 0, 0], index=list("abcdef"))
    # Each fold's model ranks its learners perfectly, the second on a higher scale.
    parts = [
        pd.Series([0.3, 0.1, 0.2], index=list("abc")),
        pd.Series([0.9, 0.5, 0.6], index=list("def")),
    ]
    pooled = pd.concat(parts).reindex(labels.index)
    assert roc_auc_score(labels, pooled) < 1.0
    assert within_fold_auc(labels, parts) == 1.0


def test_within_fold_auc_weights_folds_by_their_pairs() -> None:
    labels = pd.Series([1, 0, 0, 1, 1, 0, 0, 0], index=list("abcdefgh"))
    parts = [
        pd.Series([0.9, 0.1, 0.2], index=list("abc")),  # 2 pairs, AUC 1
        pd.Series([0.1, 0.2, 0.5, 0.6], index=list("defg")),  # 4 pairs, AUC 0
        pd.Series([0.4], index=["h"]),  # no pair: left out
    ]
    assert within_fold_auc(labels, parts) == pytest.approx(2 / 6)
