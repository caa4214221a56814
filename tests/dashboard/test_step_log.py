"""The step log of a learner in a unit (issue 14, item 3a): each run with the code's diff from
the previous run of the same exercise, the error it stopped at, hints and time between runs."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from jupyter_adaptive.dashboard.learner_detail import learner_detail
from jupyter_adaptive.dashboard.step_log import step_log, units_worked
from jupyter_adaptive.recording import Recorder, RecordingPolicy
from jupyter_adaptive.store import Store

from .conftest import COURSE, attempt, other

FIRST = "total = 0\nfor x in xs:\n    total = 0\n    total += x\n"
FIXED = "total = 0\nfor x in xs:\n    total += x\n"


def test_runs_of_a_unit_with_their_diffs_errors_hints_and_times(tmp_path: Path) -> None:
    store = Store.open(f"sqlite:///{tmp_path / 'log.sqlite'}")
    recorder = Recorder(store, RecordingPolicy(consent_default="drafts"))
    wrong = attempt("i1", False, 1, ename="NameError")
    wrong.update(source=FIRST, answer_error={"ename": "TypeError", "evalue": "bad +"})
    right = attempt("i1", True, 2)
    right.update(source=FIXED, hints_used=1)
    other_unit = attempt("i2", True, 1)
    recorder.record("ana", [other("draft", "i1", source=FIRST), wrong])
    recorder.record("ana", [other("hint", "i1", hints_used=1), right, other_unit])

    detail = learner_detail(store, "ana", COURSE)
    assert units_worked(detail) == ["u1", "u2"]
    steps = step_log(detail, "u1")
    assert [(s.kind, s.outcome) for s in steps] == [
        ("draft", None),
        ("attempt", "error"),
        ("attempt", "correct"),
    ]
    draft, failed, passed = steps
    assert draft.first_draft == FIRST and draft.diff == ()
    assert failed.diff == ()  # the same code as the draft: nothing changed
    assert failed.error == "answer: TypeError: bad +; tests: NameError: boom"
    assert passed.hints_used == 1
    assert "-    total = 0" in passed.diff
    assert not any(line.startswith("+    total") for line in passed.diff)
    assert all(s.seconds_since_previous is None or s.seconds_since_previous >= 0 for s in steps)
    assert steps[0].seconds_since_previous is None
    assert passed.time is not None and draft.time is not None
    assert passed.time - draft.time >= timedelta(0)
    store.close()


def test_without_drafts_the_log_keeps_outcomes_only(tmp_path: Path) -> None:
    store = Store.open(f"sqlite:///{tmp_path / 'log.sqlite'}")
    recorder = Recorder(store, RecordingPolicy(consent_default="outcomes"))
    first = attempt("i1", False, 1)
    first["source"] = FIRST
    recorder.record("ben", [first, attempt("i1", True, 2)])
    steps = step_log(learner_detail(store, "ben", COURSE), "u1")
    assert [(s.draft_kept, s.first_draft, s.diff) for s in steps] == [(False, None, ())] * 2
    assert [s.outcome for s in steps] == ["incorrect", "correct"]
    store.close()
