"""The teacher dashboard's accessibility in chromium: every view passes axe-core's WCAG 2.1 A/AA
rules on our elements, in the light theme and in the dark one at 200 % zoom (contrast), and the
heat map has its table alternative with the skills by name.

One dashboard serves the module, on a class seeded from the real course (skill names) with one
learner the rules flag (so the at-risk rows, bars and sparklines are there to check).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from conftest import ARTIFACTS
from jupyter_adaptive.accessibility import AxeRun, run_axe
from jupyter_adaptive.curriculum import load_course
from jupyter_adaptive.dashboard.seed import seed_class
from jupyter_adaptive.dashboard.widgets import TITLES, tab_class
from jupyter_adaptive.recording import Recorder, RecordingPolicy
from jupyter_adaptive.store import Store
from tests.fixtures.api import attempt_event
from tests.fixtures.dashboard import dashboard_process

pytestmark = pytest.mark.browser

COURSE_DIR = Path(__file__).resolve().parents[1] / "courses" / "data-science-foundations"
#: What each tab shows once loaded (the views load when first opened).
LOADED = {
    "Class": "rect.heatmapcell",
    "At risk": "svg.adaptive-sparkline",
    "Learner": ".adaptive-student-detail h3",
    "Items": ".adaptive-items table",
    "Success": "table",
    "Model": "table",
}
#: Ours on every view: the course's heading and the live line above the tabs.
HEADER = [".adaptive-dashboard-title", ".adaptive-last-update"]


@pytest.fixture(scope="module")
def dashboard_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    url = f"sqlite:///{tmp_path_factory.mktemp('a11y') / 'course.sqlite'}"
    store = Store.open(url)
    seed_class(store, learners=30, skills=0, events=2500, curriculum=load_course(COURSE_DIR))
    failing = [
        attempt_event(
            unit="01_python_basics",
            item="vt-average-price",
            skills=["py-values-types"],
            attempt=n,
            outcome="incorrect",
            error={"ename": "AssertionError", "evalue": "wrong mean"},
        )
        for n in range(1, 11)
    ]
    Recorder(store, RecordingPolicy(consent_default="drafts")).record("learner-0031", failing)
    store.close()
    with dashboard_process(url, "--course-dir", str(COURSE_DIR)) as process:
        yield process.url


def visit_every_view(page: Page, name: str) -> list[AxeRun]:
    """Open each tab in turn, run axe on its content (and our heading), screenshot it."""
    ARTIFACTS.mkdir(exist_ok=True)
    runs = []
    for title in TITLES:
        page.get_by_role("tab", name=title).click()
        view = "." + tab_class(title)
        expect(page.locator(f"{view} {LOADED[title]}").first).to_be_visible()
        if title == "Learner":
            # The error status shows too: "Pin or exclude" without a reason is refused.
            page.get_by_role("button", name="Pin or exclude").click()
            expect(page.locator(".adaptive-error")).to_contain_text("needs a reason")
        if title == "Items":
            page.locator(".adaptive-item-map .dot").first.click(force=True)
            expect(page.locator(".adaptive-item-attempts table")).to_be_visible()
        if title != "Class":  # the heat map may scroll sideways: a diagram keeps its shape
            width, room = page.locator(view).evaluate("e => [e.scrollWidth, e.clientWidth]")
            assert width <= room, f"{name} {title} is {width} px wide in {room} px"
        include = [view, *HEADER] if title == TITLES[0] else [view]
        runs.append(run_axe(page, include, name=f"{name} {title}"))
        slug = tab_class(title).removeprefix("adaptive-dashboard-")
        shoot(page, view, ARTIFACTS / f"dashboard-{name}-{slug}.png")
    return runs


def shoot(page: Page, selector: str, path: Path) -> None:
    """Screenshot one element from its top, up to 3,000 CSS pixels of it: the window is made that
    tall for the shot (the page scrolls inside Voila's own box, which a full-page screenshot does
    not follow)."""
    size = page.viewport_size
    assert size is not None
    element = page.locator(selector)
    height = element.evaluate("element => element.scrollHeight")
    page.set_viewport_size({"width": size["width"], "height": min(height, 3000)})
    try:
        element.evaluate("element => element.scrollIntoView()")
        page.screenshot(path=str(path))
    finally:
        page.set_viewport_size(size)


def assert_no_violations(runs: list[AxeRun]) -> None:
    found = {run.name: run.report() for run in runs if run.violations}
    assert not found, "\n".join(f"{name}:\n{report}" for name, report in found.items())
    assert all(run.passes > 0 for run in runs)


def test_every_view_passes_axe_and_the_heat_map_has_a_table_with_skill_names(
    dashboard_url: str, page: Page
) -> None:
    page.goto(dashboard_url, timeout=120_000)  # Voila runs the notebook before the page loads
    heatmap = page.locator(".adaptive-class-heatmap")
    expect(heatmap.locator("rect.heatmapcell").first).to_be_visible(timeout=90_000)

    # The table alternative: a caption, a row per learner named by its header, skills by name.
    table = page.locator(".adaptive-dashboard-class table.adaptive-table")
    expect(table.locator("caption")).to_contain_text("P(mastered) per learner and skill")
    expect(table.locator('tbody th[scope="row"]')).to_have_count(31)
    expect(table.locator('th[scope="col"]', has_text="Values, types and variables")).to_have_count(
        1
    )
    expect(table.locator("td", has_text="not practised").first).to_be_visible()
    expect(heatmap.locator(".tick text", has_text="Values, types and variables")).to_have_count(1)
    expect(page.locator(".adaptive-dashboard-class")).not_to_contain_text("py-values-types")
    # Not practised is light grey, not black; practised cells take viridis' colours.
    fills = page.evaluate(
        """() => [...document.querySelectorAll('.adaptive-class-heatmap rect.heatmapcell')]
            .map(cell => getComputedStyle(cell).fill)"""
    )
    assert "rgb(212, 212, 212)" in fills
    assert "rgb(0, 0, 0)" not in fills

    assert_no_violations(visit_every_view(page, "light"))


def test_the_dark_theme_at_200_percent_zoom_keeps_every_view_readable(
    dashboard_url: str, browser: Browser
) -> None:
    # 200 % zoom of a 1400 × 900 window: half as many CSS pixels, each drawn twice as large.
    context = browser.new_context(viewport={"width": 700, "height": 450}, device_scale_factor=2)
    page = context.new_page()
    page.set_default_timeout(30_000)
    try:
        page.goto(dashboard_url + "&theme=dark", timeout=120_000)
        expect(page.locator(".adaptive-class-heatmap rect.heatmapcell").first).to_be_visible(
            timeout=90_000
        )
        background = page.evaluate("() => getComputedStyle(document.body).backgroundColor")
        assert re.fullmatch(r"rgb\((\d{1,2}), \1, \1\)", background), background  # dark
        assert_no_violations(visit_every_view(page, "dark-zoom"))
    finally:
        context.close()
