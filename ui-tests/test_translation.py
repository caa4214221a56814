"""Local language: with JupyterLab set to Spanish, the extension speaks Spanish."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from notebook_page import NotebookPage, copy_demo_notebook, demo_cell_index
from playwright.sync_api import Page, expect

from conftest import ARTIFACTS
from tests.fixtures.courses import COURSES
from tests.fixtures.servers import ServerProcess

pytestmark = pytest.mark.browser


@pytest.fixture
def spanish_lab(tmp_path: Path) -> Iterator[ServerProcess]:
    server = ServerProcess(
        tmp_path,
        settings={"@jupyterlab/translation-extension:plugin": {"locale": "es_ES"}},
        extra_args=[f"--AdaptiveApp.course_paths={COURSES}"],
    ).start()
    yield server
    server.stop()


def test_consent_and_feedback_are_in_spanish(spanish_lab: ServerProcess, page: Page) -> None:
    nb = NotebookPage(page, spanish_lab, copy_demo_notebook(spanish_lab)).open()
    nb.run(5)
    dialog = page.locator(".jp-Dialog")
    expect(dialog).to_contain_text("Aprendizaje adaptativo: ¿podemos registrar tu trabajo?")
    expect(dialog.get_by_test_id("adaptive-consent")).to_contain_text("Quién lo ve")
    # The course's AI-use and privacy note, from the server's configuration, in Spanish.
    note = dialog.get_by_test_id("adaptive-note")
    note.locator("summary").click()
    expect(note).to_contain_text("Los registros se borran 365 días después de hacerse.")
    dialog.screenshot(path=str(ARTIFACTS / "consent-es.png"))
    nb.answer_consent("Resultados y borradores")

    tests = nb.run_item("py-basics-ticket-total")
    feedback = nb.feedback(tests)
    expect(feedback.get_by_test_id("adaptive-outcome")).to_have_text(
        "Intento 1: correcto. Todas las pruebas han pasado."
    )
    expect(feedback.get_by_test_id("adaptive-next")).to_have_text("Siguiente ejercicio")
    # The server's sentences come in JupyterLab's language too.
    expect(feedback.get_by_test_id("adaptive-message")).to_have_text(
        "Todas las pruebas han pasado."
    )
    feedback.get_by_text("¿Por qué?").click()
    expect(feedback.locator(".jp-adaptive-Feedback-why li").first).to_contain_text(
        "superaste py-basics-ticket-total al primer intento"
    )
    feedback.screenshot(path=str(ARTIFACTS / "feedback-es.png"))
    # The next exercise: its reason and the course's prompt for it, in Spanish.
    feedback.get_by_test_id("adaptive-next").click()
    reason = feedback.locator(".jp-adaptive-Feedback-reason")
    expect(reason).to_contain_text("Insertado debajo:")
    expect(reason).to_contain_text("Este ejercicio practica")
    expect(nb.cells.filter(has_text="Práctica ·").first).to_be_visible()


def test_a_mistake_is_named_and_hinted_in_spanish(spanish_lab: ServerProcess, page: Page) -> None:
    nb = NotebookPage(page, spanish_lab, copy_demo_notebook(spanish_lab)).open()
    item = "py-basics-count-frost"
    answer = demo_cell_index(item, "answer")
    # The counter is reset on every pass: the course's misconception, found in the draft.
    nb.set_source(
        answer,
        "min_temps = [1.5, -0.5, -3.2, 0.0, 2.1, -1.0, 4.4, 3.0, -0.1, 0.0, 1.2, -2.5, 5.0, 0.3]\n"
        "for t in min_temps:\n"
        "    frost_days = 0\n"
        "    if t < 0:\n"
        "        frost_days += 1\n",
    )
    nb.run(answer)
    nb.answer_consent("Resultados y borradores")
    nb.wait_for_run(answer)
    tests = demo_cell_index(item, "tests")
    nb.run(tests)
    feedback = nb.feedback(tests)
    message = feedback.get_by_test_id("adaptive-message")
    # The course's title and explanation, and the server's evidence, all in Spanish and rendered.
    expect(message).to_contain_text("Reiniciar el acumulador dentro del bucle: tu código tiene")
    expect(message).to_contain_text("Inicialízalo una vez, antes del bucle")
    expect(message.locator("strong")).to_have_text("una vez, antes")
    expect(message.locator("code").first).to_contain_text("frost_days")
    feedback.get_by_role("button", name="Mostrar una pista").click()
    hint = feedback.get_by_test_id("adaptive-hint").first
    expect(hint).to_contain_text("Pista 1: Empieza con frost_days = 0 antes del bucle")
    expect(hint.locator("code").first).to_have_text("frost_days = 0")
    feedback.screenshot(path=str(ARTIFACTS / "misconception-es.png"))
