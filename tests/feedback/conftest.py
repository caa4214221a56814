"""Fixtures of the feedback tests: the shipped course and its draft classifier, built once."""

from __future__ import annotations

from pathlib import Path

import pytest

from jupyter_adaptive.curriculum import Course, read_course
from jupyter_adaptive.feedback import DraftClassifier

COURSE_PATH = Path(__file__).resolve().parents[2] / "courses" / "data-science-foundations"


@pytest.fixture(scope="session")
def course() -> Course:
    course, problems = read_course(COURSE_PATH)
    assert not problems
    return course


@pytest.fixture(scope="session")
def classifier(course: Course) -> DraftClassifier:
    fitted = DraftClassifier.from_course(course)
    assert fitted is not None
    return fitted
