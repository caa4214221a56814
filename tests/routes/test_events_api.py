"""``/adaptive/api/`` against a real jupyter_server, on SQLite and on PostgreSQL."""

from __future__ import annotations

from typing import Any

import pytest

from tests.fixtures.api import attempt_event

COURSE = "data-science-foundations"


async def consent(api: Any, level: str, course: str = COURSE) -> None:
    status, body = await api("PUT", "consent", {"course": course, "level": level})
    assert status == 200, body


async def exported(api: Any) -> dict[str, Any]:
    status, body = await api("GET", "export")
    assert status == 200, body
    return body


async def test_attempt_is_stored_and_answered_with_mastery(api: Any) -> None:
    await consent(api, "drafts")
    event = attempt_event()
    status, body = await api("POST", "events", {"events": [event]})
    assert status == 200, body
    [result] = body["results"]
    assert result["event_id"] == event["event_id"]
    assert result["status"] == "stored"
    assert 0.3 < result["mastery"]["groupby"] <= 1.0
    assert "passed `groupby_mean_2` on the first try" in result["evidence"][0]["reason"]
    events = (await exported(api))["events"]
    attempts = [e for e in events if e["type"] == "attempt"]
    assert [e["event_id"] for e in attempts] == [event["event_id"]]
    assert attempts[0]["source"] == event["source"]


async def test_mastery_rises_after_correct_and_falls_after_incorrect(api: Any) -> None:
    await consent(api, "outcomes")
    _, first = await api("POST", "events", {"events": [attempt_event(outcome="correct")]})
    _, second = await api(
        "POST",
        "events",
        {
            "events": [
                attempt_event(
                    outcome="error", attempt=2, error={"ename": "KeyError", "evalue": "'x'"}
                )
            ]
        },
    )
    p1 = first["results"][0]["mastery"]["groupby"]
    p2 = second["results"][0]["mastery"]["groupby"]
    assert p2 < p1
    status, body = await api("GET", "mastery", course=COURSE)
    assert status == 200
    assert body["mastery"][0]["p_mastery"] == pytest.approx(p2)
    assert "KeyError" in body["evidence"][0]["reason"]


async def test_repeated_event_id_is_reported_duplicate_and_stored_once(api: Any) -> None:
    await consent(api, "outcomes")
    event = attempt_event()
    _, first = await api("POST", "events", {"events": [event]})
    _, again = await api("POST", "events", {"events": [event, event]})
    assert first["results"][0]["status"] == "stored"
    assert [r["status"] for r in again["results"]] == ["duplicate", "duplicate"]
    assert again["results"][0]["mastery"] == first["results"][0]["mastery"]
    events = [e for e in (await exported(api))["events"] if e["type"] == "attempt"]
    assert len(events) == 1


async def test_duplicate_inside_one_batch_is_stored_once(api: Any) -> None:
    await consent(api, "outcomes")
    event = attempt_event()
    _, body = await api("POST", "events", {"events": [event, event]})
    assert [r["status"] for r in body["results"]] == ["stored", "duplicate"]


async def test_consent_off_refuses_and_stores_nothing(api: Any) -> None:
    await consent(api, "off")
    status, body = await api("POST", "events", {"events": [attempt_event()]})
    assert status == 409
    assert "consent" in body["error"]
    assert [e["type"] for e in (await exported(api))["events"]] == ["consent"]


async def test_no_consent_yet_refuses_by_default(api: Any) -> None:
    status, body = await api("POST", "events", {"events": [attempt_event()]})
    assert status == 409
    assert "not given yet" in body["details"][0]
    status, body = await api("GET", "consent", course=COURSE)
    assert body["level"] is None


async def test_outcomes_level_drops_the_draft(api: Any) -> None:
    await consent(api, "outcomes")
    status, _ = await api("POST", "events", {"events": [attempt_event(source="secret answer")]})
    assert status == 200
    attempts = [e for e in (await exported(api))["events"] if e["type"] == "attempt"]
    assert "source" not in attempts[0]


async def test_consent_event_in_the_batch_takes_effect_for_later_events(api: Any) -> None:
    choice = attempt_event(type="consent", level="drafts")
    for field in (
        "unit",
        "item",
        "skills",
        "attempt",
        "outcome",
        "duration_ms",
        "hints_used",
        "source",
    ):
        del choice[field]
    status, body = await api("POST", "events", {"events": [choice, attempt_event()]})
    assert status == 200, body
    status, body = await api("GET", "consent", course=COURSE)
    assert body["level"] == "drafts"


async def test_drafts_are_cut_to_draft_max_bytes(api: Any, jp_serverapp: Any) -> None:
    await consent(api, "drafts")
    long_source = "é" * 20_000
    await api("POST", "events", {"events": [attempt_event(source=long_source)]})
    attempts = [e for e in (await exported(api))["events"] if e["type"] == "attempt"]
    assert len(attempts[0]["source"].encode()) <= 20_000
    assert attempts[0]["source"] == "é" * 10_000


async def test_delete_erases_the_learner(api: Any) -> None:
    await consent(api, "outcomes")
    await api("POST", "events", {"events": [attempt_event()]})
    status, body = await api("DELETE", "data")
    assert status == 200
    assert body["deleted_events"] == 2
    assert (await exported(api))["events"] == []


async def test_invalid_consent_level_is_a_clear_400(api: Any) -> None:
    status, body = await api("PUT", "consent", {"course": COURSE, "level": "everything"})
    assert status == 400
    assert "`level` must be one of 'off', 'outcomes', 'drafts'" in body["details"][0]


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("POST", "events"),
        ("GET", "mastery"),
        ("GET", "consent"),
        ("PUT", "consent"),
        ("GET", "export"),
        ("DELETE", "data"),
    ],
)
async def test_every_endpoint_needs_credentials(jp_fetch: Any, method: str, path: str) -> None:
    response = await jp_fetch(
        "adaptive",
        "api",
        path,
        method=method,
        raise_error=False,
        headers={"Authorization": ""},
        body="{}" if method in ("POST", "PUT") else None,
        params={"course": COURSE},
    )
    assert response.code == 403


async def test_a_body_over_one_mebibyte_is_refused_with_413(api: Any) -> None:
    await consent(api, "drafts")
    status, body = await api("POST", "events", {"events": [attempt_event(source="x" * (1 << 20))]})
    assert status == 413
    assert "larger than 1048576 bytes" in body["error"]
