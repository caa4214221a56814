"""Calibration: whether a predicted 0.8 is right 80% of the time, and a map that makes it so.

A mastery bar a learner reads must mean what it says. :func:`expected_calibration_error` and
:func:`reliability_bins` measure it; :func:`fit_calibration` chooses, on held-out predictions, the
map (none, Platt scaling or, with enough answers, isotonic regression) whose cross-validated log
loss is lowest;
:class:`Calibration` applies it to one prediction (online) or many (batch) alike;
:func:`reliability_png` draws the reliability diagram.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass, field
from typing import Any

import numpy as np

__all__ = [
    "BINS",
    "ISOTONIC_MIN_ANSWERS",
    "Calibrated",
    "Calibration",
    "CalibrationReport",
    "expected_calibration_error",
    "fit_calibration",
    "reliability_bins",
    "reliability_png",
]

#: Equal-width probability bins of the calibration error and the reliability diagram.
BINS = 10
#: Held-out answers isotonic regression needs before it is tried: with fewer, its steps follow
#: the noise of the held-out learners and miscalibrate the model fitted on all of them.
ISOTONIC_MIN_ANSWERS = 10_000
#: How much lower (per answer) a map's cross-validated log loss must be than no map's.
_MIN_GAIN = 1e-4
_EPS = 1e-6


def _bin_index(p: np.ndarray, bins: int) -> np.ndarray:
    return np.minimum((np.asarray(p, dtype=np.float64) * bins).astype(np.int64), bins - 1)


def expected_calibration_error(y: Any, p: Any, bins: int = BINS) -> float:
    """The answer-weighted mean gap between predicted and observed rates over equal-width bins.

    Parameters
    ----------
    y : array-like of 0/1
        Outcomes.
    p : array-like of float
        Predicted probabilities of 1.
    bins : int
        Number of equal-width bins over [0, 1].
    """
    y = np.asarray(y, dtype=np.float64)
    p = np.asarray(p, dtype=np.float64)
    if len(y) == 0:
        return 0.0
    index = _bin_index(p, bins)
    count = np.bincount(index, minlength=bins)
    gap = np.bincount(index, weights=p - y, minlength=bins)
    return float(np.abs(gap).sum() / count.sum())


def reliability_bins(y: Any, p: Any, bins: int = BINS) -> list[dict[str, float]]:
    """Per non-empty bin: its range, how many answers fell in it, mean prediction, observed rate."""
    y = np.asarray(y, dtype=np.float64)
    p = np.asarray(p, dtype=np.float64)
    index = _bin_index(p, bins)
    count = np.bincount(index, minlength=bins)
    predicted = np.bincount(index, weights=p, minlength=bins)
    observed = np.bincount(index, weights=y, minlength=bins)
    return [
        {
            "low": b / bins,
            "high": (b + 1) / bins,
            "n": int(count[b]),
            "predicted": float(predicted[b] / count[b]),
            "observed": float(observed[b] / count[b]),
        }
        for b in range(bins)
        if count[b]
    ]


def _logit(p: np.ndarray) -> np.ndarray:
    p = np.clip(p, _EPS, 1.0 - _EPS)
    return np.log(p / (1.0 - p))


@dataclass(frozen=True)
class Calibration:
    """A monotone map from a model's probability to a calibrated one.

    ``method`` is ``none`` (identity), ``platt`` (``sigmoid(a * logit(p) + b)``) or ``isotonic``
    (piecewise linear through the points ``x`` → ``y``, constant beyond them).
    """

    method: str = "none"
    a: float = 1.0
    b: float = 0.0
    x: tuple[float, ...] = ()
    y: tuple[float, ...] = ()

    def apply(self, p: Any) -> np.ndarray:
        """The calibrated probabilities of an array of predictions."""
        p = np.asarray(p, dtype=np.float64)
        if self.method == "platt":
            return 1.0 / (1.0 + np.exp(-(self.a * _logit(p) + self.b)))
        if self.method == "isotonic":
            return np.interp(p, self.x, self.y)
        return p

    def apply_one(self, p: float) -> float:
        """The calibrated probability of one prediction (the online path; same numbers as
        :meth:`apply`)."""
        if self.method == "platt":
            q = min(max(p, _EPS), 1.0 - _EPS)
            return 1.0 / (1.0 + math.exp(-(self.a * math.log(q / (1.0 - q)) + self.b)))
        if self.method == "isotonic":
            return float(np.interp(p, self.x, self.y))
        return p

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready data for a model file."""
        if self.method == "platt":
            return {"method": "platt", "a": self.a, "b": self.b}
        if self.method == "isotonic":
            return {"method": "isotonic", "x": list(self.x), "y": list(self.y)}
        return {"method": "none"}

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> Calibration:
        """Rebuild from :meth:`as_dict` output (``None``: no calibration)."""
        if not data or data.get("method", "none") == "none":
            return cls()
        if data["method"] == "platt":
            return cls("platt", a=float(data["a"]), b=float(data["b"]))
        if data["method"] == "isotonic":
            x = tuple(float(v) for v in data["x"])
            y = tuple(float(v) for v in data["y"])
            if len(x) != len(y) or not x:
                raise ValueError("an isotonic calibration needs as many x as y values")
            return cls("isotonic", x=x, y=y)
        raise ValueError(f"unknown calibration method {data['method']!r}")


