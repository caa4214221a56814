"""A class on a real JupyterHub, in chromium: a learner logs in at the Hub's form and works in
their own JupyterLab, the teacher reads the class on the service's dashboard; a shared browser
keeps nothing of one learner for the next; a server stopped by the Hub loses nothing queued.

One Hub for the session (``hub`` fixture: deploy/jupyterhub/jupyterhub_config.py in demo mode on
PostgreSQL). student1 is the learner of the first and the last test, student2 and student3 share
one browser in the second; every test starts the demo learners afresh and leaves nothing behind.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from hub_page import (
    SERVICE_API,
    export,
    forget_learner,
    log_in,
    log_out,
    open_demo_notebook,
    outbox_name,
)
from notebook_page import NotebookPage, demo_cell_index, eventually, sent_batch
from playwright.sync_api import Browser, Page, Route, expect
from sqlalchemy import select

from conftest import ARTIFACTS, PageLog
from jupyter_adaptive.store import Store
from jupyter_adaptive.store.models import Event
from tests.fixtures.hub import COURSE, HubProcess

pytestmark = [pytest.mark.browser, pytest.mark.postgres]

USERS = ("teacher1", "student1", "student2", "student3")
EVENTS_URL = re.compile(r"/adaptive/api/events(\?|$)")
ITEM = "py-basics-ticket-total"
SKILL = "py-values-types"
ITEMS = [ITEM, "py-basics-weekly-readings", "py-basics-count-frost"]
RIGHT = (
    'n_tickets_text = "3"\nticket_price_text = "12.50"\n'
    "total_cost = int(n_tickets_text) * float(ticket_price_text)"
)
# The fill of the heat map's cell at (learner row, skill column), found by the axes' tick lines.
CELL_FILL = """
([learner, skill]) => {
  const figure = document.querySelector('.adaptive-class-heatmap');
  const tick = name => [...figure.querySelectorAll('.tick')].find(
    t => t.querySelector('text')?.textContent === name)?.querySelector('line')
    ?.getBoundingClientRect();
  const row = tick(learner), column = tick(skill);
  if (!row || !column) return null;
  const y = row.top + row.height / 2, x = column.left + column.width / 2;
  const cell = [...figure.querySelectorAll('rect.heatmapcell')].find(c => {
    const r = c.getBoundingClientRect();
    return r.left <= x && x <= r.right && r.top <= y && y <= r.bottom;
  });
  return cell ? getComputedStyle(cell).fill : null;
}
"""
WAITING = """
name => new Promise((resolve, reject) => {
  const request = indexedDB.open(name);
  request.onsuccess = () => {
    const db = request.result;
    const all = db.transaction('outbox').objectStore('outbox').getAll();
    all.onsuccess = () => { db.close(); resolve(all.result.map(entry => entry.event_id)); };
    all.onerror = () => reject(all.error);
  };
  request.onerror = () => reject(request.error);
})
"""
DATABASES = "async () => (await indexedDB.databases()).map(db => db.name)"


@pytest.fixture(scope="module")
def tokens(hub: HubProcess) -> dict[str, str]:
    """An API token of each demo user."""
    return {name: hub.token(name) for name in USERS}


@pytest.fixture
def fresh(hub: HubProcess, tokens: dict[str, str]) -> Iterator[None]:
    """The demo learners start without data and without a remembered consent, and leave none
    to the other tests on the Hub."""
    for name in USERS[1:]:
        forget_learner(hub, name, tokens[name])
    yield
    for name in USERS[1:]:
        forget_learner(hub, name, tokens[name])


class Unreachable:
    """A ``page.route`` handler: the events request fails as if the service were down (or, with
    ``reachable``, goes on to it); the ids of the events it carried are kept."""

    def __init__(self, reachable: bool = False) -> None:
        self.reachable = reachable
        self.event_ids: set[str] = set()

    def __call__(self, route: Route) -> None:
        self.event_ids |= {e["event_id"] for e in sent_batch(route.request)["events"]}
        if self.reachable:
            route.continue_()
        else:
            route.abort("connectionrefused")


def answer_consent_at_first_answer(nb: NotebookPage, item: str) -> None:
    """Run the item's answer cell: the course's consent dialog asks; keep outcomes only."""
    nb.run(demo_cell_index(item, "answer"))
    nb.answer_consent("Outcomes only")


def stored_ids(hub: HubProcess, token: str, *types: str) -> list[str]:
    """The ids of the token user's stored events of ``types`` (all types when none given)."""
    events = export(hub, token)["events"]
    return [e["event_id"] for e in events if not types or e["type"] in types]


