"""``jupyter-adaptive simulate``: synthetic learners through a course under the fixed order, the
served adaptive policy and random order; items used, and skills truly known when each stops.

numpy, pyBKT and the simulation are imported inside the command, so ``--help`` stays fast.
"""

from __future__ import annotations

import argparse
import json
from typing import Any

__all__ = ["register"]

_COLUMNS = ("items_mean", "items_median", "minutes_mean", "known_at_stop", "all_known_share")


def _simulate(args: argparse.Namespace) -> int:
    from ..curriculum import load_course
    from ..errors import InvalidRequestError
    from ..recommend.simulation import (
        RUNS,
        draw_learners,
        draw_truth,
        fit_policy,
        simulate,
        summarize,
    )

    if args.learners < 1 or args.budget < 1 or args.train < 3:
        raise InvalidRequestError("--learners and --budget must be at least 1, --train at least 3.")
    course = load_course(args.course)
    truth = draw_truth(course, args.seed)
    fitted = fit_policy(course, truth, draw_learners(course, truth, args.train, args.seed + 1))
    learners = draw_learners(course, truth, args.learners, args.seed)
    runs = {
        f"{policy}/{stop}": summarize(
            simulate(course, truth, learners, policy, stop, fitted=fitted, budget=args.budget)
        )
        for policy, stop in RUNS
    }
    shares = _shares(runs)
    if args.json:
        print(json.dumps({"runs": runs, "adaptive_share_of_fixed": shares}))
    else:
        _print_table(runs, shares, args)
    return 0


def _shares(runs: dict[str, dict[str, Any]]) -> dict[str, float]:
    """Per group (and ``all``), the adaptive policy's mean items over the oracle-stopped fixed
    order's."""
    adaptive, fixed = runs["adaptive/own"], runs["fixed/oracle"]
    shares = {"all": adaptive["items_mean"] / fixed["items_mean"]}
    for name, figures in adaptive["subgroups"].items():
        shares[name] = figures["items_mean"] / fixed["subgroups"][name]["items_mean"]
    return {name: round(share, 3) for name, share in shares.items()}


def _print_table(
    runs: dict[str, dict[str, Any]], shares: dict[str, float], args: argparse.Namespace
) -> None:
    print(
        f"{args.learners} simulated learners, seed {args.seed}, budget {args.budget} items; the "
        f"adaptive policy fitted on {args.train} other learners' fixed-order log. own: stopped by "
        "the policy's own rule; oracle: stopped when every skill is truly known. known_at_stop: "
        "share of skills truly known at stop"
    )
    header = ["group", "run", *_COLUMNS]
    rows = []
    for group in ["all", *runs["fixed/own"]["subgroups"]]:
        for run, summary in runs.items():
            figures = summary if group == "all" else summary["subgroups"][group]
            rows.append([group, run, *(f"{figures[key]:g}" for key in _COLUMNS)])
    widths = [max(len(str(row[i])) for row in [header, *rows]) for i in range(len(header))]
    for row in [header, *rows]:
        print("  ".join(str(cell).ljust(width) for cell, width in zip(row, widths, strict=True)))
    for group, share in shares.items():
        known = runs["adaptive/own"] if group == "all" else runs["adaptive/own"]["subgroups"][group]
        print(
            f"{group}: adaptive uses {share:.0%} of the items of the fixed order stopped by the "
            f"truth, with {known['known_at_stop']:.1%} of skills truly known at its own stop"
        )


def register(subparsers: Any) -> None:
    """Add ``simulate``."""
    parser = subparsers.add_parser(
        "simulate",
        help="compare fixed, adaptive and random order on simulated learners",
        description="Run synthetic learners (slow, typical and fast learners; forgetting, "
        "per-learner learning rates, a slip that drifts) through a course's practice items under "
        "the fixed order, the served adaptive policy (fitted on another simulated cohort's log) "
        "and random order; print items used and the share of skills truly known at stop.",
    )
    parser.add_argument("--learners", type=int, default=150, metavar="N")
    parser.add_argument("--seed", type=int, default=0, metavar="S")
    parser.add_argument(
        "--budget",
        type=int,
        default=1500,
        metavar="ITEMS",
        help="items a learner may take at most (default 1500)",
    )
    parser.add_argument(
        "--train",
        type=int,
        default=150,
        metavar="N",
        help="learners of the cohort whose fixed-order log the policy is fitted on (default 150)",
    )
    parser.add_argument(
        "--course",
        default="courses/data-science-foundations",
        help="course folder (default: courses/data-science-foundations)",
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.set_defaults(func=_simulate)
