"""Turn nbgrader's gradebook into ``grade`` events: one per graded cell, keyed to item and skills.

nbgrader's autograde (and manual grading) is the authoritative judgement of a submission; each
graded cell that belongs to a course exercise becomes evidence for that exercise's skills.
Re-importing is harmless: an event's id is derived from the grade, so an unchanged grade is a
duplicate and a changed one is new evidence.
"""

from __future__ import annotations

import hashlib
import hmac
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import nbformat

from ..curriculum import Course
from ..errors import ConsentRefusedError, InvalidRequestError
from ..events import BLANK_ANSWER_ERROR, validate_event
from ..mastery.course_models import CourseModels
from ..pseudonyms import pseudonym
from ..recording import Recorder, RecordingPolicy
from ..store import Store

__all__ = [
    "ImportReport",
    "checked_grades",
    "grade_events",
    "import_grades",
    "keyed_grade_id",
    "record_grades",
]

_NAMESPACE = uuid.UUID("6f1c7a52-0d0e-4f0b-9a57-8a4f3c0b9e21")


@dataclass
class ImportReport:
    """What an import did."""

    stored: int = 0
    duplicates: int = 0
    learners: int = 0
    #: nbgrader student ids whose consent for the course is ``off``: nothing of theirs was stored.
    refused: list[str] = field(default_factory=list)
    #: nbgrader student ids never asked for consent in the course, skipped (``unasked="skip"``).
    unasked: list[str] = field(default_factory=list)
    #: (unit, grade id) of graded cells that belong to no exercise of the course.
    unmapped: set[tuple[str, str]] = field(default_factory=set)

    def as_dict(self) -> dict[str, Any]:
        """The report as JSON: what ``POST /adaptive/api/grades`` answers."""
        return {
            "stored": self.stored,
            "duplicates": self.duplicates,
            "learners": self.learners,
            "refused": sorted(self.refused),
            "unasked": sorted(self.unasked),
            "unmapped": sorted(list(pair) for pair in self.unmapped),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ImportReport:
        """The report the service answered."""
        return cls(
            stored=int(data["stored"]),
            duplicates=int(data["duplicates"]),
            learners=int(data["learners"]),
            refused=list(data["refused"]),
            unasked=list(data["unasked"]),
            unmapped={(str(unit), str(grade)) for unit, grade in data["unmapped"]},
        )


def _submitted_at(recorded: datetime | None, notebook: Path) -> str:
    """When the learner submitted: nbgrader's timestamp (``timestamp.txt``, which ``collect``
    keeps), else when the submitted notebook was last written, else now."""
    moment = recorded
    if moment is None and notebook.is_file():
        moment = datetime.fromtimestamp(notebook.stat().st_mtime, UTC)
    moment = moment or datetime.now(UTC)
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).isoformat()


def _blank_cells(notebook: Path) -> set[str]:
    """The nbgrader ids of the cells of an autograded notebook that stopped at a blank answer's
    ``NotImplementedError`` (empty when the notebook is not there)."""
    if not notebook.is_file():
        return set()
    cells = nbformat.read(notebook, as_version=4).cells
    return {
        cell.metadata.get("nbgrader", {}).get("grade_id", "")
        for cell in cells
        if any(
            output.get("output_type") == "error" and output.get("ename") == BLANK_ANSWER_ERROR
            for output in cell.get("outputs", ())
        )
    }


def grade_events(
    gradebook_url: str, course: Course, unmapped: set[tuple[str, str]] | None = None
) -> dict[str, list[dict[str, Any]]]:
    """Read the gradebook: per nbgrader student id, one ``grade`` event per graded cell, at the
    time of the submission.

    Cells still waiting for manual grading, and cells of no course exercise (collected into
    ``unmapped``), are left out. An exercise whose answer was left blank (its answer or test cell
    stopped at ``NotImplementedError`` in the autograded notebook under the course folder) gets
    the outcome ``skipped``: stored, but no evidence of mastery.
    """
    from nbgrader.api import Gradebook

    events: dict[str, list[dict[str, Any]]] = {}
    with Gradebook(gradebook_url, course_id=course.id) as gradebook:
        for assignment in gradebook.assignments:
            for submission in gradebook.assignment_submissions(assignment.name):
                student = submission.student.id
                for notebook in submission.notebooks:
                    name = f"{notebook.name}.ipynb"
                    submitted_at = _submitted_at(
                        submission.timestamp,
                        course.path / "submitted" / student / assignment.name / name,
                    )
                    blank = _blank_cells(
                        course.path / "autograded" / student / assignment.name / name
                    )
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
                            "client_time": submitted_at,
                            "course": course.id,
                            "unit": assignment.name,
                            "item": exercise.id,
                            "skills": list(exercise.skills),
                            "score": float(grade.score),
                            "max_score": float(grade.max_score),
                        }
                        if blank & {grade.name, exercise.answer_grade_id}:
                            event["outcome"] = "skipped"
                        problems = validate_event(event)
                        if problems:
                            raise InvalidRequestError(
                                f"Grade {grade.name} of {assignment.name} cannot be imported.",
                                details=problems,
                            )
                        events.setdefault(student, []).append(event)
    return events


