"""The teacher dashboard in chromium: heat map, a learner's evidence, an override in the store."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from conftest import ARTIFACTS
from jupyter_adaptive.dashboard.seed import TERM_START, seed_class
from jupyter_adaptive.recording import Recorder
from jupyter_adaptive.store import Store
from jupyter_adaptive.store.models import AuditEntry, Override
from tests.fixtures.dashboard import DashboardProcess, dashboard_process

pytestmark = pytest.mark.browser

XSS = '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2">'


@pytest.fixture
def store_url(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'class.sqlite'}"
    store = Store.open(url)
    seed_class(store, learners=30, skills=10, events=1500)
    draft = {
        "event_id": str(uuid.uuid4()),
        "schema_version": 1,
        "type": "draft",
        "client_time": TERM_START.isoformat(),
        "course": "demo-course",
        "unit": "unit-01",
        "item": "skill-01-item-2",
        "skills": ["skill-01"],
        "source": XSS,
    }
    Recorder(store).record("learner-0001", [draft])
    store.close()
    return url


@pytest.fixture
def dashboard(store_url: str) -> Iterator[DashboardProcess]:
    with dashboard_process(store_url) as process:
        yield process


def shoot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"dashboard-{name}.png"), full_page=True)


def test_teacher_reads_evidence_and_overrides(
    dashboard: DashboardProcess, store_url: str, page: Page
) -> None:
    page.goto(dashboard.url)
    cells = page.locator(".adaptive-class-heatmap rect.heatmapcell")
    expect(cells.first).to_be_visible(timeout=90_000)
    shoot(page, "class")

    for tab, hook, text in (
        ("At risk", "adaptive-at-risk", "flagged by transparent rules"),
        ("Items", "adaptive-items", "nobody passes"),
        ("Success", "adaptive-success", "Per unit"),
    ):
        page.get_by_role("tab", name=tab).click()
        expect(page.locator(f".{hook}")).to_contain_text(text)
        shoot(page, hook.removeprefix("adaptive-"))

    page.get_by_role("tab", name="Class").click()
    cells.first.click()
    detail = page.locator(".adaptive-student-detail")
    expect(detail.locator("h3")).to_have_text("learner-0001")
    expect(detail).to_contain_text(re.compile(r"(did not pass|passed) `skill-01-item-\d`.*→"))
    expect(detail).to_contain_text("<script>window.__pwned = 1</script>")
    assert page.evaluate("window.__pwned") is None
    shoot(page, "learner")

    override = page.locator(".adaptive-override")
    override.get_by_placeholder("why, in words the learner reads").fill("Explained it to me aloud.")
    override.get_by_role("button", name="Set estimate").click()
    expect(override).to_contain_text("set to 0.50.")
    expect(override).to_contain_text("Explained it to me aloud.")
    shoot(page, "override")

    store = Store.open(store_url)
    with store.transaction() as session:
        [saved] = session.scalars(select(Override)).all()
        [audit] = session.scalars(select(AuditEntry)).all()
    store.close()
    assert (saved.learner_id, saved.value, saved.reason) == (
        "learner-0001",
        0.5,
        "Explained it to me aloud.",
    )
    assert (audit.action, audit.new_value, audit.reason) == (
        "override",
        0.5,
        "Explained it to me aloud.",
    )
