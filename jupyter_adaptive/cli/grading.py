"""``jupyter-adaptive grading import``: nbgrader's gradebook into the store."""

from __future__ import annotations

import argparse
from pathlib import Path

from .options import add_db_url, configured_db_url

__all__ = ["register"]


def _import(args: argparse.Namespace) -> int:
    from ..curriculum import load_course
    from ..grading import import_grades
    from ..paths import default_secret_file
    from ..pseudonyms import load_or_create_secret
    from ..store import Store

    course = load_course(Path(args.course))
    gradebook = args.gradebook or f"sqlite:///{Path(args.course).resolve() / 'gradebook.db'}"
    secret = load_or_create_secret(
        Path(args.secret_file) if args.secret_file else default_secret_file()
    )
    store = Store.open(args.db_url or configured_db_url())
    try:
        report = import_grades(store, secret, course, gradebook)
    finally:
        store.close()
    print(
        f"{course.id}: {report.stored} grade events stored, {report.duplicates} already there, "
        f"from {report.learners} learners"
    )
    if report.refused:
        print(f"skipped (consent off): {len(report.refused)} learners")
    if report.unmapped:
        cells = ", ".join(f"{unit}/{grade}" for unit, grade in sorted(report.unmapped))
        print(f"graded cells of no course exercise (not imported): {cells}")
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add ``grading import``."""
    grading = subparsers.add_parser("grading", help="bring nbgrader's grades into the store")
    commands = grading.add_subparsers(title="grading commands", metavar="COMMAND", required=True)
    parser = commands.add_parser(
        "import",
        help="turn each graded cell of the gradebook into a grade event that updates mastery",
    )
    parser.add_argument("--course", required=True, help="the course folder (an nbgrader course)")
    parser.add_argument(
        "--gradebook", help="nbgrader gradebook URL (default: sqlite:///<course>/gradebook.db)"
    )
    add_db_url(parser)
    parser.add_argument(
        "--secret-file",
        help="the server's pseudonym secret (default: as c.AdaptiveApp.secret_file defaults)",
    )
    parser.set_defaults(func=_import)