def test_learner_attempt_reaches_the_teachers_dashboard(
    hub: HubProcess,
    tokens: dict[str, str],
    fresh: None,
    browser: Browser,
    page: Page,
    page_log: PageLog,
) -> None:
    nb = open_demo_notebook(page, hub, "student1", tokens["student1"])
    answer, tests = demo_cell_index(ITEM, "answer"), demo_cell_index(ITEM, "tests")
    nb.set_source(answer, RIGHT)
    answer_consent_at_first_answer(nb, ITEM)
    nb.run(tests)
    feedback = nb.feedback(tests)
    expect(feedback).to_have_attribute("data-outcome", "correct")
    meter = feedback.get_by_role("meter").first
    expect(meter).to_be_visible()  # the service's answer arrived
    estimate = float(meter.get_attribute("aria-valuenow") or "nan")
    feedback.screenshot(path=str(ARTIFACTS / "hub-learner-feedback.png"))
    learner = export(hub, tokens["student1"])["learner"]

    teacher = browser.new_context(viewport={"width": 1400, "height": 900})
    try:
        dashboard = teacher.new_page()
        dashboard.on("console", lambda m: page_log.console.append(f"teacher1 {m.type}: {m.text}"))
        dashboard.goto(f"{hub.url}/services/adaptive/dashboard")
        dashboard.wait_for_url(re.compile(r"/hub/login\?next=.*oauth2"))
        log_in(dashboard, "teacher1")
        dashboard.wait_for_url(f"{hub.url}/services/adaptive/dashboard*")
        heatmap = dashboard.locator(".adaptive-class-heatmap")
        expect(heatmap.locator("rect.heatmapcell").first).to_be_visible(timeout=90_000)
        # the learner heads their row: mean mastery, attempts, last activity, the skill's estimate
        row = dashboard.locator(".adaptive-class .adaptive-table tr", has_text=learner)
        expect(row.locator("th")).to_have_text(learner)
        expect(row.locator("td")).to_have_text(
            [f"{estimate:.2f}", "1", re.compile(r"^\d{4}-\d\d-\d\d"), f"{estimate:.2f}"]
        )
        fill = dashboard.evaluate(CELL_FILL, [learner, SKILL])
        dashboard.screenshot(path=str(ARTIFACTS / "hub-teacher-dashboard.png"), full_page=True)
    finally:
        teacher.close()
    assert fill not in (None, "", "none", "rgb(0, 0, 0)"), f"{learner} x {SKILL}: {fill}"

    status, view = hub.call(tokens["teacher1"], "GET", f"{SERVICE_API}/class", course=COURSE)
    assert status == 200, view
    [row] = [r for r in view["rows"] if r["learner"] == learner]
    assert (row["skill"], row["attempts"]) == (SKILL, 1)
    assert row["estimate"] == pytest.approx(estimate, abs=0.005)


def test_a_shared_browser_keeps_nothing_of_the_last_learner(
    hub: HubProcess, tokens: dict[str, str], fresh: None, page: Page, page_log: PageLog
) -> None:
    unreachable = Unreachable()
    page.route(EVENTS_URL, unreachable)
    nb = open_demo_notebook(page, hub, "student2", tokens["student2"])
    outbox = outbox_name(hub, "student2")
    assert f"info: jupyter-adaptive: outbox {outbox}" in page_log.console
    answer_consent_at_first_answer(nb, ITEM)
    with page.expect_event("requestfailed", lambda r: bool(EVENTS_URL.search(r.url))):
        tests = nb.run_item(ITEM)
    expect(nb.feedback(tests)).to_contain_text("waiting for the server")
    expect(page.get_by_test_id("adaptive-queue")).to_have_text(re.compile(r"^1 learning event"))
    waiting = set(page.evaluate(WAITING, outbox))
    assert len(waiting) == 1
    assert unreachable.event_ids == waiting

    assert log_out(page) == f"jupyter-adaptive: cleared outbox {outbox} (1 unsent)"
    page.wait_for_url(re.compile(r"/hub/login"))
    assert page.evaluate(DATABASES) == []

    page.unroute(EVENTS_URL, unreachable)
    seen = Unreachable(reachable=True)
    page.route(EVENTS_URL, seen)
    nb = open_demo_notebook(page, hub, "student3", tokens["student3"])
    assert f"info: jupyter-adaptive: outbox {outbox_name(hub, 'student3')}" in page_log.console
    answer_consent_at_first_answer(nb, ITEM)
    tests = nb.run_item(ITEM)
    # The service's answer arrived: the released answer is still blank, so it is the nudge to write
    # one (a skipped run), not an estimate.
    message = nb.feedback(tests).locator(".jp-adaptive-Feedback-message")
    expect(message).to_contain_text("NotImplementedError")
    sent = seen.event_ids  # the requests of student3's page, the only one open now
    assert len(sent) == 1
    mine = export(hub, tokens["student3"])["events"]
    assert {e["event_id"] for e in mine if e["type"] != "consent"} == sent
    for name in USERS:
        assert not waiting & set(stored_ids(hub, tokens[name])), f"student2's event under {name}"
    store = Store.open(hub.db_url, migrate=False)
    with store.transaction() as session:
        assert session.scalars(select(Event).where(Event.event_id.in_(waiting))).all() == []
    store.close()


def test_events_queued_when_the_hub_stops_the_server_are_stored_once(
    hub: HubProcess, tokens: dict[str, str], fresh: None, page: Page
) -> None:
    token = tokens["student1"]
    nb = open_demo_notebook(page, hub, "student1", token)
    page.route(EVENTS_URL, Unreachable())
    answer_consent_at_first_answer(nb, ITEM)
    for item in ITEMS:
        tests = nb.run_item(item)
        expect(nb.feedback(tests)).to_contain_text("waiting for the server")
    status = page.get_by_test_id("adaptive-queue")
    expect(status).to_have_text("3 learning events waiting")
    waiting = page.evaluate(WAITING, outbox_name(hub, "student1"))
    assert len(set(waiting)) == 3
    assert stored_ids(hub, token, "attempt") == []

    hub.stop_server("student1", token)  # as the idle culler does
    page.unroute(EVENTS_URL)
    # Back online while the server is down: the Hub answers in its place (424, or 403 from its own
    # XSRF check of the POST), which the outbox retries; the events keep waiting, as the end shows.
    with page.expect_response(EVENTS_URL) as answered:
        page.evaluate("window.dispatchEvent(new Event('online'))")
    assert answered.value.status in (403, 424), answered.value.status

    hub.start_server("student1", token)
    page.reload()
    nb.cells.first.wait_for()
    eventually(lambda: len(stored_ids(hub, token, "attempt")) >= len(waiting), timeout=60)
    expect(status).to_be_empty()
    assert sorted(stored_ids(hub, token, "attempt")) == sorted(waiting)
