"""The dashboard's view-models on the hand-computed class of ``conftest.py``."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest

from jupyter_adaptive.assessment.item_bank import ItemBank, ItemParameters, prior_parameters
from jupyter_adaptive.dashboard.at_risk import at_risk
from jupyter_adaptive.dashboard.class_view import class_view
from jupyter_adaptive.dashboard.decisions import answer_appeal, mark_mastered, set_estimate
from jupyter_adaptive.dashboard.export import to_csv
from jupyter_adaptive.dashboard.item_analysis import item_analysis
from jupyter_adaptive.dashboard.learner_detail import learner_detail
from jupyter_adaptive.dashboard.seed import BROKEN_ITEM, TRIVIAL_ITEM, seed_class
from jupyter_adaptive.dashboard.success import group_gaps, learner_progress, success
from jupyter_adaptive.errors import InvalidRequestError, NotFoundError
from jupyter_adaptive.recording import Recorder
from jupyter_adaptive.store import Store

from .conftest import COURSE, DRAFT

PASS = 0.709756  # 0.3 -> pass
MISS = 0.193220  # 0.3 -> miss
MISS_PASS = 0.590900  # 0.3 -> miss -> pass


def test_class_view_has_a_row_per_learner_and_a_column_per_skill(recorder: Recorder) -> None:
    view = class_view(recorder.store, COURSE)
    assert view.skills == ["a", "b"]
    assert view.units == {"u1": ["a"], "u2": ["b"]}
    assert [row.learner for row in view.rows] == ["ana", "ben", "cy", "dee"]
    assert [row.attempts for row in view.rows] == [3, 5, 2, 3]
    ana, ben, _cy, dee = view.matrix()
    assert ana == [pytest.approx(PASS, abs=1e-5), pytest.approx(MISS_PASS, abs=1e-5)]
    assert ben[1] is None and ben[0] is not None and ben[0] < MISS
    assert dee == [pytest.approx(MISS_PASS, abs=1e-5), pytest.approx(MISS, abs=1e-5)]
    assert all(row.last_activity is not None for row in view.rows)


def test_class_view_filters_by_unit_and_skill_and_sorts(recorder: Recorder) -> None:
    store = recorder.store
    assert class_view(store, COURSE, units=["u2"]).skills == ["b"]
    assert class_view(store, COURSE, skills=["a"]).skills == ["a"]
    by_attempts = class_view(store, COURSE, sort="attempts", descending=True)
    assert [row.learner for row in by_attempts.rows] == ["ben", "ana", "dee", "cy"]
    by_mastery = class_view(store, COURSE, sort="mean_mastery")
    assert by_mastery.rows[0].learner == "ben"
    with pytest.raises(InvalidRequestError, match="Sort by one of"):
        class_view(store, COURSE, sort="shoe size")


def test_at_risk_rules_give_their_reasons_and_weights(recorder: Recorder) -> None:
    risks = {risk.learner: risk for risk in at_risk(recorder.store, COURSE)}
    ben = risks["ben"]
    assert ben.model == "rules" and ben.flagged and ben.score == pytest.approx(0.80)
    assert [(r.rule, r.weight) for r in ben.reasons] == [
        ("low_mastery", 0.35),
        ("recent_failures", 0.30),
        ("stuck", 0.15),
    ]
    assert ben.reasons[1].sentence == "0 of the last 5 attempts passed (below 50%)"
    assert ben.reasons[2].sentence == "the last 5 attempts on `i1` all failed"
    dee = risks["dee"]
    assert not dee.flagged and dee.score == pytest.approx(0.35)
    assert dee.reasons[0].sentence.startswith("mean estimate 0.39 over 2 practised skills is below")
    assert risks["cy"].reasons == [] and risks["ana"].reasons == []
    assert at_risk(recorder.store, COURSE)[0].learner == "ben"


def test_inactivity_counts_from_the_reference_time(recorder: Recorder) -> None:
    latest = max(row.last_activity for row in class_view(recorder.store, COURSE).rows)
    assert latest is not None
    risks = {r.learner: r for r in at_risk(recorder.store, COURSE, now=latest + timedelta(9))}
    assert risks["dee"].flagged and risks["dee"].score == pytest.approx(0.55)
    assert risks["cy"].reasons[0].sentence.startswith("no activity for 9 days")


def test_learner_detail_lists_attempts_drafts_hints_and_evidence(recorder: Recorder) -> None:
    detail = learner_detail(recorder.store, "ana", COURSE)
    assert [entry.kind for entry in detail.timeline] == [
        "attempt",
        "hint",
        "draft",
        "attempt",
        "attempt",
        "appeal",
    ]
    first = detail.timeline[0]
    assert first.changes[0][3] == "passed `i1` on the first try: 0.30 → 0.71"
    assert first.duration_s == 42.0
    assert detail.timeline[2].draft == DRAFT
    assert detail.timeline[3].error == "AssertionError: boom"
    assert (
        detail.timeline[3].changes[0][3]
        == "did not pass `i2` on the first try (AssertionError): 0.30 → 0.19"
    )
    assert detail.mastery == {
        "a": pytest.approx(PASS, abs=1e-5),
        "b": pytest.approx(MISS_PASS, abs=1e-5),
    }
    [appeal] = detail.appeals
    assert appeal.message == "I know this." and appeal.skills == ("a",) and appeal.answer is None


def test_override_and_appeal_answer_land_in_the_audit_log(recorder: Recorder) -> None:
    store = recorder.store
    set_estimate(recorder, "dee", COURSE, "b", 0.6, "Showed me in class.", "teacher")
    [appeal] = learner_detail(store, "ana", COURSE).appeals
    answer_appeal(recorder, appeal.event_id, "Agreed, well done.", "teacher", value=0.9)
    detail = learner_detail(store, "ana", COURSE)
    assert detail.appeals[0].answer == "Agreed, well done."
    assert detail.mastery["a"] == 0.9
    assert [entry["action"] for entry in detail.audit] == ["override", "answer_appeal"]
    assert detail.audit[0]["old_value"] == pytest.approx(PASS, abs=1e-5)
    assert detail.timeline[-1].kind == "override"
    assert detail.timeline[-1].changes[0][3].endswith("(the model said 0.71): Agreed, well done.")
    assert learner_detail(store, "dee", COURSE).audit[0]["new_value"] == 0.6
    with pytest.raises(NotFoundError):
        answer_appeal(recorder, "00000000-0000-4000-8000-000000000000", "No.", "teacher")
    with pytest.raises(InvalidRequestError):
        answer_appeal(recorder, appeal.event_id, "  ", "teacher")


def test_item_analysis_counts_discrimination_and_errors(recorder: Recorder) -> None:
    items = {stats.item: stats for stats in item_analysis(recorder.store, COURSE)}
    i1, i2 = items["i1"], items["i2"]
    assert (i1.attempts, i1.learners) == (9, 4)
    assert i1.proportion_correct == pytest.approx(3 / 9)
    assert i1.first_try == pytest.approx(2 / 4)
    assert i1.discrimination == pytest.approx(0.5)
    assert i1.errors == [("AssertionError", 5), ("KeyError", 1)]
    assert (i2.attempts, i2.proportion_correct, i2.first_try) == (4, 0.5, pytest.approx(1 / 3))
    assert i2.discrimination == pytest.approx(0.5)
    assert i1.flags == [] and i2.flags == []


def test_item_analysis_shows_calibrated_parameters_and_misfit_flags(recorder: Recorder) -> None:
    flag = "negative discrimination: learners who do well on the other items fail it more often"
    bank = ItemBank(
        COURSE,
        {
            "i2": ItemParameters("i2", ("b",), 0.1, 4.2, None, 0.9, 120, "fit", (flag,)),
            "i1": prior_parameters("i1", ("a",), 3, 4),
        },
    )
    analysed = item_analysis(recorder.store, COURSE, bank=bank)
    assert analysed[0].item == "i2" and analysed[0].flags == [f"2PL: {flag}"]
    assert analysed[0].irt_summary == "a 0.10, b 4.20 ± 0.90"
    assert analysed[1].irt_summary == "prior (a 1.00, b 1.00; 4 answers)"
    assert analysed[1].flags == []


def test_item_analysis_flags_broken_items(tmp_path: object) -> None:
    store = Store.open("sqlite://")
    seed_class(store, learners=20, skills=3, events=1500)
    items = {stats.item: stats for stats in item_analysis(store, "demo-course")}
    assert items[BROKEN_ITEM].flags[0].startswith("nobody passes: 0 of")
    assert items[TRIVIAL_ITEM].flags[0].startswith("everybody passes at once")
    assert [s.item for s in item_analysis(store, "demo-course")][:2] == sorted(
        [BROKEN_ITEM, TRIVIAL_ITEM]
    )


def test_success_metrics_per_skill_unit_and_group(recorder: Recorder) -> None:
    mark_mastered(recorder, "ana", COURSE, "a", "Clearly knows it.", "teacher")
    progress = learner_progress(recorder.store, COURSE)
    ana_a = next(p for p in progress if (p.learner, p.skill) == ("ana", "a"))
    assert (ana_a.updates, ana_a.time_to_mastery) == (2, 2)
    assert ana_a.minutes_to_mastery == pytest.approx(42 / 60)
    assert ana_a.gain == pytest.approx(0.95 - 0.3)
    [b] = [s for s in success(progress) if s.name == "b"]
    gains = [MISS_PASS - 0.3, PASS - 0.3, MISS - 0.3]
    assert b.learners == 3 and b.mean_gain == pytest.approx(sum(gains) / 3, abs=1e-5)
    assert b.mastered_share == 0 and b.median_time_to_mastery is None
    [u1, u2] = success(progress, by="unit")
    assert (u1.name, u1.mastered_share, u1.median_time_to_mastery) == ("u1", 0.25, 2)
    assert u1.median_minutes_to_mastery == pytest.approx(0.7)
    assert b.median_minutes_to_mastery is None
    assert u2.mean_gain == b.mean_gain
    roster = {"ana": {"group": "x"}, "cy": {"group": "x"}, "ben": {"group": "y"}}
    [gap] = group_gaps(progress, roster)
    assert [g.name for g in gap.groups] == ["x", "y"]
    assert gap.mastered_gap == pytest.approx(0.25)
    assert gap.gain_gap == pytest.approx(gap.groups[0].mean_gain - gap.groups[1].mean_gain)
    assert gap.sentence().startswith("by group: mean gain")


def test_csv_exports_of_the_class_and_of_a_learner(recorder: Recorder) -> None:
    class_rows = list(csv.reader(io.StringIO(to_csv(class_view(recorder.store, COURSE)))))
    assert class_rows[0] == ["learner", "attempts", "last_activity", "mean_mastery", "a", "b"]
    assert class_rows[2][0:2] == ["ben", "5"] and class_rows[2][5] == ""
    assert float(class_rows[1][4]) == pytest.approx(PASS, abs=1e-4)
    learner_rows = list(
        csv.DictReader(io.StringIO(to_csv(learner_detail(recorder.store, "ana", COURSE))))
    )
    assert len(learner_rows) == 6
    assert learner_rows[2]["draft"] == DRAFT
    assert learner_rows[0]["estimate_changes"] == "passed `i1` on the first try: 0.30 → 0.71"
