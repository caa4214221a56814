"""The validator reports each kind of problem, by file and cell, from one broken course each."""

from __future__ import annotations

import pytest

from jupyter_adaptive.curriculum import validate_course
from jupyter_adaptive.errors import NotFoundError

from .conftest import FIXTURES


def test_valid_fixture_has_no_problems() -> None:
    assert validate_course(FIXTURES / "valid") == []


@pytest.mark.parametrize(
    ("fixture", "file", "where"),
    [
        ("unknown-skill", "items/add.yaml", "item 'add-two'"),
        ("prerequisite-cycle", "skills.yaml", "skill 'add'"),
        ("duplicate-item", "items/more.yaml", "item 'add-two'"),
        ("missing-tests", "items/add.yaml", "item 'add-two'"),
        ("missing-hints", "source/u1/u1.ipynb", "cell 3 (item 'sum-loop')"),
        ("invalid-nbgrader-metadata", "source/u1/u1.ipynb", "cell 3"),
        ("missing-variant-target", "items/add.yaml", "item 'add-two-v2'"),
    ],
)
def test_broken_fixture_reports_its_problem_with_file_and_cell(
    fixture: str, file: str, where: str
) -> None:
    problems = validate_course(FIXTURES / fixture)
    assert problems, fixture
    assert {p.code for p in problems} == {fixture}
    first = problems[0]
    assert first.file == str(FIXTURES / fixture / file)
    assert first.where == where


def test_cycle_is_spelled_out() -> None:
    (problem,) = validate_course(FIXTURES / "prerequisite-cycle")
    assert "add -> loops -> add" in problem.message


def test_missing_course_folder_is_a_domain_error(tmp_path) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(NotFoundError):
        validate_course(tmp_path / "nope")
