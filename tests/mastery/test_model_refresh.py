"""Background refits: recording never waits for one, a failed one keeps the old model, a finished
one is swapped in whole and names itself in the evidence."""

from __future__ import annotations

import logging
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from jupyter_adaptive.errors import InvalidRequestError
from jupyter_adaptive.mastery.bkt import BKT
from jupyter_adaptive.mastery.course_models import COLD_START, DEFAULTS, CourseModels, model_id
from jupyter_adaptive.mastery.features import LearnerHistory
from jupyter_adaptive.mastery.logistic import PFA_FEATURES, LogisticKT
from jupyter_adaptive.mastery.responses import read_responses
from jupyter_adaptive.model_refresh import ModelRefresh, RefitResult, reliability_path
from jupyter_adaptive.recording import Recorder, RecordingPolicy
from jupyter_adaptive.store import Store
from tests.fixtures.api import attempt_event
from tests.mastery.test_course_refit import COURSE, simulated_store

DATA = Path(__file__).parent / "data"


def recorder_with(url: str, models: CourseModels, refresh: ModelRefresh) -> Recorder:
    policy = RecordingPolicy(consent_default="outcomes")
    return Recorder(Store.open(url), policy, models, answered=refresh.answered)


def test_answers_keep_being_recorded_while_a_refit_runs(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'store.sqlite'}"
    started, release = threading.Event(), threading.Event()

    def slow_refit(*_: object) -> RefitResult:
        started.set()
        assert release.wait(30)
        return RefitResult(COURSE, False, 0, "released")

    models = CourseModels(tmp_path / "models")
    executor = ThreadPoolExecutor(max_workers=1)
    refresh = ModelRefresh(models, url, executor, every_answers=3, job=slow_refit)
    recorder = recorder_with(url, models, refresh)
    for _ in range(3):
        recorder.record("learner", [attempt_event()])
    assert started.wait(10)
    assert refresh.running() == [COURSE]
    began = time.monotonic()
    for attempt in range(20):
        [result] = recorder.record("learner", [attempt_event(attempt=attempt + 2)])
        assert result["status"] == "stored" and result["prediction"]["model"] == DEFAULTS
    assert time.monotonic() - began < 10
    assert refresh.running() == [COURSE]
    assert refresh.refit(COURSE) is None  # one refit per course at a time
    release.set()
    executor.shutdown(wait=True)
    assert refresh.running() == []
    recorder.store.close()


def test_a_failed_refit_keeps_the_old_model_and_logs_why(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    url = f"sqlite:///{tmp_path / 'store.sqlite'}"
    recorder = Recorder(Store.open(url), RecordingPolicy(consent_default="outcomes"))
    for learner in range(30):  # every answer right: nothing to fit
        recorder.record(f"learner-{learner}", [attempt_event() for _ in range(3)])
    recorder.store.close()
    models = CourseModels(tmp_path / "models")
    earlier = read_responses(DATA / "ct_sample.csv.gz").head(60)  # fewer answers than stored
    old = models.swap(COURSE, BKT().fit(earlier))
    with ThreadPoolExecutor(max_workers=1) as executor:
        refresh = ModelRefresh(models, url, executor, min_answers=1)
        future = refresh.refit(COURSE)
        assert future is not None
        with pytest.raises(InvalidRequestError, match="same on every row"):
            future.result()
    assert models.served(COURSE).id == old.id
    assert f"refit of {COURSE} failed, still serving {old.id}" in caplog.text
    assert "same on every row" in caplog.text


def test_a_finished_refit_is_served_and_named_in_the_evidence(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    url = f"sqlite:///{tmp_path / 'store.sqlite'}"
    simulated_store(url, learners=60, answers=12)
    models = CourseModels(tmp_path / "models", lambda _course: None)
    assert models.served(COURSE).id == DEFAULTS
    with ThreadPoolExecutor(max_workers=1) as executor:
        refresh = ModelRefresh(models, url, executor, min_answers=100)
        refresh.tick([COURSE])
    served = models.served(COURSE)
    assert served.id.startswith("logistic fitted ")
    assert reliability_path(models.path(COURSE)).read_bytes().startswith(b"\x89PNG")
    assert f"{COURSE} now serves {served.id}" in caplog.text

    with ThreadPoolExecutor(max_workers=1) as executor:  # nothing new: no refit
        again = ModelRefresh(models, url, executor, min_answers=100).refit(COURSE)
        assert again is not None and not again.result().fitted
    assert models.served(COURSE).id == served.id

    recorder = recorder_with(url, models, refresh)
    [result] = recorder.record("new-learner", [attempt_event()])
    assert result["prediction"]["model"] == served.id
    assert recorder.mastery("new-learner")["evidence"][0]["model"] == served.id
    recorder.store.close()


def test_a_course_without_data_is_served_its_declared_prior(tmp_path: Path) -> None:
    prior = BKT.from_params(
        BKT().fit(read_responses(DATA / "ct_sample.csv.gz")).to_params()
        | {"data": {"rows": 0, "users": 0, "skills": 0}}
    )
    models = CourseModels(tmp_path, lambda course: prior if course == COURSE else None)
    assert models.served(COURSE).id == COLD_START
    assert models.served("not-installed").id == DEFAULTS


def test_no_reader_sees_a_half_written_model(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    data = read_responses(DATA / "ct_sample.csv.gz")
    first, second = BKT().fit(data), LogisticKT(features=PFA_FEATURES).fit(data)
    names = {model_id(first), model_id(second)}
    writer = CourseModels(tmp_path)
    writer.swap(COURSE, first)
    reader = CourseModels(tmp_path)  # another process's view: it sees only the files
    skill = str(data["skill_name"].iloc[0])
    done, seen, errors = threading.Event(), set(), []

    def read() -> None:
        while not done.is_set():
            try:
                served = reader.served(COURSE)
                seen.add(served.id)
                assert 0.0 < served.estimator.predict_next(LearnerHistory(), skill) < 1.0
            except Exception as exc:  # pragma: no cover - what the test must not see
                errors.append(exc)

    thread = threading.Thread(target=read)
    thread.start()
    for round_ in range(40):
        writer.swap(COURSE, second if round_ % 2 == 0 else first)
    done.set()
    thread.join()
    assert errors == []
    assert seen <= names and seen
    assert "serving the prior" not in caplog.text
