"""The labextension loads into JupyterLab and activates."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from conftest import PageLog
from tests.fixtures.servers import ServerProcess

pytestmark = pytest.mark.browser


def test_plugin_logs_its_activation(
    lab_server: ServerProcess, page: Page, page_log: PageLog
) -> None:
    with page.expect_console_message(lambda m: m.text == "jupyter-adaptive: activated"):
        page.goto(f"{lab_server.url}/lab?token={lab_server.token}")
    page.locator(".jp-LauncherCard").first.wait_for()
    assert "error" not in " ".join(line for line in page_log.console if "jupyter-adaptive" in line)
