"""nbgrader's own commands on a temporary copy of the course, all units in one session-scoped run.

generate_assignment -> a correct and a partly wrong submission per unit -> autograde ->
generate_feedback; then the gradebook shows full and partial marks, and every graded cell maps back
to an exercise (item and skills) of the course, which is what the grading import relies on.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import nbformat
import pytest

from jupyter_adaptive.curriculum import Course

from .conftest import COURSE_PATH

_MARKER = re.compile(r"^[ \t]*### (BEGIN|END) SOLUTION[ \t]*\n?", re.M)
STUDENTS = {"correct": None, "wrong": 1}  # how many exercises each student answers (None: all)
#: nbgrader's timestamp.txt of the students who have one (the others: their notebook's mtime).
SUBMITTED_AT = {"correct": "2026-11-20 09:30:00.000000 UTC"}
#: The course is copied under another folder name: its id comes from nbgrader_config.py.
RENAMED = "dsf-fall-term-copy"


def _nbgrader(root: Path, *args: str) -> None:
    subprocess.run(
        [sys.executable, "-m", "nbgrader", *args],
        cwd=root,
        check=True,
        capture_output=True,
        timeout=600,
    )


def _submit(root: Path, student: str, unit: str, n_answers: int | None) -> None:
    dest = root / "submitted" / student / unit
    shutil.copytree(root / "release" / unit, dest)
    if student in SUBMITTED_AT:
        # As `nbgrader collect` leaves it; autograde records it as the submission's time.
        (dest / "timestamp.txt").write_text(SUBMITTED_AT[student])
    released = nbformat.read(dest / f"{unit}.ipynb", as_version=4)
    source = nbformat.read(root / "source" / unit / f"{unit}.ipynb", as_version=4)
    answered = 0
    for cell, source_cell in zip(released.cells, source.cells, strict=True):
        if cell.metadata.get("nbgrader", {}).get("solution"):
            if n_answers is None or answered < n_answers:
                cell.source = _MARKER.sub("", source_cell.source)
            answered += 1
    nbformat.write(released, dest / f"{unit}.ipynb")


@pytest.fixture(scope="session")
def graded_course(tmp_path_factory: pytest.TempPathFactory, course: Course) -> Iterator[Path]:
    root = tmp_path_factory.mktemp("nbgrader") / RENAMED
    ignored = shutil.ignore_patterns(
        "release", "submitted", "autograded", "feedback", "gradebook.db", ".ipynb_checkpoints"
    )
    shutil.copytree(COURSE_PATH, root, ignore=ignored)
    _nbgrader(root, "generate_assignment", "*", "--force")
    for unit in course.units:
        for student, n_answers in STUDENTS.items():
            _submit(root, student, unit.id, n_answers)
    _nbgrader(root, "autograde", "*", "--force")
    _nbgrader(root, "generate_feedback", "*", "--force")
    yield root


def test_released_notebooks_keep_adaptive_metadata(graded_course: Path, course: Course) -> None:
    for unit in course.units:
        nb = nbformat.read(graded_course / "release" / unit.id / f"{unit.id}.ipynb", as_version=4)
        assert nb.metadata["adaptive"]["course"] == course.id
        tagged = [c for c in nb.cells if "item" in c.metadata.get("adaptive", {})]
        assert len(tagged) == 2 * len(unit.exercises)
        checks = [
            c.metadata.adaptive.check for c in nb.cells if "check" in c.metadata.get("adaptive", {})
        ]
        assert checks == [unit.id], "each unit ends with its check-in cell"
        assert "### BEGIN SOLUTION" not in "".join(c.source for c in nb.cells)


def test_correct_submission_gets_full_marks_and_wrong_one_partial(
    graded_course: Path, course: Course
) -> None:
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{graded_course / 'gradebook.db'}") as gradebook:
        for unit in course.units:
            expected = sum(e.points for e in unit.exercises)
            correct = gradebook.find_submission(unit.id, "correct")
            wrong = gradebook.find_submission(unit.id, "wrong")
            assert correct.max_score == expected
            assert correct.score == expected, unit.id
            assert 0 < wrong.score < expected, unit.id


def test_every_gradebook_cell_maps_to_an_exercise(graded_course: Path, course: Course) -> None:
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{graded_course / 'gradebook.db'}") as gradebook:
        for unit in course.units:
            notebook = gradebook.find_submission_notebook(unit.id, unit.id, "correct")
            for grade in notebook.grades:
                exercise = course.exercise(unit.id, grade.name)
                assert exercise is not None, (unit.id, grade.name)
                assert exercise.skills


def test_feedback_is_generated_for_every_unit(graded_course: Path, course: Course) -> None:
    for student in STUDENTS:
        for unit in course.units:
            assert (graded_course / "feedback" / student / unit.id / f"{unit.id}.html").is_file()


def test_grading_import_refuses_to_make_a_secret_of_its_own(
    graded_course: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from jupyter_adaptive.cli import main

    missing = tmp_path / "no-secret-here"
    gradebook = f"sqlite:///{graded_course / 'gradebook.db'}"
    args = ["grading", "import", "--course", str(COURSE_PATH), "--gradebook", gradebook]
    args += ["--db-url", f"sqlite:///{tmp_path / 'store.sqlite'}", "--secret-file", str(missing)]
    assert main(args) == 1
    assert "No pseudonym secret at" in capsys.readouterr().err
    assert not missing.exists()


def test_grading_import_stores_grade_events_and_mastery_moves(
    graded_course: Path, course: Course, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from jupyter_adaptive.cli import main
    from jupyter_adaptive.pseudonyms import load_or_create_secret, pseudonym
    from jupyter_adaptive.store import Store

    db_url = f"sqlite:///{tmp_path / 'store.sqlite'}"
    secret_file = tmp_path / "secret"
    # The renamed copy, with its gradebook at the default place.
    args = ["grading", "import", "--course", str(graded_course)]
    args += ["--db-url", db_url, "--secret-file", str(secret_file)]
    # The server's secret, made when it first started: the import uses it, never a new one.
    secret = load_or_create_secret(secret_file)
    started = datetime.now(UTC)
    # Nobody was asked for consent: skipped unless the deployment records grades at `outcomes`.
    assert main(args) == 0
    assert "skipped (never asked for consent)" in capsys.readouterr().out
    store = Store.open(db_url)
    with store.transaction() as session:
        assert store.count_events(session) == 0
    args += ["--unasked", "outcomes"]
    assert main(args) == 0
    with store.transaction() as session:
        events = store.events(session)
        graded_cells = sum(len(e.grade_ids) for e in course.exercises)
        assert len(events) == len(STUDENTS) * graded_cells
        assert {e.type for e in events} == {"grade"}
        mastery = {
            student: {
                s.skill: s.p_mastery for s in store.mastery(session, pseudonym(secret, student))
            }
            for student in STUDENTS
        }
    assert set(mastery["correct"]) == {skill for e in course.exercises for skill in e.skills}
    assert sum(mastery["correct"].values()) > sum(mastery["wrong"].values())
    by_student = {
        student: [e for e in events if e.learner_id == pseudonym(secret, student)]
        for student in STUDENTS
    }
    # Grades keep the submission's time: nbgrader's timestamp, else the submitted notebook's.
    assert {e.client_time for e in by_student["correct"]} == {"2026-11-20T09:30:00+00:00"}
    assert all(datetime.fromisoformat(e.client_time) < started for e in by_student["wrong"])
    # The wrong student answered one exercise per unit: the others were left blank, skipped.
    assert {e.outcome for e in by_student["correct"]} == {None}
    skipped = [e for e in by_student["wrong"] if e.outcome == "skipped"]
    answered = [e for e in by_student["wrong"] if e.outcome is None]
    assert len(answered) == sum(len(u.exercises[0].grade_ids) for u in course.units)
    assert len(skipped) == len(by_student["wrong"]) - len(answered) > 0
    assert main(args) == 0
    with store.transaction() as session:
        assert store.count_events(session) == len(events)
    store.close()
