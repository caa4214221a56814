"""Rendered, safe text (issue 18): hints and reasons are markdown, rendered by JupyterLab's
sanitizing renderer; HTML a course file carries cannot run."""

from __future__ import annotations

import json

import pytest
from notebook_page import NotebookPage, copy_demo_notebook, demo_cell_index
from playwright.sync_api import Page, expect

from conftest import ARTIFACTS
from tests.fixtures.servers import ServerProcess

pytestmark = pytest.mark.browser

ITEM = "py-basics-ticket-total"
#: A hint as a careless (or hostile) course file might write it.
HINT = (
    "Convert with `int(...)`, **then** multiply. "
    '<img src="missing.png" onerror="document.body.dataset.pwned = \'yes\'">'
)


def test_a_hint_renders_its_markdown_and_no_html_runs(
    lab_server: ServerProcess, page: Page
) -> None:
    path = copy_demo_notebook(lab_server)
    notebook = lab_server.root_dir / path
    nb_json = json.loads(notebook.read_text())
    answer_cell = nb_json["cells"][demo_cell_index(ITEM, "answer")]
    answer_cell["metadata"]["adaptive"]["hints"][0] = HINT
    notebook.write_text(json.dumps(nb_json))

    nb = NotebookPage(page, lab_server, path).open()
    answer = demo_cell_index(ITEM, "answer")
    nb.set_source(answer, 'n_tickets_text = "3"\nticket_price_text = "12.50"\ntotal_cost = 0.0')
    nb.run(answer)
    nb.answer_consent("Outcomes only")
    nb.wait_for_run(answer)
    tests = demo_cell_index(ITEM, "tests")
    nb.run(tests)
    feedback = nb.feedback(tests)
    feedback.get_by_role("button", name="Show a hint").click()
    hint = feedback.get_by_test_id("adaptive-hint").first
    expect(hint).to_contain_text("Hint 1: Convert with int(...), then multiply.")
    expect(hint.locator("code")).to_have_text("int(...)")
    expect(hint.locator("strong").last).to_have_text("then")
    expect(hint).not_to_contain_text("`")
    expect(hint).not_to_contain_text("**")
    # The image stays (as JupyterLab shows it in any untrusted output) but without its handler.
    image = hint.locator("img")
    expect(image).to_have_count(1)
    assert image.get_attribute("onerror") is None
    page.wait_for_timeout(1000)
    assert page.evaluate("document.body.dataset.pwned") is None
    assert page.locator("[onerror]").count() == 0

    # The server's reasons are markdown too: the evidence names the exercise as code.
    feedback.get_by_text("Why?").click()
    reason = feedback.locator(".jp-adaptive-Feedback-why li").first
    expect(reason).to_contain_text(f"did not pass {ITEM} on the first try")
    expect(reason.locator("code")).to_have_text(ITEM)
    feedback.screenshot(path=str(ARTIFACTS / "rendered-hint.png"))
