"""``jupyter-adaptive simulate``: synthetic learners through a course under fixed, adaptive and
random order; items and minutes to mastery, overall and per subgroup.

numpy and the simulation are imported inside the command, so ``--help`` stays fast.
"""

from __future__ import annotations

import argparse
import json
from typing import Any

__all__ = ["register"]

_KEYS = ("items_mean", "items_median", "minutes_mean", "mastered_share")
_COLUMNS = (*_KEYS[:3], "minutes_median", "mastered_share")


def _simulate(args: argparse.Namespace) -> int:
    from ..curriculum import load_course
    from ..errors import InvalidRequestError
    from ..recommend.simulation import POLICIES, draw_learners, simulate, summarize

    if args.learners < 1 or args.budget < 1:
        raise InvalidRequestError("--learners and --budget must be at least 1.")
    course = load_course(args.course)
    learners = draw_learners(course, args.learners, args.seed)
    summaries = {
        policy: summarize(simulate(course, learners, policy, budget=args.budget))
        for policy in POLICIES
    }
    if args.json:
        print(json.dumps({"policies": {p: _shape(s) for p, s in summaries.items()}}))
    else:
        _print_table(summaries, args)
    return 0


def _shape(summary: dict[str, Any]) -> dict[str, Any]:
    """The documented JSON shape: four figures overall and per subgroup."""
    shaped: dict[str, Any] = {key: summary[key] for key in _KEYS}
    shaped["subgroups"] = {
        name: {key: figures[key] for key in _KEYS} for name, figures in summary["subgroups"].items()
    }
    return shaped


def _print_table(summaries: dict[str, dict[str, Any]], args: argparse.Namespace) -> None:
    print(
        f"{args.learners} simulated learners, seed {args.seed}, budget {args.budget} items; "
        "items and minutes until every skill is mastered (the budget when never)"
    )
    header = ["group", "policy", *_COLUMNS]
    rows = []
    groups = ["all", *summaries["fixed"]["subgroups"]]
    for group in groups:
        for policy, summary in summaries.items():
            figures = summary if group == "all" else summary["subgroups"][group]
            rows.append([group, policy, *(f"{figures[key]:g}" for key in _COLUMNS)])
    widths = [max(len(str(row[i])) for row in [header, *rows]) for i in range(len(header))]
    for row in [header, *rows]:
        print("  ".join(str(cell).ljust(width) for cell, width in zip(row, widths, strict=True)))
    fixed, adaptive = summaries["fixed"]["items_mean"], summaries["adaptive"]["items_mean"]
    print(f"adaptive needs {1 - adaptive / fixed:.0%} fewer items than fixed order on average")


def register(subparsers: Any) -> None:
    """Add ``simulate``."""
    parser = subparsers.add_parser(
        "simulate",
        help="compare fixed, adaptive and random order on simulated learners",
        description="Run synthetic learners (BKT parameters per skill, three subgroups differing "
        "in prior knowledge, learning rate and pace) through a course's practice items under the "
        "fixed order, the adaptive policy and random order; print items and minutes to mastery.",
    )
    parser.add_argument("--learners", type=int, default=150, metavar="N")
    parser.add_argument("--seed", type=int, default=0, metavar="S")
    parser.add_argument(
        "--budget",
        type=int,
        default=600,
        metavar="ITEMS",
        help="items a learner may take at most (default 600)",
    )
    parser.add_argument(
        "--course",
        default="courses/data-science-foundations",
        help="course folder (default: courses/data-science-foundations)",
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.set_defaults(func=_simulate)
