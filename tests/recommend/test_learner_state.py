"""The advisor keeps each learner's attempts folded in between answers: its advice equals that of an
advisor reading the store cold, and the work of an answer does not grow with the history."""

from __future__ import annotations

import copy
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import event

from jupyter_adaptive.curriculum import Course
from jupyter_adaptive.recommend import advisor as advisor_module
from jupyter_adaptive.recommend.advisor import Advisor
from jupyter_adaptive.recommend.catalog import CourseCatalog
from jupyter_adaptive.recommend.learner_state import LearnerStates
from jupyter_adaptive.recording import Recorder, RecordingPolicy
from jupyter_adaptive.store import Store
from tests.fixtures.api import attempt_event
from tests.fixtures.courses import COURSES
from tests.fixtures.learners import Learner

COURSE = "data-science-foundations"
LEARNER = "learner-under-test"


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    opened = Store.open(db_url)
    yield opened
    opened.close()


@pytest.fixture
def recorder(store: Store) -> Recorder:
    return Recorder(store, RecordingPolicy(consent_default="drafts"))


def advisor_for(recorder: Recorder, **options: Any) -> Advisor:
    """An advisor on the shipped course; class statistics recomputed at every request, so that
    two advisors over the same store see the same peers."""
    catalog = CourseCatalog([COURSES])
    return Advisor(recorder.store, catalog, recorder.parameters, stats_ttl=0.0, **options)


def same(answer: Any) -> Any:
    """An answer without what differs from one call to the next: the ids nbformat gives cells."""
    if isinstance(answer, dict):
        return {k: same(v) for k, v in answer.items() if not (k == "id" and "cell_type" in answer)}
    if isinstance(answer, list):
        return [same(value) for value in answer]
    return answer


def answer_with_both(
    recorder: Recorder, warm: Advisor, cold: Advisor, name: str, learner: Learner
) -> None:
    """Record a batch of the learner's: the warm advisor's advice on it equals a cold one's."""
    batch = learner.batch()
    results = recorder.record(name, batch)
    got = warm.annotate(name, batch, copy.deepcopy(results))
    cold.forget()
    assert same(got) == same(cold.annotate(name, batch, copy.deepcopy(results)))
    learner.follow(got)


def seed_class(recorder: Recorder, course: Course, learners: int = 20, answers: int = 8) -> None:
    """Enough peers for peer times and the collaborative model to count."""
    for index in range(learners):
        peer = Learner(course, seed=1000 + index)
        for _ in range(answers):
            recorder.record(f"peer-{index}", [peer.answer()])


def test_incremental_advice_equals_a_cold_advisor(recorder: Recorder, course: Course) -> None:
    seed_class(recorder, course)
    warm, cold = advisor_for(recorder), advisor_for(recorder)
    learner = Learner(course, seed=19)
    for step in range(120):
        answer_with_both(recorder, warm, cold, LEARNER, learner)
        if step % 10 == 0:
            unit = course.units[step % len(course.units)].id
            assert same(warm.next(LEARNER, COURSE)) == same(cold.next(LEARNER, COURSE))
            assert same(warm.next(LEARNER, COURSE, unit)) == same(cold.next(LEARNER, COURSE, unit))
    fresh = advisor_for(recorder)
    assert same(warm.next(LEARNER, COURSE)) == same(fresh.next(LEARNER, COURSE))


def test_the_work_of_an_answer_does_not_grow_with_the_history(
    recorder: Recorder, course: Course, monkeypatch: pytest.MonkeyPatch
) -> None:
    advisor = advisor_for(recorder)
    statements: list[int] = []
    rows_read: list[int] = []

    def count(*_args: Any) -> None:
        statements[-1] += 1

    def reading(*args: Any, **kwargs: Any) -> list[dict[str, Any]]:
        rows = read(*args, **kwargs)
        if LEARNER in args:
            rows_read[-1] += len(rows)
        return rows

    read = advisor_module.course_attempts
    monkeypatch.setattr(advisor_module, "course_attempts", reading)
    event.listen(recorder.store.engine, "before_cursor_execute", count)
    learner = Learner(course, seed=7)
    advisor.annotate(LEARNER, [], [])
    for _ in range(200):
        batch = [learner.answer()]
        statements.append(0)
        rows_read.append(0)
        learner.follow(advisor.annotate(LEARNER, batch, recorder.record(LEARNER, batch)))
    event.remove(recorder.store.engine, "before_cursor_execute", count)
    # The first answer also reads the teachers' item rules, kept from then on.
    assert statements[0] == statements[1] + 1
    assert statements[199] == statements[1]
    assert rows_read == [1] * 200


def test_a_gap_longer_than_the_window_starts_afresh_from_the_newest_attempts(
    recorder: Recorder, course: Course
) -> None:
    warm, cold = advisor_for(recorder, history_limit=20), advisor_for(recorder, history_limit=20)
    learner = Learner(course, seed=3)
    for _ in range(5):
        batch = [learner.answer()]
        learner.follow(warm.annotate(LEARNER, batch, recorder.record(LEARNER, batch)))
    for _ in range(30):
        recorder.record(LEARNER, [learner.answer()])
    assert same(warm.next(LEARNER, COURSE)) == same(cold.next(LEARNER, COURSE))


