"""The view-models behind the dashboard's pictures, on the hand-computed class of conftest.py."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from jupyter_adaptive.assessment.item_bank import ItemBank, ItemParameters, prior_parameters
from jupyter_adaptive.dashboard.decisions import DEFAULT_RUBRIC, mark_mastered, observe
from jupyter_adaptive.dashboard.item_analysis import item_analysis
from jupyter_adaptive.dashboard.item_map import item_attempts, item_map
from jupyter_adaptive.dashboard.learner_detail import learner_detail
from jupyter_adaptive.dashboard.mastery_history import mastery_history
from jupyter_adaptive.dashboard.names import Names
from jupyter_adaptive.dashboard.success import (
    grouped,
    intervals,
    learner_progress,
    success_figures,
    weekly_mastered,
)
from jupyter_adaptive.errors import InvalidRequestError
from jupyter_adaptive.recording import Recorder

from .conftest import COURSE

PASS = 0.709756  # 0.3 -> pass
MISS = 0.193220  # 0.3 -> miss
MISS_PASS = 0.590900  # 0.3 -> miss -> pass


def test_item_map_is_classical_without_a_bank_and_2pl_with_one(recorder: Recorder) -> None:
    classical = item_map(item_analysis(recorder.store, COURSE))
    assert classical.scale == "classical"
    assert classical.difficulty_label == "difficulty (share of attempts failed)"
    # i1: 3 of 9 attempts correct; i2: 2 of 4; both discriminate 0.5 (item analysis's test).
    assert [(p.item, p.flagged) for p in classical.points] == [("i1", False), ("i2", False)]
    assert [p.difficulty for p in classical.points] == pytest.approx([6 / 9, 0.5])
    assert [p.discrimination for p in classical.points] == pytest.approx([0.5, 0.5])
    flag = "negative discrimination"
    bank = ItemBank(
        COURSE,
        {
            "i2": ItemParameters("i2", ("b",), 0.1, 4.2, None, 0.9, 120, "fit", (flag,)),
            "i1": prior_parameters("i1", ("a",), 3, 4),
        },
    )
    fitted = item_map(item_analysis(recorder.store, COURSE, bank=bank))
    assert fitted.scale == "2PL" and fitted.discrimination_label == "discrimination a (2PL)"
    assert [(p.item, p.difficulty, p.discrimination, p.flagged) for p in fitted.points] == [
        ("i2", 4.2, 0.1, True),
        ("i1", 1.0, 1.0, False),
    ]


def test_item_attempts_lists_the_newest_first_with_the_errors(recorder: Recorder) -> None:
    found = item_attempts(recorder.store, COURSE, "i1", limit=3)
    assert found.errors == [("AssertionError", 5), ("KeyError", 1)]
    # The last three attempts at i1 were dee's pass, dee's miss and cy's pass, newest first.
    assert [(who, outcome) for _, who, outcome, _ in found.attempts] == [
        ("dee", "correct"),
        ("dee", "incorrect"),
        ("cy", "correct"),
    ]
    assert found.attempts[1][3] == "AssertionError: boom"


def test_gain_and_answers_to_mastery_with_their_intervals(recorder: Recorder) -> None:
    mark_mastered(recorder, "ana", COURSE, "a", "Clearly knows it.", "teacher")
    progress = learner_progress(recorder.store, COURSE)
    skills = grouped(progress, "skill")
    [_, b] = intervals(skills, "gain")
    # Gains on b: 0.2909, 0.409756, -0.10678: mean 0.197959, sd 0.270521, half 1.96 sd / sqrt 3.
    assert (b.name, b.n) == ("b", 3)
    assert (b.mean, b.low, b.high) == pytest.approx((0.197959, -0.108162, 0.504080), abs=1e-4)
    # Only ana reached mastery of a (in 2 updates); nobody of b.
    [a] = intervals(skills, "answers")
    assert (a.name, a.mean, a.low, a.high, a.n) == ("a", 2.0, 2.0, 2.0, 1)
    roster = {"ana": {"group": "x"}, "cy": {"group": "x"}, "ben": {"group": "y"}}
    groups = grouped(progress, "group", roster)
    assert list(groups) == ["x", "y"] and {p.learner for p in groups["y"]} == {"ben"}


def test_share_of_skills_mastered_by_week(recorder: Recorder) -> None:
    mark_mastered(recorder, "ana", COURSE, "a", "Clearly knows it.", "teacher")
    [(monday, share)] = weekly_mastered(recorder.store, COURSE)
    assert monday.weekday() == 0
    assert share == pytest.approx(1 / 8)  # 1 of 4 learners × 2 skills
    assert weekly_mastered(recorder.store, "no-such-course") == []
    progress, weeks = success_figures(recorder.store, COURSE)
    assert weeks == [(monday, share)] and progress == learner_progress(recorder.store, COURSE)


def test_mastery_history_starts_at_the_prior_and_follows_each_change(recorder: Recorder) -> None:
    history = mastery_history(learner_detail(recorder.store, "ana", COURSE))
    assert list(history) == ["a", "b"]
    assert [p for _, p in history["a"]] == pytest.approx([0.3, PASS], abs=1e-5)
    assert [p for _, p in history["b"]] == pytest.approx([0.3, MISS, MISS_PASS], abs=1e-5)
    times = [when for when, _ in history["b"]]
    assert times == sorted(times) and times[-1] - times[0] < timedelta(minutes=1)


def test_an_observation_is_scored_on_the_rubric(recorder: Recorder) -> None:
    result = observe(recorder, "cy", COURSE, "b", "oral_defense", 4, "Explained it.", "t")
    assert result["after"] > result["before"] == pytest.approx(PASS, abs=1e-5)
    detail = learner_detail(recorder.store, "cy", COURSE)
    assert [(e["action"], e["reason"]) for e in detail.audit] == [("observation", "Explained it.")]
    named = learner_detail(recorder.store, "cy", COURSE, {"b": "Skill B"}.get)
    reasons = [reason for e in named.timeline for *_change, reason in e.changes]
    assert any("on `Skill B`" in reason for reason in reasons), reasons  # read by its name
    assert sorted(DEFAULT_RUBRIC) == [0, 1, 2, 3, 4]
    with pytest.raises(InvalidRequestError):
        observe(recorder, "cy", COURSE, "b", "oral_defense", 5, "Too high.", "t")


def test_names_come_from_the_course() -> None:
    from jupyter_adaptive.curriculum import load_course

    folder = Path(__file__).resolve().parents[2] / "courses" / "data-science-foundations"
    names = Names.of(load_course(folder))
    assert names.skill("pd-groupby") == "Grouping and aggregating"
    assert names.unit("04_groupby_aggregation") == "Unit 4 · Sorting, counting and group summaries"
    assert names.unit_short("04_groupby_aggregation") == "Unit 4"
    assert names.item("group-mean") == "group-mean (Grouping and aggregating)"
    assert names.skill("unknown") == "unknown" and Names().item("i1") == "i1"


def test_risk_trend_scores_each_week_as_the_rules_did_then(recorder: Recorder) -> None:
    from jupyter_adaptive.dashboard.at_risk import risk_trend

    trend = risk_trend(recorder.store, COURSE, ["ben", "cy"])
    # One week of work: ben's low mastery 0.35 + recent failures 0.30 + stuck 0.15, as at_risk
    # says today; cy passed everything.
    [(monday, ben)] = trend["ben"]
    assert monday.weekday() == 0 and ben == pytest.approx(0.8)
    assert trend["cy"] == [(monday, 0.0)]
    assert risk_trend(recorder.store, COURSE, []) == {}
