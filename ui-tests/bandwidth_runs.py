"""Graded runs on a slow or broken network, for ``test_bandwidth.py`` and
``benchmarks/bandwidth.py``: the time until feedback shows, and a burst of runs whose delivery
the browser's going offline cuts."""

from __future__ import annotations

import re
import time

from notebook_page import NotebookPage, demo_cell_index
from playwright.sync_api import expect

from tests.fixtures.network import PROFILES, NetworkMeter

__all__ = ["EVENTS_URL", "feedback_seconds", "offline_mid_burst"]

EVENTS_URL = r"/adaptive/api/events(\?|$)"


def feedback_seconds(nb: NotebookPage, item: str, timeout_ms: float = 15_000) -> float:
    """Seconds from pressing Run on ``item``'s tests cell (its answer ran first) to the server's
    feedback under it."""
    answer, tests = demo_cell_index(item, "answer"), demo_cell_index(item, "tests")
    nb.run(answer)
    nb.wait_for_run(answer)
    cell = nb.cell(tests)
    cell.scroll_into_view_if_needed()
    cell.locator(".jp-InputPrompt").click()
    expect(cell).to_have_class(re.compile(r"\bjp-mod-active\b"))
    started = time.monotonic()
    nb.page.keyboard.press("Control+Enter")
    expect(nb.feedback(tests).get_by_test_id("adaptive-message")).to_be_visible(timeout=timeout_ms)
    return time.monotonic() - started


def offline_mid_burst(nb: NotebookPage, meter: NetworkMeter, items: list[str]) -> int:
    """Run ``items`` back to back on Slow 3G and go offline at once, while their events are on
    the way; stay offline for 3 s (longer than Slow 3G's latency), come back online and wait
    until every run shows the server's feedback and the outbox is empty. Return how many events
    were waiting in the browser when it went offline.

    A kernel lives on the server, so cells cannot run while the browser is offline: what going
    offline can cut is the delivery of the attempts just made.
    """
    meter.throttle(PROFILES["slow-3G"])
    cells = [nb.run_item(item) for item in items]
    status = nb.page.get_by_test_id("adaptive-queue")
    nb.page.context.set_offline(True)
    waiting = status.inner_text()
    nb.page.wait_for_timeout(3000)
    nb.page.context.set_offline(False)
    meter.throttle(None)
    for tests in cells:
        expect(nb.feedback(tests).get_by_test_id("adaptive-message")).to_be_visible()
    expect(status).to_be_empty()
    return int(re.sub(r"\D", "", waiting) or 0)
