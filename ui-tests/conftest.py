"""Browser fixtures: Debian's chromium driven by Playwright (sync API) against a real server.

One browser per module, one context and page per test. Every test leaves a screenshot in
``ui-tests/artifacts/<test>.png`` (git-ignored) and, on failure, the console log next to it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page, Request, expect, sync_playwright

from jupyter_adaptive.browser import MissingBrowser, launch_chromium

ARTIFACTS = Path(__file__).parent / "artifacts"

# Kernels and servers share two cores with the rest of the suite: give the UI time to answer.
expect.set_options(timeout=15_000)


@dataclass
class PageLog:
    """What the page said and asked for while the test ran."""

    console: list[str] = field(default_factory=list)
    requests: list[Request] = field(default_factory=list)

    def requests_to(self, pattern: str) -> list[Request]:
        """Requests whose URL matches ``pattern`` (a regular expression)."""
        return [r for r in self.requests if re.search(pattern, r.url)]


@pytest.fixture
def jp_asyncio_loop() -> None:
    """Replace pytest-jupyter's autouse event loop: it would close Playwright's running loop."""


@pytest.fixture
def jp_server_cleanup() -> None:
    """Replace pytest-jupyter's autouse in-process server cleanup: here servers are processes."""


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Debian's chromium, headless, launched once per test module: Playwright's event loop runs
    while it is open, so it closes before the tests of another module (with pytest-xdist they may
    be any tests, some running their own event loop) take this worker."""
    with sync_playwright() as playwright:
        try:
            browser = launch_chromium(playwright)
        except MissingBrowser as error:
            pytest.fail(str(error))
        yield browser
        browser.close()


@pytest.fixture
def page_log() -> PageLog:
    """The console lines and requests of the test's page."""
    return PageLog()


@pytest.fixture
def page(browser: Browser, page_log: PageLog, request: pytest.FixtureRequest) -> Iterator[Page]:
    """A fresh page (own context: own IndexedDB, cookies) that screenshots itself at the end."""
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    page.set_default_timeout(30_000)

    def on_console(message: ConsoleMessage) -> None:
        page_log.console.append(f"{message.type}: {message.text}")

    page.on("console", on_console)
    page.on("request", lambda req: page_log.requests.append(req))
    yield page
    ARTIFACTS.mkdir(exist_ok=True)
    name = re.sub(r"[^\w.-]+", "_", request.node.name)
    try:
        page.screenshot(path=str(ARTIFACTS / f"{name}.png"))
    finally:
        (ARTIFACTS / f"{name}.console.log").write_text("\n".join(page_log.console))
        context.close()
