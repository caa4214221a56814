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
    note = commands.add_parser(
        "note",
        help="write the course's AI-use and privacy note (Markdown and HTML, each language)",
        description="Write what this deployment records at each consent level, how long it "
        "keeps it, who sees what, which models decide what, how teachers override and how "
        "learners export, delete and appeal, from the Jupyter server configuration in force.",
    )
    note.add_argument("--course", required=True, help="the course folder")
    note.add_argument("--out", default=".", help="folder to write the notes to (default: here)")
    note.set_defaults(func=_note)


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


def _note(args: argparse.Namespace) -> int:
    from pathlib import Path

    from ..course_note import NoteFacts, course_note
    from ..curriculum import load_course
    from ..mastery.atomic_write import write_atomically
    from ..mastery.course_models import CourseModels
    from ..translation import available_languages
    from .options import configured_app

    course = load_course(Path(args.course))
    app = configured_app()
    served = CourseModels(app.model_dir).served(course.id)
    facts = NoteFacts.from_app(app, course.id, course.title, served.id if served.stamp else None)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    for language in available_languages():
        note = course_note(facts, language)
        stem = out / f"{course.id}-ai-use-note.{language}"
        for suffix, text in ((".md", note.markdown()), (".html", note.html())):
            target = f"{stem}{suffix}"

            def write(path: str, text: str = text) -> None:
                Path(path).write_text(text, encoding="utf-8")

            write_atomically(target, write)
            print(f"wrote {target}")
    return 0
