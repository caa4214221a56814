"""Feedback on an attempt names the misconception, the evidence and the next step; hints come after
repeated failures or a long idle time, never before the first try."""

from __future__ import annotations

from typing import Any

from jupyter_adaptive.curriculum import Course
from jupyter_adaptive.feedback import AttemptContext, HintTiming, attempt_feedback, next_hint


def attempt(**fields: Any) -> dict[str, Any]:
    event = {
        "item": "group-mean",
        "skills": ["pd-groupby"],
        "outcome": "incorrect",
        "duration_ms": 30_000,
        "hints_used": 0,
    }
    event.update(fields)
    return event


def test_a_misconception_is_named_with_its_evidence_and_next_step(course: Course) -> None:
    error = {"ename": "KeyError", "evalue": "'Class'"}
    feedback = attempt_feedback(course, attempt(outcome="error", error=error))
    assert feedback["kind"] == "misconception"
    [first, *_] = feedback["misconceptions"]
    assert first["title"] in feedback["message"]
    assert "KeyError: 'Class'" in first["evidence"] and first["evidence"] in feedback["message"]
    assert feedback["next_step"] and feedback["next_step"] in feedback["message"]


def test_a_passed_attempt_gets_no_misconception(course: Course) -> None:
    draft = "mean_by_class = marks.groupby('class')['mark'].mean()"
    feedback = attempt_feedback(
        course, attempt(outcome="correct", source=draft), next_item="group-size"
    )
    assert feedback["kind"] == "correct" and feedback["misconceptions"] == []
    assert "`group-size`" in feedback["next_step"]


def test_no_hint_before_the_first_try() -> None:
    timing = HintTiming()
    assert timing.why_due(0, 3_600_000) is None
    assert timing.why_due(1, 10_000, peer_median_ms=60_000) is None


def test_a_hint_after_repeated_failures(course: Course) -> None:
    first = attempt_feedback(course, attempt(), AttemptContext(earlier_failures=0))
    second = attempt_feedback(course, attempt(), AttemptContext(earlier_failures=1))
    assert first["hint"] is None and first["kind"] == "retry"
    assert second["kind"] == "hint" and second["hint"]["index"] == 0
    assert second["hint"]["text"] == course.items["group-mean"].hints[0]
    assert "failed try 2" in second["message"]


def test_a_hint_after_a_long_idle_try_judged_by_the_learners_pace(course: Course) -> None:
    long_try = attempt(duration_ms=300_000)
    usual = AttemptContext(peer_median_ms=60_000, pace_ratio=1.0)
    slow = AttemptContext(peer_median_ms=60_000, pace_ratio=3.0)
    assert attempt_feedback(course, long_try, usual)["hint"] is not None
    assert attempt_feedback(course, long_try, slow)["hint"] is None


def test_hints_come_in_order_and_run_out() -> None:
    assert next_hint(("a", "b"), 1) == (1, "b")
    assert next_hint(("a", "b"), 2) is None


def test_feedback_without_the_course_is_still_an_answer() -> None:
    feedback = attempt_feedback(None, attempt(outcome="error", error={"ename": "NameError"}))
    assert feedback["kind"] == "retry" and "NameError" in feedback["message"]
