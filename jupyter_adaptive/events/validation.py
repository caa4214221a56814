"""Validate learning events against schema version 1, one clear sentence per problem."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import fastjsonschema
from jsonschema import Draft7Validator
from jsonschema.exceptions import ValidationError
from jupyter_events.validators import draft7_format_checker

from ..errors import InvalidRequestError
from .observations import with_outcome

__all__ = [
    "EVENT_SCHEMA",
    "EVENT_SCHEMA_ID",
    "EVENT_SCHEMA_PATH",
    "MAX_BATCH_EVENTS",
    "parse_batch",
    "validate_event",
]

EVENT_SCHEMA_PATH = Path(__file__).parent / "schemas" / "event.v1.json"
EVENT_SCHEMA: dict[str, Any] = json.loads(EVENT_SCHEMA_PATH.read_text(encoding="utf-8"))
EVENT_SCHEMA_ID: str = EVENT_SCHEMA["$id"]

#: The largest batch ``POST /adaptive/api/events`` accepts.
MAX_BATCH_EVENTS = 500

# Compiled validator for the common case of a valid event (about 20 times faster); jsonschema
# explains the invalid ones field by field.
_FAST_VALIDATOR = fastjsonschema.compile(EVENT_SCHEMA)
_VALIDATOR = Draft7Validator(EVENT_SCHEMA, format_checker=draft7_format_checker)
_SHOWN_CHARS = 40


def _shown(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else repr(value)
    return text if len(text) <= _SHOWN_CHARS else text[: _SHOWN_CHARS - 1] + "…"


def _field(error: ValidationError) -> str:
    path = ".".join(str(part) for part in error.absolute_path)
    return f"`{path}`" if path else "the event"


def _sentence(error: ValidationError) -> str:
    """Turn one JSON Schema error into a sentence naming the field and what was expected."""
    field = _field(error)
    expected = error.validator_value
    kind = error.validator
    if kind == "required":
        missing = error.message.split("'")[1] if "'" in error.message else error.message
        return f"field `{missing}` is required and missing"
    if kind == "additionalProperties":
        allowed = sorted(error.schema.get("properties", {}))
        extra = (
            sorted(set(error.instance) - set(allowed)) if isinstance(error.instance, dict) else []
        )
        names = ", ".join(f"`{name[:_SHOWN_CHARS]}`" for name in extra)
        return f"unknown field {names} in {field}; allowed fields are {', '.join(allowed)}"
    if kind == "type":
        return f"field {field} must be of type {expected}, not {_shown(error.instance)}"
    if kind in ("enum", "const"):
        options = expected if kind == "enum" else [expected]
        listed = ", ".join(map(_shown, options))
        return f"field {field} must be one of {listed}, not {_shown(error.instance)}"
    if kind == "maxLength":
        return f"field {field} is longer than {expected} characters"
    if kind == "minLength":
        return f"field {field} must not be empty"
    if kind in ("minimum", "exclusiveMinimum"):
        return f"field {field} must be at least {expected}, not {_shown(error.instance)}"
    if kind == "maximum":
        return f"field {field} must be at most {expected}, not {_shown(error.instance)}"
    if kind == "maxItems":
        return f"field {field} may hold at most {expected} entries"
    if kind == "uniqueItems":
        return f"field {field} must not repeat an entry"
    if kind in ("format", "pattern"):
        wanted = {"uuid": "a UUID", "date-time": "an ISO 8601 date-time"}.get(
            str(error.schema.get("format")), f"text matching {expected}"
        )
        return f"field {field} must be {wanted}, not {_shown(error.instance)}"
    return f"field {field} is invalid: {error.message[:200]}"


def _leaf_errors(errors: Iterable[ValidationError]) -> Iterable[ValidationError]:
    for error in errors:
        if error.context:
            yield from _leaf_errors(error.context)
        elif error.validator != "if":
            yield error


def validate_event(event: Any, index: int = 0) -> list[str]:
    """Check one event against schema version 1.

    Returns one sentence per problem, each naming the event (position and id), the field and what
    was expected; an empty list means the event is valid.
    """
    if not isinstance(event, dict):
        return [f"Event {index}: must be a JSON object, not {_shown(event)}."]
    try:
        _FAST_VALIDATOR(event)
    except fastjsonschema.JsonSchemaException as exc:
        fast_problem = str(exc)
    else:
        return []
    event_id = event.get("event_id")
    label = f"Event {index}" + (f" (id {_shown(event_id)})" if isinstance(event_id, str) else "")
    errors = sorted(_leaf_errors(_VALIDATOR.iter_errors(event)), key=lambda e: list(e.path))
    sentences = dict.fromkeys(f"{label}: {_sentence(error)}." for error in errors)
    return list(sentences) or [f"{label}: {fast_problem}."]


def parse_batch(body: bytes) -> list[dict[str, Any]]:
    """Decode and validate the body of ``POST /adaptive/api/events``; a run of a still blank
    answer comes back with the outcome ``skipped`` (:func:`~.observations.with_outcome`).

    Raises
    ------
    InvalidRequestError
        When the body is not UTF-8 JSON of the form ``{"events": [...]}`` with 1 to
        ``MAX_BATCH_EVENTS`` valid events; ``details`` holds one sentence per problem and nothing
        of the batch may be stored.
    """
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InvalidRequestError(
            f"The request body is not valid UTF-8 (bad byte at position {exc.start})."
        ) from exc
    try:
        data = json.loads(text)
    except RecursionError as exc:
        raise InvalidRequestError(
            "The request body is nested too deeply to be an event batch."
        ) from exc
    except ValueError as exc:
        raise InvalidRequestError(f"The request body is not JSON: {exc}.") from exc
    if not isinstance(data, dict) or set(data) != {"events"}:
        raise InvalidRequestError('The request body must be a JSON object {"events": [...]}.')
    events = data["events"]
    if not isinstance(events, list) or not events:
        raise InvalidRequestError('"events" must be a non-empty list of events.')
    if len(events) > MAX_BATCH_EVENTS:
        raise InvalidRequestError(
            f"A batch holds at most {MAX_BATCH_EVENTS} events; this one has {len(events)}: "
            "send it in smaller batches."
        )
    problems = [sentence for i, event in enumerate(events) for sentence in validate_event(event, i)]
    if problems:
        count = len({p.split(":", 1)[0] for p in problems})
        raise InvalidRequestError(
            f"{count} of {len(events)} events are invalid; nothing of this batch was stored.",
            details=problems,
        )
    return [with_outcome(event) for event in events]
