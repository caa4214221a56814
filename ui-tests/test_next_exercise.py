"""The "Next exercise" action inserts the recommended exercise, and its tests record attempts.

The first test answers ``GET /adaptive/api/next`` in the browser with a response of the documented
shape (DESIGN.md), so it checks the extension alone; the second asks the real server, which reads
the repository's demo course.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from notebook_page import DEMO_COURSE, NotebookPage, copy_demo_notebook, eventually, stored_attempts
from playwright.sync_api import Page, Route, expect

from conftest import ARTIFACTS
from tests.fixtures.servers import ServerProcess

pytestmark = pytest.mark.browser

PRACTICE = "py-basics-ticket-total-v2"
COURSES = Path(__file__).resolve().parents[1] / "courses"


def practice_exercise() -> dict[str, Any]:
    """A ``GET next`` answer: a prompt, an answer with starter code, and its tests."""
    adaptive = {"item": PRACTICE, "skills": ["py-values-types"], "difficulty": 1, "hints": []}
    return {
        "item": PRACTICE,
        "skills": ["py-values-types"],
        "reason": "py-values-types is not mastered yet (0.71 < 0.95).",
        "cells": [
            {
                "cell_type": "markdown",
                "metadata": {"adaptive": {**adaptive, "injected": True, "role": "prompt"}},
                "source": "**Practice** · compute `total` from the text `'4'` times 2.5",
            },
            {
                "cell_type": "code",
                "metadata": {"adaptive": {**adaptive, "injected": True, "role": "answer"}},
                "source": "total = int('4') * 2.5",
                "outputs": [],
                "execution_count": None,
            },
            {
                "cell_type": "code",
                "metadata": {"adaptive": {**adaptive, "injected": True, "role": "tests"}},
                "source": "assert total == 10.0",
                "outputs": [],
                "execution_count": None,
            },
        ],
    }


def insert_and_run_next(nb: NotebookPage, server: ServerProcess) -> tuple[int, str]:
    """Record a correct attempt, press "Next exercise", run the inserted cells.

    Returns the index of the inserted test cell and the inserted item's id.
    """
    nb.run(5)
    nb.answer_consent("Outcomes only")
    tests = nb.run_item("py-basics-ticket-total")
    feedback = nb.feedback(tests)
    expect(feedback.get_by_role("meter")).to_be_visible()
    count = nb.cells.count()

    feedback.get_by_test_id("adaptive-next").click()
    expect(nb.cells).to_have_count(count + 3)
    expect(feedback).to_contain_text("Inserted below")
    feedback.screenshot(path=str(ARTIFACTS / "feedback-next.png"))
    item = feedback.locator(".jp-adaptive-Feedback-reason").inner_text().split(":")[1].split(".")[0]
    nb.run(tests + 2)
    nb.wait_for_run(tests + 2)
    nb.run(tests + 3)
    nb.wait_for_run(tests + 3)
    return tests + 3, item.strip()


def saved_cells(nb: NotebookPage) -> list[dict[str, Any]]:
    """Save the notebook; return its cells as written on disk."""
    nb.page.keyboard.press("Control+s")
    path = nb.server.root_dir / nb.path
    return eventually(lambda: PRACTICE in path.read_text() and json.loads(path.read_text()))[
        "cells"
    ]


def test_next_exercise_inserts_three_injected_cells_that_record_attempts(
    lab_server: ServerProcess, page: Page
) -> None:
    requests: list[str] = []

    def answer_next(route: Route) -> None:
        requests.append(route.request.url)
        route.fulfill(json=practice_exercise())

    page.route("**/adaptive/api/next?**", answer_next)
    nb = NotebookPage(page, lab_server, copy_demo_notebook(lab_server)).open()
    inserted_tests, item = insert_and_run_next(nb, lab_server)
    assert item == PRACTICE
    assert f"course={DEMO_COURSE}" in requests[0] and "unit=01_python_basics" in requests[0]
    expect(nb.feedback(inserted_tests)).to_have_attribute("data-outcome", "correct")

    cells = saved_cells(nb)
    injected = cells[inserted_tests - 2 : inserted_tests + 1]
    assert [c["metadata"]["adaptive"]["role"] for c in injected] == ["prompt", "answer", "tests"]
    assert all(c["metadata"]["adaptive"]["injected"] is True for c in injected)
    assert all("nbgrader" not in c["metadata"] for c in injected)

    attempts = eventually(lambda: [a for a in stored_attempts(lab_server) if a["item"] == PRACTICE])
    assert attempts[0]["skills"] == ["py-values-types"]
    assert attempts[0]["outcome"] == "correct"


@pytest.fixture
def course_lab(tmp_path: Path) -> Iterator[ServerProcess]:
    """JupyterLab whose server reads the repository's courses (item pool, skill map)."""
    server = ServerProcess(tmp_path, extra_args=[f"--AdaptiveApp.course_paths={COURSES}"]).start()
    yield server
    server.stop()


def test_next_exercise_from_the_real_server(course_lab: ServerProcess, page: Page) -> None:
    nb = NotebookPage(page, course_lab, copy_demo_notebook(course_lab)).open()
    inserted_tests, item = insert_and_run_next(nb, course_lab)
    expect(nb.feedback(inserted_tests)).to_be_visible()
    assert eventually(lambda: [a for a in stored_attempts(course_lab) if a["item"] == item])