def keyed_grade_id(secret: bytes, event_id: str) -> str:
    """The stored id of a grade event: its gradebook-derived id keyed with the deployment's
    secret, so that nobody without the secret can predict the ids of another learner's grades."""
    digest = hmac.new(secret, event_id.encode("utf-8"), hashlib.sha256).hexdigest()
    return str(uuid.uuid5(_NAMESPACE, digest))


def record_grades(
    store: Store,
    secret: bytes,
    grades: Mapping[str, Sequence[dict[str, Any]]],
    models: CourseModels | None = None,
    report: ImportReport | None = None,
    unasked: str = "skip",
) -> ImportReport:
    """Store ``grade`` events per nbgrader student id and update mastery from them.

    Where the secret is (the server, the Hub service), each student id (their JupyterHub user
    name) becomes the pseudonym the server gives them, and each event id is keyed
    (:func:`keyed_grade_id`). A learner who chose consent ``off`` for the course is skipped, and so
    is one never asked unless ``unasked`` is ``"outcomes"`` (the deployment's choice: grades are
    the course's own records and carry no draft). ``models`` are the courses' served models.
    """
    report = report or ImportReport()
    recorder = Recorder(store, RecordingPolicy(consent_default="outcomes"), models)
    for student, events in grades.items():
        learner = pseudonym(secret, student)
        courses = {event["course"] for event in events}
        if unasked != "outcomes" and any(recorder.consent(learner, c) is None for c in courses):
            report.unasked.append(student)
            continue
        keyed = [
            {**event, "event_id": keyed_grade_id(secret, event["event_id"])} for event in events
        ]
        try:
            results = recorder.record(learner, keyed)
        except ConsentRefusedError:
            report.refused.append(student)
            continue
        report.learners += 1
        report.stored += sum(result["status"] == "stored" for result in results)
        report.duplicates += sum(result["status"] == "duplicate" for result in results)
    return report


def import_grades(
    store: Store,
    secret: bytes,
    course: Course,
    gradebook_url: str,
    models: CourseModels | None = None,
    unasked: str = "skip",
) -> ImportReport:
    """Store the gradebook's grades as ``grade`` events (see :func:`record_grades`)."""
    report = ImportReport()
    grades = grade_events(gradebook_url, course, report.unmapped)
    return record_grades(store, secret, grades, models, report, unasked)


def checked_grades(course_id: str, grades: Any) -> dict[str, list[dict[str, Any]]]:
    """Grades sent to the service (``{student id: [grade events]}``), each a valid ``grade`` event
    of ``course_id``.

    Raises
    ------
    InvalidRequestError
        Naming each student and event that is not.
    """
    if not isinstance(grades, dict) or not all(
        isinstance(student, str) and student and isinstance(events, list)
        for student, events in grades.items()
    ):
        raise InvalidRequestError("`grades` must map nbgrader student ids to lists of events.")
    problems = []
    for student, events in grades.items():
        for index, event in enumerate(events):
            where = f"Student {student!r}, event {index}"
            if not isinstance(event, dict):
                problems.append(f"{where}: not an object.")
                continue
            problems.extend(f"{where}: {problem}" for problem in validate_event(event))
            if event.get("type") != "grade" or event.get("course") != course_id:
                problems.append(f"{where}: must be a `grade` event of course {course_id!r}.")
    if problems:
        raise InvalidRequestError("Some grades cannot be imported; none were.", details=problems)
    return grades
