"""Item analysis names the catalogued misconceptions of an item's failed attempts."""

from __future__ import annotations

from jupyter_adaptive.curriculum import read_course
from jupyter_adaptive.dashboard.item_analysis import item_analysis
from jupyter_adaptive.feedback.misconceptions import detect_misconceptions
from jupyter_adaptive.recording import Recorder, RecordingPolicy
from jupyter_adaptive.store import Store
from tests.fixtures.api import attempt_event
from tests.fixtures.courses import COURSES


def test_failed_attempts_count_their_misconceptions() -> None:
    course, problems = read_course(COURSES / "data-science-foundations")
    assert not problems
    store = Store.open("sqlite://")
    recorder = Recorder(store, RecordingPolicy(consent_default="drafts"))
    fields = {"course": course.id, "item": "group-mean", "skills": ["pd-groupby"]}
    error = {"ename": "KeyError", "evalue": "'Class'"}
    for learner in ("a", "b"):
        recorder.record(
            learner,
            [
                attempt_event(**fields, outcome="error", error=error, attempt=1),
                attempt_event(**fields, outcome="correct", attempt=2),
            ],
        )
    expected = [
        d.misconception.title
        for d in detect_misconceptions(course, ["pd-groupby"], error=("KeyError", "'Class'"))
    ]
    assert expected
    [stats] = item_analysis(store, course.id, course)
    assert stats.misconceptions == [(title, 2) for title in expected][:3]
    [plain] = item_analysis(store, course.id)
    assert plain.misconceptions == []


def test_the_items_tab_shows_misconceptions_when_given_the_course() -> None:
    from jupyter_adaptive.dashboard.widgets import Dashboard

    course, _ = read_course(COURSES / "data-science-foundations")
    store = Store.open("sqlite://")
    recorder = Recorder(store, RecordingPolicy(consent_default="drafts"))
    error = {"ename": "KeyError", "evalue": "'Class'"}
    recorder.record(
        "a",
        [
            attempt_event(
                course=course.id,
                item="group-mean",
                skills=["pd-groupby"],
                outcome="error",
                error=error,
            )
        ],
    )
    dashboard = Dashboard(recorder, course.id, "teacher", curriculum=course)
    dashboard.items_tab.refresh()
    assert '<th scope="col">misconceptions</th>' in dashboard.items_tab.table.value
    [first, *_] = detect_misconceptions(course, ["pd-groupby"], error=("KeyError", "'Class'"))
    assert f"{first.misconception.title} ×1" in dashboard.items_tab.table.value
