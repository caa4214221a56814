"""One learner's browser storage: the outbox is named after the server and the hub user, the unkeyed
outbox of earlier versions moves into it (outside a hub), and File > Log Out deletes it before the
browser leaves JupyterLab."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, Route

from conftest import PageLog
from tests.fixtures.servers import ServerProcess

pytestmark = pytest.mark.browser

# What an earlier version left behind: the unkeyed outbox holding one waiting event.
SEED_UNKEYED_OUTBOX = """
() => new Promise((resolve, reject) => {
  const request = indexedDB.open('jupyter-adaptive', 1);
  request.onupgradeneeded = () => {
    const store = request.result.createObjectStore('outbox', { autoIncrement: true });
    store.createIndex('event_id', 'event_id', { unique: true });
  };
  request.onsuccess = () => {
    const db = request.result;
    const event = {
      event_id: '6f1c2f8e-1c51-4d6a-9a57-2b1f0e0c9d41', schema_version: 1, type: 'attempt',
      client_time: new Date().toISOString(), course: 'data-science-foundations',
      item: 'py-basics-ticket-total', skills: ['variables'], attempt: 1, outcome: 'correct'
    };
    const tx = db.transaction('outbox', 'readwrite');
    tx.objectStore('outbox').add({ event_id: event.event_id, event });
    tx.oncomplete = () => { db.close(); resolve(); };
    tx.onerror = () => reject(tx.error);
  };
  request.onerror = () => reject(request.error);
})
"""
DATABASES = "async () => (await indexedDB.databases()).map(db => db.name)"


def test_logout_deletes_the_learners_outbox_with_what_waits(
    lab_server: ServerProcess, page: Page, page_log: PageLog
) -> None:
    page.goto(f"{lab_server.url}/api/status?token={lab_server.token}")
    page.evaluate(SEED_UNKEYED_OUTBOX)

    def unreachable(route: Route) -> None:
        route.abort("connectionrefused")

    page.route(re.compile(r"/adaptive/api/events(\?|$)"), unreachable)
    with page.expect_console_message(
        lambda m: m.text.startswith("jupyter-adaptive: outbox ")
    ) as opened:
        page.goto(f"{lab_server.url}/lab?token={lab_server.token}")
    name = opened.value.text.removeprefix("jupyter-adaptive: outbox ")
    assert name == f"jupyter-adaptive:{lab_server.url}/::outbox"
    assert (
        f"info: jupyter-adaptive: moved 1 waiting event(s) from jupyter-adaptive into {name}"
        in page_log.console
    )
    page.locator(".jp-LauncherCard").first.wait_for()
    assert page.evaluate(DATABASES) == [name]

    with page.expect_console_message(
        lambda m: m.text.startswith("jupyter-adaptive: cleared outbox ")
    ) as cleared:
        page.get_by_role("menuitem", name="File").click()
        page.get_by_role("menuitem", name="Log Out").click()
    assert cleared.value.text == f"jupyter-adaptive: cleared outbox {name} (1 unsent)"
    page.wait_for_url(re.compile(r"/logout"))
    page.goto(f"{lab_server.url}/api/status")
    assert page.evaluate(DATABASES) == []
