"""The store's idempotent append and retention, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

from jupyter_adaptive.store import Store
from jupyter_adaptive.store.models import utcnow
from tests.fixtures.api import attempt_event


def test_append_is_idempotent_on_event_id(db_url: str) -> None:
    store = Store.open(db_url)
    events = [attempt_event() for _ in range(3)]
    with store.transaction() as session:
        assert store.append_events(session, "learner-1", events) == {e["event_id"] for e in events}
    with store.transaction() as session:
        fresh = attempt_event()
        assert store.append_events(session, "learner-1", [events[0], fresh]) == {fresh["event_id"]}
        assert store.count_events(session) == 4
    store.close()


def test_events_round_trip_with_their_error(db_url: str) -> None:
    store = Store.open(db_url)
    event = attempt_event(outcome="error", error={"ename": "KeyError", "evalue": "'team'"})
    with store.transaction() as session:
        store.append_events(session, "learner-1", [event])
    with store.transaction() as session:
        [back] = store.export_learner(session, "learner-1")["events"]
    back.pop("server_time")
    assert back == event
    store.close()


def test_retention_purges_only_old_events(db_url: str) -> None:
    store = Store.open(db_url)
    with store.transaction() as session:
        store.append_events(session, "learner-1", [attempt_event()])
    assert store.purge_events_before(utcnow() - timedelta(days=1)) == 0
    assert store.purge_events_before(utcnow() + timedelta(seconds=1)) == 1
    store.close()
