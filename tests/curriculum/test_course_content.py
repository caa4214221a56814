"""The shipped course is sound, big enough, and every item's tests can both pass and fail."""

from __future__ import annotations

import warnings

import pytest

from jupyter_adaptive.curriculum import Course, load_course, validate_course

from .conftest import COURSE_PATH
from .running import CellFailed, run_code

ITEMS = load_course(COURSE_PATH).items


def test_course_validates_without_problems() -> None:
    assert validate_course(COURSE_PATH) == []


def test_course_has_the_promised_size(course: Course) -> None:
    base_items = [i for i in course.items.values() if i.variant_of is None]
    assert len(course.units) >= 6
    assert len(course.skills) >= 15
    assert len(base_items) >= 60
    with_variant = [i for i in base_items if course.variants_of(i.id)]
    assert len(with_variant) >= len(base_items) / 2
    assert all(len(i.hints) >= 2 and i.tests for i in course.items.values())


def test_units_sort_and_start_with_python_basics(course: Course) -> None:
    ids = [unit.id for unit in course.units]
    assert ids == sorted(ids)
    assert ids[0] == "01_python_basics"


def test_every_skill_is_practised_and_has_misconceptions(course: Course) -> None:
    for skill_id in course.skills:
        assert course.items_for_skill(skill_id), f"no practice item for {skill_id}"
        assert course.misconceptions_for(skill_id), f"no misconception for {skill_id}"


def test_every_graded_exercise_is_tagged_with_skills(course: Course) -> None:
    assert len(course.exercises) >= 3 * len(course.units)
    for exercise in course.exercises:
        assert exercise.skills and exercise.grade_ids and exercise.points > 0


@pytest.mark.parametrize("item_id", sorted(ITEMS))
def test_item_solution_passes_and_starter_fails(item_id: str) -> None:
    item = ITEMS[item_id]
    run_code(item.reference_code, item.tests)
    with pytest.raises(CellFailed):
        run_code(item.starter_code, item.tests)


def test_reference_solutions_are_not_in_what_students_get(course: Course) -> None:
    for item in course.items.values():
        shown = "\n".join(cell["source"] for cell in item.cells())
        assert item.solution.strip() not in shown, item.id


def test_misconception_examples_are_recognised(course: Course) -> None:
    for misconception in course.misconceptions:
        assert misconception.examples, misconception.id
        for example in misconception.examples:
            if misconception.matches_draft(example):
                continue
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                with pytest.raises(Exception) as raised:
                    exec(compile(example, "<draft>", "exec"), {})
            name, message = type(raised.value).__name__, str(raised.value)
            assert misconception.matches_error(name, message), (misconception.id, name, message)
