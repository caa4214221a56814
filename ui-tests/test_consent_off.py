"""Consent `off`: nothing at all is sent while graded cells run."""

from __future__ import annotations

import pytest
from notebook_page import NotebookPage, copy_demo_notebook, stored_attempts
from playwright.sync_api import Page, expect

from conftest import PageLog
from tests.fixtures.servers import ServerProcess

pytestmark = pytest.mark.browser


def test_no_event_request_at_consent_off(
    lab_server: ServerProcess, page: Page, page_log: PageLog
) -> None:
    nb = NotebookPage(page, lab_server, copy_demo_notebook(lab_server)).open()
    nb.run(5)
    nb.answer_consent("Record nothing")
    for item in ["py-basics-ticket-total", "py-basics-weekly-readings"]:
        tests = nb.run_item(item)
        expect(nb.feedback(tests)).to_have_count(0)
    # Give a would-be flush (250 ms linger) ample time to show up in the request log.
    page.wait_for_timeout(1500)

    assert page_log.requests_to(r"/adaptive/api/events") == []
    assert stored_attempts(lab_server) == []
    assert (
        lab_server.request("GET", "/adaptive/api/consent?course=data-science-foundations")["level"]
        == "off"
    )


def test_consent_changed_to_off_from_the_palette_stops_recording(
    lab_server: ServerProcess, page: Page
) -> None:
    nb = NotebookPage(page, lab_server, copy_demo_notebook(lab_server)).open()
    nb.run(5)
    nb.answer_consent("Outcomes only")
    tests = nb.run_item("py-basics-ticket-total")
    expect(nb.feedback(tests).get_by_role("meter")).to_be_visible()

    nb.run_command("Change adaptive learning consent")
    expect(page.get_by_test_id("adaptive-consent")).to_contain_text("Outcomes only")
    nb.answer_consent("Record nothing")
    nb.run_item("py-basics-weekly-readings")
    page.wait_for_timeout(1500)

    assert [a["item"] for a in stored_attempts(lab_server)] == ["py-basics-ticket-total"]
    assert (
        lab_server.request("GET", "/adaptive/api/consent?course=data-science-foundations")["level"]
        == "off"
    )
