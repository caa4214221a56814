"""Schema version 1: valid events pass; each problem is one sentence naming event and field."""

from __future__ import annotations

import json

import pytest
from jupyter_events import EventLogger

from jupyter_adaptive.errors import InvalidRequestError
from jupyter_adaptive.events import EVENT_SCHEMA_ID, EVENT_SCHEMA_PATH, parse_batch, validate_event
from tests.fixtures.api import attempt_event


def test_a_valid_attempt_has_no_problem() -> None:
    assert validate_event(attempt_event()) == []


def test_the_schema_registers_with_jupyter_events() -> None:
    logger = EventLogger()
    logger.register_event_schema(EVENT_SCHEMA_PATH)
    assert EVENT_SCHEMA_ID in logger.schemas.schema_ids


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            {"outcome": "maybe"},
            "field `outcome` must be one of 'correct', 'incorrect', 'error', 'skipped', "
            "not 'maybe'",
        ),
        ({"attempt": "1"}, "field `attempt` must be of type integer, not '1'"),
        ({"attempt": 0}, "field `attempt` must be at least 1, not 0"),
        (
            {"client_time": "yesterday"},
            "field `client_time` must be an ISO 8601 date-time, not 'yesterday'",
        ),
        ({"skills": ["a", "a"]}, "field `skills` must not repeat an entry"),
        ({"item": "x" * 201}, "field `item` is longer than 200 characters"),
        ({"course": ""}, "field `course` must not be empty"),
        ({"learner": "b"}, "unknown field `learner` in the event"),
        ({"error": {"ename": 3}}, "field `error.ename` must be of type string, not 3"),
    ],
)
def test_each_problem_is_one_sentence_naming_the_field(
    change: dict[str, object], expected: str
) -> None:
    event = attempt_event(**change)
    [problem] = validate_event(event, index=4)
    assert problem.startswith(f"Event 4 (id '{event['event_id']}'): ")
    assert expected in problem
    assert problem.endswith(".")


def test_missing_fields_are_named_one_by_one() -> None:
    event = attempt_event()
    for field in ("item", "outcome"):
        del event[field]
    problems = validate_event(event)
    assert any("field `item` is required and missing" in p for p in problems)
    assert any("field `outcome` is required and missing" in p for p in problems)
    assert len(problems) == 2


def test_a_batch_with_one_bad_event_is_refused_whole_with_details() -> None:
    body = json.dumps({"events": [attempt_event(), attempt_event(outcome="maybe")]}).encode()
    with pytest.raises(InvalidRequestError) as caught:
        parse_batch(body)
    assert caught.value.message == "1 of 2 events are invalid; nothing of this batch was stored."
    assert caught.value.details[0].startswith("Event 1 ")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (b"\xff{}", "not valid UTF-8"),
        (b"{", "not JSON"),
        (b"[]", 'must be a JSON object {"events": [...]}'),
        (b'{"events": []}', "non-empty list"),
        (b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
    ],
)
def test_bodies_that_are_not_batches(raw: bytes, expected: str) -> None:
    with pytest.raises(InvalidRequestError, match=None) as caught:
        parse_batch(raw)
    assert expected in caught.value.message
