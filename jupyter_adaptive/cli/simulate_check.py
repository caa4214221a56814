"""``jupyter-adaptive simulate-check``: the adaptive check-in against a fixed form of the same
pool, on simulated learners.

numpy, the course loader and the simulation are imported inside the command, so ``--help`` stays
fast.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

__all__ = ["print_comparison", "register"]

_COLUMNS = ("items_mean", "se_mean", "reached", "corr_theta")


def print_comparison(result: dict[str, Any], title: str) -> None:
    """The check-in and the fixed form side by side, with the share of items and the weaker
    equal-mean-SE comparison."""
    print(title)
    rows = [["design", *_COLUMNS]]
    for design in ("cat", "fixed"):
        rows.append([design, *(f"{result[design][key]:g}" for key in _COLUMNS)])
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)))
    weaker = result["fixed_at_mean_se"]
    print(
        f"the check-in asks {result['items_share']:.0%} of the fixed form's items at equal "
        f"precision (as many learners at the target SE, mean SE no larger); "
        f"{weaker['items_share']:.0%} of the {weaker['items']} a fixed form needs for the same "
        f"mean SE alone; largest item exposure {result['cat']['max_exposure']:.0%}; "
        f"stops: {result['cat']['stops']}"
    )


def _simulate(args: argparse.Namespace) -> int:
    from ..assessment.cat import CatSettings
    from ..assessment.item_bank import ItemBank, bank_path
    from ..assessment.simulation import simulate_check
    from ..checks import check_pool
    from ..curriculum import load_course
    from ..errors import InvalidRequestError
    from .options import configured_model_dir

    if args.learners < 1 or args.max_items < 1:
        raise InvalidRequestError("--learners and --max-items must be at least 1.")
    course = load_course(args.course)
    path = Path(args.bank or bank_path(configured_model_dir(), course.id))
    bank = ItemBank.read(path) if args.bank or path.is_file() else ItemBank(course.id)
    items, pool, areas = check_pool(course, args.unit, bank)
    if not items:
        raise InvalidRequestError(f"Course {course.id!r} has no check items for this check.")
    settings = CatSettings(args.se_target, args.max_items, args.max_exposure)
    result = simulate_check(pool, args.learners, args.seed, settings, areas=areas)
    calibrated = sum(p.source == "fit" for p in pool)
    result["bank"] = (
        f"{path} ({calibrated} of {len(pool)} items calibrated)"
        if bank.items
        else "priors from declared difficulty (no item bank)"
    )
    if args.json:
        print(json.dumps(result))
    else:
        print_comparison(
            result,
            f"{args.learners} simulated learners, seed {args.seed}, {len(pool)} check items of "
            f"{course.id}{f' unit {args.unit}' if args.unit else ''}; parameters: "
            f"{result['bank']}; stop at SE <= {args.se_target} or {args.max_items} items",
        )
    return 0


def register(subparsers: Any) -> None:
    """Add ``simulate-check``."""
    parser = subparsers.add_parser(
        "simulate-check",
        help="compare the adaptive check-in with a fixed form on simulated learners",
        description="Draw learners' abilities from N(0, 1) and their answers to a course's check "
        "items from the 2PL with the course's item bank (calibrated parameters, else priors from "
        "declared difficulty); run the adaptive check-in (stop at the target SE or the maximum, "
        "exposure control across the class) and a fixed form of the same pool (items by "
        "information at the prior mean) on the same answers; print the items each needs at "
        "equal precision, the mean SE and the correlation of the estimates with the truth.",
    )
    parser.add_argument("--learners", type=int, default=500, metavar="N")
    parser.add_argument("--seed", type=int, default=0, metavar="S")
    parser.add_argument(
        "--course",
        default="courses/data-science-foundations",
        help="course folder (default: courses/data-science-foundations)",
    )
    parser.add_argument("--unit", help="the unit whose check items to use (default: all)")
    parser.add_argument(
        "--bank",
        metavar="FILE",
        help="item bank (default: <model_dir>/<course>.items.json when it exists, else priors)",
    )
    parser.add_argument("--se-target", type=float, default=0.3, metavar="SE")
    parser.add_argument("--max-items", type=int, default=40, metavar="N")
    parser.add_argument("--max-exposure", type=float, default=0.5, metavar="RATE")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.set_defaults(func=_simulate)
