"""Recording attempts: consent, a wrong then a right answer, feedback and the stored events."""

from __future__ import annotations

import pytest
from notebook_page import (
    DEMO_COURSE,
    NotebookPage,
    copy_demo_notebook,
    demo_cell_index,
    eventually,
    stored_events,
)
from playwright.sync_api import Page, expect

from conftest import ARTIFACTS, PageLog
from tests.fixtures.servers import ServerProcess

pytestmark = pytest.mark.browser

ITEM = "py-basics-ticket-total"
WRONG = 'n_tickets_text = "3"\nticket_price_text = "12.50"\ntotal_cost = n_tickets_text * 2'
RIGHT = (
    'n_tickets_text = "3"\nticket_price_text = "12.50"\n'
    "total_cost = int(n_tickets_text) * float(ticket_price_text)"
)


def mastery_value(page: Page, feedback_index: int, nb: NotebookPage) -> float:
    meter = nb.feedback(feedback_index).get_by_role("meter").first
    expect(meter).to_be_visible()
    return float(meter.get_attribute("aria-valuenow") or "nan")


def test_wrong_then_right_answer_is_recorded_with_feedback(
    lab_server: ServerProcess, page: Page
) -> None:
    nb = NotebookPage(page, lab_server, copy_demo_notebook(lab_server)).open()
    answer, tests = demo_cell_index(ITEM, "answer"), demo_cell_index(ITEM, "tests")

    nb.set_source(answer, WRONG)
    nb.run(answer)
    nb.answer_consent("Outcomes and drafts")
    [draft] = eventually(lambda: stored_events(lab_server, "draft"))
    assert draft["item"] == ITEM
    assert draft["source"].endswith("total_cost = n_tickets_text * 2")
    nb.run(tests)
    feedback = nb.feedback(tests)
    expect(feedback).to_have_attribute("data-outcome", "incorrect")
    expect(feedback.get_by_test_id("adaptive-outcome")).to_contain_text("incorrect")
    before = mastery_value(page, tests, nb)
    feedback.get_by_role("button", name="Show a hint").click()
    expect(feedback).to_contain_text("Hint 1: Convert both texts to numbers first")
    [hint] = eventually(lambda: stored_events(lab_server, "hint"))
    assert (hint["item"], hint["hints_used"]) == (ITEM, 1)

    nb.set_source(answer, RIGHT)
    nb.run(answer)
    nb.run(tests)
    expect(feedback).to_have_attribute("data-outcome", "correct")
    expect(feedback.get_by_test_id("adaptive-outcome")).to_contain_text("correct")
    expect(feedback.locator(".jp-adaptive-Mastery-change.jp-mod-up")).to_be_visible()
    after = mastery_value(page, tests, nb)
    assert after > before
    feedback.screenshot(path=str(ARTIFACTS / "feedback-correct.png"))

    stored = lab_server.request("GET", "/adaptive/api/export")
    attempts = [e for e in stored["events"] if e["type"] == "attempt" and e["item"] == ITEM]
    assert len(stored_events(lab_server, "draft")) == 1, "a run followed by its tests is no draft"
    assert [(a["attempt"], a["outcome"]) for a in attempts] == [(1, "incorrect"), (2, "correct")]
    assert attempts[0]["source"].endswith("total_cost = n_tickets_text * 2")
    assert "float(ticket_price_text)" in attempts[1]["source"]
    assert attempts[0]["error"]["ename"] == "AssertionError"
    assert [a["hints_used"] for a in attempts] == [0, 1]
    assert stored["consent"] == {DEMO_COURSE: "drafts"} or DEMO_COURSE in str(stored["consent"])


def test_ungraded_cells_cost_no_request(
    lab_server: ServerProcess, page: Page, page_log: PageLog
) -> None:
    nb = NotebookPage(page, lab_server, copy_demo_notebook(lab_server)).open()
    nb.run(2)
    nb.wait_for_run(2)
    nb.run(3)
    page.wait_for_timeout(1000)
    assert page_log.requests_to(r"/adaptive/api/") == []
    expect(page.get_by_test_id("adaptive-consent")).to_have_count(0)
