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


COURSE_DIR = Path(__file__).resolve().parents[1] / "courses" / "data-science-foundations"


@pytest.fixture
def course_class_url(tmp_path: Path) -> str:
    from jupyter_adaptive.curriculum import load_course

    url = f"sqlite:///{tmp_path / 'course.sqlite'}"
    store = Store.open(url)
    seed_class(store, learners=30, skills=0, events=2500, curriculum=load_course(COURSE_DIR))
    store.close()
    return url


def test_every_view_reads_like_the_real_course_and_the_class_view_is_live(
    course_class_url: str, page: Page
) -> None:
    with dashboard_process(course_class_url, "--course-dir", str(COURSE_DIR)) as process:
        page.goto(process.url, timeout=120_000)  # Voila runs the notebook before the page loads
        heatmap = page.locator(".adaptive-class-heatmap")
        expect(heatmap.locator("rect.heatmapcell").first).to_be_visible(timeout=90_000)
        expect(page.locator("h2")).to_have_text("Course Data Science Foundations")
        expect(heatmap.locator(".tick text", has_text="Values, types and variables")).to_have_count(
            1
        )
        shoot(page, "course-class")

        # The Learner view shows the first learner's story at once, a line per skill.
        page.get_by_role("tab", name="Learner").click()
        detail = page.locator(".adaptive-student-detail")
        expect(detail.locator("h3")).to_have_text("learner-0001")
        expect(detail).to_contain_text("Values, types and variables")
        history = page.locator(".adaptive-mastery-history")
        expect(history.locator("path.line").first).to_be_visible()
        expect(history).to_contain_text("mastered (0.95)")
        expect(page.locator(".adaptive-step-log")).to_contain_text("since last run")
        expect(page.locator(".adaptive-override")).to_contain_text("weighs as 2 answers")
        shoot(page, "course-learner")

        page.get_by_role("tab", name="At risk").click()
        expect(page.locator(".adaptive-at-risk")).to_contain_text("flagged by transparent rules")
        shoot(page, "course-at-risk")

        # Items: a click on a dot of the map opens that item's attempts.
        page.get_by_role("tab", name="Items").click()
        items = page.locator(".adaptive-items")
        expect(items).to_contain_text("(Values, types and variables)")
        expect(items).to_contain_text("nobody passes")
        dot = page.locator(".adaptive-item-map .dot").first
        expect(dot).to_be_visible()
        dot.click(force=True)
        attempts = page.locator(".adaptive-item-attempts")
        expect(attempts).to_contain_text("Errors:")
        expect(attempts.locator("tr")).not_to_have_count(0)
        shoot(page, "course-items")

        page.get_by_role("tab", name="Success").click()
        success = page.locator(".adaptive-success")
        expect(success).to_contain_text("Unit 1 · Python basics for data work")
        expect(success).to_contain_text("Share of skills mastered, by week")
        shoot(page, "course-success")

        # Live: an attempt stored as the API stores it shows in the open class view within 10 s.
        page.get_by_role("tab", name="Class").click()
        row = page.locator(".adaptive-class .adaptive-table tr", has_text="learner-0002")
        before = int(row.locator("td").nth(1).inner_text())
        live = page.locator(".adaptive-last-update")
        stamp = live.inner_text()
        store = Store.open(course_class_url)
        attempt = {
            "event_id": str(uuid.uuid4()),
            "schema_version": 1,
            "type": "attempt",
            "client_time": TERM_START.isoformat(),
            "course": "data-science-foundations",
            "unit": "01_python_basics",
            "item": "vt-average-price",
            "skills": ["py-values-types"],
            "attempt": 1,
            "outcome": "correct",
        }
        Recorder(store).record("learner-0002", [attempt])
        store.close()
        expect(row.locator("td").nth(1)).to_have_text(str(before + 1), timeout=10_000)
        expect(live).not_to_have_text(stamp)
        shoot(page, "course-live")
