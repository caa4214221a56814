"""What the outbox keeps and what it drops: a server without the extension (404) is a server that
cannot take events yet, while an event the server names as invalid is dropped and the learner is
told why."""

from __future__ import annotations

import json
import re

import pytest
from notebook_page import (
    NotebookPage,
    copy_demo_notebook,
    demo_cell_index,
    sent_batch,
    stored_attempts,
)
from playwright.sync_api import Page, Route, expect

from conftest import ARTIFACTS
from tests.fixtures.servers import ServerProcess

pytestmark = pytest.mark.browser

EVENTS_URL = re.compile(r"/adaptive/api/events(\?|$)")
ITEM = "py-basics-ticket-total"


def consented_notebook(page: Page, server: ServerProcess) -> NotebookPage:
    """The demo notebook, open, with consent `outcomes` given."""
    nb = NotebookPage(page, server, copy_demo_notebook(server)).open()
    nb.run(demo_cell_index(ITEM, "answer"))
    nb.answer_consent("Outcomes only")
    return nb


def test_events_wait_while_the_extension_is_missing_and_are_stored_once_it_answers(
    lab_server: ServerProcess, page: Page
) -> None:
    nb = consented_notebook(page, lab_server)

    def not_found(route: Route) -> None:
        route.fulfill(status=404, content_type="text/html", body="<title>404: Not Found</title>")

    page.route(EVENTS_URL, not_found)
    tests = nb.run_item(ITEM)
    status = page.get_by_test_id("adaptive-queue")
    expect(status).to_have_text("1 learning event waiting")
    expect(nb.feedback(tests)).to_contain_text("waiting for the server")
    expect(page.locator(".Toastify__toast")).to_have_count(0)
    assert stored_attempts(lab_server) == []

    page.unroute(EVENTS_URL, not_found)
    nb.run_command("Send waiting learning events now")
    expect(status).to_be_empty()
    expect(nb.feedback(tests).get_by_role("meter")).to_be_visible()
    assert [a["item"] for a in stored_attempts(lab_server)] == [ITEM]


def test_an_event_the_server_names_as_invalid_is_dropped_and_the_learner_told_why(
    lab_server: ServerProcess, page: Page
) -> None:
    nb = consented_notebook(page, lab_server)

    def corrupt_outcome(route: Route) -> None:
        """Send the batch on to the real server with an outcome its schema does not know (the
        labextension gzips batches: this one goes on as plain JSON)."""
        batch = sent_batch(route.request)
        headers = {k: v for k, v in route.request.headers.items() if k != "content-encoding"}
        for event in batch["events"]:
            event["outcome"] = "perhaps"
        route.continue_(post_data=json.dumps(batch), headers=headers)

    page.route(EVENTS_URL, corrupt_outcome)
    tests = nb.run_item(ITEM)
    notice = page.locator(".Toastify__toast", has_text="learning event was not recorded")
    expect(notice).to_contain_text(
        "1 learning event was not recorded: 1 of 1 events are invalid; nothing of this batch was"
    )
    expect(nb.feedback(tests)).to_contain_text("Not recorded: 1 of 1 events are invalid")
    expect(page.get_by_test_id("adaptive-queue")).to_be_empty()
    notice.screenshot(path=str(ARTIFACTS / "refusal-notice.png"))

    notice.get_by_role("button", name="Details").click()
    details = page.get_by_test_id("adaptive-refusal")
    expect(details).to_contain_text("perhaps")
    expect(details).to_contain_text(f"attempt on {ITEM}")
    assert stored_attempts(lab_server) == []
