"""Never lose an event: attempts made while the API is unreachable wait in IndexedDB, survive a
server restart and a reload, and are stored exactly once."""

from __future__ import annotations

import re

import pytest
from notebook_page import NotebookPage, copy_demo_notebook, stored_attempts
from playwright.sync_api import Page, Route, expect

from conftest import ARTIFACTS
from tests.fixtures.servers import ServerProcess

pytestmark = pytest.mark.browser

EVENTS_URL = re.compile(r"/adaptive/api/events(\?|$)")
ITEMS = ["py-basics-ticket-total", "py-basics-weekly-readings", "py-basics-count-frost"]


def test_attempts_made_offline_are_stored_once_after_restart(
    lab_server: ServerProcess, page: Page
) -> None:
    nb = NotebookPage(page, lab_server, copy_demo_notebook(lab_server)).open()
    nb.run(5)
    nb.answer_consent("Outcomes only")

    def unreachable(route: Route) -> None:
        route.abort("connectionrefused")

    page.route(EVENTS_URL, unreachable)
    for item in ITEMS:
        tests = nb.run_item(item)
        expect(nb.feedback(tests)).to_contain_text("waiting for the server")
    status = page.get_by_test_id("adaptive-queue")
    expect(status).to_have_text("3 learning events waiting")
    status.screenshot(path=str(ARTIFACTS / "queue-status-offline.png"))
    assert stored_attempts(lab_server) == []

    lab_server.stop()
    lab_server.start()
    page.unroute(EVENTS_URL, unreachable)
    page.reload()
    nb.cells.first.wait_for()
    expect(status).to_be_empty()

    attempts = stored_attempts(lab_server)
    assert sorted(a["item"] for a in attempts) == sorted(ITEMS)
    assert len({a["event_id"] for a in attempts}) == 3
    assert all("source" not in a for a in attempts)
