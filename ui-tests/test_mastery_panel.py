"""The learner's own mastery panel, and an appeal against an estimate."""

from __future__ import annotations

import pytest
from notebook_page import NotebookPage, copy_demo_notebook, eventually
from playwright.sync_api import Page, expect

from conftest import ARTIFACTS
from tests.fixtures.servers import ServerProcess

pytestmark = pytest.mark.browser


def test_panel_shows_my_estimates_and_files_an_appeal(
    lab_server: ServerProcess, page: Page
) -> None:
    nb = NotebookPage(page, lab_server, copy_demo_notebook(lab_server)).open()
    nb.run(5)
    nb.answer_consent("Outcomes only")
    tests = nb.run_item("py-basics-ticket-total")
    expect(nb.feedback(tests).get_by_role("meter")).to_be_visible()

    nb.run_command("Show my mastery")
    panel = page.get_by_test_id("adaptive-mastery")
    skill = panel.locator("[data-skill='py-values-types']")
    expect(skill.get_by_role("meter")).to_be_visible()
    skill.locator("summary").click()
    expect(skill).to_contain_text("1 observation")
    panel.screenshot(path=str(ARTIFACTS / "mastery-panel.png"))

    skill.get_by_test_id("adaptive-appeal").click()
    dialog = page.locator(".jp-Dialog")
    dialog.locator("input").fill("I solved it on my first try last week.")
    dialog.get_by_role("button", name="Ok").click()
    expect(skill).to_contain_text("Sent to your teacher.")

    def appeals() -> list[dict[str, object]]:
        events = lab_server.request("GET", "/adaptive/api/export")["events"]
        return [e for e in events if e["type"] == "appeal"]

    [appeal] = eventually(appeals)
    assert appeal["skills"] == ["py-values-types"]
    assert appeal["message"] == "I solved it on my first try last week."
