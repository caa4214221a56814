"""The check-in against a fixed form of the same pool, on simulated learners
(``jupyter-adaptive simulate-check``, ``benchmarks/assessment.py``).

Learners' abilities are drawn from N(0, 1) and each one's answer to every item of the pool is
drawn once from the 2PL with the ``truth`` parameters (the pool's own when no other truth is
given), so both designs score the same answers. The check-in (:func:`~.cat.select_next`, with its
exposure control across the simulated class) and the fixed form select and score with the pool's
parameters. The fixed form asks the pool's items in order of information at the prior mean, the
same items to everyone; its length at equal precision is the shortest with as large a share of
learners at the target standard error as the check-in, and a mean standard error no larger
(``fixed``); ``fixed_at_mean_se`` is the shortest with a mean standard error no larger alone,
a weaker criterion that ignores how many learners stay imprecisely measured.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from .cat import CatSettings, select_next
from .irt import GRID, information, probability
from .item_bank import ItemParameters

__all__ = ["simulate_check"]


def _fixed_form(
    pool: Sequence[ItemParameters], right: np.ndarray
) -> tuple[list[int], np.ndarray, np.ndarray]:
    """The fixed form's item order, and each learner's EAP and SE after every prefix of it
    (arrays learners x length)."""
    a = np.array([p.a for p in pool])
    b = np.array([p.b for p in pool])
    order = [int(j) for j in np.argsort(-information(0.0, a, b), kind="stable")]
    p = probability(GRID[:, None], a[order], b[order])  # grid x items
    log_right, log_wrong = np.log(np.maximum(p, 1e-300)), np.log(np.maximum(1 - p, 1e-300))
    answers = right[:, order]  # learners x items
    loglik = np.where(answers[:, :, None], log_right.T[None], log_wrong.T[None]).cumsum(axis=1)
    log_posterior = loglik - 0.5 * GRID**2
    weights = np.exp(log_posterior - log_posterior.max(axis=2, keepdims=True))
    weights /= weights.sum(axis=2, keepdims=True)
    theta = weights @ GRID
    se = np.sqrt(np.einsum("lkg,lkg->lk", weights, (GRID[None, None] - theta[..., None]) ** 2))
    return order, theta, se


def simulate_check(
    pool: Sequence[ItemParameters],
    learners: int,
    seed: int,
    settings: CatSettings | None = None,
    truth: Mapping[str, tuple[float, float]] | None = None,
    areas: Mapping[str, tuple[str, ...]] | None = None,
) -> dict[str, Any]:
    """Run ``learners`` simulated learners through the check-in and the fixed form.

    Returns ``{"cat": {...}, "fixed": {...}, "items_share", "pool", "learners", "seed"}``; each
    design has ``items_mean`` (items asked), ``se_mean`` (standard error at the end),
    ``corr_theta`` (correlation of the estimates with the true abilities) and ``reached`` (share
    of learners whose SE reached the target); the check-in also ``max_exposure`` (the largest
    share of learners any item was asked to) and its stop reasons.
    """
    settings = settings or CatSettings()
    rng = np.random.default_rng(seed)
    theta = rng.normal(0.0, 1.0, learners)
    true = truth or {p.item: (p.a, p.b) for p in pool}
    a_true = np.array([true[p.item][0] for p in pool])
    b_true = np.array([true[p.item][1] for p in pool])
    right = rng.random((learners, len(pool))) < probability(theta[:, None], a_true, b_true)
    column = {p.item: j for j, p in enumerate(pool)}

    exposure: Counter[str] = Counter()
    used, ses, estimates = [], [], []
    stops: Counter[str] = Counter()
    for learner in range(learners):
        answers: list[tuple[str, bool]] = []
        while True:
            step = select_next(pool, answers, settings, exposure, learner + 1, areas)
            if step.item is None:
                break
            exposure[step.item.item] += 1
            answers.append((step.item.item, bool(right[learner, column[step.item.item]])))
        stops[str(step.stop)] += 1
        used.append(len(answers))
        ses.append(step.ability.se)
        estimates.append(step.ability.theta)
    cat = _summary(np.array(used, float), np.array(ses), np.array(estimates), theta, settings)
    cat["max_exposure"] = round(max(exposure.values()) / learners, 3)
    cat["stops"] = dict(sorted(stops.items()))

    _order, fixed_theta, fixed_se = _fixed_form(pool, right)
    reached = (fixed_se <= settings.se_target).mean(axis=0)
    mean_se = fixed_se.mean(axis=0)
    equal = np.flatnonzero((reached >= cat["reached"]) & (mean_se <= cat["se_mean"]))
    length = int(equal[0]) + 1 if len(equal) else len(pool)
    fixed = _summary(
        np.full(learners, float(length)),
        fixed_se[:, length - 1],
        fixed_theta[:, length - 1],
        theta,
        settings,
    )
    at_mean_se = (
        int(np.argmax(mean_se <= cat["se_mean"])) + 1
        if (mean_se <= cat["se_mean"]).any()
        else len(pool)
    )
    return {
        "cat": cat,
        "fixed": fixed,
        "fixed_at_mean_se": {
            "items": at_mean_se,
            "se_mean": round(float(mean_se[at_mean_se - 1]), 4),
            "items_share": round(cat["items_mean"] / at_mean_se, 3),
        },
        "items_share": round(cat["items_mean"] / fixed["items_mean"], 3),
        "pool": len(pool),
        "learners": learners,
        "seed": seed,
    }


def _summary(
    used: np.ndarray, se: np.ndarray, estimate: np.ndarray, theta: np.ndarray, s: CatSettings
) -> dict[str, Any]:
    return {
        "items_mean": round(float(used.mean()), 2),
        "se_mean": round(float(se.mean()), 4),
        "corr_theta": round(float(np.corrcoef(estimate, theta)[0, 1]), 4),
        "reached": round(float((se <= s.se_target).mean()), 3),
    }
