"""``jupyter-adaptive seed``: a synthetic class that the Recorder would have stored the same way."""

from __future__ import annotations

from pathlib import Path

import pytest

from jupyter_adaptive.cli import main
from jupyter_adaptive.dashboard.seed import BROKEN_ITEM, TRIVIAL_ITEM, seed_class
from jupyter_adaptive.events import validate_event
from jupyter_adaptive.recording import Recorder, RecordingPolicy
from jupyter_adaptive.store import Store
from jupyter_adaptive.store.repository import event_dict


def sqlite_url(tmp_path: Path, name: str) -> str:
    return f"sqlite:///{tmp_path / name}"


def test_seed_writes_what_recording_the_same_events_would(tmp_path: Path) -> None:
    seeded = Store.open(sqlite_url(tmp_path, "seeded.sqlite"))
    summary = seed_class(seeded, learners=6, skills=7, events=400, seed=3)
    assert (summary.learners, summary.events) == (6, 400)
    assert summary.attempts == summary.evidence > 0
    replayed = Store.open(sqlite_url(tmp_path, "replayed.sqlite"))
    recorder = Recorder(replayed, RecordingPolicy(consent_default="drafts"))
    with seeded.transaction() as session:
        rows = seeded.events(session)
        by_learner: dict[str, list[dict[str, object]]] = {}
        for row in rows:
            event = event_dict(row)
            del event["server_time"]
            assert validate_event(event) == []
            by_learner.setdefault(row.learner_id, []).append(event)
        seeded_mastery = {
            (lr, s.skill): round(s.p_mastery, 9)
            for lr in by_learner
            for s in seeded.mastery(session, lr)
        }
    assert {event["type"] for events in by_learner.values() for event in events} >= {
        "attempt",
        "hint",
        "draft",
    }
    for learner, events in by_learner.items():
        recorder.record(learner, events)
    with replayed.transaction() as session:
        replayed_mastery = {
            (lr, s.skill): round(s.p_mastery, 9)
            for lr in by_learner
            for s in replayed.mastery(session, lr)
        }
    assert replayed_mastery == seeded_mastery


def test_seed_plants_a_broken_and_a_trivial_item(tmp_path: Path) -> None:
    store = Store.open(sqlite_url(tmp_path, "class.sqlite"))
    seed_class(store, learners=20, skills=3, events=1500)
    with store.transaction() as session:
        outcomes: dict[str, list[str]] = {}
        for row in store.events(session):
            if row.type == "attempt" and row.item in (BROKEN_ITEM, TRIVIAL_ITEM):
                outcomes.setdefault(row.item, []).append(row.outcome or "")
    assert outcomes[BROKEN_ITEM] and set(outcomes[BROKEN_ITEM]) == {"incorrect"}
    assert outcomes[TRIVIAL_ITEM] and set(outcomes[TRIVIAL_ITEM]) == {"correct"}


def test_seed_command_reports_what_it_wrote(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = sqlite_url(tmp_path, "cli.sqlite")
    args = ["seed", "--db-url", url, "--learners", "4", "--skills", "2", "--events", "50"]
    assert main(args) == 0
    assert "4 learners, 2 skills, 50 events" in capsys.readouterr().out
    store = Store.open(url)
    with store.transaction() as session:
        assert store.count_events(session) == 50


def test_seed_refuses_an_empty_class(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["seed", "--db-url", "sqlite://", "--learners", "0"]) == 1
    assert "--learners" in capsys.readouterr().err


def test_every_panel_reads_a_seeded_class_on_both_databases(db_url: str) -> None:
    from jupyter_adaptive.dashboard.at_risk import at_risk
    from jupyter_adaptive.dashboard.class_view import class_view
    from jupyter_adaptive.dashboard.item_analysis import item_analysis
    from jupyter_adaptive.dashboard.learner_detail import learner_detail
    from jupyter_adaptive.dashboard.success import learner_progress, success

    store = Store.open(db_url)
    seed_class(store, learners=8, skills=6, events=600)
    view = class_view(store, "demo-course", units=["unit-01"], sort="last_activity")
    assert len(view.rows) == 8 and view.skills == [f"skill-0{n}" for n in range(1, 6)]
    assert view.units == {"unit-01": view.skills, "unit-02": ["skill-06"]}
    assert sum(row.attempts for row in view.rows) == sum(
        stats.attempts for stats in item_analysis(store, "demo-course")
    )
    assert len(at_risk(store, "demo-course")) == 8
    assert success(learner_progress(store, "demo-course"))
    assert learner_detail(store, "learner-0001", "demo-course").timeline
    store.close()


def test_seed_from_the_real_course_uses_its_skills_items_units_and_mistakes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from jupyter_adaptive.curriculum import load_course
    from jupyter_adaptive.dashboard.seed import course_plan

    folder = Path(__file__).resolve().parents[2] / "courses" / "data-science-foundations"
    course = load_course(folder)
    plan = course_plan(course)
    order = [skill for skills in plan.units.values() for skill in skills]
    assert sorted(order) == sorted(course.skills)
    for skill in order:  # prerequisites come first
        assert all(order.index(p) < order.index(skill) for p in course.skills[skill].prerequisites)
    assert plan.units["01_python_basics"][0] == "py-values-types"
    assert {item for item, _ in plan.items["pd-groupby"]} == {
        item.id for item in course.items_for_skill("pd-groupby")
    }
    url = sqlite_url(tmp_path, "course.sqlite")
    assert main(["seed", "--db-url", url, "--course", str(folder), "--events", "900"]) == 0
    assert "seeded course data-science-foundations: 30 learners, 21 skills" in (
        capsys.readouterr().out
    )
    store = Store.open(url)
    with store.transaction() as session:
        rows = list(store.events(session))
    assert {row.course for row in rows} == {"data-science-foundations"}
    assert {row.item for row in rows} <= set(course.items)
    titles = {m.title for m in course.misconceptions}
    assert any(row.error_value in titles for row in rows if row.error_value)
