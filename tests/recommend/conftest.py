"""Fixtures of the recommendation tests: the shipped course and a policy on default parameters."""

from __future__ import annotations

import pytest

from jupyter_adaptive.curriculum import Course
from jupyter_adaptive.mastery import DEFAULT_PARAMS
from jupyter_adaptive.recommend import Policy
from tests.fixtures.courses import course

__all__ = ["course", "policy"]


@pytest.fixture
def policy(course: Course) -> Policy:
    return Policy(course, lambda _skill: DEFAULT_PARAMS)
