"""Event ids reveal nothing across learners: unique per learner, grade ids keyed with the secret,
and grades only from nbgrader's import (issue 13, item 1)."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import pytest

from jupyter_adaptive.grading import keyed_grade_id, record_grades
from jupyter_adaptive.pseudonyms import pseudonym
from jupyter_adaptive.store import Store
from tests.fixtures.api import attempt_event
from tests.fixtures.identities import call_as, with_named_users

COURSE = "data-science-foundations"


@pytest.fixture
def jp_server_config(jp_server_config: dict[str, Any]) -> dict[str, Any]:
    return with_named_users(jp_server_config, teachers=[])


def grade_event(**fields: Any) -> dict[str, Any]:
    event = attempt_event(type="grade", score=1.0, max_score=2.0)
    for key in ("attempt", "outcome", "duration_ms", "hints_used", "source"):
        event.pop(key)
    event.update(fields)
    return event


async def test_an_event_id_of_another_learner_stores_the_senders_own_event(jp_fetch: Any) -> None:
    for who in ("alice", "bob"):
        await call_as(jp_fetch, who, "PUT", "consent", {"course": COURSE, "level": "drafts"})
    alices = attempt_event(source="alice's answer")
    assert (await call_as(jp_fetch, "alice", "POST", "events", {"events": [alices]}))[0] == 200
    bobs = attempt_event(event_id=alices["event_id"], source="bob's answer", outcome="incorrect")
    status, answer = await call_as(jp_fetch, "bob", "POST", "events", {"events": [bobs]})
    assert status == 200
    assert answer["results"][0]["status"] == "stored"  # not "duplicate": nothing about alice

    _, alice = await call_as(jp_fetch, "alice", "GET", "export")
    _, bob = await call_as(jp_fetch, "bob", "GET", "export")
    [alice_attempt] = [e for e in alice["events"] if e["type"] == "attempt"]
    [bob_attempt] = [e for e in bob["events"] if e["type"] == "attempt"]
    assert alice_attempt["source"] == "alice's answer" and alice_attempt["outcome"] == "correct"
    assert bob_attempt["source"] == "bob's answer"


async def test_grade_events_cannot_be_posted(jp_fetch: Any) -> None:
    await call_as(jp_fetch, "alice", "PUT", "consent", {"course": COURSE, "level": "outcomes"})
    status, answer = await call_as(
        jp_fetch, "alice", "POST", "events", {"events": [attempt_event(), grade_event()]}
    )
    assert status == 400
    assert "grades come from nbgrader only" in answer["details"][0]
    _, export = await call_as(jp_fetch, "alice", "GET", "export")
    assert [e for e in export["events"] if e["type"] != "consent"] == []


def test_grade_ids_are_keyed_with_the_deployments_secret(tmp_path: Path) -> None:
    gradebook_id = str(uuid.uuid4())
    first, second = b"a" * 64, b"b" * 64
    assert keyed_grade_id(first, gradebook_id) != keyed_grade_id(second, gradebook_id)
    assert keyed_grade_id(first, gradebook_id) != gradebook_id

    store = Store.open(f"sqlite:///{tmp_path / 'store.sqlite'}")
    try:
        grades = {"ada": [grade_event(event_id=gradebook_id)]}
        report = record_grades(store, first, grades, unasked="outcomes")
        assert report.stored == 1
        with store.transaction() as session:
            [stored] = store.events(session, pseudonym(first, "ada"))
        assert stored.event_id == keyed_grade_id(first, gradebook_id)
        again = record_grades(store, first, grades, unasked="outcomes")
        assert (again.stored, again.duplicates) == (0, 1)
    finally:
        store.close()
