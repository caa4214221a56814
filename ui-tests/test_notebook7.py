"""Notebook 7: the same extension records attempts from the notebook page opened from /tree."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from notebook_page import NotebookPage, copy_demo_notebook, stored_attempts
from playwright.sync_api import Page, expect

from conftest import ARTIFACTS
from tests.fixtures.servers import ServerProcess

pytestmark = pytest.mark.browser


@pytest.fixture
def notebook_server(tmp_path: Path) -> Iterator[ServerProcess]:
    server = ServerProcess(tmp_path, app="notebook").start()
    yield server
    server.stop()


def test_notebook7_records_an_attempt(notebook_server: ServerProcess, page: Page) -> None:
    name = copy_demo_notebook(notebook_server)
    page.goto(f"{notebook_server.url}/tree?token={notebook_server.token}")
    with page.context.expect_page() as opened:
        page.get_by_text(name).dblclick()
    notebook = opened.value
    nb = NotebookPage(notebook, notebook_server, name, app="notebook").ready()
    nb.run(5)
    nb.answer_consent("Outcomes only")
    tests = nb.run_item("py-basics-ticket-total")
    feedback = nb.feedback(tests)
    expect(feedback).to_have_attribute("data-outcome", "correct")
    expect(feedback.get_by_role("meter")).to_be_visible()
    feedback.screenshot(path=str(ARTIFACTS / "feedback-notebook7.png"))
    notebook.close()

    attempts = stored_attempts(notebook_server)
    assert [(a["item"], a["outcome"]) for a in attempts] == [("py-basics-ticket-total", "correct")]
