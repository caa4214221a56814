"""Consent says what it does (issue 13, item 4): the learner's own choice apart from the
deployment's default, and at ``outcomes`` nothing the dialog does not name."""

from __future__ import annotations

from typing import Any

import pytest

from tests.fixtures.api import Api, attempt_event

COURSE = "data-science-foundations"


@pytest.fixture
def jp_server_config(jp_server_config: dict[str, Any]) -> dict[str, Any]:
    """A deployment whose default is to record outcomes."""
    adaptive = {**jp_server_config["AdaptiveApp"], "consent_default": "outcomes"}
    return {**jp_server_config, "AdaptiveApp": adaptive}


async def test_the_default_is_not_the_learners_choice(api: Api) -> None:
    status, body = await api("GET", "consent", course=COURSE)
    assert status == 200
    assert body["level"] is None and body["default"] == "outcomes"
    # The default still lets events in before the learner chooses.
    assert (await api("POST", "events", {"events": [attempt_event(source="x")]}))[0] == 200
    await api("PUT", "consent", {"course": COURSE, "level": "drafts"})
    _, body = await api("GET", "consent", course=COURSE)
    assert body["level"] == "drafts" and body["default"] == "outcomes"


async def test_outcomes_keep_the_error_name_not_its_message(api: Api) -> None:
    failed = attempt_event(
        outcome="error",
        error={"ename": "TypeError", "evalue": "can't add 'Alice Smith, 42' and 3"},
    )
    assert (await api("POST", "events", {"events": [failed]}))[0] == 200
    _, export = await api("GET", "export")
    [stored] = [e for e in export["events"] if e["type"] == "attempt"]
    assert stored["error"]["ename"] == "TypeError"
    assert not stored["error"].get("evalue")
    assert "Alice Smith" not in str(export)
    assert "source" not in stored or not stored["source"]


async def test_drafts_keep_the_error_message(api: Api) -> None:
    await api("PUT", "consent", {"course": COURSE, "level": "drafts"})
    failed = attempt_event(outcome="error", error={"ename": "TypeError", "evalue": "bad operand"})
    assert (await api("POST", "events", {"events": [failed]}))[0] == 200
    _, export = await api("GET", "export")
    [stored] = [e for e in export["events"] if e["type"] == "attempt"]
    assert stored["error"] == {"ename": "TypeError", "evalue": "bad operand"}
