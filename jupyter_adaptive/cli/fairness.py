"""``jupyter-adaptive fairness report``: per-subgroup quality of the mastery and at-risk models.

pandas, scikit-learn and fairlearn are imported inside the command, so ``--help`` stays fast.
"""

from __future__ import annotations

import argparse
import json
from typing import Any

__all__ = ["register"]


def _report(args: argparse.Namespace) -> int:
    from ..mastery.responses import read_responses
    from ..risk.fairness import fairness_report, read_roster

    roster = read_roster(args.groups) if args.groups else None
    reports = fairness_report(read_responses(args.data), roster)
    if args.json:
        print(json.dumps({"data": args.data, "reports": [r.as_dict() for r in reports]}, indent=1))
        return 0
    for report in reports:
        print(f"by {report.attribute} (test learners of an 80/20 split by learner):")
        print(report.by_group.to_string(float_format=lambda v: f"{v:.3f}"))
        highlighted = report.highlighted
        if not highlighted:
            print("  no clear gap between groups.")
        for gap in highlighted:
            print(f"  ! {gap.sentence(report.attribute)}")
        print()
    return 0


def register(subparsers: Any) -> None:
    """Add ``fairness report``."""
    parser = subparsers.add_parser(
        "fairness",
        help="audit the mastery and at-risk models per group of learners",
        description="Per subgroup: the mastery model's AUC and calibration, the at-risk model's "
        "false-positive and false-negative rates, and mastery gain; the largest gaps highlighted.",
    )
    commands = parser.add_subparsers(title="commands", metavar="COMMAND", required=True)
    report = commands.add_parser(
        "report",
        help="print the per-group metrics and the largest gaps",
        description="Fit both models on 80% of the learners of FILE and audit them on the rest, "
        "per group of the roster (user_id plus one column per attribute) or, without one, per "
        "quartile of activity (number of attempts).",
    )
    report.add_argument("--data", required=True, metavar="FILE")
    report.add_argument("--groups", metavar="ROSTER.csv", help="user_id plus group columns")
    report.add_argument("--json", action="store_true", help="print the report as JSON")
    report.set_defaults(func=_report)
