"""Unit notebooks run with their solutions; each exercise's tests catch a missing answer."""

from __future__ import annotations

import nbformat
import pytest

from jupyter_adaptive.curriculum import Exercise, load_course

from .conftest import COURSE_PATH
from .running import CellFailed, emptied_solution, released_solution, run_notebook

COURSE = load_course(COURSE_PATH)
EXERCISES = {f"{e.unit}:{e.id}": e for e in COURSE.exercises}


@pytest.mark.parametrize("unit_id", [unit.id for unit in COURSE.units])
def test_unit_notebook_passes_its_tests_with_the_solutions(unit_id: str) -> None:
    unit = COURSE.unit(unit_id)
    assert unit is not None
    for notebook in unit.notebooks:
        run_notebook(notebook)


@pytest.mark.parametrize("key", sorted(EXERCISES))
@pytest.mark.parametrize("student_version", [released_solution, emptied_solution])
def test_exercise_tests_fail_without_the_solution(key: str, student_version: object) -> None:
    exercise: Exercise = EXERCISES[key]
    path = COURSE_PATH / "source" / exercise.unit / f"{exercise.notebook}.ipynb"
    answer = nbformat.read(path, as_version=4).cells[exercise.answer_cell - 1].source
    assert callable(student_version)
    with pytest.raises(CellFailed) as failed:
        run_notebook(
            path,
            replace={exercise.answer_cell: student_version(answer)},
            stop_after=max(exercise.test_cells),
        )
    assert failed.value.cell in (exercise.answer_cell, *exercise.test_cells)
