"""The REST API speaks the request's language (``Accept-Language``, which the labextension sets to
JupyterLab's): feedback, evidence, reasons, course content and errors; stored evidence is said in
the language of whoever reads it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.fixtures.api import attempt_event
from tests.fixtures.courses import course_server_config

COURSE = "data-science-foundations"
SPANISH = "es-ES,es;q=0.9"
#: Exercise 1.3's counter, reset on every pass: the course's misconception, found in the draft.
RESET_IN_LOOP = (
    "min_temps = [1.5, -0.5, -3.2, 0.0]\n"
    "for t in min_temps:\n"
    "    frost_days = 0\n"
    "    if t < 0:\n"
    "        frost_days += 1\n"
)


@pytest.fixture
def jp_server_config(db_url: str, tmp_path: Path) -> dict[str, Any]:
    return course_server_config(db_url, tmp_path)


@pytest.fixture
def call(jp_fetch: Any) -> Any:
    """Call ``/adaptive/api/<path>`` in a language (None: no Accept-Language header)."""

    async def fetch(
        method: str, path: str, body: Any = None, *, language: str | None = SPANISH, **params: str
    ) -> tuple[int, Any]:
        headers = {"Accept-Language": language} if language else {}
        response = await jp_fetch(
            "adaptive",
            "api",
            path,
            method=method,
            headers=headers,
            params=params,
            raise_error=False,
            body=None if body is None and method == "GET" else json.dumps(body or {}),
        )
        return response.code, json.loads(response.body)

    return fetch


def frost_attempt() -> dict[str, Any]:
    return attempt_event(
        course=COURSE,
        unit="01_python_basics",
        item="py-basics-count-frost",
        skills=["py-control-flow"],
        outcome="incorrect",
        error={"ename": "AssertionError", "evalue": "2 days were below zero, got 1."},
        source=RESET_IN_LOOP,
    )


async def test_feedback_and_evidence_come_in_the_request_language(call: Any) -> None:
    await call("PUT", "consent", {"course": COURSE, "level": "drafts"})
    status, answer = await call("POST", "events", {"events": [frost_attempt()]})
    assert status == 200
    [result] = answer["results"]
    feedback = result["feedback"]
    assert feedback["kind"] == "misconception"
    [found] = feedback["misconceptions"]
    assert found["title"] == "Reiniciar el acumulador dentro del bucle"
    assert found["evidence"].startswith("tu código tiene `")
    assert "**una vez, antes** del bucle" in found["feedback"]
    assert feedback["message"].startswith(
        "Reiniciar el acumulador dentro del bucle: tu código tiene"
    )
    assert feedback["message"].endswith("Corrígelo y vuelve a ejecutar las pruebas.")
    [evidence] = result["evidence"]
    assert evidence["reason"].startswith("no superaste `py-basics-count-frost` al primer intento")


async def test_stored_evidence_is_said_in_the_reader_language(call: Any) -> None:
    await call("PUT", "consent", {"course": COURSE, "level": "outcomes"})
    await call("POST", "events", {"events": [frost_attempt()]})
    _, spanish = await call("GET", "mastery", course=COURSE)
    _, english = await call("GET", "mastery", language=None, course=COURSE)
    _, exported = await call("GET", "export", language="en-GB")
    assert spanish["evidence"][0]["reason"].startswith("no superaste `py-basics-count-frost`")
    assert english["evidence"][0]["reason"].startswith("did not pass `py-basics-count-frost`")
    assert exported["evidence"][0]["reason"].startswith("did not pass `py-basics-count-frost`")


async def test_the_next_exercise_comes_in_the_request_language(call: Any) -> None:
    _, answer = await call("GET", "next", course=COURSE, unit="01_python_basics")
    assert answer["reason"].startswith("Este ejercicio practica Valores, tipos y variables")
    prompt, starter, _tests = answer["cells"]
    assert prompt["source"].startswith("**Práctica** · `vt-average-price`")
    assert "Calcula `average`, su media como `float`." in prompt["source"]
    assert starter["metadata"]["adaptive"]["hints_es"][0].startswith("`float(")
    _, english = await call("GET", "next", language="fr-FR, en;q=0.5", course=COURSE)
    assert english["reason"].startswith("This item practises Values, types and variables")


async def test_errors_come_in_the_request_language(call: Any) -> None:
    status, answer = await call("POST", "events", {"events": [frost_attempt()]})
    assert status == 409
    assert answer["error"].startswith("El consentimiento del estudiante no permite registrar")
    assert "aún no se ha dado el nivel de consentimiento" in answer["details"][0]
    status, answer = await call("GET", "next", course="no-such-course")
    assert status == 404
    assert answer["error"].startswith("No hay ningún curso 'no-such-course'")


async def test_skills_are_named_in_the_request_language(call: Any) -> None:
    await call("PUT", "consent", {"course": COURSE, "level": "outcomes"})
    _, answer = await call("POST", "events", {"events": [frost_attempt()]})
    [result] = answer["results"]
    assert result["skill_names"] == {"py-control-flow": "Condiciones y bucles"}
    _, spanish = await call("GET", "mastery", course=COURSE)
    _, english = await call("GET", "mastery", language=None, course=COURSE)
    assert [row["name"] for row in spanish["mastery"]] == ["Condiciones y bucles"]
    assert [row["name"] for row in english["mastery"]] == ["Conditions and loops"]
