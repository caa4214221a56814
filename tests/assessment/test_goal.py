"""Issue 14's goal on the demo course's own check items: calibrated from a simulated class, the
check-in reaches SE <= 0.3 with at most half the items a fixed form of the same pool needs for the
same precision, and its estimates correlate at least 0.9 with the true abilities."""

from __future__ import annotations

import numpy as np
import pandas as pd

from jupyter_adaptive.assessment.calibration import DeclaredItem, calibrate
from jupyter_adaptive.assessment.item_bank import prior_difficulty
from jupyter_adaptive.assessment.simulation import simulate_check
from jupyter_adaptive.checks import check_pool
from jupyter_adaptive.curriculum import load_course
from tests.fixtures.courses import COURSES


def test_the_check_in_meets_the_goal_on_the_calibrated_course_pool() -> None:
    course = load_course(COURSES / "data-science-foundations")
    checks = course.check_items()
    rng = np.random.default_rng(5)
    # Discriminations spread as those fitted on ASSISTments 2009 (quartiles 0.98, 1.39, 1.85).
    a = rng.lognormal(np.log(1.35), 0.4, len(checks))
    b = np.array([prior_difficulty(c.difficulty) for c in checks]) + rng.normal(0, 0.5, len(checks))
    theta = rng.normal(0, 1, 1000)
    right = rng.random((1000, len(checks))) < 1 / (1 + np.exp(-a * (theta[:, None] - b)))
    users, items = np.indices(right.shape)
    log = pd.DataFrame(
        {
            "order_id": np.arange(right.size),
            "user_id": users.ravel().astype(str),
            "correct": right.ravel().astype(int),
            "problem_id": [checks[j].id for j in items.ravel()],
        }
    )
    bank = calibrate(course.id, log, {c.id: DeclaredItem(c.skills, c.difficulty) for c in checks})
    _items, pool, areas = check_pool(course, None, bank)
    truth = {c.id: (float(x), float(y)) for c, x, y in zip(checks, a, b, strict=True)}
    result = simulate_check(pool, 400, seed=6, truth=truth, areas=areas)
    assert result["items_share"] <= 0.5, result
    assert result["cat"]["corr_theta"] >= 0.9, result
    assert result["cat"]["reached"] >= 0.85 and result["cat"]["max_exposure"] <= 0.5, result
