"""Feedback that lands (issue 18): the learner's real mistake, typed into the notebook, is named;
a blank exercise leaves mastery as it was."""

from __future__ import annotations

import pytest
from notebook_page import (
    DEMO_COURSE,
    NotebookPage,
    copy_demo_notebook,
    demo_cell_index,
    eventually,
    stored_attempts,
)
from playwright.sync_api import Page, expect

from conftest import ARTIFACTS
from tests.fixtures.servers import ServerProcess

pytestmark = pytest.mark.browser

#: (exercise, a draft as a student writes it, the title of the misconception it shows).
DRAFTS = [
    (
        # The TypeError happens in the answer cell; the tests then stop at a NameError.
        "py-basics-ticket-total",
        'n_tickets_text = "3"\nticket_price_text = "12.50"\n'
        "total_cost = int(n_tickets_text) + ticket_price_text",
        "Adding text and a number",
    ),
    (
        # The counter is reset on every pass, with an `if` around the increment.
        "py-basics-count-frost",
        "min_temps = [1.5, -0.5, -3.2, 0.0, 2.1, -1.0, 4.4, 3.0, -0.1, 0.0, 1.2, -2.5, 5.0, 0.3]\n"
        "for t in min_temps:\n"
        "    frost_days = 0\n"
        "    if t < 0:\n"
        "        frost_days += 1\n"
        "print(frost_days)",
        "Resetting the accumulator inside the loop",
    ),
    (
        # print instead of return: the first test is an assert, never a TypeError about None.
        "py-basics-celsius-function",
        "def to_fahrenheit(celsius):\n"
        "    print(celsius * 9 / 5 + 32)\n"
        "\n"
        "\n"
        "def all_to_fahrenheit(temperatures):\n"
        "    return [to_fahrenheit(t) for t in temperatures]",
        "Printing instead of returning",
    ),
]
BLANK = (
    'n_tickets_text = "3"\nticket_price_text = "12.50"\n'
    "# YOUR CODE HERE\nraise NotImplementedError()"
)


def test_real_drafts_are_named_as_their_misconception(
    course_lab_server: ServerProcess, page: Page
) -> None:
    nb = NotebookPage(page, course_lab_server, copy_demo_notebook(course_lab_server)).open()
    for number, (item, draft, title) in enumerate(DRAFTS):
        answer, tests = demo_cell_index(item, "answer"), demo_cell_index(item, "tests")
        nb.set_source(answer, draft)
        nb.run(answer)
        nb.wait_for_run(answer)
        if number == 0:
            nb.answer_consent("Outcomes and drafts")
        nb.run(tests)
        feedback = nb.feedback(tests)
        expect(feedback.locator(".jp-adaptive-Feedback-message")).to_contain_text(title)
        feedback.screenshot(path=str(ARTIFACTS / f"misconception-{item}.png"))
    attempts = {a["item"]: a for a in stored_attempts(course_lab_server)}
    first = attempts["py-basics-ticket-total"]
    assert first["answer_error"]["ename"] == "TypeError"
    assert first["error"]["ename"] == "NameError"


def test_a_blank_exercise_leaves_mastery_unchanged(
    course_lab_server: ServerProcess, page: Page
) -> None:
    item = "py-basics-ticket-total"
    nb = NotebookPage(page, course_lab_server, copy_demo_notebook(course_lab_server)).open()
    answer, tests = demo_cell_index(item, "answer"), demo_cell_index(item, "tests")
    nb.set_source(answer, BLANK)
    nb.run(answer)
    nb.wait_for_run(answer)
    nb.answer_consent("Outcomes only")
    nb.run(tests)
    feedback = nb.feedback(tests)
    expect(feedback.get_by_test_id("adaptive-outcome")).to_contain_text("No answer yet")
    expect(feedback.locator(".jp-adaptive-Feedback-message")).to_contain_text("NotImplementedError")
    expect(feedback.get_by_role("meter")).to_have_count(0)
    [attempt] = eventually(lambda: stored_attempts(course_lab_server))
    assert attempt["outcome"] == "skipped"
    assert attempt["answer_error"] == {"ename": "NotImplementedError"}
    mastery = course_lab_server.request("GET", f"/adaptive/api/mastery?course={DEMO_COURSE}")
    assert mastery["mastery"] == []
