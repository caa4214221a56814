"""``jupyter-adaptive items calibrate``: fit the 2PL parameters of a course's items on first
answers (from the store or a CSV in pyBKT's columns) and write the course's item bank.

pandas, mirt and the course loader are imported inside the command, so ``--help`` stays fast.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from .options import add_db_url

__all__ = ["register"]


def _declared(course_folder: Path) -> dict[str, Any]:
    """Skills and declared difficulty of every item of the course: check items, practice items
    and graded exercises (empty when the folder holds no course)."""
    from ..assessment.calibration import DeclaredItem
    from ..curriculum import load_course

    if not (course_folder / "course.yaml").is_file():
        return {}
    course = load_course(course_folder)
    declared = {e.id: DeclaredItem(e.skills, e.difficulty) for e in course.exercises}
    declared.update((i.id, DeclaredItem(i.skills, i.difficulty)) for i in course.items.values())
    declared.update((c.id, DeclaredItem(c.skills, c.difficulty)) for c in course.check_items())
    return declared


def _calibrate(args: argparse.Namespace) -> int:
    from ..assessment.calibration import calibrate
    from ..assessment.item_bank import bank_path
    from .mastery import course_responses
    from .options import configured_model_dir

    data = course_responses(args.data, args.course, args.db_url)
    declared = _declared(Path(args.courses) / args.course)
    if not declared:
        print(
            f"no course {args.course!r} in {args.courses}: items without enough answers get "
            "the prior of a medium item"
        )
    bank = calibrate(args.course, data, declared, min_answers=args.min_answers)
    out = args.out or bank_path(args.model_dir or configured_model_dir(), args.course)
    Path(out).parent.mkdir(parents=True, exist_ok=True)
    bank.write(out)
    print(f"{bank.summary}; wrote {out}")
    for params in bank.items.values():
        for flag in params.flags:
            print(f"  {params.item}: {flag}")
    return 0


def register(subparsers: Any) -> None:
    """Add ``items calibrate``."""
    from ..assessment.calibration import MIN_ANSWERS

    parser = subparsers.add_parser(
        "items",
        help="calibrate the items of a course (2PL item response theory)",
        description="Item parameters for adaptive check-ins and the dashboard's item analysis.",
    )
    commands = parser.add_subparsers(title="commands", metavar="COMMAND", required=True)
    calibrate = commands.add_parser(
        "calibrate",
        help="fit a 2PL model on learners' first answers and write the course's item bank",
        description="Fit each item's discrimination a and difficulty b (logistic metric: "
        "P(right | theta) = 1 / (1 + exp(-a (theta - b))), with standard errors) on every "
        "learner's first answer to it, from the store or --data in pyBKT's columns; items with "
        "fewer answers keep the prior from their declared difficulty; misfitting items are "
        "flagged with the evidence. The server reads the bank from its next request on.",
    )
    calibrate.add_argument("--course", required=True, help="the course id")
    calibrate.add_argument(
        "--data",
        metavar="ANSWERS.csv[.gz]",
        help="calibrate on this response log (problem_id = item ids) instead of the store",
    )
    calibrate.add_argument(
        "--out",
        metavar="FILE",
        help="where to write the bank (default: <model_dir>/<course>.items.json, which the "
        "server reads)",
    )
    calibrate.add_argument(
        "--courses",
        default="courses",
        metavar="FOLDER",
        help="the folder holding the course, for its items' declared difficulty (default: courses)",
    )
    calibrate.add_argument(
        "--min-answers",
        type=int,
        default=MIN_ANSWERS,
        metavar="N",
        help="first answers an item needs to be calibrated (default %(default)s)",
    )
    add_db_url(calibrate)
    calibrate.add_argument(
        "--model-dir", help="where course models live (default: c.AdaptiveApp.model_dir)"
    )
    calibrate.set_defaults(func=_calibrate)