def _fit_map(method: str, y: np.ndarray, p: np.ndarray) -> Calibration:
    if method == "platt":
        from sklearn.linear_model import LogisticRegression

        fitted = LogisticRegression(C=1e6).fit(_logit(p).reshape(-1, 1), y)
        return Calibration("platt", a=float(fitted.coef_[0, 0]), b=float(fitted.intercept_[0]))
    if method == "isotonic":
        from sklearn.isotonic import IsotonicRegression

        fitted = IsotonicRegression(out_of_bounds="clip", y_min=0.0, y_max=1.0).fit(p, y)
        x = tuple(float(v) for v in fitted.X_thresholds_)
        values = tuple(float(v) for v in fitted.y_thresholds_)
        return Calibration("isotonic", x=x, y=values)
    return Calibration()


@dataclass(frozen=True)
class CalibrationReport:
    """How well a model's held-out predictions were calibrated, before and after the chosen map.

    ``ece_before`` and ``ece`` are measured on predictions the model made for learners it was not
    fitted on; the map is judged by cross-validation over those learners, so ``ece`` is what a new
    class can expect. ``bins`` is the reliability diagram of the held-out predictions after the map.
    """

    method: str
    ece_before: float
    ece: float
    n: int
    bins: list[dict[str, float]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready data for a model file."""
        return {
            "method": self.method,
            "ece_before": self.ece_before,
            "ece": self.ece,
            "n": self.n,
            "bins": self.bins,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> CalibrationReport:
        """Rebuild from :meth:`as_dict` output."""
        return cls(
            str(data["method"]),
            float(data["ece_before"]),
            float(data["ece"]),
            int(data["n"]),
            [dict(b) for b in data.get("bins", [])],
        )


def fit_calibration(
    y: Any, p: Any, groups: Any, folds: int = 5, seed: int = 0
) -> tuple[Calibration, CalibrationReport]:
    """The map that best calibrates held-out predictions, and the report of what it achieves.

    Each candidate (Platt; isotonic from :data:`ISOTONIC_MIN_ANSWERS` answers) is fitted on all
    folds of learners but one and applied to the one left out; the candidate with the lowest log
    loss over those out-of-fold predictions wins if it beats no map (a proper score: the
    calibration error of a few thousand answers is mostly noise). The winner is then refitted on
    every held-out prediction; the report gives the calibration error of the out-of-fold
    predictions before and after.

    Parameters
    ----------
    y, p : array-like
        Outcomes and the model's predictions for learners it was not fitted on.
    groups : array-like
        The learner of each prediction: folds never split a learner.
    folds : int
        Cross-validation folds over learners.
    seed : int
        Seed of the fold assignment.
    """
    y = np.asarray(y, dtype=np.float64)
    p = np.asarray(p, dtype=np.float64)
    learners, inverse = np.unique(np.asarray(groups), return_inverse=True)
    fold_of = np.random.RandomState(seed).randint(0, folds, size=len(learners))[inverse]
    pooled: dict[str, np.ndarray] = {}
    both = len(np.unique(y)) == 2
    candidates = ("platt", "isotonic") if len(y) >= ISOTONIC_MIN_ANSWERS else ("platt",)
    for method in ("none", *candidates):
        out = p.copy()
        for k in range(folds):
            test = fold_of == k
            train = ~test
            if method != "none" and test.any() and both and len(np.unique(y[train])) == 2:
                out[test] = _fit_map(method, y[train], p[train]).apply(p[test])
        pooled[method] = out
    losses = {method: _log_loss(y, out) for method, out in pooled.items()}
    best = min(candidates, key=losses.__getitem__)
    method = best if losses[best] <= losses["none"] - _MIN_GAIN else "none"
    calibration = _fit_map(method, y, p) if both else Calibration()
    report = CalibrationReport(
        calibration.method,
        expected_calibration_error(y, pooled["none"]),
        expected_calibration_error(y, pooled[calibration.method]),
        len(y),
        reliability_bins(y, pooled[calibration.method]),
    )
    return calibration, report


def _log_loss(y: np.ndarray, p: np.ndarray) -> float:
    q = np.clip(p, _EPS, 1.0 - _EPS)
    return float(-np.mean(y * np.log(q) + (1.0 - y) * np.log(1.0 - q)))


def reliability_png(
    report: CalibrationReport, path: str | os.PathLike[str], title: str = "Reliability"
) -> None:
    """Draw the reliability diagram of a report (observed rate against mean prediction per bin,
    point size by answers) as a PNG, written atomically."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    from .atomic_write import write_atomically

    figure = Figure(figsize=(4.2, 4.2), dpi=100)
    axes = figure.add_subplot()
    axes.plot([0, 1], [0, 1], color="#999999", linestyle="--", linewidth=1, label="perfect")
    if report.bins:
        total = sum(b["n"] for b in report.bins)
        x = [b["predicted"] for b in report.bins]
        y = [b["observed"] for b in report.bins]
        sizes = [20 + 400 * b["n"] / total for b in report.bins]
        axes.plot(x, y, color="#1f77b4", linewidth=1)
        axes.scatter(x, y, s=sizes, color="#1f77b4", label="held-out answers")
    axes.set_xlim(0, 1)
    axes.set_ylim(0, 1)
    axes.set_xlabel("predicted P(right)")
    axes.set_ylabel("observed share right")
    method = "" if report.method == "none" else f", {report.method}"
    axes.set_title(f"{title}\nECE {report.ece:.3f} (before {report.ece_before:.3f}{method})")
    axes.legend(loc="upper left", fontsize=8)
    figure.tight_layout()
    write_atomically(path, lambda temporary: figure.savefig(temporary, format="png"))


class Calibrated:
    """What every mastery estimator shares: its calibration map (identity until
    :func:`~jupyter_adaptive.mastery.fitting.fit_model` sets one) and the report behind it,
    applied alike to batch predictions and to the online path."""

    calibration_: Calibration = Calibration()
    calibration_report_: CalibrationReport | None = None

    def _calibration_params(self) -> dict[str, Any]:
        report = self.calibration_report_
        return {
            "calibration": self.calibration_.as_dict(),
            "calibration_report": report.as_dict() if report is not None else None,
        }

    def _read_calibration(self, params: dict[str, Any]) -> None:
        self.calibration_ = Calibration.from_dict(params.get("calibration"))
        report = params.get("calibration_report")
        self.calibration_report_ = CalibrationReport.from_dict(report) if report else None
