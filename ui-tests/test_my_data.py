"""The learner's own data, from their mastery panel: download it, delete it, and be asked for
consent again at the next graded run."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from notebook_page import (
    DEMO_COURSE,
    NotebookPage,
    copy_demo_notebook,
    demo_cell_index,
    eventually,
    stored_attempts,
)
from playwright.sync_api import Page, expect

from conftest import ARTIFACTS
from tests.fixtures.servers import ServerProcess

pytestmark = pytest.mark.browser


def remembered_consent(server: ServerProcess) -> Any:
    """The consent levels this learner's JupyterLab settings remember, per course."""
    plugin = server.request("GET", "/lab/api/settings/jupyter-adaptive:plugin")
    return plugin["settings"].get("consent", {})


def test_download_then_delete_my_data_and_consent_is_asked_again(
    lab_server: ServerProcess, page: Page
) -> None:
    nb = NotebookPage(page, lab_server, copy_demo_notebook(lab_server)).open()
    nb.run(demo_cell_index("py-basics-ticket-total", "answer"))
    nb.answer_consent("Outcomes only")
    tests = nb.run_item("py-basics-ticket-total")
    expect(nb.feedback(tests).get_by_role("meter")).to_be_visible()
    [attempt] = eventually(lambda: stored_attempts(lab_server))
    assert remembered_consent(lab_server) == {DEMO_COURSE: "outcomes"}

    nb.run_command("Show my mastery")
    panel = page.get_by_test_id("adaptive-mastery")
    expect(panel.locator("[data-skill='py-values-types']")).to_be_visible()
    with page.expect_download() as downloading:
        panel.get_by_test_id("adaptive-download-data").click()
    download = downloading.value
    assert download.suggested_filename == "jupyter-adaptive-my-data.json"
    exported = json.loads(Path(download.path()).read_text())
    assert attempt["event_id"] in [event["event_id"] for event in exported["events"]]

    panel.get_by_test_id("adaptive-delete-data").click()
    dialog = page.locator(".jp-Dialog").filter(has=page.get_by_test_id("adaptive-delete-confirm"))
    expect(dialog).to_contain_text("This cannot be undone.")
    dialog.screenshot(path=str(ARTIFACTS / "delete-my-data-dialog.png"))
    dialog.get_by_role("button", name="Delete my data").click()
    # The attempt and the consent choice recorded before it.
    assert len(exported["events"]) == 2
    expect(panel.get_by_test_id("adaptive-data-status")).to_contain_text(
        "Deleted: 2 recorded events are gone"
    )
    expect(panel).to_contain_text("No estimates yet")
    panel.screenshot(path=str(ARTIFACTS / "my-data-deleted.png"))
    assert lab_server.request("GET", "/adaptive/api/export")["events"] == []
    assert lab_server.request("GET", f"/adaptive/api/consent?course={DEMO_COURSE}")["level"] is None
    assert remembered_consent(lab_server) == {}

    nb.run(demo_cell_index("py-basics-weekly-readings", "answer"))
    nb.answer_consent("Outcomes only")
    tests = nb.run_item("py-basics-weekly-readings")
    expect(nb.feedback(tests).get_by_role("meter")).to_be_visible()
    [again] = eventually(lambda: stored_attempts(lab_server))
    assert again["item"] == "py-basics-weekly-readings"
