"""``jupyter-adaptive grading import``: nbgrader's gradebook into the store."""

from __future__ import annotations

import argparse
import asyncio
import os
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import InvalidRequestError
from .options import (
    add_db_url,
    configured_db_url,
    configured_model_dir,
    configured_secret_file,
    configured_setting,
)

if TYPE_CHECKING:
    from ..curriculum import Course
    from ..grading import ImportReport

__all__ = ["register"]


def _import_here(args: argparse.Namespace, course: Course, gradebook: str) -> ImportReport:
    """Into the store of this machine, pseudonymized with its secret."""
    from ..grading import import_grades
    from ..mastery.course_models import CourseModels
    from ..model_refresh import course_prior
    from ..pseudonyms import load_secret
    from ..store import Store

    secret = load_secret(Path(args.secret_file or configured_secret_file()))
    store = Store.open(args.db_url or configured_db_url())
    # The grades move the estimates as the server's own model would.
    models = CourseModels(
        configured_model_dir(), lambda cid: course_prior(course) if cid == course.id else None
    )
    try:
        return import_grades(store, secret, course, gradebook, models, unasked=args.unasked)
    finally:
        store.close()


def _import_through_service(
    args: argparse.Namespace, course: Course, gradebook: str
) -> ImportReport:
    """Read here, store in the service (which alone holds the secret): the Hub's way."""
    from ..grading import ImportReport, grade_events
    from ..service_client import ServiceClient

    token = args.token or os.environ.get("JUPYTERHUB_API_TOKEN", "")
    if not token:
        raise InvalidRequestError(
            "--service needs a teacher's Hub API token: --token, or $JUPYTERHUB_API_TOKEN (set in "
            "the teacher's own server)."
        )
    unmapped: set[tuple[str, str]] = set()
    grades = grade_events(gradebook, course, unmapped)
    client = ServiceClient(args.service, token, timeout=300.0)
    answer = asyncio.run(client.call("POST", "grades", {"course": course.id, "grades": grades}))
    report = ImportReport.from_dict(answer)
    report.unmapped |= unmapped
    return report


def _import(args: argparse.Namespace) -> int:
    from ..curriculum import load_course

    course = load_course(Path(args.course))
    args.unasked = args.unasked or configured_setting("grades_without_consent") or "skip"
    gradebook = args.gradebook or f"sqlite:///{Path(args.course).resolve() / 'gradebook.db'}"
    if args.service:
        report = _import_through_service(args, course, gradebook)
    else:
        report = _import_here(args, course, gradebook)
    print(
        f"{course.id}: {report.stored} grade events stored, {report.duplicates} already there, "
        f"from {report.learners} learners"
    )
    if report.refused:
        print(f"skipped (consent off): {len(report.refused)} learners")
    if report.unasked:
        print(
            f"skipped (never asked for consent): {len(report.unasked)} learners; "
            "--unasked outcomes records them"
        )
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
        "--unasked",
        choices=["skip", "outcomes"],
        default=None,
        help="grades of learners never asked for consent: skip them, or record them at the "
        "outcomes level (default: c.AdaptiveApp.grades_without_consent, else skip; with --service "
        "the service's setting decides)",
    )
    parser.add_argument(
        "--service",
        help="the adaptive service's URL (on JupyterHub: http://<hub>/services/adaptive/): the "
        "grades are read here and stored there, under pseudonyms only the service can compute",
    )
    parser.add_argument(
        "--token",
        help="with --service: a Hub API token of a teacher of the course (default: "
        "$JUPYTERHUB_API_TOKEN, the teacher's server's own)",
    )
    parser.add_argument(
        "--secret-file",
        help="the server's pseudonym secret (default: c.AdaptiveApp.secret_file from the Jupyter "
        "configuration, else its default); never created here",
    )
    parser.set_defaults(func=_import)
