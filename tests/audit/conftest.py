"""A class seeded on the shipped course, in a temporary SQLite store."""

from __future__ import annotations

from pathlib import Path

import pytest

from jupyter_adaptive.curriculum import Course, load_course
from jupyter_adaptive.dashboard.seed import seed_class
from jupyter_adaptive.store import Store

COURSE_DIR = Path(__file__).resolve().parents[2] / "courses" / "data-science-foundations"


@pytest.fixture(scope="module")
def course() -> Course:
    return load_course(COURSE_DIR)


@pytest.fixture
def db_url(tmp_path: Path, course: Course) -> str:
    url = f"sqlite:///{tmp_path / 'class.sqlite'}"
    store = Store.open(url)
    seed_class(store, learners=40, skills=0, events=2000, curriculum=course)
    store.close()
    return url


@pytest.fixture
def store(db_url: str) -> Store:
    return Store.open(db_url)
