"""``jupyter-adaptive course ...``: check a course and show what it contains."""

from __future__ import annotations

import argparse
from typing import Any

__all__ = ["register"]


def register(subparsers: Any) -> None:
    """Add the ``course`` command and its sub-commands."""
    parser = subparsers.add_parser("course", help="check and describe courses")
    commands = parser.add_subparsers(
        title="course commands", metavar="COMMAND", parser_class=type(parser), required=True
    )
    validate = commands.add_parser(
        "validate",
        help="list every problem of a course with its file and cell; exit 1 if any",
    )
    validate.add_argument("path", help="the course folder, e.g. courses/data-science-foundations")
    validate.set_defaults(func=_validate)
    outline = commands.add_parser("outline", help="print the units, skills and item counts")
    outline.add_argument("path", help="the course folder")
    outline.set_defaults(func=_outline)


def _validate(args: argparse.Namespace) -> int:
    from ..curriculum import validate_course

    problems = validate_course(args.path)
    for problem in problems:
        print(problem)
    if problems:
        print(f"{len(problems)} problem(s) in {args.path}")
        return 1
    print(f"{args.path}: no problems")
    return 0


def _outline(args: argparse.Namespace) -> int:
    from ..curriculum import read_course

    course, _ = read_course(args.path)
    print(f"{course.title} ({course.id})")
    for unit in course.units:
        print(
            f"  {unit.id}: {unit.title} — {len(unit.exercises)} graded exercises, "
            f"{len(course.check_items(unit.id))} check items"
        )
        print(f"    skills: {', '.join(unit.skills)}")
    variants = sum(1 for item in course.items.values() if item.variant_of)
    print(
        f"{len(course.skills)} skills, {len(course.items) - variants} practice items "
        f"+ {variants} variants, {len(course.exercises)} graded exercises, "
        f"{len(course.checks)} check items, {len(course.misconceptions)} misconceptions"
    )
    return 0
