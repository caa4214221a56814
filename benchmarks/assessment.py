"""Assessment benchmark (issue 14): item calibration and the adaptive check-in against a fixed
form, baseline and ours side by side.

1. Calibration recovery on generated data (1,000 learners x 40 items, a ~ U(0.7, 2), b ~
   U(-2, 2)): RMSE of a and b of ours (:func:`~jupyter_adaptive.assessment.calibration.calibrate`,
   2PL by mirt) next to the classical baseline (a = 1, b = -logit of the share right).
2. Calibration of a real response log (``--data``, pyBKT's columns with ``problem_id``): items
   fitted, time, the spread of a and b, items flagged.
3. The check-in on the demo course's check items. The course's items have no answers yet, so
   their true parameters are drawn the way the real data calibrated (a resampled from step 2's
   fitted discriminations, b = the declared level's prior difficulty + N(0, 0.5)); a simulated
   class of ``--class-size`` learners answers them, ours calibrates the course's pool from those
   first answers, and ``simulate_check`` runs ``--learners`` new learners through the check-in
   (selection and scoring by the calibrated pool, answers by the truth) and through the fixed
   form of the same pool (items by information at the prior mean, the same for everyone).

Usage::

    python benchmarks/assessment.py --data /work/shared/data/assist2009.csv.gz
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np
import pandas as pd

from jupyter_adaptive.assessment.calibration import DeclaredItem, calibrate
from jupyter_adaptive.assessment.cat import CatSettings
from jupyter_adaptive.assessment.item_bank import prior_difficulty
from jupyter_adaptive.assessment.simulation import simulate_check
from jupyter_adaptive.checks import check_pool
from jupyter_adaptive.cli.simulate_check import print_comparison
from jupyter_adaptive.curriculum import load_course
from jupyter_adaptive.mastery.responses import read_responses

COURSE = Path(__file__).resolve().parent.parent / "courses" / "data-science-foundations"


def answers(
    a: np.ndarray, b: np.ndarray, items: list[str], learners: int, seed: int
) -> pd.DataFrame:
    """Every learner's one answer to every item, drawn from the 2PL, in pyBKT's columns."""
    rng = np.random.default_rng(seed)
    theta = rng.normal(0.0, 1.0, learners)
    right = rng.random((learners, len(items))) < 1 / (1 + np.exp(-a * (theta[:, None] - b)))
    users, columns = np.indices(right.shape)
    return pd.DataFrame(
        {
            "order_id": np.arange(right.size),
            "user_id": [f"u{u}" for u in users.ravel()],
            "skill_name": "s",
            "correct": right.ravel().astype(int),
            "problem_id": [items[j] for j in columns.ravel()],
        }
    )


def recovery(seed: int) -> None:
    rng = np.random.default_rng(seed)
    a, b = rng.uniform(0.7, 2.0, 40), rng.uniform(-2.0, 2.0, 40)
    items = [f"q{j:02d}" for j in range(40)]
    log = answers(a, b, items, 1000, seed + 1)
    started = time.perf_counter()
    bank = calibrate("generated", log, {})
    seconds = time.perf_counter() - started
    ours_a = np.array([bank.items[i].a for i in items])
    ours_b = np.array([bank.items[i].b for i in items])
    share = log.groupby("problem_id")["correct"].mean().reindex(items).to_numpy()
    classical_b = -np.log(share / (1 - share))

    def rmse(x: np.ndarray, y: np.ndarray) -> float:
        return float(np.sqrt(np.mean((x - y) ** 2)))

    print(
        "1. calibration recovery, 1,000 generated learners x 40 items (goal: b <= 0.15, a <= 0.2)"
    )
    print(f"   {'method':<28}{'RMSE a':>8}{'RMSE b':>8}")
    rows = [
        ("classical (a=1, -logit p)", rmse(np.ones(40), a), rmse(classical_b, b), ""),
        ("ours (2PL, mirt)", rmse(ours_a, a), rmse(ours_b, b), f"   {seconds:.1f} s"),
    ]
    for name, error_a, error_b, note in rows:
        print(f"   {name:<28}{error_a:>8.3f}{error_b:>8.3f}{note}")


def real_calibration(path: str, min_answers: int) -> np.ndarray:
    data = read_responses(path)
    started = time.perf_counter()
    bank = calibrate(Path(path).name, data, {}, min_answers=min_answers)
    seconds = time.perf_counter() - started
    fitted = [p for p in bank.items.values() if p.source == "fit"]
    a = np.array([p.a for p in fitted])
    b = np.array([p.b for p in fitted])
    print(f"\n2. calibration of {Path(path).name}: {bank.summary}; {seconds:.1f} s")
    print(
        f"   a quartiles {np.round(np.quantile(a, [0.25, 0.5, 0.75]), 2).tolist()}, "
        f"b quartiles {np.round(np.quantile(b, [0.25, 0.5, 0.75]), 2).tolist()}; "
        f"{sum(bool(p.flags) for p in fitted)} of {len(fitted)} flagged, e.g.:"
    )
    for params in [p for p in fitted if p.flags][:3]:
        print(f"   {params.item}: {'; '.join(params.flags)}")
    return a[np.array([not p.flags for p in fitted])]


def check_in(real_a: np.ndarray, args: argparse.Namespace) -> None:
    course = load_course(COURSE)
    checks = course.check_items()
    rng = np.random.default_rng(args.seed)
    ids = [c.id for c in checks]
    a = rng.choice(real_a, len(checks))
    b = np.array([prior_difficulty(c.difficulty) for c in checks]) + rng.normal(0, 0.5, len(checks))
    log = answers(a, b, ids, args.class_size, args.seed + 1)
    declared = {c.id: DeclaredItem(c.skills, c.difficulty) for c in checks}
    bank = calibrate(course.id, log, declared)
    if args.bank_out:
        bank.write(args.bank_out)
    truth = {item: (float(x), float(y)) for item, x, y in zip(ids, a, b, strict=True)}
    error_b = np.sqrt(np.mean([(bank.items[i].b - truth[i][1]) ** 2 for i in ids]))
    _items, pool, areas = check_pool(course, None, bank)
    settings = CatSettings(args.se_target, args.max_items, args.max_exposure)
    result = simulate_check(pool, args.learners, args.seed + 2, settings, truth=truth, areas=areas)
    print(
        f"\n3. check-in vs fixed form (baseline), {len(pool)} check items of {course.id}, pool "
        f"calibrated on {args.class_size} simulated learners (RMSE of b {error_b:.2f}); goal: "
        "check-in items <= 50 % of the fixed form's, corr_theta >= 0.9"
    )
    print_comparison(
        result,
        f"   {args.learners} new learners, seed {args.seed}; stop at SE <= {args.se_target} or "
        f"{args.max_items} items; exposure limit {args.max_exposure:.0%}",
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", default="/work/shared/data/assist2009.csv.gz")
    parser.add_argument("--min-answers", type=int, default=100)
    parser.add_argument("--class-size", type=int, default=1000)
    parser.add_argument("--learners", type=int, default=500)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--se-target", type=float, default=0.3)
    parser.add_argument("--max-items", type=int, default=40)
    parser.add_argument("--max-exposure", type=float, default=0.5)
    parser.add_argument(
        "--bank-out",
        metavar="FILE",
        help="write the course's pool as calibrated here (for simulate-check --bank FILE)",
    )
    args = parser.parse_args()
    recovery(args.seed)
    check_in(real_calibration(args.data, args.min_answers), args)


if __name__ == "__main__":
    main()
