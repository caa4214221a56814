"""Fixtures of the recommendation tests: the shipped course and a policy on default parameters."""

from __future__ import annotations

from pathlib import Path

import pytest

from jupyter_adaptive.curriculum import Course, read_course
from jupyter_adaptive.mastery import DEFAULT_PARAMS
from jupyter_adaptive.recommend import Policy

COURSE_PATH = Path(__file__).resolve().parents[2] / "courses" / "data-science-foundations"


@pytest.fixture(scope="session")
def course() -> Course:
    course, problems = read_course(COURSE_PATH)
    assert not problems
    return course


@pytest.fixture
def policy(course: Course) -> Policy:
    return Policy(course, lambda _skill: DEFAULT_PARAMS)
