"""Two authenticated users: each reads and writes only their own data."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.fixtures.api import attempt_event
from tests.fixtures.identities import call_as, with_named_users

COURSE = "data-science-foundations"


@pytest.fixture
def jp_server_config(jp_server_config: dict[str, Any]) -> dict[str, Any]:
    """The extension's server with users named by their token, none of them a teacher."""
    return with_named_users(jp_server_config, teachers=[])


@pytest.fixture
def as_user(jp_fetch: Any) -> Any:
    async def call(
        who: str, method: str, path: str, body: Any = None, **params: str
    ) -> tuple[int, Any]:
        return await call_as(jp_fetch, who, method, path, body, **params)

    return call


async def test_export_holds_only_the_callers_rows(as_user: Any) -> None:
    for user in ("alice", "bob"):
        await as_user(user, "PUT", "consent", {"course": COURSE, "level": "drafts"})
    alice_event = attempt_event(source="alice's answer")
    bob_event = attempt_event(source="bob's answer", outcome="incorrect")
    assert (await as_user("alice", "POST", "events", {"events": [alice_event]}))[0] == 200
    assert (await as_user("bob", "POST", "events", {"events": [bob_event]}))[0] == 200

    _, alice = await as_user("alice", "GET", "export")
    _, bob = await as_user("bob", "GET", "export")
    alice_ids = {e["event_id"] for e in alice["events"]}
    bob_ids = {e["event_id"] for e in bob["events"]}
    assert alice_event["event_id"] in alice_ids and bob_event["event_id"] not in alice_ids
    assert bob_event["event_id"] in bob_ids and alice_event["event_id"] not in bob_ids
    assert "bob's answer" not in json.dumps(alice)
    assert alice["learner"] != bob["learner"]
    assert "alice" not in alice["learner"]

    _, alice_mastery = await as_user("alice", "GET", "mastery")
    _, bob_mastery = await as_user("bob", "GET", "mastery")
    assert alice_mastery["mastery"][0]["p_mastery"] > bob_mastery["mastery"][0]["p_mastery"]


async def test_a_learner_cannot_write_as_another(as_user: Any) -> None:
    for user in ("alice", "bob"):
        await as_user(user, "PUT", "consent", {"course": COURSE, "level": "outcomes"})
    _, bob = await as_user("bob", "GET", "export")
    status, body = await as_user(
        "alice", "POST", "events", {"events": [{**attempt_event(), "learner": bob["learner"]}]}
    )
    assert status == 400
    assert "unknown field `learner`" in body["details"][0]
    status, _ = await as_user("alice", "POST", "events", {"events": [attempt_event()]}, user="bob")
    assert status == 200
    _, bob_after = await as_user("bob", "GET", "export")
    assert bob_after["events"] == bob["events"]
    assert bob_after["mastery"] == []


async def test_deleting_my_data_leaves_the_other_learner_alone(as_user: Any) -> None:
    for user in ("alice", "bob"):
        await as_user(user, "PUT", "consent", {"course": COURSE, "level": "outcomes"})
        await as_user(user, "POST", "events", {"events": [attempt_event()]})
    await as_user("alice", "DELETE", "data")
    _, alice = await as_user("alice", "GET", "export")
    _, bob = await as_user("bob", "GET", "export")
    assert alice["events"] == []
    assert len(bob["events"]) == 2


async def test_unknown_token_is_refused(jp_fetch: Any) -> None:
    response = await jp_fetch(
        "adaptive", "api", "export", raise_error=False, headers={"Authorization": "token mallory"}
    )
    assert response.code == 403
    assert json.loads(response.body)["error"]
