"""Generated 2PL data: learners, items with known parameters, and their answers as a response log
in pyBKT's columns."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class Generated:
    """True parameters and the answers drawn from them."""

    a: np.ndarray
    b: np.ndarray
    theta: np.ndarray
    log: pd.DataFrame

    @property
    def items(self) -> list[str]:
        return [f"q{j:02d}" for j in range(len(self.a))]


def generate(
    learners: int, a: np.ndarray, b: np.ndarray, seed: int, answered: float = 1.0
) -> Generated:
    """Each learner answers each item (with probability ``answered``) twice: the second answer,
    always right, must not count (calibration reads first answers)."""
    rng = np.random.default_rng(seed)
    theta = rng.normal(0.0, 1.0, learners)
    p = 1.0 / (1.0 + np.exp(-a * (theta[:, None] - b)))
    right = rng.random(p.shape) < p
    asked = rng.random(p.shape) < answered
    rows = []
    order = 0
    for learner in range(learners):
        for j in np.flatnonzero(asked[learner]):
            for correct in (int(right[learner, j]), 1):
                order += 1
                rows.append((order, f"u{learner}", f"skill{j % 4}", correct, f"q{j:02d}"))
    log = pd.DataFrame(rows, columns=["order_id", "user_id", "skill_name", "correct", "problem_id"])
    return Generated(a, b, theta, log)
