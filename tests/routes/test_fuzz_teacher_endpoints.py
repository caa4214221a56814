"""Malformed requests to the teacher endpoints (override, item rules) and to consent: each is a
4xx with one clear sentence, and nothing is stored (issue 13)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import create_engine, func, select

from jupyter_adaptive.store.models import AuditEntry, Consent, ItemRule, Override
from tests.fixtures.courses import COURSES
from tests.fixtures.http import send
from tests.fixtures.servers import ServerProcess
from tests.routes.test_fuzz_events import json_values, not_json

COURSE = "data-science-foundations"
LEARNER = "a" * 64
VALID = {
    "override": {
        "learner": LEARNER,
        "course": COURSE,
        "skill": "py-values-types",
        "value": 0.5,
        "reason": "oral exam",
    },
    "item-rules": {
        "course": COURSE,
        "item": "ml-accuracy",
        "action": "pin",
        "learner": LEARNER,
        "reason": "r",
    },
    "consent": {"course": COURSE, "level": "drafts"},
}
#: Values each field must never accept.
BAD_VALUES = {
    "learner": st.one_of(st.text(max_size=70).filter(lambda v: len(v) != 64), st.integers()),
    "course": st.one_of(st.integers(), st.none(), st.lists(st.text(), max_size=2)),
    "skill": st.one_of(st.integers(), st.none(), st.lists(st.text(), max_size=2)),
    "value": st.one_of(
        st.floats(min_value=1.0001, allow_infinity=False),
        st.floats(max_value=-0.0001, allow_infinity=False),
        st.text(max_size=5),
        st.none(),
    ),
    "reason": st.one_of(st.just(""), st.just("   "), st.integers(), st.none()),
    "action": st.text(max_size=10).filter(lambda v: v not in ("pin", "exclude")),
    "item": st.text(max_size=20).filter(lambda v: v != "ml-accuracy"),
    "level": st.one_of(
        st.text(max_size=10).filter(lambda v: v not in ("off", "outcomes", "drafts")),
        st.integers(),
        st.none(),
    ),
}


@st.composite
def malformed(draw: st.DrawFn, endpoint: str) -> bytes:
    body: dict[str, Any] = dict(VALID[endpoint])
    kind = draw(st.sampled_from(["bad value", "missing", "extra", "not an object", "not json"]))
    if kind == "bad value":
        field = draw(st.sampled_from([f for f in body if f in BAD_VALUES]))
        if endpoint == "item-rules" and field in ("reason",):
            field = "action"
        body[field] = draw(BAD_VALUES[field])
    elif kind == "missing":
        required = [
            f for f in body if not (endpoint == "item-rules" and f in ("learner", "reason"))
        ]
        del body[draw(st.sampled_from(required))]
    elif kind == "extra" and endpoint != "item-rules":
        body[draw(st.text(min_size=1, max_size=10).filter(lambda k: k not in body))] = draw(
            json_values
        )
    elif kind == "not an object":
        return json.dumps(draw(json_values.filter(lambda v: not isinstance(v, dict)))).encode()
    else:
        return draw(not_json)
    if body == VALID[endpoint] or (kind == "extra" and endpoint == "item-rules"):
        body["course"] = 7
    return json.dumps(body).encode()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    """A single-user server (its owner teaches) that has the shipped course."""
    process = ServerProcess(
        tmp_path_factory.mktemp("fuzz-teacher"),
        app="jupyter_server",
        extra_args=[f"--AdaptiveApp.course_paths={COURSES}"],
    ).start()
    yield process
    process.stop()


def stored_rows(db_url: str) -> int:
    engine = create_engine(db_url)
    with engine.connect() as connection:
        count = sum(
            int(connection.scalar(select(func.count()).select_from(table)) or 0)
            for table in (Override, ItemRule, Consent, AuditEntry)
        )
    engine.dispose()
    return count


def check(server: ServerProcess, endpoint: str, raw: bytes) -> None:
    status, answer = send(server.url, server.token, "PUT", f"/adaptive/api/{endpoint}", raw)
    assert 400 <= status < 500, (raw[:200], status, answer)
    assert isinstance(answer, dict) and answer["error"].endswith("."), answer
    assert "Traceback" not in json.dumps(answer)


FUZZ = settings(max_examples=1000, deadline=None, suppress_health_check=list(HealthCheck))


@FUZZ
@given(raw=malformed("override"))
def test_malformed_overrides_are_refused(server: ServerProcess, raw: bytes) -> None:
    check(server, "override", raw)


@FUZZ
@given(raw=malformed("item-rules"))
def test_malformed_item_rules_are_refused(server: ServerProcess, raw: bytes) -> None:
    check(server, "item-rules", raw)


@FUZZ
@given(raw=malformed("consent"))
def test_malformed_consent_is_refused(server: ServerProcess, raw: bytes) -> None:
    check(server, "consent", raw)


def test_after_the_fuzz_nothing_was_stored_and_valid_requests_work(server: ServerProcess) -> None:
    # Runs after the fuzz tests in file order.
    assert stored_rows(server.db_url) == 0
    for endpoint, body in VALID.items():
        status, answer = send(
            server.url, server.token, "PUT", f"/adaptive/api/{endpoint}", json.dumps(body).encode()
        )
        assert status == 200, (endpoint, answer)
