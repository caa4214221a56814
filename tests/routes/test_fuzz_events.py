"""Malformed requests to ``POST /adaptive/api/events``: each is a clear 400 and stores nothing."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import create_engine, func, select

from jupyter_adaptive.events import EVENT_SCHEMA, MAX_BATCH_EVENTS
from jupyter_adaptive.store.models import Event
from tests.fixtures.api import attempt_event
from tests.fixtures.http import send
from tests.fixtures.servers import ServerProcess

PROPERTIES = EVENT_SCHEMA["properties"]
STRING_FIELDS = [name for name, spec in PROPERTIES.items() if spec.get("type") == "string"]
INTEGER_FIELDS = [name for name, spec in PROPERTIES.items() if spec.get("type") == "integer"]
SHORT_STRING_FIELDS = [f for f in STRING_FIELDS if PROPERTIES[f].get("maxLength", 10**9) <= 2000]
REQUIRED = [
    "event_id",
    "schema_version",
    "type",
    "client_time",
    "course",
    "item",
    "skills",
    "attempt",
    "outcome",
]

json_scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=20)
)
json_values = st.recursive(
    json_scalars,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=8,
)
not_a_string = json_values.filter(lambda v: not isinstance(v, str))
not_an_integer = json_values.filter(lambda v: isinstance(v, bool) or not isinstance(v, int)).filter(
    lambda v: not (isinstance(v, float) and v.is_integer())
)


def body(events: list[Any]) -> bytes:
    return json.dumps({"events": events}).encode()


@st.composite
def wrong_type(draw: st.DrawFn) -> bytes:
    event = attempt_event()
    if draw(st.booleans()):
        event[draw(st.sampled_from(STRING_FIELDS))] = draw(not_a_string)
    else:
        event[draw(st.sampled_from(INTEGER_FIELDS))] = draw(not_an_integer)
    return body([attempt_event(), event])


@st.composite
def missing_field(draw: st.DrawFn) -> bytes:
    event = attempt_event()
    del event[draw(st.sampled_from(REQUIRED))]
    return body([event])


@st.composite
def unknown_field(draw: st.DrawFn) -> bytes:
    name = draw(st.text(min_size=1, max_size=30).filter(lambda n: n not in PROPERTIES))
    return body([{**attempt_event(), name: draw(json_values)}])


@st.composite
def huge_string(draw: st.DrawFn) -> bytes:
    field = draw(st.sampled_from(SHORT_STRING_FIELDS))
    size = draw(st.integers(min_value=PROPERTIES[field]["maxLength"] + 1, max_value=300_000))
    return body([attempt_event(**{field: "x" * size})])


@st.composite
def invalid_utf8(draw: st.DrawFn) -> bytes:
    valid = body([attempt_event()])
    cut = draw(st.integers(min_value=0, max_value=len(valid)))
    bad = draw(
        st.sampled_from(
            [b"\xff", b"\xc3\x28", b"\xe2\x82", b"\xed\xa0\x80", b"\xf8\x88\x80\x80\x80"]
        )
    )
    return valid[:cut] + bad + valid[cut:]


@st.composite
def deep_nesting(draw: st.DrawFn) -> bytes:
    depth = draw(st.integers(min_value=50, max_value=100_000))  # stays under the 1 MiB limit
    inner = draw(st.sampled_from([("[", "]"), ('{"a":', "}")]))
    nested = inner[0] * depth + "1" + inner[1] * depth
    return draw(st.sampled_from([nested, '{"events": [' + nested + "]}"])).encode()


def oversized_batch(count: int) -> bytes:
    return body([attempt_event() for _ in range(count)])


not_json = st.one_of(
    st.binary(max_size=200).filter(lambda b: _not_json(b)),
    st.text(max_size=200).map(str.encode).filter(lambda b: _not_json(b)),
)
wrong_envelope = st.one_of(
    json_values.filter(lambda v: not isinstance(v, dict)).map(lambda v: json.dumps(v).encode()),
    st.dictionaries(
        st.text(max_size=8).filter(lambda k: k != "events"), json_values, max_size=3
    ).map(lambda v: json.dumps(v).encode()),
    json_values.filter(lambda v: not isinstance(v, list) or not v).map(
        lambda v: json.dumps({"events": v}).encode()
    ),
    json_scalars.map(lambda v: body([v])),
)
malformed = st.one_of(
    wrong_type(),
    missing_field(),
    unknown_field(),
    huge_string(),
    invalid_utf8(),
    deep_nesting(),
    not_json,
    wrong_envelope,
    st.integers(MAX_BATCH_EVENTS + 1, MAX_BATCH_EVENTS + 40).map(oversized_batch),
)


def _not_json(raw: bytes) -> bool:
    try:
        json.loads(raw)
    except (ValueError, RecursionError):
        return True
    return False


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    process = ServerProcess(tmp_path_factory.mktemp("fuzz"), app="jupyter_server").start()
    process.request(
        "PUT", "/adaptive/api/consent", {"course": "data-science-foundations", "level": "drafts"}
    )
    yield process
    process.stop()


def count_events(db_url: str) -> int:
    engine = create_engine(db_url)
    with engine.connect() as connection:
        count = connection.scalar(select(func.count()).select_from(Event))
    engine.dispose()
    return int(count or 0)


@settings(max_examples=1100, deadline=None, suppress_health_check=list(HealthCheck), database=None)
@given(raw=malformed)
def test_malformed_batches_get_a_clear_400_and_store_nothing(
    server: ServerProcess, raw: bytes
) -> None:
    status, answer = send(server.url, server.token, "POST", "/adaptive/api/events", raw)
    assert status == 400, (raw[:200], answer)
    assert isinstance(answer, dict)
    assert isinstance(answer["error"], str)
    assert answer["error"].endswith(".")
    assert "Traceback" not in json.dumps(answer)


def test_after_the_fuzz_the_server_is_up_and_the_table_unchanged(
    server: ServerProcess, tmp_path: Path
) -> None:
    # Runs after the fuzz test in file order: only the consent event of the fixture is stored.
    assert server.request("GET", "/api/status")["started"]
    assert count_events(server.db_url) == 1
    status, answer = send(
        server.url, server.token, "POST", "/adaptive/api/events", body([attempt_event()])
    )
    assert status == 200
    assert answer["results"][0]["status"] == "stored"
