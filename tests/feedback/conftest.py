"""Fixtures of the feedback tests: the shipped course and its draft classifier, built once."""

from __future__ import annotations

import pytest

from jupyter_adaptive.curriculum import Course
from jupyter_adaptive.feedback import DraftClassifier
from tests.fixtures.courses import course

__all__ = ["classifier", "course"]


@pytest.fixture(scope="session")
def classifier(course: Course) -> DraftClassifier:
    fitted = DraftClassifier.from_course(course)
    assert fitted is not None
    return fitted
