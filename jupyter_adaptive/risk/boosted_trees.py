"""Gradient-boosted trees as plain numbers: the decisions of a fitted
:class:`~sklearn.ensemble.HistGradientBoostingClassifier`, computed with numpy.

Risk model files hold numbers only (see :mod:`.model_file`), so the trees are read out of
scikit-learn once, right after fitting, and evaluated here as scikit-learn evaluates them: a value
at or below a node's threshold goes left, a missing value goes where the node sends missing
values, and the trees' leaf values are added to the baseline one tree after another, so the sums
are scikit-learn's to the last bit.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from sklearn.ensemble import HistGradientBoostingClassifier

__all__ = ["BoostedTrees"]

#: Rows evaluated at once: the fastest of 256 to 8192 (the rows x trees arrays fit in cache).
_CHUNK = 1024


class BoostedTrees:
    """Trees whose leaf values, added to ``baseline``, are the log-odds of the positive class.

    The nodes of all trees are numbered together, each tree's root first and every child after
    its parent.

    Parameters
    ----------
    baseline : float
    n_features : int
        Values in a row.
    roots : numpy.ndarray of int
        Number of each tree's root node.
    feature, threshold, missing_go_to_left, left, right, is_leaf, value : numpy.ndarray
        Per node. A split sends a value at or below ``threshold`` (``+inf``: every value that is
        not missing) to ``left``, a missing one as ``missing_go_to_left`` says; a leaf adds
        ``value``.

    Raises
    ------
    ValueError
        The trees are inconsistent: a split names a feature out of range, or a child that does
        not come after its parent (which could make evaluation loop forever).
    """

    def __init__(
        self,
        baseline: float,
        n_features: int,
        roots: np.ndarray,
        *,
        feature: np.ndarray,
        threshold: np.ndarray,
        missing_go_to_left: np.ndarray,
        left: np.ndarray,
        right: np.ndarray,
        is_leaf: np.ndarray,
        value: np.ndarray,
    ) -> None:
        self.baseline = baseline
        self.n_features = n_features
        self.roots = roots
        self.feature = feature
        self.threshold = threshold
        self.missing_go_to_left = missing_go_to_left
        self.left = left
        self.right = right
        self.is_leaf = is_leaf
        self.value = value
        self._check()
        # For evaluation: a leaf is its own child, so every row can take as many steps as the
        # deepest tree has levels. A split that sends missing values right reads the rows as they
        # are (NaN <= threshold is false); one that sends them left reads column
        # ``n_features + feature`` of the rows' copy with missing values as -inf.
        nodes = np.arange(len(value))
        self._left = np.where(is_leaf, nodes, left)
        self._right = np.where(is_leaf, nodes, right)
        self._column = np.where(is_leaf, 0, feature + n_features * missing_go_to_left)
        self._levels = 0
        inner = roots[~is_leaf[roots]]
        while inner.size:
            self._levels += 1
            children = np.concatenate([left[inner], right[inner]])
            inner = children[~is_leaf[children]]

    def _check(self) -> None:
        n = len(self.value)
        arrays = (self.feature, self.threshold, self.missing_go_to_left, self.left, self.right)
        if any(a.shape != (n,) for a in (*arrays, self.is_leaf)) or self.roots.ndim != 1:
            raise ValueError("the trees' node lists differ in length")
        if len(self.roots) and (self.roots[0] != 0 or np.any(np.diff(self.roots) <= 0)):
            raise ValueError("the trees' roots are not in order")
        if np.any(self.roots >= n):
            raise ValueError("a tree has no nodes")
        inner = np.flatnonzero(~self.is_leaf)
        for child in (self.left[inner], self.right[inner]):
            if np.any(child <= inner) or np.any(child >= n):
                raise ValueError("a split's child does not come after it")
        feature = self.feature[inner]
        if np.any(feature < 0) or np.any(feature >= self.n_features):
            raise ValueError(f"a split names a feature beyond the {self.n_features} of a row")

    @classmethod
    def from_estimator(cls, estimator: HistGradientBoostingClassifier) -> BoostedTrees:
        """The trees of a binary classifier fitted on numerical features.

        scikit-learn keeps them in private attributes (unchanged since 0.21); the tests compare
        the decisions with scikit-learn's own.
        """
        tables = [predictor.nodes for (predictor,) in estimator._predictors]
        sizes = [len(table) for table in tables]
        roots = np.cumsum([0, *sizes[:-1]], dtype=np.int64)
        nodes = np.concatenate(tables)
        offsets = np.repeat(roots, sizes)
        return cls(
            float(estimator._baseline_prediction[0, 0]),
            int(estimator.n_features_in_),
            roots,
            feature=nodes["feature_idx"].astype(np.int64),
            threshold=nodes["num_threshold"].astype(np.float64),
            missing_go_to_left=nodes["missing_go_to_left"].astype(bool),
            left=nodes["left"].astype(np.int64) + offsets,
            right=nodes["right"].astype(np.int64) + offsets,
            is_leaf=nodes["is_leaf"].astype(bool),
            value=nodes["value"].astype(np.float64),
        )

    def decision_function(self, X: np.ndarray) -> np.ndarray:
        """Log-odds of the positive class for rows of feature values."""
        X = np.asarray(X, dtype=np.float64)
        if X.ndim != 2 or X.shape[1] != self.n_features:
            raise ValueError(f"rows of {self.n_features} values expected, got shape {X.shape}")
        decision = np.full(len(X), self.baseline)
        for start in range(0, len(X), _CHUNK):
            part = decision[start : start + _CHUNK]
            for leaf_values in self.value[self._leaves(X[start : start + _CHUNK])].T:
                part += leaf_values
        return decision

    def _leaves(self, X: np.ndarray) -> np.ndarray:
        """The leaf each row reaches in each tree (rows x trees)."""
        both = np.hstack([X, np.where(np.isnan(X), -np.inf, X)]).ravel()
        row_starts = (np.arange(len(X)) * 2 * self.n_features)[:, None]
        node = np.repeat(self.roots[None, :], len(X), axis=0)
        for _ in range(self._levels):
            go_left = both[row_starts + self._column[node]] <= self.threshold[node]
            node = np.where(go_left, self._left[node], self._right[node])
        return node

    def to_params(self) -> dict[str, Any]:
        """JSON-ready data; a threshold of ``+inf`` is written as ``null``."""
        return {
            "baseline": self.baseline,
            "n_features": self.n_features,
            "roots": self.roots.tolist(),
            "feature": self.feature.tolist(),
            "threshold": [None if np.isposinf(t) else t for t in self.threshold.tolist()],
            "missing_go_to_left": self.missing_go_to_left.tolist(),
            "left": self.left.tolist(),
            "right": self.right.tolist(),
            "is_leaf": self.is_leaf.tolist(),
            "value": self.value.tolist(),
        }

    @classmethod
    def from_params(cls, params: dict[str, Any]) -> BoostedTrees:
        """Rebuild from :meth:`to_params` output (raises as the constructor does)."""
        threshold = [np.inf if t is None else t for t in params["threshold"]]
        return cls(
            float(params["baseline"]),
            int(params["n_features"]),
            np.asarray(params["roots"], dtype=np.int64),
            feature=np.asarray(params["feature"], dtype=np.int64),
            threshold=np.asarray(threshold, dtype=np.float64),
            missing_go_to_left=np.asarray(params["missing_go_to_left"], dtype=bool),
            left=np.asarray(params["left"], dtype=np.int64),
            right=np.asarray(params["right"], dtype=np.int64),
            is_leaf=np.asarray(params["is_leaf"], dtype=bool),
            value=np.asarray(params["value"], dtype=np.float64),
        )
