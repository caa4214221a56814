"""Local language: with JupyterLab set to Spanish, the extension speaks Spanish."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from notebook_page import NotebookPage, copy_demo_notebook
from playwright.sync_api import Page, expect

from conftest import ARTIFACTS
from tests.fixtures.servers import ServerProcess

pytestmark = pytest.mark.browser


@pytest.fixture
def spanish_lab(tmp_path: Path) -> Iterator[ServerProcess]:
    server = ServerProcess(
        tmp_path, settings={"@jupyterlab/translation-extension:plugin": {"locale": "es_ES"}}
    ).start()
    yield server
    server.stop()


def test_consent_and_feedback_are_in_spanish(spanish_lab: ServerProcess, page: Page) -> None:
    nb = NotebookPage(page, spanish_lab, copy_demo_notebook(spanish_lab)).open()
    nb.run(5)
    dialog = page.locator(".jp-Dialog")
    expect(dialog).to_contain_text("Aprendizaje adaptativo: ¿podemos registrar tu trabajo?")
    expect(dialog.get_by_test_id("adaptive-consent")).to_contain_text("Quién lo ve")
    dialog.screenshot(path=str(ARTIFACTS / "consent-es.png"))
    nb.answer_consent("Resultados y borradores")

    tests = nb.run_item("py-basics-ticket-total")
    feedback = nb.feedback(tests)
    expect(feedback.get_by_test_id("adaptive-outcome")).to_have_text(
        "Intento 1: correcto. Todas las pruebas han pasado."
    )
    expect(feedback.get_by_test_id("adaptive-next")).to_have_text("Siguiente ejercicio")
    feedback.screenshot(path=str(ARTIFACTS / "feedback-es.png"))
