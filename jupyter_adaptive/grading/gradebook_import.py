"""Turn nbgrader's gradebook into ``grade`` events: one per graded cell, keyed to item and skills.

nbgrader's autograde (and manual grading) is the authoritative judgement of a submission; each
graded cell that belongs to a course exercise becomes evidence for that exercise's skills.
Re-importing is harmless: an event's id is derived from the grade, so an unchanged grade is a
duplicate and a changed one is new evidence.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from ..curriculum import Course
from ..errors import ConsentRefusedError, InvalidRequestError
from ..events import validate_event
from ..pseudonyms import pseudonym
from ..recording import ParameterSource, Recorder, RecordingPolicy
from ..store import Store

__all__ = ["ImportReport", "grade_events", "import_grades"]

_NAMESPACE = uuid.UUID("6f1c7a52-0d0e-4f0b-9a57-8a4f3c0b9e21")


@dataclass
class ImportReport:
    """What an import did."""

    stored: int = 0
    duplicates: int = 0
    learners: int = 0
    #: nbgrader student ids whose consent for the course is ``off``: nothing of theirs was stored.
    refused: list[str] = field(default_factory=list)
    #: (unit, grade id) of graded cells that belong to no exercise of the course.
    unmapped: set[tuple[str, str]] = field(default_factory=set)


def _time(value: datetime | None) -> str:
    moment = value or datetime.now(UTC)
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).isoformat()


def grade_events(
    gradebook_url: str, course: Course, unmapped: set[tuple[str, str]] | None = None
) -> dict[str, list[dict[str, Any]]]:
    """Read the gradebook: per nbgrader student id, one ``grade`` event per graded cell.

    Cells still waiting for manual grading, and cells of no course exercise (collected into
    ``unmapped``), are left out.
    """
    from nbgrader.api import Gradebook

    events: dict[str, list[dict[str, Any]]] = {}
    with Gradebook(gradebook_url, course_id=course.id) as gradebook:
        for assignment in gradebook.assignments:
            for submission in gradebook.assignment_submissions(assignment.name):
                student = submission.student.id
                for notebook in submission.notebooks:
                    for grade in notebook.grades:
                        exercise = course.exercise(assignment.name, grade.name)
                        if exercise is None:
                            if unmapped is not None:
                                unmapped.add((assignment.name, grade.name))
                            continue
                        if grade.score is None or not grade.max_score:
                            continue
                        key = f"{course.id}/{student}/{assignment.name}/{grade.name}/{grade.score}"
                        event = {
                            "event_id": str(uuid.uuid5(_NAMESPACE, key)),
                            "schema_version": 1,
                            "type": "grade",
                            "client_time": _time(submission.timestamp),
                            "course": course.id,
                            "unit": assignment.name,
                            "item": exercise.id,
                            "skills": list(exercise.skills),
                            "score": float(grade.score),
                            "max_score": float(grade.max_score),
                        }
                        problems = validate_event(event)
                        if problems:
                            raise InvalidRequestError(
                                f"Grade {grade.name} of {assignment.name} cannot be imported.",
                                details=problems,
                            )
                        events.setdefault(student, []).append(event)
    return events


def import_grades(
    store: Store,
    secret: bytes,
    course: Course,
    gradebook_url: str,
    parameters: ParameterSource | None = None,
) -> ImportReport:
    """Store the gradebook's grades as ``grade`` events and update mastery from them.

    Learners are stored under the pseudonym of their nbgrader student id (their JupyterHub user
    name), the same one the server gives them. A learner who chose consent ``off`` for the course
    is skipped; one who was never asked is recorded at the ``outcomes`` level, since grades are the
    course's own records and carry no draft.
    """
    report = ImportReport()
    recorder = Recorder(store, RecordingPolicy(consent_default="outcomes"), parameters)
    for student, events in grade_events(gradebook_url, course, report.unmapped).items():
        try:
            results = recorder.record(pseudonym(secret, student), events)
        except ConsentRefusedError:
            report.refused.append(student)
            continue
        report.learners += 1
        report.stored += sum(result["status"] == "stored" for result in results)
        report.duplicates += sum(result["status"] == "duplicate" for result in results)
    return report
