"""A small class whose dashboard figures are computed by hand in the tests.

Default BKT parameters (prior 0.3, learn 0.15, guess 0.2, slip 0.1): a pass from 0.3 gives
0.7098, a miss from 0.3 gives 0.1932, a pass after that miss 0.5909.

| learner | attempts, in order (item: outcome) |
| --- | --- |
| ana | i1 pass; i2 miss; i2 pass (plus a hint, a draft with HTML, an appeal on skill a) |
| ben | i1 miss ×5 (the second a KeyError) |
| cy  | i1 pass; i2 pass |
| dee | i1 miss; i1 pass; i2 miss |

i1 practises skill ``a`` (unit ``u1``), i2 skill ``b`` (unit ``u2``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from jupyter_adaptive.recording import Recorder, RecordingPolicy
from jupyter_adaptive.store import Store
from tests.fixtures.api import attempt_event

COURSE = "c"
SKILL = {"i1": "a", "i2": "b"}
UNIT = {"i1": "u1", "i2": "u2"}
DRAFT = "<script>alert('x')</script><b>bold</b>"


def attempt(item: str, correct: bool, n: int, ename: str = "AssertionError") -> dict[str, Any]:
    fields: dict[str, Any] = {
        "course": COURSE,
        "unit": UNIT[item],
        "item": item,
        "skills": [SKILL[item]],
        "attempt": n,
        "outcome": "correct" if correct else "incorrect",
    }
    if not correct:
        fields["outcome"] = "incorrect" if ename == "AssertionError" else "error"
        fields["error"] = {"ename": ename, "evalue": "boom"}
    return attempt_event(**fields)


def other(kind: str, item: str, **fields: Any) -> dict[str, Any]:
    event = attempt_event(course=COURSE, unit=UNIT[item], item=item, skills=[SKILL[item]])
    for name in ("attempt", "outcome", "duration_ms", "hints_used", "source"):
        del event[name]
    event.update(type=kind, **fields)
    return event


@pytest.fixture
def recorder(tmp_path: Path) -> Recorder:
    store = Store.open(f"sqlite:///{tmp_path / 'class.sqlite'}")
    recorder = Recorder(store, RecordingPolicy(consent_default="drafts"))
    recorder.record(
        "ana",
        [
            attempt("i1", True, 1),
            other("hint", "i2", hints_used=1),
            other("draft", "i2", source=DRAFT),
            attempt("i2", False, 1),
            attempt("i2", True, 2),
            other("appeal", "i1", message="I know this."),
        ],
    )
    recorder.record(
        "ben",
        [attempt("i1", False, n, "KeyError" if n == 2 else "AssertionError") for n in range(1, 6)],
    )
    recorder.record("cy", [attempt("i1", True, 1), attempt("i2", True, 1)])
    recorder.record(
        "dee", [attempt("i1", False, 1), attempt("i1", True, 2), attempt("i2", False, 1)]
    )
    return recorder
