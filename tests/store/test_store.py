"""The store's idempotent append and retention, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

from jupyter_adaptive.recording import Recorder, RecordingPolicy
from jupyter_adaptive.store import Store, lms
from jupyter_adaptive.store.checks import start_check
from jupyter_adaptive.store.item_rules import set_item_rule
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


def test_retention_purges_only_old_learner_content_from_every_table(db_url: str) -> None:
    store = Store.open(db_url)
    recorder = Recorder(store, RecordingPolicy(consent_default="drafts"))
    recorder.record("learner-1", [attempt_event(source="a draft")])
    recorder.override("learner-1", "data-science-foundations", "groupby", 0.9, "oral exam", "ada")
    with store.transaction() as session:
        store.delete_learner(session, "learner-2", "learner-2")
        lms.record_passback(
            session, "data-science-foundations", "learner-1", "unit-1", lms.Score(3, 4), "sync"
        )
    assert set(store.purge_before(utcnow() - timedelta(days=1)).values()) == {0}
    purged = store.purge_before(utcnow() + timedelta(seconds=1))
    assert purged == {
        "events": 1,
        "evidence": 2,  # the attempt's and the override's
        "overrides": 1,
        "item_rules": 0,
        "checks": 0,
        "lms_scores": 1,
        "audit_log": 2,  # the override's and the passback's; the record of a deletion stays
    }
    with store.transaction() as session:
        assert store.export_learner(session, "learner-2")["audit"][0]["action"] == (
            "delete_learner_data"
        )
    store.close()


def test_export_holds_and_delete_removes_everything_about_a_learner(db_url: str) -> None:
    store = Store.open(db_url)
    course = "data-science-foundations"
    recorder = Recorder(store, RecordingPolicy(consent_default="ask"))
    recorder.set_consent("learner-1", course, "drafts")
    recorder.record(
        "learner-1",
        [
            attempt_event(type="consent", level="drafts"),
            attempt_event(source="my draft"),
        ],
    )
    recorder.override("learner-1", course, "groupby", 0.9, "oral exam went well", "ada")
    with store.transaction() as session:
        set_item_rule(
            session,
            course,
            "groupby_mean_2",
            "exclude",
            learner_id="learner-1",
            teacher="ada",
            reason="done in class",
        )
        start_check(session, "learner-1", course, "01_python_basics")
        lms.save_subgroups(session, course, {"learner-1": {"section": "B"}})
        lms.record_passback(session, course, "learner-1", "unit:01", lms.Score(3, 4), "lms-sync")
    with store.transaction() as session:
        export = store.export_learner(session, "learner-1")
    assert export["roster"][0]["subgroups"] == {"section": "B"}
    assert export["lms_scores"][0]["score"] == 3
    assert export["checks"][0]["unit"] == "01_python_basics"
    assert export["consent_history"][0]["level"] == "drafts"
    assert export["overrides"][0]["teacher"] == "ada"
    assert export["item_rules"][0]["reason"] == "done in class"
    assert [e["action"] for e in export["audit"]] == ["override", "lms_score"]
    assert export["audit"][0]["actor"] == "ada" and export["evidence"]

    with store.transaction() as session:
        store.delete_learner(session, "learner-1", "learner-1")
    with store.transaction() as session:
        after = store.export_learner(session, "learner-1")
    for part in (
        "events",
        "mastery",
        "evidence",
        "overrides",
        "item_rules",
        "checks",
        "consent_history",
        "roster",
        "lms_scores",
    ):
        assert after[part] == [], part
    assert after["consent"] == {}
    assert [(e["action"], e["reason"]) for e in after["audit"]] == [("delete_learner_data", "")]
    store.close()
