"""A check-in in the notebook (issue 14): start it from the unit's check-in cell, answer the
questions it inserts one at a time without any feedback (exam mode), and read the result with its
uncertainty; the check moves the unit's skill estimates once at the end."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from notebook_page import (
    DEMO_COURSE,
    DEMO_NOTEBOOK,
    NotebookPage,
    copy_demo_notebook,
    eventually,
)
from playwright.sync_api import Page, expect

from conftest import ARTIFACTS
from tests.fixtures.courses import COURSES
from tests.fixtures.servers import ServerProcess

pytestmark = pytest.mark.browser

MAX_ITEMS = 3


@pytest.fixture
def check_lab(tmp_path: Path) -> Iterator[ServerProcess]:
    server = ServerProcess(
        tmp_path,
        extra_args=[
            f"--AdaptiveApp.course_paths={COURSES}",
            f"--AdaptiveApp.check_max_items={MAX_ITEMS}",
        ],
    ).start()
    yield server
    server.stop()


def test_a_check_in_asks_adaptively_shows_nothing_until_the_end(
    check_lab: ServerProcess, page: Page
) -> None:
    nb = NotebookPage(page, check_lab, copy_demo_notebook(check_lab)).open()
    # The unit's check-in cell, from the file: the page may still be adding cells when it opens.
    cells = json.loads(DEMO_NOTEBOOK.read_text())["cells"]
    anchor = next(i for i, c in enumerate(cells) if "check" in c["metadata"].get("adaptive", {}))
    expect(nb.cells).to_have_count(len(cells))
    widget = nb.cell(anchor).get_by_test_id("adaptive-checkin")
    widget.scroll_into_view_if_needed()
    expect(widget).to_contain_text("no feedback until the end")
    widget.get_by_test_id("adaptive-checkin-start").click()
    # A check records its answers: the learner chooses what may be recorded before it starts.
    nb.answer_consent("Outcomes only")

    for question in range(1, MAX_ITEMS + 1):
        expect(widget).to_contain_text(f"Question {question} is below")
        answer, tests = anchor + 3 * question - 1, anchor + 3 * question
        expect(nb.cells).to_have_count(anchor + 1 + 3 * question)
        nb.set_source(answer, "answer = 'b'")
        nb.run(answer)
        nb.wait_for_run(answer)
        nb.run(tests)
        nb.wait_for_run(tests)
        # Exam mode: no feedback, hints, mastery or next exercise under a check's cells.
        expect(nb.cell(tests).get_by_test_id("adaptive-feedback")).to_have_count(0)

    expect(widget).to_have_attribute("data-state", "done", timeout=30_000)
    status = widget.locator(".jp-adaptive-CheckIn-status")
    expect(status).to_contain_text(re.compile(rf"You answered \d of {MAX_ITEMS} right"))
    expect(status).to_contain_text("likely between")
    widget.screenshot(path=str(ARTIFACTS / "checkin-done.png"))
    assert nb.cells.count() == anchor + 1 + 3 * MAX_ITEMS

    attempts = eventually(
        lambda: [
            e
            for e in check_lab.request("GET", "/adaptive/api/export")["events"]
            if e["type"] == "attempt"
        ]
    )
    assert len(attempts) == MAX_ITEMS
    assert len({a["item"] for a in attempts}) == MAX_ITEMS, "no item repeats within a check"
    assert len({a["check"] for a in attempts}) == 1
    mastery = check_lab.request("GET", f"/adaptive/api/mastery?course={DEMO_COURSE}")
    assert mastery["mastery"], "the check's end moves the estimates of the unit's skills"
