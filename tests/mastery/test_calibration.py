"""Calibration: a predicted 0.8 is right 80% of the time, online and in batch alike."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from jupyter_adaptive.mastery.calibration import (
    Calibration,
    expected_calibration_error,
    fit_calibration,
    reliability_bins,
    reliability_png,
)
from jupyter_adaptive.mastery.fitting import fit_model
from jupyter_adaptive.mastery.model_file import load_model, save_model
from jupyter_adaptive.mastery.online import SkillParams

TRUE = {
    "a": SkillParams(prior=0.2, learn=0.15, guess=0.2, slip=0.1),
    "b": SkillParams(prior=0.4, learn=0.1, guess=0.3, slip=0.05),
    "c": SkillParams(prior=0.1, learn=0.25, guess=0.15, slip=0.15),
}


def simulated_log(learners: int, answers: int, seed: int) -> tuple[pd.DataFrame, np.ndarray]:
    """Answers drawn from known BKT parameters, and the true P(right) of each."""
    rng = np.random.default_rng(seed)
    rows, truth = [], []
    for learner in range(learners):
        known = {s: rng.random() < p.prior for s, p in TRUE.items()}
        for n in range(answers):
            skill = "abc"[n % 3]
            params = TRUE[skill]
            p = 1 - params.slip if known[skill] else params.guess
            rows.append((len(rows), f"{seed}-{learner}", skill, int(rng.random() < p)))
            truth.append(p)
            known[skill] = known[skill] or rng.random() < params.learn
    columns = ["order_id", "user_id", "skill_name", "correct"]
    return pd.DataFrame(rows, columns=columns), np.array(truth)


def test_outcomes_drawn_from_known_probabilities_are_calibrated() -> None:
    rng = np.random.default_rng(0)
    p = rng.random(40_000)
    y = rng.random(40_000) < p
    assert expected_calibration_error(y, p) < 0.02
    assert expected_calibration_error(y, np.clip(p + 0.15, 0, 1)) > 0.1


def test_a_fitted_model_is_calibrated_on_generated_data() -> None:
    train, _ = simulated_log(400, 15, seed=1)
    test, truth = simulated_log(1500, 15, seed=2)
    model = fit_model(train, "bkt")
    p = model.predict_proba(test)[:, 1]
    assert expected_calibration_error(test["correct"], p) < 0.02
    assert expected_calibration_error(test["correct"], truth) < 0.02
    report = model.calibration_report_
    assert report is not None and report.n > 0 and report.bins


def test_a_miscalibrated_predictor_is_recalibrated_on_held_out_learners() -> None:
    rng = np.random.default_rng(3)
    p = rng.random(30_000)
    y = (rng.random(30_000) < p).astype(float)
    skewed = p**2
    learners = np.arange(30_000) // 20
    calibration, report = fit_calibration(y[:15_000], skewed[:15_000], learners[:15_000])
    assert calibration.method in ("platt", "isotonic")
    assert report.ece_before > 0.1 and report.ece < 0.02
    assert expected_calibration_error(y[15_000:], calibration.apply(skewed[15_000:])) < 0.02


def test_a_calibrated_predictor_is_left_alone() -> None:
    rng = np.random.default_rng(4)
    p = rng.random(20_000)
    y = rng.random(20_000) < p
    calibration, report = fit_calibration(y, p, np.arange(20_000) // 10)
    assert calibration == Calibration()
    assert report.ece == report.ece_before


@pytest.mark.parametrize(
    "calibration",
    [
        Calibration("platt", a=0.8, b=-0.2),
        Calibration("isotonic", x=(0.1, 0.5, 0.9), y=(0.05, 0.6, 0.95)),
        Calibration(),
    ],
)
def test_online_and_batch_calibration_agree(calibration: Calibration) -> None:
    p = np.linspace(0.001, 0.999, 101)
    online = [calibration.apply_one(float(v)) for v in p]
    assert online == pytest.approx(list(calibration.apply(p)), abs=1e-12)
    assert Calibration.from_dict(json.loads(json.dumps(calibration.as_dict()))) == calibration


def test_the_reliability_diagram_is_a_png(tmp_path: Path) -> None:
    train, _ = simulated_log(100, 9, seed=5)
    model = fit_model(train, "bkt")
    assert model.calibration_report_ is not None
    path = tmp_path / "reliability.png"
    reliability_png(model.calibration_report_, path, "generated")
    assert path.read_bytes().startswith(b"\x89PNG")
    assert sum(b["n"] for b in reliability_bins([0, 1, 1], [0.05, 0.5, 0.95])) == 3


def test_model_files_keep_the_calibration(tmp_path: Path) -> None:
    train, _ = simulated_log(100, 9, seed=6)
    model = fit_model(train, "logistic")
    model.calibration_ = Calibration("platt", a=1.1, b=0.2)
    save_model(model, tmp_path / "m.json", "logistic")
    loaded = load_model(tmp_path / "m.json")
    assert loaded.calibration_ == model.calibration_
    assert loaded.calibration_report_ == model.calibration_report_
    np.testing.assert_allclose(loaded.predict_proba(train), model.predict_proba(train))
