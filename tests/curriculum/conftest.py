"""Fixtures of the curriculum tests: the shipped course, read once per session."""

from __future__ import annotations

from pathlib import Path

import pytest

from jupyter_adaptive.curriculum import Course, load_course

REPO = Path(__file__).resolve().parents[2]
COURSE_PATH = REPO / "courses" / "data-science-foundations"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(scope="session")
def course() -> Course:
    """The Data Science Foundations course; loading fails if it has any problem."""
    return load_course(COURSE_PATH)