def test_forget_after_a_deletion_reads_the_learner_afresh(
    recorder: Recorder, course: Course
) -> None:
    advisor = advisor_for(recorder)
    learner = Learner(course, seed=5)
    for _ in range(15):
        batch = [learner.answer()]
        learner.follow(advisor.annotate(LEARNER, batch, recorder.record(LEARNER, batch)))
    with recorder.store.transaction() as session:
        recorder.store.delete_learner(session, LEARNER, LEARNER)
    advisor.forget(LEARNER)
    batch = [learner.answer()]
    got = advisor.annotate(LEARNER, batch, recorder.record(LEARNER, batch))
    fresh = advisor_for(recorder)
    assert same(advisor.next(LEARNER, COURSE)) == same(fresh.next(LEARNER, COURSE))
    assert got[0]["feedback"] == fresh.annotate(LEARNER, batch, copy.deepcopy(got))[0]["feedback"]


def test_item_rules_apply_at_the_next_request(recorder: Recorder, course: Course) -> None:
    advisor = advisor_for(recorder)
    first = advisor.next(LEARNER, COURSE)["item"]
    other = next(item for item in sorted(course.items) if item != first)
    advisor.set_rule(COURSE, other, "pin", learner_id=None, teacher="t")
    assert advisor.next(LEARNER, COURSE)["item"] == other
    advisor.set_rule(COURSE, other, "exclude", learner_id=LEARNER, teacher="t")
    assert advisor.next(LEARNER, COURSE)["item"] == first
    advisor.delete_rule(COURSE, other, learner_id=LEARNER)
    assert advisor.next(LEARNER, COURSE)["item"] == other


def test_the_states_kept_are_bounded_least_recently_used_first() -> None:
    states = LearnerStates(max_learners=2)
    a, _ = states.get("a", "c"), states.get("b", "c")
    assert states.get("a", "c") is a
    states.get("c", "c")
    assert len(states) == 2
    assert states.get("a", "c") is a
    states.forget("a")
    assert states.get("a", "c") is not a
    states.forget(course="c")
    assert len(states) == 0


def test_an_advisor_keeping_one_learner_advises_like_a_cold_one(
    recorder: Recorder, course: Course
) -> None:
    small, cold = advisor_for(recorder, max_learners=1), advisor_for(recorder)
    learners = {f"learner-{i}": Learner(course, seed=i) for i in range(3)}
    for step in range(30):
        name, learner = list(learners.items())[step % 3]
        answer_with_both(recorder, small, cold, name, learner)


def test_concurrent_batches_of_one_learner_are_all_folded_in(
    db_url: str, recorder: Recorder, course: Course
) -> None:
    if db_url.startswith("sqlite"):
        pytest.skip("SQLite deployments call the advisor from the event loop only")
    advisor = advisor_for(recorder)
    failures: list[BaseException] = []

    def answer(name: str, seed: int) -> None:
        learner = Learner(course, seed)
        try:
            for _ in range(25):
                batch = [learner.answer() for _ in range(learner.rng.choice([1, 2]))]
                advisor.annotate(name, batch, recorder.record(name, batch))
        except BaseException as error:  # reported by the main thread
            failures.append(error)

    threads = [threading.Thread(target=answer, args=(f"learner-{i % 2}", i)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not failures
    cold = advisor_for(recorder)
    for name in ("learner-0", "learner-1"):
        assert same(advisor.next(name, COURSE)) == same(cold.next(name, COURSE))
        with recorder.store.transaction() as session:
            stored = len(recorder.store.events(session, name, COURSE))
        # Every stored attempt was folded in once, however the requests interleaved.
        assert advisor._states.get(name, COURSE).history.count == stored


def test_an_attempt_committed_after_a_later_one_is_not_skipped(
    db_url: str, recorder: Recorder, course: Course
) -> None:
    if db_url.startswith("sqlite"):
        pytest.skip("SQLite has one writer: its transactions commit in the order they write")
    advisor, store = advisor_for(recorder), recorder.store
    learner = Learner(course, seed=1)
    recorder.record(LEARNER, [learner.answer()])
    first, second = learner.answer(), learner.answer()

    def answer_second() -> None:
        advisor.annotate(LEARNER, [second], recorder.record(LEARNER, [second]))

    later = threading.Thread(target=answer_second)
    with store.transaction() as session:
        store.append_events(session, LEARNER, [first])
        later.start()
        # The learner's next batch waits for this one to commit.
        later.join(timeout=1.0)
    later.join()
    advisor.next(LEARNER, COURSE)
    assert advisor._states.get(LEARNER, COURSE).history.count == 3


def test_the_advice_reads_a_fast_learners_estimates_at_their_own_rate(
    recorder: Recorder, course: Course
) -> None:
    """Missed once, then passed: on skill after skill the learner shows they learn faster than
    the course's rate, and the served advice says it reads their estimates at their own rate."""
    advisor = advisor_for(recorder)
    for skill in course.skills_in_order()[:6]:
        item = course.items_for_skill(skill)[0]
        for outcome in ("incorrect", "correct", "correct"):
            answer = attempt_event(item=item.id, skills=list(item.skills), outcome=outcome)
            recorder.record(LEARNER, [answer])
    reason = advisor.next(LEARNER, COURSE)["reason"]
    assert "Your estimates are read at your own learning rate: about" in reason
    rate = float(reason.split("Your estimates are read at your own learning rate: about ")[1][:3])
    assert rate > 1.0
